//! Writes checked by the real OpenClaw: after `set`, `copy`, `rotate` and `repair`,
//! OpenClaw's own runtime resolver and `models status` see the profile that was written
//! (2026.4.5 for the JSON store, 2026.9.6 for SQLite, where clawauth drives OpenClaw's CLI).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::oc::*;
use common::*;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn resolved(version: &str, f: &Fixture, agent: &str, provider: &str) -> Value {
    resolver(version, f, &[agent.to_string()], &[provider.to_string()])[agent][provider].clone()
}

/// `models status` sees the provider through a profile whose label names `profile`.
fn status_shows_profile(
    version: &str,
    f: &Fixture,
    agent: &str,
    provider: &str,
    profile: &str,
) -> bool {
    let Some(status) = models_status(version, f, agent) else {
        return false;
    };
    status["auth"]["providers"].as_array().is_some_and(|ps| {
        ps.iter().any(|p| {
            p["provider"] == provider
                && p["effective"]["kind"] == "profiles"
                && p["profiles"]["labels"].as_array().is_some_and(|l| {
                    l.iter()
                        .any(|x| x.as_str().is_some_and(|s| s.starts_with(profile)))
                })
        })
    })
}

const FOUNDING45: &str = r#"{ agents: { list: [ { id: "assistant", default: true }, { id: "cronbot" } ] },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
  auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#;

#[test]
fn v45_founding_scenario_fixed_by_set_and_openclaw_agrees() {
    let f = Fixture::new();
    f.config(FOUNDING45);
    f.store(
        "assistant",
        store_of(&[("my-proxy:manual", token("my-proxy", "sk-assistant", None))]),
    );
    let secret = "sk-proxy-cron-token-0123456789";
    let o = clawauth_with(
        &f,
        &[
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "token",
            "--agent",
            "cronbot",
            "--secret-stdin",
        ],
        secret,
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r = resolved(V45, &f, "cronbot", "my-proxy");
    assert_eq!(r["source"], "profile:my-proxy:manual", "{r}");
    assert_eq!(r["keyHash"], sha12(secret));
    assert!(status_shows_profile(
        V45,
        &f,
        "cronbot",
        "my-proxy",
        "my-proxy:manual"
    ));
}

#[test]
fn v45_copy_rotate_and_repair_are_seen_by_openclaw() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" }, { id: "reporter" } ] } }"#);
    f.store(
        "reporter",
        store_of(&[
            ("openrouter:rep", api_key("openrouter", "sk-or-1")),
            (
                "xai:broken",
                json!({"type": "api-key", "provider": "xai", "key": "sk-xai"}),
            ),
        ]),
    );
    let o = clawauth_with(
        &f,
        &[
            "copy",
            "--from",
            "reporter",
            "--to",
            "cronbot",
            "--provider",
            "openrouter",
        ],
        "",
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        resolved(V45, &f, "cronbot", "openrouter")["source"],
        "profile:openrouter:rep"
    );
    let o = clawauth_with(
        &f,
        &["rotate", "--provider", "openrouter", "--secret-stdin"],
        "sk-or-rotated",
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for agent in ["cronbot", "reporter"] {
        assert_eq!(
            resolved(V45, &f, agent, "openrouter")["keyHash"],
            sha12("sk-or-rotated"),
            "{agent}"
        );
    }
    assert!(
        !resolved(V45, &f, "reporter", "xai")["usable"]
            .as_bool()
            .unwrap()
    );
    let o = clawauth_with(
        &f,
        &["repair", "--yes", "--agent", "reporter"],
        "",
        &host_path(),
    );
    assert!(matches!(o.status.code(), Some(0)), "{}", text(&o));
    assert_eq!(
        resolved(V45, &f, "reporter", "xai")["source"],
        "profile:xai:broken"
    );
    assert!(status_shows_profile(
        V45,
        &f,
        "reporter",
        "xai",
        "xai:broken"
    ));
}

#[test]
fn v45_concurrent_clawauth_and_openclaw_lock_writers_lose_nothing() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true } ] } }"#);
    let mut base = store_of(&[
        ("seed:a", api_key("seed", "a")),
        ("seed:b", api_key("seed", "b")),
    ]);
    base["usageStats"] = json!({});
    f.store("main", base);
    let openclaw: Vec<_> = (0..3)
        .map(|i| {
            let order = if i % 2 == 0 { "seed:a" } else { "seed:b" };
            let ids = vec![
                "cli".to_string(),
                "models".into(),
                "auth".into(),
                "order".into(),
                "set".into(),
                "--provider".into(),
                "seed".into(),
                order.into(),
            ];
            spawn_openclaw(V45, &f, ids)
        })
        .collect();
    let ours: Vec<_> = (0..20)
        .map(|i| {
            let provider = format!("p{i}");
            let args = [
                "set",
                "--provider",
                &provider,
                "--new-provider",
                "--type",
                "api_key",
                "--agent",
                "main",
                "--secret-stdin",
                "--json",
            ];
            let c = spawn_clawauth(&f, &args, &format!("sk-{i}"), "/usr/bin:/bin");
            std::thread::sleep(std::time::Duration::from_millis(300));
            c
        })
        .collect();
    for c in ours {
        let o = c.wait_with_output().unwrap();
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
        assert_eq!(v["result"]["errors"], json!([]), "{v}");
    }
    for c in openclaw {
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "openclaw order set failed: {}",
            text(&o)
        );
    }
    let store: Value = serde_json::from_str(
        &std::fs::read_to_string(f.agent_dir("main").join("auth-profiles.json")).unwrap(),
    )
    .unwrap();
    let profiles = store["profiles"].as_object().unwrap();
    for i in 0..20 {
        assert!(
            profiles.contains_key(&format!("p{i}:default")),
            "p{i} lost: {store}"
        );
    }
    assert!(profiles.contains_key("seed:a") && profiles.contains_key("seed:b"));
    assert!(
        store["order"]["seed"]
            .as_array()
            .is_some_and(|o| o.len() == 1),
        "OpenClaw's order write kept: {store}"
    );
}

