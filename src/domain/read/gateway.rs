//! A running OpenClaw gateway, found through the lock file it holds while it runs
//! (`src/infra/gateway-lock.ts`). A gateway serves requests from its own in-memory copy
//! of the credentials and can write that copy back over a change made beside it, so
//! writes warn when one runs.
//!
//! Where the lock lives, per version:
//! * 2026.4.5: `<os tmpdir>/openclaw-<uid>/gateway.<hash>.lock` (`$TMPDIR`, else `/tmp`);
//!   the directory is shared by every state dir, so the lock's `configPath` must be ours.
//! * 2026.9.6: `<stateDir>/tmp/openclaw-<uid>/gateway.<hash>.lock` and `gateway.state.lock`.
//!
//! The lock holds `{pid, createdAt, configPath, startTime?}`. Like OpenClaw, a lock counts
//! only while its pid runs and, when it recorded one, the process start time (field 22 of
//! `/proc/<pid>/stat`) is the same, so a reused pid is not taken for the gateway.

use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::fsread::read_limited;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A gateway lock held by a live process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Gateway {
    pub pid: i32,
    pub lock_file: String,
}

/// Lock files are a few hundred bytes; anything larger is not one.
const LOCK_LIMIT: u64 = 64 * 1024;

/// The gateway running for this state dir and config, if any.
pub(crate) fn running_gateway(
    state_dir: &Path,
    config_path: &Path,
    env: &EnvSnapshot,
) -> Option<Gateway> {
    let dir_name = format!("openclaw-{}", uid());
    // Node's os.tmpdir() on Unix.
    let tmp = ["TMPDIR", "TMP", "TEMP"]
        .iter()
        .find_map(|v| env.get(v).filter(|t| !t.is_empty()))
        .unwrap_or("/tmp");
    let shared = Path::new(tmp).join(&dir_name);
    let own = state_dir.join("tmp").join(&dir_name);
    lock_files(&own)
        .into_iter()
        .map(|lock| (lock, None))
        .chain(
            lock_files(&shared)
                .into_iter()
                .map(|l| (l, Some(config_path))),
        )
        .find_map(|(lock, config)| live_lock(&lock, config))
}

/// The same file: equal once `.` and `..` are resolved (as Node's `path.resolve`
/// does), or the same file on disk.
fn same_path(a: &Path, b: &Path) -> bool {
    let lexical = |p: &Path| {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    };
    lexical(a) == lexical(b)
        || std::fs::canonicalize(a).is_ok_and(|x| std::fs::canonicalize(b).is_ok_and(|y| x == y))
}

fn uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

/// `gateway.*.lock` files in `dir` (none when it cannot be read).
fn lock_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("gateway.") && n.ends_with(".lock"))
        })
        .collect();
    files.sort();
    files
}

/// The gateway behind `lock` when its process runs (and, for a shared lock directory,
/// when it serves `config`).
fn live_lock(lock: &Path, config: Option<&Path>) -> Option<Gateway> {
    let bytes = read_limited(lock, LOCK_LIMIT, "gateway locks").ok()??;
    let payload: Value = serde_json::from_slice(&bytes).ok()?;
    let pid = i32::try_from(payload.get("pid")?.as_i64()?).ok()?;
    let locked_config = payload.get("configPath").and_then(Value::as_str);
    if config.is_some_and(|c| !locked_config.is_some_and(|l| same_path(Path::new(l), c))) {
        return None;
    }
    let start_time = payload.get("startTime").and_then(Value::as_u64);
    process_runs(pid, start_time).then(|| Gateway {
        pid,
        lock_file: lock.display().to_string(),
    })
}

/// `pid` is a running (not zombie) process that started at `start_time`, if given.
fn process_runs(pid: i32, start_time: Option<u64>) -> bool {
    let Some((state, started)) = (pid > 0).then(|| proc_stat(&pid.to_string())).flatten() else {
        return false;
    };
    let zombie = state == 'Z' || state == 'X';
    !zombie
        && match start_time {
            Some(t) => started == Some(t),
            // Without a recorded start time OpenClaw checks the command line instead.
            None => runs_a_gateway(pid),
        }
}

