//! Auth store documents as OpenClaw writes them: edits applied to the raw JSON so
//! unknown fields and key order survive, serialised as 2-space JSON plus a newline.

use super::draft::redact_value;
use super::error::DocError;
use super::plan::StoreEdit;
use serde_json::{Map, Value};

pub fn empty_store() -> Value {
    serde_json::json!({"version": 1, "profiles": {}})
}

/// `JSON.stringify(store, null, 2) + "\n"`.
pub fn render(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// The redacted rendering used in diffs.
pub(crate) fn render_redacted(doc: &Value) -> String {
    render(&redact_value(doc))
}

fn object_at<'a>(doc: &'a mut Value, key: &str) -> Result<&'a mut Map<String, Value>, DocError> {
    let root = doc.as_object_mut().ok_or(DocError::StoreNotObject)?;
    let entry = root
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    entry.as_object_mut().ok_or_else(|| DocError::KeyNotObject {
        key: key.to_string(),
    })
}

fn ensure_canonical_root(doc: &mut Value) -> Result<(), DocError> {
    let root = doc.as_object_mut().ok_or(DocError::StoreNotObject)?;
    if !root.contains_key("version") {
        let mut fresh = Map::new();
        fresh.insert("version".into(), Value::from(1));
        fresh.extend(std::mem::take(root));
        *root = fresh;
    }
    Ok(())
}

pub fn apply(doc: &mut Value, edit: &StoreEdit) -> Result<(), DocError> {
    ensure_canonical_root(doc)?;
    match edit {
        StoreEdit::Upsert(draft) => {
            let value = match object_at(doc, "profiles")?.get(&draft.id) {
                Some(Value::Object(old)) => merge_keeping_unknown(old, &draft.to_value()),
                _ => draft.to_value(),
            };
            object_at(doc, "profiles")?.insert(draft.id.clone(), value);
        }
        StoreEdit::Remove { id } => {
            object_at(doc, "profiles")?.shift_remove(id);
        }
        StoreEdit::ReplaceSecret { id, field, secret } => {
            let profile = object_at(doc, "profiles")?
                .get_mut(id)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| DocError::ProfileGone {
                    profile: id.clone(),
                })?;
            profile.insert(field.clone(), Value::String(secret.expose().to_string()));
        }
        StoreEdit::PrependOrder { provider, id } => prepend_order(doc, provider, id)?,
        StoreEdit::SetOrderIfAbsent { provider, ids } => {
            let order = object_at(doc, "order")?;
            if !order.keys().any(|k| k.eq_ignore_ascii_case(provider)) {
                order.insert(provider.clone(), Value::from(ids.clone()));
            }
        }
        StoreEdit::RemoveOrderIds { provider, ids } => remove_order_ids(doc, provider, ids)?,
        StoreEdit::Repair { id, fixes } => super::fixes::apply_fixes(doc, id, fixes)?,
        StoreEdit::Canonicalize => super::fixes::canonicalize(doc)?,
        StoreEdit::ResetUsage { id } => reset_usage(doc, id),
    }
    drop_empty(doc, "order");
    Ok(())
}

const CLEARED: &[&str] = &[
    "cooldownUntil",
    "cooldownReason",
    "cooldownModel",
    "disabledUntil",
    "disabledReason",
    "failureCounts",
];

/// OpenClaw's `resetUsageStats` (`src/agents/auth-profiles/usage.ts`, dist/order-CoOjbg-h.js
/// in 2026.4.5) on `usageStats[id]` of a store document (no entry: nothing to do).
pub(crate) fn reset_usage(doc: &mut Value, id: &str) {
    let Some(entry) = doc
        .get_mut("usageStats")
        .and_then(|u| u.get_mut(id))
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for f in CLEARED {
        entry.shift_remove(*f);
    }
    entry.insert("errorCount".into(), Value::from(0));
}

/// New fields win; fields the draft does not mention are kept (unknown fields survive).
fn merge_keeping_unknown(old: &Map<String, Value>, new: &Value) -> Value {
    let mut merged = new.as_object().cloned().unwrap_or_default();
    for (k, v) in old {
        let secret_or_ref = matches!(
            k.as_str(),
            "key"
                | "keyRef"
                | "token"
                | "tokenRef"
                | "access"
                | "refresh"
                | "apiKey"
                | "mode"
                | "expires"
        );
        if !merged.contains_key(k) && !secret_or_ref {
            merged.insert(k.clone(), v.clone());
        }
    }
    Value::Object(merged)
}

