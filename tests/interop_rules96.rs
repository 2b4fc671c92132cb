//! Runtime rules of OpenClaw 2026.9.6 (issue 11): states produced by the real 2026.9.6
//! CLI (`paste-token`, `paste-api-key`, `models auth order set`), with usage state and
//! config edits written the way users and other tools do (openclaw.json, SQLite rows).
//! Every cell against the runtime resolver and the runner's cooldown skip, and the exact
//! set of (agent, problem code) clawauth reports. See tests/interop/README.md.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::agree::assert_rules;
use common::oc::*;
use common::*;
use serde_json::json;

const CFG: &str = r#"{
  agents: { ownership: "explicit",
    defaults: { model: { primary: "my-proxy/m" }, systemAgent: { agentId: "main" } },
    entries: { main: {}, cronbot: {} } },
  models: { providers: {
    "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] },
  } },
}"#;

#[test]
fn r96_per_agent_order_naming_a_shared_profile() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "xai",
        "main",
        Some("xai:shared"),
        "sk-s",
        &[],
    );
    paste(
        &f,
        "paste-token",
        "xai",
        "cronbot",
        Some("xai:cron"),
        "sk-c",
        &[],
    );
    order_set(&f, "cronbot", "xai", &["xai:shared"]);
    assert_rules(
        "order_shared_id",
        V96,
        &f,
        // paste-token --agent cronbot also declares xai:cron in openclaw.json: main cannot see it.
        &[
            ("cronbot", "excluded_by_auth_order"),
            ("main", "config_profile_missing"),
        ],
    );
    assert_eq!(
        f.cell("cronbot", "xai").profile.as_deref(),
        Some("xai:shared")
    );
}

#[test]
fn r96_cooldown_every_profile() {
    let f = two_shared_xai(CFG);
    set_usage(
        &f,
        json!({"xai:a": {"cooldownUntil": FAR_FUTURE_MS, "cooldownReason": "rate_limit"}, "xai:b": {"cooldownUntil": FAR_FUTURE_MS, "cooldownReason": "rate_limit"}}),
    );
    assert_rules(
        "cooldown_all",
        V96,
        &f,
        &[("main", "cooldown"), ("cronbot", "cooldown")],
    );
}

#[test]
fn r96_disabled_billing_moves_to_next() {
    let f = two_shared_xai(CFG);
    set_usage(
        &f,
        json!({"xai:a": {"disabledUntil": FAR_FUTURE_MS, "disabledReason": "billing"}}),
    );
    assert_rules(
        "disabled_next",
        V96,
        &f,
        &[("main", "disabled"), ("cronbot", "disabled")],
    );
}

#[test]
fn r96_openrouter_ignores_cooldown() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "openrouter",
        "main",
        Some("openrouter:a"),
        "sk-or",
        &[],
    );
    set_usage(
        &f,
        json!({"openrouter:a": {"cooldownUntil": FAR_FUTURE_MS, "disabledUntil": FAR_FUTURE_MS, "disabledReason": "billing"}}),
    );
    assert_rules("openrouter_exempt", V96, &f, &[]);
}

#[test]
fn r96_round_robin_by_last_used() {
    let f = two_shared_xai(CFG);
    set_usage(
        &f,
        json!({"xai:a": {"lastUsed": 1_700_000_000_000_i64}, "xai:b": {"lastUsed": 1_600_000_000_000_i64}}),
    );
    assert_rules("round_robin", V96, &f, &[]);
}

#[test]
fn r96_explicit_order_with_a_cooling_first_profile() {
    let f = two_shared_xai(CFG);
    order_set(&f, "main", "xai", &["xai:a", "xai:b"]);
    set_usage(
        &f,
        json!({"xai:a": {"cooldownUntil": FAR_FUTURE_MS, "cooldownReason": "overloaded"}}),
    );
    assert_rules(
        "order_cooling",
        V96,
        &f,
        &[("main", "cooldown"), ("cronbot", "cooldown")],
    );
}

#[test]
fn r96_order_set_excludes_a_profile() {
    let f = two_shared_xai(CFG);
    order_set(&f, "main", "xai", &["xai:b"]);
    assert_rules(
        "order_excludes",
        V96,
        &f,
        // main's order lives in main's own database, which cronbot does not read.
        &[("main", "excluded_by_auth_order")],
    );
}

#[test]
fn r96_mode_mismatch_on_the_shared_store() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "openrouter",
        "main",
        Some("openrouter:tok"),
        "sk-or",
        &[],
    );
    edit_config(&f, |cfg| {
        cfg["auth"]["profiles"]["openrouter:tok"] =
            json!({"provider": "openrouter", "mode": "api_key"})
    });
    assert_rules(
        "mode_mismatch",
        V96,
        &f,
        &[("main", "mode_mismatch"), ("cronbot", "mode_mismatch")],
    );
}

