//! Screen geometry, shared by the state machine (to scroll) and the views (to draw).

use super::index::MatrixIndex;
use ratatui::layout::{Constraint, Layout, Rect};

pub(crate) const MIN_WIDTH: u16 = 60;
pub(crate) const MIN_HEIGHT: u16 = 16;
/// From this width on, the details pane sits beside the matrix.
const WIDE: u16 = 110;
const DETAILS_WIDTH: u16 = 46;
const HEADER_HEIGHT: u16 = 3;
const MAX_PROBLEM_LINES: u16 = 6;
/// Borders, the agent header row and the legend line around the matrix rows.
const MATRIX_CHROME: u16 = 4;

/// Columns the overview's whole legend takes on one line.
pub(crate) fn legend_width(hints: &[(&str, &str)]) -> usize {
    hints
        .iter()
        .map(|(k, l)| k.chars().count() + l.chars().count() + 3)
        .sum()
}

/// Two lines for the legend when the overview's keys do not fit on one.
fn legend_height(width: u16) -> u16 {
    let hints = super::keymap::hints(super::keymap::Context::Overview);
    if legend_width(&hints) > width as usize {
        2
    } else {
        1
    }
}

pub(crate) fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The panes of the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub(crate) header: Rect,
    pub(crate) matrix: Rect,
    pub(crate) details: Rect,
    pub(crate) problems: Rect,
    pub(crate) hints: Rect,
}

impl Areas {
    pub(crate) fn new(area: Rect, index: &MatrixIndex, problems: usize) -> Areas {
        let [header, body, hints] = Layout::vertical([
            Constraint::Length(HEADER_HEIGHT),
            Constraint::Min(0),
            Constraint::Length(legend_height(area.width)),
        ])
        .areas(area);
        let (matrix, details, problems) = if area.width >= WIDE {
            wide_body(body, index, problems)
        } else {
            narrow_body(body, index.providers)
        };
        Areas {
            header,
            matrix,
            details,
            problems,
            hints,
        }
    }

    /// Provider rows that fit in the matrix.
    pub fn matrix_rows(&self) -> usize {
        self.matrix.height.saturating_sub(MATRIX_CHROME) as usize
    }

    /// Agent columns that fit in the matrix (at least one, truncated if need be).
    pub fn matrix_cols(&self, index: &MatrixIndex) -> usize {
        let inner = self.matrix.width.saturating_sub(2 + index.label_width);
        ((inner / (index.column_width + 1)) as usize).max(1)
    }

    /// Problem lines that fit in the problems list.
    pub(crate) fn problem_rows(&self) -> usize {
        self.problems.height.saturating_sub(2) as usize
    }
}

/// Matrix over problems on the left, details on the right (taking the width
/// the matrix does not need).
fn wide_body(body: Rect, index: &MatrixIndex, problems: usize) -> (Rect, Rect, Rect) {
    let needed = 2 + index.label_width + index.agents as u16 * (index.column_width + 1);
    let details_width = body.width.saturating_sub(needed).max(DETAILS_WIDTH);
    let [left, details] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(details_width)]).areas(body);
    let problem_lines = (problems as u16).clamp(1, MAX_PROBLEM_LINES) + 2;
    let most = left.height.saturating_sub(problem_lines).max(6);
    let wanted = (index.providers as u16).saturating_add(MATRIX_CHROME);
    let [matrix, problems] = Layout::vertical([
        Constraint::Length(wanted.clamp(6, most)),
        Constraint::Min(0),
    ])
    .areas(left);
    (matrix, details, problems)
}

/// Matrix on top; problems and details side by side below it.
fn narrow_body(body: Rect, providers: usize) -> (Rect, Rect, Rect) {
    let most = body.height.saturating_sub(7).max(5);
    let wanted = (providers as u16).saturating_add(MATRIX_CHROME);
    let [matrix, bottom] = Layout::vertical([
        Constraint::Length(wanted.clamp(5, most)),
        Constraint::Min(0),
    ])
    .areas(body);
    let [problems, details] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    (matrix, details, problems)
}
