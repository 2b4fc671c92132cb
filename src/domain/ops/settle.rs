//! A write undone by another writer: OpenClaw 2026.4's own writers (`paste-token`,
//! config writes) take no lock, so one that read the store before clawauth wrote
//! can write its older copy back over the change. After a short settle time the
//! profiles clawauth wrote, and the openclaw.json keys it set, are read once more
//! and compared.

use super::targets::current_store;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long after writing the store is read again.
pub(crate) const SETTLE: Duration = Duration::from_millis(300);

/// A profile (or an openclaw.json key) as clawauth wrote it: where, which id, and
/// a digest of its JSON.
#[derive(Clone, Default)]
pub struct WrittenProfile {
    pub(crate) path: PathBuf,
    /// The profile id, or the config key's dotted path.
    pub(crate) id: String,
    /// For openclaw.json: the key's path (the file is read as JSON5).
    config_key: Option<Vec<String>>,
    digest: Vec<u8>,
}

/// Only where and which: the digest is of a secret-bearing value.
impl std::fmt::Debug for WrittenProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrittenProfile")
            .field("path", &self.path)
            .field("id", &self.id)
            .finish()
    }
}

fn digest(v: &Value) -> Vec<u8> {
    Sha256::digest(v.to_string().as_bytes()).to_vec()
}

/// The profiles of `after` that are new or differ from `before`.
pub(crate) fn changed_profiles(path: &Path, before: &Value, after: &Value) -> Vec<WrittenProfile> {
    let old = before.get("profiles").and_then(Value::as_object);
    let Some(new) = after.get("profiles").and_then(Value::as_object) else {
        return Vec::new();
    };
    new.iter()
        .filter(|(id, v)| old.and_then(|o| o.get(*id)) != Some(*v))
        .map(|(id, v)| WrittenProfile {
            path: path.to_path_buf(),
            id: id.clone(),
            config_key: None,
            digest: digest(v),
        })
        .collect()
}

/// The keys of openclaw.json at `path` a write set, with their values.
pub(crate) fn config_keys(path: &Path, edits: &[super::plan::ConfigEdit]) -> Vec<WrittenProfile> {
    edits
        .iter()
        .map(
            |super::plan::ConfigEdit::Set { path: key, value }| WrittenProfile {
                path: path.to_path_buf(),
                id: format!("openclaw.json {}", key.join(".")),
                config_key: Some(key.clone()),
                digest: digest(value),
            },
        )
        .collect()
}

/// The value written at `w` as it is on disk now.
fn now_value(w: &WrittenProfile) -> Option<Value> {
    match &w.config_key {
        None => current_store(&w.path)
            .ok()
            .flatten()?
            .get("profiles")?
            .get(&w.id)
            .cloned(),
        Some(key) => {
            let text = super::targets::read_config_text(&w.path).ok()?;
            let doc = crate::domain::read::config::parse_json5_text(&text).ok()?;
            key.iter().try_fold(&doc, |v, k| v.get(k.as_str())).cloned()
        }
    }
}

/// Waits `wait`, re-reads every store written, and says which profiles are no
/// longer as clawauth wrote them (verification failures).
#[cfg(test)]
pub(crate) fn settle_check(written: &[WrittenProfile], wait: Duration) -> Vec<String> {
    undone(written, wait)
        .into_iter()
        .map(|w| undone_message(w, wait))
        .collect()
}

/// Waits `wait` (when anything was written) and returns the writes no longer on disk
/// as clawauth wrote them.
pub(crate) fn undone(written: &[WrittenProfile], wait: Duration) -> Vec<&WrittenProfile> {
    if written.is_empty() {
        return Vec::new();
    }
    std::thread::sleep(wait);
    written
        .iter()
        .filter(|w| now_value(w).is_none_or(|v| digest(&v) != w.digest))
        .collect()
}

pub(crate) fn undone_message(w: &WrittenProfile, wait: Duration) -> String {
    format!(
        "{} in {} was undone {} ms after writing: another writer replaced the file (OpenClaw 2026.4's own writers take no lock); run clawauth again when OpenClaw is idle",
        w.id,
        w.path.display(),
        wait.as_millis()
    )
}

/// Takes back the verified lines an undone write made false: the profile's own
/// line ("ID in PATH") and the cells found usable through it ("… (ID)").
pub(crate) fn withdraw_verified(verified: &mut Vec<String>, undone: &[&WrittenProfile]) {
    verified.retain(|line| {
        !undone.iter().any(|w| {
            *line == format!("{} in {}", w.id, w.path.display())
                || line.ends_with(&format!("({})", w.id))
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_profile_written_back_over_is_reported_as_undone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("auth-profiles.json");
        let before = json!({"version": 1, "profiles": {"a:x": {"type": "api_key", "provider": "a", "key": "old"}}});
        let after = json!({"version": 1, "profiles": {
            "a:x": {"type": "api_key", "provider": "a", "key": "new"},
            "b:x": {"type": "api_key", "provider": "b", "key": "k"}}});
        let written = changed_profiles(&path, &before, &after);
        assert_eq!(written.len(), 2);
        std::fs::write(&path, after.to_string()).unwrap();
        assert!(settle_check(&written, Duration::ZERO).is_empty());
        // An unlocked writer puts its older copy back.
        std::fs::write(&path, before.to_string()).unwrap();
        let failures = settle_check(&written, Duration::ZERO);
        assert_eq!(failures.len(), 2, "{failures:?}");
        assert!(failures[0].contains("was undone"));
        assert!(!format!("{written:?}").contains("new"));
        let mut verified = vec![
            format!("a:x in {}", path.display()),
            "main × a is usable (a:x)".to_string(),
            "main × c is usable (c:y)".to_string(),
        ];
        let gone = undone(&written, Duration::ZERO);
        withdraw_verified(&mut verified, &gone);
        assert_eq!(verified, ["main × c is usable (c:y)"]);
    }

    #[test]
    fn a_config_key_written_back_over_is_reported_as_undone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("openclaw.json");
        let key: Vec<String> = ["auth", "profiles", "a:x"].map(String::from).into();
        let value = json!({"provider": "a", "mode": "api_key"});
        let edits = [super::super::plan::ConfigEdit::Set {
            path: key,
            value: value.clone(),
        }];
        let written = config_keys(&path, &edits);
        std::fs::write(
            &path,
            "// mine\n{auth: {profiles: {\"a:x\": {provider: \"a\", mode: \"api_key\"}}}}\n",
        )
        .unwrap();
        assert!(settle_check(&written, Duration::ZERO).is_empty());
        std::fs::write(&path, "{auth: {profiles: {}}}\n").unwrap();
        let failures = settle_check(&written, Duration::ZERO);
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            failures[0].contains("openclaw.json auth.profiles.a:x"),
            "{failures:?}"
        );
    }
}
