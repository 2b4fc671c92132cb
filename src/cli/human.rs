//! Human-readable output: a compact matrix, the cells that need attention, and problems.

use crate::domain::problem::Severity;
use crate::domain::status::cronjobs::job_line;
use crate::domain::status::report::Report;
use crate::domain::status::resolve::Cell;
use crate::domain::text::{count, safe};
use std::io::{Result, Write};

fn cell_text(c: &Cell) -> String {
    let mark = c.source.mark();
    let sep = if mark.is_empty() { "" } else { " " };
    let cron = if c.cron.is_empty() { "" } else { "*" };
    format!("{} {}{sep}{mark}{cron}", c.glyph(), c.state.word())
}

fn header(r: &Report, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "state dir  {}", safe(&r.state_dir))?;
    writeln!(
        out,
        "config     {}",
        safe(r.config_path.as_deref().unwrap_or("(none)"))
    )?;
    let version = r
        .openclaw_version
        .as_deref()
        .map(|v| format!(", OpenClaw {}", safe(v)))
        .unwrap_or_default();
    writeln!(
        out,
        "store      {}{version} ({})",
        r.generation,
        safe(&r.generation_reason)
    )?;
    if let Some(g) = &r.gateway {
        writeln!(out, "gateway    {}", gateway_line(g))?;
    }
    writeln!(out)
}

/// A running gateway, and what it means for changes.
pub(crate) fn gateway_line(g: &crate::domain::read::gateway::Gateway) -> String {
    format!(
        "running (pid {}): it serves its own copy of the credentials; after a change run `openclaw secrets reload` or restart it",
        g.pid
    )
}

pub(crate) fn write_status(r: &Report, out: &mut dyn Write) -> Result<()> {
    let out = &mut super::render::TerminalGuard(out);
    header(r, out)?;
    if r.providers.is_empty() {
        writeln!(
            out,
            "No providers found: nothing is declared in openclaw.json, stored in an auth store, used by a model or set in the environment."
        )?;
    } else {
        write_matrix(r, out)?;
        write_attention(r, out)?;
    }
    write_cron_jobs(r, out)?;
    write_problem_list(r, !attention(r).is_empty(), out)
}

fn write_matrix(r: &Report, out: &mut dyn Write) -> Result<()> {
    let pw = r
        .providers
        .iter()
        .map(|p| safe(&p.id).chars().count() + 2)
        .max()
        .unwrap_or(8)
        .max(10);
    let widths: Vec<usize> = r
        .agents
        .iter()
        .map(|a| (safe(&a.id).chars().count() + usize::from(a.default)).max(14))
        .collect();
    write!(out, "{:pw$}", "PROVIDER")?;
    for (a, w) in r.agents.iter().zip(&widths) {
        let name = if a.default {
            format!("{}°", safe(&a.id))
        } else {
            safe(&a.id)
        };
        write!(out, "  {name:w$}")?;
    }
    writeln!(out)?;
    let index: std::collections::HashMap<(&str, &str), &Cell> = r
        .cells
        .iter()
        .map(|c| ((c.agent.as_str(), c.provider.as_str()), c))
        .collect();
    for p in &r.providers {
        let label = if p.declared {
            format!("{} D", safe(&p.id))
        } else {
            safe(&p.id)
        };
        write!(out, "{label:pw$}")?;
        for (a, w) in r.agents.iter().zip(&widths) {
            let text = index
                .get(&(a.id.as_str(), p.id.as_str()))
                .map(|c| cell_text(c))
                .unwrap_or_default();
            write!(out, "  {text:w$}")?;
        }
        writeln!(out)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "✓ usable  ! expiring  ~ expired, refresh pending  ✗ not usable · L own store  I inherited from main  E env  C openclaw.json  S synthetic local key"
    )?;
    writeln!(
        out,
        "D declared in openclaw.json · ° default agent · * needed by a cron job"
    )?;
    Ok(())
}

/// Cells that need attention (the one rule of `service::attention`).
fn attention(r: &Report) -> Vec<&Cell> {
    r.cells
        .iter()
        .filter(|c| crate::service::attention::attention(c).needs_attention())
        .collect()
}

fn write_attention(r: &Report, out: &mut dyn Write) -> Result<()> {
    let cells = attention(r);
    if cells.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nNeeds attention:")?;
    for c in cells {
        let cron = if c.cron.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = c
                .cron
                .iter()
                .map(|id| match r.cron_jobs.iter().find(|j| &j.id == id) {
                    Some(job) => safe(job.label()),
                    None => safe(id),
                })
                .collect();
            format!(" (cron: {})", names.join(", "))
        };
        writeln!(
            out,
            "  {} × {}: {}{cron}",
            safe(&c.agent),
            safe(&c.provider),
            c.state.word()
        )?;
        for reason in &c.reasons {
            writeln!(out, "    - {}", safe(reason))?;
        }
        if let Some(fix) = &c.fix {
            writeln!(out, "    fix: {}", safe(fix))?;
        }
    }
    Ok(())
}

fn write_cron_jobs(r: &Report, out: &mut dyn Write) -> Result<()> {
    if r.cron_jobs.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nCron jobs:")?;
    for job in &r.cron_jobs {
        writeln!(out, "  {}", job_line(job, &r.cells))?;
    }
    Ok(())
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The problems; `listed_above` when cells needing attention were just listed (so
/// an empty list reads "No other problems", never "No problems" under them).
fn write_problem_list(r: &Report, listed_above: bool, out: &mut dyn Write) -> Result<()> {
    let errors = r
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = r
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    match (r.problems.is_empty(), listed_above) {
        (true, false) => return writeln!(out, "\nNo problems found."),
        (true, true) => return writeln!(out, "\nNo other problems found."),
        _ => {}
    }
    writeln!(
        out,
        "\nProblems: {}, {}",
        count(errors, "error"),
        count(warnings, "warning")
    )?;
    for p in &r.problems {
        let profile = p
            .profile
            .as_deref()
            .map(|id| format!(" [{}]", safe(id)))
            .unwrap_or_default();
        let agent = p
            .agent
            .as_deref()
            .map(|a| format!(" (agent {})", safe(a)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:7} {}{profile}{agent}",
            severity_word(p.severity),
            p.code
        )?;
        writeln!(out, "          {}", safe(&p.file))?;
        writeln!(out, "          {}", safe(&p.message))?;
        if let Some(fix) = &p.fix {
            writeln!(out, "          fix: {}", safe(fix))?;
        }
    }
    Ok(())
}

pub(crate) fn write_problems(r: &Report, out: &mut dyn Write) -> Result<()> {
    let out = &mut super::render::TerminalGuard(out);
    header(r, out)?;
    write_problem_list(r, false, out)
}
