//! Installation-wide validation: config, placement, permissions, generations,
//! models.json and cron (field-reports.md b3, b8, b10, b11; auth-store.md §5).

pub(crate) mod leftovers;
pub mod store;

use crate::domain::problem::{Problem, Severity};
use crate::domain::read::config::get;
use crate::domain::read::discovery::{AUTH_PROFILES, Discovery};
use crate::domain::read::store::{Store, StoreKind};
use crate::domain::read::version::Generation;
use crate::domain::validate::store::{StoreCtx, validate_store};
use serde_json::Value;
use std::path::Path;

pub(crate) fn validate(d: &Discovery) -> Vec<Problem> {
    let mut out = config_problems(d);
    out.extend(store_problems(d));
    out.extend(config_profile_problems(d));
    out.extend(placement_problems(d));
    out.extend(models_json_problems(d));
    out.extend(shadow_problems(d));
    out.extend(leftovers::leftover_problems(d));
    if let Some(e) = &d.dotenv_error {
        out.push(
            Problem::warning("dotenv_unreadable", &d.paths.state_dir.join(".env"), e.to_string())
                .fix("Make it a small regular KEY=VALUE file (or remove it); the variables in it are not part of this report."),
        );
    }
    if let Some(e) = &d.cron_error {
        // The generation's own cron source failed: jobs.json (2026.4) or the state database.
        let (file, fix) = match d.generation {
            Generation::Json => (
                d.paths.state_dir.join("cron/jobs.json"),
                "Fix the file's JSON; cron jobs in it are not checked.",
            ),
            Generation::Sqlite => (
                d.state_db(),
                "Restore the database from a backup or let `openclaw doctor` repair it; cron jobs in it are not checked.",
            ),
        };
        out.push(Problem::warning("cron_unreadable", &file, e.clone()).fix(fix));
    }
    for job in d.cron.iter().filter(|j| d.agent(&j.agent).is_none()) {
        out.push(
            Problem::warning(
                "cron_unknown_agent",
                &d.paths.state_dir.join("cron"),
                format!(
                    "cron job {} runs as agent \"{}\", which is not configured",
                    job.id, job.agent
                ),
            )
            .fix("Add the agent to openclaw.json or point the job at an existing agent."),
        );
    }
    out.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then_with(|| a.file.cmp(&b.file))
            .then_with(|| a.profile.cmp(&b.profile))
    });
    out.dedup();
    out
}

fn config_problems(d: &Discovery) -> Vec<Problem> {
    let path = d.config.path.clone().unwrap_or_default();
    let mut out: Vec<Problem> = d
        .config
        .notes
        .iter()
        .map(|n| Problem::warning(n.code, &path, n.message.clone()).fix(n.fix.clone()))
        .collect();
    if let Some(e) = &d.config.error {
        out.push(Problem::error("config_unreadable", &path, format!("{e}; OpenClaw will refuse to start with it, and clawauth shows what it can without it")).fix("Fix the syntax (JSON5: comments and trailing commas are fine)."));
    }
    out
}

/// Which agents use a directory's stores.
fn store_problems(d: &Discovery) -> Vec<Problem> {
    let mut out = Vec::new();
    let clawauth = d.paths.clawauth();
    let check = |s: &Store, agent: Option<&str>| {
        validate_store(&StoreCtx {
            store: s,
            agent,
            generation: d.generation,
            now_ms: d.now_ms,
            clawauth: &clawauth,
        })
    };
    let owners = d.owners();
    for (dir, stores) in &d.dirs {
        let agent = owners.of(dir);
        out.extend(check(&stores.primary, agent));
        out.extend(permission_problems(&stores.primary, agent));
        for legacy in stores.legacy.iter().filter(|s| s.exists) {
            out.extend(legacy_problems(d, dir, &stores.primary, legacy, agent));
        }
    }
    if let Some(shared) = &d.shared
        && shared.kind == StoreKind::SharedDb
    {
        out.extend(check(shared, None));
    }
    if d.oauth_file.exists {
        out.push(Problem::info("legacy_oauth_file", &d.oauth_file.path, "legacy credentials/oauth.json: OpenClaw 2026.4 merges it into main's store only when main has no auth-profiles.json; 2026.9 imports it with `openclaw doctor --fix`").fix("Move these logins into the main auth store."));
    }
    out
}

