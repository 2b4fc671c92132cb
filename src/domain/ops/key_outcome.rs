//! How a rotate plan reports the stores holding a provider's key, grouped by key
//! (built by `key_groups`; kept apart so plans need not know how keys are grouped).

use serde::Serialize;

/// How a group's key relates to the key being rotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KeyRole {
    /// The key being rotated: replaced by default.
    Rotated,
    /// A different key (or the same key as the other type): replaced only when chosen.
    Different,
    /// Already the new secret: nothing to change.
    AlreadyNew,
}

/// A group as a plan reports it: which of its holdings the plan replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupOutcome {
    pub(crate) text: String,
    pub(crate) role: KeyRole,
    pub holders: Vec<HolderOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HolderOutcome {
    pub(crate) label: String,
    pub(crate) profile: String,
    pub store: String,
    pub(crate) replaced: bool,
}

/// The groups in one line: "2 stores hold key 44a602 (token); 1 store holds a different key …".
pub(crate) fn summary(groups: &[GroupOutcome]) -> String {
    let texts: Vec<&str> = groups.iter().map(|g| g.text.as_str()).collect();
    texts.join("; ")
}
