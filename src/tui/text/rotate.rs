//! The rotate wizard's words for the stores holding a key: one line per holding and
//! the notes under the list, from the domain's key groups.

use crate::domain::ops::key_groups::{Holding, KeyGroups, KeyRole};

/// The row label: whose store, marked when it does not hold the key being rotated.
pub(crate) fn holding_label(groups: &KeyGroups, h: &Holding) -> String {
    match groups.role_of(h) {
        KeyRole::Rotated => h.label.clone(),
        KeyRole::Different => format!("{} (different key)", h.label),
        KeyRole::AlreadyNew => format!("{} (already new)", h.label),
    }
}

/// The rest of the row: the profile and its key (the label says how it relates).
pub(crate) fn holding_detail(h: &Holding) -> String {
    let t = h.cred_type.as_str();
    match &h.fingerprint {
        Some(f) => format!("{} · key {f} ({t})", h.profile),
        None => format!("{} · no key ({t})", h.profile),
    }
}

/// Why a holding cannot be ticked, if it cannot.
pub(crate) fn holding_blocked(groups: &KeyGroups, h: &Holding) -> Option<String> {
    (groups.role_of(h) == KeyRole::AlreadyNew)
        .then(|| format!("{} already holds the new key: nothing to change", h.profile))
}

/// The notes under the list: the groups in one line, then which key is rotated.
pub(crate) fn store_notes(groups: &KeyGroups) -> Vec<String> {
    if groups.holdings.is_empty() {
        return vec![format!(
            "No store holds a {} key of its own; Enter shows what can be done.",
            groups.provider
        )];
    }
    let mut notes = vec![
        groups.summary(),
        format!("The key being rotated is {}.", groups.rotated_because),
    ];
    if groups.groups.iter().any(|g| g.role == KeyRole::Different) {
        notes.push(
            "Stores holding a different key (or the key as the other type) are not ticked: ticking one replaces its key with the new one.".into(),
        );
    }
    notes
}
