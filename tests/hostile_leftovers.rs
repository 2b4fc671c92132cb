//! What interrupted writes leave behind: empty and stale locks (reported at once,
//! on stderr, and as `stale_lock`), temp files (only when no writer can still use
//! them) and empty backups; on a terminal, a wait for a live lock is shown as it goes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

const SECRET: &str = "sk-leftover-test-0123456789";

fn age(path: &Path, secs: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(secs))
        .unwrap();
}

fn codes_of(f: &Fixture) -> Vec<(String, String)> {
    let o = clawauth_with(f, &["validate", "--json"], "", "/nonexistent");
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let code = p["code"].as_str().unwrap().to_string();
            (code, p["file"].as_str().unwrap().to_string())
        })
        .collect()
}

fn has(codes: &[(String, String)], code: &str, file: &Path) -> bool {
    codes
        .iter()
        .any(|(c, f)| c == code && f == &file.display().to_string())
}

#[test]
fn an_empty_lock_is_named_at_once_and_the_timeout_goes_to_stderr() {
    let f = founding();
    let store = f.agent_dir("assistant").join("auth-profiles.json");
    let lock = f.agent_dir("assistant").join("auth-profiles.json.lock");
    std::fs::write(&lock, "").unwrap();
    let started = Instant::now();
    let args = [SET_X_FOR_ASSISTANT, &["--lock-timeout", "2"]].concat();
    let o = clawauth_with(&f, &args, SECRET, "/nonexistent");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(started.elapsed() < Duration::from_secs(6));
    assert!(
        stderr.contains("is locked (an empty or unreadable lock file made"),
        "{stderr}"
    );
    assert!(stderr.contains("file lock timeout"), "{stderr}");
    assert!(!text(&o).contains(SECRET));
    // A fresh empty lock is not reported as stale; an old one is, and is taken over.
    assert!(!has(&codes_of(&f), "stale_lock", &lock));
    age(&lock, 60);
    assert!(has(&codes_of(&f), "stale_lock", &lock));
    let status = clawauth_with(&f, &["status"], "", "/nonexistent");
    assert!(String::from_utf8_lossy(&status.stdout).contains("stale_lock"));
    let started = Instant::now();
    let o = clawauth_with(&f, &args, SECRET, "/nonexistent");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!lock.exists());
    assert!(std::fs::read_to_string(&store).unwrap().contains(SECRET));
}

#[test]
fn temp_files_are_reported_only_when_no_writer_can_use_them() {
    let f = founding();
    let dir = f.agent_dir("assistant");
    let tmp = dir.join("auth-profiles.json.0123456789abcdef.tmp");
    std::fs::write(&tmp, "{}").unwrap();
    // A live writer's fresh temp file (OpenClaw 2026.4 writes without a lock).
    assert!(!has(&codes_of(&f), "stale_temp_file", &tmp));
    age(&tmp, 120);
    assert!(has(&codes_of(&f), "stale_temp_file", &tmp));
    // Under a live lock the file is in use, however old.
    let lock = dir.join("auth-profiles.json.lock");
    let now = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%S.000Z"])
        .output()
        .unwrap();
    let now = String::from_utf8(now.stdout).unwrap().trim().to_string();
    let payload = format!(
        "{{\n  \"pid\": {},\n  \"createdAt\": \"{now}\"\n}}",
        std::process::id()
    );
    std::fs::write(&lock, payload).unwrap();
    assert!(!has(&codes_of(&f), "stale_temp_file", &tmp));
}

#[test]
fn an_empty_backup_is_reported() {
    let f = founding();
    let backup = f
        .agent_dir("assistant")
        .join("auth-profiles.json.clawauth-backup-20260101T000000000Z");
    std::fs::write(&backup, "").unwrap();
    assert!(has(&codes_of(&f), "empty_backup", &backup));
}

/// On a terminal, a wait for another writer's live lock says at once who holds it,
/// then how long it has waited, and ends with the lock-timeout exit code.
#[test]
fn a_wait_for_a_live_lock_is_shown_on_a_terminal() {
    use tui_support::tmux::{EXITED, Session};
    let f = founding();
    let lock = f.agent_dir("assistant").join("auth-profiles.json.lock");
    let me = std::process::id();
    let at = format!("{:.3}", jiff::Timestamp::now());
    std::fs::write(&lock, format!("{{\"pid\": {me}, \"createdAt\": \"{at}\"}}")).unwrap();
    let q = |p: &Path| shlex::try_quote(p.to_str().unwrap()).unwrap().into_owned();
    let command = format!(
        "printf %s {SECRET} | env -i HOME={} PATH=/nonexistent {} --state-dir {} {} --lock-timeout 4",
        q(&f.home),
        q(Path::new(BIN)),
        q(&f.state),
        SET_X_FOR_ASSISTANT.join(" "),
    );
    let s = Session::start_command("lockwait", 160, 30, &command);
    s.wait_for_within(&[EXITED], Duration::from_secs(20));
    // The whole terminal, scrollback included.
    let all = s.tmux(&["capture-pane", "-p", "-S", "-", "-t", "ui"]);
    let screen = String::from_utf8_lossy(&all.stdout);
    assert!(
        screen.contains(&format!("is locked (held by pid {me} since")),
        "{screen}"
    );
    assert!(
        screen.contains("still waiting for the lock on") && screen.contains(" s)"),
        "{screen}"
    );
    assert!(screen.contains(&format!("{EXITED} 5")), "{screen}");
    assert!(!screen.contains(SECRET), "{screen}");
}
