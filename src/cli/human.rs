//! Human-readable output: a compact matrix, the cells that need attention, and problems.

use crate::domain::problem::Severity;
use crate::domain::report::{CellOut, Report};
use crate::domain::resolve::CellState;
use std::io::{Result, Write};

fn cell_text(c: &CellOut) -> String {
    let mark = c.source.mark();
    let sep = if mark.is_empty() { "" } else { " " };
    let cron = if c.cron.is_empty() { "" } else { "*" };
    format!("{} {}{sep}{mark}{cron}", c.glyph(), c.state.word())
}

fn header(r: &Report, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "state dir  {}", r.state_dir)?;
    writeln!(
        out,
        "config     {}",
        r.config_path.as_deref().unwrap_or("(none)")
    )?;
    let version = r
        .openclaw_version
        .as_deref()
        .map(|v| format!(", OpenClaw {v}"))
        .unwrap_or_default();
    writeln!(
        out,
        "store      {}{version} ({})",
        r.generation, r.generation_reason
    )?;
    if let Some(g) = &r.gateway {
        writeln!(out, "gateway    {}", gateway_line(g))?;
    }
    writeln!(out)
}

/// A running gateway, and what it means for changes.
pub fn gateway_line(g: &crate::domain::gateway::Gateway) -> String {
    format!(
        "running (pid {}): it serves its own copy of the credentials; after a change run `openclaw secrets reload` or restart it",
        g.pid
    )
}

pub fn write_status(r: &Report, out: &mut dyn Write) -> Result<()> {
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
    write_problem_list(r, out)
}

fn write_matrix(r: &Report, out: &mut dyn Write) -> Result<()> {
    let pw = r
        .providers
        .iter()
        .map(|p| p.id.chars().count() + 2)
        .max()
        .unwrap_or(8)
        .max(10);
    let widths: Vec<usize> = r
        .agents
        .iter()
        .map(|a| (a.id.chars().count() + usize::from(a.default)).max(14))
        .collect();
    write!(out, "{:pw$}", "PROVIDER")?;
    for (a, w) in r.agents.iter().zip(&widths) {
        let name = if a.default {
            format!("{}°", a.id)
        } else {
            a.id.clone()
        };
        write!(out, "  {name:w$}")?;
    }
    writeln!(out)?;
    let index: std::collections::HashMap<(&str, &str), &CellOut> = r
        .cells
        .iter()
        .map(|c| ((c.agent.as_str(), c.provider.as_str()), c))
        .collect();
    for p in &r.providers {
        let label = if p.declared {
            format!("{} D", p.id)
        } else {
            p.id.clone()
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

/// Cells a run would need (cron or a configured model) or that hold broken credentials.
fn attention(r: &Report) -> Vec<&CellOut> {
    r.cells
        .iter()
        .filter(|c| {
            let broken_or_needed =
                !c.cron.is_empty() || c.state != CellState::Missing || c.status_disagrees;
            (!c.usable && broken_or_needed) || (c.usable && c.state == CellState::Expiring)
        })
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
            format!(" (cron: {})", c.cron.join(", "))
        };
        writeln!(
            out,
            "  {} × {}: {}{cron}",
            c.agent,
            c.provider,
            c.state.word()
        )?;
        for reason in &c.reasons {
            writeln!(out, "    - {reason}")?;
        }
        if let Some(fix) = &c.fix {
            writeln!(out, "    fix: {fix}")?;
        }
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

fn write_problem_list(r: &Report, out: &mut dyn Write) -> Result<()> {
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
    if r.problems.is_empty() {
        return writeln!(out, "\nNo problems found.");
    }
    writeln!(out, "\nProblems: {errors} error(s), {warnings} warning(s)")?;
    for p in &r.problems {
        let profile = p
            .profile
            .as_deref()
            .map(|id| format!(" [{id}]"))
            .unwrap_or_default();
        let agent = p
            .agent
            .as_deref()
            .map(|a| format!(" (agent {a})"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:7} {}{profile}{agent}",
            severity_word(p.severity),
            p.code
        )?;
        writeln!(out, "          {}", p.file)?;
        writeln!(out, "          {}", p.message)?;
        if let Some(fix) = &p.fix {
            writeln!(out, "          fix: {fix}")?;
        }
    }
    Ok(())
}

pub fn write_problems(r: &Report, out: &mut dyn Write) -> Result<()> {
    header(r, out)?;
    write_problem_list(r, out)
}
