//! Runtime verdicts for the SQLite generation (OpenClaw ≥ 2026.6), on stores built with
//! the same tables OpenClaw 2026.9.6 creates. (Interop tests build them with the real CLI.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::Path;

fn agent_db(path: &Path, store: Value, state: Option<Value>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = Connection::open(path).unwrap();
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;
         CREATE TABLE IF NOT EXISTS auth_profile_state (state_key TEXT NOT NULL PRIMARY KEY, state_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;",
    )
    .unwrap();
    c.execute(
        "INSERT OR REPLACE INTO auth_profile_store VALUES ('primary', ?1, 0)",
        [store.to_string()],
    )
    .unwrap();
    if let Some(s) = state {
        c.execute(
            "INSERT OR REPLACE INTO auth_profile_state VALUES ('primary', ?1, 0)",
            [s.to_string()],
        )
        .unwrap();
    }
}

fn state_db(path: &Path, shared: Option<Value>, cron: &[(&str, &str, Value)]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = Connection::open(path).unwrap();
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;
         CREATE TABLE IF NOT EXISTS cron_jobs (store_key TEXT NOT NULL, job_id TEXT NOT NULL, declaration_key TEXT, owner_agent_id TEXT, name TEXT NOT NULL, description TEXT, enabled INTEGER NOT NULL, agent_id TEXT, payload_kind TEXT NOT NULL, job_json TEXT NOT NULL, grant_definition_revision TEXT, grant_definition_generation INTEGER, grant_definition_updated_at INTEGER, state_json TEXT NOT NULL DEFAULT '{}', runtime_updated_at_ms INTEGER, schedule_identity TEXT, sort_order INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL, PRIMARY KEY (store_key, job_id)) STRICT;",
    )
    .unwrap();
    if let Some(s) = shared {
        c.execute("INSERT OR REPLACE INTO config_machine_state VALUES ('auth.sharedStore', '{\"location\":\"state-db\"}', 0)", []).unwrap();
        c.execute(
            "INSERT OR REPLACE INTO config_machine_state VALUES ('authProfiles.store', ?1, 0)",
            [s.to_string()],
        )
        .unwrap();
    }
    for (id, agent, job) in cron {
        c.execute(
            "INSERT INTO cron_jobs (store_key, job_id, name, enabled, agent_id, payload_kind, job_json, updated_at) VALUES ('default', ?1, ?1, 1, ?2, 'agentTurn', ?3, 0)",
            [id.to_string(), agent.to_string(), job.to_string()],
        )
        .unwrap();
    }
}

const ENTRIES: &str = r#"{ agents: { ownership: "explicit", entries: { main: { default: true }, cronbot: { model: "my-proxy/m" } } },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } } }"#;

#[test]
fn shared_state_db_is_read_through_by_every_agent() {
    let f = Fixture::new();
    f.config(ENTRIES);
    state_db(
        &f.state.join("state/openclaw.sqlite"),
        Some(store_of(&[(
            "my-proxy:manual",
            token("my-proxy", "t", None),
        )])),
        &[],
    );
    let r = f.report();
    assert_eq!(r.generation, "sqlite");
    let c = r
        .cells
        .iter()
        .find(|c| c.agent == "cronbot" && c.provider == "my-proxy")
        .unwrap();
    assert!(c.usable);
    assert_eq!(
        c.source,
        clawauth::domain::status::resolve::Source::Inherited
    );
    assert!(
        c.file
            .as_deref()
            .unwrap()
            .ends_with("state/openclaw.sqlite")
    );
    assert_eq!(
        r.cells
            .iter()
            .find(|c| c.agent == "main" && c.provider == "my-proxy")
            .unwrap()
            .source,
        clawauth::domain::status::resolve::Source::Local
    );
}

