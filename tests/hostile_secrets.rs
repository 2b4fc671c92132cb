//! Secrets under failure: a marker secret is planted in every place a secret can live
//! (stores, OAuth logins, dropped entries, openclaw.json, models.json, the environment,
//! .env, stdin, secret files, an imported CLI login), then every command and every
//! failure path runs: refusals, injected disk faults, a crash, a lock timeout, an
//! OpenClaw CLI that echoes its input. The marker must never appear in any output,
//! and neither in the `Debug` output of the domain's types.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod hostile_support;

use clawauth::domain::read::envsnap::EnvSnapshot;
use common::*;
use hostile_support::*;
use serde_json::json;
use std::path::Path;

fn m(suffix: &str) -> String {
    format!("{MARKER}-{suffix}")
}

/// A state with the marker everywhere a secret can be.
fn marked() -> Fixture {
    let mut f = Fixture::new();
    f.config(&format!(
        r#"{{
  agents: {{ list: [ {{ id: "main", default: true, model: "p/m" }}, {{ id: "cronbot", model: "my-proxy/m" }} ] }},
  models: {{ providers: {{
    "my-proxy": {{ baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", apiKey: "{}", models: [ {{ id: "m", name: "m" }} ] }},
    p: {{ baseUrl: "https://p.invalid/v1", api: "openai-completions", models: [ {{ id: "m", name: "m" }} ] }},
  }} }},
  auth: {{ profiles: {{ "x:1": {{ provider: "x", mode: "api_key", key: "{}" }} }} }},
  env: {{ vars: {{ CFG_VAR: "{}" }} }},
}}"#,
        m("config-apikey"),
        m("config-profile"),
        m("config-env")
    ));
    f.store(
        "main",
        json!({"version": 1, "profiles": {
            "p:key": {"type": "api_key", "provider": "p", "key": m("main-key")},
            "p:tok": {"type": "token", "provider": "p", "token": m("main-token"), "expires": "2026-12-31"},
            "p:secs": {"type": "token", "provider": "p", "token": m("main-secs"), "expires": 1_767_225_600},
            "o:me": {"type": "oauth", "provider": "o", "access": m("access"), "refresh": m("refresh"), "expires": 1_600_000_000_000_i64},
            "o:ref": {"type": "oauth", "provider": "o", "access": m("oauth-with-ref"), "keyRef": {"source": "env", "provider": "default", "id": "MY_VAR"}},
            "d:drop": {"type": "api-key", "provider": "d", "key": m("dropped")},
            "d:noprov": {"type": "api_key", "key": m("no-provider")},
            "d:cmd": {"type": "api_key", "provider": "d", "key": format!("export D_KEY={}", m("pasted"))},
            "d:ws": {"type": "api_key", "provider": "d", "key": format!("  {}\n", m("whitespace"))},
            "d:nonobj": m("non-object"),
        }, "order": {"p": ["p:key", "p:gone"]}}),
    );
    f.store(
        "cronbot",
        store_of(&[("p:key", api_key("p", &m("cronbot-shadow")))]),
    );
    f.write(
        "agents/main/agent/models.json",
        &json!({"providers": {"q": {"baseUrl": "https://q.invalid", "apiKey": m("models-json")}}})
            .to_string(),
    );
    f.write(
        "agents/main/agent/auth.json",
        &json!({"legacy": {"type": "api_key", "key": m("legacy-auth-json")}}).to_string(),
    );
    f.write("credentials/oauth.json", &json!({"anthropic": {"access": m("oauth-file-access"), "refresh": m("oauth-file-refresh"), "expires": 1}}).to_string());
    f.write(
        ".env",
        &format!(
            "ANTHROPIC_API_KEY={}\nexport QUOTED='{}'\n",
            m("dotenv"),
            m("dotenv-quoted")
        ),
    );
    f.write("cron/jobs.json", r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","payload":{"kind":"agentTurn","model":"my-proxy/m"}}]}"#);
    f.set_env("OPENROUTER_API_KEY", &m("env-openrouter"));
    f.set_env("MY_VAR", &m("env-ref"));
    f
}

struct Harness<'a> {
    f: &'a Fixture,
    checked: usize,
}

