//! Escape sequences and newlines in state files never reach the terminal: text
//! `status`, `validate`, `repair` and the UI show them escaped; JSON keeps them raw.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use ratatui::buffer::Buffer;
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

const TITLE_ID: &str = "openai:\u{1b}]0;TITLE\u{7}";
const FORGED_ID: &str = "x:\n✓ verified: FAKE";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// A state dir whose own path, profile ids, providers, emails, types and cron
/// models hold ESC, OSC, CSI, BEL and newlines; one store is 0644 so repair plans.
fn hostile_state(root: &Path) -> PathBuf {
    let state = root.join("st\u{1b}[2Jate\nFAKE");
    write(
        &state.join("openclaw.json"),
        r#"{ auth: { profiles: { "evil\u001b]0;cfg\u0007:x": { provider: "prov\u001b[2J", mode: "api_key" } } } }"#,
    );
    let store = json!({"version": 1, "profiles": {
        TITLE_ID: {"type": "api_key", "provider": "openai", "key": "sk-one"},
        FORGED_ID: {"type": "token", "provider": "x\u{1b}[31m", "token": "tk",
                    "email": "a\u{1b}]0;mail\u{7}@c"},
        "odd:t": {"type": "tok\u{1b}[2Jen", "provider": "odd\u{9b}2J", "key": "k"},
    }});
    let path = state.join("agents/main/agent/auth-profiles.json");
    write(&path, &serde_json::to_string_pretty(&store).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let jobs = json!({"version": 1, "jobs": [{"id": "job\u{1b}]0;cron\u{7}", "agentId": "main",
        "sessionTarget": "isolated",
        "payload": {"kind": "agentTurn", "model": "evil\u{1b}]0;m\u{7}/model\nFAKE"}}]});
    write(&state.join("cron/jobs.json"), &jobs.to_string());
    state
}

fn clawauth(state: &Path, home: &Path, args: &[&str]) -> Output {
    common::clean_command("/nonexistent")
        .env("HOME", home)
        .arg("--state-dir")
        .arg(state)
        .args(args)
        .output()
        .unwrap()
}

/// No control byte but the newline that ends a line, no C1 or bidi control, and
/// no line forged by a newline inside a value.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && clawauth::domain::text::is_unsafe_char(c))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: control characters {bad:?} in\n{text}"
    );
    for line in text.lines() {
        let t = line.trim_start();
        assert!(
            !t.starts_with("✓ verified: FAKE") && t != "FAKE" && !t.starts_with("ate"),
            "{what}: a newline in a value forged the line {line:?}"
        );
    }
}

#[test]
fn text_output_shows_escape_sequences_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let state = hostile_state(dir.path());
    for args in [
        &["status"][..],
        &["status", "--check"],
        &["validate"],
        &["repair"],
        &["repair", "--dry-run"],
    ] {
        let out = clawauth(&state, dir.path(), args);
        assert_terminal_safe(&format!("{args:?} stdout"), &out.stdout);
        assert_terminal_safe(&format!("{args:?} stderr"), &out.stderr);
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("st\\e[2Jate\\nFAKE"), "{args:?}:\n{shown}");
    }
    let out = clawauth(&state, dir.path(), &["validate"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("job\\e]0;cron\\x07"), "{shown}");
    assert!(shown.contains("x:\\n✓ verified: FAKE"), "{shown}");
}

fn holds(v: &Value, wanted: &str) -> bool {
    match v {
        Value::String(s) => s == wanted,
        Value::Array(a) => a.iter().any(|v| holds(v, wanted)),
        Value::Object(m) => m.iter().any(|(k, v)| k == wanted || holds(v, wanted)),
        _ => false,
    }
}

#[test]
fn json_output_keeps_the_raw_strings() {
    let dir = tempfile::tempdir().unwrap();
    let state = hostile_state(dir.path());
    for args in [&["status", "--json"][..], &["validate", "--json"]] {
        let out = clawauth(&state, dir.path(), args);
        assert!(!out.stdout.contains(&0x1b), "{args:?}: JSON escapes ESC");
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(holds(&doc, state.to_str().unwrap()), "{args:?}: {doc}");
        assert!(
            holds(&doc, TITLE_ID) || holds(&doc, FORGED_ID),
            "{args:?}: {doc}"
        );
    }
}

fn unsafe_cells(buf: &Buffer) -> Vec<String> {
    buf.content()
        .iter()
        .map(|c| c.symbol().to_string())
        .filter(|s| s.chars().any(clawauth::domain::text::is_unsafe_char))
        .collect()
}

#[test]
fn the_ui_shows_escape_sequences_escaped() {
    use crossterm::event::KeyCode;
    use tui_support::*;
    let dir = tempfile::tempdir().unwrap();
    let state = hostile_state(dir.path());
    let env = clawauth::domain::read::envsnap::EnvSnapshot::from_pairs([(
        "HOME",
        dir.path().display().to_string(),
    )]);
    let mut app = app(report_of(&state, &env), 120, 40);
    let mut screens = Vec::new();
    for step in 0..12 {
        let buf = render(&app);
        let bad = unsafe_cells(&buf);
        assert!(bad.is_empty(), "step {step}: {bad:?}\n{}", screen(&buf));
        screens.push(screen(&buf));
        let next = if step == 6 {
            KeyCode::Tab
        } else {
            KeyCode::Down
        };
        app.update(key(if step % 2 == 0 { KeyCode::Right } else { next }));
    }
    let all = screens.join("\n");
    assert!(all.contains("\\e]"), "escaped text is shown:\n{all}");
}
