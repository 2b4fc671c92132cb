//! Issue 11 rules that need no OpenClaw to check: exec secret providers are never run,
//! usage windows show their time left, and every runtime reason is a per-agent problem.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use serde_json::json;

#[test]
fn exec_provider_is_never_run_and_says_what_it_would_run() {
    let f = Fixture::new();
    let marker = f.state.join("exec-ran");
    f.config(&format!(
        r#"{{ agents: {{ list: [ {{ id: "main", default: true }} ] }},
        secrets: {{ providers: {{ helper: {{ source: "exec", command: "/bin/touch", args: ["{}"] }} }} }} }}"#,
        marker.display()
    ));
    f.store(
        "main",
        store_of(&[("xai:exec", json!({"type": "api_key", "provider": "xai", "keyRef": {"source": "exec", "provider": "helper", "id": "xai/key"}}))]),
    );
    let c = f.cell("main", "xai");
    assert!(!marker.exists(), "clawauth ran the exec provider");
    assert!(c.usable);
    let note = c
        .reasons
        .iter()
        .find(|r| r.contains("not checked: exec provider"))
        .expect("exec note");
    assert!(
        note.contains("/bin/touch") && note.contains("xai/key"),
        "{note}"
    );
}

#[test]
fn exec_ref_to_an_unconfigured_provider_is_unresolved() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true } ] } }"#);
    f.store(
        "main",
        store_of(&[("xai:exec", json!({"type": "api_key", "provider": "xai", "keyRef": {"source": "exec", "provider": "helper", "id": "k"}}))]),
    );
    let r = f.report();
    assert!(!f.cell("main", "xai").usable);
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == "unresolved_ref" && p.agent.as_deref() == Some("main"))
    );
}

#[test]
fn unresolvable_config_api_key_reference_is_a_reason_and_a_problem() {
    let f = Fixture::new();
    let missing = f.state.join("no-such-secrets.json");
    f.config(&format!(
        r#"{{ agents: {{ list: [ {{ id: "main", default: true, model: "my-proxy/m" }} ] }},
        secrets: {{ providers: {{ vault: {{ source: "file", path: "{}" }} }} }},
        models: {{ providers: {{ "my-proxy": {{ baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions",
          apiKey: {{ source: "file", provider: "vault", id: "/proxy" }}, models: [ {{ id: "m", name: "m" }} ] }} }} }} }}"#,
        missing.display()
    ));
    let c = f.cell("main", "my-proxy");
    assert!(!c.usable);
    assert!(
        c.reasons
            .iter()
            .any(|r| r.contains("apiKey reference") && r.contains("does not resolve")),
        "{:#?}",
        c.reasons
    );
    let r = f.report();
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == "unresolved_ref" && p.agent.as_deref() == Some("main")),
        "{:#?}",
        r.problems
    );
}

#[test]
fn cooldown_shows_reason_and_time_left_in_json() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true } ] } }"#);
    let until = now_ms() as i64 + 2 * 3_600_000 + 60_000;
    let mut s = store_of(&[("groq:a", api_key("groq", "k"))]);
    s["usageStats"] = json!({"groq:a": {"disabledUntil": until, "disabledReason": "billing"}});
    f.store("main", s);
    let r = f.report();
    let c = r.cells.iter().find(|c| c.provider == "groq").unwrap();
    assert!(!c.usable);
    let v = serde_json::to_value(c).unwrap();
    let b = &v["usageBlocks"][0];
    assert_eq!(b["profile"], "groq:a");
    assert_eq!(b["kind"], "disabled");
    assert_eq!(b["reason"], "billing");
    assert!(b["remainingMs"].as_f64().unwrap() > 7_000_000.0);
    assert!(
        c.reasons
            .iter()
            .any(|r| r.contains("disabled (billing)") && r.contains("2h")),
        "{:?}",
        c.reasons
    );
    let p = r
        .problems
        .iter()
        .find(|p| p.code == "disabled")
        .expect("problem");
    assert_eq!(
        (p.agent.as_deref(), p.profile.as_deref()),
        (Some("main"), Some("groq:a"))
    );
    assert!(p.fix.is_some());
}

#[test]
fn one_problem_per_agent_that_sees_it() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "a" }, { id: "b" } ] },
      auth: { profiles: { "xai:k": { provider: "xai", mode: "token" } } } }"#,
    );
    f.store("main", store_of(&[("xai:k", api_key("xai", "sk"))]));
    let r = f.report();
    let mut agents: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.code == "mode_mismatch")
        .map(|p| p.agent.clone().unwrap())
        .collect();
    agents.sort();
    assert_eq!(agents, ["a", "b", "main"]);
}
