//! Why a write cannot be planned or applied, typed: each variant carries the file,
//! profile, provider or agent it is about. The messages describe the action; where a
//! front end offers a way out (a flag, a key), it phrases that part itself (see
//! `cli::wording` and `tui::text::errors`).

use crate::domain::read::error::ReadError;
use crate::domain::text::IdError;
use crate::domain::write::json5_edit::EditError;
use std::path::PathBuf;

/// A write that cannot be planned: nothing is written (the CLI exits 4).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Id(#[from] IdError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Custom(#[from] CustomError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Link(#[from] LinkError),
    /// openclaw.json cannot be read (its read error).
    #[error(
        "{0}. clawauth does not write while openclaw.json cannot be read (agent directories, declared profile ids and modes come from it): fix it first; `clawauth validate` shows the problem"
    )]
    ConfigUnreadable(String),
    /// OAuth access/refresh material given for an api_key or token credential.
    #[error("OAuth material (access/refresh) can only be written as an OAuth credential")]
    OAuthMaterialNotOauth,
    /// An OAuth credential asked for without OAuth material.
    #[error("an OAuth credential needs OAuth material (access/refresh JSON or a login to import)")]
    OauthWithoutMaterial,
    /// A different secret is stored under the same profile id (replacing is not allowed).
    #[error("{place} already has profile {profile} with a different secret ({old} → {new})")]
    DifferentSecret {
        place: String,
        profile: String,
        old: String,
        new: String,
    },
    /// No store to write was named.
    #[error("name at least one target store")]
    NoTarget,
    #[error("unknown agent {agent:?}; known agents: {}", known.join(", "))]
    UnknownAgent { agent: String, known: Vec<String> },
    #[error(
        "OpenClaw ≥ 2026.6 stores credentials in SQLite and its paste commands take literal secrets only; a SecretRef cannot be written there by clawauth (use `openclaw secrets configure`)"
    )]
    SqliteRef,
    /// `logins`: the sign-in command for each target agent, shell-quoted.
    #[error(
        "OpenClaw ≥ 2026.6 owns its SQLite store and has no way to import OAuth tokens; sign in with {}",
        logins.join(", then ")
    )]
    SqliteOAuth { logins: Vec<String> },
    /// The database OpenClaw would write into cannot be read (its store error).
    #[error(
        "{0}; clawauth does not ask OpenClaw to write into a store neither can read (fix or restore it first)"
    )]
    DbUnreadable(String),
    #[error("unknown source agent {agent:?}")]
    UnknownSource { agent: String },
    /// The source agent of a copy has no store of its own.
    #[error(
        "agent {agent} has no auth store of its own; copy from the agent that holds the profiles"
    )]
    NoOwnStore { agent: String },
    #[error("agent {agent}'s store {} has no `profiles` object (OpenClaw treats it as absent): {} first", file.display(), if *legacy { "run `clawauth repair` if it is a legacy flat map, else fix or restore it" } else { "fix or restore it" })]
    NoProfiles {
        agent: String,
        file: PathBuf,
        /// The document is an object: perhaps a legacy flat map `repair` converts.
        legacy: bool,
    },
    #[error("no destination agents (the source agent is not a destination)")]
    NoDestination,
    #[error("nothing to copy from agent {from}: {}", if skipped.is_empty() { "no matching profiles".to_string() } else { skipped.join("; ") })]
    NothingToCopy {
        from: String,
        /// Why each matching profile was skipped.
        skipped: Vec<String>,
    },
    #[error("no source store")]
    NoSourceStore,
    /// The source store cannot be read (its store error).
    #[error("{0}; nothing was copied")]
    SourceUnreadable(String),
    #[error(
        "no store holds a static (api_key or token) credential for {provider}; use `clawauth set` to add one"
    )]
    NoStaticHolder { provider: String },
    #[error("none of the selected agents holds a {provider} secret of its own")]
    NothingToRotate { provider: String },
    #[error("{profile} in {store} changed since the stores were listed: look at the stores again")]
    ChangedSinceListed { profile: String, store: String },
    /// The stores in scope hold only keys other than the one being rotated; they are
    /// replaced only when chosen explicitly (the front end says how).
    #[error("the selected stores hold no copy of the {provider} key being rotated ({rotated_because}), only {}; a different key is replaced only when it is chosen explicitly", holdings.join("; "))]
    OnlyDifferent {
        provider: String,
        rotated_because: String,
        /// "profile in store, key" of each holding in scope.
        holdings: Vec<String>,
    },
    /// A store in the rotation's scope cannot be read (its store error).
    #[error(
        "{error}; it may hold a {provider} secret too, and rotating only the other stores would leave it on the old one: fix or restore it first"
    )]
    UnreadableHolder { error: String, provider: String },
}

