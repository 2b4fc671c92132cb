//! OpenClaw 2026.4's own writers take no lock (issue 10, item 7): the real
//! `openclaw models auth paste-token` of 2026.4.5, run in a terminal (a private tmux
//! server) on the same state as a clawauth write.
//!
//! paste-token reads the store, adds its profile and renames its copy over the file,
//! with no lock: a clawauth write that lands between its read and its rename is undone.
//! That window is about a millisecond, so the test widens it without changing
//! OpenClaw's logic: `tests/interop/hold-store-write.cjs` (a `--require` preload) holds
//! OpenClaw just before its rename until the test lets it go, after clawauth's write.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use common::oc::*;
use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tui_support::tmux::Session;

const CLAW_KEY: &str = "sk-clawauth-written-0123456789";
const PASTED: &str = "sk-pasted-by-openclaw-9876543210";

fn quote(p: &Path) -> String {
    shlex::try_quote(p.to_str().unwrap()).unwrap().into_owned()
}

/// Waits until `done()` holds, at most `limit`.
fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Main's JSON store with one xai key, and the hold directory of the preload.
fn state() -> (Fixture, PathBuf, PathBuf) {
    let f = Fixture::new();
    f.config("{}\n");
    let store = f.store("main", store_of(&[("xai:old", api_key("xai", "sk-old"))]));
    let hold = f.home.join("hold");
    std::fs::create_dir(&hold).unwrap();
    (f, store, hold)
}

/// `paste-token` for xai in main's store, started in a terminal, waiting at its prompt.
fn start_paste_token(f: &Fixture, hold: &Path) -> Session {
    let preload = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/hold-store-write.cjs");
    let command = format!(
        "env HOME={} OPENCLAW_STATE_DIR={} HOLD_DIR={} NO_COLOR=1 NODE_OPTIONS={} {} {V45} cli models auth paste-token --provider xai --profile-id xai:pasted",
        quote(&f.home),
        quote(&f.state),
        quote(hold),
        shlex::try_quote(&format!("--require {}", preload.display())).unwrap(),
        quote(&run_sh()),
    );
    let session = Session::start_command("unlocked", 100, 30, &command);
    session.wait_for_within(&["Paste token for xai"], Duration::from_secs(60));
    session
}

fn set_args() -> Vec<&'static str> {
    vec![
        "set",
        "--provider",
        "openrouter",
        "--type",
        "api_key",
        "--agent",
        "main",
        "--secret-stdin",
    ]
}

#[test]
fn an_unlocked_paste_token_is_warned_about_and_its_undo_is_reported() {
    let (f, store, hold) = state();
    let session = start_paste_token(&f, &hold);

    // (a) The plan names the running OpenClaw (its process title: `openclaw-models`).
    let dry = clawauth(
        &f,
        &[set_args(), vec!["--dry-run", "--json"]].concat(),
        CLAW_KEY,
    );
    let doc: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    let warnings = doc["plan"]["warnings"].to_string();
    assert!(
        warnings.contains("OpenClaw is running (pid ")
            && warnings.contains(": openclaw models)")
            && warnings.contains("take no lock"),
        "{warnings}"
    );

    // paste-token reads the store when the token is entered, then waits at its rename.
    session.text(PASTED);
    session.keys(&["Enter"]);
    wait_until("paste-token's write", Duration::from_secs(20), || {
        hold.join("reached").exists()
    });

    // clawauth writes; once its profile is on disk (and its first re-read done),
    // paste-token renames its older copy over the store.
    let args = [set_args(), vec!["--yes"]].concat();
    let claw = spawn_clawauth(&f, &args, CLAW_KEY, SYSTEM_PATH);
    wait_until("clawauth's write", Duration::from_secs(20), || {
        std::fs::read_to_string(&store).is_ok_and(|t| t.contains("openrouter:default"))
    });
    std::thread::sleep(Duration::from_millis(100));
    std::fs::write(hold.join("go"), "").unwrap();
    let out = claw.wait_with_output().unwrap();
    // paste-token's rename is done (its config write and exit are not needed here).
    wait_until("paste-token's rename", Duration::from_secs(20), || {
        std::fs::read_to_string(&store).is_ok_and(|t| t.contains("xai:pasted"))
    });
    drop(session);

    // The write really was undone: paste-token's copy has its profile, not clawauth's.
    let end: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&store).unwrap()).unwrap();
    assert!(end["profiles"]["xai:pasted"].is_object(), "{end}");
    assert!(end["profiles"].get("openrouter:default").is_none(), "{end}");

    // (b) … and clawauth says so: no "✓ verified" for it, exit 1.
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(
        all.contains("openrouter:default in ") && all.contains("was undone"),
        "{all}"
    );
    assert!(
        !all.lines()
            .any(|l| l.contains("✓ verified") && l.contains("openrouter")),
        "{all}"
    );
    assert!(!all.contains(CLAW_KEY) && !all.contains(PASTED), "{all}");
}
