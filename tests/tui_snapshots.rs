//! Every overview screen rendered with ratatui's `TestBackend` at 80×24 and
//! 120×40, as text snapshots (tests/snapshots/), plus style checks for NO_COLOR.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use clawauth::tui::app::{App, Msg};
use clawauth::tui::theme::Theme;
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Snapshots the demo at both sizes after `keys`.
fn snapshot_demo(name: &str, keys: &[Msg]) {
    for (width, height) in SIZES {
        let mut app = app(demo_report(), width, height);
        for k in keys {
            app.update(clone_msg(k));
        }
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), render_text(&app));
    }
}

fn clone_msg(m: &Msg) -> Msg {
    match m {
        Msg::Key(k) => Msg::Key(*k),
        Msg::Paste(t) => Msg::Paste(t.clone()),
        Msg::Resize(w, h) => Msg::Resize(*w, *h),
        Msg::Tick => Msg::Tick,
        Msg::Reloaded(Err(e)) => Msg::Reloaded(Err(e.clone())),
        _ => unreachable!("not used in snapshots"),
    }
}

#[test]
fn overview() {
    snapshot_demo("overview", &[]);
}

#[test]
fn help_overlay() {
    snapshot_demo("help", &[ch('?')]);
}

#[test]
fn help_overlay_scrolled() {
    snapshot_demo("help_scrolled", &[ch('?'), key(KeyCode::PageDown)]);
}

#[test]
fn filter_while_typing() {
    snapshot_demo(
        "filter_typing",
        &[ch('/'), ch('c'), ch('r'), ch('o'), ch('n')],
    );
}

#[test]
fn filter_without_a_match() {
    snapshot_demo(
        "filter_no_match",
        &[ch('/'), ch('z'), ch('z'), key(KeyCode::Enter)],
    );
}

#[test]
fn problems_focused() {
    snapshot_demo("problems", &[key(KeyCode::Tab), key(KeyCode::End)]);
}

#[test]
fn cell_needing_attention_after_n() {
    snapshot_demo("next_problem", &[ch('n')]);
}

#[test]
fn reload_failed() {
    let failed = Msg::Reloaded(Err("cannot read /home/user/.openclaw/openclaw.json".into()));
    snapshot_demo("reload_failed", &[ch('r'), failed]);
}

#[test]
fn header_with_a_running_gateway() {
    let mut report = demo_report();
    report.gateway = Some(clawauth::domain::read::gateway::Gateway {
        pid: 4242,
        lock_file: "/tmp/openclaw-1000/gateway.a379be33.lock".into(),
    });
    let app = app(report, 120, 40);
    insta::assert_snapshot!("header_with_a_running_gateway_120x40", render_text(&app));
}

#[test]
fn too_small() {
    for (width, height) in [(59, 24), (80, 15), (30, 8)] {
        let app = app(demo_report(), width, height);
        let text = render_text(&app);
        let expected = format!("terminal too small (need 60×16, have {width}×{height})");
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains(&expected), "{text}");
        insta::assert_snapshot!(format!("too_small_{width}x{height}"), text);
    }
}

#[test]
fn an_empty_state_explains_itself_and_survives_every_key() {
    let mut report = demo_report();
    report.agents.clear();
    report.providers.clear();
    report.cells.clear();
    report.problems.clear();
    let mut app = app(report, 80, 24);
    let keys = [
        ch('n'),
        ch('N'),
        key(KeyCode::End),
        ch('$'),
        key(KeyCode::Tab),
    ];
    for k in keys {
        app.update(k);
    }
    app.update(key(KeyCode::PageDown));
    let text = render_text(&app);
    assert!(text.contains("No providers found"), "{text}");
    assert!(text.contains("No problems found."), "{text}");
    insta::assert_snapshot!("empty_80x24", text);
}

#[test]
fn smallest_supported_size() {
    let app = app(demo_report(), 60, 16);
    insta::assert_snapshot!("minimum_60x16", render_text(&app));
}

