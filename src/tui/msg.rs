//! What flows between the state machine and the runner: messages in, effects out.
//! Secrets travel only inside `Secret`, whose `Debug` never shows the value.

use crate::domain::ops::apply::ApplyResult;
use crate::domain::ops::copy::OnConflict;
use crate::domain::ops::key_groups::{HoldingId, KeyGroups};
use crate::domain::ops::plan::{Plan, PlanPreview};
use crate::domain::ops::secret::Secret;
use crate::domain::ops::targets::Targets;
use crate::domain::read::profile::CredType;
use crate::domain::read::version::Generation;
use crate::domain::status::report::Report;
use crossterm::event::KeyEvent;
use std::sync::Arc;

/// Everything that can happen to the UI.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// A click or a wheel turn (other mouse events are not sent).
    Mouse(crossterm::event::MouseEvent),
    Resize(u16, u16),
    Tick,
    /// A store, `openclaw.json` or the cron jobs changed on disk (the runner's watch).
    FilesChanged,
    Reloaded(Result<Report, String>),
    /// The answer to `Effect::Plan`.
    Planned(Result<StagedPlan, String>),
    /// The answer to `Effect::Apply`: written, verified (a `Reloaded` follows).
    Applied(ApplyResult),
    /// The answer to `Effect::LoadProfiles`.
    Profiles(Result<Vec<ProfileChoice>, String>),
    /// The answer to `Effect::LoadKeyGroups`.
    KeyGroups(Result<KeyGroups, String>),
    /// The answer to `Effect::RunExternal`.
    ExternalDone(ExternalOutcome),
    /// The answer to `Effect::Probe`: the rows and the local time (`HH:MM`) of the check.
    Probed(
        Result<Vec<crate::domain::probe::plan::ResultRow>, String>,
        String,
    ),
    /// The answer to `Effect::CheckKey`: what came back and the local time (`HH:MM`).
    KeyChecked(crate::domain::probe::plan::Measured, String),
}

/// What the runner must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    Quit,
    /// Read the OpenClaw state again and send back `Msg::Reloaded`.
    Reload,
    /// Plan a write and send back `Msg::Planned`.
    Plan(PlanRequest),
    /// Apply the plan, re-read, verify; send back `Msg::Applied`, then `Msg::Reloaded`.
    Apply(StagedPlan),
    /// List the profiles of an agent's own store; send back `Msg::Profiles`.
    LoadProfiles(String),
    /// List the stores holding a provider's key, grouped by key; send back `Msg::KeyGroups`.
    LoadKeyGroups(KeyGroupsRequest),
    /// Leave the full screen, run an OpenClaw command in the foreground terminal,
    /// come back; send back `Msg::ExternalDone`.
    RunExternal(ExternalCommand),
    /// Live check of these agents × providers; send back `Msg::Probed`.
    Probe(ProbeScope),
    /// "Check this key first": send this one request; send back `Msg::KeyChecked`.
    CheckKey(crate::domain::probe::request::ProbeRequest),
}

/// The cells a live check covers (agents × providers; cells without a credential are skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeScope {
    pub agents: Vec<String>,
    pub providers: Vec<String>,
}

/// A write to plan, as the wizards collect it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanRequest {
    Set(SetDraft),
    Copy(CopyDraft),
    Rotate(RotateDraft),
    Repair {
        agents: Vec<String>,
    },
    /// Clear the cooldown of profiles whose live check was `ok`.
    ClearCooldowns(Vec<crate::domain::ops::cooldown::Passed>),
    /// Delete these backups (named by a rotation's result: they hold the replaced secret).
    PurgeBackups(Vec<std::path::PathBuf>),
}

/// `clawauth set`, from the add/replace wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetDraft {
    pub provider: String,
    pub cred_type: CredType,
    pub profile_id: Option<String>,
    pub targets: Targets,
    pub source: SecretSource,
    pub expiry: Option<Expiry>,
    pub(crate) email: Option<String>,
    /// A custom provider to declare in openclaw.json in the same plan.
    pub(crate) declare: Option<crate::domain::ops::declare::CustomProvider>,
}

/// Where the credential comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// An API key or token, checked as OpenClaw normalises it.
    Value(Secret),
    /// A pasted OAuth JSON document `{access, refresh, expires, …}`.
    OAuthJson(Secret),
    /// The login of an external CLI, read when planning.
    Import(LoginImport),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginImport {
    Codex,
    Claude,
}

