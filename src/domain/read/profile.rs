//! One credential entry of an auth store, parsed the way OpenClaw's loader
//! parses it (auth-store.md §2; `store.ts` 2026.4.5, `persisted.ts` 2026.9.6).

use crate::domain::read::providers::normalize_provider;
use crate::domain::read::version::Generation;
use crate::domain::secret::{SecretRef, coerce_ref, configured_string};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CredType {
    ApiKey,
    Token,
    Oauth,
}

impl std::fmt::Display for CredType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl CredType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CredType::ApiKey => "api_key",
            CredType::Token => "token",
            CredType::Oauth => "oauth",
        }
    }

    pub(crate) fn parse(raw: &str) -> Option<CredType> {
        match raw {
            "api_key" => Some(CredType::ApiKey),
            "token" => Some(CredType::Token),
            "oauth" => Some(CredType::Oauth),
            _ => None,
        }
    }

    /// Sort rank used when there is no explicit order: oauth < token < api_key.
    pub(crate) fn rank(self) -> u8 {
        match self {
            CredType::Oauth => 0,
            CredType::Token => 1,
            CredType::ApiKey => 2,
        }
    }
}

/// Why OpenClaw's loader silently drops an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DropReason {
    NonObject,
    InvalidType,
    MissingProvider,
}

impl DropReason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DropReason::NonObject => "non_object",
            DropReason::InvalidType => "invalid_type",
            DropReason::MissingProvider => "missing_provider",
        }
    }
}

/// The `expires` field as the loader sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expires {
    Absent,
    Millis(f64),
    /// Not a finite positive number (or above 8.64e15 in 2026.9).
    Invalid,
}

/// A credential entry that survived loading. `Debug` hides the secrets.
#[derive(Clone)]
pub struct Profile {
    pub(crate) id: String,
    pub provider: String,
    pub(crate) cred_type: CredType,
    pub key: Option<String>,
    pub(crate) key_ref: Option<SecretRef>,
    pub(crate) token: Option<String>,
    pub(crate) token_ref: Option<SecretRef>,
    pub(crate) access: Option<String>,
    pub(crate) refresh: Option<String>,
    pub(crate) expires: Expires,
    pub(crate) email: Option<String>,
    pub(crate) copy_to_agents: Option<bool>,
    /// The normalised entry (aliases applied) with every field it had.
    pub(crate) fields: Map<String, Value>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::domain::secret::{Hidden, Shape};
        f.debug_struct("Profile")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .field("cred_type", &self.cred_type)
            .field("key", &Hidden(self.key.as_deref()))
            .field("key_ref", &self.key_ref)
            .field("token", &Hidden(self.token.as_deref()))
            .field("token_ref", &self.token_ref)
            .field("access", &Hidden(self.access.as_deref()))
            .field("refresh", &Hidden(self.refresh.as_deref()))
            .field("expires", &self.expires)
            .field("email", &self.email)
            .field("copy_to_agents", &self.copy_to_agents)
            .field("fields", &Shape(&Value::Object(self.fields.clone())))
            .finish()
    }
}

impl Profile {
    /// The secret-ish fields that would make OAuth + SecretRef fail (policy.ts).
    pub(crate) fn oauth_ref_fields(&self, generation: Generation) -> Vec<&'static str> {
        if self.cred_type != CredType::Oauth {
            return Vec::new();
        }
        ["access", "refresh", "token", "tokenRef", "key", "keyRef"]
            .into_iter()
            .filter(|f| match self.fields.get(*f) {
                Some(Value::Object(_)) => coerce_ref(self.fields.get(*f), generation).is_some(),
                Some(v @ Value::String(_)) => coerce_ref(Some(v), generation).is_some(),
                _ => false,
            })
            .collect()
    }

    pub(crate) fn is_refresh_fence(&self) -> bool {
        let fence = |v: &Option<String>| {
            v.as_deref()
                .is_some_and(|s| s.starts_with("openclaw-oauth-refresh-fence:"))
        };
        self.cred_type == CredType::Oauth && (fence(&self.access) || fence(&self.refresh))
    }
}

