//! Telling the user at once that a write waits for a lock, and on whom: the
//! domain describes the holder; the front end installs the function that shows it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// Who holds a lock, as read from its file.
#[derive(Debug, Clone)]
pub(crate) struct Holder {
    pub(crate) lock_path: PathBuf,
    /// `None` when the payload is empty, unreadable or has no valid pid.
    pub(crate) pid: Option<i32>,
    pub(crate) created_at: Option<String>,
}

/// One wait for another holder's lock (reported before every pause).
#[derive(Debug)]
pub(crate) struct LockWait<'a> {
    /// The store file whose lock is held.
    pub(crate) target: &'a Path,
    pub(crate) holder: Option<&'a Holder>,
    /// Time spent waiting so far.
    pub(crate) waited: Duration,
    /// True for the first report of this acquisition.
    pub(crate) first: bool,
}

static REPORTER: OnceLock<fn(&LockWait)> = OnceLock::new();

/// Installs the function that shows lock waits (the CLI prints them on stderr);
/// without one, waits are silent. The first call wins.
pub(crate) fn set_wait_reporter(report: fn(&LockWait)) {
    let _ = REPORTER.set(report);
}

pub(crate) fn report(wait: &LockWait) {
    if let Some(report) = REPORTER.get() {
        report(wait);
    }
}

/// "pid 4242 since 2026-…Z" or "an empty lock file made 12 s ago (…)".
pub(crate) fn describe_holder(holder: Option<&Holder>) -> String {
    let Some(info) = holder else {
        return "a lock file that vanished while it was read".into();
    };
    let age = std::fs::metadata(&info.lock_path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .map(|d| format!("made {} s ago", d.as_secs()))
        .unwrap_or_else(|| "of unknown age".into());
    match (info.pid, &info.created_at) {
        (Some(pid), Some(at)) => format!("held by pid {pid} since {at}"),
        (Some(pid), None) => format!("held by pid {pid}"),
        (None, _) => format!(
            "an empty or unreadable lock file {age} (a writer killed before it wrote its pid); it counts as stale 30 s after it was made"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_described_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("s.json.lock");
        std::fs::write(&lock, "").unwrap();
        let info = Holder {
            lock_path: lock,
            pid: None,
            created_at: None,
        };
        let text = describe_holder(Some(&info));
        assert!(
            text.contains("empty") && text.contains("made 0 s ago"),
            "{text}"
        );
        let held = Holder {
            pid: Some(42),
            created_at: Some("2026-01-01T00:00:00.000Z".into()),
            ..info
        };
        assert_eq!(
            describe_holder(Some(&held)),
            "held by pid 42 since 2026-01-01T00:00:00.000Z"
        );
    }
}
