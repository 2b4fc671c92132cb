//! Files interrupted writes leave beside a store or openclaw.json: temp files, lock
//! files and empty backups. Only what no live writer can still be using is reported,
//! so the advice never says to delete a file in use.

use crate::domain::problem::Problem;
use crate::domain::read::discovery::{AUTH_PROFILES, Discovery};
use crate::domain::text::shell_path;
use crate::domain::write::backups::{MARKER as BACKUP_MARKER, backup_secrets, live_secrets};
use crate::domain::write::lock::{LockInfo, inspect};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A temp file younger than this may belong to a writer that is still running
/// (OpenClaw 2026.4's own writers take no lock), so it is not reported.
pub(crate) const TEMP_GRACE: Duration = Duration::from_secs(60);

/// Every (directory, file name) a write may leave files beside.
pub(crate) fn places(d: &Discovery) -> Vec<(PathBuf, String)> {
    let mut places: Vec<(PathBuf, String)> = d
        .dirs
        .keys()
        .map(|dir| (dir.clone(), AUTH_PROFILES.to_string()))
        .collect();
    if let Some(cfg) = &d.config.path
        && let (Some(dir), Some(name)) = (cfg.parent(), cfg.file_name())
    {
        places.push((dir.to_path_buf(), name.to_string_lossy().into_owned()));
    }
    places
}

pub(crate) fn leftover_problems(d: &Discovery) -> Vec<Problem> {
    let mut out = Vec::new();
    let live = live_secrets(d);
    let owners = d.owners();
    for (dir, name) in places(d) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let target = dir.join(&name);
        let lock = inspect(&target);
        let agent = owners.of(&dir);
        if let Some(info) = lock.as_ref().filter(|i| i.stale) {
            out.push(stale_lock(&target, info).agent(agent));
        }
        let prefix = format!("{name}.");
        for e in entries.filter_map(Result::ok).take(10_000) {
            let file = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = file.strip_prefix(&prefix) else {
                continue;
            };
            let path = e.path();
            let temp = rest.strip_suffix(".tmp").is_some_and(|r| !r.is_empty());
            if temp && abandoned_temp(&path, lock.as_ref()) {
                out.push(stale_temp(&path, &name).agent(agent));
            }
            if !file.contains(BACKUP_MARKER) {
                continue;
            }
            if std::fs::metadata(&path).is_ok_and(|m| m.len() == 0) {
                out.push(empty_backup(&path, &name).agent(agent));
            } else if name == AUTH_PROFILES {
                let old = backup_secrets(&path)
                    .iter()
                    .filter(|s| !live.contains(*s))
                    .count();
                if old > 0 {
                    let purge = crate::domain::ops::purge::purge_command(d);
                    out.push(stale_backup_secret(&path, old, &purge).agent(agent));
                }
            }
        }
    }
    out
}

/// A temp file no writer can still be writing: its file's lock was left by a
/// writer that is gone, or there is no live lock and it is older than [`TEMP_GRACE`].
fn abandoned_temp(path: &Path, lock: Option<&LockInfo>) -> bool {
    match lock {
        Some(info) if info.stale => true,
        Some(_) => false,
        None => std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > TEMP_GRACE),
    }
}

fn stale_temp(path: &Path, name: &str) -> Problem {
    Problem::warning(
        "stale_temp_file",
        path,
        format!("temporary file of a write to {name} that was interrupted before it replaced the file (a crash or a kill); {name} itself is intact, and this leftover may hold credentials"),
    )
    .fix(format!("No write is using it any more: delete it: rm {}", shell_path(path)))
}

fn empty_backup(path: &Path, name: &str) -> Problem {
    Problem::warning(
        "empty_backup",
        path,
        format!("an empty backup of {name}: the write that made it was killed while copying; it restores nothing"),
    )
    .fix(format!("Delete it: rm {}", shell_path(path)))
}

fn stale_backup_secret(path: &Path, count: usize, purge: &str) -> Problem {
    Problem::warning(
        "stale_backup_secret",
        path,
        format!("this backup holds {count} secret(s) that no auth store uses any more (a rotated or removed credential), in plaintext"),
    )
    .fix(format!(
        "If you will not restore it, delete it: rm {} (or delete every such backup with `{purge}`)",
        shell_path(path)
    ))
}

fn stale_lock(target: &Path, info: &LockInfo) -> Problem {
    let why = match (info.pid, &info.created_at) {
        (Some(pid), Some(at)) => format!("held by pid {pid} since {at}, which has ended or held it longer than OpenClaw's 30 s limit"),
        (Some(pid), None) => format!("held by pid {pid}, which has ended"),
        _ => "empty or unreadable (its writer was killed before it wrote its pid) and older than OpenClaw's 30 s limit".to_string(),
    };
    Problem::warning(
        "stale_lock",
        &info.lock_path,
        format!(
            "a lock on {} left by a write that did not finish: {why}; the next write by clawauth or OpenClaw removes it",
            target.display()
        ),
    )
    .fix(format!(
        "Nothing to do (the next write takes it over); to remove it now: rm {}",
        shell_path(&info.lock_path)
    ))
}
