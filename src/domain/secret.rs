//! Secret inputs and references, as OpenClaw reads them
//! (auth-store.md §4, §6; `normalize-secret-input.ts`, `types.secrets.ts`).

use crate::domain::read::version::Generation;
use serde_json::Value;

/// `normalizeSecretInput`: strips line breaks anywhere, characters above
/// U+00FF (and, in 2026.9, control characters), then trims.
pub(crate) fn normalize_secret_input(raw: &str, generation: Generation) -> String {
    let kept: String = raw
        .chars()
        .filter(|&c| !matches!(c, '\r' | '\n' | '\u{2028}' | '\u{2029}'))
        .filter(|&c| (c as u32) <= 0xFF)
        .filter(|&c| generation == Generation::Json || !is_control(c))
        .collect();
    kept.trim().to_string()
}

fn is_control(c: char) -> bool {
    let code = c as u32;
    code <= 0x1F || (0x7F..=0x9F).contains(&code)
}

/// `normalizeSecretInputString`: a string that is not blank after trimming.
pub(crate) fn configured_string(value: Option<&Value>) -> Option<&str> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Where a SecretRef points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub(crate) source: String,
    pub(crate) provider: String,
    pub(crate) id: String,
}

impl SecretRef {
    pub(crate) fn describe(&self) -> String {
        format!("{}:{}:{}", self.source, self.provider, self.id)
    }
}

fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('A'..='Z'))
        && s.len() <= 128
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `${NAME}` (both generations) or `$NAME` (2026.9 only) shorthand for an env ref.
pub(crate) fn env_shorthand(value: &str, generation: Generation) -> Option<String> {
    let t = value.trim();
    if let Some(inner) = t.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        let inner = inner.trim();
        return is_env_name(inner).then(|| inner.to_string());
    }
    if generation == Generation::Sqlite
        && let Some(name) = t.strip_prefix('$')
    {
        return is_env_name(name).then(|| name.to_string());
    }
    None
}

/// `coerceSecretRef`: an object `{source, provider?, id}` or a string shorthand.
pub(crate) fn coerce_ref(value: Option<&Value>, generation: Generation) -> Option<SecretRef> {
    match value? {
        Value::String(s) => env_shorthand(s, generation).map(|id| SecretRef {
            source: "env".into(),
            provider: "default".into(),
            id,
        }),
        Value::Object(map) => {
            let source = map.get("source")?.as_str()?.trim();
            let id = map.get("id")?.as_str()?.trim();
            let sources: &[&str] = match generation {
                Generation::Json => &["env", "file", "exec"],
                Generation::Sqlite => &["env", "file", "exec", "store"],
            };
            if !sources.contains(&source) || id.is_empty() {
                return None;
            }
            let provider = match map.get("provider") {
                None => "default",
                Some(p) => p.as_str().map(str::trim).filter(|p| !p.is_empty())?,
            };
            Some(SecretRef {
                source: source.into(),
                provider: provider.into(),
                id: id.into(),
            })
        }
        _ => None,
    }
}

/// Outcome of resolving a reference offline, without running exec providers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefResolution {
    Resolved,
    Unresolved(String),
    /// file/exec refs are resolved by OpenClaw's secrets providers; clawauth
    /// does not execute them, so it reports them as "assumed".
    NotChecked(String),
}

/// 2026.9 rejects a pasted onboarding command stored as an API key.
pub(crate) fn looks_like_pasted_command(value: &str) -> bool {
    let t = value.trim().to_lowercase();
    let words: Vec<&str> = t.split_whitespace().collect();
    words.len() >= 2
        && words[0] == "openclaw"
        && words[1] == "onboard"
        && words
            .iter()
            .any(|w| *w == "--auth-choice" || w.starts_with("--auth-choice="))
}

/// A broader check used by validation: shell commands pasted into a secret field.
pub(crate) fn looks_like_shell_command(value: &str) -> bool {
    let t = value.trim();
    let first = t.split_whitespace().next().unwrap_or("");
    t.contains(char::is_whitespace)
        && matches!(
            first,
            "openclaw" | "export" | "echo" | "printf" | "curl" | "npx" | "npm" | "sudo" | "cat"
        )
}

/// `Debug` of a JSON document that may hold secrets: keys, types and numbers as they
/// are, every string replaced by its length. For the `Debug` of domain types.
pub(crate) struct Shape<'a>(pub(crate) &'a Value);

