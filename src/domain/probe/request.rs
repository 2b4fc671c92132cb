//! The one request that proves a key, per API kind, with the auth placement of
//! OpenClaw's runtime:
//! - openai-completions / openai-responses: the OpenAI SDK's `apiKey` →
//!   `Authorization: Bearer` (`@mariozechner/pi-ai/dist/providers/openai-completions.js`
//!   `new OpenAI({apiKey, baseURL: model.baseUrl})` in 2026.4.5;
//!   `@openclaw/ai/dist/openai-provider-client-*.mjs` in 2026.9.6).
//! - anthropic-messages: `x-api-key` + `anthropic-version: 2023-06-01`; a key containing
//!   `sk-ant-oat` (OAuth / setup token) goes as `authToken` → `Authorization: Bearer` with
//!   `anthropic-beta: claude-code-20250219,oauth-2025-04-20,…` (`createClient` in
//!   `pi-ai/dist/providers/anthropic.js` 2026.4.5, `@openclaw/ai/dist/anthropic-DZQ_7gD1.mjs`
//!   and `isAnthropicOAuthApiKey` in `anthropic-stream-reducer-D6ZI1wwj.mjs` 2026.9.6; the
//!   version header comes from `@anthropic-ai/sdk/client.js`).
//! - google-generative-ai: `x-goog-api-key` (`@google/genai` `authHeaders`), base URL
//!   already carrying the version (`pi-ai/dist/providers/google.js` sets `apiVersion: ""`).
//! - OpenRouter: its model list needs no key, so `GET {baseUrl}/key` (OpenRouter's
//!   "get current API key" endpoint) with a bearer.
//! - ollama: `GET {apiBase}/api/tags` (the base URL without a trailing `/v1`, as
//!   `resolveOllamaApiBase`), with `Authorization: Bearer <apiKey>` whenever there is a
//!   key, as the runtime's chat request does (it sends a marker such as `ollama-local`
//!   too; `plan` skips a marker-only cell before this, a marker proves nothing) (`createOllamaStreamFn`, dist/stream-DaZ9JB7F.js in 2026.4.5,
//!   dist/stream.runtime-ryZG3Xac.mjs in 2026.9.6:
//!   `if (apiKey && (!headers.Authorization || !isNonSecretApiKeyMarker(apiKey)))`):
//!   a configured `Authorization` header is kept only when the key is a marker.

use super::endpoint::Endpoint;
use super::{ApiKind, CheckKind, Placement, Secret};

/// Anthropic SDK default `anthropic-version` (both releases bundle the same SDK line).
pub(crate) const ANTHROPIC_VERSION: &str = "2023-06-01";
/// The identity betas OpenClaw sends with an Anthropic OAuth token.
pub(crate) const ANTHROPIC_OAUTH_BETA: &str = "claude-code-20250219,oauth-2025-04-20";
/// The prompt of the optional completion check (OpenClaw's probe prompt, shortened).
pub(crate) const COMPLETION_PROMPT: &str = "Reply with OK.";

/// One HTTP request. Header values may carry the secret: `Debug` hides them.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProbeRequest {
    pub(crate) method: &'static str,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, Secret)>,
    pub(crate) body: Option<String>,
    pub(crate) kind: CheckKind,
    pub(crate) placement: Placement,
    pub(crate) api: ApiKind,
    /// The secret carried, so the executor can scrub it from provider messages.
    pub(crate) secret: Secret,
}

impl std::fmt::Debug for ProbeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("ProbeRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("kind", &self.kind)
            .field("placement", &self.placement)
            .finish()
    }
}

/// Why no request can be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoCheck {
    /// The API kind has no free check and `--completion` was not given.
    NoFreeCheck(String),
    /// `--completion` was given but no model is configured for the provider.
    NoModel,
}

fn is_openrouter(provider: &str, base: &str) -> bool {
    provider == "openrouter" || host_of(base).is_some_and(|h| h == "openrouter.ai")
}

/// The host of an absolute URL (lower-cased, without port or brackets).
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn auth_headers(placement: Placement, secret: &Secret) -> Vec<(String, Secret)> {
    let s = secret.expose();
    let plain = |k: &str, v: &str| (k.to_string(), Secret::new(v));
    match placement {
        Placement::Bearer => vec![plain("authorization", &format!("Bearer {s}"))],
        Placement::AnthropicKey => vec![
            plain("x-api-key", s),
            plain("anthropic-version", ANTHROPIC_VERSION),
        ],
        Placement::AnthropicOauth => vec![
            plain("authorization", &format!("Bearer {s}")),
            plain("anthropic-version", ANTHROPIC_VERSION),
            plain("anthropic-beta", ANTHROPIC_OAUTH_BETA),
        ],
        Placement::GoogleKey => vec![plain("x-goog-api-key", s)],
    }
}