/// A store that cannot be written safely, or an edit that no longer fits it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The store cannot be read (never overwritten).
    #[error("{0}; clawauth does not write over a store it cannot read (fix or restore it first)")]
    Unreadable(ReadError),
    #[error("{} has duplicate keys ({}); OpenClaw uses only the last of each, and rewriting the file would drop the others: remove the copies you do not want first", file.display(), keys.iter().map(|k| format!("`{}`", k.chars().take(200).collect::<String>())).collect::<Vec<_>>().join(", "))]
    DuplicateKeys { file: PathBuf, keys: Vec<String> },
    /// A planned edit does not fit the document.
    #[error("{}: {problem}; OpenClaw treats it as absent, and clawauth writes only into a valid store (fix or restore it first)", file.display())]
    Invalid { file: PathBuf, problem: DocError },
}

/// Why an edit cannot be applied to a store document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    #[error("the store is not a JSON object")]
    StoreNotObject,
    #[error("not a JSON object")]
    NotObject,
    #[error("`{key}` is not an object")]
    KeyNotObject { key: String },
    #[error("profile {profile} is no longer in the store")]
    ProfileGone { profile: String },
    #[error("order.{provider} is not a list")]
    OrderNotList { provider: String },
    #[error("cannot tell the type of `{provider}`")]
    UnknownType { provider: String },
}

/// A custom provider declaration OpenClaw's config schema would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CustomError {
    #[error(
        "the base URL must be an http:// or https:// URL with a host (e.g. https://llm.example.com/v1), not {url:?}"
    )]
    BaseUrl { url: String },
    #[error("unknown API kind {api:?}: this OpenClaw accepts {}", accepted.join(", "))]
    ApiKind {
        api: String,
        accepted: Vec<&'static str>,
    },
    #[error("a custom provider needs at least one model id (OpenClaw requires `models`)")]
    NoModels,
    #[error("a model id has no spaces, not {model:?}")]
    ModelId { model: String },
}

/// A pasted secret OpenClaw would store but never use; `what` names the field
/// ("API key", "token", "secret").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("the {what} contains a line break in the middle: paste one value on one line")]
    LineBreak { what: String },
    #[error("the {what} looks like a shell command, not a secret: pass only the value itself")]
    Command { what: String },
    #[error("the {what} is empty (after removing whitespace and line breaks)")]
    Empty { what: String },
}

/// A write refused because of where the file is or who owns it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The target of a write cannot be resolved.
    #[error("{0}")]
    Target(String),
    #[error("{} is a symbolic link to {}, {}: clawauth does not write or chmod through it", link.display(), target.display(), if *store_name { "which is outside the state dir and every agent directory" } else { "which is not an auth store" })]
    Outside {
        link: PathBuf,
        target: PathBuf,
        /// The target has the store's file name (so it is outside every agent's dir).
        store_name: bool,
    },
    #[error("{} belongs to user id {uid}: replacing it would leave a file its owner cannot read; run clawauth as that user", file.display())]
    ForeignOwner { file: PathBuf, uid: u32 },
}

/// openclaw.json cannot be edited safely: the edit becomes a manual step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ManualEdit {
    /// The file cannot be read (its read error is the instruction).
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("Edit {} by hand ({why}): {edits}", file.display())]
    Edit {
        file: PathBuf,
        why: EditError,
        /// The exact change, in words.
        edits: String,
    },
}

/// Why applying a planned change failed (listed in the result; the CLI exits 5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ApplyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("cannot create {}: {detail}; nothing was written", dir.display())]
    CreateDir { dir: PathBuf, detail: String },
    /// The store's lock could not be taken (the lock's error).
    #[error("{lock}; nothing was written to {}", file.display())]
    Lock { file: PathBuf, lock: String },
    #[error("cannot back up {}: {detail}; nothing was written", file.display())]
    Backup { file: PathBuf, detail: String },
    /// A planned edit no longer fits the store as it is now.
    #[error("{}: {problem}; nothing was written", file.display())]
    Edit { file: PathBuf, problem: DocError },
    /// A planned edit no longer fits openclaw.json as it is now.
    #[error("{}: {problem}; nothing was written", file.display())]
    ConfigEdit { file: PathBuf, problem: EditError },
    /// The atomic write failed (its error names the file).
    #[error("{0}")]
    Write(String),
    #[error("no openclaw executable found to run: {command}")]
    NoExecutable { command: String },
    #[error("cannot run {}: {detail}", exe.display())]
    Spawn { exe: PathBuf, detail: String },
    #[error("no stdin")]
    NoStdin,
    /// Writing the secret to the command or waiting for it failed.
    #[error("{0}")]
    Pipe(String),
    /// The command failed: its status and the last lines of its error output (scrubbed).
    #[error("`{command}` failed ({status}): {}", tail.join(" / "))]
    Command {
        command: String,
        status: String,
        tail: Vec<String>,
    },
}
