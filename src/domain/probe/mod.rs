//! Live check (`clawauth probe`), the pure part: which request proves each cell's
//! credential, which cells share a request, and what an HTTP outcome means in
//! OpenClaw's probe vocabulary. No I/O: the executor lives in `service::probe`.
//!
//! OpenClaw's own `models status --probe` runs a billed agent turn; this check
//! sends the cheapest request that proves the key (a model list or key-info
//! endpoint) to the same base URL with the same auth placement as OpenClaw's
//! runtime, and maps the answer to the same buckets
//! (`PROBE_STATUS_BY_FAILOVER_REASON`, `src/commands/models/list.probe.ts`,
//! dist/list.probe-gfu939fE.mjs in 2026.9.6).

pub(crate) mod endpoint;
pub mod error;
pub mod plan;
pub(crate) mod proxy;
pub mod request;
pub mod verdict;

use serde::Serialize;

/// A credential value. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for building the one request that carries it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", crate::domain::secret::Hidden(Some(&self.0)))
    }
}

/// The verdict buckets of OpenClaw's probe, plus `network` and `skipped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Auth,
    Billing,
    RateLimit,
    Format,
    Timeout,
    Network,
    Unknown,
    Skipped,
}

impl Status {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Auth => "auth",
            Status::Billing => "billing",
            Status::RateLimit => "rate_limit",
            Status::Format => "format",
            Status::Timeout => "timeout",
            Status::Network => "network",
            Status::Unknown => "unknown",
            Status::Skipped => "skipped",
        }
    }
}

/// The wire protocol OpenClaw speaks to a provider (`models.providers.<p>.api`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ApiKind {
    OpenAiCompletions,
    OpenAiResponses,
    AnthropicMessages,
    GoogleGenerativeAi,
    Mistral,
    Ollama,
    /// Any other kind (bedrock, codex, copilot…): no free check is known.
    Other(String),
}

impl ApiKind {
    pub(crate) fn parse(raw: &str) -> ApiKind {
        match raw.trim() {
            "openai-completions" => ApiKind::OpenAiCompletions,
            "openai-responses" => ApiKind::OpenAiResponses,
            "anthropic-messages" => ApiKind::AnthropicMessages,
            "google-generative-ai" => ApiKind::GoogleGenerativeAi,
            "mistral-conversations" => ApiKind::Mistral,
            "ollama" => ApiKind::Ollama,
            other => ApiKind::Other(other.to_string()),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            ApiKind::OpenAiCompletions => "openai-completions",
            ApiKind::OpenAiResponses => "openai-responses",
            ApiKind::AnthropicMessages => "anthropic-messages",
            ApiKind::GoogleGenerativeAi => "google-generative-ai",
            ApiKind::Mistral => "mistral-conversations",
            ApiKind::Ollama => "ollama",
            ApiKind::Other(s) => s,
        }
    }
}

/// Where the secret goes in the request, as OpenClaw's runtime places it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Placement {
    /// `Authorization: Bearer <key>` (OpenAI SDK, Mistral, Ollama, OpenRouter).
    Bearer,
    /// `x-api-key` + `anthropic-version` (Anthropic SDK with `apiKey`).
    AnthropicKey,
    /// `Authorization: Bearer` + `anthropic-beta: claude-code-20250219,oauth-2025-04-20`
    /// (Anthropic SDK with `authToken`, for keys containing `sk-ant-oat`).
    AnthropicOauth,
    /// `x-goog-api-key` (`@google/genai`).
    GoogleKey,
}

/// What kind of request proves the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// A free model list (`GET …/models`).
    ModelList,
    /// OpenRouter's `GET /key` (its model list needs no key, so it proves nothing).
    KeyInfo,
    /// A 1-token completion (only with `--completion`).
    Completion,
}
