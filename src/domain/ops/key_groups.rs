//! Who holds a provider's static secret, grouped by key (fingerprint and type): what
//! `rotate` replaces by default — the key being rotated — and what only an explicit
//! choice replaces (a different key, the same key stored as the other type).
//!
//! The key being rotated is the one OpenClaw's runtime uses for one agent (the UI's
//! selected agent, the first `--agent`, else the default agent) when that is a stored
//! static credential; otherwise the key held by the most stores (ties: the first listed).
//! A store that already holds the new secret never decides it (a rotation run twice).

pub(crate) use super::key_outcome::{GroupOutcome, HolderOutcome, KeyRole};
use super::secret::Secret;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::profile::{CredType, Profile};
use crate::domain::read::providers::auth_key;
use crate::domain::read::store::{Store, StoreKind};
use crate::domain::secret::fingerprint;
use serde::Serialize;
use std::path::PathBuf;

/// A store holding static credentials for the provider.
pub(crate) struct Holder<'a> {
    pub(crate) store: &'a Store,
    /// Agents whose own store this is (empty for the shared store).
    pub(crate) agents: Vec<String>,
    pub(crate) dir: PathBuf,
    pub(crate) profiles: Vec<&'a Profile>,
}

impl Holder<'_> {
    /// Who the store belongs to, in words ("main", "research", "the shared store").
    pub(crate) fn label(&self) -> String {
        match self.agents.is_empty() {
            true => "the shared store".into(),
            false => self.agents.join(", "),
        }
    }
}

/// Every store (agents' own, then the SQLite shared one) with a static credential for `provider`.
pub(crate) fn holders<'a>(d: &'a Discovery, provider: &str) -> Vec<Holder<'a>> {
    let pkey = auth_key(provider, d.generation);
    let is_static = |p: &&Profile| {
        matches!(p.cred_type, CredType::ApiKey | CredType::Token)
            && auth_key(&p.provider, d.generation) == pkey
    };
    let agents_of = |dir: &PathBuf| {
        d.agents
            .iter()
            .filter(|a| &a.dir == dir)
            .map(|a| a.id.clone())
            .collect()
    };
    let mut out: Vec<Holder> = d
        .dirs
        .iter()
        .map(|(dir, s)| Holder {
            store: &s.primary,
            agents: agents_of(dir),
            dir: dir.clone(),
            profiles: s.primary.profiles.values().filter(is_static).collect(),
        })
        .collect();
    if let Some(shared) = d.shared.as_ref().filter(|s| s.kind == StoreKind::SharedDb) {
        out.push(Holder {
            store: shared,
            agents: Vec::new(),
            dir: d.shared_owner_dir.clone(),
            profiles: shared.profiles.values().filter(is_static).collect(),
        });
    }
    out.retain(|h| !h.profiles.is_empty());
    out
}

/// The literal secret a static profile holds (None: a reference, or nothing).
pub(crate) fn literal(p: &Profile) -> Option<&str> {
    match p.cred_type {
        CredType::ApiKey => p.key.as_deref(),
        _ => p.token.as_deref(),
    }
}

pub(crate) fn is_reference(p: &Profile) -> bool {
    p.key_ref.is_some() || p.token_ref.is_some()
}

/// One profile holding a literal secret of the provider, in one store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Holding {
    /// The store file (JSON) or database (SQLite), as shown.
    pub(crate) store: String,
    /// Whose store it is: agent ids, or "the shared store".
    pub(crate) label: String,
    pub(crate) profile: String,
    #[serde(rename = "type")]
    pub(crate) cred_type: CredType,
    /// The current secret's fingerprint (None: the profile holds no secret).
    pub(crate) fingerprint: Option<String>,
    /// Its group in `KeyGroups::groups`.
    pub(crate) group: usize,
}

