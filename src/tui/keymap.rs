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
    /// A list to pick one entry from (provider, type, source agent…).
    Choice,
    /// A list of checkboxes (targets, profiles, destinations…).
    Checklist,
    /// Text fields (secret, profile id, expiry, email).
    Form,
    Review,
    /// While a plan is written: only Ctrl-C works.
    Applying,
    Result,
    ConfirmQuit,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Overview => "Overview",
            Context::Help => "Help",
            Context::Filter => "Filter (while typing)",
            Context::Choice => "Wizard: pick one",
            Context::Checklist => "Wizard: pick several",
            Context::Form => "Wizard: text fields (other keys type text)",
            Context::Review => "Review of the plan",
            Context::Applying => "Applying",
            Context::Result => "Result",
            Context::ConfirmQuit => "Discard and quit?",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Quits, asking first when a wizard holds something unapplied.
    Quit,
    /// Quits at once (Ctrl-C).
    ForceQuit,
    QuitConfirmed,
    StartAdd,
    StartCopy,
    StartRotate,
    StartRepair,
    /// Enter on the overview: repair the selected problem, or add for the selected cell.
    Activate,
    /// Enter on a list: take the selection and go on.
    Select,
    Toggle,
    Submit,
    NextField,
    PrevField,
    Reveal,
    ClearField,
    /// Enter on the review: ask, then apply.
    Confirm,
    /// Back to the overview after a result.
    Finish,
    /// `d` on a rotation's result: review deleting the backups holding the replaced secret.
    PurgeBackups,
    OpenHelp,
    Back,
    StartFilter,
    ClearFilter,
    AcceptFilter,
    DeleteFilterChar,
    DeleteFilterText,
    Reload,
    /// `t`: live check of the selected cell's credential.
    CheckCell,
    /// `T`: live check of every cell with a credential.
    CheckAll,
    /// `C`: clear the cooldown of profiles whose live check was `ok` (plan first).
    ClearCooldowns,
    /// `t` on a review: "check this key first".
    CheckKey,
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
    pub(crate) action: Action,
    /// (keys, label) on the hint bar; `None` keeps the binding off the bar.
    pub(crate) hint: Option<(&'static str, &'static str)>,
    /// One line for the help overlay.
    pub(crate) help: &'static str,
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
use Context::{Checklist, Choice, ConfirmQuit, Filter, Form, Global, Help, Overview, Review};
use KeyCode::{
    BackTab, Backspace, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};

const RESULT: Context = Context::Result;

const MOVE: Option<(&str, &str)> = Some(("↑↓←→", "move"));

