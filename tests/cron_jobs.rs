//! Cron jobs as the user knows them (issue 12 item 4): by name (id only when unnamed),
//! enabled or not, with the recorded last error and when, linked to the cell — in text
//! status and in `status --json` (`cronJobs`), on both store generations. A disabled
//! job that failed is listed, not ignored.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use serde_json::{Value, json};

const LINE: &str = "daily-briefing (disabled) last failed 2025-11-24 21:06 UTC: No API key found for provider \"my-proxy\" → cronbot × my-proxy ✗ missing";

fn failed_job() -> Value {
    json!({"id": "3f2a9c1e-uuid", "name": "daily-briefing", "enabled": false, "agentId": "cronbot",
           "sessionTarget": "isolated", "payload": {"kind": "agentTurn", "model": "my-proxy/m"},
           "state": {"lastRunAtMs": 1764018360000_i64, "lastStatus": "error",
                     "lastError": "No API key found for provider \"my-proxy\"", "lastErrorReason": "auth"}})
}

fn check(f: &Fixture) {
    let o = clawauth_with(f, &["status"], "", "/usr/bin:/bin");
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(text.contains(&format!("Cron jobs:\n  {LINE}\n")), "{text}");
    assert!(
        text.contains("  nightly (enabled) → cronbot × my-proxy ✗ missing"),
        "{text}"
    );
    assert!(
        !text.contains("3f2a9c1e-uuid"),
        "named jobs are shown by name: {text}"
    );
    for args in [&["status", "--json"][..], &["status", "--json", "--check"]] {
        let o = clawauth_with(f, args, "", "/usr/bin:/bin");
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let jobs = v["cronJobs"].as_array().unwrap();
        let job = jobs.iter().find(|j| j["id"] == "3f2a9c1e-uuid").unwrap();
        assert_eq!(job["name"], "daily-briefing");
        assert_eq!(job["enabled"], false);
        assert_eq!(
            (job["agent"].as_str(), job["providers"][0].as_str()),
            (Some("cronbot"), Some("my-proxy"))
        );
        assert_eq!(
            job["lastError"],
            "No API key found for provider \"my-proxy\""
        );
        assert_eq!(job["lastErrorReason"], "auth");
        assert_eq!(job["lastRunAtMs"], 1764018360000_i64);
        let unnamed = jobs.iter().find(|j| j["id"] == "nightly").unwrap();
        assert_eq!(
            (unnamed["enabled"].as_bool(), unnamed["lastError"].is_null()),
            (Some(true), true)
        );
        // The cell keeps its `cron` field of ids (enabled jobs), for compatibility.
        let cell = json_cell(&v, "cronbot", "my-proxy");
        assert_eq!(cell["cron"], json!(["nightly"]), "{cell}");
    }
}

#[test]
fn json_generation_cron_jobs_by_name_with_last_error() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let nightly = json!({"id": "nightly", "agentId": "cronbot", "sessionTarget": "isolated", "payload": {"kind": "agentTurn", "model": "my-proxy/m"}});
    f.write(
        "cron/jobs.json",
        &json!({"version": 1, "jobs": [failed_job(), nightly]}).to_string(),
    );
    check(&f);
}

/// 2026.9 keeps name, enabled and the run state in columns beside `job_json`.
#[test]
fn sqlite_generation_cron_jobs_by_name_with_last_error() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let db = f.state.join("state/openclaw.sqlite");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("CREATE TABLE cron_jobs (store_key TEXT NOT NULL, job_id TEXT NOT NULL, declaration_key TEXT, owner_agent_id TEXT, name TEXT NOT NULL, description TEXT, enabled INTEGER NOT NULL, agent_id TEXT, payload_kind TEXT NOT NULL, job_json TEXT NOT NULL, state_json TEXT NOT NULL DEFAULT '{}', sort_order INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL, PRIMARY KEY (store_key, job_id)) STRICT;").unwrap();
    let mut job = failed_job();
    let state = job.as_object_mut().unwrap().remove("state").unwrap();
    job.as_object_mut().unwrap().remove("name");
    job.as_object_mut().unwrap().remove("enabled");
    c.execute("INSERT INTO cron_jobs (store_key, job_id, name, enabled, agent_id, payload_kind, job_json, state_json, sort_order, updated_at) VALUES ('default', '3f2a9c1e-uuid', 'daily-briefing', 0, 'cronbot', 'agentTurn', ?1, ?2, 0, 0)", [job.to_string(), state.to_string()]).unwrap();
    let nightly = json!({"payload": {"kind": "agentTurn", "model": "my-proxy/m"}, "sessionTarget": "isolated"});
    c.execute("INSERT INTO cron_jobs (store_key, job_id, name, enabled, agent_id, payload_kind, job_json, sort_order, updated_at) VALUES ('default', 'nightly', '', 1, 'cronbot', 'agentTurn', ?1, 1, 0)", [nightly.to_string()]).unwrap();
    drop(c);
    assert_eq!(f.report().generation, "sqlite");
    check(&f);
}
