//! OpenClaw processes running on this state (found in /proc): OpenClaw 2026.4's own
//! writers take no lock, so a write plan warns while one runs.

use std::path::{Path, PathBuf};

/// A running OpenClaw CLI or gateway process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenClawProcess {
    pub pid: i32,
    /// Its subcommand words only ("openclaw models auth paste-token"): option values
    /// are never shown (an argument may be a secret).
    pub command: String,
    /// False when its environment could not be read (another user's process).
    pub surely_this_state: bool,
}

fn read_nul_list(path: &Path) -> Option<Vec<String>> {
    let bytes = crate::domain::read::fsread::read_limited(path, 256 * 1024, "process files")
        .ok()
        .flatten()?;
    Some(
        bytes
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect(),
    )
}

/// The index of the argument that is OpenClaw itself (`openclaw`, `…/openclaw.mjs`).
fn openclaw_arg(args: &[String]) -> Option<usize> {
    args.iter().take(3).position(|a| {
        let base = Path::new(a)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("");
        base == "openclaw" || base == "openclaw.mjs" || a.contains("/node_modules/openclaw/")
    })
}

fn subcommand(args: &[String], at: usize) -> String {
    let words = args[at + 1..]
        .iter()
        .take_while(|a| !a.starts_with('-'))
        .take(4)
        .filter(|a| a.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    std::iter::once("openclaw".to_string())
        .chain(words.cloned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the environment `env` points OpenClaw at `state` (None: unknown).
fn on_state(env: Option<&[String]>, state: &Path) -> Option<bool> {
    let env = env?;
    let var = |k: &str| env.iter().find_map(|e| e.strip_prefix(&format!("{k}=")));
    let same = |p: PathBuf| p == state || p.canonicalize().ok() == state.canonicalize().ok();
    if let Some(dir) = var("OPENCLAW_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(same(PathBuf::from(dir)));
    }
    Some(var("HOME").is_some_and(|h| same(Path::new(h).join(".openclaw"))))
}

/// OpenClaw processes that may be working on `state` (not this process).
pub fn running_openclaw(state: &Path) -> Vec<OpenClawProcess> {
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(pid) = name.parse::<i32>() else {
            continue;
        };
        if name == me {
            continue;
        }
        let Some(args) = read_nul_list(&e.path().join("cmdline")) else {
            continue;
        };
        let Some(at) = openclaw_arg(&args) else {
            continue;
        };
        let env = read_nul_list(&e.path().join("environ"));
        match on_state(env.as_deref(), state) {
            Some(false) => continue,
            known => out.push(OpenClawProcess {
                pid,
                command: subcommand(&args, at),
                surely_this_state: known.is_some(),
            }),
        }
    }
    out.sort_by_key(|p| p.pid);
    out
}
