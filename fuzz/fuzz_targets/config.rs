//! openclaw.json text → the JSON5 reader (with its nesting limit), the agents it
//! declares, and the comment-preserving editor used by writes: an edit of a config
//! that parses must leave one that parses, with only the edited key changed. Also the
//! crash-report redaction (`redact_secret_like`) on the same text.
#![no_main]

use clawauth::domain::read::agents::discover_agents;
use clawauth::domain::read::config::parse_json5_text;
use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::domain::secret::redact_secret_like;
use clawauth::domain::write::json5_edit::Json5Doc;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The crash-report redaction: any text, and redacting twice changes nothing more.
    let redacted = redact_secret_like(text);
    assert_eq!(redact_secret_like(&redacted), redacted);
    let parsed = parse_json5_text(text);
    if let Ok(value) = &parsed {
        let env = EnvSnapshot::from_pairs([("HOME", "/home/fuzz"), ("AGENT_DIR", "/x")]);
        let _ = discover_agents(value, Path::new("/state"), Path::new("/home/fuzz"), &env);
    }
    let Ok(mut doc) = Json5Doc::parse(text) else {
        return;
    };
    let _ = doc.value();
    let entry = json!({"provider": "fuzz", "mode": "api_key"});
    let path = ["auth", "profiles", "fuzz:default"];
    if doc.set(&path, &entry).is_err() {
        return;
    }
    let Ok(before) = parsed else {
        return;
    };
    let after = parse_json5_text(doc.text()).unwrap_or_else(|e| {
        panic!(
            "the edit broke the config: {e}\n--- before\n{text}\n--- after\n{}",
            doc.text()
        )
    });
    let mut expected = before;
    let auth = expected
        .as_object_mut()
        .unwrap()
        .entry("auth")
        .or_insert_with(|| json!({}));
    let profiles = auth
        .as_object_mut()
        .expect("set succeeded, so auth is an object")
        .entry("profiles")
        .or_insert_with(|| json!({}));
    profiles
        .as_object_mut()
        .expect("set succeeded, so auth.profiles is an object")
        .insert("fuzz:default".into(), entry);
    assert!(
        same(&after, &expected),
        "the edit changed more than auth.profiles.fuzz:default\n--- before\n{text}\n--- after\n{}",
        doc.text()
    );
});

/// Equal as JSON values, object key order ignored (an edit may append a new key).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
