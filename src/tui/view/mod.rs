//! Pure views: they draw an `App` into a frame and never do I/O.

pub(crate) mod cells;
pub(crate) mod confirm;
pub(crate) mod details;
pub(crate) mod header;
pub(crate) mod help;
pub(crate) mod hints;
pub(crate) mod matrix;
pub(crate) mod problems;
pub(crate) mod review;
pub(crate) mod safe;
pub(crate) mod wizard;

use super::app::{App, Page};
use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH, too_small};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Paragraph, Wrap};

/// Draws the whole screen for the current page.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if too_small(area) {
        render_too_small(frame, area);
        return;
    }
    match app.base_page() {
        Page::Overview | Page::Filter => render_overview(app, frame, area),
        _ => wizard::render(app, frame, area),
    }
    match app.page() {
        Page::Help => help::render(app, frame, area),
        Page::ConfirmQuit => confirm::render(app, frame, area),
        _ => {}
    }
    safe::guard_buffer(frame.buffer_mut());
}

fn render_overview(app: &App, frame: &mut Frame, area: Rect) {
    let areas = Areas::new(area, &app.index, app.report.problems.len());
    header::render(app, frame, areas.header);
    matrix::render(app, frame, areas.matrix);
    problems::render(app, frame, areas.problems);
    details::render(app, frame, areas.details);
    hints::render(app, frame, areas.hints);
}

fn render_too_small(frame: &mut Frame, area: Rect) {
    let text = Text::from(vec![
        Line::from(format!(
            "terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{})",
            area.width, area.height
        )),
        Line::from("Enlarge the window, or press q to quit."),
    ]);
    let top = area.height.saturating_sub(2) / 2;
    let body = Rect::new(area.x, area.y + top, area.width, area.height - top);
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        body,
    );
}
