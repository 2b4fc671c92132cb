//! 2026.9 config bindings: `models.providers.<p>.apiKey` naming a profile id (written by
//! `paste-api-key`) is resolved before any order (runtime-rules.md "9.6 bindings").

use crate::domain::status::attempt::finish_profile;
use crate::domain::status::attempt::try_profile;
use crate::domain::status::cell::{Cell, CellState, Ctx};
use crate::domain::status::findings::Finding;
use crate::domain::status::view::AgentView;
use serde_json::Value;

/// The bound profile's outcome, or `None` when the apiKey names no visible profile.
pub(crate) fn provider_entry_profile(
    ctx: &Ctx,
    view: &AgentView,
    pkey: &str,
    pcfg: Option<&Value>,
    cell: &mut Cell,
) -> Option<Cell> {
    let id = pcfg?.get("apiKey")?.as_str()?.trim();
    let entry = view.entries.get(id)?;
    if entry.pkey != pkey && !same_base_url(ctx, pcfg, &entry.pkey) {
        return Some(incompatible(ctx, cell, id, &entry.pkey));
    }
    cell.reasons.push(format!(
        "openclaw.json models.providers apiKey names profile {id}, which OpenClaw uses first (before any order)"
    ));
    if let Some(f) = overridden_order(ctx, view, pkey, id) {
        cell.reasons.push(f.message.clone());
        cell.findings.push(f);
    }
    match try_profile(ctx, entry) {
        Ok(resolved) => Some(finish_profile(
            cell.clone(),
            entry,
            resolved,
            view,
            ctx.now_ms,
        )),
        Err(why) => {
            let mut failed = cell.clone();
            failed.state = CellState::Invalid;
            failed.profile = Some(id.to_string());
            failed.reasons.push(format!(
                "Per-entry apiKey \"{id}\" matched a stored profile but failed to resolve: {why}"
            ));
            failed
                .findings
                .push(crate::domain::status::usage::failed_finding(entry, &why));
            Some(failed)
        }
    }
}

fn base_url(v: Option<&Value>) -> Option<String> {
    v?.get("baseUrl")?
        .as_str()
        .map(|s| s.trim().trim_end_matches('/').to_string())
        .filter(|s| !s.is_empty())
}

fn same_base_url(ctx: &Ctx, pcfg: Option<&Value>, other: &str) -> bool {
    let mine = base_url(pcfg);
    mine.is_some() && mine == base_url(ctx.provider_config(other))
}

/// A binding to another provider's profile with a different base URL: the provider
/// fails before any profile, env var or order is tried.
fn incompatible(ctx: &Ctx, cell: &mut Cell, id: &str, owner: &str) -> Cell {
    let mut failed = cell.clone();
    failed.state = CellState::Invalid;
    let msg = format!(
        "Per-entry apiKey \"{id}\" is not compatible with this provider entry's auth binding: {id} belongs to provider {owner}, whose baseUrl differs, so OpenClaw fails {} before trying any profile, env var or order",
        cell.provider
    );
    failed.reasons.push(msg.clone());
    let config = ctx.d.config.path.clone().unwrap_or_default();
    failed.findings.push(
        Finding::new(
            "binding_incompatible",
            &config,
            msg,
            format!(
                "Point models.providers.{}.apiKey at a {} profile (or remove it so the order applies).",
                cell.provider, cell.provider
            ),
        )
        .profile(id),
    );
    failed
}

/// The apiKey looks like a profile id of this provider that no store this agent reads
/// holds: OpenClaw sends the id text itself as the key (a config copied without its
/// store), so every request is refused.
pub(crate) fn dangling(
    ctx: &Ctx,
    pkey: &str,
    pcfg: Option<&Value>,
    view: &AgentView,
) -> Option<Finding> {
    let id = pcfg?.get("apiKey")?.as_str()?.trim();
    let (prefix, rest) = id.split_once(':')?;
    let looks_like_id = !rest.is_empty()
        && !id.contains(char::is_whitespace)
        && crate::domain::read::providers::auth_key(prefix, ctx.generation) == pkey;
    if !looks_like_id || view.entries.contains_key(id) {
        return None;
    }
    let held = ctx.holders_of(id);
    let where_ = if held.is_empty() {
        "no store on this machine holds it (a config copied without its store?)".to_string()
    } else {
        format!(
            "only {} holds it, which this agent does not read",
            held.join(", ")
        )
    };
    let config = ctx.d.config.path.clone().unwrap_or_default();
    Some(
        Finding::new(
            "dangling_binding",
            &config,
            format!("openclaw.json models.providers.{pkey}.apiKey names profile {id}, but {where_}: OpenClaw sends the text \"{id}\" as the API key, so the cell looks configured but every request will be refused"),
            format!(
                "Add profile {id} to a store this agent reads (e.g. `openclaw models auth paste-api-key --provider {} --profile-id {}`), or set apiKey to a real key reference.",
                crate::domain::text::shell_quote(pkey),
                crate::domain::text::shell_quote(id)
            ),
        )
        .profile(id)
        .error(),
    )
}

/// An explicit order that would pick another profile first: the binding wins, so the
/// order (e.g. after a rotation with `models auth order set`) has no effect.
fn overridden_order(ctx: &Ctx, view: &AgentView, pkey: &str, id: &str) -> Option<Finding> {
    let c = crate::domain::status::order::candidates(
        view,
        ctx.config(),
        pkey,
        ctx.generation,
        ctx.now_ms,
    );
    let explicit = matches!(
        c.source,
        crate::domain::status::order::OrderSource::StoreOrder
            | crate::domain::status::order::OrderSource::ConfigOrder
    );
    let first = c.ids.first()?;
    if !explicit || first == id {
        return None;
    }
    let config = ctx.d.config.path.clone().unwrap_or_default();
    Some(
        Finding::new(
            "binding_overrides_order",
            &config,
            format!("the auth order for {pkey} puts {first} first, but openclaw.json models.providers.{pkey}.apiKey binds {id}, which OpenClaw uses before any order: {first} is not used"),
            format!("Point models.providers.{pkey}.apiKey at {first} (or remove the binding so the order applies)."),
        )
        .profile(id),
    )
}
