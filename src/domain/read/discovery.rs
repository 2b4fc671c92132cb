//! Discovery: everything clawauth knows about one OpenClaw installation,
//! read from disk once (layout.md §1–§5).

use crate::domain::read::agents::{Agent, discover_agents, model_refs};
use crate::domain::read::config::{LoadedConfig, get, load_config};
use crate::domain::read::cron::{CronJob, job_from_json, load_jobs_json};
use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::error::ReadError;
use crate::domain::read::paths::{PathOverrides, ResolvedPaths, resolve_paths};
use crate::domain::read::sqlite;
use crate::domain::read::store::{Store, StoreKind, load_json_store};
use crate::domain::read::version::{Generation, Version};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) const AUTH_PROFILES: &str = "auth-profiles.json";
pub(crate) const AGENT_DB: &str = "openclaw-agent.sqlite";

/// The stores that live in one agent directory.
#[derive(Debug, Clone)]
pub struct DirStores {
    /// The live store: `auth-profiles.json` (JSON) or `openclaw-agent.sqlite` (SQLite).
    pub primary: Store,
    /// Legacy files: `auth.json` (JSON generation); in the SQLite generation
    /// also any `auth-profiles.json`, which OpenClaw no longer reads.
    pub(crate) legacy: Vec<Store>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VersionSource {
    Executable(PathBuf),
    ConfigMeta,
    Unknown,
}

/// `Debug` shows every part without secrets (documents as their shape, env names only).
#[derive(Clone)]
pub struct Discovery {
    pub(crate) paths: ResolvedPaths,
    pub config: LoadedConfig,
    pub env: EnvSnapshot,
    pub(crate) generation: Generation,
    pub(crate) generation_reason: String,
    pub(crate) version: Option<Version>,
    pub(crate) version_source: VersionSource,
    pub agents: Vec<Agent>,
    /// Stores by agent directory (agents' dirs and the main dir).
    pub(crate) dirs: BTreeMap<PathBuf, DirStores>,
    /// `credentials/oauth.json` (legacy, merged into the main store in 2026.4).
    pub(crate) oauth_file: Store,
    /// 2026.9: the shared store every agent reads through.
    pub(crate) shared: Option<Store>,
    /// 2026.9: the shared owner's agent dir (writes with `--agent main` land in the shared store).
    pub(crate) shared_owner_dir: PathBuf,
    pub(crate) cron: Vec<CronJob>,
    pub(crate) cron_error: Option<String>,
    /// `<stateDir>/.env` exists but could not be read (not a regular file, too big…).
    pub(crate) dotenv_error: Option<ReadError>,
    /// `models.json` per agent dir, with its providers.
    pub(crate) models_json: BTreeMap<PathBuf, Result<Value, ReadError>>,
    pub(crate) now_ms: f64,
    /// An OpenClaw gateway running on this state (its lock is held by a live process).
    pub(crate) gateway: Option<crate::domain::read::gateway::Gateway>,
    /// The env vars the runtime reads per built-in provider (installed package, else asset).
    pub(crate) provider_env: crate::domain::read::envtable::EnvTable,
    /// A Claude CLI login in this environment (never read by OpenClaw's key resolver).
    pub(crate) claude_login: Option<crate::domain::read::clilogin::ClaudeLogin>,
}

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    pub paths: PathOverrides,
    /// `openclaw --version` (or the package's version) when an executable was found.
    pub executable_version: Option<(Version, PathBuf)>,
    pub now_ms: f64,
}

impl std::fmt::Debug for Discovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::domain::secret::Shape;
        let models: Vec<(&PathBuf, Result<Shape, &ReadError>)> = self
            .models_json
            .iter()
            .map(|(dir, doc)| (dir, doc.as_ref().map(Shape)))
            .collect();
        f.debug_struct("Discovery")
            .field("paths", &self.paths)
            .field("config", &self.config)
            .field("env", &self.env)
            .field("generation", &self.generation)
            .field("generation_reason", &self.generation_reason)
            .field("version", &self.version)
            .field("version_source", &self.version_source)
            .field("agents", &self.agents)
            .field("dirs", &self.dirs)
            .field("oauth_file", &self.oauth_file)
            .field("shared", &self.shared)
            .field("shared_owner_dir", &self.shared_owner_dir)
            .field("cron", &self.cron)
            .field("cron_error", &self.cron_error)
            .field("dotenv_error", &self.dotenv_error)
            .field("models_json", &models)
            .field("now_ms", &self.now_ms)
            .finish()
    }
}

