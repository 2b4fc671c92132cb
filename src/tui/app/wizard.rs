//! What the wizards share: lists to pick from, checklists and forms, and the
//! keys that work on them. Each flow (add, copy, rotate) has its own module.

use super::add::AddWizard;
use super::copy::CopyWizard;
use super::overview::step;
use super::rotate::RotateWizard;
use super::{App, Effect, FAR, Page};
use crate::tui::field::Field;
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use crossterm::event::KeyEvent;

/// One entry of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    /// The rest of the line (muted), and the description under the list.
    pub detail: String,
    /// Why the entry cannot be picked, if it cannot.
    pub blocked: Option<String>,
}

impl Item {
    pub fn new(label: impl Into<String>, detail: impl Into<String>) -> Item {
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
    pub fn new(items: Vec<Item>, selected: usize) -> Choice {
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
    pub items: Vec<Item>,
    pub checked: Vec<bool>,
    pub selected: usize,
    /// An entry that excludes every other one (the shared store).
    pub exclusive: Option<usize>,
}

impl Checklist {
    pub fn new(items: Vec<Item>, checked: Vec<bool>) -> Checklist {
        Checklist {
            items,
            checked,
            selected: 0,
            exclusive: None,
        }
    }

    /// Ticks or unticks the selected entry; a blocked one says why not.
    fn toggle(&mut self) -> Result<(), String> {
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
    pub fn new(mut fields: Vec<Field>, theme: &Theme) -> Form {
        for (i, f) in fields.iter_mut().enumerate() {
            let text = f.textarea().placeholder_text().to_string();
            f.set_placeholder(text, theme.muted);
            f.set_focused(i == 0, theme.selected);
        }
        Form { fields, focus: 0 }
    }

    fn move_focus(&mut self, delta: isize, theme: &Theme) {
        let n = self.fields.len() as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(n.max(1)) as usize;
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.set_focused(i == self.focus, theme.selected);
        }
    }

    pub fn focused_mut(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// The field labelled `label`.
    pub fn field(&mut self, label: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.label == label)
    }
}

/// The flow in progress.
#[derive(Debug)]
pub enum Wizard {
    Add(Box<AddWizard>),
    Copy(Box<CopyWizard>),
    Rotate(Box<RotateWizard>),
    Repair { agents: Vec<String> },
}

impl Wizard {
    pub fn title(&self) -> String {
        match self {
            Wizard::Add(w) => w.title(),
            Wizard::Copy(w) => w.title(),
            Wizard::Rotate(w) => format!("Rotate the {} key", w.provider),
            Wizard::Repair { agents } if agents.is_empty() => "Repair every agent's store".into(),
            Wizard::Repair { agents } => format!("Repair agent {}", agents.join(", ")),
        }
    }

    /// The steps of the flow, for the breadcrumb.
    pub fn steps(&self) -> &'static [&'static str] {
        match self {
            Wizard::Add(_) => &["provider", "type", "secret", "targets", "review", "result"],
            Wizard::Copy(_) => &[
                "source",
                "profiles",
                "destinations",
                "conflicts",
                "review",
                "result",
            ],
            Wizard::Rotate(_) => &["new key", "stores", "review", "result"],
            Wizard::Repair { .. } => &["review", "result"],
        }
    }

    /// Which step `page` is.
    pub fn step_of(&self, page: Page) -> usize {
        let last = self.steps().len() - 1;
        match page {
            Page::Provider | Page::CopySource | Page::RotateSecret => 0,
            Page::CredType | Page::CopyProfiles | Page::RotateAgents => 1,
            Page::OAuthSource | Page::Secret | Page::CopyDestinations => 2,
            Page::Targets | Page::CopyConflicts => 3,
            Page::Result => last,
            _ => last - 1,
        }
    }

    pub fn choice(&self, page: Page) -> Option<&Choice> {
        match self {
            Wizard::Add(w) => w.choice(page),
            Wizard::Copy(w) => w.choice(page),
            _ => None,
        }
    }

    fn choice_mut(&mut self, page: Page) -> Option<&mut Choice> {
        match self {
            Wizard::Add(w) => w.choice_mut(page),
            Wizard::Copy(w) => w.choice_mut(page),
            _ => None,
        }
    }

    pub fn checklist(&self, page: Page) -> Option<&Checklist> {
        match self {
            Wizard::Add(w) => (page == Page::Targets).then_some(&w.targets),
            Wizard::Copy(w) => w.checklist(page),
            Wizard::Rotate(w) => (page == Page::RotateAgents).then_some(&w.holders),
            Wizard::Repair { .. } => None,
        }
    }

    fn checklist_mut(&mut self, page: Page) -> Option<&mut Checklist> {
        match self {
            Wizard::Add(w) => (page == Page::Targets).then_some(&mut w.targets),
            Wizard::Copy(w) => w.checklist_mut(page),
            Wizard::Rotate(w) => (page == Page::RotateAgents).then_some(&mut w.holders),
            Wizard::Repair { .. } => None,
        }
    }

    pub fn form(&self, page: Page) -> Option<&Form> {
        match self {
            Wizard::Add(w) if page == Page::Secret => w.form.as_ref(),
            Wizard::Rotate(w) if page == Page::RotateSecret => Some(&w.form),
            _ => None,
        }
    }

    fn form_mut(&mut self, page: Page) -> Option<&mut Form> {
        match self {
            Wizard::Add(w) if page == Page::Secret => w.form.as_mut(),
            Wizard::Rotate(w) if page == Page::RotateSecret => Some(&mut w.form),
            _ => None,
        }
    }
}

// The keys of the wizard pages.
impl App {
    pub(super) fn wizard_action(&mut self, action: Action) -> Effect {
        match action {
            Action::OpenHelp => self.open(Page::Help),
            Action::Back => self.step_back(),
            Action::QuitConfirmed => return Effect::Quit,
            Action::Finish => self.end_wizard(),
            Action::Confirm => return self.confirm(),
            Action::Select | Action::Submit => return self.next_step(),
            Action::Toggle => self.toggle(),
            Action::NextField => self.move_field(1),
            Action::PrevField => self.move_field(-1),
            Action::Reveal => self.with_field(Field::toggle_reveal),
            Action::ClearField => self.with_field(Field::clear),
            motion => self.move_in_page(motion),
        }
        Effect::None
    }