fn legacy_problems(
    d: &Discovery,
    dir: &Path,
    primary: &Store,
    legacy: &Store,
    agent: Option<&str>,
) -> Vec<Problem> {
    let name = legacy
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    if d.generation == Generation::Json {
        let mut out = validate_store(&StoreCtx {
            store: legacy,
            agent,
            generation: d.generation,
            now_ms: d.now_ms,
            clawauth: &d.paths.clawauth(),
        });
        let note = if primary.is_loaded() {
            "ignored because auth-profiles.json exists"
        } else {
            "imported as <provider>:default and then deleted by OpenClaw on the next load"
        };
        out.push(Problem::info("legacy_auth_json", &legacy.path, format!("legacy auth.json: {note}; the embedded runtime also rewrites this file as a cache")).agent(agent).fix("Keep credentials in auth-profiles.json; never write auth.json."));
        return out;
    }
    let owner_empty = !primary.is_loaded() || primary.profiles.is_empty();
    let _ = dir;
    if owner_empty {
        Problem::error("migration_required", &legacy.path, format!("{name} sits beside an empty SQLite store ({}): OpenClaw ≥ 2026.6 refuses auth for the providers it names (AUTH_PROFILE_MIGRATION_REQUIRED)", primary.path.display()))
            .agent(agent)
            .fix("Run `openclaw doctor --fix` to import it (new profile ids only; warn: it may try to refresh expired OAuth), or remove the file.")
            .into_vec()
    } else {
        Problem::warning(
            "retired_json_ignored",
            &legacy.path,
            format!(
                "{name} is ignored: OpenClaw ≥ 2026.6 reads only the SQLite store {}",
                primary.path.display()
            ),
        )
        .agent(agent)
        .fix("Run `openclaw doctor --fix` to archive it; edits to this file have no effect.")
        .into_vec()
    }
}

trait IntoVec {
    fn into_vec(self) -> Vec<Problem>;
}

impl IntoVec for Problem {
    fn into_vec(self) -> Vec<Problem> {
        vec![self]
    }
}

#[cfg(unix)]
fn permission_problems(s: &Store, agent: Option<&str>) -> Vec<Problem> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    if !s.exists {
        return out;
    }
    if let Ok(link) = std::fs::symlink_metadata(&s.path) {
        // A link that cannot be followed is already a store_unreadable error.
        if let Some(target) = link
            .file_type()
            .is_symlink()
            .then(|| std::fs::canonicalize(&s.path).ok())
            .flatten()
            .map(|t| t.display().to_string())
        {
            out.push(Problem::warning("store_symlink", &s.path, format!("the store is a symbolic link to {target}: writes for this agent change that file (and every agent sharing it)")).agent(agent).fix("Replace the link with a real file if this agent should have its own credentials."));
        }
    }
    let mut files = vec![s.path.clone()];
    if matches!(s.kind, StoreKind::AgentDb | StoreKind::SharedDb) {
        files.push(s.path.with_extension("sqlite-wal"));
        files.push(s.path.with_extension("sqlite-shm"));
    }
    for f in files {
        if let Some(meta) = std::fs::metadata(&f)
            .ok()
            .filter(std::fs::Metadata::is_file)
        {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                out.push(
                    Problem::warning(
                        "store_permissions",
                        &f,
                        format!("mode {mode:04o} lets other users read or change credentials"),
                    )
                    .agent(agent)
                    .fix(format!("chmod 600 {}", crate::domain::text::shell_path(&f))),
                );
            }
        }
    }
    out
}

#[cfg(not(unix))]
fn permission_problems(_s: &Store, _agent: Option<&str>) -> Vec<Problem> {
    Vec::new()
}

fn config_profile_problems(d: &Discovery) -> Vec<Problem> {
    let path = d.config.path.clone().unwrap_or_default();
    let Some(profiles) = get(&d.config.value, &["auth", "profiles"]).and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, entry) in profiles {
        let secret_keys: Vec<&str> = [
            "key", "apiKey", "token", "access", "refresh", "type", "keyRef", "tokenRef",
        ]
        .into_iter()
        .filter(|k| entry.get(*k).is_some())
        .collect();
        if !secret_keys.is_empty() {
            out.push(Problem::error("secrets_in_config", &path, format!("auth.profiles.{id} in openclaw.json has {}; that block holds only provider and mode (OpenClaw reports `Unrecognized key`)", secret_keys.join(", "))).profile(id).fix("Move the secret into the agent's auth store and keep only {\"provider\",\"mode\"} here."));
        }
        if entry
            .get("provider")
            .and_then(Value::as_str)
            .is_none_or(|p| p.trim().is_empty())
        {
            out.push(Problem::error("config_profile_invalid", &path, format!("auth.profiles.{id} has no provider (OpenClaw: `Invalid input: expected string`)")).profile(id).fix("Add \"provider\"."));
        }
        let mode = entry.get("mode").and_then(Value::as_str).unwrap_or("");
        let modes: &[&str] = if d.generation == Generation::Sqlite {
            &["api_key", "token", "oauth", "aws-sdk"]
        } else {
            &["api_key", "token", "oauth"]
        };
        if !modes.contains(&mode) {
            out.push(
                Problem::error(
                    "config_profile_invalid",
                    &path,
                    format!(
                        "auth.profiles.{id}.mode is {mode:?}; allowed: {}",
                        modes.join(", ")
                    ),
                )
                .profile(id)
                .fix("Set mode to the stored profile's type."),
            );
        }
    }
    out
}

