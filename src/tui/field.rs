//! Text input fields on top of tui-textarea. Secret fields are masked unless
//! revealed, keep no undo history and never fill the yank (kill) buffer.

use crate::domain::ops::secret::Secret;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use tui_textarea::{CursorMove, TextArea};

pub(crate) const MASK: char = '•';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// One masked line (an API key or token).
    Secret,
    /// Masked lines (a pasted OAuth JSON document).
    SecretLines,
    /// One plain line (profile id, expiry, email).
    Text,
}

pub struct Field {
    pub(crate) kind: FieldKind,
    pub(crate) label: &'static str,
    /// One line under the field: what to enter.
    pub(crate) help: String,
    pub revealed: bool,
    pub(crate) error: Option<String>,
    area: TextArea<'static>,
}

/// Never shows what was typed.
impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field")
            .field("label", &self.label)
            .field("kind", &self.kind)
            .field("empty", &self.is_empty())
            .finish_non_exhaustive()
    }
}

fn fresh(kind: FieldKind) -> TextArea<'static> {
    let mut area = TextArea::default();
    area.set_cursor_line_style(Style::new());
    if kind != FieldKind::Text {
        area.set_mask_char(MASK);
        area.set_max_histories(0);
    }
    area
}

impl Field {
    pub(crate) fn new(kind: FieldKind, label: &'static str, help: impl Into<String>) -> Field {
        Field {
            kind,
            label,
            help: help.into(),
            revealed: false,
            error: None,
            area: fresh(kind),
        }
    }

    /// Shown while the field is empty.
    pub(crate) fn with_placeholder(mut self, text: impl Into<String>) -> Field {
        self.area.set_placeholder_text(text);
        self
    }

    pub fn is_secret(&self) -> bool {
        self.kind != FieldKind::Text
    }

    pub(crate) fn is_multiline(&self) -> bool {
        self.kind == FieldKind::SecretLines
    }

    /// For drawing only.
    pub(crate) fn textarea(&self) -> &TextArea<'static> {
        &self.area
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.area.is_empty()
    }

    /// Shown (muted) while the field is empty.
    pub(crate) fn set_placeholder(&mut self, text: impl Into<String>, style: Style) {
        self.area.set_placeholder_text(text);
        self.area.set_placeholder_style(style);
    }

    /// Only the focused field shows a cursor.
    pub(crate) fn set_focused(&mut self, focused: bool, cursor: Style) {
        self.area
            .set_cursor_style(if focused { cursor } else { Style::new() });
    }

    /// Edits with a key that no binding took; true when the text changed.
    pub(crate) fn key(&mut self, key: KeyEvent) -> bool {
        let plain = key.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE;
        let changed = match key.code {
            KeyCode::Left => self.motion(CursorMove::Back),
            KeyCode::Right => self.motion(CursorMove::Forward),
            KeyCode::Home => self.motion(CursorMove::Head),
            KeyCode::End => self.motion(CursorMove::End),
            KeyCode::Char(c) if plain => {
                self.area.insert_char(c);
                true
            }
            KeyCode::Backspace => self.area.delete_char(),
            KeyCode::Delete => self.area.delete_next_char(),
            _ => false,
        };
        self.after_edit(changed)
    }

    fn motion(&mut self, m: CursorMove) -> bool {
        self.area.move_cursor(m);
        false
    }

    /// Inserts pasted text. Trailing line breaks are dropped (a paste never submits);
    /// a single-line field refuses text with a line break in the middle.
    pub(crate) fn paste(&mut self, text: &str) -> Result<(), String> {
        let text = text.trim_end_matches(['\r', '\n']).replace("\r\n", "\n");
        let text = text.replace('\r', "\n");
        if !self.is_multiline() && text.contains('\n') {
            drop(Secret::new(text));
            return Err(format!(
                "the pasted {} has a line break in the middle: paste one value on one line",
                self.label.to_lowercase()
            ));
        }
        let changed = self.area.insert_str(&text);
        drop(Secret::new(text));
        self.after_edit(changed);
        Ok(())
    }

    fn after_edit(&mut self, changed: bool) -> bool {
        if self.is_secret() {
            self.area.set_yank_text("");
        }
        if changed {
            self.error = None;
        }
        changed
    }

    pub(crate) fn toggle_reveal(&mut self) {
        if !self.is_secret() {
            return;
        }
        self.revealed = !self.revealed;
        match self.revealed {
            true => self.area.clear_mask_char(),
            false => self.area.set_mask_char(MASK),
        }
    }

    /// Empties the field (keeping its placeholder and look).
    pub(crate) fn clear(&mut self) {
        let placeholder = self.area.placeholder_text().to_string();
        let (p_style, cursor) = (self.area.placeholder_style(), self.area.cursor_style());
        self.area = fresh(self.kind);
        if self.revealed {
            self.area.clear_mask_char();
        }
        self.area.set_placeholder_text(placeholder);
        self.area.set_placeholder_style(p_style.unwrap_or_default());
        self.area.set_cursor_style(cursor);
        self.error = None;
    }

    /// The text of a plain field, trimmed.
    pub(crate) fn text(&self) -> String {
        self.area.lines().join("\n").trim().to_string()
    }

    /// A copy of a secret field's text, wiped when dropped.
    pub(crate) fn peek_secret(&self) -> Secret {
        Secret::new(self.area.lines().join("\n"))
    }
}
