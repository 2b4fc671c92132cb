//! `clawauth probe`: the live check, printed for humans or as JSON.

use crate::domain::ops::cooldown::plan_clear_cooldowns;
use crate::domain::ops::plan::Plan;
use crate::domain::probe::Status;
use crate::domain::probe::error::SkipReason;
use crate::domain::probe::plan::{Plan as ProbePlan, PlanOptions, ResultRow};
use crate::domain::read::discovery::Discovery;
use crate::domain::status::report::Filter;
use crate::service::exit::{ExitStatus, Failure};
use crate::service::probe::{ExecOptions, ProbeRun, passed_profiles, probe_exit, run_probe};
use crate::service::session::Session;
use clap::Args;
use std::io::Write;
use std::time::Duration;

#[derive(Args, Debug, Clone)]
pub struct ProbeArgs {
    /// Only these agents (repeatable).
    #[arg(long = "agent", value_name = "ID")]
    pub(crate) agents: Vec<String>,
    /// Only these providers (repeatable).
    #[arg(long = "provider", value_name = "ID")]
    pub(crate) providers: Vec<String>,
    /// Machine-readable JSON: {"results": [...]} (fields are only ever added).
    #[arg(long)]
    pub(crate) json: bool,
    /// Seconds to wait for each provider's answer.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub(crate) timeout: u64,
    /// At most this many requests at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) concurrency: u64,
    /// A 1-token completion (billed) instead of the free model-list or key check.
    #[arg(long)]
    pub(crate) completion: bool,
    /// Also send keys over plain http:// to hosts other than loopback.
    #[arg(long)]
    pub(crate) allow_insecure_http: bool,
    /// Then clear the cooldown / disabled window of profiles whose check was `ok`
    /// (shows the plan and asks first unless --yes; never for a failed or skipped check).
    #[arg(long)]
    pub(crate) clear_cooldowns: bool,
    /// With --clear-cooldowns: apply without asking.
    #[arg(long, requires = "clear_cooldowns")]
    pub(crate) yes: bool,
}

fn safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    if total == 0 || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "live check {bar:30} {pos}/{len} requests {elapsed}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// `clawauth probe`.
pub(crate) fn probe(
    session: &Session,
    args: &ProbeArgs,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    if args.clear_cooldowns && args.json {
        return Err(Failure::Usage(
            "--clear-cooldowns shows a plan and asks: use it without --json (add --yes to apply without asking)".into(),
        ));
    }
    if let Some(why) = crate::service::probe::demo_refusal(session) {
        return Err(Failure::refused(why));
    }
    let d = &super::io::load(session)?;
    crate::service::names::check_agents(d, &args.agents)?;
    let (plan, mut rows) = run_with_progress(d, &probe_run(d, args));
    rows.iter_mut().for_each(super::wording::probe_row);
    if args.json {
        super::io::write_json(out, &serde_json::json!({ "results": rows }), pretty)?;
        return Ok(probe_exit(&rows));
    }
    write_human(&rows, plan.requests.len(), args, out).map_err(Failure::output)?;
    let status = after_checks(session, d, &rows, args, pretty, out)?;
    Ok(match status {
        ExitStatus::Ok => probe_exit(&rows),
        other => other,
    })
}

/// What the flags ask for, as the service's run options.
fn probe_run(d: &Discovery, args: &ProbeArgs) -> ProbeRun {
    ProbeRun {
        filter: Filter {
            agents: args.agents.clone(),
            providers: args.providers.clone(),
        },
        plan: PlanOptions {
            completion: args.completion,
        },
        exec: ExecOptions {
            timeout: Duration::from_secs(args.timeout),
            concurrency: args.concurrency as usize,
            allow_insecure_http: args.allow_insecure_http,
            env: d.env.clone(),
        },
    }
}

