//! Secret material handled by writes: never printed, compared by fingerprint,
//! wiped from memory on drop (best effort), checked the way OpenClaw normalises it.

use super::error::SecretError;
use crate::domain::read::profile::CredType;
use crate::domain::read::version::Generation;
use crate::domain::secret::{
    looks_like_pasted_command, looks_like_shell_command, normalize_secret_input,
};

/// A secret value. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The raw value, for writing into a store or piping to OpenClaw only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub(crate) fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite the bytes before the allocation is freed.
        let bytes = unsafe { self.0.as_bytes_mut() };
        for b in bytes.iter_mut() {
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.describe())
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Secret {
    /// `secret, 40 chars, sha256 3f0303` — enough to tell two secrets apart, not to recover one.
    pub(crate) fn describe(&self) -> String {
        describe_secret(&self.0)
    }
}

pub(crate) use crate::domain::secret::{describe_secret, fingerprint};

/// Normalises pasted input as OpenClaw does and rejects what OpenClaw would store
/// but never use. `what` names the field for messages ("API key", "token").
pub(crate) fn check_secret(
    raw: &str,
    what: &str,
    generation: Generation,
) -> Result<Secret, SecretError> {
    let what = what.to_string();
    let inner = raw
        .trim_end_matches(['\n', '\r'])
        .trim_start_matches(['\n', '\r']);
    if inner.contains(['\n', '\r']) {
        return Err(SecretError::LineBreak { what });
    }
    if looks_like_pasted_command(inner) || looks_like_shell_command(inner) {
        return Err(SecretError::Command { what });
    }
    let normalized = normalize_secret_input(inner, generation);
    if normalized.is_empty() {
        return Err(SecretError::Empty { what });
    }
    Ok(Secret(normalized))
}

/// Type/prefix mismatches that users hit (field-reports.md b1.13, b1.14).
pub(crate) fn type_warnings(provider: &str, cred_type: CredType, secret: &str) -> Vec<String> {
    let mut out = Vec::new();
    let p = provider.to_lowercase();
    if secret.starts_with("sk-ant-api") && cred_type == CredType::Token {
        out.push("this looks like an Anthropic API key (sk-ant-api…): store it as api_key; as a token it fails with 529/401 errors".into());
    }
    if secret.starts_with("sk-ant-oat") && cred_type == CredType::ApiKey {
        out.push("this looks like an Anthropic setup token (sk-ant-oat…): store it as token; as an api_key it is rejected with 401".into());
    }
    out.extend(paste_warnings(secret));
    let openai = matches!(p.as_str(), "openai" | "openai-codex");
    if openai && secret.starts_with("sk-") && cred_type == CredType::Token {
        out.push("an OpenAI sk- key is an API key: store it as api_key (as a token it fails with \"invalid ID token format\")".into());
    }
    out
}

/// Pasting mistakes: a copied `Authorization` header or a quoted value.
pub(crate) fn paste_warnings(secret: &str) -> Vec<String> {
    let mut out = Vec::new();
    if secret
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
    {
        out.push("the value starts with \"Bearer \": OpenClaw adds that itself, so requests would send \"Bearer Bearer …\"; store only the key".into());
    }
    let quoted = |q: char| secret.len() >= 2 && secret.starts_with(q) && secret.ends_with(q);
    if quoted('"') || quoted('\'') {
        out.push("the value is wrapped in quotes: they become part of the stored key; store it without them".into());
    }
    out
}

/// The type to suggest for a provider and key when the user has not chosen one.
pub(crate) fn recommended_type(provider: &str, secret: Option<&str>) -> CredType {
    match secret {
        Some(s) if s.starts_with("sk-ant-oat") => CredType::Token,
        _ if provider.eq_ignore_ascii_case("github-copilot") => CredType::Token,
        _ if is_sign_in_provider(provider) => CredType::Oauth,
        _ => CredType::ApiKey,
    }
}

/// Providers whose credential is an OpenClaw sign-in (an OAuth or device-code login)
/// and that have no API-key environment variable: the OAuth and device-code methods
/// of OpenClaw 2026.4.5's provider plugins (`openai-codex` became `openai` in 2026.9).
pub(crate) const SIGN_IN_PROVIDERS: &[&str] =
    &["openai-codex", "google-gemini-cli", "minimax-portal"];

pub(crate) fn is_sign_in_provider(provider: &str) -> bool {
    SIGN_IN_PROVIDERS
        .iter()
        .any(|p| provider.eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_the_value() {
        let s = Secret::new("sk-very-secret-123".into());
        assert!(!format!("{s:?} {s}").contains("very-secret"));
        assert!(s.describe().contains("18 chars"));
    }

    #[test]
    fn checks_input() {
        assert_eq!(
            check_secret("  sk-abc\n", "API key", Generation::Json)
                .unwrap()
                .expose(),
            "sk-abc"
        );
        assert!(
            check_secret("\n \n", "API key", Generation::Json)
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        assert!(
            check_secret("sk-a\nsk-b", "API key", Generation::Json)
                .unwrap_err()
                .to_string()
                .contains("line break")
        );
        assert!(
            check_secret("export KEY=sk-1", "API key", Generation::Json)
                .unwrap_err()
                .to_string()
                .contains("shell command")
        );
    }

    #[test]
    fn recommends_the_usual_credential() {
        assert_eq!(recommended_type("openai-codex", None), CredType::Oauth);
        assert_eq!(recommended_type("Google-Gemini-CLI", None), CredType::Oauth);
        assert_eq!(recommended_type("github-copilot", None), CredType::Token);
        assert_eq!(
            recommended_type("anthropic", Some("sk-ant-oat01-x")),
            CredType::Token
        );
        assert_eq!(recommended_type("my-proxy", None), CredType::ApiKey);
    }

    #[test]
    fn warns_on_prefix_mismatch() {
        assert_eq!(
            type_warnings("anthropic", CredType::Token, "sk-ant-api03-x").len(),
            1
        );
        assert_eq!(
            type_warnings("anthropic", CredType::ApiKey, "sk-ant-oat01-x").len(),
            1
        );
        assert_eq!(
            type_warnings("openai", CredType::Token, "sk-proj-x").len(),
            1
        );
        assert!(type_warnings("my-proxy", CredType::ApiKey, "sk-x").is_empty());
        assert_eq!(paste_warnings("Bearer sk-x").len(), 1);
        assert_eq!(paste_warnings("\"sk-x\"").len(), 1);
        assert_eq!(paste_warnings("'sk-x'").len(), 1);
        assert!(paste_warnings("sk-\"x").is_empty());
    }
}
