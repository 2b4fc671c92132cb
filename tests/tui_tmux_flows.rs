//! The wizards end to end in a real terminal (tmux): keys with `send-keys`, the
//! secret with `load-buffer` + `paste-buffer -p` (bracketed), screens with
//! `capture-pane`; then the files on disk, and what the real OpenClaw 2026.4.5
//! (provisioned from npm by tests/interop/run.sh, run offline) makes of them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use common::oc::{V45, models_status, resolver};
use common::{Fixture, api_key, mode, read_json, sha12, store_of, token};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use tui_support::tmux::{BIN, Session};

const SECRET: &str = "sk-proxy-cron-token-0123456789";

/// OpenClaw 2026.4-style: agent cronbot's isolated cron job needs `my-proxy`,
/// which only the default agent has (tests/write_json.rs `founding()`).
fn founding() -> Fixture {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "assistant", default: true }, { id: "cronbot" } ] },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
  auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#,
    );
    f.store(
        "assistant",
        store_of(&[("my-proxy:manual", token("my-proxy", "sk-assistant", None))]),
    );
    f.write(
        "cron/jobs.json",
        r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}}]}"#,
    );
    f
}

/// `clawauth --state-dir <fixture>` in a clean environment.
fn start(name: &str, f: &Fixture) -> Session {
    start_with_env(name, f, "")
}

/// `start`, with `env` (`NAME=value …`) added to the environment.
fn start_with_env(name: &str, f: &Fixture, env: &str) -> Session {
    let s = Session::on_state(name, f, "\"$PATH\"", env);
    s.wait_for_overview();
    s
}

