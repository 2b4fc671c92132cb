//! Runtime rules of OpenClaw 2026.4.5 (issue 11), one hand-written state each (users and
//! other tools write these JSON stores directly): every cell against OpenClaw's runtime
//! key resolver and the embedded runner's cooldown skip, and the exact set of
//! (agent, problem code) clawauth reports for the rule. See tests/interop/README.md.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::agree::assert_rules;
use common::oc::*;
use common::*;
use serde_json::{Value, json};

const CFG: &str = r#"{
  agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
  models: { providers: {
    "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] },
  } },
}"#;

fn with_usage(mut store: Value, usage: Value) -> Value {
    store["usageStats"] = usage;
    store
}

fn two(provider: &str) -> Vec<(String, Value)> {
    vec![
        (format!("{provider}:a"), api_key(provider, "sk-a")),
        (format!("{provider}:b"), api_key(provider, "sk-b")),
    ]
}

fn store_owned(profiles: &[(String, Value)]) -> Value {
    let refs: Vec<(&str, Value)> = profiles
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    store_of(&refs)
}

#[test]
fn r45_cooldown_only_profile_takes_provider_out() {
    let f = Fixture::new();
    f.config(CFG);
    let s = store_of(&[("groq:a", api_key("groq", "sk-a"))]);
    f.store("main", with_usage(s, json!({"groq:a": {"cooldownUntil": FAR_FUTURE_MS, "cooldownReason": "rate_limit", "errorCount": 3}})));
    assert_rules(
        "cooldown_only",
        V45,
        &f,
        &[("main", "cooldown"), ("cronbot", "cooldown")],
    );
    assert!(!f.cell("main", "groq").usable);
}

#[test]
fn r45_disabled_billing_moves_to_next_profile() {
    let f = Fixture::new();
    f.config(CFG);
    let s = store_owned(&two("xai"));
    f.store(
        "main",
        with_usage(
            s,
            json!({"xai:a": {"disabledUntil": FAR_FUTURE_MS, "disabledReason": "billing"}}),
        ),
    );
    assert_rules(
        "disabled_next",
        V45,
        &f,
        &[("main", "disabled"), ("cronbot", "disabled")],
    );
}

#[test]
fn r45_openrouter_ignores_disabled_window() {
    let f = Fixture::new();
    f.config(CFG);
    let s = store_of(&[("openrouter:a", api_key("openrouter", "sk-a"))]);
    f.store(
        "main",
        with_usage(
            s,
            json!({"openrouter:a": {"disabledUntil": FAR_FUTURE_MS, "disabledReason": "billing"}}),
        ),
    );
    assert_rules("openrouter_exempt", V45, &f, &[]);
}

#[test]
fn r45_past_windows_count_for_nothing() {
    let f = Fixture::new();
    f.config(CFG);
    let s = store_owned(&two("xai"));
    f.store(
        "main",
        with_usage(
            s,
            json!({"xai:a": {"cooldownUntil": PAST_MS, "disabledUntil": PAST_MS}}),
        ),
    );
    assert_rules("past_windows", V45, &f, &[]);
}

#[test]
fn r45_explicit_order_cooling_profile_moves_back() {
    let f = Fixture::new();
    f.config(CFG);
    let mut s = store_owned(&two("xai"));
    s["order"] = json!({"xai": ["xai:a", "xai:b"]});
    f.store(
        "main",
        with_usage(
            s,
            json!({"xai:a": {"cooldownUntil": FAR_FUTURE_MS, "cooldownReason": "overloaded"}}),
        ),
    );
    assert_rules(
        "order_cooling_back",
        V45,
        &f,
        &[("main", "cooldown"), ("cronbot", "cooldown")],
    );
}

#[test]
fn r45_round_robin_least_recently_used_first() {
    let f = Fixture::new();
    f.config(CFG);
    let s = store_owned(&two("xai"));
    f.store("main", with_usage(s, json!({"xai:a": {"lastUsed": 1_700_000_000_000_i64}, "xai:b": {"lastUsed": 1_600_000_000_000_i64}})));
    assert_rules("round_robin", V45, &f, &[]);
    assert_eq!(f.cell("main", "xai").profile.as_deref(), Some("xai:b"));
}

#[test]
fn r45_profile_without_usage_sorts_first() {
    let f = Fixture::new();
    f.config(CFG);
    let s = store_owned(&two("xai"));
    f.store(
        "main",
        with_usage(s, json!({"xai:a": {"lastUsed": 1_700_000_000_000_i64}})),
    );
    assert_rules("no_usage_first", V45, &f, &[]);
}

