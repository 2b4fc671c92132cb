//! A corpus of hostile inputs, each built by the test, run through every command
//! (status, validate, set, copy, rotate, repair) and through the terminal UI's own
//! loading, overview and add wizard (in this process, tests/hostile_inputs/ui.rs). For
//! each: no panic or hang, a documented exit code, a message naming the file, and no
//! write anywhere it is not allowed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod hostile_support;
#[path = "hostile_inputs/ui.rs"]
mod ui;

use common::*;
use hostile_support::*;
use serde_json::{Value, json};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

const NOBODY: u32 = 65534;

/// Where the hostile input sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `agents/main/agent/auth-profiles.json` (main is the default agent: every write
    /// below reads or writes it).
    MainStore,
    /// `agents/cronbot/agent/auth-profiles.json` (the copy destination).
    CronbotStore,
    /// `agents/main/agent` itself (a file where the agent's directory should be).
    MainAgentDir,
    Config,
    Cron,
    ModelsJson,
    DotEnv,
    /// `agents/main/agent/openclaw-agent.sqlite` (SQLite generation).
    AgentDb,
    /// `state/openclaw.sqlite` (SQLite generation).
    StateDb,
}

impl Place {
    fn rel(self) -> &'static str {
        match self {
            Place::MainStore => "agents/main/agent/auth-profiles.json",
            Place::CronbotStore => "agents/cronbot/agent/auth-profiles.json",
            Place::MainAgentDir => "agents/main/agent",
            Place::Config => "openclaw.json",
            Place::Cron => "cron/jobs.json",
            Place::ModelsJson => "agents/main/agent/models.json",
            Place::DotEnv => ".env",
            Place::AgentDb => "agents/main/agent/openclaw-agent.sqlite",
            Place::StateDb => "state/openclaw.sqlite",
        }
    }

    fn sqlite(self) -> bool {
        matches!(self, Place::AgentDb | Place::StateDb)
    }
}

/// What the hostile file holds.
#[derive(Clone)]
enum Content {
    Bytes(Vec<u8>),
    /// A sparse file of this many bytes starting with the bytes given.
    Sparse(Vec<u8>, u64),
    Dir,
    /// A symlink to itself.
    Loop,
    Dangling,
    /// Mode 000 (the binary runs as `nobody` when the tests run as root).
    Unreadable(Vec<u8>),
    Fifo,
    /// A symlink to /dev/zero (endless, size 0).
    DevZero,
    /// A valid SQLite database with this SQL run in it.
    Sql(&'static str),
    /// A valid SQLite database (tables of the fixture) locked by another process.
    Locked,
}

struct Case {
    name: &'static str,
    place: Place,
    content: Content,
    /// Code `validate --json` reports for the file (None: the input is accepted).
    code: Option<&'static str>,
    /// The message must say this (a substring), in `validate`.
    says: &'static str,
    /// Write commands that must be refused (exit 4, naming the file, nothing written);
    /// the others must succeed without touching the hostile file.
    refused: &'static [&'static str],
}

const ALL: &[&str] = &["set", "copy", "rotate"];
/// The file is there but is not a store: OpenClaw treats it as absent, so rotating the
/// other stores is right; writing into it or copying from it is not.
const NOT_A_STORE: &[&str] = &["set", "copy"];
const NONE: &[&str] = &[];

fn nest(n: usize) -> Vec<u8> {
    let mut v = vec![b'['; n];
    v.extend(std::iter::repeat_n(b']', n));
    v
}

