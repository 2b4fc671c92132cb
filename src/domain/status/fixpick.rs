//! Which best fix a cell gets when another agent holds a key for its provider:
//! the holder to copy from and the recommended destination.

use super::bestfix::BestFix;
use crate::domain::read::profile::CredType;
use crate::domain::status::cell::{Cell, Source};

/// One agent as the best fix sees it.
pub(crate) struct Member<'a> {
    pub(crate) id: &'a str,
    /// Its cron jobs or models use the provider.
    pub(crate) uses: bool,
    /// Its own store holds a profile of the provider (valid or not).
    pub(crate) holds: bool,
    /// Owns the shared store every agent inherits.
    pub(crate) shared: bool,
}

/// A usable cell of another agent whose key comes from its own store.
pub(crate) fn copy_source(cell: &Cell) -> Option<&str> {
    let portable = matches!(cell.cred_type, Some(CredType::ApiKey | CredType::Token));
    (cell.usable && cell.source == Source::Local && portable)
        .then_some(cell.profile.as_deref())
        .flatten()
}

/// The copy fix for `cell` from the first usable holder, if any.
pub(crate) fn copy_fix<'c>(
    cell: &Cell,
    holders: impl IntoIterator<Item = &'c Cell>,
    members: &[Member],
) -> Option<BestFix> {
    let (source, profile) = holders
        .into_iter()
        .find_map(|h| copy_source(h).map(|p| (h, p)))?;
    let shared = members
        .iter()
        .find(|m| m.shared && m.id != cell.agent && m.id != source.agent)
        .map(|m| m.id.to_string());
    let others: Vec<&str> = members
        .iter()
        .filter(|m| m.id != cell.agent && m.id != source.agent && m.uses && !m.holds)
        .map(|m| m.id)
        .collect();
    let (to, why) = match (&shared, others.is_empty()) {
        (Some(main), false) => (
            main.clone(),
            format!("agent {} needs it too", others.join(", ")),
        ),
        _ => (cell.agent.clone(), "no other agent needs it".to_string()),
    };
    Some(BestFix::Copy {
        from: source.agent.clone(),
        profile: profile.to_string(),
        to,
        here: cell.agent.clone(),
        shared,
        why,
    })
}
