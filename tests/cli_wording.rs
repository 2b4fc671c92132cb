//! What the command line says: `validate` and `status` agree on the cells that need
//! attention, counts read as English, JSON usage errors keep the argument names,
//! and `--help` names the full-screen UI.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;

/// The audit's state: one agent whose model needs openrouter, and no key anywhere.
fn openrouter_missing() -> Fixture {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true, model: "openrouter/auto" } ] } }"#,
    );
    f
}

#[test]
fn validate_reports_what_status_check_fails_on() {
    let f = openrouter_missing();
    let status = clawauth(&f, &["status", "--check"], "");
    assert_eq!(status.status.code(), Some(1), "{}", text(&status));
    let shown = text(&status);
    assert!(shown.contains("main × openrouter: missing"), "{shown}");
    assert!(!shown.contains("No problems found"), "{shown}");
    assert!(shown.contains("No other problems found."), "{shown}");

    let validate = clawauth(&f, &["validate"], "");
    let said = text(&validate);
    assert_eq!(validate.status.code(), Some(1), "{said}");
    assert!(!said.contains("No problems found"), "{said}");
    assert!(said.contains("Problems: 1 error, 0 warnings"), "{said}");
    assert!(said.contains("needs_attention (agent main)"), "{said}");
    assert!(said.contains("Add an openrouter credential"), "{said}");
}

#[test]
fn validate_json_names_the_cell_with_a_stable_code() {
    let f = openrouter_missing();
    let o = clawauth(&f, &["validate", "--json"], "");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let problems = v["problems"].as_array().unwrap();
    let p = problems
        .iter()
        .find(|p| p["code"] == "needs_attention")
        .expect("a needs_attention problem");
    assert_eq!(p["severity"], "error");
    assert_eq!(p["agent"], "main");
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .starts_with("main × openrouter: missing")
    );
    let fix = p["fix"].as_str().unwrap();
    assert!(
        fix.contains("clawauth --state-dir ") && fix.contains(" set --provider openrouter"),
        "{fix}"
    );
}

#[test]
fn a_healthy_state_still_has_no_problems() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true, model: "openrouter/auto" } ] } }"#,
    );
    f.store(
        "main",
        store_of(&[(
            "openrouter:default",
            api_key("openrouter", "sk-or-v1-abcdef0123"),
        )]),
    );
    let status = clawauth(&f, &["status", "--check"], "");
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(
        text(&status).contains("\nNo problems found."),
        "{}",
        text(&status)
    );
    let validate = clawauth(&f, &["validate"], "");
    assert_eq!(validate.status.code(), Some(0), "{}", text(&validate));
    assert!(text(&validate).contains("No problems found."));
}

#[test]
fn json_usage_errors_keep_the_missing_argument_names() {
    let f = Fixture::new();
    let o = clawauth(&f, &["copy", "--json"], "");
    assert_eq!(o.status.code(), Some(64));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["code"], "usage");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("the following required arguments were not provided:"));
    assert!(message.contains("--from"), "{message}");
    assert!(message.contains("--to"), "{message}");
    assert!(!message.contains("Usage:"), "{message}");
}

#[test]
fn help_says_the_bare_command_opens_the_ui() {
    let f = Fixture::new();
    let o = clawauth(&f, &["--help"], "");
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.contains("With no command, on a terminal, `clawauth` opens the full-screen UI"),
        "{help}"
    );
}
