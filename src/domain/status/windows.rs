//! `usageStats` windows that take a profile out of use (auth-store.md §5.4):
//! `isProfileInCooldown` / `resolveProfileUnusableUntil` / `shouldBypassModelScopedCooldown`
//! (`src/agents/auth-profiles/usage.ts` 2026.4.5, `usage-state.ts` 2026.9.6).
//!
//! A cooldown recorded for one model (`cooldownModel`, with a model-scoped
//! `cooldownReason`) blocks only runs on that model: the embedded runner passes the
//! run's model id as `forModel`, and a run on another model still uses the profile,
//! unless a `disabledUntil` window (or, 2026.9, a `blockedUntil` window that applies
//! to the run's model) is active as well.

use crate::domain::read::version::Generation;
use crate::domain::status::view::AgentView;

/// Why a profile is out of use for a while.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UsageBlock {
    /// `cooldown` or `disabled` (also the problem code).
    pub(crate) kind: &'static str,
    pub(crate) until: f64,
    /// `cooldownReason` / `disabledReason` / `blockedReason`, when recorded.
    pub(crate) reason: Option<String>,
    /// The model a cooldown is scoped to (`cooldownModel`), when recorded.
    pub(crate) model: Option<String>,
}

/// The model a check is for, as OpenClaw passes `forModel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ForModel<'a> {
    /// No model given (`resolveAuthProfileOrder`'s sort): every window counts.
    Unknown,
    /// A run on this model id (the part after `provider/`).
    Model(&'a str),
    /// A run on a model of the provider other than any recorded one (the agent runs
    /// none of this provider's models itself).
    Other,
}

impl ForModel<'_> {
    /// True when `scoped` names another model than the run's.
    fn differs_from(self, scoped: &str) -> bool {
        match self {
            ForModel::Unknown => false,
            ForModel::Model(m) => m != scoped,
            ForModel::Other => true,
        }
    }
}

/// openrouter and kilocode manage cooldowns themselves (`isAuthCooldownBypassedForProvider`).
pub(crate) fn cooldown_exempt(provider: &str) -> bool {
    matches!(provider.to_lowercase().as_str(), "openrouter" | "kilocode")
}

/// A positive finite number of the profile's `usageStats`.
pub(crate) fn usage_num(view: &AgentView, id: &str, field: &str) -> Option<f64> {
    view.usage
        .get(id)?
        .get(field)?
        .as_f64()
        .filter(|v| v.is_finite() && *v > 0.0)
}

fn usage_str(view: &AgentView, id: &str, field: &str) -> Option<String> {
    let s = view.usage.get(id)?.get(field)?.as_str()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// `isModelScopedCooldownReason`: 2026.4 scopes only rate limits.
fn model_scoped_reason(reason: Option<&str>, generation: Generation) -> bool {
    match generation {
        Generation::Json => reason == Some("rate_limit"),
        Generation::Sqlite => matches!(reason, Some("rate_limit" | "timeout" | "model_not_found")),
    }
}

/// 2026.9 `blockedUntil` counts unless it is scoped (`blockedScope: "model"`) to another model.
fn blocked_applies(view: &AgentView, id: &str, m: ForModel) -> bool {
    let scoped = usage_str(view, id, "blockedScope").as_deref() == Some("model");
    match usage_str(view, id, "blockedModel") {
        Some(b) if scoped => !m.differs_from(&b),
        _ => true,
    }
}

fn active(view: &AgentView, id: &str, field: &str, now_ms: f64) -> bool {
    usage_num(view, id, field).is_some_and(|u| now_ms < u)
}

/// `shouldBypassModelScopedCooldown`: the cooldown belongs to another model.
fn bypass(view: &AgentView, id: &str, generation: Generation, m: ForModel, now_ms: f64) -> bool {
    let Some(scoped) = usage_str(view, id, "cooldownModel") else {
        return false;
    };
    let reason = usage_str(view, id, "cooldownReason");
    let blocked = generation == Generation::Sqlite
        && blocked_applies(view, id, m)
        && active(view, id, "blockedUntil", now_ms);
    model_scoped_reason(reason.as_deref(), generation)
        && m.differs_from(&scoped)
        && !blocked
        && !active(view, id, "disabledUntil", now_ms)
}

/// The latest active window that takes profile `id` out of use for a run on `m`.
pub(crate) fn usage_block(
    view: &AgentView,
    id: &str,
    generation: Generation,
    m: ForModel,
    now_ms: f64,
) -> Option<UsageBlock> {
    let entry = view.entries.get(id)?;
    if cooldown_exempt(&entry.profile.provider) || bypass(view, id, generation, m, now_ms) {
        return None;
    }
    let blocked = generation == Generation::Sqlite && blocked_applies(view, id, m);
    let windows = [
        ("disabledUntil", "disabled", "disabledReason", true),
        ("blockedUntil", "disabled", "blockedReason", blocked),
        ("cooldownUntil", "cooldown", "cooldownReason", true),
    ];
    windows
        .iter()
        .filter(|w| w.3)
        .filter_map(|(f, kind, why, _)| {
            let until = usage_num(view, id, f).filter(|u| now_ms < *u)?;
            Some(UsageBlock {
                kind,
                until,
                reason: usage_str(view, id, why),
                model: (*kind == "cooldown")
                    .then(|| usage_str(view, id, "cooldownModel"))
                    .flatten(),
            })
        })
        .max_by(|a, b| a.until.total_cmp(&b.until))
}
