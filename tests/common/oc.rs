//! Running the real OpenClaw (provisioned from npm by tests/interop/run.sh), offline.
#![allow(dead_code)]

use super::*;
use clawauth::domain::read::discovery::{DiscoverOptions, discover};
use clawauth::domain::read::paths::PathOverrides;
use clawauth::domain::read::version::Version;
use clawauth::domain::status::report::{Report, build_report};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const V45: &str = "2026.4.5";
pub const V96: &str = "2026.9.6";

pub fn run_sh() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/run.sh")
}

/// `run.sh VERSION` in a clean environment: PATH, the fixture's HOME, state dir and env,
/// NO_COLOR; output piped.
pub fn openclaw_command(version: &str, f: &Fixture) -> Command {
    let mut cmd = Command::new(run_sh());
    cmd.env_clear()
        .env("PATH", host_path())
        .env("HOME", &f.home)
        .env("OPENCLAW_STATE_DIR", &f.state)
        .env("NO_COLOR", "1")
        .arg(version)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &f.env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs `run.sh VERSION args…` with the fixture's HOME/state dir and env, stdin piped in.
pub fn openclaw(version: &str, f: &Fixture, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut cmd = openclaw_command(version, f);
    cmd.args(args).stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("run tests/interop/run.sh");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if stderr.lines().any(|l| l.starts_with("unshare: ")) {
        panic!(
            "this test runs OpenClaw offline under `unshare -rn` (user namespaces; CI runs as root), which failed here:\n{stderr}"
        );
    }
    if code == 75 {
        panic!(
            "cannot provision OpenClaw {version} from npm (is the npm registry reachable?):\n{stderr}"
        );
    }
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// The real CLI, which must succeed (used to produce 2026.9.6 states).
pub fn cli_ok(version: &str, f: &Fixture, args: &[&str], stdin: &str) {
    let mut full = vec!["cli"];
    full.extend_from_slice(args);
    let (code, out, err) = openclaw(version, f, &full, stdin);
    assert_eq!(code, 0, "openclaw {args:?} failed:\n{out}\n{err}");
}

pub fn report_for(version: &str, f: &Fixture) -> Report {
    let options = DiscoverOptions {
        paths: PathOverrides {
            state_dir: Some(f.state.clone()),
            ..Default::default()
        },
        executable_version: Some((Version::parse(version).unwrap(), PathBuf::from("openclaw"))),
        now_ms: now_ms(),
    };
    build_report(&discover(&options, &f.env_snapshot()).unwrap())
}

/// OpenClaw's runtime resolver, on a copy of the state: like a real run it may write
/// (2026.4 copies main's store into agent dirs on first load), and that must not change
/// the fixture.
pub fn resolver(version: &str, f: &Fixture, agents: &[String], providers: &[String]) -> Value {
    // 2026.9 materialises SecretRefs of auth profiles only in a runtime secrets snapshot
    // (gateway, `agent --local`): states with `secrets.providers` are resolved that way.
    let config = std::fs::read_to_string(f.state.join("openclaw.json")).unwrap_or_default();
    let secrets = if version == V96 && config.contains("\"secrets\"") {
        "gateway"
    } else {
        "none"
    };
    let models = run_models(version, f, agents, providers);
    let input = json!({"agents": agents, "providers": providers, "secrets": secrets,
        "models": models})
    .to_string();
    let copy = copy_fixture(f);
    let (code, out, err) = openclaw(version, &copy, &["resolve"], &input);
    assert_eq!(code, 0, "resolver failed:\n{err}");
    serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("resolver output is not JSON ({e}):\n{out}\n{err}"))
}

/// A model other than any a fixture records, for agents that run none of a provider's models.
pub const OTHER_MODEL: &str = "clawauth-another-model";

/// The model id each agent's run passes to the runner's cooldown check, per provider
/// (the agent's first model on that provider, else another model): resolve.mjs `models`.
pub fn run_models(version: &str, f: &Fixture, agents: &[String], providers: &[String]) -> Value {
    let options = DiscoverOptions {
        paths: PathOverrides {
            state_dir: Some(f.state.clone()),
            ..Default::default()
        },
        executable_version: Some((Version::parse(version).unwrap(), PathBuf::from("openclaw"))),
        now_ms: now_ms(),
    };
    let Ok(d) = discover(&options, &f.env_snapshot()) else {
        return json!({});
    };
    let ctx = clawauth::domain::status::cell::Ctx::new(&d);
    let per_agent = |a: &String| -> Value {
        providers
            .iter()
            .map(|p| {
                let m = clawauth::domain::status::usage::run_model(&ctx, a, p);
                (p.clone(), json!(m.unwrap_or_else(|| OTHER_MODEL.into())))
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    agents
        .iter()
        .map(|a| (a.clone(), per_agent(a)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// `models status --json --agent X`, on a copy of the state (2026.4 writes copies into agent dirs).
pub fn models_status(version: &str, f: &Fixture, agent: &str) -> Option<Value> {
    let copy = copy_fixture(f);
    let (code, out, _) = openclaw(
        version,
        &copy,
        &["cli-json", "models", "status", "--json", "--agent", agent],
        "",
    );
    (code == 0)
        .then(|| serde_json::from_str(&out).ok())
        .flatten()
}

/// A copy of the fixture's state dir and HOME, with env values pointing into the copy.
pub fn copy_fixture(f: &Fixture) -> Fixture {
    let mut copy = Fixture::new();
    copy_dir(&f.state, &copy.state);
    copy_dir(&f.home, &copy.home);
    let (old_state, new_state) = (
        f.state.display().to_string(),
        copy.state.display().to_string(),
    );
    copy.env = f
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.replace(&old_state, &new_state)))
        .collect();
    copy
}
/// `openclaw models auth <kind> --provider P --agent A [--profile-id ID] EXTRA…`, secret on stdin.
pub fn paste(
    f: &Fixture,
    kind: &str,
    provider: &str,
    agent: &str,
    profile_id: Option<&str>,
    secret: &str,
    extra: &[&str],
) {
    let mut args = vec![
        "models",
        "auth",
        kind,
        "--provider",
        provider,
        "--agent",
        agent,
    ];
    if let Some(id) = profile_id {
        args.extend(["--profile-id", id]);
    }
    args.extend_from_slice(extra);
    cli_ok(V96, f, &args, &format!("{secret}\n"));
}

/// Edits 2026.9's shared store rows (`authProfiles.store` / `authProfiles.state` of
/// `state/openclaw.sqlite`), as a user or another tool would: `edit(store, state)`.
pub fn edit_shared96(f: &Fixture, edit: impl FnOnce(&mut Value, &mut Value)) {
    let conn = rusqlite::Connection::open(f.state.join("state/openclaw.sqlite")).unwrap();
    let read = |key: &str, default: Value| -> Value {
        conn.query_row(
            "SELECT value_json FROM config_machine_state WHERE state_key = ?1",
            [key],
            |r| r.get::<_, String>(0),
        )
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(default)
    };
    let mut store = read("authProfiles.store", json!({"version": 1, "profiles": {}}));
    let mut state = read("authProfiles.state", json!({"version": 1}));
    edit(&mut store, &mut state);
    for (key, v) in [
        ("authProfiles.store", &store),
        ("authProfiles.state", &state),
    ] {
        conn.execute(
            "INSERT OR REPLACE INTO config_machine_state(state_key, value_json, updated_at_ms) VALUES (?1, ?2, 0)",
            rusqlite::params![key, v.to_string()],
        )
        .unwrap();
    }
}

/// Edits an agent's own 2026.9 store rows (`openclaw-agent.sqlite`, row `primary`).
pub fn edit_agent96(f: &Fixture, agent: &str, edit: impl FnOnce(&mut Value, &mut Value)) {
    let conn =
        rusqlite::Connection::open(f.agent_dir(agent).join("openclaw-agent.sqlite")).unwrap();
    let read = |table: &str, col: &str, keycol: &str, default: Value| -> Value {
        conn.query_row(
            &format!("SELECT {col} FROM {table} WHERE {keycol} = 'primary'"),
            [],
            |r| r.get::<_, String>(0),
        )
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(default)
    };
    let mut store = read(
        "auth_profile_store",
        "store_json",
        "store_key",
        json!({"version": 1, "profiles": {}}),
    );
    let mut state = read(
        "auth_profile_state",
        "state_json",
        "state_key",
        json!({"version": 1}),
    );
    edit(&mut store, &mut state);
    conn.execute(
        "INSERT OR REPLACE INTO auth_profile_store(store_key, store_json, updated_at) VALUES ('primary', ?1, 0)",
        [store.to_string()],
    )
    .unwrap();
    conn.execute(
        "INSERT OR REPLACE INTO auth_profile_state(state_key, state_json, updated_at) VALUES ('primary', ?1, 0)",
        [state.to_string()],
    )
    .unwrap();
}

pub fn order_set(f: &Fixture, agent: &str, provider: &str, ids: &[&str]) {
    let mut args = vec![
        "models",
        "auth",
        "order",
        "set",
        "--provider",
        provider,
        "--agent",
        agent,
    ];
    args.extend_from_slice(ids);
    cli_ok(V96, f, &args, "");
}

/// Two shared xai tokens written by the CLI.
pub fn two_shared_xai(cfg: &str) -> Fixture {
    let f = Fixture::new();
    f.config(cfg);
    paste(&f, "paste-token", "xai", "main", Some("xai:a"), "sk-a", &[]);
    paste(&f, "paste-token", "xai", "main", Some("xai:b"), "sk-b", &[]);
    f
}

pub fn set_usage(f: &Fixture, usage: Value) {
    edit_shared96(f, |_, state| state["usageStats"] = usage);
}

/// openclaw.json as JSON, edited, written back.
pub fn edit_config(f: &Fixture, edit: impl FnOnce(&mut Value)) {
    let text = std::fs::read_to_string(f.state.join("openclaw.json")).unwrap();
    let mut cfg: Value = json5::from_str(&text).unwrap();
    edit(&mut cfg);
    f.config(&cfg.to_string());
}

/// A Claude CLI login in the fixture's HOME (`~/.claude/.credentials.json`, mode 0600),
/// valid for three days, as the `claude` program writes it.
pub fn claude_cli_login(f: &Fixture) {
    let dir = f.home.join(".claude");
    std::fs::create_dir_all(&dir).unwrap();
    let login = json!({"claudeAiOauth": {"accessToken": "sk-ant-oat01-cli-login",
        "refreshToken": "sk-ant-ort01-cli-login", "expiresAt": now_ms() as i64 + 3 * 86_400_000,
        "scopes": ["user:inference"], "subscriptionType": "max"}});
    let path = dir.join(".credentials.json");
    std::fs::write(&path, login.to_string()).unwrap();
    set_mode(&path, 0o600);
}

/// The login gives cells (rows) that the runtime resolver does not serve; clawauth says why.
pub fn assert_cli_login_is_not_a_key(version: &str, f: &Fixture, providers: &[&str], words: &str) {
    let report = report_for(version, f);
    for p in providers {
        let c = report
            .cells
            .iter()
            .find(|c| c.agent == "main" && c.provider == *p)
            .unwrap_or_else(|| panic!("no row for {p}"));
        assert!(!c.usable, "{p}: {c:?}");
        assert!(
            c.reasons
                .iter()
                .any(|r| r.contains("a Claude CLI login exists") && r.contains(words)),
            "{p}: {:?}",
            c.reasons
        );
    }
}

/// This process's PATH (where OpenClaw's `node` is found).
pub fn host_path() -> String {
    std::env::var("PATH").unwrap_or_default()
}