#[test]
fn r45_config_order_excludes_and_names_a_missing_id() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      auth: { order: { OpenRouter: ["openrouter:gone", "openrouter:b"] } } }"#,
    );
    f.store("main", store_owned(&two("openrouter")));
    assert_rules(
        "config_order_case",
        V45,
        &f,
        &[
            ("main", "excluded_by_auth_order"),
            ("cronbot", "excluded_by_auth_order"),
            ("main", "order_missing_id"),
            ("cronbot", "order_missing_id"),
        ],
    );
}

#[test]
fn r45_declared_profiles_exclude_the_others() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      auth: { profiles: { "xai:a": { provider: "xai", mode: "api_key" } } } }"#,
    );
    f.store("main", store_owned(&two("xai")));
    assert_rules(
        "excluded_by_config",
        V45,
        &f,
        &[
            ("main", "excluded_by_config"),
            ("cronbot", "excluded_by_config"),
        ],
    );
}

#[test]
fn r45_declared_profile_held_by_another_agent() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      auth: { profiles: { "xai:cron": { provider: "xai", mode: "api_key" } } } }"#,
    );
    f.store("main", store_of(&[("groq:m", api_key("groq", "sk-g"))]));
    f.store("cronbot", store_of(&[("xai:cron", api_key("xai", "sk-x"))]));
    assert_rules(
        "config_profile_missing",
        V45,
        &f,
        &[("main", "config_profile_missing")],
    );
}

#[test]
fn r45_store_order_names_a_missing_id() {
    let f = Fixture::new();
    f.config(CFG);
    let mut s = store_of(&[("my-proxy:ok", api_key("my-proxy", "sk"))]);
    s["order"] = json!({"my-proxy": ["my-proxy:gone", "my-proxy:ok"]});
    f.store("main", s);
    assert_rules(
        "store_order_missing",
        V45,
        &f,
        &[
            ("main", "order_missing_id"),
            ("cronbot", "order_missing_id"),
        ],
    );
}

#[test]
fn r45_sub_agent_order_names_an_inherited_profile() {
    let f = Fixture::new();
    f.config(CFG);
    f.store(
        "main",
        store_of(&[("my-proxy:main", api_key("my-proxy", "sk-m"))]),
    );
    let mut own = store_of(&[("my-proxy:own", api_key("my-proxy", "sk-o"))]);
    own["order"] = json!({"my-proxy": ["my-proxy:main"]});
    f.store("cronbot", own);
    assert_rules(
        "order_inherited_id",
        V45,
        &f,
        &[("cronbot", "excluded_by_auth_order")],
    );
    assert_eq!(
        f.cell("cronbot", "my-proxy").profile.as_deref(),
        Some("my-proxy:main")
    );
}

#[test]
fn r45_mode_mismatch_seen_by_both_agents() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      auth: { profiles: { "xai:k": { provider: "xai", mode: "token" } } } }"#,
    );
    f.store("main", store_of(&[("xai:k", api_key("xai", "sk"))]));
    assert_rules(
        "mode_mismatch",
        V45,
        &f,
        &[("main", "mode_mismatch"), ("cronbot", "mode_mismatch")],
    );
}

#[test]
fn r45_blank_key_is_missing_credential() {
    let f = Fixture::new();
    f.config(CFG);
    f.store("main", store_of(&[("xai:blank", api_key("xai", "  "))]));
    assert_rules(
        "missing_credential",
        V45,
        &f,
        &[
            ("main", "missing_credential"),
            ("cronbot", "missing_credential"),
        ],
    );
}

#[test]
fn r45_expired_token_only() {
    let f = Fixture::new();
    f.config(CFG);
    f.store(
        "main",
        store_of(&[("xai:old", token("xai", "t", Some(PAST_MS)))]),
    );
    assert_rules(
        "expired",
        V45,
        &f,
        &[("main", "expired"), ("cronbot", "expired")],
    );
}

#[test]
fn r45_invalid_expires_only() {
    let f = Fixture::new();
    f.config(CFG);
    f.store(
        "main",
        store_of(&[(
            "xai:bad",
            json!({"type": "token", "provider": "xai", "token": "t", "expires": -5}),
        )]),
    );
    assert_rules(
        "invalid_expires",
        V45,
        &f,
        &[("main", "invalid_expires"), ("cronbot", "invalid_expires")],
    );
}

#[test]
fn r45_expired_oauth_without_refresh_token() {
    let f = Fixture::new();
    f.config(CFG);
    f.store(
        "main",
        store_of(&[(
            "anthropic:me",
            json!({"type": "oauth", "provider": "anthropic", "access": "a", "expires": PAST_MS}),
        )]),
    );
    assert_rules(
        "oauth_refresh_failed",
        V45,
        &f,
        &[
            ("main", "oauth_refresh_failed"),
            ("cronbot", "oauth_refresh_failed"),
        ],
    );
}

