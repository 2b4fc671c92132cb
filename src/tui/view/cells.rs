//! How a cell, a source and a severity are written: glyph and word, never colour alone.

use crate::domain::problem::Severity;
use crate::domain::status::resolve::Cell;
use crate::domain::status::resolve::{CellState, Source};
use crate::tui::theme::Theme;
use ratatui::style::Style;

pub(crate) fn glyph(c: &Cell) -> &'static str {
    c.glyph()
}

pub(crate) fn state_word(s: CellState) -> &'static str {
    s.word()
}

pub(crate) fn source_words(s: Source) -> &'static str {
    match s {
        Source::Local => "L: the agent's own store",
        Source::Inherited => "I: inherited from the main agent's store",
        Source::Env => "E: an environment variable",
        Source::Config => "C: models.providers in openclaw.json",
        Source::Synthetic => "S: synthetic key of a keyless local provider",
        Source::None => "none: no credential found",
    }
}

pub(crate) use crate::tui::text::cells::cell_text;

pub(crate) fn cell_style(theme: &Theme, c: &Cell) -> Style {
    match (c.usable, c.state) {
        (false, _) if !c.cron.is_empty() => theme.urgent,
        (false, _) => theme.bad,
        (true, CellState::Expiring | CellState::Expired) => theme.warn,
        (true, _) => theme.good,
    }
}

pub(crate) fn severity_text(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✗ error",
        Severity::Warning => "! warning",
        Severity::Info => "i info",
    }
}

pub(crate) fn severity_style(theme: &Theme, s: Severity) -> Style {
    match s {
        Severity::Error => theme.bad,
        Severity::Warning => theme.warn,
        Severity::Info => theme.muted,
    }
}

/// The one-line legend under the matrix.
pub(crate) const SHORT_LEGEND: &str = "✓ usable ! expiring ~ expired ✗ not usable · L own I inherited E env C config S synthetic · * cron ≠ status differs · ? all symbols";

/// `text` cut to `width` columns, ending in "…" when cut.
/// `text` cut at the start to `width` columns, "…" marking the cut: for paths,
/// whose end (the file name) matters most.
pub(crate) fn fit_left(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let tail: String = text.chars().skip(len - (width - 1)).collect();
    format!("…{tail}")
}

pub(crate) fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        out.push('…');
    }
    out
}
