//! The help overlay, generated from the keymap and the cell legend.

use crate::tui::app::App;
use crate::tui::text::help::{KEYS_WIDTH, entries, popup_width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let width = popup_width(area.width);
    let height = area.height.saturating_sub(2);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let lines: Vec<Line> = entries()
        .into_iter()
        .map(|(left, right)| match right {
            None => Line::styled(left, t.heading),
            Some(text) => Line::from(vec![
                Span::styled(format!("  {left:<KEYS_WIDTH$} "), t.key),
                Span::styled(text, Style::new()),
            ]),
        })
        .collect();
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(t.border_focused)
        .title(Line::styled(" Help: keys and symbols ", t.heading))
        .title_bottom(Line::from(" Esc closes · ↑↓ scroll ").right_aligned());
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((app.help_scroll(), 0)),
        popup,
    );
}
