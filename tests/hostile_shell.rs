//! Every command clawauth prints (fix texts, plan commands) is safe to paste into a
//! POSIX shell: a state dir or provider holding `$(…)` is passed as one literal word.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;

use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const HOSTILE_PROVIDER: &str = "ev$(touch pwned-provider)il";

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Scripts named like the commands a fix runs; each records its arguments, one a line.
fn stubs(dir: &Path) {
    for name in ["clawauth", "openclaw", "chmod", "rm"] {
        let script = format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}/calls'; done\ncat >/dev/null\n",
            dir.display()
        );
        write(&dir.join(name), &script, 0o755);
    }
}

fn strings_under(v: &Value, keys: &[&str], out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|v| strings_under(v, keys, out)),
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::String(s) if keys.contains(&k.as_str()) => out.push(s.clone()),
                    Value::Array(items) if keys.contains(&k.as_str()) => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)))
                    }
                    _ => strings_under(v, keys, out),
                }
            }
        }
        _ => {}
    }
}

/// The shell command inside a fix text ("… inherits it: printf … | clawauth set …").
fn command_in(text: &str) -> Option<String> {
    let start = [
        "printf '%s'",
        "chmod ",
        "rm ",
        "clawauth copy ",
        "clawauth repair ",
        "clawauth --state-dir ",
    ]
    .iter()
    .filter_map(|m| text.find(m))
    .min()?;
    let cmd = &text[start..];
    let cmd = cmd.split('`').next().unwrap_or(cmd);
    let cmd = cmd.split(" (or").next().unwrap_or(cmd);
    let cmd = cmd.split(" (was ").next().unwrap_or(cmd);
    Some(cmd.trim_end_matches([')', '`', '.']).to_string())
}

/// Every command a fix text holds: the one [`command_in`] finds, the alternative
/// after "(or: ", and each `backquoted` command holding a hostile value.
fn commands_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = command_in(text).into_iter().collect();
    if let Some((_, alt)) = text.split_once(" (or: ") {
        out.extend(command_in(alt.trim_end_matches([')', '.'])));
    }
    for (i, span) in text.split('`').enumerate() {
        if i % 2 == 1 && span.contains("$(") && !out.iter().any(|c| c.contains(span)) {
            out.push(span.to_string());
        }
    }
    out
}

/// Pastes each command into `sh` (with stub executables on PATH): each must succeed
/// and none may create a `pwned*` file.
fn paste_all(dir: &Path, bin: &Path, commands: &[String]) {
    for cmd in commands {
        let status = Command::new("/bin/sh")
            .arg("-c")
            .arg(cmd)
            .current_dir(dir)
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("SECRET", "s")
            .status()
            .unwrap();
        assert!(status.success(), "{cmd}");
    }
    let pwned: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(
        pwned.is_empty(),
        "pasting {commands:#?} ran code: {pwned:?}"
    );
}

