//! `repair --purge-backups`: delete clawauth's own backups that hold a secret no
//! auth store uses any more (a rotated or removed key kept in plaintext), the
//! after-the-fact form of `rotate --purge-backups`. Planned from what `validate`
//! reports as `stale_backup_secret`, re-checked under each store's lock.

use super::plan::Plan;
use crate::domain::read::discovery::{AUTH_PROFILES, Discovery};
use crate::domain::write::backups::{holding_other_secrets, live_secrets, secret_values};
use crate::domain::write::lock::{LockOptions, acquire};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The command that deletes such backups, with the paths this run was given.
pub(crate) fn purge_command(d: &Discovery) -> String {
    format!("{} repair --purge-backups", d.paths.clawauth())
}

/// Adds to `plan` every backup (of the agents' stores, all when `agents` is empty)
/// that holds a secret no store uses; the matching manual steps are dropped.
pub(crate) fn add_purges(d: &Discovery, agents: &[String], plan: &mut Plan) {
    let live = live_secrets(d);
    for dir in d.dirs.keys() {
        let wanted = agents.is_empty()
            || d.agents
                .iter()
                .any(|a| &a.dir == dir && agents.contains(&a.id));
        if wanted {
            plan.purges
                .extend(holding_other_secrets(&dir.join(AUTH_PROFILES), &live));
        }
    }
    plan.manual
        .retain(|m| !m.starts_with("stale_backup_secret"));
}

/// A plan deleting exactly `backups` (those named after a rotation), each only if it
/// holds a secret no store uses now; the others are left alone.
pub(crate) fn plan_purge(d: &Discovery, backups: &[PathBuf]) -> Plan {
    let mut plan = Plan::new(
        super::plan::PlanKind::Repair,
        "Delete the backups that still hold a replaced secret",
    );
    add_purges(d, &[], &mut plan);
    plan.purges.retain(|b| backups.contains(b));
    plan
}

/// What [`apply_purges`] did: the backups deleted, and the errors.
#[derive(Default)]
pub(crate) struct Purged {
    pub(crate) deleted: Vec<String>,
    pub(crate) errors: Vec<String>,
}

/// Deletes the planned backups, store by store under the store's lock, each only if
/// it still holds a secret neither the store as it is now nor any other store uses.
pub(crate) fn apply_purges(plan: &Plan, d: &Discovery, lock: &LockOptions) -> Purged {
    let mut result = Purged::default();
    let stores: BTreeSet<PathBuf> = plan.purges.iter().filter_map(|b| store_of(b)).collect();
    let live = live_secrets(d);
    for store in stores {
        let _guard = match acquire(&store, lock) {
            Ok(g) => g,
            Err(e) => {
                result
                    .errors
                    .push(format!("{e}; no backup of {} was deleted", store.display()));
                continue;
            }
        };
        let mut now = live.clone();
        if let Ok(Some(doc)) = super::targets::current_store(&store) {
            now.extend(secret_values(&doc));
        }
        for b in holding_other_secrets(&store, &now) {
            if !plan.purges.contains(&b) {
                continue;
            }
            match std::fs::remove_file(&b) {
                Ok(()) => result.deleted.push(b.display().to_string()),
                Err(e) => result
                    .errors
                    .push(format!("cannot delete {}: {e}", b.display())),
            }
        }
    }
    result
}

/// `…/auth-profiles.json` for `…/auth-profiles.json.clawauth-backup-<time>`.
fn store_of(backup: &Path) -> Option<PathBuf> {
    let name = backup.file_name()?.to_string_lossy().into_owned();
    let (store, _) = name.split_once(crate::domain::write::backups::MARKER)?;
    Some(backup.with_file_name(store))
}
