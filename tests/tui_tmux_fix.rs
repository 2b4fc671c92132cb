//! The founding case fixed in a real terminal (tmux) from a fresh `clawauth demo`:
//! `n`, then at most four Enters (the review's own confirmation included), and
//! the copied key is never typed or shown.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use serde_json::Value;
use tui_support::tmux::Session;

/// The key agent `assistant` holds in the demo (assets/demo).
fn assistant_key() -> String {
    let store = include_str!("../assets/demo/agents/assistant/agent/auth-profiles.json");
    let doc: Value = serde_json::from_str(store).unwrap();
    doc["profiles"]["my-proxy:manual"]["token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn founding_case_fixed_with_n_and_four_enters_from_a_fresh_demo() {
    let key = assistant_key();
    let s = Session::start("enterfix", 80, 24);
    s.wait_for_overview();
    let demo_dir = std::env::temp_dir().join(format!("clawauth-demo-{}", s.clawauth_pid()));
    let store = demo_dir.join("agents/cronbot/agent/auth-profiles.json");
    assert!(!store.exists(), "cronbot starts without a store");
    s.keys(&["n"]);
    s.wait_for(&[
        "Details: cronbot × my-proxy",
        "Enter: copy assistant's key here",
    ]);
    let mut enters = 0;
    let mut enter = |next: &[&str]| {
        s.keys(&["Enter"]);
        enters += 1;
        s.wait_for(next);
    };
    enter(&["To which agents?", "▶ [x] cronbot", "Recommended: cronbot"]);
    enter(&["copies my-proxy:manual (token)", "1 change planned"]);
    enter(&["Apply 1 change?"]);
    enter(&["✓ Written and verified."]);
    assert_eq!(enters, 4);
    let written: Value = serde_json::from_slice(&std::fs::read(&store).unwrap()).unwrap();
    assert_eq!(
        written["profiles"]["my-proxy:manual"]["token"],
        key.as_str()
    );
    assert_eq!(written["profiles"]["my-proxy:manual"]["type"], "token");
    s.keys(&["Enter"]);
    s.wait_for(&["Providers × agents"]);
    let overview = s.wait_for(&["Details: cronbot × my-proxy"]);
    assert!(overview.contains("✓ static L"), "{overview}");
    s.keys(&["q"]);
    s.assert_restored(0);
    assert!(s.never_showed(&key), "the copied key was on screen");
    assert!(
        s.never_showed(&key[..12]),
        "part of the copied key was on screen"
    );
}
