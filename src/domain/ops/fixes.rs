//! The safe, mechanical fixes `repair` applies to a stored profile, and the
//! canonical form of a legacy flat store: shared by planning (`repair`) and
//! applying (`doc`), so neither imports the other.

use super::error::DocError;
use crate::domain::read::profile::CredType;
use serde_json::{Map, Value, json};

/// A safe, mechanical fix of one stored profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// `type` spelled as an alias (`apiKey`, `api-key`, `OAuth`…) → the canonical name.
    CanonicalType(CredType),
    /// `mode` used instead of `type`.
    ModeToType,
    /// `apiKey` used instead of `key`.
    ApiKeyToKey,
    /// `type: oauth` holding a `token` (a setup-token) → `type: token`.
    OAuthTokenToToken,
    /// `expires` in seconds → milliseconds.
    ExpiresToMillis,
}

impl Fix {
    pub(crate) fn describe(&self, id: &str) -> String {
        match self {
            Fix::CanonicalType(t) => format!("{id}: type → \"{}\"", t.as_str()),
            Fix::ModeToType => format!("{id}: rename \"mode\" to \"type\""),
            Fix::ApiKeyToKey => format!("{id}: rename \"apiKey\" to \"key\""),
            Fix::OAuthTokenToToken => {
                format!("{id}: type \"oauth\" → \"token\" (it holds a token, not OAuth tokens)")
            }
            Fix::ExpiresToMillis => format!("{id}: expires from seconds to milliseconds"),
        }
    }
}

/// Fixes for one profile of a store (valid or dropped), from its raw object.
pub(crate) fn profile_fixes(raw: &Value) -> Vec<Fix> {
    let Some(obj) = raw.as_object() else {
        return Vec::new();
    };
    let mut fixes = Vec::new();
    let type_name = obj.get("type").and_then(Value::as_str);
    match (type_name, obj.get("mode").and_then(Value::as_str)) {
        (None, Some(_)) => fixes.push(Fix::ModeToType),
        (Some(t), _) if CredType::parse(t).is_none() => {
            if let Some(c) = canonical_type_name(t) {
                fixes.push(Fix::CanonicalType(c));
            }
        }
        _ => {}
    }
    if !obj.contains_key("key") && obj.get("apiKey").is_some_and(Value::is_string) {
        fixes.push(Fix::ApiKeyToKey);
    }
    let is_oauth = type_name.and_then(canonical_type_name) == Some(CredType::Oauth);
    if is_oauth
        && obj.contains_key("token")
        && !obj.contains_key("access")
        && !obj.contains_key("refresh")
    {
        fixes.push(Fix::OAuthTokenToToken);
    }
    if obj
        .get("expires")
        .and_then(Value::as_f64)
        .is_some_and(|e| e > 0.0 && e < 1.0e11)
    {
        fixes.push(Fix::ExpiresToMillis);
    }
    fixes
}

/// A type name that unambiguously means one credential type.
pub(crate) fn canonical_type_name(raw: &str) -> Option<CredType> {
    match raw
        .trim()
        .to_lowercase()
        .replace(['-', '_', ' '], "")
        .as_str()
    {
        "apikey" => Some(CredType::ApiKey),
        "token" | "bearer" | "bearertoken" => Some(CredType::Token),
        "oauth" | "oauth2" => Some(CredType::Oauth),
        _ => None,
    }
}

fn rename(obj: &mut Map<String, Value>, from: &str, to: &str) {
    if obj.contains_key(to) {
        return;
    }
    let keys: Vec<String> = obj.keys().cloned().collect();
    let old = std::mem::take(obj);
    for k in keys {
        let v = old.get(&k).cloned().unwrap_or(Value::Null);
        obj.insert(if k == from { to.to_string() } else { k }, v);
    }
}

pub(crate) fn apply_fixes(doc: &mut Value, id: &str, fixes: &[Fix]) -> Result<(), DocError> {
    let profile = doc
        .get_mut("profiles")
        .and_then(|p| p.get_mut(id))
        .and_then(Value::as_object_mut)
        .ok_or_else(|| DocError::ProfileGone {
            profile: id.to_string(),
        })?;
    for fix in fixes {
        match fix {
            Fix::CanonicalType(t) => {
                profile.insert("type".into(), json!(t.as_str()));
            }
            Fix::ModeToType => rename(profile, "mode", "type"),
            Fix::ApiKeyToKey => rename(profile, "apiKey", "key"),
            Fix::OAuthTokenToToken => {
                profile.insert("type".into(), json!("token"));
            }
            Fix::ExpiresToMillis => {
                if let Some(secs) = profile
                    .get("expires")
                    .and_then(Value::as_f64)
                    .filter(|s| *s < 1.0e11)
                {
                    profile.insert("expires".into(), json!((secs * 1000.0) as i64));
                }
            }
        }
    }
    Ok(())
}

/// A legacy flat `{provider: credential}` document → `{version, profiles: {"<p>:default": …}}`.
pub(crate) fn canonicalize(doc: &mut Value) -> Result<(), DocError> {
    let Some(map) = doc.as_object() else {
        return Err(DocError::NotObject);
    };
    if map.contains_key("profiles") {
        return Ok(());
    }
    let mut profiles = Map::new();
    for (provider, cred) in map {
        let Some(obj) = cred.as_object() else {
            continue;
        };
        let mut entry = Map::new();
        entry.insert(
            "type".into(),
            json!(
                infer_flat_type(obj)
                    .ok_or_else(|| DocError::UnknownType {
                        provider: provider.clone(),
                    })?
                    .as_str()
            ),
        );
        entry.insert("provider".into(), json!(provider.to_lowercase()));
        for (k, v) in obj
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "type" | "mode" | "provider" | "baseUrl"))
        {
            let key = if k == "apiKey" || k == "api_key" {
                "key"
            } else {
                k.as_str()
            };
            entry.insert(key.to_string(), v.clone());
        }
        profiles.insert(format!("{provider}:default"), Value::Object(entry));
    }
    *doc = json!({"version": 1, "profiles": profiles});
    Ok(())
}

/// OpenClaw's legacy normaliser: explicit type/mode, else inferred from the fields.
fn infer_flat_type(obj: &Map<String, Value>) -> Option<CredType> {
    let named = obj
        .get("type")
        .or_else(|| obj.get("mode"))
        .and_then(Value::as_str)
        .and_then(canonical_type_name);
    named.or_else(|| {
        let has = |k: &str| obj.contains_key(k);
        if has("key") || has("apiKey") || has("api_key") || has("keyRef") {
            Some(CredType::ApiKey)
        } else if has("token") || has("tokenRef") {
            Some(CredType::Token)
        } else if has("access")
            && has("refresh")
            && obj.get("expires").is_some_and(Value::is_number)
        {
            Some(CredType::Oauth)
        } else {
            None
        }
    })
}