impl std::fmt::Debug for Shape<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Value::String(s) => write!(f, "«{} chars»", s.chars().count()),
            Value::Array(items) => f.debug_list().entries(items.iter().map(Shape)).finish(),
            Value::Object(map) => f
                .debug_map()
                .entries(map.iter().map(|(k, v)| (k, Shape(v))))
                .finish(),
            other => write!(f, "{other}"),
        }
    }
}

/// `Debug` of an optional secret: `secret, 40 chars, sha256 3f0303`, never the value.
pub(crate) struct Hidden<'a>(pub(crate) Option<&'a str>);

impl std::fmt::Debug for Hidden<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(v) => write!(f, "Some({})", describe_secret(v)),
            None => f.write_str("None"),
        }
    }
}

/// `text` with every word that could be a secret replaced by `«redacted»`, for text
/// whose origin is unknown (a crash message). A word is a run between whitespace,
/// quotes, brackets and `,;:=\|<>`. It is redacted when it has 32 or more characters,
/// or 12 or more mixing letters and digits, or 16 or more digits; a word that starts
/// like a path (`/`, `.`, `~`) is judged per `/`-separated segment, so paths stay
/// readable while base64 secrets with `/` in them do not. Every word of the value of a
/// secret-named field (`"key": "…"`, `MY_TOKEN=…`, `password: a b c`) is redacted, up
/// to the next `,;)]}` or line end.
pub fn redact_secret_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut last_word = String::new();
    // After `secret-field:` or `=`: inside that field's value.
    let mut in_value = false;
    for c in text.chars() {
        if !is_word_break(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            push_word(&mut out, &word, in_value);
            last_word = std::mem::take(&mut word);
        }
        if (c == ':' || c == '=') && is_secret_field(&last_word) {
            in_value = true;
        } else if ",;)]}\n".contains(c) {
            in_value = false;
        }
        out.push(c);
    }
    push_word(&mut out, &word, in_value);
    out
}

fn is_word_break(c: char) -> bool {
    c.is_whitespace() || "\"'`()[]{}<>,;:=\\|".contains(c)
}

fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["key", "token", "access", "refresh", "secret", "password"]
        .iter()
        .any(|s| name.ends_with(s))
}

fn push_word(out: &mut String, word: &str, value_of_secret: bool) {
    if word.is_empty() {
        return;
    }
    if value_of_secret {
        out.push_str("«redacted»");
    } else if word.starts_with(['/', '.', '~', '«']) {
        // (`«`: a path whose first segment was redacted stays one, so redacting twice
        // changes nothing more.)
        let segments: Vec<&str> = word
            .split('/')
            .map(|s| if secret_shaped(s) { "«redacted»" } else { s })
            .collect();
        out.push_str(&segments.join("/"));
    } else if secret_shaped(word) {
        out.push_str("«redacted»");
    } else {
        out.push_str(word);
    }
}

fn secret_shaped(word: &str) -> bool {
    let len = word.chars().count();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let letters = word.chars().any(char::is_alphabetic);
    len >= 32 || (len >= 12 && digits > 0 && letters) || (len >= 16 && digits == len)
}

/// The first 3 bytes of a secret's SHA-256, in hex: enough to tell two secrets
/// apart in a plan, never enough to recover one.
pub fn fingerprint(value: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(value.as_bytes());
    digest.iter().take(3).map(|b| format!("{b:02x}")).collect()
}

