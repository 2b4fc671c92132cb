//! The command-line interface: the same domain, rendered for scripts and humans.

mod demo;
mod human;
pub(crate) mod inputs;
pub mod panic;
mod render;
pub(crate) mod write;

use crate::domain::discovery::{DiscoverOptions, Discovery, discover};
use crate::domain::envsnap::EnvSnapshot;
use crate::domain::executable::{find_executable, probe_version};
use crate::domain::paths::PathOverrides;
use crate::domain::problem::Severity;
use crate::domain::report::{Filter, Report, StatusModel, build_report, write_json_streaming};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// Exit codes (documented in the README).
pub mod exit {
    pub const OK: i32 = 0;
    /// `validate`: problems found. `status --check`: a provider in use is missing, expired or invalid.
    pub const PROBLEMS: i32 = 1;
    /// `status --check`: something expires within 24 h.
    pub const EXPIRING: i32 = 2;
    /// The OpenClaw state could not be read at all (bad flags, unreadable state dir).
    pub const CANNOT_READ: i32 = 3;
    /// A write was refused (invalid input, conflict, not confirmed): nothing was written.
    pub const REFUSED: i32 = 4;
    /// A write failed (lock timeout, disk, OpenClaw CLI error): see which files were written.
    pub const WRITE_FAILED: i32 = 5;
    /// Bad command-line usage.
    pub const USAGE: i32 = 64;
}

#[derive(Parser, Debug)]
#[command(name = "clawauth", version, about = "See and fix OpenClaw provider authentication, per agent.", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// OpenClaw state directory (default: $OPENCLAW_STATE_DIR, else ~/.openclaw).
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// OpenClaw profile: uses ~/.openclaw-NAME (like `openclaw --profile`).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// openclaw.json to read (default: $OPENCLAW_CONFIG_PATH, else <state dir>/openclaw.json).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The openclaw executable, used to learn the installed version.
    #[arg(long, global = true, value_name = "PATH")]
    pub openclaw: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Every agent × provider with the verdict OpenClaw's runtime would reach.
    Status(StatusArgs),
    /// List every problem OpenClaw would silently drop or ignore (exit 1 if any).
    Validate(ValidateArgs),
    /// Print the JSON Schema of the auth store (auth-profiles.json).
    Schema,
    /// Show clawauth on a built-in demo state (no OpenClaw install needed).
    Demo(StatusArgs),
    /// Write one credential for a provider into agents' stores (secret from stdin, env or file).
    Set(Box<write::SetArgs>),
    /// Copy profiles from one agent to others (OpenClaw's portability rules).
    Copy(write::CopyArgs),
    /// Replace a provider's secret in every store that holds it.
    Rotate(write::RotateArgs),
    /// Apply the safe fixes `validate` proposes (asks first unless --yes).
    Repair(write::RepairArgs),
}

#[derive(Args, Debug, Clone, Default)]
pub struct StatusArgs {
    /// Only these agents (repeatable).
    #[arg(long = "agent", value_name = "ID")]
    pub agents: Vec<String>,
    /// Only these providers (repeatable).
    #[arg(long = "provider", value_name = "ID")]
    pub providers: Vec<String>,
    /// Machine-readable JSON (a stable contract).
    #[arg(long)]
    pub json: bool,
    /// Exit 1 if a provider in use is missing/expired/invalid, 2 if one expires within 24 h.
    #[arg(long)]
    pub check: bool,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ValidateArgs {
    /// Only problems of these agents (repeatable); installation-wide problems are always shown.
    #[arg(long = "agent", value_name = "ID")]
    pub agents: Vec<String>,
    /// Machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run_from_env() -> i32 {
    panic::install_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let env = EnvSnapshot::from_process();
    let stdout = std::io::stdout();
    let pretty = std::io::IsTerminal::is_terminal(&stdout);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = run(cli, &env, pretty, &mut out);
    let flushed = out.flush();
    match result.and_then(|code| {
        flushed
            .map(|_| code)
            .map_err(|e| format!("cannot write output: {e}"))
    }) {
        Ok(code) => code,
        Err(e) if e.starts_with(write::REFUSED_PREFIX) => {
            eprintln!("clawauth: {e}");
            exit::REFUSED
        }
        Err(e) => {
            eprintln!("clawauth: {e}");
            exit::CANNOT_READ
        }
    }
}

fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0)
}

pub fn load(global: &GlobalArgs, env: &EnvSnapshot) -> Result<Discovery, String> {
    let executable_version = find_executable(global.openclaw.as_deref(), env).and_then(|exe| {
        match probe_version(&exe) {
            Ok(v) => Some((v, exe)),
            Err(e) if global.openclaw.is_some() => {
                eprintln!(
                    "clawauth: warning: {e}; deciding the store generation from the files on disk"
                );
                None
            }
            Err(_) => None,
        }
    });
    let options = DiscoverOptions {
        paths: PathOverrides {
            state_dir: global.state_dir.clone(),
            profile: global.profile.clone(),
            config: global.config.clone(),
        },
        executable_version,
        now_ms: now_ms(),
    };
    discover(&options, env)
}

