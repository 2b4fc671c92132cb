//! One profile attempt as OpenClaw's resolver makes it: the secret value, its
//! reference (env / file / exec providers), expiry and OAuth refresh.

use crate::domain::read::profile::{CredType, Expires, Profile};
use crate::domain::read::version::Generation;
use crate::domain::secret::{RefResolution, SecretRef, env_shorthand};
use crate::domain::status::cell::{Cell, CellState, Ctx, Source, WARN_AFTER_MS};
use crate::domain::status::order::{OAUTH_REFRESH_MARGIN_MS, token_expiry};
use crate::domain::status::view::AgentView;
use crate::domain::status::view::ViewEntry;
use serde_json::Value;

/// Why an attempt failed: a stable problem code and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failed {
    pub(crate) code: &'static str,
    pub(crate) why: String,
}

impl Failed {
    fn new(code: &'static str, why: impl Into<String>) -> Failed {
        Failed {
            code,
            why: why.into(),
        }
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.why)
    }
}

/// Success of one profile attempt.
pub(crate) struct Resolved {
    pub(crate) state: CellState,
    pub(crate) note: Option<String>,
}

fn ref_outcome(r: &SecretRef, ctx: &Ctx) -> Result<Option<String>, Failed> {
    match crate::domain::status::secretref::resolve(r, ctx) {
        RefResolution::Resolved => Ok(None),
        RefResolution::NotChecked(note) => Ok(Some(note)),
        RefResolution::Unresolved(why) => Err(Failed::new(
            "unresolved_ref",
            format!("reference {} does not resolve: {why}", r.describe()),
        )),
    }
}

/// A literal or `${VAR}` inline value, else the ref (2026.4: inline wins; 2026.9: ref wins).
fn secret_outcome(
    ctx: &Ctx,
    inline: Option<&str>,
    reference: Option<&SecretRef>,
) -> Result<Option<String>, Failed> {
    let inline = inline.map(str::trim).filter(|s| !s.is_empty());
    match (inline, ctx.generation) {
        (Some(v), Generation::Json) => match env_shorthand(v, ctx.generation) {
            Some(var) if ctx.d.env.get(&var).is_none() => Ok(Some(format!(
                "${{{var}}} is not set, so OpenClaw 2026.4 sends the literal text \"${{{var}}}\" as the key"
            ))),
            _ => Ok(None),
        },
        (Some(v), Generation::Sqlite) => match env_shorthand(v, ctx.generation) {
            Some(var) => ref_outcome(
                &SecretRef {
                    source: "env".into(),
                    provider: "default".into(),
                    id: var,
                },
                ctx,
            ),
            None => Ok(None),
        },
        (None, _) => match reference {
            Some(r) => ref_outcome(r, ctx),
            None => Err(Failed::new("missing_credential", "no secret value")),
        },
    }
}

pub(crate) fn try_profile(ctx: &Ctx, entry: &ViewEntry) -> Result<Resolved, Failed> {
    let p = entry.profile;
    let oauth_refs = p.oauth_ref_fields(ctx.generation);
    let cfg_mode = crate::domain::status::order::config_profile(&ctx.d.config.value, &p.id)
        .and_then(|c| c.get("mode"))
        .and_then(Value::as_str);
    if !oauth_refs.is_empty()
        || (cfg_mode == Some("oauth") && (p.key_ref.is_some() || p.token_ref.is_some()))
    {
        return Err(Failed::new(
            "oauth_secret_ref",
            format!(
                "auth profile {} policy validation failed: OAuth + SecretRef is not supported",
                p.id
            ),
        ));
    }
    let note = match p.cred_type {
        CredType::ApiKey => secret_outcome(ctx, p.key.as_deref(), p.key_ref.as_ref())?,
        CredType::Token => {
            token_expiry(&p.expires, ctx.now_ms)
                .map_err(|e| Failed::new(e.code(), e.reason(&p.id)))?;
            secret_outcome(ctx, p.token.as_deref(), p.token_ref.as_ref())?
        }
        CredType::Oauth => return oauth_outcome(ctx, p),
    };
    Ok(Resolved {
        state: static_state(p, ctx.now_ms),
        note,
    })
}

fn static_state(p: &Profile, now_ms: f64) -> CellState {
    match (p.cred_type, &p.expires) {
        (CredType::Token, Expires::Millis(ms)) if ms - now_ms <= WARN_AFTER_MS => {
            CellState::Expiring
        }
        (CredType::Token, Expires::Millis(_)) => CellState::Ok,
        _ => CellState::Static,
    }
}

fn oauth_outcome(ctx: &Ctx, p: &Profile) -> Result<Resolved, Failed> {
    let margin = if ctx.generation == Generation::Sqlite {
        OAUTH_REFRESH_MARGIN_MS
    } else {
        0.0
    };
    let has_access = p.access.as_deref().is_some_and(|s| !s.trim().is_empty());
    if let Expires::Millis(ms) = p.expires
        && has_access
        && ms - margin > ctx.now_ms
    {
        let expiring = ms - ctx.now_ms <= WARN_AFTER_MS.max(OAUTH_REFRESH_MARGIN_MS);
        return Ok(Resolved {
            state: if expiring {
                CellState::Expiring
            } else {
                CellState::Ok
            },
            note: None,
        });
    }
    if p.refresh.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        let note = "the access token has expired; OpenClaw refreshes it on next use with the refresh token (needs network; a failed refresh means signing in again)";
        return Ok(Resolved {
            state: CellState::Expired,
            note: Some(note.into()),
        });
    }
    Err(Failed::new(
        "oauth_refresh_failed",
        format!(
            "{} is an expired OAuth login without a refresh token: sign in again",
            p.id
        ),
    ))
}

pub(crate) fn finish_profile(
    mut cell: Cell,
    entry: &ViewEntry,
    resolved: Resolved,
    view: &AgentView,
    _now_ms: f64,
) -> Cell {
    let p = entry.profile;
    cell.usable = true;
    cell.state = resolved.state;
    cell.source = if entry.local {
        Source::Local
    } else {
        Source::Inherited
    };
    cell.profile = Some(p.id.clone());
    cell.cred_type = Some(p.cred_type);
    cell.file = Some(entry.file.display().to_string());
    let whose = if entry.local {
        "this agent's store"
    } else {
        "the shared main store (inherited)"
    };
    cell.reasons.push(format!(
        "uses {} ({}) from {whose}: {}",
        p.id,
        p.cred_type.as_str(),
        entry.file.display()
    ));
    if let Some(note) = resolved.note {
        cell.reasons.push(note);
    }
    if view.copy_on_first_load && !entry.local {
        cell.reasons.push(format!("OpenClaw 2026.4 copies main's store into {} on this agent's first run; later changes to main will not reach this agent", view.store_path.display()));
    }
    cell
}
