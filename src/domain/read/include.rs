//! `$include` in `openclaw.json`: followed inside the config directory, merged
//! depth-first, and bounded in depth, number of files and bytes read, so a config
//! whose files include each other many times over cannot make a read run away.

use serde_json::{Map, Value};
use std::path::Path;

/// Deepest chain of includes followed.
pub(crate) const MAX_INCLUDE_DEPTH: usize = 8;
/// Most included files read for one config (each time a file is included counts).
pub(crate) const MAX_INCLUDE_FILES: usize = 256;
/// Most bytes read from included files for one config.
pub(crate) const MAX_INCLUDE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigNote {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) fix: String,
}

/// Reads and parses one config file (`config::read_json5_file`).
pub(crate) type ReadFile = fn(&Path) -> Result<Value, super::error::ReadError>;

struct Budget<'a> {
    files: usize,
    bytes: u64,
    exhausted: bool,
    notes: &'a mut Vec<ConfigNote>,
    read: ReadFile,
}

/// The config `value` (read from a file in `dir`) with its `$include`s merged in.
pub(crate) fn resolve(
    value: Value,
    dir: &Path,
    notes: &mut Vec<ConfigNote>,
    read: ReadFile,
) -> Value {
    let mut budget = Budget {
        files: 0,
        bytes: 0,
        exhausted: false,
        notes,
        read,
    };
    resolve_in(value, dir, 0, &mut budget)
}

fn resolve_in(value: Value, dir: &Path, depth: usize, b: &mut Budget) -> Value {
    match value {
        Value::Object(mut map) => {
            let include = map.shift_remove("$include");
            let mut merged = Map::new();
            for target in include.as_ref().map(include_targets).unwrap_or_default() {
                if let Some(Value::Object(inc)) = load_include(&target, dir, depth, b) {
                    deep_merge(&mut merged, inc);
                }
            }
            let own: Map<String, Value> = map
                .into_iter()
                .map(|(k, v)| (k, resolve_in(v, dir, depth, b)))
                .collect();
            deep_merge(&mut merged, own);
            Value::Object(merged)
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| resolve_in(v, dir, depth, b))
                .collect(),
        ),
        other => other,
    }
}

fn include_targets(spec: &Value) -> Vec<String> {
    match spec {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn not_followed(target: &str, path: &Path, dir: &Path, depth: usize) -> Option<String> {
    let inside = path
        .canonicalize()
        .ok()
        .zip(dir.canonicalize().ok())
        .is_some_and(|(p, d)| p.starts_with(d));
    if depth >= MAX_INCLUDE_DEPTH {
        Some(format!(
            "`$include` of {target} is nested more than {MAX_INCLUDE_DEPTH} levels deep"
        ))
    } else if !path.exists() {
        Some(format!(
            "`$include` names {} which does not exist",
            path.display()
        ))
    } else if !inside {
        Some(format!(
            "`$include` of {} leaves the config directory; clawauth does not follow it (OpenClaw needs OPENCLAW_INCLUDE_ROOTS for that)",
            path.display()
        ))
    } else {
        None
    }
}

/// Counts one more included file of `len` bytes; false (with one note naming the
/// file) once the budget is spent, and for every include after that.
fn charge(b: &mut Budget, path: &Path, len: u64) -> bool {
    if b.exhausted {
        return false;
    }
    b.files += 1;
    b.bytes = b.bytes.saturating_add(len);
    if b.files <= MAX_INCLUDE_FILES && b.bytes <= MAX_INCLUDE_BYTES {
        return true;
    }
    b.exhausted = true;
    b.notes.push(ConfigNote {
        code: "config_include_limit",
        message: format!(
            "`$include` of {} crosses clawauth's limit of {MAX_INCLUDE_FILES} included files or {} MiB read for one config; it and every later include are not part of this report",
            path.display(),
            MAX_INCLUDE_BYTES / (1024 * 1024)
        ),
        fix: "Include each file once (check for files that include each other); settings past the limit are not shown."
            .into(),
    });
    false
}

fn load_include(target: &str, dir: &Path, depth: usize, b: &mut Budget) -> Option<Value> {
    let path = dir.join(target);
    if let Some(message) = not_followed(target, &path, dir, depth) {
        b.notes.push(ConfigNote {
            code: "config_include_not_followed",
            message,
            fix: "Check the `$include` path; settings in that file are not part of this report."
                .into(),
        });
        return None;
    }
    let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if !charge(b, &path, len) {
        return None;
    }
    match (b.read)(&path) {
        Ok(v) => Some(resolve_in(v, path.parent().unwrap_or(dir), depth + 1, b)),
        Err(e) => {
            b.notes.push(ConfigNote {
                code: "config_include_not_followed",
                message: e.to_string(),
                fix: "Fix the included file's syntax.".into(),
            });
            None
        }
    }
}

fn deep_merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => deep_merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::read::config::load_config;
    use crate::domain::read::envsnap::EnvSnapshot;

    /// Nine files that each include the next one ten times: 10^8 includes unbounded.
    #[test]
    fn include_fan_out_is_bounded_and_named() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..9 {
            let next = format!("'./f{}.json5'", i + 1);
            let list = vec![next; 10].join(", ");
            let body = if i == 8 {
                "{ models: { mode: 'merge' } }".to_string()
            } else {
                format!("{{ $include: [{list}], k{i}: {{ a: 1 }} }}")
            };
            std::fs::write(dir.path().join(format!("f{i}.json5")), body).unwrap();
        }
        std::fs::write(
            dir.path().join("openclaw.json"),
            "{ $include: './f0.json5' }",
        )
        .unwrap();
        let started = std::time::Instant::now();
        let cfg = load_config(
            Some(dir.path().join("openclaw.json")),
            &EnvSnapshot::default(),
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let limit: Vec<_> = cfg
            .notes
            .iter()
            .filter(|n| n.code == "config_include_limit")
            .collect();
        assert_eq!(limit.len(), 1, "{:?}", cfg.notes);
        assert!(limit[0].message.contains(".json5"), "{}", limit[0].message);
        assert!(cfg.value.get("k0").is_some());
    }

    #[test]
    fn include_bytes_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let big = format!("{{ pad: '{}' }}", "x".repeat(3 * 1024 * 1024));
        std::fs::write(dir.path().join("big.json5"), big).unwrap();
        let list = ["'./big.json5'"; 8].join(", ");
        std::fs::write(
            dir.path().join("openclaw.json"),
            format!("{{ $include: [{list}] }}"),
        )
        .unwrap();
        let cfg = load_config(
            Some(dir.path().join("openclaw.json")),
            &EnvSnapshot::default(),
        );
        let note = cfg.notes.iter().find(|n| n.code == "config_include_limit");
        assert!(
            note.unwrap().message.contains("big.json5"),
            "{:?}",
            cfg.notes
        );
    }
}