/// True when nothing points at an OpenClaw state and none exists where OpenClaw would
/// look: then `clawauth` on a terminal opens the built-in demo instead of an empty view.
fn no_openclaw_state(global: &GlobalArgs, env: &EnvSnapshot) -> bool {
    let explicit =
        global.state_dir.is_some() || global.profile.is_some() || global.config.is_some();
    let overrides = PathOverrides {
        state_dir: None,
        profile: None,
        config: None,
    };
    let found = crate::domain::paths::resolve_paths(&overrides, env)
        .is_ok_and(|p| p.state_dir.exists() || p.config_path.exists());
    !explicit && env.get("OPENCLAW_STATE_DIR").is_none() && !found
}

pub fn run(cli: Cli, env: &EnvSnapshot, pretty: bool, out: &mut dyn Write) -> Result<i32, String> {
    let command = match cli.command {
        Some(c) => c,
        None if crate::tui::is_interactive() && no_openclaw_state(&cli.global, env) => {
            return crate::tui::run_demo(demo::write_demo_state);
        }
        None if crate::tui::is_interactive() => return crate::tui::run_status(&cli.global, env),
        None => {
            return Err("no subcommand given. Use `clawauth status`, `clawauth validate`, `clawauth schema` or `clawauth demo` (the full-screen view needs a terminal); see `clawauth --help`".into());
        }
    };
    match command {
        Command::Status(args) => status(&load(&cli.global, env)?, &args, pretty, out),
        Command::Validate(args) => validate(&load(&cli.global, env)?, &args, pretty, out),
        Command::Schema => {
            out.write_all(SCHEMA.as_bytes())
                .map_err(|e| e.to_string())?;
            Ok(exit::OK)
        }
        Command::Demo(args) if crate::tui::wants_demo_ui(&args) => {
            crate::tui::run_demo(demo::write_demo_state)
        }
        Command::Demo(args) => demo::run(&args, env, pretty, out),
        Command::Set(args) => write::set(&cli.global, &args, env, out),
        Command::Copy(args) => write::copy(&cli.global, &args, env, out),
        Command::Rotate(args) => write::rotate(&cli.global, &args, env, out),
        Command::Repair(args) => write::repair(&cli.global, &args, env, pretty, out),
    }
}

pub const SCHEMA: &str = include_str!("../../assets/auth-profiles.schema.json");

fn unknown_filters(d: &Discovery, agents: &[String]) -> Result<(), String> {
    match agents.iter().find(|a| d.agent(a).is_none()) {
        Some(a) => Err(format!(
            "unknown agent {a:?}; known agents: {}",
            d.agents
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => Ok(()),
    }
}

pub fn status(
    d: &Discovery,
    args: &StatusArgs,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    unknown_filters(d, &args.agents)?;
    let filter = Filter {
        agents: args.agents.clone(),
        providers: args.providers.clone(),
    };
    let model = StatusModel::new(d);
    if args.json && !pretty && !args.check {
        write_json_streaming(&model, &filter, out)
            .map_err(|e| format!("cannot write output: {e}"))?;
        return Ok(exit::OK);
    }
    let report = filter.apply(model.report());
    let code = if args.check {
        check_code(d, &report)
    } else {
        exit::OK
    };
    if args.json {
        write_json(out, &report, pretty)?;
    } else {
        human::write_status(&report, out).map_err(|e| e.to_string())?;
    }
    Ok(code)
}

/// `models status --check` semantics over the cells a run would need.
fn check_code(d: &Discovery, report: &Report) -> i32 {
    use crate::domain::resolve::CellState::*;
    let in_use = |c: &crate::domain::report::CellOut| {
        !c.cron.is_empty()
            || d.agent(&c.agent).is_some_and(|a| {
                crate::domain::discovery::agent_models(d, a)
                    .iter()
                    .filter_map(|m| crate::domain::discovery::provider_of_model(m))
                    .any(|p| {
                        crate::domain::providers::normalize_provider(p, d.generation) == c.provider
                    })
            })
    };
    let relevant: Vec<_> = report
        .cells
        .iter()
        .filter(|c| in_use(c) || c.source != crate::domain::resolve::Source::None)
        .collect();
    if relevant.iter().any(|c| !c.usable || c.state == Expired) {
        exit::PROBLEMS
    } else if relevant.iter().any(|c| c.state == Expiring) {
        exit::EXPIRING
    } else {
        exit::OK
    }
}

pub fn validate(
    d: &Discovery,
    args: &ValidateArgs,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    unknown_filters(d, &args.agents)?;
    let report = Filter {
        agents: args.agents.clone(),
        providers: Vec::new(),
    }
    .apply(build_report(d));
    let counted = report
        .problems
        .iter()
        .filter(|p| p.severity != Severity::Info)
        .count();
    if args.json {
        let doc = serde_json::json!({ "stateDir": report.state_dir, "configPath": report.config_path, "generation": report.generation, "problems": report.problems });
        write_json(out, &doc, pretty)?;
    } else {
        human::write_problems(&report, out).map_err(|e| e.to_string())?;
    }
    Ok(if counted > 0 {
        exit::PROBLEMS
    } else {
        exit::OK
    })
}

/// Pretty JSON on a terminal, compact (one line) otherwise: the same contract.
fn write_json(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
    pretty: bool,
) -> Result<(), String> {
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, value)
    } else {
        serde_json::to_writer(&mut *out, value)
    };
    written.map_err(|e| e.to_string())?;
    writeln!(out).map_err(|e| e.to_string())
}
