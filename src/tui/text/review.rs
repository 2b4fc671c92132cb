//! The lines of the review page (the plan with its redacted diff) and of the
//! result (✓/✗ per file, command and verification), built from data: the state
//! counts them to scroll, the view draws them.

use crate::domain::ops::apply::ApplyResult;
use crate::domain::ops::plan::PlanPreview;
use crate::domain::read::gateway::Gateway;
use crate::tui::checks::{KeyCheck, KeyState, LiveMark};
use crate::tui::msg::ExternalOutcome;
use crate::tui::outcome::{Outcome, Phase, Reread};
use crate::tui::theme::Theme;
use ratatui::style::Style;
use ratatui::text::Line;

/// Every line of the page in `phase`; `gateway`: the running OpenClaw gateway, if any;
/// `key`: "check this key first".
pub(crate) fn lines(
    t: &Theme,
    phase: &Phase,
    gateway: Option<&Gateway>,
    key: &KeyCheck,
) -> Vec<Line<'static>> {
    match phase {
        Phase::Done(Outcome::Applied(r)) => {
            let mut out = result_lines(t, r, gateway);
            out.splice(2..2, written_key_lines(t, key));
            out
        }
        Phase::Done(Outcome::External {
            command,
            outcome,
            provider,
            changes,
            ..
        }) => {
            let mut out = external_lines(t, command, outcome);
            if matches!(outcome, ExternalOutcome::Exited { .. }) {
                out.extend(change_lines(t, provider, changes));
            }
            out
        }
        Phase::Planned { plan, .. } | Phase::Applying(plan) => {
            let mut out = plan_lines(t, &plan.preview);
            out.splice(1..1, key_lines(t, key));
            out
        }
        Phase::Failed(e) => vec![
            Line::styled(format!("✗ Cannot plan this: {e}"), t.error_text),
            Line::raw(""),
            Line::raw("Nothing was written. Esc goes back to change it."),
        ],
        Phase::Planning => vec![Line::styled("Planning…", t.muted)],
    }
}

/// The plan, as `clawauth --dry-run` prints it, with the diff coloured.
pub(crate) fn plan_lines(t: &Theme, p: &PlanPreview) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(format!("Plan: {}", p.title), t.heading)];
    for f in &p.files {
        let verb = if f.creates { "create" } else { "change" };
        out.push(Line::raw(""));
        out.push(Line::styled(format!("{verb} {}", f.path), t.key));
        out.extend(f.summary.iter().map(|s| Line::raw(format!("  • {s}"))));
        out.extend(f.diff.lines().map(|l| diff_line(t, l)));
    }
    if !p.chmods.is_empty() {
        out.push(Line::raw(""));
        out.extend(p.chmods.iter().map(|c| Line::styled(c.clone(), t.key)));
    }
    if !p.purges.is_empty() {
        out.push(Line::raw(""));
        out.extend(p.purges.iter().map(|b| {
            Line::styled(
                format!("delete {b} (a backup holding a secret no store uses)"),
                t.key,
            )
        }));
    }
    if !p.commands.is_empty() {
        out.push(Line::raw(""));
        let title = "OpenClaw commands (the secret goes on stdin, never on the command line):";
        out.push(Line::styled(title, t.heading));
        out.extend(p.commands.iter().map(|c| Line::raw(format!("  {c}"))));
    }
    section(&mut out, t, "Warnings", &p.warnings, "! ", t.warn);
    section(
        &mut out,
        t,
        "Needs doing by hand",
        &p.manual,
        "• ",
        Style::new(),
    );
    section(&mut out, t, "Notes", &p.notes, "• ", t.muted);
    out
}

/// On the review: where "check this key first" would send the key, or its answer.
pub(crate) fn key_lines(t: &Theme, key: &KeyCheck) -> Vec<Line<'static>> {
    let line = match (&key.target, &key.state) {
        (None, _) => return Vec::new(),
        (Some(Err(why)), _) => {
            Line::styled(format!("Cannot check this key first: {why}."), t.muted)
        }
        (Some(Ok(host)), KeyState::NotAsked) => Line::styled(
            format!("t: check this key first (one free request to {host}, nothing is written)"),
            t.key,
        ),
        (Some(Ok(host)), KeyState::Running) => {
            Line::styled(format!("Checking this key with {host}…"), t.muted)
        }
        (Some(Ok(host)), KeyState::Done(mark)) => {
            checked_line(t, &format!("key checked with {host}"), mark)
        }
    };
    vec![line]
}

fn checked_line(t: &Theme, what: &str, mark: &LiveMark) -> Line<'static> {
    let (glyph, style) = match mark.failed {
        false => ("✓", t.good),
        true => ("✗", t.error_text),
    };
    Line::styled(format!("{glyph} {what}: {}", mark.line()), style)
}

/// On the result: whether the written key was checked before it was written.
fn written_key_lines(t: &Theme, key: &KeyCheck) -> Vec<Line<'static>> {
    let line = match (&key.target, &key.state) {
        (None, _) => return Vec::new(),
        (Some(Ok(host)), KeyState::Done(mark)) => {
            let what = format!("the written key was checked with {host} before writing");
            checked_line(t, &what, mark)
        }
        _ => Line::styled(
            "The written key was not checked before writing (T on the overview checks it now).",
            t.warn,
        ),
    };
    vec![line, Line::raw("")]
}

fn diff_line(t: &Theme, line: &str) -> Line<'static> {
    let style = match line.chars().next() {
        Some('+') if !line.starts_with("+++") => t.good,
        Some('-') if !line.starts_with("---") => t.bad,
        Some('@') => t.muted,
        _ => Style::new(),
    };
    Line::styled(format!("    {line}"), style)
}

