//! Writes on the JSON store generation: set, copy, rotate, repair — file contents,
//! modes, backups, exit codes, and no secret in any output.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use serde_json::{Value, json};
use std::process::Command;

fn read(f: &Fixture, rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(f.state.join(rel)).unwrap()).unwrap()
}

const SECRET: &str = "sk-proxy-SECRET-0123456789";

#[test]
fn founding_scenario_fixed_by_set_from_stdin() {
    let f = founding();
    assert!(!f.cell("cronbot", "my-proxy").usable);
    let o = clawauth(
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
        &format!("{SECRET}\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains(SECRET), "secret leaked: {}", text(&o));
    let store = read(&f, "agents/cronbot/agent/auth-profiles.json");
    assert_eq!(
        store,
        json!({"version": 1, "profiles": {"my-proxy:manual": {"type": "token", "provider": "my-proxy", "token": SECRET}}})
    );
    let path = f.agent_dir("cronbot").join("auth-profiles.json");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&f.agent_dir("cronbot")), 0o700);
    assert!(std::fs::read_to_string(&path).unwrap().ends_with("}\n"));
    let c = f.cell("cronbot", "my-proxy");
    assert!(c.usable && c.profile.as_deref() == Some("my-proxy:manual"));
    assert!(
        text(&o).contains("verified: cronbot × my-proxy is usable"),
        "{}",
        text(&o)
    );
    assert!(
        f.cell("assistant", "my-proxy").usable,
        "other agents unchanged"
    );
}

#[test]
fn dry_run_writes_nothing_and_redacts() {
    let f = founding();
    let o = clawauth(
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
            "--dry-run",
        ],
        SECRET,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(!f.agent_dir("cronbot").join("auth-profiles.json").exists());
    let out = text(&o);
    assert!(
        out.contains("+ ") && out.contains("«secret, 26 chars, sha256"),
        "{out}"
    );
    assert!(!out.contains(SECRET));
}

#[test]
fn a_different_secret_under_an_existing_id_needs_replace() {
    let f = founding();
    let args = [
        "set",
        "--provider",
        "my-proxy",
        "--type",
        "token",
        "--agent",
        "assistant",
        "--secret-stdin",
    ];
    let o = clawauth(&f, &args, SECRET);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(text(&o).contains("--replace"));
    assert_eq!(
        read(&f, "agents/assistant/agent/auth-profiles.json")["profiles"]["my-proxy:manual"]["token"],
        "sk-assistant-token"
    );
    let mut with_replace = args.to_vec();
    with_replace.push("--replace");
    let o = clawauth(&f, &with_replace, SECRET);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        read(&f, "agents/assistant/agent/auth-profiles.json")["profiles"]["my-proxy:manual"]["token"],
        SECRET
    );
    let backups: Vec<_> = std::fs::read_dir(f.agent_dir("assistant"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("clawauth-backup"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(mode(&backups[0].path()), 0o600);
    assert!(
        std::fs::read_to_string(backups[0].path())
            .unwrap()
            .contains("sk-assistant-token")
    );
}

#[test]
fn api_key_next_to_a_declared_token_id_is_declared_in_config_keeping_comments() {
    let f = founding();
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "api_key",
            "--agent",
            "cronbot",
            "--secret-stdin",
        ],
        SECRET,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        read(&f, "agents/cronbot/agent/auth-profiles.json")["profiles"]["my-proxy:default"]["key"],
        SECRET
    );
    let cfg = std::fs::read_to_string(f.state.join("openclaw.json")).unwrap();
    assert!(cfg.contains("// my agents"), "comments kept: {cfg}");
    let v: Value = json5::from_str(&cfg).unwrap();
    assert_eq!(
        v["auth"]["profiles"]["my-proxy:default"],
        json!({"provider": "my-proxy", "mode": "api_key"})
    );
    assert!(
        f.cell("cronbot", "my-proxy").usable,
        "the new id is a candidate once declared"
    );
}

