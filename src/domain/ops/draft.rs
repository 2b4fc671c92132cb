//! A profile to write, with its secrets kept apart until the moment of writing.

use super::secret::Secret;
use crate::domain::read::profile::CredType;
use serde_json::{Map, Value};

/// Fields that hold secret material in an auth store profile.
pub(crate) const SECRET_FIELDS: &[&str] =
    &["key", "apiKey", "token", "access", "refresh", "idToken"];

#[derive(Clone)]
pub struct ProfileDraft {
    pub id: String,
    pub provider: String,
    pub cred_type: CredType,
    /// Non-secret fields in write order (after `type` and `provider`).
    pub fields: Map<String, Value>,
    /// Secret fields, written in this order right after `provider`.
    pub secrets: Vec<(String, Secret)>,
}

impl ProfileDraft {
    /// The JSON object as OpenClaw writes it: type, provider, secrets, then the rest.
    pub(crate) fn to_value(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("type".into(), Value::String(self.cred_type.as_str().into()));
        obj.insert("provider".into(), Value::String(self.provider.clone()));
        for (field, secret) in &self.secrets {
            obj.insert(field.clone(), Value::String(secret.expose().to_string()));
        }
        for (k, v) in &self.fields {
            if !obj.contains_key(k) {
                obj.insert(k.clone(), v.clone());
            }
        }
        Value::Object(obj)
    }

    /// Splits an existing profile object into a draft (used by copy and rotate).
    pub(crate) fn from_value(id: &str, value: &Value) -> Option<ProfileDraft> {
        let obj = value.as_object()?;
        let cred_type = CredType::parse(obj.get("type")?.as_str()?)?;
        let provider = obj.get("provider")?.as_str()?.to_string();
        let mut fields = Map::new();
        let mut secrets = Vec::new();
        for (k, v) in obj {
            match (SECRET_FIELDS.contains(&k.as_str()), v.as_str()) {
                _ if k == "type" || k == "provider" => {}
                (true, Some(s)) => secrets.push((k.clone(), Secret::new(s.to_string()))),
                _ => {
                    fields.insert(k.clone(), v.clone());
                }
            }
        }
        Some(ProfileDraft {
            id: id.to_string(),
            provider,
            cred_type,
            fields,
            secrets,
        })
    }

    /// The main secret (key or token) if there is exactly one.
    pub(crate) fn primary_secret(&self) -> Option<&Secret> {
        let field = match self.cred_type {
            CredType::ApiKey => "key",
            CredType::Token => "token",
            CredType::Oauth => "refresh",
        };
        self.secrets
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, s)| s)
    }

    /// True when both drafts would write the same object.
    pub(crate) fn same_as(&self, value: &Value) -> bool {
        &self.to_value() == value
    }
}

/// A profile object with secret values replaced by their descriptions, for display.
pub(crate) fn redact_value(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match (SECRET_FIELDS.contains(&k.as_str()), v) {
                    (true, Value::String(s)) => (
                        k.clone(),
                        Value::String(format!("«{}»", super::secret::describe_secret(s))),
                    ),
                    _ => (k.clone(), redact_value(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_value).collect()),
        other => other.clone(),
    }
}
