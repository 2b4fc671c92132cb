//! `repair`: the fixes `validate` proposes where they are safe and unambiguous;
//! everything else becomes manual steps (issue: writes §4).

use super::fixes::profile_fixes;
use super::plan::{Chmod, ConfigEdit, Plan, PlanKind, StoreEdit};
use super::targets::{plan_config_change, plan_store_change};
use crate::domain::problem::{Problem, Severity};
use crate::domain::read::discovery::Discovery;
use crate::domain::read::store::{Store, StoreKind};
use crate::domain::read::version::Generation;
use crate::domain::status::report::build_report;
use serde_json::{Value, json};
use std::path::Path;

fn store_edits(store: &Store) -> (Vec<StoreEdit>, Vec<String>) {
    let mut edits = Vec::new();
    let mut summary = Vec::new();
    if store.flat {
        edits.push(StoreEdit::Canonicalize);
        summary.push(
            "converts the legacy flat map to {version, profiles} with <provider>:default ids"
                .into(),
        );
        return (edits, summary);
    }
    let raw_profiles = store
        .raw
        .as_ref()
        .and_then(|r| r.get("profiles"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (id, raw) in &raw_profiles {
        let fixes = profile_fixes(raw);
        if !fixes.is_empty() {
            summary.extend(fixes.iter().map(|f| f.describe(id)));
            edits.push(StoreEdit::Repair {
                id: id.clone(),
                fixes,
            });
        }
    }
    for (provider, ids) in &store.order {
        let stale: Vec<String> = ids
            .iter()
            .filter(|id| !raw_profiles.contains_key(*id))
            .cloned()
            .collect();
        if !stale.is_empty() {
            summary.push(format!(
                "removes {} from order.{provider} (no such profile)",
                stale.join(", ")
            ));
            edits.push(StoreEdit::RemoveOrderIds {
                provider: provider.clone(),
                ids: stale,
            });
        }
    }
    (edits, summary)
}

fn wanted(d: &Discovery, dir: &Path, agents: &[String]) -> bool {
    agents.is_empty()
        || d.agents
            .iter()
            .any(|a| a.dir == dir && agents.contains(&a.id))
}

pub fn plan_repair(d: &Discovery, agents: &[String]) -> Result<Plan, super::error::PlanError> {
    super::targets::require_readable_config(d)?;
    let mut plan = Plan::new(
        PlanKind::Repair,
        "Repair the problems that have a safe, unambiguous fix",
    );
    for (dir, stores) in d.dirs.iter().filter(|(dir, _)| wanted(d, dir, agents)) {
        let store = if d.generation == Generation::Json {
            &stores.primary
        } else {
            continue_sqlite(stores, &mut plan)
        };
        if store.kind == StoreKind::AuthProfiles && store.exists && store.error.is_none() {
            let (edits, summary) = store_edits(store);
            if !edits.is_empty() {
                plan.changes
                    .push(plan_store_change(&store.path, edits, summary)?);
            }
        }
        plan.chmods.extend(permission_fixes(&stores.primary));
        if plan
            .changes
            .iter()
            .any(|c| c.path.parent() == Some(dir.as_path()))
        {
            plan.may_change_agents.extend(agents_reading(d, dir));
        }
    }
    plan_mode_mismatches(d, &mut plan);
    if plan
        .changes
        .iter()
        .any(|c| matches!(c.edits, super::plan::FileEdits::Config(_)))
    {
        plan.may_change_agents
            .extend(d.agents.iter().map(|a| a.id.clone()));
    }
    plan.manual.extend(manual_steps(d, agents, &plan));
    plan.add_gateway_advice(d);
    super::links::guard_plan(d, &mut plan)?;
    Ok(plan)
}

/// Agents whose runtime reads the store in `dir` (every agent for the main dir).
fn agents_reading(d: &Discovery, dir: &Path) -> Vec<String> {
    d.agents
        .iter()
        .filter(|a| dir == d.main_dir() || a.dir == dir)
        .map(|a| a.id.clone())
        .collect()
}

/// In the SQLite generation the stores belong to OpenClaw: JSON files beside them are
/// OpenClaw's migration to run, never clawauth's.
fn continue_sqlite<'a>(
    stores: &'a crate::domain::read::discovery::DirStores,
    plan: &mut Plan,
) -> &'a Store {
    for legacy in stores.legacy.iter().filter(|s| s.exists) {
        let msg = format!(
            "{}: OpenClaw ≥ 2026.6 no longer reads this file. Run `openclaw doctor --fix` to import it into SQLite (it adds new profile ids only; warning: it may try to refresh expired OAuth logins and, offline, replace them with a failed-refresh marker), or delete it if its profiles are already in the database.",
            legacy.path.display()
        );
        if !plan.manual.contains(&msg) {
            plan.manual.push(msg);
        }
    }
    &stores.primary
}

