//! What every page may use of the app while it handles a key: the report, the
//! theme, the screen size and the notice line, and what it asks the app to do next.

use crate::domain::read::version::Generation;
use crate::domain::status::report::Report;
use crate::domain::status::resolve::Cell;
use crate::tui::index::MatrixIndex;
use crate::tui::msg::{Effect, PlanRequest};
use crate::tui::theme::Theme;

/// A one-line message for the hint bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub(crate) fn info(text: &str) -> Notice {
    Notice {
        text: text.to_string(),
        is_error: false,
    }
}

pub(crate) fn error(text: impl Into<String>) -> Notice {
    Notice {
        text: text.into(),
        is_error: true,
    }
}

/// Jumps far enough to reach the first or last entry.
pub(crate) const FAR: isize = isize::MAX / 4;

/// `pos` moved by `delta` within `0..len`.
pub(crate) fn step(pos: usize, len: usize, delta: isize) -> usize {
    let last = len.saturating_sub(1) as isize;
    (pos as isize).saturating_add(delta).clamp(0, last.max(0)) as usize
}

/// The app as a page sees it while handling a key or a message.
pub(crate) struct Ctx<'a> {
    pub(crate) report: &'a Report,
    pub(crate) index: &'a MatrixIndex,
    pub(crate) theme: Theme,
    pub(crate) size: (u16, u16),
    pub(crate) notice: &'a mut Option<Notice>,
}

impl Ctx<'_> {
    /// The cell of a provider and an agent, by id.
    pub(crate) fn cell_of(&self, provider: &str, agent: &str) -> Option<&Cell> {
        let providers = &self.report.providers;
        let row = providers.iter().position(|p| p.id == provider)?;
        let col = self.report.agents.iter().position(|a| a.id == agent)?;
        self.index.cell(self.report, row, col)
    }

    pub(crate) fn generation(&self) -> Generation {
        generation(self.report)
    }

    /// Shows `text` as an error on the hint bar.
    pub(crate) fn fail(&mut self, text: impl Into<String>) {
        *self.notice = Some(error(text));
    }
}

pub(crate) fn generation(report: &Report) -> Generation {
    match report.generation {
        "sqlite" => Generation::Sqlite,
        _ => Generation::Json,
    }
}

/// What a page asks the app to do after a key.
#[derive(Debug)]
pub(crate) enum Go {
    Stay,
    /// Perform this effect.
    Run(Effect),
    /// Close this page (Esc on a flow's first step): back to the page below.
    Close,
    /// Back to the overview, dropping every page above it.
    Home,
    /// Open the review of a flow (its title and steps) and ask for the plan.
    Plan {
        title: String,
        steps: &'static [&'static str],
        request: PlanRequest,
    },
}