fn placement_problems(d: &Discovery) -> Vec<Problem> {
    let state = &d.paths.state_dir;
    let mut out = Vec::new();
    for wrong in [
        state.join(AUTH_PROFILES),
        state.join("credentials").join(AUTH_PROFILES),
        state.join("agent").join(AUTH_PROFILES),
    ] {
        if wrong.exists() {
            out.push(Problem::error("store_wrong_place", &wrong, "OpenClaw never reads an auth store here").fix(format!("Move it to {}/agents/<agentId>/agent/{AUTH_PROFILES} (or let clawauth write the profile).", state.display())));
        }
    }
    if let Ok(entries) = std::fs::read_dir(state.join("agents")) {
        for e in entries.filter_map(Result::ok) {
            let stray = e.path().join(AUTH_PROFILES);
            if stray.exists() {
                out.push(Problem::error("store_wrong_place", &stray, "auth store one level too high: OpenClaw reads agents/<id>/agent/auth-profiles.json").fix(format!("Move it into {}.", e.path().join("agent").display())));
            }
        }
    }
    let nested = state.join(".openclaw");
    if nested.is_dir() {
        out.push(Problem::warning("nested_state_dir", &nested, "a .openclaw directory inside the state dir: probably OPENCLAW_STATE_DIR and HOME were mixed up").fix("Move its contents to the real state dir or remove it."));
    }
    out
}

fn models_json_problems(d: &Discovery) -> Vec<Problem> {
    let mut out = Vec::new();
    let owners = d.owners();
    for (dir, doc) in &d.models_json {
        let file = dir.join("models.json");
        let providers = match doc {
            Err(e) => {
                out.push(
                    Problem::warning("models_json_unreadable", &file, e.to_string())
                        .agent(owners.of(dir))
                        .fix("OpenClaw regenerates models.json; delete it if it is corrupt."),
                );
                continue;
            }
            Ok(v) => v
                .get("providers")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        };
        for (pid, p) in providers {
            let key = p.get("apiKey").and_then(Value::as_str).unwrap_or("");
            let declared = get(&d.config.value, &["models", "providers", &pid]).is_some();
            if !key.trim().is_empty()
                && !crate::domain::read::providers::is_non_secret_marker(key, d.generation)
                && !declared
            {
                out.push(Problem::warning("models_json_key_ignored", &file, format!("provider {pid} has an apiKey only in models.json: OpenClaw's runtime ignores it (`models list` still says available, runs fail with No API key found)")).agent(owners.of(dir)).fix(format!("Store it as an auth profile for {pid}, or declare models.providers.{pid}.apiKey in openclaw.json.")));
            }
        }
    }
    out
}

/// 2026.4 copy-on-first-load leaves stale copies of main's profiles in agent files.
fn shadow_problems(d: &Discovery) -> Vec<Problem> {
    if d.generation != Generation::Json {
        return Vec::new();
    }
    let Some(main) = d.dir_stores(d.main_dir()).map(|s| &s.primary) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let owners = d.owners();
    for (dir, stores) in d
        .dirs
        .iter()
        .filter(|(dir, _)| dir.as_path() != d.main_dir())
    {
        for (id, p) in &stores.primary.profiles {
            let Some(m) = main.profiles.get(id) else {
                continue;
            };
            if p.fields != m.fields {
                out.push(Problem::new("stale_shadow", Severity::Warning, &stores.primary.path, format!("profile {id} here differs from main's profile of the same id and shadows it for this agent (typically a copy left by OpenClaw's copy-on-first-load before main's key was rotated)")).profile(id).agent(owners.of(dir)).fix(format!("Remove {id} from this file to inherit main's, or rotate it here too.")));
            }
        }
    }
    out
}
