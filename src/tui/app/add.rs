//! Add or replace a credential: provider → type → secret (or an OAuth source) →
//! targets → review → apply → result.

use super::wizard::{Checklist, Choice, Form, Item, Wizard};
use super::{App, Effect, Page, error};
use crate::cli::inputs::{oauth_from_json, parse_duration_ms, parse_time_ms};
use crate::domain::ops::secret::{
    Secret, check_secret, is_sign_in_provider, recommended_type, type_warnings,
};
use crate::domain::ops::targets::Targets;
use crate::domain::profile::CredType;
use crate::domain::providers::env_vars_for;
use crate::domain::version::Generation;
use crate::tui::field::{Field, FieldKind};
use crate::tui::msg::{Expiry, ExternalCommand, LoginImport, PlanRequest, SecretSource, SetDraft};
use crate::tui::theme::Theme;
use crate::tui::view::cells::cell_text;

/// The three credential types, each with its one-line explanation.
pub const TYPES: [(CredType, &str); 3] = [
    (CredType::ApiKey, "a static API key sent as-is"),
    (
        CredType::Token,
        "a static bearer token, e.g. a setup token; optional expiry, never refreshed",
    ),
    (
        CredType::Oauth,
        "a refreshable login: sign in with OpenClaw, or import one",
    ),
];

/// Where an OAuth login comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthPick {
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

pub const SHARED_LABEL: &str = "shared store (every agent inherits)";

#[derive(Debug)]
pub struct AddWizard {
    /// The agent of the cell the wizard was started on.
    pub agent: Option<String>,
    pub providers: Choice,
    pub provider: String,
    pub types: Choice,
    pub cred_type: CredType,
    /// Why the recommended type is recommended.
    pub recommendation: String,
    pub sources: Choice,
    pub oauth: Option<OAuthPick>,
    pub form: Option<Form>,
    /// The submitted API key, token or OAuth JSON.
    pub secret: Option<Secret>,
    pub profile_id: Option<String>,
    pub expiry: Option<Expiry>,
    pub email: Option<String>,
    /// Type and prefix warnings about the submitted secret.
    pub warnings: Vec<String>,
    pub targets: Checklist,
    /// Agent ids of the target entries (the shared store is the last entry).
    pub target_ids: Vec<String>,
    /// The OpenClaw sign-in command, once asked for.
    pub signin: Option<ExternalCommand>,
}

impl AddWizard {
    pub fn title(&self) -> String {
        match &self.agent {
            Some(a) if !self.provider.is_empty() => {
                format!("Add or replace a {} credential (from {a})", self.provider)
            }
            _ => "Add or replace a credential".into(),
        }
    }

    pub fn choice(&self, page: Page) -> Option<&Choice> {
        match page {
            Page::Provider => Some(&self.providers),
            Page::CredType => Some(&self.types),
            Page::OAuthSource => Some(&self.sources),
            _ => None,
        }
    }

    pub fn choice_mut(&mut self, page: Page) -> Option<&mut Choice> {
        match page {
            Page::Provider => Some(&mut self.providers),
            Page::CredType => Some(&mut self.types),
            Page::OAuthSource => Some(&mut self.sources),
            _ => None,
        }
    }

    /// The agent an OAuth sign-in is for: the one the wizard started from with
    /// OpenClaw ≥ 2026.6; the default agent with 2026.5 and older, whose `login`
    /// has no `--agent`.
    fn signin_agent(&self, app: &App) -> String {
        let default = app.report.agents.iter().find(|a| a.default);
        let first = default.or(app.report.agents.first());
        let chosen = match generation(app) {
            Generation::Sqlite => self.agent.clone(),
            Generation::Json => None,
        };
        chosen
            .or_else(|| first.map(|a| a.id.clone()))
            .unwrap_or_else(|| "main".into())
    }
}

fn add(app: &mut App) -> Option<&mut AddWizard> {
    match app.wizard.as_mut()? {
        Wizard::Add(w) => Some(w),
        _ => None,
    }
}

/// A provider with no known environment variable and no OpenClaw sign-in: a custom
/// (OpenAI-compatible) one.
pub fn is_custom(provider: &str) -> bool {
    !is_sign_in_provider(provider)
        && env_vars_for(provider, Generation::Json).is_empty()
        && env_vars_for(provider, Generation::Sqlite).is_empty()
}

pub(super) fn generation(app: &App) -> Generation {
    match app.report.generation {
        "sqlite" => Generation::Sqlite,
        _ => Generation::Json,
    }
}

