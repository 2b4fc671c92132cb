//! Where OpenClaw keeps things: home, state dir, config file, main agent dir
//! (layout.md §1; `src/config/paths.ts`, `src/agents/agent-paths.ts`).

use crate::domain::read::envsnap::EnvSnapshot;
use std::path::{Path, PathBuf};

/// What the user told clawauth on the command line.
#[derive(Debug, Clone, Default)]
pub struct PathOverrides {
    pub state_dir: Option<PathBuf>,
    pub profile: Option<String>,
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedPaths {
    pub(crate) home: PathBuf,
    pub(crate) state_dir: PathBuf,
    /// How the state dir was chosen, for the header and for error messages.
    pub(crate) state_dir_source: &'static str,
    pub(crate) config_path: PathBuf,
    /// The shared ("main") agent dir every agent inherits from.
    pub(crate) main_agent_dir: PathBuf,
    /// Which of `--state-dir`, `--profile` and `--config` were given: printed
    /// `clawauth …` fixes repeat them (see [`ResolvedPaths::clawauth`]).
    pub(crate) given: (bool, Option<String>, bool),
}

impl ResolvedPaths {
    /// `clawauth` with the `--state-dir`, `--profile` and `--config` this run was
    /// given (as absolute, shell-quoted paths): a printed fix pasted into a shell
    /// acts on the same state, not on ~/.openclaw.
    pub(crate) fn clawauth(&self) -> String {
        use crate::domain::text::{shell_path, shell_quote};
        let (state_dir, profile, config) = &self.given;
        let mut cmd = "clawauth".to_string();
        if *state_dir {
            cmd.push_str(&format!(" --state-dir {}", shell_path(&self.state_dir)));
        }
        if let Some(p) = profile {
            cmd.push_str(&format!(" --profile {}", shell_quote(p)));
        }
        if *config {
            cmd.push_str(&format!(" --config {}", shell_path(&self.config_path)));
        }
        cmd
    }
}

pub(crate) fn home_dir(env: &EnvSnapshot) -> PathBuf {
    let os_home = env
        .get("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"));
    match env.get("OPENCLAW_HOME") {
        Some(h) => env.expand_tilde(h, &os_home),
        None => os_home,
    }
}

/// Profile names allowed by `--profile` (`[A-Za-z0-9_-]`).
pub(crate) fn valid_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub(crate) fn resolve_paths(
    overrides: &PathOverrides,
    env: &EnvSnapshot,
) -> Result<ResolvedPaths, super::error::ReadError> {
    let home = home_dir(env);
    if let Some(profile) = &overrides.profile
        && !valid_profile_name(profile)
    {
        return Err(super::error::ReadError::ProfileName {
            name: profile.clone(),
        });
    }
    let (state_dir, source, explicit) = resolve_state_dir(overrides, env, &home);
    let config_path = resolve_config_path(overrides, env, &home, &state_dir, explicit);
    let main_agent_dir = env
        .get("OPENCLAW_AGENT_DIR")
        .or_else(|| env.get("PI_CODING_AGENT_DIR"))
        .map(|d| absolute(env.expand_tilde(d, &home)))
        .unwrap_or_else(|| state_dir.join("agents").join("main").join("agent"));
    Ok(ResolvedPaths {
        home,
        state_dir,
        state_dir_source: source,
        config_path,
        main_agent_dir,
        given: (
            overrides.state_dir.is_some(),
            overrides.profile.clone(),
            overrides.config.is_some(),
        ),
    })
}

fn absolute(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p)
    }
}

fn resolve_state_dir(
    overrides: &PathOverrides,
    env: &EnvSnapshot,
    home: &Path,
) -> (PathBuf, &'static str, bool) {
    if let Some(dir) = &overrides.state_dir {
        return (absolute(dir.clone()), "--state-dir", true);
    }
    if let Some(dir) = env.get("OPENCLAW_STATE_DIR") {
        return (
            absolute(env.expand_tilde(dir, home)),
            "OPENCLAW_STATE_DIR",
            true,
        );
    }
    if let Some(profile) = overrides.profile.as_deref().filter(|p| *p != "default") {
        return (home.join(format!(".openclaw-{profile}")), "--profile", true);
    }
    let modern = home.join(".openclaw");
    let legacy = home.join(".clawdbot");
    if modern.exists() || !legacy.exists() {
        (modern, "default (~/.openclaw)", false)
    } else {
        (legacy, "legacy (~/.clawdbot)", false)
    }
}

