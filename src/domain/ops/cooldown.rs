//! After a live check proved a profile works: clear its cooldown and disabled window,
//! as OpenClaw does after a good run (`clearAuthProfileCooldown` → `resetUsageStats` in
//! `src/agents/auth-profiles/usage.ts`, dist/order-CoOjbg-h.js in 2026.4.5: `errorCount`
//! back to 0; `cooldownUntil`, `cooldownReason`, `cooldownModel`, `disabledUntil`,
//! `disabledReason` and `failureCounts` removed). JSON stores only, through the usual
//! lock + atomic write + backup; OpenClaw 2026.9 (SQLite) has no command for it, so the
//! plan says what to do instead. Never planned for a failed or skipped check: callers
//! pass only cells whose check was `ok`.

#[cfg(test)]
use super::doc::reset_usage;
use super::plan::{Plan, PlanKind, StoreEdit};
use crate::domain::read::discovery::Discovery;
use crate::domain::read::version::Generation;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// A profile's window still in the future: the latest of `cooldownUntil` and
/// `disabledUntil`, and the reason (`disabledReason`, else `cooldownReason`).
pub(crate) fn window(
    usage: &Map<String, Value>,
    id: &str,
    now_ms: f64,
) -> Option<(f64, Option<String>)> {
    let e = usage.get(id)?.as_object()?;
    let until = ["cooldownUntil", "disabledUntil"]
        .iter()
        .filter_map(|f| e.get(*f).and_then(Value::as_f64))
        .fold(f64::MIN, f64::max);
    let reason = ["disabledReason", "cooldownReason"]
        .iter()
        .find_map(|f| e.get(*f).and_then(Value::as_str).map(str::to_string));
    (until > now_ms).then_some((until, reason))
}

/// A profile whose live check came back `ok`, and the cell it was checked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passed {
    pub agent: String,
    pub provider: String,
    pub profile: String,
}

/// The store files of `agent` whose `usageStats` hold a live window for `profile`
/// (its own store, and main's for an inherited profile), each with whether it is
/// main's store (which every agent inherits from).
fn cooling_stores(d: &Discovery, agent: &str, profile: &str) -> Vec<(PathBuf, bool)> {
    let Some(a) = d.agent(agent) else {
        return Vec::new();
    };
    let mut dirs = vec![a.dir.clone(), d.main_dir().to_path_buf()];
    dirs.dedup();
    dirs.iter()
        .filter_map(|dir| Some((d.dir_stores(dir)?, dir.as_path() == d.main_dir())))
        .map(|(s, main)| (&s.primary, main))
        .filter(|(s, _)| s.exists && s.error.is_none())
        .filter(|(s, _)| window(&s.usage, profile, d.now_ms).is_some())
        .map(|(s, main)| (s.path.clone(), main))
        .collect()
}

/// What the plan's verification must know: the checked cell is meant to become
/// usable, and every cell of the provider in an agent that reads a cleared store may
/// change (another agent inheriting main's profile, or a cell going back to the
/// profile it preferred).
fn expect(plan: &mut Plan, d: &Discovery, p: &Passed, main_store: bool) {
    let cell = (p.agent.clone(), p.provider.clone());
    if !plan.expect_usable.contains(&cell) {
        plan.expect_usable.push(cell);
    }
    let agents: Vec<String> = match main_store {
        true => d.agents.iter().map(|a| a.id.clone()).collect(),
        false => vec![p.agent.clone()],
    };
    for agent in agents {
        let cell = (agent, p.provider.clone());
        if !plan.may_change.contains(&cell) {
            plan.may_change.push(cell);
        }
    }
}

/// The plan that clears the windows of profiles whose check was `ok`.
pub(crate) fn plan_clear_cooldowns(
    d: &Discovery,
    ok: &[Passed],
) -> Result<Plan, super::error::PlanError> {
    let mut plan = Plan::new(
        PlanKind::ClearCooldown,
        "Clear the cooldown of profiles that passed a live check",
    );
    let mut per_file: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for p in ok {
        let (agent, profile) = (&p.agent, &p.profile);
        if d.generation == Generation::Sqlite {
            plan.manual.push(format!(
                "{profile} ({agent}): OpenClaw 2026.9 keeps usage in SQLite and has no command to clear a cooldown; it clears itself on the profile's next successful run, or when the window ends"
            ));
            continue;
        }
        for (path, main_store) in cooling_stores(d, agent, profile) {
            expect(&mut plan, d, p, main_store);
            match per_file.iter_mut().find(|(q, _)| *q == path) {
                Some((_, ids)) if ids.contains(profile) => {}
                Some((_, ids)) => ids.push(profile.clone()),
                None => per_file.push((path, vec![profile.clone()])),
            }
        }
    }
    for (path, ids) in per_file {
        let summary = ids
            .iter()
            .map(|id| {
                format!("clear the cooldown / disabled window of {id} (errorCount back to 0)")
            })
            .collect();
        let edits = ids
            .into_iter()
            .map(|id| StoreEdit::ResetUsage { id })
            .collect();
        plan.changes
            .push(super::targets::plan_store_change(&path, edits, summary)?);
    }
    plan.add_gateway_advice(d);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resets_like_openclaw() {
        let mut doc = json!({"usageStats": {"p:a": {"lastUsed": 5, "errorCount": 3, "cooldownUntil": 9, "cooldownReason": "rate_limit", "disabledUntil": 10, "disabledReason": "billing", "failureCounts": {"billing": 2}}}});
        reset_usage(&mut doc, "p:a");
        assert_eq!(
            doc,
            json!({"usageStats": {"p:a": {"lastUsed": 5, "errorCount": 0}}})
        );
        let mut none = json!({"profiles": {}});
        reset_usage(&mut none, "p:a");
        assert_eq!(none, json!({"profiles": {}}));
        let usage = json!({"p:a": {"disabledUntil": 200.0, "disabledReason": "billing"}});
        let w = window(usage.as_object().unwrap(), "p:a", 100.0);
        assert_eq!(w, Some((200.0, Some("billing".into()))));
        assert_eq!(window(usage.as_object().unwrap(), "p:a", 300.0), None);
    }
}
