//! Declaring a custom provider: `models.providers.<id>` in openclaw.json with its base
//! URL, `api` kind and model ids (layout.md §models.json: in 2026.4.5 `baseUrl` and
//! `models` are required, each model needs `id` and `name`).

use super::error::CustomError;
use super::plan::ConfigEdit;
use crate::domain::read::builtins::entry;
use crate::domain::read::config::get;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::version::Generation;
use serde_json::{Value, json};

/// A provider the user declares, with the models it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomProvider {
    pub(crate) base_url: String,
    pub(crate) api: String,
    pub(crate) models: Vec<String>,
}

/// The `api` kinds this generation's OpenClaw accepts (its config schema's MODEL_APIS).
pub(crate) fn api_kinds(generation: Generation) -> Vec<&'static str> {
    entry(generation)
        .map(|e| e.apis.clone())
        .unwrap_or_default()
}

/// Refuses what OpenClaw's config schema would reject, saying what is accepted.
pub(crate) fn check_custom(c: &CustomProvider, generation: Generation) -> Result<(), CustomError> {
    let url = c.base_url.trim();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    if host.is_none_or(str::is_empty) || url.chars().any(char::is_whitespace) {
        return Err(CustomError::BaseUrl {
            url: url.to_string(),
        });
    }
    let kinds = api_kinds(generation);
    if !kinds.contains(&c.api.trim()) {
        return Err(CustomError::ApiKind {
            api: c.api.clone(),
            accepted: kinds,
        });
    }
    if c.models.is_empty() {
        return Err(CustomError::NoModels);
    }
    for m in &c.models {
        if m.trim().is_empty() || m.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
            return Err(CustomError::ModelId { model: m.clone() });
        }
    }
    Ok(())
}

/// The openclaw.json edits that declare (or complete) `models.providers.<provider>`,
/// and what they do in words. Nothing when the declaration already says all of it.
pub(crate) fn declare_edits(
    d: &Discovery,
    provider: &str,
    c: &CustomProvider,
) -> (Vec<ConfigEdit>, Vec<String>) {
    let base = ["models", "providers", provider];
    match get(&d.config.value, &base).and_then(Value::as_object) {
        None => declare_new(provider, c),
        Some(existing) => complete_existing(provider, c, existing),
    }
}

/// One model entry as OpenClaw's config lists it.
fn model_entry(id: &str) -> Value {
    json!({"id": id, "name": id})
}

/// `models.providers.<provider>.<key>` as an edit path.
fn provider_path(provider: &str, key: &str) -> Vec<String> {
    ["models", "providers", provider, key]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// A provider not declared yet: the whole entry in one edit.
fn declare_new(provider: &str, c: &CustomProvider) -> (Vec<ConfigEdit>, Vec<String>) {
    let value = json!({
        "baseUrl": c.base_url.trim(),
        "api": c.api.trim(),
        "models": c.models.iter().map(|m| model_entry(m.trim())).collect::<Vec<_>>(),
    });
    let edit = ConfigEdit::Set {
        path: ["models", "providers", provider]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        value,
    };
    let words = format!(
        "declares the custom provider models.providers.{provider} ({} at {}, models {})",
        c.api.trim(),
        c.base_url.trim(),
        c.models.join(", ")
    );
    (vec![edit], vec![words])
}

/// A declared provider: set what differs, add the models it lacks, keep the rest.
fn complete_existing(
    provider: &str,
    c: &CustomProvider,
    existing: &serde_json::Map<String, Value>,
) -> (Vec<ConfigEdit>, Vec<String>) {
    let mut edits = Vec::new();
    let mut words = Vec::new();
    for (key, want) in [("baseUrl", c.base_url.trim()), ("api", c.api.trim())] {
        if existing.get(key).and_then(Value::as_str) != Some(want) {
            edits.push(ConfigEdit::Set {
                path: provider_path(provider, key),
                value: json!(want),
            });
            words.push(format!(
                "sets models.providers.{provider}.{key} to {want:?}"
            ));
        }
    }
    let mut models: Vec<Value> = existing
        .get("models")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let known = |models: &[Value], id: &str| models.iter().any(|m| m.get("id") == Some(&json!(id)));
    let added: Vec<&str> = c
        .models
        .iter()
        .map(|m| m.trim())
        .filter(|m| !known(&models, m))
        .collect();
    if !added.is_empty() {
        models.extend(added.iter().map(|m| model_entry(m)));
        edits.push(ConfigEdit::Set {
            path: provider_path(provider, "models"),
            value: Value::Array(models),
        });
        words.push(format!(
            "adds model(s) {} to models.providers.{provider}",
            added.join(", ")
        ));
    }
    (edits, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy(api: &str, url: &str) -> CustomProvider {
        CustomProvider {
            base_url: url.into(),
            api: api.into(),
            models: vec!["gpt-4o-mini".into()],
        }
    }

    #[test]
    fn api_kinds_are_the_versions_own() {
        let ok = proxy("openai-completions", "https://my-proxy.invalid/v1");
        assert!(check_custom(&ok, Generation::Json).is_ok());
        let codex = proxy("openai-codex-responses", "https://x.invalid");
        assert!(check_custom(&codex, Generation::Json).is_ok());
        let err = check_custom(&codex, Generation::Sqlite)
            .unwrap_err()
            .to_string();
        assert!(err.contains("openai-chatgpt-responses"), "{err}");
        assert!(check_custom(&proxy("openai", "https://x.invalid"), Generation::Json).is_err());
    }

    #[test]
    fn base_urls_need_a_scheme_and_host() {
        for bad in ["my-proxy.invalid/v1", "https://", "ftp://x", "https://a b"] {
            assert!(
                check_custom(&proxy("openai-completions", bad), Generation::Json).is_err(),
                "{bad}"
            );
        }
        let mut none = proxy("openai-completions", "http://127.0.0.1:8080/v1");
        assert!(check_custom(&none, Generation::Json).is_ok());
        none.models.clear();
        assert!(check_custom(&none, Generation::Json).is_err());
    }
}
