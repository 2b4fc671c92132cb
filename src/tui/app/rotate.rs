//! Rotate a provider's key: new key → the stores that hold a key for it, grouped by
//! key (the key being rotated ticked, different keys not) → review → apply → result.
//! The flow owns its state and its steps.

use super::ctx::{Ctx, Go};
use super::steps::{Body, BodyMut, Checklist, Form, Item, edit};
use crate::domain::ops::key_groups::{HoldingId, KeyGroups, KeyRole};
use crate::domain::ops::secret::{Secret, check_secret};
use crate::tui::field::{Field, FieldKind};
use crate::tui::keymap::Action;
use crate::tui::msg::{Effect, KeyGroupsRequest, PlanRequest, RotateDraft};
use crate::tui::text::rotate::{holding_blocked, holding_detail, holding_label};

/// The steps of the flow, for the breadcrumb.
pub(crate) const STEPS: &[&str] = &["new key", "stores", "review", "result"];

/// A step of the flow.
#[derive(Debug)]
pub(crate) enum RotateStep {
    NewKey,
    /// Which stores get the new key (submitted on the first step).
    Stores(Secret),
}

#[derive(Debug)]
pub struct RotateWizard {
    pub(crate) provider: String,
    /// The selected cell's agent: the key its runtime uses is the key being rotated.
    pub(crate) for_agent: Option<String>,
    pub(crate) step: RotateStep,
    pub(crate) form: Form,
    /// The key submitted last; Enter on an empty field keeps it.
    pub(crate) secret: Option<Secret>,
    /// Every store holding a key for the provider, grouped by key (None: being read).
    pub(crate) groups: Option<Result<KeyGroups, String>>,
    /// One entry per holding, in the groups' order; the key being rotated ticked.
    pub(crate) holders: Checklist,
}

impl RotateWizard {
    /// The flow for the selected provider; `Err`: why it cannot start.
    pub(crate) fn start(
        ctx: &Ctx,
        provider: Option<usize>,
        agent: Option<usize>,
    ) -> Result<Self, String> {
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
        Ok(RotateWizard {
            provider,
            for_agent: agent.map(|a| ctx.report.agents[a].id.clone()),
            step: RotateStep::NewKey,
            form: Form::new(vec![field], &ctx.theme),
            secret: None,
            groups: None,
            holders: Checklist::default(),
        })
    }

    pub(crate) fn title(&self) -> String {
        format!("Rotate the {} key", self.provider)
    }

    /// Where the step is in `STEPS`.
    pub(crate) fn step_index(&self) -> usize {
        match self.step {
            RotateStep::NewKey => 0,
            RotateStep::Stores(_) => 1,
        }
    }

    pub(crate) fn body(&self) -> Body<'_> {
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
    pub(crate) fn form_mut(&mut self) -> Option<&mut Form> {
        match self.step {
            RotateStep::NewKey => Some(&mut self.form),
            RotateStep::Stores(_) => None,
        }
    }

    pub(crate) fn action(&mut self, action: Action, ctx: &mut Ctx) -> Go {
        match (action, &self.step) {
            (Action::Back, RotateStep::NewKey) => Go::Close,
            (Action::Back, RotateStep::Stores(_)) => {
                self.step = RotateStep::NewKey;
                Go::Stay
            }
            (Action::Select | Action::Submit, RotateStep::NewKey) => self.secret_submitted(ctx),
            (Action::Select | Action::Submit, RotateStep::Stores(secret)) => {
                self.stores_chosen(secret.clone(), ctx)
            }
            (other, _) => {
                edit(self.body_mut(), other, ctx);
                Go::Stay
            }
        }
    }

    /// The new key checked, then the stores holding the provider are read (every time:
    /// which key is "different" depends on the new one).
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
            Err(e) => field.error = Some(e.to_string()),
        }
        let Some(secret) = self.secret.clone() else {
            return Go::Stay;
        };
        self.step = RotateStep::Stores(secret.clone());
        self.groups = None;
        self.holders = Checklist::default();
        Go::Run(Effect::LoadKeyGroups(KeyGroupsRequest {
            provider: self.provider.clone(),
            for_agent: self.for_agent.clone(),
            secret,
        }))
    }

    /// The stores, read: one entry per holding, only the key being rotated ticked.
    pub(crate) fn on_key_groups(&mut self, result: Result<KeyGroups, String>) {
        if let Ok(groups) = &result {
            let items = groups
                .holdings
                .iter()
                .map(|h| Item {
                    blocked: holding_blocked(groups, h),
                    ..Item::new(holding_label(groups, h), holding_detail(h))
                })
                .collect();
            let ticked = groups
                .holdings
                .iter()
                .map(|h| groups.role_of(h) == KeyRole::Rotated)
                .collect();
            self.holders = Checklist::new(items, ticked);
        }
        self.groups = Some(result);
    }

    /// Plans exactly the ticked holdings.
    fn stores_chosen(&self, secret: Secret, ctx: &mut Ctx) -> Go {
        let Some(Ok(groups)) = &self.groups else {
            return Go::Stay;
        };
        let stores: Vec<HoldingId> = self
            .holders
            .ticked()
            .iter()
            .filter_map(|&i| groups.holdings.get(i).map(|h| h.id()))
            .collect();
        if stores.is_empty() && !groups.holdings.is_empty() {
            ctx.fail("Tick at least one store with Space.");
            return Go::Stay;
        }
        let draft = RotateDraft {
            provider: self.provider.clone(),
            secret,
            for_agent: self.for_agent.clone(),
            stores,
        };
        Go::Plan {
            title: self.title(),
            steps: STEPS,
            request: PlanRequest::Rotate(draft),
        }
    }
}