impl Holding {
    /// What a choice names: the store, the profile and the key seen when listed.
    pub(crate) fn id(&self) -> HoldingId {
        HoldingId {
            store: self.store.clone(),
            profile: self.profile.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }
}

/// A holding as a front end ticks it; planning refuses if its key changed since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldingId {
    pub(crate) store: String,
    pub profile: String,
    pub(crate) fingerprint: Option<String>,
}

/// The holdings that share one key and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct KeyGroup {
    pub(crate) fingerprint: Option<String>,
    #[serde(rename = "type")]
    pub(crate) cred_type: CredType,
    pub(crate) role: KeyRole,
    /// How many stores hold it.
    pub(crate) stores: usize,
    /// The key in words: "key 44a602 (token)", "a different key 9f3c1b (api_key)".
    pub(crate) key: String,
    /// The group in words: "2 stores hold key 44a602 (token)".
    pub(crate) text: String,
}

/// Every holding of the provider, grouped by key, the key being rotated first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyGroups {
    pub(crate) provider: String,
    pub(crate) groups: Vec<KeyGroup>,
    /// In group order.
    pub(crate) holdings: Vec<Holding>,
    /// Why the key being rotated is that one.
    pub(crate) rotated_because: String,
}

impl KeyGroups {
    /// "2 stores hold key 44a602 (token); 1 store holds a different key 9f3c1b (api_key)".
    pub(crate) fn summary(&self) -> String {
        let texts: Vec<&str> = self.groups.iter().map(|g| g.text.as_str()).collect();
        texts.join("; ")
    }

    pub(crate) fn role_of(&self, h: &Holding) -> KeyRole {
        self.groups[h.group].role
    }
}

