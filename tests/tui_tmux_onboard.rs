//! Onboarding in a real terminal (tmux): on an empty state dir, `a` offers a custom
//! provider and OpenClaw's built-ins; each flow ends with the key written and, for the
//! custom provider, openclaw.json declaring it; the real OpenClaw 2026.4.5 (run offline)
//! resolves the new key.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use clawauth::domain::read::builtins::asset_providers;
use clawauth::domain::read::version::Generation;
use common::oc::{V45, resolver};
use common::{Fixture, sha12};
use serde_json::Value;
use tui_support::tmux::{BIN, Session};

const SECRET: &str = "sk-onboard-tmux-0123456789";

fn start(name: &str, f: &Fixture) -> Session {
    let s = Session::on_state(name, f, "/usr/bin:/bin", "");
    s.wait_for(&["No providers found"]);
    s
}

/// From the type step (api_key recommended) to the written and verified result.
fn key_targets_review_apply(s: &Session, provider: &str) {
    s.wait_for(&[
        &format!("Which kind of credential for {provider}?"),
        "▶ api_key (recommended)",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&[&format!("The {provider} credential")]);
    s.paste_file(SECRET);
    s.wait_for(&[&"•".repeat(SECRET.len())]);
    s.keys(&["Enter"]);
    s.wait_for(&["Where to write it?", "[x] main"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Review: nothing is written until you confirm",
        "planned · Enter: apply",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&["Enter to apply, Esc to go back"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "✓ Written and verified.",
        &format!("✓ verified: main × {provider} is usable"),
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&[&format!("Details: main × {provider}")]);
    s.keys(&["q"]);
    s.assert_restored(0);
    assert!(s.never_showed(SECRET), "the secret was on screen");
}

#[test]
fn onboarding_a_custom_provider_from_an_empty_state() {
    let f = Fixture::new();
    let s = start("onboard-custom", &f);
    s.keys(&["a"]);
    s.wait_for(&[
        "Which provider?",
        "▶ A custom provider…",
        "Another provider id…",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&["Declare a custom provider"]);
    s.text("my-proxy");
    s.keys(&["Tab"]);
    s.text("https://my-proxy.invalid/v1");
    s.keys(&["Tab"]);
    s.text("gpt-4o-mini");
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Which API does my-proxy speak?",
        "▶ openai-completions (recommended)",
    ]);
    s.keys(&["Enter"]);
    key_targets_review_apply(&s, "my-proxy");
    let text = std::fs::read_to_string(f.state.join("openclaw.json")).unwrap();
    let cfg: Value = json5::from_str(&text).unwrap();
    let p = &cfg["models"]["providers"]["my-proxy"];
    assert_eq!(p["baseUrl"], "https://my-proxy.invalid/v1");
    assert_eq!(p["api"], "openai-completions");
    assert_eq!(p["models"][0]["id"], "gpt-4o-mini");
    let r = &resolver(V45, &f, &["main".into()], &["my-proxy".into()])["main"]["my-proxy"];
    assert_eq!(r["source"], "profile:my-proxy:default", "{r}");
    assert_eq!(r["keyHash"], sha12(SECRET), "{r}");
}

#[test]
fn onboarding_a_built_in_provider_from_an_empty_state() {
    let f = Fixture::new();
    let s = start("onboard-builtin", &f);
    s.keys(&["a"]);
    s.wait_for(&["Which provider?", "▶ A custom provider…"]);
    // Two entries (custom, another id), then the built-ins in the asset's order.
    let at = asset_providers(Generation::Json)
        .iter()
        .position(|p| p.id == "openrouter")
        .unwrap();
    for _ in 0..at + 2 {
        s.keys(&["Down"]);
    }
    s.wait_for(&[
        "▶ openrouter",
        "built-in · api_key · env OPENROUTER_API_KEY",
    ]);
    s.keys(&["Enter"]);
    key_targets_review_apply(&s, "openrouter");
    assert!(
        !f.state.join("openclaw.json").exists(),
        "a built-in needs no declaration"
    );
    let r = &resolver(V45, &f, &["main".into()], &["openrouter".into()])["main"]["openrouter"];
    assert_eq!(r["source"], "profile:openrouter:default", "{r}");
    assert_eq!(r["keyHash"], sha12(SECRET), "{r}");
}

/// `clawauth --state-dir <missing dir>` on a terminal asks before opening the UI there;
/// "n" (the default) keeps the strict error (exit 3) and creates nothing.
#[test]
fn a_missing_state_dir_is_opened_only_after_confirming() {
    for (answer, opens) in [("y", true), ("n", false)] {
        let f = Fixture::new();
        let missing = f.state.join("new");
        let command = format!(
            "env -i HOME='{}' PATH=/usr/bin:/bin TERM=\"$TERM\" '{BIN}' --state-dir '{}'",
            f.home.display(),
            missing.display()
        );
        let s = Session::start_command(&format!("onboard-missing-{answer}"), 120, 40, &command);
        s.wait_for(&[
            "does not exist",
            "create a new OpenClaw state with your first key? [y/N]",
        ]);
        s.text(answer);
        s.keys(&["Enter"]);
        if opens {
            s.wait_for_overview();
            s.keys(&["a"]);
            s.wait_for(&["Which provider?", "▶ A custom provider…"]);
            s.keys(&["Escape"]);
            s.wait_gone("Which provider?");
            s.keys(&["q"]);
            s.assert_restored(0);
        } else {
            s.wait_for(&["clawauth exited with 3"]);
        }
        assert!(!missing.exists(), "nothing is created before a write");
    }
}
