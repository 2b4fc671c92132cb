//! The end of every flow: the plan with its redacted diff, a confirmation, applying,
//! and the result. Repair starts here directly. The page owns its phase.

use super::ctx::{Ctx, FAR, Go, info, step};
use crate::domain::ops::apply::ApplyResult;
use crate::domain::probe::plan::Measured;
use crate::domain::status::report::Report;
use crate::tui::checks::{KeyCheck, KeyState, LiveMark};
use crate::tui::keymap::Action;
use crate::tui::msg::{Effect, ExternalOutcome, PlanRequest, StagedPlan};
use std::path::PathBuf;

/// The breadcrumb of deleting old backups: it starts at the review.
const PURGE_STEPS: &[&str] = &["review", "result"];
use crate::tui::outcome::{Outcome, Phase, Reread, sign_in_cells};
use crate::tui::text::review::lines;

/// The review page of a flow, then its result.
#[derive(Debug)]
pub struct ReviewPage {
    /// The flow's title and steps, for the heading and the breadcrumb.
    pub title: String,
    pub(crate) steps: &'static [&'static str],
    pub phase: Phase,
    pub(crate) scroll: u16,
    /// "Check this key first" (`t` on the review), and what the result page says of it.
    pub(crate) key: KeyCheck,
}

impl ReviewPage {
    /// A review waiting for its plan.
    pub(crate) fn planning(title: String, steps: &'static [&'static str]) -> ReviewPage {
        ReviewPage {
            title,
            steps,
            phase: Phase::Planning,
            scroll: 0,
            key: KeyCheck::default(),
        }
    }

    /// The result of an OpenClaw sign-in, `report` read before it.
    pub(crate) fn signed_in(
        title: String,
        steps: &'static [&'static str],
        (command, provider): (String, String),
        outcome: ExternalOutcome,
        report: &Report,
    ) -> ReviewPage {
        let before = sign_in_cells(report, &provider);
        let outcome = Outcome::External {
            command,
            outcome,
            provider,
            before,
            changes: Reread::Pending,
        };
        ReviewPage {
            phase: Phase::Done(outcome),
            ..ReviewPage::planning(title, steps)
        }
    }

    /// The "Apply N changes?" line is showing.
    pub fn confirming(&self) -> bool {
        matches!(
            self.phase,
            Phase::Planned {
                confirming: true,
                ..
            }
        )
    }

    /// Where the page is in its flow's steps: the review, or the result (the last).
    pub(crate) fn step_index(&self) -> usize {
        let last = self.steps.len() - 1;
        match self.phase {
            Phase::Done(_) => last,
            _ => last - 1,
        }
    }

    /// True until the plan is applied: quitting asks first.
    pub(crate) fn unapplied(&self) -> bool {
        !matches!(self.phase, Phase::Applying(_) | Phase::Done(_))
    }

    pub(crate) fn action(&mut self, action: Action, ctx: &mut Ctx) -> Go {
        match action {
            Action::Back => self.back(),
            Action::Finish => Go::Home,
            Action::Confirm => self.confirm(ctx),
            Action::CheckKey => self.check_key(ctx),
            Action::PurgeBackups => self.purge_backups(),
            motion => {
                self.scroll_by(motion, ctx);
                Go::Stay
            }
        }
    }

    /// Esc: the confirmation line closes first; applying cannot be interrupted;
    /// after a result there is nothing to go back to.
    fn back(&mut self) -> Go {
        match &mut self.phase {
            Phase::Planned { confirming, .. } if *confirming => {
                *confirming = false;
                Go::Stay
            }
            Phase::Planning | Phase::Failed(_) | Phase::Planned { .. } => Go::Close,
            Phase::Applying(_) => Go::Stay,
            Phase::Done(_) => Go::Home,
        }
    }

    /// Enter on the review: ask first, then apply. An empty plan just ends.
    fn confirm(&mut self, ctx: &mut Ctx) -> Go {
        let Phase::Planned { plan, confirming } = &mut self.phase else {
            return Go::Stay;
        };
        if plan.change_count() == 0 {
            *ctx.notice = Some(info("Nothing to change: nothing was written."));
            return Go::Home;
        }
        if !*confirming {
            *confirming = true;
            return Go::Stay;
        }
        let plan = plan.clone();
        self.phase = Phase::Applying(plan.clone());
        Go::Run(Effect::Apply(plan))
    }

    /// `d` on a result that names backups still holding a replaced secret: the review
    /// of deleting them (planned, confirmed and verified like every write).
    fn purge_backups(&self) -> Go {
        let Phase::Done(Outcome::Applied(r)) = &self.phase else {
            return Go::Stay;
        };
        if r.stale_backups.is_empty() {
            return Go::Stay;
        }
        let backups = r.stale_backups.iter().map(PathBuf::from).collect();
        Go::Plan {
            title: "Delete old backups".into(),
            steps: PURGE_STEPS,
            request: PlanRequest::PurgeBackups(backups),
        }
    }

    /// `t` on the review: one request checks the key the plan writes, with the host
    /// the review names; the plan can still be applied or left meanwhile.
    fn check_key(&mut self, ctx: &mut Ctx) -> Go {
        let Phase::Planned { plan, .. } = &self.phase else {
            return Go::Stay;
        };
        match (&plan.check, &self.key.state) {
            (_, KeyState::Running) => Go::Stay,
            (Some(Ok(target)), _) => {
                self.key.state = KeyState::Running;
                Go::Run(Effect::CheckKey(target.request.clone()))
            }
            (Some(Err(why)), _) => {
                ctx.fail(format!("This key cannot be checked first: {why}"));
                Go::Stay
            }
            (None, _) => {
                ctx.fail("This plan writes no key to check.");
                Go::Stay
            }
        }
    }

    /// The answer to "check this key first".
    pub(crate) fn on_key_checked(&mut self, measured: &Measured, at: String) {
        if self.key.state == KeyState::Running {
            self.key.state = KeyState::Done(LiveMark::measured(measured, at));
        }
    }

    /// The plan (or why there is none), while it is awaited.
    pub(crate) fn on_planned(&mut self, result: Result<StagedPlan, String>) {
        if let Phase::Planning = self.phase {
            if let Ok(plan) = &result {
                self.key.target = plan
                    .check
                    .as_ref()
                    .map(|c| c.as_ref().map(|t| t.host.clone()).map_err(Clone::clone));
            }
            self.phase = match result {
                Ok(plan) => Phase::Planned {
                    plan,
                    confirming: false,
                },
                Err(e) => Phase::Failed(e),
            };
        }
    }

    /// What applying did, while it is awaited.
    pub(crate) fn on_applied(&mut self, result: ApplyResult) {
        if let Phase::Applying(_) = self.phase {
            self.phase = Phase::Done(Outcome::Applied(result));
            self.scroll = 0;
        }
    }

    /// After a re-read: what a sign-in changed (`Err`: why the state could not be re-read).
    pub(crate) fn note_reread(&mut self, report: Result<&Report, String>) {
        if let Phase::Done(outcome) = &mut self.phase {
            outcome.note_reread(report);
        }
    }

    /// Scrolls the review or the result, within its lines.
    fn scroll_by(&mut self, motion: Action, ctx: &Ctx) {
        let page = (ctx.size.1 as isize - 12).max(1);
        let delta = match motion {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::First => -FAR,
            Action::Last => FAR,
            _ => return,
        };
        let count = lines(
            &ctx.theme,
            &self.phase,
            ctx.report.gateway.as_ref(),
            &self.key,
        )
        .len();
        self.scroll = step(self.scroll as usize, count, delta) as u16;
    }
}
