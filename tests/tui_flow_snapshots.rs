//! Every wizard screen rendered with ratatui's `TestBackend` at 80×24 and 120×40,
//! as text snapshots (tests/snapshots/). Plans come from the real backend on a copy
//! of the demo state, with paths shown under /home/user/.openclaw.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use clawauth::domain::ops::apply::ApplyResult;
use clawauth::tui::app::{App, Effect, Msg};
use clawauth::tui::msg::ExternalOutcome;
use crossterm::event::KeyCode;
use tui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const SECRET: &str = "sk-proxy-cron-token-0123456789";

/// Snapshots the screen `build` leaves the demo app on, at both sizes.
fn snapshot(name: &str, build: impl Fn(&mut App, &DemoState)) {
    for (width, height) in SIZES {
        let state = demo_state();
        let mut app = app(demo_report(), width, height);
        build(&mut app, &state);
        let text = render_text(&app);
        assert!(
            !text.contains(SECRET) || name.contains("revealed"),
            "{text}"
        );
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), text);
    }
}

fn keys(app: &mut App, keys: &[Msg]) -> Effect {
    let mut last = Effect::None;
    for k in keys {
        last = app.update(match k {
            Msg::Key(k) => Msg::Key(*k),
            Msg::Paste(t) => Msg::Paste(t.clone()),
            _ => unreachable!(),
        });
    }
    last
}

fn enter() -> Msg {
    key(KeyCode::Enter)
}

fn paste(text: &str) -> Msg {
    Msg::Paste(text.into())
}

/// `a` on cronbot × my-proxy, token, the secret pasted.
fn to_secret(app: &mut App) {
    keys(app, &[ch('a'), enter(), key(KeyCode::Down), enter()]);
    keys(app, &[paste(&format!("{SECRET}\n"))]);
}

/// …then targets, and the plan the runner would send back.
fn to_review(app: &mut App, state: &DemoState) {
    to_secret(app);
    let Effect::Plan(request) = keys(app, &[enter(), enter()]) else {
        panic!("plans");
    };
    app.update(Msg::Planned(Ok(state.plan(&request))));
}

#[test]
fn provider_choice() {
    snapshot("add_provider", |app, _| {
        keys(app, &[ch('a')]);
    });
}

#[test]
fn type_choice() {
    snapshot("add_type", |app, _| {
        keys(app, &[ch('a'), enter()]);
    });
}

#[test]
fn oauth_source_choice() {
    snapshot("add_oauth_source", |app, _| {
        keys(app, &[ch('a'), enter(), key(KeyCode::End), enter()]);
    });
}

#[test]
fn secret_input_masked() {
    snapshot("add_secret_masked", |app, _| to_secret(app));
}

#[test]
fn secret_input_revealed() {
    snapshot("add_secret_revealed", |app, _| {
        to_secret(app);
        keys(app, &[ctrl('r')]);
    });
}

#[test]
fn secret_input_with_an_error() {
    snapshot("add_secret_error", |app, _| {
        let token = [ch('a'), enter(), key(KeyCode::Down), enter()];
        keys(app, &token);
        keys(app, &[paste("export KEY=sk-1"), enter()]);
    });
}

#[test]
fn targets() {
    snapshot("add_targets", |app, _| {
        to_secret(app);
        keys(app, &[enter()]);
    });
}

#[test]
fn review_with_diff() {
    snapshot("add_review", to_review);
}

#[test]
fn review_confirmation() {
    snapshot("add_review_confirm", |app, state| {
        to_review(app, state);
        keys(app, &[enter()]);
    });
}

#[test]
fn applying() {
    snapshot("add_applying", |app, state| {
        to_review(app, state);
        keys(app, &[enter(), enter()]);
    });
}

#[test]
fn result() {
    snapshot("add_result", |app, state| {
        to_review(app, state);
        keys(app, &[enter(), enter()]);
        let file = "/home/user/.openclaw/agents/cronbot/agent/auth-profiles.json";
        app.update(Msg::Applied(ApplyResult {
            written: vec![file.into()],
            verified: vec![
                format!("my-proxy:manual in {file}"),
                "cronbot × my-proxy is usable (my-proxy:manual)".into(),
            ],
            ..ApplyResult::default()
        }));
    });
}

#[test]
fn result_with_a_running_gateway() {
    snapshot("add_result_gateway", |app, state| {
        app.report.gateway = Some(clawauth::domain::read::gateway::Gateway {
            pid: 4242,
            lock_file: "/tmp/openclaw-1000/gateway.a379be33.lock".into(),
        });
        to_review(app, state);
        keys(app, &[enter(), enter()]);
        let file = "/home/user/.openclaw/agents/cronbot/agent/auth-profiles.json";
        app.update(Msg::Applied(ApplyResult {
            written: vec![file.into()],
            ..ApplyResult::default()
        }));
    });
}

