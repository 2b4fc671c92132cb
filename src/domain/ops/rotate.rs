//! `rotate`: replace a provider's static secret in the stores that hold it, shadows
//! included (issue: writes §3). By default only the key being rotated is replaced;
//! a store holding a different key (or the key as the other type) only when chosen
//! (see `key_groups` for the rule).

use super::error::PlanError;
use super::key_groups::{
    Holder, Holding, HoldingId, KeyGroups, KeyRole, holders, is_reference, key_groups, literal,
};
use super::plan::{Paste, Plan, PlanKind, StoreEdit};
use super::secret::Secret;
use super::targets::plan_store_change;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::profile::{CredType, Profile};
use crate::domain::read::version::Generation;
use std::path::PathBuf;

#[derive(Clone)]
pub struct RotateRequest {
    pub(crate) provider: String,
    pub(crate) secret: Secret,
    /// Only stores of these agents (empty: every store holding the provider).
    pub(crate) agents: Vec<String>,
    /// Also replace different keys (or the key stored as the other type).
    pub(crate) include_different: bool,
    /// Whose runtime key is the key being rotated (None: the first of `agents`, else
    /// the default agent).
    pub(crate) for_agent: Option<String>,
    /// Exactly these holdings, as a front end ticked them (then `agents` and
    /// `include_different` are not used).
    pub(crate) exactly: Option<Vec<HoldingId>>,
}

impl RotateRequest {
    /// The key being rotated in every store holding it, nothing else.
    pub fn new(provider: impl Into<String>, secret: Secret) -> RotateRequest {
        RotateRequest {
            provider: provider.into(),
            secret,
            agents: Vec::new(),
            include_different: false,
            for_agent: None,
            exactly: None,
        }
    }
}

/// How a note says that a profile needs no change.
const ALREADY: &str = "already holds this secret: nothing to change";

pub fn plan_rotate(d: &Discovery, req: &RotateRequest) -> Result<Plan, PlanError> {
    super::targets::require_readable_config(d)?;
    crate::domain::text::check_cli_id(&req.provider, crate::domain::text::IdField::Provider)?;
    let provider = req.provider.trim().to_lowercase();
    refuse_unreadable_stores(d, req, &provider)?;
    let found = holders(d, &provider);
    if found.is_empty() {
        return Err(PlanError::NoStaticHolder {
            provider: provider.clone(),
        });
    }
    let agent = req
        .for_agent
        .as_deref()
        .or(req.agents.first().map(String::as_str));
    let groups = key_groups(d, &provider, agent, &req.secret);
    let picked = picked(req, &groups, &found)?;
    let mut plan = Plan::new(PlanKind::Rotate, format!("Rotate the {provider} secret"));
    plan.key_groups = groups.outcome(&picked);
    plan.notes.push(format!(
        "The key being rotated is {}.",
        groups.rotated_because
    ));
    for h in &found {
        plan_holder(d, h, &provider, req, &picked, &mut plan)?;
    }
    let already = plan.notes.iter().any(|n| n.ends_with(ALREADY));
    if plan.is_empty() && plan.manual.is_empty() && !already {
        return Err(PlanError::NothingToRotate { provider });
    }
    plan.warnings.extend(super::targets::generation_warning(d));
    plan.add_gateway_advice(d);
    super::links::guard_plan(d, &mut plan)?;
    Ok(plan)
}

/// Whether the store of `h` is one the request names (by agent, or every store).
fn in_scope(req: &RotateRequest, h: &Holder) -> bool {
    req.agents.is_empty() || h.agents.iter().any(|a| req.agents.contains(a))
}

/// The holdings the plan replaces: exactly the chosen ones, else the key being rotated
/// in the stores in scope (and the other keys there with `include_different`).
fn picked(
    req: &RotateRequest,
    groups: &KeyGroups,
    found: &[Holder],
) -> Result<Vec<HoldingId>, PlanError> {
    if let Some(ids) = &req.exactly {
        return exactly(ids, groups);
    }
    let scoped = |h: &&Holding| {
        found
            .iter()
            .any(|f| f.store.path.display().to_string() == h.store && in_scope(req, f))
    };
    let in_scope: Vec<&Holding> = groups.holdings.iter().filter(scoped).collect();
    let wanted = |h: &&&Holding| req.include_different || groups.role_of(h) != KeyRole::Different;
    let ids: Vec<HoldingId> = in_scope.iter().filter(wanted).map(|h| h.id()).collect();
    if ids.is_empty() && !in_scope.is_empty() {
        return Err(only_different(groups, &in_scope));
    }
    Ok(ids)
}

/// The chosen holdings, each still holding the key it held when listed.
fn exactly(ids: &[HoldingId], groups: &KeyGroups) -> Result<Vec<HoldingId>, PlanError> {
    for id in ids {
        let now = groups
            .holdings
            .iter()
            .find(|h| h.store == id.store && h.profile == id.profile);
        if now.map(Holding::id).as_ref() != Some(id) {
            return Err(PlanError::ChangedSinceListed {
                profile: id.profile.clone(),
                store: id.store.clone(),
            });
        }
    }
    Ok(ids.to_vec())
}

fn only_different(groups: &KeyGroups, in_scope: &[&Holding]) -> PlanError {
    let holdings = in_scope
        .iter()
        .map(|h| {
            format!(
                "{} in {}, {}",
                h.profile, h.label, groups.groups[h.group].key
            )
        })
        .collect();
    PlanError::OnlyDifferent {
        provider: groups.provider.clone(),
        rotated_because: groups.rotated_because.clone(),
        holdings,
    }
}

