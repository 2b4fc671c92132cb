//! Names the user typed (agents, providers), checked against the state: an unknown
//! one is refused with the closest known names ("did you mean …"), so a typo never
//! plans a write no one will read.

use crate::domain::ops::secret::SIGN_IN_PROVIDERS;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::providers::normalize_provider;
use crate::domain::status::report::StatusModel;
use crate::service::exit::{Failure, Missing};

/// The known names closest to `name` (edit distance at most a third of its length,
/// at least 2), best first; at most three.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&wanted, &k.to_lowercase()), k))
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    close.sort();
    close.dedup_by(|a, b| a.1 == b.1);
    close.into_iter().take(3).map(|(_, k)| k).collect()
}

fn unknown(kind: Missing, what: &str, name: &str, close: &[&str], known: &str) -> Failure {
    let hint = match close {
        [] => format!("; known {what}s: {known}"),
        [one] => format!("; did you mean {one:?}?"),
        many => format!(
            "; did you mean {}?",
            many.iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    };
    Failure::NotFound {
        kind,
        message: format!("unknown {what} {name:?}{hint}"),
        file: None,
    }
}

/// Every agent named must exist in the state.
pub(crate) fn check_agents<'a>(
    d: &Discovery,
    agents: impl IntoIterator<Item = &'a String>,
) -> Result<(), Failure> {
    for a in agents {
        if d.agent(a).is_none() {
            let ids: Vec<&str> = d.agents.iter().map(|a| a.id.as_str()).collect();
            let close = did_you_mean(a, ids.iter().copied());
            return Err(unknown(Missing::Agent, "agent", a, &close, &ids.join(", ")));
        }
    }
    Ok(())
}

/// A provider a write names must be known: to the state (declared, stored, used by a
/// model or cron job, set in the environment) or as one of OpenClaw's built-ins.
pub(crate) fn check_provider(d: &Discovery, provider: &str) -> Result<(), Failure> {
    // An id OpenClaw would misread is refused as such first (exit 4), not looked up.
    crate::domain::text::check_cli_id(provider, crate::domain::text::IdField::Provider)
        .map_err(|e| Failure::refused(format!("--provider {} {}", e.value, e.problem)))?;
    let wanted = normalize_provider(provider, d.generation);
    let in_state: Vec<String> = StatusModel::new(d)
        .providers
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let built_in: Vec<&str> = d
        .provider_env
        .with_env()
        .map(|(id, _)| id)
        .chain(SIGN_IN_PROVIDERS.iter().copied())
        .collect();
    let known = in_state
        .iter()
        .map(String::as_str)
        .chain(built_in.iter().copied());
    if known.clone().any(|k| k == wanted) {
        return Ok(());
    }
    let close = did_you_mean(provider, known);
    let listed = if in_state.is_empty() {
        "none in this state".to_string()
    } else {
        in_state.join(", ")
    };
    let listed = format!(
        "{listed}. A custom provider is declared in openclaw.json (models.providers.<id>); for one OpenClaw knows from a plugin, pass --new-provider"
    );
    Err(unknown(
        Missing::Provider,
        "provider",
        provider,
        &close,
        &listed,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let known = ["my-proxy", "openrouter", "openai", "anthropic"];
        assert_eq!(did_you_mean("my-proxi", known), vec!["my-proxy"]);
        assert_eq!(did_you_mean("OpenRuter", known), vec!["openrouter"]);
        assert!(did_you_mean("zzzzzzzz", known).is_empty());
    }
}
