//! Add or replace a credential: provider → type → secret (or an OAuth source) →
//! targets → review → apply → result. The flow owns its state and its steps.

use super::add_parts::{
    TYPES, checked_secret, fail, json_form, key_form, oauth_choice, read_details, recommend,
    target_list, type_choice,
};
use super::add_provider::{
    ProviderPick, api_choice, custom_form, other_form, provider_choice, read_custom, read_id,
};
use super::ctx::{Ctx, Go};
use super::steps::{Body, BodyMut, Checklist, Choice, Form, edit};
use crate::domain::ops::declare::CustomProvider;
use crate::domain::ops::secret::{Secret, type_warnings};
use crate::domain::ops::targets::Targets;
use crate::domain::read::profile::CredType;
use crate::domain::read::version::Generation;
use crate::tui::keymap::Action;
use crate::tui::msg::{Effect, Expiry, ExternalCommand, LoginImport, PlanRequest};
use crate::tui::msg::{SecretSource, SetDraft};
use crate::tui::theme::Theme;

/// The steps of the flow, for the breadcrumb.
pub(crate) const STEPS: &[&str] = &["provider", "type", "secret", "targets", "review", "result"];

/// Where an OAuth login comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OAuthPick {
    SignIn,
    Import(LoginImport),
    Paste,
}

const OAUTH_PICKS: [OAuthPick; 4] = [
    OAuthPick::SignIn,
    OAuthPick::Import(LoginImport::Codex),
    OAuthPick::Import(LoginImport::Claude),
    OAuthPick::Paste,
];

/// A step of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddStep {
    Provider,
    /// A provider id typed in.
    OtherId,
    /// A custom provider's id, base URL and model ids.
    Custom,
    /// The custom provider's API kind.
    ApiKind,
    CredType,
    /// (oauth) Sign in with OpenClaw, import, or paste JSON.
    OAuthSource,
    /// The secret (or OAuth JSON), profile id, expiry, email.
    Secret,
    Targets,
}

#[derive(Debug)]
pub struct AddWizard {
    /// The steps taken after the first (provider); the last one shows.
    pub(crate) path: Vec<AddStep>,
    /// The agent of the cell the wizard was started on.
    pub agent: Option<String>,
    pub providers: Choice,
    /// What each entry of `providers` stands for.
    pub(crate) picks: Vec<ProviderPick>,
    /// The form of the typed-in id or of the custom provider.
    pub(crate) provider_form: Option<Form>,
    pub(crate) apis: Choice,
    /// Where the built-in providers come from, in words.
    pub(crate) builtins_source: String,
    /// The custom provider to declare, once its API kind is chosen.
    pub(crate) custom: Option<CustomProvider>,
    pub provider: String,
    /// The custom provider's id while its API kind is chosen.
    pub(crate) pending: Option<String>,
    pub types: Choice,
    pub(crate) cred_type: CredType,
    /// Why the recommended type is recommended.
    pub recommendation: String,
    pub(crate) sources: Choice,
    pub(crate) oauth: Option<OAuthPick>,
    pub(crate) form: Option<Form>,
    /// The submitted API key, token or OAuth JSON.
    pub(crate) secret: Option<Secret>,
    pub(crate) profile_id: Option<String>,
    pub(crate) expiry: Option<Expiry>,
    pub(crate) email: Option<String>,
    /// Type and prefix warnings about the submitted secret.
    pub(crate) warnings: Vec<String>,
    pub targets: Checklist,
    /// Agent ids of the target entries (the shared store is the last entry).
    pub target_ids: Vec<String>,
    /// The OpenClaw sign-in command, once asked for.
    pub(crate) signin: Option<ExternalCommand>,
}

