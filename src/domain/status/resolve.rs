//! The verdict for one (agent, provider) cell, following OpenClaw's runtime
//! key resolver (`resolveApiKeyForProvider` 2026.4.5, `resolveApiKeyForProviderCore`
//! 2026.9.6; layout.md §5, §11), not `models status`.

use crate::domain::read::providers::{
    auth_key, is_env_marker, is_local_base_url, is_non_secret_marker, normalize_provider,
};
use crate::domain::read::version::Generation;
use crate::domain::secret::{RefResolution, coerce_ref};
use crate::domain::status::attempt::{finish_profile, try_profile};
pub use crate::domain::status::cell::{
    Cell, CellState, Ctx, Source, WARN_AFTER_MS, human_duration,
};
use crate::domain::status::findings::{Finding, candidate_findings};
use crate::domain::status::order::{Candidates, Ineligible, candidates, profiles_for_provider};
use crate::domain::status::view::AgentView;
use crate::domain::status::windows::{ForModel, usage_block};
use serde_json::Value;

pub(crate) fn resolve_cell(ctx: &Ctx, agent_id: &str, view: &AgentView, provider: &str) -> Cell {
    let pkey = auth_key(provider, ctx.generation);
    let mut cell = Cell::new(agent_id, provider);
    if let Some(block) = view
        .migration_block
        .as_ref()
        .filter(|b| ctx.generation == Generation::Sqlite && b.blocks(&pkey))
    {
        return migration_blocked(cell, block);
    }
    let pcfg = ctx.provider_config(provider);
    let auth_override = pcfg.and_then(|p| p.get("auth")).and_then(Value::as_str);
    if auth_override == Some("aws-sdk") {
        return aws(
            cell,
            "models.providers auth is \"aws-sdk\": OpenClaw uses the AWS SDK credential chain",
        );
    }
    if ctx.generation == Generation::Json
        && auth_override == Some("api-key")
        && let Some(found) = config_key(ctx, pcfg)
    {
        return apply_direct(
            cell,
            found,
            "openclaw.json models.providers auth is \"api-key\", so its apiKey wins over auth profiles",
        );
    }
    if ctx.generation == Generation::Sqlite
        && let Some(c) = crate::domain::status::binding::provider_entry_profile(
            ctx, view, &pkey, pcfg, &mut cell,
        )
    {
        return c;
    }
    let cands = candidates(view, ctx.config(), &pkey, ctx.generation, ctx.now_ms);
    explain_candidates(&cands, &mut cell);
    let config_file = ctx.d.config.path.clone().unwrap_or_default();
    cell.findings.extend(candidate_findings(
        view,
        &cands,
        provider,
        &config_file,
        &|id| ctx.holders_of(id),
    ));
    let (walked, done) = try_candidates(ctx, view, &cands, cell);
    if done {
        return walked;
    }
    match without_profile(ctx, walked, view, &pkey, pcfg, auth_override) {
        (found, true) => found,
        (mut cell, false) => {
            note_unresolved_config_ref(ctx, &mut cell, pcfg);
            finish_missing(ctx, cell, view, &pkey, &cands)
        }
    }
}

/// An `openclaw.json` `apiKey` SecretRef that does not resolve leaves the provider
/// without a key: say which reference and why, as a reason and an `unresolved_ref` problem.
fn note_unresolved_config_ref(ctx: &Ctx, cell: &mut Cell, pcfg: Option<&Value>) {
    let Some(raw) = pcfg.and_then(|p| p.get("apiKey")).filter(|k| k.is_object()) else {
        return;
    };
    let Some(r) = coerce_ref(Some(raw), ctx.generation) else {
        return;
    };
    let RefResolution::Unresolved(why) = crate::domain::status::secretref::resolve(&r, ctx) else {
        return;
    };
    let message = format!(
        "openclaw.json models.providers.{}.apiKey reference {} does not resolve: {why}",
        cell.provider,
        r.describe()
    );
    let fix = "Make the reference resolve (set the variable, create the file with that JSON pointer at mode 0600) or store a key for this agent.";
    let file = ctx.d.config.path.clone().unwrap_or_default();
    cell.reasons.push(message.clone());
    cell.findings
        .push(Finding::new("unresolved_ref", &file, message, fix.into()));
}

/// 2026.9: a legacy JSON file beside an empty SQLite store blocks the provider.
fn migration_blocked(mut cell: Cell, block: &crate::domain::status::view::MigrationBlock) -> Cell {
    cell.state = CellState::Invalid;
    cell.reasons.push(block.message());
    cell.file = block.sources.first().map(|p| p.display().to_string());
    cell.fix = Some("Run `openclaw doctor --fix` to import the JSON file into SQLite (it only adds new profile ids), or remove the stray file.".into());
    let file = block.sources.first().cloned().unwrap_or_default();
    cell.findings.push(Finding::new(
        "migration_required",
        &file,
        block.message(),
        cell.fix.clone().unwrap_or_default(),
    ));
    cell
}

