//! The parts of the add/replace flow that hold no flow state: the lists and forms
//! it shows, the checks of what was typed, the recommendation and the targets.

use super::ctx::Ctx;
use super::steps::{Checklist, Choice, Form, Item};
use crate::domain::ops::secret::{Secret, check_secret, is_sign_in_provider, recommended_type};
use crate::domain::read::profile::CredType;
use crate::domain::read::providers::env_vars_for;
use crate::domain::read::version::Generation;
use crate::service::input_error::InputError;
use crate::service::inputs::oauth_from_json;
use crate::tui::field::{Field, FieldKind};
use crate::tui::msg::{Expiry, ExternalCommand};
use crate::tui::text::cells::cell_text;
use crate::tui::theme::Theme;

/// The three credential types, each with its one-line explanation.
pub(crate) const TYPES: [(CredType, &str); 3] = [
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

pub(crate) const SHARED_LABEL: &str = "shared store (every agent inherits)";

/// A provider with no known environment variable and no OpenClaw sign-in: a custom
/// (OpenAI-compatible) one.
pub(crate) fn is_custom(provider: &str) -> bool {
    !is_sign_in_provider(provider)
        && env_vars_for(provider, Generation::Json).is_empty()
        && env_vars_for(provider, Generation::Sqlite).is_empty()
}

/// Profile id, expiry and email; `None` when one is wrong (the field says why).
pub(super) fn read_details(
    form: &mut Form,
) -> Option<(Option<String>, Option<Expiry>, Option<String>)> {
    let text = |form: &mut Form, label: &str| form.field(label).map(|f| f.text());
    let id = text(form, "Profile id").unwrap_or_default();
    if id.contains(char::is_whitespace) {
        let why = "a profile id has no spaces (e.g. my-proxy:work)".to_string();
        form.field("Profile id").map(|f| fail(f, why));
        return None;
    }
    let expiry = match Expiry::parse(&text(form, "Expires").unwrap_or_default()) {
        Ok(e) => e,
        Err(why) => {
            form.field("Expires").map(|f| fail(f, why.to_string()));
            return None;
        }
    };
    let email = text(form, "Email").unwrap_or_default();
    let some = |s: String| (!s.is_empty()).then_some(s);
    Some((some(id), expiry, some(email)))
}

pub(super) fn fail(field: &mut Field, message: String) -> bool {
    field.error = Some(message);
    false
}

/// The secret in the field, checked (None: the field is empty).
pub(super) fn checked_secret(
    field: &Field,
    oauth: bool,
    what: &str,
    generation: Generation,
) -> Result<Option<Secret>, InputError> {
    if field.is_empty() {
        return Ok(None);
    }
    let raw = field.peek_secret();
    match oauth {
        true => oauth_from_json(raw.expose()).map(|_| Some(raw)),
        false => Ok(Some(check_secret(raw.expose(), what, generation)?)),
    }
}

pub(super) fn provider_item(p: &crate::domain::status::report::ProviderOut) -> Item {
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
pub(super) fn recommend(app: &Ctx, provider: &str) -> (CredType, String) {
    let used = app.report.cells.iter().find_map(|c| {
        let t = c.cred_type?;
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

pub(super) fn type_choice(recommended: CredType) -> Choice {
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
pub(super) fn oauth_choice(
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

pub(super) fn key_form(cred_type: CredType, provider: &str, theme: &Theme) -> Form {
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

pub(super) fn json_form(provider: &str, theme: &Theme) -> Form {
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
pub(super) fn target_list(
    app: &Ctx,
    provider: &str,
    agent: Option<&str>,
) -> (Checklist, Vec<String>) {
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

fn target_detail(c: &crate::domain::status::resolve::Cell) -> String {
    let mut text = cell_text(c);
    if let Some(p) = &c.profile {
        text.push_str(&format!(" ({p})"));
    }
    if !c.usable && !c.cron.is_empty() {
        text.push_str(&format!(" · cron {} fails without it", c.cron.join(", ")));
    }
    text
}
