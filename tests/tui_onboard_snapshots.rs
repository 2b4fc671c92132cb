//! The onboarding screens of the add wizard on an empty state, rendered with
//! `TestBackend` at 80×24 and 120×40: the provider step (custom provider, another id,
//! the built-ins of the assumed OpenClaw), the custom provider form, its API kind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::domain::status::report::Report;
use clawauth::tui::app::{App, Msg};
use crossterm::event::KeyCode;
use tui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The report of an empty state dir (no openclaw.json, no store), paths as shown.
fn empty_report() -> Report {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let env = EnvSnapshot::from_pairs([("HOME", dir.path().to_str().unwrap())]);
    let mut report = report_of(&state, &env);
    relabel(&mut report, state.to_str().unwrap(), SHOWN_STATE_DIR);
    report
}

fn snapshot(name: &str, keys: &[Msg], typed: &[(&str, bool)]) -> Vec<String> {
    let mut screens = Vec::new();
    for (width, height) in SIZES {
        let mut app: App = app(empty_report(), width, height);
        for k in keys {
            app.update(clone(k));
        }
        for (text, tab) in typed {
            type_text(&mut app, text);
            if *tab {
                app.update(key(KeyCode::Tab));
            }
        }
        let text = render_text(&app);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), text);
        screens.push(text);
    }
    screens
}

fn clone(m: &Msg) -> Msg {
    match m {
        Msg::Key(k) => Msg::Key(*k),
        _ => unreachable!(),
    }
}

#[test]
fn an_empty_state_offers_a_custom_provider_another_id_and_the_built_ins() {
    for text in snapshot("onboard_provider", &[ch('a')], &[]) {
        assert!(text.contains("A custom provider…"), "{text}");
        assert!(text.contains("Another provider id…"), "{text}");
        assert!(text.contains("anthropic"), "{text}");
        assert!(!text.contains("No provider to add"), "{text}");
    }
}

#[test]
fn the_custom_provider_form() {
    let typed = [
        ("my-proxy", true),
        ("https://my-proxy.invalid/v1", true),
        ("gpt-4o-mini", false),
    ];
    for text in snapshot(
        "onboard_custom_form",
        &[ch('a'), key(KeyCode::Enter)],
        &typed,
    ) {
        assert!(text.contains("Declare a custom provider"), "{text}");
        assert!(text.contains("https://my-proxy.invalid/v1"), "{text}");
    }
}

#[test]
fn a_wrong_base_url_is_explained_on_its_field() {
    let typed = [("my-proxy", true), ("my-proxy.invalid", true), ("m", false)];
    let keys = [ch('a'), key(KeyCode::Enter)];
    let mut app = app(empty_report(), 120, 40);
    for k in &keys {
        app.update(clone(k));
    }
    for (text, tab) in typed {
        type_text(&mut app, text);
        if tab {
            app.update(key(KeyCode::Tab));
        }
    }
    app.update(key(KeyCode::Enter));
    let text = render_text(&app);
    assert!(text.contains("Declare a custom provider"), "{text}");
    assert!(
        text.contains("http:// or https:// URL with a host"),
        "{text}"
    );
}

#[test]
fn the_api_kinds_of_the_assumed_openclaw() {
    let typed = [
        ("my-proxy", true),
        ("https://my-proxy.invalid/v1", true),
        ("gpt-4o-mini", false),
    ];
    let mut done = Vec::new();
    for (width, height) in SIZES {
        let mut app = app(empty_report(), width, height);
        app.update(ch('a'));
        app.update(key(KeyCode::Enter));
        for (text, tab) in typed {
            type_text(&mut app, text);
            if tab {
                app.update(key(KeyCode::Tab));
            }
        }
        app.update(key(KeyCode::Enter));
        let text = render_text(&app);
        assert!(text.contains("Which API does my-proxy speak?"), "{text}");
        assert!(text.contains("openai-completions (recommended)"), "{text}");
        assert!(text.contains("anthropic-messages"), "{text}");
        insta::assert_snapshot!(format!("onboard_api_kind_{width}x{height}"), text);
        done.push(text);
    }
    assert_eq!(done.len(), 2);
}

#[test]
fn another_provider_id_form() {
    let keys = [ch('a'), key(KeyCode::Down), key(KeyCode::Enter)];
    for text in snapshot("onboard_other_id", &keys, &[("my-plugin", false)]) {
        assert!(text.contains("Which provider id?"), "{text}");
        assert!(text.contains("my-plugin"), "{text}");
    }
}
