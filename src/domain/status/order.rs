//! Candidate profiles for one provider, in the order OpenClaw tries them
//! (`resolveAuthProfileOrder`, `resolveAuthProfileEligibility`; auth-store.md §5.2).

use crate::domain::read::config::get;
use crate::domain::read::profile::{CredType, Expires, Profile};
use crate::domain::read::providers::{auth_key, retired_profile_reason};
use crate::domain::read::version::Generation;
use crate::domain::secret::looks_like_pasted_command;
use crate::domain::status::view::AgentView;
use crate::domain::status::windows::{ForModel, usage_block, usage_num};
use serde_json::Value;

pub(crate) const OAUTH_REFRESH_MARGIN_MS: f64 = 300_000.0;

/// Why a profile is not a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ineligible {
    ProfileMissing,
    ProviderMismatch,
    ModeMismatch { mode: String, stored: &'static str },
    MissingCredential,
    MalformedApiKey,
    InvalidExpires,
    Expired,
    Retired(&'static str),
}

impl Ineligible {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Ineligible::ProfileMissing => "profile_missing",
            Ineligible::ProviderMismatch => "provider_mismatch",
            Ineligible::ModeMismatch { .. } => "mode_mismatch",
            Ineligible::MissingCredential => "missing_credential",
            Ineligible::MalformedApiKey => "malformed_api_key",
            Ineligible::InvalidExpires => "invalid_expires",
            Ineligible::Expired => "expired",
            Ineligible::Retired(_) => "retired_profile",
        }
    }

    /// Why the profile `id` is not used, as "skipped <id>: <why>".
    pub(crate) fn explain(&self, id: &str) -> String {
        format!("skipped {id}: {}", self.reason(id))
    }

    /// Why the profile `id` is not used.
    pub(crate) fn reason(&self, id: &str) -> String {
        match self {
            Ineligible::ProfileMissing => "listed in an order or in openclaw.json auth.profiles, but no store this agent reads has it".to_string(),
            Ineligible::ProviderMismatch => "belongs to another provider (see openclaw.json auth.profiles and the profile's provider field)".to_string(),
            Ineligible::ModeMismatch { mode, stored } => {
                format!("it is type {stored} but openclaw.json auth.profiles.{id}.mode is \"{mode}\", so OpenClaw skips it (mode_mismatch)")
            }
            Ineligible::MissingCredential => "no secret (the key or token is blank or missing)".to_string(),
            Ineligible::MalformedApiKey => "holds a pasted `openclaw onboard` command instead of a key".to_string(),
            Ineligible::InvalidExpires => "invalid expires (must be epoch milliseconds > 0)".to_string(),
            Ineligible::Expired => "expired".to_string(),
            Ineligible::Retired(why) => why.to_string(),
        }
    }
}

pub(crate) fn token_expiry(expires: &Expires, now_ms: f64) -> Result<Option<f64>, Ineligible> {
    match expires {
        Expires::Absent => Ok(None),
        Expires::Invalid => Err(Ineligible::InvalidExpires),
        Expires::Millis(ms) if *ms <= now_ms => Err(Ineligible::Expired),
        Expires::Millis(ms) => Ok(Some(*ms)),
    }
}

/// `evaluateStoredCredentialEligibility`.
pub(crate) fn credential_eligibility(
    p: &Profile,
    generation: Generation,
    now_ms: f64,
) -> Result<(), Ineligible> {
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    match p.cred_type {
        CredType::ApiKey => {
            if generation == Generation::Sqlite
                && p.key.as_deref().is_some_and(looks_like_pasted_command)
            {
                return Err(Ineligible::MalformedApiKey);
            }
            if has(&p.key) || p.key_ref.is_some() {
                Ok(())
            } else {
                Err(Ineligible::MissingCredential)
            }
        }
        CredType::Token => {
            if !(has(&p.token) || p.token_ref.is_some()) {
                return Err(Ineligible::MissingCredential);
            }
            token_expiry(&p.expires, now_ms).map(|_| ())
        }
        CredType::Oauth => {
            if generation == Generation::Sqlite && p.is_refresh_fence() {
                return Err(Ineligible::Expired);
            }
            if has(&p.access) || has(&p.refresh) {
                Ok(())
            } else {
                Err(Ineligible::MissingCredential)
            }
        }
    }
}

