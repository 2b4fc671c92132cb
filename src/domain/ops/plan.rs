//! A write is a plan first: the files that change (with a redacted diff), the OpenClaw
//! commands to run, warnings; then it is applied and verified. Plans hold secrets only
//! inside `Secret` values and never print them.

use super::draft::ProfileDraft;
use super::key_outcome::GroupOutcome;
use super::secret::Secret;
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;

/// One change to an auth store document, re-applied to the file's current content
/// under OpenClaw's lock at apply time.
#[derive(Clone)]
pub enum StoreEdit {
    /// Add or replace a whole profile.
    Upsert(ProfileDraft),
    Remove {
        id: String,
    },
    /// Replace the secret of an existing profile, keeping its other fields.
    ReplaceSecret {
        id: String,
        field: String,
        secret: Secret,
    },
    /// Put `id` first in `order[provider]` when that order exists.
    PrependOrder {
        provider: String,
        id: String,
    },
    /// Set `order[provider]` if the store has no order for it yet.
    SetOrderIfAbsent {
        provider: String,
        ids: Vec<String>,
    },
    RemoveOrderIds {
        provider: String,
        ids: Vec<String>,
    },
    /// Repair one profile in place (see `repair`).
    Repair {
        id: String,
        fixes: Vec<super::fixes::Fix>,
    },
    /// Replace a legacy flat document by the canonical shape (repair).
    Canonicalize,
    /// Clear a profile's cooldown and disabled window (`usageStats`), as OpenClaw's
    /// `resetUsageStats` does after a good run (see `cooldown`).
    ResetUsage {
        id: String,
    },
}

/// One change to openclaw.json (metadata only: never secrets).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ConfigEdit {
    Set { path: Vec<String>, value: Value },
}

#[derive(Clone)]
pub(crate) enum FileEdits {
    Store(Vec<StoreEdit>),
    Config(Vec<ConfigEdit>),
}

/// A file the plan changes.
#[derive(Clone)]
pub(crate) struct FileChange {
    pub(crate) path: PathBuf,
    pub(crate) edits: FileEdits,
    /// Whether the file exists now.
    pub(crate) exists: bool,
    /// Redacted unified diff of the change, computed from the file as planned.
    pub(crate) diff: String,
    /// What the change does, in words.
    pub(crate) summary: Vec<String>,
}

/// An OpenClaw CLI invocation (SQLite generation); the secret goes on stdin.
#[derive(Clone)]
pub(crate) struct CliStep {
    pub(crate) args: Vec<String>,
    pub(crate) stdin_secret: Option<Secret>,
}

/// One `openclaw models auth paste-api-key|paste-token` invocation.
pub(crate) struct Paste<'a> {
    pub(crate) cred_type: crate::domain::read::profile::CredType,
    pub(crate) provider: &'a str,
    pub(crate) profile_id: &'a str,
    pub(crate) agent: &'a str,
    /// Token expiry (epoch ms), passed as `--expires-in <hours>h`.
    pub(crate) expires_ms: Option<f64>,
}

impl Paste<'_> {
    /// The step, with the secret on stdin and an explicit profile id (OpenClaw's default id
    /// writes the shared store whatever `--agent` says).
    pub(crate) fn step(&self, secret: &Secret, now_ms: f64) -> CliStep {
        let command = match self.cred_type {
            crate::domain::read::profile::CredType::ApiKey => "paste-api-key",
            _ => "paste-token",
        };
        let fixed = [
            "models",
            "auth",
            command,
            "--provider",
            self.provider,
            "--profile-id",
            self.profile_id,
            "--agent",
            self.agent,
        ];
        let mut args: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
        if let Some(e) = self.expires_ms.filter(|_| command == "paste-token") {
            let hours = ((e - now_ms) / 3_600_000.0).ceil().max(1.0) as i64;
            args.extend(["--expires-in".to_string(), format!("{hours}h")]);
        }
        CliStep {
            args,
            stdin_secret: Some(secret.clone()),
        }
    }
}

impl CliStep {
    /// The command as a user would type it, with the secret as "$SECRET".
    pub(crate) fn display(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|a| shell_quote(a)).collect();
        match &self.stdin_secret {
            Some(_) => format!("printf '%s\\n' \"$SECRET\" | openclaw {}", args.join(" ")),
            None => format!("openclaw {}", args.join(" ")),
        }
    }
}

pub(crate) use crate::domain::text::shell_quote;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PlanKind {
    Set,
    Copy,
    Rotate,
    Repair,
    ClearCooldown,
}

/// A permission fix (repair).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chmod {
    /// The real file (a link's target).
    pub(crate) path: PathBuf,
    pub(crate) from: u32,
    pub(crate) to: u32,
    /// The symbolic link the store was found through, if any.
    pub(crate) via: Option<PathBuf>,
    /// Whose file it is, when not the user clawauth runs as.
    pub(crate) owner: Option<String>,
}