/// How a secret is shown anywhere: its length and fingerprint.
pub(crate) fn describe_secret(value: &str) -> String {
    format!(
        "secret, {} chars, sha256 {}",
        value.chars().count(),
        fingerprint(value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalizes_like_openclaw() {
        assert_eq!(
            normalize_secret_input("  sk-a\nb\r\n ", Generation::Json),
            "sk-ab"
        );
        assert_eq!(normalize_secret_input("“sk-x”", Generation::Json), "sk-x");
        assert_eq!(normalize_secret_input("a\tb", Generation::Json), "a\tb");
        assert_eq!(normalize_secret_input("a\tb", Generation::Sqlite), "ab");
        assert_eq!(
            normalize_secret_input("Bearer x", Generation::Sqlite),
            "Bearer x"
        );
    }

    #[test]
    fn coerces_refs() {
        let r = coerce_ref(Some(&json!({"source":"env","id":"K"})), Generation::Json).unwrap();
        assert_eq!(r.provider, "default");
        assert!(coerce_ref(Some(&json!("${MY_KEY}")), Generation::Json).is_some());
        assert!(coerce_ref(Some(&json!("$MY_KEY")), Generation::Json).is_none());
        assert!(coerce_ref(Some(&json!("$MY_KEY")), Generation::Sqlite).is_some());
        assert!(coerce_ref(Some(&json!({"source":"store","id":"x"})), Generation::Json).is_none());
        assert!(
            coerce_ref(
                Some(&json!({"source":"env","provider":"","id":"x"})),
                Generation::Json
            )
            .is_none()
        );
    }

    #[test]
    fn debug_views_hide_strings() {
        let v = json!({"key": "sk-secret", "n": [1, true, null, "ab"]});
        let text = format!("{:?} {:?}", Shape(&v), Hidden(Some("sk-secret")));
        assert!(!text.contains("sk-secret"), "{text}");
        assert!(
            text.contains("\"key\": «9 chars»") && text.contains("«2 chars»"),
            "{text}"
        );
        assert!(text.contains("secret, 9 chars, sha256"), "{text}");
    }

    #[test]
    fn detects_pasted_commands() {
        assert!(looks_like_pasted_command(
            "openclaw onboard --non-interactive --auth-choice token"
        ));
        assert!(!looks_like_pasted_command("sk-live-123"));
        assert!(looks_like_shell_command("export OPENAI_API_KEY=sk-1"));
    }

    #[test]
    fn secret_shaped_words_are_redacted_and_the_rest_kept() {
        let text = "key sk-ant-api03-AbCdEf012345 for anthropic:default in /s/agents/main/agent/auth-profiles.json (2026.9.6, line 12)";
        let red = redact_secret_like(text);
        assert_eq!(
            red,
            "key «redacted» for anthropic:default in /s/agents/main/agent/auth-profiles.json (2026.9.6, line 12)"
        );
        let jwt = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        assert_eq!(redact_secret_like(jwt), "Bearer «redacted»");
        let json = r#"{"token":"abcdefghijklmnopqrstuvwxyzABCDEFGH","n":12}"#;
        assert_eq!(redact_secret_like(json), r#"{"token":"«redacted»","n":12}"#);
        assert_eq!(
            redact_secret_like("MY_KEY=hunter2hunter2"),
            "MY_KEY=«redacted»"
        );
        let fields = r#"{"key": "short", "apiKey":"abc", "provider": "my-proxy", "token": "x"}"#;
        assert_eq!(
            redact_secret_like(fields),
            r#"{"key": "«redacted»", "apiKey":"«redacted»", "provider": "my-proxy", "token": "«redacted»"}"#
        );
        assert_eq!(
            redact_secret_like("profile key not found: my-proxy:manual"),
            "profile key not found: my-proxy:manual"
        );
        // Base64 with `/`, every word of a secret field's value, long numbers.
        let aws = "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(redact_secret_like(aws), "aws_secret_access_key=«redacted»");
        assert_eq!(
            redact_secret_like("secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here"),
            "secret «redacted» here"
        );
        assert_eq!(
            redact_secret_like("password: correct horse battery staple, user: bob"),
            "password: «redacted» «redacted» «redacted» «redacted», user: bob"
        );
        assert_eq!(
            redact_secret_like(r#"Profile { access: Some("hunter2pass"), provider: "p" }"#),
            r#"Profile { access: «redacted»("«redacted»"), provider: "p" }"#
        );
        assert_eq!(redact_secret_like("pin 1234567890123456"), "pin «redacted»");
        let path = "/home/u/.openclaw/agents/main/agent/auth-profiles.json.0123456789abcdef.tmp";
        assert_eq!(
            redact_secret_like(path),
            "/home/u/.openclaw/agents/main/agent/«redacted»"
        );
        // Found by the `config` fuzz target: a path whose first segment is redacted.
        let fuzzed = ".0123456789abcdef/xxxxxxxxxx/yyyyyyyyyy/zzzzzzzzzz";
        assert_eq!(
            redact_secret_like(fuzzed),
            "«redacted»/xxxxxxxxxx/yyyyyyyyyy/zzzzzzzzzz"
        );
        for t in [aws, path, fields, jwt, text, fuzzed, "a: b\nkey = x y\nz"] {
            let once = redact_secret_like(t);
            assert_eq!(redact_secret_like(&once), once, "idempotent on {t}");
        }
    }
}
