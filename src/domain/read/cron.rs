//! Cron jobs: `<state>/cron/jobs.json` (2026.4) or the `cron_jobs` table (2026.9).

use crate::domain::read::agents::normalize_agent_id;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CronJob {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    /// The agent whose auth store the run uses.
    pub(crate) agent: String,
    /// `payload.model` when the job pins one.
    pub(crate) model: Option<String>,
    pub(crate) isolated: bool,
    pub(crate) enabled: bool,
    /// What the last run recorded (`state.lastError`, `lastErrorReason`, `lastRunAtMs`).
    pub(crate) last_error: Option<String>,
    pub(crate) last_error_reason: Option<String>,
    pub(crate) last_run_ms: Option<i64>,
}

fn agent_from_session_key(key: &str) -> Option<String> {
    let rest = key.strip_prefix("agent:")?;
    rest.split(':')
        .next()
        .filter(|s| !s.is_empty())
        .map(normalize_agent_id)
}

/// A non-empty string of the job's recorded `state`.
fn state_text(job: &Value, key: &str) -> Option<String> {
    job.get("state")
        .and_then(|s| s.get(key))
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string)
}

/// Builds a job from its JSON; `agent_column` is the 2026.9 `agent_id` column.
pub(crate) fn job_from_json(
    id: &str,
    agent_column: Option<&str>,
    job: &Value,
    default_agent: &str,
) -> CronJob {
    let text = |k: &str| job.get(k).and_then(Value::as_str).map(str::to_string);
    let agent = agent_column
        .map(str::to_string)
        .or_else(|| text("agentId"))
        .or_else(|| text("sessionKey").and_then(|k| agent_from_session_key(&k)))
        .map(|a| normalize_agent_id(&a))
        .unwrap_or_else(|| default_agent.to_string());
    CronJob {
        id: id.to_string(),
        name: text("name"),
        agent,
        model: job
            .get("payload")
            .and_then(|p| p.get("model"))
            .and_then(Value::as_str)
            .map(str::to_string),
        isolated: text("sessionTarget").as_deref() == Some("isolated"),
        enabled: job.get("enabled").and_then(Value::as_bool).unwrap_or(true),
        last_error: state_text(job, "lastError"),
        last_error_reason: state_text(job, "lastErrorReason"),
        last_run_ms: job
            .get("state")
            .and_then(|s| s.get("lastRunAtMs"))
            .and_then(Value::as_f64)
            .map(|ms| ms as i64),
    }
}

/// Reads `cron/jobs.json`; returns an error message for a broken file.
pub(crate) fn load_jobs_json(
    path: &Path,
    default_agent: &str,
) -> Result<Vec<CronJob>, super::error::ReadError> {
    let doc = match crate::domain::read::store::read_json_document(path)? {
        Some(d) => d,
        None => return Ok(Vec::new()),
    };
    let jobs = doc.get("jobs").and_then(Value::as_array).ok_or_else(|| {
        super::error::ReadError::NoJobs {
            file: path.to_path_buf(),
        }
    })?;
    Ok(jobs
        .iter()
        .enumerate()
        .filter(|(_, j)| j.is_object())
        .map(|(i, j)| {
            let id = j
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("#{i}"));
            job_from_json(&id, None, j, default_agent)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn agent_precedence() {
        let j = json!({"agentId":"CronBot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}});
        let job = job_from_json("daily", None, &j, "main");
        assert_eq!(job.agent, "cronbot");
        assert!(job.isolated);
        assert_eq!(job.model.as_deref(), Some("my-proxy/m"));
        let j = json!({"sessionKey":"agent:reporter:cron:x"});
        assert_eq!(job_from_json("x", None, &j, "main").agent, "reporter");
        assert_eq!(
            job_from_json("x", None, &json!({}), "assistant").agent,
            "assistant"
        );
    }
}