/// A store rotate cannot read may hold the provider too: rotating only the others would
/// leave it on the old (perhaps revoked) secret without anyone noticing.
fn refuse_unreadable_stores(
    d: &Discovery,
    req: &RotateRequest,
    provider: &str,
) -> Result<(), PlanError> {
    let in_scope = |dir: &PathBuf| {
        req.agents.is_empty()
            || d.agents
                .iter()
                .any(|a| &a.dir == dir && req.agents.contains(&a.id))
    };
    let unreadable = d
        .dirs
        .iter()
        .filter(|(dir, _)| in_scope(dir))
        .map(|(_, s)| &s.primary)
        .chain(d.shared.iter().filter(|_| req.agents.is_empty()))
        .find_map(|s| s.error.as_ref());
    match unreadable {
        Some(e) => Err(PlanError::UnreadableHolder {
            error: e.clone(),
            provider: provider.to_string(),
        }),
        None => Ok(()),
    }
}

/// Plans the picked holdings of one store; the others are noted as kept.
fn plan_holder(
    d: &Discovery,
    h: &Holder,
    provider: &str,
    req: &RotateRequest,
    picked: &[HoldingId],
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let store = h.store.path.display().to_string();
    let is_picked = |p: &&Profile| {
        picked
            .iter()
            .any(|id| id.store == store && id.profile == p.id)
    };
    let (chosen, kept): (Vec<&Profile>, Vec<&Profile>) = h
        .profiles
        .iter()
        .copied()
        .filter(|p| !is_reference(p))
        .partition(is_picked);
    if !kept.is_empty() {
        let ids: Vec<&str> = kept.iter().map(|p| p.id.as_str()).collect();
        plan.notes.push(format!(
            "not replaced: {store} ({}) keeps its current secret",
            ids.join(", ")
        ));
    }
    if req.exactly.is_some() || in_scope(req, h) {
        for p in h.profiles.iter().filter(|p| is_reference(p)) {
            plan.manual.push(format!(
                "{} in {store} uses a reference: rotate the referenced secret where it lives",
                p.id
            ));
        }
    }
    let changed = changed_profiles(&chosen, &store, &req.secret, plan);
    if changed.is_empty() {
        return Ok(());
    }
    for a in affected_agents(d, h) {
        plan.may_change.push((a, provider.to_string()));
    }
    match d.generation {
        Generation::Json => plan_json_store(h, &changed, &req.secret, plan),
        _ => {
            plan_openclaw_steps(d, h, &changed, &req.secret, plan);
            Ok(())
        }
    }
}

/// The chosen profiles whose secret differs from the new one (the others are noted).
fn changed_profiles<'a>(
    chosen: &[&'a Profile],
    store: &str,
    secret: &Secret,
    plan: &mut Plan,
) -> Vec<&'a Profile> {
    let mut out = Vec::new();
    for p in chosen {
        if literal(p) == Some(secret.expose()) {
            plan.notes.push(format!("{} in {store} {ALREADY}", p.id));
        } else {
            out.push(*p);
        }
    }
    out
}

/// The agents whose cells a change of this store may change (every agent for main's).
fn affected_agents(d: &Discovery, h: &Holder) -> Vec<String> {
    match h.agents.is_empty() || h.dir == d.main_dir() {
        true => d.agents.iter().map(|a| a.id.clone()).collect(),
        false => h.agents.clone(),
    }
}

/// JSON generation: the secrets replaced in place, as one store change.
fn plan_json_store(
    h: &Holder,
    changed: &[&Profile],
    secret: &Secret,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let edits: Vec<StoreEdit> = changed
        .iter()
        .map(|p| StoreEdit::ReplaceSecret {
            id: p.id.clone(),
            field: field(p).into(),
            secret: secret.clone(),
        })
        .collect();
    let summary = changed
        .iter()
        .map(|p| format!("replaces the secret of {} ({})", p.id, p.cred_type.as_str()))
        .collect();
    plan.changes
        .push(plan_store_change(&h.store.path, edits, summary)?);
    plan.expect_profiles
        .extend(changed.iter().map(|p| (h.store.path.clone(), p.id.clone())));
    Ok(())
}

/// SQLite generation: one OpenClaw paste per profile, for the store's agent.
fn plan_openclaw_steps(
    d: &Discovery,
    h: &Holder,
    changed: &[&Profile],
    secret: &Secret,
    plan: &mut Plan,
) {
    let agent = h
        .agents
        .first()
        .cloned()
        .unwrap_or_else(|| super::set::shared_owner_agent(d));
    for p in changed {
        let expires_ms = match p.expires {
            crate::domain::read::profile::Expires::Millis(ms) => Some(ms),
            _ => None,
        };
        let paste = Paste {
            cred_type: p.cred_type,
            provider: &p.provider,
            profile_id: &p.id,
            agent: &agent,
            expires_ms,
        };
        plan.steps.push(paste.step(secret, d.now_ms));
        plan.expect_profiles.push((h.dir.clone(), p.id.clone()));
    }
}

fn field(p: &Profile) -> &'static str {
    if p.cred_type == CredType::ApiKey {
        "key"
    } else {
        "token"
    }
}