    /// Enter on a list or form: the flow's next step.
    fn next_step(&mut self) -> Effect {
        match self.page() {
            Page::Provider => self.provider_chosen(),
            Page::CredType => self.type_chosen(),
            Page::OAuthSource => self.oauth_source_chosen(),
            Page::Secret => self.secret_submitted(),
            Page::Targets => self.targets_chosen(),
            Page::CopySource => self.copy_source_chosen(),
            Page::CopyProfiles => self.copy_profiles_chosen(),
            Page::CopyDestinations => self.copy_destinations_chosen(),
            Page::CopyConflicts => self.copy_conflict_chosen(),
            Page::RotateSecret => self.rotate_secret_submitted(),
            Page::RotateAgents => self.rotate_agents_chosen(),
            _ => Effect::None,
        }
    }

    /// Esc: one step back. The confirmation line closes first; applying cannot be
    /// interrupted; after a result there is nothing to go back to.
    fn step_back(&mut self) {
        match self.page() {
            Page::Review if self.review.as_ref().is_some_and(|r| r.confirming) => {
                self.review.iter_mut().for_each(|r| r.confirming = false)
            }
            Page::Review => {
                self.review = None;
                self.back();
            }
            Page::Applying => {}
            Page::Result => self.end_wizard(),
            _ => self.back(),
        }
    }

    /// Rows a page of a list moves.
    fn list_page(&self) -> isize {
        (self.size.1 as isize - 12).max(1)
    }

    fn move_in_page(&mut self, motion: Action) {
        let delta = match motion {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -self.list_page(),
            Action::PageDown => self.list_page(),
            Action::First => -FAR,
            Action::Last => FAR,
            _ => return,
        };
        let page = self.page();
        if matches!(page, Page::Review | Page::Result) {
            return self.scroll_review(delta);
        }
        let Some(w) = self.wizard.as_mut() else {
            return;
        };
        if let Some(c) = w.choice_mut(page) {
            c.selected = step(c.selected, c.items.len(), delta);
        } else if let Some(c) = w.checklist_mut(page) {
            c.selected = step(c.selected, c.items.len(), delta);
        }
    }

    fn toggle(&mut self) {
        let page = self.page();
        let toggled = self
            .wizard
            .as_mut()
            .and_then(|w| w.checklist_mut(page))
            .map(Checklist::toggle);
        if let Some(Err(why)) = toggled {
            self.notice = Some(super::error(why));
        }
    }

    fn move_field(&mut self, delta: isize) {
        let (page, theme) = (self.page(), self.theme);
        if let Some(form) = self.wizard.as_mut().and_then(|w| w.form_mut(page)) {
            form.move_focus(delta, &theme);
        }
    }

    fn with_field(&mut self, edit: impl FnOnce(&mut Field)) {
        if let Some(field) = self.focused_field() {
            edit(field);
        }
    }

    fn focused_field(&mut self) -> Option<&mut Field> {
        let page = self.page();
        self.wizard.as_mut()?.form_mut(page)?.focused_mut()
    }

    /// A typed key for the focused field.
    pub(super) fn field_key(&mut self, key: KeyEvent) {
        self.with_field(|f| {
            f.key(key);
        });
    }

    /// A bracketed paste for the focused field; a trailing newline never submits.
    pub(super) fn field_paste(&mut self, text: &str) {
        self.with_field(|f| {
            if let Err(e) = f.paste(text) {
                f.error = Some(e);
            }
        });
    }
}
