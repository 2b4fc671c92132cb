//! Small hardening items of issue 10: cron failures fail closed, cron processing is
//! linear in the number of jobs, $include fan-out is bounded and reported.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn an_unreadable_cron_file_makes_status_check_fail_closed() {
    let f = founding();
    f.write("cron/jobs.json", "{ not json");
    let o = clawauth_with(&f, &["status", "--check"], "", "/nonexistent");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // A readable file with every needed credential present is fine.
    f.write("cron/jobs.json", r#"{"version":1,"jobs":[]}"#);
    let o = clawauth_with(&f, &["status", "--check"], "", "/nonexistent");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn jobs(n: usize) -> String {
    let jobs: Vec<_> = (0..n)
        .map(|i| {
            json!({"id": format!("job-{i}"), "agentId": "cronbot", "sessionTarget": "isolated",
            "payload": {"kind": "agentTurn", "model": "my-proxy/m"}})
        })
        .collect();
    json!({"version": 1, "jobs": jobs}).to_string()
}

fn report_time(f: &Fixture) -> Duration {
    let started = Instant::now();
    let r = f.report();
    assert!(r.problems.iter().any(|p| p.code == "cron_auth_missing"));
    started.elapsed()
}

#[test]
fn cron_processing_is_linear_in_the_number_of_jobs() {
    let f = founding();
    f.write("cron/jobs.json", &jobs(100_000));
    let big = report_time(&f);
    // Quadratic work took 7.5 s for 100,000 jobs; linear work takes well under one.
    assert!(
        big < Duration::from_secs(3),
        "100,000 cron jobs took {big:?}"
    );
}

#[test]
fn ids_openclaw_would_misread_are_refused() {
    let f = founding();
    let store = f.agent_dir("assistant").join("auth-profiles.json");
    let before = std::fs::read(&store).unwrap();
    for args in [
        &[
            "set",
            "--provider=--help",
            "--type",
            "api_key",
            "--agent",
            "assistant",
            "--secret-stdin",
        ][..],
        &[
            "set",
            "--provider",
            "x",
            "--new-provider",
            "--profile-id=",
            "--type",
            "api_key",
            "--agent",
            "assistant",
            "--secret-stdin",
        ],
        &[
            "set",
            "--provider",
            "x\u{1b}]0;t\u{7}",
            "--type",
            "api_key",
            "--agent",
            "assistant",
            "--secret-stdin",
        ],
        &["rotate", "--provider=-x", "--secret-stdin"],
    ] {
        let o = clawauth_with(&f, args, "sk-ids-0123456789", "/nonexistent");
        assert_eq!(o.status.code(), Some(4), "{args:?}: {}", text(&o));
        assert!(!o.stderr.contains(&0x1b), "{args:?}");
        assert_eq!(std::fs::read(&store).unwrap(), before, "{args:?}");
    }
}

#[test]
fn a_running_openclaw_on_this_state_is_warned_about() {
    let f = founding();
    let fake = f.home.join("openclaw");
    std::fs::write(&fake, "#!/bin/sh\nsleep 30\n").unwrap();
    set_mode(&fake, 0o755);
    let mut child = std::process::Command::new(&fake)
        .args([
            "models",
            "auth",
            "paste-token",
            "--provider",
            "sk-not-shown-0123456789",
        ])
        .env("OPENCLAW_STATE_DIR", &f.state)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let args = [SET_X_FOR_ASSISTANT, &["--dry-run", "--json"]].concat();
    let o = clawauth_with(&f, &args, "sk-running-0123456789", "/nonexistent");
    let _ = child.kill();
    let _ = child.wait();
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warnings = doc["plan"]["warnings"].to_string();
    let wanted = format!(
        "OpenClaw is running (pid {}: openclaw models auth paste-token)",
        child.id()
    );
    assert!(warnings.contains(&wanted), "{warnings}");
    assert!(!warnings.contains("sk-not-shown"), "{warnings}");
}

/// Issue 10 item 5, end to end: nine config files that each include the next ten
/// times (10^8 includes unbounded) finish quickly, and `validate --json` names the
/// limit and a file that crossed it.
#[test]
fn include_fan_out_is_bounded_and_reported_by_validate() {
    let f = Fixture::new();
    for i in 0..9 {
        let body = if i == 8 {
            "{ models: { mode: 'merge' } }".to_string()
        } else {
            let list = vec![format!("'./f{}.json5'", i + 1); 10].join(", ");
            format!("{{ $include: [{list}], k{i}: {{ a: 1 }} }}")
        };
        f.write(&format!("f{i}.json5"), &body);
    }
    f.config("{ $include: './f0.json5' }");
    let started = Instant::now();
    let o = clawauth_with(&f, &["validate", "--json"], "", "/nonexistent");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let limit: Vec<_> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "config_include_limit")
        .collect();
    assert_eq!(limit.len(), 1, "{doc:#}");
    assert!(limit[0].to_string().contains(".json5"), "{}", limit[0]);
}
