//! Live-check results as the UI keeps them: a cell's mark (`t`/`T`) and the
//! "check this key first" of a review. Data only; `app` changes it, `text` and
//! `view` read it.

use crate::domain::ops::cooldown::Passed;
use crate::domain::probe::Status;
use crate::domain::probe::plan::Measured;
use crate::domain::probe::request::ProbeRequest;
use std::collections::{BTreeSet, HashMap};

/// One cell's latest live check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveMark {
    /// Local time of the check, `HH:MM`.
    pub(crate) at: String,
    pub(crate) status: Status,
    pub(crate) latency_ms: Option<u64>,
    pub(crate) message: Option<String>,
    /// The check did not prove the key (`ResultRow::failed`: a bad verdict, or not sent).
    pub(crate) failed: bool,
}

impl LiveMark {
    /// The mark after a cell's text: `✔` works, `✘` does not, `–` not checked.
    pub(crate) fn mark(&self) -> &'static str {
        match (self.status, self.failed) {
            (Status::Ok, false) => "✔",
            (_, true) => "✘",
            _ => "–",
        }
    }

    /// "live check 14:02: ok, 180 ms" / "live check 14:02: auth: Incorrect API key".
    pub fn line(&self) -> String {
        let head = format!("live check {}: {}", self.at, self.status.word());
        match (&self.message, self.status) {
            (Some(m), s) if s != Status::Ok => format!("{head}: {m}"),
            _ => match self.latency_ms {
                Some(ms) => format!("{head}, {ms} ms"),
                None => head,
            },
        }
    }
}

impl LiveMark {
    /// The mark of one sent request (`failed` as `ResultRow::failed`: a verdict
    /// other than `ok`, or a request refused before sending).
    pub(crate) fn measured(m: &Measured, at: String) -> LiveMark {
        LiveMark {
            at,
            status: m.verdict.status,
            latency_ms: Some(m.latency_ms),
            message: m.verdict.message.clone(),
            failed: m.verdict.status != Status::Ok,
        }
    }
}

/// The one request that would check the key a write plan stores, and the host
/// that would receive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTarget {
    pub request: ProbeRequest,
    pub host: String,
}

/// Where "check this key first" is on a review page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum KeyState {
    #[default]
    NotAsked,
    Running,
    Done(LiveMark),
}

/// "Check this key first" of one flow: the host (or why the key cannot be checked;
/// `None` for a plan that writes no key) and how far the check is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyCheck {
    pub(crate) target: Option<Result<String, String>>,
    pub(crate) state: KeyState,
}

/// Live checks by (agent, provider), and the cells still being checked.
#[derive(Debug, Clone, Default)]
pub struct LiveChecks {
    pub(crate) marks: HashMap<(String, String), LiveMark>,
    pub running: BTreeSet<(String, String)>,
    /// Profiles whose latest check was `ok` while a cooldown or disabled window
    /// holds them: what `C` offers to clear (never a failed or skipped one).
    pub passed_cooling: Vec<Passed>,
}

impl LiveChecks {
    pub fn get(&self, agent: &str, provider: &str) -> Option<&LiveMark> {
        self.marks.get(&(agent.to_string(), provider.to_string()))
    }

    pub fn is_running(&self, agent: &str, provider: &str) -> bool {
        self.running
            .contains(&(agent.to_string(), provider.to_string()))
    }
}