#[test]
fn agent_db_overrides_shared_and_isolated_cron_is_found_in_sqlite() {
    let f = Fixture::new();
    f.config(ENTRIES);
    let job = json!({"id":"nightly","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}});
    state_db(
        &f.state.join("state/openclaw.sqlite"),
        Some(store_of(&[])),
        &[("nightly", "cronbot", job)],
    );
    let r = f.report();
    let c = r
        .cells
        .iter()
        .find(|c| c.agent == "cronbot" && c.provider == "my-proxy")
        .unwrap();
    assert!(!c.usable);
    assert_eq!(c.cron, vec!["nightly".to_string()]);
    assert!(codes(&r).contains(&"cron_auth_missing"));

    agent_db(
        &f.agent_dir("cronbot").join("openclaw-agent.sqlite"),
        store_of(&[("my-proxy:cron", api_key("My-Proxy", "k"))]),
        None,
    );
    let c = f.cell("cronbot", "my-proxy");
    assert!(c.usable);
    assert_eq!(c.source, clawauth::domain::status::resolve::Source::Local);
    assert_eq!(c.profile.as_deref(), Some("my-proxy:cron"));
}

#[test]
fn json_beside_empty_sqlite_blocks_the_providers_it_names() {
    let f = Fixture::new();
    f.config(ENTRIES);
    state_db(
        &f.state.join("state/openclaw.sqlite"),
        Some(store_of(&[(
            "my-proxy:manual",
            token("my-proxy", "t", None),
        )])),
        &[],
    );
    f.store(
        "cronbot",
        store_of(&[("my-proxy:x", api_key("my-proxy", "k"))]),
    );
    let r = f.report();
    let c = r
        .cells
        .iter()
        .find(|c| c.agent == "cronbot" && c.provider == "my-proxy")
        .unwrap();
    assert!(!c.usable, "AUTH_PROFILE_MIGRATION_REQUIRED");
    assert!(c.reasons[0].contains("requires legacy credential migration"));
    let blocking: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.code == "migration_required")
        .collect();
    assert_eq!(
        blocking.len(),
        1,
        "one migration_required for cronbot's legacy file, not one per source: {blocking:#?}"
    );
    assert_eq!(blocking[0].agent.as_deref(), Some("cronbot"));
    assert!(
        f.cell("main", "my-proxy").usable,
        "other owners are unaffected"
    );
}

#[test]
fn unreadable_legacy_json_blocks_every_provider() {
    let mut f = Fixture::new();
    f.set_env("OPENROUTER_API_KEY", "sk-or");
    f.config(ENTRIES);
    state_db(
        &f.state.join("state/openclaw.sqlite"),
        Some(store_of(&[])),
        &[],
    );
    f.write("agents/cronbot/agent/auth.json", "not json");
    assert!(!f.cell("cronbot", "openrouter").usable);
    assert!(f.cell("main", "openrouter").usable);
}

#[test]
fn camel_case_api_key_type_is_accepted_in_sqlite_generation() {
    let f = Fixture::new();
    f.config(ENTRIES);
    state_db(
        &f.state.join("state/openclaw.sqlite"),
        Some(store_of(&[(
            "my-proxy:a",
            json!({"type":"apiKey","provider":"my-proxy","key":"k"}),
        )])),
        &[],
    );
    assert!(f.cell("main", "my-proxy").usable);
}

#[test]
fn pasted_onboard_command_is_malformed_in_sqlite_generation() {
    let f = Fixture::new();
    f.config(ENTRIES);
    state_db(
        &f.state.join("state/openclaw.sqlite"),
        Some(store_of(&[(
            "my-proxy:a",
            api_key("my-proxy", "openclaw onboard --auth-choice custom-api-key"),
        )])),
        &[],
    );
    let c = f.cell("main", "my-proxy");
    assert!(!c.usable);
    assert!(c.reasons.iter().any(|r| r.contains("onboard")));
}

#[test]
fn store_order_in_agent_state_row_is_honoured() {
    let f = Fixture::new();
    f.config(ENTRIES);
    state_db(
        &f.state.join("state/openclaw.sqlite"),
        Some(store_of(&[])),
        &[],
    );
    agent_db(
        &f.agent_dir("cronbot").join("openclaw-agent.sqlite"),
        store_of(&[
            ("my-proxy:a", api_key("my-proxy", "a")),
            ("my-proxy:b", api_key("my-proxy", "b")),
        ]),
        Some(json!({"version":1,"order":{"my-proxy":["my-proxy:b"]}})),
    );
    assert_eq!(
        f.cell("cronbot", "my-proxy").profile.as_deref(),
        Some("my-proxy:b")
    );
}

#[test]
fn corrupt_database_is_reported_not_fatal() {
    let f = Fixture::new();
    f.config(ENTRIES);
    f.write(
        "agents/cronbot/agent/openclaw-agent.sqlite",
        "garbage that is not sqlite at all, padded to be long enough for a header",
    );
    let r = f.report();
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == "store_unreadable" && p.file.ends_with("openclaw-agent.sqlite"))
    );
}

