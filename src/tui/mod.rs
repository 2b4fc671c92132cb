//! The full-screen terminal UI. `app` is a pure state machine, `view` draws it,
//! `keymap` is the one table of keys, `runner` owns the terminal and performs
//! the effects through `backend` (the only part that reads or writes files).

pub mod app;
pub mod backend;
pub mod checks;
pub mod field;
pub mod index;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod outcome;
pub(crate) mod runner;
pub(crate) mod terminal;
pub(crate) mod text;
pub mod theme;
pub mod view;
mod watch;

use crate::service::demo::DemoState;
use crate::service::session::Session;
use std::io::IsTerminal;

/// The UI needs a terminal on both ends.
pub(crate) fn is_interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// A state dir (or config) that does not exist yet: asks on the terminal whether to
/// open the UI on it to create a new state there (onboarding). Nothing is created now:
/// the first write does it, after its own review and confirmation.
pub(crate) fn confirm_new_state(missing: &crate::service::exit::Failure) -> bool {
    use std::io::Write;
    let mut err = std::io::stderr();
    let asked = write!(
        err,
        "clawauth: {missing}.\nOpen the UI there to create a new OpenClaw state with your first key? [y/N] "
    );
    let mut answer = String::new();
    asked.is_ok()
        && err.flush().is_ok()
        && std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim(), "y" | "Y" | "yes")
}

/// The overview of the OpenClaw state `session` points at. Errors say what was
/// being done and on which state dir (anyhow context at the edge).
pub(crate) fn run_status(session: Session) -> anyhow::Result<i32> {
    use anyhow::Context;
    let state_dir = session.state_dir_text();
    let backend = backend::Backend::new(session);
    let report = backend
        .session
        .report()
        .with_context(|| format!("reading the OpenClaw state in {state_dir}"))?;
    let demo = backend.session.demo;
    let app = app::App::new(report, theme::Theme::from_env()).on_demo(demo);
    runner::run(app, backend).context("running the terminal UI")
}

/// The overview of the built-in demo state, in a temporary directory that is
/// removed afterwards (also when the UI ends by a panic).
pub(crate) fn run_demo() -> anyhow::Result<i32> {
    use anyhow::Context;
    let demo = DemoState::create().context("creating the demo state")?;
    run_status(demo.session())
}
