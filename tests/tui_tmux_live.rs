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