#[test]
fn r96_config_order_case_insensitive_and_missing_id() {
    let f = two_shared_xai(CFG);
    edit_config(&f, |cfg| {
        cfg["auth"]["order"] = json!({"XAI": ["xai:gone", "xai:b"]})
    });
    assert_rules(
        "config_order",
        V96,
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
fn r96_per_agent_order_beats_config_order() {
    let f = two_shared_xai(CFG);
    order_set(&f, "cronbot", "xai", &["xai:a"]);
    edit_config(&f, |cfg| cfg["auth"]["order"] = json!({"xai": ["xai:b"]}));
    assert_rules(
        "agent_order_wins",
        V96,
        &f,
        &[
            ("main", "excluded_by_auth_order"),
            ("cronbot", "excluded_by_auth_order"),
        ],
    );
    assert_eq!(f.cell("cronbot", "xai").profile.as_deref(), Some("xai:a"));
}

#[test]
fn r96_expired_token_and_invalid_expires() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "xai",
        "main",
        Some("xai:old"),
        "sk-x",
        &[],
    );
    paste(
        &f,
        "paste-token",
        "groq",
        "main",
        Some("groq:bad"),
        "sk-g",
        &[],
    );
    edit_shared96(&f, |store, _| {
        store["profiles"]["xai:old"]["expires"] = json!(PAST_MS);
        store["profiles"]["groq:bad"]["expires"] = json!(-1);
    });
    assert_rules(
        "expired_invalid",
        V96,
        &f,
        &[
            ("main", "expired"),
            ("cronbot", "expired"),
            ("main", "invalid_expires"),
            ("cronbot", "invalid_expires"),
        ],
    );
}

#[test]
fn r96_blank_token_is_missing_credential() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "xai",
        "main",
        Some("xai:blank"),
        "sk-x",
        &[],
    );
    edit_shared96(&f, |store, _| {
        store["profiles"]["xai:blank"]["token"] = json!(" ")
    });
    assert_rules(
        "missing_credential",
        V96,
        &f,
        &[
            ("main", "missing_credential"),
            ("cronbot", "missing_credential"),
        ],
    );
}

