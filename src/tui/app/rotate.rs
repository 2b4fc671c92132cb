//! Rotate a provider's key: new key → the stores that hold it → review → apply → result.

use super::add::generation;
use super::wizard::{Checklist, Form, Item, Wizard};
use super::{App, Effect, Page, error};
use crate::domain::ops::secret::{Secret, check_secret};
use crate::domain::resolve::Source;
use crate::tui::field::{Field, FieldKind};
use crate::tui::msg::{PlanRequest, RotateDraft};

#[derive(Debug)]
pub struct RotateWizard {
    pub provider: String,
    pub form: Form,
    pub secret: Option<Secret>,
    /// Agents that hold a static credential of their own for the provider.
    pub holders: Checklist,
    pub holder_ids: Vec<String>,
}

fn rotate(app: &mut App) -> Option<&mut RotateWizard> {
    match app.wizard.as_mut()? {
        Wizard::Rotate(w) => Some(w),
        _ => None,
    }
}

impl App {
    pub(super) fn start_rotate(&mut self) {
        let Some(row) = self.selected_provider() else {
            self.notice = Some(error("Select a provider to rotate."));
            return;
        };
        let provider = self.report.providers[row].id.clone();
        let field = Field::new(
            FieldKind::Secret,
            "New key",
            "Type or paste the new key; Ctrl-R shows it. A pasted newline is dropped.",
        )
        .with_placeholder("paste or type it");
        let (holders, holder_ids) = holder_list(self, &provider);
        self.wizard = Some(Wizard::Rotate(Box::new(RotateWizard {
            provider,
            form: Form::new(vec![field], &self.theme),
            secret: None,
            holders,
            holder_ids,
        })));
        self.outcome = None;
        self.open(Page::RotateSecret);
    }

    pub(super) fn rotate_secret_submitted(&mut self) -> Effect {
        let (generation, theme) = (generation(self), self.theme);
        let Some(w) = rotate(self) else {
            return Effect::None;
        };
        let field = &mut w.form.fields[0];
        let checked = match field.is_empty() {
            true => Ok(None),
            false => check_secret(field.peek_secret().expose(), "key", generation).map(Some),
        };
        match checked {
            Ok(Some(secret)) => {
                let stored = format!("entered: {} (type or paste to replace)", secret.describe());
                field.clear();
                field.set_placeholder(stored, theme.muted);
                w.secret = Some(secret);
            }
            Ok(None) if w.secret.is_some() => {}
            Ok(None) => field.error = Some("enter the new key (type or paste it)".into()),
            Err(e) => field.error = Some(e),
        }
        if w.secret.is_none() {
            return Effect::None;
        }
        match w.holder_ids.is_empty() {
            true => self.rotate_agents_chosen(),
            false => {
                self.open(Page::RotateAgents);
                Effect::None
            }
        }
    }

    pub(super) fn rotate_agents_chosen(&mut self) -> Effect {
        let Some(w) = rotate(self) else {
            return Effect::None;
        };
        let ticked = w.holders.ticked();
        if ticked.is_empty() && !w.holder_ids.is_empty() {
            self.notice = Some(error("Tick at least one store with Space."));
            return Effect::None;
        }
        let agents = match ticked.len() == w.holder_ids.len() {
            true => Vec::new(),
            false => ticked.iter().map(|&i| w.holder_ids[i].clone()).collect(),
        };
        let Some(secret) = w.secret.clone() else {
            return Effect::None;
        };
        let draft = RotateDraft {
            provider: w.provider.clone(),
            secret,
            agents,
        };
        self.request_plan(PlanRequest::Rotate(draft))
    }
}

/// Agents whose own store gives them a static credential for `provider`; all ticked.
fn holder_list(app: &App, provider: &str) -> (Checklist, Vec<String>) {
    let holders: Vec<_> = app
        .report
        .cells
        .iter()
        .filter(|c| c.provider == provider && c.source == Source::Local)
        .filter(|c| matches!(c.cred_type, Some("api_key" | "token")))
        .collect();
    let items = holders
        .iter()
        .map(|c| {
            let profile = c.profile.clone().unwrap_or_default();
            let detail = format!("{profile} ({})", c.cred_type.unwrap_or_default());
            Item::new(c.agent.clone(), detail)
        })
        .collect();
    let ids = holders.iter().map(|c| c.agent.clone()).collect();
    (Checklist::new(items, vec![true; holders.len()]), ids)
}