/// Every file under `dir` with its mode and bytes.
fn snapshot_dir(dir: &Path) -> BTreeMap<String, (u32, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            let key = path.strip_prefix(dir).unwrap().display().to_string();
            if entry.file_type().unwrap().is_dir() {
                out.insert(format!("{key}/"), (mode(&path), Vec::new()));
                stack.push(path);
            } else {
                out.insert(key, (mode(&path), std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// `models status` of OpenClaw sees `provider` through a profile named `profile`.
fn status_shows_profile(f: &Fixture, agent: &str, provider: &str, profile: &str) -> bool {
    let Some(status) = models_status(V45, f, agent) else {
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

fn resolved(f: &Fixture, agent: &str, provider: &str) -> Value {
    resolver(V45, f, &[agent.to_string()], &[provider.to_string()])[agent][provider].clone()
}

/// From the overview on cronbot × my-proxy to the filled-in secret form (token).
fn fill_in_the_token(s: &Session) {
    s.wait_for(&["Details: cronbot × my-proxy"]);
    s.keys(&["a"]);
    s.wait_for(&["Which provider?", "▶ my-proxy"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Which kind of credential for my-proxy?"]);
    s.keys(&["Home", "Down"]);
    s.wait_for(&["▶ token"]);
    s.keys(&["Enter"]);
    s.wait_for(&["The my-proxy credential", "Token"]);
    s.paste_file(&format!("{SECRET}\n"));
    s.wait_for(&[&"•".repeat(SECRET.len())]);
    // The pasted newline must not have submitted the form.
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.wait_for(&["The my-proxy credential"]);
}

#[test]
fn founding_scenario_fixed_through_the_wizard_and_openclaw_agrees() {
    let f = founding();
    let s = start("founding", &f);
    s.wait_for(&["✗ cron daily (enabled) → cronbot × my-proxy ✗ missing"]);
    fill_in_the_token(&s);
    s.keys(&["Enter"]);
    s.wait_for(&["Where to write it?", "[x] cronbot", "[ ] assistant"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Plan: Set my-proxy:manual (token)",
        "«secret, 30 chars",
        "1 change planned",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&["Apply 1 change? Enter to apply, Esc to go back"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "✓ Written and verified.",
        "✓ verified: cronbot × my-proxy is usable",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "✓ No cron job is missing a credential.",
        "Details: cronbot × my-proxy",
    ]);
    s.keys(&["q"]);
    s.assert_restored(0);
    assert!(s.never_showed(SECRET), "the secret was on screen");
    let path = f.agent_dir("cronbot").join("auth-profiles.json");
    assert_eq!(
        read_json(&path),
        json!({"version": 1, "profiles": {"my-proxy:manual": {"type": "token", "provider": "my-proxy", "token": SECRET}}})
    );
    assert_eq!(mode(&path), 0o600);
    let r = resolved(&f, "cronbot", "my-proxy");
    assert_eq!(r["source"], "profile:my-proxy:manual", "{r}");
    assert_eq!(r["keyHash"], sha12(SECRET), "{r}");
    assert!(status_shows_profile(
        &f,
        "cronbot",
        "my-proxy",
        "my-proxy:manual"
    ));
}

#[test]
fn copy_between_agents_through_the_wizard() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" }, { id: "reporter" } ] } }"#);
    f.store(
        "reporter",
        store_of(&[("openrouter:rep", api_key("openrouter", "sk-or-1"))]),
    );
    f.write(
        "cron/jobs.json",
        r#"{"version":1,"jobs":[{"id":"news","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"openrouter/auto"}}]}"#,
    );
    let s = start("copy", &f);
    s.keys(&["$"]);
    s.wait_for(&["Details: reporter × openrouter"]);
    s.keys(&["c"]);
    s.wait_for(&["Copy from which agent?", "▶ reporter"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Which profiles?", "[x] openrouter:rep", "portable"]);
    s.keys(&["Enter"]);
    s.wait_for(&["To which agents?", "[x] cronbot", "[ ] main"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "When a destination already has a different profile",
        "▶ skip",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&["copies openrouter:rep (api_key)", "1 change planned"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Apply 1 change?"]);
    s.keys(&["Enter"]);
    s.wait_for(&["✓ Written and verified."]);
    s.keys(&["Enter"]);
    s.wait_for(&["✓ No cron job is missing a credential."]);
    s.keys(&["q"]);
    s.assert_restored(0);
    let copied = read_json(&f.agent_dir("cronbot").join("auth-profiles.json"));
    assert_eq!(copied["profiles"]["openrouter:rep"]["key"], "sk-or-1");
    let r = resolved(&f, "cronbot", "openrouter");
    assert_eq!(r["source"], "profile:openrouter:rep", "{r}");
}

#[test]
fn rotate_on_the_mixed_state_shows_every_holder_and_writes_only_the_ticked_one() {
    let f = common::mixed_rotate();
    let research = std::fs::read(f.agent_dir("research").join("auth-profiles.json")).unwrap();
    let s = start("rotate-mixed", &f);
    s.keys(&["R"]);
    s.wait_for(&["The new my-proxy key"]);
    s.paste("sk-proxy-rotated-CCCC3333");
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Which stores holding my-proxy?",
        "[x] main",
        "[ ] research (different key)",
        "1 store holds a different key",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "replaces the secret of my-proxy:manual (token)",
        "1 change planned",
    ]);
    assert!(s.never_showed("replaces the secret of my-proxy:research"));
    s.keys(&["Enter"]);
    s.wait_for(&["Apply 1 change?"]);
    s.keys(&["Enter"]);
    s.wait_for(&["✓ Written and verified."]);
    s.keys(&["Enter"]);
    s.wait_for_overview();
    s.keys(&["q"]);
    s.assert_restored(0);
    assert!(s.never_showed("sk-proxy-rotated-CCCC3333"));
    let main = read_json(&f.agent_dir("main").join("auth-profiles.json"));
    assert_eq!(
        main["profiles"]["my-proxy:manual"]["token"],
        "sk-proxy-rotated-CCCC3333"
    );
    let after = std::fs::read(f.agent_dir("research").join("auth-profiles.json")).unwrap();
    assert_eq!(after, research, "research's own, different key was changed");
}

#[test]
fn repair_of_a_problem_through_the_wizard() {
    let f = Fixture::new();
    f.config(r#"{ agents: { list: [ { id: "main", default: true }, { id: "reporter" } ] } }"#);
    f.store(
        "reporter",
        store_of(&[(
            "xai:broken",
            json!({"type": "api-key", "provider": "xai", "key": "sk-xai"}),
        )]),
    );
    let s = start("repair", &f);
    s.keys(&["Tab"]);
    s.wait_for(&["invalid_type (reporter)"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Repair agent reporter",
        "xai:broken: type → \"api_key\"",
        "1 change planned",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&["Apply 1 change?"]);
    s.keys(&["Enter"]);
    s.wait_for(&["✓ wrote", "Result"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Providers × agents"]);
    s.keys(&["q"]);
    s.assert_restored(0);
    let fixed = read_json(&f.agent_dir("reporter").join("auth-profiles.json"));
    assert_eq!(fixed["profiles"]["xai:broken"]["type"], "api_key");
    assert_eq!(
        resolved(&f, "reporter", "xai")["source"],
        "profile:xai:broken"
    );
}

#[test]
fn esc_back_through_every_step_and_ctrl_c_mid_wizard_write_nothing() {
    let f = founding();
    let before = snapshot_dir(&f.state);
    let s = start("abort", &f);
    fill_in_the_token(&s);
    s.keys(&["Enter"]);
    s.wait_for(&["Where to write it?"]);
    s.keys(&["Enter"]);
    s.wait_for(&["1 change planned"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Apply 1 change?"]);
    let back = [
        "1 change planned",
        "Where to write it?",
        "entered: secret, 30 chars",
        "Which kind of credential for my-proxy?",
        "Which provider?",
        "Providers × agents",
    ];
    for screen in back {
        s.keys(&["Escape"]);
        s.wait_for(&[screen]);
    }
    s.wait_gone("Which provider?");
    assert_eq!(snapshot_dir(&f.state), before, "Esc wrote something");
    fill_in_the_token(&s);
    s.keys(&["Enter"]);
    s.wait_for(&["Where to write it?"]);
    s.keys(&["C-c"]);
    s.assert_restored(0);
    assert!(s.never_showed(SECRET), "the secret was on screen");
    assert!(
        s.never_showed(&SECRET[..12]),
        "part of the secret was on screen"
    );
    assert_eq!(snapshot_dir(&f.state), before, "Ctrl-C wrote something");
}

/// A bug that panics in the middle of a write, with the new store's text (and so
/// the secret) in its message: the terminal is restored, the crash report names
/// the place but not the secret, and every store is as before.
#[test]
fn a_panic_while_writing_restores_the_terminal_and_shows_no_secret() {
    let f = founding();
    f.store(
        "cronbot",
        store_of(&[("openrouter:default", api_key("openrouter", "sk-or-cronbot"))]),
    );
    let before = snapshot_dir(&f.state);
    let s = start_with_env("panic", &f, "CLAWAUTH_TEST_FAULT=panic-before-rename");
    fill_in_the_token(&s);
    s.keys(&["Enter"]);
    s.wait_for(&["Where to write it?", "[x] cronbot"]);
    s.keys(&["Enter"]);
    s.wait_for(&["1 change planned"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Apply 1 change?"]);
    s.keys(&["Enter"]);
    s.assert_restored(101);
    let screen = s.wait_for(&["clawauth: internal error at src/domain/write/atomic.rs:"]);
    assert!(screen.contains("This is a bug in clawauth."), "{screen}");
    assert!(screen.contains("\"token\": \"«redacted»\""), "{screen}");
    assert!(
        !screen.contains("sk-or-cronbot"),
        "the other key was shown: {screen}"
    );
    assert!(
        s.never_showed(&SECRET[..12]),
        "part of the secret was on screen"
    );
    let mut after = snapshot_dir(&f.state);
    let backups: Vec<String> = after
        .keys()
        .filter(|k| k.contains(".clawauth-backup-"))
        .cloned()
        .collect();
    assert_eq!(
        backups.len(),
        1,
        "one backup, taken before the write: {backups:?}"
    );
    let backup = after.remove(&backups[0]).unwrap();
    let store = "agents/cronbot/agent/auth-profiles.json";
    assert_eq!(backup.1, before[store].1, "the backup is the old store");
    assert_eq!(after, before, "no store changed, no temp file or lock left");
}

#[test]
fn q_in_the_wizard_asks_before_quitting() {
    let f = founding();
    let before = snapshot_dir(&f.state);
    let s = start("ask", &f);
    s.keys(&["a"]);
    s.wait_for(&["Which provider?"]);
    s.keys(&["q"]);
    s.wait_for(&["Discard and quit? y/N"]);
    s.keys(&["n"]);
    s.wait_gone("Discard and quit?");
    s.keys(&["q"]);
    s.wait_for(&["Discard and quit? y/N"]);
    s.keys(&["y"]);
    s.assert_restored(0);
    assert_eq!(snapshot_dir(&f.state), before);
}

/// A stand-in `openclaw` 2026.4.5: answers `--version`, and for `models auth login`
/// writes an OAuth profile where 2026.4.5 does (the default agent's store, assistant)
/// into the state dir it is given, then exits `code`.
fn fake_openclaw(f: &Fixture, code: i32) -> std::path::PathBuf {
    let path = f.home.join("fake-openclaw");
    let script = format!(
        r#"#!/bin/sh
if [ "$1" = "--version" ]; then echo "OpenClaw 2026.4.5"; exit 0; fi
echo "fake openclaw: $*"
dir="$OPENCLAW_STATE_DIR/agents/assistant/agent"
mkdir -p "$dir"
printf '%s' '{{"version":1,"profiles":{{"my-proxy:oauth":{{"type":"oauth","provider":"my-proxy","access":"acc","refresh":"ref","expires":4102444800000}}}}}}' > "$dir/auth-profiles.json"
sleep 1
exit {code}
"#
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// From the overview to the OAuth sources, then "Sign in with OpenClaw".
fn sign_in(s: &Session) {
    s.keys(&["a"]);
    s.wait_for(&["Which provider?"]);
    s.keys(&["Enter"]);
    s.wait_for(&["Which kind of credential"]);
    s.keys(&["End", "Enter"]);
    s.wait_for(&[
        "Where does the my-proxy login come from?",
        "▶ Sign in with OpenClaw",
    ]);
    s.keys(&["Enter"]);
}

#[test]
fn oauth_sign_in_runs_openclaw_in_the_terminal_and_comes_back() {
    let f = founding();
    let fake = fake_openclaw(&f, 0);
    let command = format!(
        "env -i HOME='{}' PATH=\"$PATH\" TERM=\"$TERM\" '{BIN}' --state-dir '{}' --openclaw '{}'",
        f.home.display(),
        f.state.display(),
        fake.display()
    );
    let s = Session::start_command("signin", 120, 40, &command);
    s.wait_for_overview();
    sign_in(&s);
    s.wait_for(&["fake openclaw: models auth login --provider my-proxy\n"]);
    assert_eq!(
        s.format("#{alternate_on}"),
        "0",
        "the UI left the full screen"
    );
    s.wait_for(&[
        "✓ `openclaw models auth login --provider my-proxy` finished and wrote a credential.",
        "The overview was re-read. my-proxy changed for:",
        "assistant: ✓ static (my-proxy:manual, token) → ✓ ok (my-proxy:oauth, oauth)",
    ]);
    assert_eq!(s.format("#{alternate_on}"), "1", "and came back to it");
    s.keys(&["Enter"]);
    // 2026.4.5 signed in for assistant, whose store cronbot does not read.
    s.wait_for(&[
        "✗ cron daily (enabled) → cronbot × my-proxy ✗ missing",
        "Details: cronbot × my-proxy",
    ]);
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn a_failed_sign_in_waits_for_enter_then_comes_back() {
    let f = founding();
    let fake = fake_openclaw(&f, 3);
    let command = format!(
        "env -i HOME='{}' PATH=\"$PATH\" TERM=\"$TERM\" '{BIN}' --state-dir '{}' --openclaw '{}'",
        f.home.display(),
        f.state.display(),
        fake.display()
    );
    let s = Session::start_command("signin-fail", 120, 40, &command);
    s.wait_for_overview();
    sign_in(&s);
    s.wait_for(&["it did not succeed. Press Enter"]);
    s.keys(&["Enter"]);
    s.wait_for(&["ended with exit code 3"]);
    s.keys(&["C-c"]);
    s.assert_restored(0);
}

/// The real OpenClaw 2026.4.5 (offline) behind the sign-in: it accepts the command
/// clawauth runs (2026.4 has no `--agent` on `login`), takes over the terminal with its
/// own prompt, and after Ctrl-C there the UI comes back and says that no login
/// appeared, with no auth store written.
#[test]
fn sign_in_hands_the_terminal_to_the_real_openclaw_and_takes_it_back() {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "assistant", default: true, model: "openai-codex/gpt-5.1-codex" }, { id: "cronbot" } ] } }"#,
    );
    f.store(
        "assistant",
        store_of(&[("openrouter:default", api_key("openrouter", "sk-or-x"))]),
    );
    let (code, _, stderr) = common::oc::openclaw(V45, &f, &["cli", "--version"], "");
    assert_eq!(code, 0, "{stderr}");
    let wrapper = f.home.join("openclaw");
    let script = format!(
        "#!/bin/sh\nexec '{}' {V45} cli \"$@\"\n",
        common::oc::run_sh().display()
    );
    std::fs::write(&wrapper, script).unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stores = |f: &Fixture| {
        let all = snapshot_dir(&f.state);
        all.into_iter()
            .filter(|(k, _)| k.starts_with("agents/") || k.starts_with("credentials/"))
            .collect::<BTreeMap<_, _>>()
    };
    let before = stores(&f);
    let command = format!(
        "env -i HOME='{}' PATH=\"$PATH\" TERM=\"$TERM\" '{BIN}' --state-dir '{}' --openclaw '{}'",
        f.home.display(),
        f.state.display(),
        wrapper.display()
    );
    let s = Session::start_command("real-signin", 120, 40, &command);
    s.wait_for_overview();
    s.keys(&["a"]);
    s.wait_for(&["Which provider?"]);
    for _ in 0..10 {
        if s.screen().contains("▶ openai-codex") {
            break;
        }
        s.keys(&["Down"]);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    s.wait_for(&["▶ openai-codex"]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Which kind of credential for openai-codex?",
        "▶ oauth (recommended)",
    ]);
    s.keys(&["Enter"]);
    s.wait_for(&[
        "Where does the openai-codex login come from?",
        "▶ Sign in with OpenClaw",
    ]);
    s.keys(&["Enter"]);
    let slow = std::time::Duration::from_secs(120);
    s.wait_for_within(
        &[
            "clawauth: running `openclaw models auth login --provider openai-codex`",
            "Paste the authorization code",
        ],
        slow,
    );
    assert_eq!(
        s.format("#{alternate_on}"),
        "0",
        "OpenClaw has the normal screen"
    );
    assert!(!s.screen().contains("unknown option"), "{}", s.screen());
    // Cancelling OpenClaw's prompt ends it with exit code 0: no credential file changed.
    s.keys(&["C-c"]);
    s.wait_for_within(
        &[
            "finished, but wrote no credential (was it cancelled?)",
            "no agent's openai-codex cell changed",
        ],
        slow,
    );
    assert_eq!(s.format("#{alternate_on}"), "1", "the UI is back");
    s.keys(&["Enter"]);
    s.wait_for(&["Providers × agents"]);
    s.keys(&["q"]);
    s.assert_restored(0);
    // (OpenClaw itself stamps openclaw.json and writes logs/ when it starts.)
    assert_eq!(stores(&f), before, "no auth store written");
}
