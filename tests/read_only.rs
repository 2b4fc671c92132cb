//! Read-only means read-only (issue 12 item 7): no command that only reads creates,
//! changes or leaves any file in the state dir. The whole state dir (paths, modes,
//! bytes) is hashed before and after every read command, on a JSON (2026.4) state and
//! on a SQLite (2026.9) state in WAL mode, closed and with a live writer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use rusqlite::Connection;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Every read command (and every dry run) clawauth has.
const READS: &[&[&str]] = &[
    &["status"],
    &["status", "--json"],
    &["status", "--check"],
    &["status", "--check", "--json"],
    &["validate"],
    &["validate", "--json"],
    &["schema"],
    &[
        "set",
        "--provider",
        "my-proxy",
        "--type",
        "api_key",
        "--agent",
        "cronbot",
        "--secret-stdin",
        "--dry-run",
    ],
    &[
        "copy",
        "--from",
        "assistant",
        "--to",
        "cronbot",
        "--dry-run",
    ],
    &[
        "rotate",
        "--provider",
        "my-proxy",
        "--secret-stdin",
        "--dry-run",
        "--json",
    ],
    &["repair", "--dry-run"],
    &["repair"],
];

/// One line per path under `root` (sorted): kind, mode, size and SHA-256 of the bytes.
fn snapshot(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            if m.is_dir() {
                out.push(format!("{rel}/ {:o}", m.mode()));
                stack.push(p);
            } else {
                let hash = hex(&Sha256::digest(std::fs::read(&p).unwrap()));
                out.push(format!("{rel} {:o} {} {hash}", m.mode(), m.len()));
            }
        }
    }
    out.sort();
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn assert_reads_change_nothing(f: &Fixture, what: &str) {
    for args in READS {
        let before = snapshot(&f.state);
        let o = {
            // Only commands that read stdin get input (others may exit before reading it).
            let stdin = if args.contains(&"--secret-stdin") {
                "sk-new-key-1\n"
            } else {
                ""
            };
            clawauth_with(f, args, stdin, "/usr/bin:/bin")
        };
        assert!(
            o.status.code().is_some_and(|c| c < 64),
            "{what} {args:?}: {}",
            text(&o)
        );
        let after = snapshot(&f.state);
        assert_eq!(
            before,
            after,
            "{what}: `clawauth {}` changed the state dir:\n{}",
            args.join(" "),
            text(&o)
        );
    }
}

#[test]
fn reads_leave_a_json_state_untouched() {
    let f = founding();
    assert_reads_change_nothing(&f, "JSON state");
}

fn wal(path: &Path) -> Connection {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = Connection::open(path).unwrap();
    c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))
        .unwrap();
    c.execute_batch("PRAGMA wal_autocheckpoint=0;").unwrap();
    c
}

fn sqlite_state(f: &Fixture, store: &Value) -> (Connection, Connection) {
    f.config("{ agents: { list: [ { id: \"assistant\", default: true }, { id: \"cronbot\", model: \"my-proxy/m\" } ] }, models: { providers: { \"my-proxy\": { baseUrl: \"https://my-proxy.invalid/v1\", api: \"openai-completions\", models: [ { id: \"m\", name: \"m\" } ] } } } }");
    let shared = wal(&f.state.join("state/openclaw.sqlite"));
    shared.execute_batch("CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;").unwrap();
    let agent = wal(&f.agent_dir("assistant").join("openclaw-agent.sqlite"));
    agent.execute_batch("CREATE TABLE auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;").unwrap();
    agent
        .execute(
            "INSERT INTO auth_profile_store VALUES ('primary', ?1, 0)",
            [store.to_string()],
        )
        .unwrap();
    (shared, agent)
}

#[test]
fn reads_leave_a_closed_sqlite_wal_state_untouched() {
    let f = Fixture::new();
    let store = store_of(&[(
        "my-proxy:manual",
        token("my-proxy", "sk-assistant-token", None),
    )]);
    drop(sqlite_state(&f, &store)); // closed: SQLite checkpoints and removes -wal/-shm
    assert!(!f.state.join("state/openclaw.sqlite-wal").exists());
    assert_eq!(f.report().generation, "sqlite");
    assert_reads_change_nothing(&f, "closed SQLite state");
}

/// A running OpenClaw keeps the databases open: committed changes sit in the WAL.
/// clawauth must see them (the assistant's key) and still change nothing.
#[test]
fn reads_of_a_live_sqlite_wal_state_see_the_wal_and_change_nothing() {
    let mut f = Fixture::new();
    let tmpdir = f.home.join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    f.set_env("TMPDIR", &tmpdir.display().to_string());
    let store = store_of(&[(
        "my-proxy:manual",
        token("my-proxy", "sk-assistant-token", None),
    )]);
    let live = sqlite_state(&f, &store);
    let wal_file = f.agent_dir("assistant").join("openclaw-agent.sqlite-wal");
    assert!(
        std::fs::metadata(&wal_file).unwrap().len() > 0,
        "the store is in the WAL"
    );
    let o = clawauth_with(
        &f,
        &["status", "--json", "--agent", "assistant"],
        "",
        "/usr/bin:/bin",
    );
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let cell = v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["provider"] == "my-proxy")
        .unwrap()
        .clone();
    assert_eq!(
        cell["usable"], true,
        "the WAL's committed store is read: {cell}"
    );
    assert_reads_change_nothing(&f, "live SQLite state");
    drop(live);
    let left = std::fs::read_dir(&tmpdir).unwrap().count();
    assert_eq!(
        left,
        0,
        "the private copies in {} were removed",
        tmpdir.display()
    );
}
