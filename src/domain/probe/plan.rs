//! From the status model to the requests to send: for each selected cell, the
//! credential OpenClaw would actually use (the same resolution as `status`), the
//! endpoint it would call, and one request per distinct (endpoint, secret) pair.

use super::endpoint::{Endpoint, endpoint};
use super::error::SkipReason;
use super::request::{NoCheck, ProbeRequest, build, host_of};
use super::{Secret, Status};
use crate::domain::read::discovery::{Discovery, agent_models, provider_of_model};
use crate::domain::read::profile::{CredType, Profile};
use crate::domain::read::providers::{is_env_marker, is_non_secret_marker, normalize_provider};
use crate::domain::read::version::Generation;
use crate::domain::secret::{SecretRef, coerce_ref, env_shorthand, normalize_secret_input};
use crate::domain::status::report::{Filter, StatusModel};
use crate::domain::status::resolve::{Cell, Source};
use crate::domain::status::view::AgentView;
use serde_json::Value;
use std::collections::HashMap;

/// One selected cell and what will be done for it.
#[derive(Debug, Clone)]
pub(crate) struct PlannedCell {
    pub(crate) agent: String,
    pub(crate) provider: String,
    pub(crate) profile: Option<String>,
    pub(crate) source: Source,
    /// Index into `Plan::requests`, or why nothing is sent (a `skipped` result).
    pub(crate) check: Result<usize, SkipReason>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub(crate) cells: Vec<PlannedCell>,
    /// Distinct requests, each sent once.
    pub(crate) requests: Vec<ProbeRequest>,
}

/// Options that change what is sent.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PlanOptions {
    /// A 1-token completion instead of the free check.
    pub(crate) completion: bool,
}

fn literal_or_env(d: &Discovery, raw: &str) -> Result<Secret, SkipReason> {
    let v = normalize_secret_input(raw, d.generation);
    match env_shorthand(&v, d.generation) {
        Some(var) => match d.env.get(&var) {
            Some(val) => Ok(Secret::new(normalize_secret_input(val, d.generation))),
            // 2026.4 sends the literal text; 2026.9 treats it as an unresolved env ref.
            None if d.generation == Generation::Json => Ok(Secret::new(v)),
            None => Err(SkipReason::EnvNotSet { var }),
        },
        None if v.is_empty() => Err(SkipReason::NoValue),
        None => Ok(Secret::new(v)),
    }
}

fn by_ref(d: &Discovery, r: &SecretRef) -> Result<Secret, SkipReason> {
    match r.source.as_str() {
        "env" => d
            .env
            .get(&r.id)
            .map(|v| Secret::new(normalize_secret_input(v, d.generation)))
            .ok_or_else(|| SkipReason::EnvNotSet { var: r.id.clone() }),
        other => Err(SkipReason::ExternalRef {
            kind: other.to_string(),
            id: r.id.clone(),
            provider: r.provider.clone(),
        }),
    }
}

fn profile_secret(d: &Discovery, p: &Profile) -> Result<Secret, SkipReason> {
    let (inline, reference) = match p.cred_type {
        CredType::ApiKey => (p.key.as_deref(), p.key_ref.as_ref()),
        CredType::Token => (p.token.as_deref(), p.token_ref.as_ref()),
        CredType::Oauth => (p.access.as_deref(), None),
    };
    let inline = inline.filter(|s| !s.trim().is_empty());
    match (inline, reference, d.generation) {
        // 2026.9: a ref wins over an inline value (resolve.rs `secret_outcome`).
        (_, Some(r), Generation::Sqlite) | (None, Some(r), _) => by_ref(d, r),
        (Some(v), _, _) => literal_or_env(d, v),
        (None, None, _) => Err(SkipReason::NoSecret),
    }
}

fn provider_config<'a>(d: &'a Discovery, provider: &str) -> Option<&'a Value> {
    let map = d
        .config
        .value
        .get("models")?
        .get("providers")?
        .as_object()?;
    let want = normalize_provider(provider, d.generation);
    map.iter()
        .find(|(k, _)| normalize_provider(k, d.generation) == want)
        .map(|(_, v)| v)
}

fn config_secret(d: &Discovery, provider: &str) -> Result<Secret, SkipReason> {
    let raw = provider_config(d, provider)
        .and_then(|p| p.get("apiKey"))
        .ok_or(SkipReason::NoApiKey)?;
    if raw.is_object() {
        let r = coerce_ref(Some(raw), d.generation).ok_or(SkipReason::BadApiKeyRef)?;
        return by_ref(d, &r);
    }
    let key = normalize_secret_input(raw.as_str().unwrap_or(""), d.generation);
    if is_env_marker(&key, d.generation) {
        return d
            .env
            .get(&key)
            .map(|v| Secret::new(normalize_secret_input(v, d.generation)))
            .ok_or_else(|| SkipReason::EnvNotSet { var: key.clone() });
    }
    if is_non_secret_marker(&key, d.generation) || key.is_empty() {
        return Err(SkipReason::Marker { key });
    }
    literal_or_env(d, &key)
}