pub(crate) enum ParsedEntry {
    Ok(Box<Profile>),
    Dropped(DropReason),
}

/// `parseCredentialEntry` / `normalizeRawCredentialEntry`.
pub(crate) fn parse_entry(
    id: &str,
    raw: &Value,
    fallback_provider: Option<&str>,
    generation: Generation,
) -> ParsedEntry {
    let Some(obj) = raw.as_object() else {
        return ParsedEntry::Dropped(DropReason::NonObject);
    };
    let mut entry = obj.clone();
    apply_aliases(&mut entry, generation);
    let Some(cred_type) = entry
        .get("type")
        .and_then(Value::as_str)
        .and_then(CredType::parse)
    else {
        return ParsedEntry::Dropped(DropReason::InvalidType);
    };
    let provider = match entry.get("provider") {
        Some(v) => v.as_str().map(str::to_string),
        None => fallback_provider.map(str::to_string),
    };
    let Some(provider) = provider.filter(|p| !p.trim().is_empty()) else {
        return ParsedEntry::Dropped(DropReason::MissingProvider);
    };
    let provider = match generation {
        Generation::Json => provider,
        Generation::Sqlite => provider.trim().to_lowercase(),
    };
    entry.insert("provider".into(), Value::String(provider.clone()));
    ParsedEntry::Ok(Box::new(build_profile(
        id, provider, cred_type, entry, generation,
    )))
}

fn apply_aliases(entry: &mut Map<String, Value>, generation: Generation) {
    if !entry.contains_key("type")
        && let Some(mode) = entry.get("mode").and_then(Value::as_str)
    {
        entry.insert("type".into(), Value::String(mode.to_string()));
    }
    if generation == Generation::Sqlite
        && entry.get("type").and_then(Value::as_str) == Some("apiKey")
    {
        entry.insert("type".into(), Value::String("api_key".into()));
    }
    if !entry.contains_key("key")
        && let Some(api_key) = entry.get("apiKey").and_then(Value::as_str)
    {
        entry.insert("key".into(), Value::String(api_key.to_string()));
    }
    move_object_to_ref(entry, "key", "keyRef");
    move_object_to_ref(entry, "token", "tokenRef");
}

/// `normalizeSecretBackedField`: a non-string value moves to the ref field.
fn move_object_to_ref(entry: &mut Map<String, Value>, value_field: &str, ref_field: &str) {
    if matches!(entry.get(value_field), Some(v) if !v.is_string()) {
        let moved = entry.shift_remove(value_field).unwrap_or(Value::Null);
        if !entry.contains_key(ref_field) && moved.is_object() {
            entry.insert(ref_field.to_string(), moved);
        }
    }
}

fn build_profile(
    id: &str,
    provider: String,
    cred_type: CredType,
    entry: Map<String, Value>,
    generation: Generation,
) -> Profile {
    let text = |f: &str| entry.get(f).and_then(Value::as_str).map(str::to_string);
    let non_blank = |f: &str| configured_string(entry.get(f)).map(|_| text(f).unwrap_or_default());
    let pick = |f: &str| {
        if generation == Generation::Sqlite {
            non_blank(f)
        } else {
            text(f)
        }
    };
    let key_ref = coerce_ref(entry.get("keyRef"), generation);
    let mut key = pick("key");
    if generation == Generation::Sqlite && key_ref.is_some() {
        key = None;
    }
    Profile {
        id: id.to_string(),
        provider,
        cred_type,
        key,
        key_ref,
        token: pick("token"),
        token_ref: coerce_ref(entry.get("tokenRef"), generation),
        access: pick("access"),
        refresh: pick("refresh"),
        expires: parse_expires(entry.get("expires"), generation),
        email: text("email"),
        copy_to_agents: entry.get("copyToAgents").and_then(Value::as_bool),
        fields: entry,
    }
}