/// Groups the provider's holdings; `agent` decides the key being rotated (None: the default agent).
pub(crate) fn key_groups(
    d: &Discovery,
    provider: &str,
    agent: Option<&str>,
    new: &Secret,
) -> KeyGroups {
    let found = holders(d, provider);
    let mut holdings = holdings_of(&found);
    let new_fp = new.fingerprint();
    let agent = agent.unwrap_or_else(|| d.default_agent());
    let (rotated, rotated_because) = rotated_key(d, provider, agent, &holdings, &new_fp);
    let mut keys: Vec<(Option<String>, CredType)> = Vec::new();
    for h in &holdings {
        let k = (h.fingerprint.clone(), h.cred_type);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let count = |k: &(Option<String>, CredType)| stores_of(&holdings, k);
    keys.sort_by_key(|k| (Some(k) != rotated.as_ref(), usize::MAX - count(k)));
    let groups: Vec<KeyGroup> = keys
        .iter()
        .map(|k| group(k, count(k), rotated.as_ref(), &new_fp))
        .collect();
    for h in &mut holdings {
        h.group = keys
            .iter()
            .position(|k| k.0 == h.fingerprint && k.1 == h.cred_type)
            .unwrap_or(0);
    }
    holdings.sort_by_key(|h| h.group);
    KeyGroups {
        provider: provider.to_string(),
        groups,
        holdings,
        rotated_because,
    }
}

fn holdings_of(found: &[Holder]) -> Vec<Holding> {
    let mut out = Vec::new();
    for h in found {
        for p in h.profiles.iter().filter(|p| !is_reference(p)) {
            out.push(Holding {
                store: h.store.path.display().to_string(),
                label: h.label(),
                profile: p.id.clone(),
                cred_type: p.cred_type,
                fingerprint: literal(p).map(fingerprint),
                group: 0,
            });
        }
    }
    out
}

/// How many distinct stores hold key `k`.
fn stores_of(holdings: &[Holding], k: &(Option<String>, CredType)) -> usize {
    let stores: std::collections::BTreeSet<&str> = holdings
        .iter()
        .filter(|h| h.fingerprint == k.0 && h.cred_type == k.1)
        .map(|h| h.store.as_str())
        .collect();
    stores.len()
}

/// The key being rotated and why: the agent's runtime key, else the most common one.
fn rotated_key(
    d: &Discovery,
    provider: &str,
    agent: &str,
    holdings: &[Holding],
    new_fp: &str,
) -> (Option<(Option<String>, CredType)>, String) {
    let candidates: Vec<&Holding> = holdings
        .iter()
        .filter(|h| h.fingerprint.is_some() && h.fingerprint.as_deref() != Some(new_fp))
        .collect();
    if let Some(cell) = runtime_cell(d, provider, agent)
        && let Some(h) = candidates.iter().find(|h| {
            cell.file.as_deref() == Some(h.store.as_str())
                && cell.profile.as_deref() == Some(h.profile.as_str())
        })
    {
        let why = format!("the key agent {agent} uses, {} in {}", h.profile, h.label);
        return (Some((h.fingerprint.clone(), h.cred_type)), why);
    }
    let best = candidates
        .iter()
        .fold(None::<(&Holding, usize)>, |best, h| {
            let n = stores_of(holdings, &(h.fingerprint.clone(), h.cred_type));
            match best {
                Some((_, m)) if m >= n => best,
                _ => Some((h, n)),
            }
        });
    let why = format!(
        "the key held by the most stores (agent {agent} does not use a stored {provider} key)"
    );
    (best.map(|(h, _)| (h.fingerprint.clone(), h.cred_type)), why)
}

/// What OpenClaw's runtime resolves for `agent` × `provider`, if the agent exists.
fn runtime_cell(
    d: &Discovery,
    provider: &str,
    agent: &str,
) -> Option<crate::domain::status::resolve::Cell> {
    use crate::domain::status::resolve::{Ctx, resolve_cell};
    let a = d.agent(agent)?;
    let view = crate::domain::status::view::agent_view(d, &a.dir);
    let cell = resolve_cell(&Ctx::new(d), agent, &view, provider);
    cell.usable.then_some(cell)
}

fn group(
    k: &(Option<String>, CredType),
    stores: usize,
    rotated: Option<&(Option<String>, CredType)>,
    new_fp: &str,
) -> KeyGroup {
    let (fp, cred_type) = (k.0.clone(), k.1);
    let t = cred_type.as_str();
    let n = |one: &str, many: &str| match stores {
        1 => format!("1 store {one}"),
        _ => format!("{stores} stores {many}"),
    };
    let same_key = rotated.is_some_and(|r| r.0 == fp);
    let role = match fp.as_deref() {
        _ if Some(k) == rotated => KeyRole::Rotated,
        Some(f) if f == new_fp => KeyRole::AlreadyNew,
        _ => KeyRole::Different,
    };
    let text = match role {
        KeyRole::AlreadyNew => n("already holds", "already hold"),
        _ => n("holds", "hold"),
    };
    let what = match (role, fp.as_deref()) {
        (KeyRole::Rotated, Some(f)) => format!("key {f} ({t})"),
        (KeyRole::AlreadyNew, _) => format!("the new key ({t})"),
        (_, None) => format!("an empty {t}"),
        (_, Some(f)) if same_key => format!("key {f} as {t} instead"),
        (_, Some(f)) => format!("a different key {f} ({t})"),
    };
    KeyGroup {
        fingerprint: fp,
        cred_type,
        role,
        stores,
        text: format!("{text} {what}"),
        key: what,
    }
}

impl KeyGroups {
    /// Every group with its holdings, marked by whether `picked` replaces them.
    pub(crate) fn outcome(&self, picked: &[HoldingId]) -> Vec<GroupOutcome> {
        let holder = |h: &Holding| HolderOutcome {
            label: h.label.clone(),
            profile: h.profile.clone(),
            store: h.store.clone(),
            replaced: picked.contains(&h.id()) && self.role_of(h) != KeyRole::AlreadyNew,
        };
        self.groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupOutcome {
                text: g.text.clone(),
                role: g.role,
                holders: self
                    .holdings
                    .iter()
                    .filter(|h| h.group == i)
                    .map(holder)
                    .collect(),
            })
            .collect()
    }
}
