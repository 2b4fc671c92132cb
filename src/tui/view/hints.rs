//! The bottom line(s): the filter input, a notice, and the keys that work here. When
//! the keys do not fit on one line the layout gives them a second one.

use super::cells::fit;
use crate::tui::app::{App, Page, Phase};
use crate::tui::keymap;
use crate::tui::layout::legend_width;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

type Hint = (&'static str, &'static str);

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
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
    let width = area.width as usize;
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let hints = hints(app);
    let (first, second) = match area.height {
        0 | 1 => (fitting(hints, width.saturating_sub(used)), Vec::new()),
        _ => two_lines(hints, width.saturating_sub(used), width),
    };
    let key_spans = |hs: Vec<Hint>| {
        hs.into_iter().flat_map(|(keys, label)| {
            [
                Span::styled(format!(" {keys}"), t.key),
                Span::raw(format!(" {label} ")),
            ]
        })
    };
    spans.extend(key_spans(first));
    let lines = vec![
        Line::from(spans),
        Line::from(key_spans(second).collect::<Vec<_>>()),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// The keys of this page; on a review with nothing to change, Enter only goes back.
fn hints(app: &App) -> Vec<Hint> {
    let empty_plan = app.review().is_some_and(
        |r| matches!(&r.phase, Phase::Planned { plan, .. } if plan.change_count() == 0),
    );
    keymap::hints(app.context())
        .into_iter()
        .map(|(k, l)| match (k, empty_plan) {
            ("Enter", true) => (k, "back: nothing to change"),
            _ => (k, l),
        })
        .collect()
}

/// The hints in order over two lines: the first line takes what fits in `room`,
/// the second the rest (cut like one line when even that is too narrow).
fn two_lines(hints: Vec<Hint>, room: usize, width: usize) -> (Vec<Hint>, Vec<Hint>) {
    let mut first = Vec::new();
    let mut rest = hints.into_iter().peekable();
    while let Some(h) = rest.peek() {
        if legend_width(&first) + legend_width(std::slice::from_ref(h)) > room {
            break;
        }
        first.extend(rest.next());
    }
    (first, fitting(rest.collect(), width))
}

/// The hints that fit in `room` columns: the last two (help, quit) always stay,
/// the ones just before them go first.
fn fitting(mut hints: Vec<Hint>, room: usize) -> Vec<Hint> {
    while legend_width(&hints) > room && hints.len() > 2 {
        hints.remove(hints.len() - 3);
    }
    hints
}
