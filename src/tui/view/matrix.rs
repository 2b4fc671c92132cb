//! The providers × agents matrix. Only the visible window of cells is drawn.

use super::cells::{SHORT_LEGEND, cell_style, cell_text, fit};
use crate::domain::text::safe;
use crate::tui::app::{App, Focus};
use crate::tui::layout::Areas;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

/// The visible slice of rows and columns, and where they go.
struct Window {
    inner: Rect,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    label_width: u16,
    column_width: u16,
}

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Matrix;
    let window = window(app, area);
    let title = match app.filter.is_empty() {
        true => " Providers × agents ".to_string(),
        false => format!(
            " Providers × agents, filter \"{}\" ",
            fit(&safe(&app.filter), 20)
        ),
    };
    let block =
        pane_block(app, focused, &title).title_bottom(title_counts(app, &window).right_aligned());
    frame.render_widget(block, area);
    if let Some(message) = empty_message(app) {
        let text = Paragraph::new(message).wrap(Wrap { trim: true });
        frame.render_widget(text, window.inner);
        return;
    }
    let buf = frame.buffer_mut();
    draw_header_row(app, &window, buf);
    for (line, row) in window.rows.clone().enumerate() {
        draw_row(app, &window, buf, row, window.inner.y + 1 + line as u16);
    }
    let legend_y = window.inner.bottom().saturating_sub(1);
    let legend = fit(SHORT_LEGEND, window.inner.width as usize);
    buf.set_stringn(
        window.inner.x,
        legend_y,
        legend,
        window.inner.width as usize,
        app.theme.muted,
    );
}

/// A bordered pane; the focused one is thick and bold, so focus shows without colour.
pub(crate) fn pane_block<'a>(app: &App, focused: bool, title: &'a str) -> Block<'a> {
    let (border, kind, marker) = match focused {
        true => (app.theme.border_focused, BorderType::Thick, "▶"),
        false => (app.theme.border, BorderType::Plain, ""),
    };
    Block::bordered()
        .border_type(kind)
        .border_style(border)
        .title(Line::from(format!("{marker}{title}")).style(if focused {
            app.theme.heading
        } else {
            Style::new()
        }))
}

fn window(app: &App, area: Rect) -> Window {
    let inner = Block::bordered().inner(area);
    let areas = Areas {
        matrix: area,
        ..app.areas()
    };
    let c = &app.cursor;
    let rows_end = (c.row_offset + areas.matrix_rows()).min(app.rows.len());
    let cols_end = (c.col_offset + areas.matrix_cols(&app.index)).min(app.cols.len());
    Window {
        inner,
        rows: c.row_offset.min(rows_end)..rows_end,
        cols: c.col_offset.min(cols_end)..cols_end,
        label_width: app.index.label_width.min(inner.width),
        column_width: app.index.column_width,
    }
}

fn title_counts(app: &App, w: &Window) -> Line<'static> {
    let span = |r: &std::ops::Range<usize>, n: usize| match r.is_empty() {
        true => format!("0 of {n}"),
        false => format!("{}–{} of {n}", r.start + 1, r.end),
    };
    let more_left = if w.cols.start > 0 { "◀ " } else { "" };
    let more_right = if w.cols.end < app.cols.len() {
        " ▶"
    } else {
        ""
    };
    Line::from(format!(
        " providers {} · {more_left}agents {}{more_right} ",
        span(&w.rows, app.rows.len()),
        span(&w.cols, app.cols.len())
    ))
}

fn empty_message(app: &App) -> Option<String> {
    if app.report.providers.is_empty() {
        return Some("No providers found: nothing is declared in openclaw.json, stored in an auth store, used by a model or set in the environment.".into());
    }
    if app.report.agents.is_empty() {
        return Some("No agents found in openclaw.json or under agents/ in the state dir.".into());
    }
    if app.rows.is_empty() || app.cols.is_empty() {
        return Some(format!(
            "No provider or agent name contains \"{}\". Press Esc to clear the filter.",
            safe(&app.filter)
        ));
    }
    None
}

/// x of the first character of visible column `n` (0-based within the window).
fn column_x(w: &Window, n: usize) -> u16 {
    w.inner.x + w.label_width + 1 + n as u16 * (w.column_width + 1)
}

/// Width left for visible column `n`, cut at the pane's edge.
fn column_room(w: &Window, n: usize) -> usize {
    let x = column_x(w, n);
    (w.inner.right().saturating_sub(x)).min(w.column_width) as usize
}

fn draw_header_row(app: &App, w: &Window, buf: &mut Buffer) {
    let y = w.inner.y;
    let label = fit("PROVIDER", w.label_width as usize);
    buf.set_stringn(
        w.inner.x,
        y,
        label,
        w.label_width as usize,
        app.theme.heading,
    );
    for (n, col) in w.cols.clone().enumerate() {
        let agent = &app.report.agents[app.cols[col]];
        let name = format!(
            "{}{}",
            safe(&agent.id),
            if agent.default { "°" } else { "" }
        );
        let style = match col == app.cursor.col {
            true => app.theme.crosshair,
            false => app.theme.heading,
        };
        let room = column_room(w, n);
        buf.set_stringn(column_x(w, n), y, fit(&name, room), room, style);
    }
}

fn draw_row(app: &App, w: &Window, buf: &mut Buffer, row: usize, y: u16) {
    let provider = &app.report.providers[app.rows[row]];
    let label = format!(
        "{}{}",
        safe(&provider.id),
        if provider.declared { " D" } else { "" }
    );
    let label_style = match row == app.cursor.row {
        true => app.theme.crosshair,
        false => Style::new(),
    };
    let lw = w.label_width as usize;
    buf.set_stringn(w.inner.x, y, fit(&label, lw), lw, label_style);
    for (n, col) in w.cols.clone().enumerate() {
        let room = column_room(w, n);
        let Some(cell) = app.index.cell(&app.report, app.rows[row], app.cols[col]) else {
            continue;
        };
        let mut style = cell_style(&app.theme, cell);
        if (row, col) == (app.cursor.row, app.cursor.col) {
            style = style.patch(match app.focus {
                Focus::Matrix => app.theme.selected,
                Focus::Problems => app.theme.selected_idle,
            });
        }
        let mut shown = cell_text(cell);
        if app.live.is_running(&cell.agent, &cell.provider) {
            shown.push_str(" …");
        } else if let Some(mark) = app.live.get(&cell.agent, &cell.provider) {
            shown.push(' ');
            shown.push_str(mark.mark());
        }
        let text = format!("{:room$}", fit(&shown, room));
        buf.set_stringn(column_x(w, n), y, text, room, style);
    }
}
