//! The live check end to end in a real terminal: `T` in `clawauth` inside tmux, against
//! the loopback mock of the providers' APIs; the UI keeps running while it checks, then
//! marks the cells and says what came back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
#[path = "probe_support/mock.rs"]
mod mock;
mod tui_support;

use mock::{Mock, Reply};
use std::time::Duration;
use tui_support::tmux::Session;

#[test]
fn capital_t_checks_every_key_in_the_background_and_marks_the_cells() {
    let m = Mock::start();
    m.on_key(
        "good-key",
        Reply::new(200, "{}").delayed(Duration::from_millis(1500)),
    );
    let f = common::Fixture::new();
    let entry = |key: &str| {
        format!(
            r#"{{ baseUrl: "{}/v1", api: "openai-completions", apiKey: "{key}", models: [ {{ id: "m", name: "m" }} ] }}"#,
            m.base()
        )
    };
    f.config(&format!(
        r#"{{ agents: {{ list: [ {{ id: "main", default: true }} ] }}, models: {{ providers: {{ "good": {}, "revoked": {} }} }} }}"#,
        entry("good-key"),
        entry("revoked-key-0123456789abcdef")
    ));
    let command = format!(
        "env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY HOME='{}' '{}' --state-dir '{}'",
        f.home.display(),
        tui_support::tmux::BIN,
        f.state.display()
    );
    let s = Session::start_command("live", 120, 30, &command);
    s.wait_for(&["PROVIDER", "good", "revoked"]);
    s.keys(&["T"]);
    // While the slow answer is awaited the UI shows progress and still takes keys.
    s.wait_for(&["Live check of 2 cell(s)", "…"]);
    s.keys(&["?"]);
    s.wait_for(&["Help: keys and symbols"]);
    s.keys(&["Escape"]);
    let screen = s.wait_for(&["Live check done", "1 cell(s) failed", "✔", "✘"]);
    assert!(!screen.contains("revoked-key-0123456789abcdef"), "{screen}");
    // The details of the selected cell (the first row: good) say when and what.
    s.keys(&["g"]);
    s.wait_for(&["Live", ": ok,", " ms"]);
    s.keys(&["Down"]);
    s.wait_for(&["auth: Incorrect API key provided: «redacted»"]);
    assert_eq!(m.requests().len(), 2, "one request per key");
    s.keys(&["q"]);
    s.assert_restored(0);
}

/// "Check this key first" in a real terminal: the add wizard's review names the host,
/// `t` sends the one request to it (the loopback mock) while the UI keeps running, and
/// the result page says the written key was checked.
#[test]
fn check_this_key_first_in_the_add_wizard() {
    const KEY: &str = "px-fresh-key-0123456789";
    let m = Mock::start();
    m.on_key(
        KEY,
        Reply::new(200, r#"{"data":[]}"#).delayed(Duration::from_millis(1200)),
    );
    let f = common::Fixture::new();
    f.config(&format!(
        r#"{{ agents: {{ list: [ {{ id: "main", default: true }} ] }}, models: {{ providers: {{ "px": {{ baseUrl: "{}/v1", api: "openai-completions", models: [ {{ id: "m", name: "m" }} ] }} }} }} }}"#,
        m.base()
    ));
    let command = format!(
        "env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY HOME='{}' '{}' --state-dir '{}'",
        f.home.display(),
        tui_support::tmux::BIN,
        f.state.display()
    );
    let s = Session::start_command("keyfirst", 120, 40, &command);
    s.wait_for(&["PROVIDER", "px"]);
    s.keys(&["a"]);
    s.wait_for(&["Which provider?", "▶ px"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Which kind of credential for px?"]);
    s.keys(&["Enter"]);
    s.wait_for(&["The px credential"]);
    s.paste_file(KEY);
    s.wait_for(&[&"•".repeat(KEY.len())]);
    s.keys(&["Enter"]);
    s.wait_for(&["Where to write it?", "[x] main"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Plan: Set px:default",
        "t: check this key first (one free request to 127.0.0.1, nothing is written)",
    ]);
    assert!(m.requests().is_empty(), "nothing is sent before t");
    s.keys(&["t"]);
    s.wait_for(&["Checking this key with 127.0.0.1…"]);
    // The UI keeps answering while the answer is awaited.
    s.keys(&["Down"]);
    s.wait_for(&["✓ key checked with 127.0.0.1: live check", ": ok,"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Apply 1 change?"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "✓ Written and verified.",
        "✓ the written key was checked with 127.0.0.1 before writing: live check",
    ]);
    let reqs = m.requests();
    assert_eq!(reqs.len(), 1, "one request, to the configured endpoint");
    assert_eq!(reqs[0].target, "/v1/models");
    assert_eq!(reqs[0].headers["authorization"], format!("Bearer {KEY}"));
    s.keys(&["Enter"]);
    s.wait_for(&["PROVIDER"]);
    s.keys(&["q"]);
    s.assert_restored(0);
    assert!(s.never_showed(KEY), "the key was on screen");
}
