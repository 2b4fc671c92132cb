//! `set`, `copy`, `rotate` and `repair`: plan, show the redacted plan, apply, verify.

use super::io::load;
use crate::domain::ops::copy::{CopyRequest, OnConflict, plan_copy};
use crate::domain::ops::declare::CustomProvider;
use crate::domain::ops::error::PlanError;
use crate::domain::ops::plan::Plan;
use crate::domain::ops::repair::plan_repair;
use crate::domain::ops::rotate::{RotateRequest, plan_rotate};
use crate::domain::ops::secret::Secret;
use crate::domain::ops::set::{Material, SetRequest, plan_set_declaring};
use crate::domain::ops::targets::Targets;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::profile::CredType;
use crate::domain::write::lock::LockOptions;
use crate::service::exit::{ExitStatus, Failure};
use crate::service::input_error::InputError;
use crate::service::inputs::{
    OAuthInput, claude_login_path, codex_login_path, import_login, oauth_from_json,
    parse_duration_ms, parse_secret_ref, parse_time_ms, read_secret_env, read_secret_file,
    read_stdin, secret_from,
};
use crate::service::names::{check_agents, check_provider};
use crate::service::session::Session;
use crate::service::writes::{WriteOutcome, apply_and_verify, blocked};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

const NO_ARGV: &str = "Secrets are never taken from the command line: argv is visible to every user in the process list and is saved in shell history. Use --secret-stdin, --secret-env VAR or --secret-file PATH (or a --secret-ref).";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TypeArg {
    #[value(name = "api_key")]
    ApiKey,
    Token,
    Oauth,
}

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct SecretSource {
    /// Read the secret from standard input (one value; a trailing newline is fine).
    #[arg(long, group = "secret")]
    pub(crate) secret_stdin: bool,
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR", group = "secret")]
    pub(crate) secret_env: Option<String>,
    /// Read the secret from this file.
    #[arg(long, value_name = "PATH", group = "secret")]
    pub(crate) secret_file: Option<PathBuf>,
    /// Store a reference instead of the value: env:VAR, file:PROVIDER:/pointer or exec:PROVIDER:ID.
    #[arg(long, value_name = "SPEC", group = "secret")]
    pub(crate) secret_ref: Option<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct TargetArgs {
    /// Write into this agent's own store (repeatable).
    #[arg(long = "agent", value_name = "ID")]
    pub(crate) agents: Vec<String>,
    /// Write into every configured agent's own store.
    #[arg(long, conflicts_with_all = ["agents", "shared"])]
    pub(crate) all_agents: bool,
    /// Write into the shared main store that every agent inherits from.
    #[arg(long, conflicts_with = "agents")]
    pub(crate) shared: bool,
}

impl TargetArgs {
    fn targets(&self) -> Targets {
        if self.shared {
            Targets::Shared
        } else if self.all_agents {
            Targets::AllAgents
        } else {
            Targets::Agents(self.agents.clone())
        }
    }
}

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct PlanFlags {
    /// Show the plan (with a redacted diff) and write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub(crate) json: bool,
    /// Seconds to wait for OpenClaw's store lock before giving up (default: OpenClaw's ~50 s).
    #[arg(long, value_name = "SECS")]
    pub(crate) lock_timeout: Option<u64>,
}

#[derive(Args, Debug, Clone)]
#[command(after_help = NO_ARGV)]
pub struct SetArgs {
    #[arg(long, value_name = "P")]
    pub(crate) provider: String,
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub(crate) cred_type: TypeArg,
    /// Profile id (default: <provider>:default, or the id openclaw.json declares for this provider and type).
    #[arg(long, value_name = "ID")]
    pub(crate) profile_id: Option<String>,
    #[command(flatten)]
    pub(crate) targets: TargetArgs,
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// OAuth: read {access, refresh, expires, …} JSON from stdin.
    #[arg(long, group = "secret")]
    pub(crate) oauth_json_stdin: bool,
    /// OAuth: read {access, refresh, expires, …} JSON from a file.
    #[arg(long, value_name = "PATH", group = "secret")]
    pub(crate) oauth_json_file: Option<PathBuf>,
    /// OAuth: adopt the login of the Codex CLI ($CODEX_HOME/auth.json) or Claude CLI (~/.claude/.credentials.json).
    #[arg(long, value_name = "CLI", group = "secret", value_parser = ["codex", "claude"])]
    pub(crate) import: Option<String>,
    /// Read the external CLI's login from this file instead of its default place.
    #[arg(long, value_name = "PATH", requires = "import")]
    pub(crate) import_path: Option<PathBuf>,
    /// Token lifetime: 30d, 12h, 90m (tokens only).
    #[arg(long, value_name = "DUR", conflicts_with = "expires_at")]
    pub(crate) expires_in: Option<String>,
    /// Token expiry: 2026-12-31, an ISO time, or epoch milliseconds.
    #[arg(long, value_name = "TIME")]
    pub(crate) expires_at: Option<String>,
    #[arg(long, value_name = "EMAIL")]
    pub(crate) email: Option<String>,
    /// Replace a different secret already stored under the same profile id.
    #[arg(long)]
    pub(crate) replace: bool,
    /// Create a new OpenClaw state: the state dir (or --config) need not exist yet.
    #[arg(long)]
    pub(crate) init: bool,
    /// Apply without asking (only a terminal is asked; a script's piped input never is).
    #[arg(long)]
    pub(crate) yes: bool,
    /// The provider is new to this state and not a built-in clawauth knows (a plugin's,
    /// or one you will declare): skip the "did you mean" check.
    #[arg(long)]
    pub(crate) new_provider: bool,
    #[command(flatten)]
    pub(crate) declare: DeclareArgs,
    #[command(flatten)]
    pub(crate) flags: PlanFlags,
}

/// Declaring a custom provider in openclaw.json (models.providers.<id>) in the same plan.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct DeclareArgs {
    /// Declare --provider as a custom provider served at this URL (written to openclaw.json).
    #[arg(long, value_name = "URL", requires = "models")]
    pub(crate) base_url: Option<String>,
    /// The custom provider's API kind (default openai-completions); an unknown kind is
    /// refused with the kinds this OpenClaw accepts.
    #[arg(long, value_name = "KIND", requires = "base_url")]
    pub(crate) api: Option<String>,
    /// A model id the custom provider serves (repeatable).
    #[arg(long = "model", value_name = "ID", requires = "base_url")]
    pub(crate) models: Vec<String>,
}

