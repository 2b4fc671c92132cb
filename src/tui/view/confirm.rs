//! "Discard and quit? y/N", over whatever page is below.

use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = area.width.saturating_sub(4).min(60);
    let height = 6.min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let lines = vec![
        Line::raw("The wizard's input and plan are not applied:"),
        Line::raw("nothing has been written."),
        Line::raw(""),
        Line::styled("y: discard and quit   n, Esc or Enter: stay", t.key),
    ];
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(t.border_focused)
        .title(Line::styled(" Discard and quit? y/N ", t.heading));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        popup,
    );
}
