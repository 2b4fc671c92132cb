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
pub fn write_demo_state(root: &Path) -> std::io::Result<()> {
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

pub fn run(
    args: &StatusArgs,
    env: &EnvSnapshot,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let dir = std::env::temp_dir().join(format!("clawauth-demo-{}", std::process::id()));
    write_demo_state(&dir)
        .map_err(|e| format!("cannot write the demo state to {}: {e}", dir.display()))?;
    let global = GlobalArgs {
        state_dir: Some(dir.clone()),
        ..Default::default()
    };
    // A sealed environment: no PATH (so no real openclaw is probed) and one demo env key.
    let demo_env = EnvSnapshot::from_pairs([
        ("HOME", dir.display().to_string()),
        ("OPENROUTER_API_KEY", "sk-or-demo-not-a-real-key".into()),
    ]);
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
