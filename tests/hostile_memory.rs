//! Memory stays bounded on huge inputs: files over the size limits are never read,
//! and within them parsed memory is bounded by the value limit (1 000 000 values per
//! JSON document) and the cap on recorded dropped entries (1000 per store).
//! Its own test binary with one test, so the peak measured for each child (`wait4`'s
//! `ru_maxrss`, which includes this process's size at spawn) is the child's own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;

use common::*;
use std::io::Write;

/// Writes `len` bytes (sparse after `start`) or the text given.
fn put(f: &Fixture, rel: &str, start: &[u8], len: Option<u64>) {
    let path = f.state.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(start).unwrap();
    if let Some(len) = len {
        file.set_len(len).unwrap();
    }
}

fn dropped_entries(n: u32) -> Vec<u8> {
    let mut s = Vec::with_capacity(n as usize * 14 + 40);
    s.extend_from_slice(b"{\"version\":1,\"profiles\":{");
    for i in 0..n {
        if i > 0 {
            s.push(b',');
        }
        write!(s, "\"{i:08x}\":0").unwrap();
    }
    s.extend_from_slice(b"}}");
    s
}

#[test]
fn memory_stays_bounded_on_huge_inputs() {
    const MIB: u64 = 1 << 20;
    type Build = fn(&Fixture);
    let cases: Vec<(&str, Build, u64)> = vec![
        (
            "100 MiB store",
            |f| {
                put(
                    f,
                    "agents/main/agent/auth-profiles.json",
                    b"{\"version\":1,",
                    Some(100 * MIB),
                )
            },
            48,
        ),
        (
            "100 MiB openclaw.json",
            |f| put(f, "openclaw.json", b"{", Some(100 * MIB)),
            48,
        ),
        (
            "100 MiB cron/jobs.json",
            |f| put(f, "cron/jobs.json", b"{", Some(100 * MIB)),
            48,
        ),
        (
            "100 MiB .env",
            |f| put(f, ".env", b"K=v\n", Some(100 * MIB)),
            48,
        ),
        (
            "endless store (/dev/zero)",
            |f| {
                std::fs::create_dir_all(f.agent_dir("main")).unwrap();
                std::os::unix::fs::symlink(
                    "/dev/zero",
                    f.agent_dir("main").join("auth-profiles.json"),
                )
                .unwrap();
            },
            48,
        ),
        (
            "16 MiB of [0,0,…] (over the value limit)",
            |f| {
                let zeros = format!("[{}0]", "0,".repeat(8_000_000));
                put(
                    f,
                    "agents/main/agent/auth-profiles.json",
                    zeros.as_bytes(),
                    None,
                )
            },
            64,
        ),
        (
            "16 MiB of [[[…]]] in openclaw.json",
            |f| put(f, "openclaw.json", "[".repeat(16_000_000).as_bytes(), None),
            64,
        ),
        (
            "990 000 dropped entries (13 MiB)",
            |f| {
                put(
                    f,
                    "agents/main/agent/auth-profiles.json",
                    &dropped_entries(990_000),
                    None,
                )
            },
            512,
        ),
    ];
    let mut report = Vec::new();
    for (name, build, limit_mib) in cases {
        let f = Fixture::new();
        build(&f);
        let inv = Invocation::on(&f, &["validate", "--json"]);
        let (code, kib, err) = run_measuring_memory(&inv);
        assert!(matches!(code, Some(0 | 1)), "{name}: exit {code:?}: {err}");
        report.push(format!("{name}: {} MiB", kib / 1024));
        assert!(
            kib / 1024 < limit_mib,
            "{name}: peak {} MiB, limit {limit_mib} MiB",
            kib / 1024
        );
    }
    eprintln!(
        "peak memory of `clawauth validate --json`: {}",
        report.join("; ")
    );
}
