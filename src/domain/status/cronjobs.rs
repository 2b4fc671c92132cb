//! Cron jobs as the user knows them: by name, enabled or not, with the error their
//! last run recorded, and the providers (cells) they need. Disabled jobs are listed
//! too: a job that failed and was switched off is still the user's job.

use crate::domain::read::cron::CronJob;
use crate::domain::read::discovery::{Discovery, agent_models, provider_of_model};
use crate::domain::read::providers::normalize_provider;
use crate::domain::secret::redact_secret_like;
use serde::Serialize;

/// Longest recorded error shown (characters); OpenClaw's messages are one line.
const MAX_ERROR_CHARS: usize = 300;

/// One cron job in `status --json` (`cronJobs`) and in the text status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobOut {
    pub id: String,
    pub name: Option<String>,
    pub enabled: bool,
    /// The agent the run uses (its store decides the cells below).
    pub agent: String,
    /// The providers its model(s) need: the cells `agent × provider`.
    pub providers: Vec<String>,
    /// `state.lastError` of the last run (secret-shaped words removed).
    pub last_error: Option<String>,
    pub last_error_reason: Option<String>,
    pub last_run_at_ms: Option<i64>,
}

impl CronJobOut {
    /// The name the user gave the job; the id only when it has none.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// The providers a job's run needs: its pinned model, else its agent's models.
pub fn job_providers(d: &Discovery, job: &CronJob) -> Vec<String> {
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
pub fn cron_jobs(d: &Discovery) -> Vec<CronJobOut> {
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