#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    bind(Global, Char('c'), CTRL, A::ForceQuit, None, "Quit now, writing nothing (even while typing)"),
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
    bind(Overview, Char('a'), NONE, A::StartAdd, Some(("a", "add key")), "Add or replace a key for the selected cell"),
    bind(Overview, Char('f'), NONE, A::StartRepair, Some(("f", "fix")), "Repair the selected agent's (or problem's) store"),
    bind(Overview, Enter, NONE, A::Activate, None, "Problem: its repair; cell: its best fix"),
    bind(Overview, Char('c'), NONE, A::StartCopy, Some(("c/R", "copy/rotate")), "Copy profiles from the selected agent"),
    bind(Overview, Char('R'), NONE, A::StartRotate, None, "Rotate the selected provider's key everywhere"),
    bind(Overview, Char('n'), NONE, A::NextProblem, Some(("n/N", "problem")), "Next cell that is not usable or needs attention"),
    bind(Overview, Char('N'), NONE, A::PrevProblem, None, "Previous cell that is not usable or needs attention"),
    bind(Overview, Tab, NONE, A::SwitchFocus, Some(("Tab", "focus")), "Switch focus between the matrix and the problems list"),
    bind(Overview, BackTab, NONE, A::SwitchFocus, None, "Switch focus between the matrix and the problems list"),
    bind(Overview, Char('J'), NONE, A::DetailsDown, None, "Scroll the details pane down"),
    bind(Overview, Char('K'), NONE, A::DetailsUp, None, "Scroll the details pane up"),
    bind(Overview, Char('/'), NONE, A::StartFilter, Some(("/", "filter")), "Filter providers and agents by name"),
    bind(Overview, Esc, NONE, A::ClearFilter, None, "Clear the filter"),
    bind(Overview, Char('r'), NONE, A::Reload, Some(("r", "reload")), "Read the OpenClaw state again"),
    bind(Overview, Char('t'), NONE, A::CheckCell, None, "Live check of the selected cell's key (a free request)"),
    bind(Overview, Char('T'), NONE, A::CheckAll, None, "Live check of every cell with a credential"),
    bind(Overview, Char('C'), NONE, A::ClearCooldowns, None, "Clear the cooldown of profiles whose live check was ok (plan first)"),
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
    bind(Choice, Up, NONE, A::Up, Some(("↑↓", "choose")), "Previous entry"),
    bind(Choice, Char('k'), NONE, A::Up, None, "Previous entry"),
    bind(Choice, Down, NONE, A::Down, None, "Next entry"),
    bind(Choice, Char('j'), NONE, A::Down, None, "Next entry"),
    bind(Choice, PageUp, NONE, A::PageUp, None, "One page up"),
    bind(Choice, PageDown, NONE, A::PageDown, None, "One page down"),
    bind(Choice, Home, NONE, A::First, None, "First entry"),
    bind(Choice, End, NONE, A::Last, None, "Last entry"),
    bind(Choice, Enter, NONE, A::Select, Some(("Enter", "next")), "Take the selected entry, go to the next step"),
    bind(Choice, Esc, NONE, A::Back, Some(("Esc", "back")), "One step back (first step: overview, no write)"),
    bind(Choice, Char('?'), NONE, A::OpenHelp, Some(("?", "help")), "Show this help"),
    bind(Choice, Char('q'), NONE, A::Quit, Some(("q", "quit")), "Quit (asks first; nothing is written)"),
    bind(Checklist, Up, NONE, A::Up, Some(("↑↓", "move")), "Previous entry"),
    bind(Checklist, Char('k'), NONE, A::Up, None, "Previous entry"),
    bind(Checklist, Down, NONE, A::Down, None, "Next entry"),
    bind(Checklist, Char('j'), NONE, A::Down, None, "Next entry"),
    bind(Checklist, PageUp, NONE, A::PageUp, None, "One page up"),
    bind(Checklist, PageDown, NONE, A::PageDown, None, "One page down"),
    bind(Checklist, Home, NONE, A::First, None, "First entry"),
    bind(Checklist, End, NONE, A::Last, None, "Last entry"),
    bind(Checklist, Char(' '), NONE, A::Toggle, Some(("Space", "tick")), "Tick or untick the selected entry"),
    bind(Checklist, Enter, NONE, A::Select, Some(("Enter", "next")), "Next step with the ticked entries"),
    bind(Checklist, Esc, NONE, A::Back, Some(("Esc", "back")), "One step back"),
    bind(Checklist, Char('?'), NONE, A::OpenHelp, Some(("?", "help")), "Show this help"),
    bind(Checklist, Char('q'), NONE, A::Quit, Some(("q", "quit")), "Quit (asks first; nothing is written)"),
    bind(Form, Enter, NONE, A::Submit, Some(("Enter", "next")), "Next step (a pasted newline never submits)"),
    bind(Form, Esc, NONE, A::Back, Some(("Esc", "back")), "One step back"),
    bind(Form, Tab, NONE, A::NextField, Some(("Tab", "field")), "Next field"),
    bind(Form, Down, NONE, A::NextField, None, "Next field"),
    bind(Form, BackTab, NONE, A::PrevField, None, "Previous field"),
    bind(Form, Up, NONE, A::PrevField, None, "Previous field"),
    bind(Form, Char('r'), CTRL, A::Reveal, Some(("Ctrl-R", "reveal")), "Show or hide the secret being typed"),
    bind(Form, Char('u'), CTRL, A::ClearField, None, "Empty the field"),
    bind(Review, Enter, NONE, A::Confirm, Some(("Enter", "apply")), "Apply the plan (asks once more)"),
    bind(Review, Esc, NONE, A::Back, Some(("Esc", "back")), "One step back (nothing is written)"),
    bind(Review, Char('t'), NONE, A::CheckKey, None, "Check this key first: one free request to the host the review names"),
    bind(Review, Up, NONE, A::Up, Some(("↑↓", "scroll")), "Scroll up"),
    bind(Review, Char('k'), NONE, A::Up, None, "Scroll up"),
    bind(Review, Down, NONE, A::Down, None, "Scroll down"),
    bind(Review, Char('j'), NONE, A::Down, None, "Scroll down"),
    bind(Review, PageUp, NONE, A::PageUp, None, "One page up"),
    bind(Review, PageDown, NONE, A::PageDown, None, "One page down"),
    bind(Review, Home, NONE, A::First, None, "Top of the plan"),
    bind(Review, End, NONE, A::Last, None, "End of the plan"),
    bind(Review, Char('?'), NONE, A::OpenHelp, Some(("?", "help")), "Show this help"),
    bind(Review, Char('q'), NONE, A::Quit, Some(("q", "quit")), "Quit (asks first: nothing is applied)"),
    bind(RESULT, Enter, NONE, A::Finish, Some(("Enter", "back to the overview")), "Back to the overview (re-read)"),
    bind(RESULT, Esc, NONE, A::Finish, None, "Back to the overview"),
    bind(RESULT, Char('d'), NONE, A::PurgeBackups, None, "Delete the backups that still hold a replaced secret (reviewed first)"),
    bind(RESULT, Up, NONE, A::Up, Some(("↑↓", "scroll")), "Scroll up"),
    bind(RESULT, Down, NONE, A::Down, None, "Scroll down"),
    bind(RESULT, Char('q'), NONE, A::Quit, Some(("q", "quit")), "Quit"),
    bind(ConfirmQuit, Char('y'), NONE, A::QuitConfirmed, Some(("y", "discard and quit")), "Discard the wizard's input and quit"),
    bind(ConfirmQuit, Char('n'), NONE, A::Back, Some(("n/Esc", "stay")), "Stay"),
    bind(ConfirmQuit, Esc, NONE, A::Back, None, "Stay"),
    bind(ConfirmQuit, Enter, NONE, A::Back, None, "Stay (the default)"),
];

/// Shift is part of the character itself (`N`, `?`, `$`) and of BackTab.
fn normalized(key: &KeyEvent) -> KeyModifiers {
    key.modifiers - KeyModifiers::SHIFT
}

/// The action of `key` on a page of `context` (its own bindings first, then global ones).
pub(crate) fn lookup(context: Context, key: &KeyEvent) -> Option<Action> {
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
        let lines = match sections.last_mut() {
            Some((c, lines)) if *c == b.context => lines,
            _ => {
                sections.push((b.context, Vec::new()));
                match sections.last_mut() {
                    Some((_, lines)) => lines,
                    None => continue,
                }
            }
        };
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
