//! The verdict for one (agent, provider) cell, following OpenClaw's runtime
//! key resolver (`resolveApiKeyForProvider` 2026.4.5, `resolveApiKeyForProviderCore`
//! 2026.9.6; layout.md §5, §11), not `models status`.

use super::config::get;
use super::discovery::Discovery;
use super::order::{
    Candidates, Ineligible, OAUTH_REFRESH_MARGIN_MS, candidates, cooldown_until,
    profiles_for_provider, token_expiry,
};
use super::profile::{CredType, Expires, Profile};
use super::providers::{
    auth_key, env_vars_for, is_env_marker, is_local_base_url, is_non_secret_marker,
    normalize_provider,
};
use super::secret::{RefResolution, SecretRef, coerce_ref, env_shorthand, resolve_ref};
use super::version::Generation;
use super::view::{AgentView, ViewEntry};
use serde::Serialize;
use serde_json::Value;

pub const WARN_AFTER_MS: f64 = 86_400_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellState {
    Ok,
    Static,
    Expiring,
    Expired,
    Missing,
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Local,
    Inherited,
    Env,
    Config,
    Synthetic,
    None,
}

impl CellState {
    /// The word shown next to a cell's glyph (never colour alone).
    pub fn word(self) -> &'static str {
        match self {
            CellState::Ok => "ok",
            CellState::Static => "static",
            CellState::Expiring => "expiring",
            CellState::Expired => "expired",
            CellState::Missing => "missing",
            CellState::Invalid => "invalid",
        }
    }
}

impl Source {
    /// One-letter mark: L own store, I inherited, E env, C config, S synthetic.
    pub fn mark(self) -> &'static str {
        match self {
            Source::Local => "L",
            Source::Inherited => "I",
            Source::Env => "E",
            Source::Config => "C",
            Source::Synthetic => "S",
            Source::None => "",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub agent: String,
    pub provider: String,
    pub usable: bool,
    pub state: CellState,
    pub source: Source,
    pub profile: Option<String>,
    pub cred_type: Option<CredType>,
    pub reasons: Vec<String>,
    pub cron: Vec<String>,
    /// The file the credential comes from (or would be looked up in).
    pub file: Option<String>,
    /// OpenClaw's `models status` reports something else for this cell.
    pub status_disagrees: bool,
    pub fix: Option<String>,
}

/// Success of one profile attempt.
struct Resolved {
    state: CellState,
    note: Option<String>,
}

pub struct Ctx<'a> {
    pub d: &'a Discovery,
    pub generation: Generation,
    pub now_ms: f64,
}

impl<'a> Ctx<'a> {
    pub fn new(d: &'a Discovery) -> Ctx<'a> {
        Ctx {
            d,
            generation: d.generation,
            now_ms: d.now_ms,
        }
    }

    fn config(&self) -> &'a Value {
        &self.d.config.value
    }

    /// `models.providers.<p>` of openclaw.json, matched by normalised id.
    pub fn provider_config(&self, provider: &str) -> Option<&'a Value> {
        let map = get(self.config(), &["models", "providers"])?.as_object()?;
        map.get(provider).or_else(|| {
            map.iter()
                .find(|(k, _)| {
                    normalize_provider(k, self.generation)
                        == normalize_provider(provider, self.generation)
                })
                .map(|(_, v)| v)
        })
    }
}