fn spawn_openclaw(version: &str, f: &Fixture, args: Vec<String>) -> std::process::Child {
    let mut cmd = openclaw_command(version, f);
    cmd.args(args).stdin(Stdio::null()).spawn().unwrap()
}

// ---------- 2026.9.6: clawauth writes through the real OpenClaw CLI ----------

const CFG96: &str = r#"{ agents: { ownership: "explicit",
    defaults: { model: { primary: "my-proxy/m" }, systemAgent: { agentId: "main" } },
    entries: { main: {}, cronbot: {}, reporter: {} } },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } } }"#;

/// A wrapper that runs the provisioned OpenClaw offline and logs its argv.
fn openclaw_wrapper(f: &Fixture) -> (PathBuf, PathBuf) {
    let log = f.home.join("openclaw-argv.log");
    let path = f.home.join("openclaw");
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{}' {V96} cli \"$@\"\n",
        log.display(),
        run_sh().display()
    );
    std::fs::write(&path, script).unwrap();
    set_mode(&path, 0o755);
    (path, log)
}

#[test]
fn v96_set_copy_rotate_through_openclaw_cli() {
    let f = Fixture::new();
    f.config(CFG96);
    let (exe, argv_log) = openclaw_wrapper(&f);
    let exe = exe.to_str().unwrap();
    let secret = "sk-proxy-sqlite-SECRET-42";
    let o = clawauth_with(
        &f,
        &[
            "--openclaw",
            exe,
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "api_key",
            "--agent",
            "cronbot",
            "--secret-stdin",
        ],
        secret,
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("verified: cronbot × my-proxy is usable"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains(secret));
    assert!(
        f.agent_dir("cronbot")
            .join("openclaw-agent.sqlite")
            .exists()
    );
    assert!(
        !f.agent_dir("cronbot").join("auth-profiles.json").exists(),
        "never a JSON file beside SQLite"
    );
    let r = resolved(V96, &f, "cronbot", "my-proxy");
    assert_eq!(r["source"], "profile:my-proxy:default", "{r}");
    assert_eq!(r["keyHash"], sha12(secret));
    assert!(
        !resolved(V96, &f, "main", "my-proxy")["usable"]
            .as_bool()
            .unwrap(),
        "a write for cronbot leaves main alone"
    );
    assert!(status_shows_profile(
        V96,
        &f,
        "cronbot",
        "my-proxy",
        "my-proxy:default"
    ));

    let o = clawauth_with(
        &f,
        &[
            "--openclaw",
            exe,
            "copy",
            "--from",
            "cronbot",
            "--to",
            "reporter",
        ],
        "",
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        resolved(V96, &f, "reporter", "my-proxy")["keyHash"],
        sha12(secret)
    );

    let o = clawauth_with(
        &f,
        &[
            "--openclaw",
            exe,
            "rotate",
            "--provider",
            "my-proxy",
            "--secret-stdin",
        ],
        "sk-rotated-99",
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for agent in ["cronbot", "reporter"] {
        assert_eq!(
            resolved(V96, &f, agent, "my-proxy")["keyHash"],
            sha12("sk-rotated-99"),
            "{agent}"
        );
    }
    let argv = std::fs::read_to_string(argv_log).unwrap();
    assert!(argv.contains("paste-api-key"), "{argv}");
    assert!(
        !argv.contains(secret) && !argv.contains("sk-rotated-99"),
        "secrets never in argv: {argv}"
    );
}

#[test]
fn v96_without_openclaw_prints_the_commands_and_writes_nothing() {
    let f = Fixture::new();
    f.config(CFG96);
    // A SQLite store on disk marks the 2026.6+ generation.
    let wrapper = openclaw_wrapper(&f).0;
    let o = clawauth_with(
        &f,
        &[
            "--openclaw",
            wrapper.to_str().unwrap(),
            "set",
            "--provider",
            "xai",
            "--type",
            "api_key",
            "--agent",
            "main",
            "--secret-stdin",
        ],
        "sk-xai-1",
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mut no_exe = Fixture::new();
    copy_dir(&f.state, &no_exe.state);
    no_exe.env = vec![("PATH".into(), "/nonexistent".into())];
    let o = clawauth_with(
        &no_exe,
        &[
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "token",
            "--agent",
            "cronbot",
            "--secret-stdin",
        ],
        "sk-x-SECRET",
        &host_path(),
    );
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(text(&o).contains("printf '%s\\n' \"$SECRET\" | openclaw models auth paste-token --provider my-proxy --profile-id my-proxy:default --agent cronbot"), "{}", text(&o));
    assert!(!text(&o).contains("sk-x-SECRET"));
    assert!(
        !no_exe
            .agent_dir("cronbot")
            .join("openclaw-agent.sqlite")
            .exists()
    );
}

/// The sign-in command the UI hands the terminal to is one each OpenClaw accepts:
/// commander refuses an unknown option before anything else, and without a terminal
/// both versions then stop at their TTY check. 2026.4.5 has no `--agent` on `login`.
#[test]
fn the_sign_in_command_is_accepted_by_each_openclaw() {
    use clawauth::domain::read::version::Generation;
    use clawauth::tui::msg::ExternalCommand;
    let run = |version: &str, command: ExternalCommand| {
        let f = Fixture::new();
        f.config(
            r#"{ agents: { list: [ { id: "assistant", default: true }, { id: "cronbot" } ] } }"#,
        );
        let mut args = vec!["cli"];
        args.extend(command.args.iter().map(String::as_str));
        let (code, out, err) = openclaw(version, &f, &args, "");
        (code, format!("{out}{err}"))
    };
    let cases = [
        (
            V45,
            ExternalCommand::login("openai-codex", "cronbot", Generation::Json),
        ),
        (
            V96,
            ExternalCommand::login("openai", "cronbot", Generation::Sqlite),
        ),
    ];
    for (version, command) in cases {
        let shown = command.display();
        let (code, all) = run(version, command);
        assert!(
            !all.contains("unknown option"),
            "{version} `{shown}`: {all}"
        );
        assert!(
            all.contains("requires an interactive TTY"),
            "{version} `{shown}`: {all}"
        );
        assert_ne!(code, 0);
    }
    let with_agent = ExternalCommand::login("openai-codex", "cronbot", Generation::Sqlite);
    let (_, all) = run(V45, with_agent);
    assert!(all.contains("unknown option '--agent'"), "{all}");
}

/// `clawauth set --import codex` turns a Codex CLI login into a profile that OpenClaw
/// 2026.4.5's runtime resolver uses for openai-codex, with the login's access token.
#[test]
fn v45_an_imported_codex_login_is_used_by_openclaw() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true, model: "openai-codex/gpt-5.1-codex" } ] } }"#);
    let access = format!(
        "{}.{}.c2ln",
        b64url(br#"{"alg":"none"}"#),
        b64url(
            br#"{"exp":4102444800,"https://api.openai.com/auth":{"chatgpt_account_id":"acct-1"}}"#
        )
    );
    let login = json!({"tokens": {"access_token": access, "refresh_token": "rt-codex-1", "account_id": "acct-1"}});
    let codex = f.home.join("codex-login.json");
    std::fs::write(&codex, login.to_string()).unwrap();
    let args = [
        "set",
        "--provider",
        "openai-codex",
        "--type",
        "oauth",
        "--agent",
        "main",
        "--import",
        "codex",
        "--import-path",
        codex.to_str().unwrap(),
    ];
    let o = clawauth_with(&f, &args, "", &host_path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r = resolved(V45, &f, "main", "openai-codex");
    assert_eq!(r["source"], "profile:openai-codex:default", "{r}");
    assert_eq!(r["keyHash"], sha12(&access), "{r}");
}

/// `clawauth set --import claude` turns a Claude CLI login into an anthropic OAuth
/// profile that OpenClaw 2026.4.5's runtime resolver uses.
#[test]
fn v45_an_imported_claude_login_is_used_by_openclaw() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true, model: "anthropic/claude-sonnet-4-5" } ] } }"#);
    let access = "sk-ant-oat01-claude-login-access-0123456789";
    let login = json!({"claudeAiOauth": {
        "accessToken": access,
        "refreshToken": "sk-ant-ort01-claude-login-refresh",
        "expiresAt": 4_102_444_800_000_i64,
        "scopes": ["user:inference"],
        "subscriptionType": "max"
    }});
    let claude = f.home.join("claude-credentials.json");
    std::fs::write(&claude, login.to_string()).unwrap();
    let args = [
        "set",
        "--provider",
        "anthropic",
        "--type",
        "oauth",
        "--agent",
        "main",
        "--import",
        "claude",
        "--import-path",
        claude.to_str().unwrap(),
    ];
    let o = clawauth_with(&f, &args, "", &host_path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r = resolved(V45, &f, "main", "anthropic");
    assert_eq!(r["source"], "profile:anthropic:default", "{r}");
    assert_eq!(r["keyHash"], sha12(access), "{r}");
}

