//! Colours, and a monochrome theme for `NO_COLOR`. Selection and focus never
//! rely on colour alone: they are always reversed, bold or underlined.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub monochrome: bool,
    /// A usable credential.
    pub good: Style,
    /// Usable but expiring or waiting for a refresh.
    pub warn: Style,
    /// Not usable.
    pub bad: Style,
    /// Not usable and needed by a cron job: the thing to fix first.
    pub urgent: Style,
    pub muted: Style,
    pub heading: Style,
    pub key: Style,
    /// The selected cell or line while its pane has the focus.
    pub selected: Style,
    /// The selected cell or line while another pane has the focus.
    pub selected_idle: Style,
    /// The row label and column header of the selected cell.
    pub crosshair: Style,
    pub border: Style,
    pub border_focused: Style,
    pub error_text: Style,
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
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::monochrome(),
            _ => Theme::colored(),
        }
    }
}
