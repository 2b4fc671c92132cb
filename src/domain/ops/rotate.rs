//! `rotate`: replace a provider's static secret in every store that holds it,
//! shadows included (issue: writes §3).

use super::plan::{Paste, Plan, PlanKind, StoreEdit};
use super::secret::Secret;
use super::targets::plan_store_change;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::profile::{CredType, Profile};
use crate::domain::read::providers::auth_key;
use crate::domain::read::store::Store;
use crate::domain::read::version::Generation;
use std::path::PathBuf;

#[derive(Clone)]
pub struct RotateRequest {
    pub provider: String,
    pub secret: Secret,
    /// Only stores of these agents (empty: every store holding the provider).
    pub agents: Vec<String>,
}

/// A store holding a static credential for the provider.
struct Holder<'a> {
    store: &'a Store,
    /// Agents whose own store this is (empty for the shared store).
    agents: Vec<String>,
    dir: PathBuf,
    profiles: Vec<&'a Profile>,
}

fn holders<'a>(d: &'a Discovery, provider: &str) -> Vec<Holder<'a>> {
    let pkey = auth_key(provider, d.generation);
    let is_static = |p: &&Profile| {
        matches!(p.cred_type, CredType::ApiKey | CredType::Token)
            && auth_key(&p.provider, d.generation) == pkey
    };
    let mut out: Vec<Holder> = d
        .dirs
        .iter()
        .map(|(dir, s)| Holder {
            store: &s.primary,
            agents: d
                .agents
                .iter()
                .filter(|a| &a.dir == dir)
                .map(|a| a.id.clone())
                .collect(),
            dir: dir.clone(),
            profiles: s.primary.profiles.values().filter(is_static).collect(),
        })
        .collect();
    if let Some(shared) = d
        .shared
        .as_ref()
        .filter(|s| s.kind == crate::domain::read::store::StoreKind::SharedDb)
    {
        out.push(Holder {
            store: shared,
            agents: Vec::new(),
            dir: d.shared_owner_dir.clone(),
            profiles: shared.profiles.values().filter(is_static).collect(),
        });
    }
    out.retain(|h| !h.profiles.is_empty());
    out
}

/// How a note says that a profile needs no change.
const ALREADY: &str = "already holds this secret: nothing to change";

pub fn plan_rotate(d: &Discovery, req: &RotateRequest) -> Result<Plan, String> {
    super::targets::require_readable_config(d)?;
    crate::domain::text::check_cli_id(&req.provider, "--provider")?;
    let provider = req.provider.trim().to_lowercase();
    refuse_unreadable_stores(d, req, &provider)?;
    let found = holders(d, &provider);
    if found.is_empty() {
        return Err(format!(
            "no store holds a static (api_key or token) credential for {provider}; use `clawauth set` to add one"
        ));
    }
    let mut plan = Plan::new(PlanKind::Rotate, format!("Rotate the {provider} secret"));
    for h in &found {
        let selected = req.agents.is_empty() || h.agents.iter().any(|a| req.agents.contains(a));
        let ids: Vec<&str> = h.profiles.iter().map(|p| p.id.as_str()).collect();
        if !selected {
            plan.notes.push(format!(
                "not selected: {} ({}) keeps its current secret",
                h.store.path.display(),
                ids.join(", ")
            ));
            continue;
        }
        plan_holder(d, h, &provider, &req.secret, &mut plan)?;
    }
    let already = plan.notes.iter().any(|n| n.ends_with(ALREADY));
    if plan.is_empty() && plan.manual.is_empty() && !already {
        return Err(format!(
            "none of the selected agents holds a {provider} secret of its own"
        ));
    }
    plan.warnings.extend(super::targets::generation_warning(d));
    plan.add_gateway_advice(d);
    super::links::guard_plan(d, &mut plan)?;
    Ok(plan)
}

/// A store rotate cannot read may hold the provider too: rotating only the others would
/// leave it on the old (perhaps revoked) secret without anyone noticing.
fn refuse_unreadable_stores(
    d: &Discovery,
    req: &RotateRequest,
    provider: &str,
) -> Result<(), String> {
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
        Some(e) => Err(format!(
            "{e}; it may hold a {provider} secret too, and rotating only the other stores would leave it on the old one: fix or restore it first (or limit the rotation with --agent)"
        )),
        None => Ok(()),
    }
}

fn plan_holder(
    d: &Discovery,
    h: &Holder,
    provider: &str,
    secret: &Secret,
    plan: &mut Plan,
) -> Result<(), String> {
    let affected: Vec<String> = if h.agents.is_empty() || h.dir == d.main_dir() {
        d.agents.iter().map(|a| a.id.clone()).collect()
    } else {
        h.agents.clone()
    };
    for a in &affected {
        plan.may_change.push((a.clone(), provider.to_string()));
    }
    let literal: Vec<&&Profile> = h
        .profiles
        .iter()
        .filter(|p| p.key_ref.is_none() && p.token_ref.is_none())
        .filter(|p| {
            let current = if p.cred_type == CredType::ApiKey {
                &p.key
            } else {
                &p.token
            };
            let same = current.as_deref() == Some(secret.expose());
            if same {
                plan.notes
                    .push(format!("{} in {} {ALREADY}", p.id, h.store.path.display()));
            }
            !same
        })
        .collect();
    for p in h
        .profiles
        .iter()
        .filter(|p| p.key_ref.is_some() || p.token_ref.is_some())
    {
        plan.manual.push(format!(
            "{} in {} uses a reference: rotate the referenced secret where it lives",
            p.id,
            h.store.path.display()
        ));
    }
    if d.generation == Generation::Json {
        let edits: Vec<StoreEdit> = literal
            .iter()
            .map(|p| StoreEdit::ReplaceSecret {
                id: p.id.clone(),
                field: field(p).into(),
                secret: secret.clone(),
            })
            .collect();
        let summary = literal
            .iter()
            .map(|p| format!("replaces the secret of {} ({})", p.id, p.cred_type.as_str()))
            .collect();
        if !edits.is_empty() {
            plan.changes
                .push(plan_store_change(&h.store.path, edits, summary)?);
            plan.expect_profiles
                .extend(literal.iter().map(|p| (h.store.path.clone(), p.id.clone())));
        }
        return Ok(());
    }
    let agent = h
        .agents
        .first()
        .cloned()
        .unwrap_or_else(|| super::set::shared_owner_agent(d));
    for p in literal {
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
        plan.steps.push(paste.step(
            secret,
            d.now_ms,
            format!("OpenClaw replaces {} for agent {agent}", p.id),
        ));
        plan.expect_profiles.push((h.dir.clone(), p.id.clone()));
    }
    Ok(())
}

fn field(p: &Profile) -> &'static str {
    if p.cred_type == CredType::ApiKey {
        "key"
    } else {
        "token"
    }
}