fn json_of(state: &Path, home: &Path, args: &[&str]) -> Value {
    let out = common::clean_command("/nonexistent")
        .env("HOME", home)
        .arg("--state-dir")
        .arg(state)
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The store order's and a dangling binding's fixes, and a stale backup's, with a
/// hostile provider, profile id and state dir; printed `clawauth` fixes repeat the
/// `--state-dir` they were given.
#[test]
fn order_binding_and_backup_fixes_are_shell_safe() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("st$(touch pwned-dir)ate");
    let p = "ev$(touch pwned-order)il";
    let (a, b) = (format!("{p}:a"), format!("{p}:b"));
    let store = json!({"version": 1, "profiles": {
        a.clone(): {"type": "api_key", "provider": p, "key": "sk-a-0123456789"},
        b.clone(): {"type": "api_key", "provider": p, "key": "sk-b-0123456789"}},
        "order": {p: [a.clone()]}});
    let agent = state.join("agents/main/agent");
    write(&agent.join("auth-profiles.json"), &store.to_string(), 0o600);
    let old = json!({"version": 1, "profiles": {
        a.clone(): {"type": "api_key", "provider": p, "key": "sk-old-0123456789"}}});
    let backup = agent.join("auth-profiles.json.clawauth-backup-20260101T000000000Z");
    write(&backup, &old.to_string(), 0o600);
    let q = "bi$(id>pwned-binding)nd";
    let config = json!({"agents": {"defaults": {"model": {"primary": format!("{q}/m")}}},
        "models": {"providers": {q: {"baseUrl": "https://x.invalid/v1",
        "api": "openai-completions", "apiKey": format!("{q}:gone"),
        "models": [{"id": "m", "name": "m"}]}}}});
    write(&state.join("openclaw.json"), &config.to_string(), 0o600);
    let bin = dir.path().join("bin");
    stubs(&bin);
    // A dangling binding is a finding of the SQLite generation (2026.9).
    let v96 = dir.path().join("openclaw-2026.9");
    write(&v96, "#!/bin/sh\necho 2026.9.6\n", 0o755);
    let v96_args = ["--openclaw", v96.to_str().unwrap(), "validate", "--json"];
    let mut commands = Vec::new();
    for (args, codes) in [
        (
            &["validate", "--json"][..],
            &["excluded_by_auth_order", "stale_backup_secret"][..],
        ),
        (&v96_args[..], &["dangling_binding"][..]),
    ] {
        let doc = json_of(&state, dir.path(), args);
        let problems = doc["problems"].as_array().unwrap();
        for code in codes {
            let p = problems.iter().find(|p| p["code"] == *code);
            let fix = p.unwrap_or_else(|| panic!("no {code} in {doc:#}"))["fix"]
                .as_str()
                .unwrap();
            let found = commands_in(fix);
            assert!(!found.is_empty(), "{code}: {fix}");
            commands.extend(found);
        }
    }
    paste_all(dir.path(), &bin, &commands);
    let calls = std::fs::read_to_string(bin.join("calls")).unwrap();
    let words: Vec<&str> = calls.lines().collect();
    for expected in [p, q, &format!("{q}:gone"), backup.to_str().unwrap()] {
        assert!(
            words.contains(&expected),
            "{expected} not passed in {calls}"
        );
    }
    let at = words.iter().position(|w| *w == "--purge-backups").unwrap();
    assert!(
        words[..at]
            .windows(2)
            .any(|w| w == ["--state-dir", state.to_str().unwrap()]),
        "the purge fix acts on the given state dir: {calls}"
    );
}

#[test]
fn printed_commands_pass_hostile_values_as_one_word() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("st$(touch pwned-dir)ate");
    let store = json!({"version": 1, "profiles": {"openai:default":
        {"type": "api_key", "provider": "openai", "key": "sk-1"}}});
    let store_path = state.join("agents/main/agent/auth-profiles.json");
    write(&store_path, &store.to_string(), 0o644);
    let jobs = json!({"version": 1, "jobs": [{"id": "j", "agentId": "main",
        "sessionTarget": "isolated",
        "payload": {"kind": "agentTurn", "model": format!("{HOSTILE_PROVIDER}/m")}}]});
    write(&state.join("cron/jobs.json"), &jobs.to_string(), 0o600);
    let bin = dir.path().join("bin");
    stubs(&bin);
    let mut texts = Vec::new();
    for args in [
        &["status", "--json"][..],
        &["validate", "--json"],
        &["repair", "--json", "--dry-run"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_clawauth"))
            .env_clear()
            .env("HOME", dir.path())
            .arg("--state-dir")
            .arg(&state)
            .args(args)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        strings_under(&doc, &["fix", "commands", "chmods", "manual"], &mut texts);
    }
    let commands: Vec<String> = texts.iter().filter_map(|t| command_in(t)).collect();
    assert!(commands.len() >= 3, "{texts:#?}");
    for cmd in &commands {
        let status = Command::new("/bin/sh")
            .arg("-c")
            .arg(cmd)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("SECRET", "s")
            .status()
            .unwrap();
        assert!(status.success(), "{cmd}");
    }
    let pwned: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(
        pwned.is_empty(),
        "pasting {commands:#?} ran code: {pwned:?}"
    );
    let calls = std::fs::read_to_string(bin.join("calls")).unwrap();
    let words: Vec<&str> = calls.lines().collect();
    assert!(words.contains(&HOSTILE_PROVIDER), "{calls}");
    assert!(words.contains(&store_path.to_str().unwrap()), "{calls}");
    assert!(
        words
            .windows(2)
            .any(|w| w == ["--state-dir", state.to_str().unwrap()]),
        "a pasted `clawauth set` fix acts on the given state dir: {calls}"
    );
}

