//! `clawauth demo`: a built-in OpenClaw state (from `assets/demo/`) copied to a
//! temporary directory, so a newcomer can see every verdict without OpenClaw.

use super::{GlobalArgs, StatusArgs, load, status};
use crate::domain::envsnap::EnvSnapshot;
use crate::domain::write::set_mode;
use std::io::Write;
use std::path::Path;

/// (relative path, content) of every demo file.
pub const DEMO_FILES: &[(&str, &str)] = &[
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
pub fn write_demo_state(root: &Path) -> std::io::Result<()> {
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
fn fresh_demo_dir() -> std::path::PathBuf {
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

pub fn run(
    args: &StatusArgs,
    env: &EnvSnapshot,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let dir = fresh_demo_dir();
    if let Err(e) = write_demo_state(&dir) {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            let _ = std::fs::remove_dir_all(&dir);
        }
        return Err(format!(
            "cannot write the demo state to {}: {e} (set TMPDIR to a writable directory)",
            dir.display()
        ));
    }
    let global = GlobalArgs {
        state_dir: Some(dir.clone()),
        ..Default::default()
    };
    let demo_env = crate::tui::demo_env(&dir);
    let _ = env;
    writeln!(
        out,
        "Demo state (a copy in {}; nothing on your machine is read or changed):\n",
        dir.display()
    )
    .map_err(|e| e.to_string())?;
    let result = load(&global, &demo_env).and_then(|d| status(&d, args, pretty, out));
    let _ = std::fs::remove_dir_all(&dir);
    result
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
