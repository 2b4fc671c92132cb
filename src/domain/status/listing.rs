//! The providers worth a row of the status report, with why each is listed
//! (layout.md §3 listing rule).

use crate::domain::read::discovery::{Discovery, agent_models, provider_of_model};
use crate::domain::read::providers::normalize_provider;
use crate::domain::read::store::named_providers;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderOut {
    pub id: String,
    pub(crate) declared: bool,
    /// Why the provider is listed: declared, models.json, profile, model, cron, env.
    pub(crate) origins: Vec<&'static str>,
}

/// Every provider worth a row, with why (layout.md §3 listing rule).
pub(crate) fn collect_providers(d: &Discovery) -> Vec<ProviderOut> {
    let g = d.generation;
    let mut found: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for (raw, why) in provider_mentions(d) {
        let id = normalize_provider(&raw, g);
        if id.is_empty() {
            continue;
        }
        let e = found.entry(id).or_default();
        if !e.contains(&why) {
            e.push(why);
        }
    }
    found
        .into_iter()
        .map(|(id, origins)| ProviderOut {
            declared: origins.contains(&"declared"),
            id,
            origins,
        })
        .collect()
}

/// Every place that names a provider, with where it was seen, in report order:
/// declared, models.json, a stored profile, an agent's model, a cron job, the env.
fn provider_mentions(d: &Discovery) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let keys = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let declared = d
        .config
        .value
        .get("models")
        .and_then(|m| m.get("providers"));
    out.extend(keys(declared).into_iter().map(|k| (k, "declared")));
    for doc in d.models_json.values().filter_map(|r| r.as_ref().ok()) {
        out.extend(
            keys(doc.get("providers"))
                .into_iter()
                .map(|k| (k, "models.json")),
        );
    }
    let stores = d
        .dirs
        .values()
        .flat_map(|s| std::iter::once(&s.primary).chain(&s.legacy))
        .chain(d.shared.as_ref())
        .chain(std::iter::once(&d.oauth_file));
    out.extend(stores.flat_map(named_providers).map(|p| (p, "profile")));
    for a in &d.agents {
        let models = agent_models(d, a);
        out.extend(
            models
                .iter()
                .filter_map(|m| provider_of_model(m))
                .map(|p| (p.to_string(), "model")),
        );
    }
    let cron = d.cron.iter().filter_map(|j| j.model.as_deref());
    out.extend(
        cron.filter_map(provider_of_model)
            .map(|p| (p.to_string(), "cron")),
    );
    if d.claude_login.is_some() {
        let ids = crate::domain::status::advice::claude_login_providers(d.generation);
        out.extend(ids.iter().map(|p| (p.to_string(), "claude-cli-login")));
    }
    for (id, vars) in d.provider_env.with_env() {
        if vars.iter().any(|v| d.env.get(v).is_some()) {
            out.push((id.to_string(), "env"));
        }
    }
    out
}
