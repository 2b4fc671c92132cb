//! A Claude CLI login (`~/.claude/.credentials.json`, `claudeAiOauth`), as OpenClaw
//! 2026.9's `provider-auth-claude-compat.ts` finds it: `$CLAUDE_SECURESTORAGE_CONFIG_DIR`,
//! else `$CLAUDE_CONFIG_DIR`, else `~/.claude` (the OS home, not `OPENCLAW_HOME`).
//!
//! Neither version's runtime key resolver reads it (checked by interop): 2026.4.5 never
//! opens the file; 2026.9.6 imports it only through `models auth login --provider
//! anthropic --method cli`, and its `claude-cli` backend runs the `claude` binary, which
//! signs in with this login itself when no OpenClaw profile is forwarded.

use crate::domain::read::envsnap::EnvSnapshot;
use serde_json::Value;
use std::path::PathBuf;

/// A readable Claude CLI login (never its tokens).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ClaudeLogin {
    pub(crate) path: PathBuf,
    /// `expiresAt` (epoch ms).
    pub(crate) expires_ms: f64,
    /// A refresh token is present (the CLI renews the access token itself).
    pub(crate) refreshable: bool,
}

/// Where the Claude CLI keeps its login for this environment.
pub(crate) fn credentials_path(env: &EnvSnapshot) -> Option<PathBuf> {
    let dir = |v: &str| env.get(v).map(PathBuf::from).filter(|p| p.is_absolute());
    let base = dir("CLAUDE_SECURESTORAGE_CONFIG_DIR")
        .or_else(|| dir("CLAUDE_CONFIG_DIR"))
        .or_else(|| dir("HOME").map(|h| h.join(".claude")))?;
    Some(base.join(".credentials.json"))
}

/// `parseClaudeCliOauthCredential`: an access token and a positive `expiresAt`.
pub(crate) fn parse(doc: &Value) -> Option<(f64, bool)> {
    let o = doc.get("claudeAiOauth")?;
    let access = o.get("accessToken")?.as_str()?;
    let expires = o.get("expiresAt")?.as_f64()?;
    if access.is_empty() || !expires.is_finite() || expires <= 0.0 {
        return None;
    }
    let refreshable = o
        .get("refreshToken")
        .and_then(Value::as_str)
        .is_some_and(|r| !r.is_empty());
    Some((expires, refreshable))
}

/// The login, when the file exists and holds one.
pub(crate) fn read(env: &EnvSnapshot) -> Option<ClaudeLogin> {
    let path = credentials_path(env)?;
    let bytes = crate::domain::read::fsread::read_limited(&path, 1 << 20, "Claude CLI login")
        .ok()
        .flatten()?;
    let doc: Value = serde_json::from_slice(&bytes).ok()?;
    let (expires_ms, refreshable) = parse(&doc)?;
    Some(ClaudeLogin {
        path,
        expires_ms,
        refreshable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_needs_an_access_token_and_an_expiry() {
        let ok = serde_json::json!({"claudeAiOauth": {"accessToken": "a", "refreshToken": "r", "expiresAt": 5}});
        assert_eq!(parse(&ok), Some((5.0, true)));
        let no_expiry = serde_json::json!({"claudeAiOauth": {"accessToken": "a"}});
        assert_eq!(parse(&no_expiry), None);
    }
}