#[test]
fn rejects_bad_secrets_without_writing() {
    let f = founding();
    for (input, needle) in [
        ("   \n", "empty"),
        ("sk-a\nsk-b", "line break"),
        ("export KEY=sk-1", "shell command"),
    ] {
        let o = clawauth(
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
            input,
        );
        assert_eq!(o.status.code(), Some(4), "{input:?}: {}", text(&o));
        assert!(text(&o).contains(needle), "{}", text(&o));
    }
    assert!(!f.agent_dir("cronbot").join("auth-profiles.json").exists());
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "token",
            "--agent",
            "cronbot",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(
        text(&o).contains("never taken from the command line")
            || text(&o).contains("--secret-stdin"),
        "{}",
        text(&o)
    );
}

#[test]
fn secret_from_env_and_file_and_refs() {
    let mut f = founding();
    f.set_env("PROXY_TOKEN", SECRET);
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "openrouter",
            "--type",
            "api_key",
            "--agent",
            "cronbot",
            "--secret-env",
            "PROXY_TOKEN",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let file = f.state.join("secret.txt");
    std::fs::write(&file, format!("{SECRET}\n")).unwrap();
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "xai",
            "--type",
            "api_key",
            "--agent",
            "cronbot",
            "--secret-file",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "groq",
            "--type",
            "api_key",
            "--agent",
            "cronbot",
            "--secret-ref",
            "env:PROXY_TOKEN",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let store = read(&f, "agents/cronbot/agent/auth-profiles.json");
    assert_eq!(store["profiles"]["openrouter:default"]["key"], SECRET);
    assert_eq!(store["profiles"]["xai:default"]["key"], SECRET);
    assert_eq!(
        store["profiles"]["groq:default"]["keyRef"],
        json!({"source": "env", "provider": "default", "id": "PROXY_TOKEN"})
    );
}

#[test]
fn oauth_json_and_refs_refused_in_oauth() {
    let f = founding();
    let doc = r#"{"access":"acc-SECRET","refresh":"ref-SECRET","expires":4102444800000,"accountId":"acct_1"}"#;
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "openai-codex",
            "--type",
            "oauth",
            "--agent",
            "cronbot",
            "--oauth-json-stdin",
        ],
        doc,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains("acc-SECRET"));
    let p =
        &read(&f, "agents/cronbot/agent/auth-profiles.json")["profiles"]["openai-codex:default"];
    assert_eq!(p["type"], "oauth");
    assert_eq!(p["accountId"], "acct_1");
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "x",
            "--new-provider",
            "--type",
            "oauth",
            "--agent",
            "cronbot",
            "--secret-ref",
            "env:X",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
}

#[test]
fn shared_set_removes_stale_copy_on_first_load_shadows() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let old = store_of(&[("my-proxy:default", api_key("my-proxy", "sk-old"))]);
    f.store("main", old.clone());
    f.store("cronbot", old);
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "api_key",
            "--shared",
            "--secret-stdin",
            "--replace",
        ],
        "sk-new-key",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        read(&f, "agents/main/agent/auth-profiles.json")["profiles"]["my-proxy:default"]["key"],
        "sk-new-key"
    );
    assert!(
        read(&f, "agents/cronbot/agent/auth-profiles.json")["profiles"]
            .get("my-proxy:default")
            .is_none()
    );
    let c = f.cell("cronbot", "my-proxy");
    assert_eq!(
        c.source,
        clawauth::domain::status::resolve::Source::Inherited
    );
}

