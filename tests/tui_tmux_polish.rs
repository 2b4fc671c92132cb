//! In a real terminal: the demo says it is a demo, and the overview follows a store
//! changed on disk without pressing `r` (live reload), and a click selects a cell.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use tui_support::tmux::Session;

#[test]
fn the_demo_says_it_is_a_demo_and_a_real_state_does_not() {
    let s = Session::start("banner", 80, 24);
    let screen = s.wait_for_overview();
    assert!(
        screen.contains("DEMO — nothing on your machine is read or changed"),
        "{screen}"
    );
    // The legend is complete at 80 columns, on two lines.
    for key in ["Tab focus", "/ filter", "r reload", "? help", "q quit"] {
        assert!(screen.contains(key), "{key} missing:\n{screen}");
    }
    s.keys(&["q"]);
    s.assert_restored(0);

    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    common::copy_demo(&state);
    let s = Session::start_with(
        "nobanner",
        80,
        24,
        &format!("--state-dir '{}'", state.display()),
    );
    let screen = s.wait_for_overview();
    assert!(!screen.contains("DEMO"), "{screen}");
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn a_store_changed_on_disk_shows_without_pressing_r() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    common::copy_demo(&state);
    let s = Session::start_with(
        "live",
        120,
        40,
        &format!("--state-dir '{}'", state.display()),
    );
    let screen = s.wait_for_overview();
    assert!(screen.contains("✗ missing*"), "{screen}");
    assert!(
        screen.contains("✗ cron Daily briefing (enabled)"),
        "{screen}"
    );
    // Another program (OpenClaw, an editor) gives cronbot its own my-proxy key.
    let store = state.join("agents/cronbot/agent/auth-profiles.json");
    std::fs::create_dir_all(store.parent().unwrap()).unwrap();
    let doc = common::store_of(&[(
        "my-proxy:default",
        common::api_key("my-proxy", "sk-live-reload-0123456789"),
    )]);
    let tmp = store.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    std::fs::rename(&tmp, &store).unwrap();
    let screen = s.wait_for(&["✓ No cron job is missing a credential."]);
    assert!(!screen.contains("✗ missing*"), "{screen}");
    assert!(screen.contains("✓ static L*"), "{screen}");
    assert!(!screen.contains("sk-live-reload"), "{screen}");
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn a_click_selects_the_cell_under_it() {
    let s = Session::start("click", 120, 40);
    let screen = s.wait_for_overview();
    assert!(screen.contains("Details: cronbot × my-proxy"), "{screen}");
    // The row of anthropic, the column of main (found on the screen, 0-based).
    let lines: Vec<&str> = screen.lines().collect();
    let y = lines.iter().position(|l| l.contains("┃anthropic")).unwrap();
    let x = lines[y].chars().position(|c| c == '✓').unwrap();
    s.click(x as u16, y as u16);
    s.wait_for(&["Details: main × anthropic"]);
    s.keys(&["q"]);
    s.assert_restored(0);
}
