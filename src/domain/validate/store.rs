//! Validation of one auth store: everything OpenClaw drops or ignores silently
//! (auth-store.md §2–§7, field-reports.md b1).

use crate::domain::problem::Problem;
use crate::domain::read::profile::{CredType, DropReason, Expires, Profile};
use crate::domain::read::store::{DroppedEntry, Store, StoreKind};
use crate::domain::read::version::Generation;
use crate::domain::secret::{looks_like_pasted_command, looks_like_shell_command};
use serde_json::Value;

/// Timestamps below this are almost certainly seconds, not milliseconds.
const SECONDS_THRESHOLD: f64 = 1.0e11;

pub struct StoreCtx<'a> {
    pub store: &'a Store,
    pub agent: Option<&'a str>,
    pub generation: Generation,
    pub now_ms: f64,
    /// `clawauth` with the path flags this run was given, for fix commands.
    pub clawauth: &'a str,
}

impl StoreCtx<'_> {
    fn at(&self, p: Problem) -> Problem {
        p.agent(self.agent)
    }
}

pub fn validate_store(ctx: &StoreCtx) -> Vec<Problem> {
    let s = ctx.store;
    let mut out = Vec::new();
    if let Some(err) = &s.error {
        out.push(ctx.at(unreadable(s, err, ctx.agent)));
        return out;
    }
    if !s.exists {
        return out;
    }
    out.extend(
        s.duplicate_keys
            .iter()
            .map(|key| ctx.at(duplicate_key(s, key))),
    );
    if s.kind == StoreKind::AuthProfiles && !s.is_store {
        out.push(ctx.at(not_a_store(s)));
    }
    out.extend(
        s.dropped
            .iter()
            .map(|d| ctx.at(dropped(s, d, ctx.generation, ctx.clawauth))),
    );
    if s.dropped_more > 0 {
        out.push(ctx.at(
            Problem::error(
                "more_dropped_entries",
                &s.path,
                format!(
                    "{} more entries are dropped by OpenClaw's loader; clawauth lists only the first {} of a store",
                    s.dropped_more,
                    crate::domain::read::store::MAX_DROPPED_RECORDED
                ),
            )
            .fix("Fix the entries listed, then run clawauth validate again; if the file is not an auth store at all, restore it from a backup."),
        ));
    }
    for p in s.profiles.values() {
        out.extend(
            profile_problems(ctx, p)
                .into_iter()
                .map(|x| ctx.at(x.profile(&p.id))),
        );
    }
    out
}

fn unreadable(s: &Store, err: &str, agent: Option<&str>) -> Problem {
    let consequence = match (s.kind, agent) {
        (StoreKind::AuthProfiles, Some(a)) if a != "main" => {
            "OpenClaw 2026.4 treats it as absent and silently overwrites it with a copy of main's store on this agent's next run"
        }
        (StoreKind::AuthProfiles, _) => "OpenClaw treats it as absent: no profile in it is used",
        (StoreKind::AgentDb | StoreKind::SharedDb, _) => {
            "OpenClaw reports the store as unreadable (AUTH_PROFILE_STORE_UNREADABLE)"
        }
        _ => "OpenClaw ignores it",
    };
    Problem::error(
        "store_unreadable",
        &s.path,
        format!("{err}; {consequence}."),
    )
    .fix(unreadable_fix(err))
}

/// What to do about an unreadable store, by what is wrong with it.
fn unreadable_fix(err: &str) -> String {
    let fix = if err.contains("Permission denied") {
        "Make the file readable by the user who runs OpenClaw (and clawauth): chown it to that user and chmod 600 it."
    } else if err.contains("is not a directory") {
        "Move that file out of the way: OpenClaw keeps an agent's stores in a directory there (once it is gone, `clawauth set` can create it)."
    } else if err.contains("is a directory") {
        "Move the directory out of the way: OpenClaw needs a file here (once it is gone, `clawauth set` can create the store)."
    } else if err.contains("symbolic link") {
        "Point the symbolic link at the real store file, or replace the link with the file itself."
    } else if err.contains("not a regular file") {
        "Replace it with a regular file (restore the store from a backup)."
    } else if err.contains("over clawauth's limit") {
        "An auth store holds a few KiB: this file is corrupt or is not a store. Restore it from a backup."
    } else if err.contains("database is locked") || err.contains("database is busy") {
        "Another process holds a write lock on the database: run clawauth again when OpenClaw is idle."
    } else if err.contains("sqlite") || err.contains("database") {
        "Restore the database from a backup, or let `openclaw doctor` rebuild it; clawauth never writes to OpenClaw's databases."
    } else {
        "Restore the file from a backup (clawauth leaves `<file>.clawauth-backup-<time>` copies next to it), or fix the syntax; clawauth never writes over an unreadable store."
    };
    fix.to_string()
}

