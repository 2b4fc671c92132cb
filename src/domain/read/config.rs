//! `openclaw.json`: JSON5 with `${VAR}` substitution and `$include`
//! (layout.md §4). Only what auth needs is interpreted; the rest is kept raw.

use crate::domain::read::envsnap::EnvSnapshot;
use crate::domain::read::error::{ReadError, TextError};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Largest config file clawauth reads.
pub(crate) const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Clone, Default)]
pub struct LoadedConfig {
    pub(crate) path: Option<PathBuf>,
    /// The effective config after includes and substitution (`{}` when absent or broken).
    pub(crate) value: Value,
    pub(crate) exists: bool,
    /// A parse or read error: OpenClaw refuses to start with this config.
    pub(crate) error: Option<String>,
    /// Non-fatal notes: unset `${VAR}`, includes that could not be followed.
    pub(crate) notes: Vec<ConfigNote>,
}

/// The config's shape only: it can hold API keys (`models.providers.*.apiKey`).
impl std::fmt::Debug for LoadedConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedConfig")
            .field("path", &self.path)
            .field("value", &crate::domain::secret::Shape(&self.value))
            .field("exists", &self.exists)
            .field("error", &self.error)
            .field("notes", &self.notes)
            .finish()
    }
}

pub(crate) use super::include::ConfigNote;

/// Deepest nesting of objects and arrays clawauth parses in a config file (the JSON5
/// parser recurses once per level; serde_json's limit for stores is also 128).
pub(crate) const MAX_CONFIG_DEPTH: usize = 128;

pub(crate) fn read_json5_file(path: &Path) -> Result<Value, ReadError> {
    let text = read_config_text(path)?;
    parse_json5_text(&text).map_err(|e| ReadError::text(path, e))
}

/// The text of a config file (bounded like every read of it); it must exist.
pub(crate) fn read_config_text(path: &Path) -> Result<String, ReadError> {
    let bytes = crate::domain::read::fsread::read_limited(path, MAX_CONFIG_BYTES, "config files")?
        .ok_or_else(|| ReadError::Missing {
            file: path.to_path_buf(),
        })?;
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8 {
        file: path.to_path_buf(),
    })
}

/// Parses the text of a JSON5 config file (a leading byte-order mark is allowed).
/// The error reads after the file name: "is not valid JSON5: …".
pub fn parse_json5_text(text: &str) -> Result<Value, TextError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_json5_shape(
        text,
        MAX_CONFIG_DEPTH,
        crate::domain::read::store::MAX_JSON_VALUES,
    )?;
    json5::from_str::<Value>(text).map_err(|e| TextError::Json5 {
        detail: e.to_string(),
    })
}

/// Refuses, before the recursive parser sees it, a text whose `{`/`[` nesting exceeds
/// `max_depth` or that holds more than `max_values` values (counted by `,`, `[`, `{`),
/// skipping strings and comments the way JSON5 lexes them. A cheap linear scan.
fn check_json5_shape(text: &str, max_depth: usize, max_values: usize) -> Result<(), TextError> {
    let bytes = text.as_bytes();
    let (mut depth, mut values, mut line, mut i) = (0usize, 1usize, 1usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'{' | b'[' => {
                depth += 1;
                values += 1;
                if depth > max_depth {
                    return Err(TextError::TooDeep {
                        max: max_depth,
                        line,
                    });
                }
            }
            b',' => values += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b'\n') {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        if values > max_values {
            return Err(TextError::TooManyConfigValues {
                max: max_values,
                line,
            });
        }
        i += 1;
    }
    Ok(())
}

pub(crate) fn load_config(path: Option<PathBuf>, env: &EnvSnapshot) -> LoadedConfig {
    let Some(path) = path else {
        return LoadedConfig {
            value: Value::Object(Map::new()),
            ..Default::default()
        };
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return LoadedConfig {
            path: Some(path),
            value: Value::Object(Map::new()),
            ..Default::default()
        };
    }
    let mut notes = Vec::new();
    match read_json5_file(&path) {
        Ok(raw) => {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let included = super::include::resolve(raw, &dir, &mut notes, read_json5_file);
            let value = substitute_env(included, env, &mut notes);
            let error = (!value.is_object()).then(|| {
                format!(
                    "{} is not an object: a config is {{ … }} at the top level",
                    path.display()
                )
            });
            LoadedConfig {
                path: Some(path),
                value: if value.is_object() {
                    value
                } else {
                    Value::Object(Map::new())
                },
                exists: true,
                error,
                notes,
            }
        }
        Err(error) => LoadedConfig {
            path: Some(path),
            value: Value::Object(Map::new()),
            exists: true,
            error: Some(error.to_string()),
            notes,
        },
    }
}

