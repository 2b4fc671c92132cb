//! Where secrets come from: stdin, an env var or a file — never argv — plus
//! references, OAuth JSON and logins imported from the Codex and Claude CLIs.

use crate::domain::ops::secret::{Secret, check_secret};
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::version::Generation;
use crate::domain::secret::SecretRef;
use crate::domain::write::utc;
use crate::service::input_error::InputError;
use serde_json::{Map, Value};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest secret input accepted (a key, a token or an OAuth JSON document).
pub(crate) const MAX_SECRET_BYTES: u64 = 64 * 1024;

pub(crate) fn read_stdin() -> Result<String, InputError> {
    let mut buf = String::new();
    std::io::stdin()
        .take(MAX_SECRET_BYTES + 1)
        .read_to_string(&mut buf)
        .map_err(|e| InputError::StdinRead {
            detail: e.to_string(),
        })?;
    if buf.len() as u64 > MAX_SECRET_BYTES {
        return Err(InputError::StdinTooLarge {
            max: MAX_SECRET_BYTES,
        });
    }
    Ok(buf)
}

/// Reads a secret file: a regular file, or a pipe such as `<(pass show key)`; never more
/// than [`MAX_SECRET_BYTES`] (`/dev/zero` is refused, not read forever).
pub(crate) fn read_secret_file(path: &Path) -> Result<String, InputError> {
    let file_of = || path.to_path_buf();
    let cannot = |e: std::io::Error| InputError::FileRead {
        file: file_of(),
        detail: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let too_big = |len: u64| InputError::FileTooLarge {
        file: file_of(),
        len,
        max: MAX_SECRET_BYTES,
    };
    if meta.is_dir() {
        return Err(InputError::FileIsDirectory { file: file_of() });
    }
    if meta.len() > MAX_SECRET_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SECRET_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SECRET_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|_| InputError::FileNotUtf8 { file: file_of() })
}

pub(crate) fn read_secret_env(name: &str, env: &EnvSnapshot) -> Result<String, InputError> {
    env.get(name)
        .map(str::to_string)
        .ok_or_else(|| InputError::EnvUnset {
            name: name.to_string(),
        })
}

