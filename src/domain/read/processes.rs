//! OpenClaw processes running on this state (found in /proc): OpenClaw 2026.4's own
//! writers take no lock, so a write plan warns while one runs.

use std::path::{Path, PathBuf};

/// A running OpenClaw CLI or gateway process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenClawProcess {
    pub(crate) pid: i32,
    /// Its subcommand words only ("openclaw models auth paste-token"): option values
    /// are never shown (an argument may be a secret).
    pub(crate) command: String,
    /// False when its environment could not be read (another user's process).
    pub(crate) surely_this_state: bool,
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

/// The index of the argument that is OpenClaw itself (`openclaw`, `…/openclaw.mjs`),
/// or of its process title: OpenClaw names itself `openclaw` and, once a command is
/// chosen, `openclaw-<command>` (`openclaw-models`), overwriting its arguments.
fn openclaw_arg(args: &[String]) -> Option<usize> {
    args.iter().take(3).position(|a| {
        let base = Path::new(a)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("");
        base == "openclaw"
            || base == "openclaw.mjs"
            || a.contains("/node_modules/openclaw/")
            || title_command(a).is_some()
    })
}

/// The command of a process title `openclaw-<command>` (lowercase words only).
fn title_command(arg: &str) -> Option<&str> {
    arg.strip_prefix("openclaw-")
        .filter(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
}

fn subcommand(args: &[String], at: usize) -> String {
    let title = title_command(&args[at]).map(str::to_string);
    let words = args[at + 1..]
        .iter()
        .take_while(|a| !a.starts_with('-'))
        .take(4)
        .filter(|a| a.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    std::iter::once("openclaw".to_string())
        .chain(title)
        .chain(words.cloned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The profile an OpenClaw command line selects: `--profile NAME`, `--profile=NAME`
/// or `--dev` (= `--profile dev`), before any `--` (layout.md, Profiles).
fn argv_profile(args: &[String]) -> Option<String> {
    let mut it = args.iter().take_while(|a| *a != "--");
    while let Some(a) = it.next() {
        if a == "--dev" {
            return Some("dev".into());
        }
        if a == "--profile" {
            return it.next().cloned();
        }
        if let Some(p) = a.strip_prefix("--profile=") {
            return Some(p.to_string());
        }
    }
    None
}

/// Whether a process with environment `env` and arguments `args` reads `state`
/// (None: unknown). Its state dir is `OPENCLAW_STATE_DIR`, else `~/.openclaw-NAME` for
/// `--profile NAME` on its command line, else `~/.openclaw` (home: `OPENCLAW_HOME`,
/// else `HOME`). `OPENCLAW_PROFILE` alone does not move OpenClaw's state dir, but a
/// process carrying it may be one of that profile's: it counts as unknown there.
fn on_state(env: Option<&[String]>, args: &[String], state: &Path) -> Option<bool> {
    let env = env?;
    let var = |k: &str| {
        env.iter()
            .find_map(|e| e.strip_prefix(&format!("{k}=")))
            .filter(|v| !v.is_empty())
    };
    let same = |p: PathBuf| {
        p == state || matches!((p.canonicalize(), state.canonicalize()), (Ok(a), Ok(b)) if a == b)
    };
    if let Some(dir) = var("OPENCLAW_STATE_DIR") {
        return Some(same(PathBuf::from(dir)));
    }
    let Some(home) = var("OPENCLAW_HOME")
        .or_else(|| var("HOME"))
        .map(PathBuf::from)
    else {
        return Some(false);
    };
    let in_home = |profile: &str| match profile {
        "default" => home.join(".openclaw"),
        p => home.join(format!(".openclaw-{p}")),
    };
    if let Some(p) = argv_profile(args) {
        return Some(same(in_home(&p)));
    }
    if same(home.join(".openclaw")) {
        return Some(true);
    }
    match var("OPENCLAW_PROFILE") {
        Some(p) if same(in_home(p)) => None,
        _ => Some(false),
    }
}

/// OpenClaw processes that may be working on `state` (not this process).
pub(crate) fn running_openclaw(state: &Path) -> Vec<OpenClawProcess> {
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
        match on_state(env.as_deref(), &args, state) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn a_process_title_names_the_command() {
        // The real OpenClaw 2026.4 sets process.title: its arguments are overwritten.
        let child = words("openclaw-models");
        assert_eq!(openclaw_arg(&child), Some(0));
        assert_eq!(subcommand(&child, 0), "openclaw models");
        assert_eq!(subcommand(&words("openclaw"), 0), "openclaw");
        assert_eq!(openclaw_arg(&words("openclaw-")), None);
        assert_eq!(openclaw_arg(&words("openclaw-X;rm")), None);
        let argv = words("node /x/openclaw.mjs models auth paste-token --provider p");
        assert_eq!(subcommand(&argv, 1), "openclaw models auth paste-token");
    }

    #[test]
    fn a_process_state_follows_its_profile() {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let (default, work) = (h.join(".openclaw"), h.join(".openclaw-work"));
        let env = words(&format!("HOME={}", h.display()));
        let paste = words("node /x/openclaw.mjs models auth paste-token --provider p");
        let with = |extra: &str| [paste.clone(), words(extra)].concat();
        assert_eq!(on_state(Some(&env), &paste, &default), Some(true));
        assert_eq!(on_state(Some(&env), &paste, &work), Some(false));
        for argv in [with("--profile work"), with("--profile=work")] {
            assert_eq!(on_state(Some(&env), &argv, &work), Some(true), "{argv:?}");
            assert_eq!(on_state(Some(&env), &argv, &default), Some(false));
        }
        assert_eq!(
            on_state(Some(&env), &with("--dev"), &h.join(".openclaw-dev")),
            Some(true)
        );
        assert_eq!(
            on_state(Some(&env), &with("--profile default"), &default),
            Some(true)
        );
        // OPENCLAW_STATE_DIR beats --profile.
        let moved = [env.clone(), words("OPENCLAW_STATE_DIR=/elsewhere")].concat();
        assert_eq!(
            on_state(Some(&moved), &with("--profile work"), &work),
            Some(false)
        );
        // OPENCLAW_PROFILE alone does not move the state: maybe that profile's.
        let profiled = [env.clone(), words("OPENCLAW_PROFILE=work")].concat();
        assert_eq!(on_state(Some(&profiled), &paste, &work), None);
        assert_eq!(on_state(Some(&profiled), &paste, &default), Some(true));
        assert_eq!(on_state(None, &paste, &work), None);
    }
}
