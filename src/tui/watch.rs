//! Live reload: the files the overview comes from, polled on the UI's tick.
//!
//! A cheap poll of (modification time, size) of a few files every half second
//! rather than a watcher crate: the UI already wakes every 100 ms, the files are
//! known from the report (`openclaw.json`, every agent's store and its SQLite WAL,
//! the cron jobs), polling works the same on every filesystem (network mounts,
//! containers, inotify limits) and needs no thread or dependency. Debounced: a
//! change is reported once the files have stayed the same for one poll, so a burst
//! of writes (OpenClaw's temp file + rename, several stores) is one reload.

use crate::domain::status::report::Report;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

const EVERY: Duration = Duration::from_millis(500);

type Stamp = Vec<Option<(SystemTime, u64)>>;

pub(crate) struct Watch {
    files: Vec<PathBuf>,
    /// What the shown report was read from (as far as the watch knows).
    seen: Stamp,
    /// The previous poll, to wait until a change settles.
    last: Stamp,
    polled: Instant,
}

impl Watch {
    pub(crate) fn new(report: &Report) -> Watch {
        let files = files(report);
        let seen = stamp(&files);
        Watch {
            last: seen.clone(),
            files,
            seen,
            polled: Instant::now(),
        }
    }

    /// Starts over from the files as they are now (after a reload or a write).
    pub(crate) fn reset(&mut self, report: &Report) {
        *self = Watch::new(report);
    }

    /// After a reload: watch the files of the new report (a new agent's store); the
    /// stamps stay when the files are the same, so a change made while it was being
    /// read is still seen.
    pub(crate) fn retarget(&mut self, report: &Report) {
        if files(report) != self.files {
            self.reset(report);
        }
    }

    /// True once per settled change since the last reset (polls at most every 500 ms).
    pub(crate) fn changed(&mut self) -> bool {
        if self.polled.elapsed() < EVERY {
            return false;
        }
        self.polled = Instant::now();
        let now = stamp(&self.files);
        let settled = now == self.last;
        self.last = now;
        if settled && self.last != self.seen {
            self.seen = self.last.clone();
            return true;
        }
        false
    }
}

fn files(r: &Report) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = r.config_path.iter().map(PathBuf::from).collect();
    out.push(PathBuf::from(&r.state_dir).join("cron").join("jobs.json"));
    for a in &r.agents {
        out.push(PathBuf::from(&a.store));
        out.push(PathBuf::from(format!("{}-wal", a.store)));
    }
    out.sort();
    out.dedup();
    out
}

fn stamp(files: &[PathBuf]) -> Stamp {
    files
        .iter()
        .map(|f| {
            let m = std::fs::metadata(f).ok()?;
            Some((m.modified().ok()?, m.len()))
        })
        .collect()
}
