//! Old secrets do not stay behind unnoticed (issue 10 item 6): backups are bounded,
//! rotate says which backups still hold the replaced secret and can purge them,
//! validate reports them, and a rotate to the stored secret is a no-op.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const OLD: &str = "sk-assistant-token";

fn run(f: &Fixture, args: &[&str], stdin: &str) -> std::process::Output {
    clawauth_with(f, args, stdin, "/nonexistent")
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".clawauth-backup-"))
        .collect();
    v.sort();
    v
}

fn codes(f: &Fixture) -> Vec<String> {
    let o = run(f, &["validate", "--json"], "");
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

fn files_holding(dir: &Path, secret: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(secret)))
        .collect()
}

#[test]
fn backups_are_bounded_per_file() {
    let mut f = founding();
    let dir = f.agent_dir("assistant");
    let set = [SET_X_FOR_ASSISTANT, &["--replace"]].concat();
    for i in 0..7 {
        let o = run(&f, &set, &format!("sk-bounded-{i}-0123456789"));
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    assert_eq!(backups(&dir).len(), 5, "the default keeps 5");
    f.set_env("CLAWAUTH_BACKUPS", "2");
    let o = run(&f, &set, "sk-bounded-last-0123456789");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let left = backups(&dir);
    assert_eq!(left.len(), 2, "{left:?}");
    // The newest are kept: the last backup holds the secret set just before.
    let newest = std::fs::read_to_string(left.last().unwrap()).unwrap();
    assert!(newest.contains("sk-bounded-6-0123456789"));
}

#[test]
fn rotate_names_backups_with_the_old_secret_and_purges_them() {
    let f = founding();
    let dir = f.agent_dir("assistant");
    let rotate = ["rotate", "--provider", "my-proxy", "--secret-stdin"];
    let o = run(&f, &rotate, "sk-new-one-0123456789");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains("1 backup(s) still hold a replaced secret"),
        "{shown}"
    );
    assert!(
        shown.contains(&backups(&dir)[0].display().to_string()),
        "{shown}"
    );
    assert!(codes(&f).contains(&"stale_backup_secret".to_string()));
    // The same secret again: nothing to change, no new backup.
    let o = run(&f, &rotate, "sk-new-one-0123456789");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Nothing to change"));
    assert_eq!(backups(&dir).len(), 1);
    // Rotating again with --purge-backups leaves no old secret anywhere.
    let purge = [&rotate[..], &["--purge-backups"]].concat();
    let o = run(&f, &purge, "sk-new-two-0123456789");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("✓ removed backup"));
    assert!(files_holding(&dir, OLD).is_empty());
    assert!(files_holding(&dir, "sk-new-one-0123456789").is_empty());
    assert!(!codes(&f).contains(&"stale_backup_secret".to_string()));
}

/// Runs a printed `clawauth …` command as a user pasting it would: split like a POSIX
/// shell, with nothing else added (no --state-dir of the test's own).
fn run_printed(f: &Fixture, command: &str) -> std::process::Output {
    let words = shlex::split(command).unwrap();
    assert_eq!(words[0], "clawauth", "{command}");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_clawauth"));
    cmd.env_clear()
        .env("HOME", &f.home)
        .env("PATH", "/nonexistent")
        .args(&words[1..]);
    cmd.output().unwrap()
}

/// The `clawauth …` command inside a text ("… (or remove them all later with: CMD)").
fn printed_clawauth(text: &str) -> String {
    let start = text.find("clawauth ").unwrap();
    let cmd = &text[start..];
    let end = cmd.find(['`', ')', '\n']).unwrap_or(cmd.len());
    cmd[..end].to_string()
}

#[test]
fn after_a_rotation_the_recommended_purge_works() {
    let f = founding();
    let dir = f.agent_dir("assistant");
    let rotate = ["rotate", "--provider", "my-proxy", "--secret-stdin"];
    let o = run(&f, &rotate, "sk-new-one-0123456789");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(files_holding(&dir, OLD).len(), 1, "the backup holds it");
    // The result page's command and validate's fix name the same, working command,
    // with the state dir this run was given.
    let shown = String::from_utf8_lossy(&o.stdout).into_owned();
    let from_result = printed_clawauth(&shown[shown.find("remove them all later").unwrap()..]);
    let v = run(&f, &["validate", "--json"], "");
    let doc: Value = serde_json::from_slice(&v.stdout).unwrap();
    let fix = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "stale_backup_secret")
        .unwrap()["fix"]
        .as_str()
        .unwrap()
        .to_string();
    let from_validate = printed_clawauth(&fix);
    assert_eq!(from_result, from_validate);
    assert!(from_validate.contains("--state-dir"), "{from_validate}");
    // A dry run lists the backup and deletes nothing.
    let dry = run_printed(&f, &format!("{from_validate} --dry-run"));
    assert!(
        String::from_utf8_lossy(&dry.stdout).contains("delete "),
        "{}",
        text(&dry)
    );
    assert_eq!(files_holding(&dir, OLD).len(), 1);
    let o = run_printed(&f, &format!("{from_validate} --yes"));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("✓ removed backup"),
        "{}",
        text(&o)
    );
    assert!(files_holding(&dir, OLD).is_empty());
    assert!(!codes(&f).contains(&"stale_backup_secret".to_string()));
    // The live store still holds the new secret.
    assert_eq!(files_holding(&dir, "sk-new-one-0123456789").len(), 1);
}

#[test]
fn rotate_purge_with_the_stored_secret_removes_old_backups() {
    let f = founding();
    let dir = f.agent_dir("assistant");
    let rotate = ["rotate", "--provider", "my-proxy", "--secret-stdin"];
    let o = run(&f, &rotate, "sk-new-one-0123456789");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let purge = [&rotate[..], &["--purge-backups"]].concat();
    let o = run(&f, &purge, "sk-new-one-0123456789");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("✓ removed backup"),
        "{}",
        text(&o)
    );
    assert!(files_holding(&dir, OLD).is_empty());
    assert_eq!(files_holding(&dir, "sk-new-one-0123456789").len(), 1);
}