pub fn resolve_cell(ctx: &Ctx, agent_id: &str, view: &AgentView, provider: &str) -> Cell {
    let pkey = auth_key(provider, ctx.generation);
    let mut cell = Cell {
        agent: agent_id.to_string(),
        provider: provider.to_string(),
        usable: false,
        state: CellState::Missing,
        source: Source::None,
        profile: None,
        cred_type: None,
        reasons: Vec::new(),
        cron: Vec::new(),
        file: None,
        status_disagrees: false,
        fix: None,
    };
    if let Some(block) = view
        .migration_block
        .as_ref()
        .filter(|b| ctx.generation == Generation::Sqlite && b.blocks(&pkey))
    {
        cell.state = CellState::Invalid;
        cell.reasons.push(block.message());
        cell.file = block.sources.first().map(|p| p.display().to_string());
        cell.fix = Some("Run `openclaw doctor --fix` to import the JSON file into SQLite (it only adds new profile ids), or remove the stray file.".into());
        return cell;
    }
    let pcfg = ctx.provider_config(provider);
    let auth_override = pcfg.and_then(|p| p.get("auth")).and_then(Value::as_str);
    if auth_override == Some("aws-sdk") {
        return aws(
            cell,
            "models.providers auth is \"aws-sdk\": OpenClaw uses the AWS SDK credential chain",
        );
    }
    if ctx.generation == Generation::Json
        && auth_override == Some("api-key")
        && let Some(found) = config_key(ctx, pcfg)
    {
        return apply_direct(
            cell,
            found,
            "openclaw.json models.providers auth is \"api-key\", so its apiKey wins over auth profiles",
        );
    }
    if ctx.generation == Generation::Sqlite
        && let Some(c) = provider_entry_profile(ctx, view, &pkey, pcfg, &mut cell)
    {
        return c;
    }
    let cands = candidates(view, ctx.config(), &pkey, ctx.generation, ctx.now_ms);
    explain_candidates(&cands, &mut cell);
    for id in &cands.ids {
        let entry = &view.entries[id];
        match try_profile(ctx, entry, view) {
            Ok(resolved) => return finish_profile(cell, entry, resolved, view, ctx.now_ms),
            Err(why) => cell.reasons.push(format!("tried {id}: {why}")),
        }
    }
    if let Some((var, _)) = env_key(ctx, provider) {
        return apply_direct(
            cell,
            Direct {
                source: Source::Env,
                label: format!("environment variable {var}"),
            },
            "",
        );
    }
    if let Some(found) = config_key(ctx, pcfg) {
        return apply_direct(cell, found, "");
    }
    if synthetic_local(ctx, pcfg, auth_override) {
        return apply_direct(
            cell,
            Direct {
                source: Source::Synthetic,
                label: "synthetic `custom-local` key (keyless provider on a localhost baseUrl)"
                    .into(),
            },
            "",
        );
    }
    if ctx.generation == Generation::Json && pkey == "amazon-bedrock" && auth_override.is_none() {
        return aws(
            cell,
            "amazon-bedrock falls back to the AWS SDK credential chain",
        );
    }
    finish_missing(ctx, cell, view, &pkey, &cands)
}

fn aws(mut cell: Cell, why: &str) -> Cell {
    cell.usable = true;
    cell.state = CellState::Static;
    cell.source = Source::Env;
    cell.reasons.push(why.to_string());
    cell
}

struct Direct {
    source: Source,
    label: String,
}

fn apply_direct(mut cell: Cell, found: Direct, why: &str) -> Cell {
    cell.usable = true;
    cell.state = CellState::Static;
    cell.source = found.source;
    if !why.is_empty() {
        cell.reasons.push(why.to_string());
    }
    cell.reasons.push(format!("uses {}", found.label));
    cell
}

fn explain_candidates(c: &Candidates, cell: &mut Cell) {
    use super::order::OrderSource::*;
    let explicit = match c.source {
        StoreOrder => Some("the store's `order`"),
        ConfigOrder => Some("openclaw.json `auth.order`"),
        ConfigProfiles => Some("the ids declared in openclaw.json `auth.profiles`"),
        AllProfiles => None,
    };
    for (id, why) in &c.rejected {
        cell.reasons.push(why.explain(id));
    }
    if let Some(list) = explicit {
        for id in &c.excluded {
            cell.reasons.push(format!(
                "ignored {id}: not listed in {list} (excluded_by_auth_order)"
            ));
        }
    }
}

/// Env var for a built-in provider, first set one wins.
fn env_key(ctx: &Ctx, provider: &str) -> Option<(&'static str, String)> {
    let id = normalize_provider(provider, ctx.generation);
    env_vars_for(&id, ctx.generation)
        .iter()
        .find_map(|v| ctx.d.env.get(v).map(|val| (*v, val.to_string())))
}

/// `models.providers.<p>.apiKey` of openclaw.json (not models.json).
fn config_key(ctx: &Ctx, pcfg: Option<&Value>) -> Option<Direct> {
    let raw = pcfg?.get("apiKey")?;
    if raw.is_object() {
        let r = coerce_ref(Some(raw), ctx.generation)?;
        return match resolve_ref(&r, &ctx.d.env) {
            RefResolution::Unresolved(_) => None,
            _ => Some(Direct {
                source: Source::Config,
                label: format!("openclaw.json apiKey reference {}", r.describe()),
            }),
        };
    }
    let key = super::secret::normalize_secret_input(raw.as_str()?, ctx.generation);
    if key.is_empty() {
        return None;
    }
    if !is_non_secret_marker(&key, ctx.generation) {
        return Some(Direct {
            source: Source::Config,
            label: "openclaw.json models.providers apiKey".into(),
        });
    }
    if is_env_marker(&key, ctx.generation) && ctx.d.env.get(&key).is_some() {
        return Some(Direct {
            source: Source::Env,
            label: format!("environment variable {key} (named by openclaw.json apiKey)"),
        });
    }
    None
}

