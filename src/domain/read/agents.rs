//! Agents from `openclaw.json` (both shapes) and from disk (layout.md §2).

use crate::domain::read::config::get;
use crate::domain::read::envsnap::EnvSnapshot;
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    pub id: String,
    pub dir: PathBuf,
    pub(crate) default: bool,
    /// Declared in `openclaw.json` (false: found only as a directory on disk).
    pub(crate) configured: bool,
    /// The agent's primary model (`provider/model`), if set.
    pub(crate) model: Option<String>,
    pub(crate) fallbacks: Vec<String>,
}

/// OpenClaw's `normalizeAgentId`, the same in 2026.4.5 and 2026.9.6
/// (`session-key-*.js` / `normalization-core/src/agent-id.ts`): trim (as
/// JavaScript does); an id matching `^[a-z0-9][a-z0-9_-]{0,63}$`i is only lower-cased;
/// otherwise lower-case, replace each run of characters outside `[a-z0-9_-]` by one
/// `-`, strip leading then trailing `-`, keep 64 characters; empty → `main`.
pub fn normalize_agent_id(raw: &str) -> String {
    // JavaScript's trim: Unicode spaces and line ends and U+FEFF, but not U+0085.
    let trimmed =
        raw.trim_matches(|c: char| c != '\u{85}' && (c.is_whitespace() || c == '\u{feff}'));
    if trimmed.is_empty() {
        return "main".into();
    }
    let lowered = trimmed.to_lowercase();
    if is_valid_agent_id(trimmed) {
        return lowered;
    }
    let mut mapped = String::with_capacity(lowered.len());
    for c in lowered.chars() {
        let keep = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
        if keep {
            mapped.push(c);
        } else if !mapped.ends_with('\u{0}') {
            mapped.push('\u{0}');
        }
    }
    // A run of invalid characters became one NUL; it stands for OpenClaw's "-".
    let mapped = mapped.replace('\u{0}', "-");
    let cut: String = mapped
        .trim_start_matches('-')
        .trim_end_matches('-')
        .chars()
        .take(64)
        .collect();
    if cut.is_empty() { "main".into() } else { cut }
}

/// OpenClaw's `VALID_ID_RE`: `^[a-z0-9][a-z0-9_-]{0,63}$`, case-insensitive.
pub(crate) fn is_valid_agent_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.chars().count() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `model` as a string or `{primary, fallbacks}`.
pub(crate) fn model_refs(value: Option<&Value>) -> (Option<String>, Vec<String>) {
    match value {
        Some(Value::String(s)) => (Some(s.clone()), Vec::new()),
        Some(Value::Object(m)) => (
            m.get("primary").and_then(Value::as_str).map(str::to_string),
            m.get("fallbacks")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ => (None, Vec::new()),
    }
}

struct Declared {
    id: String,
    entry: Value,
}

fn declared_agents(config: &Value) -> Vec<Declared> {
    if let Some(list) = get(config, &["agents", "list"]).and_then(Value::as_array) {
        return list
            .iter()
            .filter(|e| e.is_object())
            .map(|e| Declared {
                id: normalize_agent_id(e.get("id").and_then(Value::as_str).unwrap_or("")),
                entry: e.clone(),
            })
            .collect();
    }
    if let Some(map) = get(config, &["agents", "entries"]).and_then(Value::as_object) {
        return map
            .iter()
            .filter(|(_, e)| e.is_object())
            .map(|(k, e)| Declared {
                id: normalize_agent_id(e.get("id").and_then(Value::as_str).unwrap_or(k)),
                entry: e.clone(),
            })
            .collect();
    }
    Vec::new()
}

fn default_agent_id(config: &Value, declared: &[Declared]) -> String {
    if let Some(d) = declared
        .iter()
        .find(|d| d.entry.get("default").and_then(Value::as_bool) == Some(true))
    {
        return d.id.clone();
    }
    if let Some(system) =
        get(config, &["agents", "defaults", "systemAgent", "agentId"]).and_then(Value::as_str)
    {
        return normalize_agent_id(system);
    }
    declared
        .first()
        .map(|d| d.id.clone())
        .unwrap_or_else(|| "main".into())
}

/// Every agent OpenClaw would run, plus agent dirs found on disk.
pub fn discover_agents(
    config: &Value,
    state_dir: &Path,
    home: &Path,
    env: &EnvSnapshot,
) -> Vec<Agent> {
    let declared = declared_agents(config);
    let default_id = default_agent_id(config, &declared);
    let mut agents: Vec<Agent> = Vec::new();
    let defaults_dir = |id: &str| state_dir.join("agents").join(id).join("agent");
    if declared.is_empty() {
        let (model, fallbacks) = model_refs(get(config, &["agents", "defaults", "model"]));
        agents.push(Agent {
            id: "main".into(),
            dir: defaults_dir("main"),
            default: true,
            configured: true,
            model,
            fallbacks,
        });
    }
    let mut seen: std::collections::HashSet<String> = agents.iter().map(|a| a.id.clone()).collect();
    for d in declared {
        if !seen.insert(d.id.clone()) {
            continue;
        }
        let dir = d
            .entry
            .get("agentDir")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| env.expand_tilde(s, home))
            .unwrap_or_else(|| defaults_dir(&d.id));
        let (model, fallbacks) = model_refs(d.entry.get("model"));
        agents.push(Agent {
            default: d.id == default_id,
            id: d.id,
            dir,
            configured: true,
            model,
            fallbacks,
        });
    }
    agents.extend(on_disk_agents(state_dir, &agents));
    agents
}

fn on_disk_agents(state_dir: &Path, known: &[Agent]) -> Vec<Agent> {
    let Ok(entries) = std::fs::read_dir(state_dir.join("agents")) else {
        return Vec::new();
    };
    // Sets, not a scan of the known agents per entry (quadratic on 1,000 agents).
    let ids: std::collections::HashSet<&str> = known.iter().map(|a| a.id.as_str()).collect();
    let dirs: std::collections::HashSet<&Path> = known.iter().map(|a| a.dir.as_path()).collect();
    let mut found: Vec<Agent> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let id = e.file_name().into_string().ok()?;
            let dir = e.path().join("agent");
            let known_dir = ids.contains(id.as_str()) || dirs.contains(dir.as_path());
            (dir.is_dir() && !known_dir).then(|| Agent {
                id,
                dir,
                default: false,
                configured: false,
                model: None,
                fallbacks: Vec::new(),
            })
        })
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_config_shapes_and_default_rule() {
        let s = Path::new("/s");
        let h = Path::new("/h");
        let env = EnvSnapshot::default();
        let list = json!({"agents":{"list":[{"id":"Main"},{"id":"cronbot","default":true,"agentDir":"~/cb"}]}});
        let a = discover_agents(&list, s, h, &env);
        assert_eq!(
            a.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["main", "cronbot"]
        );
        assert!(a[1].default && !a[0].default);
        assert_eq!(a[1].dir, PathBuf::from("/h/cb"));
        let entries =
            json!({"agents":{"entries":{"main":{},"reporter":{"model":{"primary":"p/m"}}}}});
        let a = discover_agents(&entries, s, h, &env);
        assert!(a[0].default);
        assert_eq!(a[1].model.as_deref(), Some("p/m"));
        let none = discover_agents(&json!({}), s, h, &env);
        assert_eq!(none[0].dir, PathBuf::from("/s/agents/main/agent"));
    }

    #[test]
    fn normalizes_ids() {
        assert_eq!(normalize_agent_id("My Bot"), "my-bot");
        assert_eq!(normalize_agent_id(""), "main");
    }
}
