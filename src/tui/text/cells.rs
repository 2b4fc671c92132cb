//! How a cell is written as text: glyph and word, never colour alone.

use crate::domain::status::resolve::Cell;

/// "✓ ok L", "✗ missing*", "✓ static E≠": glyph, state, source, cron and disagreement marks.
pub(crate) fn cell_text(c: &Cell) -> String {
    let mark = c.source.mark();
    let sep = if mark.is_empty() { "" } else { " " };
    let cron = if c.cron.is_empty() { "" } else { "*" };
    let differs = if c.status_disagrees { "≠" } else { "" };
    format!("{} {}{sep}{mark}{cron}{differs}", c.glyph(), c.state.word())
}

/// The details pane's "Fix" of a cell: the key that starts its best fix, and why
/// (the CLI's text names the command instead); else the cell's own advice.
pub(crate) fn fix_lines(c: &Cell) -> Vec<String> {
    use crate::domain::status::bestfix::BestFix;
    let Some(fix) = &c.best_fix else {
        return c.fix.iter().cloned().collect();
    };
    let line = match fix {
        BestFix::Copy { profile, why, .. } => {
            format!("Enter: {} ({profile}; {why})", fix.action())
        }
        BestFix::Repair { agent, .. } => {
            format!("Enter: {} in agent {agent}'s store", fix.action())
        }
        BestFix::Add => format!(
            "Enter: {} for {} to agent {}",
            fix.action(),
            c.provider,
            c.agent
        ),
    };
    // A profile out of use for a while: waiting (or `t` then `C`) may be the fix,
    // so its own advice comes first.
    match (&c.fix, c.usage_blocks.is_empty()) {
        (Some(advice), false) => vec![advice.clone(), line],
        _ => vec![line],
    }
}