#[test]
fn large_fleet_scrolled_to_the_far_corner() {
    let report = fleet_report(100, 200);
    for (width, height) in SIZES {
        let mut app = app(report.clone(), width, height);
        app.update(key(KeyCode::End));
        app.update(ch('$'));
        let text = render_text(&app);
        assert!(text.contains("agent-099"), "{text}");
        assert!(text.contains("prov-199"), "{text}");
        insta::assert_snapshot!(format!("fleet_corner_{width}x{height}"), text);
    }
}

/// (x, y) of the first occurrence of `needle` on the screen (all glyphs are one column wide).
fn find(buffer: &Buffer, needle: &str) -> (u16, u16) {
    let text = screen(buffer);
    for (y, line) in text.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            return (line[..byte].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle:?} not on screen:\n{text}");
}

fn modifiers_at(buffer: &Buffer, (x, y): (u16, u16)) -> Modifier {
    buffer[(x, y)].modifier
}

fn mono_demo(width: u16, height: u16) -> App {
    App::new(demo_report(), Theme::monochrome()).with_size(width, height)
}

#[test]
fn no_color_uses_no_colour_at_all() {
    for (width, height) in SIZES {
        let buffer = render(&mono_demo(width, height));
        for cell in buffer.content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
    }
}

#[test]
fn no_color_selection_is_reversed_and_bold() {
    for (width, height) in SIZES {
        let mut app = mono_demo(width, height);
        let buffer = render(&app);
        let cell = find(&buffer, "✗ missing*");
        let m = modifiers_at(&buffer, cell);
        assert!(m.contains(Modifier::REVERSED | Modifier::BOLD), "{m:?}");
        let other = find(&buffer, "✗ invalid");
        assert!(!modifiers_at(&buffer, other).contains(Modifier::REVERSED));
        // With the problems list focused, the cell stays marked (underlined, bold)
        // and the selected problem line is reversed.
        app.update(key(KeyCode::Tab));
        let buffer = render(&app);
        let m = modifiers_at(&buffer, cell);
        assert!(m.contains(Modifier::UNDERLINED | Modifier::BOLD), "{m:?}");
        assert!(!m.contains(Modifier::REVERSED), "{m:?}");
        let problem = find(&buffer, "✗ error   expires_in_seconds");
        assert!(modifiers_at(&buffer, problem).contains(Modifier::REVERSED));
    }
}

#[test]
fn no_color_renders_the_same_text() {
    for (width, height) in SIZES {
        let colored = render_text(&app(demo_report(), width, height));
        assert_eq!(render_text(&mono_demo(width, height)), colored);
    }
}

#[test]
fn focus_shows_as_a_thick_border_and_a_marker() {
    let mut app = mono_demo(120, 40);
    let text = render_text(&app);
    assert!(text.contains("┏▶ Providers × agents"), "{text}");
    assert!(text.contains("┌ Problems"), "{text}");
    app.update(key(KeyCode::Tab));
    let text = render_text(&app);
    assert!(text.contains("┌ Providers × agents"), "{text}");
    assert!(text.contains("┏▶ Problems"), "{text}");
}

#[test]
fn colour_never_carries_the_selection_alone() {
    let app = app(demo_report(), 120, 40);
    let buffer = render(&app);
    let m = modifiers_at(&buffer, find(&buffer, "✗ missing*"));
    assert!(m.contains(Modifier::REVERSED | Modifier::BOLD), "{m:?}");
}

#[test]
fn screens_never_show_a_secret() {
    let secrets = [
        "sk-proxy-demo",
        "sk-or-demo",
        "demo-access-token",
        "demo-refresh-token",
        "sk-ant-oat01",
    ];
    let keys = [key(KeyCode::Tab), key(KeyCode::Down), key(KeyCode::Down)];
    let mut app = app(demo_report(), 120, 40);
    let mut screens = vec![render_text(&app)];
    for k in keys {
        app.update(k);
        screens.push(render_text(&app));
    }
    for text in screens {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} on screen:\n{text}");
        }
    }
}