/// From `/proc/<pid>/stat`: the state letter, and the start time (field 22), which
/// OpenClaw records in the lock as `startTime`.
fn proc_stat(pid: &str) -> Option<(char, Option<u64>)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    Some((state, fields.get(19).and_then(|s| s.parse().ok())))
}

/// `/proc/<pid>/cmdline` has a `gateway` argument (as OpenClaw's `isGatewayArgv` asks).
fn runs_a_gateway(pid: i32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|c| c.split(|b| *b == 0).any(|arg| arg == b"gateway"))
}

/// This process's start time as OpenClaw records it.
#[cfg(test)]
fn own_start_time() -> Option<u64> {
    proc_stat("self")?.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write_lock(dir: &Path, name: &str, payload: Value) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, payload.to_string()).unwrap();
        path
    }

    #[test]
    fn finds_a_live_gateway_in_either_place_and_ignores_the_rest() {
        let root = tempfile::tempdir().unwrap();
        let state = root.path().join("state");
        let tmp = root.path().join("tmp");
        let config = state.join("openclaw.json");
        let env = EnvSnapshot::from_pairs([("TMPDIR", tmp.display().to_string())]);
        let me = std::process::id() as i32;
        let start = own_start_time();
        assert!(start.is_some());
        let dir = format!("openclaw-{}", uid());
        assert_eq!(running_gateway(&state, &config, &env), None);
        // 2026.4.5: shared directory, another state dir's gateway is not ours.
        let other =
            json!({"pid": me, "configPath": "/elsewhere/openclaw.json", "startTime": start});
        write_lock(&tmp.join(&dir), "gateway.00000000.lock", other);
        assert_eq!(running_gateway(&state, &config, &env), None);
        let ours = json!({"pid": me, "createdAt": "x", "configPath": config.display().to_string(), "startTime": start});
        let lock = write_lock(&tmp.join(&dir), "gateway.11111111.lock", ours);
        let found = running_gateway(&state, &config, &env).unwrap();
        assert_eq!(found.pid, me);
        assert_eq!(found.lock_file, lock.display().to_string());
        std::fs::remove_dir_all(&tmp).unwrap();
        // A reused pid (other start time) and a dead pid are no gateway.
        let own = state.join("tmp").join(&dir);
        let reused = json!({"pid": me, "startTime": start.unwrap() + 1});
        write_lock(&own, "gateway.state.lock", reused);
        write_lock(&own, "gateway.22222222.lock", json!({"pid": i32::MAX}));
        assert_eq!(running_gateway(&state, &config, &env), None);
        // Without a start time the command line must name a gateway.
        let spawn = |args: &[&str]| std::process::Command::new("sh").args(args).spawn().unwrap();
        let mut plain = spawn(&["-c", "sleep 30; true"]);
        let mut gateway = spawn(&["-c", "sleep 30; true", "gateway"]);
        write_lock(&own, "gateway.state.lock", json!({"pid": plain.id()}));
        assert_eq!(running_gateway(&state, &config, &env), None);
        write_lock(&own, "gateway.state.lock", json!({"pid": gateway.id()}));
        let found = running_gateway(&state, &config, &env).map(|g| g.pid as u32);
        for child in [&mut plain, &mut gateway] {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        assert_eq!(found, Some(gateway.id()));
        // 2026.9.6: the state dir's own lock directory needs no config match.
        write_lock(
            &own,
            "gateway.state.lock",
            json!({"pid": me, "startTime": start}),
        );
        assert_eq!(running_gateway(&state, &config, &env).unwrap().pid, me);
        // 2026.4.5 with the config path spelt differently (`./`, `..`).
        std::fs::remove_dir_all(&own).unwrap();
        let odd = format!("{}/./x/../openclaw.json", state.display());
        let ours = json!({"pid": me, "configPath": odd, "startTime": start});
        write_lock(&tmp.join(&dir), "gateway.33333333.lock", ours);
        assert_eq!(running_gateway(&state, &config, &env).unwrap().pid, me);
    }
}