fn duplicate_key(s: &Store, key: &str) -> Problem {
    let key: String = key.chars().take(200).collect();
    Problem::warning(
        "duplicate_key",
        &s.path,
        format!("`{key}` appears more than once in the same object; OpenClaw (JSON.parse) silently keeps only the last one"),
    )
    .fix("Delete the copy you do not want (or give it another id). clawauth does not rewrite this file until then: a rewrite would drop the earlier copy.")
}

fn not_a_store(s: &Store) -> Problem {
    let raw = s.raw.as_ref();
    if raw
        .and_then(|r| r.get("auth"))
        .and_then(|a| a.get("profiles"))
        .is_some()
    {
        return Problem::error("wrong_file_format", &s.path, "this looks like a piece of openclaw.json (an `auth` block), not an auth store; OpenClaw ignores the whole file")
            .fix("An auth store is {\"version\":1,\"profiles\":{\"<id>\":{\"type\":…,\"provider\":…,…}}}; see `clawauth schema`.");
    }
    if s.flat {
        return Problem::error("legacy_flat_store", &s.path, "flat `{provider: credential}` map without a `profiles` object: OpenClaw treats this file as absent")
            .fix("Wrap it as {\"version\":1,\"profiles\":{\"<provider>:default\":{\"type\":\"api_key\",\"provider\":\"<provider>\",\"key\":\"…\"}}}; in 2026.9 `openclaw doctor --fix` converts it.");
    }
    Problem::error(
        "not_a_store",
        &s.path,
        "no `profiles` object: OpenClaw treats this file as absent",
    )
    .fix("Add a top-level \"profiles\" object; see `clawauth schema`.")
}