fn synthetic_local(ctx: &Ctx, pcfg: Option<&Value>, auth_override: Option<&str>) -> bool {
    let Some(p) = pcfg else { return false };
    let text = |k: &str| {
        p.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let has_models = p
        .get("models")
        .and_then(Value::as_array)
        .is_some_and(|m| !m.is_empty());
    let explicit_key = p.get("apiKey").is_some_and(|k| {
        k.as_str().is_some_and(|s| !s.trim().is_empty())
            || coerce_ref(Some(k), ctx.generation).is_some()
    });
    auth_override.is_none_or(|a| a == "api-key")
        && text("baseUrl").is_some()
        && text("api").is_some()
        && has_models
        && !explicit_key
        && text("baseUrl").is_some_and(is_local_base_url)
}

/// 2026.9: `models.providers.<p>.apiKey` naming a stored profile id binds that profile.
fn provider_entry_profile(
    ctx: &Ctx,
    view: &AgentView,
    pkey: &str,
    pcfg: Option<&Value>,
    cell: &mut Cell,
) -> Option<Cell> {
    let id = pcfg?.get("apiKey")?.as_str()?.trim();
    let entry = view.entries.get(id)?;
    if entry.pkey != pkey {
        return None;
    }
    cell.reasons.push(format!(
        "openclaw.json models.providers apiKey names profile {id}, which OpenClaw uses first"
    ));
    match try_profile(ctx, entry, view) {
        Ok(resolved) => Some(finish_profile(
            cell.clone(),
            entry,
            resolved,
            view,
            ctx.now_ms,
        )),
        Err(why) => {
            let mut failed = cell.clone();
            failed.state = CellState::Invalid;
            failed.profile = Some(id.to_string());
            failed.reasons.push(format!(
                "Per-entry apiKey \"{id}\" matched a stored profile but failed to resolve: {why}"
            ));
            Some(failed)
        }
    }
}

fn ref_outcome(r: &SecretRef, ctx: &Ctx) -> Result<Option<String>, String> {
    match resolve_ref(r, &ctx.d.env) {
        RefResolution::Resolved => Ok(None),
        RefResolution::NotChecked(note) => Ok(Some(note)),
        RefResolution::Unresolved(why) => Err(format!(
            "reference {} does not resolve: {why}",
            r.describe()
        )),
    }
}

/// A literal or `${VAR}` inline value, else the ref (2026.4: inline wins; 2026.9: ref wins).
fn secret_outcome(
    ctx: &Ctx,
    inline: Option<&str>,
    reference: Option<&SecretRef>,
) -> Result<Option<String>, String> {
    let inline = inline.map(str::trim).filter(|s| !s.is_empty());
    match (inline, ctx.generation) {
        (Some(v), Generation::Json) => match env_shorthand(v, ctx.generation) {
            Some(var) if ctx.d.env.get(&var).is_none() => Ok(Some(format!(
                "${{{var}}} is not set, so OpenClaw 2026.4 sends the literal text \"${{{var}}}\" as the key"
            ))),
            _ => Ok(None),
        },
        (Some(v), Generation::Sqlite) => match env_shorthand(v, ctx.generation) {
            Some(var) => ref_outcome(
                &SecretRef {
                    source: "env".into(),
                    provider: "default".into(),
                    id: var,
                },
                ctx,
            ),
            None => Ok(None),
        },
        (None, _) => match reference {
            Some(r) => ref_outcome(r, ctx),
            None => Err("no secret value".into()),
        },
    }
}

fn try_profile(ctx: &Ctx, entry: &ViewEntry, view: &AgentView) -> Result<Resolved, String> {
    let p = entry.profile;
    let oauth_refs = p.oauth_ref_fields(ctx.generation);
    let cfg_mode = super::order::config_profile(ctx.config(), &p.id)
        .and_then(|c| c.get("mode"))
        .and_then(Value::as_str);
    if !oauth_refs.is_empty()
        || (cfg_mode == Some("oauth") && (p.key_ref.is_some() || p.token_ref.is_some()))
    {
        return Err(format!(
            "auth profile {} policy validation failed: OAuth + SecretRef is not supported",
            p.id
        ));
    }
    let note = match p.cred_type {
        CredType::ApiKey => secret_outcome(ctx, p.key.as_deref(), p.key_ref.as_ref())?,
        CredType::Token => {
            token_expiry(&p.expires, ctx.now_ms).map_err(|e| e.reason(&p.id))?;
            secret_outcome(ctx, p.token.as_deref(), p.token_ref.as_ref())?
        }
        CredType::Oauth => return oauth_outcome(ctx, p),
    };
    let _ = view;
    Ok(Resolved {
        state: static_state(p, ctx.now_ms),
        note,
    })
}

fn static_state(p: &Profile, now_ms: f64) -> CellState {
    match (p.cred_type, &p.expires) {
        (CredType::Token, Expires::Millis(ms)) if ms - now_ms <= WARN_AFTER_MS => {
            CellState::Expiring
        }
        (CredType::Token, Expires::Millis(_)) => CellState::Ok,
        _ => CellState::Static,
    }
}

fn oauth_outcome(ctx: &Ctx, p: &Profile) -> Result<Resolved, String> {
    let margin = if ctx.generation == Generation::Sqlite {
        OAUTH_REFRESH_MARGIN_MS
    } else {
        0.0
    };
    let has_access = p.access.as_deref().is_some_and(|s| !s.trim().is_empty());
    if let Expires::Millis(ms) = p.expires
        && has_access
        && ms - margin > ctx.now_ms
    {
        let expiring = ms - ctx.now_ms <= WARN_AFTER_MS.max(OAUTH_REFRESH_MARGIN_MS);
        return Ok(Resolved {
            state: if expiring {
                CellState::Expiring
            } else {
                CellState::Ok
            },
            note: None,
        });
    }
    if p.refresh.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        let note = "the access token has expired; OpenClaw refreshes it on next use with the refresh token (needs network; a failed refresh means signing in again)";
        return Ok(Resolved {
            state: CellState::Expired,
            note: Some(note.into()),
        });
    }
    Err(format!(
        "{} is an expired OAuth login without a refresh token: sign in again",
        p.id
    ))
}

