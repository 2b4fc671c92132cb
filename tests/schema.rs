//! `clawauth schema` is a real JSON Schema that accepts the canonical examples
//! and rejects the shapes OpenClaw drops or misreads.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

use std::path::Path;

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(clawauth::cli::SCHEMA).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn examples(kind: &str) -> Vec<(String, serde_json::Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schema")
        .join(kind);
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn accepts_every_valid_example() {
    let v = validator();
    let valid = examples("valid");
    assert!(valid.len() >= 4);
    for (name, doc) in valid {
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name} should be valid: {errors:?}");
    }
}

#[test]
fn rejects_every_invalid_example() {
    let v = validator();
    let invalid = examples("invalid");
    assert!(invalid.len() >= 10);
    for (name, doc) in invalid {
        assert!(!v.is_valid(&doc), "{name} should be rejected");
    }
}

#[test]
fn demo_stores_that_should_load_are_valid() {
    let v = validator();
    for rel in [
        "assets/demo/agents/main/agent/auth-profiles.json",
        "assets/demo/agents/assistant/agent/auth-profiles.json",
    ] {
        let doc: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap(),
        )
        .unwrap();
        assert!(v.is_valid(&doc), "{rel}");
    }
}