/// The `auth.profiles.<id>` entry of openclaw.json, if any.
pub(crate) fn config_profile<'c>(config: &'c Value, id: &str) -> Option<&'c Value> {
    get(config, &["auth", "profiles", id]).filter(|v| v.is_object())
}

/// `resolveAuthProfileEligibility` for one id.
pub(crate) fn eligibility(
    view: &AgentView,
    config: &Value,
    id: &str,
    pkey: &str,
    generation: Generation,
    now_ms: f64,
) -> Result<(), Ineligible> {
    let entry = view.entries.get(id).ok_or(Ineligible::ProfileMissing)?;
    let p = entry.profile;
    if entry.pkey != pkey {
        return Err(Ineligible::ProviderMismatch);
    }
    if let Some(cfg) = config_profile(config, id) {
        let cfg_provider = cfg.get("provider").and_then(Value::as_str).unwrap_or("");
        if auth_key(cfg_provider, generation) != pkey {
            return Err(Ineligible::ProviderMismatch);
        }
        let mode = cfg.get("mode").and_then(Value::as_str).unwrap_or("");
        if mode != p.cred_type.as_str() && !(mode == "oauth" && p.cred_type == CredType::Token) {
            return Err(Ineligible::ModeMismatch {
                mode: mode.to_string(),
                stored: p.cred_type.as_str(),
            });
        }
    }
    if generation == Generation::Sqlite
        && let Some(why) = retired_profile_reason(id, generation)
    {
        return Err(Ineligible::Retired(why));
    }
    credential_eligibility(p, generation, now_ms)
}

/// Where the base list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderSource {
    StoreOrder,
    ConfigOrder,
    ConfigProfiles,
    AllProfiles,
}

#[derive(Debug, Clone)]
pub(crate) struct Candidates {
    pub(crate) source: OrderSource,
    pub(crate) ids: Vec<String>,
    /// Ids considered and rejected, with why.
    pub(crate) rejected: Vec<(String, Ineligible)>,
    /// Profiles for the provider left out by an explicit list.
    pub(crate) excluded: Vec<String>,
}

fn find_normalized<'v>(
    map: impl Iterator<Item = (&'v String, &'v Vec<String>)>,
    pkey: &str,
    generation: Generation,
) -> Option<Vec<String>> {
    map.into_iter()
        .find(|(k, _)| crate::domain::read::providers::normalize_provider(k, generation) == pkey)
        .map(|(_, v)| v.clone())
}

fn config_order(config: &Value, pkey: &str, generation: Generation) -> Option<Vec<String>> {
    let map = get(config, &["auth", "order"])?.as_object()?;
    map.iter()
        .find(|(k, _)| crate::domain::read::providers::normalize_provider(k, generation) == pkey)
        .and_then(|(_, v)| crate::domain::read::store::id_list(v))
}

pub(crate) fn config_profile_ids(
    config: &Value,
    pkey: &str,
    generation: Generation,
) -> Vec<String> {
    let Some(map) = get(config, &["auth", "profiles"]).and_then(Value::as_object) else {
        return Vec::new();
    };
    map.iter()
        .filter(|(_, v)| {
            auth_key(
                v.get("provider").and_then(Value::as_str).unwrap_or(""),
                generation,
            ) == pkey
        })
        .map(|(k, _)| k.clone())
        .collect()
}

pub(crate) fn profiles_for_provider(view: &AgentView, pkey: &str) -> Vec<String> {
    view.entries
        .iter()
        .filter(|(_, e)| e.pkey == pkey)
        .map(|(id, _)| id.clone())
        .collect()
}

