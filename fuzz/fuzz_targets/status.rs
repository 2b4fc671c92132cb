//! Arbitrary OpenClaw states → discovery, the status report (human and JSON),
//! validate, and the repair plan. The input is split on `\n@@\n` into the files of a
//! state dir (the last two parts are the `store_json` and `state_json` rows of main's
//! 2026.9 SQLite agent database); its first byte picks the store generation. The
//! human `status` and `validate` output never holds a control character but `\n`.
#![no_main]

use clawauth::cli::{StatusArgs, ValidateArgs, status, validate};
use clawauth::domain::read::discovery::{DiscoverOptions, discover};
use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::domain::ops::repair::plan_repair;
use clawauth::domain::read::paths::PathOverrides;
use clawauth::domain::status::report::{Filter, StatusModel, build_report, write_json_streaming};
use clawauth::domain::read::version::Version;
use clawauth::domain::text::is_unsafe_char;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Where each part of the input goes, in order.
const FILES: &[&str] = &[
    "openclaw.json",
    "agents/main/agent/auth-profiles.json",
    "agents/cronbot/agent/auth-profiles.json",
    "agents/assistant/agent/auth.json",
    "cron/jobs.json",
    "agents/main/agent/models.json",
    "credentials/oauth.json",
    ".env",
];

/// main's 2026.9 agent database; the parts after [`FILES`] are its two rows.
const AGENT_DB: &str = "agents/main/agent/openclaw-agent.sqlite";

fn root() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap().keep())
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let state = root().join("state");
    let _ = std::fs::remove_dir_all(&state);
    let mut parts = split(rest);
    parts.truncate(FILES.len() + 2);
    if parts.len() > FILES.len() {
        write_agent_db(&state, &parts[FILES.len()..]);
    }
    for (rel, bytes) in FILES.iter().zip(&parts) {
        if bytes.is_empty() {
            continue;
        }
        let path = state.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    }
    std::fs::create_dir_all(&state).unwrap();
    let executable_version = match selector % 3 {
        0 => None,
        1 => Some((
            Version::parse("2026.4.5").unwrap(),
            PathBuf::from("/fuzz/openclaw"),
        )),
        _ => Some((
            Version::parse("2026.9.6").unwrap(),
            PathBuf::from("/fuzz/openclaw"),
        )),
    };
    let options = DiscoverOptions {
        paths: PathOverrides {
            state_dir: Some(state.clone()),
            ..Default::default()
        },
        executable_version,
        now_ms: 1_767_225_600_000.0,
    };
    let env = EnvSnapshot::from_pairs([
        ("HOME", root().join("home").display().to_string()),
        ("OPENROUTER_API_KEY", "sk-or-fuzz".to_string()),
        ("ANTHROPIC_API_KEY", "sk-ant-fuzz".to_string()),
    ]);
    let Ok(d) = discover(&options, &env) else {
        return;
    };
    let report = build_report(&d);
    let _ = serde_json::to_string(&report).unwrap();
    let model = StatusModel::new(&d);
    let mut sink = Vec::new();
    write_json_streaming(&model, &Filter::default(), &mut sink).unwrap();
    let _: serde_json::Value = serde_json::from_slice(&sink).expect("status --json is JSON");
    let mut out = Vec::new();
    let args = StatusArgs {
        check: selector & 4 != 0,
        ..Default::default()
    };
    status(&d, &args, selector & 8 != 0, &mut std::io::sink()).unwrap();
    status(&d, &StatusArgs::default(), false, &mut out).unwrap();
    validate(&d, &ValidateArgs::default(), false, &mut out).unwrap();
    let shown = String::from_utf8_lossy(&out);
    if let Some(c) = shown.chars().find(|&c| c != '\n' && is_unsafe_char(c)) {
        panic!("{c:?} reached the human output:\n{shown}");
    }
    if let Ok(plan) = plan_repair(&d, &[]) {
        let _ = plan.preview();
    }
});

/// Writes main's agent database with `rows[0]` as `auth_profile_store.primary` and
/// `rows[1]` (if any) as `auth_profile_state.primary`, as text (lossy UTF-8).
fn write_agent_db(state: &std::path::Path, rows: &[&[u8]]) {
    let path = state.join(AGENT_DB);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE auth_profile_store (store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER);
         CREATE TABLE auth_profile_state (state_key TEXT PRIMARY KEY, state_json TEXT, updated_at INTEGER);",
    )
    .unwrap();
    for (table, row) in ["auth_profile_store", "auth_profile_state"].iter().zip(rows) {
        conn.execute(
            &format!("INSERT INTO {table} VALUES ('primary', ?1, 0)"),
            [String::from_utf8_lossy(row).into_owned()],
        )
        .unwrap();
    }
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    const SEP: &[u8] = b"\n@@\n";
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(SEP.len()).position(|w| w == SEP) {
        parts.push(&rest[..i]);
        rest = &rest[i + SEP.len()..];
    }
    parts.push(rest);
    parts
}