impl Harness<'_> {
    /// Runs clawauth on the fixture; panics if the marker shows up anywhere in the output.
    fn run(&mut self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let mut inv = Invocation::on(self.f, args).stdin(stdin);
        for (k, v) in env {
            inv = inv.env(k, v);
        }
        let r = run(&inv);
        assert!(!r.hung, "{}", r.describe());
        assert!(
            !r.all().contains(MARKER),
            "a planted secret leaked:\n{}",
            r.describe()
        );
        self.checked += 1;
        r
    }
}

#[test]
fn no_command_and_no_failure_path_prints_a_secret() {
    let f = marked();
    let mut h = Harness { f: &f, checked: 0 };
    // Reading: every command, both output formats.
    for args in [
        vec!["status"],
        vec!["status", "--json"],
        vec!["status", "--check"],
        vec!["status", "--agent", "cronbot", "--provider", "p"],
        vec!["validate"],
        vec!["validate", "--json"],
        vec!["repair", "--dry-run"],
        vec!["repair", "--dry-run", "--json"],
        vec![
            "copy",
            "--from",
            "main",
            "--to",
            "cronbot",
            "--include-oauth",
            "--on-conflict",
            "overwrite",
            "--dry-run",
        ],
        vec![
            "copy",
            "--from",
            "main",
            "--to",
            "cronbot",
            "--include-oauth",
            "--on-conflict",
            "rename",
            "--dry-run",
            "--json",
        ],
        vec!["status", "--agent", "nobody"],
        vec![],
        vec!["--profile", "bad/name", "status"],
    ] {
        let r = h.run(&args, "", &[]);
        r.assert_sane();
    }
    // Writing, from every secret source, and the refusals of bad secrets.
    let set = |t: &'static str| vec!["set", "--provider", "p", "--type", t, "--agent", "cronbot"];
    let secret_file = f.home.join("secret.txt");
    std::fs::write(&secret_file, format!("{}\n", m("file"))).unwrap();
    let oauth_file = f.home.join("oauth.json");
    std::fs::write(&oauth_file, json!({"access": m("oauth-json-access"), "refresh": m("oauth-json-refresh"), "expires": 4_102_444_800_000_i64}).to_string()).unwrap();
    let jwt = format!(
        "{}.{}.{}",
        b64url(b"{\"alg\":\"none\"}"),
        b64url(br#"{"exp":4102444800}"#),
        m("jwt-sig")
    );
    let codex = f.home.join("codex-auth.json");
    std::fs::write(&codex, json!({"tokens": {"access_token": jwt, "refresh_token": m("codex-refresh"), "account_id": "acct"}}).to_string()).unwrap();
    let long = m("long").repeat(3000);
    let cases: Vec<(Vec<String>, String, i32)> = vec![
        (
            [
                set("api_key"),
                vec!["--profile-id", "p:new", "--secret-stdin", "--dry-run"],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            m("stdin-dry"),
            0,
        ),
        (
            [
                set("token"),
                vec![
                    "--profile-id",
                    "p:new",
                    "--secret-stdin",
                    "--expires-in",
                    "30d",
                ],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            m("stdin"),
            0,
        ),
        (
            [
                set("token"),
                vec!["--profile-id", "p:new", "--secret-stdin"],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            m("different"),
            4,
        ),
        (
            [
                set("api_key"),
                vec!["--secret-env", "MY_VAR", "--profile-id", "p:env"],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            String::new(),
            0,
        ),
        (
            [
                set("api_key"),
                vec![
                    "--secret-file",
                    secret_file.to_str().unwrap(),
                    "--profile-id",
                    "p:file",
                ],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            String::new(),
            0,
        ),
        (
            [
                set("oauth"),
                vec![
                    "--oauth-json-file",
                    oauth_file.to_str().unwrap(),
                    "--profile-id",
                    "p:oauth",
                ],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            String::new(),
            0,
        ),
        (
            [
                set("oauth"),
                vec![
                    "--import",
                    "codex",
                    "--import-path",
                    codex.to_str().unwrap(),
                    "--profile-id",
                    "p:codex",
                ],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            String::new(),
            0,
        ),
        // Refused inputs: each message explains without echoing the value.
        (
            [set("api_key"), vec!["--secret-stdin"]]
                .concat()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            format!("{}\n{}", m("line1"), m("line2")),
            4,
        ),
        (
            [set("api_key"), vec!["--secret-stdin"]]
                .concat()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            format!("export KEY={}", m("cmd")),
            4,
        ),
        (
            [set("api_key"), vec!["--secret-stdin"]]
                .concat()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            long.clone(),
            4,
        ),
        (
            [set("oauth"), vec!["--oauth-json-stdin"]]
                .concat()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            format!("{{\"access\": \"{}\", \"refresh\": ", m("half-json")),
            4,
        ),
        (
            [set("oauth"), vec!["--oauth-json-stdin"]]
                .concat()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            json!({"access": m("no-refresh")}).to_string(),
            4,
        ),
        (
            [set("oauth"), vec!["--oauth-json-stdin"]]
                .concat()
                .iter()
                .map(|s| s.to_string())
                .collect(),
            json!({"access": m("a"), "refresh": m("r"), "expires": m("not-a-number")}).to_string(),
            4,
        ),
        // Usage errors (exit 64) do not echo secrets either.
        (
            [
                set("api_key"),
                vec![
                    "--secret-file",
                    oauth_file.to_str().unwrap(),
                    "--type",
                    "token",
                ],
            ]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
            String::new(),
            64,
        ),
        (
            ["rotate", "--provider", "p", "--secret-stdin"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            m("rotated"),
            0,
        ),
        (
            [
                "rotate",
                "--provider",
                "p",
                "--secret-stdin",
                "--dry-run",
                "--json",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            m("rotated-dry"),
            0,
        ),
        (
            [
                "copy",
                "--from",
                "main",
                "--to",
                "cronbot",
                "--include-oauth",
                "--on-conflict",
                "rename",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            String::new(),
            0,
        ),
        (
            ["repair", "--yes"].iter().map(|s| s.to_string()).collect(),
            String::new(),
            0,
        ),
    ];
    for (args, stdin, want) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = h.run(&args, stdin, &[]);
        r.assert_sane();
        assert!(
            r.code == Some(*want) || (*want == 0 && r.code == Some(1)),
            "want exit {want}: {}",
            r.describe()
        );
    }
    // Faults while writing: injected ENOSPC and rename failure, a crash, a lock timeout.
    let fault_set = [
        set("api_key"),
        vec!["--secret-stdin", "--profile-id", "p:fault"],
    ]
    .concat();
    for fault in [
        "enospc",
        "rename",
        "abort-before-rename",
        "panic-before-rename",
    ] {
        let r = h.run(&fault_set, &m(fault), &[("CLAWAUTH_TEST_FAULT", fault)]);
        assert_ne!(r.code, Some(0), "{}", r.describe());
    }
    let lock = f.agent_dir("cronbot").join("auth-profiles.json.lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::write(
        &lock,
        format!("{{\"pid\": 1, \"createdAt\": \"{}\"}}", iso_now()),
    )
    .unwrap();
    let r = h.run(
        &[fault_set.clone(), vec!["--lock-timeout", "1"]].concat(),
        &m("locked"),
        &[],
    );
    assert_eq!(r.code, Some(5), "{}", r.describe());
    std::fs::remove_file(&lock).unwrap();
    // Broken files that hold secrets: the parse errors name the place, never the content.
    let store = f.agent_dir("main").join("auth-profiles.json");
    let config = f.state.join("openclaw.json");
    let good_store = std::fs::read(&store).unwrap();
    let good_config = std::fs::read(&config).unwrap();
    for (path, text) in [
        (
            &store,
            format!(
                "{{\"version\":1,\"profiles\":{{\"p:key\":{{\"key\":\"{}",
                m("truncated")
            ),
        ),
        (
            &store,
            format!(
                "{{\"version\":1,\"profiles\":{{\"p:key\":{{\"key\":\"{}\\q\"}}}}}}",
                m("bad-escape")
            ),
        ),
        (
            &store,
            format!(
                "{{\"version\":1,\"profiles\":{{\"p:key\":{{\"key\":{}}}}}}}",
                m("unquoted")
            ),
        ),
        (
            &config,
            format!(
                "{{ models: {{ providers: {{ x: {{ apiKey: \"{}",
                m("cfg-truncated")
            ),
        ),
        (
            &config,
            format!(
                "{{ models: {{ providers: {{ x: {{ apiKey: {} }} }} }} }}",
                m("cfg-unquoted")
            ),
        ),
        (
            &config,
            format!("{{ a: \"{}\\u12\" }}", m("cfg-bad-escape")),
        ),
    ] {
        std::fs::write(path, &text).unwrap();
        for args in [vec!["status"], vec!["validate", "--json"], set("api_key")] {
            let mut args = args;
            if args[0] == "set" {
                args.push("--secret-stdin");
            }
            let r = h.run(&args, &m("while-broken"), &[]);
            r.assert_sane();
        }
        std::fs::write(&store, &good_store).unwrap();
        std::fs::write(&config, &good_config).unwrap();
    }
    assert!(h.checked > 40, "{} runs", h.checked);
}

fn iso_now() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%S.000Z"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A fake `openclaw` 2026.9.6 whose paste command fails and prints the secret it read
/// on stdin (as a careless CLI might) on both stdout and stderr.
fn echoing_openclaw(dir: &Path) -> std::path::PathBuf {
    let exe = dir.join("openclaw");
    std::fs::write(
        &exe,
        "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo 'OpenClaw 2026.9.6'; exit 0; fi\nread -r secret\necho \"stored $secret\"\necho \"error: provider rejected key $secret (args: $*)\" >&2\nexit 3\n",
    )
    .unwrap();
    set_mode(&exe, 0o755);
    exe
}

#[test]
fn an_openclaw_command_that_echoes_the_secret_is_scrubbed() {
    let f = marked();
    let exe = echoing_openclaw(&f.home);
    // OpenClaw 2026.9 keeps main's profiles in SQLite; rotate pipes the new secret to it.
    let db = f.agent_dir("main").join("openclaw-agent.sqlite");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL);")
        .unwrap();
    let doc = store_of(&[("p:key", api_key("p", &m("in-sqlite")))]);
    c.execute(
        "INSERT INTO auth_profile_store VALUES ('primary', ?1, 0)",
        [doc.to_string()],
    )
    .unwrap();
    drop(c);
    let mut h = Harness { f: &f, checked: 0 };
    let openclaw = exe.to_str().unwrap();
    for args in [
        vec![
            "--openclaw",
            openclaw,
            "set",
            "--provider",
            "p",
            "--type",
            "api_key",
            "--agent",
            "cronbot",
            "--secret-stdin",
            "--profile-id",
            "p:new",
        ],
        vec![
            "--openclaw",
            openclaw,
            "rotate",
            "--provider",
            "p",
            "--secret-stdin",
        ],
    ] {
        let r = h.run(&args, &m("to-openclaw"), &[]);
        r.assert_sane();
        assert_eq!(r.code, Some(5), "{}", r.describe());
        assert!(
            r.all().contains("«redacted»"),
            "the failure is shown, scrubbed: {}",
            r.describe()
        );
    }
}

#[test]
fn debug_output_of_the_domain_never_shows_a_secret() {
    use clawauth::domain::ops::rotate::{RotateRequest, plan_rotate};
    use clawauth::domain::ops::secret::Secret;
    use clawauth::domain::ops::set::{Material, SetRequest, plan_set};
    use clawauth::domain::ops::targets::Targets;
    use clawauth::domain::read::profile::CredType;
    let f = marked();
    let d = f.discovery();
    // The fixture really holds the secrets these views must hide.
    let main = &d.dir_stores(d.main_dir()).unwrap().primary;
    assert_eq!(
        main.profiles["p:key"].key.as_deref(),
        Some(m("main-key").as_str())
    );
    assert_eq!(
        d.env.get("OPENROUTER_API_KEY"),
        Some(m("env-openrouter").as_str())
    );
    let mut views = vec![
        ("Discovery", format!("{d:?}")),
        ("Discovery (pretty)", format!("{d:#?}")),
        ("Store", format!("{main:?}")),
        ("Profile", format!("{:?}", main.profiles["o:me"])),
        ("LoadedConfig", format!("{:?}", d.config)),
        ("EnvSnapshot", format!("{:?}", d.env)),
        (
            "EnvSnapshot from the process",
            format!("{:?}", EnvSnapshot::from_pairs([("K", m("process"))])),
        ),
        (
            "Report",
            format!("{:?}", clawauth::domain::status::report::build_report(&d)),
        ),
    ];
    let secret = Secret::new(m("plan"));
    let set = SetRequest {
        provider: "p".into(),
        cred_type: CredType::ApiKey,
        profile_id: Some("p:plan".into()),
        targets: Targets::Agents(vec!["cronbot".into()]),
        material: Material::Secret(secret.clone()),
        expires_ms: None,
        email: None,
        replace: false,
    };
    let plan = plan_set(&d, &set).unwrap();
    views.push(("Set plan preview", format!("{:?}", plan.preview())));
    views.push((
        "Set plan preview JSON",
        serde_json::to_string(&plan.preview()).unwrap(),
    ));
    views.push(("Secret", format!("{secret:?} {secret}")));
    let rotate = plan_rotate(&d, &RotateRequest::new("p", secret)).unwrap();
    views.push(("Rotate plan preview", format!("{:?}", rotate.preview())));
    for (what, text) in views {
        assert!(
            !text.contains(MARKER),
            "{what} shows a secret:\n{}",
            truncate(&text, 3000)
        );
    }
}

/// A fake `openclaw` 2026.9.6 that records its environment, then fails printing a
/// prefix, a suffix and the base64url of the secret it read on stdin.
fn leaking_openclaw(dir: &Path) -> std::path::PathBuf {
    let exe = dir.join("openclaw");
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo 'OpenClaw 2026.9.6'; exit 0; fi\nenv >> '{}'\nread -r secret\necho \"prefix ${{secret%????????????}}\" >&2\necho \"suffix ${{secret#????????}}\" >&2\nprintf 'b64 %s\\n' \"$(printf %s \"$secret\" | base64 | tr '+/' '-_' | tr -d '=')\" >&2\nexit 3\n",
        dir.join("child-env").display()
    );
    std::fs::write(&exe, script).unwrap();
    set_mode(&exe, 0o755);
    exe
}

#[test]
fn openclaw_children_get_a_minimal_environment_and_leaks_are_scrubbed() {
    let f = marked();
    let exe = leaking_openclaw(&f.home);
    let db = f.agent_dir("main").join("openclaw-agent.sqlite");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL);")
        .unwrap();
    drop(c);
    let secret = m("from-env-var-0123456789");
    let mut h = Harness { f: &f, checked: 0 };
    let args = [
        "--openclaw",
        exe.to_str().unwrap(),
        "set",
        "--provider",
        "p",
        "--type",
        "api_key",
        "--agent",
        "cronbot",
        "--profile-id",
        "p:new",
        "--secret-env",
        "MY_KEY",
    ];
    let r = h.run(
        &args,
        "",
        &[("MY_KEY", &secret), ("UNRELATED_TOKEN", "zzz")],
    );
    assert_eq!(r.code, Some(5), "{}", r.describe());
    assert!(r.all().contains("prefix «redacted»"), "{}", r.describe());
    assert!(r.all().contains("suffix «redacted»"), "{}", r.describe());
    assert!(
        !r.all().contains(&b64url(secret.as_bytes())[..16]),
        "{}",
        r.describe()
    );
    let env = std::fs::read_to_string(f.home.join("child-env")).unwrap();
    assert!(
        !env.contains(MARKER),
        "the secret reached a child's environment"
    );
    assert!(
        !env.contains("MY_KEY=") && !env.contains("UNRELATED_TOKEN="),
        "{env}"
    );
    assert!(env.contains("OPENCLAW_STATE_DIR="), "{env}");
}