#[test]
fn unknown_fields_order_and_state_survive_a_set() {
    let f = Fixture::new();
    let original = r#"{
  "version": 1,
  "profiles": {
    "zeta:1": {
      "type": "api_key",
      "provider": "zeta",
      "key": "k",
      "x-custom": {
        "keep": true
      }
    }
  },
  "order": {
    "zeta": [
      "zeta:1"
    ]
  },
  "lastGood": {
    "zeta": "zeta:1"
  },
  "usageStats": {
    "zeta:1": {
      "lastUsed": 1,
      "errorCount": 0
    }
  }
}
"#;
    f.write("agents/main/agent/auth-profiles.json", original);
    let o = clawauth(
        &f,
        &[
            "set",
            "--provider",
            "alpha",
            "--new-provider",
            "--type",
            "api_key",
            "--agent",
            "main",
            "--secret-stdin",
        ],
        "sk-alpha",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let after = std::fs::read_to_string(f.agent_dir("main").join("auth-profiles.json")).unwrap();
    let expected = original.replace(
        "      }\n    }\n  },\n  \"order\"",
        "      }\n    },\n    \"alpha:default\": {\n      \"type\": \"api_key\",\n      \"provider\": \"alpha\",\n      \"key\": \"sk-alpha\"\n    }\n  },\n  \"order\"",
    );
    assert_eq!(after, expected);
}

#[test]
fn copy_follows_portability_and_conflict_rules() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "a" }, { id: "b" } ] } }"#,
    );
    let mut src = store_of(&[
        ("p:key", api_key("p", "sk-1")),
        ("p:tok", token("p", "t-1", None)),
        (
            "p:private",
            json!({"type": "api_key", "provider": "p", "key": "sk-2", "copyToAgents": false}),
        ),
        (
            "o:login",
            json!({"type": "oauth", "provider": "o", "access": "a", "refresh": "r", "expires": FAR_FUTURE_MS}),
        ),
    ]);
    src["order"] = json!({"p": ["p:tok", "p:key", "p:private"]});
    f.store("a", src);
    f.store("b", store_of(&[("p:key", api_key("p", "sk-different"))]));
    let o = clawauth(
        &f,
        &[
            "copy",
            "--from",
            "a",
            "--to",
            "b",
            "--on-conflict",
            "rename",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let b = read(&f, "agents/b/agent/auth-profiles.json");
    let ids: Vec<&String> = b["profiles"].as_object().unwrap().keys().collect();
    assert_eq!(ids, ["p:key", "p:key-copy", "p:tok"]);
    assert_eq!(
        b["profiles"]["p:key"]["key"], "sk-different",
        "existing kept"
    );
    assert_eq!(
        b["order"]["p"],
        json!(["p:tok", "p:key-copy"]),
        "order filtered to copied ids"
    );
    assert!(
        text(&o).contains("copyToAgents: false") && text(&o).contains("OAuth login: not copied"),
        "{}",
        text(&o)
    );
    let o = clawauth(
        &f,
        &[
            "copy",
            "--from",
            "a",
            "--to",
            "b",
            "--include-oauth",
            "--provider",
            "o",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("refresh_token_reused"));
    assert_eq!(
        read(&f, "agents/b/agent/auth-profiles.json")["profiles"]["o:login"]["type"],
        "oauth"
    );
}

#[test]
fn copy_from_an_unreadable_store_aborts_before_writing() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "a" }, { id: "b" } ] } }"#,
    );
    f.write("agents/a/agent/auth-profiles.json", "{ broken");
    let o = clawauth(&f, &["copy", "--from", "a", "--to", "b"], "");
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(text(&o).contains("not valid JSON"), "{}", text(&o));
    assert!(!f.agent_dir("b").join("auth-profiles.json").exists());
}

#[test]
fn rotate_replaces_every_holder_and_lists_refs() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store("main", store_of(&[("my-proxy:default", api_key("my-proxy", "sk-old")), ("my-proxy:ref", json!({"type":"api_key","provider":"my-proxy","keyRef":{"source":"env","provider":"default","id":"K"}}))]));
    f.store(
        "cronbot",
        store_of(&[("my-proxy:default", api_key("my-proxy", "sk-old"))]),
    );
    let o = clawauth(
        &f,
        &["rotate", "--provider", "my-proxy", "--secret-stdin"],
        "sk-rotated",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for agent in ["main", "cronbot"] {
        assert_eq!(
            read(&f, &format!("agents/{agent}/agent/auth-profiles.json"))["profiles"]["my-proxy:default"]
                ["key"],
            "sk-rotated"
        );
    }
    assert!(text(&o).contains("uses a reference"));
    assert!(!text(&o).contains("sk-rotated") && !text(&o).contains("sk-old"));
}

