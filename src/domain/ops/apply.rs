//! Applying a plan: lock, back up, re-read, re-apply, write atomically; run OpenClaw's
//! CLI for SQLite stores; then re-read everything and verify.

use super::doc::{apply as apply_edit, empty_store, render};
use super::error::ApplyError;
use super::plan::{CliStep, FileChange, FileEdits, Plan};
use super::secret::Secret;
use super::targets::{current_store, edit_config_text};
use crate::domain::read::discovery::Discovery;
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::status::report::build_report;
use crate::domain::write::atomic::{backup, write_atomic};
use crate::domain::write::backups;
use crate::domain::write::lock::{LockOptions, acquire};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(crate) struct ApplyOptions<'a> {
    pub(crate) lock: LockOptions,
    /// The `openclaw` executable for SQLite-generation steps.
    pub(crate) openclaw: Option<PathBuf>,
    /// Environment for OpenClaw child processes.
    pub(crate) env: &'a EnvSnapshot,
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
    /// Backups of written stores that still hold a secret the store no longer has.
    pub stale_backups: Vec<String>,
    /// Such backups deleted (`--purge-backups`).
    pub purged_backups: Vec<String>,
    /// The command that deletes the stale backups later (`… repair --purge-backups`).
    pub purge_command: Option<String>,
    /// Profiles written directly, re-read after a settle time (not serialised).
    #[serde(skip)]
    pub written_profiles: Vec<super::settle::WrittenProfile>,
}

impl ApplyResult {
    pub fn ok(&self) -> bool {
        self.errors.is_empty() && self.verify_failures.is_empty() && self.unexpected.is_empty()
    }
}

/// Applies every change; stops at the first failure (later files stay untouched).
pub(crate) fn apply(plan: &Plan, opts: &ApplyOptions, d: &Discovery) -> ApplyResult {
    let mut result = ApplyResult::default();
    for change in &plan.changes {
        if let Err(e) = apply_change(change, opts, plan.purge_backups, &mut result) {
            result.errors.push(e.to_string());
            return result;
        }
    }
    for c in &plan.chmods {
        match crate::domain::write::owner::chmod_nofollow(&c.path, c.to) {
            Ok(()) => result.chmodded.push(c.path.display().to_string()),
            Err(e) => result.errors.push(format!(
                "chmod {:o} {}: {e}",
                c.to,
                crate::domain::text::shell_path(&c.path)
            )),
        }
    }
    let purged = super::purge::apply_purges(plan, d, &opts.lock);
    result.purged_backups.extend(purged.deleted);
    result.errors.extend(purged.errors);
    if !result.stale_backups.is_empty() {
        result.purge_command = Some(super::purge::purge_command(d));
    }
    for step in &plan.steps {
        if let Err(e) = run_step(step, opts, d, &mut result) {
            result.errors.push(e.to_string());
            return result;
        }
    }
    result
}

/// Creates missing parent directories with mode 0700 (existing ones are left alone).
fn ensure_parent(path: &Path) -> Result<(), ApplyError> {
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
    builder.create(parent).map_err(|e| ApplyError::CreateDir {
        dir: parent.to_path_buf(),
        detail: e.to_string(),
    })
}

fn apply_change(
    change: &FileChange,
    opts: &ApplyOptions,
    purge: bool,
    result: &mut ApplyResult,
) -> Result<(), ApplyError> {
    let path = &change.path;
    ensure_parent(path)?;
    let _lock = match &change.edits {
        FileEdits::Store(_) => Some(acquire(path, &opts.lock).map_err(|e| ApplyError::Lock {
            file: path.clone(),
            lock: e.to_string(),
        })?),
        FileEdits::Config(_) => None,
    };
    if let Some(b) = backup(path).map_err(|e| ApplyError::Backup {
        file: path.clone(),
        detail: e.to_string(),
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
            let edited =
                edit_config_text(&text, edits).map_err(|problem| ApplyError::ConfigEdit {
                    file: path.clone(),
                    problem,
                })?;
            result
                .written_profiles
                .extend(super::settle::config_keys(path, edits));
            edited
        }
    };
    let written =
        write_atomic(path, new_text.as_bytes()).map_err(|e| ApplyError::Write(e.to_string()))?;
    result.written.push(written.display().to_string());
    backups::prune(&written, backups::keep_count(opts.env));
    if matches!(change.edits, FileEdits::Store(_)) {
        old_secret_backups(&written, &new_text, purge, result);
    }
    Ok(())
}