fn section(
    out: &mut Vec<Line<'static>>,
    t: &Theme,
    title: &str,
    items: &[String],
    bullet: &str,
    style: Style,
) {
    if items.is_empty() {
        return;
    }
    out.push(Line::raw(""));
    out.push(Line::styled(title.to_string(), t.heading));
    out.extend(
        items
            .iter()
            .map(|i| Line::styled(format!("  {bullet}{i}"), style)),
    );
}

fn result_lines(t: &Theme, r: &ApplyResult, gateway: Option<&Gateway>) -> Vec<Line<'static>> {
    let only_deleted = r.written.is_empty() && r.commands.is_empty() && r.chmodded.is_empty();
    let (head, style) = match r.ok() {
        true if only_deleted && !r.purged_backups.is_empty() => ("✓ Deleted.", t.good),
        true => ("✓ Written and verified.", t.good),
        false => ("✗ Not everything worked: see below.", t.error_text),
    };
    let mut out = vec![Line::styled(head, style), Line::raw("")];
    let good = |out: &mut Vec<Line<'static>>, prefix: &str, items: &[String]| {
        out.extend(
            items
                .iter()
                .map(|i| Line::styled(format!("✓ {prefix}{i}"), t.good)),
        );
    };
    let bad = |out: &mut Vec<Line<'static>>, prefix: &str, items: &[String]| {
        out.extend(
            items
                .iter()
                .map(|i| Line::styled(format!("✗ {prefix}{i}"), t.error_text)),
        );
    };
    good(&mut out, "wrote ", &r.written);
    good(&mut out, "ran ", &r.commands);
    good(&mut out, "chmod 600 ", &r.chmodded);
    good(&mut out, "deleted ", &r.purged_backups);
    bad(&mut out, "", &r.errors);
    good(&mut out, "verified: ", &r.verified);
    bad(&mut out, "verification: ", &r.verify_failures);
    bad(&mut out, "unexpected change: ", &r.unexpected);
    let muted = |text: String| Line::styled(text, t.muted);
    out.extend(r.backups.iter().map(|b| muted(format!("  backup: {b}"))));
    if !r.stale_backups.is_empty() {
        out.push(Line::styled(
            format!(
                "! {} backup(s) still hold a replaced secret in plaintext: press d to delete them (you review it first; later, `{}` does it):",
                r.stale_backups.len(),
                r.purge_command.as_deref().unwrap_or("clawauth repair --purge-backups")
            ),
            t.warn,
        ));
        out.extend(r.stale_backups.iter().map(|b| muted(format!("    {b}"))));
    }
    out.extend(r.merged.iter().map(|m| {
        muted(format!(
            "  {m} changed while planning; the edits were re-applied to it"
        ))
    }));
    out.push(Line::raw(""));
    out.push(match gateway {
        Some(g) => Line::styled(
            format!(
                "! An OpenClaw gateway is running (pid {}): run `openclaw secrets reload` now, or it may write its old copy back over this change.",
                g.pid
            ),
            t.warn,
        ),
        None => Line::raw("The overview was re-read: the cells show the new state."),
    });
    out
}

fn external_lines(t: &Theme, command: &str, outcome: &ExternalOutcome) -> Vec<Line<'static>> {
    match outcome {
        ExternalOutcome::Exited {
            code: Some(0),
            wrote: false,
        } => vec![Line::styled(
            format!("! `{command}` finished, but wrote no credential (was it cancelled?)."),
            t.warn,
        )],
        ExternalOutcome::Exited {
            code: Some(0),
            wrote: true,
        } => vec![Line::styled(
            format!("✓ `{command}` finished and wrote a credential."),
            t.good,
        )],
        ExternalOutcome::Exited { code, .. } => vec![Line::styled(
            format!("✗ `{command}` ended with {}.", exit_text(*code)),
            t.error_text,
        )],
        ExternalOutcome::NotFound => vec![
            Line::styled(
                "✗ No `openclaw` executable was found (see --openclaw PATH).",
                t.error_text,
            ),
            Line::raw(""),
            Line::raw("Run this in a terminal, then press r on the overview to re-read:"),
            Line::styled(format!("  {command}"), t.key),
        ],
        ExternalOutcome::Failed(e) => vec![Line::styled(
            format!("✗ Could not run `{command}`: {e}"),
            t.error_text,
        )],
    }
}

/// What the re-read after a sign-in found for its provider.
fn change_lines(t: &Theme, provider: &str, changes: &Reread) -> Vec<Line<'static>> {
    let mut out = vec![Line::raw("")];
    match changes {
        Reread::Pending => out.push(muted_line(t, "Re-reading the OpenClaw state…")),
        Reread::Failed(e) => out.push(Line::styled(
            format!("✗ Could not re-read the state: {e}. Press r on the overview to try again."),
            t.error_text,
        )),
        Reread::Done(changes) if changes.is_empty() => out.push(Line::raw(format!(
            "The overview was re-read: no agent's {provider} cell changed (another profile may still come first)."
        ))),
        Reread::Done(changes) => {
            out.push(Line::raw(format!(
                "The overview was re-read. {provider} changed for:"
            )));
            out.extend(changes.iter().map(|c| Line::raw(format!("  {c}"))));
        }
    }
    out
}

fn muted_line(t: &Theme, text: &str) -> Line<'static> {
    Line::styled(text.to_string(), t.muted)
}

fn exit_text(code: Option<i32>) -> String {
    match code {
        Some(c) => format!("exit code {c}"),
        None => "a signal".into(),
    }
}
