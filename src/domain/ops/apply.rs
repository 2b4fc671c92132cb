//! Applying a plan: lock, back up, re-read, re-apply, write atomically; run OpenClaw's
//! CLI for SQLite stores; then re-read everything and verify.

use super::doc::{apply as apply_edit, empty_store, render};
use super::plan::{CliStep, FileChange, FileEdits, Plan};
use super::secret::Secret;
use super::targets::{current_store, edit_config_text};
use crate::domain::discovery::Discovery;
use crate::domain::envsnap::EnvSnapshot;
use crate::domain::report::build_report;
use crate::domain::write::atomic::{backup, write_atomic};
use crate::domain::write::lock::{LockOptions, acquire};
use crate::domain::write::set_mode;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct ApplyOptions<'a> {
    pub lock: LockOptions,
    /// The `openclaw` executable for SQLite-generation steps.
    pub openclaw: Option<PathBuf>,
    /// Environment for OpenClaw child processes.
    pub env: &'a EnvSnapshot,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyResult {
    pub written: Vec<String>,
    pub backups: Vec<String>,
    pub chmodded: Vec<String>,
    pub commands: Vec<String>,
    /// Files that changed between planning and writing; the edits were re-applied on top.
    pub merged: Vec<String>,
    pub errors: Vec<String>,
    pub verified: Vec<String>,
    pub verify_failures: Vec<String>,
    /// Cells that changed although the plan did not target them.
    pub unexpected: Vec<String>,
}

impl ApplyResult {
    pub fn ok(&self) -> bool {
        self.errors.is_empty() && self.verify_failures.is_empty() && self.unexpected.is_empty()
    }
}

/// Applies every change; stops at the first failure (later files stay untouched).
pub fn apply(plan: &Plan, opts: &ApplyOptions, d: &Discovery) -> ApplyResult {
    let mut result = ApplyResult::default();
    for change in &plan.changes {
        if let Err(e) = apply_change(change, opts, &mut result) {
            result.errors.push(e);
            return result;
        }
    }
    for c in &plan.chmods {
        match set_mode(&c.path, c.to) {
            Ok(()) => result.chmodded.push(c.path.display().to_string()),
            Err(e) => result
                .errors
                .push(format!("chmod {:o} {}: {e}", c.to, c.path.display())),
        }
    }
    for step in &plan.steps {
        if let Err(e) = run_step(step, opts, d, &mut result) {
            result.errors.push(e);
            return result;
        }
    }
    result
}

/// Creates missing parent directories with mode 0700 (existing ones are left alone).
fn ensure_parent(path: &Path) -> Result<(), String> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    if parent.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(parent).map_err(|e| {
        format!(
            "cannot create {}: {e}; nothing was written",
            parent.display()
        )
    })
}

fn apply_change(
    change: &FileChange,
    opts: &ApplyOptions,
    result: &mut ApplyResult,
) -> Result<(), String> {
    let path = &change.path;
    ensure_parent(path)?;
    let _lock = match &change.edits {
        FileEdits::Store(_) => Some(
            acquire(path, &opts.lock)
                .map_err(|e| format!("{e}; nothing was written to {}", path.display()))?,
        ),
        FileEdits::Config(_) => None,
    };
    if let Some(b) = backup(path).map_err(|e| {
        format!(
            "cannot back up {}: {e}; nothing was written",
            path.display()
        )
    })? {
        result.backups.push(b.display().to_string());
    }
    let new_text = match &change.edits {
        FileEdits::Store(edits) => rewrite_store(path, edits, change.exists, result)?,
        FileEdits::Config(edits) => {
            let text = if path.exists() {
                super::targets::read_config_text(path)?
            } else {
                "{}\n".into()
            };
            edit_config_text(&text, edits)
                .map_err(|e| format!("{}: {e}; nothing was written", path.display()))?
        }
    };
    let written = write_atomic(path, new_text.as_bytes()).map_err(|e| e.to_string())?;
    result.written.push(written.display().to_string());
    Ok(())
}

/// Re-reads the store under the lock and re-applies the planned edits to what is there now.
fn rewrite_store(
    path: &Path,
    edits: &[super::plan::StoreEdit],
    existed: bool,
    result: &mut ApplyResult,
) -> Result<String, String> {
    let current = current_store(path)?;
    if current.is_some() != existed {
        result.merged.push(path.display().to_string());
    }
    let mut doc = current.unwrap_or_else(empty_store);
    for e in edits {
        apply_edit(&mut doc, e)
            .map_err(|err| format!("{}: {err}; nothing was written", path.display()))?;
    }
    Ok(render(&doc))
}