pub(crate) const MAX_EXPIRES_MS: f64 = 8.64e15;

pub(crate) fn parse_expires(value: Option<&Value>, generation: Generation) -> Expires {
    let Some(value) = value else {
        return Expires::Absent;
    };
    match value.as_f64() {
        Some(ms)
            if value.is_number()
                && ms.is_finite()
                && ms > 0.0
                && (generation == Generation::Json || ms <= MAX_EXPIRES_MS) =>
        {
            Expires::Millis(ms)
        }
        _ => Expires::Invalid,
    }
}

/// Normalised provider key of a profile for matching.
pub(crate) fn profile_provider_key(p: &Profile, generation: Generation) -> String {
    crate::domain::read::providers::auth_key(
        &normalize_provider(&p.provider, generation),
        generation,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(raw: Value, generation: Generation) -> Profile {
        match parse_entry("p:1", &raw, None, generation) {
            ParsedEntry::Ok(p) => *p,
            ParsedEntry::Dropped(r) => panic!("dropped: {r:?}"),
        }
    }

    fn dropped(raw: Value, generation: Generation) -> DropReason {
        match parse_entry("p:1", &raw, None, generation) {
            ParsedEntry::Ok(_) => panic!("kept"),
            ParsedEntry::Dropped(r) => r,
        }
    }

    #[test]
    fn aliases_mode_and_api_key() {
        let p = ok(
            json!({"mode":"api_key","provider":"x","apiKey":"k"}),
            Generation::Json,
        );
        assert_eq!(p.cred_type, CredType::ApiKey);
        assert_eq!(p.key.as_deref(), Some("k"));
    }

    #[test]
    fn camel_case_type_only_in_sqlite_generation() {
        assert_eq!(
            dropped(
                json!({"type":"apiKey","provider":"x","key":"k"}),
                Generation::Json
            ),
            DropReason::InvalidType
        );
        assert_eq!(
            ok(
                json!({"type":"apiKey","provider":"x","key":"k"}),
                Generation::Sqlite
            )
            .cred_type,
            CredType::ApiKey
        );
        assert_eq!(
            dropped(json!({"type":"api-key","provider":"x"}), Generation::Sqlite),
            DropReason::InvalidType
        );
    }

    #[test]
    fn drops_non_objects_and_missing_provider() {
        assert_eq!(
            dropped(json!("sk"), Generation::Json),
            DropReason::NonObject
        );
        assert_eq!(
            dropped(json!({"type":"token","provider":"  "}), Generation::Json),
            DropReason::MissingProvider
        );
    }

    #[test]
    fn object_key_moves_to_key_ref_and_sqlite_prefers_ref() {
        let p = ok(
            json!({"type":"api_key","provider":"x","key":{"source":"env","id":"K"}}),
            Generation::Json,
        );
        assert!(p.key.is_none() && p.key_ref.is_some());
        let p = ok(
            json!({"type":"api_key","provider":"X","key":"k","keyRef":{"source":"env","id":"K"}}),
            Generation::Sqlite,
        );
        assert!(p.key.is_none());
        assert_eq!(p.provider, "x");
    }

    #[test]
    fn expires_rules() {
        assert_eq!(
            parse_expires(Some(&json!("2030-01-01")), Generation::Sqlite),
            Expires::Invalid
        );
        assert_eq!(
            parse_expires(Some(&json!(0)), Generation::Json),
            Expires::Invalid
        );
        assert_eq!(
            parse_expires(Some(&json!(9.0e15)), Generation::Json),
            Expires::Millis(9.0e15)
        );
        assert_eq!(
            parse_expires(Some(&json!(9.0e15)), Generation::Sqlite),
            Expires::Invalid
        );
        assert_eq!(parse_expires(None, Generation::Json), Expires::Absent);
    }
}
