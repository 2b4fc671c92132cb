//! `usageStats` windows (cooldown, disabled) and failed attempts, as reasons and
//! findings (auth-store.md §5.4; `usage-state.ts`, the embedded runner's auth controller).

use crate::domain::status::attempt::Failed;
use crate::domain::status::cell::{Cell, CellState, Ctx, human_duration};
use crate::domain::status::findings::{Finding, file_of};
use crate::domain::status::view::{AgentView, ViewEntry};
use crate::domain::status::windows::UsageBlock;
use crate::domain::status::windows::{ForModel, usage_block};

/// Reasons the runner may still probe a profile when every one is cooling down
/// (`shouldUseTransientCooldownProbeSlot`).
const TRANSIENT: &[&str] = &[
    "rate_limit",
    "overloaded",
    "unknown",
    "empty_response",
    "no_error_details",
    "unclassified",
    "timeout",
];

fn describe(id: &str, b: &UsageBlock, now_ms: f64) -> String {
    let why = b
        .reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let model = b
        .model
        .as_deref()
        .map(|m| format!(" for model {m}"))
        .unwrap_or_default();
    let what = if b.kind == "disabled" {
        "is disabled"
    } else {
        "is cooling down"
    };
    format!(
        "skipped {id}: it {what}{why}{model} for another {} (usageStats, until {}), so runs skip it",
        human_duration(b.until - now_ms),
        crate::domain::write::utc::iso8601(b.until as i64)
    )
}

/// The cooldown / disabled finding for profile `id`.
pub(crate) fn block_finding(view: &AgentView, id: &str, b: &UsageBlock, now_ms: f64) -> Finding {
    let fix = if b.kind == "disabled" {
        "Fix the cause (billing, a revoked key…), then wait for the window to end or clear usageStats for this profile (OpenClaw clears it after a success)."
    } else {
        "Wait for the cooldown to end, or add another profile for this provider so runs can move on."
    };
    Finding::new(
        b.kind,
        file_of(view, id),
        describe(id, b, now_ms),
        fix.into(),
    )
    .profile(id)
}

/// A candidate whose secret did not resolve, or whose login cannot be refreshed.
pub(crate) fn failed_finding(entry: &ViewEntry, f: &Failed) -> Finding {
    let id = &entry.profile.id;
    let fix = match f.code {
        "unresolved_ref" => {
            "Make the reference resolve: set the variable, fix secrets.providers in openclaw.json, or make the secrets file exist, private (chmod 600) and hold the JSON pointer."
        }
        "oauth_refresh_failed" => "Sign in again (`openclaw models auth login`).",
        "oauth_secret_ref" => {
            "Store OAuth tokens inline; use SecretRefs only for api_key/token profiles."
        }
        "expired" => "Paste a fresh token or sign in again.",
        "invalid_expires" => "Use epoch milliseconds > 0 for expires, or remove it.",
        _ => "Put a secret into the profile, or remove it.",
    };
    Finding::new(
        f.code,
        entry.file,
        format!("profile {id} fails: {}", f.why),
        fix.into(),
    )
    .profile(id)
}

/// Every candidate is out of use: the runner fails the provider ("No available auth
/// profile … all in cooldown or unavailable") without trying env vars or config.
pub(crate) fn all_blocked(cell: &mut Cell, view: &AgentView, now_ms: f64) {
    let soonest = cell
        .usage_blocks
        .iter()
        .map(|b| b.until)
        .fold(f64::INFINITY, f64::min);
    cell.state = CellState::Invalid;
    cell.file = Some(view.store_display.clone());
    cell.reasons.push(format!(
        "every profile OpenClaw would try for {} is in cooldown or disabled: runs skip the provider for another {} (OpenClaw: all profiles in cooldown or unavailable)",
        cell.provider,
        human_duration(soonest - now_ms)
    ));
    let transient = cell.usage_blocks.iter().all(|b| {
        b.kind == "cooldown" && b.reason.as_deref().is_none_or(|r| TRANSIENT.contains(&r))
    });
    if transient {
        cell.reasons.push("a run with model fallbacks may still probe one cooling profile once (transient failure reason)".into());
    }
    cell.fix = Some(format!(
        "Wait {} for the window to end, or add another working profile for {}.",
        human_duration(soonest - now_ms),
        cell.provider
    ));
}

/// The model id a run of `agent` on `provider` passes as `forModel`: the first of the
/// agent's models (primary, then fallbacks) on this provider, without the provider part.
pub fn run_model(ctx: &Ctx, agent: &str, provider: &str) -> Option<String> {
    use crate::domain::read::discovery::{agent_models, provider_of_model};
    use crate::domain::read::providers::normalize_provider;
    let g = ctx.generation;
    let a = ctx.d.agents.iter().find(|a| a.id == agent)?;
    agent_models(ctx.d, a).into_iter().find_map(|m| {
        let p = provider_of_model(&m)?;
        (normalize_provider(p, g) == normalize_provider(provider, g))
            .then(|| m.split_once('/').map(|(_, id)| id.trim().to_string()))
            .flatten()
    })
}

/// A cooldown scoped to another model than the run's: runs still use the profile.
pub(crate) fn scoped_elsewhere(
    ctx: &Ctx,
    view: &AgentView,
    id: &str,
    m: ForModel,
) -> Option<String> {
    let (g, now) = (ctx.generation, ctx.now_ms);
    let b = usage_block(view, id, g, ForModel::Unknown, now)?;
    let scoped = b.model.as_deref()?;
    if usage_block(view, id, g, m, now).is_some() {
        return None;
    }
    let run = match m {
        ForModel::Model(run) => format!("this agent runs {run}"),
        _ => "this agent runs no model of the provider itself".to_string(),
    };
    Some(format!(
        "{id} is cooling down for model {scoped} only (usageStats cooldownModel, another {}): {run}, so runs on other models still use it",
        human_duration(b.until - now)
    ))
}
