//! Colours, and a monochrome theme for `NO_COLOR`. Selection and focus never
//! rely on colour alone: they are always reversed, bold or underlined.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub monochrome: bool,
    /// A usable credential.
    pub(crate) good: Style,
    /// Usable but expiring or waiting for a refresh.
    pub(crate) warn: Style,
    /// Not usable.
    pub(crate) bad: Style,
    /// Not usable and needed by a cron job: the thing to fix first.
    pub(crate) urgent: Style,
    pub(crate) muted: Style,
    pub(crate) heading: Style,
    pub(crate) key: Style,
    /// The selected cell or line while its pane has the focus.
    pub(crate) selected: Style,
    /// The selected cell or line while another pane has the focus.
    pub(crate) selected_idle: Style,
    /// The row label and column header of the selected cell.
    pub(crate) crosshair: Style,
    pub(crate) border: Style,
    pub(crate) border_focused: Style,
    pub(crate) error_text: Style,
}

const fn plain() -> Style {
    Style::new()
}

impl Theme {
    pub fn colored() -> Theme {
        Theme {
            monochrome: false,
            good: plain().fg(Color::Green),
            warn: plain().fg(Color::Yellow),
            bad: plain().fg(Color::Red),
            urgent: plain().fg(Color::Red).add_modifier(Modifier::BOLD),
            muted: plain().fg(Color::DarkGray),
            heading: plain().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            key: plain().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: plain().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
            selected_idle: plain().add_modifier(Modifier::UNDERLINED.union(Modifier::BOLD)),
            crosshair: plain().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
            border: plain().fg(Color::DarkGray),
            border_focused: plain().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            error_text: plain().fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    pub fn monochrome() -> Theme {
        let bold = plain().add_modifier(Modifier::BOLD);
        Theme {
            monochrome: true,
            good: plain(),
            warn: plain(),
            bad: plain(),
            urgent: bold,
            muted: plain(),
            heading: bold,
            key: bold,
            selected: plain().add_modifier(Modifier::REVERSED.union(Modifier::BOLD)),
            selected_idle: plain().add_modifier(Modifier::UNDERLINED.union(Modifier::BOLD)),
            crosshair: plain().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
            border: plain(),
            border_focused: bold,
            error_text: bold,
        }
    }

    /// Monochrome when `NO_COLOR` is set to anything non-empty (no-color.org).
    pub(crate) fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::colored(),
        }
    }
}
