//! Why a live check sends nothing for a cell, typed. The messages describe the
//! situation; where a front end has a way out (the CLI's `--completion`), it adds it.

/// Why no request is sent for a cell (a `skipped` result).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("no usable credential")]
    NoCredential,
    #[error("the AWS SDK credential chain is not checked")]
    AwsChain,
    #[error("the profile is not in the view")]
    NotInView,
    #[error("the profile holds no secret")]
    NoSecret,
    #[error("no secret value")]
    NoValue,
    #[error("environment variable {var} is not set")]
    EnvNotSet { var: String },
    /// A `file` or `exec` reference: resolved only by OpenClaw's secrets provider.
    #[error(
        "{kind} reference {id} is resolved by OpenClaw's secrets provider `{provider}`, which clawauth does not run"
    )]
    ExternalRef {
        kind: String,
        id: String,
        provider: String,
    },
    #[error("no apiKey in openclaw.json")]
    NoApiKey,
    #[error("apiKey is not a valid reference")]
    BadApiKeyRef,
    #[error("apiKey `{key}` is a marker, not a key")]
    Marker { key: String },
    #[error("no known endpoint for this provider (no baseUrl configured)")]
    NoEndpoint,
    /// The API kind has no free check; only a (billed) 1-token completion checks it.
    #[error("API kind {api} has no free check")]
    NoFreeCheck { api: String },
    #[error("no model is configured for a completion check")]
    NoModel,
    #[error("no agent to check the key for")]
    NoAgent,
    /// Nothing runs the check for a planned request (the executor returned early).
    #[error("the check did not run")]
    NotRun,
}

/// Why a check was not sent (decided before any byte leaves); the row says "not sent".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendRefusal {
    #[error("`{url}` is not an absolute http(s) URL")]
    NotAbsolute { url: String },
    /// Plain http to a host other than loopback would expose the key (a front end
    /// says how to allow it, if it can).
    #[error("not sent: plain http:// to {host} would expose the key")]
    InsecureHttp { host: String },
    #[error("not sent: unsupported scheme {scheme}://")]
    Scheme { scheme: String },
}

/// Why no HTTP client could be set up for a check (a `network` result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SetupError {
    #[error("bad URL")]
    BadUrl,
    #[error("the proxy URL from the environment is invalid")]
    BadProxy,
}