/// `${VAR}` inside string values is replaced when the config loads; `$${VAR}` escapes.
fn substitute_env(value: Value, env: &EnvSnapshot, notes: &mut Vec<ConfigNote>) -> Value {
    match value {
        Value::String(s) if s.contains("${") => Value::String(substitute_str(&s, env, notes)),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, substitute_env(v, env, notes)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| substitute_env(v, env, notes))
                .collect(),
        ),
        other => other,
    }
}

fn substitute_str(s: &str, env: &EnvSnapshot, notes: &mut Vec<ConfigNote>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find("${") {
        let escaped = pos > 0 && rest[..pos].ends_with('$');
        let Some(end) = rest[pos..].find('}') else {
            break;
        };
        let name = &rest[pos + 2..pos + end];
        if escaped {
            out.push_str(&rest[..pos - 1]);
            out.push_str(&rest[pos..=pos + end]);
        } else {
            out.push_str(&rest[..pos]);
            match env.get(name) {
                Some(v) => out.push_str(v),
                None => {
                    notes.push(ConfigNote {
                        code: "config_env_unset",
                        message: format!("openclaw.json uses ${{{name}}} but {name} is not set in this environment"),
                        fix: format!("Set {name} where OpenClaw runs (or in <stateDir>/.env); OpenClaw fails to load a config with a missing variable."),
                    });
                    out.push_str(&rest[pos..=pos + end]);
                }
            }
        }
        rest = &rest[pos + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Path accessor: `get(&v, &["auth", "profiles"])`.
pub(crate) fn get<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_and_escapes() {
        let env = EnvSnapshot::from_pairs([("K", "v")]);
        let mut notes = Vec::new();
        assert_eq!(
            substitute_str("a-${K}-$${K}-${NOPE}", &env, &mut notes),
            "a-v-${K}-${NOPE}"
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, "config_env_unset");
    }

    #[test]
    fn reads_json5_with_includes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("models.json5"),
            "{ models: { providers: { a: { api: 'x' } } } }",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("openclaw.json"),
            "// comment\n{ $include: './models.json5', auth: { profiles: {}, }, models: { mode: 'merge' } }",
        )
        .unwrap();
        let cfg = load_config(
            Some(dir.path().join("openclaw.json")),
            &EnvSnapshot::default(),
        );
        assert!(cfg.error.is_none(), "{:?}", cfg.error);
        assert_eq!(
            get(&cfg.value, &["models", "providers", "a", "api"]).unwrap(),
            "x"
        );
        assert_eq!(get(&cfg.value, &["models", "mode"]).unwrap(), "merge");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse_json5_text(&deep).unwrap_err().to_string();
        assert!(e.contains("nested more than 128 levels"), "{e}");
        let objects = format!("{}1{}", "{a:".repeat(10_000), "}".repeat(10_000));
        assert!(parse_json5_text(&objects).is_err());
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse_json5_text(&ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert!(parse_json5_text(&too_deep).is_err());
        // Brackets in strings and comments do not count.
        let quoted = format!(
            "{{ a: \"{}\", b: '{}', // {}\n /* {} */ c: 1 }}",
            "[".repeat(500),
            "{\\'".repeat(500),
            "[".repeat(500),
            "{".repeat(500)
        );
        assert!(
            parse_json5_text(&quoted).is_ok(),
            "{:?}",
            parse_json5_text(&quoted)
        );
        let e = check_json5_shape("{\n\n[[", 2, 100)
            .unwrap_err()
            .to_string();
        assert!(e.contains("at line 3"), "{e}");
        let e = check_json5_shape("[1, 2, 3, 4]", 10, 3)
            .unwrap_err()
            .to_string();
        assert!(e.contains("more than 3 values"), "{e}");
        assert!(check_json5_shape("['a,b,c,d', /* ,,,, */ 1] // ,,,,", 10, 3).is_ok());
    }

    #[test]
    fn a_config_that_is_not_an_object_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("openclaw.json");
        std::fs::write(&p, "[1, 2]").unwrap();
        let cfg = load_config(Some(p.clone()), &EnvSnapshot::default());
        assert!(cfg.error.unwrap().contains("not an object"));
        assert!(cfg.value.is_object());
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink("openclaw.json", &p).unwrap();
        let cfg = load_config(Some(p), &EnvSnapshot::default());
        assert!(cfg.error.unwrap().contains("loop"));
    }

    #[test]
    fn broken_config_reports_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("openclaw.json"), "{ auth: ").unwrap();
        let cfg = load_config(
            Some(dir.path().join("openclaw.json")),
            &EnvSnapshot::default(),
        );
        assert!(cfg.error.unwrap().contains("not valid JSON5"));
    }
}
