//! Runtime verdicts for the JSON store generation (OpenClaw ≤ 2026.5), one rule per test.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use serde_json::json;

#[test]
fn founding_case_isolated_cron_agent_lacks_the_key_held_by_another_agent() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "assistant", default: true }, { id: "cronbot" } ] },
             models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
             auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#,
    );
    f.store(
        "assistant",
        store_of(&[("my-proxy:manual", token("my-proxy", "sk-proxy-1", None))]),
    );
    f.write("cron/jobs.json", r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","message":"hi","model":"my-proxy/m"}}]}"#);
    let r = f.report();
    let cell = r
        .cells
        .iter()
        .find(|c| c.agent == "cronbot" && c.provider == "my-proxy")
        .unwrap();
    assert!(!cell.usable);
    assert_eq!(
        cell.state,
        clawauth::domain::status::resolve::CellState::Missing
    );
    assert_eq!(cell.cron, vec!["daily".to_string()]);
    assert!(
        cell.reasons
            .iter()
            .any(|r| r.starts_with("No API key found for provider \"my-proxy\""))
    );
    // The best fix copies the key assistant holds into cronbot's store.
    assert!(
        cell.fix
            .as_deref()
            .unwrap()
            .contains("--from assistant --to cronbot")
    );
    let held = r
        .cells
        .iter()
        .find(|c| c.agent == "assistant" && c.provider == "my-proxy")
        .unwrap();
    assert!(held.usable && held.profile.as_deref() == Some("my-proxy:manual"));
    let p = r
        .problems
        .iter()
        .find(|p| p.code == "cron_auth_missing")
        .expect("cron problem");
    assert_eq!(p.agent.as_deref(), Some("cronbot"));
    assert!(
        p.message.contains("daily") && p.message.contains("agent assistant"),
        "{}",
        p.message
    );
}

#[test]
fn sub_agent_inherits_main_store() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store(
        "main",
        store_of(&[("my-proxy:default", api_key("my-proxy", "sk-1"))]),
    );
    let c = f.cell("cronbot", "my-proxy");
    assert!(c.usable);
    assert_eq!(
        c.source,
        clawauth::domain::status::resolve::Source::Inherited
    );
    assert_eq!(c.profile.as_deref(), Some("my-proxy:default"));
    assert!(
        c.reasons.iter().any(|r| r.contains("copies main's store")),
        "copy-on-first-load is explained"
    );
    assert_eq!(
        f.cell("main", "my-proxy").source,
        clawauth::domain::status::resolve::Source::Local
    );
}

#[test]
fn agent_profile_overrides_main_profile_of_same_id() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store(
        "main",
        store_of(&[("my-proxy:default", api_key("my-proxy", "sk-rotated"))]),
    );
    f.store(
        "cronbot",
        store_of(&[("my-proxy:default", api_key("my-proxy", "sk-stale"))]),
    );
    let c = f.cell("cronbot", "my-proxy");
    assert_eq!(c.source, clawauth::domain::status::resolve::Source::Local);
    let r = f.report();
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == "stale_shadow" && p.agent.as_deref() == Some("cronbot"))
    );
}

#[test]
fn mode_mismatch_with_config_makes_profile_ineligible_and_status_misleads() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main" } ] },
             auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#,
    );
    f.store(
        "main",
        store_of(&[("my-proxy:manual", api_key("my-proxy", "sk-1"))]),
    );
    let r = f.report();
    let c = r.cells.iter().find(|c| c.provider == "my-proxy").unwrap();
    assert!(!c.usable);
    assert_eq!(
        c.state,
        clawauth::domain::status::resolve::CellState::Invalid
    );
    assert!(c.status_disagrees, "4.5 models status ignores eligibility");
    assert!(c.reasons.iter().any(|r| r.contains("mode_mismatch")));
    assert!(codes(&r).contains(&"mode_mismatch"));
}