impl Discovery {
    /// The raw profile `id` as read from a store: the agent directory's own, or the
    /// shared one (used for SQLite-generation stores, which are only read).
    pub(crate) fn stored_profile(
        &self,
        dir: &Path,
        shared: bool,
        id: &str,
    ) -> Option<serde_json::Value> {
        let store = if shared {
            self.shared.as_ref()?
        } else {
            &self.dir_stores(dir)?.primary
        };
        store.raw.as_ref()?.get("profiles")?.get(id).cloned()
    }

    pub(crate) fn default_agent(&self) -> &str {
        self.agents
            .iter()
            .find(|a| a.default)
            .map(|a| a.id.as_str())
            .unwrap_or("main")
    }

    pub(crate) fn agent(&self, id: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }

    pub fn dir_stores(&self, dir: &Path) -> Option<&DirStores> {
        self.dirs.get(dir)
    }

    pub fn main_dir(&self) -> &Path {
        &self.paths.main_agent_dir
    }

    /// The agent owning each directory: the agents indexed by directory once
    /// (a scan of the agents per directory made 1,000 agents quadratic).
    pub(crate) fn owners(&self) -> Owners<'_> {
        let mut by_dir = std::collections::HashMap::new();
        for a in &self.agents {
            by_dir.entry(a.dir.as_path()).or_insert(a.id.as_str());
        }
        Owners {
            by_dir,
            main: self.main_dir(),
        }
    }

    pub(crate) fn state_db(&self) -> PathBuf {
        self.paths.state_dir.join("state").join("openclaw.sqlite")
    }
}

/// The agent owning each directory ([`Discovery::owners`]).
pub(crate) struct Owners<'a> {
    /// The first agent of each directory (`Path`'s hash agrees with its `==`).
    by_dir: std::collections::HashMap<&'a Path, &'a str>,
    main: &'a Path,
}

impl<'a> Owners<'a> {
    /// The agent whose directory is `dir` (`main` for the main agent dir), if any.
    pub(crate) fn of(&self, dir: &Path) -> Option<&'a str> {
        let owner = self.by_dir.get(dir).copied();
        owner.or_else(|| (dir == self.main).then_some("main"))
    }
}

pub fn discover(
    options: &DiscoverOptions,
    process_env: &EnvSnapshot,
) -> Result<Discovery, ReadError> {
    let paths = resolve_paths(&options.paths, process_env)?;
    let mut env = process_env.clone();
    let dotenv_error = load_dotenv(&paths.state_dir.join(".env"), &mut env).err();
    let config = load_config(Some(paths.config_path.clone()), &env);
    apply_config_env(&config.value, &mut env);
    let (generation, generation_reason, version, version_source) =
        decide_generation(&paths, &config, options);
    let agents = discover_agents(&config.value, &paths.state_dir, &paths.home, &env);
    let shared_owner_dir = shared_owner_dir(&paths, &config.value, &env);
    let gateway = crate::domain::read::gateway::running_gateway(
        &paths.state_dir,
        &paths.config_path,
        process_env,
    );
    let exe = match &version_source {
        VersionSource::Executable(exe) => Some(exe.as_path()),
        _ => None,
    };
    let provider_env = crate::domain::read::envtable::load(generation, exe);
    let mut d = Discovery {
        claude_login: crate::domain::read::clilogin::read(&env),
        provider_env,
        gateway,
        oauth_file: load_oauth_file(&paths, &env),
        shared: None,
        shared_owner_dir,
        dirs: BTreeMap::new(),
        cron: Vec::new(),
        cron_error: None,
        dotenv_error,
        models_json: BTreeMap::new(),
        now_ms: options.now_ms,
        paths,
        config,
        env,
        generation,
        generation_reason,
        version,
        version_source,
        agents,
    };
    load_stores(&mut d);
    load_cron(&mut d);
    Ok(d)
}

/// Size and modification time of every credential file OpenClaw may write for this
/// state (auth stores, SQLite databases and their journals, OAuth files), to tell
/// whether an OpenClaw command wrote a credential.
pub(crate) fn credential_file_stamps(
    d: &Discovery,
) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let state = &d.paths.state_dir;
    let mut dirs: Vec<PathBuf> = d.dirs.keys().cloned().collect();
    dirs.extend([
        d.shared_owner_dir.clone(),
        state.join("state"),
        state.join("credentials"),
    ]);
    if let Ok(agents) = std::fs::read_dir(state.join("agents")) {
        dirs.extend(agents.flatten().map(|a| a.path().join("agent")));
    }
    dirs.sort();
    dirs.dedup();
    let mut stamps: Vec<_> = dirs
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| is_credential_file(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.path(), meta.len(), meta.modified().ok()))
        })
        .collect();
    stamps.sort();
    stamps
}

