//! The steps the wizards share: lists to pick from, checklists and forms, and the
//! keys that work on them. Each flow (add, copy, rotate) embeds the ones it needs.

use super::ctx::{Ctx, FAR, error, step};
use crate::tui::field::Field;
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use crossterm::event::KeyEvent;

/// One entry of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    /// The rest of the line (muted), and the description under the list.
    pub(crate) detail: String,
    /// Why the entry cannot be picked, if it cannot.
    pub(crate) blocked: Option<String>,
}

impl Item {
    pub(crate) fn new(label: impl Into<String>, detail: impl Into<String>) -> Item {
        Item {
            label: label.into(),
            detail: detail.into(),
            blocked: None,
        }
    }
}

/// Pick one entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub items: Vec<Item>,
    pub selected: usize,
    /// The entry marked "recommended", if any.
    pub recommended: Option<usize>,
}

impl Choice {
    pub(crate) fn new(items: Vec<Item>, selected: usize) -> Choice {
        let selected = selected.min(items.len().saturating_sub(1));
        Choice {
            items,
            selected,
            recommended: None,
        }
    }

    pub fn current(&self) -> Option<&Item> {
        self.items.get(self.selected)
    }
}

/// Tick several entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checklist {
    pub(crate) items: Vec<Item>,
    pub(crate) checked: Vec<bool>,
    pub(crate) selected: usize,
    /// An entry that excludes every other one (the shared store).
    pub(crate) exclusive: Option<usize>,
}

impl Checklist {
    pub(crate) fn new(items: Vec<Item>, checked: Vec<bool>) -> Checklist {
        Checklist {
            items,
            checked,
            selected: 0,
            exclusive: None,
        }
    }

    /// Ticks or unticks the selected entry; a blocked one says why not.
    pub(crate) fn toggle(&mut self) -> Result<(), String> {
        let i = self.selected;
        let Some(item) = self.items.get(i) else {
            return Ok(());
        };
        if let Some(why) = &item.blocked {
            return Err(why.clone());
        }
        self.checked[i] = !self.checked[i];
        if self.checked[i] {
            let exclusive = self.exclusive;
            let others = |j: usize| j != i && (Some(i) == exclusive || Some(j) == exclusive);
            for j in (0..self.checked.len()).filter(|&j| others(j)) {
                self.checked[j] = false;
            }
        }
        Ok(())
    }

    /// Indices of the ticked entries.
    pub fn ticked(&self) -> Vec<usize> {
        (0..self.checked.len())
            .filter(|&i| self.checked[i])
            .collect()
    }
}

/// Text fields, one focused.
#[derive(Debug)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
}

impl Form {
    pub(crate) fn new(mut fields: Vec<Field>, theme: &Theme) -> Form {
        for (i, f) in fields.iter_mut().enumerate() {
            let text = f.textarea().placeholder_text().to_string();
            f.set_placeholder(text, theme.muted);
            f.set_focused(i == 0, theme.selected);
        }
        Form { fields, focus: 0 }
    }

    pub(crate) fn move_focus(&mut self, delta: isize, theme: &Theme) {
        let n = self.fields.len() as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(n.max(1)) as usize;
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.set_focused(i == self.focus, theme.selected);
        }
    }

    pub(crate) fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// The field labelled `label`.
    pub(crate) fn field(&mut self, label: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.label == label)
    }
}

/// What a wizard step shows.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body<'a> {
    Choice(&'a Choice),
    Checklist(&'a Checklist),
    Form(&'a Form),
}

/// What a wizard step edits.
#[derive(Debug)]
pub(crate) enum BodyMut<'a> {
    Choice(&'a mut Choice),
    Checklist(&'a mut Checklist),
    Form(&'a mut Form),
}

/// The keys every step takes the same way: moving, ticking, the form's fields.
pub(crate) fn edit(body: BodyMut, action: Action, ctx: &mut Ctx) {
    match (body, action) {
        (BodyMut::Checklist(c), Action::Toggle) => {
            if let Err(why) = c.toggle() {
                *ctx.notice = Some(error(why));
            }
        }
        (BodyMut::Form(f), Action::NextField) => f.move_focus(1, &ctx.theme),
        (BodyMut::Form(f), Action::PrevField) => f.move_focus(-1, &ctx.theme),
        (BodyMut::Form(f), Action::Reveal) => {
            f.focused_mut().into_iter().for_each(Field::toggle_reveal)
        }
        (BodyMut::Form(f), Action::ClearField) => {
            f.focused_mut().into_iter().for_each(Field::clear)
        }
        (BodyMut::Choice(c), motion) => {
            let len = c.items.len();
            moved(&mut c.selected, len, motion, ctx.size);
        }
        (BodyMut::Checklist(c), motion) => {
            let len = c.items.len();
            moved(&mut c.selected, len, motion, ctx.size);
        }
        (BodyMut::Form(_), _) => {}
    }
}

/// Moves a list selection for a motion key (other keys leave it).
fn moved(selected: &mut usize, len: usize, motion: Action, size: (u16, u16)) {
    let page = (size.1 as isize - 12).max(1);
    let delta = match motion {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::First => -FAR,
        Action::Last => FAR,
        _ => return,
    };
    *selected = step(*selected, len, delta);
}

impl Form {
    /// A typed key for the focused field.
    pub(crate) fn key(&mut self, key: KeyEvent) {
        if let Some(f) = self.focused_mut() {
            f.key(key);
        }
    }

    /// A bracketed paste for the focused field; a trailing newline never submits.
    pub(crate) fn paste(&mut self, text: &str) {
        if let Some(f) = self.focused_mut()
            && let Err(e) = f.paste(text)
        {
            f.error = Some(e);
        }
    }
}
