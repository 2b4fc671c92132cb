//! The problems list: one line per problem; the details pane shows the selected one.

use super::cells::{fit, severity_style, severity_text};
use super::matrix::pane_block;
use crate::domain::text::{count, safe};
use crate::tui::app::{App, Focus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Problems;
    let i = &app.index;
    let notes = match i.infos {
        0 => String::new(),
        n => format!(", {}", count(n, "note")),
    };
    let title = format!(
        " Problems: {}, {}{notes} ",
        count(i.errors, "error"),
        count(i.warnings, "warning")
    );
    let block = pane_block(app, focused, &title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.report.problems.is_empty() {
        let none = Line::styled("No problems found.", app.theme.good);
        frame.render_widget(Paragraph::new(none), inner);
        return;
    }
    let lines: Vec<Line> = (app.problem.offset..app.report.problems.len())
        .take(inner.height as usize)
        .map(|n| problem_line(app, n, inner.width as usize, focused))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn problem_line(app: &App, n: usize, width: usize, focused: bool) -> Line<'static> {
    let p = &app.report.problems[n];
    let t = &app.theme;
    let selected = n == app.problem.selected;
    let agent = p
        .agent
        .as_deref()
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    let text = safe(&format!("{}{agent}: {}", p.code, p.message));
    let sev = format!("{:<9} ", severity_text(p.severity));
    let rest = fit(&text, width.saturating_sub(sev.chars().count()));
    let line = Line::from(vec![
        Span::styled(sev, severity_style(t, p.severity)),
        Span::raw(format!("{rest:width$}", width = width.saturating_sub(10))),
    ]);
    match (selected, focused) {
        (true, true) => line.style(t.selected),
        (true, false) => line.style(t.selected_idle),
        (false, _) => line.style(Style::new()),
    }
}
