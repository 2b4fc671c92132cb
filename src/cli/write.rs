//! `set`, `copy`, `rotate` and `repair`: plan, show the redacted plan, apply, verify.

use super::inputs::{
    claude_login_path, codex_login_path, import_login, oauth_from_json, parse_duration_ms,
    parse_secret_ref, parse_time_ms, read_secret_env, read_secret_file, read_stdin, secret_from,
};
use super::{GlobalArgs, exit, load};
use crate::domain::discovery::Discovery;
use crate::domain::envsnap::EnvSnapshot;
use crate::domain::executable::find_executable;
use crate::domain::ops::apply::{ApplyOptions, ApplyResult, apply, verify};
use crate::domain::ops::copy::{CopyRequest, OnConflict, plan_copy};
use crate::domain::ops::plan::Plan;
use crate::domain::ops::repair::plan_repair;
use crate::domain::ops::rotate::{RotateRequest, plan_rotate};
use crate::domain::ops::secret::Secret;
use crate::domain::ops::set::{Material, SetRequest, plan_set};
use crate::domain::ops::targets::Targets;
use crate::domain::profile::CredType;
use crate::domain::write::lock::LockOptions;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

const NO_ARGV: &str = "Secrets are never taken from the command line: argv is visible to every user in the process list and is saved in shell history. Use --secret-stdin, --secret-env VAR or --secret-file PATH (or a --secret-ref).";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    #[value(name = "api_key")]
    ApiKey,
    Token,
    Oauth,
}