/// The `invalid_type` fix names `clawauth … repair` with the `--state-dir` it was given,
/// and the OAuth re-login fixes name the real provider, quoted: pasted, each runs the
/// command meant, on the state meant, and no code.
#[test]
fn repair_and_sign_in_fixes_carry_the_state_and_the_provider() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("st$(touch pwned-dir)ate");
    let store = json!({"version": 1, "profiles": {
        "openai:typo": {"type": "apikey", "provider": "openai", "key": "sk-typo-0123456789"},
        "evil:half": {"type": "oauth", "provider": HOSTILE_PROVIDER, "access": "a-0123456789"}}});
    let agent = state.join("agents/main/agent");
    write(&agent.join("auth-profiles.json"), &store.to_string(), 0o600);
    let bin = dir.path().join("bin");
    stubs(&bin);
    let doc = json_of(&state, dir.path(), &["validate", "--json"]);
    let problems = doc["problems"].as_array().unwrap();
    let mut commands: Vec<String> = Vec::new();
    // main × openai: its only entry is dropped, so its best fix is a repair.
    let status = json_of(&state, dir.path(), &["status", "--json"]);
    let cell = status["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["agent"] == "main" && c["provider"] == "openai");
    let fix = cell.unwrap_or_else(|| panic!("no main × openai in {status:#}"))["fix"]
        .as_str()
        .unwrap();
    commands.push(command_in(fix).unwrap_or_else(|| panic!("no command in {fix}")));
    for code in ["invalid_type", "oauth_incomplete"] {
        let p = problems.iter().find(|p| p["code"] == code);
        let fix = p.unwrap_or_else(|| panic!("no {code} in {doc:#}"))["fix"]
            .as_str()
            .unwrap();
        assert!(!fix.contains("<p>"), "{code}: {fix}");
        let found = commands_in(fix);
        assert_eq!(found.len(), 1, "{code}: {fix}");
        commands.extend(found);
    }
    paste_all(dir.path(), &bin, &commands);
    let calls = std::fs::read_to_string(bin.join("calls")).unwrap();
    let words: Vec<&str> = calls.lines().collect();
    let state = state.to_str().unwrap();
    assert_eq!(
        words,
        [
            "--state-dir",
            state,
            "repair",
            "--agent",
            "main", // the cell's best fix
            "--state-dir",
            state,
            "repair", // invalid_type's fix
            "models",
            "auth",
            "login",
            "--provider",
            HOSTILE_PROVIDER,
        ],
        "each pasted fix acts on the given state dir, values as one word: {calls}"
    );
}

/// OpenClaw ≥ 2026.6 cannot import OAuth tokens: the refusal names the sign-in
/// command with the real agent, not an `<id>` placeholder.
#[test]
fn the_sqlite_oauth_refusal_names_the_real_agent() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    write(&state.join("openclaw.json"), "{}", 0o600);
    let v96 = dir.path().join("openclaw-2026.9");
    write(&v96, "#!/bin/sh\necho 2026.9.6\n", 0o755);
    let mut child = Command::new(env!("CARGO_BIN_EXE_clawauth"))
        .env_clear()
        .env("HOME", dir.path())
        .arg("--state-dir")
        .arg(&state)
        .arg("--openclaw")
        .arg(&v96)
        .args(["set", "--provider", "openai", "--type", "oauth"])
        .args(["--agent", "main", "--oauth-json-stdin", "--yes"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let json = r#"{"access":"a-0123456789","refresh":"r-0123456789","expires":4102444800000}"#;
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), json.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("`openclaw models auth login --provider openai --agent main`"),
        "{err}"
    );
    assert!(!err.contains('<'), "{err}");
}