/// Runs one OpenClaw command with the secret on stdin; output is never shown (it may echo secrets).
fn run_step(
    step: &CliStep,
    opts: &ApplyOptions,
    d: &Discovery,
    result: &mut ApplyResult,
) -> Result<(), String> {
    let exe = opts
        .openclaw
        .as_ref()
        .ok_or_else(|| format!("no openclaw executable found to run: {}", step.display()))?;
    let mut cmd = Command::new(exe);
    cmd.args(&step.args)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in opts.env.iter() {
        cmd.env(k, v);
    }
    cmd.env("OPENCLAW_STATE_DIR", &d.paths.state_dir);
    if let Some(cfg) = &d.config.path {
        cmd.env("OPENCLAW_CONFIG_PATH", cfg);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if let Some(secret) = &step.stdin_secret {
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        stdin
            .write_all(format!("{}\n", secret.expose()).as_bytes())
            .map_err(|e| e.to_string())?;
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    result.commands.push(step.display());
    if out.status.success() {
        return Ok(());
    }
    let stderr = scrub(
        &String::from_utf8_lossy(&out.stderr),
        step.stdin_secret.as_ref(),
    );
    let tail: Vec<&str> = stderr
        .lines()
        .rev()
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Err(format!(
        "`{}` failed ({}): {}",
        step.display(),
        out.status,
        tail.join(" / ")
    ))
}

/// Removes a secret from captured output before it is shown anywhere.
pub fn scrub(text: &str, secret: Option<&Secret>) -> String {
    match secret {
        Some(s) if !s.expose().is_empty() => text.replace(s.expose(), "«redacted»"),
        _ => text.to_string(),
    }
}

/// The raw profile `id` in a SQLite-generation store (the agent's, or the shared one).
pub fn sqlite_profile(d: &Discovery, dir: &Path, shared: bool, id: &str) -> Option<Value> {
    let store = if shared {
        d.shared.as_ref()?
    } else {
        &d.dir_stores(dir)?.primary
    };
    store.raw.as_ref()?.get("profiles")?.get(id).cloned()
}

/// Re-reads everything after apply: planned profiles present, targeted cells usable,
/// and no other cell changed.
pub fn verify(plan: &Plan, before: &Discovery, after: &Discovery, result: &mut ApplyResult) {
    for (place, id) in &plan.expect_profiles {
        let found = match after.generation {
            crate::domain::version::Generation::Json => current_store(place)
                .ok()
                .flatten()
                .is_some_and(|doc| doc.get("profiles").and_then(|p| p.get(id)).is_some()),
            crate::domain::version::Generation::Sqlite => {
                let shared =
                    place.as_path() == after.main_dir() || place == &after.shared_owner_dir;
                sqlite_profile(after, place, shared, id).is_some()
            }
        };
        let line = format!("{id} in {}", place.display());
        if found {
            result.verified.push(line)
        } else {
            result
                .verify_failures
                .push(format!("{line}: not found after writing"))
        }
    }
    compare_cells(plan, before, after, result);
}

fn compare_cells(plan: &Plan, before: &Discovery, after: &Discovery, result: &mut ApplyResult) {
    let (b, a) = (build_report(before), build_report(after));
    for cell in &a.cells {
        let key = (cell.agent.clone(), cell.provider.clone());
        let old = b
            .cells
            .iter()
            .find(|c| c.agent == cell.agent && c.provider == cell.provider);
        let was = old.map_or((false, crate::domain::resolve::Source::None, None), |o| {
            (o.usable, o.source, o.profile.clone())
        });
        let changed = was != (cell.usable, cell.source, cell.profile.clone());
        if plan.expect_usable.contains(&key) {
            if cell.usable {
                result.verified.push(format!(
                    "{} × {} is usable ({})",
                    cell.agent,
                    cell.provider,
                    cell.profile.as_deref().unwrap_or("no profile")
                ));
            } else {
                result.verify_failures.push(format!(
                    "{} × {} is still not usable: {}",
                    cell.agent,
                    cell.provider,
                    cell.reasons.last().cloned().unwrap_or_default()
                ));
            }
        } else if changed
            && !plan.may_change.contains(&key)
            && !plan.may_change_agents.contains(&cell.agent)
        {
            let was = old
                .map(|o| format!("{} {:?} {:?}", o.usable, o.source, o.profile))
                .unwrap_or_default();
            result.unexpected.push(format!(
                "{} × {} changed although the plan did not target it (was {was}, now {} {:?} {:?})",
                cell.agent, cell.provider, cell.usable, cell.source, cell.profile
            ));
        }
    }
}
