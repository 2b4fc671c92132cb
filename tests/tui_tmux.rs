//! End to end in a real terminal: `clawauth demo` inside a detached tmux
//! session of fixed size, driven with `send-keys` and read with `capture-pane`.
//! After quitting (q, Ctrl-C, SIGTERM, SIGHUP, a panic) the terminal must be restored:
//! canonical mode and echo on (checked with `stty -a` in the same pane), the
//! alternate screen left and the cursor visible.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use std::time::{Duration, Instant};
use tui_support::tmux::{BIN, Session, TIMEOUT};

#[test]
fn navigate_filter_help_and_quit_with_q() {
    let s = Session::start("q", 120, 40);
    let screen = s.wait_for_overview();
    assert!(
        screen.contains("✗ cron Daily briefing (enabled) → cronbot × my-proxy ✗ missing"),
        "{screen}"
    );
    assert!(screen.contains("✗ missing*"), "{screen}");
    assert!(screen.contains("Details: cronbot × my-proxy"), "{screen}");
    s.keys(&["Down"]);
    s.wait_for(&["Details: cronbot × openrouter"]);
    s.keys(&["l"]);
    s.wait_for(&["Details: reporter × openrouter"]);
    s.keys(&["/"]);
    s.text("cron");
    s.wait_for(&["filter \"cron\"", "agents 1–1 of 1", "Filter: cron"]);
    s.keys(&["Escape"]);
    s.wait_for(&["agents 1–4 of 4"]);
    s.keys(&["?"]);
    s.wait_for(&["Help: keys and symbols", "Ctrl-C"]);
    s.keys(&["Escape"]);
    s.wait_gone("Help: keys and symbols");
    s.keys(&["Tab"]);
    s.wait_for(&["Details: problem 1 of 7"]);
    s.keys(&["r"]);
    s.wait_for(&["Reloaded: 4 agents × 5 providers, 6 errors, 1 warning"]);
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn no_subcommand_opens_the_overview_of_the_given_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    common::copy_demo(&state);
    let args = format!("--state-dir '{}'", state.display());
    let s = Session::start_with("bare", 120, 40, &args);
    let screen = s.wait_for_overview();
    assert!(
        screen.contains(&format!("State dir {}", state.display())),
        "{screen}"
    );
    assert!(screen.contains("✗ missing*"), "{screen}");
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn paste_is_bracketed_into_the_filter() {
    let s = Session::start("paste", 120, 40);
    s.wait_for_overview();
    s.keys(&["/"]);
    s.wait_for(&["Filter:"]);
    // Unbracketed, the newline would accept the filter and `q` would quit.
    s.paste("cron\nq");
    s.wait_for(&["filter \"cron\"", "Filter: cron"]);
    s.keys(&["Enter"]);
    s.wait_gone("Filter: cron");
    s.keys(&["C-c"]);
    s.assert_restored(0);
}

#[test]
fn too_small_then_resized() {
    let s = Session::start("small", 50, 12);
    s.wait_for(&["terminal too small (need 60×16, have 50×12)"]);
    assert!(
        s.tmux(&["resize-window", "-t", "ui", "-x", "120", "-y", "40"])
            .status
            .success()
    );
    s.wait_for_overview();
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn sigterm_restores_the_terminal() {
    let s = Session::start("term", 120, 40);
    s.wait_for_overview();
    // SAFETY: sends a signal to the clawauth child this test started.
    assert_eq!(unsafe { libc::kill(s.clawauth_pid(), libc::SIGTERM) }, 0);
    s.assert_restored(128 + libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal() {
    let s = Session::start("hup", 120, 40);
    s.wait_for_overview();
    // SAFETY: sends a signal to the clawauth child this test started.
    assert_eq!(unsafe { libc::kill(s.clawauth_pid(), libc::SIGHUP) }, 0);
    s.assert_restored(128 + libc::SIGHUP);
}

#[test]
fn a_panic_in_the_ui_restores_the_terminal_and_removes_the_demo_state() {
    let command = format!("env CLAWAUTH_TEST_FAULT=panic-in-ui '{BIN}' demo");
    let s = Session::start_command("panic", 120, 40, &command);
    s.wait_for_overview();
    let pid = s.clawauth_pid();
    let demo_dir = running_demo_dir(pid);
    s.keys(&["Down"]);
    s.assert_restored(101);
    let screen = s.wait_for(&["clawauth: internal error at src/tui/runner.rs:"]);
    assert!(
        screen.contains("injected panic (test hook) in the UI thread"),
        "{screen}"
    );
    assert!(!demo_dir.exists(), "{} left behind", demo_dir.display());
}

#[test]
fn without_a_terminal_no_subcommand_still_explains() {
    let none: [&str; 0] = [];
    let out = common::run(&common::Invocation::new(&none));
    assert_eq!(out.code, Some(3), "{}", out.describe());
    assert!(
        out.stderr.contains("no subcommand given"),
        "{}",
        out.describe()
    );
    let out = common::run(&common::Invocation::new(&["demo"]));
    assert_eq!(out.code, Some(0), "{}", out.describe());
    assert!(
        out.stdout
            .contains("cronbot × my-proxy: missing (cron: Daily briefing)"),
        "{}",
        out.describe()
    );
}

/// The demo's temporary state dir of the clawauth process `pid`, which must exist now.
fn running_demo_dir(pid: i32) -> std::path::PathBuf {
    let demo_dir = std::env::temp_dir().join(format!("clawauth-demo-{pid}"));
    assert!(
        demo_dir.is_dir(),
        "{} exists while running",
        demo_dir.display()
    );
    demo_dir
}

/// True once `pid` has exited (gone, or a zombie nobody reaped yet).
fn exited(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z')),
    }
}

#[test]
fn closing_the_terminal_ends_clawauth_and_removes_the_demo_state() {
    let s = Session::start("hangup", 120, 40);
    s.wait_for_overview();
    let pid = s.clawauth_pid();
    let demo_dir = running_demo_dir(pid);
    // Like closing the terminal window: the pty goes away under clawauth.
    assert!(s.tmux(&["kill-server"]).status.success());
    let start = Instant::now();
    while !exited(pid) {
        assert!(
            start.elapsed() < TIMEOUT,
            "clawauth {pid} still runs after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!demo_dir.exists(), "{} left behind", demo_dir.display());
}

#[test]
fn no_subcommand_and_no_openclaw_state_opens_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let command = format!(
        "env -u OPENCLAW_STATE_DIR -u OPENCLAW_CONFIG_PATH -u OPENCLAW_HOME HOME='{}' '{}'",
        home.path().display(),
        BIN
    );
    let s = Session::start_command("fallback", 120, 40, &command);
    let screen = s.wait_for_overview();
    assert!(
        screen.contains("clawauth-demo-"),
        "the demo's temporary state is shown: {screen}"
    );
    assert!(screen.contains("cronbot"), "{screen}");
    s.keys(&["q"]);
    s.assert_restored(0);
    assert!(
        !home.path().join(".openclaw").exists(),
        "nothing is created in HOME"
    );
}