fn placement_for(api: &ApiKind, secret: &Secret) -> Option<Placement> {
    match api {
        ApiKind::OpenAiCompletions | ApiKind::OpenAiResponses | ApiKind::Mistral => {
            Some(Placement::Bearer)
        }
        ApiKind::Ollama => Some(Placement::Bearer),
        ApiKind::AnthropicMessages if secret.expose().contains("sk-ant-oat") => {
            Some(Placement::AnthropicOauth)
        }
        ApiKind::AnthropicMessages => Some(Placement::AnthropicKey),
        ApiKind::GoogleGenerativeAi => Some(Placement::GoogleKey),
        ApiKind::Other(_) => None,
    }
}

/// `{base}/v1/…` for the SDKs that append the version themselves (Anthropic, Mistral).
fn versioned(base: &str, path: &str) -> String {
    if base.ends_with("/v1") {
        format!("{base}{path}")
    } else {
        format!("{base}/v1{path}")
    }
}

/// The free check: method + URL + kind, or `None` when the API kind has none.
fn free_check(provider: &str, e: &Endpoint) -> Option<(String, CheckKind)> {
    let base = &e.base_url;
    if is_openrouter(provider, base) {
        return Some((format!("{base}/key"), CheckKind::KeyInfo));
    }
    let url = match &e.api {
        ApiKind::OpenAiCompletions | ApiKind::OpenAiResponses => format!("{base}/models"),
        ApiKind::GoogleGenerativeAi => format!("{base}/models"),
        ApiKind::AnthropicMessages | ApiKind::Mistral => versioned(base, "/models"),
        ApiKind::Ollama => format!("{}/api/tags", ollama_api_base(base)),
        ApiKind::Other(_) => return None,
    };
    Some((url, CheckKind::ModelList))
}

/// `resolveOllamaApiBase`: trailing slashes and a trailing `/v1` removed.
fn ollama_api_base(base: &str) -> &str {
    let trimmed = base.trim_end_matches('/');
    match trimmed.len().checked_sub(3) {
        Some(i) if trimmed.is_char_boundary(i) && trimmed[i..].eq_ignore_ascii_case("/v1") => {
            &trimmed[..i]
        }
        _ => trimmed,
    }
}

/// Ollama's runtime puts its bearer over a configured `Authorization` header unless
/// the key is a non-secret marker (`isNonSecretApiKeyMarker`, the fixed markers).
fn overrides_configured(api: &ApiKind, secret: &Secret) -> bool {
    const MARKERS: &[&str] = &[
        "minimax-oauth",
        "ollama-local",
        "custom-local",
        "gcp-vertex-credentials",
        "secretref-managed",
    ];
    let v = secret.expose().trim();
    *api == ApiKind::Ollama && !(MARKERS.contains(&v) || v.starts_with("oauth:"))
}

/// A 1-token completion for `model` (`--completion`).
fn completion(e: &Endpoint, model: &str) -> Option<(String, String)> {
    let base = &e.base_url;
    let prompt = COMPLETION_PROMPT;
    let user = serde_json::json!([{"role": "user", "content": prompt}]);
    let (url, body) = match &e.api {
        ApiKind::OpenAiCompletions | ApiKind::Mistral | ApiKind::Ollama => (
            format!("{base}/chat/completions"),
            serde_json::json!({"model": model, "max_tokens": 1, "messages": user}),
        ),
        ApiKind::OpenAiResponses => (
            format!("{base}/responses"),
            serde_json::json!({"model": model, "max_output_tokens": 16, "input": prompt}),
        ),
        ApiKind::AnthropicMessages => (
            versioned(base, "/messages"),
            serde_json::json!({"model": model, "max_tokens": 1, "messages": user}),
        ),
        ApiKind::GoogleGenerativeAi => (
            format!("{base}/models/{model}:generateContent"),
            serde_json::json!({"contents": [{"parts": [{"text": prompt}]}],
                "generationConfig": {"maxOutputTokens": 1}}),
        ),
        ApiKind::Other(_) => return None,
    };
    Some((url, body.to_string()))
}

