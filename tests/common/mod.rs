//! Fixture OpenClaw states that tests build on disk, and helpers to read
//! clawauth's verdicts about them.
#![allow(dead_code)]

pub mod agree;
pub mod launch;
pub mod oc;

pub use launch::*;

use clawauth::domain::read::discovery::{DiscoverOptions, Discovery, discover};
use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::domain::read::paths::PathOverrides;
use clawauth::domain::status::report::{Report, build_report};
use clawauth::domain::status::resolve::Cell;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};

pub const FAR_FUTURE_MS: i64 = 4_102_444_800_000; // 2100-01-01
pub const PAST_MS: i64 = 1_600_000_000_000; // 2020-09-13

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub home: PathBuf,
    pub state: PathBuf,
    pub env: Vec<(String, String)>,
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let state = dir.path().join("state");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&state).unwrap();
        Fixture {
            home,
            state,
            env: Vec::new(),
            _dir: dir,
        }
    }

    pub fn write(&self, rel: &str, content: &str) -> PathBuf {
        let path = self.state.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        set_mode(&path, 0o600);
        path
    }

    pub fn config(&self, json5: &str) -> PathBuf {
        self.write("openclaw.json", json5)
    }

    /// Writes `agents/<agent>/agent/auth-profiles.json`.
    pub fn store(&self, agent: &str, doc: Value) -> PathBuf {
        self.write(
            &format!("agents/{agent}/agent/auth-profiles.json"),
            &serde_json::to_string_pretty(&doc).unwrap(),
        )
    }

    pub fn agent_dir(&self, agent: &str) -> PathBuf {
        self.state.join("agents").join(agent).join("agent")
    }

    pub fn set_env(&mut self, k: &str, v: &str) -> &mut Self {
        self.env.push((k.into(), v.into()));
        self
    }

    pub fn env_snapshot(&self) -> EnvSnapshot {
        let mut env = EnvSnapshot::from_pairs([("HOME", self.home.display().to_string())]);
        for (k, v) in &self.env {
            env.set(k, v);
        }
        env
    }

    pub fn discovery(&self) -> Discovery {
        let options = DiscoverOptions {
            paths: PathOverrides {
                state_dir: Some(self.state.clone()),
                ..Default::default()
            },
            executable_version: None,
            now_ms: now_ms(),
        };
        discover(&options, &self.env_snapshot()).unwrap()
    }

    pub fn report(&self) -> Report {
        build_report(&self.discovery())
    }

    pub fn cell(&self, agent: &str, provider: &str) -> Cell {
        let r = self.report();
        r.cells
            .into_iter()
            .find(|c| c.agent == agent && c.provider == provider)
            .unwrap_or_else(|| panic!("no cell {agent} x {provider}"))
    }
}

pub fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as f64
}

/// Copies the tree at `from` into `to` (made if absent) with `cp -a`: modes, links and
/// times kept.
pub fn copy_dir(from: &Path, to: &Path) {
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", from.display()))
        .arg(to)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "cp -a {} {}",
        from.display(),
        to.display()
    );
}

/// `assets/demo` copied to `to` with OpenClaw's modes (0700 dirs, 0600 files), as
/// `clawauth demo` lays it out.
pub fn copy_demo(to: &Path) {
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo"),
        to,
    );
    private_modes(to);
}

fn private_modes(path: &Path) {
    if path.is_dir() {
        set_mode(path, 0o700);
        for entry in std::fs::read_dir(path).unwrap() {
            private_modes(&entry.unwrap().path());
        }
    } else {
        set_mode(path, 0o600);
    }
}

pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

pub fn codes(r: &Report) -> Vec<&'static str> {
    r.problems.iter().map(|p| p.code).collect()
}

/// The standard two-agent config of the founding bug: `my-proxy` declared, agents main + cronbot.
pub const TWO_AGENTS: &str = r#"{
  agents: { list: [ { id: "main", default: true }, { id: "cronbot", model: "my-proxy/m" } ] },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
}"#;

pub fn api_key(provider: &str, key: &str) -> Value {
    serde_json::json!({"type": "api_key", "provider": provider, "key": key})
}

pub fn token(provider: &str, token: &str, expires: Option<i64>) -> Value {
    let mut v = serde_json::json!({"type": "token", "provider": provider, "token": token});
    if let Some(e) = expires {
        v["expires"] = e.into();
    }
    v
}

pub fn store_of(profiles: &[(&str, Value)]) -> Value {
    let map: serde_json::Map<String, Value> = profiles
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    serde_json::json!({"version": 1, "profiles": map})
}

