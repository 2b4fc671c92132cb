//! Running the real OpenClaw (provisioned from npm by tests/interop/run.sh), offline.
#![allow(dead_code)]

use super::*;
use clawauth::domain::discovery::{DiscoverOptions, discover};
use clawauth::domain::paths::PathOverrides;
use clawauth::domain::report::{Report, build_report};
use clawauth::domain::version::Version;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const V45: &str = "2026.4.5";
pub const V96: &str = "2026.9.6";

pub fn run_sh() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/run.sh")
}

/// Runs `run.sh VERSION args…` with the fixture's HOME/state dir and env, stdin piped in.
pub fn openclaw(version: &str, f: &Fixture, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut cmd = Command::new(run_sh());
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &f.home)
        .env("OPENCLAW_STATE_DIR", &f.state)
        .env("NO_COLOR", "1")
        .arg(version)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &f.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run tests/interop/run.sh");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if code == 75 {
        panic!(
            "cannot provision OpenClaw {version} from npm (is the npm registry reachable?):\n{stderr}"
        );
    }
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// The real CLI, which must succeed (used to produce 2026.9.6 states).
pub fn cli_ok(version: &str, f: &Fixture, args: &[&str], stdin: &str) {
    let mut full = vec!["cli"];
    full.extend_from_slice(args);
    let (code, out, err) = openclaw(version, f, &full, stdin);
    assert_eq!(code, 0, "openclaw {args:?} failed:\n{out}\n{err}");
}

pub fn report_for(version: &str, f: &Fixture) -> Report {
    let options = DiscoverOptions {
        paths: PathOverrides {
            state_dir: Some(f.state.clone()),
            ..Default::default()
        },
        executable_version: Some((Version::parse(version).unwrap(), PathBuf::from("openclaw"))),
        now_ms: now_ms(),
    };
    build_report(&discover(&options, &f.env_snapshot()).unwrap())
}

/// OpenClaw's runtime resolver, on a copy of the state: like a real run it may write
/// (2026.4 copies main's store into agent dirs on first load), and that must not change
/// the fixture.
pub fn resolver(version: &str, f: &Fixture, agents: &[String], providers: &[String]) -> Value {
    let input = json!({"agents": agents, "providers": providers}).to_string();
    let copy = copy_fixture(f);
    let (code, out, err) = openclaw(version, &copy, &["resolve"], &input);
    assert_eq!(code, 0, "resolver failed:\n{err}");
    serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("resolver output is not JSON ({e}):\n{out}\n{err}"))
}

/// `models status --json --agent X`, on a copy of the state (2026.4 writes copies into agent dirs).
pub fn models_status(version: &str, f: &Fixture, agent: &str) -> Option<Value> {
    let copy = copy_fixture(f);
    let (code, out, _) = openclaw(
        version,
        &copy,
        &["cli-json", "models", "status", "--json", "--agent", agent],
        "",
    );
    (code == 0)
        .then(|| serde_json::from_str(&out).ok())
        .flatten()
}

/// A copy of the fixture's state dir and HOME, with env values pointing into the copy.
pub fn copy_fixture(f: &Fixture) -> Fixture {
    let mut copy = Fixture::new();
    copy_dir(&f.state, &copy.state);
    copy_dir(&f.home, &copy.home);
    let (old_state, new_state) = (
        f.state.display().to_string(),
        copy.state.display().to_string(),
    );
    copy.env = f
        .env
        .iter()
        .map(|(k, v)| (k.clone(), v.replace(&old_state, &new_state)))
        .collect();
    copy
}

pub fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", from.display()))
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}
