//! Where the OpenClaw state is, the environment to read it with, and loading it.
//! Warnings found while loading are returned as data: each front end shows them.

use crate::domain::read::discovery::{DiscoverOptions, Discovery, discover};
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::error::ReadError;
use crate::domain::read::executable::{find_executable, probe_version};
use crate::domain::read::paths::{PathOverrides, resolve_paths};
use crate::domain::status::report::{Report, build_report};
use crate::service::exit::Failure;
use std::path::PathBuf;

/// What the user pointed clawauth at (flags, or the UI's start), plus the
/// environment snapshot every read uses.
/// No `Debug`: the environment holds secrets.
#[derive(Clone, Default)]
pub struct Session {
    pub state_dir: Option<PathBuf>,
    pub profile: Option<String>,
    pub config: Option<PathBuf>,
    /// The `openclaw` executable given explicitly (else the one on `PATH`).
    pub openclaw: Option<PathBuf>,
    pub env: EnvSnapshot,
    /// The built-in demo state: its keys are made up, nothing may leave the machine.
    pub demo: bool,
}

/// The state as read, with what the user should be told about the reading.
pub(crate) struct Loaded {
    pub(crate) discovery: Discovery,
    pub(crate) warnings: Vec<String>,
}

impl Session {
    /// The session for `env` with nothing given explicitly.
    pub fn from_env(env: EnvSnapshot) -> Session {
        Session {
            env,
            ..Session::default()
        }
    }

    /// Reads the whole state the way OpenClaw would find it.
    pub(crate) fn load(&self) -> Result<Loaded, ReadError> {
        let mut warnings = Vec::new();
        let executable_version = self.openclaw().and_then(|exe| match probe_version(&exe) {
            Ok(v) => Some((v, exe)),
            Err(e) if self.openclaw.is_some() => {
                warnings.push(format!(
                    "{e}; deciding the store generation from the files on disk"
                ));
                None
            }
            Err(_) => None,
        });
        let options = DiscoverOptions {
            paths: self.overrides(),
            executable_version,
            now_ms: now_ms(),
        };
        let discovery = discover(&options, &self.env)?;
        Ok(Loaded {
            discovery,
            warnings,
        })
    }

    /// The state only (warnings dropped): for re-reads after a write.
    pub(crate) fn discovery(&self) -> Result<Discovery, ReadError> {
        self.load().map(|l| l.discovery)
    }

    /// The full report (cells and problems) of the state as it is now.
    pub(crate) fn report(&self) -> Result<Report, ReadError> {
        self.discovery().map(|d| build_report(&d))
    }

    /// The `openclaw` executable (the explicit one, else on PATH).
    pub fn openclaw(&self) -> Option<PathBuf> {
        find_executable(self.openclaw.as_deref(), &self.env)
    }

    fn overrides(&self) -> PathOverrides {
        PathOverrides {
            state_dir: self.state_dir.clone(),
            profile: self.profile.clone(),
            config: self.config.clone(),
        }
    }

    /// Refuses a `--state-dir`, `--config` or `--profile` that does not exist (exit 3,
    /// naming the path): a typo must not read as an empty, healthy state. With `init`
    /// (an explicit `set --init`) a missing state dir or config is created by the write.
    pub(crate) fn check_given_paths(&self, init: bool) -> Result<(), Failure> {
        if let Some(p) = self.profile.as_deref().filter(|p| p.contains(':')) {
            return Err(Failure::CannotRead(format!(
                "invalid --profile {p:?}: --profile names an OpenClaw profile (~/.openclaw-NAME); for a credential profile id use --profile-id {p}"
            )));
        }
        let paths = resolve_paths(&self.overrides(), &self.env)?;
        if init {
            return Ok(());
        }
        let create = "; to create a new OpenClaw state there, run `clawauth set --init …`";
        if self.state_dir.is_some() && !paths.state_dir.exists() {
            return Err(Failure::missing_path(
                "--state-dir",
                &paths.state_dir,
                create,
            ));
        }
        if self.profile.is_some() && !paths.state_dir.exists() {
            let what = format!(
                "--profile {:?}: state dir",
                self.profile.as_deref().unwrap_or_default()
            );
            return Err(Failure::missing_path(&what, &paths.state_dir, create));
        }
        if let Some(config) = &self.config
            && !config.exists()
        {
            return Err(Failure::missing_path("--config", config, ""));
        }
        Ok(())
    }

    /// Before a write: the state dir OpenClaw would use must exist unless the user
    /// asked to create one (`--init`), so a misspelt path never grows a new tree.
    pub(crate) fn check_state_exists(&self, init: bool) -> Result<(), Failure> {
        let paths = resolve_paths(&self.overrides(), &self.env)?;
        if init || paths.state_dir.exists() {
            return Ok(());
        }
        Err(Failure::missing_path(
            "the OpenClaw state dir",
            &paths.state_dir,
            "; to create a new OpenClaw state there, add --init",
        ))
    }

    /// The state dir this session reads, for messages ("(unresolved)" when the
    /// paths cannot be resolved; that error is reported by the load itself).
    pub(crate) fn state_dir_text(&self) -> String {
        resolve_paths(&self.overrides(), &self.env)
            .map(|p| p.state_dir.display().to_string())
            .unwrap_or_else(|_| "(unresolved)".to_string())
    }

    /// True when nothing points at an OpenClaw state and none exists where OpenClaw
    /// would look: then the bare command on a terminal opens the demo.
    pub(crate) fn no_openclaw_state(&self) -> bool {
        let explicit = self.state_dir.is_some() || self.profile.is_some() || self.config.is_some();
        let defaults = PathOverrides {
            state_dir: None,
            profile: None,
            config: None,
        };
        let found = resolve_paths(&defaults, &self.env)
            .is_ok_and(|p| p.state_dir.exists() || p.config_path.exists());
        !explicit && self.env.get("OPENCLAW_STATE_DIR").is_none() && !found
    }
}

/// Milliseconds since the epoch (0 if the clock is before it).
pub(crate) fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0)
}
