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

    /// The clawauth command doing it (shell-quoted; the secret never in it).
    pub fn command(&self, provider: &str, agent: &str) -> String {
        match self {
            BestFix::Repair { agent, .. } => {
                format!("clawauth repair --agent {}", shell_quote(agent))
            }
            BestFix::Copy {
                from, profile, to, ..
            } => format!(
                "clawauth copy --provider {} --profile-id {} --from {} --to {}",
                shell_quote(provider),
                shell_quote(profile),
                shell_quote(from),
                shell_quote(to)
            ),
            BestFix::Add => format!(
                "printf '%s' \"$SECRET\" | clawauth set --provider {} --type api_key --agent {} --secret-stdin",
                shell_quote(provider),
                shell_quote(agent)
            ),
        }
    }

    /// The cell's `fix` text for a repair or a copy (an add keeps the longer advice).
    pub(crate) fn text(&self, provider: &str, agent: &str) -> Option<String> {
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
        Some(format!("{what}: {}", self.command(p, a)))
    }
}

/// A profile of `provider` in `store` that `repair` can mend.
pub(crate) fn repairable(d: &Discovery, store: &Store, provider: &str) -> Option<String> {
    if store.kind != StoreKind::AuthProfiles || !store.exists || store.error.is_some() {
        return None;
    }
    let raw = store.raw.as_ref()?;
    let want = auth_key(provider, d.generation);
    if store.flat {
        let obj = raw.as_object()?;
        let id = obj.keys().find(|k| auth_key(k, d.generation) == want)?;
        return Some(format!("{id}:default"));
    }
    let profiles = raw.get("profiles")?.as_object()?;
    profiles.iter().find_map(|(id, entry)| {
        let named = entry.get("provider").and_then(serde_json::Value::as_str);
        let ours = named.is_some_and(|p| auth_key(p, d.generation) == want);
        (ours && !profile_fixes(entry).is_empty()).then(|| id.clone())
    })
}