/// After the profiles: env vars, the config key, the synthetic local key, AWS
/// (the cell, and whether one of them was found).
fn without_profile(
    ctx: &Ctx,
    mut cell: Cell,
    view: &AgentView,
    pkey: &str,
    pcfg: Option<&Value>,
    auth_override: Option<&str>,
) -> (Cell, bool) {
    if let Some((var, _)) = env_key(ctx, &cell.provider) {
        let found = Direct {
            source: Source::Env,
            label: format!("environment variable {var}"),
        };
        return (apply_direct(cell, found, ""), true);
    }
    if let Some(found) = config_key(ctx, pcfg) {
        if ctx.generation == Generation::Sqlite
            && let Some(f) = crate::domain::status::binding::dangling(ctx, pkey, pcfg, view)
        {
            cell.reasons.push(f.message.clone());
            cell.findings.push(f);
        }
        return (apply_direct(cell, found, ""), true);
    }
    if synthetic_local(ctx, pcfg, auth_override) {
        let found = Direct {
            source: Source::Synthetic,
            label: "synthetic `custom-local` key (keyless provider on a localhost baseUrl)".into(),
        };
        return (apply_direct(cell, found, ""), true);
    }
    if ctx.generation == Generation::Json && pkey == "amazon-bedrock" && auth_override.is_none() {
        return (
            aws(
                cell,
                "amazon-bedrock falls back to the AWS SDK credential chain",
            ),
            true,
        );
    }
    (cell, false)
}

fn aws(mut cell: Cell, why: &str) -> Cell {
    cell.usable = true;
    cell.state = CellState::Static;
    cell.source = Source::Env;
    cell.reasons.push(why.to_string());
    cell
}

pub(crate) struct Direct {
    pub(crate) source: Source,
    pub(crate) label: String,
}

fn apply_direct(mut cell: Cell, found: Direct, why: &str) -> Cell {
    cell.usable = true;
    cell.state = CellState::Static;
    cell.source = found.source;
    if !why.is_empty() {
        cell.reasons.push(why.to_string());
    }
    cell.reasons.push(format!("uses {}", found.label));
    cell
}

fn explain_candidates(c: &Candidates, cell: &mut Cell) {
    use crate::domain::status::order::OrderSource::*;
    let explicit = match c.source {
        StoreOrder => Some("the store's `order`"),
        ConfigOrder => Some("openclaw.json `auth.order`"),
        ConfigProfiles => Some("the ids declared in openclaw.json `auth.profiles`"),
        AllProfiles => None,
    };
    for (id, why) in &c.rejected {
        cell.reasons.push(why.explain(id));
    }
    if let Some(list) = explicit {
        for id in &c.excluded {
            cell.reasons.push(format!(
                "ignored {id}: not listed in {list} (excluded_by_auth_order)"
            ));
        }
    }
}

/// Env var for a built-in provider, first set one wins.
fn env_key<'c>(ctx: &Ctx<'c>, provider: &str) -> Option<(&'c str, String)> {
    let id = normalize_provider(provider, ctx.generation);
    ctx.d
        .provider_env
        .vars(&id)
        .iter()
        .find_map(|v| ctx.d.env.get(v).map(|val| (v.as_str(), val.to_string())))
}

/// `models.providers.<p>.apiKey` of openclaw.json (not models.json).
pub(crate) fn config_key(ctx: &Ctx, pcfg: Option<&Value>) -> Option<Direct> {
    let raw = pcfg?.get("apiKey")?;
    if raw.is_object() {
        let r = coerce_ref(Some(raw), ctx.generation)?;
        return match crate::domain::status::secretref::resolve(&r, ctx) {
            RefResolution::Unresolved(_) => None,
            _ => Some(Direct {
                // 2026.9 labels an env SecretRef apiKey as an env source.
                source: if ctx.generation == Generation::Sqlite && r.source == "env" {
                    Source::Env
                } else {
                    Source::Config
                },
                label: format!("openclaw.json apiKey reference {}", r.describe()),
            }),
        };
    }
    let key = crate::domain::secret::normalize_secret_input(raw.as_str()?, ctx.generation);
    if key.is_empty() {
        return None;
    }
    if !is_non_secret_marker(&key, ctx.generation) {
        return Some(Direct {
            source: Source::Config,
            label: "openclaw.json models.providers apiKey".into(),
        });
    }
    if is_env_marker(&key, ctx.generation) && ctx.d.env.get(&key).is_some() {
        return Some(Direct {
            source: Source::Env,
            label: format!("environment variable {key} (named by openclaw.json apiKey)"),
        });
    }
    None
}

