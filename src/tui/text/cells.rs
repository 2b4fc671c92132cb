//! How a cell is written as text: glyph and word, never colour alone.

use crate::domain::status::resolve::Cell;

/// "✓ ok L", "✗ missing*", "✓ static E≠": glyph, state, source, cron and disagreement marks.
pub fn cell_text(c: &Cell) -> String {
    let mark = c.source.mark();
    let sep = if mark.is_empty() { "" } else { " " };
    let cron = if c.cron.is_empty() { "" } else { "*" };
    let differs = if c.status_disagrees { "≠" } else { "" };
    format!("{} {}{sep}{mark}{cron}{differs}", c.glyph(), c.state.word())
}
