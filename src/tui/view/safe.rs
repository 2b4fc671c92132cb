//! Making text from state files safe for the terminal where the UI draws it: span by
//! span (`safe_lines`), and as the last line of defence over the whole frame.

use ratatui::text::Line;

/// Lines whose text came from state files, with every span made terminal-safe.
pub(crate) fn safe_lines(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    lines
        .into_iter()
        .map(|mut line| {
            for span in &mut line.spans {
                if let std::borrow::Cow::Owned(s) =
                    crate::domain::text::terminal_safe(&span.content)
                {
                    span.content = s.into();
                }
            }
            line
        })
        .collect()
}

/// The last line of defence: no cell reaches the terminal holding a control
/// character (an escape sequence from a state file a view forgot to make safe);
/// such a character is shown as its control picture (ESC as ␛) or as �.
pub(crate) fn guard_buffer(buf: &mut ratatui::buffer::Buffer) {
    use crate::domain::text::is_unsafe_char;
    for cell in buf.content.iter_mut() {
        if !cell.symbol().chars().any(is_unsafe_char) {
            continue;
        }
        let shown: String = cell
            .symbol()
            .chars()
            .map(|c| match c as u32 {
                n @ 0..0x20 => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
                0x7f => '\u{2421}',
                _ if is_unsafe_char(c) => '\u{fffd}',
                _ => c,
            })
            .collect();
        cell.set_symbol(&shown);
    }
}