/// Still under the store's lock: the backups of `written` that hold a secret its new
/// content does not (a replaced key), listed, or deleted when `purge` is set.
fn old_secret_backups(written: &Path, new_text: &str, purge: bool, result: &mut ApplyResult) {
    let live = serde_json::from_str::<serde_json::Value>(new_text)
        .map(|doc| backups::secret_values(&doc))
        .unwrap_or_default();
    for b in backups::holding_other_secrets(written, &live) {
        let shown = b.display().to_string();
        if purge && std::fs::remove_file(&b).is_ok() {
            result.purged_backups.push(shown);
        } else {
            result.stale_backups.push(shown);
        }
    }
}

/// Re-reads the store under the lock and re-applies the planned edits to what is there now.
fn rewrite_store(
    path: &Path,
    edits: &[super::plan::StoreEdit],
    existed: bool,
    result: &mut ApplyResult,
) -> Result<String, ApplyError> {
    let current = current_store(path)?;
    if current.is_some() != existed {
        result.merged.push(path.display().to_string());
    }
    let mut doc = current.unwrap_or_else(empty_store);
    let before = doc.clone();
    for e in edits {
        apply_edit(&mut doc, e).map_err(|problem| ApplyError::Edit {
            file: path.to_path_buf(),
            problem,
        })?;
    }
    result
        .written_profiles
        .extend(super::settle::changed_profiles(path, &before, &doc));
    Ok(render(&doc))
}

/// Runs one OpenClaw command with the secret on stdin; output is never shown (it may echo secrets).
fn run_step(
    step: &CliStep,
    opts: &ApplyOptions,
    d: &Discovery,
    result: &mut ApplyResult,
) -> Result<(), ApplyError> {
    let exe = opts
        .openclaw
        .as_ref()
        .ok_or_else(|| ApplyError::NoExecutable {
            command: step.display(),
        })?;
    let mut cmd = Command::new(exe);
    cmd.args(&step.args)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let secret = step.stdin_secret.as_ref().map(Secret::expose);
    for (k, v) in crate::domain::read::envsnap::child_env(opts.env.iter()) {
        if secret.is_none_or(|s| s.is_empty() || !v.contains(s)) {
            cmd.env(k, v);
        }
    }
    cmd.env("OPENCLAW_STATE_DIR", &d.paths.state_dir);
    if let Some(cfg) = &d.config.path {
        cmd.env("OPENCLAW_CONFIG_PATH", cfg);
    }
    let mut child = cmd.spawn().map_err(|e| ApplyError::Spawn {
        exe: exe.clone(),
        detail: e.to_string(),
    })?;
    let pipe = |e: std::io::Error| ApplyError::Pipe(e.to_string());
    if let Some(secret) = &step.stdin_secret {
        let mut stdin = child.stdin.take().ok_or(ApplyError::NoStdin)?;
        stdin
            .write_all(format!("{}\n", secret.expose()).as_bytes())
            .map_err(pipe)?;
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().map_err(pipe)?;
    result.commands.push(step.display());
    if out.status.success() {
        return Ok(());
    }
    Err(command_failed(step, &out))
}

/// A failed OpenClaw command: its status and the last lines of its error output,
/// with the secret it was given scrubbed.
fn command_failed(step: &CliStep, out: &std::process::Output) -> ApplyError {
    let stderr = scrub(
        &String::from_utf8_lossy(&out.stderr),
        step.stdin_secret.as_ref(),
    );
    let tail: Vec<String> = stderr
        .lines()
        .rev()
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(str::to_string)
        .collect();
    ApplyError::Command {
        command: step.display(),
        status: out.status.to_string(),
        tail,
    }
}

/// Removes a secret from captured output before it is shown anywhere.
pub(crate) fn scrub(text: &str, secret: Option<&Secret>) -> String {
    match secret {
        Some(s) => super::scrub::scrub_text(text, s.expose()),
        None => text.to_string(),
    }
}

/// Re-reads everything after apply: planned profiles present, targeted cells usable,
/// and no other cell changed.
pub(crate) fn verify(plan: &Plan, before: &Discovery, after: &Discovery, result: &mut ApplyResult) {
    for (place, id) in &plan.expect_profiles {
        let found = match after.generation {
            crate::domain::read::version::Generation::Json => current_store(place)
                .ok()
                .flatten()
                .is_some_and(|doc| doc.get("profiles").and_then(|p| p.get(id)).is_some()),
            crate::domain::read::version::Generation::Sqlite => {
                let shared =
                    place.as_path() == after.main_dir() || place == &after.shared_owner_dir;
                after.stored_profile(place, shared, id).is_some()
            }
        };
        let line = format!("{id} in {}", place.display());
        if let Some(why) = unread_store(after, place) {
            result.verify_failures.push(format!("{line}: {why}"));
        } else if found {
            result.verified.push(line)
        } else {
            result
                .verify_failures
                .push(format!("{line}: not found after writing"))
        }
    }
    compare_cells(plan, before, after, result);
    use super::settle::{SETTLE, undone, undone_message, withdraw_verified};
    let gone = undone(&result.written_profiles, SETTLE);
    withdraw_verified(&mut result.verified, &gone);
    let failures = gone.iter().map(|w| undone_message(w, SETTLE));
    result.verify_failures.extend(failures);
}

/// Why OpenClaw reads no agent's credentials from the store `place` (a JSON store
/// file, or a SQLite agent directory), if it does not.
fn unread_store(after: &Discovery, place: &Path) -> Option<String> {
    let dir = match after.generation {
        crate::domain::read::version::Generation::Json => place.parent()?,
        crate::domain::read::version::Generation::Sqlite => place,
    };
    let real = dir.canonicalize().ok();
    let same = |a: &Path| a == dir || (real.is_some() && a.canonicalize().ok() == real);
    let read = after.agents.iter().any(|a| same(&a.dir))
        || same(after.main_dir())
        || same(&after.shared_owner_dir);
    (!read).then(|| {
        "written, but no agent's runtime reads this store (OpenClaw looks for each agent's store in its own agent directory)".to_string()
    })
}

fn compare_cells(plan: &Plan, before: &Discovery, after: &Discovery, result: &mut ApplyResult) {
    let (b, a) = (build_report(before), build_report(after));
    for cell in &a.cells {
        let key = (cell.agent.clone(), cell.provider.clone());
        let old = b
            .cells
            .iter()
            .find(|c| c.agent == cell.agent && c.provider == cell.provider);
        let was = old.map_or(
            (false, crate::domain::status::resolve::Source::None, None),
            |o| (o.usable, o.source, o.profile.clone()),
        );
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
            let was = old.map(|o| cell_words(o.usable, o.source, o.profile.as_deref()));
            let now = cell_words(cell.usable, cell.source, cell.profile.as_deref());
            result
                .unexpected
                .push(unexpected_message(&cell.agent, &cell.provider, was, &now));
        }
    }
}

