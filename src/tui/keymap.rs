//! The one keymap: every key binding with its context, the hint bar label and
//! the help text. `App::update` looks keys up here; the help overlay and the
//! hint bar are generated from this table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies. `Global` bindings work on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Overview,
    Help,
    Filter,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Overview => "Overview",
            Context::Help => "Help",
            Context::Filter => "Filter (while typing)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    OpenHelp,
    Back,
    StartFilter,
    ClearFilter,
    AcceptFilter,
    DeleteFilterChar,
    DeleteFilterText,
    Reload,
    NextProblem,
    PrevProblem,
    SwitchFocus,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    First,
    Last,
    FirstColumn,
    LastColumn,
    DetailsDown,
    DetailsUp,
}

pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// (keys, label) on the hint bar; `None` keeps the binding off the bar.
    pub hint: Option<(&'static str, &'static str)>,
    /// One line for the help overlay.
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn bind(
    context: Context,
    code: KeyCode,
    mods: KeyModifiers,
    action: Action,
    hint: Option<(&'static str, &'static str)>,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        code,
        mods,
        action,
        hint,
        help,
    }
}

use Action as A;
use Context::{Filter, Global, Help, Overview};
use KeyCode::{
    BackTab, Backspace, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};

const MOVE: Option<(&str, &str)> = Some(("↑↓←→", "move"));

#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    bind(Global, Char('c'), CTRL, A::Quit, None, "Quit (works everywhere, also while typing)"),
    bind(Overview, Up, NONE, A::Up, MOVE, "Move up (previous provider or problem)"),
    bind(Overview, Char('k'), NONE, A::Up, None, "Move up (previous provider or problem)"),
    bind(Overview, Down, NONE, A::Down, None, "Move down (next provider or problem)"),
    bind(Overview, Char('j'), NONE, A::Down, None, "Move down (next provider or problem)"),
    bind(Overview, Left, NONE, A::Left, None, "Move left (previous agent)"),
    bind(Overview, Char('h'), NONE, A::Left, None, "Move left (previous agent)"),
    bind(Overview, Right, NONE, A::Right, None, "Move right (next agent)"),
    bind(Overview, Char('l'), NONE, A::Right, None, "Move right (next agent)"),
    bind(Overview, PageUp, NONE, A::PageUp, None, "One page up"),
    bind(Overview, PageDown, NONE, A::PageDown, None, "One page down"),
    bind(Overview, Home, NONE, A::First, None, "First provider or problem"),
    bind(Overview, Char('g'), NONE, A::First, None, "First provider or problem"),
    bind(Overview, End, NONE, A::Last, None, "Last provider or problem"),
    bind(Overview, Char('G'), NONE, A::Last, None, "Last provider or problem"),
    bind(Overview, Char('0'), NONE, A::FirstColumn, None, "First agent"),
    bind(Overview, Char('$'), NONE, A::LastColumn, None, "Last agent"),
    bind(Overview, Tab, NONE, A::SwitchFocus, Some(("Tab", "focus")), "Switch focus between the matrix and the problems list"),
    bind(Overview, BackTab, NONE, A::SwitchFocus, None, "Switch focus between the matrix and the problems list"),
    bind(Overview, Char('n'), NONE, A::NextProblem, Some(("n/N", "problem")), "Next cell that is not usable or needs attention"),
    bind(Overview, Char('N'), NONE, A::PrevProblem, None, "Previous cell that is not usable or needs attention"),
    bind(Overview, Char('J'), NONE, A::DetailsDown, None, "Scroll the details pane down"),
    bind(Overview, Char('K'), NONE, A::DetailsUp, None, "Scroll the details pane up"),
    bind(Overview, Char('/'), NONE, A::StartFilter, Some(("/", "filter")), "Filter providers and agents by name"),
    bind(Overview, Esc, NONE, A::ClearFilter, None, "Clear the filter"),
    bind(Overview, Char('r'), NONE, A::Reload, Some(("r", "reload")), "Read the OpenClaw state again"),
    bind(Overview, Char('?'), NONE, A::OpenHelp, Some(("?", "help")), "Show this help"),
    bind(Overview, Char('q'), NONE, A::Quit, Some(("q", "quit")), "Quit"),
    bind(Help, Up, NONE, A::Up, Some(("↑↓", "scroll")), "Scroll up"),
    bind(Help, Char('k'), NONE, A::Up, None, "Scroll up"),
    bind(Help, Down, NONE, A::Down, None, "Scroll down"),
    bind(Help, Char('j'), NONE, A::Down, None, "Scroll down"),
    bind(Help, PageUp, NONE, A::PageUp, None, "One page up"),
    bind(Help, PageDown, NONE, A::PageDown, None, "One page down"),
    bind(Help, Esc, NONE, A::Back, Some(("Esc", "close help")), "Close the help"),
    bind(Help, Char('?'), NONE, A::Back, None, "Close the help"),
    bind(Help, Char('q'), NONE, A::Back, None, "Close the help"),
    bind(Filter, Enter, NONE, A::AcceptFilter, Some(("Enter", "keep")), "Keep the filter and go back to the matrix"),
    bind(Filter, Esc, NONE, A::ClearFilter, Some(("Esc", "clear")), "Clear the filter and go back to the matrix"),
    bind(Filter, Backspace, NONE, A::DeleteFilterChar, None, "Delete the last character"),
    bind(Filter, Char('u'), CTRL, A::DeleteFilterText, None, "Delete the whole filter text"),
];

