//! Strict, helpful inputs (issue 12 item 6): a path that does not exist is an error
//! naming it, a typo gets "did you mean", every failure under `--json` is a JSON
//! object on stdout with the documented exit code, and a secret typed on a terminal
//! is prompted for and never echoed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use common::*;
use serde_json::Value;
use std::process::{Command, Output};

/// `clawauth ARGS` (no implicit --state-dir) in an environment of only HOME and PATH.
fn run(f: &Fixture, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_clawauth"))
        .env_clear()
        .env("HOME", &f.home)
        .env("PATH", "/usr/bin:/bin")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit before reading stdin (a refusal): a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// The one JSON error object on stdout, checked against the exit code.
fn json_error(o: &Output, code: i32) -> Value {
    assert_eq!(o.status.code(), Some(code), "{}", text(o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().count(), 1, "one JSON line on stdout: {out}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["exitCode"], code, "{v}");
    assert!(
        v["error"]["code"].is_string() && v["error"]["message"].is_string(),
        "{v}"
    );
    assert!(o.stderr.is_empty(), "nothing on stderr: {}", text(o));
    v["error"].clone()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn state(f: &Fixture) -> String {
    f.state.display().to_string()
}

/// Every read command on a state dir that does not exist: exit 3 naming the path,
/// in text and JSON; nothing is created.
#[test]
fn a_missing_state_dir_is_an_error_naming_it() {
    let f = Fixture::new();
    let missing = f.state.join("typo");
    let dir = missing.display().to_string();
    for cmd in [&["status"][..], &["status", "--check"], &["validate"]] {
        let args: Vec<&str> = [&["--state-dir", dir.as_str()][..], cmd].concat();
        let o = run(&f, &args, "");
        assert_eq!(o.status.code(), Some(3), "{cmd:?}: {}", text(&o));
        assert!(
            stderr(&o).contains(&format!("--state-dir {dir:?} does not exist")),
            "{}",
            text(&o)
        );
        assert!(stderr(&o).contains("set --init"), "{}", text(&o));
        let args: Vec<&str> = [args.as_slice(), &["--json"]].concat();
        let e = json_error(&run(&f, &args, ""), 3);
        assert_eq!(e["code"], "path_not_found");
        assert_eq!(e["file"], dir.as_str());
    }
    assert!(!missing.exists());
}

#[test]
fn a_missing_config_or_profile_is_an_error_naming_it() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let config = f.state.join("openclaw.jsno").display().to_string();
    let o = run(
        &f,
        &[
            "--state-dir",
            &state(&f),
            "--config",
            &config,
            "status",
            "--check",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        stderr(&o).contains(&format!("--config {config:?} does not exist")),
        "{}",
        text(&o)
    );
    let args = [
        "--state-dir",
        &state(&f),
        "--config",
        &config,
        "validate",
        "--json",
    ];
    assert_eq!(json_error(&run(&f, &args, ""), 3)["file"], config.as_str());

    let profile_dir = f.home.join(".openclaw-nope").display().to_string();
    let o = run(&f, &["--profile", "nope", "status"], "");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(stderr(&o).contains(&profile_dir), "{}", text(&o));
    let e = json_error(&run(&f, &["--profile", "nope", "status", "--json"], ""), 3);
    assert_eq!(
        (e["code"].as_str(), e["file"].as_str()),
        (Some("path_not_found"), Some(profile_dir.as_str()))
    );
}

#[test]
fn a_profile_id_given_to_profile_hints_at_profile_id() {
    let f = Fixture::new();
    let o = run(&f, &["--profile", "my-proxy:manual", "status"], "");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        stderr(&o).contains("--profile-id my-proxy:manual"),
        "{}",
        text(&o)
    );
    let e = json_error(
        &run(
            &f,
            &["--profile", "my-proxy:manual", "status", "--json"],
            "",
        ),
        3,
    );
    assert!(
        e["message"].as_str().unwrap().contains("--profile-id"),
        "{e}"
    );
}

/// `set` into a misspelt state dir creates nothing unless `--init` says so.
#[test]
fn creating_a_new_state_is_explicit() {
    let f = Fixture::new();
    let new = f.state.join("new");
    let dir = new.display().to_string();
    let set = [
        "--state-dir",
        &dir,
        "set",
        "--provider",
        "openrouter",
        "--type",
        "api_key",
        "--agent",
        "main",
        "--secret-stdin",
    ];
    let o = run(&f, &set, "sk-or-test-1\n");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        stderr(&o).contains(&dir) && stderr(&o).contains("--init"),
        "{}",
        text(&o)
    );
    assert!(!new.exists(), "nothing created without --init");
    let e = json_error(
        &run(&f, &[&set[..], &["--json"]].concat(), "sk-or-test-1\n"),
        3,
    );
    assert_eq!(e["code"], "path_not_found");
    assert!(!new.exists());
    let o = run(&f, &[&set[..], &["--init"]].concat(), "sk-or-test-1\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(new.join("agents/main/agent/auth-profiles.json").is_file());
}

#[test]
fn an_unknown_provider_is_refused_with_did_you_mean() {
    let f = founding();
    let set = [
        "--state-dir",
        &state(&f),
        "set",
        "--provider",
        "my-proxi",
        "--type",
        "api_key",
        "--agent",
        "cronbot",
        "--secret-stdin",
    ];
    let before = tree(&f);
    let o = run(&f, &set, "sk-new-key-1\n");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        stderr(&o).contains("unknown provider \"my-proxi\"; did you mean \"my-proxy\"?"),
        "{}",
        text(&o)
    );
    let e = json_error(
        &run(&f, &[&set[..], &["--json"]].concat(), "sk-new-key-1\n"),
        3,
    );
    assert_eq!(e["code"], "unknown_provider");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did you mean \"my-proxy\""),
        "{e}"
    );
    let rotate = [
        "--state-dir",
        &state(&f),
        "rotate",
        "--provider",
        "my-prxy",
        "--secret-stdin",
        "--json",
    ];
    let e = json_error(&run(&f, &rotate, "sk-new-key-1\n"), 3);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did you mean \"my-proxy\""),
        "{e}"
    );
    assert_eq!(tree(&f), before, "nothing written");
    // A built-in provider is known although this state never mentions it.
    let builtin = [
        "--state-dir",
        &state(&f),
        "set",
        "--provider",
        "openrouter",
        "--type",
        "api_key",
        "--agent",
        "cronbot",
        "--secret-stdin",
        "--dry-run",
    ];
    let o = run(&f, &builtin, "sk-or-test-1\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn an_unknown_agent_gets_the_same_code_in_every_command() {
    let f = founding();
    let s = state(&f);
    let commands: Vec<Vec<&str>> = vec![
        vec!["status", "--agent", "cronbt"],
        vec!["validate", "--agent", "cronbt"],
        vec![
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "token",
            "--agent",
            "cronbt",
            "--secret-stdin",
        ],
        vec!["copy", "--from", "assistant", "--to", "cronbt"],
        vec![
            "rotate",
            "--provider",
            "my-proxy",
            "--agent",
            "cronbt",
            "--secret-stdin",
        ],
        vec!["repair", "--agent", "cronbt", "--yes"],
    ];
    for cmd in commands {
        let args: Vec<&str> = [&["--state-dir", s.as_str()][..], &cmd].concat();
        let o = run(&f, &args, "sk-new-key-1\n");
        assert_eq!(o.status.code(), Some(3), "{cmd:?}: {}", text(&o));
        assert!(
            stderr(&o).contains("did you mean \"cronbot\"?"),
            "{cmd:?}: {}",
            text(&o)
        );
        let args: Vec<&str> = [args.as_slice(), &["--json"]].concat();
        let e = json_error(&run(&f, &args, "sk-new-key-1\n"), 3);
        assert_eq!(e["code"], "unknown_agent", "{cmd:?}");
    }
}