#[cfg(unix)]
fn permission_fixes(store: &Store) -> Vec<Chmod> {
    use std::os::unix::fs::PermissionsExt;
    let mut files = vec![store.path.clone()];
    if matches!(store.kind, StoreKind::AgentDb | StoreKind::SharedDb) {
        files.push(store.path.with_extension("sqlite-wal"));
        files.push(store.path.with_extension("sqlite-shm"));
    }
    files
        .into_iter()
        .filter_map(|f| {
            let meta = std::fs::metadata(&f)
                .ok()
                .filter(std::fs::Metadata::is_file)?;
            let mode = meta.permissions().mode() & 0o777;
            (mode & 0o077 != 0).then_some(Chmod {
                path: f,
                from: mode,
                to: 0o600,
                via: None,
                owner: None,
            })
        })
        .collect()
}

#[cfg(not(unix))]
fn permission_fixes(_store: &Store) -> Vec<Chmod> {
    Vec::new()
}

/// openclaw.json `auth.profiles.<id>.mode` set to the type actually stored.
fn plan_mode_mismatches(d: &Discovery, plan: &mut Plan) {
    let mut edits = Vec::new();
    let mut summary = Vec::new();
    for p in build_report(d)
        .problems
        .iter()
        .filter(|p| p.code == "mode_mismatch")
    {
        let Some(id) = &p.profile else { continue };
        let stored = d
            .dirs
            .values()
            .find_map(|s| s.primary.profiles.get(id))
            .map(|p| p.cred_type.as_str());
        if let Some(t) = stored {
            let edit = ConfigEdit::Set {
                path: vec!["auth".into(), "profiles".into(), id.clone(), "mode".into()],
                value: json!(t),
            };
            if !edits.contains(&edit) {
                edits.push(edit);
                summary.push(format!(
                    "auth.profiles.{id}.mode → \"{t}\" (the stored profile's type)"
                ));
            }
        }
    }
    match plan_config_change(d, edits, summary) {
        Ok(Some(c)) => plan.changes.push(c),
        Ok(None) => {}
        Err(manual) => plan.manual.push(manual.to_string()),
    }
}

const AUTO_FIXED: &[&str] = &[
    "alias_mode",
    "alias_api_key",
    "alias_type_camel",
    "expires_in_seconds",
    "oauth_holds_token",
    "order_missing_id",
    "store_permissions",
    "mode_mismatch",
    "legacy_flat_store",
];

/// Every error or warning the plan does not fix, as manual steps.
fn manual_steps(d: &Discovery, agents: &[String], plan: &Plan) -> Vec<String> {
    let fixed_invalid: Vec<&str> = plan
        .changes
        .iter()
        .filter_map(|c| match &c.edits {
            super::plan::FileEdits::Store(edits) => Some(edits),
            super::plan::FileEdits::Config(_) => None,
        })
        .flatten()
        .filter_map(|e| match e {
            StoreEdit::Repair { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    build_report(d)
        .problems
        .iter()
        .filter(|p| {
            p.severity != Severity::Info
                && (agents.is_empty() || p.agent.as_ref().is_none_or(|a| agents.contains(a)))
        })
        .filter(|p| {
            !AUTO_FIXED.contains(&p.code)
                || d.generation == Generation::Sqlite
                    && p.code != "mode_mismatch"
                    && p.code != "store_permissions"
        })
        .filter(|p| {
            // The plan repairs these profiles; what follows from their old form goes too.
            !([
                "invalid_type",
                "expired",
                "invalid_expires",
                "missing_credential",
            ]
            .contains(&p.code)
                && p.profile
                    .as_deref()
                    .is_some_and(|id| fixed_invalid.contains(&id)))
        })
        .map(manual_line)
        .collect()
}

fn manual_line(p: &Problem) -> String {
    let profile = p
        .profile
        .as_deref()
        .map(|id| format!(" [{id}]"))
        .unwrap_or_default();
    format!(
        "{}{profile} in {}: {} — {}",
        p.code,
        p.file,
        p.message,
        p.fix.as_deref().unwrap_or("see `clawauth validate`")
    )
}
