//! Where secrets come from: stdin, an env var or a file — never argv — plus
//! references, OAuth JSON and logins imported from the Codex and Claude CLIs.

use crate::domain::ops::secret::{Secret, check_secret};
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::version::Generation;
use crate::domain::secret::SecretRef;
use crate::domain::write::utc;
use serde_json::{Map, Value};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest secret input accepted (a key, a token or an OAuth JSON document).
pub(crate) const MAX_SECRET_BYTES: u64 = 64 * 1024;

pub(crate) fn read_stdin() -> Result<String, String> {
    let mut buf = String::new();
    std::io::stdin()
        .take(MAX_SECRET_BYTES + 1)
        .read_to_string(&mut buf)
        .map_err(|e| format!("cannot read the secret from stdin: {e}"))?;
    if buf.len() as u64 > MAX_SECRET_BYTES {
        return Err(format!(
            "stdin holds more than {MAX_SECRET_BYTES} bytes; that is not a single secret"
        ));
    }
    Ok(buf)
}

/// Reads a secret file: a regular file, or a pipe such as `<(pass show key)`; never more
/// than [`MAX_SECRET_BYTES`] (`/dev/zero` is refused, not read forever).
pub(crate) fn read_secret_file(path: &Path) -> Result<String, String> {
    let cannot = |e: std::io::Error| format!("cannot read secret file {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let too_big = |len: u64| {
        format!(
            "{} is {len} bytes or more; a secret file holds one value (at most {MAX_SECRET_BYTES} bytes)",
            path.display()
        )
    };
    if meta.is_dir() {
        return Err(format!("secret file {} is a directory", path.display()));
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
    String::from_utf8(bytes)
        .map_err(|_| format!("secret file {} is not valid UTF-8 text", path.display()))
}

pub(crate) fn read_secret_env(name: &str, env: &EnvSnapshot) -> Result<String, String> {
    env.get(name)
        .map(str::to_string)
        .ok_or_else(|| format!("environment variable {name} is not set (or is empty)"))
}

/// `env:VAR`, `file:ALIAS:/json/pointer` or `exec:ALIAS:ID`.
pub(crate) fn parse_secret_ref(spec: &str) -> Result<SecretRef, String> {
    let bad = || {
        format!(
            "--secret-ref {spec:?}: use env:VAR, file:PROVIDER:/json/pointer or exec:PROVIDER:ID"
        )
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
pub(crate) fn parse_duration_ms(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit())
        .map_or((t, "d"), |i| (&t[..i], &t[i..]));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: use e.g. 30d, 12h, 90m"))?;
    let ms = match unit {
        "d" => 86_400_000,
        "h" => 3_600_000,
        "m" => 60_000,
        "s" => 1000,
        _ => {
            return Err(format!(
                "invalid duration unit in {text:?}: use d, h, m or s"
            ));
        }
    };
    (n > 0)
        .then_some(n * ms)
        .ok_or_else(|| format!("duration {text:?} must be positive"))
}

/// `2026-12-31`, `2026-12-31T08:00:00Z` or epoch milliseconds.
pub(crate) fn parse_time_ms(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(ms) = t.parse::<i64>() {
        return Ok(ms);
    }
    let full = if t.len() == 10 {
        format!("{t}T00:00:00Z")
    } else {
        t.to_string()
    };
    utc::parse_iso8601(&full).ok_or_else(|| {
        format!("invalid time {text:?}: use 2026-12-31, 2026-12-31T08:00:00Z or epoch milliseconds")
    })
}

pub(crate) fn secret_from(
    raw: String,
    what: &str,
    generation: Generation,
) -> Result<Secret, String> {
    let secret = check_secret(&raw, what, generation);
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
    pub(crate) fn parse(text: &str) -> Result<Option<Expiry>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        if let Ok(ms) = parse_duration_ms(text) {
            return Ok(Some(Expiry::In(ms)));
        }
        parse_time_ms(text)
            .map(|ms| Some(Expiry::At(ms)))
            .map_err(|_| format!("{text:?}: use 30d, 12h or a date like 2026-12-31"))
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

pub(crate) fn oauth_from_json(text: &str) -> Result<OAuthInput, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("the OAuth JSON is not valid JSON: {e}"))?;
    let field = |names: &[&str]| names.iter().find_map(|n| v.get(*n)).cloned();
    let text_field = |names: &[&str], what: &str| {
        field(names)
            .and_then(|x| x.as_str().map(str::to_string))
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("the OAuth JSON has no {what}"))
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
        .ok_or("the OAuth JSON has no numeric \"expires\" (epoch milliseconds)")?;
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
pub(crate) fn import_login(kind: &str, path: &Path) -> Result<OAuthInput, String> {
    let text = read_secret_file(path)?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))?;
    let inner = match kind {
        "codex" => v.get("tokens").cloned().ok_or_else(|| {
            format!(
                "{} has no `tokens` (sign in with `codex login` first)",
                path.display()
            )
        })?,
        "claude" => v.get("claudeAiOauth").cloned().ok_or_else(|| {
            format!(
                "{} has no `claudeAiOauth` login (sign in with `claude` first)",
                path.display()
            )
        })?,
        other => return Err(format!("--import {other:?}: use codex or claude")),
    };
    let mut doc = inner.as_object().cloned().unwrap_or_default();
    if kind == "codex" && !doc.contains_key("expires") {
        let exp = doc
            .get("access_token")
            .and_then(Value::as_str)
            .and_then(jwt_exp_ms)
            .ok_or("cannot read the expiry of the Codex access token")?;
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
        let e = read_secret_file(Path::new("/dev/zero")).unwrap_err();
        assert!(e.contains("at most 65536 bytes"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        assert!(
            read_secret_file(dir.path())
                .unwrap_err()
                .contains("directory")
        );
        let f = dir.path().join("s");
        std::fs::write(&f, b"\xff\xfe").unwrap();
        assert!(read_secret_file(&f).unwrap_err().contains("UTF-8"));
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