/// A 2026.9 state whose auth profile refers to the `vault` file provider for `pointer`
/// (the SecretRef written over a CLI-made profile, the way users add refs).
fn file_ref_state(provider: &str, pointer: &str) -> Fixture {
    let f = Fixture::new();
    let secrets = f.write("secrets.json", r#"{"providers":{"groq":"sk-g"}}"#);
    f.config(CFG);
    edit_config(
        &f,
        |cfg| cfg["secrets"] = json!({"providers": {"vault": {"source": "file", "path": secrets.display().to_string(), "mode": "json"}}}),
    );
    let id = format!("{provider}:file");
    paste(&f, "paste-token", provider, "main", Some(&id), "sk-x", &[]);
    edit_shared96(&f, |store, _| {
        store["profiles"][&id] = json!({"type": "api_key", "provider": provider, "keyRef": {"source": "file", "provider": "vault", "id": pointer}});
    });
    edit_config(&f, |cfg| {
        cfg["auth"]["profiles"][&id]["mode"] = json!("api_key")
    });
    f
}

#[test]
fn r96_file_ref_resolves_in_the_runtime_snapshot() {
    let f = file_ref_state("groq", "/providers/groq");
    assert_rules("file_ref_ok", V96, &f, &[]);
}

#[test]
fn r96_file_ref_missing_pointer() {
    let f = file_ref_state("mistral", "/providers/mistral");
    assert_rules(
        "file_ref_pointer",
        V96,
        &f,
        &[("main", "unresolved_ref"), ("cronbot", "unresolved_ref")],
    );
}

#[test]
fn r96_file_ref_too_open() {
    let f = Fixture::new();
    let secrets = f.write("secrets.json", r#"{"providers":{"groq":"sk-g"}}"#);
    set_mode(&secrets, 0o644);
    f.config(CFG);
    edit_config(
        &f,
        |cfg| cfg["secrets"] = json!({"providers": {"vault": {"source": "file", "path": secrets.display().to_string()}}}),
    );
    paste(
        &f,
        "paste-token",
        "groq",
        "main",
        Some("groq:file"),
        "sk-g",
        &[],
    );
    edit_shared96(
        &f,
        |store, _| store["profiles"]["groq:file"] = json!({"type": "api_key", "provider": "groq", "keyRef": {"source": "file", "provider": "vault", "id": "/providers/groq"}}),
    );
    edit_config(&f, |cfg| {
        cfg["auth"]["profiles"]["groq:file"]["mode"] = json!("api_key")
    });
    assert_rules(
        "file_open",
        V96,
        &f,
        &[("main", "unresolved_ref"), ("cronbot", "unresolved_ref")],
    );
}

#[test]
fn r96_binding_is_used_before_the_order() {
    let f = Fixture::new();
    f.config(CFG);
    paste(&f, "paste-api-key", "my-proxy", "main", None, "sk-old", &[]);
    paste(
        &f,
        "paste-api-key",
        "my-proxy",
        "main",
        Some("my-proxy:new"),
        "sk-new",
        &[],
    );
    order_set(&f, "main", "my-proxy", &["my-proxy:new"]);
    assert_rules(
        "binding_first",
        V96,
        &f,
        // main's order lives in main's own database: only main is misled by it.
        &[("main", "binding_overrides_order")],
    );
    assert_eq!(
        f.cell("main", "my-proxy").profile.as_deref(),
        Some("my-proxy:manual")
    );
}

#[test]
fn r96_dangling_binding_is_sent_literally() {
    let f = Fixture::new();
    f.config(CFG);
    edit_config(&f, |cfg| {
        cfg["models"]["providers"]["my-proxy"]["apiKey"] = json!("my-proxy:manual")
    });
    assert_rules(
        "dangling_binding",
        V96,
        &f,
        &[
            ("main", "dangling_binding"),
            ("cronbot", "dangling_binding"),
        ],
    );
}

#[test]
fn r96_binding_to_another_providers_profile_fails_closed() {
    let f = Fixture::new();
    f.config(CFG);
    paste(&f, "paste-token", "xai", "main", Some("xai:k"), "sk-x", &[]);
    paste(
        &f,
        "paste-token",
        "my-proxy",
        "main",
        Some("my-proxy:t"),
        "sk-p",
        &[],
    );
    edit_config(&f, |cfg| {
        cfg["models"]["providers"]["my-proxy"]["apiKey"] = json!("xai:k")
    });
    assert_rules(
        "binding_other",
        V96,
        &f,
        &[
            ("main", "binding_incompatible"),
            ("cronbot", "binding_incompatible"),
        ],
    );
}

#[test]
fn r96_loopback_marker_gets_the_synthetic_key() {
    let f = Fixture::new();
    f.config(CFG);
    edit_config(&f, |cfg| {
        cfg["models"]["providers"]["local-llm"] = json!({"baseUrl": "http://127.0.0.1:11434/v1", "api": "openai-completions", "apiKey": "ollama-local", "models": [{"id": "m", "name": "m"}]});
    });
    assert_rules("loopback_marker", V96, &f, &[]);
}

#[test]
fn r96_env_ref_object_and_env_vars() {
    let mut f = Fixture::new();
    f.set_env("PROXY_KEY", "sk-proxy");
    f.set_env("MINIMAX_API_KEY", "sk-mm");
    // 2026.9.6's minimax manifest lists MINIMAX_CODE_PLAN_KEY first.
    f.set_env("MINIMAX_CODE_PLAN_KEY", "sk-mm-plan");
    f.set_env("ANTHROPIC_OAUTH_TOKEN", "sk-ant-oat");
    // openai's list is core code: CODEX_API_KEY before OPENAI_API_KEY.
    f.set_env("OPENAI_API_KEY", "sk-openai");
    f.set_env("CODEX_API_KEY", "sk-codex");
    f.set_env("GEMINI_API_KEY", "");
    f.set_env("GOOGLE_API_KEY", "sk-google");
    f.config(CFG);
    edit_config(&f, |cfg| {
        cfg["models"]["providers"]["my-proxy"]["apiKey"] =
            json!({"source": "env", "provider": "default", "id": "PROXY_KEY"})
    });
    assert_rules("env_ref_vars", V96, &f, &[]);
}

#[test]
fn r96_dotenv_and_env_vars_block() {
    let f = Fixture::new();
    f.write(".env", "OPENROUTER_API_KEY=sk-or-dotenv\n");
    f.config(CFG);
    edit_config(&f, |cfg| {
        cfg["env"] = json!({"vars": {"XAI_API_KEY": "sk-xai-config"}})
    });
    assert_rules("dotenv_env_block", V96, &f, &[]);
}

#[test]
fn r96_json_store_beside_sqlite_is_migration_required() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "xai",
        "main",
        Some("xai:shared"),
        "sk-s",
        &[],
    );
    f.store(
        "cronbot",
        store_of(&[("my-proxy:json", api_key("my-proxy", "sk-json"))]),
    );
    assert_rules(
        "migration_required",
        V96,
        &f,
        &[("cronbot", "migration_required")],
    );
}