impl AddWizard {
    /// The flow on the provider step, for the selected provider and agent;
    /// `Err`: why it cannot start.
    pub(crate) fn start(
        ctx: &Ctx,
        provider: Option<usize>,
        agent: Option<String>,
    ) -> Result<Self, String> {
        let (providers, picks) = provider_choice(ctx, provider);
        Ok(AddWizard {
            path: Vec::new(),
            agent,
            providers,
            picks,
            provider_form: None,
            apis: Choice::default(),
            builtins_source: ctx.report.builtins.source.clone(),
            custom: None,
            provider: String::new(),
            pending: None,
            types: Choice::default(),
            cred_type: CredType::ApiKey,
            recommendation: String::new(),
            sources: Choice::default(),
            oauth: None,
            form: None,
            secret: None,
            profile_id: None,
            expiry: None,
            email: None,
            warnings: Vec::new(),
            targets: Checklist::default(),
            target_ids: Vec::new(),
            signin: None,
        })
    }

    pub(crate) fn title(&self) -> String {
        match &self.agent {
            Some(a) if !self.provider.is_empty() => {
                let an = crate::domain::text::article(&self.provider);
                format!(
                    "Add or replace {an} {} credential (from {a})",
                    self.provider
                )
            }
            _ => "Add or replace a credential".into(),
        }
    }

    pub(crate) fn step(&self) -> AddStep {
        self.path.last().copied().unwrap_or(AddStep::Provider)
    }

    /// Where the step is in `STEPS`.
    pub(crate) fn step_index(&self) -> usize {
        match self.step() {
            AddStep::Provider | AddStep::OtherId | AddStep::Custom | AddStep::ApiKind => 0,
            AddStep::CredType => 1,
            AddStep::OAuthSource | AddStep::Secret => 2,
            AddStep::Targets => 3,
        }
    }

