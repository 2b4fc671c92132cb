//! `clawauth rotate` on a state where stores hold different keys for one provider
//! (issue 12 item 5): by default only the key being rotated is replaced; a different
//! key only with `--include-different`. File bytes are compared, not just values.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;

const NEW: &str = "sk-proxy-rotated-CCCC3333";

fn rotate(f: &Fixture, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["rotate", "--provider", "my-proxy", "--secret-stdin"];
    args.extend_from_slice(extra);
    clawauth(f, &args, &format!("{NEW}\n"))
}

/// The store document with `profile`'s `field` set to `value`, as clawauth writes it.
fn expected(profile: &str, kind: &str, field: &str, value: &str) -> Vec<u8> {
    let doc = serde_json::json!({"version": 1, "profiles": {profile: {"type": kind, "provider": "my-proxy", field: value}}});
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap()).into_bytes()
}

#[test]
fn dry_run_lists_the_groups_and_plans_only_the_key_being_rotated() {
    let f = mixed_rotate();
    let (main, research) = (store_bytes(&f, "main"), store_bytes(&f, "research"));
    let o = rotate(&f, &["--dry-run"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let a = clawauth::domain::secret::fingerprint(MIXED_KEY_A);
    let b = clawauth::domain::secret::fingerprint(MIXED_KEY_B);
    assert!(
        out.contains(&format!(
            "1 store holds key {a} (token); 1 store holds a different key {b} (api_key)"
        )),
        "{out}"
    );
    assert!(
        out.contains("replaces the secret of my-proxy:manual (token)"),
        "{out}"
    );
    assert!(
        !out.contains("replaces the secret of my-proxy:research"),
        "{out}"
    );
    assert!(out.contains("--include-different"), "{out}");
    assert!(
        out.contains("the key agent main uses, my-proxy:manual in main"),
        "{out}"
    );
    for secret in [MIXED_KEY_A, MIXED_KEY_B, NEW] {
        assert!(!out.contains(secret), "secret in output: {out}");
    }
    assert_eq!(store_bytes(&f, "main"), main, "dry run wrote main");
    assert_eq!(
        store_bytes(&f, "research"),
        research,
        "dry run wrote research"
    );
}

#[test]
fn rotate_replaces_main_and_leaves_researchs_different_key_byte_for_byte() {
    let f = mixed_rotate();
    let research = store_bytes(&f, "research");
    let o = rotate(&f, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        store_bytes(&f, "main"),
        expected("my-proxy:manual", "token", "token", NEW)
    );
    assert_eq!(
        store_bytes(&f, "research"),
        research,
        "research's own key B changed"
    );
    assert!(f.cell("research", "my-proxy").usable);
}

#[test]
fn include_different_replaces_the_other_key_too_keeping_its_type() {
    let f = mixed_rotate();
    let o = rotate(&f, &["--include-different"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        store_bytes(&f, "main"),
        expected("my-proxy:manual", "token", "token", NEW)
    );
    assert_eq!(
        store_bytes(&f, "research"),
        expected("my-proxy:research", "api_key", "key", NEW)
    );
}

#[test]
fn naming_only_the_store_with_a_different_key_is_refused_without_the_flag() {
    let f = mixed_rotate();
    let (main, research) = (store_bytes(&f, "main"), store_bytes(&f, "research"));
    let o = rotate(&f, &["--agent", "research"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(4), "{out}");
    assert!(
        out.contains("no copy of the my-proxy key being rotated"),
        "{out}"
    );
    assert!(out.contains("add --include-different"), "{out}");
    assert_eq!(
        (store_bytes(&f, "main"), store_bytes(&f, "research")),
        (main.clone(), research)
    );
    let o = rotate(&f, &["--agent", "research", "--include-different"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(store_bytes(&f, "main"), main, "main is not in scope");
    assert_eq!(
        store_bytes(&f, "research"),
        expected("my-proxy:research", "api_key", "key", NEW)
    );
}

#[test]
fn json_plan_carries_the_groups() {
    let f = mixed_rotate();
    let o = rotate(&f, &["--dry-run", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let groups = doc["plan"]["keyGroups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{doc}");
    assert_eq!(groups[0]["role"], "rotated");
    assert_eq!(groups[0]["holders"][0]["label"], "main");
    assert_eq!(groups[0]["holders"][0]["replaced"], true);
    assert_eq!(groups[1]["role"], "different");
    assert_eq!(groups[1]["holders"][0]["profile"], "my-proxy:research");
    assert_eq!(groups[1]["holders"][0]["replaced"], false);
}
