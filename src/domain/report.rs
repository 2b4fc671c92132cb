//! The status report: agents × providers with runtime verdicts, plus problems.
//! Its JSON form is a public contract (extend, never rename).

use super::discovery::{Discovery, VersionSource, agent_models, provider_of_model};
use super::problem::Problem;
use super::providers::{normalize_provider, providers_with_env};
use super::resolve::{Cell, CellState, Ctx, Source, resolve_cell};
use super::store::named_providers;
use super::validate::validate;
use super::view::agent_view;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentOut {
    pub id: String,
    pub dir: String,
    pub default: bool,
    pub store: String,
    pub configured: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderOut {
    pub id: String,
    pub declared: bool,
    /// Why the provider is listed: declared, models.json, profile, model, cron, env.
    pub origins: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CellOut {
    pub agent: String,
    pub provider: String,
    pub usable: bool,
    pub state: CellState,
    pub source: Source,
    pub profile: Option<String>,
    #[serde(rename = "type")]
    pub cred_type: Option<&'static str>,
    pub reasons: Vec<String>,
    pub cron: Vec<String>,
    pub file: Option<String>,
    pub status_disagrees: bool,
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub state_dir: String,
    pub config_path: Option<String>,
    pub generation: &'static str,
    pub openclaw_version: Option<String>,
    pub generation_reason: String,
    pub agents: Vec<AgentOut>,
    pub providers: Vec<ProviderOut>,
    pub cells: Vec<CellOut>,
    pub problems: Vec<Problem>,
}

/// Every provider worth a row, with why (layout.md §3 listing rule).
pub fn collect_providers(d: &Discovery) -> Vec<ProviderOut> {
    let g = d.generation;
    let mut found: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    let mut add = |raw: &str, why: &'static str| {
        let id = normalize_provider(raw, g);
        if id.is_empty() {
            return;
        }
        let e = found.entry(id).or_default();
        if !e.contains(&why) {
            e.push(why);
        }
    };
    if let Some(ps) = d
        .config
        .value
        .get("models")
        .and_then(|m| m.get("providers"))
        .and_then(Value::as_object)
    {
        ps.keys().for_each(|k| add(k, "declared"));
    }
    for doc in d.models_json.values().filter_map(|r| r.as_ref().ok()) {
        if let Some(ps) = doc.get("providers").and_then(Value::as_object) {
            ps.keys().for_each(|k| add(k, "models.json"));
        }
    }
    let stores = d
        .dirs
        .values()
        .flat_map(|s| std::iter::once(&s.primary).chain(&s.legacy))
        .chain(d.shared.as_ref())
        .chain(std::iter::once(&d.oauth_file));
    stores
        .flat_map(named_providers)
        .for_each(|p| add(&p, "profile"));
    for a in &d.agents {
        agent_models(d, a)
            .iter()
            .filter_map(|m| provider_of_model(m))
            .for_each(|p| add(p, "model"));
    }
    d.cron
        .iter()
        .filter_map(|j| j.model.as_deref())
        .filter_map(provider_of_model)
        .for_each(|p| add(p, "cron"));
    for (id, vars) in providers_with_env(g) {
        if vars.iter().any(|v| d.env.get(v).is_some()) {
            add(id, "env");
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

/// Providers each cron job needs, by agent: `(agent, provider) -> [job ids]`.
fn cron_needs(d: &Discovery) -> BTreeMap<(String, String), Vec<String>> {
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for job in d.cron.iter().filter(|j| j.enabled) {
        let models = match &job.model {
            Some(m) => vec![m.clone()],
            None => d
                .agent(&job.agent)
                .map(|a| agent_models(d, a))
                .unwrap_or_default(),
        };
        for m in models {
            if let Some(p) = provider_of_model(&m) {
                out.entry((job.agent.clone(), normalize_provider(p, d.generation)))
                    .or_default()
                    .push(job.id.clone());
            }
        }
    }
    for v in out.values_mut() {
        v.dedup();
    }
    out
}

fn agent_out(d: &Discovery, a: &super::agents::Agent) -> AgentOut {
    let view = agent_view(d, &a.dir);
    AgentOut {
        id: a.id.clone(),
        dir: a.dir.display().to_string(),
        default: a.default,
        store: view.store_path.display().to_string(),
        configured: a.configured,
    }
}

pub fn build_report(d: &Discovery) -> Report {
    let ctx = Ctx::new(d);
    let providers = collect_providers(d);
    let needs = cron_needs(d);
    let mut cells = Vec::new();
    for a in &d.agents {
        let view = agent_view(d, &a.dir);
        for p in &providers {
            let mut cell = resolve_cell(&ctx, &a.id, &view, &p.id);
            cell.cron = needs
                .get(&(a.id.clone(), p.id.clone()))
                .cloned()
                .unwrap_or_default();
            super::advice::annotate(d, &mut cell, &view);
            cells.push(cell);
        }
    }
    let mut problems = validate(d);
    problems.extend(super::advice::cron_problems(d, &cells));
    Report {
        state_dir: d.paths.state_dir.display().to_string(),
        config_path: d
            .config
            .path
            .as_ref()
            .filter(|_| d.config.exists)
            .map(|p| p.display().to_string()),
        generation: d.generation.label(),
        openclaw_version: match d.version_source {
            VersionSource::Executable(_) | VersionSource::ConfigMeta => {
                d.version.map(|v| v.to_string())
            }
            VersionSource::Unknown => None,
        },
        generation_reason: d.generation_reason.clone(),
        agents: d.agents.iter().map(|a| agent_out(d, a)).collect(),
        providers,
        cells: cells.into_iter().map(cell_out).collect(),
        problems,
    }
}

fn cell_out(c: Cell) -> CellOut {
    CellOut {
        agent: c.agent,
        provider: c.provider,
        usable: c.usable,
        state: c.state,
        source: c.source,
        profile: c.profile,
        cred_type: c.cred_type.map(|t| t.as_str()),
        reasons: c.reasons,
        cron: c.cron,
        file: c.file.map(|f| f.display().to_string()),
        status_disagrees: c.status_disagrees,
        fix: c.fix,
    }
}
