//! Auth store bytes → the parser of both generations, every store kind, the
//! validator, and the edits a write applies (which must never corrupt the store).
#![no_main]

use clawauth::domain::ops::doc::{apply, empty_store, render};
use clawauth::domain::ops::draft::ProfileDraft;
use clawauth::domain::ops::plan::StoreEdit;
use clawauth::domain::ops::secret::Secret;
use clawauth::domain::read::profile::CredType;
use clawauth::domain::read::store::{StoreKind, duplicate_keys, parse_document};
use clawauth::domain::validate::store::{StoreCtx, validate_store};
use clawauth::domain::read::version::Generation;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use std::path::PathBuf;

const NOW_MS: f64 = 1_767_225_600_000.0;

fuzz_target!(|data: &[u8]| {
    let _ = duplicate_keys(data);
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for generation in [Generation::Json, Generation::Sqlite] {
        for kind in [
            StoreKind::AuthProfiles,
            StoreKind::LegacyAuthJson,
            StoreKind::OAuthJson,
            StoreKind::AgentDb,
            StoreKind::SharedDb,
        ] {
            let store = parse_document(
                PathBuf::from("/fuzz/agents/main/agent/auth-profiles.json"),
                kind,
                value.clone(),
                generation,
            );
            for agent in [Some("main"), Some("cronbot"), None] {
                let _ = validate_store(&StoreCtx {
                    store: &store,
                    agent,
                    generation,
                    now_ms: NOW_MS,
                    clawauth: "clawauth",
                });
            }
            let _ = clawauth::domain::read::store::named_providers(&store);
        }
    }
    edits_keep_the_store_valid(&value);
});

/// What `set`, `repair` and `rotate` do to a document: the result must be a store
/// OpenClaw loads, holding what was written, with every other profile intact.
fn edits_keep_the_store_valid(value: &Value) {
    let mut doc = value.clone();
    let draft = ProfileDraft {
        id: "fuzz:default".into(),
        provider: "fuzz".into(),
        cred_type: CredType::ApiKey,
        fields: Map::new(),
        secrets: vec![("key".into(), Secret::new("sk-fuzz".into()))],
    };
    if apply(&mut doc, &StoreEdit::Upsert(draft)).is_err() {
        // Refused (not an object, `profiles` not an object): nothing to check.
        return;
    }
    let _ = apply(
        &mut doc,
        &StoreEdit::PrependOrder {
            provider: "fuzz".into(),
            id: "fuzz:default".into(),
        },
    );
    let text = render(&doc);
    let back: Value = serde_json::from_str(&text).expect("a written store must be valid JSON");
    let store = parse_document(
        PathBuf::from("/fuzz/auth-profiles.json"),
        StoreKind::AuthProfiles,
        back,
        Generation::Json,
    );
    assert!(store.is_loaded(), "a written store must load");
    let p = store
        .profiles
        .get("fuzz:default")
        .expect("the written profile");
    assert_eq!(p.provider, "fuzz");
    if let Some(old) = value.get("profiles").and_then(Value::as_object) {
        let new = doc["profiles"].as_object().unwrap();
        for (id, v) in old.iter().filter(|(id, _)| *id != "fuzz:default") {
            assert_eq!(new.get(id), Some(v), "profile {id} changed");
        }
    }
    let mut canon = value.clone();
    if apply(&mut canon, &StoreEdit::Canonicalize).is_ok() {
        let _ = serde_json::from_str::<Value>(&render(&canon)).expect("canonical store is JSON");
    }
    let _ = empty_store();
}
