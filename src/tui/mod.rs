//! The full-screen terminal UI. `app` is a pure state machine, `view` draws it,
//! `keymap` is the one table of keys, `runner` owns the terminal and performs
//! the effects through `backend` (the only part that reads or writes files).

pub mod app;
pub mod backend;
pub mod field;
pub mod index;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod runner;
pub mod terminal;
pub mod theme;
pub mod view;

use crate::cli::GlobalArgs;
use crate::domain::envsnap::EnvSnapshot;
use std::io::IsTerminal;
use std::path::Path;

/// The UI needs a terminal on both ends.
pub fn is_interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The overview of the OpenClaw state that `global` and `env` point at.
pub fn run_status(global: &GlobalArgs, env: &EnvSnapshot) -> Result<i32, String> {
    let backend = backend::Backend::new(global.clone(), env.clone());
    let report = backend.report()?;
    runner::run(app::App::new(report, theme::Theme::from_env()), backend)
}

/// The overview of the built-in demo state, written by `write_state` to a
/// temporary directory that is removed afterwards.
pub fn run_demo(write_state: fn(&Path) -> std::io::Result<()>) -> Result<i32, String> {
    let dir =
        RemovedOnDrop(std::env::temp_dir().join(format!("clawauth-demo-{}", std::process::id())));
    write_state(&dir.0)
        .map_err(|e| format!("cannot write the demo state to {}: {e}", dir.0.display()))?;
    let global = GlobalArgs {
        state_dir: Some(dir.0.clone()),
        ..Default::default()
    };
    run_status(&global, &demo_env(&dir.0))
}

/// A temporary directory removed when dropped, also while unwinding from a panic.
struct RemovedOnDrop(std::path::PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The sealed environment of `clawauth demo`: no PATH (so no real openclaw is
/// probed) and one demo env key.
pub fn demo_env(dir: &Path) -> EnvSnapshot {
    EnvSnapshot::from_pairs([
        ("HOME", dir.display().to_string()),
        ("OPENROUTER_API_KEY", "sk-or-demo-not-a-real-key".into()),
    ])
}

/// `clawauth demo` opens the UI unless asked for JSON, a check or a filtered printout.
pub fn wants_demo_ui(args: &crate::cli::StatusArgs) -> bool {
    let filtered = !args.agents.is_empty() || !args.providers.is_empty();
    !args.json && !args.check && !filtered && is_interactive()
}
