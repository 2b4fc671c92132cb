//! Where a write lands and how a planned file change is previewed.

use super::diff::unified;
use super::doc::{apply, empty_store, render_redacted};
use super::error::{ManualEdit, PlanError, StoreError};
use super::plan::{ConfigEdit, FileChange, FileEdits, StoreEdit};
use crate::domain::read::discovery::{AUTH_PROFILES, Discovery};
use crate::domain::read::store::read_json_document_with_duplicates;
use crate::domain::write::json5_edit::EditError;
use crate::domain::write::json5_edit::Json5Doc;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Which stores a write targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Targets {
    Agents(Vec<String>),
    AllAgents,
    /// The store every agent inherits from.
    Shared,
}

/// Resolved target: the agent (None for the shared store) and its JSON store path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) agent: Option<String>,
    pub(crate) dir: PathBuf,
}

impl Target {
    pub(crate) fn store_path(&self) -> PathBuf {
        self.dir.join(AUTH_PROFILES)
    }

    pub(crate) fn label(&self) -> String {
        match &self.agent {
            Some(a) => format!("agent {a}"),
            None => "the shared main store".into(),
        }
    }
}

pub(crate) fn resolve_targets(d: &Discovery, targets: &Targets) -> Result<Vec<Target>, PlanError> {
    match targets {
        Targets::Shared => Ok(vec![Target {
            agent: None,
            dir: d.main_dir().to_path_buf(),
        }]),
        Targets::AllAgents => Ok(d
            .agents
            .iter()
            .filter(|a| a.configured)
            .map(|a| Target {
                agent: Some(a.id.clone()),
                dir: a.dir.clone(),
            })
            .collect()),
        Targets::Agents(ids) if ids.is_empty() => Err(PlanError::NoTarget),
        Targets::Agents(ids) => ids
            .iter()
            .map(|id| {
                let a = d.agent(id).ok_or_else(|| PlanError::UnknownAgent {
                    agent: id.clone(),
                    known: d.agents.iter().map(|a| a.id.clone()).collect(),
                })?;
                Ok(Target {
                    agent: Some(a.id.clone()),
                    dir: a.dir.clone(),
                })
            })
            .collect(),
    }
}

/// The agents whose runtime a target feeds: the agent itself, or every agent when the
/// target is the shared store (including `--agent main`, whose store is the shared one).
pub(crate) fn affected_agents(d: &Discovery, target: &Target) -> Vec<String> {
    let shared =
        target.agent.is_none() || target.dir == d.main_dir() || target.dir == d.shared_owner_dir;
    match &target.agent {
        Some(a) if !shared => vec![a.clone()],
        _ => d.agents.iter().map(|a| a.id.clone()).collect(),
    }
}

/// The current document of a JSON store, refusing unreadable files (never overwrite them)
/// and files with duplicate keys (a rewrite would silently drop the earlier copies).
pub(crate) fn current_store(path: &Path) -> Result<Option<Value>, StoreError> {
    let doc = read_json_document_with_duplicates(path).map_err(StoreError::Unreadable)?;
    match doc {
        Some((_, keys)) if !keys.is_empty() => Err(StoreError::DuplicateKeys {
            file: path.to_path_buf(),
            keys,
        }),
        other => Ok(other.map(|(value, _)| value)),
    }
}

/// Writes need openclaw.json: it says where agent directories are and which profile
/// ids and modes are declared. A write planned without it could land in the wrong file.
pub(crate) fn require_readable_config(d: &Discovery) -> Result<(), PlanError> {
    match &d.config.error {
        Some(e) => Err(PlanError::ConfigUnreadable(e.clone())),
        None => Ok(()),
    }
}

pub(crate) use crate::domain::read::config::read_config_text;

/// Plans edits to one JSON store: applies them to a copy and renders a redacted diff.
pub(crate) fn plan_store_change(
    path: &Path,
    edits: Vec<StoreEdit>,
    summary: Vec<String>,
) -> Result<FileChange, StoreError> {
    let current = current_store(path)?;
    let exists = current.is_some();
    let before = current.clone().unwrap_or_else(empty_store);
    let mut after = before.clone();
    for e in &edits {
        apply(&mut after, e).map_err(|problem| StoreError::Invalid {
            file: path.to_path_buf(),
            problem,
        })?;
    }
    let before_text = if exists {
        render_redacted(&before)
    } else {
        String::new()
    };
    let diff = unified(&before_text, &render_redacted(&after), 3);
    Ok(FileChange {
        path: path.to_path_buf(),
        edits: FileEdits::Store(edits),
        exists,
        diff,
        summary,
    })
}

/// Applies config edits to openclaw.json's text, keeping comments and formatting.
pub(crate) fn edit_config_text(text: &str, edits: &[ConfigEdit]) -> Result<String, EditError> {
    let mut doc = Json5Doc::parse(text)?;
    for ConfigEdit::Set { path, value } in edits {
        let keys: Vec<&str> = path.iter().map(String::as_str).collect();
        doc.set(&keys, value)?;
    }
    Ok(doc.text().to_string())
}

/// The exact change, in words, for when openclaw.json cannot be edited safely.
pub(crate) fn describe_config_edits(edits: &[ConfigEdit]) -> String {
    edits
        .iter()
        .map(|ConfigEdit::Set { path, value }| format!("set {} = {}", path.join("."), value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Plans config edits; `Err` says what to do by hand when the file cannot be edited safely.
pub(crate) fn plan_config_change(
    d: &Discovery,
    edits: Vec<ConfigEdit>,
    summary: Vec<String>,
) -> Result<Option<FileChange>, ManualEdit> {
    if edits.is_empty() {
        return Ok(None);
    }
    let path = d
        .config
        .path
        .clone()
        .unwrap_or_else(|| d.paths.state_dir.join("openclaw.json"));
    let text = if path.exists() {
        read_config_text(&path)?
    } else {
        "{}\n".to_string()
    };
    let after = edit_config_text(&text, &edits).map_err(|why| ManualEdit::Edit {
        file: path.clone(),
        why,
        edits: describe_config_edits(&edits),
    })?;
    let diff = unified(&text, &after, 3);
    Ok(Some(FileChange {
        path,
        edits: FileEdits::Config(edits),
        exists: d.config.exists,
        diff,
        summary,
    }))
}

/// A warning when the store generation was only assumed: writing JSON for an OpenClaw
/// ≥ 2026.6 would block auth (AUTH_PROFILE_MIGRATION_REQUIRED).
pub(crate) fn generation_warning(d: &Discovery) -> Option<String> {
    let assumed =
        d.version.is_none() && d.generation == crate::domain::read::version::Generation::Json;
    assumed.then(|| "clawauth could not tell which OpenClaw version runs here (no `openclaw` found, no SQLite store on disk) and assumes the JSON store of OpenClaw ≤ 2026.5; if you run 2026.6 or later, pass --openclaw PATH instead: a JSON store there blocks auth".to_string())
}