#[test]
fn result_with_failures() {
    snapshot("add_result_failed", |app, state| {
        to_review(app, state);
        keys(app, &[enter(), enter()]);
        app.update(Msg::Applied(ApplyResult {
            errors: vec!["timed out waiting for the lock on /home/user/.openclaw/agents/cronbot/agent/auth-profiles.json; nothing was written".into()],
            ..ApplyResult::default()
        }));
    });
}

#[test]
fn sign_in_without_openclaw() {
    snapshot("add_signin_not_found", |app, _| {
        keys(
            app,
            &[ch('a'), enter(), key(KeyCode::End), enter(), enter()],
        );
        app.update(Msg::ExternalDone(ExternalOutcome::NotFound));
    });
}

#[test]
fn repair_review() {
    snapshot("repair_review", |app, state| {
        let Effect::Plan(request) = keys(app, &[ch('$'), ch('f')]) else {
            panic!("plans");
        };
        app.update(Msg::Planned(Ok(state.plan(&request))));
    });
}

#[test]
fn copy_source() {
    snapshot("copy_source", |app, _| {
        keys(app, &[key(KeyCode::Left), ch('c')]);
    });
}

#[test]
fn copy_profiles() {
    snapshot("copy_profiles", |app, state| {
        keys(app, &[ch('0'), ch('c'), enter()]);
        app.update(Msg::Profiles(state.backend.profiles("main")));
    });
}

#[test]
fn copy_destinations() {
    snapshot("copy_destinations", |app, state| {
        keys(app, &[key(KeyCode::Left), ch('c'), enter()]);
        app.update(Msg::Profiles(state.backend.profiles("assistant")));
        keys(app, &[enter()]);
    });
}

#[test]
fn copy_conflicts() {
    snapshot("copy_conflicts", |app, state| {
        keys(app, &[key(KeyCode::Left), ch('c'), enter()]);
        app.update(Msg::Profiles(state.backend.profiles("assistant")));
        keys(app, &[enter(), enter()]);
    });
}

#[test]
fn copy_review() {
    snapshot("copy_review", |app, state| {
        keys(app, &[key(KeyCode::Left), ch('c'), enter()]);
        app.update(Msg::Profiles(state.backend.profiles("assistant")));
        let Effect::Plan(request) = keys(app, &[enter(), enter(), enter()]) else {
            panic!("plans");
        };
        app.update(Msg::Planned(Ok(state.plan(&request))));
    });
}

#[test]
fn rotate_secret() {
    snapshot("rotate_secret", |app, _| {
        keys(app, &[ch('R'), paste("sk-new-proxy-key")]);
    });
}

/// `R`, the new key, and the stores the runner would read back.
fn to_rotate_stores(app: &mut App, state: &DemoState) {
    let Effect::LoadKeyGroups(load) = keys(app, &[ch('R'), paste("sk-new-proxy-key"), enter()])
    else {
        panic!("reads the stores");
    };
    // Store paths are not shown on this step (and the plan checks them): no relabelling.
    app.update(Msg::KeyGroups(state.backend.key_groups(&load)));
}

#[test]
fn rotate_stores() {
    snapshot("rotate_stores", |app, state| {
        to_rotate_stores(app, state);
    });
}

#[test]
fn rotate_review() {
    snapshot("rotate_review", |app, state| {
        to_rotate_stores(app, state);
        let Effect::Plan(request) = keys(app, &[enter()]) else {
            panic!("plans");
        };
        app.update(Msg::Planned(Ok(state.plan(&request))));
    });
}

#[test]
fn quit_confirmation() {
    snapshot("quit_confirm", |app, _| {
        to_secret(app);
        keys(app, &[key(KeyCode::Esc), ch('q')]);
    });
}

#[test]
fn planning_failed() {
    snapshot("review_failed", |app, _| {
        keys(app, &[ch('f')]);
        app.update(Msg::Planned(Err("cannot read /home/user/.openclaw/agents/cronbot/agent/auth-profiles.json: permission denied".into())));
    });
}

#[test]
fn help_from_a_wizard_page() {
    snapshot("wizard_help", |app, _| {
        keys(app, &[ch('a'), ch('?')]);
    });
}

#[test]
fn secret_never_drawn_unless_revealed_at_any_size() {
    for (width, height) in [(60, 16), (80, 24), (200, 60)] {
        let mut app = app(demo_report(), width, height);
        to_secret(&mut app);
        for step in [
            vec![],
            vec![enter()],
            vec![key(KeyCode::Esc)],
            vec![ctrl('r'), key(KeyCode::Esc)],
        ] {
            keys(&mut app, &step);
            let text = render_text(&app);
            assert!(!text.contains(SECRET), "{width}x{height}:\n{text}");
            assert!(!text.contains(&SECRET[..12]), "no part of it either");
        }
    }
}

#[test]
fn the_focused_field_stays_visible_on_the_smallest_screen() {
    let mut app = app(demo_report(), 60, 16);
    to_secret(&mut app);
    keys(
        &mut app,
        &[key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    let text = render_text(&app);
    assert!(text.contains("▶ Email"), "{text}");
    insta::assert_snapshot!("add_secret_email_60x16", text);
}