#[test]
fn r45_unset_env_key_ref() {
    let f = Fixture::new();
    f.config(CFG);
    f.store("main", store_of(&[("xai:ref", json!({"type": "api_key", "provider": "xai", "keyRef": {"source": "env", "provider": "default", "id": "UNSET_XAI"}}))]));
    assert_rules(
        "unresolved_env_ref",
        V45,
        &f,
        &[("main", "unresolved_ref"), ("cronbot", "unresolved_ref")],
    );
}

/// A config with a `vault` file provider at `path`, mode json.
fn vault_cfg(path: &std::path::Path) -> String {
    format!(
        r#"{{ agents: {{ list: [ {{ id: "main", default: true }}, {{ id: "cronbot" }} ] }},
      secrets: {{ providers: {{ vault: {{ source: "file", path: "{}", mode: "json" }} }} }} }}"#,
        path.display()
    )
}

fn file_ref_store(pointer: &str) -> Value {
    store_of(&[(
        "xai:file",
        json!({"type": "api_key", "provider": "xai", "keyRef": {"source": "file", "provider": "vault", "id": pointer}}),
    )])
}

#[test]
fn r45_file_ref_private_file_resolves() {
    let f = Fixture::new();
    let secrets = f.write("secrets.json", r#"{"providers":{"xai":"sk-from-file"}}"#);
    f.config(&vault_cfg(&secrets));
    f.store("main", file_ref_store("/providers/xai"));
    assert_rules("file_ref_ok", V45, &f, &[]);
    assert!(f.cell("main", "xai").usable);
}

#[test]
fn r45_file_ref_too_open_is_refused() {
    let f = Fixture::new();
    let secrets = f.write("secrets.json", r#"{"providers":{"xai":"sk-from-file"}}"#);
    set_mode(&secrets, 0o644);
    f.config(&vault_cfg(&secrets));
    f.store("main", file_ref_store("/providers/xai"));
    assert_rules(
        "file_ref_open",
        V45,
        &f,
        &[("main", "unresolved_ref"), ("cronbot", "unresolved_ref")],
    );
}

#[test]
fn r45_file_ref_missing_pointer() {
    let f = Fixture::new();
    let secrets = f.write("secrets.json", r#"{"providers":{"groq":"sk"}}"#);
    f.config(&vault_cfg(&secrets));
    f.store("main", file_ref_store("/providers/xai"));
    assert_rules(
        "file_ref_pointer",
        V45,
        &f,
        &[("main", "unresolved_ref"), ("cronbot", "unresolved_ref")],
    );
}

#[test]
fn r45_dotenv_and_config_env_block() {
    let f = Fixture::new();
    f.write(".env", "OPENROUTER_API_KEY=sk-or-dotenv\n");
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      env: { vars: { XAI_API_KEY: "sk-xai-config" } } }"#,
    );
    assert_rules("dotenv_env_block", V45, &f, &[]);
    assert!(f.cell("main", "xai").usable && f.cell("cronbot", "openrouter").usable);
}

#[test]
fn r45_env_vars_per_provider() {
    let mut f = Fixture::new();
    f.set_env("GEMINI_API_KEY", "");
    f.set_env("GOOGLE_API_KEY", "sk-google");
    f.set_env("Z_AI_API_KEY", "sk-zai");
    f.set_env("ANTHROPIC_OAUTH_TOKEN", "sk-ant-oat");
    // The chutes manifest lists CHUTES_API_KEY first (the runtime reads it first).
    f.set_env("CHUTES_OAUTH_TOKEN", "sk-chutes-oauth");
    f.set_env("CHUTES_API_KEY", "sk-chutes");
    f.config(CFG);
    assert_rules("env_vars", V45, &f, &[]);
}

#[test]
fn r45_env_marker_names_in_config_api_key() {
    let mut f = Fixture::new();
    f.set_env("CUSTOM_NAME", "set-but-unknown");
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      models: { providers: {
        "known-unset": { baseUrl: "https://a.invalid/v1", api: "openai-completions", apiKey: "OPENAI_API_KEY", models: [ { id: "m", name: "m" } ] },
        "custom-name": { baseUrl: "https://b.invalid/v1", api: "openai-completions", apiKey: "CUSTOM_NAME", models: [ { id: "m", name: "m" } ] },
        "dollar": { baseUrl: "https://c.invalid/v1", api: "openai-completions", apiKey: "${CUSTOM_NAME}", models: [ { id: "m", name: "m" } ] },
      } } }"#);
    assert_rules("env_markers", V45, &f, &[]);
}

#[test]
fn r45_auth_api_key_mode_config_key_wins() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      models: { providers: {
        "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", auth: "api-key", apiKey: "sk-config", models: [ { id: "m", name: "m" } ] },
      } } }"#);
    f.store(
        "main",
        store_of(&[("my-proxy:stale", api_key("my-proxy", "sk-stale"))]),
    );
    assert_rules("api_key_mode", V45, &f, &[]);
}

