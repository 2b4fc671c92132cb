//! The endpoint OpenClaw's runtime calls for a provider: `models.providers.<p>`
//! of openclaw.json (`baseUrl`, `api`, `headers`), else the agent's `models.json`
//! (which OpenClaw regenerates from the config before a run), else the built-in
//! catalog of the installed release.

use super::ApiKind;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::providers::normalize_provider;
use serde_json::Value;
use std::path::Path;

/// Base URL, wire protocol and extra headers of one provider, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) base_url: String,
    pub(crate) api: ApiKind,
    /// `openclaw.json`, `models.json` or `built-in`.
    pub(crate) origin: &'static str,
    /// `models.providers.<p>.headers` (string values; OpenClaw merges them into every request).
    pub(crate) headers: Vec<(String, String)>,
}

/// Built-in providers with a base URL and API kind, as the two releases define them.
/// Both releases agree on every row below. Sources (the installed packages):
/// - 2026.4.5: `@mariozechner/pi-ai/dist/models.generated.js` (anthropic, openai,
///   google, openrouter, xai, groq, cerebras, huggingface, mistral); the provider
///   constants in `openclaw/dist` (`DEEPSEEK_BASE_URL`, `MOONSHOT_BASE_URL`,
///   `TOGETHER_BASE_URL`, `NVIDIA_BASE_URL`, `FIREWORKS_BASE_URL`, `VENICE_BASE_URL`,
///   `CHUTES_BASE_URL`, `OPENROUTER_BASE_URL` in `extensions/openrouter/index.js`,
///   `DEFAULT_GOOGLE_API_BASE_URL` in `google-api-base-url-DQpGB4Lb.js`).
/// - 2026.9.6: `dist/extensions/<id>/openclaw.plugin.json` `modelCatalog.providers`
///   (anthropic, openai, google, xai, together, huggingface, nvidia), `OPENROUTER_BASE_URL`
///   in `dist/provider-defaults-ilQX6q3J.mjs`, `DEFAULT_OPENAI_BASE_URL` in
///   `dist/base-url-CsNC9nJ8.mjs`.
///
/// Providers whose API has no free check (minimax and kimi speak anthropic-messages to
/// a proxy, zai's coding plan, copilot's token exchange, codex's ChatGPT backend,
/// bedrock's SDK chain) are deliberately absent: their cells are `skipped` unless a
/// configured `baseUrl`/`api` says how to reach them and `--completion` is given.
const BUILTINS: &[(&str, &str, &str)] = &[
    (
        "anthropic",
        "https://api.anthropic.com",
        "anthropic-messages",
    ),
    ("openai", "https://api.openai.com/v1", "openai-responses"),
    (
        "google",
        "https://generativelanguage.googleapis.com/v1beta",
        "google-generative-ai",
    ),
    (
        "openrouter",
        "https://openrouter.ai/api/v1",
        "openai-completions",
    ),
    ("xai", "https://api.x.ai/v1", "openai-completions"),
    (
        "groq",
        "https://api.groq.com/openai/v1",
        "openai-completions",
    ),
    (
        "cerebras",
        "https://api.cerebras.ai/v1",
        "openai-completions",
    ),
    (
        "huggingface",
        "https://router.huggingface.co/v1",
        "openai-completions",
    ),
    ("mistral", "https://api.mistral.ai/v1", "openai-completions"),
    ("deepseek", "https://api.deepseek.com", "openai-completions"),
    (
        "moonshot",
        "https://api.moonshot.ai/v1",
        "openai-completions",
    ),
    (
        "together",
        "https://api.together.xyz/v1",
        "openai-completions",
    ),
    (
        "nvidia",
        "https://integrate.api.nvidia.com/v1",
        "openai-completions",
    ),
    (
        "fireworks",
        "https://api.fireworks.ai/inference/v1",
        "openai-completions",
    ),
    (
        "venice",
        "https://api.venice.ai/api/v1",
        "openai-completions",
    ),
    ("chutes", "https://llm.chutes.ai/v1", "openai-completions"),
];

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `providers.<p>` of a config-shaped document, matched by normalised id.
fn provider_entry<'a>(doc: &'a Value, provider: &str, d: &Discovery) -> Option<&'a Value> {
    let map = doc.get("providers")?.as_object()?;
    let want = normalize_provider(provider, d.generation);
    map.get(provider).or_else(|| {
        map.iter()
            .find(|(k, _)| normalize_provider(k, d.generation) == want)
            .map(|(_, v)| v)
    })
}

fn headers_of(entry: Option<&Value>) -> Vec<(String, String)> {
    entry
        .and_then(|e| e.get("headers"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The endpoint agent `agent_dir` calls for `provider`, or `None` when nothing says.
pub(crate) fn endpoint(d: &Discovery, agent_dir: &Path, provider: &str) -> Option<Endpoint> {
    let config = d.config.value.get("models");
    let config = config.and_then(|m| provider_entry(m, provider, d));
    let models_json = d
        .models_json
        .get(agent_dir)
        .and_then(|r| r.as_ref().ok())
        .and_then(|doc| provider_entry(doc, provider, d));
    let id = normalize_provider(provider, d.generation);
    let builtin = BUILTINS.iter().find(|(p, _, _)| *p == id);
    let pick = |key: &str, fallback: Option<&str>| -> Option<(String, &'static str)> {
        config
            .and_then(|e| text(e, key))
            .map(|v| (v, "openclaw.json"))
            .or_else(|| {
                models_json
                    .and_then(|e| text(e, key))
                    .map(|v| (v, "models.json"))
            })
            .or_else(|| fallback.map(|v| (v.to_string(), "built-in")))
    };
    let (base_url, origin) = pick("baseUrl", builtin.map(|b| b.1))?;
    let (api, _) = pick("api", builtin.map(|b| b.2)).unwrap_or(("openai-completions".into(), ""));
    let mut headers = headers_of(models_json);
    for (k, v) in headers_of(config) {
        headers.retain(|(old, _)| !old.eq_ignore_ascii_case(&k));
        headers.push((k, v));
    }
    Some(Endpoint {
        base_url: base_url.trim_end_matches('/').to_string(),
        api: ApiKind::parse(&api),
        origin,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rows_are_unique_and_https() {
        for (i, (id, base, _)) in BUILTINS.iter().enumerate() {
            assert!(base.starts_with("https://"), "{id}");
            assert!(BUILTINS[i + 1..].iter().all(|(o, _, _)| o != id), "{id}");
        }
    }
}
