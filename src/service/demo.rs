//! The demo: a built-in OpenClaw state (from `assets/demo/`) copied to a
//! temporary directory, so a newcomer can see every verdict without OpenClaw.

use super::session::Session;
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::write::set_mode;
use std::path::{Path, PathBuf};

/// (relative path, content) of every demo file.
pub(crate) const DEMO_FILES: &[(&str, &str)] = &[
    (
        "openclaw.json",
        include_str!("../../assets/demo/openclaw.json"),
    ),
    (
        "agents/main/agent/auth-profiles.json",
        include_str!("../../assets/demo/agents/main/agent/auth-profiles.json"),
    ),
    (
        "agents/assistant/agent/auth-profiles.json",
        include_str!("../../assets/demo/agents/assistant/agent/auth-profiles.json"),
    ),
    (
        "agents/reporter/agent/auth-profiles.json",
        include_str!("../../assets/demo/agents/reporter/agent/auth-profiles.json"),
    ),
    (
        "cron/jobs.json",
        include_str!("../../assets/demo/cron/jobs.json"),
    ),
];

/// Writes the demo state under `root` with OpenClaw's modes (0700 dirs, 0600 files).
/// `root` is created here and must not exist yet: a directory or symlink someone else
/// left at the (predictable) temp path is never written into.
pub(crate) fn write_demo_state(root: &Path) -> std::io::Result<()> {
    create_private_dir(root)?;
    for (rel, content) in DEMO_FILES {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
            set_mode(parent, 0o700)?;
        }
        std::fs::write(&path, content)?;
        set_mode(&path, 0o600)?;
    }
    Ok(())
}

/// `mkdir` (not `-p`) with mode 0700: fails if anything, even a symlink, is there.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot create {}: {e}", dir.display())))
}

/// A fresh `clawauth-demo-<pid>[-n]` directory name under the temp dir.
fn fresh_demo_dir() -> PathBuf {
    let base = std::env::temp_dir();
    let pid = std::process::id();
    (0..100)
        .map(|n| match n {
            0 => base.join(format!("clawauth-demo-{pid}")),
            n => base.join(format!("clawauth-demo-{pid}-{n}")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| base.join(format!("clawauth-demo-{pid}")))
}

/// The demo state in a fresh temporary directory, removed when dropped (also while
/// unwinding from a panic). Only a directory this process created is ever removed.
/// The demo state could not be written (exit 3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the demo state to {}: {detail} (set TMPDIR to a writable directory)", dir.display())]
pub struct DemoError {
    pub(crate) dir: PathBuf,
    pub(crate) detail: String,
}

pub struct DemoState {
    dir: PathBuf,
}

impl DemoState {
    /// Writes the demo state to a fresh `clawauth-demo-<pid>[-n]` directory.
    pub fn create() -> Result<DemoState, DemoError> {
        let dir = fresh_demo_dir();
        match write_demo_state(&dir) {
            Ok(()) => Ok(DemoState { dir }),
            Err(e) => {
                if e.kind() != std::io::ErrorKind::AlreadyExists {
                    let _ = std::fs::remove_dir_all(&dir);
                }
                Err(DemoError {
                    dir,
                    detail: e.to_string(),
                })
            }
        }
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The session that reads the demo state in its sealed environment.
    pub fn session(&self) -> Session {
        Session {
            state_dir: Some(self.dir.clone()),
            demo: true,
            ..Session::from_env(demo_env(&self.dir))
        }
    }
}

impl Drop for DemoState {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The sealed environment of the demo: no PATH (so no real openclaw is probed)
/// and one demo env key.
pub fn demo_env(dir: &Path) -> EnvSnapshot {
    EnvSnapshot::from_pairs([
        ("HOME", dir.display().to_string()),
        ("OPENROUTER_API_KEY", "sk-or-demo-not-a-real-key".into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_never_writes_into_a_directory_or_link_that_already_exists() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("taken");
        std::fs::create_dir(&taken).unwrap();
        assert!(write_demo_state(&taken).is_err());
        assert_eq!(std::fs::read_dir(&taken).unwrap().count(), 0);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&taken, &link).unwrap();
        assert!(write_demo_state(&link).is_err());
        assert_eq!(std::fs::read_dir(&taken).unwrap().count(), 0);
        let fresh = dir.path().join("fresh");
        write_demo_state(&fresh).unwrap();
        assert!(fresh.join("openclaw.json").is_file());
    }
}
