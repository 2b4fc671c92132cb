//! The review (the plan with its redacted diff), the progress line while applying,
//! and the result (✓/✗ per file, command and verification).

use crate::tui::app::{App, ReviewPage};
use crate::tui::outcome::Phase;
use crate::tui::text::review::lines;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub(crate) fn render(app: &App, page: &ReviewPage, frame: &mut Frame, area: Rect) {
    let [body, more, status] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let scroll = page.scroll;
    let lines = super::safe::safe_lines(lines(
        &app.theme,
        &page.phase,
        app.report.gateway.as_ref(),
        &page.key,
    ));
    let below = wrapped_height(&lines, body.width).saturating_sub(body.height + scroll);
    if below > 0 {
        let hint = format!("▼ {below} more lines: ↓ or PgDn scrolls ");
        frame.render_widget(Line::styled(hint, app.theme.key).right_aligned(), more);
    }
    let text = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(text, body);
    frame.render_widget(status_line(app, &page.phase), status);
}

/// Rows the lines take when wrapped at `width` (an estimate: word wrapping may
/// need a few more).
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = width.max(1) as usize;
    lines
        .iter()
        .map(|l| l.width().div_ceil(width).max(1) as u16)
        .sum()
}

/// The line under the body: what Enter does now.
fn status_line(app: &App, phase: &Phase) -> Line<'static> {
    let t = &app.theme;
    match phase {
        Phase::Done(_) => Line::styled(" Enter: back to the overview", t.key),
        Phase::Applying(plan) => Line::styled(
            format!(
                " Applying {}: writing under OpenClaw's lock, then re-reading to verify…",
                changes(plan.change_count())
            ),
            t.warn,
        ),
        Phase::Planned { plan, .. } if plan.change_count() == 0 => {
            Line::styled(" Nothing to change. Enter: back to the overview", t.key)
        }
        Phase::Planned {
            plan,
            confirming: true,
        } => Line::styled(
            format!(
                " Apply {}? Enter to apply, Esc to go back",
                changes(plan.change_count())
            ),
            t.urgent,
        ),
        Phase::Planned { plan, .. } => Line::styled(
            format!(
                " {} planned · Enter: apply (asks once more) · Esc: back",
                changes(plan.change_count())
            ),
            t.key,
        ),
        Phase::Planning | Phase::Failed(_) => Line::raw(""),
    }
}

fn changes(n: usize) -> String {
    match n {
        1 => "1 change".into(),
        n => format!("{n} changes"),
    }
}