#[test]
fn config_declared_ids_exclude_other_profiles_unless_all_are_missing() {
    let f = Fixture::new();
    f.config(
        r#"{ auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#,
    );
    f.store(
        "main",
        store_of(&[
            ("my-proxy:manual", token("my-proxy", "t", Some(PAST_MS))),
            ("my-proxy:default", api_key("my-proxy", "k")),
        ]),
    );
    let c = f.cell("main", "my-proxy");
    assert!(
        !c.usable,
        "declared id is expired and the other profile is excluded"
    );
    assert!(
        c.reasons
            .iter()
            .any(|r| r.contains("my-proxy:default") && r.contains("excluded_by_auth_order"))
    );

    let g = Fixture::new();
    g.config(
        r#"{ auth: { profiles: { "my-proxy:gone": { provider: "my-proxy", mode: "api_key" } } } }"#,
    );
    g.store(
        "main",
        store_of(&[("my-proxy:default", api_key("my-proxy", "k"))]),
    );
    let c = g.cell("main", "my-proxy");
    assert!(
        c.usable,
        "every declared id missing: falls back to all store profiles"
    );
    assert_eq!(c.profile.as_deref(), Some("my-proxy:default"));
}

#[test]
fn explicit_store_order_wins_and_excludes() {
    let f = Fixture::new();
    let mut doc = store_of(&[
        ("p:a", api_key("openrouter", "a")),
        ("p:b", api_key("openrouter", "b")),
    ]);
    doc["order"] = json!({"openrouter": ["p:b"]});
    f.store("main", doc);
    let r = f.report();
    let c = r.cells.iter().find(|c| c.provider == "openrouter").unwrap();
    assert_eq!(c.profile.as_deref(), Some("p:b"));
    assert!(r.problems.iter().any(|p| p.code == "excluded_by_auth_order"
        && p.profile.as_deref() == Some("p:a")
        && p.agent.as_deref() == Some("main")));
}

#[test]
fn env_vars_only_for_built_in_providers() {
    let mut f = Fixture::new();
    f.config(TWO_AGENTS);
    f.set_env("OPENROUTER_API_KEY", "sk-or")
        .set_env("MY_PROXY_API_KEY", "sk-ignored");
    let r = f.report();
    let or = r
        .cells
        .iter()
        .find(|c| c.agent == "cronbot" && c.provider == "openrouter")
        .unwrap();
    assert!(or.usable);
    assert_eq!(or.source, clawauth::domain::status::resolve::Source::Env);
    assert!(
        !r.cells
            .iter()
            .find(|c| c.provider == "my-proxy")
            .unwrap()
            .usable,
        "custom ids get no env var"
    );
}

