//! Human output for plans and their results (secrets are never in either).

use crate::domain::ops::apply::ApplyResult;
use crate::domain::ops::key_outcome::{GroupOutcome, KeyRole, summary};
use crate::domain::ops::plan::PlanPreview;
use crate::domain::text::safe;
use std::io::{Result, Write};

/// The last line of defence for text output: every control byte except the newline
/// that ends a line is shown escaped (`\x1b`), whatever a renderer forgot to make safe.
pub(crate) struct TerminalGuard<'a>(pub(crate) &'a mut dyn Write);

impl Write for TerminalGuard<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize> {
        let mut start = 0;
        for (i, &b) in buf.iter().enumerate() {
            if (b < 0x20 && b != b'\n') || b == 0x7f {
                self.0.write_all(&buf[start..i])?;
                write!(self.0, "\\x{b:02x}")?;
                start = i + 1;
            }
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<()> {
        self.0.flush()
    }
}

pub(crate) fn write_plan(p: &PlanPreview, out: &mut dyn Write) -> Result<()> {
    let out = &mut TerminalGuard(out);
    writeln!(out, "Plan: {}", safe(&p.title))?;
    for f in &p.files {
        let verb = if f.creates { "create" } else { "change" };
        writeln!(out, "\n  {verb} {}", safe(&f.path))?;
        for s in &f.summary {
            writeln!(out, "    - {}", safe(s))?;
        }
        for line in f.diff.lines() {
            writeln!(out, "      {}", safe(line))?;
        }
    }
    for c in &p.chmods {
        writeln!(out, "\n  {}", safe(c))?;
    }
    for b in &p.purges {
        writeln!(
            out,
            "\n  delete {} (a backup holding a secret no store uses)",
            safe(b)
        )?;
    }
    if !p.commands.is_empty() {
        writeln!(
            out,
            "\n  OpenClaw commands (the secret goes on stdin, never on the command line):"
        )?;
        for c in &p.commands {
            writeln!(out, "    {}", safe(c))?;
        }
    }
    write_key_groups(&p.key_groups, out)?;
    list(out, "Warnings", &p.warnings)?;
    list(out, "Needs doing by hand", &p.manual)?;
    list(out, "Notes", &p.notes)
}

/// Rotate: every store holding the provider, by key, ticked when the plan replaces it.
fn write_key_groups(groups: &[GroupOutcome], out: &mut dyn Write) -> Result<()> {
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n  Stores holding a key: {}", safe(&summary(groups)))?;
    for g in groups {
        writeln!(out, "    {}:", safe(&g.text))?;
        for h in &g.holders {
            let (mark, what) = match (h.replaced, g.role) {
                (true, _) => ("[x]", "replaced"),
                (false, KeyRole::AlreadyNew) => ("[-]", "already the new key"),
                (false, KeyRole::Different) => {
                    ("[ ]", "kept (add --include-different to replace it too)")
                }
                (false, KeyRole::Rotated) => ("[ ]", "kept (not selected)"),
            };
            writeln!(
                out,
                "      {mark} {} {} in {}: {what}",
                safe(&h.label),
                safe(&h.profile),
                safe(&h.store)
            )?;
        }
    }
    Ok(())
}

/// Shows a wait for another writer's lock on stderr: at once who holds it, then
/// (on a terminal) how long the wait has lasted.
pub(crate) fn report_lock_wait(w: &crate::domain::write::lock_wait::LockWait) {
    use crate::domain::write::lock_wait::describe_holder;
    let target = safe(&w.target.display().to_string());
    if w.first {
        let holder = safe(&describe_holder(w.holder));
        eprintln!(
            "clawauth: {target} is locked ({holder}); waiting for it (OpenClaw's limit ~50 s, --lock-timeout SECS to change)"
        );
    } else if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!(
            "clawauth: still waiting for the lock on {target} ({} s)",
            w.waited.as_secs()
        );
    }
}

fn list(out: &mut dyn Write, title: &str, items: &[String]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{title}:")?;
    for i in items {
        writeln!(out, "  - {}", safe(i))?;
    }
    Ok(())
}

/// The plan (unless it was already shown, e.g. before a confirmation), then what happened.
pub(crate) fn write_outcome(
    p: &PlanPreview,
    result: Option<&ApplyResult>,
    dry_run: bool,
    blocked: Option<&str>,
    show_plan: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let out = &mut TerminalGuard(out);
    let empty =
        p.files.is_empty() && p.chmods.is_empty() && p.commands.is_empty() && p.purges.is_empty();
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
        return writeln!(out, "\nNot applied: {}.", safe(why));
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
    if r.written.is_empty()
        && r.commands.is_empty()
        && r.chmodded.is_empty()
        && r.purged_backups.is_empty()
    {
        writeln!(out, "Nothing was changed: every file is as it was before.")
    } else if left.is_empty() {
        Ok(())
    } else {
        writeln!(
            out,
            "Not changed (clawauth stopped at the error): {}",
            safe(&left.join(", "))
        )
    }
}

/// Backups that still hold a replaced secret, and how to remove them.
fn write_old_secrets(r: &ApplyResult, out: &mut dyn Write) -> Result<()> {
    for p in &r.purged_backups {
        writeln!(
            out,
            "✓ removed backup {} (it held a replaced secret)",
            safe(p)
        )?;
    }
    if r.stale_backups.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "! {} backup(s) still hold a replaced secret in plaintext:",
        r.stale_backups.len()
    )?;
    for b in &r.stale_backups {
        writeln!(out, "    {}", safe(b))?;
    }
    let quoted: Vec<String> = r
        .stale_backups
        .iter()
        .map(|b| crate::domain::text::shell_quote(b))
        .collect();
    writeln!(
        out,
        "  remove them once you no longer need them: {}",
        safe(&format!("rm {}", quoted.join(" ")))
    )?;
    match &r.purge_command {
        Some(cmd) => writeln!(out, "  (or remove them all later with: {})", safe(cmd)),
        None => Ok(()),
    }
}

fn write_result(r: &ApplyResult, out: &mut dyn Write) -> Result<()> {
    writeln!(out)?;
    for w in &r.written {
        writeln!(out, "✓ wrote {}", safe(w))?;
    }
    for c in &r.commands {
        writeln!(out, "✓ ran {}", safe(c))?;
    }
    for c in &r.chmodded {
        writeln!(out, "✓ chmod 600 {}", safe(c))?;
    }
    for b in &r.backups {
        writeln!(out, "  backup: {}", safe(b))?;
    }
    write_old_secrets(r, out)?;
    for m in &r.merged {
        writeln!(
            out,
            "  {} changed while planning; the edits were re-applied to its current content",
            safe(m)
        )?;
    }
    for e in &r.errors {
        writeln!(out, "✗ {}", safe(e))?;
        eprintln!("clawauth: {}", safe(e));
    }
    for v in &r.verified {
        writeln!(out, "✓ verified: {}", safe(v))?;
    }
    for v in &r.verify_failures {
        writeln!(out, "✗ verification: {}", safe(v))?;
    }
    for u in &r.unexpected {
        writeln!(out, "✗ unexpected change: {}", safe(u))?;
    }
    Ok(())
}
