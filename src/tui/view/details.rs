//! The details pane: everything about the selected cell or problem.

use super::cells::{glyph, severity_style, severity_text, source_words, state_word};
use super::matrix::pane_block;
use crate::domain::status::cronjobs::job_line;
use crate::domain::status::resolve::Cell;
use crate::domain::text::safe;
use crate::tui::app::{App, Focus};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (title, lines) = match app.focus {
        Focus::Problems => problem_details(app),
        Focus::Matrix => cell_details(app),
    };
    let mut block = pane_block(app, false, &title);
    let (width, height) = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    let below = wrapped_height(&lines, width).saturating_sub(height + app.details_scroll);
    if below > 0 || app.details_scroll > 0 {
        let more = if below > 0 { "▼ more, " } else { "" };
        let hint = format!(" {more}J/K scroll ");
        block = block.title_bottom(Line::styled(hint, app.theme.key).right_aligned());
    }
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.details_scroll, 0));
    frame.render_widget(text, area);
}

/// Rows the lines take when wrapped at `width` (an estimate: word wrapping may
/// need a few more, never fewer).
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let width = width.max(1) as usize;
    lines
        .iter()
        .map(|l| l.width().div_ceil(width).max(1) as u16)
        .sum()
}

fn field(theme: &Theme, name: &str, value: String, style: Style) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name:<8} "), theme.heading),
        Span::styled(safe(&value), style),
    ])
}

fn dash(value: &Option<impl ToString>) -> String {
    value
        .as_ref()
        .map_or_else(|| "—".to_string(), ToString::to_string)
}

fn cell_details(app: &App) -> (String, Vec<Line<'static>>) {
    let Some(c) = app.selected_cell() else {
        return (" Details ".into(), vec![Line::raw("No cell selected.")]);
    };
    let t = &app.theme;
    let usable = if c.usable { "usable" } else { "not usable" };
    let state = format!("{} {} ({usable})", glyph(c), state_word(c.state));
    let mut lines = vec![
        field(t, "State", state, super::cells::cell_style(t, c)),
        field(t, "Source", source_words(c.source).into(), Style::new()),
        field(t, "Profile", dash(&c.profile), Style::new()),
        field(t, "Type", dash(&c.cred_type), Style::new()),
    ];
    lines.extend(cron_lines(app, c));
    lines.push(field(t, "File", dash(&c.file), Style::new()));
    if app.live.is_running(&c.agent, &c.provider) {
        lines.push(field(t, "Live", "live check running…".into(), Style::new()));
    } else if let Some(mark) = app.live.get(&c.agent, &c.provider) {
        let style = if mark.status == crate::domain::probe::Status::Ok {
            Style::new()
        } else {
            t.warn
        };
        lines.push(field(t, "Live", mark.line(), style));
    }
    if c.status_disagrees {
        lines.push(Line::styled(
            "≠ OpenClaw's `models status` would say otherwise: this is what a run actually uses.",
            t.warn,
        ));
    }
    lines.extend(list(t, "Why", &c.reasons));
    lines.extend(list(t, "Fix", &crate::tui::text::cells::fix_lines(c)));
    (
        format!(" Details: {} × {} ", safe(&c.agent), safe(&c.provider)),
        lines,
    )
}

/// Every cron job that needs the cell (disabled ones too), as the text status
/// shows it: name, enabled or not, the last recorded error and when, the cell.
fn cron_lines(app: &App, c: &Cell) -> Vec<Line<'static>> {
    let (t, r) = (&app.theme, &app.report);
    let style = if c.usable { Style::new() } else { t.urgent };
    c.cron_jobs
        .iter()
        .enumerate()
        .map(|(n, needed)| {
            let text = match r.cron_jobs.iter().find(|j| j.id == needed.id) {
                Some(job) => job_line(job, &r.cells),
                None => safe(&needed.id),
            };
            let name = if n == 0 { "Cron" } else { "" };
            field(t, name, text, style)
        })
        .collect()
}

/// A heading and one bullet per entry; nothing when empty.
fn list(t: &Theme, heading: &str, entries: &[String]) -> Vec<Line<'static>> {
    if entries.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::raw(""), Line::styled(heading.to_string(), t.heading)];
    lines.extend(entries.iter().map(|e| Line::raw(format!("• {}", safe(e)))));
    lines
}

fn problem_details(app: &App) -> (String, Vec<Line<'static>>) {
    let Some(p) = app.selected_problem() else {
        return (" Details ".into(), vec![Line::raw("No problem selected.")]);
    };
    let t = &app.theme;
    let n = app.report.problems.len();
    let sev = severity_text(p.severity).to_string();
    let mut lines = vec![
        field(t, "Severity", sev, severity_style(t, p.severity)),
        field(t, "Code", p.code.to_string(), Style::new()),
        field(t, "Agent", dash(&p.agent), Style::new()),
        field(t, "Profile", dash(&p.profile), Style::new()),
        field(t, "File", p.file.clone(), Style::new()),
    ];
    lines.extend(list(t, "What", std::slice::from_ref(&p.message)));
    lines.extend(list(t, "Fix", p.fix.as_slice()));
    let title = format!(" Details: problem {} of {n} ", app.problem.selected + 1);
    (title, lines)
}