fn resolve_config_path(
    overrides: &PathOverrides,
    env: &EnvSnapshot,
    home: &Path,
    state: &Path,
    explicit: bool,
) -> PathBuf {
    if let Some(p) = &overrides.config {
        return absolute(p.clone());
    }
    if let Some(p) = env.get("OPENCLAW_CONFIG_PATH") {
        return absolute(env.expand_tilde(p, home));
    }
    let candidates: Vec<PathBuf> = if explicit {
        vec![state.join("openclaw.json"), state.join("clawdbot.json")]
    } else {
        vec![
            home.join(".openclaw/openclaw.json"),
            home.join(".openclaw/clawdbot.json"),
            home.join(".clawdbot/openclaw.json"),
            home.join(".clawdbot/clawdbot.json"),
        ]
    };
    candidates
        .into_iter()
        .find(|c| c.exists())
        .unwrap_or_else(|| {
            if explicit {
                state.join("openclaw.json")
            } else {
                home.join(".openclaw/openclaw.json")
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(home: &Path, extra: &[(&str, &str)]) -> EnvSnapshot {
        let mut e = EnvSnapshot::from_pairs([("HOME", home.to_str().unwrap())]);
        for (k, v) in extra {
            e.set(k, v);
        }
        e
    }

    #[test]
    fn defaults_and_legacy_dir() {
        let h = tempfile::tempdir().unwrap();
        let p = resolve_paths(&PathOverrides::default(), &env(h.path(), &[])).unwrap();
        assert_eq!(p.state_dir, h.path().join(".openclaw"));
        std::fs::create_dir(h.path().join(".clawdbot")).unwrap();
        std::fs::write(h.path().join(".clawdbot/clawdbot.json"), "{}").unwrap();
        let p = resolve_paths(&PathOverrides::default(), &env(h.path(), &[])).unwrap();
        assert_eq!(p.state_dir, h.path().join(".clawdbot"));
        assert_eq!(p.config_path, h.path().join(".clawdbot/clawdbot.json"));
    }

    #[test]
    fn env_state_dir_beats_profile_and_openclaw_home_moves_home() {
        let h = tempfile::tempdir().unwrap();
        let alt = h.path().join("alt");
        let o = PathOverrides {
            profile: Some("work".into()),
            ..Default::default()
        };
        let p = resolve_paths(
            &o,
            &env(h.path(), &[("OPENCLAW_HOME", alt.to_str().unwrap())]),
        )
        .unwrap();
        assert_eq!(p.state_dir, alt.join(".openclaw-work"));
        assert_eq!(p.config_path, alt.join(".openclaw-work/openclaw.json"));
        let p = resolve_paths(&o, &env(h.path(), &[("OPENCLAW_STATE_DIR", "/tmp/s")])).unwrap();
        assert_eq!(p.state_dir, PathBuf::from("/tmp/s"));
        let bad = PathOverrides {
            profile: Some("a/b".into()),
            ..Default::default()
        };
        assert!(resolve_paths(&bad, &env(h.path(), &[])).is_err());
    }

    #[test]
    fn main_agent_dir_follows_env() {
        let h = tempfile::tempdir().unwrap();
        let p = resolve_paths(
            &PathOverrides::default(),
            &env(
                h.path(),
                &[
                    ("PI_CODING_AGENT_DIR", "/x/pi"),
                    ("OPENCLAW_AGENT_DIR", "/x/oc"),
                ],
            ),
        )
        .unwrap();
        assert_eq!(p.main_agent_dir, PathBuf::from("/x/oc"));
    }
}