/// A cell's state as words: "usable through profile openai:main from the agent's own store".
fn cell_words(
    usable: bool,
    source: crate::domain::status::resolve::Source,
    profile: Option<&str>,
) -> String {
    use crate::domain::status::resolve::Source;
    let how = if usable { "usable" } else { "not usable" };
    let from = match source {
        Source::Local => "the agent's own store",
        Source::Inherited => "the main agent's store",
        Source::Env => "an environment variable",
        Source::Config => "openclaw.json",
        Source::Synthetic => "a synthetic local key",
        Source::None => return format!("{how}, with no credential"),
    };
    match profile {
        Some(p) => format!("{how} through profile {p} from {from}"),
        None => format!("{how} from {from}"),
    }
}

fn unexpected_message(agent: &str, provider: &str, was: Option<String>, now: &str) -> String {
    let was = was.unwrap_or_else(|| "not there".into());
    format!(
        "{agent} × {provider} changed although the plan did not target it: it was {was}, and is now {now}."
    )
}

#[cfg(test)]
mod words_tests {
    use super::*;
    use crate::domain::status::resolve::Source;

    #[test]
    fn unexpected_changes_read_as_sentences() {
        let was = Some(cell_words(false, Source::None, None));
        let now = cell_words(true, Source::Local, Some("oc3:x"));
        let text = unexpected_message("main", "oc3", was, &now);
        assert_eq!(
            text,
            "main × oc3 changed although the plan did not target it: it was not usable, with no credential, and is now usable through profile oc3:x from the agent's own store."
        );
        assert!(!text.contains("Some(") && !text.contains("Local"));
    }

    #[test]
    fn a_store_no_agent_reads_fails_verification() {
        use crate::domain::read::discovery::{DiscoverOptions, discover};
        use crate::domain::read::paths::PathOverrides;
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        std::fs::create_dir_all(&state).unwrap();
        std::fs::write(
            state.join("openclaw.json"),
            r#"{ agents: { list: [ { id: "main", default: true }, { id: "my..bot" } ] } }"#,
        )
        .unwrap();
        let options = DiscoverOptions {
            paths: PathOverrides {
                state_dir: Some(state.clone()),
                ..Default::default()
            },
            executable_version: None,
            now_ms: 0.0,
        };
        let env = EnvSnapshot::from_pairs([("HOME", dir.path().display().to_string())]);
        let d = discover(&options, &env).unwrap();
        let store = |agent: &str| {
            state
                .join("agents")
                .join(agent)
                .join("agent/auth-profiles.json")
        };
        assert!(unread_store(&d, &store("my-bot")).is_none());
        assert!(unread_store(&d, &store("main")).is_none());
        let why = unread_store(&d, &store("my--bot")).unwrap();
        assert!(why.contains("no agent's runtime reads this store"), "{why}");
    }
}