impl DeclareArgs {
    fn custom(&self) -> Option<CustomProvider> {
        Some(CustomProvider {
            base_url: self.base_url.clone()?,
            api: self
                .api
                .clone()
                .unwrap_or_else(|| "openai-completions".into()),
            models: self.models.clone(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConflictArg {
    Skip,
    Overwrite,
    Rename,
}

#[derive(Args, Debug, Clone)]
pub struct CopyArgs {
    /// The agent whose own store is copied.
    #[arg(long, value_name = "ID")]
    pub(crate) from: String,
    /// Destination agents (repeatable).
    #[arg(long = "to", value_name = "ID", required_unless_present = "all_agents")]
    pub(crate) to: Vec<String>,
    /// Copy to every other configured agent.
    #[arg(long, conflicts_with = "to")]
    pub(crate) all_agents: bool,
    /// Only profiles of these providers (repeatable).
    #[arg(long = "provider", value_name = "P")]
    pub(crate) providers: Vec<String>,
    /// Only these profile ids (repeatable).
    #[arg(long = "profile-id", value_name = "ID")]
    pub(crate) profiles: Vec<String>,
    /// Also copy OAuth logins (refresh tokens can be single-use: both copies may break).
    #[arg(long)]
    pub(crate) include_oauth: bool,
    /// What to do when a destination already has a different profile with the same id.
    #[arg(long, value_enum, default_value = "skip")]
    pub(crate) on_conflict: ConflictArg,
    #[command(flatten)]
    pub(crate) flags: PlanFlags,
}

#[derive(Args, Debug, Clone)]
#[command(after_help = NO_ARGV)]
pub struct RotateArgs {
    #[arg(long, value_name = "P")]
    pub(crate) provider: String,
    #[command(flatten)]
    pub(crate) source: SecretSource,
    /// Only the stores of these agents (repeatable; default: every store holding the
    /// provider). The first one's key is the key being rotated.
    #[arg(long = "agent", value_name = "ID")]
    pub(crate) agents: Vec<String>,
    /// Also replace stores holding a different key (or the key as the other type).
    #[arg(long)]
    pub(crate) include_different: bool,
    /// Delete the backups that still hold a secret no store uses (the replaced one,
    /// and those of earlier rotations), also when the secret is already stored.
    #[arg(long)]
    pub(crate) purge_backups: bool,
    /// Apply without asking (only a terminal is asked; a script's piped input never is).
    #[arg(long)]
    pub(crate) yes: bool,
    #[command(flatten)]
    pub(crate) flags: PlanFlags,
}

#[derive(Args, Debug, Clone)]
pub struct RepairArgs {
    /// Only these agents' stores (repeatable).
    #[arg(long = "agent", value_name = "ID")]
    pub(crate) agents: Vec<String>,
    /// Apply without asking.
    #[arg(long)]
    pub(crate) yes: bool,
    /// Also delete clawauth's backups that hold a secret no store uses any more
    /// (what `validate` reports as stale_backup_secret).
    #[arg(long)]
    pub(crate) purge_backups: bool,
    #[command(flatten)]
    pub(crate) flags: PlanFlags,
}

/// The secret of `--secret-stdin`: from a pipe as it is, from a terminal after a
/// prompt and without echo.
fn read_secret_stdin(what: &str) -> Result<String, Failure> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        super::prompt::read_hidden(what).map_err(|e| Failure::Refused(e.to_string()))
    } else {
        read_stdin().map_err(refused)
    }
}

/// An input that cannot be used, in the CLI's words: refused (exit 4).
fn refused(e: InputError) -> Failure {
    Failure::Refused(super::wording::input_error(&e))
}

fn secret_value(
    src: &SecretSource,
    what: &str,
    d: &Discovery,
    env: &EnvSnapshot,
) -> Result<Secret, Failure> {
    let raw = if src.secret_stdin {
        read_secret_stdin(what)?
    } else if let Some(var) = &src.secret_env {
        read_secret_env(var, env).map_err(refused)?
    } else if let Some(path) = &src.secret_file {
        read_secret_file(path).map_err(refused)?
    } else {
        return Err(Failure::Refused(format!("no secret given. {NO_ARGV}")));
    };
    secret_from(raw, what, d.generation).map_err(refused)
}

fn material(args: &SetArgs, d: &Discovery, env: &EnvSnapshot) -> Result<Material, Failure> {
    if let Some(spec) = &args.source.secret_ref {
        return Ok(Material::Ref(parse_secret_ref(spec).map_err(refused)?));
    }
    Ok(match oauth(args, env).map_err(refused)? {
        Some(o) => o.into_material(),
        None => {
            let what = if args.cred_type == TypeArg::ApiKey {
                "API key"
            } else {
                "token"
            };
            Material::Secret(secret_value(&args.source, what, d, env)?)
        }
    })
}

/// The OAuth material of `--oauth-json-stdin`, `--oauth-json-file` or `--import`.
fn oauth(args: &SetArgs, env: &EnvSnapshot) -> Result<Option<OAuthInput>, InputError> {
    Ok(if args.oauth_json_stdin {
        Some(oauth_from_json(&read_stdin()?)?)
    } else if let Some(path) = &args.oauth_json_file {
        Some(oauth_from_json(&read_secret_file(path)?)?)
    } else if let Some(kind) = &args.import {
        let default = if kind == "codex" {
            codex_login_path(env)
        } else {
            claude_login_path(env)
        };
        Some(import_login(
            kind,
            args.import_path.as_deref().unwrap_or(&default),
        )?)
    } else {
        None
    })
}

fn expiry(args: &SetArgs, now_ms: f64) -> Result<Option<i64>, InputError> {
    match (&args.expires_in, &args.expires_at) {
        (Some(dur), _) => Ok(Some(now_ms as i64 + parse_duration_ms(dur)?)),
        (_, Some(at)) => Ok(Some(parse_time_ms(at)?)),
        _ => Ok(None),
    }
}

pub(crate) fn set(
    session: &Session,
    args: &SetArgs,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    session.check_state_exists(args.init)?;
    let d = load(session)?;
    check_agents(&d, &args.targets.agents)?;
    let custom = args.declare.custom();
    if !args.new_provider && custom.is_none() {
        check_provider(&d, &args.provider)?;
    }
    let cred_type = match args.cred_type {
        TypeArg::ApiKey => CredType::ApiKey,
        TypeArg::Token => CredType::Token,
        TypeArg::Oauth => CredType::Oauth,
    };
    let request = SetRequest {
        provider: args.provider.clone(),
        cred_type,
        profile_id: args.profile_id.clone(),
        targets: args.targets.targets(),
        material: material(args, &d, &session.env)?,
        expires_ms: expiry(args, d.now_ms).map_err(refused)?,
        email: args.email.clone(),
        replace: args.replace,
    };
    let plan = plan_set_declaring(&d, &request, custom.as_ref());
    let confirm = ask_on_terminal(&plan, args.yes, &args.flags, out);
    finish(session, &d, plan, &args.flags, confirm, out)
}

pub(crate) fn copy(
    session: &Session,
    args: &CopyArgs,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    session.check_state_exists(false)?;
    let d = load(session)?;
    check_agents(&d, std::iter::once(&args.from).chain(&args.to))?;
    let on_conflict = match args.on_conflict {
        ConflictArg::Skip => OnConflict::Skip,
        ConflictArg::Overwrite => OnConflict::Overwrite,
        ConflictArg::Rename => OnConflict::Rename,
    };
    let to = if args.all_agents {
        Targets::AllAgents
    } else {
        Targets::Agents(args.to.clone())
    };
    let request = CopyRequest {
        from: args.from.clone(),
        to,
        providers: args.providers.clone(),
        profiles: args.profiles.clone(),
        include_oauth: args.include_oauth,
        on_conflict,
    };
    finish(
        session,
        &d,
        plan_copy(&d, &request),
        &args.flags,
        Confirm::Yes,
        out,
    )
}

pub(crate) fn rotate(
    session: &Session,
    args: &RotateArgs,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    session.check_state_exists(false)?;
    let d = load(session)?;
    check_agents(&d, &args.agents)?;
    check_provider(&d, &args.provider)?;
    if args.source.secret_ref.is_some() {
        return Err(Failure::refused(
            "rotate writes a new secret value; to switch to a reference use `clawauth set --secret-ref`",
        ));
    }
    let secret = secret_value(&args.source, "secret", &d, &session.env)?;
    let request = RotateRequest {
        agents: args.agents.clone(),
        include_different: args.include_different,
        ..RotateRequest::new(args.provider.clone(), secret)
    };
    let plan = plan_rotate(&d, &request).map(|mut plan| {
        plan.purge_backups = args.purge_backups;
        if args.purge_backups {
            crate::domain::ops::purge::add_purges(&d, &args.agents, &mut plan);
        }
        plan
    });
    let confirm = ask_on_terminal(&plan, args.yes, &args.flags, out);
    finish(session, &d, plan, &args.flags, confirm, out)
}

pub(crate) fn repair(
    session: &Session,
    args: &RepairArgs,
    interactive: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    session.check_state_exists(false)?;
    let d = load(session)?;
    check_agents(&d, &args.agents)?;
    let plan = plan_repair(&d, &args.agents).map(|mut plan| {
        if args.purge_backups {
            crate::domain::ops::purge::add_purges(&d, &args.agents, &mut plan);
        }
        plan
    });
    let confirm = if args.yes || args.flags.dry_run {
        Confirm::Yes
    } else if interactive && !args.flags.json {
        match &plan {
            Ok(p) if confirm(p, out) => Confirm::YesPlanShown,
            Ok(_) => Confirm::No,
            Err(_) => Confirm::Yes,
        }
    } else {
        Confirm::No
    };
    finish(session, &d, plan, &args.flags, confirm, out)
}

/// A plan made by another command (`probe --clear-cooldowns`), applied like `repair`:
/// shown and asked first on a terminal unless `yes`.
pub(super) fn apply_plan(
    session: &Session,
    d: &Discovery,
    plan: Result<Plan, PlanError>,
    yes: bool,
    interactive: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    let flags = PlanFlags {
        dry_run: false,
        json: false,
        lock_timeout: None,
    };
    let confirm = match (&plan, yes, interactive) {
        (_, true, _) | (Err(_), _, _) => Confirm::Yes,
        (Ok(p), false, true) if confirm(p, out) => Confirm::YesPlanShown,
        _ => Confirm::No,
    };
    finish(session, d, plan, &flags, confirm, out)
}

/// `set` and `rotate`: asked like `repair` when both stdin and stdout are a terminal
/// (a person is there), unless `--yes`, `--dry-run` or `--json`; scripts are never asked.
fn ask_on_terminal(
    plan: &Result<Plan, PlanError>,
    yes: bool,
    flags: &PlanFlags,
    out: &mut dyn Write,
) -> Confirm {
    use std::io::IsTerminal;
    let person = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    match plan {
        Ok(p) if person && !yes && !flags.dry_run && !flags.json => match confirm(p, out) {
            true => Confirm::YesPlanShown,
            false => Confirm::No,
        },
        _ => Confirm::Yes,
    }
}

/// Asks on the terminal before a repair; anything but y/yes declines.
fn confirm(plan: &Plan, out: &mut dyn Write) -> bool {
    if plan.is_empty() {
        return true;
    }
    let _ = super::render::write_plan(&plan.preview(), out);
    let _ = write!(out, "\nApply these changes? [y/N] ");
    let _ = out.flush();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    matches!(line.trim().to_lowercase().as_str(), "y" | "yes")
}

/// Whether the user agreed to apply the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirm {
    Yes,
    /// Agreed after the plan was printed for the question.
    YesPlanShown,
    No,
}

fn finish(
    session: &Session,
    d: &Discovery,
    plan: Result<Plan, PlanError>,
    flags: &PlanFlags,
    confirm: Confirm,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    let confirmed = confirm != Confirm::No;
    let plan = plan.map_err(|e| Failure::Refused(super::wording::plan_error(&e)))?;
    let preview = plan.preview();
    let blocked = blocked(session, &plan).map(|_| {
        "no `openclaw` executable was found (use --openclaw PATH): run the commands above yourself"
    });
    let apply_now = !flags.dry_run && confirmed && blocked.is_none() && !plan.is_empty();
    let lock = LockOptions {
        max_wait: flags.lock_timeout.map(std::time::Duration::from_secs),
        ..LockOptions::default()
    };
    crate::domain::write::lock_wait::set_wait_reporter(super::render::report_lock_wait);
    let result = apply_now.then(|| apply_and_verify(session, d, &plan, lock));
    let status = WriteOutcome {
        plan: &plan,
        result: result.as_ref(),
        dry_run: flags.dry_run,
        confirmed,
        blocked: blocked.is_some(),
    }
    .status();
    if flags.json {
        let doc = serde_json::json!({"plan": preview, "applied": result.is_some(), "result": result, "exitCode": status.code()});
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(Failure::output)?;
        writeln!(out).map_err(Failure::output)?;
    } else {
        let show_plan = confirm != Confirm::YesPlanShown;
        super::render::write_outcome(
            &preview,
            result.as_ref(),
            flags.dry_run,
            blocked,
            show_plan,
            out,
        )
        .map_err(Failure::output)?;
        if !confirmed && !flags.dry_run && !plan.is_empty() {
            writeln!(out, "\nNot applied: run again with --yes to apply.")
                .map_err(Failure::output)?;
        }
    }
    Ok(status)
}
