//! The bottom line: the filter input, a notice, and the keys that work here.

use super::cells::fit;
use crate::tui::app::{App, Page};
use crate::tui::keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    if app.page() == Page::Filter {
        spans.push(Span::styled(" Filter: ", t.heading));
        spans.push(Span::styled(
            format!("{}▏", fit(&app.filter, 30)),
            t.selected,
        ));
        spans.push(Span::styled(
            " (provider or agent names containing it) ",
            t.muted,
        ));
    }
    if let Some(notice) = &app.notice {
        let style = if notice.is_error {
            t.error_text
        } else {
            t.warn
        };
        spans.push(Span::styled(format!(" {} ", notice.text), style));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(used);
    for (keys, label) in fitting(keymap::hints(app.context()), room) {
        spans.push(Span::styled(format!(" {keys}"), t.key));
        spans.push(Span::raw(format!(" {label} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hints that fit in `room` columns: the last two (help, quit) always stay,
/// the ones just before them go first.
fn fitting(
    mut hints: Vec<(&'static str, &'static str)>,
    room: usize,
) -> Vec<(&'static str, &'static str)> {
    let width = |h: &[(&str, &str)]| -> usize {
        h.iter()
            .map(|(k, l)| k.chars().count() + l.chars().count() + 3)
            .sum()
    };
    while width(&hints) > room && hints.len() > 2 {
        hints.remove(hints.len() - 3);
    }
    hints
}
