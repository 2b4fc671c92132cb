//! The built-in providers offered for a state: the asset's list for its generation,
//! with the installed OpenClaw package's plugin manifests read on top.

use crate::domain::read::builtins::entry;
use crate::domain::read::discovery::{Discovery, VersionSource};
use crate::domain::read::profile::CredType;
use crate::domain::read::version::Generation;
use std::path::Path;

/// A built-in provider offered to a user who adds a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Builtin {
    pub(crate) id: String,
    pub(crate) env: Vec<String>,
    pub(crate) auth: Vec<CredType>,
}

/// What the detected (or assumed) OpenClaw knows: its built-in providers and api kinds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalog {
    pub(crate) providers: Vec<Builtin>,
    /// Where the list comes from, in words ("OpenClaw 2026.4.5 package", "clawauth's list for 2026.9.6").
    pub(crate) source: String,
}

fn cred_type(kind: &str) -> Option<CredType> {
    match kind {
        "api_key" => Some(CredType::ApiKey),
        "token" => Some(CredType::Token),
        "oauth" => Some(CredType::Oauth),
        _ => None,
    }
}

/// The asset's list alone for a generation.
pub(crate) fn asset_catalog(generation: Generation) -> Catalog {
    let Some(e) = entry(generation) else {
        return Catalog::default();
    };
    Catalog {
        providers: e
            .providers
            .iter()
            .map(|p| Builtin {
                id: p.id.to_string(),
                env: p.env.iter().map(|s| s.to_string()).collect(),
                auth: p.auth.iter().filter_map(|k| cred_type(k)).collect(),
            })
            .collect(),
        source: format!("clawauth's list for OpenClaw {}", e.version),
    }
}

fn merge_one(out: &mut Catalog, b: Builtin) {
    match out.providers.iter_mut().find(|p| p.id == b.id) {
        Some(p) => {
            for e in b.env {
                if !p.env.contains(&e) {
                    p.env.push(e);
                }
            }
            for t in b.auth {
                if !p.auth.contains(&t) {
                    p.auth.push(t);
                }
            }
        }
        None if !b.auth.is_empty() || !b.env.is_empty() => out.providers.push(b),
        None => {}
    }
}

/// The credential type a manifest's auth method stores (local or custom methods need none).
fn method_type(provider: &str, method: &str) -> Option<CredType> {
    match method {
        "setup-token" => Some(CredType::Token),
        "oauth" | "oauth-cn" | "device" | "device-enterprise" | "device-code" | "cli"
            if provider == "github-copilot" =>
        {
            Some(CredType::Token)
        }
        "oauth" | "oauth-cn" | "device" | "device-enterprise" | "device-code" | "cli" => {
            Some(CredType::Oauth)
        }
        "local" | "custom" | "entra-id" => None,
        _ => Some(CredType::ApiKey),
    }
}

/// The providers one manifest declares, with env vars (`providerAuthEnvVars` in 2026.4,
/// `setup.providers[].envVars` in 2026.9) and the types of its auth choices.
pub(crate) fn manifest_providers(m: &serde_json::Value) -> Vec<Builtin> {
    let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let setup = m.pointer("/setup/providers").and_then(|v| v.as_array());
    let ids = strings(m.get("providers"));
    ids.iter()
        .map(|id| {
            let mut env = strings(m.pointer(&format!("/providerAuthEnvVars/{id}")));
            let from_setup = setup
                .into_iter()
                .flatten()
                .find(|p| p.get("id").and_then(|v| v.as_str()) == Some(id.as_str()));
            if env.is_empty() {
                env = strings(from_setup.and_then(|p| p.get("envVars")));
            }
            let mut auth: Vec<CredType> = Vec::new();
            let choices = m.get("providerAuthChoices").and_then(|v| v.as_array());
            for c in choices.into_iter().flatten() {
                let owner = c.get("provider").and_then(|v| v.as_str()).unwrap_or(id);
                let method = c.get("method").and_then(|v| v.as_str()).unwrap_or("");
                if let Some(t) = method_type(id, method).filter(|_| owner == id)
                    && !auth.contains(&t)
                {
                    auth.push(t);
                }
            }
            Builtin {
                id: id.clone(),
                env,
                auth,
            }
        })
        .collect()
}

/// The catalog for a state: the asset's list for its generation, with the installed
/// package's manifests merged on top when the version came from an executable.
pub(crate) fn catalog(d: &Discovery) -> Catalog {
    let mut out = asset_catalog(d.generation);
    if let VersionSource::Executable(exe) = &d.version_source
        && let Some(root) = crate::domain::read::executable::package_root(exe)
        && merge_package(&mut out, &root)
    {
        let version = d.version.map(|v| v.to_string()).unwrap_or_default();
        out.source = format!("the installed OpenClaw {version} package");
    }
    // The env lists are the runtime's table (one definition: `envtable`).
    for p in &mut out.providers {
        let vars = d.provider_env.vars(&p.id);
        if !vars.is_empty() {
            p.env = vars.to_vec();
        }
    }
    out
}

/// Adds the providers of the package's plugin manifests; false when it has none.
fn merge_package(out: &mut Catalog, root: &Path) -> bool {
    let Ok(dirs) = std::fs::read_dir(root.join("dist").join("extensions")) else {
        return false;
    };
    let mut found = false;
    for dir in dirs.flatten() {
        let path = dir.path().join("openclaw.plugin.json");
        let Ok(Some(bytes)) = crate::domain::read::fsread::read_limited(&path, 4 << 20, "manifest")
        else {
            continue;
        };
        let Ok(manifest) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            continue;
        };
        for b in manifest_providers(&manifest) {
            found = true;
            merge_one(out, b);
        }
    }
    out.providers.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_catalog_has_types() {
        let openrouter = asset_catalog(Generation::Json);
        let p = openrouter
            .providers
            .iter()
            .find(|p| p.id == "openrouter")
            .unwrap();
        assert_eq!(p.env, ["OPENROUTER_API_KEY"]);
        assert_eq!(p.auth, [CredType::ApiKey]);
    }

    #[test]
    fn manifests_of_both_shapes_are_read() {
        let old = serde_json::json!({"providers": ["synthetic"],
            "providerAuthEnvVars": {"synthetic": ["SYNTHETIC_API_KEY"]},
            "providerAuthChoices": [{"provider": "synthetic", "method": "api-key"}]});
        let new = serde_json::json!({"providers": ["xai"],
            "setup": {"providers": [{"id": "xai", "envVars": ["XAI_API_KEY"]}]},
            "providerAuthChoices": [{"provider": "xai", "method": "api-key"},
                                    {"provider": "xai", "method": "device-code"}]});
        let a = &manifest_providers(&old)[0];
        assert_eq!(
            (a.id.as_str(), a.env.as_slice()),
            ("synthetic", &["SYNTHETIC_API_KEY".to_string()][..])
        );
        let b = &manifest_providers(&new)[0];
        assert_eq!(b.auth, [CredType::ApiKey, CredType::Oauth]);
    }
}
