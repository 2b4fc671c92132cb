//! The overview's polish, on the state machine and a test terminal: mouse clicks
//! and the wheel, cron jobs by name (disabled ones too) in the header and details,
//! and the demo banner.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use clawauth::tui::app::{App, Focus, Msg};
use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use tui_support::*;

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(column: u16, row: u16) -> Msg {
    mouse(MouseEventKind::Down(MouseButton::Left), column, row)
}

/// (column, row) of the first `needle` on the screen whose line contains `line_has`.
fn find(app: &App, line_has: &str, needle: char) -> (u16, u16) {
    let text = render_text(app);
    let (y, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_has))
        .unwrap_or_else(|| panic!("{line_has} not on screen:\n{text}"));
    let x = line.chars().position(|c| c == needle).unwrap();
    (x as u16, y as u16)
}

fn selected(app: &App) -> (String, String) {
    let c = app.selected_cell().unwrap();
    (c.agent.clone(), c.provider.clone())
}

#[test]
fn a_click_selects_the_cell_and_the_problem_under_it() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(demo_report(), w, h);
        assert_eq!(selected(&app), ("cronbot".into(), "my-proxy".into()));
        let (x, y) = find(&app, "anthropic", '✓');
        app.update(click(x, y));
        assert_eq!(
            selected(&app),
            ("main".into(), "anthropic".into()),
            "{w}x{h}"
        );
        assert!(render_text(&app).contains("Details: main × anthropic"));
        // The fourth column of the openrouter row: reporter.
        let (x, y) = find(&app, "openrouter", '✓');
        let column = app.index.column_width + 1;
        app.update(click(x + 3 * column, y));
        assert_eq!(selected(&app), ("reporter".into(), "openrouter".into()));
        // A click on the header row or the border selects nothing new.
        let (x, y) = find(&app, "PROVIDER", 'P');
        app.update(click(x, y));
        assert_eq!(selected(&app), ("reporter".into(), "openrouter".into()));
        // A problem line: focus moves to the problems list.
        let (x, y) = find(&app, "invalid_type", 'i');
        app.update(click(x, y));
        assert_eq!(app.focus, Focus::Problems);
        assert_eq!(app.selected_problem().unwrap().code, "invalid_type");
    }
}

#[test]
fn the_wheel_moves_in_the_pane_under_the_pointer() {
    let mut app = app(demo_report(), 120, 40);
    let (x, y) = find(&app, "anthropic", '✓');
    app.update(mouse(MouseEventKind::ScrollUp, x, y));
    assert_eq!(selected(&app), ("cronbot".into(), "local-llm".into()));
    app.update(mouse(MouseEventKind::ScrollDown, x, y));
    app.update(mouse(MouseEventKind::ScrollDown, x, y));
    assert_eq!(selected(&app), ("cronbot".into(), "openrouter".into()));
    let (x, y) = find(&app, "State    ", 'S');
    app.update(mouse(MouseEventKind::ScrollDown, x, y));
    assert_eq!(app.details_scroll, 1);
    assert_eq!(app.focus, Focus::Matrix);
}

/// The demo with its cron job disabled and a recorded failure.
fn disabled_failing_job() -> clawauth::domain::status::report::Report {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    common::copy_demo(&state);
    std::fs::write(
        state.join("cron/jobs.json"),
        r#"{"version":1,"jobs":[{"id":"daily-briefing","name":"Daily briefing","enabled":false,"agentId":"cronbot",
            "sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/gpt-4o-mini"},
            "state":{"lastRunAtMs":1764018360000,"lastStatus":"error",
                     "lastError":"No API key found for provider \"my-proxy\"","lastErrorReason":"auth"}}]}"#,
    )
    .unwrap();
    let mut r = report_of(&state, &clawauth::service::demo::demo_env(&state));
    relabel(&mut r, state.to_str().unwrap(), SHOWN_STATE_DIR);
    r
}

#[test]
fn a_disabled_failing_job_is_named_in_the_header_and_details() {
    let report = disabled_failing_job();
    let cell = report
        .cells
        .iter()
        .find(|c| c.agent == "cronbot" && c.provider == "my-proxy")
        .unwrap();
    assert!(
        cell.cron.is_empty(),
        "a disabled job does not need the cell"
    );
    assert_eq!(cell.cron_jobs.len(), 1);
    assert!(!cell.cron_jobs[0].enabled);
    let mut app = app(report, 120, 40);
    // Select cronbot × my-proxy (a disabled job does not pull the selection).
    while selected(&app) != ("cronbot".into(), "my-proxy".into()) {
        app.update(ch('n'));
    }
    let text = render_text(&app);
    let expected = "✗ cron Daily briefing (disabled) last failed 2025-11-24 21:06 UTC: No API key found for provider \"my-proxy\" → cronbot × my-proxy ✗ missing";
    let header = text.lines().nth(2).unwrap();
    assert!(
        expected.starts_with(header.trim_start().trim_end_matches('…')),
        "{text}"
    );
    assert!(!text.contains("No cron job is missing"), "{text}");
    let details = text.lines().find(|l| l.contains("│Cron")).unwrap();
    assert!(details.contains("Daily briefing (disabled) last"), "{text}");
    insta::assert_snapshot!("disabled_failing_job_120x40", text);
}

#[test]
fn the_demo_banner_shows_only_on_the_demo() {
    for (w, h) in [(80, 24), (120, 40)] {
        let demo = app(demo_report(), w, h).on_demo(true);
        let text = render_text(&demo);
        assert!(
            text.lines()
                .next()
                .unwrap()
                .contains("DEMO — nothing on your machine is read or changed"),
            "{text}"
        );
        insta::assert_snapshot!(format!("demo_banner_{w}x{h}"), text);
        let real = app(demo_report(), w, h);
        assert!(!render_text(&real).contains("DEMO"));
    }
}