impl App {
    pub(super) fn start_add(&mut self) {
        if self.report.providers.is_empty() {
            self.notice = Some(error(
                "No provider to add a credential for: declare one in openclaw.json first.",
            ));
            return;
        }
        let items = self.report.providers.iter().map(provider_item).collect();
        let selected = self.selected_provider().unwrap_or(0);
        let agent = self
            .selected_agent()
            .map(|a| self.report.agents[a].id.clone());
        self.wizard = Some(Wizard::Add(Box::new(AddWizard {
            agent,
            providers: Choice::new(items, selected),
            provider: String::new(),
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
        })));
        self.outcome = None;
        self.open(Page::Provider);
    }

    pub(super) fn provider_chosen(&mut self) -> Effect {
        let Some(provider) = self.chosen_provider() else {
            return Effect::None;
        };
        let (recommended, why) = recommend(self, &provider);
        let Some(w) = add(self) else {
            return Effect::None;
        };
        if w.provider != provider || w.types.items.is_empty() {
            w.provider = provider;
            w.types = type_choice(recommended);
            w.recommendation = why;
            w.form = None;
            w.secret = None;
            w.targets = Checklist::default();
            w.target_ids.clear();
        }
        self.open(Page::CredType);
        Effect::None
    }

    fn chosen_provider(&mut self) -> Option<String> {
        add(self)?.providers.current().map(|i| i.label.clone())
    }

    pub(super) fn type_chosen(&mut self) -> Effect {
        let theme = self.theme;
        let generation = generation(self);
        let agent = match self.wizard.as_ref() {
            Some(Wizard::Add(w)) => w.signin_agent(self),
            _ => return Effect::None,
        };
        let Some(w) = add(self) else {
            return Effect::None;
        };
        let chosen = TYPES[w.types.selected.min(2)].0;
        if chosen != w.cred_type || w.form.is_none() {
            w.cred_type = chosen;
            w.form = (chosen != CredType::Oauth).then(|| key_form(chosen, &w.provider, &theme));
            w.secret = None;
            w.oauth = None;
        }
        if chosen == CredType::Oauth {
            w.sources = oauth_choice(&w.provider, &agent, w.agent.as_deref(), generation);
            self.open(Page::OAuthSource);
        } else {
            self.open(Page::Secret);
        }
        Effect::None
    }

    pub(super) fn oauth_source_chosen(&mut self) -> Effect {
        let theme = self.theme;
        let generation = generation(self);
        let agent = match self.wizard.as_ref() {
            Some(Wizard::Add(w)) => w.signin_agent(self),
            _ => return Effect::None,
        };
        let Some(w) = add(self) else {
            return Effect::None;
        };
        let pick = OAUTH_PICKS[w.sources.selected.min(3)];
        if w.oauth != Some(pick) {
            w.secret = None;
            w.form = (pick == OAuthPick::Paste).then(|| json_form(&w.provider, &theme));
        }
        w.oauth = Some(pick);
        match pick {
            OAuthPick::SignIn => {
                let command = ExternalCommand::login(&w.provider, &agent, generation);
                w.signin = Some(command.clone());
                return Effect::RunExternal(command);
            }
            OAuthPick::Paste => self.open(Page::Secret),
            OAuthPick::Import(_) => self.open_targets(),
        }
        Effect::None
    }

    pub(super) fn secret_submitted(&mut self) -> Effect {
        let generation = generation(self);
        let theme = self.theme;
        let Some(w) = add(self) else {
            return Effect::None;
        };
        if w.submit(generation, &theme) {
            self.open_targets();
        }
        Effect::None
    }

    fn open_targets(&mut self) {
        let Some(Wizard::Add(w)) = self.wizard.as_ref() else {
            return;
        };
        if w.target_ids.is_empty() {
            let (list, ids) = target_list(self, &w.provider, w.agent.as_deref());
            if let Some(w) = add(self) {
                (w.targets, w.target_ids) = (list, ids);
            }
        }
        self.open(Page::Targets);
    }

    pub(super) fn targets_chosen(&mut self) -> Effect {
        let Some(w) = add(self) else {
            return Effect::None;
        };
        let ticked = w.targets.ticked();
        if ticked.is_empty() {
            self.notice = Some(error("Tick at least one target with Space."));
            return Effect::None;
        }
        let targets = match ticked.contains(&w.target_ids.len()) {
            true => Targets::Shared,
            false => Targets::Agents(ticked.iter().map(|&i| w.target_ids[i].clone()).collect()),
        };
        match w.draft(targets) {
            Some(draft) => self.request_plan(PlanRequest::Set(draft)),
            None => Effect::None,
        }
    }
}