fn is_credential_file(name: &str) -> bool {
    name.starts_with("auth")
        || name.starts_with("openclaw-agent.sqlite")
        || name.starts_with("openclaw.sqlite")
        || name == "oauth.json"
}

/// Largest `<state>/.env` clawauth reads.
pub(crate) const MAX_DOTENV_BYTES: u64 = 1024 * 1024;

/// `<state>/.env`: `KEY=VALUE` lines, never overriding the process env.
fn load_dotenv(path: &Path, env: &mut EnvSnapshot) -> Result<(), ReadError> {
    let Some(bytes) =
        crate::domain::read::fsread::read_limited(path, MAX_DOTENV_BYTES, ".env files")?
    else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&bytes);
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
            env.set_default(k.trim(), v);
        }
    }
    Ok(())
}

/// `env.vars` (and plain string entries of `env`) from `openclaw.json`.
fn apply_config_env(config: &Value, env: &mut EnvSnapshot) {
    let Some(block) = config.get("env").and_then(Value::as_object) else {
        return;
    };
    let vars = block
        .get("vars")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    let inline = block
        .iter()
        .filter(|(k, _)| k.as_str() != "vars" && k.as_str() != "shellEnv");
    for (k, v) in vars.chain(inline) {
        if let Some(s) = v.as_str() {
            env.set_default(k, s);
        }
    }
}

fn decide_generation(
    paths: &ResolvedPaths,
    config: &LoadedConfig,
    options: &DiscoverOptions,
) -> (Generation, String, Option<Version>, VersionSource) {
    if let Some((v, exe)) = &options.executable_version {
        return (
            v.generation(),
            format!("OpenClaw {v} found at {}", exe.display()),
            Some(*v),
            VersionSource::Executable(exe.clone()),
        );
    }
    if let Some(db) = sqlite_evidence(paths) {
        return (
            Generation::Sqlite,
            format!("SQLite store found: {}", db.display()),
            None,
            VersionSource::Unknown,
        );
    }
    let touched = get(&config.value, &["meta", "lastTouchedVersion"])
        .and_then(Value::as_str)
        .and_then(Version::parse);
    if let Some(v) = touched {
        return (
            v.generation(),
            format!("openclaw.json was last written by OpenClaw {v}"),
            Some(v),
            VersionSource::ConfigMeta,
        );
    }
    (
        Generation::Json,
        "no SQLite store on disk; assuming the JSON store of OpenClaw ≤ 2026.5".into(),
        None,
        VersionSource::Unknown,
    )
}

fn sqlite_evidence(paths: &ResolvedPaths) -> Option<PathBuf> {
    let state_db = paths.state_dir.join("state").join("openclaw.sqlite");
    if state_db.exists() {
        return Some(state_db);
    }
    let agents = std::fs::read_dir(paths.state_dir.join("agents")).ok()?;
    agents
        .filter_map(Result::ok)
        .map(|e| e.path().join("agent").join(AGENT_DB))
        .find(|p| p.exists())
}

/// 2026.9's shared-main dir: `OPENCLAW_AGENT_DIR`, else `authInheritance.agentId`'s dir, else `agents/main/agent`.
fn shared_owner_dir(paths: &ResolvedPaths, config: &Value, env: &EnvSnapshot) -> PathBuf {
    if env.get("OPENCLAW_AGENT_DIR").is_some() || env.get("PI_CODING_AGENT_DIR").is_some() {
        return paths.main_agent_dir.clone();
    }
    match get(
        config,
        &["agents", "defaults", "authInheritance", "agentId"],
    )
    .and_then(Value::as_str)
    {
        Some(id) => paths
            .state_dir
            .join("agents")
            .join(crate::domain::read::agents::normalize_agent_id(id))
            .join("agent"),
        None => paths.main_agent_dir.clone(),
    }
}

fn load_oauth_file(paths: &ResolvedPaths, env: &EnvSnapshot) -> Store {
    let dir = env
        .get("OPENCLAW_OAUTH_DIR")
        .map(|d| env.expand_tilde(d, &paths.home))
        .unwrap_or_else(|| paths.state_dir.join("credentials"));
    load_json_store(
        &dir.join("oauth.json"),
        StoreKind::OAuthJson,
        Generation::Json,
    )
}

