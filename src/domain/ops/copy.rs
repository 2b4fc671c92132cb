//! `copy`: profiles from one agent's own store to other agents, with OpenClaw's
//! portability rules (auth-store.md §8) and conflict handling.

use super::draft::ProfileDraft;
use super::error::PlanError;
use super::plan::{Paste, Plan, PlanKind, StoreEdit};
use super::targets::{
    Target, Targets, affected_agents, current_store, plan_store_change, resolve_targets,
};
use crate::domain::read::discovery::Discovery;
use crate::domain::read::profile::CredType;
use crate::domain::read::providers::auth_key;
use crate::domain::read::version::Generation;
use crate::domain::text::shell_quote;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    Skip,
    Overwrite,
    Rename,
}

#[derive(Debug, Clone)]
pub(crate) struct CopyRequest {
    pub(crate) from: String,
    pub(crate) to: Targets,
    pub(crate) providers: Vec<String>,
    pub(crate) profiles: Vec<String>,
    pub(crate) include_oauth: bool,
    pub(crate) on_conflict: OnConflict,
}

/// A source agent's profiles, and its `order` (provider → profile ids).
type SourceProfiles = (Vec<ProfileDraft>, BTreeMap<String, Vec<String>>);

/// The source agent's own store document, read strictly: anything unreadable aborts.
fn source_profiles(d: &Discovery, from: &str) -> Result<SourceProfiles, PlanError> {
    let agent = d.agent(from).ok_or_else(|| PlanError::UnknownSource {
        agent: from.to_string(),
    })?;
    let path = agent
        .dir
        .join(crate::domain::read::discovery::AUTH_PROFILES);
    let raw = match d.generation {
        Generation::Json => current_store(&path)?,
        Generation::Sqlite => sqlite_source(d, &agent.dir)?,
    };
    let raw = raw.ok_or_else(|| PlanError::NoOwnStore {
        agent: from.to_string(),
    })?;
    let profiles = raw
        .get("profiles")
        .and_then(Value::as_object)
        .ok_or_else(|| PlanError::NoProfiles {
            agent: from.to_string(),
            file: path.clone(),
            legacy: raw.is_object(),
        })?;
    let drafts = profiles
        .iter()
        .filter_map(|(id, v)| ProfileDraft::from_value(id, v))
        .collect();
    let order = raw
        .get("order")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((drafts, order))
}

fn sqlite_source(d: &Discovery, dir: &std::path::Path) -> Result<Option<Value>, PlanError> {
    let store = if dir == d.shared_owner_dir || dir == d.main_dir() {
        d.shared.as_ref()
    } else {
        d.dir_stores(dir).map(|s| &s.primary)
    };
    let store = store.ok_or(PlanError::NoSourceStore)?;
    if let Some(e) = &store.error {
        return Err(PlanError::SourceUnreadable(e.clone()));
    }
    Ok(store.raw.clone())
}

/// Why a profile is not copied, if it is not.
fn portability(draft: &ProfileDraft, include_oauth: bool) -> Option<String> {
    if draft.fields.get("copyToAgents") == Some(&Value::Bool(false)) {
        return Some(format!("{} has copyToAgents: false", draft.id));
    }
    match draft.cred_type {
        CredType::Oauth if !include_oauth => Some(format!(
            "{} is an OAuth login: not copied (refresh tokens can be single-use; agents inherit it from the shared store instead). Pass --include-oauth to copy anyway",
            draft.id
        )),
        CredType::Oauth if draft.secrets.is_empty() => {
            Some(format!("{} has no inline OAuth tokens to copy", draft.id))
        }
        _ => None,
    }
}

fn selected(d: &Discovery, req: &CopyRequest, draft: &ProfileDraft) -> bool {
    let by_provider = req.providers.is_empty()
        || req
            .providers
            .iter()
            .any(|p| auth_key(p, d.generation) == auth_key(&draft.provider, d.generation));
    let by_id = req.profiles.is_empty() || req.profiles.contains(&draft.id);
    by_provider && by_id
}