fn finish_profile(
    mut cell: Cell,
    entry: &ViewEntry,
    resolved: Resolved,
    view: &AgentView,
    now_ms: f64,
) -> Cell {
    let p = entry.profile;
    cell.usable = true;
    cell.state = resolved.state;
    cell.source = if entry.local {
        Source::Local
    } else {
        Source::Inherited
    };
    cell.profile = Some(p.id.clone());
    cell.cred_type = Some(p.cred_type);
    cell.file = Some(entry.file.display().to_string());
    let whose = if entry.local {
        "this agent's store"
    } else {
        "the shared main store (inherited)"
    };
    cell.reasons.push(format!(
        "uses {} ({}) from {whose}: {}",
        p.id,
        p.cred_type.as_str(),
        entry.file.display()
    ));
    if let Some(note) = resolved.note {
        cell.reasons.push(note);
    }
    if let Some(until) = cooldown_until(view, &p.id, now_ms) {
        cell.reasons.push(format!("{} is cooling down for another {} after failures; OpenClaw still tries it when nothing else is available", p.id, human_duration(until - now_ms)));
    }
    if view.copy_on_first_load && !entry.local {
        cell.reasons.push(format!("OpenClaw 2026.4 copies main's store into {} on this agent's first run; later changes to main will not reach this agent", view.store_path.display()));
    }
    cell
}

fn finish_missing(
    ctx: &Ctx,
    mut cell: Cell,
    view: &AgentView,
    pkey: &str,
    cands: &Candidates,
) -> Cell {
    let dropped: Vec<_> = view
        .dropped
        .iter()
        .filter(|(d, _)| {
            d.raw
                .get("provider")
                .and_then(Value::as_str)
                .is_some_and(|p| auth_key(p, ctx.generation) == pkey)
        })
        .collect();
    for (d, file) in &dropped {
        cell.reasons.push(format!(
            "{} in {} is dropped by OpenClaw's loader ({}), so it never counts",
            d.id,
            file.display(),
            d.reason.as_str()
        ));
    }
    let real: Vec<&Ineligible> = cands
        .rejected
        .iter()
        .map(|(_, why)| why)
        .filter(|why| **why != Ineligible::ProfileMissing)
        .collect();
    let listed = profiles_for_provider(view, pkey);
    cell.state = if !real.is_empty() && real.iter().all(|why| **why == Ineligible::Expired) {
        CellState::Expired
    } else if real.is_empty()
        && dropped.is_empty()
        && (listed.is_empty()
            || cands.ids.is_empty() && cell.reasons.iter().all(|r| !r.starts_with("tried")))
    {
        CellState::Missing
    } else {
        CellState::Invalid
    };
    cell.file = Some(view.store_display.clone());
    cell.reasons.push(format!(
        "No API key found for provider \"{}\".{}",
        cell.provider, view.missing_tail
    ));
    cell
}

pub fn human_duration(ms: f64) -> String {
    let secs = (ms / 1000.0).max(0.0) as u64;
    match secs {
        s if s >= 86_400 => format!("{}d", s / 86_400),
        s if s >= 3600 => format!("{}h", s / 3600),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
