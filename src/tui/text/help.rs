//! The lines of the help overlay, generated from the keymap and the cell legend,
//! as data: the state finds where a section starts, the view draws them.

use crate::tui::keymap::{self, Context};

pub(crate) const KEYS_WIDTH: usize = 22;

/// Every line of the help, unstyled: (left column, right column); a heading has no right column.
pub(crate) fn entries() -> Vec<(String, Option<String>)> {
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

pub(crate) fn line_count() -> usize {
    entries().len()
}

/// The row where the section of `context` starts in a help drawn on a screen
/// `screen_width` wide (the help opens there); wrapped lines count as the rows
/// they take.
pub(crate) fn line_of(context: Context, screen_width: u16) -> u16 {
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

pub(crate) fn popup_width(screen_width: u16) -> u16 {
    screen_width.saturating_sub(4).min(84)
}

/// Every symbol on the overview, for the help overlay.
pub(crate) const LEGEND: &[(&str, &str)] = &[
    ("✓", "usable: a run finds a credential"),
    ("!", "usable, but expires within 24 h"),
    (
        "~",
        "expired; OpenClaw refreshes the OAuth token on next use (needs network)",
    ),
    ("✗", "not usable: missing or invalid (the details say why)"),
    ("L", "from the agent's own auth store"),
    ("I", "inherited from the main agent's store"),
    ("E", "from an environment variable"),
    ("C", "from models.providers.<id>.apiKey in openclaw.json"),
    ("S", "synthetic key of a keyless provider on localhost"),
    ("*", "needed by a cron job"),
    ("≠", "`openclaw models status` would say otherwise"),
    ("°", "the default agent"),
    ("D", "provider declared in openclaw.json"),
];
