//! The end of a flow, as data: the phases of the review page and what applying
//! (or an OpenClaw sign-in) did. The state machine keeps it; the text builders read it.

use crate::domain::ops::apply::ApplyResult;
use crate::domain::status::report::Report;
use crate::tui::msg::{ExternalOutcome, StagedPlan};

/// Where the review page is: planning, the plan (or why there is none), applying, done.
#[derive(Debug, Clone)]
pub enum Phase {
    Planning,
    /// Why there is no plan (nothing was written).
    Failed(String),
    /// The plan; `confirming`: the "Apply N changes?" line is showing.
    Planned {
        plan: StagedPlan,
        confirming: bool,
    },
    Applying(StagedPlan),
    Done(Outcome),
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
pub(crate) type SignInCells = Vec<(String, String)>;

impl Outcome {
    /// After the re-read that follows a sign-in: what changed for its provider
    /// (`Err`: why the state could not be re-read). Only a pending re-read changes.
    pub(crate) fn note_reread(&mut self, report: Result<&Report, String>) {
        let Outcome::External {
            provider,
            before,
            changes: changes @ Reread::Pending,
            ..
        } = self
        else {
            return;
        };
        *changes = match report {
            Ok(report) => Reread::Done(cell_changes(before, &sign_in_cells(report, provider))),
            Err(e) => Reread::Failed(e),
        };
    }
}

/// The cells of `provider`, for comparing before and after a sign-in.
pub(crate) fn sign_in_cells(report: &Report, provider: &str) -> SignInCells {
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