fn synthetic_local(ctx: &Ctx, pcfg: Option<&Value>, auth_override: Option<&str>) -> bool {
    let Some(p) = pcfg else { return false };
    let text = |k: &str| {
        p.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let has_models = p
        .get("models")
        .and_then(Value::as_array)
        .is_some_and(|m| !m.is_empty());
    // 2026.9: a non-secret local marker ("ollama-local") still gets the synthetic key.
    let marker = |s: &str| {
        ctx.generation == Generation::Sqlite
            && is_non_secret_marker(s.trim(), ctx.generation)
            && !is_env_marker(s.trim(), ctx.generation)
    };
    let explicit_key = p.get("apiKey").is_some_and(|k| {
        k.as_str()
            .is_some_and(|s| !s.trim().is_empty() && !marker(s))
            || coerce_ref(Some(k), ctx.generation).is_some()
    });
    auth_override.is_none_or(|a| a == "api-key")
        && text("baseUrl").is_some()
        && text("api").is_some()
        && has_models
        && !explicit_key
        && text("baseUrl").is_some_and(is_local_base_url)
}

/// The runner's walk over the candidates: profiles `usageStats` takes out of use are
/// skipped; when every candidate is out (or fails), the provider fails without falling
/// back to env or config (`initializeAuthProfile` / `advanceAuthProfile`). Returns the
/// cell and whether it is final.
fn try_candidates(ctx: &Ctx, view: &AgentView, cands: &Candidates, mut cell: Cell) -> (Cell, bool) {
    let model = crate::domain::status::usage::run_model(ctx, &cell.agent, &cell.provider);
    let m = model.as_deref().map_or(ForModel::Other, ForModel::Model);
    for id in &cands.ids {
        if let Some(note) = crate::domain::status::usage::scoped_elsewhere(ctx, view, id, m) {
            cell.reasons.push(note);
        }
        if let Some(b) = usage_block(view, id, ctx.generation, m, ctx.now_ms) {
            let finding = crate::domain::status::usage::block_finding(view, id, &b, ctx.now_ms);
            cell.reasons.push(finding.message.clone());
            cell.findings.push(finding);
            cell.usage_blocks
                .push(crate::domain::status::cell::UsageBlockOut::new(
                    id, b, ctx.now_ms,
                ));
        }
    }
    let blocked = |id: &String| cell_blocked(&cell, id);
    let ready: Vec<&String> = cands.ids.iter().filter(|id| !blocked(id)).collect();
    for id in ready {
        let entry = &view.entries[id];
        match try_profile(ctx, entry) {
            Ok(resolved) => {
                return (
                    finish_profile(cell, entry, resolved, view, ctx.now_ms),
                    true,
                );
            }
            Err(f) => {
                cell.reasons.push(format!("tried {id}: {f}"));
                cell.findings
                    .push(crate::domain::status::usage::failed_finding(entry, &f));
            }
        }
    }
    if cell.usage_blocks.is_empty() {
        return (cell, false);
    }
    crate::domain::status::usage::all_blocked(&mut cell, view, ctx.now_ms);
    (cell, true)
}

fn cell_blocked(cell: &Cell, id: &str) -> bool {
    cell.usage_blocks.iter().any(|b| b.profile == id)
}
fn finish_missing(
    ctx: &Ctx,
    mut cell: Cell,
    view: &AgentView,
    pkey: &str,
    cands: &Candidates,
) -> Cell {
    let dropped: Vec<_> = view
        .dropped
        .iter()
        .filter(|(d, _)| {
            d.raw
                .get("provider")
                .and_then(Value::as_str)
                .is_some_and(|p| auth_key(p, ctx.generation) == pkey)
        })
        .collect();
    for (d, file) in &dropped {
        cell.reasons.push(format!(
            "{} in {} is dropped by OpenClaw's loader ({}), so it never counts",
            d.id,
            file.display(),
            d.reason.as_str()
        ));
    }
    let real: Vec<&Ineligible> = cands
        .rejected
        .iter()
        .map(|(_, why)| why)
        .filter(|why| **why != Ineligible::ProfileMissing)
        .collect();
    let listed = profiles_for_provider(view, pkey);
    cell.state = if !real.is_empty() && real.iter().all(|why| **why == Ineligible::Expired) {
        CellState::Expired
    } else if real.is_empty()
        && dropped.is_empty()
        && (listed.is_empty()
            || cands.ids.is_empty() && cell.reasons.iter().all(|r| !r.starts_with("tried")))
    {
        CellState::Missing
    } else {
        CellState::Invalid
    };
    cell.file = Some(view.store_display.clone());
    cell.reasons.push(format!(
        "No API key found for provider \"{}\".{}",
        cell.provider, view.missing_tail
    ));
    cell
}
