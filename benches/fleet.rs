//! Fleet benchmark: `clawauth status --json` on a generated state of 100 agents,
//! 200 providers and 20 profiles per agent. Reports wall time (min/median/max over
//! runs) and peak RSS of the child process. Run with `cargo bench --bench fleet`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const AGENTS: usize = 100;
const PROVIDERS: usize = 200;
const PROFILES_PER_AGENT: usize = 20;
const RUNS: usize = 30;

fn write_fleet(root: &Path) {
    let providers: Vec<String> = (0..PROVIDERS).map(|i| format!("prov-{i:03}")).collect();
    let provider_cfg: serde_json::Map<String, serde_json::Value> = providers
        .iter()
        .map(|p| (p.clone(), serde_json::json!({"baseUrl": format!("https://{p}.invalid/v1"), "api": "openai-completions", "models": [{"id": "m", "name": "m"}]})))
        .collect();
    let agents: Vec<serde_json::Value> = (0..AGENTS).map(|i| serde_json::json!({"id": format!("agent-{i:03}"), "model": format!("prov-{:03}/m", i % PROVIDERS)})).collect();
    let config =
        serde_json::json!({"agents": {"list": agents}, "models": {"providers": provider_cfg}});
    std::fs::write(
        root.join("openclaw.json"),
        serde_json::to_string_pretty(&config).unwrap(),
    )
    .unwrap();
    for i in 0..AGENTS {
        let dir = root.join(format!("agents/agent-{i:03}/agent"));
        std::fs::create_dir_all(&dir).unwrap();
        let profiles: serde_json::Map<String, serde_json::Value> = (0..PROFILES_PER_AGENT)
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

fn peak_rss_kib_of_children() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    write_fleet(dir.path());
    if let Some(keep) = std::env::args().nth(1).filter(|a| a.starts_with('/')) {
        write_fleet(Path::new(&keep));
    }
    let exe = env!("CARGO_BIN_EXE_clawauth");
    let state = dir.path().to_str().unwrap().to_string();
    let run = |piped: bool| -> (Duration, usize) {
        let mut cmd = Command::new(exe);
        cmd.env_clear()
            .env("HOME", &state)
            .args(["--state-dir", &state, "status", "--json"])
            .stdin(Stdio::null());
        let start = Instant::now();
        if piped {
            let out = cmd.output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (start.elapsed(), out.stdout.len())
        } else {
            let status = cmd
                .stdout(std::fs::File::create("/dev/null").unwrap())
                .status()
                .unwrap();
            assert!(status.success());
            (start.elapsed(), 0)
        }
    };
    let cells = AGENTS * PROVIDERS;
    println!(
        "fleet: {AGENTS} agents x {PROVIDERS} providers ({cells} cells), {PROFILES_PER_AGENT} profiles/agent, {RUNS} runs each"
    );
    for (label, piped) in [("to /dev/null", false), ("through a pipe", true)] {
        let mut times: Vec<Duration> = Vec::new();
        let mut bytes = 0;
        for _ in 0..RUNS {
            let (t, b) = run(piped);
            times.push(t);
            bytes = bytes.max(b);
        }
        times.sort();
        let size = if piped {
            format!(", {bytes} bytes of JSON")
        } else {
            String::new()
        };
        println!(
            "status --json {label}: min {:.1} ms, median {:.1} ms, max {:.1} ms{size}",
            ms(times[0]),
            ms(times[RUNS / 2]),
            ms(times[RUNS - 1])
        );
    }
    println!(
        "peak RSS of clawauth: {:.1} MiB",
        peak_rss_kib_of_children() as f64 / 1024.0
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
