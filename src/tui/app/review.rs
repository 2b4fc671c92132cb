//! The end of every flow: the plan with its redacted diff, a confirmation, applying,
//! and the result. Repair starts here directly.

use super::wizard::Wizard;
use super::{App, Effect, Focus, Page, info};
use crate::domain::ops::apply::ApplyResult;
use crate::domain::report::Report;
use crate::tui::msg::{ExternalOutcome, PlanRequest, StagedPlan};

/// The plan of a flow, once asked for.
#[derive(Debug, Default)]
pub struct Review {
    /// `None` while it is being planned.
    pub plan: Option<StagedPlan>,
    /// Why there is no plan (nothing was written).
    pub error: Option<String>,
    /// The "Apply N changes?" line is showing.
    pub confirming: bool,
    pub scroll: u16,
}

/// What the flow did.
#[derive(Debug, Clone)]
pub enum Outcome {
    Applied(ApplyResult),
    /// An OpenClaw command run in the foreground terminal (the OAuth sign-in).
    External {
        command: String,
        outcome: ExternalOutcome,
        /// The provider signed in for.
        provider: String,
        /// Its cells before the sign-in (see `SignInCells`).
        before: SignInCells,
        /// What the re-read after it found.
        changes: Reread,
    },
}

/// The re-read after a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reread {
    Pending,
    Failed(String),
    /// One line per agent whose cell of the provider changed.
    Done(Vec<String>),
}

/// Per agent: how its cell of one provider reads (glyph, state, profile, type).
pub type SignInCells = Vec<(String, String)>;

impl Outcome {
    pub fn ok(&self) -> bool {
        match self {
            Outcome::Applied(r) => r.ok(),
            Outcome::External { outcome, .. } => matches!(
                outcome,
                ExternalOutcome::Exited {
                    code: Some(0),
                    wrote: true
                }
            ),
        }
    }
}

/// The cells of `provider`, for comparing before and after a sign-in.
pub fn sign_in_cells(report: &Report, provider: &str) -> SignInCells {
    let cells = report.cells.iter().filter(|c| c.provider == provider);
    cells
        .map(|c| {
            let mut summary = format!("{} {}", c.glyph(), c.state.word());
            if let (Some(p), Some(t)) = (&c.profile, c.cred_type) {
                summary.push_str(&format!(" ({p}, {t})"));
            }
            (c.agent.clone(), summary)
        })
        .collect()
}

/// `agent: before → after` for every agent whose cell changed.
fn cell_changes(before: &SignInCells, after: &SignInCells) -> Vec<String> {
    after
        .iter()
        .filter_map(
            |(agent, summary)| match before.iter().find(|(a, _)| a == agent) {
                Some((_, s)) if s == summary => None,
                Some((_, s)) => Some(format!("{agent}: {s} → {summary}")),
                None => Some(format!("{agent}: {summary} (new)")),
            },
        )
        .collect()
}

impl App {
    /// Opens the review and asks the runner for the plan.
    pub(super) fn request_plan(&mut self, request: PlanRequest) -> Effect {
        self.review = Some(Review::default());
        self.open(Page::Review);
        Effect::Plan(request)
    }

    /// `f` (or Enter on a problem): the safe fixes for one agent's store
    /// (every store for a problem that belongs to no agent).
    pub(super) fn start_repair(&mut self) -> Effect {
        let agents = match self.focus {
            Focus::Problems => match self.selected_problem() {
                Some(p) => p.agent.iter().cloned().collect(),
                None => return Effect::None,
            },
            Focus::Matrix => match self.selected_agent() {
                Some(a) => vec![self.report.agents[a].id.clone()],
                None => return Effect::None,
            },
        };
        self.wizard = Some(Wizard::Repair {
            agents: agents.clone(),
        });
        self.outcome = None;
        self.request_plan(PlanRequest::Repair { agents })
    }

    /// The plan (or why there is none); ignored once the user went back.
    pub(super) fn on_planned(&mut self, result: Result<StagedPlan, String>) {
        if self.base_page() != Page::Review {
            return;
        }
        let Some(review) = self.review.as_mut() else {
            return;
        };
        match result {
            Ok(plan) => review.plan = Some(plan),
            Err(e) => review.error = Some(e),
        }
    }

    /// Enter on the review: ask first, then apply. An empty plan just ends.
    pub(super) fn confirm(&mut self) -> Effect {
        let Some(review) = self.review.as_mut() else {
            return Effect::None;
        };
        let Some(plan) = review.plan.clone() else {
            return Effect::None;
        };
        if plan.change_count() == 0 {
            self.end_wizard();
            self.notice = Some(info("Nothing to change: nothing was written."));
            return Effect::None;
        }
        if !review.confirming {
            review.confirming = true;
            return Effect::None;
        }
        review.confirming = false;
        self.open(Page::Applying);
        Effect::Apply(plan)
    }

    pub(super) fn on_applied(&mut self, result: ApplyResult) {
        if self.page() != Page::Applying {
            return;
        }
        self.outcome = Some(Outcome::Applied(result));
        self.replace(Page::Result);
        self.page_scroll_reset();
    }

    /// Back from an OpenClaw sign-in: show how it went and re-read the state.
    pub(super) fn on_external(&mut self, outcome: ExternalOutcome) -> Effect {
        let signin = match &self.wizard {
            Some(Wizard::Add(w)) => w.signin.as_ref().map(|c| (c.display(), w.provider.clone())),
            _ => None,
        };
        let Some((command, provider)) = signin else {
            return Effect::None;
        };
        let ran = matches!(outcome, ExternalOutcome::Exited { .. });
        let before = sign_in_cells(&self.report, &provider);
        self.outcome = Some(Outcome::External {
            command,
            outcome,
            provider,
            before,
            changes: Reread::Pending,
        });
        self.open(Page::Result);
        self.page_scroll_reset();
        match ran {
            true => self.start_reload(),
            false => Effect::None,
        }
    }

    /// After the re-read that follows a sign-in: what changed for its provider
    /// (`Err`: why the state could not be re-read).
    pub(super) fn note_sign_in_changes(&mut self, reread: Result<(), String>) {
        let Some(Outcome::External {
            provider,
            before,
            changes,
            ..
        }) = self.outcome.as_mut()
        else {
            return;
        };
        if *changes != Reread::Pending {
            return;
        }
        *changes = match reread {
            Ok(()) => Reread::Done(cell_changes(before, &sign_in_cells(&self.report, provider))),
            Err(e) => Reread::Failed(e),
        };
    }

    fn page_scroll_reset(&mut self) {
        if let Some(r) = self.review.as_mut() {
            r.scroll = 0;
        }
        self.result_scroll = 0;
    }

    /// Scrolls the review or the result, within its lines.
    pub(super) fn scroll_review(&mut self, delta: isize) {
        let lines = crate::tui::view::review::line_count(self);
        let step = |at: u16| super::overview::step(at as usize, lines, delta) as u16;
        match self.page() {
            Page::Result => self.result_scroll = step(self.result_scroll),
            _ => {
                if let Some(r) = self.review.as_mut() {
                    r.scroll = step(r.scroll);
                }
            }
        }
    }
}
