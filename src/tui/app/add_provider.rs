//! The add flow's provider step: providers known to the state, a custom provider
//! declared on the way (id, base URL, API kind, model ids), another id typed in,
//! and OpenClaw's built-in providers for the detected version.

use super::add_parts::{fail, provider_item};
use super::ctx::Ctx;
use super::steps::{Choice, Form, Item};
use crate::domain::ops::declare::{CustomProvider, api_kinds, check_custom};
use crate::domain::ops::error::CustomError;
use crate::domain::read::profile::CredType;
use crate::domain::read::version::Generation;
use crate::domain::text::{IdField, check_cli_id, terminal_safe};
use crate::tui::field::{Field, FieldKind};
use crate::tui::theme::Theme;

/// What an entry of the provider step stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProviderPick {
    /// A provider of this state, or a built-in: used as it is.
    Id(String),
    /// Declare a custom provider first.
    Custom,
    /// Type a provider id.
    Other,
}

pub(crate) const CUSTOM_LABEL: &str = "A custom provider…";
pub(crate) const OTHER_LABEL: &str = "Another provider id…";

/// The entries of the provider step and what each stands for.
pub(super) fn provider_choice(ctx: &Ctx, selected: Option<usize>) -> (Choice, Vec<ProviderPick>) {
    let known = &ctx.report.providers;
    let mut items: Vec<Item> = known.iter().map(provider_item).collect();
    let mut picks: Vec<ProviderPick> = known
        .iter()
        .map(|p| ProviderPick::Id(p.id.clone()))
        .collect();
    items.push(Item::new(
        CUSTOM_LABEL,
        "declare one in openclaw.json: id, base URL, API kind, model ids",
    ));
    picks.push(ProviderPick::Custom);
    items.push(Item::new(
        OTHER_LABEL,
        "type the id of a provider OpenClaw knows from a plugin",
    ));
    picks.push(ProviderPick::Other);
    let catalog = &ctx.report.builtins;
    for b in catalog
        .providers
        .iter()
        .filter(|b| !known.iter().any(|p| p.id == b.id))
    {
        items.push(Item::new(b.id.clone(), builtin_detail(&b.env, &b.auth)));
        picks.push(ProviderPick::Id(b.id.clone()));
    }
    (Choice::new(items, selected.unwrap_or(0)), picks)
}

fn builtin_detail(env: &[String], auth: &[CredType]) -> String {
    let types: Vec<&str> = auth.iter().map(|t| t.as_str()).collect();
    let mut text = format!("built-in · {}", types.join(", "));
    if let Some(first) = env.first() {
        text.push_str(&format!(" · env {}", terminal_safe(first)));
    }
    text
}

/// The form for a provider id typed in.
pub(super) fn other_form(theme: &Theme) -> Form {
    let id = Field::new(
        FieldKind::Text,
        "Provider id",
        "The id OpenClaw uses, e.g. a plugin's provider",
    );
    Form::new(vec![id.with_placeholder("e.g. my-plugin")], theme)
}

/// The form declaring a custom provider (the API kind is the next step).
pub(super) fn custom_form(theme: &Theme) -> Form {
    let fields = vec![
        Field::new(FieldKind::Text, "Provider id", "Lower-case, no spaces")
            .with_placeholder("e.g. my-proxy"),
        Field::new(
            FieldKind::Text,
            "Base URL",
            "Where it answers, with http:// or https://",
        )
        .with_placeholder("e.g. https://llm.example.com/v1"),
        Field::new(
            FieldKind::Text,
            "Model ids",
            "One or more, separated by spaces or commas",
        )
        .with_placeholder("e.g. gpt-4o-mini"),
    ];
    Form::new(fields, theme)
}

/// The API kinds this OpenClaw accepts, openai-completions first (its default).
pub(super) fn api_choice(generation: Generation) -> Choice {
    let items = api_kinds(generation)
        .into_iter()
        .map(|k| Item::new(k, api_detail(k)))
        .collect();
    let mut choice = Choice::new(items, 0);
    choice.recommended = Some(0);
    choice
}

fn api_detail(kind: &str) -> &'static str {
    match kind {
        "openai-completions" => "OpenAI-compatible /chat/completions (most proxies, vLLM, LiteLLM)",
        "openai-responses" => "OpenAI Responses API",
        "anthropic-messages" => "Anthropic-compatible /v1/messages",
        "google-generative-ai" => "Google Gemini API",
        "ollama" => "an Ollama server",
        "azure-openai-responses" => "Azure OpenAI",
        "bedrock-converse-stream" => "Amazon Bedrock",
        _ => "",
    }
}

/// The provider id typed in, checked; `None` when it is wrong (the field says why).
pub(super) fn read_id(form: &mut Form) -> Option<String> {
    let field = form.field("Provider id")?;
    let id = field.text().trim().to_lowercase();
    match check_cli_id(&id, IdField::Provider) {
        Ok(()) => Some(id),
        Err(why) => {
            fail(field, crate::tui::text::errors::id_error(&why));
            None
        }
    }
}

/// The custom provider's id and declaration (with `api` still to choose); `None` when
/// a field is wrong (it says why).
pub(super) fn read_custom(
    form: &mut Form,
    generation: Generation,
) -> Option<(String, CustomProvider)> {
    let id = read_id(form)?;
    let base_url = form
        .field("Base URL")
        .map(|f| f.text().trim().to_string())?;
    let models: Vec<String> = form
        .field("Model ids")
        .map(|f| f.text())?
        .split([',', ' '])
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    let api = api_kinds(generation)
        .first()
        .map_or("openai-completions", |k| k)
        .to_string();
    let custom = CustomProvider {
        base_url,
        api,
        models,
    };
    if let Err(why) = check_custom(&custom, generation) {
        let label = if matches!(why, CustomError::BaseUrl { .. }) {
            "Base URL"
        } else {
            "Model ids"
        };
        form.field(label).map(|f| fail(f, why.to_string()));
        return None;
    }
    Some((id, custom))
}
