//! Provider ids, aliases, environment variables and non-secret markers,
//! per OpenClaw generation (layout.md §5, `src/agents/provider-id.ts`,
//! `src/agents/model-auth-markers.ts`).

use crate::domain::read::builtins::asset_providers;
use crate::domain::read::version::Generation;

/// OpenClaw 2026.4.x `normalizeProviderId`: lower-case plus a fixed alias table.
/// 2026.9.x only lower-cases (aliases come from plugin manifests).
pub(crate) fn normalize_provider(raw: &str, generation: Generation) -> String {
    let lowered = raw.trim().to_lowercase();
    if generation == Generation::Sqlite {
        return lowered;
    }
    let alias = match lowered.as_str() {
        "modelstudio" | "qwencloud" => "qwen",
        "z.ai" | "z-ai" => "zai",
        "opencode-zen" => "opencode",
        "opencode-go-auth" => "opencode-go",
        "kimi-code" | "kimi-coding" => "kimi",
        "bedrock" | "aws-bedrock" => "amazon-bedrock",
        "bytedance" | "doubao" => "volcengine",
        _ => return lowered,
    };
    alias.to_string()
}

/// The key under which profiles are matched for auth (`normalizeProviderIdForAuth`):
/// coding-plan variants share the base provider's credentials.
pub(crate) fn auth_key(raw: &str, generation: Generation) -> String {
    let normalized = normalize_provider(raw, generation);
    match normalized.as_str() {
        "volcengine-plan" => "volcengine".into(),
        "byteplus-plan" => "byteplus".into(),
        _ => normalized,
    }
}

/// Environment variables OpenClaw reads for a built-in provider, in priority order
/// (the one list: `assets/openclaw-providers.json`, see `builtins`).
/// Custom provider ids have none (layout.md §0.4).
pub(crate) fn env_vars_for(provider: &str, generation: Generation) -> &'static [&'static str] {
    asset_providers(generation)
        .iter()
        .find(|p| p.id == provider)
        .map_or(&[], |p| p.env.as_slice())
}

/// Every built-in provider with an env-var mapping in this generation.
pub(crate) fn providers_with_env(
    generation: Generation,
) -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    asset_providers(generation)
        .iter()
        .filter(|p| !p.env.is_empty())
        .map(|p| (p.id, p.env.as_slice()))
}

/// True for any env var name OpenClaw knows as a provider key name.
pub(crate) fn is_known_env_key_name(name: &str, generation: Generation) -> bool {
    const LEGACY: &[&str] = &[
        "GOOGLE_API_KEY",
        "DEEPSEEK_API_KEY",
        "PERPLEXITY_API_KEY",
        "FIREWORKS_API_KEY",
        "NOVITA_API_KEY",
        "AZURE_OPENAI_API_KEY",
        "AZURE_API_KEY",
        "MINIMAX_CODE_PLAN_KEY",
    ];
    LEGACY.contains(&name) || providers_with_env(generation).any(|(_, vars)| vars.contains(&name))
}

const AWS_MARKERS: &[&str] = &[
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
];

/// `isNonSecretApiKeyMarker`: placeholders that are not secrets.
pub(crate) fn is_non_secret_marker(value: &str, generation: Generation) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return false;
    }
    matches!(
        v,
        "minimax-oauth"
            | "ollama-local"
            | "custom-local"
            | "gcp-vertex-credentials"
            | "secretref-managed"
    ) || v.starts_with("oauth:")
        || AWS_MARKERS.contains(&v)
        || is_known_env_key_name(v, generation)
}

/// `isKnownEnvApiKeyMarker`: a marker naming an env var whose value is the key.
pub(crate) fn is_env_marker(value: &str, generation: Generation) -> bool {
    let v = value.trim();
    is_known_env_key_name(v, generation) && !AWS_MARKERS.contains(&v)
}

/// `isLocalBaseUrl`: the synthetic `custom-local` key applies to these hosts only.
pub(crate) fn is_local_base_url(base_url: &str) -> bool {
    let Some(rest) = base_url.trim().split_once("://").map(|(_, r)| r) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or(host_port)
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    matches!(
        host.to_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]" | "[::ffff:7f00:1]" | "[::ffff:127.0.0.1]"
    )
}

/// Legacy or retired profile ids (auth-store.md §5.1).
pub(crate) fn retired_profile_reason(id: &str, generation: Generation) -> Option<&'static str> {
    if id == "anthropic:claude-cli" {
        return Some("`anthropic:claude-cli` is a retired id: OpenClaw never resolves it");
    }
    if generation == Generation::Sqlite && id.starts_with("openai-codex:") {
        return Some(
            "`openai-codex:*` ids are legacy in 2026.9: `openclaw doctor --fix` renames them to `openai:*`",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_fold_only_in_json_generation() {
        assert_eq!(normalize_provider("Z.AI", Generation::Json), "zai");
        assert_eq!(normalize_provider("Z.AI", Generation::Sqlite), "z.ai");
        assert_eq!(auth_key("volcengine-plan", Generation::Json), "volcengine");
    }

    #[test]
    fn custom_providers_have_no_env_vars() {
        assert!(env_vars_for("my-proxy", Generation::Json).is_empty());
        assert_eq!(
            env_vars_for("openrouter", Generation::Sqlite),
            &["OPENROUTER_API_KEY"]
        );
        assert_eq!(
            env_vars_for("openai", Generation::Sqlite)[0],
            "CODEX_API_KEY"
        );
    }

    #[test]
    fn local_base_urls() {
        assert!(is_local_base_url("http://127.0.0.1:8080/v1"));
        assert!(is_local_base_url("http://localhost/v1"));
        assert!(is_local_base_url("http://[::1]:11434"));
        assert!(!is_local_base_url("https://my-proxy.invalid/v1"));
        assert!(!is_local_base_url("not a url"));
    }

    #[test]
    fn markers() {
        assert!(is_non_secret_marker("OPENROUTER_API_KEY", Generation::Json));
        assert!(is_env_marker("OPENROUTER_API_KEY", Generation::Json));
        assert!(!is_non_secret_marker("MY_PROXY_KEY", Generation::Json));
        assert!(is_non_secret_marker(
            "oauth:openai-codex",
            Generation::Sqlite
        ));
    }
}