/// `env:VAR`, `file:ALIAS:/json/pointer` or `exec:ALIAS:ID`.
pub(crate) fn parse_secret_ref(spec: &str) -> Result<SecretRef, InputError> {
    let bad = || InputError::SecretRef {
        spec: spec.to_string(),
    };
    let (source, rest) = spec.split_once(':').ok_or_else(bad)?;
    let (provider, id) = match source {
        "env" => ("default".to_string(), rest.to_string()),
        "file" | "exec" => rest
            .split_once(':')
            .map(|(p, i)| (p.to_string(), i.to_string()))
            .ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    let env_ok = source != "env"
        || (id.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
    if id.is_empty() || provider.is_empty() || !env_ok {
        return Err(bad());
    }
    Ok(SecretRef {
        source: source.into(),
        provider,
        id,
    })
}

/// `30d`, `12h`, `90m`, `45s`, or a bare number of days (like `openclaw --expires-in`).
pub(crate) fn parse_duration_ms(text: &str) -> Result<i64, InputError> {
    let text_of = || text.to_string();
    let t = text.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map_or((t, "d"), |i| (&t[..i], &t[i..]));
    let n: i64 = num
        .parse()
        .map_err(|_| InputError::Duration { text: text_of() })?;
    let ms = match unit {
        "d" => 86_400_000,
        "h" => 3_600_000,
        "m" => 60_000,
        "s" => 1000,
        _ => {
            return Err(InputError::DurationUnit { text: text_of() });
        }
    };
    (n > 0)
        .then_some(n * ms)
        .ok_or_else(|| InputError::DurationNotPositive { text: text_of() })
}

/// `2026-12-31`, `2026-12-31T08:00:00Z` or epoch milliseconds.
pub(crate) fn parse_time_ms(text: &str) -> Result<i64, InputError> {
    let t = text.trim();
    if let Ok(ms) = t.parse::<i64>() {
        return Ok(ms);
    }
    let full = if t.len() == 10 {
        format!("{t}T00:00:00Z")
    } else {
        t.to_string()
    };
    utc::parse_iso8601(&full).ok_or_else(|| InputError::Time {
        text: text.to_string(),
    })
}

pub(crate) fn secret_from(
    raw: String,
    what: &str,
    generation: Generation,
) -> Result<Secret, InputError> {
    let secret = check_secret(&raw, what, generation).map_err(InputError::from);
    drop(Secret::new(raw));
    secret
}

/// OAuth material from a JSON document (`access`, `refresh`, `expires` plus extras).
pub(crate) struct OAuthInput {
    pub(crate) access: Secret,
    pub(crate) refresh: Secret,
    pub(crate) expires_ms: i64,
    pub(crate) extra: Map<String, Value>,
}

impl OAuthInput {
    /// The material `set` writes for this login: one mapping for every front end.
    pub(crate) fn into_material(self) -> crate::domain::ops::set::Material {
        crate::domain::ops::set::Material::OAuth {
            access: self.access,
            refresh: self.refresh,
            expires_ms: self.expires_ms,
            extra: self.extra,
        }
    }
}

/// When a credential expires: after a lifetime, or at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Milliseconds from now.
    In(i64),
    /// Epoch milliseconds.
    At(i64),
}

impl Expiry {
    /// Epoch milliseconds, counted from `now_ms`: the one expiry arithmetic.
    pub(crate) fn at_ms(self, now_ms: f64) -> i64 {
        match self {
            Expiry::In(ms) => now_ms as i64 + ms,
            Expiry::At(ms) => ms,
        }
    }

    /// `30d`, `12h`, or a date; empty means no expiry.
    pub(crate) fn parse(text: &str) -> Result<Option<Expiry>, InputError> {
        if text.is_empty() {
            return Ok(None);
        }
        if let Ok(ms) = parse_duration_ms(text) {
            return Ok(Some(Expiry::In(ms)));
        }
        parse_time_ms(text)
            .map(|ms| Some(Expiry::At(ms)))
            .map_err(|_| InputError::Expiry {
                text: text.to_string(),
            })
    }
}

const OAUTH_EXTRAS: &[&str] = &[
    "accountId",
    "email",
    "projectId",
    "enterpriseUrl",
    "clientId",
    "idToken",
];

pub(crate) fn oauth_from_json(text: &str) -> Result<OAuthInput, InputError> {
    let v: Value = serde_json::from_str(text).map_err(|e| InputError::OAuthJson {
        detail: e.to_string(),
    })?;
    let field = |names: &[&str]| names.iter().find_map(|n| v.get(*n)).cloned();
    let text_field = |names: &[&str], what: &'static str| {
        field(names)
            .and_then(|x| x.as_str().map(str::to_string))
            .filter(|s| !s.trim().is_empty())
            .ok_or(InputError::OAuthField { what })
    };
    let access = Secret::new(text_field(
        &["access", "access_token", "accessToken"],
        "access token (\"access\")",
    )?);
    let refresh = Secret::new(text_field(
        &["refresh", "refresh_token", "refreshToken"],
        "refresh token (\"refresh\")",
    )?);
    let expires = field(&["expires", "expires_at", "expiresAt"])
        .and_then(|e| e.as_f64())
        .ok_or(InputError::OAuthExpiry)?;
    let expires_ms = if expires < 1.0e11 {
        (expires * 1000.0) as i64
    } else {
        expires as i64
    };
    let mut extra = Map::new();
    for name in OAUTH_EXTRAS {
        if let Some(x) = v.get(*name).filter(|x| x.is_string()) {
            extra.insert(name.to_string(), x.clone());
        }
    }
    if let Some(acct) = v.get("account_id").filter(|x| x.is_string()) {
        extra.insert("accountId".into(), acct.clone());
    }
    Ok(OAuthInput {
        access,
        refresh,
        expires_ms,
        extra,
    })
}