fn env_secret(d: &Discovery, provider: &str) -> Result<Secret, SkipReason> {
    let id = normalize_provider(provider, d.generation);
    d.provider_env
        .vars(&id)
        .iter()
        .find_map(|v| d.env.get(v))
        .map(|v| Ok(Secret::new(normalize_secret_input(v, d.generation))))
        .unwrap_or_else(|| config_secret(d, provider))
}

fn uses_aws(d: &Discovery, provider: &str) -> bool {
    let auth = provider_config(d, provider)
        .and_then(|p| p.get("auth"))
        .and_then(Value::as_str);
    auth == Some("aws-sdk")
        || (auth.is_none() && normalize_provider(provider, d.generation) == "amazon-bedrock")
}

/// The secret OpenClaw would send for this cell.
pub(crate) fn cell_secret(
    d: &Discovery,
    view: &AgentView,
    cell: &Cell,
) -> Result<Secret, SkipReason> {
    if !cell.usable {
        return Err(SkipReason::NoCredential);
    }
    if uses_aws(d, &cell.provider) {
        return Err(SkipReason::AwsChain);
    }
    match cell.source {
        Source::Local | Source::Inherited => {
            let id = cell.profile.as_deref().unwrap_or("");
            let entry = view.entries.get(id).ok_or(SkipReason::NotInView)?;
            profile_secret(d, entry.profile)
        }
        Source::Env => env_secret(d, &cell.provider),
        Source::Config => config_secret(d, &cell.provider),
        Source::Synthetic => Ok(Secret::new("custom-local")),
        Source::None => Err(SkipReason::NoCredential),
    }
}

/// The model a completion check asks for: the agent's own model for the provider,
/// else the first model the provider entry lists.
fn completion_model(d: &Discovery, ai: usize, provider: &str) -> Option<String> {
    let want = normalize_provider(provider, d.generation);
    let from_agent = agent_models(d, &d.agents[ai]).into_iter().find_map(|m| {
        let p = provider_of_model(&m)?;
        let model = m.split_once('/')?.1.trim();
        (normalize_provider(p, d.generation) == want && !model.is_empty())
            .then(|| model.to_string())
    });
    from_agent.or_else(|| {
        provider_config(d, provider)?
            .get("models")?
            .as_array()?
            .iter()
            .find_map(|m| m.get("id").and_then(Value::as_str).map(str::to_string))
    })
}

/// The request that checks `secret` for `provider` as an agent whose directory is
/// `dir` would send it (its endpoint), or why there is none. `model`: for a completion.
pub(crate) fn request_at(
    d: &Discovery,
    dir: &std::path::Path,
    provider: &str,
    secret: &Secret,
    completion: Option<Option<&str>>,
) -> Result<ProbeRequest, SkipReason> {
    let ep: Endpoint = endpoint(d, dir, provider).ok_or(SkipReason::NoEndpoint)?;
    let model = completion.flatten();
    build(provider, &ep, secret, completion.is_some(), model).map_err(|e| match e {
        NoCheck::NoFreeCheck(api) => SkipReason::NoFreeCheck {
            api: api.to_string(),
        },
        NoCheck::NoModel => SkipReason::NoModel,
    })
}

fn request_for(
    model: &StatusModel,
    ai: usize,
    cell: &Cell,
    opts: PlanOptions,
) -> Result<ProbeRequest, SkipReason> {
    let d = model.d;
    let secret = cell_secret(d, model.view(ai), cell)?;
    let want_model = opts
        .completion
        .then(|| completion_model(d, ai, &cell.provider))
        .flatten();
    let completion = opts.completion.then_some(want_model.as_deref());
    request_at(d, &d.agents[ai].dir, &cell.provider, &secret, completion)
}

/// Whether a live check has a credential to send for this cell: a usable cell, or
/// one that only `usageStats` (a cooldown or disabled window) takes out of use. The
/// one selection rule of `clawauth probe` and the UI's `t`/`T`.
pub(crate) fn has_credential(cell: &Cell) -> bool {
    cell.usable || !cell.usage_blocks.is_empty()
}

/// The cell as a check sees it: itself, or — when `usageStats` alone takes the
/// provider out of use — the profile the runner goes back to when the window ends,
/// so that a good check can clear the window (a cooldown never hides a bad key).
fn as_checked(view: &AgentView, cell: Cell) -> Cell {
    if cell.usable || !has_credential(&cell) {
        return cell;
    }
    let blocked = cell.usage_blocks.first().and_then(|b| {
        view.entries
            .get(&b.profile)
            .map(|e| (b.profile.clone(), e.local))
    });
    match blocked {
        Some((id, local)) => Cell {
            usable: true,
            profile: Some(id),
            source: if local {
                Source::Local
            } else {
                Source::Inherited
            },
            ..cell
        },
        None => cell,
    }
}