#[test]
fn repair_fixes_what_is_safe_and_lists_the_rest() {
    let f = Fixture::new();
    f.config("{ agents: { list: [ { id: \"main\", default: true } ] },\n  // keep me\n  auth: { profiles: { \"p:mode\": { provider: \"p\", mode: \"token\" } } } }\n");
    let mut doc = store_of(&[
        (
            "a:type",
            json!({"type": "api-key", "provider": "a", "key": "k"}),
        ),
        (
            "b:mode",
            json!({"mode": "api_key", "provider": "b", "apiKey": "k"}),
        ),
        ("c:secs", token("c", "t", Some(4_102_444_800))),
        (
            "d:oauth",
            json!({"type": "oauth", "provider": "d", "token": "sk-ant-oat01-x"}),
        ),
        ("p:mode", api_key("p", "k")),
        ("e:noprov", json!({"type": "api_key", "key": "k"})),
    ]);
    doc["order"] = json!({"a": ["a:type", "a:gone"]});
    let path = f.store("main", doc);
    set_mode(&path, 0o644);
    let o = clawauth(&f, &["repair"], "");
    assert_eq!(
        o.status.code(),
        Some(4),
        "not a terminal and no --yes: {}",
        text(&o)
    );
    assert_eq!(mode(&path), 0o644, "nothing written without --yes");
    let o = clawauth(&f, &["repair", "--yes"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let s = read(&f, "agents/main/agent/auth-profiles.json");
    assert_eq!(s["profiles"]["a:type"]["type"], "api_key");
    assert_eq!(
        s["profiles"]["b:mode"],
        json!({"type": "api_key", "provider": "b", "key": "k"})
    );
    assert_eq!(s["profiles"]["c:secs"]["expires"], 4_102_444_800_000_i64);
    assert_eq!(s["profiles"]["d:oauth"]["type"], "token");
    assert_eq!(s["order"]["a"], json!(["a:type"]));
    assert_eq!(mode(&path), 0o600);
    let cfg = std::fs::read_to_string(f.state.join("openclaw.json")).unwrap();
    assert!(
        cfg.contains("// keep me") && cfg.contains("\"api_key\""),
        "{cfg}"
    );
    assert!(
        text(&o).contains("missing_provider"),
        "manual step listed: {}",
        text(&o)
    );
    assert!(f.cell("main", "p").usable && f.cell("main", "a").usable && f.cell("main", "d").usable);
}

#[test]
fn repair_converts_a_flat_legacy_file() {
    let f = Fixture::new();
    f.write(
        "agents/main/agent/auth-profiles.json",
        r#"{"anthropic":{"apiKey":"sk-ant-x","baseUrl":"https://x"}}"#,
    );
    let o = clawauth(&f, &["repair", "--yes"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        read(&f, "agents/main/agent/auth-profiles.json"),
        json!({"version":1,"profiles":{"anthropic:default":{"type":"api_key","provider":"anthropic","key":"sk-ant-x"}}})
    );
}

#[test]
fn twenty_concurrent_sets_lose_nothing() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let children: Vec<_> = (0..20)
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
                "cronbot",
                "--secret-stdin",
                "--json",
            ];

            spawn_clawauth(&f, &args, &format!("sk-{i}"), "/usr/bin:/bin")
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        // Other writers' profiles appear while this one verifies: reported as unexpected
        // changes (exit 1), never as errors or failed verifications.
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
        assert_eq!(v["result"]["errors"], json!([]), "{v}");
        assert_eq!(v["result"]["verifyFailures"], json!([]), "{v}");
    }
    let store = read(&f, "agents/cronbot/agent/auth-profiles.json");
    assert_eq!(store["profiles"].as_object().unwrap().len(), 20);
    for i in 0..20 {
        assert_eq!(
            store["profiles"][format!("p{i}:default")]["key"],
            format!("sk-{i}")
        );
    }
    assert!(
        !f.agent_dir("cronbot")
            .join("auth-profiles.json.lock")
            .exists()
    );
}

