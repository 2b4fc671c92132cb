//! The environment variables OpenClaw's runtime reads per built-in provider, in priority
//! order, as the detected version builds the table (`resolveProviderAuthEnvVarCandidates`,
//! `src/secrets/provider-env-vars.ts`): every plugin manifest's lists appended in plugin
//! order, then the core table on top. When the `openclaw` found is an npm package, its
//! manifests (`dist/extensions/*/openclaw.plugin.json`) decide; clawauth's asset
//! (`assets/openclaw-providers.json`) fills what they do not name and is the whole table
//! when no package is found.

use crate::domain::read::builtins::entry;
use crate::domain::read::version::Generation;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Provider id → env var names, first set one wins.
#[derive(Debug, Clone, Default)]
pub(crate) struct EnvTable {
    map: BTreeMap<String, Vec<String>>,
}

impl EnvTable {
    /// The env vars of a provider (none for a custom provider id).
    pub(crate) fn vars(&self, provider: &str) -> &[String] {
        self.map.get(provider).map_or(&[], Vec::as_slice)
    }

    /// Every provider with at least one env var.
    pub(crate) fn with_env(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.map
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

fn append_unique(map: &mut BTreeMap<String, Vec<String>>, id: &str, keys: Vec<String>) {
    let id = id.trim();
    if id.is_empty() || keys.is_empty() {
        return;
    }
    let bucket = map.entry(id.to_string()).or_default();
    for k in keys {
        if !bucket.contains(&k) {
            bucket.push(k);
        }
    }
}

/// One manifest's provider env lists: `providerAuthEnvVars` (2026.4, sorted by provider
/// id) and `setup.providers[].envVars` (2026.9), for the providers it declares.
pub(crate) fn manifest_env(m: &Value, into: &mut BTreeMap<String, Vec<String>>) {
    let declared = strings(m.get("providers"));
    if let Some(obj) = m.get("providerAuthEnvVars").and_then(Value::as_object) {
        for (id, keys) in obj {
            if declared.contains(id) {
                append_unique(into, id, strings(Some(keys)));
            }
        }
    }
    let setup = m.pointer("/setup/providers").and_then(Value::as_array);
    for p in setup.into_iter().flatten() {
        let id = p.get("id").and_then(Value::as_str).unwrap_or("");
        if declared.iter().any(|d| d == id) {
            append_unique(into, id, strings(p.get("envVars")));
        }
    }
}

/// The env lists of every manifest of an installed package, plugins in name order.
fn package_env(root: &Path) -> Option<BTreeMap<String, Vec<String>>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("dist").join("extensions"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    let mut map = BTreeMap::new();
    for dir in dirs {
        let path = dir.join("openclaw.plugin.json");
        let Ok(Some(bytes)) = crate::domain::read::fsread::read_limited(&path, 4 << 20, "manifest")
        else {
            continue;
        };
        if let Ok(m) = serde_json::from_slice::<Value>(&bytes) {
            manifest_env(&m, &mut map);
        }
    }
    (!map.is_empty()).then_some(map)
}

/// The asset's table for a generation, with the manifests of the package the `openclaw`
/// executable `exe` belongs to on top.
pub(crate) fn load(generation: Generation, exe: Option<&Path>) -> EnvTable {
    let asset = entry(generation);
    let mut map: BTreeMap<String, Vec<String>> = asset
        .map(|e| {
            e.providers
                .iter()
                .map(|p| {
                    (
                        p.id.to_string(),
                        p.env.iter().map(|s| s.to_string()).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let root = exe.and_then(crate::domain::read::executable::package_root);
    let installed = root.as_deref().and_then(package_env);
    let core: &[&str] = asset.map_or(&[], |e| e.core_env.as_slice());
    for (id, vars) in installed.iter().flatten() {
        if !core.contains(&id.as_str()) {
            map.insert(id.clone(), vars.clone());
        }
    }
    EnvTable { map }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_append_in_order_and_only_for_declared_providers() {
        let mut map = BTreeMap::new();
        let old = serde_json::json!({"providers": ["chutes"],
            "providerAuthEnvVars": {"chutes": ["CHUTES_API_KEY", "CHUTES_OAUTH_TOKEN"],
                                    "brave": ["BRAVE_API_KEY"]}});
        let new = serde_json::json!({"providers": ["chutes"],
            "setup": {"providers": [{"id": "chutes", "envVars": ["CHUTES_OAUTH_TOKEN", "CHUTES_X"]}]}});
        manifest_env(&old, &mut map);
        manifest_env(&new, &mut map);
        assert_eq!(
            map["chutes"],
            ["CHUTES_API_KEY", "CHUTES_OAUTH_TOKEN", "CHUTES_X"]
        );
        assert!(!map.contains_key("brave"));
    }

    #[test]
    fn without_a_package_the_asset_is_the_table() {
        let t = load(Generation::Sqlite, None);
        assert_eq!(t.vars("openai"), ["CODEX_API_KEY", "OPENAI_API_KEY"]);
        assert!(t.vars("my-proxy").is_empty());
    }
}