/// `openclaw` installed by `npm install -g`: `<prefix>/bin/openclaw` is a symlink to
/// `../lib/node_modules/openclaw/openclaw.mjs`, whose `package.json` names the version;
/// `manifest` is the package's one plugin manifest. Returns the prefix (PATH gets its bin).
fn npm_global(version: &str, manifest: Value) -> tempfile::TempDir {
    let prefix = tempfile::tempdir().unwrap();
    let pkg = prefix.path().join("lib/node_modules/openclaw");
    let ext = pkg.join("dist/extensions/minimax");
    std::fs::create_dir_all(&ext).unwrap();
    std::fs::create_dir_all(prefix.path().join("bin")).unwrap();
    let package =
        json!({"name": "openclaw", "version": version, "bin": {"openclaw": "openclaw.mjs"}});
    std::fs::write(pkg.join("package.json"), package.to_string()).unwrap();
    // Never run: the version comes from package.json (a run would fail loudly).
    std::fs::write(pkg.join("openclaw.mjs"), "#!/bin/false\n").unwrap();
    set_mode(&pkg.join("openclaw.mjs"), 0o755);
    std::fs::write(ext.join("openclaw.plugin.json"), manifest.to_string()).unwrap();
    std::os::unix::fs::symlink(
        "../lib/node_modules/openclaw/openclaw.mjs",
        prefix.path().join("bin/openclaw"),
    )
    .unwrap();
    prefix
}

fn status_on_path(f: &Fixture, prefix: &Path) -> Value {
    let path = format!("{}:/usr/bin:/bin", prefix.join("bin").display());
    let out = clawauth_with(f, &["status", "--json"], "", &path);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)))
}

/// The generation follows the `openclaw` npm put on PATH: a JSON-only state under
/// 2026.9.6 is `migration_required` (never read as live); under 2026.4.5 it is live.
/// The installed package's manifests decide the env var names: here the package names
/// only MINIMAX_CODING_API_KEY for minimax, where clawauth's asset for 2026.9.6 lists
/// MINIMAX_CODE_PLAN_KEY first; the installed list wins.
#[test]
fn npm_global_openclaw_on_path_decides_generation_and_env_names() {
    let mut f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true } ] } }"#);
    f.store("main", store_of(&[("xai:a", api_key("xai", "sk-x"))]));
    f.set_env("MINIMAX_CODE_PLAN_KEY", "sk-plan");
    f.set_env("MINIMAX_CODING_API_KEY", "sk-coding");
    let manifest = json!({"id": "minimax", "providers": ["minimax"],
        "setup": {"providers": [{"id": "minimax", "envVars": ["MINIMAX_CODING_API_KEY"]}]}});
    let new = npm_global("2026.9.6", manifest.clone());
    let s = status_on_path(&f, new.path());
    assert_eq!(s["openclawVersion"], "2026.9.6", "{s:#}");
    assert_eq!(s["generation"], "sqlite");
    let codes: Vec<&str> = s["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert!(codes.contains(&"migration_required"), "{codes:?}");
    let cell = |s: &Value, p: &str| -> Value {
        s["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["agent"] == "main" && c["provider"] == p)
            .cloned()
            .unwrap_or_else(|| panic!("no main × {p}: {s:#}"))
    };
    assert_eq!(cell(&s, "xai")["usable"], false, "{s:#}");
    let minimax = cell(&s, "minimax");
    assert_eq!(minimax["source"], "env");
    let reasons = minimax["reasons"].to_string();
    assert!(reasons.contains("MINIMAX_CODING_API_KEY"), "{reasons}");
    assert!(!reasons.contains("MINIMAX_CODE_PLAN_KEY"), "{reasons}");

    let old = npm_global("2026.4.5", manifest);
    let s = status_on_path(&f, old.path());
    assert_eq!(s["openclawVersion"], "2026.4.5");
    assert_eq!(s["generation"], "json");
    assert!(!s["problems"].to_string().contains("migration_required"));
    assert_eq!(cell(&s, "xai")["usable"], true);

    // No openclaw on PATH: the asset's 2026.9.6 order (MINIMAX_CODE_PLAN_KEY first).
    let mut g = Fixture::new();
    g.config(r#"{ agents: { ownership: "explicit", entries: { main: {} } } }"#);
    g.set_env("MINIMAX_CODE_PLAN_KEY", "sk-plan");
    g.set_env("MINIMAX_CODING_API_KEY", "sk-coding");
    agent_db(
        &g.agent_dir("main").join("openclaw-agent.sqlite"),
        json!({"version": 1, "profiles": {}}),
        None,
    );
    let out = clawauth(&g, &["status", "--json"], "");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["generation"], "sqlite", "{s:#}");
    assert!(
        cell(&s, "minimax")["reasons"]
            .to_string()
            .contains("MINIMAX_CODE_PLAN_KEY")
    );
}
