//! clawauth's backups (`<file>.clawauth-backup-<time>`): kept bounded (the newest N
//! per file, pruned under the file's lock) and checked for secrets that no store
//! holds any more (a rotated key left behind in plaintext).

use crate::domain::read::envsnap::EnvSnapshot;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Marker in every backup's name.
pub(crate) const MARKER: &str = ".clawauth-backup-";
/// Environment variable: how many backups to keep per file.
pub(crate) const KEEP_ENV: &str = "CLAWAUTH_BACKUPS";
/// Backups kept per file unless `CLAWAUTH_BACKUPS` says otherwise.
pub(crate) const DEFAULT_KEEP: usize = 5;
/// Largest backup read when looking for secrets.
const MAX_BACKUP_BYTES: u64 = 16 * 1024 * 1024;

/// Backups kept per file: `CLAWAUTH_BACKUPS` (1–1000), else [`DEFAULT_KEEP`].
pub(crate) fn keep_count(env: &EnvSnapshot) -> usize {
    env.get(KEEP_ENV)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or(DEFAULT_KEEP, |n| n.clamp(1, 1000))
}

/// The backups of `file` (a real path, not a link), oldest first.
pub(crate) fn backups_of(file: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}{MARKER}", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let rest = n.strip_prefix(&prefix)?;
            Some((sort_key(rest), e.path()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// `20261124T193544354Z-12` sorts after `…Z-2`: the counter is zero-padded.
fn sort_key(stamp: &str) -> String {
    match stamp.split_once('-') {
        Some((time, n)) => format!("{time}-{n:0>6}"),
        None => format!("{stamp}-{:0>6}", 1),
    }
}

/// Removes all but the newest `keep` backups of `file`; returns those removed.
/// Call it under the file's lock, right after a backup was made.
pub(crate) fn prune(file: &Path, keep: usize) -> Vec<PathBuf> {
    let all = backups_of(file);
    let excess = all.len().saturating_sub(keep);
    all.into_iter()
        .take(excess)
        .filter(|p| std::fs::remove_file(p).is_ok())
        .collect()
}

/// Every secret value in an auth store document (`key`, `token`, `access`, `refresh`).
pub(crate) fn secret_values(doc: &Value) -> HashSet<String> {
    let Some(profiles) = doc.get("profiles").and_then(Value::as_object) else {
        return HashSet::new();
    };
    profiles
        .values()
        .filter_map(Value::as_object)
        .flat_map(|p| ["key", "token", "access", "refresh"].map(|f| p.get(f)))
        .filter_map(|v| v.and_then(Value::as_str))
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Every secret some auth store holds now.
pub(crate) fn live_secrets(d: &crate::domain::read::discovery::Discovery) -> HashSet<String> {
    d.dirs
        .values()
        .flat_map(|s| std::iter::once(&s.primary).chain(&s.legacy))
        .chain(d.shared.as_ref())
        .filter_map(|s| s.raw.as_ref())
        .flat_map(secret_values)
        .collect()
}

/// The secrets of the backup at `path` (none when it cannot be read as a store).
pub(crate) fn backup_secrets(path: &Path) -> HashSet<String> {
    crate::domain::read::fsread::read_limited(path, MAX_BACKUP_BYTES, "backups")
        .ok()
        .flatten()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .map(|doc| secret_values(&doc))
        .unwrap_or_default()
}

/// Backups of `file` holding a secret that is not in `live`.
pub(crate) fn holding_other_secrets(file: &Path, live: &HashSet<String>) -> Vec<PathBuf> {
    backups_of(file)
        .into_iter()
        .filter(|b| backup_secrets(b).iter().any(|s| !live.contains(s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prune_keeps_the_newest_and_the_count_is_configurable() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("auth-profiles.json");
        for stamp in [
            "20260101T000000000Z",
            "20260101T000000000Z-2",
            "20260101T000000000Z-10",
            "20260102T000000000Z",
        ] {
            std::fs::write(
                dir.path()
                    .join(format!("auth-profiles.json{MARKER}{stamp}")),
                "{}",
            )
            .unwrap();
        }
        std::fs::write(
            dir.path()
                .join("other.json.clawauth-backup-20250101T000000000Z"),
            "{}",
        )
        .unwrap();
        let names = |v: Vec<PathBuf>| -> Vec<String> {
            v.iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert!(names(backups_of(&file))[2].ends_with("Z-10"));
        let removed = names(prune(&file, 2));
        assert_eq!(removed.len(), 2);
        assert!(
            removed[0].ends_with("000Z") && removed[1].ends_with("Z-2"),
            "{removed:?}"
        );
        assert_eq!(backups_of(&file).len(), 2);
        assert!(
            dir.path()
                .join("other.json.clawauth-backup-20250101T000000000Z")
                .exists()
        );
        let env = |v: &str| EnvSnapshot::from_pairs([(KEEP_ENV, v)]);
        assert_eq!(keep_count(&EnvSnapshot::default()), DEFAULT_KEEP);
        assert_eq!(
            (
                keep_count(&env("12")),
                keep_count(&env("0")),
                keep_count(&env("x"))
            ),
            (12, 1, DEFAULT_KEEP)
        );
    }

    #[test]
    fn secrets_of_a_store_are_found() {
        let doc = json!({"profiles": {"a": {"type": "api_key", "key": "k1"},
            "b": {"type": "oauth", "access": "a1", "refresh": "r1", "email": "x@y"}, "c": {"key": " "}}});
        let found = secret_values(&doc);
        assert_eq!(found.len(), 3);
        assert!(found.contains("k1") && found.contains("r1") && !found.contains("x@y"));
    }
}