#[derive(Args, Debug, Clone, Default)]
pub struct SecretSource {
    /// Read the secret from standard input (one value; a trailing newline is fine).
    #[arg(long, group = "secret")]
    pub secret_stdin: bool,
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR", group = "secret")]
    pub secret_env: Option<String>,
    /// Read the secret from this file.
    #[arg(long, value_name = "PATH", group = "secret")]
    pub secret_file: Option<PathBuf>,
    /// Store a reference instead of the value: env:VAR, file:PROVIDER:/pointer or exec:PROVIDER:ID.
    #[arg(long, value_name = "SPEC", group = "secret")]
    pub secret_ref: Option<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct TargetArgs {
    /// Write into this agent's own store (repeatable).
    #[arg(long = "agent", value_name = "ID")]
    pub agents: Vec<String>,
    /// Write into every configured agent's own store.
    #[arg(long, conflicts_with_all = ["agents", "shared"])]
    pub all_agents: bool,
    /// Write into the shared main store that every agent inherits from.
    #[arg(long, conflicts_with = "agents")]
    pub shared: bool,
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
pub struct PlanFlags {
    /// Show the plan (with a redacted diff) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
    /// Seconds to wait for OpenClaw's store lock before giving up (default: OpenClaw's ~50 s).
    #[arg(long, value_name = "SECS")]
    pub lock_timeout: Option<u64>,
}

#[derive(Args, Debug, Clone)]
#[command(after_help = NO_ARGV)]
pub struct SetArgs {
    #[arg(long, value_name = "P")]
    pub provider: String,
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub cred_type: TypeArg,
    /// Profile id (default: <provider>:default, or the id openclaw.json declares for this provider and type).
    #[arg(long, value_name = "ID")]
    pub profile_id: Option<String>,
    #[command(flatten)]
    pub targets: TargetArgs,
    #[command(flatten)]
    pub source: SecretSource,
    /// OAuth: read {access, refresh, expires, …} JSON from stdin.
    #[arg(long, group = "secret")]
    pub oauth_json_stdin: bool,
    /// OAuth: read {access, refresh, expires, …} JSON from a file.
    #[arg(long, value_name = "PATH", group = "secret")]
    pub oauth_json_file: Option<PathBuf>,
    /// OAuth: adopt the login of the Codex CLI ($CODEX_HOME/auth.json) or Claude CLI (~/.claude/.credentials.json).
    #[arg(long, value_name = "CLI", group = "secret", value_parser = ["codex", "claude"])]
    pub import: Option<String>,
    /// Read the external CLI's login from this file instead of its default place.
    #[arg(long, value_name = "PATH", requires = "import")]
    pub import_path: Option<PathBuf>,
    /// Token lifetime: 30d, 12h, 90m (tokens only).
    #[arg(long, value_name = "DUR", conflicts_with = "expires_at")]
    pub expires_in: Option<String>,
    /// Token expiry: 2026-12-31, an ISO time, or epoch milliseconds.
    #[arg(long, value_name = "TIME")]
    pub expires_at: Option<String>,
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Replace a different secret already stored under the same profile id.
    #[arg(long)]
    pub replace: bool,
    #[command(flatten)]
    pub flags: PlanFlags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConflictArg {
    Skip,
    Overwrite,
    Rename,
}

#[derive(Args, Debug, Clone)]
pub struct CopyArgs {
    /// The agent whose own store is copied.
    #[arg(long, value_name = "ID")]
    pub from: String,
    /// Destination agents (repeatable).
    #[arg(long = "to", value_name = "ID", required_unless_present = "all_agents")]
    pub to: Vec<String>,
    /// Copy to every other configured agent.
    #[arg(long, conflicts_with = "to")]
    pub all_agents: bool,
    /// Only profiles of these providers (repeatable).
    #[arg(long = "provider", value_name = "P")]
    pub providers: Vec<String>,
    /// Only these profile ids (repeatable).
    #[arg(long = "profile-id", value_name = "ID")]
    pub profiles: Vec<String>,
    /// Also copy OAuth logins (refresh tokens can be single-use: both copies may break).
    #[arg(long)]
    pub include_oauth: bool,
    /// What to do when a destination already has a different profile with the same id.
    #[arg(long, value_enum, default_value = "skip")]
    pub on_conflict: ConflictArg,
    #[command(flatten)]
    pub flags: PlanFlags,
}

#[derive(Args, Debug, Clone)]
#[command(after_help = NO_ARGV)]
pub struct RotateArgs {
    #[arg(long, value_name = "P")]
    pub provider: String,
    #[command(flatten)]
    pub source: SecretSource,
    /// Only the stores of these agents (repeatable; default: every store holding the provider).
    #[arg(long = "agent", value_name = "ID")]
    pub agents: Vec<String>,
    #[command(flatten)]
    pub flags: PlanFlags,
}

#[derive(Args, Debug, Clone)]
pub struct RepairArgs {
    /// Only these agents' stores (repeatable).
    #[arg(long = "agent", value_name = "ID")]
    pub agents: Vec<String>,
    /// Apply without asking.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub flags: PlanFlags,
}

fn secret_value(
    src: &SecretSource,
    what: &str,
    d: &Discovery,
    env: &EnvSnapshot,
) -> Result<Secret, String> {
    let raw = if src.secret_stdin {
        read_stdin()?
    } else if let Some(var) = &src.secret_env {
        read_secret_env(var, env)?
    } else if let Some(path) = &src.secret_file {
        read_secret_file(path)?
    } else {
        return Err(format!("no secret given. {NO_ARGV}"));
    };
    secret_from(raw, what, d.generation)
}

fn material(args: &SetArgs, d: &Discovery, env: &EnvSnapshot) -> Result<Material, String> {
    if let Some(spec) = &args.source.secret_ref {
        return Ok(Material::Ref(parse_secret_ref(spec)?));
    }
    let oauth = if args.oauth_json_stdin {
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
    };
    if let Some(o) = oauth {
        return Ok(Material::OAuth {
            access: o.access,
            refresh: o.refresh,
            expires_ms: o.expires_ms,
            extra: o.extra,
        });
    }
    let what = if args.cred_type == TypeArg::ApiKey {
        "API key"
    } else {
        "token"
    };
    Ok(Material::Secret(secret_value(&args.source, what, d, env)?))
}

fn expiry(args: &SetArgs, now_ms: f64) -> Result<Option<i64>, String> {
    match (&args.expires_in, &args.expires_at) {
        (Some(dur), _) => Ok(Some(now_ms as i64 + parse_duration_ms(dur)?)),
        (_, Some(at)) => Ok(Some(parse_time_ms(at)?)),
        _ => Ok(None),
    }
}

pub fn set(
    global: &GlobalArgs,
    args: &SetArgs,
    env: &EnvSnapshot,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let d = load(global, env)?;
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
        material: material(args, &d, env).map_err(Refusal)?,
        expires_ms: expiry(args, d.now_ms).map_err(Refusal)?,
        email: args.email.clone(),
        replace: args.replace,
    };
    finish(
        global,
        env,
        &d,
        plan_set(&d, &request),
        &args.flags,
        Confirm::Yes,
        out,
    )
}

pub fn copy(
    global: &GlobalArgs,
    args: &CopyArgs,
    env: &EnvSnapshot,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let d = load(global, env)?;
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
        global,
        env,
        &d,
        plan_copy(&d, &request),
        &args.flags,
        Confirm::Yes,
        out,
    )
}

pub fn rotate(
    global: &GlobalArgs,
    args: &RotateArgs,
    env: &EnvSnapshot,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let d = load(global, env)?;
    if args.source.secret_ref.is_some() {
        return Err(Refusal("rotate writes a new secret value; to switch to a reference use `clawauth set --secret-ref`".into()).into());
    }
    let secret = secret_value(&args.source, "secret", &d, env).map_err(Refusal)?;
    let request = RotateRequest {
        provider: args.provider.clone(),
        secret,
        agents: args.agents.clone(),
    };
    finish(
        global,
        env,
        &d,
        plan_rotate(&d, &request),
        &args.flags,
        Confirm::Yes,
        out,
    )
}

pub fn repair(
    global: &GlobalArgs,
    args: &RepairArgs,
    env: &EnvSnapshot,
    interactive: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let d = load(global, env)?;
    let plan = plan_repair(&d, &args.agents);
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
    finish(global, env, &d, plan, &args.flags, confirm, out)
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

/// A request clawauth refuses: nothing was written (exit 4).
pub struct Refusal(pub String);

impl From<Refusal> for String {
    fn from(r: Refusal) -> String {
        format!("{}{}", REFUSED_PREFIX, r.0)
    }
}

pub const REFUSED_PREFIX: &str = "refused: ";

fn finish(
    global: &GlobalArgs,
    env: &EnvSnapshot,
    d: &Discovery,
    plan: Result<Plan, String>,
    flags: &PlanFlags,
    confirm: Confirm,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let confirmed = confirm != Confirm::No;
    let plan = plan.map_err(Refusal)?;
    let preview = plan.preview();
    let openclaw = find_executable(global.openclaw.as_deref(), env);
    let blocked = if !plan.steps.is_empty() && openclaw.is_none() {
        Some(
            "no `openclaw` executable was found (use --openclaw PATH): run the commands above yourself",
        )
    } else {
        None
    };
    let apply_now = !flags.dry_run && confirmed && blocked.is_none() && !plan.is_empty();
    let lock = LockOptions {
        max_wait: flags.lock_timeout.map(std::time::Duration::from_secs),
        ..LockOptions::default()
    };
    let result = apply_now.then(|| run_apply(global, env, d, &plan, openclaw, lock));
    let code = exit_code(
        &plan,
        result.as_ref(),
        flags.dry_run,
        confirmed,
        blocked.is_some(),
    );
    if flags.json {
        let doc = serde_json::json!({"plan": preview, "applied": result.is_some(), "result": result, "exitCode": code});
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
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
        .map_err(|e| e.to_string())?;
        if !confirmed && !flags.dry_run && !plan.is_empty() {
            writeln!(out, "\nNot applied: run again with --yes to apply.")
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(code)
}

pub(crate) fn run_apply(
    global: &GlobalArgs,
    env: &EnvSnapshot,
    before: &Discovery,
    plan: &Plan,
    openclaw: Option<PathBuf>,
    lock: LockOptions,
) -> ApplyResult {
    let opts = ApplyOptions {
        lock,
        openclaw,
        env,
    };
    let mut result = apply(plan, &opts, before);
    if !result.errors.is_empty() {
        return result;
    }
    match load(global, env) {
        Ok(after) => verify(plan, before, &after, &mut result),
        Err(e) => result
            .verify_failures
            .push(format!("cannot re-read the state after writing: {e}")),
    }
    result
}

fn exit_code(
    plan: &Plan,
    result: Option<&ApplyResult>,
    dry_run: bool,
    confirmed: bool,
    blocked: bool,
) -> i32 {
    match result {
        Some(r) if !r.errors.is_empty() => exit::WRITE_FAILED,
        Some(r) if !r.ok() => exit::PROBLEMS,
        Some(_) => exit::OK,
        None if dry_run || plan.is_empty() => exit::OK,
        None if blocked || !confirmed => exit::REFUSED,
        None => exit::OK,
    }
}