#[test]
fn a_crash_or_full_disk_leaves_the_old_file() {
    let mut f = founding();
    let path = f.agent_dir("assistant").join("auth-profiles.json");
    let before = std::fs::read(&path).unwrap();
    for fault in ["enospc", "rename", "abort-before-rename"] {
        f.env = vec![("CLAWAUTH_TEST_FAULT".into(), fault.into())];
        let o = clawauth(&f, SET_X_FOR_ASSISTANT, SECRET);
        assert!(!o.status.success(), "{fault}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{fault}: old file intact"
        );
        assert!(!text(&o).contains(SECRET), "{fault}: {}", text(&o));
        if fault != "abort-before-rename" {
            assert_eq!(o.status.code(), Some(5), "{fault}: {}", text(&o));
            let tmp = std::fs::read_dir(f.agent_dir("assistant"))
                .unwrap()
                .filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
            assert!(!tmp, "{fault}: temp file cleaned up");
        }
    }
}

/// Names and bytes of every file in `dir`.
fn dir_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_panic_mid_write_leaves_the_old_file_no_temp_no_lock_and_no_secret() {
    let mut f = founding();
    let dir = f.agent_dir("assistant");
    let before = dir_files(&dir);
    f.env = vec![("CLAWAUTH_TEST_FAULT".into(), "panic-before-rename".into())];
    let o = clawauth(&f, SET_X_FOR_ASSISTANT, SECRET);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(101), "{out}");
    assert!(
        out.contains("clawauth: internal error at src/domain/write/atomic.rs:"),
        "{out}"
    );
    // The panic message held the new store's text; the crash report shows it without the key.
    assert!(out.contains("\"key\": \"«redacted»\""), "{out}");
    assert!(!out.contains(&SECRET[8..]), "{out}");
    assert!(out.contains("This is a bug in clawauth."), "{out}");
    // Backups are taken before every write; the one left is a copy of the old store.
    let (backups, rest): (Vec<_>, Vec<_>) = dir_files(&dir)
        .into_iter()
        .partition(|(name, _)| name.starts_with("auth-profiles.json.clawauth-backup-"));
    assert_eq!(
        rest, before,
        "the store, and nothing beside it (no temp file, no lock)"
    );
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].1, before[0].1);
}

#[test]
fn a_live_lock_holder_times_out_with_a_clear_message() {
    let f = founding();
    let lock = f.agent_dir("assistant").join("auth-profiles.json.lock");
    let now = clawauth_iso_now();
    std::fs::write(
        &lock,
        format!("{{\n  \"pid\": 1,\n  \"createdAt\": \"{now}\"\n}}"),
    )
    .unwrap();
    let before = std::fs::read(f.agent_dir("assistant").join("auth-profiles.json")).unwrap();
    let o = clawauth(
        &f,
        &[SET_X_FOR_ASSISTANT, &["--lock-timeout", "1"]].concat(),
        SECRET,
    );
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        text(&o).contains("file lock timeout") && text(&o).contains("pid 1"),
        "{}",
        text(&o)
    );
    assert_eq!(
        std::fs::read(f.agent_dir("assistant").join("auth-profiles.json")).unwrap(),
        before
    );
    assert!(lock.exists(), "someone else's lock is left alone");
    // A lock left by a dead process is taken over.
    std::fs::write(
        &lock,
        format!(
            "{{\n  \"pid\": {},\n  \"createdAt\": \"{now}\"\n}}",
            dead_pid()
        ),
    )
    .unwrap();
    let o = clawauth(
        &f,
        &[SET_X_FOR_ASSISTANT, &["--lock-timeout", "1"]].concat(),
        SECRET,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

fn clawauth_iso_now() -> String {
    let out = Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%S.000Z"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
