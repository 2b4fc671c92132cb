//! Agreement with the real OpenClaw (2026.4.5 and 2026.9.6 from npm), offline.
//!
//! For each fixture state, clawauth's verdict for every agent × provider is compared with
//! OpenClaw's own runtime key resolver (called in-process from the package, see
//! tests/interop/resolve.mjs): usable or not, which source, which profile. Then
//! `openclaw models status --json --agent X` is compared: where status and runtime agree,
//! clawauth agrees with both; where they disagree, clawauth follows the runtime and must
//! flag the cell (`statusDisagrees`). The 2026.9.6 states are produced through the real CLI.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::agree::*;
use common::oc::*;
use common::*;
use serde_json::{Value, json};

// ---------- 2026.4.5 fixtures (the JSON store is written directly, as users do) ----------

const CFG45: &str = r#"{
  agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
  models: { providers: {
    "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] },
  } },
}"#;

#[test]
fn v45_founding_case_cron_agent_without_the_key() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "assistant", default: true }, { id: "cronbot" } ] },
      models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
      auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#);
    f.store(
        "assistant",
        store_of(&[(
            "my-proxy:manual",
            token("my-proxy", "sk-proxy-0123456789", None),
        )]),
    );
    f.write("cron/jobs.json", r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","message":"hi","model":"my-proxy/m"}}]}"#);
    assert_agrees(V45, &f);
    assert!(!f.cell("cronbot", "my-proxy").usable);
}