fn prepend_order(doc: &mut Value, provider: &str, id: &str) -> Result<(), DocError> {
    let order = object_at(doc, "order")?;
    if let Some((_, list)) = order
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(provider))
    {
        let ids = list.as_array_mut().ok_or_else(|| DocError::OrderNotList {
            provider: provider.to_string(),
        })?;
        ids.retain(|v| v.as_str() != Some(id));
        ids.insert(0, Value::String(id.to_string()));
    }
    Ok(())
}

fn remove_order_ids(doc: &mut Value, provider: &str, ids: &[String]) -> Result<(), DocError> {
    let order = object_at(doc, "order")?;
    if let Some((_, list)) = order
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(provider))
        && let Some(arr) = list.as_array_mut()
    {
        arr.retain(|v| {
            v.as_str()
                .is_none_or(|s| !ids.iter().any(|i| i == s.trim()))
        });
    }
    order.retain(|_, v| v.as_array().is_none_or(|a| !a.is_empty()));
    Ok(())
}

fn drop_empty(doc: &mut Value, key: &str) {
    if let Some(root) = doc.as_object_mut()
        && root
            .get(key)
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
    {
        root.shift_remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openclaw_formatted_files_round_trip_byte_for_byte() {
        let text = "{\n  \"version\": 1,\n  \"profiles\": {\n    \"my-proxy:manual\": {\n      \"type\": \"token\",\n      \"provider\": \"my-proxy\",\n      \"token\": \"sk-x\",\n      \"expires\": 1798141104533,\n      \"custom\": {\n        \"z\": 1,\n        \"a\": [\n          true\n        ]\n      }\n    }\n  },\n  \"order\": {\n    \"my-proxy\": [\n      \"my-proxy:manual\"\n    ]\n  },\n  \"usageStats\": {}\n}\n";
        let doc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(render(&doc), text);
    }

    #[test]
    fn upsert_keeps_unknown_fields_and_order_of_others() {
        let mut doc: Value = serde_json::from_str(r#"{"version":1,"profiles":{"b:1":{"type":"api_key","provider":"b","key":"old","note":"keep"},"a:1":{"type":"token","provider":"a","token":"t"}},"lastGood":{"b":"b:1"}}"#).unwrap();
        let draft = super::super::draft::ProfileDraft {
            id: "b:1".into(),
            provider: "b".into(),
            cred_type: crate::domain::read::profile::CredType::ApiKey,
            fields: Map::new(),
            secrets: vec![(
                "key".into(),
                crate::domain::ops::secret::Secret::new("new".into()),
            )],
        };
        apply(&mut doc, &StoreEdit::Upsert(draft)).unwrap();
        let text = serde_json::to_string(&doc).unwrap();
        assert_eq!(
            text,
            r#"{"version":1,"profiles":{"b:1":{"type":"api_key","provider":"b","key":"new","note":"keep"},"a:1":{"type":"token","provider":"a","token":"t"}},"lastGood":{"b":"b:1"}}"#
        );
    }

    #[test]
    fn order_edits() {
        let mut doc: Value =
            serde_json::from_str(r#"{"version":1,"profiles":{},"order":{"p":["p:a","p:b"]}}"#)
                .unwrap();
        apply(
            &mut doc,
            &StoreEdit::PrependOrder {
                provider: "p".into(),
                id: "p:b".into(),
            },
        )
        .unwrap();
        assert_eq!(doc["order"]["p"], serde_json::json!(["p:b", "p:a"]));
        apply(
            &mut doc,
            &StoreEdit::RemoveOrderIds {
                provider: "p".into(),
                ids: vec!["p:a".into(), "p:b".into()],
            },
        )
        .unwrap();
        assert!(
            doc.get("order").is_none(),
            "an emptied order is dropped: {doc}"
        );
        apply(
            &mut doc,
            &StoreEdit::PrependOrder {
                provider: "q".into(),
                id: "q:1".into(),
            },
        )
        .unwrap();
        assert!(
            doc.get("order").is_none(),
            "no order is created by a prepend"
        );
    }
}
