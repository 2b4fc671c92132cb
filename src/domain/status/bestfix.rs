//! A cell's best fix: the one definition the CLI text, `--json` and the UI's Enter use.
//! For a cell that is not usable, in this order: repair an entry OpenClaw drops or
//! skips; copy a key another agent holds and uses (into this agent's store, or into
//! the shared main store when other agents need it too); else add a key.

use crate::domain::ops::fixes::profile_fixes;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::providers::auth_key;
use crate::domain::read::store::{Store, StoreKind};
use crate::domain::text::shell_quote;
use serde::Serialize;
use std::collections::HashMap;

/// What to do about a cell that is not usable (`bestFix` in `status --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum BestFix {
    /// `clawauth repair --agent <agent>`: the store of `agent` holds `profile`,
    /// which OpenClaw drops or skips and `repair` can mend.
    Repair { agent: String, profile: String },
    /// Copy `profile` (a static key agent `from` holds in its own store and can
    /// use) into the store of `to`: the cell's agent, or the shared store's owner.
    Copy {
        from: String,
        profile: String,
        to: String,
        /// The cell's own agent (one choice of destination).
        here: String,
        /// The agent owning the shared store every agent inherits, when it is
        /// another destination to offer.
        shared: Option<String>,
        /// Why `to` is recommended.
        why: String,
    },
    /// No key anywhere this agent could get: add one.
    Add,
}

impl BestFix {
    /// The action in a few words ("copy assistant's key here").
    pub fn action(&self) -> String {
        match self {
            BestFix::Repair { profile, .. } => format!("repair {profile}"),
            BestFix::Copy { from, to, here, .. } if to == here => {
                format!("copy {from}'s key here")
            }
            BestFix::Copy { from, .. } => format!("copy {from}'s key into the main store"),
            BestFix::Add => "add a key".into(),
        }
    }

    /// The clawauth command doing it (shell-quoted; the secret never in it); `clawauth`
    /// is the program with the path flags of this run (`ResolvedPaths::clawauth`).
    pub fn command(&self, clawauth: &str, provider: &str, agent: &str) -> String {
        match self {
            BestFix::Repair { agent, .. } => {
                format!("{clawauth} repair --agent {}", shell_quote(agent))
            }
            BestFix::Copy {
                from, profile, to, ..
            } => format!(
                "{clawauth} copy --provider {} --profile-id {} --from {} --to {}",
                shell_quote(provider),
                shell_quote(profile),
                shell_quote(from),
                shell_quote(to)
            ),
            BestFix::Add => format!(
                "printf '%s' \"$SECRET\" | {clawauth} set --provider {} --type api_key --agent {} --secret-stdin",
                shell_quote(provider),
                shell_quote(agent)
            ),
        }
    }

    /// The cell's `fix` text for a repair or a copy (an add keeps the longer advice).
    pub(crate) fn text(&self, clawauth: &str, provider: &str, agent: &str) -> Option<String> {
        let (p, a) = (provider, agent);
        let what = match self {
            BestFix::Repair { agent, profile } => format!(
                "Repair {profile} in agent {agent}'s store (OpenClaw drops or skips it as it is)"
            ),
            BestFix::Copy {
                from,
                to,
                here,
                why,
                ..
            } => match to == here {
                true => format!("Copy agent {from}'s {p} key into agent {a}'s own store ({why})"),
                false => format!("Copy agent {from}'s {p} key into the main store {to} ({why})"),
            },
            BestFix::Add => return None,
        };
        Some(format!("{what}: {}", self.command(clawauth, p, a)))
    }
}

/// The profiles of `store` that `repair` can mend, by the provider's auth key: the
/// first one in store order for each provider. Built once per store (a lookup per
/// cell made `status` on 1,000 agents scan every store 200 times).
pub(crate) fn repairables(d: &Discovery, store: &Store) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if store.kind != StoreKind::AuthProfiles || !store.exists || store.error.is_some() {
        return out;
    }
    let Some(raw) = store.raw.as_ref() else {
        return out;
    };
    if store.flat {
        for id in raw.as_object().into_iter().flat_map(|o| o.keys()) {
            let key = auth_key(id, d.generation);
            out.entry(key).or_insert_with(|| format!("{id}:default"));
        }
        return out;
    }
    let profiles = raw.get("profiles").and_then(serde_json::Value::as_object);
    for (id, entry) in profiles.into_iter().flatten() {
        let named = entry.get("provider").and_then(serde_json::Value::as_str);
        if let Some(p) = named.filter(|_| !profile_fixes(entry).is_empty()) {
            out.entry(auth_key(p, d.generation))
                .or_insert_with(|| id.clone());
        }
    }
    out
}
