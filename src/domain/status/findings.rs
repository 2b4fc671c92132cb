//! Runtime findings: every reason that makes a cell unusable, or makes OpenClaw's
//! runtime pick another profile than the user would expect, as a structured record
//! that becomes a per-agent problem (issue 11 item 6). Codes are stable.

use crate::domain::problem::{Problem, Severity};
use crate::domain::status::order::{Candidates, Ineligible, OrderSource};
use crate::domain::status::view::AgentView;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) code: &'static str,
    pub(crate) profile: Option<String>,
    pub(crate) file: String,
    pub(crate) message: String,
    pub(crate) fix: String,
    /// An error even when the cell is usable (e.g. a key every request will refuse).
    pub(crate) error: bool,
}

impl Finding {
    pub(crate) fn new(code: &'static str, file: &Path, message: String, fix: String) -> Finding {
        Finding {
            code,
            profile: None,
            file: file.display().to_string(),
            message,
            fix,
            error: false,
        }
    }

    pub(crate) fn profile(mut self, id: &str) -> Finding {
        self.profile = Some(id.to_string());
        self
    }

    pub(crate) fn error(mut self) -> Finding {
        self.error = true;
        self
    }

    /// The problem for `agent`; an error when the cell is unusable, else a warning.
    pub(crate) fn problem(&self, agent: &str, provider: &str, usable: bool) -> Problem {
        let severity = if usable && !self.error {
            Severity::Warning
        } else {
            Severity::Error
        };
        let effect = if usable && self.error {
            format!("agent {agent} finds a key for {provider}, but its requests will be refused")
        } else if usable {
            format!("agent {agent} uses another credential for {provider}")
        } else {
            format!("agent {agent} has no usable credential for {provider}")
        };
        let mut p = Problem::new(
            self.code,
            severity,
            Path::new(&self.file),
            format!("{} ({effect})", self.message),
        )
        .agent(Some(agent))
        .fix(self.fix.clone());
        p.profile = self.profile.clone();
        p
    }
}

/// The file that holds profile `id` for this agent, else the agent's own store.
pub(crate) fn file_of<'v>(view: &'v AgentView, id: &str) -> &'v Path {
    view.entries
        .get(id)
        .map_or(view.store_path.as_path(), |e| e.file)
}

fn list_name(source: OrderSource) -> (&'static str, &'static str) {
    match source {
        OrderSource::StoreOrder => ("the store's order", "openclaw models auth order set"),
        OrderSource::ConfigOrder => ("openclaw.json auth.order", "edit auth.order"),
        OrderSource::ConfigProfiles => ("openclaw.json auth.profiles", "edit auth.profiles"),
        OrderSource::AllProfiles => ("", ""),
    }
}

/// Findings for the candidates' rejected and excluded profiles.
/// `config_file` is openclaw.json; `holders(id)` names other agents that can see `id`.
pub(crate) fn candidate_findings(
    view: &AgentView,
    c: &Candidates,
    provider: &str,
    config_file: &Path,
    holders: &dyn Fn(&str) -> Vec<String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let (list, how) = list_name(c.source);
    for (id, why) in &c.rejected {
        out.push(rejected_finding(
            view,
            c.source,
            id,
            why,
            config_file,
            holders,
        ));
    }
    if c.source != OrderSource::AllProfiles {
        let code = if c.source == OrderSource::ConfigProfiles {
            "excluded_by_config"
        } else {
            "excluded_by_auth_order"
        };
        let fix_file = if c.source == OrderSource::StoreOrder {
            format!(
                "`{how} --provider {}`",
                crate::domain::text::shell_quote(provider)
            )
        } else {
            format!("{how} in openclaw.json")
        };
        for id in &c.excluded {
            out.push(
                Finding::new(
                    code,
                    file_of(view, id),
                    format!("profile {id} is never tried: it is not listed in {list} for {provider} ({code})"),
                    format!("Add {id} to {list} ({fix_file}), or remove the profile."),
                )
                .profile(id),
            );
        }
    }
    out
}

fn rejected_finding(
    view: &AgentView,
    source: OrderSource,
    id: &str,
    why: &Ineligible,
    config_file: &Path,
    holders: &dyn Fn(&str) -> Vec<String>,
) -> Finding {
    let file = file_of(view, id);
    let (code, fix) = match why {
        Ineligible::ProfileMissing => {
            return missing_finding(view, source, id, config_file, holders);
        }
        Ineligible::ProviderMismatch => (
            "provider_mismatch",
            format!(
                "Make openclaw.json auth.profiles.{id}.provider match the stored profile's provider."
            ),
        ),
        Ineligible::ModeMismatch { stored, .. } => (
            "mode_mismatch",
            format!(
                "Set auth.profiles.{id}.mode to \"{stored}\" in openclaw.json, or store the credential with the declared type."
            ),
        ),
        Ineligible::MissingCredential => (
            "missing_credential",
            format!("Put the secret into {id} (or a keyRef/tokenRef), or remove the profile."),
        ),
        Ineligible::MalformedApiKey => (
            "pasted_command",
            "Paste only the key value itself.".to_string(),
        ),
        Ineligible::InvalidExpires => (
            "invalid_expires",
            "Use epoch milliseconds > 0 for expires, or remove it for a token that never expires."
                .to_string(),
        ),
        Ineligible::Expired => (
            "expired",
            "Paste a fresh token or sign in again.".to_string(),
        ),
        Ineligible::Retired(_) => (
            "retired_profile",
            "Sign in again with `openclaw models auth login`.".to_string(),
        ),
    };
    Finding::new(
        code,
        file,
        format!("profile {id} is skipped: {}", why.reason(id)),
        fix,
    )
    .profile(id)
}

fn missing_finding(
    view: &AgentView,
    source: OrderSource,
    id: &str,
    config_file: &Path,
    holders: &dyn Fn(&str) -> Vec<String>,
) -> Finding {
    let held = holders(id);
    let held_text = if held.is_empty() {
        "no store holds it".to_string()
    } else {
        format!("only {} holds it", held.join(", "))
    };
    if source == OrderSource::ConfigProfiles {
        return Finding::new(
            "config_profile_missing",
            config_file,
            format!("openclaw.json auth.profiles names {id}, which this agent cannot see: {held_text}"),
            format!("Add {id} to a store this agent reads (the shared/main store or its own), or remove it from auth.profiles."),
        )
        .profile(id);
    }
    let (list, _) = list_name(source);
    let file = if source == OrderSource::StoreOrder {
        view.store_path.as_path()
    } else {
        config_file
    };
    Finding::new(
        "order_missing_id",
        file,
        format!("{list} lists {id}, which no store this agent reads holds ({held_text})"),
        format!("Remove {id} from {list}, or add that profile to a store this agent reads."),
    )
    .profile(id)
}