/// What to send for `provider` at `endpoint` with `secret`. `model` is needed only
/// for a completion.
pub(crate) fn build(
    provider: &str,
    e: &Endpoint,
    secret: &Secret,
    want_completion: bool,
    model: Option<&str>,
) -> Result<ProbeRequest, NoCheck> {
    let no_free = || NoCheck::NoFreeCheck(e.api.as_str().to_string());
    let placement = placement_for(&e.api, secret).ok_or_else(no_free)?;
    let (method, url, body, kind) = if want_completion {
        let model = model.ok_or(NoCheck::NoModel)?;
        let (url, body) = completion(e, model).ok_or_else(no_free)?;
        ("POST", url, Some(body), CheckKind::Completion)
    } else {
        let (url, kind) = free_check(provider, e).ok_or_else(no_free)?;
        ("GET", url, None, kind)
    };
    let mut headers: Vec<(String, Secret)> = e
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), Secret::new(v.clone())))
        .collect();
    let override_configured = overrides_configured(&e.api, secret);
    for (k, v) in auth_headers(placement, secret) {
        if override_configured {
            headers.retain(|(old, _)| *old != k);
        }
        if !headers.iter().any(|(old, _)| *old == k) {
            headers.push((k, v));
        }
    }
    if body.is_some() {
        headers.push(("content-type".into(), Secret::new("application/json")));
    }
    headers.sort();
    Ok(ProbeRequest {
        method,
        url,
        headers,
        body,
        kind,
        placement,
        api: e.api.clone(),
        secret: secret.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(base: &str, api: &str) -> Endpoint {
        Endpoint {
            base_url: base.into(),
            api: ApiKind::parse(api),
            origin: "built-in",
            headers: vec![],
        }
    }

    fn header<'a>(r: &'a ProbeRequest, name: &str) -> Option<&'a str> {
        r.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.expose())
    }

    #[test]
    fn placements_follow_the_runtime() {
        let key = Secret::new("sk-ant-api03-x");
        let r = build(
            "anthropic",
            &ep("https://api.anthropic.com", "anthropic-messages"),
            &key,
            false,
            None,
        )
        .unwrap();
        assert_eq!(r.url, "https://api.anthropic.com/v1/models");
        assert_eq!(header(&r, "x-api-key"), Some("sk-ant-api03-x"));
        assert_eq!(header(&r, "anthropic-version"), Some("2023-06-01"));
        assert_eq!(header(&r, "authorization"), None);
        let oat = Secret::new("sk-ant-oat01-y");
        let r = build(
            "anthropic",
            &ep("https://api.anthropic.com", "anthropic-messages"),
            &oat,
            false,
            None,
        )
        .unwrap();
        assert_eq!(header(&r, "authorization"), Some("Bearer sk-ant-oat01-y"));
        assert_eq!(header(&r, "anthropic-beta"), Some(ANTHROPIC_OAUTH_BETA));
        assert_eq!(header(&r, "x-api-key"), None);
        let g = build(
            "google",
            &ep(
                "https://generativelanguage.googleapis.com/v1beta",
                "google-generative-ai",
            ),
            &key,
            false,
            None,
        )
        .unwrap();
        assert_eq!(
            g.url,
            "https://generativelanguage.googleapis.com/v1beta/models"
        );
        assert_eq!(header(&g, "x-goog-api-key"), Some("sk-ant-api03-x"));
        let or = build(
            "openrouter",
            &ep("https://openrouter.ai/api/v1", "openai-completions"),
            &key,
            false,
            None,
        )
        .unwrap();
        assert_eq!(
            (or.url.as_str(), or.kind),
            ("https://openrouter.ai/api/v1/key", CheckKind::KeyInfo)
        );
        let dbg = format!("{or:?} {:?}", or.secret);
        assert!(!dbg.contains("sk-ant-api03-x"), "{dbg}");
    }

    #[test]
    fn completion_needs_a_model_and_other_kinds_have_no_free_check() {
        let key = Secret::new("k");
        let e = ep("http://127.0.0.1:9/v1", "openai-completions");
        assert_eq!(build("p", &e, &key, true, None), Err(NoCheck::NoModel));
        let r = build("p", &e, &key, true, Some("m")).unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            ("POST", "http://127.0.0.1:9/v1/chat/completions")
        );
        let codex = ep("https://chatgpt.com/backend-api", "openai-codex-responses");
        assert!(matches!(
            build("openai-codex", &codex, &key, false, None),
            Err(NoCheck::NoFreeCheck(_))
        ));
        assert_eq!(host_of("http://[::1]:8080/v1").as_deref(), Some("::1"));
        let mut ollama = ep("http://127.0.0.1:11434/v1/", "ollama");
        ollama.headers = vec![("Authorization".into(), "Bearer configured".into())];
        let real = build("ollama", &ollama, &Secret::new("real-key"), false, None).unwrap();
        assert_eq!(real.url, "http://127.0.0.1:11434/api/tags");
        assert_eq!(header(&real, "authorization"), Some("Bearer real-key"));
        let marker = build("ollama", &ollama, &Secret::new("ollama-local"), false, None).unwrap();
        assert_eq!(header(&marker, "authorization"), Some("Bearer configured"));
        ollama.headers.clear();
        let bare = build("ollama", &ollama, &Secret::new("ollama-local"), false, None).unwrap();
        assert_eq!(header(&bare, "authorization"), Some("Bearer ollama-local"));
        assert_eq!(
            host_of("https://u:p@Api.X.ai/v1").as_deref(),
            Some("api.x.ai")
        );
    }
}
