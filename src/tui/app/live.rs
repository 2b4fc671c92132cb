//! The live check in the UI: `t` checks the selected cell's credential, `T` every
//! cell with one. The check runs on a worker thread (the UI keeps answering keys);
//! results show as a mark in the matrix and a line in the details.

use super::App;
use super::ctx::{error, info};
use crate::domain::ops::cooldown::Passed;
use crate::domain::probe::plan::{ResultRow, has_credential};
use crate::tui::msg::Effect;
use crate::tui::msg::{PlanRequest, ProbeScope};
use std::collections::BTreeSet;

pub(crate) use crate::tui::checks::LiveMark;

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
                .filter(|c| has_credential(c))
                .map(|c| (c.agent.clone(), c.provider.clone()))
                .collect()
        } else {
            match self.selected_cell() {
                Some(c) if has_credential(c) => vec![(c.agent.clone(), c.provider.clone())],
                Some(_) => {
                    self.notice = Some(error("This cell has no credential to check."));
                    return Effect::None;
                }
                None => return Effect::None,
            }
        };
        if cells.is_empty() {
            self.notice = Some(info("No cell has a credential to check."));
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
        let passed = crate::service::probe::passed_profiles(&rows);
        let mut failed = 0;
        for r in rows {
            let key = (r.agent.clone(), r.provider.clone());
            if !running.contains(&key) {
                continue;
            }
            failed += usize::from(r.failed());
            let mark = LiveMark {
                at: at.clone(),
                status: r.status,
                latency_ms: r.latency_ms,
                failed: r.failed(),
                message: r.message,
            };
            self.live.marks.insert(key, mark);
        }
        self.note_passed_cooling(passed);
        let offer = match self.live.passed_cooling.len() {
            0 => String::new(),
            n => {
                format!(" {n} profile(s) that passed are in a cooldown: C clears it (plan first).")
            }
        };
        self.notice = Some(if failed == 0 {
            info(&format!(
                "Live check done ({at}): no checked key failed.{offer}"
            ))
        } else {
            error(format!(
                "Live check done ({at}): {failed} cell(s) failed; see the details.{offer}"
            ))
        });
    }

    /// Keeps the passed profiles a cooldown or disabled window holds (per the report).
    fn note_passed_cooling(&mut self, passed: Vec<Passed>) {
        let cooling = |p: &Passed| {
            self.report.cells.iter().any(|c| {
                c.agent == p.agent
                    && c.provider == p.provider
                    && c.usage_blocks.iter().any(|b| b.profile == p.profile)
            })
        };
        self.live.passed_cooling = passed.into_iter().filter(|p| cooling(p)).collect();
    }

    /// `C`: the plan that clears the cooldown of the profiles that passed, on the
    /// review page (the same plan as `clawauth probe --clear-cooldowns`).
    pub(super) fn start_clear_cooldowns(&mut self) -> Effect {
        if self.live.passed_cooling.is_empty() {
            self.notice = Some(info(
                "No profile that passed a live check is in a cooldown (t/T check first).",
            ));
            return Effect::None;
        }
        let passed = std::mem::take(&mut self.live.passed_cooling);
        self.go(super::ctx::Go::Plan {
            title: "Clear the cooldown of profiles that passed a live check".into(),
            steps: super::REPAIR_STEPS,
            request: PlanRequest::ClearCooldowns(passed),
        })
    }
}

fn set_of<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    items
        .cloned()
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect()
}
