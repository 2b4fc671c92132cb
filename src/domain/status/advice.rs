//! Explanations and fixes layered on runtime verdicts: where OpenClaw's
//! `models status` would mislead (layout.md §11) and what to do about a gap.

use crate::domain::problem::Problem;
use crate::domain::read::agents::Agent;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::providers::auth_key;
use crate::domain::read::version::Generation;
use crate::domain::status::resolve::{Cell, CellState, Source};
use crate::domain::status::view::AgentView;
use crate::domain::text::shell_quote;

/// Where `models status` disagrees with a run. The fix of a cell that is not usable
/// comes with its best fix ([`fix_for_missing`] when the best fix is to add a key).
pub(crate) fn annotate(d: &Discovery, cell: &mut Cell, view: &AgentView) {
    status_disagreement(d, cell, view);
    claude_login_note(d, cell);
}

/// Where OpenClaw's `models status` (and `--check`) reports something else than a run
/// does (layout.md §11, confirmed by the interop tests): status counts any stored profile
/// for the provider without checking eligibility, and never counts the synthetic
/// localhost key or 2026.4's AWS fallback for amazon-bedrock.
fn status_disagreement(d: &Discovery, cell: &mut Cell, view: &AgentView) {
    let pkey = auth_key(&cell.provider, d.generation);
    let status_says_configured = view.entries.values().any(|e| e.pkey == pkey);
    if status_says_configured && !cell.usable {
        cell.status_disagrees = true;
        cell.reasons.push("OpenClaw's `models status` (and `--check`) reports this provider as configured, but a run will fail: the runtime skips every stored profile for the reasons above".into());
    } else if cell.usable && !status_says_configured && matches!(cell.source, Source::Synthetic) {
        cell.status_disagrees = true;
        cell.reasons.push("OpenClaw's `models status` lists this provider as missing, but runs work with the synthetic local key".into());
    } else if cell.usable
        && !status_says_configured
        && cell.source == Source::Env
        && cell.reasons.iter().any(|r| r.contains("AWS SDK"))
    {
        cell.status_disagrees = true;
        cell.reasons.push("OpenClaw's `models status` lists this provider as missing, but runs use the AWS SDK credential chain".into());
    }
}

/// How to add a credential for a cell that has none it can use.
pub(crate) fn fix_for_missing(d: &Discovery, agent: &Agent, cell: &Cell) -> String {
    let (p, a) = (&cell.provider, &agent.id);
    let (qp, qa) = (shell_quote(p), shell_quote(a));
    let set = format!(
        "printf '%s' \"$SECRET\" | {} set --provider {qp} --type api_key --agent {qa} --secret-stdin",
        d.paths.clawauth()
    );
    let an = crate::domain::text::article(p);
    match d.generation {
        Generation::Json => format!(
            "Add {an} {p} credential to agent {a}'s own store, or to the main store so every agent inherits it: {set}"
        ),
        Generation::Sqlite => format!(
            "Add {an} {p} credential for agent {a}: {set} (or: printf '%s\\n' \"$SECRET\" | openclaw models auth paste-api-key --provider {qp} --agent {qa} --profile-id {})",
            shell_quote(&format!("{p}:{a}"))
        ),
    }
}

/// The founding case: a cron job's agent cannot authenticate its provider.
/// `holders` are other agents with a profile for the provider in their own store.
pub(crate) fn cron_problem(d: &Discovery, cell: &Cell, holders: &[&str]) -> Problem {
    let held = if holders.is_empty() {
        String::new()
    } else {
        format!(
            " A profile for it exists only in the own store of agent {}, which agent {} does not read.",
            holders.join(", "),
            cell.agent
        )
    };
    let ids: std::collections::HashSet<&str> = cell.cron.iter().map(String::as_str).collect();
    let isolated = d
        .cron
        .iter()
        .any(|j| j.isolated && ids.contains(j.id.as_str()));
    let kind = if isolated {
        "isolated cron job"
    } else {
        "cron job"
    };
    let state = if cell.state == CellState::Missing {
        "has no credential"
    } else {
        "has no usable credential"
    };
    // By name, as the user knows them (the id only when unnamed).
    let names: Vec<&str> = cell
        .cron_jobs
        .iter()
        .filter(|j| j.enabled)
        .map(|j| j.name.as_deref().unwrap_or(&j.id))
        .collect();
    let message = format!(
        "{kind} {} runs as agent {} with provider {}, and that agent {state} for it: the run fails with `No API key found for provider \"{}\"`.{held}",
        names.join(", "),
        cell.agent,
        cell.provider,
        cell.provider
    );
    Problem::error(
        "cron_auth_missing",
        std::path::Path::new(cell.file.as_deref().unwrap_or_default()),
        message,
    )
    .agent(Some(&cell.agent))
    .fix(cell.fix.clone().unwrap_or_default())
}

/// The providers a Claude CLI login concerns: anthropic, and 2026.9's `claude-cli` backend.
pub(crate) fn claude_login_providers(generation: Generation) -> &'static [&'static str] {
    match generation {
        Generation::Json => &["anthropic"],
        Generation::Sqlite => &["anthropic", "claude-cli"],
    }
}

/// A Claude CLI login beside a cell its runtime resolver does not serve: say that the
/// resolver never reads it, and what does (interop: `cli_login` fixtures).
fn claude_login_note(d: &Discovery, cell: &mut Cell) {
    let Some(login) = d.claude_login.as_ref() else {
        return;
    };
    if cell.usable || !claude_login_providers(d.generation).contains(&cell.provider.as_str()) {
        return;
    }
    let path = login.path.display();
    let what = match (d.generation, cell.provider.as_str()) {
        (Generation::Json, _) => "OpenClaw 2026.4 never reads it".to_string(),
        (_, "claude-cli") => "OpenClaw's key resolver does not read it; a run on a `claude-cli/…` model starts the `claude` program, which signs in with this login itself when no OpenClaw profile is forwarded".to_string(),
        _ => "OpenClaw's key resolver does not read it; `openclaw models auth login --provider anthropic --method cli` imports it as a profile".to_string(),
    };
    cell.reasons.push(format!(
        "a Claude CLI login exists ({path}), but it is not a credential for this cell: {what}"
    ));
}
