//! Fixture OpenClaw states that tests build on disk, and helpers to read
//! clawauth's verdicts about them.
#![allow(dead_code)]

pub mod oc;

use clawauth::domain::discovery::{DiscoverOptions, Discovery, discover};
use clawauth::domain::envsnap::EnvSnapshot;
use clawauth::domain::paths::PathOverrides;
use clawauth::domain::report::{CellOut, Report, build_report};
use serde_json::Value;
use std::path::{Path, PathBuf};

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

    pub fn cell(&self, agent: &str, provider: &str) -> CellOut {
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