/// Shift is part of the character itself (`N`, `?`, `$`) and of BackTab.
fn normalized(key: &KeyEvent) -> KeyModifiers {
    key.modifiers - KeyModifiers::SHIFT
}

/// The action of `key` on a page of `context` (its own bindings first, then global ones).
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Action> {
    let mods = normalized(key);
    let matches = |b: &&Binding| b.code == key.code && b.mods == mods;
    let find = |ctx: Context| {
        KEYMAP
            .iter()
            .filter(|b| b.context == ctx)
            .find(matches)
            .map(|b| b.action)
    };
    find(context).or_else(|| find(Global))
}

/// The hint bar entries of `context`, in table order.
pub fn hints(context: Context) -> Vec<(&'static str, &'static str)> {
    KEYMAP
        .iter()
        .filter(|b| b.context == context || b.context == Global)
        .filter_map(|b| b.hint)
        .collect()
}

/// A key as the help overlay shows it.
pub fn key_name(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        Up => "↑".to_string(),
        Down => "↓".to_string(),
        Left => "←".to_string(),
        Right => "→".to_string(),
        PageUp => "PgUp".to_string(),
        PageDown => "PgDn".to_string(),
        Home => "Home".to_string(),
        End => "End".to_string(),
        Tab => "Tab".to_string(),
        BackTab => "Shift-Tab".to_string(),
        Esc => "Esc".to_string(),
        Enter => "Enter".to_string(),
        Backspace => "Backspace".to_string(),
        Char(' ') => "Space".to_string(),
        Char(c) if mods.contains(CTRL) => c.to_ascii_uppercase().to_string(),
        Char(c) => c.to_string(),
        other => format!("{other:?}"),
    };
    if mods.contains(CTRL) {
        format!("Ctrl-{base}")
    } else {
        base
    }
}

/// One help line: every key of an action, and what it does.
pub struct HelpLine {
    pub keys: String,
    pub help: &'static str,
}

/// Help sections in table order: per context, one line per action.
pub fn help_sections() -> Vec<(Context, Vec<HelpLine>)> {
    let mut sections: Vec<(Context, Vec<(Action, HelpLine)>)> = Vec::new();
    for b in KEYMAP {
        let key = key_name(b.code, b.mods);
        if sections.last().is_none_or(|(c, _)| *c != b.context) {
            sections.push((b.context, Vec::new()));
        }
        let lines = &mut sections.last_mut().expect("pushed above").1;
        match lines.iter_mut().find(|(a, _)| *a == b.action) {
            Some((_, line)) => line.keys = format!("{}, {key}", line.keys),
            None => lines.push((
                b.action,
                HelpLine {
                    keys: key,
                    help: b.help,
                },
            )),
        }
    }
    sections
        .into_iter()
        .map(|(c, lines)| (c, lines.into_iter().map(|(_, l)| l).collect()))
        .collect()
}