#[test]
fn config_api_key_counts_but_models_json_key_does_not() {
    let f = Fixture::new();
    f.config(r#"{ models: { providers: { "with-key": { baseUrl: "https://a.invalid", api: "openai-completions", apiKey: "sk-cfg", models: [] } } } }"#);
    f.write(
        "agents/main/agent/models.json",
        r#"{"providers":{"only-json":{"baseUrl":"https://b.invalid","apiKey":"sk-literal"}}}"#,
    );
    let r = f.report();
    let with_key = r.cells.iter().find(|c| c.provider == "with-key").unwrap();
    assert!(with_key.usable);
    assert_eq!(
        with_key.source,
        clawauth::domain::status::resolve::Source::Config
    );
    let only_json = r.cells.iter().find(|c| c.provider == "only-json").unwrap();
    assert!(!only_json.usable);
    assert!(codes(&r).contains(&"models_json_key_ignored"));
}

#[test]
fn keyless_localhost_provider_gets_synthetic_key() {
    let f = Fixture::new();
    f.config(r#"{ models: { providers: { llama: { baseUrl: "http://127.0.0.1:8080/v1", api: "openai-completions", models: [ { id: "q", name: "q" } ] } } } }"#);
    let c = f.cell("main", "llama");
    assert!(c.usable);
    assert_eq!(
        c.source,
        clawauth::domain::status::resolve::Source::Synthetic
    );
    assert!(c.status_disagrees);
}

#[test]
fn invalid_type_is_dropped_and_explained() {
    let f = Fixture::new();
    f.store(
        "main",
        store_of(&[(
            "my-proxy:default",
            json!({"type": "api-key", "provider": "my-proxy", "key": "k"}),
        )]),
    );
    let r = f.report();
    let c = r.cells.iter().find(|c| c.provider == "my-proxy").unwrap();
    assert!(!c.usable);
    assert_eq!(
        c.state,
        clawauth::domain::status::resolve::CellState::Invalid
    );
    assert!(c.reasons.iter().any(|r| r.contains("invalid_type")));
    let p = r
        .problems
        .iter()
        .find(|p| p.code == "invalid_type")
        .unwrap();
    assert_eq!(p.profile.as_deref(), Some("my-proxy:default"));
    assert!(p.message.contains("api_key, token, oauth"));
    assert!(p.fix.as_deref().unwrap().contains("\"type\": \"api_key\""));
}

#[test]
fn aliases_mode_and_api_key_work_but_are_flagged() {
    let f = Fixture::new();
    f.store(
        "main",
        store_of(&[(
            "openrouter:default",
            json!({"mode": "api_key", "provider": "openrouter", "apiKey": "k"}),
        )]),
    );
    let r = f.report();
    assert!(
        r.cells
            .iter()
            .find(|c| c.provider == "openrouter")
            .unwrap()
            .usable
    );
    assert!(codes(&r).contains(&"alias_mode") && codes(&r).contains(&"alias_api_key"));
}

#[test]
fn token_expiry_states() {
    let f = Fixture::new();
    let soon = now_ms() as i64 + 3_600_000;
    f.store(
        "main",
        store_of(&[
            ("a:1", token("a", "t", Some(1_767_225_600))),
            ("b:1", token("b", "t", Some(soon))),
            ("c:1", token("c", "t", Some(FAR_FUTURE_MS))),
            ("d:1", token("d", "t", None)),
            (
                "e:1",
                json!({"type": "token", "provider": "e", "token": "t", "expires": "2030-01-01"}),
            ),
        ]),
    );
    use clawauth::domain::status::resolve::CellState::*;
    let r = f.report();
    let state = |p: &str| {
        r.cells
            .iter()
            .find(|c| c.provider == p)
            .map(|c| (c.usable, c.state))
            .unwrap()
    };
    assert_eq!(state("a"), (false, Expired));
    assert_eq!(state("b"), (true, Expiring));
    assert_eq!(state("c"), (true, Ok));
    assert_eq!(state("d"), (true, Static));
    assert_eq!(state("e"), (false, Invalid));
    let c = codes(&r);
    assert!(c.contains(&"expires_in_seconds") && c.contains(&"expires_string"));
}

#[test]
fn oauth_states_and_secret_ref_policy() {
    let f = Fixture::new();
    f.store(
        "main",
        store_of(&[
            ("a:1", json!({"type":"oauth","provider":"a","access":"x","refresh":"y","expires": FAR_FUTURE_MS})),
            ("b:1", json!({"type":"oauth","provider":"b","access":"x","refresh":"y","expires": PAST_MS})),
            ("c:1", json!({"type":"oauth","provider":"c","access":"x","expires": PAST_MS})),
            ("d:1", json!({"type":"oauth","provider":"d","access":"x","refresh":"y","expires": FAR_FUTURE_MS,"tokenRef":{"source":"env","provider":"default","id":"X"}})),
            ("e:1", json!({"type":"oauth","provider":"e","token":"sk-ant-oat01-x"})),
        ]),
    );
    use clawauth::domain::status::resolve::CellState::*;
    let r = f.report();
    let state = |p: &str| {
        r.cells
            .iter()
            .find(|c| c.provider == p)
            .map(|c| (c.usable, c.state))
            .unwrap()
    };
    assert_eq!(state("a"), (true, Ok));
    assert_eq!(state("b"), (true, Expired), "refreshable on next use");
    assert_eq!(state("c"), (false, Invalid));
    assert!(!state("d").0, "OAuth + SecretRef is refused");
    assert!(!state("e").0);
    let c = codes(&r);
    assert!(
        c.contains(&"oauth_secret_ref")
            && c.contains(&"oauth_holds_token")
            && c.contains(&"oauth_expired")
    );
}

#[test]
fn key_refs_and_inline_env_strings() {
    let mut f = Fixture::new();
    f.set_env("SET_KEY", "v");
    f.store(
        "main",
        store_of(&[
            ("a:1", json!({"type":"api_key","provider":"a","keyRef":{"source":"env","provider":"default","id":"SET_KEY"}})),
            ("b:1", json!({"type":"api_key","provider":"b","keyRef":{"source":"env","provider":"default","id":"UNSET_KEY"}})),
            ("c:1", json!({"type":"api_key","provider":"c","key":"${UNSET_KEY}"})),
        ]),
    );
    let r = f.report();
    let cell = |p: &str| r.cells.iter().find(|c| c.provider == p).unwrap().clone();
    assert!(cell("a").usable);
    assert!(!cell("b").usable, "an unresolved keyRef is skipped");
    let c = cell("c");
    assert!(c.usable, "4.5 sends an unset ${{VAR}} literally");
    assert!(c.reasons.iter().any(|r| r.contains("literal")));
}

#[test]
fn corrupt_agent_store_is_reported_and_main_is_what_runs() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store(
        "main",
        store_of(&[("my-proxy:default", api_key("my-proxy", "k"))]),
    );
    f.write(
        "agents/cronbot/agent/auth-profiles.json",
        "{ \"version\": 1, \"profiles\": {",
    );
    let r = f.report();
    let p = r
        .problems
        .iter()
        .find(|p| p.code == "store_unreadable")
        .unwrap();
    assert!(p.message.contains("silently overwrites"), "{}", p.message);
    assert_eq!(
        r.cells
            .iter()
            .find(|c| c.agent == "cronbot" && c.provider == "my-proxy")
            .unwrap()
            .source,
        clawauth::domain::status::resolve::Source::Inherited
    );
}

#[test]
fn without_order_oauth_beats_token_beats_api_key() {
    let f = Fixture::new();
    f.store(
        "main",
        store_of(&[
            ("x:key", api_key("x", "k")),
            ("x:tok", token("x", "t", None)),
            ("x:oauth", json!({"type":"oauth","provider":"x","access":"a","refresh":"r","expires": FAR_FUTURE_MS})),
        ]),
    );
    assert_eq!(f.cell("main", "x").profile.as_deref(), Some("x:oauth"));
}

#[test]
fn profiles_in_cooldown_go_last() {
    let f = Fixture::new();
    let mut doc = store_of(&[("x:a", api_key("x", "a")), ("x:b", api_key("x", "b"))]);
    doc["usageStats"] = json!({"x:a": {"cooldownUntil": FAR_FUTURE_MS}});
    f.store("main", doc);
    assert_eq!(f.cell("main", "x").profile.as_deref(), Some("x:b"));
}

#[test]
fn openclaw_agent_dir_moves_the_shared_base() {
    let mut f = Fixture::new();
    let base = f.state.join("custom-base");
    f.set_env("OPENCLAW_AGENT_DIR", base.to_str().unwrap());
    f.config(TWO_AGENTS);
    f.write(
        "custom-base/auth-profiles.json",
        &serde_json::to_string(&store_of(&[("my-proxy:default", api_key("my-proxy", "k"))]))
            .unwrap(),
    );
    let c = f.cell("cronbot", "my-proxy");
    assert!(c.usable);
    assert!(c.file.unwrap().contains("custom-base"));
}

#[test]
fn provider_aliases_fold_in_json_generation() {
    let f = Fixture::new();
    f.store("main", store_of(&[("zai:default", api_key("Z.AI", "k"))]));
    let c = f.cell("main", "zai");
    assert!(c.usable);
}

#[test]
fn legacy_flat_file_and_wrong_places_are_flagged() {
    let f = Fixture::new();
    f.write(
        "agents/main/agent/auth-profiles.json",
        r#"{"anthropic":{"apiKey":"sk-ant"}}"#,
    );
    f.write(
        "credentials/auth-profiles.json",
        r#"{"version":1,"profiles":{}}"#,
    );
    let r = f.report();
    let c = codes(&r);
    assert!(c.contains(&"legacy_flat_store"));
    assert!(c.contains(&"store_wrong_place"));
}

#[test]
fn wide_permissions_are_flagged() {
    let f = Fixture::new();
    let path = f.store("main", store_of(&[("x:a", api_key("x", "a"))]));
    set_mode(&path, 0o644);
    let r = f.report();
    let p = r
        .problems
        .iter()
        .find(|p| p.code == "store_permissions")
        .unwrap();
    assert!(p.fix.as_deref().unwrap().starts_with("chmod 600"));
}

#[test]
fn secrets_in_openclaw_json_are_flagged() {
    let f = Fixture::new();
    f.config(
        r#"{ auth: { profiles: { "x:a": { provider: "x", mode: "api_key", key: "sk-oops" } } } }"#,
    );
    assert!(codes(&f.report()).contains(&"secrets_in_config"));
}

#[test]
fn json5_config_with_env_substitution() {
    let mut f = Fixture::new();
    f.set_env("PROXY_KEY", "sk-from-env");
    f.config("// comment\n{ models: { providers: { 'my-proxy': { baseUrl: 'https://p.invalid', api: 'openai-completions', apiKey: '${PROXY_KEY}', models: [], }, }, }, }");
    let c = f.cell("main", "my-proxy");
    assert!(c.usable);
    assert_eq!(c.source, clawauth::domain::status::resolve::Source::Config);
}

#[test]
fn blank_and_pasted_command_keys() {
    let f = Fixture::new();
    f.store(
        "main",
        store_of(&[
            ("a:1", api_key("a", "   ")),
            ("b:1", api_key("b", "export OPENAI_API_KEY=sk-1")),
        ]),
    );
    let r = f.report();
    assert!(!r.cells.iter().find(|c| c.provider == "a").unwrap().usable);
    let c = codes(&r);
    assert!(c.contains(&"blank_secret") && c.contains(&"pasted_command"));
}

#[test]
fn config_order_and_declared_ids_exclusions_are_problems() {
    let f = Fixture::new();
    f.config(
        r#"{ auth: {
        order: { openrouter: ["openrouter:a", "openrouter:gone"] },
        profiles: { "my-proxy:declared": { provider: "my-proxy", mode: "api_key" } } } }"#,
    );
    f.store(
        "main",
        store_of(&[
            ("openrouter:a", api_key("openrouter", "a")),
            ("openrouter:b", api_key("openrouter", "b")),
            ("my-proxy:declared", api_key("my-proxy", "k")),
            ("my-proxy:other", api_key("my-proxy", "k")),
        ]),
    );
    let r = f.report();
    let excluded: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.code.starts_with("excluded_by_"))
        .map(|p| (p.code, p.profile.clone().unwrap()))
        .collect();
    assert!(
        excluded.contains(&("excluded_by_auth_order", "openrouter:b".to_string())),
        "{excluded:?}"
    );
    assert!(
        excluded.contains(&("excluded_by_config", "my-proxy:other".to_string())),
        "{excluded:?}"
    );
    assert!(
        r.problems.iter().any(
            |p| p.code == "order_missing_id" && p.profile.as_deref() == Some("openrouter:gone")
        )
    );
}
