//! Cron jobs as the user knows them: by name, enabled or not, with the error their
//! last run recorded, and the providers (cells) they need. Disabled jobs are listed
//! too: a job that failed and was switched off is still the user's job.

use crate::domain::read::cron::CronJob;
use crate::domain::read::discovery::{Discovery, agent_models, provider_of_model};
use crate::domain::read::providers::normalize_provider;
use crate::domain::secret::redact_secret_like;
use crate::domain::status::resolve::Cell;
use crate::domain::text::safe;
use serde::Serialize;

/// Longest recorded error shown (characters); OpenClaw's messages are one line.
const MAX_ERROR_CHARS: usize = 300;

/// One cron job in `status --json` (`cronJobs`) and in the text status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CronJobOut {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) enabled: bool,
    /// The agent the run uses (its store decides the cells below).
    pub(crate) agent: String,
    /// The providers its model(s) need: the cells `agent × provider`.
    pub(crate) providers: Vec<String>,
    /// `state.lastError` of the last run (secret-shaped words removed).
    pub(crate) last_error: Option<String>,
    pub(crate) last_error_reason: Option<String>,
    pub(crate) last_run_at_ms: Option<i64>,
}

impl CronJobOut {
    /// The name the user gave the job; the id only when it has none.
    pub(crate) fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// The providers a job's run needs: its pinned model, else its agent's models.
pub(crate) fn job_providers(d: &Discovery, job: &CronJob) -> Vec<String> {
    let models = match &job.model {
        Some(m) => vec![m.clone()],
        None => d
            .agent(&job.agent)
            .map(|a| agent_models(d, a))
            .unwrap_or_default(),
    };
    let mut out: Vec<String> = Vec::new();
    for p in models.iter().filter_map(|m| provider_of_model(m)) {
        let p = normalize_provider(p, d.generation);
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Every cron job of the state, in the order OpenClaw lists them.
pub(crate) fn cron_jobs(d: &Discovery) -> Vec<CronJobOut> {
    d.cron
        .iter()
        .map(|job| CronJobOut {
            id: job.id.clone(),
            name: job.name.clone(),
            enabled: job.enabled,
            agent: job.agent.clone(),
            providers: job_providers(d, job),
            last_error: job.last_error.as_deref().map(|e| {
                let short: String = e.chars().take(MAX_ERROR_CHARS).collect();
                redact_secret_like(&short)
            }),
            last_error_reason: job.last_error_reason.clone(),
            last_run_at_ms: job.last_run_ms,
        })
        .collect()
}

/// `2026-11-24 21:06 UTC` for epoch milliseconds.
fn minute_utc(ms: i64) -> String {
    let iso = crate::domain::write::utc::iso8601(ms);
    format!("{} UTC", iso.get(..16).unwrap_or(&iso).replace('T', " "))
}

/// One cron job as the user knows it, in the text status and the UI alike: "daily-briefing (disabled) last failed
/// 2026-11-24 21:06 UTC: No API key found … → cronbot × my-proxy ✗ missing".
pub(crate) fn job_line(job: &CronJobOut, cells: &[Cell]) -> String {
    let state = if job.enabled { "enabled" } else { "disabled" };
    let mut line = format!("{} ({state})", safe(job.label()));
    if let Some(error) = &job.last_error {
        let when = job
            .last_run_at_ms
            .map(|ms| format!(" {}", minute_utc(ms)))
            .unwrap_or_default();
        line.push_str(&format!(" last failed{when}: {}", safe(error)));
    }
    for p in &job.providers {
        let verdict = cells
            .iter()
            .find(|c| c.agent == job.agent && &c.provider == p)
            .map(|c| format!(" {} {}", c.glyph(), c.state.word()))
            .unwrap_or_default();
        line.push_str(&format!(" → {} × {}{verdict}", safe(&job.agent), safe(p)));
    }
    line
}

/// True when the job's last run failed or a cell it needs is not usable: the
/// jobs the UI header names (disabled ones too).
pub(crate) fn at_risk(job: &CronJobOut, cells: &[Cell]) -> bool {
    job.last_error.is_some()
        || job.providers.iter().any(|p| {
            cells
                .iter()
                .any(|c| c.agent == job.agent && &c.provider == p && !c.usable)
        })
}