impl AddWizard {
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
            Err(e) => return fail(&mut form.fields[0], e),
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
        })
    }
}

/// Profile id, expiry and email; `None` when one is wrong (the field says why).
fn read_details(form: &mut Form) -> Option<(Option<String>, Option<Expiry>, Option<String>)> {
    let text = |form: &mut Form, label: &str| form.field(label).map(|f| f.text());
    let id = text(form, "Profile id").unwrap_or_default();
    if id.contains(char::is_whitespace) {
        let why = "a profile id has no spaces (e.g. my-proxy:work)".to_string();
        form.field("Profile id").map(|f| fail(f, why));
        return None;
    }
    let expiry = match parse_expiry(&text(form, "Expires").unwrap_or_default()) {
        Ok(e) => e,
        Err(why) => {
            form.field("Expires").map(|f| fail(f, why));
            return None;
        }
    };
    let email = text(form, "Email").unwrap_or_default();
    let some = |s: String| (!s.is_empty()).then_some(s);
    Some((some(id), expiry, some(email)))
}

fn fail(field: &mut Field, message: String) -> bool {
    field.error = Some(message);
    false
}

/// The secret in the field, checked (None: the field is empty).
fn checked_secret(
    field: &Field,
    oauth: bool,
    what: &str,
    generation: Generation,
) -> Result<Option<Secret>, String> {
    if field.is_empty() {
        return Ok(None);
    }
    let raw = field.peek_secret();
    match oauth {
        true => oauth_from_json(raw.expose()).map(|_| Some(raw)),
        false => check_secret(raw.expose(), what, generation).map(Some),
    }
}

/// `30d`, `12h`, or a date; empty means no expiry.
pub fn parse_expiry(text: &str) -> Result<Option<Expiry>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(ms) = parse_duration_ms(text) {
        return Ok(Some(Expiry::In(ms)));
    }
    parse_time_ms(text)
        .map(|ms| Some(Expiry::At(ms)))
        .map_err(|_| format!("{text:?}: use 30d, 12h or a date like 2026-12-31"))
}

fn provider_item(p: &crate::domain::report::ProviderOut) -> Item {
    let mut notes = Vec::new();
    if p.declared {
        notes.push("declared in openclaw.json".to_string());
    }
    if is_custom(&p.id) {
        notes.push("custom (no env var)".into());
    }
    if !p.origins.is_empty() {
        notes.push(format!("seen in: {}", p.origins.join(", ")));
    }
    Item::new(p.id.clone(), notes.join(" · "))
}

/// The type to recommend for `provider`, and why: an API key for custom
/// (OpenAI-compatible) providers, else what another agent already uses, else
/// the provider's usual credential.
fn recommend(app: &App, provider: &str) -> (CredType, String) {
    let used = app.report.cells.iter().find_map(|c| {
        let t = c.cred_type.and_then(CredType::parse)?;
        (c.provider == provider && c.usable && c.profile.is_some()).then(|| (t, c.agent.clone()))
    });
    if is_custom(provider) {
        let mut why = "custom OpenAI-compatible providers expect an API key".to_string();
        if let Some((t, agent)) = used.filter(|(t, _)| *t != CredType::ApiKey) {
            why.push_str(&format!("; agent {agent} uses type {}", t.as_str()));
        }
        return (CredType::ApiKey, why);
    }
    if let Some((t, agent)) = used {
        let why = format!(
            "agent {agent} already uses type {} for {provider}",
            t.as_str()
        );
        return (t, why);
    }
    let t = recommended_type(provider, None);
    (t, format!("the usual credential for {provider}"))
}

fn type_choice(recommended: CredType) -> Choice {
    let items = TYPES
        .iter()
        .map(|(t, what)| Item::new(t.as_str(), *what))
        .collect();
    let index = TYPES.iter().position(|(t, _)| *t == recommended);
    let mut choice = Choice::new(items, index.unwrap_or(0));
    choice.recommended = index;
    choice
}