pub(crate) fn plan_copy(d: &Discovery, req: &CopyRequest) -> Result<Plan, PlanError> {
    super::targets::require_readable_config(d)?;
    let (drafts, order) = source_profiles(d, &req.from)?;
    let dests: Vec<Target> = resolve_targets(d, &req.to)?
        .into_iter()
        .filter(|t| t.agent.as_deref() != Some(req.from.as_str()))
        .collect();
    if dests.is_empty() {
        return Err(PlanError::NoDestination);
    }
    let mut plan = Plan::new(
        PlanKind::Copy,
        format!(
            "Copy profiles from agent {} to {}",
            req.from,
            dests
                .iter()
                .map(Target::label)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let mut chosen = Vec::new();
    for draft in drafts.into_iter().filter(|dr| selected(d, req, dr)) {
        match portability(&draft, req.include_oauth) {
            Some(why) => plan.notes.push(format!("skipped {why}")),
            None => chosen.push(draft),
        }
    }
    if chosen.is_empty() {
        return Err(PlanError::NothingToCopy {
            from: req.from.clone(),
            skipped: plan.notes,
        });
    }
    if chosen.iter().any(|c| c.cred_type == CredType::Oauth) {
        plan.warnings.push("copying OAuth logins: refresh tokens can be single-use, so when one agent refreshes, the other copies may stop working (refresh_token_reused)".into());
    }
    for dest in &dests {
        match d.generation {
            Generation::Json => {
                plan_json_dest(d, dest, &chosen, &order, req.on_conflict, &mut plan)?
            }
            Generation::Sqlite => plan_sqlite_dest(d, dest, &chosen, req.on_conflict, &mut plan),
        }
    }
    plan.warnings.extend(super::targets::generation_warning(d));
    plan.add_gateway_advice(d);
    super::links::guard_plan(d, &mut plan)?;
    Ok(plan)
}

/// Resolves one profile against a destination: the id to write, or None to skip.
fn resolve_conflict(
    existing: &serde_json::Map<String, Value>,
    draft: &ProfileDraft,
    on_conflict: OnConflict,
    dest: &str,
    plan: &mut Plan,
) -> Option<String> {
    let Some(old) = existing.get(&draft.id) else {
        return Some(draft.id.clone());
    };
    if draft.same_as(old) {
        plan.notes
            .push(format!("{dest} already has {} (identical)", draft.id));
        return None;
    }
    match on_conflict {
        OnConflict::Skip => {
            plan.warnings.push(format!("conflict: {dest} already has a different {}; skipped (use --on-conflict overwrite or rename)", draft.id));
            None
        }
        OnConflict::Overwrite => {
            plan.warnings.push(format!(
                "conflict: overwrites {dest}'s different {}",
                draft.id
            ));
            Some(draft.id.clone())
        }
        OnConflict::Rename => {
            let new_id = (2..)
                .map(|n| {
                    format!(
                        "{}-copy{}",
                        draft.id,
                        if n == 2 { String::new() } else { n.to_string() }
                    )
                })
                .find(|id| !existing.contains_key(id))
                .unwrap_or_default();
            plan.warnings.push(format!(
                "conflict: {dest} already has a different {}; copied as {new_id}",
                draft.id
            ));
            Some(new_id)
        }
    }
}

fn plan_json_dest(
    d: &Discovery,
    dest: &Target,
    chosen: &[ProfileDraft],
    order: &BTreeMap<String, Vec<String>>,
    on_conflict: OnConflict,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let path = dest.store_path();
    let existing = current_store(&path)?
        .and_then(|doc| doc.get("profiles").and_then(Value::as_object).cloned())
        .unwrap_or_default();
    let (mut edits, mut summary, mut written) = (Vec::new(), Vec::new(), BTreeMap::new());
    for draft in chosen {
        let Some(id) = resolve_conflict(&existing, draft, on_conflict, &dest.label(), plan) else {
            continue;
        };
        let mut copy = draft.clone();
        copy.id = id.clone();
        summary.push(format!("copies {} ({})", id, draft.cred_type.as_str()));
        written.insert(draft.id.clone(), id.clone());
        plan.expect_profiles.push((path.clone(), id));
        for agent in affected_agents(d, dest) {
            plan.may_change.push((agent, draft.provider.clone()));
        }
        edits.push(StoreEdit::Upsert(copy));
    }
    for (provider, ids) in order {
        let kept: Vec<String> = ids
            .iter()
            .filter_map(|id| written.get(id).cloned())
            .collect();
        if !kept.is_empty() {
            summary.push(format!(
                "sets order.{provider} to the copied ids if it has none"
            ));
            edits.push(StoreEdit::SetOrderIfAbsent {
                provider: provider.clone(),
                ids: kept,
            });
        }
    }
    if !edits.is_empty() {
        plan.changes.push(plan_store_change(&path, edits, summary)?);
    }
    Ok(())
}

fn plan_sqlite_dest(
    d: &Discovery,
    dest: &Target,
    chosen: &[ProfileDraft],
    on_conflict: OnConflict,
    plan: &mut Plan,
) {
    let agent = dest
        .agent
        .clone()
        .unwrap_or_else(|| super::set::shared_owner_agent(d));
    let existing = d
        .dir_stores(&dest.dir)
        .and_then(|s| s.primary.raw.as_ref())
        .and_then(|r| r.get("profiles"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for draft in chosen {
        let Some(secret) = draft
            .primary_secret()
            .filter(|_| draft.cred_type != CredType::Oauth)
        else {
            plan.manual.push(format!("{} cannot be copied into OpenClaw ≥ 2026.6's database by clawauth (OAuth or reference); sign in for agent {agent} with `openclaw models auth login --provider {} --agent {}`", draft.id, shell_quote(&draft.provider), shell_quote(&agent)));
            continue;
        };
        let Some(id) = resolve_conflict(&existing, draft, on_conflict, &dest.label(), plan) else {
            continue;
        };
        let expires_ms = draft.fields.get("expires").and_then(Value::as_f64);
        let paste = Paste {
            cred_type: draft.cred_type,
            provider: &draft.provider,
            profile_id: &id,
            agent: &agent,
            expires_ms,
        };
        plan.steps.push(paste.step(secret, d.now_ms));
        plan.expect_profiles.push((dest.dir.clone(), id));
        for a in affected_agents(d, dest) {
            plan.may_change.push((a, draft.provider.clone()));
        }
    }
}