/// Runs the checks with a progress bar on a terminal (none elsewhere).
fn run_with_progress(d: &Discovery, run: &ProbeRun) -> (ProbePlan, Vec<ResultRow>) {
    let bar = std::sync::Mutex::new(None::<indicatif::ProgressBar>);
    let (plan, rows) = run_probe(d, run, &|done, total| {
        if let Ok(mut b) = bar.lock() {
            if b.is_none() {
                *b = progress_bar(total);
            }
            if let Some(b) = b.as_ref() {
                b.set_position(done as u64);
            }
        }
    });
    if let Ok(Some(b)) = bar.lock().map(|b| b.clone()) {
        b.finish_and_clear();
    }
    (plan, rows)
}

/// Passed profiles still in a cooldown: a hint, or (`--clear-cooldowns`) the plan applied.
fn after_checks(
    session: &Session,
    d: &Discovery,
    rows: &[ResultRow],
    args: &ProbeArgs,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    Ok(match plan_clear_cooldowns(d, &passed_profiles(rows)) {
        Ok(p) if p.changes.is_empty() && p.manual.is_empty() => ExitStatus::Ok,
        Ok(p) if !args.clear_cooldowns => {
            hint_cooldowns(&p, out).map_err(Failure::output)?;
            ExitStatus::Ok
        }
        plan if args.clear_cooldowns => {
            writeln!(out).map_err(Failure::output)?;
            super::write::apply_plan(session, d, plan, args.yes, pretty, out)?
        }
        _ => ExitStatus::Ok,
    })
}

fn hint_cooldowns(plan: &Plan, out: &mut dyn Write) -> std::io::Result<()> {
    let n: usize = plan.changes.iter().map(|c| c.summary.len()).sum::<usize>() + plan.manual.len();
    writeln!(
        out,
        "{n} profile(s) that passed are still in a cooldown or disabled window (OpenClaw skips them until it ends). \
         `clawauth probe --clear-cooldowns` clears them."
    )
}

fn row_line(r: &ResultRow) -> String {
    let http = r
        .http_status
        .map(|s| s.to_string())
        .unwrap_or_else(|| "-".into());
    let ms = r
        .latency_ms
        .map(|l| format!("{l} ms"))
        .unwrap_or_else(|| "-".into());
    let mut line = format!(
        "  {:<14} {:<16} {:<10} {:>4} {:>8}  {}",
        safe(&r.agent),
        safe(&r.provider),
        r.status.word(),
        http,
        ms,
        safe(r.endpoint.as_deref().unwrap_or("-"))
    );
    if let Some(m) = &r.message {
        line.push_str(&format!("  {}", safe(m)));
    }
    if !r.shared_with.is_empty() {
        line.push_str(&format!(
            "  (same key and endpoint as {} more)",
            r.shared_with.len()
        ));
    }
    line
}

fn write_human(
    rows: &[ResultRow],
    requests: usize,
    args: &ProbeArgs,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let what = if args.completion {
        "a 1-token completion each (billed)"
    } else {
        "free model-list or key checks"
    };
    writeln!(
        out,
        "Live check: {requests} request(s) sent ({what}), timeout {} s, at most {} at once.",
        args.timeout, args.concurrency
    )?;
    let (without, shown): (Vec<&ResultRow>, Vec<&ResultRow>) = rows
        .iter()
        .partition(|r| r.status == Status::Skipped && r.skipped == Some(SkipReason::NoCredential));
    writeln!(
        out,
        "  {:<14} {:<16} {:<10} {:>4} {:>8}  endpoint",
        "agent", "provider", "result", "http", "time"
    )?;
    for r in shown {
        writeln!(out, "{}", row_line(r))?;
    }
    if !without.is_empty() {
        writeln!(
            out,
            "Not checked: {} cell(s) without a usable credential.",
            without.len()
        )?;
    }
    let refused = rows.iter().filter(|r| r.refused).count();
    if refused > 0 {
        writeln!(
            out,
            "Not sent: {refused} cell(s) have a credential whose check was refused before sending (see each row): nothing proved those keys, so the exit status is 1."
        )?;
    }
    Ok(())
}