#[test]
fn r45_cooling_and_failing_profiles_leave_no_fallback() {
    let mut f = Fixture::new();
    f.set_env("XAI_API_KEY", "sk-env");
    f.config(CFG);
    let s = store_owned(&two("xai"));
    f.store("main", with_usage(s, json!({"xai:a": {"cooldownUntil": FAR_FUTURE_MS}, "xai:b": {"disabledUntil": FAR_FUTURE_MS, "disabledReason": "auth_permanent"}})));
    assert_rules(
        "all_out_env_set",
        V45,
        &f,
        &[
            ("main", "cooldown"),
            ("cronbot", "cooldown"),
            ("main", "disabled"),
            ("cronbot", "disabled"),
        ],
    );
}

/// A cooldown recorded for one model (`cooldownModel`, reason `rate_limit`) blocks only
/// runs on that model: main runs groq/llama-a (blocked), cronbot groq/llama-b (uses it).
/// 2026.4 scopes only `rate_limit` (a `timeout` cooldown for one model blocks every run),
/// and an active `disabledUntil` cancels the scoping.
#[test]
fn r45_cooldown_scoped_to_one_model() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true, model: "groq/llama-a" },
                               { id: "cronbot", model: "groq/llama-b" } ] } }"#,
    );
    let cool = |reason: &str, model: &str| json!({"cooldownUntil": FAR_FUTURE_MS - 1000, "cooldownReason": reason, "cooldownModel": model, "errorCount": 1});
    let mut disabled = cool("rate_limit", "other-model");
    disabled["disabledUntil"] = json!(FAR_FUTURE_MS);
    disabled["disabledReason"] = json!("billing");
    let s = store_of(&[
        ("groq:a", api_key("groq", "sk-g")),
        ("xai:a", api_key("xai", "sk-x")),
        ("mistral:a", api_key("mistral", "sk-m")),
    ]);
    let usage = json!({"groq:a": cool("rate_limit", "llama-a"), "xai:a": cool("timeout", "grok-z"),
        "mistral:a": disabled});
    f.store("main", with_usage(s, usage));
    assert_rules(
        "cooldown_model",
        V45,
        &f,
        &[
            ("main", "cooldown"),
            ("cronbot", "cooldown"),
            ("main", "disabled"),
            ("cronbot", "disabled"),
        ],
    );
    assert!(!f.cell("main", "groq").usable);
    let cron = f.cell("cronbot", "groq");
    assert!(cron.usable, "{:?}", cron.reasons);
    assert!(
        cron.reasons
            .iter()
            .any(|r| r.contains("cooling down for model llama-a only")),
        "{:?}",
        cron.reasons
    );
    assert!(!f.cell("cronbot", "xai").usable);
    assert!(!f.cell("cronbot", "mistral").usable);
}

/// A Claude CLI login (`~/.claude/.credentials.json`) only: 2026.4.5's runtime resolver
/// never reads it (anthropic has no key); clawauth lists the row and says so.
#[test]
fn r45_claude_cli_login_is_not_read() {
    let f = Fixture::new();
    f.config(CFG);
    claude_cli_login(&f);
    assert_rules("cli_login", V45, &f, &[]);
    assert_cli_login_is_not_a_key(V45, &f, &["anthropic"], "never reads it");
}

/// Built with the real 2026.4.5 CLI: `paste-token` (non-interactive on stdin, the token
/// ended by a carriage return) stores `xai:manual` for the default agent and declares it in
/// `openclaw.json`; `models auth order set --agent cronbot` writes cronbot's own order,
/// naming only its own api key, so the inherited token is left out for cronbot.
#[test]
fn r45_cli_paste_token_and_order_set() {
    let f = Fixture::new();
    f.config(CFG);
    let paste = ["models", "auth", "paste-token", "--provider", "xai"];
    cli_ok(V45, &f, &paste, "sk-xai-pasted\r");
    f.store(
        "cronbot",
        store_of(&[("xai:own", api_key("xai", "sk-own"))]),
    );
    let order = [
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        "xai",
        "--agent",
        "cronbot",
        "xai:own",
    ];
    cli_ok(V45, &f, &order, "");
    assert_rules(
        "cli_paste_order",
        V45,
        &f,
        &[("cronbot", "excluded_by_auth_order")],
    );
    assert_eq!(
        report_for(V45, &f)
            .cells
            .iter()
            .find(|c| c.agent == "cronbot" && c.provider == "xai")
            .and_then(|c| c.profile.clone())
            .as_deref(),
        Some("xai:own")
    );
}
