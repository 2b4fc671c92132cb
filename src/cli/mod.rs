//! The command-line interface: clap types, arguments → service requests, and text
//! and JSON rendering. Never imports the terminal UI.

mod human;
mod io;
mod probe;
mod prompt;
mod render;
mod wording;
pub mod write;

use crate::domain::problem::Severity;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::status::report::{Filter, StatusModel, build_report, write_json_streaming};
use crate::service::attention::check_status;
use crate::service::demo::DemoState;
use crate::service::exit::{ExitStatus, Failure};
use crate::service::session::Session;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "clawauth", version, about = "See and fix OpenClaw provider authentication, per agent.", long_about = None,
    after_help = "With no command, on a terminal, `clawauth` opens the full-screen UI on your OpenClaw state\n(on the built-in demo when no state is found; `clawauth demo` opens the demo anyway).")]
pub struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone, Default)]
pub(crate) struct GlobalArgs {
    /// OpenClaw state directory (default: $OPENCLAW_STATE_DIR, else ~/.openclaw).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) state_dir: Option<PathBuf>,
    /// OpenClaw profile: uses ~/.openclaw-NAME (like `openclaw --profile`).
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// openclaw.json to read (default: $OPENCLAW_CONFIG_PATH, else <state dir>/openclaw.json).
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// The openclaw executable, used to learn the installed version.
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) openclaw: Option<PathBuf>,
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
    /// Live check: send each credential in use to its provider once (opt-in, network).
    Probe(probe::ProbeArgs),
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
    pub(crate) agents: Vec<String>,
    /// Machine-readable JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

impl GlobalArgs {
    /// The session these flags point at, read with `env`.
    pub(crate) fn session(&self, env: EnvSnapshot) -> Session {
        Session {
            state_dir: self.state_dir.clone(),
            profile: self.profile.clone(),
            config: self.config.clone(),
            openclaw: self.openclaw.clone(),
            env,
            demo: false,
        }
    }
}

impl StatusArgs {
    /// Plain `clawauth demo`: no JSON, no check, no filter (the UI shows those).
    pub(crate) fn is_plain(&self) -> bool {
        self.agents.is_empty() && self.providers.is_empty() && !self.json && !self.check
    }
}

/// Parses the command line; on a usage error (or `--help`) prints clap's text and
/// returns the exit status.
pub(crate) fn parse() -> Result<Cli, ExitStatus> {
    Cli::try_parse().map_err(|e| {
        if !e.use_stderr() {
            let _ = e.print();
            return ExitStatus::Ok;
        }
        if std::env::args_os().any(|a| a == "--json") {
            let message = usage_message(&e.render().to_string());
            let _ = write_error(&mut std::io::stdout(), &Failure::Usage(message));
        } else {
            let _ = e.print();
        }
        ExitStatus::Usage
    })
}

/// clap's error text up to the usage line, on one line: "the following required
/// arguments were not provided: --from <AGENT> --to <AGENT>" keeps the names.
fn usage_message(text: &str) -> String {
    let words: Vec<&str> = text
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    words.join(" ").trim_start_matches("error: ").to_string()
}

/// `{"error": {"code", "message", "file"?}, "exitCode"}` on one line: every failure
/// under `--json` (the codes are `Failure::code`, documented in the README).
fn write_error(out: &mut dyn Write, failure: &Failure) -> std::io::Result<()> {
    let doc = serde_json::json!({"error": failure.report(), "exitCode": failure.status().code()});
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    out.flush()
}

impl Command {
    /// True when the command was asked for JSON: its failures are JSON too.
    fn json(&self) -> bool {
        match self {
            Command::Status(a) | Command::Demo(a) => a.json,
            Command::Validate(a) => a.json,
            Command::Schema => false,
            Command::Set(a) => a.flags.json,
            Command::Copy(a) => a.flags.json,
            Command::Rotate(a) => a.flags.json,
            Command::Repair(a) => a.flags.json,
            Command::Probe(a) => a.json,
        }
    }
}