/// The founding scenario (OpenClaw 2026.4 style): cron job `daily` runs isolated as agent
/// cronbot and needs `my-proxy`, whose token only the default agent assistant holds;
/// openclaw.json (with a comment) declares `my-proxy:manual` as a token.
pub fn founding() -> Fixture {
    let f = Fixture::new();
    f.config(
        "{\n  // my agents\n  agents: { list: [ { id: \"assistant\", default: true }, { id: \"cronbot\" } ] },\n  models: { providers: { \"my-proxy\": { baseUrl: \"https://my-proxy.invalid/v1\", api: \"openai-completions\", models: [ { id: \"m\", name: \"m\" } ] } } },\n  auth: { profiles: { \"my-proxy:manual\": { provider: \"my-proxy\", mode: \"token\" } } },\n}\n",
    );
    f.store(
        "assistant",
        store_of(&[(
            "my-proxy:manual",
            token("my-proxy", "sk-assistant-token", None),
        )]),
    );
    f.write("cron/jobs.json", r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}}]}"#);
    f
}

/// The mixed rotate state (issue 12 item 5): `main` holds `my-proxy:manual` (token, key
/// A); `research` holds its own `my-proxy:research` (api_key, a different key B) but
/// `auth.order` lists only `my-proxy:manual`, so research's runtime uses main's key.
pub fn mixed_rotate() -> Fixture {
    let f = Fixture::new();
    f.config(
        "{\n  agents: { list: [ { id: \"main\", default: true }, { id: \"research\" } ] },\n  models: { providers: { \"my-proxy\": { baseUrl: \"https://my-proxy.invalid/v1\", api: \"openai-completions\", models: [ { id: \"m\", name: \"m\" } ] } } },\n  auth: {\n    profiles: { \"my-proxy:manual\": { provider: \"my-proxy\", mode: \"token\" } },\n    order: { \"my-proxy\": [\"my-proxy:manual\"] },\n  },\n}\n",
    );
    f.store(
        "main",
        store_of(&[("my-proxy:manual", token("my-proxy", MIXED_KEY_A, None))]),
    );
    f.store(
        "research",
        store_of(&[("my-proxy:research", api_key("my-proxy", MIXED_KEY_B))]),
    );
    f
}

/// The keys of [`mixed_rotate`].
pub const MIXED_KEY_A: &str = "sk-proxy-main-token-AAAA1111";
pub const MIXED_KEY_B: &str = "sk-proxy-research-key-BBBB2222";

/// `clawauth --state-dir <fixture> ARGS` with only HOME, PATH /usr/bin:/bin (no
/// `openclaw`) and the fixture's variables in its environment, `stdin` piped in; waits.
pub fn clawauth(f: &Fixture, args: &[&str], stdin: &str) -> Output {
    clawauth_with(f, args, stdin, SYSTEM_PATH)
}

/// [`clawauth`] with `path` as PATH.
pub fn clawauth_with(f: &Fixture, args: &[&str], stdin: &str, path: &str) -> Output {
    spawn_clawauth(f, args, stdin, path)
        .wait_with_output()
        .unwrap()
}

/// `clawauth_with`, started and left running (stdin written and closed).
pub fn spawn_clawauth(f: &Fixture, args: &[&str], stdin: &str, path: &str) -> Child {
    let mut cmd = clean_command(path);
    cmd.env("HOME", &f.home)
        .arg("--state-dir")
        .arg(&f.state)
        .args(args);
    for (k, v) in &f.env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A command that refuses before reading stdin closes it: that is no test failure.
    match input.write_all(stdin.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.unwrap(),
    }
    drop(input);
    child
}

/// An api_key for provider x into assistant's store (of `founding()`), secret on stdin.
pub const SET_X_FOR_ASSISTANT: &[&str] = &[
    "set",
    "--provider",
    "x",
    "--new-provider",
    "--type",
    "api_key",
    "--agent",
    "assistant",
    "--secret-stdin",
];

/// stdout then stderr, as text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Base64url without padding (for test JWTs).
pub fn b64url(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The first 12 hex digits of the SHA-256 of `s`: how a key is named without showing it.
pub fn sha12(s: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(s.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The permission bits (`& 0o777`) of `path`.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `path` parsed as JSON; panics on a missing or corrupt file.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The bytes of `agent`'s `auth-profiles.json`.
pub fn store_bytes(f: &Fixture, agent: &str) -> Vec<u8> {
    std::fs::read(f.agent_dir(agent).join("auth-profiles.json")).unwrap()
}

/// The cell of `agent` × `provider` in a `status --json` document; panics when absent.
pub fn json_cell<'a>(v: &'a Value, agent: &str, provider: &str) -> &'a Value {
    v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["agent"] == agent && c["provider"] == provider)
        .unwrap_or_else(|| panic!("no cell {agent} × {provider} in {v}"))
}