impl LoginImport {
    pub(crate) fn name(self) -> &'static str {
        match self {
            LoginImport::Codex => "codex",
            LoginImport::Claude => "claude",
        }
    }
}

/// A token's expiry: a lifetime from the moment of planning, or a point in time (ms).
pub use crate::service::inputs::Expiry;

/// `clawauth copy`, from the copy wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyDraft {
    pub from: String,
    pub to: Vec<String>,
    pub profiles: Vec<String>,
    pub include_oauth: bool,
    pub on_conflict: OnConflict,
}

/// `clawauth rotate`, from the rotate wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotateDraft {
    pub provider: String,
    pub secret: Secret,
    /// Whose runtime key is the key being rotated (the selected cell's agent).
    pub(crate) for_agent: Option<String>,
    /// Exactly the ticked stores' profiles.
    pub stores: Vec<HoldingId>,
}

/// Which provider's holders to list, and what decides the key being rotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGroupsRequest {
    pub(crate) provider: String,
    pub(crate) for_agent: Option<String>,
    pub(crate) secret: Secret,
}

/// A planned write, shared between the review page and the runner. Two staged
/// plans are equal only when they are the same plan.
#[derive(Clone)]
pub struct StagedPlan {
    pub(crate) plan: Arc<Plan>,
    /// The secret-free view the review page shows.
    pub preview: PlanPreview,
    /// "Check this key first": the request and host for the key the plan writes, or
    /// why it cannot be checked; `None` for a plan that writes no key.
    pub check: Option<Result<crate::tui::checks::KeyTarget, String>>,
}

impl StagedPlan {
    pub(crate) fn new(plan: Plan) -> StagedPlan {
        let preview = plan.preview();
        StagedPlan {
            plan: Arc::new(plan),
            preview,
            check: None,
        }
    }

    /// Files, permission fixes, commands and backup deletions the plan would apply.
    pub fn change_count(&self) -> usize {
        let p = &self.preview;
        p.files.len() + p.chmods.len() + p.commands.len() + p.purges.len()
    }
}

impl PartialEq for StagedPlan {
    fn eq(&self, other: &StagedPlan) -> bool {
        Arc::ptr_eq(&self.plan, &other.plan)
    }
}

impl Eq for StagedPlan {}

impl std::fmt::Debug for StagedPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StagedPlan({:?})", self.preview.title)
    }
}

/// A profile of the copy source's own store, with whether it may be copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChoice {
    pub(crate) id: String,
    pub(crate) provider: String,
    /// `None` when the stored profile is not valid (it cannot be copied).
    pub(crate) cred_type: Option<CredType>,
    /// Why it cannot be copied at all (`copyToAgents: false`, invalid).
    pub(crate) blocked: Option<String>,
}

/// An OpenClaw command run in the foreground terminal (`openclaw <args>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalCommand {
    pub args: Vec<String>,
}

impl ExternalCommand {
    /// OpenClaw's OAuth sign-in. OpenClaw ≥ 2026.6 signs in for the agent given
    /// with `--agent`; 2026.5 and older have no such option (it is refused as
    /// unknown) and always sign in for the default agent.
    pub fn login(provider: &str, agent: &str, generation: Generation) -> ExternalCommand {
        let mut args = vec!["models", "auth", "login", "--provider", provider];
        if generation == Generation::Sqlite {
            args.extend(["--agent", agent]);
        }
        ExternalCommand {
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// As a user would type it.
    pub fn display(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| crate::domain::ops::plan::shell_quote(a))
            .collect();
        format!("openclaw {}", args.join(" "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalOutcome {
    /// The command ran: its exit code (None: killed by a signal), and whether a
    /// credential file of the state changed meanwhile.
    Exited { code: Option<i32>, wrote: bool },
    /// No `openclaw` executable was found: nothing ran.
    NotFound,
    /// It could not be started.
    Failed(String),
}

/// The mouse events the UI acts on (moves and drags are dropped by the runner).
pub(crate) fn wanted_mouse(m: &crossterm::event::MouseEvent) -> bool {
    matches!(
        m.kind,
        crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left)
            | crossterm::event::MouseEventKind::ScrollUp
            | crossterm::event::MouseEventKind::ScrollDown
    )
}