pub(crate) fn candidates(
    view: &AgentView,
    config: &Value,
    pkey: &str,
    generation: Generation,
    now_ms: f64,
) -> Candidates {
    let stored = find_normalized(view.order.iter(), pkey, generation);
    let configured = config_order(config, pkey, generation);
    let declared = config_profile_ids(config, pkey, generation);
    let all = profiles_for_provider(view, pkey);
    let (source, base) = match (&stored, &configured) {
        (Some(s), _) => (OrderSource::StoreOrder, s.clone()),
        (None, Some(c)) => (OrderSource::ConfigOrder, c.clone()),
        _ if !declared.is_empty() => (OrderSource::ConfigProfiles, declared.clone()),
        _ => (OrderSource::AllProfiles, all.clone()),
    };
    let check = |id: &String| eligibility(view, config, id, pkey, generation, now_ms);
    let (mut ids, mut rejected) = split_eligible(&base, check);
    let all_missing = base.iter().all(|id| !view.entries.contains_key(id));
    let may_fall_back = !declared.is_empty()
        || (generation == Generation::Sqlite && source == OrderSource::StoreOrder);
    let mut excluded: Vec<String> = all
        .iter()
        .filter(|id| !base.contains(id))
        .cloned()
        .collect();
    if ids.is_empty() && may_fall_back && all_missing {
        let (fallback, more) = split_eligible(&all, check);
        ids = fallback;
        rejected.extend(more);
        excluded.clear();
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    let explicit = matches!(source, OrderSource::StoreOrder | OrderSource::ConfigOrder);
    sort_candidates(view, &mut ids, explicit, generation, now_ms);
    Candidates {
        source,
        ids,
        rejected,
        excluded,
    }
}

fn split_eligible(
    ids: &[String],
    check: impl Fn(&String) -> Result<(), Ineligible>,
) -> (Vec<String>, Vec<(String, Ineligible)>) {
    let mut ok = Vec::new();
    let mut rejected = Vec::new();
    for id in ids {
        match check(id) {
            Ok(()) => ok.push(id.clone()),
            Err(e) => rejected.push((id.clone(), e)),
        }
    }
    (ok, rejected)
}

/// The order's own cooldown test (no model given: every window counts).
fn cooldown_until(view: &AgentView, id: &str, generation: Generation, now_ms: f64) -> Option<f64> {
    usage_block(view, id, generation, ForModel::Unknown, now_ms).map(|b| b.until)
}

fn oauth_expired(view: &AgentView, id: &str, now_ms: f64) -> bool {
    view.entries.get(id).is_some_and(|e| e.profile.cred_type == CredType::Oauth && matches!(e.profile.expires, Expires::Millis(ms) if ms <= now_ms + OAUTH_REFRESH_MARGIN_MS))
}

fn sort_candidates(
    view: &AgentView,
    ids: &mut Vec<String>,
    explicit: bool,
    generation: Generation,
    now_ms: f64,
) {
    let (mut cooling, mut available): (Vec<String>, Vec<String>) = ids
        .drain(..)
        .partition(|id| cooldown_until(view, id, generation, now_ms).is_some());
    if !explicit {
        let rank = |id: &String| {
            view.entries
                .get(id)
                .map_or(3, |e| e.profile.cred_type.rank())
        };
        let last_used = |id: &String| usage_num(view, id, "lastUsed").unwrap_or(0.0);
        available.sort_by(|a, b| {
            rank(a)
                .cmp(&rank(b))
                .then(last_used(a).total_cmp(&last_used(b)))
        });
        if generation == Generation::Sqlite {
            available.sort_by_key(|id| oauth_expired(view, id, now_ms));
        }
    }
    cooling.sort_by(|a, b| {
        cooldown_until(view, a, generation, now_ms)
            .unwrap_or(0.0)
            .total_cmp(&cooldown_until(view, b, generation, now_ms).unwrap_or(0.0))
    });
    ids.extend(available);
    ids.extend(cooling);
}