#[test]
fn v45_main_store_inherited_and_env_key() {
    let mut f = Fixture::new();
    f.set_env("OPENROUTER_API_KEY", "sk-or-test-1");
    f.config(CFG45);
    f.store(
        "main",
        store_of(&[(
            "my-proxy:manual",
            token("my-proxy", "sk-test-main-token", Some(FAR_FUTURE_MS)),
        )]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_mode_mismatch_status_misleads() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
      auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#);
    f.store(
        "main",
        store_of(&[("my-proxy:manual", api_key("my-proxy", "sk-main-apikey-1"))]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_dropped_entries_and_a_valid_one() {
    let f = Fixture::new();
    f.config(CFG45);
    f.store(
        "main",
        store_of(&[
            (
                "my-proxy:dash",
                json!({"type": "api-key", "provider": "my-proxy", "key": "k1"}),
            ),
            ("openrouter:noprov", json!({"type": "api_key", "key": "k2"})),
            (
                "openrouter:camel",
                json!({"type": "apiKey", "provider": "openrouter", "key": "k3"}),
            ),
            (
                "xai:ok",
                json!({"mode": "api_key", "provider": "xai", "apiKey": "k4"}),
            ),
        ]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_expired_token_falls_through_to_api_key_and_seconds() {
    let f = Fixture::new();
    f.config(CFG45);
    f.store(
        "main",
        store_of(&[
            ("my-proxy:tok", token("my-proxy", "t", Some(PAST_MS))),
            ("my-proxy:key", api_key("my-proxy", "k")),
            (
                "openrouter:secs",
                token("openrouter", "t", Some(1_767_225_600)),
            ),
            (
                "xai:str",
                json!({"type": "token", "provider": "xai", "token": "t", "expires": "2030-01-01"}),
            ),
        ]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_orders_store_and_config() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      auth: { order: { openrouter: ["openrouter:b", "openrouter:gone"] } } }"#,
    );
    let mut main = store_of(&[
        ("my-proxy:a", api_key("my-proxy", "a")),
        ("my-proxy:b", api_key("my-proxy", "b")),
        ("openrouter:a", api_key("openrouter", "a")),
        ("openrouter:b", api_key("openrouter", "b")),
    ]);
    main["order"] = json!({"my-proxy": ["my-proxy:b"]});
    f.store("main", main);
    let mut cron = store_of(&[("xai:a", api_key("xai", "a"))]);
    cron["order"] = json!({"my-proxy": ["my-proxy:a"], "xai": ["xai:missing"]});
    f.store("cronbot", cron);
    assert_agrees(V45, &f);
}

#[test]
fn v45_config_declared_ids_and_fallback() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      auth: { profiles: {
        "my-proxy:declared": { provider: "my-proxy", mode: "token" },
        "openrouter:gone": { provider: "openrouter", mode: "api_key" },
      } } }"#,
    );
    f.store(
        "main",
        store_of(&[
            ("my-proxy:declared", token("my-proxy", "t", Some(PAST_MS))),
            ("my-proxy:other", api_key("my-proxy", "k")),
            ("openrouter:present", api_key("openrouter", "k")),
        ]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_refs_and_inline_env_strings() {
    let mut f = Fixture::new();
    f.set_env("SET_KEY", "sk-from-env");
    f.config(CFG45);
    f.store(
        "main",
        store_of(&[
            ("my-proxy:ref", json!({"type": "api_key", "provider": "my-proxy", "keyRef": {"source": "env", "provider": "default", "id": "SET_KEY"}})),
            ("openrouter:unset", json!({"type": "api_key", "provider": "openrouter", "keyRef": {"source": "env", "provider": "default", "id": "UNSET_KEY"}})),
            ("xai:inline-unset", json!({"type": "api_key", "provider": "xai", "key": "${UNSET_INLINE}"})),
            ("groq:inline-set", json!({"type": "token", "provider": "groq", "token": "${SET_KEY}"})),
        ]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_oauth_and_secret_ref_policy() {
    let mut f = Fixture::new();
    f.set_env("X", "v");
    f.config(CFG45);
    f.store(
        "main",
        store_of(&[
            ("anthropic:me", json!({"type": "oauth", "provider": "anthropic", "access": "a", "refresh": "r", "expires": FAR_FUTURE_MS, "email": "me@example.com"})),
            ("xai:ref", json!({"type": "oauth", "provider": "xai", "access": "a", "refresh": "r", "expires": FAR_FUTURE_MS, "tokenRef": {"source": "env", "provider": "default", "id": "X"}})),
        ]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_cooldown_local_keys_and_config_keys() {
    let mut f = Fixture::new();
    f.set_env("XAI_API_KEY", "sk-xai-env");
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
      models: { providers: {
        "local-llm": { baseUrl: "http://127.0.0.1:11434/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] },
        "with-key": { baseUrl: "https://a.invalid/v1", api: "openai-completions", apiKey: "sk-literal", models: [ { id: "m", name: "m" } ] },
        "env-marker": { baseUrl: "https://b.invalid/v1", api: "openai-completions", apiKey: "XAI_API_KEY", models: [ { id: "m", name: "m" } ] },
      } } }"#);
    let mut main = store_of(&[
        ("groq:a", api_key("groq", "a")),
        ("groq:b", api_key("groq", "b")),
    ]);
    main["usageStats"] = json!({"groq:a": {"cooldownUntil": FAR_FUTURE_MS, "errorCount": 3}});
    f.store("main", main);
    f.write("agents/cronbot/agent/models.json", r#"{"providers":{"only-json":{"baseUrl":"https://c.invalid","api":"openai-completions","apiKey":"sk-literal","models":[{"id":"m","name":"m"}]}}}"#);
    assert_agrees(V45, &f);
}

#[test]
fn v45_openclaw_agent_dir_moves_the_base() {
    let mut f = Fixture::new();
    let base = f.state.join("custom-base");
    f.set_env("OPENCLAW_AGENT_DIR", base.to_str().unwrap());
    f.config(CFG45);
    f.write(
        "custom-base/auth-profiles.json",
        &store_of(&[("my-proxy:base", api_key("my-proxy", "base"))]).to_string(),
    );
    f.store(
        "main",
        store_of(&[("openrouter:old-main", api_key("openrouter", "old"))]),
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_corrupt_sub_agent_store_and_legacy_auth_json() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" }, { id: "legacy" } ] } }"#);
    f.store(
        "main",
        store_of(&[("my-proxy:main", api_key("my-proxy", "m"))]),
    );
    f.write(
        "agents/cronbot/agent/auth-profiles.json",
        "{ \"version\": 1, \"profiles\": {",
    );
    f.write(
        "agents/legacy/agent/auth.json",
        r#"{"openrouter":{"type":"api_key","key":"sk-legacy"}}"#,
    );
    assert_agrees(V45, &f);
}

#[test]
fn v45_sub_agent_api_key_loses_to_inherited_token() {
    let f = Fixture::new();
    f.config(CFG45);
    f.store(
        "main",
        store_of(&[("my-proxy:main-token", token("my-proxy", "t", None))]),
    );
    f.store(
        "cronbot",
        store_of(&[("my-proxy:own-key", api_key("my-proxy", "k"))]),
    );
    assert_agrees(V45, &f);
    assert_eq!(
        f.cell("cronbot", "my-proxy").profile.as_deref(),
        Some("my-proxy:main-token")
    );
}

#[test]
fn v45_custom_agent_dir_and_aliases() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "Reporter", agentDir: "~/reporter-dir" } ] } }"#);
    std::fs::create_dir_all(f.home.join("reporter-dir")).unwrap();
    std::fs::write(
        f.home.join("reporter-dir/auth-profiles.json"),
        store_of(&[
            ("zai:default", api_key("Z.AI", "k")),
            ("amazon-bedrock:x", api_key("bedrock", "k")),
        ])
        .to_string(),
    )
    .unwrap();
    assert_agrees(V45, &f);
}

// ---------- 2026.9.6 fixtures, produced through the real 2026.9.6 CLI ----------

const CFG96: &str = r#"{
  agents: { ownership: "explicit",
    defaults: { model: { primary: "my-proxy/m" }, systemAgent: { agentId: "main" } },
    entries: { main: {}, cronbot: {} } },
  models: { providers: {
    "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] },
    "local-llm": { baseUrl: "http://127.0.0.1:11434/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] },
  } },
}"#;

#[test]
fn v96_own_store_for_cron_agent_and_missing_main() {
    let f = Fixture::new();
    f.config(CFG96);
    paste(
        &f,
        "paste-api-key",
        "my-proxy",
        "cronbot",
        Some("my-proxy:cron"),
        "sk-test",
        &[],
    );
    assert_agrees(V96, &f);
    assert!(f.cell("cronbot", "my-proxy").usable);
    assert!(
        !report_for(V96, &f)
            .cells
            .iter()
            .find(|c| c.agent == "main" && c.provider == "my-proxy")
            .unwrap()
            .usable
    );
}

#[test]
fn v96_shared_token_inherited_and_expiring_token() {
    let f = Fixture::new();
    f.config(CFG96);
    paste(
        &f,
        "paste-token",
        "my-proxy",
        "main",
        Some("my-proxy:shared"),
        "sk-shared",
        &[],
    );
    paste(
        &f,
        "paste-token",
        "openrouter",
        "main",
        Some("openrouter:short"),
        "sk-or-short",
        &["--expires-in", "1h"],
    );
    assert_agrees(V96, &f);
}

#[test]
fn v96_default_profile_id_for_a_sub_agent() {
    let f = Fixture::new();
    f.config(CFG96);
    paste(
        &f,
        "paste-api-key",
        "my-proxy",
        "cronbot",
        None,
        "sk-default-id",
        &[],
    );
    assert_agrees(V96, &f);
}

#[test]
fn v96_json_file_beside_sqlite_blocks_auth() {
    let f = Fixture::new();
    f.config(CFG96);
    paste(
        &f,
        "paste-token",
        "my-proxy",
        "main",
        Some("my-proxy:shared"),
        "sk-shared",
        &[],
    );
    f.store(
        "cronbot",
        store_of(&[("my-proxy:json", api_key("my-proxy", "sk-json"))]),
    );
    assert_agrees(V96, &f);
    assert!(!f.cell("cronbot", "my-proxy").usable);
}

#[test]
fn v96_order_set_and_mode_mismatch() {
    let f = Fixture::new();
    f.config(CFG96);
    paste(
        &f,
        "paste-api-key",
        "my-proxy",
        "cronbot",
        Some("my-proxy:a"),
        "sk-a",
        &[],
    );
    paste(
        &f,
        "paste-api-key",
        "my-proxy",
        "cronbot",
        Some("my-proxy:b"),
        "sk-b",
        &[],
    );
    cli_ok(
        V96,
        &f,
        &[
            "models",
            "auth",
            "order",
            "set",
            "--provider",
            "my-proxy",
            "--agent",
            "cronbot",
            "my-proxy:b",
        ],
        "",
    );
    paste(
        &f,
        "paste-token",
        "openrouter",
        "main",
        Some("openrouter:tok"),
        "sk-or",
        &[],
    );
    let text = std::fs::read_to_string(f.state.join("openclaw.json")).unwrap();
    let mut cfg: Value = json5::from_str(&text).unwrap();
    cfg["auth"]["profiles"]["openrouter:tok"]["mode"] = json!("api_key");
    f.config(&cfg.to_string());
    assert_agrees(V96, &f);
}

#[test]
fn v96_env_config_and_synthetic_keys() {
    let mut f = Fixture::new();
    f.set_env("OPENROUTER_API_KEY", "sk-or-env");
    f.config(r#"{
      agents: { ownership: "explicit", defaults: { model: { primary: "my-proxy/m" }, systemAgent: { agentId: "main" } }, entries: { main: {}, cronbot: {} } },
      models: { providers: {
        "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", apiKey: "sk-literal", models: [ { id: "m", name: "m" } ] },
        "local-llm": { baseUrl: "http://127.0.0.1:11434/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] },
      } } }"#);
    paste(
        &f,
        "paste-token",
        "xai",
        "cronbot",
        Some("xai:cron"),
        "sk-xai",
        &[],
    );
    assert_agrees(V96, &f);
}

#[test]
fn v96_camel_case_and_dropped_entries_imported_by_doctor() {
    let f = Fixture::new();
    f.config(CFG96);
    paste(
        &f,
        "paste-token",
        "my-proxy",
        "main",
        Some("my-proxy:shared"),
        "sk-shared",
        &[],
    );
    f.store(
        "cronbot",
        store_of(&[
            (
                "openrouter:camel",
                json!({"type": "apiKey", "provider": "OpenRouter", "key": "sk-or"}),
            ),
            (
                "xai:dash",
                json!({"type": "api-key", "provider": "xai", "key": "sk-xai"}),
            ),
        ]),
    );
    cli_ok(V96, &f, &["doctor", "--fix", "--non-interactive"], "");
    assert_agrees(V96, &f);
}