/// Where an OAuth login can come from; the sign-in signs in for `agent` (see
/// `signin_agent`), which with OpenClaw ≤ 2026.5 may not be the `wanted` one.
fn oauth_choice(
    provider: &str,
    agent: &str,
    wanted: Option<&str>,
    generation: Generation,
) -> Choice {
    let command = ExternalCommand::login(provider, agent, generation).display();
    let signin = match (generation, wanted) {
        (Generation::Json, Some(wanted)) if wanted != agent => format!(
            "runs `{command}` in this terminal. OpenClaw ≤ 2026.5 signs in for the default agent {agent} only: the re-read shows whether {wanted} can use that login (if not, import or paste one for {wanted})"
        ),
        (Generation::Json, _) => format!(
            "runs `{command}` in this terminal (OpenClaw ≤ 2026.5 signs in for the default agent {agent}); the UI comes back and re-reads"
        ),
        (Generation::Sqlite, _) => {
            format!("runs `{command}` in this terminal; the UI comes back afterwards and re-reads")
        }
    };
    let items = vec![
        Item::new("Sign in with OpenClaw", signin),
        Item::new(
            "Import the Codex CLI login",
            "$CODEX_HOME/auth.json (default ~/.codex/auth.json)",
        ),
        Item::new("Import the Claude CLI login", "~/.claude/.credentials.json"),
        Item::new(
            "Paste an OAuth JSON",
            "{access, refresh, expires, …} (masked while you paste)",
        ),
    ];
    Choice::new(items, 0)
}

fn key_form(cred_type: CredType, provider: &str, theme: &Theme) -> Form {
    let (label, help) = match cred_type {
        CredType::ApiKey => (
            "API key",
            "Type or paste it; Ctrl-R shows it. A pasted newline is dropped.",
        ),
        _ => (
            "Token",
            "Type or paste it; Ctrl-R shows it. A pasted newline is dropped.",
        ),
    };
    let mut fields = vec![
        Field::new(FieldKind::Secret, label, help).with_placeholder("paste or type it"),
        profile_field(provider),
    ];
    if cred_type == CredType::Token {
        let expires = Field::new(
            FieldKind::Text,
            "Expires",
            "Optional: 30d, 12h, or a date (2026-12-31)",
        );
        fields.push(expires.with_placeholder("never"));
    }
    fields.push(email_field());
    Form::new(fields, theme)
}

fn json_form(provider: &str, theme: &Theme) -> Form {
    let json = Field::new(
        FieldKind::SecretLines,
        "OAuth JSON",
        "Paste {access, refresh, expires, …}; Ctrl-R shows it.",
    )
    .with_placeholder("paste the JSON");
    Form::new(vec![json, profile_field(provider), email_field()], theme)
}

fn profile_field(provider: &str) -> Field {
    let help =
        format!("Optional: empty means {provider}:default, or the id openclaw.json declares");
    Field::new(FieldKind::Text, "Profile id", help).with_placeholder("automatic")
}

fn email_field() -> Field {
    Field::new(
        FieldKind::Text,
        "Email",
        "Optional: the account, for your own reference",
    )
    .with_placeholder("none")
}

/// Agents (and the shared store) to write. Pre-ticked: agents whose cron jobs need
/// the provider and cannot use it; else the agent of the selected cell.
fn target_list(app: &App, provider: &str, agent: Option<&str>) -> (Checklist, Vec<String>) {
    let agents = &app.report.agents;
    let needs = |id: &str| {
        app.cell_of(provider, id)
            .is_some_and(|c| !c.usable && !c.cron.is_empty())
    };
    let any_need = agents.iter().any(|a| needs(&a.id));
    let mut items: Vec<Item> = Vec::new();
    let mut checked = Vec::new();
    for a in agents {
        let detail = app
            .cell_of(provider, &a.id)
            .map(target_detail)
            .unwrap_or_default();
        items.push(Item::new(a.id.clone(), detail));
        checked.push(match any_need {
            true => needs(&a.id),
            false => Some(a.id.as_str()) == agent,
        });
    }
    let shared = format!("agents without a {provider} profile of their own inherit it");
    items.push(Item::new(SHARED_LABEL, shared));
    checked.push(false);
    let mut list = Checklist::new(items, checked);
    list.exclusive = Some(agents.len());
    list.selected = list.checked.iter().position(|c| *c).unwrap_or(0);
    let ids = agents.iter().map(|a| a.id.clone()).collect();
    (list, ids)
}

fn target_detail(c: &crate::domain::report::CellOut) -> String {
    let mut text = cell_text(c);
    if let Some(p) = &c.profile {
        text.push_str(&format!(" ({p})"));
    }
    if !c.usable && !c.cron.is_empty() {
        text.push_str(&format!(" · cron {} fails without it", c.cron.join(", ")));
    }
    text
}
