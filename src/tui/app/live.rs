//! The live check in the UI: `t` checks the selected cell's credential, `T` every
//! cell with one. The check runs on a worker thread (the UI keeps answering keys);
//! results show as a mark in the matrix and a line in the details.

use super::App;
use super::ctx::{error, info};
use crate::domain::probe::Status;
use crate::domain::probe::plan::ResultRow;
use crate::tui::msg::Effect;
use crate::tui::msg::ProbeScope;
use std::collections::{BTreeSet, HashMap};

/// One cell's latest live check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveMark {
    /// Local time of the check, `HH:MM`.
    pub at: String,
    pub status: Status,
    pub latency_ms: Option<u64>,
    pub message: Option<String>,
}

impl LiveMark {
    /// The mark after a cell's text: `✔` works, `✘` does not, `–` not checked.
    pub fn mark(&self) -> &'static str {
        match self.status {
            Status::Ok => "✔",
            Status::Skipped => "–",
            _ => "✘",
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

/// Live checks by (agent, provider), and the cells still being checked.
#[derive(Debug, Clone, Default)]
pub struct LiveChecks {
    pub marks: HashMap<(String, String), LiveMark>,
    pub running: BTreeSet<(String, String)>,
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

impl App {
    /// `t` (the selected cell) or `T` (every cell with a credential).
    pub(super) fn start_check(&mut self, all: bool) -> Effect {
        if !self.live.running.is_empty() {
            self.notice = Some(info("A live check is already running…"));
            return Effect::None;
        }
        let cells: Vec<(String, String)> = if all {
            self.report
                .cells
                .iter()
                .filter(|c| c.usable)
                .map(|c| (c.agent.clone(), c.provider.clone()))
                .collect()
        } else {
            match self.selected_cell() {
                Some(c) if c.usable => vec![(c.agent.clone(), c.provider.clone())],
                Some(_) => {
                    self.notice = Some(error("This cell has no usable credential to check."));
                    return Effect::None;
                }
                None => return Effect::None,
            }
        };
        if cells.is_empty() {
            self.notice = Some(info("No cell has a usable credential to check."));
            return Effect::None;
        }
        let scope = ProbeScope {
            agents: set_of(cells.iter().map(|c| &c.0)),
            providers: set_of(cells.iter().map(|c| &c.1)),
        };
        self.notice = Some(info(&format!(
            "Live check of {} cell(s): each key goes only to its provider's endpoint…",
            cells.len()
        )));
        self.live.running = cells.into_iter().collect();
        Effect::Probe(scope)
    }

    pub(super) fn on_probed(&mut self, result: Result<Vec<ResultRow>, String>, at: String) {
        let running = std::mem::take(&mut self.live.running);
        let rows = match result {
            Ok(rows) => rows,
            Err(e) => {
                self.notice = Some(error(format!("Live check failed: {e}")));
                return;
            }
        };
        let mut failed = 0;
        for r in rows {
            let key = (r.agent.clone(), r.provider.clone());
            if !running.contains(&key) {
                continue;
            }
            if !matches!(r.status, Status::Ok | Status::Skipped) {
                failed += 1;
            }
            let mark = LiveMark {
                at: at.clone(),
                status: r.status,
                latency_ms: r.latency_ms,
                message: r.message,
            };
            self.live.marks.insert(key, mark);
        }
        self.notice = Some(if failed == 0 {
            info(&format!("Live check done ({at}): no checked key failed."))
        } else {
            error(format!(
                "Live check done ({at}): {failed} cell(s) failed; see the details."
            ))
        });
    }
}

fn set_of<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    items
        .cloned()
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect()
}
