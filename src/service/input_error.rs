//! Why a secret, reference, OAuth document, login or expiry given by the user cannot
//! be used, typed. The messages describe the input; the CLI names its flag where the
//! input came from one (`cli::wording::input_error`).

use crate::domain::ops::error::SecretError;
use std::path::PathBuf;

/// An input a write cannot use; nothing is written (the CLI exits 4).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum InputError {
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("cannot read the secret from stdin: {detail}")]
    StdinRead { detail: String },
    #[error("stdin holds more than {max} bytes; that is not a single secret")]
    StdinTooLarge { max: u64 },
    #[error("cannot read secret file {}: {detail}", file.display())]
    FileRead { file: PathBuf, detail: String },
    #[error("{} is {len} bytes or more; a secret file holds one value (at most {max} bytes)", file.display())]
    FileTooLarge { file: PathBuf, len: u64, max: u64 },
    #[error("secret file {} is a directory", file.display())]
    FileIsDirectory { file: PathBuf },
    #[error("secret file {} is not valid UTF-8 text", file.display())]
    FileNotUtf8 { file: PathBuf },
    #[error("environment variable {name} is not set (or is empty)")]
    EnvUnset { name: String },
    /// A secret reference that is not `env:VAR`, `file:PROVIDER:/pointer` or `exec:PROVIDER:ID`.
    #[error(
        "secret reference {spec:?}: use env:VAR, file:PROVIDER:/json/pointer or exec:PROVIDER:ID"
    )]
    SecretRef { spec: String },
    #[error("invalid duration {text:?}: use e.g. 30d, 12h, 90m")]
    Duration { text: String },
    #[error("invalid duration unit in {text:?}: use d, h, m or s")]
    DurationUnit { text: String },
    #[error("duration {text:?} must be positive")]
    DurationNotPositive { text: String },
    #[error("invalid time {text:?}: use 2026-12-31, 2026-12-31T08:00:00Z or epoch milliseconds")]
    Time { text: String },
    /// An expiry that is neither a duration nor a date.
    #[error("{text:?}: use 30d, 12h or a date like 2026-12-31")]
    Expiry { text: String },
    #[error("the OAuth JSON is not valid JSON: {detail}")]
    OAuthJson { detail: String },
    /// A field the OAuth JSON lacks ("access token (\"access\")").
    #[error("the OAuth JSON has no {what}")]
    OAuthField { what: &'static str },
    #[error("the OAuth JSON has no numeric \"expires\" (epoch milliseconds)")]
    OAuthExpiry,
    #[error("{} is not valid JSON: {detail}", file.display())]
    LoginJson { file: PathBuf, detail: String },
    #[error("{} has no `tokens` (sign in with `codex login` first)", file.display())]
    CodexNotSignedIn { file: PathBuf },
    #[error("{} has no `claudeAiOauth` login (sign in with `claude` first)", file.display())]
    ClaudeNotSignedIn { file: PathBuf },
    /// A login kind other than codex or claude.
    #[error("unknown login {kind:?}: use codex or claude")]
    LoginKind { kind: String },
    #[error("cannot read the expiry of the Codex access token")]
    CodexExpiry,
}