#[test]
fn r96_oauth_refresh_fence_and_expired_login() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "anthropic",
        "main",
        Some("anthropic:me"),
        "sk-ant-oat01-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123",
        &[],
    );
    edit_shared96(
        &f,
        |store, _| {
            store["profiles"]["anthropic:me"] =
                json!({"type": "oauth", "provider": "anthropic", "access": "a", "expires": PAST_MS})
        },
    );
    edit_config(&f, |cfg| {
        cfg["auth"]["profiles"]["anthropic:me"]["mode"] = json!("oauth")
    });
    assert_rules(
        "oauth_expired",
        V96,
        &f,
        &[
            ("main", "oauth_refresh_failed"),
            ("cronbot", "oauth_refresh_failed"),
        ],
    );
}

#[test]
fn r96_declared_profiles_exclude_the_others() {
    let f = two_shared_xai(CFG);
    edit_config(&f, |cfg| {
        cfg["auth"]["profiles"] = json!({"xai:a": {"provider": "xai", "mode": "token"}})
    });
    assert_rules(
        "excluded_by_config",
        V96,
        &f,
        &[
            ("main", "excluded_by_config"),
            ("cronbot", "excluded_by_config"),
        ],
    );
}

#[test]
fn r96_declared_profile_only_in_another_agents_store() {
    let f = Fixture::new();
    f.config(CFG);
    paste(
        &f,
        "paste-token",
        "xai",
        "cronbot",
        Some("xai:cron"),
        "sk-c",
        &[],
    );
    assert_rules(
        "config_profile_missing",
        V96,
        &f,
        &[("main", "config_profile_missing")],
    );
}

/// A cooldown recorded for one model blocks only runs on that model: main runs
/// groq/llama-a (blocked), cronbot groq/llama-b (uses it). 2026.9 also scopes `timeout`
/// cooldowns (xai: both agents run other models, so both use it), while an active
/// `blockedUntil` that is not scoped to another model cancels the scoping (deepseek).
#[test]
fn r96_cooldown_scoped_to_one_model() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { ownership: "explicit",
            defaults: { model: { primary: "groq/llama-a" }, systemAgent: { agentId: "main" } },
            entries: { main: { model: "groq/llama-a" }, cronbot: { model: "groq/llama-b" } } } }"#,
    );
    paste(
        &f,
        "paste-token",
        "groq",
        "main",
        Some("groq:a"),
        "sk-g",
        &[],
    );
    let cool = |reason: &str, model: &str| json!({"cooldownUntil": FAR_FUTURE_MS - 1000, "cooldownReason": reason, "cooldownModel": model, "errorCount": 1});
    let mut blocked = cool("rate_limit", "other-model");
    blocked["blockedUntil"] = json!(FAR_FUTURE_MS);
    blocked["blockedReason"] = json!("auth_permanent");
    edit_shared96(&f, |store, state| {
        store["profiles"]["xai:a"] = api_key("xai", "sk-x");
        store["profiles"]["deepseek:a"] = api_key("deepseek", "sk-d");
        state["usageStats"] = json!({"groq:a": cool("rate_limit", "llama-a"),
            "xai:a": cool("timeout", "grok-z"), "deepseek:a": blocked});
    });
    assert_rules(
        "cooldown_model",
        V96,
        &f,
        &[
            ("main", "cooldown"),
            ("main", "disabled"),
            ("cronbot", "disabled"),
        ],
    );
    assert!(!f.cell("main", "groq").usable);
    assert!(f.cell("cronbot", "groq").usable);
    assert!(f.cell("main", "xai").usable);
    assert!(!f.cell("cronbot", "deepseek").usable);
}

/// A Claude CLI login (`~/.claude/.credentials.json`) only: 2026.9.6's runtime resolver
/// reads it neither for anthropic nor for the `claude-cli` backend; clawauth lists both
/// rows and says what does use it (the `claude` program itself, or `login --method cli`).
#[test]
fn r96_claude_cli_login_is_not_read() {
    let f = Fixture::new();
    f.config(CFG);
    claude_cli_login(&f);
    assert_rules("cli_login", V96, &f, &[]);
    assert_cli_login_is_not_a_key(V96, &f, &["anthropic"], "--method cli");
    assert_cli_login_is_not_a_key(V96, &f, &["claude-cli"], "starts the `claude` program");
}
