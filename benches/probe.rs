//! Live-check benchmark: `clawauth probe --json` on 100 agents whose stores share 20
//! distinct keys for one provider, against the loopback mock (each answer delayed
//! 100 ms). Reports the requests the mock received (expected: 20, one per distinct
//! key) and the wall time (min/median/max over runs) against the ideal
//! slowest × 20 / concurrency. Run with `cargo bench --bench probe`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench may panic on a broken fixture

#[path = "../tests/probe_support/mock.rs"]
mod mock;

use mock::{Mock, Reply};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const AGENTS: usize = 100;
const KEYS: usize = 20;
const DELAY: Duration = Duration::from_millis(100);
const RUNS: usize = 5;

fn write_fleet(root: &Path, base: &str) {
    let agents: Vec<serde_json::Value> = (0..AGENTS)
        .map(|i| serde_json::json!({"id": format!("agent-{i:03}"), "model": "px/m"}))
        .collect();
    let config = serde_json::json!({"agents": {"list": agents}, "models": {"providers": {"px": {"baseUrl": format!("{base}/v1"), "api": "openai-completions", "models": [{"id": "m", "name": "m"}]}}}});
    std::fs::write(root.join("openclaw.json"), config.to_string()).unwrap();
    for i in 0..AGENTS {
        let dir = root.join(format!("agents/agent-{i:03}/agent"));
        std::fs::create_dir_all(&dir).unwrap();
        let store = serde_json::json!({"version": 1, "profiles": {"px:k": {"type": "api_key", "provider": "px", "key": format!("bench-key-{}", i % KEYS)}}});
        std::fs::write(dir.join("auth-profiles.json"), store.to_string()).unwrap();
    }
}

fn run_once(state: &Path, home: &Path, concurrency: usize) -> (Duration, serde_json::Value) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_clawauth"))
        .env_clear()
        .env("HOME", home)
        .args([
            "--state-dir",
            &state.display().to_string(),
            "probe",
            "--json",
        ])
        .args(["--concurrency", &concurrency.to_string()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (took, serde_json::from_slice(&out.stdout).unwrap())
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (state, home) = (dir.path().join("state"), dir.path().join("home"));
    std::fs::create_dir_all(&state).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let m = Mock::start();
    for k in 0..KEYS {
        m.on_key(
            &format!("bench-key-{k}"),
            Reply::new(200, "{}").delayed(DELAY),
        );
    }
    write_fleet(&state, &m.base());
    for concurrency in [1, 4, 10] {
        let mut times = Vec::new();
        let before = m.requests().len();
        for _ in 0..RUNS {
            let (took, doc) = run_once(&state, &home, concurrency);
            assert_eq!(doc["results"].as_array().unwrap().len(), AGENTS);
            times.push(took);
        }
        let sent = (m.requests().len() - before) / RUNS;
        times.sort();
        let ideal = DELAY * (KEYS as u32) / concurrency as u32;
        println!(
            "probe: {AGENTS} agents, {KEYS} keys, concurrency {concurrency}: {sent} requests per run; \
             wall min {:?} median {:?} max {:?} (ideal {ideal:?} = {DELAY:?} x {KEYS} / {concurrency}); mock saw at most {} at once",
            times[0],
            times[RUNS / 2],
            times[RUNS - 1],
            m.max_in_flight()
        );
        assert_eq!(sent, KEYS, "one request per distinct key");
    }
}
