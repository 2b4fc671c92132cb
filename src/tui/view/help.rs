//! The help overlay, generated from the keymap and the cell legend.

use super::cells::LEGEND;
use crate::tui::app::App;
use crate::tui::keymap::{self, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

const KEYS_WIDTH: usize = 22;

/// Every line of the help, unstyled: (left column, right column); a heading has no right column.
fn entries() -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (context, lines) in keymap::help_sections() {
        if context == Context::Global && lines.is_empty() {
            continue;
        }
        out.push((context.title().to_string(), None));
        for l in lines {
            out.push((l.keys, Some(l.help.to_string())));
        }
        out.push((String::new(), None));
    }
    out.push(("Symbols in the matrix".to_string(), None));
    for (symbol, meaning) in LEGEND {
        out.push((symbol.to_string(), Some(meaning.to_string())));
    }
    out
}

pub fn line_count() -> usize {
    entries().len()
}

/// The row where the section of `context` starts in a help drawn on a screen
/// `screen_width` wide (the help opens there); wrapped lines count as the rows
/// they take.
pub fn line_of(context: Context, screen_width: u16) -> u16 {
    let inner = popup_width(screen_width).saturating_sub(2).max(1) as usize;
    let rows = |(left, right): &(String, Option<String>)| match right {
        None => left.chars().count().div_ceil(inner).max(1),
        Some(text) => (KEYS_WIDTH + 3 + text.chars().count()).div_ceil(inner),
    };
    let all = entries();
    let Some(at) = all
        .iter()
        .position(|(left, right)| right.is_none() && left == context.title())
    else {
        return 0;
    };
    all[..at].iter().map(rows).sum::<usize>() as u16
}

fn popup_width(screen_width: u16) -> u16 {
    screen_width.saturating_sub(4).min(84)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
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
            .scroll((app.help_scroll, 0)),
        popup,
    );
}