fn load_stores(d: &mut Discovery) {
    let mut dirs: Vec<PathBuf> = d.agents.iter().map(|a| a.dir.clone()).collect();
    dirs.push(d.paths.main_agent_dir.clone());
    dirs.push(d.shared_owner_dir.clone());
    for dir in dirs {
        if d.dirs.contains_key(&dir) {
            continue;
        }
        let stores = load_dir(&dir, d.generation);
        d.models_json.insert(dir.clone(), load_models_json(&dir));
        d.dirs.insert(dir, stores);
    }
    if d.generation == Generation::Sqlite {
        d.shared = Some(load_shared(d));
    }
}

fn load_dir(dir: &Path, generation: Generation) -> DirStores {
    if let Some(blocker) = crate::domain::read::fsread::not_a_directory(dir) {
        // One problem, on the live store, instead of one per file that cannot exist.
        let (name, kind) = match generation {
            Generation::Json => (AUTH_PROFILES, StoreKind::AuthProfiles),
            Generation::Sqlite => (AGENT_DB, StoreKind::AgentDb),
        };
        let path = dir.join(name);
        let error = format!(
            "{} cannot exist: {} is not a directory (OpenClaw keeps an agent's stores in a directory there)",
            path.display(),
            blocker.display()
        );
        return DirStores {
            primary: Store::failed(path, kind, error),
            legacy: Vec::new(),
        };
    }
    let json = |name: &str, kind| load_json_store(&dir.join(name), kind, generation);
    match generation {
        Generation::Json => DirStores {
            primary: json(AUTH_PROFILES, StoreKind::AuthProfiles),
            legacy: vec![json("auth.json", StoreKind::LegacyAuthJson)],
        },
        Generation::Sqlite => DirStores {
            primary: sqlite::load_agent_db(&dir.join(AGENT_DB)),
            legacy: vec![
                json(AUTH_PROFILES, StoreKind::AuthProfiles),
                json("auth.json", StoreKind::LegacyAuthJson),
            ],
        },
    }
}

fn load_shared(d: &Discovery) -> Store {
    let state_db = d.state_db();
    match sqlite::shared_store_in_state_db(&state_db) {
        Ok(true) => sqlite::load_shared_db(&state_db),
        Ok(false) => d
            .dirs
            .get(&d.shared_owner_dir)
            .map(|s| s.primary.clone())
            .unwrap_or_else(|| sqlite::load_agent_db(&d.shared_owner_dir.join(AGENT_DB))),
        Err(e) => Store {
            exists: true,
            error: Some(e.to_string()),
            ..Store::absent(state_db, StoreKind::SharedDb)
        },
    }
}

fn load_models_json(dir: &Path) -> Result<Value, ReadError> {
    if crate::domain::read::fsread::not_a_directory(dir).is_some() {
        return Ok(Value::Null);
    }
    crate::domain::read::store::read_json_document(&dir.join("models.json"))
        .map(|v| v.unwrap_or(Value::Null))
}

fn load_cron(d: &mut Discovery) {
    let default_agent = d.default_agent().to_string();
    let json_jobs = load_jobs_json(
        &d.paths.state_dir.join("cron").join("jobs.json"),
        &default_agent,
    );
    let db_jobs = sqlite::load_cron_rows(&d.state_db()).map(|rows| {
        rows.iter()
            .map(|(id, agent, job)| job_from_json(id, agent.as_deref(), job, &default_agent))
            .collect::<Vec<_>>()
    });
    let (primary, secondary) = match d.generation {
        Generation::Json => (json_jobs, db_jobs),
        Generation::Sqlite => (db_jobs, json_jobs),
    };
    match primary {
        Ok(jobs) => d.cron = jobs,
        Err(e) => d.cron_error = Some(e.to_string()),
    }
    if d.cron.is_empty() {
        d.cron = secondary.unwrap_or_default();
    }
}

/// The provider part of a `provider/model` reference.
pub(crate) fn provider_of_model(model_ref: &str) -> Option<&str> {
    model_ref
        .split_once('/')
        .map(|(p, _)| p.trim())
        .filter(|p| !p.is_empty())
}

/// The model refs an agent runs with (its own, else `agents.defaults.model`).
pub(crate) fn agent_models(d: &Discovery, agent: &Agent) -> Vec<String> {
    let (default_primary, default_fallbacks) =
        model_refs(get(&d.config.value, &["agents", "defaults", "model"]));
    let primary = agent.model.clone().or(default_primary);
    let fallbacks = if agent.model.is_some() {
        agent.fallbacks.clone()
    } else {
        default_fallbacks
    };
    primary.into_iter().chain(fallbacks).collect()
}
