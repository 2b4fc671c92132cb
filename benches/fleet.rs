//! Fleet benchmark: `clawauth status --json` on generated states of 100 agents
//! (20 profiles each) and 1,000 agents (2 profiles each), 200 providers, 50 cron
//! jobs. Reports wall time (min/median/max over runs) and the peak RSS of each
//! child process. Run with `cargo bench --bench fleet`.
//!
//! Figures (2 cores, 2026-12-05, `uptime` load 0.2-1.7, medians; baseline = fff804f
//! measured back to back with `CLAWAUTH_BENCH_BIN=<fff804f build> CLAWAUTH_BENCH_RUNS=11
//! CLAWAUTH_BENCH_AGENTS=100 cargo bench --bench fleet`):
//! - 100 agents, to /dev/null: 334.7 ms (CPU 427 ms), 36.4 MiB -> 49.1 ms (CPU 70.9 ms),
//!   16.3 MiB. Target < 25 ms: not met; < 20 MB: met.
//! - 1,000 agents, to /dev/null: fff804f ~28 s CPU per run (one run, load ~9) ->
//!   281.1 ms (CPU 478.7 ms), 22.6 MiB; to a file 532 ms. Target < 250 ms: not met;
//!   < 40 MB: met.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PROVIDERS: usize = 200;
const RUNS: usize = 30;

/// (agents, profiles per agent) of each generated fleet.
const FLEETS: [(usize, usize); 2] = [(100, 20), (1000, 2)];

fn write_fleet(root: &Path, agents_n: usize, profiles_n: usize) {
    let providers: Vec<String> = (0..PROVIDERS).map(|i| format!("prov-{i:03}")).collect();
    let provider_cfg: serde_json::Map<String, serde_json::Value> = providers
        .iter()
        .map(|p| (p.clone(), serde_json::json!({"baseUrl": format!("https://{p}.invalid/v1"), "api": "openai-completions", "models": [{"id": "m", "name": "m"}]})))
        .collect();
    let agents: Vec<serde_json::Value> = (0..agents_n).map(|i| serde_json::json!({"id": format!("agent-{i:03}"), "model": format!("prov-{:03}/m", i % PROVIDERS)})).collect();
    let config =
        serde_json::json!({"agents": {"list": agents}, "models": {"providers": provider_cfg}});
    std::fs::write(
        root.join("openclaw.json"),
        serde_json::to_string_pretty(&config).unwrap(),
    )
    .unwrap();
    for i in 0..agents_n {
        let dir = root.join(format!("agents/agent-{i:03}/agent"));
        std::fs::create_dir_all(&dir).unwrap();
        let profiles: serde_json::Map<String, serde_json::Value> = (0..profiles_n)
            .map(|j| {
                let p = &providers[(i * 7 + j * 11) % PROVIDERS];
                let v = match j % 3 {
                    0 => serde_json::json!({"type": "api_key", "provider": p, "key": format!("sk-bench-{i}-{j}")}),
                    1 => serde_json::json!({"type": "token", "provider": p, "token": format!("tok-{i}-{j}"), "expires": 4102444800000_i64}),
                    _ => serde_json::json!({"type": "oauth", "provider": p, "access": "a", "refresh": "r", "expires": 4102444800000_i64}),
                };
                (format!("{p}:p{j}"), v)
            })
            .collect();
        let store = serde_json::json!({"version": 1, "profiles": profiles});
        std::fs::write(
            dir.join("auth-profiles.json"),
            serde_json::to_string_pretty(&store).unwrap(),
        )
        .unwrap();
    }
    let jobs: Vec<serde_json::Value> = (0..50).map(|i| serde_json::json!({"id": format!("job-{i}"), "agentId": format!("agent-{:03}", i * 2), "sessionTarget": "isolated", "payload": {"kind": "agentTurn", "model": format!("prov-{:03}/m", (i * 13) % PROVIDERS)}})).collect();
    std::fs::create_dir_all(root.join("cron")).unwrap();
    std::fs::write(
        root.join("cron/jobs.json"),
        serde_json::json!({"version": 1, "jobs": jobs}).to_string(),
    )
    .unwrap();
}

/// Runs `cmd` to completion; its wall time, its CPU time (user + system: what the
/// machine's load does not change much), its own peak RSS (KiB) and success.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
fn run_measured(cmd: &mut Command) -> (Duration, Duration, i64, bool) {
    let start = Instant::now();
    let child = cmd.spawn().unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let cpu = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let used = cpu(usage.ru_utime) + cpu(usage.ru_stime);
    (start.elapsed(), used, usage.ru_maxrss, ok)
}

fn bench_fleet(agents_n: usize, profiles_n: usize) {
    let dir = tempfile::tempdir().unwrap();
    write_fleet(dir.path(), agents_n, profiles_n);
    // CLAWAUTH_BENCH_BIN measures another build (a baseline) on the same fleets.
    let exe = std::env::var("CLAWAUTH_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_clawauth").to_string());
    let runs: usize = std::env::var("CLAWAUTH_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(RUNS);
    let state = dir.path().to_str().unwrap().to_string();
    let cells = agents_n * PROVIDERS;
    println!(
        "fleet: {agents_n} agents x {PROVIDERS} providers ({cells} cells), {profiles_n} profiles/agent, {runs} runs each"
    );
    let file = dir.path().join("out.json");
    for (label, sink) in [
        ("to /dev/null", Path::new("/dev/null")),
        ("to a file", &file),
    ] {
        let (mut times, mut cpus) = (Vec::new(), Vec::new());
        let mut peak = 0;
        for _ in 0..runs {
            let out = std::fs::File::create(sink).unwrap();
            let mut cmd = Command::new(&exe);
            cmd.env_clear()
                .env("HOME", &state)
                .args(["--state-dir", &state, "status", "--json"])
                .stdin(Stdio::null())
                .stdout(out);
            let (t, cpu, rss, ok) = run_measured(&mut cmd);
            assert!(ok, "clawauth status --json failed");
            times.push(t);
            cpus.push(cpu);
            peak = peak.max(rss);
        }
        times.sort();
        cpus.sort();
        println!(
            "status --json {label}: min {:.1} ms, median {:.1} ms, max {:.1} ms, CPU median {:.1} ms, peak RSS {:.1} MiB",
            ms(times[0]),
            ms(times[runs / 2]),
            ms(times[runs - 1]),
            ms(cpus[runs / 2]),
            peak as f64 / 1024.0
        );
    }
}

fn main() {
    // `cargo bench --bench fleet -- /some/dir` only writes the fleets there
    // (`/some/dir/100`, `/some/dir/1000`), to compare outputs or profile.
    if let Some(keep) = std::env::args().nth(1).filter(|a| a.starts_with('/')) {
        for (agents_n, profiles_n) in FLEETS {
            let dir = Path::new(&keep).join(agents_n.to_string());
            std::fs::create_dir_all(&dir).unwrap();
            write_fleet(&dir, agents_n, profiles_n);
        }
        return;
    }
    // CLAWAUTH_BENCH_AGENTS=100 runs only the fleet of that many agents.
    let only: Option<usize> = std::env::var("CLAWAUTH_BENCH_AGENTS")
        .ok()
        .and_then(|n| n.parse().ok());
    for (agents_n, profiles_n) in FLEETS {
        if only.is_none_or(|n| n == agents_n) {
            bench_fleet(agents_n, profiles_n);
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