/// A gateway holding its lock, taken by OpenClaw's own lock code (both versions, each
/// in its place): `status` names it, a write plan warns about it, and once the lock is
/// released neither does.
#[test]
fn a_running_gateway_is_found_by_its_real_lock() {
    use std::io::{BufRead, BufReader};
    for version in [V45, V96] {
        let mut f = Fixture::new();
        f.config(r#"{ agents: { list: [ { id: "main", default: true } ] } }"#);
        let tmp = f.home.join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        f.set_env("TMPDIR", tmp.to_str().unwrap());
        let (_, paths, _) = openclaw(version, &f, &["paths"], "");
        let pkg = paths
            .lines()
            .find_map(|l| l.strip_prefix("OPENCLAW="))
            .map(|p| PathBuf::from(p).parent().unwrap().to_path_buf())
            .expect("run.sh paths names the package");
        let script = run_sh().parent().unwrap().join("gateway-lock.mjs");
        let mut holder = Command::new(run_sh())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &f.home)
            .env("TMPDIR", &tmp)
            .env("OPENCLAW_STATE_DIR", &f.state)
            .env("OPENCLAW_DIST", pkg.join("dist"))
            .args([version, "node", script.to_str().unwrap()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let pid: i64 = line
            .strip_prefix("LOCKED ")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{version}: the lock holder said {line:?}"));
        let status = clawauth_with(&f, &["status", "--json"], "", &host_path());
        let v: Value = serde_json::from_slice(&status.stdout).unwrap();
        assert_eq!(v["gateway"]["pid"], pid, "{version}: {}", v["gateway"]);
        let human = text(&clawauth_with(&f, &["status"], "", &host_path()));
        assert!(
            human.contains(&format!("gateway    running (pid {pid})")),
            "{version}: {human}"
        );
        let set = [
            "set",
            "--provider",
            "x",
            "--new-provider",
            "--type",
            "api_key",
            "--agent",
            "main",
            "--secret-stdin",
            "--dry-run",
        ];
        let plan = text(&clawauth_with(&f, &set, "sk-x-0123456789", &host_path()));
        let warning = format!("An OpenClaw gateway is running (pid {pid}");
        assert!(plan.contains(&warning), "{version}: {plan}");
        drop(holder.stdin.take());
        assert!(
            holder.wait().unwrap().success(),
            "{version}: the lock was released"
        );
        let status = clawauth_with(&f, &["status", "--json"], "", &host_path());
        let v: Value = serde_json::from_slice(&status.stdout).unwrap();
        assert_eq!(v["gateway"], Value::Null, "{version}");
        let plan = text(&clawauth_with(&f, &set, "sk-x-0123456789", &host_path()));
        assert!(
            plan.contains("No running OpenClaw gateway was found"),
            "{version}: {plan}"
        );
    }
}
