//! Rotate a provider's key: new key → the stores that hold it → review → apply → result.
//! The flow owns its state and its steps.

use super::ctx::{Ctx, Go};
use super::steps::{Body, BodyMut, Checklist, Form, Item, edit};
use crate::domain::ops::secret::{Secret, check_secret};
use crate::domain::read::profile::CredType;
use crate::domain::status::resolve::Source;
use crate::tui::field::{Field, FieldKind};
use crate::tui::keymap::Action;
use crate::tui::msg::{PlanRequest, RotateDraft};

/// The steps of the flow, for the breadcrumb.
pub const STEPS: &[&str] = &["new key", "stores", "review", "result"];

/// A step of the flow.
#[derive(Debug)]
pub enum RotateStep {
    NewKey,
    /// Which stores get the new key (submitted on the first step).
    Stores(Secret),
}

#[derive(Debug)]
pub struct RotateWizard {
    pub provider: String,
    pub step: RotateStep,
    pub form: Form,
    /// The key submitted last; Enter on an empty field keeps it.
    pub secret: Option<Secret>,
    /// Agents that hold a static credential of their own for the provider.
    pub holders: Checklist,
    pub holder_ids: Vec<String>,
}

impl RotateWizard {
    /// The flow for the selected provider; `Err`: why it cannot start.
    pub fn start(ctx: &Ctx, provider: Option<usize>) -> Result<Self, String> {
        let Some(row) = provider else {
            return Err("Select a provider to rotate.".into());
        };
        let provider = ctx.report.providers[row].id.clone();
        let field = Field::new(
            FieldKind::Secret,
            "New key",
            "Type or paste the new key; Ctrl-R shows it. A pasted newline is dropped.",
        )
        .with_placeholder("paste or type it");
        let (holders, holder_ids) = holder_list(ctx, &provider);
        Ok(RotateWizard {
            provider,
            step: RotateStep::NewKey,
            form: Form::new(vec![field], &ctx.theme),
            secret: None,
            holders,
            holder_ids,
        })
    }

    pub fn title(&self) -> String {
        format!("Rotate the {} key", self.provider)
    }

    /// Where the step is in `STEPS`.
    pub fn step_index(&self) -> usize {
        match self.step {
            RotateStep::NewKey => 0,
            RotateStep::Stores(_) => 1,
        }
    }

    pub fn body(&self) -> Body<'_> {
        match self.step {
            RotateStep::NewKey => Body::Form(&self.form),
            RotateStep::Stores(_) => Body::Checklist(&self.holders),
        }
    }

    fn body_mut(&mut self) -> BodyMut<'_> {
        match self.step {
            RotateStep::NewKey => BodyMut::Form(&mut self.form),
            RotateStep::Stores(_) => BodyMut::Checklist(&mut self.holders),
        }
    }

    /// The form of the step, if it has one (typed keys and pastes go there).
    pub fn form_mut(&mut self) -> Option<&mut Form> {
        match self.step {
            RotateStep::NewKey => Some(&mut self.form),
            RotateStep::Stores(_) => None,
        }
    }

    pub fn action(&mut self, action: Action, ctx: &mut Ctx) -> Go {
        match (action, &self.step) {
            (Action::Back, RotateStep::NewKey) => Go::Close,
            (Action::Back, RotateStep::Stores(_)) => {
                self.step = RotateStep::NewKey;
                Go::Stay
            }
            (Action::Select | Action::Submit, RotateStep::NewKey) => self.secret_submitted(ctx),
            (Action::Select | Action::Submit, RotateStep::Stores(secret)) => {
                self.agents_chosen(secret.clone(), ctx)
            }
            (other, _) => {
                edit(self.body_mut(), other, ctx);
                Go::Stay
            }
        }
    }

    fn secret_submitted(&mut self, ctx: &mut Ctx) -> Go {
        let field = &mut self.form.fields[0];
        let checked = match field.is_empty() {
            true => Ok(None),
            false => check_secret(field.peek_secret().expose(), "key", ctx.generation()).map(Some),
        };
        match checked {
            Ok(Some(secret)) => {
                let stored = format!("entered: {} (type or paste to replace)", secret.describe());
                field.clear();
                field.set_placeholder(stored, ctx.theme.muted);
                self.secret = Some(secret);
            }
            Ok(None) if self.secret.is_some() => {}
            Ok(None) => field.error = Some("enter the new key (type or paste it)".into()),
            Err(e) => field.error = Some(e),
        }
        let Some(secret) = self.secret.clone() else {
            return Go::Stay;
        };
        match self.holder_ids.is_empty() {
            true => self.agents_chosen(secret, ctx),
            false => {
                self.step = RotateStep::Stores(secret);
                Go::Stay
            }
        }
    }

    fn agents_chosen(&self, secret: Secret, ctx: &mut Ctx) -> Go {
        let ticked = self.holders.ticked();
        if ticked.is_empty() && !self.holder_ids.is_empty() {
            ctx.fail("Tick at least one store with Space.");
            return Go::Stay;
        }
        let agents = match ticked.len() == self.holder_ids.len() {
            true => Vec::new(),
            false => ticked.iter().map(|&i| self.holder_ids[i].clone()).collect(),
        };
        let draft = RotateDraft {
            provider: self.provider.clone(),
            secret,
            agents,
        };
        Go::Plan {
            title: self.title(),
            steps: STEPS,
            request: PlanRequest::Rotate(draft),
        }
    }
}

/// Agents whose own store gives them a static credential for `provider`; all ticked.
fn holder_list(ctx: &Ctx, provider: &str) -> (Checklist, Vec<String>) {
    let holders: Vec<_> = ctx
        .report
        .cells
        .iter()
        .filter(|c| c.provider == provider && c.source == Source::Local)
        .filter(|c| matches!(c.cred_type, Some(CredType::ApiKey | CredType::Token)))
        .collect();
    let items = holders
        .iter()
        .map(|c| {
            let profile = c.profile.clone().unwrap_or_default();
            let detail = format!(
                "{profile} ({})",
                c.cred_type.map(CredType::as_str).unwrap_or_default()
            );
            Item::new(c.agent.clone(), detail)
        })
        .collect();
    let ids = holders.iter().map(|c| c.agent.clone()).collect();
    (Checklist::new(items, vec![true; holders.len()]), ids)
}