    pub(crate) fn body(&self) -> Option<Body<'_>> {
        match self.step() {
            AddStep::Provider => Some(Body::Choice(&self.providers)),
            AddStep::OtherId | AddStep::Custom => self.provider_form.as_ref().map(Body::Form),
            AddStep::ApiKind => Some(Body::Choice(&self.apis)),
            AddStep::CredType => Some(Body::Choice(&self.types)),
            AddStep::OAuthSource => Some(Body::Choice(&self.sources)),
            AddStep::Secret => self.form.as_ref().map(Body::Form),
            AddStep::Targets => Some(Body::Checklist(&self.targets)),
        }
    }

    fn body_mut(&mut self) -> Option<BodyMut<'_>> {
        match self.step() {
            AddStep::Provider => Some(BodyMut::Choice(&mut self.providers)),
            AddStep::OtherId | AddStep::Custom => self.provider_form.as_mut().map(BodyMut::Form),
            AddStep::ApiKind => Some(BodyMut::Choice(&mut self.apis)),
            AddStep::CredType => Some(BodyMut::Choice(&mut self.types)),
            AddStep::OAuthSource => Some(BodyMut::Choice(&mut self.sources)),
            AddStep::Secret => self.form.as_mut().map(BodyMut::Form),
            AddStep::Targets => Some(BodyMut::Checklist(&mut self.targets)),
        }
    }

    /// The form of the step, if it has one (typed keys and pastes go there).
    pub(crate) fn form_mut(&mut self) -> Option<&mut Form> {
        match self.body_mut() {
            Some(BodyMut::Form(f)) => Some(f),
            _ => None,
        }
    }

    pub(crate) fn action(&mut self, action: Action, ctx: &mut Ctx) -> Go {
        match action {
            Action::Back => self.back(),
            Action::Select | Action::Submit => self.next(ctx),
            other => {
                if let Some(body) = self.body_mut() {
                    edit(body, other, ctx);
                }
                Go::Stay
            }
        }
    }

    /// Esc: one step back; on the first step, the flow closes (nothing was written).
    fn back(&mut self) -> Go {
        match self.path.pop() {
            Some(_) => Go::Stay,
            None => Go::Close,
        }
    }

    fn open(&mut self, step: AddStep) {
        if self.step() != step {
            self.path.push(step);
        }
    }

    /// Enter: the step's choice is taken, the next step opens.
    fn next(&mut self, ctx: &mut Ctx) -> Go {
        match self.step() {
            AddStep::Provider => self.provider_picked(ctx),
            AddStep::OtherId => self.other_submitted(ctx),
            AddStep::Custom => self.custom_submitted(ctx),
            AddStep::ApiKind => self.api_chosen(ctx),
            AddStep::CredType => self.type_chosen(ctx),
            AddStep::OAuthSource => return self.oauth_source_chosen(ctx),
            AddStep::Secret => self.secret_submitted(ctx),
            AddStep::Targets => return self.targets_chosen(ctx),
        }
        Go::Stay
    }

    fn provider_picked(&mut self, ctx: &Ctx) {
        let pick = self.picks.get(self.providers.selected).cloned();
        match pick {
            Some(ProviderPick::Id(id)) => {
                self.custom = None;
                self.provider_chosen(ctx, id);
            }
            Some(ProviderPick::Other) => {
                self.provider_form = Some(other_form(&ctx.theme));
                self.open(AddStep::OtherId);
            }
            Some(ProviderPick::Custom) => {
                self.provider_form = Some(custom_form(&ctx.theme));
                self.open(AddStep::Custom);
            }
            None => {}
        }
    }

    fn other_submitted(&mut self, ctx: &Ctx) {
        if let Some(id) = self.provider_form.as_mut().and_then(read_id) {
            self.custom = None;
            self.provider_chosen(ctx, id);
        }
    }

    fn custom_submitted(&mut self, ctx: &Ctx) {
        let generation = ctx.generation();
        let Some(form) = self.provider_form.as_mut() else {
            return;
        };
        if let Some((id, custom)) = read_custom(form, generation) {
            self.apis = api_choice(generation);
            self.custom = Some(custom);
            self.provider.clear();
            self.pending = Some(id);
            self.open(AddStep::ApiKind);
        }
    }

    fn api_chosen(&mut self, ctx: &Ctx) {
        let kind = self.apis.current().map(|i| i.label.clone());
        let (Some(kind), Some(id)) = (kind, self.pending.clone()) else {
            return;
        };
        if let Some(custom) = self.custom.as_mut() {
            custom.api = kind;
        }
        let custom = self.custom.take();
        self.provider_chosen(ctx, id);
        self.custom = custom;
    }

    fn provider_chosen(&mut self, ctx: &Ctx, provider: String) {
        if self.provider != provider || self.types.items.is_empty() {
            let (recommended, why) = recommend(ctx, &provider);
            self.provider = provider;
            self.types = type_choice(recommended);
            self.recommendation = why;
            self.form = None;
            self.secret = None;
            self.targets = Checklist::default();
            self.target_ids.clear();
        }
        self.open(AddStep::CredType);
    }

    fn type_chosen(&mut self, ctx: &Ctx) {
        let chosen = TYPES[self.types.selected.min(2)].0;
        if chosen != self.cred_type || self.form.is_none() {
            self.cred_type = chosen;
            self.form =
                (chosen != CredType::Oauth).then(|| key_form(chosen, &self.provider, &ctx.theme));
            self.secret = None;
            self.oauth = None;
        }
        if chosen == CredType::Oauth {
            let agent = self.signin_agent(ctx);
            let generation = ctx.generation();
            self.sources = oauth_choice(&self.provider, &agent, self.agent.as_deref(), generation);
            self.open(AddStep::OAuthSource);
        } else {
            self.open(AddStep::Secret);
        }
    }

    fn oauth_source_chosen(&mut self, ctx: &Ctx) -> Go {
        let pick = OAUTH_PICKS[self.sources.selected.min(3)];
        if self.oauth != Some(pick) {
            self.secret = None;
            self.form = (pick == OAuthPick::Paste).then(|| json_form(&self.provider, &ctx.theme));
        }
        self.oauth = Some(pick);
        match pick {
            OAuthPick::SignIn => {
                let agent = self.signin_agent(ctx);
                let command = ExternalCommand::login(&self.provider, &agent, ctx.generation());
                self.signin = Some(command.clone());
                return Go::Run(Effect::RunExternal(command));
            }
            OAuthPick::Paste => self.open(AddStep::Secret),
            OAuthPick::Import(_) => self.open_targets(ctx),
        }
        Go::Stay
    }

    fn secret_submitted(&mut self, ctx: &Ctx) {
        if self.submit(ctx.generation(), &ctx.theme) {
            self.open_targets(ctx);
        }
    }

    fn open_targets(&mut self, ctx: &Ctx) {
        if self.target_ids.is_empty() {
            (self.targets, self.target_ids) =
                target_list(ctx, &self.provider, self.agent.as_deref());
        }
        self.open(AddStep::Targets);
    }

    fn targets_chosen(&mut self, ctx: &mut Ctx) -> Go {
        let ticked = self.targets.ticked();
        if ticked.is_empty() {
            ctx.fail("Tick at least one target with Space.");
            return Go::Stay;
        }
        let targets = match ticked.contains(&self.target_ids.len()) {
            true => Targets::Shared,
            false => Targets::Agents(ticked.iter().map(|&i| self.target_ids[i].clone()).collect()),
        };
        match self.draft(targets) {
            Some(draft) => Go::Plan {
                title: self.title(),
                steps: STEPS,
                request: PlanRequest::Set(draft),
            },
            None => Go::Stay,
        }
    }

    /// The sign-in that was asked for, once it is done: its command and provider.
    pub(crate) fn signed_in(&self) -> Option<(String, String)> {
        let command = self.signin.as_ref()?;
        Some((command.display(), self.provider.clone()))
    }

    /// The agent an OAuth sign-in is for: the one the wizard started from with
    /// OpenClaw ≥ 2026.6; the default agent with 2026.5 and older, whose `login`
    /// has no `--agent`.
    fn signin_agent(&self, ctx: &Ctx) -> String {
        let default = ctx.report.agents.iter().find(|a| a.default);
        let first = default.or(ctx.report.agents.first());
        let chosen = match ctx.generation() {
            Generation::Sqlite => self.agent.clone(),
            Generation::Json => None,
        };
        chosen
            .or_else(|| first.map(|a| a.id.clone()))
            .unwrap_or_else(|| "main".into())
    }

    /// Checks the form; on success the secret moves out of the field.
    fn submit(&mut self, generation: Generation, theme: &Theme) -> bool {
        let Some(form) = self.form.as_mut() else {
            return false;
        };
        let oauth = self.cred_type == CredType::Oauth;
        let what = match self.cred_type {
            CredType::ApiKey => "API key",
            CredType::Token => "token",
            CredType::Oauth => "OAuth JSON",
        };
        let checked = checked_secret(&form.fields[0], oauth, what, generation);
        let secret = match checked {
            Ok(Some(s)) => Some(s),
            Ok(None) => self.secret.clone(),
            Err(e) => return fail(&mut form.fields[0], e.to_string()),
        };
        let Some(secret) = secret else {
            return fail(
                &mut form.fields[0],
                format!("enter the {what} (type or paste it)"),
            );
        };
        let Some((id, expiry, email)) = read_details(form) else {
            return false;
        };
        (self.profile_id, self.expiry, self.email) = (id, expiry, email);
        self.warnings = match oauth {
            true => Vec::new(),
            false => type_warnings(&self.provider, self.cred_type, secret.expose()),
        };
        let stored = format!("entered: {} (type or paste to replace)", secret.describe());
        form.fields[0].clear();
        form.fields[0].set_placeholder(stored, theme.muted);
        self.secret = Some(secret);
        true
    }

    fn draft(&self, targets: Targets) -> Option<SetDraft> {
        let source = match (self.cred_type, self.oauth) {
            (CredType::Oauth, Some(OAuthPick::Import(kind))) => SecretSource::Import(kind),
            (CredType::Oauth, _) => SecretSource::OAuthJson(self.secret.clone()?),
            _ => SecretSource::Value(self.secret.clone()?),
        };
        let expiry = (self.cred_type == CredType::Token)
            .then_some(self.expiry)
            .flatten();
        Some(SetDraft {
            provider: self.provider.clone(),
            cred_type: self.cred_type,
            profile_id: self.profile_id.clone(),
            targets,
            source,
            expiry,
            email: self.email.clone(),
            declare: self.custom.clone(),
        })
    }
}