#[derive(Clone)]
pub struct Plan {
    pub(crate) kind: PlanKind,
    pub(crate) title: String,
    pub(crate) changes: Vec<FileChange>,
    pub(crate) chmods: Vec<Chmod>,
    pub(crate) steps: Vec<CliStep>,
    pub(crate) warnings: Vec<String>,
    pub(crate) notes: Vec<String>,
    /// Things the plan cannot do, with the manual steps.
    pub(crate) manual: Vec<String>,
    /// (agent, provider) cells this plan should make usable.
    pub(crate) expect_usable: Vec<(String, String)>,
    /// (agent, provider) cells this plan is allowed to change.
    pub(crate) may_change: Vec<(String, String)>,
    /// Agents any of whose cells the plan may change (repairs of their stores).
    pub(crate) may_change_agents: Vec<String>,
    /// Profiles expected in each destination after apply: (store path, profile id).
    pub(crate) expect_profiles: Vec<(PathBuf, String)>,
    /// After writing a store, delete its backups that hold a secret it no longer has.
    pub(crate) purge_backups: bool,
    /// Backups to delete (`repair --purge-backups`): they hold secrets no store uses.
    pub(crate) purges: Vec<PathBuf>,
    /// Rotate: every store holding the provider, grouped by key, marked when replaced.
    pub(crate) key_groups: Vec<GroupOutcome>,
}

pub(crate) const GATEWAY_NOTE: &str = "No running OpenClaw gateway was found for this state. If one runs where clawauth cannot see it (another user, container or machine), run `openclaw secrets reload` (or restart it) so it sees the change.";

impl Plan {
    /// A running gateway keeps its own copy of the credentials: a warning when one
    /// runs (found by its lock, see `read::gateway`), else a note.
    pub(crate) fn add_gateway_advice(&mut self, d: &crate::domain::read::discovery::Discovery) {
        match &d.gateway {
            Some(g) => self.warnings.push(format!(
                "An OpenClaw gateway is running (pid {}, lock {}): it serves its own copy of the credentials and can write it back over this change. Run `openclaw secrets reload` (or restart the gateway) right after applying.",
                g.pid, g.lock_file
            )),
            None => self.notes.push(GATEWAY_NOTE.into()),
        }
    }

    pub(crate) fn new(kind: PlanKind, title: impl Into<String>) -> Plan {
        Plan {
            purge_backups: false,
            purges: Vec::new(),
            key_groups: Vec::new(),
            kind,
            title: title.into(),
            changes: Vec::new(),
            chmods: Vec::new(),
            steps: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
            manual: Vec::new(),
            expect_usable: Vec::new(),
            may_change: Vec::new(),
            may_change_agents: Vec::new(),
            expect_profiles: Vec::new(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.chmods.is_empty()
            && self.steps.is_empty()
            && self.purges.is_empty()
    }

    /// A serialisable, secret-free view of the plan.
    pub fn preview(&self) -> PlanPreview {
        PlanPreview {
            kind: self.kind,
            title: self.title.clone(),
            files: self
                .changes
                .iter()
                .map(|c| FilePreview {
                    path: c.path.display().to_string(),
                    creates: !c.exists,
                    summary: c.summary.clone(),
                    diff: c.diff.clone(),
                })
                .collect(),
            chmods: self
                .chmods
                .iter()
                .map(|c| {
                    let path = crate::domain::text::shell_path(&c.path);
                    let via = c.via.as_ref().map_or(String::new(), |l| {
                        format!("; the store {} is a symbolic link to it", l.display())
                    });
                    let owner = c.owner.as_ref().map_or(String::new(), |o| {
                        format!("; it belongs to {o}, who keeps it")
                    });
                    format!("chmod {:o} {path} (was {:o}{via}{owner})", c.to, c.from)
                })
                .collect(),
            commands: self.steps.iter().map(CliStep::display).collect(),
            purges: self
                .purges
                .iter()
                .map(|b| b.display().to_string())
                .collect(),
            warnings: self.warnings.clone(),
            notes: self.notes.clone(),
            manual: self.manual.clone(),
            key_groups: self.key_groups.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FilePreview {
    pub path: String,
    pub(crate) creates: bool,
    pub summary: Vec<String>,
    pub diff: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PlanPreview {
    pub(crate) kind: PlanKind,
    pub title: String,
    pub files: Vec<FilePreview>,
    pub chmods: Vec<String>,
    pub commands: Vec<String>,
    /// Backups deleted because they hold secrets no store uses (`repair --purge-backups`).
    pub purges: Vec<String>,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
    pub manual: Vec<String>,
    /// Rotate: the stores holding the provider by key (absent for other plans).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_groups: Vec<GroupOutcome>,
}
