//! OpenClaw's built-in providers, per version: the environment variables the runtime
//! reads for each (priority order), the credential types its sign-in choices store,
//! and the `api` kinds `models.providers.<id>` accepts. One definition, kept in
//! `assets/openclaw-providers.json`; the installed package's plugin manifests
//! (`dist/extensions/*/openclaw.plugin.json`) are read on top where one is found.

use crate::domain::read::version::Generation;
use serde::Deserialize;
use std::sync::OnceLock;

const ASSET: &str = include_str!("../../../assets/openclaw-providers.json");

#[derive(Debug, Default, Deserialize)]
struct Asset<'a> {
    #[serde(borrow)]
    versions: Vec<VersionEntry<'a>>,
}

/// One OpenClaw version of the asset.
#[derive(Debug, Deserialize)]
pub(crate) struct VersionEntry<'a> {
    pub(crate) version: &'a str,
    pub(crate) generation: &'a str,
    /// Providers whose env list lives in OpenClaw's code, not in its manifests
    /// (`CORE_PROVIDER_AUTH_ENV_VAR_CANDIDATES`): an installed package never overrides them.
    #[serde(borrow, default)]
    pub(crate) core_env: Vec<&'a str>,
    #[serde(borrow)]
    pub(crate) apis: Vec<&'a str>,
    #[serde(borrow)]
    pub(crate) providers: Vec<AssetProvider<'a>>,
}

/// A built-in provider as the asset lists it.
#[derive(Debug, Deserialize)]
pub struct AssetProvider<'a> {
    pub id: &'a str,
    #[serde(borrow)]
    pub(crate) env: Vec<&'a str>,
    #[serde(borrow)]
    pub(crate) auth: Vec<&'a str>,
}

fn asset() -> &'static Asset<'static> {
    static PARSED: OnceLock<Asset<'static>> = OnceLock::new();
    // A unit test proves the asset parses; an empty list is the safe fallback.
    PARSED.get_or_init(|| serde_json::from_str(ASSET).unwrap_or_default())
}

/// The asset's entry for a store generation (the newest version of it).
pub(crate) fn entry(generation: Generation) -> Option<&'static VersionEntry<'static>> {
    asset()
        .versions
        .iter()
        .rev()
        .find(|v| v.generation == generation.label())
}

/// The asset's providers for a generation.
pub fn asset_providers(generation: Generation) -> &'static [AssetProvider<'static>] {
    entry(generation).map_or(&[], |e| e.providers.as_slice())
}

/// True when any version of the asset lists `provider` as a built-in.
pub(crate) fn is_builtin_anywhere(provider: &str) -> bool {
    asset()
        .versions
        .iter()
        .flat_map(|v| v.providers.iter())
        .any(|p| p.id.eq_ignore_ascii_case(provider.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_parses_and_has_both_generations() {
        let parsed: Asset<'static> = serde_json::from_str(ASSET).unwrap();
        assert_eq!(parsed.versions.len(), 2);
        let json = entry(Generation::Json).unwrap();
        assert_eq!(json.version, "2026.4.5");
        assert!(json.apis.contains(&"openai-codex-responses"));
        let sqlite = entry(Generation::Sqlite).unwrap();
        assert!(sqlite.apis.contains(&"openai-chatgpt-responses"));
        assert!(!sqlite.apis.contains(&"openai-codex-responses"));
    }
}
