//! clawauth: make OpenClaw provider authentication visible and fixable.
//!
//! Layers: `domain` (pure: read, status, validate, ops, write) ← `service` (what any
//! front end does: session, inputs, plan → apply → verify, attention, exit status)
//! ← `cli` and `tui`, siblings that never import each other. This file is the one
//! place that chooses between them.

pub mod cli;
pub mod domain;
pub mod service;
pub mod tui;

use domain::read::envsnap::EnvSnapshot;

/// The program: a terminal and no subcommand (or a plain `demo`) opens the UI,
/// anything else runs the command line. Returns the process exit code.
pub fn run_from_env() -> i32 {
    service::crash::install_hook();
    let args = match cli::parse() {
        Ok(args) => args,
        Err(status) => return status.code(),
    };
    let session = args.global.session(EnvSnapshot::from_process());
    if args.command.is_none()
        && tui::is_interactive()
        && let Err(failure) = session.check_given_paths(false)
        && !(session.check_given_paths(true).is_ok() && tui::confirm_new_state(&failure))
    {
        eprintln!("clawauth: {failure}");
        return failure.status().code();
    }
    let ui = match &args.command {
        _ if !tui::is_interactive() => None,
        None if session.no_openclaw_state() => Some(tui::run_demo()),
        None => Some(tui::run_status(session.clone())),
        Some(cli::Command::Demo(demo)) if demo.is_plain() => Some(tui::run_demo()),
        Some(_) => None,
    };
    match ui {
        Some(Ok(code)) => code,
        Some(Err(e)) => {
            eprintln!("clawauth: {e:#}");
            service::exit::ExitStatus::CannotRead.code()
        }
        None => cli::run(args, &session),
    }
}
