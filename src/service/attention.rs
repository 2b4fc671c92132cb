//! The one rule for "needs attention", used by `status` text, `status --check` and
//! the UI's next-problem keys alike.

use super::exit::ExitStatus;
use crate::domain::problem::{Problem, Severity};
use crate::domain::status::resolve::Cell;
use crate::domain::status::resolve::{CellState, Source};
use std::path::Path;

/// How much a cell needs the user, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Attention {
    /// Nothing to do (usable, or a provider this agent neither uses nor holds).
    None,
    /// Something is stored but OpenClaw will not use it, for a provider the agent
    /// does not use: not a failure yet, but a broken entry.
    Broken,
    /// A credential the agent relies on expires within 24 h.
    Expiring,
    /// A run needs this cell and it will fail (or the login has expired).
    Failing,
}

impl Attention {
    /// Worth listing under "Needs attention" and jumping to with `n`.
    pub(crate) fn needs_attention(self) -> bool {
        self != Attention::None
    }
}

/// The attention a cell needs.
pub(crate) fn attention(c: &Cell) -> Attention {
    let relied_on = c.in_use || c.source != Source::None;
    if relied_on && (!c.usable || c.state == CellState::Expired) {
        Attention::Failing
    } else if relied_on && c.state == CellState::Expiring {
        Attention::Expiring
    } else if !c.usable && (c.state != CellState::Missing || c.status_disagrees) {
        Attention::Broken
    } else {
        Attention::None
    }
}

/// `status --check`: 1 when a cell a run relies on fails, 2 when one expires soon.
pub(crate) fn check_status<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> ExitStatus {
    let worst = cells.into_iter().map(attention).max();
    match worst {
        Some(Attention::Failing) => ExitStatus::Problems,
        Some(Attention::Expiring) => ExitStatus::Expiring,
        _ => ExitStatus::Ok,
    }
}

/// Code of the problem `validate` reports for a cell that needs attention.
pub(crate) const NEEDS_ATTENTION: &str = "needs_attention";

/// The cells that need attention, as `validate` problems (one rule, one code):
/// an error when a run relies on the cell, a warning when it expires soon or holds
/// a broken entry no run uses yet.
pub(crate) fn attention_problems(cells: &[Cell], state_dir: &str) -> Vec<Problem> {
    cells
        .iter()
        .filter_map(|c| {
            let severity = match attention(c) {
                Attention::None => return None,
                Attention::Failing => Severity::Error,
                Attention::Expiring | Attention::Broken => Severity::Warning,
            };
            Some(cell_problem(c, severity, state_dir))
        })
        .collect()
}

fn cell_problem(c: &Cell, severity: Severity, state_dir: &str) -> Problem {
    let file = c.file.as_deref().unwrap_or(state_dir);
    let mut message = format!("{} × {}: {}", c.agent, c.provider, c.state.word());
    if !c.reasons.is_empty() {
        message.push_str(&format!(" ({})", c.reasons.join("; ")));
    }
    let problem =
        Problem::new(NEEDS_ATTENTION, severity, Path::new(file), message).agent(Some(&c.agent));
    match &c.fix {
        Some(fix) => problem.fix(fix.clone()),
        None => problem,
    }
}