fn nest_objects(n: usize) -> Vec<u8> {
    let mut s = String::new();
    for _ in 0..n {
        s.push_str("{\"a\":");
    }
    s.push('1');
    s.push_str(&"}".repeat(n));
    s.into_bytes()
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

const STORE_START: &str =
    r#"{"version":1,"profiles":{"p:default":{"type":"api_key","provider":"p","key":""#;

fn cases() -> Vec<Case> {
    use Content::*;
    use Place::*;
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(b(r#"{"version":1,"profiles":{}}"#));
    let mut bad_utf8 = b(STORE_START);
    bad_utf8.extend([0xC3, 0x28, 0xFF, b'"', b'}', b'}', b'}']);
    let mut nul = b(r#"{"version":1,"profiles":{"#);
    nul.extend([0, 0, 0]);
    nul.extend(b("}}"));
    let mut cfg_bad_utf8 = b("{ agents: { list: [ { id: \"main\", default: true } ] }, x: \"");
    cfg_bad_utf8.extend([0xFF, 0xFE, b'"', b'}']);
    let c = |name, place: Place, content, code, says| Case {
        name,
        place,
        content,
        code,
        says,
        refused: match place {
            Cron | ModelsJson | DotEnv => NONE,
            CronbotStore => &["copy", "rotate"],
            _ => ALL,
        },
    };
    let with = |case: Case, refused| Case { refused, ..case };
    vec![
        // ---- the auth store ----
        c(
            "store truncated",
            MainStore,
            Bytes(format!("{STORE_START}{MARKER}").into_bytes()),
            Some("store_unreadable"),
            "not valid JSON",
        ),
        c(
            "store with a UTF-8 BOM",
            MainStore,
            Bytes(bom),
            Some("store_unreadable"),
            "byte-order mark",
        ),
        c(
            "store 0 bytes",
            MainStore,
            Bytes(Vec::new()),
            Some("store_unreadable"),
            "empty (0 bytes)",
        ),
        c(
            "store 100 MB",
            MainStore,
            Sparse(b(STORE_START), 100 << 20),
            Some("store_unreadable"),
            "limit of 16777216 bytes (16 MiB)",
        ),
        c(
            "store 10 000 levels deep",
            MainStore,
            Bytes(nest(10_000)),
            Some("store_unreadable"),
            "recursion limit",
        ),
        c(
            "store 10 000 objects deep",
            MainStore,
            Bytes(nest_objects(10_000)),
            Some("store_unreadable"),
            "recursion limit",
        ),
        c(
            "store invalid UTF-8",
            MainStore,
            Bytes(bad_utf8),
            Some("store_unreadable"),
            "not valid JSON",
        ),
        c(
            "store NUL bytes",
            MainStore,
            Bytes(nul),
            Some("store_unreadable"),
            "not valid JSON",
        ),
        c(
            "store duplicate keys",
            MainStore,
            Bytes(b(&format!(
                r#"{{"version":1,"profiles":{{"p:default":{{"type":"api_key","provider":"p","key":"{MARKER}"}},"p:default":{{"type":"api_key","provider":"p","key":"sk-second"}}}}}}"#
            ))),
            Some("duplicate_key"),
            "p:default",
        ),
        c(
            "store huge number",
            MainStore,
            Bytes(b(
                r#"{"version":1,"profiles":{"p:default":{"type":"token","provider":"p","token":"t","expires":1e400}}}"#,
            )),
            Some("store_unreadable"),
            "number out of range",
        ),
        with(
            c(
                "store huge and negative expiry",
                MainStore,
                Bytes(b(
                    r#"{"version":1,"profiles":{"p:default":{"type":"token","provider":"p","token":"t","expires":-1},"p:big":{"type":"token","provider":"p","token":"t","expires":123456789012345678901234567890},"p:neg":{"type":"token","provider":"p","token":"t","expires":-9223372036854775809}}}"#,
                )),
                Some("expires_invalid"),
                "expires",
            ),
            NONE,
        ),
        with(
            c(
                "store is an array",
                MainStore,
                Bytes(b("[1,2,3]")),
                Some("not_a_store"),
                "no `profiles` object",
            ),
            NOT_A_STORE,
        ),
        with(
            c(
                "store is a string",
                MainStore,
                Bytes(b("\"sk-just-a-string\"")),
                Some("not_a_store"),
                "no `profiles` object",
            ),
            NOT_A_STORE,
        ),
        with(
            c(
                "store is null",
                MainStore,
                Bytes(b("null")),
                Some("not_a_store"),
                "no `profiles` object",
            ),
            NOT_A_STORE,
        ),
        with(
            c(
                "store profiles is a list",
                MainStore,
                Bytes(b(r#"{"version":1,"profiles":[{"type":"api_key"}]}"#)),
                Some("not_a_store"),
                "no `profiles` object",
            ),
            NOT_A_STORE,
        ),
        c(
            "store unreadable permissions",
            MainStore,
            Unreadable(b(r#"{"version":1,"profiles":{}}"#)),
            Some("store_unreadable"),
            "Permission denied",
        ),
        c(
            "store is a directory",
            MainStore,
            Dir,
            Some("store_unreadable"),
            "is a directory",
        ),
        c(
            "store symlink loop",
            MainStore,
            Loop,
            Some("store_unreadable"),
            "symbolic links",
        ),
        c(
            "store dangling symlink",
            MainStore,
            Dangling,
            Some("store_unreadable"),
            "dangling symbolic link",
        ),
        c(
            "store is a FIFO",
            MainStore,
            Fifo,
            Some("store_unreadable"),
            "not a regular file",
        ),
        c(
            "store links to /dev/zero",
            MainStore,
            DevZero,
            Some("store_unreadable"),
            "not a regular file",
        ),
        c(
            "copy destination truncated",
            CronbotStore,
            Bytes(b(STORE_START)),
            Some("store_unreadable"),
            "not valid JSON",
        ),
        c(
            "agent directory is a file",
            MainAgentDir,
            Bytes(b("not a directory")),
            Some("store_unreadable"),
            "is not a directory",
        ),
        c(
            "agent directory links to /dev/zero",
            MainAgentDir,
            DevZero,
            Some("store_unreadable"),
            "is not a directory",
        ),
        // ---- openclaw.json ----
        c(
            "config JSON5 syntax error",
            Config,
            Bytes(b("{ agents: { list: [ { id: \"main\" ")),
            Some("config_unreadable"),
            "not valid JSON5",
        ),
        c(
            "config 10 000 levels deep",
            Config,
            Bytes(nest(10_000)),
            Some("config_unreadable"),
            "nested more than",
        ),
        c(
            "config 10 000 objects deep",
            Config,
            Bytes(b(&format!(
                "{}1{}",
                "{a:".repeat(10_000),
                "}".repeat(10_000)
            ))),
            Some("config_unreadable"),
            "nested more than",
        ),
        c(
            "config invalid UTF-8",
            Config,
            Bytes(cfg_bad_utf8),
            Some("config_unreadable"),
            "not valid UTF-8",
        ),
        c(
            "config 0 bytes",
            Config,
            Bytes(Vec::new()),
            Some("config_unreadable"),
            "not valid JSON5",
        ),
        c(
            "config is an array",
            Config,
            Bytes(b("[]")),
            Some("config_unreadable"),
            "not an object",
        ),
        c(
            "config 100 MB",
            Config,
            Sparse(b("{"), 100 << 20),
            Some("config_unreadable"),
            "limit of 16777216 bytes (16 MiB)",
        ),
        c(
            "config is a directory",
            Config,
            Dir,
            Some("config_unreadable"),
            "is a directory",
        ),
        c(
            "config symlink loop",
            Config,
            Loop,
            Some("config_unreadable"),
            "symbolic links",
        ),
        c(
            "config is a FIFO",
            Config,
            Fifo,
            Some("config_unreadable"),
            "not a regular file",
        ),
        c(
            "config unreadable permissions",
            Config,
            Unreadable(b("{}")),
            Some("config_unreadable"),
            "Permission denied",
        ),
        // ---- other files clawauth reads ----
        c(
            "cron jobs truncated",
            Cron,
            Bytes(b(r#"{"version":1,"jobs":[{"id":"#)),
            Some("cron_unreadable"),
            "not valid JSON",
        ),
        c(
            "cron jobs 10 000 deep",
            Cron,
            Bytes(nest(10_000)),
            Some("cron_unreadable"),
            "recursion limit",
        ),
        c(
            "cron jobs is a FIFO",
            Cron,
            Fifo,
            Some("cron_unreadable"),
            "not a regular file",
        ),
        c(
            "models.json NUL bytes",
            ModelsJson,
            Bytes(vec![0; 64]),
            Some("models_json_unreadable"),
            "not valid JSON",
        ),
        c(
            ".env is a FIFO",
            DotEnv,
            Fifo,
            Some("dotenv_unreadable"),
            "not a regular file",
        ),
        c(
            ".env 100 MB",
            DotEnv,
            Sparse(b("K=v\n"), 100 << 20),
            Some("dotenv_unreadable"),
            "limit of 1048576 bytes (1 MiB)",
        ),
        // ---- SQLite (OpenClaw ≥ 2026.6) ----
        c(
            "agent db garbage",
            AgentDb,
            Bytes(b(
                "this is not a database at all, just text, padding padding padding",
            )),
            Some("store_unreadable"),
            "not a database",
        ),
        c("agent db truncated", AgentDb, Bytes(Vec::new()), None, ""),
        c(
            "agent db cell not JSON",
            AgentDb,
            Sql(
                "CREATE TABLE auth_profile_store (store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER); INSERT INTO auth_profile_store VALUES ('primary', '{\"version\":1,\"profiles\":', 0);",
            ),
            Some("store_unreadable"),
            "not valid JSON",
        ),
        c(
            "agent db cell deep",
            AgentDb,
            Sql(
                "CREATE TABLE auth_profile_store (store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER); INSERT INTO auth_profile_store VALUES ('primary', printf('%.*c', 5000, '['), 0);",
            ),
            Some("store_unreadable"),
            "recursion limit",
        ),
        c(
            "agent db cell is a blob",
            AgentDb,
            Sql(
                "CREATE TABLE auth_profile_store (store_key TEXT PRIMARY KEY, store_json BLOB, updated_at INTEGER); INSERT INTO auth_profile_store VALUES ('primary', x'00ff00ff', 0);",
            ),
            Some("store_unreadable"),
            "auth_profile_store",
        ),
        c(
            "agent db is a directory",
            AgentDb,
            Dir,
            Some("store_unreadable"),
            "openclaw-agent.sqlite",
        ),
        c(
            "agent db locked",
            AgentDb,
            Locked,
            Some("store_unreadable"),
            "locked",
        ),
        c(
            "state db garbage",
            StateDb,
            Bytes(b(
                "SQLite format 3\0 but then garbage garbage garbage garbage garbage garbage garbage",
            )),
            Some("store_unreadable"),
            "openclaw.sqlite",
        ),
    ]
}

const CONFIG: &str = r#"{
  agents: { list: [ { id: "main", default: true, model: "p/m" }, { id: "cronbot", model: "p/m" } ] },
  models: { providers: { p: { baseUrl: "https://p.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
}
"#;

const SQLITE_CONFIG: &str = r#"{
  agents: { entries: { main: { default: true, model: "p/m" }, cronbot: { model: "p/m" } } },
  models: { providers: { p: { baseUrl: "https://p.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
}
"#;

const AGENT_DB_SQL: &str = "CREATE TABLE auth_profile_store (store_key TEXT NOT NULL PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE auth_profile_state (state_key TEXT NOT NULL PRIMARY KEY, state_json TEXT NOT NULL, updated_at INTEGER NOT NULL);";

fn main_store() -> Value {
    store_of(&[
        ("p:default", api_key("p", "sk-p-shared-0001")),
        ("x:default", api_key("x", "sk-x-main-0002")),
    ])
}

/// A clean state (validate finds nothing), in the generation the case needs.
fn base(sqlite: bool) -> Fixture {
    let f = Fixture::new();
    f.write("cron/jobs.json", r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","payload":{"kind":"agentTurn","model":"p/m"}}]}"#);
    if sqlite {
        f.config(SQLITE_CONFIG);
        for (agent, doc) in [
            ("main", main_store()),
            (
                "cronbot",
                store_of(&[("p:default", api_key("p", "sk-p-cron-0003"))]),
            ),
        ] {
            let path = f.agent_dir(agent).join("openclaw-agent.sqlite");
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(AGENT_DB_SQL).unwrap();
            c.execute(
                "INSERT INTO auth_profile_store VALUES ('primary', ?1, 0)",
                [doc.to_string()],
            )
            .unwrap();
            drop(c);
            set_mode(&path, 0o600);
        }
    } else {
        f.config(CONFIG);
        f.store("main", main_store());
        f.store(
            "cronbot",
            store_of(&[("p:default", api_key("p", "sk-p-shared-0001"))]),
        );
    }
    for dir in [
        "agents",
        "agents/main",
        "agents/main/agent",
        "agents/cronbot",
        "agents/cronbot/agent",
    ] {
        set_mode(&f.state.join(dir), 0o700);
    }
    f
}

/// Puts the hostile content in place; returns the path messages must name.
fn plant(f: &Fixture, case: &Case) -> PathBuf {
    let path = f.state.join(case.place.rel());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    if path.is_dir() {
        std::fs::remove_dir_all(&path).unwrap();
    } else if std::fs::symlink_metadata(&path).is_ok() {
        std::fs::remove_file(&path).unwrap();
    }
    match &case.content {
        Content::Bytes(bytes) => std::fs::write(&path, bytes).unwrap(),
        Content::Sparse(start, len) => {
            std::fs::write(&path, start).unwrap();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(*len)
                .unwrap();
        }
        Content::Dir => std::fs::create_dir(&path).unwrap(),
        Content::Loop => symlink(path.file_name().unwrap(), &path).unwrap(),
        Content::Dangling => symlink("gone/auth-profiles.json", &path).unwrap(),
        Content::Unreadable(bytes) => {
            std::fs::write(&path, bytes).unwrap();
            set_mode(&path, 0o000);
        }
        Content::Fifo => {
            let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        }
        Content::DevZero => symlink("/dev/zero", &path).unwrap(),
        Content::Sql(sql) => {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(sql).unwrap();
        }
        Content::Locked => {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(AGENT_DB_SQL).unwrap();
        }
    }
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        && !matches!(case.content, Content::Unreadable(_))
    {
        set_mode(&path, 0o600);
    }
    path
}

/// Holds an exclusive SQLite lock (rollback journal) until dropped.
fn lock_db(path: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("PRAGMA journal_mode=DELETE; BEGIN EXCLUSIVE;")
        .unwrap();
    c
}

/// Every command, as a user would run it on the state.
fn commands(f: &Fixture) -> Vec<(&'static str, Invocation)> {
    let with = |args: &[&str]| Invocation::on(f, args);
    vec![
        ("status", with(&["status"])),
        ("status-json", with(&["status", "--json"])),
        ("status-check", with(&["status", "--check"])),
        ("validate", with(&["validate"])),
        ("validate-json", with(&["validate", "--json"])),
        (
            "set",
            with(&[
                "set",
                "--provider",
                "newp",
                "--new-provider",
                "--type",
                "api_key",
                "--agent",
                "main",
                "--secret-stdin",
            ])
            .stdin(MARKER),
        ),
        ("copy", with(&["copy", "--from", "main", "--to", "cronbot"])),
        (
            "rotate",
            with(&["rotate", "--provider", "p", "--secret-stdin"])
                .stdin(&format!("{MARKER}-rotated")),
        ),
        ("repair", with(&["repair", "--yes"])),
    ]
}

/// Whether some write command may legitimately write (one the hostile file does not concern).
fn allowed_writes(case: &Case) -> bool {
    !case.place.sqlite() && case.refused.len() < ALL.len()
}

#[test]
fn baseline_is_clean_and_every_write_works() {
    for sqlite in [false, true] {
        let f = base(sqlite);
        let r = f.report();
        let problems: Vec<_> = r
            .problems
            .iter()
            .filter(|p| p.severity != clawauth::domain::problem::Severity::Info)
            .collect();
        assert!(
            problems.is_empty(),
            "baseline (sqlite {sqlite}) has problems: {problems:?}"
        );
        if sqlite {
            continue;
        }
        for (name, inv) in commands(&f) {
            let fresh = base(false);
            let mut inv = inv;
            for a in inv.args.iter_mut() {
                if a == &f.state.display().to_string() {
                    *a = fresh.state.display().to_string();
                }
            }
            let run = run(&inv);
            run.assert_sane();
            assert_eq!(run.code, Some(0), "{name}: {}", run.describe());
        }
    }
}

#[test]
fn every_command_survives_every_hostile_input() {
    let mut failures = Vec::new();
    for case in cases() {
        if let Err(e) = check_case(&case) {
            failures.push(format!("### {}\n{e}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn check_case(case: &Case) -> Result<(), String> {
    let f = base(case.place.sqlite());
    let hostile = plant(&f, case);
    // A file where the agent's directory should be is reported on the store it blocks.
    let named = match case.place {
        Place::MainAgentDir => hostile.join("auth-profiles.json"),
        _ => hostile.clone(),
    };
    let shown = named.display().to_string();
    let as_user = (matches!(case.content, Content::Unreadable(_)) && is_root()).then(|| {
        chown_tree(f.state.parent().unwrap(), NOBODY);
        NOBODY
    });
    let before = snapshot(f.state.parent().unwrap());
    // Taken after the snapshot: closing any descriptor of the file in this process
    // (as reading it does) would release SQLite's POSIX lock.
    let lock = matches!(case.content, Content::Locked).then(|| lock_db(&hostile));
    let invs: Vec<(&str, Invocation)> = commands(&f)
        .into_iter()
        .map(|(n, mut i)| {
            i.as_user = as_user;
            (n, i)
        })
        .collect();
    let names: Vec<&str> = invs.iter().map(|(n, _)| *n).collect();
    // Commands that write run one after the other (each verifies what it wrote, which
    // another writer would disturb); when every write must be refused, all run at once.
    let runs = if allowed_writes(case) {
        let (writes, reads): (Vec<_>, Vec<_>) = invs
            .into_iter()
            .enumerate()
            .partition(|(_, (n, _))| ["set", "copy", "rotate", "repair"].contains(n));
        let read_runs = run_all(reads.iter().map(|(_, (_, i))| i.clone()).collect());
        let mut all: Vec<(usize, Run)> = reads.iter().map(|(k, _)| *k).zip(read_runs).collect();
        all.extend(writes.iter().map(|(k, (_, i))| (*k, run(i))));
        all.sort_by_key(|(k, _)| *k);
        all.into_iter().map(|(_, r)| r).collect()
    } else {
        run_all(invs.into_iter().map(|(_, i)| i).collect())
    };
    let mut errors = Vec::new();
    if std::env::var_os("HOSTILE_SHOW").is_some() {
        for (name, run) in names.iter().zip(&runs) {
            if ["validate", "set", "copy", "rotate"].contains(name) {
                eprintln!(
                    "=== {} / {name}: exit {:?} in {:?}\n{}{}",
                    case.name, run.code, run.elapsed, run.stdout, run.stderr
                );
            }
        }
    }
    for (name, run) in names.iter().zip(&runs) {
        if let Err(e) = std::panic::catch_unwind(|| run.assert_sane()) {
            errors.push(format!("{name}: {}", panic_text(e)));
            continue;
        }
        if run.all().contains(MARKER) {
            errors.push(format!(
                "{name}: the planted secret leaked\n{}",
                run.describe()
            ));
        }
        if let Err(e) = expect(case, name, run, &shown) {
            errors.push(format!("{name}: {e}\n{}", run.describe()));
        }
    }
    if case.place != Place::DotEnv
        && !matches!(case.content, Content::Unreadable(_))
        && let Err(e) = ui::check(&f, case, &shown)
    {
        errors.push(format!("the UI (load, overview, add wizard): {e}"));
    }
    drop(lock);
    let after = snapshot(f.state.parent().unwrap());
    let changes = diff(&before, &after);
    let hostile_rel = hostile.strip_prefix(f.state.parent().unwrap()).unwrap();
    // A valid (if odd) store that `set` may write: only the other files must stay.
    let hostile_writable = case.place == Place::MainStore && !case.refused.contains(&"set");
    let bad: Vec<&String> = changes
        .iter()
        .filter(|c| {
            !allowed_writes(case)
                || (c.contains(&hostile_rel.display().to_string()) && !hostile_writable)
        })
        .collect();
    if !bad.is_empty() {
        errors.push(format!("files changed: {bad:#?}"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn panic_text(e: Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Every error `validate` printed is `needs_attention` (and there is one).
fn only_needs_attention(stdout: &str) -> bool {
    let codes: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("error "))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    !codes.is_empty() && codes.iter().all(|c| *c == "needs_attention")
}

/// The expected outcome of one command on one case.
fn expect(case: &Case, name: &str, run: &Run, shown: &str) -> Result<(), String> {
    let code = run.code.unwrap();
    match name {
        "status" | "status-json" => {
            if code != 0 {
                return Err(format!("exit {code}, want 0"));
            }
            if case.code.is_some() && !run.stdout.contains(shown) {
                return Err("the report does not name the file".into());
            }
        }
        "status-check" => {
            if ![0, 1, 2].contains(&code) {
                return Err(format!("exit {code}, want 0, 1 or 2"));
            }
        }
        "validate" => {
            let want = if case.code.is_some() { 1 } else { 0 };
            // An accepted file can still leave an agent without its key (a truncated
            // database reads as empty): that cell is reported as needs_attention, and
            // nothing else may be an error.
            let only_lost_keys =
                case.code.is_none() && code == 1 && only_needs_attention(&run.stdout);
            if code != want && !only_lost_keys {
                return Err(format!("exit {code}, want {want}"));
            }
            if case.code.is_some()
                && !(run.stdout.contains(shown) && run.stdout.contains(case.says))
            {
                return Err(format!(
                    "the message does not name the file or say {:?}",
                    case.says
                ));
            }
        }
        "validate-json" => {
            let doc: Value =
                serde_json::from_str(&run.stdout).map_err(|e| format!("not JSON: {e}"))?;
            if let Some(want) = case.code {
                let found = doc["problems"].as_array().unwrap().iter().any(|p| {
                    p["code"] == want
                        && p["file"] == json!(shown)
                        && p["fix"].as_str().is_some_and(|f| !f.is_empty())
                });
                if !found {
                    return Err(format!("no problem {want} for {shown} with a fix"));
                }
            }
        }
        "set" | "copy" | "rotate" => {
            if case.place.sqlite() {
                // Refused: the database cannot be read, or (no openclaw executable here)
                // the OpenClaw command that would write it cannot run.
                if code != 4 {
                    return Err(format!("exit {code}, want 4"));
                }
                if case.code.is_some() && !run.stderr.contains(shown) {
                    return Err("the refusal does not name the database".into());
                }
            } else if case.refused.contains(&name) {
                if code != 4 {
                    return Err(format!("exit {code}, want 4 (refused, nothing written)"));
                }
                if !run.stderr.contains(shown) {
                    return Err("the refusal does not name the file".into());
                }
            } else if code != 0 {
                return Err(format!("exit {code}, want 0"));
            }
        }
        "repair" => {
            if ![0, 4].contains(&code) {
                return Err(format!("exit {code}, want 0 or 4"));
            }
            if case.code.is_some() && !run.all().contains(shown) {
                return Err("repair does not name the file".into());
            }
        }
        _ => unreachable!(),
    }
    Ok(())
}

#[test]
fn demo_and_the_wizard_start_survive_a_hostile_environment() {
    let f = Fixture::new();
    // TMPDIR is a file: the demo cannot make its state, and says why and what to do.
    let file = f.home.join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let r = run(&Invocation::new(&["demo"]).env("TMPDIR", file.to_str().unwrap()));
    r.assert_sane();
    assert_eq!(r.code, Some(3), "{}", r.describe());
    assert!(
        r.stderr.contains("cannot write the demo state") && r.stderr.contains("TMPDIR"),
        "{}",
        r.describe()
    );
    // With a usable TMPDIR the demo runs and removes its state (a directory or link
    // already at its path is never written into: see the unit test in src/cli/demo.rs).
    let tmp = f.home.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let r = run(&Invocation::new(&["demo", "--json"]).env("TMPDIR", tmp.to_str().unwrap()));
    r.assert_sane();
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "demo state removed"
    );
    // No subcommand without a terminal: an error naming the subcommands, on any state.
    // With one, the UI starts by its backend's first load, drawn here in this process:
    // an empty, missing or file state dir holds no provider, so `a` offers onboarding
    // and nothing is planned or written by pressing Enter alone.
    for state in [
        f.state.display().to_string(),
        "/nonexistent/state".into(),
        file.display().to_string(),
    ] {
        let r = run(&Invocation::new(&["--state-dir", state.as_str()]));
        r.assert_sane();
        assert_eq!(r.code, Some(3), "{}", r.describe());
        assert!(
            r.stderr.contains("clawauth status") && r.stderr.contains("terminal"),
            "{}",
            r.describe()
        );
        let backend = ui::backend(Path::new(&state), f.env_snapshot());
        // Onboarding: `a` on a state with no provider opens the provider step, whose
        // first entry is "A custom provider…"; Enter alone never gets past its empty id,
        // so the walk stops there with nothing planned or written.
        match ui::add_through_the_wizard(&backend, MARKER) {
            Ok(ui) => {
                assert!(ui.screens[0].contains("No providers found"), "{state}");
                assert!(ui.planned.is_err() && ui.applied.is_none(), "{state}");
            }
            Err(stuck) => assert!(
                stuck.contains("CustomProvider") && stuck.contains("is empty"),
                "{state}: {stuck}"
            ),
        }
    }
}