/// Usage errors and refusals under --json are JSON too, with their exit codes.
#[test]
fn usage_errors_and_refusals_are_json_under_json() {
    let f = founding();
    let s = state(&f);
    let e = json_error(
        &run(&f, &["--state-dir", &s, "status", "--json", "--bogus"], ""),
        64,
    );
    assert_eq!(e["code"], "usage");
    assert!(e["message"].as_str().unwrap().contains("--bogus"), "{e}");
    let o = run(&f, &["--state-dir", &s, "status", "--bogus"], "");
    assert_eq!(o.status.code(), Some(64));
    assert!(
        o.stdout.is_empty() && stderr(&o).contains("--bogus"),
        "{}",
        text(&o)
    );
    // A refused write (no secret given): exit 4, code "refused".
    let set = [
        "--state-dir",
        &s,
        "set",
        "--provider",
        "my-proxy",
        "--type",
        "token",
        "--agent",
        "cronbot",
        "--secret-stdin",
        "--json",
    ];
    let e = json_error(&run(&f, &set, ""), 4);
    assert_eq!(e["code"], "refused");
}

#[test]
fn a_pasted_bearer_prefix_or_quotes_are_warned_about() {
    let f = founding();
    let s = state(&f);
    let set = [
        "--state-dir",
        &s,
        "set",
        "--provider",
        "my-proxy",
        "--type",
        "token",
        "--agent",
        "cronbot",
        "--secret-stdin",
        "--dry-run",
    ];
    let o = run(&f, &set, "Bearer sk-new-key-1\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("starts with \"Bearer \""), "{}", text(&o));
    let o = run(&f, &[&set[..], &["--json"]].concat(), "\"sk-new-key-1\"\n");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["plan"]["warnings"]
            .to_string()
            .contains("wrapped in quotes"),
        "{v}"
    );
}

/// `--secret-stdin` on a terminal: a prompt, no echo, and the key is stored.
#[test]
fn secret_stdin_on_a_terminal_prompts_without_echo() {
    use tui_support::tmux::{BIN, Session};
    let f = founding();
    let cmd = format!(
        "env -i HOME='{}' PATH=/usr/bin:/bin '{BIN}' --state-dir '{}' set --provider my-proxy --type token --agent cronbot --secret-stdin",
        f.home.display(),
        f.state.display()
    );
    let s = Session::start_command("secret-prompt", 120, 30, &cmd);
    s.wait_for(&["input is hidden"]);
    s.tmux(&["send-keys", "-t", "ui", "-l", "sk-typed-secret-9"]);
    s.tmux(&["send-keys", "-t", "ui", "Enter"]);
    // On a terminal `set` shows the plan and asks first, like `repair`.
    s.wait_for(&["Apply these changes? [y/N]"]);
    s.tmux(&["send-keys", "-t", "ui", "-l", "y"]);
    s.tmux(&["send-keys", "-t", "ui", "Enter"]);
    let screen = s.wait_for(&["clawauth exited with 0"]);
    assert!(screen.contains("verified"), "{screen}");
    for seen in s.seen.borrow().iter() {
        assert!(
            !seen.contains("sk-typed-secret-9"),
            "the secret was echoed:\n{seen}"
        );
    }
    let store = std::fs::read_to_string(f.agent_dir("cronbot").join("auth-profiles.json")).unwrap();
    assert!(store.contains("sk-typed-secret-9"), "{store}");
}

/// Paths and bytes of every file under the state dir.
fn tree(f: &Fixture) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![f.state.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