/// The Codex CLI login (`$CODEX_HOME/auth.json`, default `~/.codex/auth.json`).
pub(crate) fn codex_login_path(env: &EnvSnapshot) -> PathBuf {
    let home = PathBuf::from(env.get("HOME").unwrap_or("/"));
    env.get("CODEX_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".codex"))
        .join("auth.json")
}

/// The Claude CLI login (`$CLAUDE_CONFIG_DIR/.credentials.json`, default `~/.claude/.credentials.json`).
pub(crate) fn claude_login_path(env: &EnvSnapshot) -> PathBuf {
    let home = PathBuf::from(env.get("HOME").unwrap_or("/"));
    env.get("CLAUDE_CONFIG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".claude"))
        .join(".credentials.json")
}

/// Reads an external CLI's login as OAuth material.
pub(crate) fn import_login(kind: &str, path: &Path) -> Result<OAuthInput, InputError> {
    let text = read_secret_file(path)?;
    let file = || path.to_path_buf();
    let v: Value = serde_json::from_str(&text).map_err(|e| InputError::LoginJson {
        file: file(),
        detail: e.to_string(),
    })?;
    let inner = match kind {
        "codex" => v
            .get("tokens")
            .cloned()
            .ok_or_else(|| InputError::CodexNotSignedIn { file: file() })?,
        "claude" => v
            .get("claudeAiOauth")
            .cloned()
            .ok_or_else(|| InputError::ClaudeNotSignedIn { file: file() })?,
        other => {
            return Err(InputError::LoginKind {
                kind: other.to_string(),
            });
        }
    };
    let mut doc = inner.as_object().cloned().unwrap_or_default();
    if kind == "codex" && !doc.contains_key("expires") {
        let exp = doc
            .get("access_token")
            .and_then(Value::as_str)
            .and_then(jwt_exp_ms)
            .ok_or(InputError::CodexExpiry)?;
        doc.insert("expires".into(), Value::from(exp));
    }
    oauth_from_json(&Value::Object(doc).to_string())
}

/// The `exp` claim (seconds) of a JWT, in milliseconds.
fn jwt_exp_ms(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64url_decode(payload)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    Some(v.get("exp")?.as_i64()? * 1000)
}

fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_files_are_bounded_even_when_endless() {
        let e = read_secret_file(Path::new("/dev/zero"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 65536 bytes"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        assert!(
            read_secret_file(dir.path())
                .unwrap_err()
                .to_string()
                .contains("directory")
        );
        let f = dir.path().join("s");
        std::fs::write(&f, b"\xff\xfe").unwrap();
        assert!(
            read_secret_file(&f)
                .unwrap_err()
                .to_string()
                .contains("UTF-8")
        );
        std::fs::write(&f, "sk-1\n").unwrap();
        assert_eq!(read_secret_file(&f).unwrap(), "sk-1\n");
    }

    #[test]
    fn durations_and_times() {
        assert_eq!(parse_duration_ms("30d").unwrap(), 30 * 86_400_000);
        assert_eq!(parse_duration_ms("12h").unwrap(), 12 * 3_600_000);
        assert_eq!(parse_duration_ms("7").unwrap(), 7 * 86_400_000);
        assert!(parse_duration_ms("0d").is_err() && parse_duration_ms("3w").is_err());
        assert_eq!(parse_time_ms("1970-01-02").unwrap(), 86_400_000);
        assert!(parse_time_ms("2026-13-01").is_err());
    }

    #[test]
    fn refs() {
        assert_eq!(parse_secret_ref("env:MY_KEY").unwrap().provider, "default");
        assert_eq!(
            parse_secret_ref("file:vault:/proxy/key").unwrap().id,
            "/proxy/key"
        );
        assert!(parse_secret_ref("env:lower").is_err() && parse_secret_ref("nope:x").is_err());
    }

    #[test]
    fn oauth_json_aliases_and_seconds() {
        let o = oauth_from_json(r#"{"access_token":"a","refresh_token":"r","expires_at":1767225600,"account_id":"acct"}"#).unwrap();
        assert_eq!(o.expires_ms, 1_767_225_600_000);
        assert_eq!(o.extra["accountId"], "acct");
        assert!(oauth_from_json(r#"{"access":"a"}"#).is_err());
    }

    #[test]
    fn jwt_expiry() {
        // header {"alg":"none"} . payload {"exp":2000000000}
        assert_eq!(
            jwt_exp_ms("eyJhbGciOiJub25lIn0.eyJleHAiOjIwMDAwMDAwMDB9.x"),
            Some(2_000_000_000_000)
        );
    }
}
