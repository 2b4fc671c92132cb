//! The `clawauth` binary: exit codes, JSON contract, filters and error messages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn status_json_follows_the_contract() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store(
        "main",
        store_of(&[(
            "my-proxy:default",
            api_key("my-proxy", "sk-secret-value-123"),
        )]),
    );
    let o = clawauth(&f, &["status", "--json"], "");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in [
        "stateDir",
        "configPath",
        "generation",
        "openclawVersion",
        "agents",
        "providers",
        "cells",
        "problems",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let agent = &v["agents"][0];
    for key in ["id", "dir", "default", "store"] {
        assert!(agent.get(key).is_some(), "agent missing {key}");
    }
    let cell = json_cell(&v, "cronbot", "my-proxy");
    for key in [
        "agent", "provider", "usable", "state", "source", "profile", "type", "reasons", "cron",
    ] {
        assert!(cell.get(key).is_some(), "cell missing {key}");
    }
    assert_eq!(cell["source"], "inherited");
    assert_eq!(cell["type"], "api_key");
    assert_eq!(v["providers"][0]["declared"], true);
    assert!(
        !stdout(&o).contains("sk-secret-value-123"),
        "secrets never printed"
    );
}

#[test]
fn check_exit_codes_mirror_models_status() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store(
        "main",
        store_of(&[("my-proxy:default", api_key("my-proxy", "k"))]),
    );
    assert_eq!(
        clawauth(&f, &["status", "--check"], "").status.code(),
        Some(0)
    );
    let soon = now_ms() as i64 + 3_600_000;
    f.store(
        "main",
        store_of(&[("my-proxy:default", token("my-proxy", "t", Some(soon)))]),
    );
    assert_eq!(
        clawauth(&f, &["status", "--check"], "").status.code(),
        Some(2)
    );
    f.store(
        "main",
        store_of(&[("my-proxy:default", token("my-proxy", "t", Some(PAST_MS)))]),
    );
    assert_eq!(
        clawauth(&f, &["status", "--check"], "").status.code(),
        Some(1)
    );
}

#[test]
fn validate_exit_codes() {
    let f = Fixture::new();
    f.store("main", store_of(&[("x:a", api_key("x", "k"))]));
    let o = clawauth(&f, &["validate"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    f.store(
        "main",
        store_of(&[(
            "x:a",
            serde_json::json!({"type": "bearer", "provider": "x", "token": "t"}),
        )]),
    );
    let o = clawauth(&f, &["validate", "--json"], "");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = &v["problems"][0];
    assert_eq!(p["code"], "invalid_type");
    assert!(p["file"].as_str().unwrap().ends_with("auth-profiles.json"));
    assert_eq!(p["profile"], "x:a");
    assert!(p["fix"].as_str().unwrap().contains("token"));
}

#[test]
fn filters_and_unknown_agent() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let o = clawauth(
        &f,
        &[
            "status",
            "--json",
            "--agent",
            "cronbot",
            "--provider",
            "MY-PROXY",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cells"].as_array().unwrap().len(), 1);
    let o = clawauth(&f, &["status", "--agent", "nobody"], "");
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown agent \"nobody\""));
}

#[test]
fn usage_errors_and_schema() {
    let f = Fixture::new();
    assert_eq!(
        clawauth(&f, &["status", "--bogus"], "").status.code(),
        Some(64)
    );
    let o = clawauth(&f, &["schema"], "");
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["required"][0], "profiles");
    let o = clawauth(&f, &["--profile", "a/b", "status"], "");
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn human_status_shows_matrix_and_founding_case() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.write("cron/jobs.json", r#"{"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}}]}"#);
    let o = clawauth(&f, &["status"], "");
    let text = stdout(&o);
    assert!(text.contains("my-proxy D"), "{text}");
    assert!(text.contains("✗ missing*"), "{text}");
    assert!(text.contains("cron_auth_missing"), "{text}");
    assert!(
        text.contains("isolated cron job daily runs as agent cronbot"),
        "{text}"
    );
}

#[test]
fn demo_runs_without_any_openclaw_state() {
    let f = Fixture::new();
    let o = clawauth(&f, &["demo"], "");
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("cronbot")
            && text.contains("cron_auth_missing")
            && text.contains("invalid_type"),
        "{text}"
    );
    assert!(
        !text.contains("demo-not-a-real"),
        "demo secrets are never printed"
    );
}

#[test]
fn streamed_json_equals_the_materialised_report() {
    let mut f = Fixture::new();
    f.set_env("OPENROUTER_API_KEY", "sk-or");
    f.config(TWO_AGENTS);
    f.store(
        "main",
        store_of(&[
            ("my-proxy:default", api_key("my-proxy", "k")),
            (
                "bad:1",
                serde_json::json!({"type": "nope", "provider": "bad"}),
            ),
        ]),
    );
    f.store("cronbot", store_of(&[("x:1", token("x", "t", None))]));
    let streamed: serde_json::Value =
        serde_json::from_slice(&clawauth(&f, &["status", "--json"], "").stdout).unwrap();
    let built = serde_json::to_value(f.report()).unwrap();
    assert_eq!(streamed, built);
    let filtered: serde_json::Value = serde_json::from_slice(
        &clawauth(&f, &["status", "--json", "--agent", "cronbot"], "").stdout,
    )
    .unwrap();
    assert!(
        filtered["cells"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["agent"] == "cronbot")
    );
    assert_eq!(filtered["agents"].as_array().unwrap().len(), 1);
}

#[test]
fn provider_filter_matching_nothing_gives_valid_empty_cells() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let o = clawauth(
        &f,
        &["status", "--json", "--provider", "no-such-provider"],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["cells"].as_array().unwrap().len(), 0);
}

/// clap's debug assertions reject ambiguous definitions (e.g. a subcommand flag
/// shadowing a global one); this runs them in every build.
#[test]
fn the_command_line_definition_is_consistent() {
    use clap::CommandFactory;
    clawauth::cli::Cli::command().debug_assert();
}
