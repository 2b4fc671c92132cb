//! The mouse: a click selects the cell or problem under it, the wheel scrolls the
//! pane under the pointer (on other pages it moves like ↑/↓). Live reload's
//! message is handled here too: both are events from outside the keyboard.

use super::ctx::info;
use super::{App, Effect, Focus, Page};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

impl App {
    pub(super) fn on_mouse(&mut self, m: MouseEvent) -> Effect {
        let down = match m.kind {
            MouseEventKind::ScrollDown => 1,
            MouseEventKind::ScrollUp => -1,
            MouseEventKind::Down(MouseButton::Left) => 0,
            _ => return Effect::None,
        };
        if self.page() != Page::Overview {
            return match down {
                0 => Effect::None,
                1 => self.update(super::Msg::Key(plain(KeyCode::Down))),
                _ => self.update(super::Msg::Key(plain(KeyCode::Up))),
            };
        }
        let at = Position::new(m.column, m.row);
        let areas = self.areas();
        match down {
            0 => self.click(at, areas.matrix, areas.problems),
            _ if areas.details.contains(at) => {
                self.details_scroll = match down {
                    1 => self.details_scroll.saturating_add(1),
                    _ => self.details_scroll.saturating_sub(1),
                };
            }
            _ => {
                self.focus = match areas.problems.contains(at) && !self.report.problems.is_empty() {
                    true => Focus::Problems,
                    false => Focus::Matrix,
                };
                let key = if down > 0 { KeyCode::Down } else { KeyCode::Up };
                return self.update(super::Msg::Key(plain(key)));
            }
        }
        Effect::None
    }

    fn click(&mut self, at: Position, matrix: Rect, problems: Rect) {
        let inner = |r: Rect| {
            Rect::new(
                r.x + 1,
                r.y + 1,
                r.width.saturating_sub(2),
                r.height.saturating_sub(2),
            )
        };
        let (m, p) = (inner(matrix), inner(problems));
        if m.contains(at) {
            if let Some((row, col)) = self.cell_at(m, at) {
                (self.cursor.row, self.cursor.col) = (row, col);
                self.focus = Focus::Matrix;
                self.anchor = self.selected_ids();
                self.details_scroll = 0;
            }
        } else if p.contains(at) {
            let n = self.problem.offset + (at.y - p.y) as usize;
            if n < self.report.problems.len() {
                self.problem.selected = n;
                self.focus = Focus::Problems;
                self.details_scroll = 0;
            }
        }
    }

    /// The visible (row, column) of the matrix cell drawn at `at` (`inner`: the
    /// matrix inside its border; its first line holds the agent names).
    fn cell_at(&self, inner: Rect, at: Position) -> Option<(usize, usize)> {
        let line = (at.y - inner.y).checked_sub(1)? as usize;
        let label = self.index.label_width.min(inner.width);
        let x = (at.x - inner.x).checked_sub(label + 1)?;
        let areas = self.areas();
        let col_in_view = (x / (self.index.column_width + 1)) as usize;
        if line >= areas.matrix_rows() || col_in_view >= areas.matrix_cols(&self.index) {
            return None;
        }
        let (row, col) = (
            self.cursor.row_offset + line,
            self.cursor.col_offset + col_in_view,
        );
        (row < self.rows.len() && col < self.cols.len()).then_some((row, col))
    }

    /// A file changed on disk: read the state again while the overview shows it.
    pub(super) fn on_files_changed(&mut self) -> Effect {
        if self.page() != Page::Overview || self.reloading {
            return Effect::None;
        }
        let effect = self.start_reload();
        self.notice = Some(info("Changed on disk: reading it again…"));
        effect
    }
}

fn plain(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}