/// The type the user probably meant for an entry with an invalid `type`.
pub(crate) fn intended_type(raw: &Value) -> Option<&'static str> {
    let t = raw
        .get("type")
        .or_else(|| raw.get("mode"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    let by_name = match t.replace(['-', '_', ' '], "").as_str() {
        "apikey" | "key" | "api" => Some("api_key"),
        "bearer" | "token" | "setuptoken" | "static" | "pat" => Some("token"),
        "oauth" | "oauth2" => Some("oauth"),
        _ => None,
    };
    by_name.or_else(|| {
        let has = |f: &str| raw.get(f).is_some();
        if has("key") || has("apiKey") || has("keyRef") {
            Some("api_key")
        } else if has("token") || has("tokenRef") {
            Some("token")
        } else if has("access") && has("refresh") {
            Some("oauth")
        } else {
            None
        }
    })
}

fn dropped(s: &Store, d: &DroppedEntry, generation: Generation, clawauth: &str) -> Problem {
    let file = &s.path;
    match d.reason {
        DropReason::NonObject => Problem::error("non_object", file, format!("profile {} is not an object, so OpenClaw drops it (non_object)", d.id))
            .profile(&d.id)
            .fix("Each profile must be an object with at least \"type\" and \"provider\"."),
        DropReason::MissingProvider => Problem::error("missing_provider", file, format!("profile {} has no \"provider\" field, so OpenClaw drops it (missing_provider); the id prefix is not used as a fallback", d.id))
            .profile(&d.id)
            .fix(format!("Add \"provider\": \"{}\".", d.id.split(':').next().unwrap_or("<provider>"))),
        DropReason::InvalidType => invalid_type(file, d, generation, clawauth),
    }
}

fn invalid_type(
    file: &std::path::Path,
    d: &DroppedEntry,
    generation: Generation,
    clawauth: &str,
) -> Problem {
    let shown = d
        .raw
        .get("type")
        .or_else(|| d.raw.get("mode"))
        .map(|v| v.to_string())
        .unwrap_or_else(|| "missing".into());
    let valid = if generation == Generation::Sqlite {
        "api_key, token, oauth (and the alias apiKey)"
    } else {
        "api_key, token, oauth"
    };
    let mut msg = format!(
        "profile {} has type {shown}, which OpenClaw does not accept (invalid_type); the entry is silently dropped. Valid types: {valid}",
        d.id
    );
    if shown.trim_matches('"') == "aws-sdk" {
        msg.push_str(". aws-sdk is a config-only mode (openclaw.json auth.profiles.<id>.mode), never a stored credential");
    }
    let fix = match intended_type(&d.raw) {
        Some(t) => {
            format!("Set \"type\": \"{t}\" (`{clawauth} repair` does it, or edit the file).")
        }
        None => "Set \"type\" to one of api_key, token or oauth.".into(),
    };
    Problem::error("invalid_type", file, msg)
        .profile(&d.id)
        .fix(fix)
}

fn profile_problems(ctx: &StoreCtx, p: &Profile) -> Vec<Problem> {
    let file = ctx.store.path.as_path();
    let mut out = alias_problems(ctx, p);
    out.extend(secret_problems(ctx, p));
    out.extend(expiry_problems(ctx, p));
    if p.cred_type == CredType::Oauth {
        out.extend(oauth_problems(ctx, p));
    }
    if let Some(prefix) = p.id.split_once(':').map(|(a, _)| a) {
        let norm = |x: &str| crate::domain::read::providers::auth_key(x, ctx.generation);
        if norm(prefix) != norm(&p.provider)
            && !(prefix == "openai-codex" && norm(&p.provider) == "openai")
        {
            out.push(Problem::warning("provider_id_mismatch", file, format!("profile id {} starts with \"{prefix}\" but its provider is \"{}\"; OpenClaw matches on the provider field only", p.id, p.provider))
                .fix(format!("Rename the profile to {}:<name> or correct \"provider\".", p.provider)));
        }
    }
    if let Some(why) = crate::domain::read::providers::retired_profile_reason(&p.id, ctx.generation)
    {
        out.push(Problem::warning("retired_profile", file, why.to_string()).fix("Remove it and sign in again under a current id (`openclaw doctor --fix` migrates it)."));
    }
    out
}

fn alias_problems(ctx: &StoreCtx, p: &Profile) -> Vec<Problem> {
    let file = ctx.store.path.as_path();
    let raw = ctx
        .store
        .raw
        .as_ref()
        .and_then(|r| r.get("profiles"))
        .and_then(|ps| ps.get(&p.id));
    let Some(raw) = raw else { return Vec::new() };
    let mut out = Vec::new();
    if raw.get("type").is_none() && raw.get("mode").is_some() {
        out.push(Problem::warning("alias_mode", file, format!("profile {} uses \"mode\" instead of \"type\"; OpenClaw accepts it as an alias but the documented field is \"type\"", p.id)).fix("Rename \"mode\" to \"type\"."));
    }
    if raw.get("key").is_none() && raw.get("apiKey").is_some() {
        out.push(Problem::warning("alias_api_key", file, format!("profile {} stores its key under \"apiKey\"; OpenClaw reads it as an alias of \"key\"", p.id)).fix("Rename \"apiKey\" to \"key\"."));
    }
    if raw.get("type").and_then(Value::as_str) == Some("apiKey") {
        out.push(Problem::warning("alias_type_camel", file, format!("profile {} has type \"apiKey\": only OpenClaw ≥ 2026.6 accepts it, older versions drop the entry", p.id)).fix("Use \"type\": \"api_key\"."));
    }
    out
}

fn secret_problems(ctx: &StoreCtx, p: &Profile) -> Vec<Problem> {
    let file = ctx.store.path.as_path();
    let (field, value, has_ref) = match p.cred_type {
        CredType::ApiKey => ("key", p.key.as_deref(), p.key_ref.is_some()),
        CredType::Token => ("token", p.token.as_deref(), p.token_ref.is_some()),
        CredType::Oauth => return Vec::new(),
    };
    let mut out = Vec::new();
    match value {
        None | Some("") if !has_ref => out.push(Problem::error("blank_secret", file, format!("profile {} has no {field} (missing or blank): OpenClaw skips it (missing_credential)", p.id)).fix(format!("Set \"{field}\" to the secret, or a \"{field}Ref\" reference."))),
        Some(v) if v.trim().is_empty() && !has_ref => out.push(Problem::error("blank_secret", file, format!("profile {} has a blank {field}: OpenClaw skips it (missing_credential)", p.id)).fix(format!("Set \"{field}\" to the secret."))),
        Some(v) if looks_like_pasted_command(v) || looks_like_shell_command(v) => out.push(
            Problem::error("pasted_command", file, format!("profile {}'s {field} looks like a pasted shell command, not a secret", p.id)).fix("Paste only the key value itself."),
        ),
        Some(v) if v.contains(['\n', '\r']) => out.push(Problem::warning("secret_has_newline", file, format!("profile {}'s {field} contains a line break; OpenClaw strips it when used, but the stored value is not what you meant", p.id)).fix("Store the secret on one line.")),
        _ => {}
    }
    if value.is_some_and(|v| !v.trim().is_empty()) && has_ref {
        let winner = if ctx.generation == Generation::Json {
            field
        } else {
            "the reference"
        };
        out.push(Problem::warning("key_and_ref", file, format!("profile {} has both {field} and {field}Ref; {winner} wins in this OpenClaw version and the other differs between versions", p.id)).fix(format!("Keep only one of \"{field}\" / \"{field}Ref\".")));
    }
    out
}

fn expiry_problems(ctx: &StoreCtx, p: &Profile) -> Vec<Problem> {
    let file = ctx.store.path.as_path();
    let raw = p.fields.get("expires");
    match (&p.expires, raw) {
        (Expires::Invalid, Some(Value::String(s))) => vec![Problem::error("expires_string", file, format!("profile {} has expires {s:?} as a string; OpenClaw needs epoch milliseconds and treats this as invalid (invalid_expires)", p.id)).fix("Write expires as a number of milliseconds since 1970, e.g. 1798141104533.")],
        (Expires::Invalid, _) => vec![Problem::error("expires_invalid", file, format!("profile {} has an invalid expires ({}); OpenClaw skips it (invalid_expires)", p.id, raw.map(|v| v.to_string()).unwrap_or_default())).fix("Use epoch milliseconds > 0, or remove expires for a token that never expires.")],
        (Expires::Millis(ms), _) if *ms < SECONDS_THRESHOLD => vec![Problem::error("expires_in_seconds", file, format!("profile {} has expires {ms} which looks like seconds; OpenClaw reads milliseconds, so it expired in 1970", p.id)).fix(format!("Multiply by 1000: {}.", (*ms * 1000.0) as i64))],
        (Expires::Millis(ms), _) if *ms <= ctx.now_ms && p.cred_type == CredType::Token => vec![Problem::error("token_expired", file, format!("token profile {} expired {} ago; OpenClaw skips it", p.id, crate::domain::status::resolve::human_duration(ctx.now_ms - ms))).fix("Paste a fresh token (tokens are never refreshed).")],
        _ => Vec::new(),
    }
}

fn oauth_problems(ctx: &StoreCtx, p: &Profile) -> Vec<Problem> {
    let file = ctx.store.path.as_path();
    let mut out = Vec::new();
    let refs = p.oauth_ref_fields(ctx.generation);
    if !refs.is_empty() {
        out.push(Problem::error("oauth_secret_ref", file, format!("OAuth profile {} uses a SecretRef in {}: OpenClaw refuses it (OAuth + SecretRef is not supported)", p.id, refs.join(", "))).fix("Store OAuth tokens inline; use SecretRefs only for api_key/token profiles."));
    }
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    if !has(&p.access) && !has(&p.refresh) && p.fields.get("token").is_some() {
        out.push(Problem::error("oauth_holds_token", file, format!("profile {} is type oauth but holds a \"token\" (e.g. a Claude setup-token); OAuth needs access + refresh + expires", p.id)).fix("Change \"type\" to \"token\"."));
    } else if !has(&p.access) || !has(&p.refresh) || p.expires == Expires::Absent {
        out.push(
            Problem::warning(
                "oauth_incomplete",
                file,
                format!(
                    "OAuth profile {} lacks {}; it cannot be refreshed and will need a new sign-in",
                    p.id,
                    missing_oauth_fields(p).join(", ")
                ),
            )
            .fix(sign_in_again(&p.provider)),
        );
    }
    if p.is_refresh_fence() {
        out.push(Problem::error("reauth_required", file, format!("OAuth profile {} holds OpenClaw's failed-refresh marker: its real tokens are gone", p.id)).fix(sign_in_again(&p.provider)));
    } else if let Expires::Millis(ms) = p.expires
        && ms <= ctx.now_ms
        && !has(&p.refresh)
    {
        out.push(
            Problem::error(
                "oauth_expired",
                file,
                format!("OAuth profile {} expired and has no refresh token", p.id),
            )
            .fix("Sign in again."),
        );
    }
    out
}

/// The re-login command for `provider`, safe to paste (the id shell-quoted).
fn sign_in_again(provider: &str) -> String {
    format!(
        "Sign in again: `openclaw models auth login --provider {}`.",
        crate::domain::text::shell_quote(provider)
    )
}

fn missing_oauth_fields(p: &Profile) -> Vec<&'static str> {
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut m = Vec::new();
    if !has(&p.access) {
        m.push("access");
    }
    if !has(&p.refresh) {
        m.push("refresh");
    }
    if p.expires == Expires::Absent {
        m.push("expires");
    }
    m
}
