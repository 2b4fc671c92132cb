//! Finding the `openclaw` executable and its version without slowing status down:
//! the version is read from the package's `package.json` when possible, and
//! `openclaw --version` is run only as a fallback.

use super::error::VersionError;
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::version::Version;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn find_executable(explicit: Option<&Path>, env: &EnvSnapshot) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let path = env.get("PATH")?;
    std::env::split_paths(path)
        .map(|dir| dir.join("openclaw"))
        .find(|c| c.is_file())
}

/// The `openclaw` npm package directory an `openclaw` bin link points into, with its
/// parsed `package.json`.
fn package(exe: &Path) -> Option<(PathBuf, serde_json::Value)> {
    let real = std::fs::canonicalize(exe).ok()?;
    real.ancestors().skip(1).take(4).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
        let pkg: serde_json::Value = serde_json::from_str(&text).ok()?;
        (pkg.get("name")?.as_str()? == "openclaw").then(|| (dir.to_path_buf(), pkg))
    })
}

/// The installed package's directory (where `dist/` is), if `exe` points into one.
pub(crate) fn package_root(exe: &Path) -> Option<PathBuf> {
    package(exe).map(|(dir, _)| dir)
}

/// The version of the package an `openclaw` bin link points into.
fn version_from_package(exe: &Path) -> Option<Version> {
    let (_, pkg) = package(exe)?;
    Version::parse(pkg.get("version")?.as_str()?)
}

fn version_from_command(exe: &Path) -> Result<Version, VersionError> {
    let wait = |e: std::io::Error| VersionError::Wait {
        detail: e.to_string(),
    };
    let process: Vec<(String, String)> = std::env::vars().collect();
    let env = crate::domain::read::envsnap::child_env(process.iter().map(|(k, v)| (k, v)));
    let mut child = Command::new(exe)
        .env_clear()
        .envs(env)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| VersionError::Run {
            exe: exe.to_path_buf(),
            detail: e.to_string(),
        })?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if child.try_wait().map_err(wait)?.is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(VersionError::NoAnswer {
                exe: exe.to_path_buf(),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().map_err(wait)?;
    Version::find_in(&String::from_utf8_lossy(&out.stdout)).ok_or_else(|| VersionError::NoVersion {
        exe: exe.to_path_buf(),
    })
}

pub(crate) fn probe_version(exe: &Path) -> Result<Version, VersionError> {
    version_from_package(exe)
        .map(Ok)
        .unwrap_or_else(|| version_from_command(exe))
}
