//! Human output for plans and their results (secrets are never in either).

use crate::domain::ops::apply::ApplyResult;
use crate::domain::ops::plan::PlanPreview;
use std::io::{Result, Write};

pub fn write_plan(p: &PlanPreview, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "Plan: {}", p.title)?;
    for f in &p.files {
        let verb = if f.creates { "create" } else { "change" };
        writeln!(out, "\n  {verb} {}", f.path)?;
        for s in &f.summary {
            writeln!(out, "    - {s}")?;
        }
        for line in f.diff.lines() {
            writeln!(out, "      {line}")?;
        }
    }
    for c in &p.chmods {
        writeln!(out, "\n  {c}")?;
    }
    if !p.commands.is_empty() {
        writeln!(
            out,
            "\n  OpenClaw commands (the secret goes on stdin, never on the command line):"
        )?;
        for c in &p.commands {
            writeln!(out, "    {c}")?;
        }
    }
    list(out, "Warnings", &p.warnings)?;
    list(out, "Needs doing by hand", &p.manual)?;
    list(out, "Notes", &p.notes)
}

fn list(out: &mut dyn Write, title: &str, items: &[String]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{title}:")?;
    for i in items {
        writeln!(out, "  - {i}")?;
    }
    Ok(())
}

/// The plan (unless it was already shown, e.g. before a confirmation), then what happened.
pub fn write_outcome(
    p: &PlanPreview,
    result: Option<&ApplyResult>,
    dry_run: bool,
    blocked: Option<&str>,
    show_plan: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let empty = p.files.is_empty() && p.chmods.is_empty() && p.commands.is_empty();
    if show_plan {
        write_plan(p, out)?;
    }
    if empty {
        return writeln!(out, "\nNothing to change.");
    }
    if dry_run {
        return writeln!(out, "\nDry run: nothing was written.");
    }
    if let Some(why) = blocked {
        return writeln!(out, "\nNot applied: {why}.");
    }
    match result {
        None => Ok(()),
        Some(r) => {
            write_result(r, out)?;
            write_unwritten(p, r, out)
        }
    }
}

/// After a failure: which planned files were left as they were (apply stops at the
/// first error), so nobody has to guess what state the files are in.
fn write_unwritten(p: &PlanPreview, r: &ApplyResult, out: &mut dyn Write) -> Result<()> {
    if r.errors.is_empty() {
        return Ok(());
    }
    let same = |a: &str, b: &str| {
        a == b
            || std::fs::canonicalize(a)
                .ok()
                .is_some_and(|x| std::fs::canonicalize(b).ok() == Some(x))
    };
    let left: Vec<&str> = p
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|f| !r.written.iter().any(|w| same(w, f)))
        .collect();
    if r.written.is_empty() && r.commands.is_empty() && r.chmodded.is_empty() {
        writeln!(out, "Nothing was changed: every file is as it was before.")
    } else if left.is_empty() {
        Ok(())
    } else {
        writeln!(
            out,
            "Not changed (clawauth stopped at the error): {}",
            left.join(", ")
        )
    }
}

fn write_result(r: &ApplyResult, out: &mut dyn Write) -> Result<()> {
    writeln!(out)?;
    for w in &r.written {
        writeln!(out, "✓ wrote {w}")?;
    }
    for c in &r.commands {
        writeln!(out, "✓ ran {c}")?;
    }
    for c in &r.chmodded {
        writeln!(out, "✓ chmod 600 {c}")?;
    }
    for b in &r.backups {
        writeln!(out, "  backup: {b}")?;
    }
    for m in &r.merged {
        writeln!(
            out,
            "  {m} changed while planning; the edits were re-applied to its current content"
        )?;
    }
    for e in &r.errors {
        writeln!(out, "✗ {e}")?;
    }
    for v in &r.verified {
        writeln!(out, "✓ verified: {v}")?;
    }
    for v in &r.verify_failures {
        writeln!(out, "✗ verification: {v}")?;
    }
    for u in &r.unexpected {
        writeln!(out, "✗ unexpected change: {u}")?;
    }
    Ok(())
}