/// Runs a parsed command on `session`, printing to stdout; returns the exit code.
pub(crate) fn run(cli: Cli, session: &Session) -> i32 {
    let stdout = std::io::stdout();
    let pretty = std::io::IsTerminal::is_terminal(&stdout);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let json = cli.command.as_ref().is_some_and(Command::json);
    let result = execute(cli, session, pretty, &mut out);
    let flushed = out.flush().map_err(Failure::output);
    match result.and_then(|status| flushed.map(|_| status)) {
        Ok(status) => status.code(),
        Err(failure) => {
            if !json || write_error(&mut out, &failure).is_err() {
                let shown = failure.to_string();
                eprintln!("clawauth: {}", crate::domain::text::terminal_safe(&shown));
            }
            failure.status().code()
        }
    }
}

pub(crate) fn execute(
    cli: Cli,
    session: &Session,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    let Some(command) = cli.command else {
        return Err(Failure::CannotRead("no subcommand given. Use `clawauth status`, `clawauth validate`, `clawauth schema` or `clawauth demo` (the full-screen view needs a terminal); see `clawauth --help`".into()));
    };
    let init = matches!(&command, Command::Set(a) if a.init);
    if !matches!(command, Command::Schema | Command::Demo(_)) {
        session.check_given_paths(init)?;
    }
    match command {
        Command::Status(args) => status(&io::load(session)?, &args, pretty, out),
        Command::Validate(args) => validate(&io::load(session)?, &args, pretty, out),
        Command::Schema => {
            out.write_all(SCHEMA.as_bytes()).map_err(Failure::output)?;
            Ok(ExitStatus::Ok)
        }
        Command::Demo(args) => demo(&args, pretty, out),
        Command::Set(args) => write::set(session, &args, out),
        Command::Copy(args) => write::copy(session, &args, out),
        Command::Rotate(args) => write::rotate(session, &args, out),
        Command::Repair(args) => write::repair(session, &args, pretty, out),
        Command::Probe(args) => probe::probe(session, &args, pretty, out),
    }
}

/// `clawauth demo` printed: the status of the built-in demo state.
fn demo(args: &StatusArgs, pretty: bool, out: &mut dyn Write) -> Result<ExitStatus, Failure> {
    let demo = DemoState::create().map_err(|e| Failure::CannotRead(e.to_string()))?;
    writeln!(
        out,
        "Demo state (a copy in {}; nothing on your machine is read or changed):\n",
        demo.dir().display()
    )
    .map_err(Failure::output)?;
    status(&io::load(&demo.session())?, args, pretty, out)
}

pub const SCHEMA: &str = include_str!("../../assets/auth-profiles.schema.json");

fn unknown_filters(d: &Discovery, agents: &[String]) -> Result<(), Failure> {
    crate::service::names::check_agents(d, agents)
}

pub fn status(
    d: &Discovery,
    args: &StatusArgs,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    unknown_filters(d, &args.agents)?;
    let filter = Filter {
        agents: args.agents.clone(),
        providers: args.providers.clone(),
    };
    let model = StatusModel::new(d);
    if args.json && !pretty && !args.check {
        write_json_streaming(&model, &filter, out).map_err(Failure::output)?;
        return Ok(ExitStatus::Ok);
    }
    let report = filter.apply(model.report());
    let status = if args.check && d.cron_error.is_some() {
        // Fail closed: the cron jobs that must run cannot be known.
        ExitStatus::Problems
    } else if args.check {
        check_status(&report.cells)
    } else {
        ExitStatus::Ok
    };
    if args.json {
        io::write_json(out, &report, pretty)?;
    } else {
        human::write_status(&report, out).map_err(Failure::output)?;
    }
    Ok(status)
}

pub fn validate(
    d: &Discovery,
    args: &ValidateArgs,
    pretty: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Failure> {
    unknown_filters(d, &args.agents)?;
    let mut report = Filter {
        agents: args.agents.clone(),
        providers: Vec::new(),
    }
    .apply(build_report(d));
    // The cells `status` lists under "Needs attention" are problems too (one rule).
    let cells = crate::service::attention::attention_problems(&report.cells, &report.state_dir);
    report.problems.extend(cells);
    let counted = report
        .problems
        .iter()
        .filter(|p| p.severity != Severity::Info)
        .count();
    if args.json {
        let doc = serde_json::json!({ "stateDir": report.state_dir, "configPath": report.config_path, "generation": report.generation, "problems": report.problems });
        io::write_json(out, &doc, pretty)?;
    } else {
        human::write_problems(&report, out).map_err(Failure::output)?;
    }
    Ok(if counted > 0 {
        ExitStatus::Problems
    } else {
        ExitStatus::Ok
    })
}