/// Every selected cell and the distinct requests to send.
pub(crate) fn plan(model: &StatusModel, filter: &Filter, opts: PlanOptions) -> Plan {
    let mut out = Plan::default();
    let mut index: HashMap<ProbeRequest, usize> = HashMap::new();
    for (ai, agent) in model.d.agents.iter().enumerate() {
        if !filter.agent(&agent.id) {
            continue;
        }
        for p in model.providers.iter().filter(|p| filter.provider(&p.id)) {
            let cell = as_checked(model.view(ai), model.cell(ai, &p.id));
            let check = request_for(model, ai, &cell, opts).map(|req| {
                let next = out.requests.len();
                *index.entry(req.clone()).or_insert_with(|| {
                    out.requests.push(req);
                    next
                })
            });
            out.cells.push(PlannedCell {
                agent: cell.agent,
                provider: cell.provider,
                profile: cell.profile,
                source: cell.source,
                check,
            });
        }
    }
    out
}

/// Result of one sent request, as the executor measured it.
#[derive(Debug, Clone)]
pub struct Measured {
    pub verdict: super::verdict::Verdict,
    pub latency_ms: u64,
    /// Why the request was not sent, when it was refused before sending.
    pub refused: Option<super::error::SendRefusal>,
}

/// One row of `clawauth probe --json` (fields are only ever added).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultRow {
    pub agent: String,
    pub provider: String,
    pub profile: Option<String>,
    pub source: Source,
    pub status: Status,
    pub http_status: Option<u16>,
    pub latency_ms: Option<u64>,
    /// The host that received the check.
    pub endpoint: Option<String>,
    /// The URL checked (no secret is ever in a URL).
    pub url: Option<String>,
    pub check: Option<super::CheckKind>,
    pub message: Option<String>,
    /// Other cells (`agent/provider`) answered by the same request.
    pub shared_with: Vec<String>,
    /// The cell has a credential, but the check was not sent (plain `http://` to a
    /// host other than loopback, a URL that is not http(s)): nothing proved the key.
    pub refused: bool,
    /// Why nothing was sent for the cell (its `message` is this reason's text, which
    /// a front end may phrase its own way).
    #[serde(skip)]
    pub skipped: Option<SkipReason>,
    /// Why the check was refused before sending (`refused`).
    #[serde(skip)]
    pub refusal: Option<super::error::SendRefusal>,
}

impl ResultRow {
    /// Nothing is sent for the cell: `message` says why.
    fn skip(&mut self, why: SkipReason) {
        self.message = Some(why.to_string());
        self.skipped = Some(why);
    }

    /// The check did not prove the credential: any verdict but `ok`, or a check
    /// refused before sending. `skipped` for a cell without a credential is not a failure.
    pub(crate) fn failed(&self) -> bool {
        self.refused || !matches!(self.status, Status::Ok | Status::Skipped)
    }
}

/// Joins the plan with the measured results (`measured[i]` for `plan.requests[i]`).
pub(crate) fn results(plan: &Plan, measured: &[Measured]) -> Vec<ResultRow> {
    let mut users: HashMap<usize, Vec<String>> = HashMap::new();
    for c in &plan.cells {
        if let Ok(i) = c.check {
            users
                .entry(i)
                .or_default()
                .push(format!("{}/{}", c.agent, c.provider));
        }
    }
    plan.cells
        .iter()
        .map(|c| {
            let mut row = ResultRow {
                agent: c.agent.clone(),
                provider: c.provider.clone(),
                profile: c.profile.clone(),
                source: c.source,
                status: Status::Skipped,
                http_status: None,
                latency_ms: None,
                endpoint: None,
                url: None,
                check: None,
                message: None,
                shared_with: Vec::new(),
                refused: false,
                skipped: None,
                refusal: None,
            };
            let sent = c
                .check
                .as_ref()
                .ok()
                .and_then(|&i| Some((i, plan.requests.get(i)?, measured.get(i)?)));
            match (&c.check, sent) {
                (Err(why), _) => row.skip(why.clone()),
                (Ok(_), None) => row.skip(SkipReason::NotRun),
                (Ok(_), Some((i, req, m))) => {
                    let me = format!("{}/{}", c.agent, c.provider);
                    row.status = m.verdict.status;
                    // A sent request is `skipped` only when the executor refused to send it.
                    row.refused = m.verdict.status == Status::Skipped;
                    row.http_status = m.verdict.http_status;
                    row.latency_ms = Some(m.latency_ms);
                    row.endpoint = host_of(&req.url);
                    row.url = Some(req.url.clone());
                    row.check = Some(req.kind);
                    row.message = m.verdict.message.clone();
                    row.refusal = m.refused.clone();
                    row.shared_with = users
                        .get(&i)
                        .map(|u| u.iter().filter(|u| **u != me).cloned().collect())
                        .unwrap_or_default();
                }
            }
            row
        })
        .collect()
}
