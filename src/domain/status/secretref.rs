//! SecretRefs through `secrets.providers` of openclaw.json, resolved offline the way
//! OpenClaw's `secrets/resolve` does (auth-store.md §4): env refs from the environment
//! (with the provider's allowlist), file refs from a private file and a JSON pointer
//! (or `singleValue`), exec refs never run ("not checked", with the command it would run).

use crate::domain::read::config::get;
use crate::domain::secret::{RefResolution, SecretRef};
use crate::domain::status::cell::Ctx;
use serde_json::Value;
use std::path::PathBuf;

/// File providers read at most this much (OpenClaw's `DEFAULT_FILE_MAX_BYTES` is 1 MiB).
const FILE_MAX_BYTES: u64 = 1024 * 1024;

pub(crate) fn resolve(r: &SecretRef, ctx: &Ctx) -> RefResolution {
    let config = &ctx.d.config.value;
    let pcfg = get(config, &["secrets", "providers", &r.provider]).filter(|v| v.is_object());
    let builtin_default = r.provider == default_alias(config, &r.source);
    let Some(pcfg) = pcfg else {
        return match r.source.as_str() {
            "env" if builtin_default => env_value(r, ctx, None),
            "store" => RefResolution::NotChecked(format!(
                "store reference {} is resolved by OpenClaw's own secret store",
                r.id
            )),
            _ => RefResolution::Unresolved(format!(
                "secret provider \"{}\" is not configured in openclaw.json secrets.providers",
                r.provider
            )),
        };
    };
    let source = pcfg.get("source").and_then(Value::as_str).unwrap_or("");
    if source != r.source {
        return RefResolution::Unresolved(format!(
            "secret provider \"{}\" has source \"{source}\" but the reference requests \"{}\"",
            r.provider, r.source
        ));
    }
    match source {
        "env" => env_value(r, ctx, pcfg.get("allowlist")),
        "file" => file_value(r, ctx, pcfg),
        "exec" => RefResolution::NotChecked(exec_note(r, pcfg)),
        _ => RefResolution::NotChecked(format!(
            "{source} reference {} is resolved by OpenClaw's secrets provider `{}`",
            r.id, r.provider
        )),
    }
}

/// `secrets.defaults.<source>`, else `default`.
fn default_alias<'v>(config: &'v Value, source: &str) -> &'v str {
    get(config, &["secrets", "defaults", source])
        .and_then(Value::as_str)
        .unwrap_or("default")
}

fn env_value(r: &SecretRef, ctx: &Ctx, allowlist: Option<&Value>) -> RefResolution {
    if let Some(list) = allowlist.and_then(Value::as_array)
        && !list.iter().any(|v| v.as_str() == Some(r.id.as_str()))
    {
        return RefResolution::Unresolved(format!(
            "environment variable \"{}\" is not allowlisted in secrets.providers.{}.allowlist",
            r.id, r.provider
        ));
    }
    match ctx.d.env.get(&r.id) {
        Some(v) if !v.is_empty() => RefResolution::Resolved,
        _ => RefResolution::Unresolved(format!("environment variable {} is not set", r.id)),
    }
}

fn exec_note(r: &SecretRef, pcfg: &Value) -> String {
    let command = pcfg.get("command").and_then(Value::as_str).unwrap_or("?");
    let args: Vec<String> = pcfg
        .get("args")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(crate::domain::ops::plan::shell_quote)
                .collect()
        })
        .unwrap_or_default();
    let mut cmd = crate::domain::ops::plan::shell_quote(command);
    for a in args {
        cmd.push(' ');
        cmd.push_str(&a);
    }
    format!(
        "not checked: exec provider \"{}\" (OpenClaw would run {cmd} to get id {}; clawauth never runs it)",
        r.provider, r.id
    )
}

fn expand_home(path: &str, ctx: &Ctx) -> PathBuf {
    match (path.strip_prefix("~/"), ctx.d.env.get("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn file_value(r: &SecretRef, ctx: &Ctx, pcfg: &Value) -> RefResolution {
    let Some(path) = pcfg.get("path").and_then(Value::as_str) else {
        return RefResolution::Unresolved(format!("secrets.providers.{} has no path", r.provider));
    };
    let path = expand_home(path.trim(), ctx);
    let text = match read_private(&path) {
        Ok(t) => t,
        Err(why) => return RefResolution::Unresolved(why.to_string()),
    };
    let text = text.trim_start_matches('\u{feff}');
    if pcfg.get("mode").and_then(Value::as_str) == Some("singleValue") {
        return if r.id != "value" {
            RefResolution::Unresolved(format!(
                "singleValue file provider \"{}\" expects ref id \"value\"",
                r.provider
            ))
        } else if text.trim().is_empty() {
            RefResolution::Unresolved(format!("{} is empty", path.display()))
        } else {
            RefResolution::Resolved
        };
    }
    let doc: Value = match serde_json::from_str(text) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return RefResolution::Unresolved(format!("{} is not a JSON object", path.display()));
        }
    };
    match doc.pointer(&r.id) {
        Some(Value::String(s)) if !s.trim().is_empty() => RefResolution::Resolved,
        Some(_) => RefResolution::Unresolved(format!(
            "JSON pointer {} in {} is not a non-empty string",
            r.id,
            path.display()
        )),
        None => RefResolution::Unresolved(format!(
            "JSON pointer {} does not exist in {}",
            r.id,
            path.display()
        )),
    }
}

/// Why OpenClaw's `readSecureFile` refuses a secrets file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SecretsFileError {
    #[error("secrets file {} cannot be read: {detail}", file.display())]
    Io { file: PathBuf, detail: String },
    #[error("secrets file {} is not a regular file", file.display())]
    NotRegular { file: PathBuf },
    #[error("secrets file {} has mode {mode:04o}: permissions are too open, OpenClaw refuses it (chmod 600)", file.display())]
    TooOpen { file: PathBuf, mode: u32 },
    #[error("secrets file {} is owned by another user, OpenClaw refuses it", file.display())]
    ForeignOwner { file: PathBuf },
}

/// OpenClaw's `readSecureFile` without `allowInsecure`: a regular file of this user,
/// not readable or writable by group or others.
fn read_private(path: &std::path::Path) -> Result<String, SecretsFileError> {
    use std::io::Read;
    let io = |e: std::io::Error| SecretsFileError::Io {
        file: path.to_path_buf(),
        detail: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(SecretsFileError::NotRegular {
            file: path.to_path_buf(),
        });
    }
    check_private(path, &meta)?;
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(FILE_MAX_BYTES).read_to_string(&mut text))
        .map_err(io)?;
    Ok(text)
}

#[cfg(unix)]
fn check_private(path: &std::path::Path, meta: &std::fs::Metadata) -> Result<(), SecretsFileError> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mode = meta.permissions().mode() & 0o777;
    let file = path.to_path_buf();
    if mode & 0o077 != 0 {
        return Err(SecretsFileError::TooOpen { file, mode });
    }
    // SAFETY: getuid has no preconditions and cannot fail.
    let me = unsafe { libc::getuid() };
    if me != meta.uid() {
        return Err(SecretsFileError::ForeignOwner { file });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(
    _path: &std::path::Path,
    _meta: &std::fs::Metadata,
) -> Result<(), SecretsFileError> {
    Ok(())
}
