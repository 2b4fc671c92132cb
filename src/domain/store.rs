//! Auth stores as files and database cells, parsed into profiles
//! (auth-store.md §1, §3.4, §9).

use super::profile::{DropReason, ParsedEntry, Profile, parse_entry};
use super::version::Generation;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Largest store file clawauth reads; anything bigger is reported, not parsed.
pub const MAX_STORE_BYTES: u64 = 16 * 1024 * 1024;

/// Which file or cell a store came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// `<agentDir>/auth-profiles.json`
    AuthProfiles,
    /// `<agentDir>/auth.json` (legacy flat map)
    LegacyAuthJson,
    /// `<stateDir>/credentials/oauth.json`
    OAuthJson,
    /// `<agentDir>/openclaw-agent.sqlite`
    AgentDb,
    /// `<stateDir>/state/openclaw.sqlite` rows `authProfiles.*`
    SharedDb,
}

/// One entry OpenClaw's loader drops without telling the user.
#[derive(Debug, Clone)]
pub struct DroppedEntry {
    pub id: String,
    pub reason: DropReason,
    pub raw: Value,
}

/// A loaded store: what exists, what parsed, and what was dropped.
#[derive(Debug, Clone)]
pub struct Store {
    pub path: PathBuf,
    pub kind: StoreKind,
    pub exists: bool,
    /// Read or parse failure: OpenClaw treats such a file as absent.
    pub error: Option<String>,
    /// The raw document (JSON files and DB cells).
    pub raw: Option<Value>,
    /// False when the document has no `profiles` object (a "not a store").
    pub is_store: bool,
    /// True when the document is a legacy flat `{provider: credential}` map.
    pub flat: bool,
    pub profiles: IndexMap<String, Profile>,
    pub dropped: Vec<DroppedEntry>,
    pub order: IndexMap<String, Vec<String>>,
    pub usage: Map<String, Value>,
}

impl Store {
    pub fn absent(path: PathBuf, kind: StoreKind) -> Store {
        Store {
            path,
            kind,
            exists: false,
            error: None,
            raw: None,
            is_store: false,
            flat: false,
            profiles: IndexMap::new(),
            dropped: Vec::new(),
            order: IndexMap::new(),
            usage: Map::new(),
        }
    }

    fn failed(path: PathBuf, kind: StoreKind, error: String) -> Store {
        Store {
            exists: true,
            error: Some(error),
            ..Store::absent(path, kind)
        }
    }

    /// True when the store holds usable structure (parsed with a `profiles` object).
    pub fn is_loaded(&self) -> bool {
        self.exists && self.error.is_none() && self.is_store
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty() && self.order.is_empty() && self.usage.is_empty()
    }
}

/// Reads a JSON file as OpenClaw does: strict JSON (no JSON5), any failure = absent.
pub fn read_json_document(path: &Path) -> Result<Option<Value>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(format!("{} is a dangling symbolic link", path.display()));
            }
            return Ok(None);
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if meta.is_dir() {
        return Err(format!("{} is a directory, not a file", path.display()));
    }
    if meta.len() > MAX_STORE_BYTES {
        return Err(format!(
            "{} is {} bytes, over clawauth's {} byte limit for auth stores",
            path.display(),
            meta.len(),
            MAX_STORE_BYTES
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.is_empty() {
        return Err(format!(
            "{} is empty (0 bytes), probably truncated by a crash",
            path.display()
        ));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(format!(
            "{} starts with a UTF-8 byte-order mark, which OpenClaw's JSON.parse rejects",
            path.display()
        ));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

pub fn load_json_store(path: &Path, kind: StoreKind, generation: Generation) -> Store {
    match read_json_document(path) {
        Ok(None) => Store::absent(path.to_path_buf(), kind),
        Ok(Some(raw)) => parse_document(path.to_path_buf(), kind, raw, generation),
        Err(e) => Store::failed(path.to_path_buf(), kind, e),
    }
}

/// Parses a store document (a file's content or a DB cell).
pub fn parse_document(path: PathBuf, kind: StoreKind, raw: Value, generation: Generation) -> Store {
    let mut store = Store {
        exists: true,
        ..Store::absent(path, kind)
    };
    match kind {
        StoreKind::OAuthJson => parse_oauth_file(&mut store, &raw),
        StoreKind::LegacyAuthJson => parse_flat(&mut store, &raw, generation),
        _ => match raw.get("profiles") {
            Some(Value::Object(_)) => parse_canonical(&mut store, &raw, generation),
            _ if raw.is_object() && kind == StoreKind::AuthProfiles => {
                parse_flat_if_any(&mut store, &raw, generation)
            }
            _ => {}
        },
    }
    store.raw = Some(raw);
    store
}

fn parse_canonical(store: &mut Store, raw: &Value, generation: Generation) {
    store.is_store = true;
    let profiles = raw
        .get("profiles")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (id, entry) in &profiles {
        push_entry(store, id, entry, None, generation);
    }
    store.order = parse_order(raw.get("order"), generation);
    store.usage = raw
        .get("usageStats")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
}

fn push_entry(
    store: &mut Store,
    id: &str,
    entry: &Value,
    fallback: Option<&str>,
    generation: Generation,
) {
    match parse_entry(id, entry, fallback, generation) {
        ParsedEntry::Ok(p) => {
            store.profiles.insert(id.to_string(), *p);
        }
        ParsedEntry::Dropped(reason) => store.dropped.push(DroppedEntry {
            id: id.to_string(),
            reason,
            raw: entry.clone(),
        }),
    }
}

/// `order`: trimmed strings, blanks and empty lists dropped (2026.9 lower-cases keys).
fn parse_order(value: Option<&Value>, generation: Generation) -> IndexMap<String, Vec<String>> {
    let Some(map) = value.and_then(Value::as_object) else {
        return IndexMap::new();
    };
    map.iter()
        .filter_map(|(provider, list)| {
            let ids: Vec<String> = list
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let key = if generation == Generation::Sqlite {
                provider.to_lowercase()
            } else {
                provider.clone()
            };
            (!ids.is_empty()).then_some((key, ids))
        })
        .collect()
}

/// A flat map in `auth-profiles.json` is not a runtime store; it is recorded
/// so validation can explain it (OpenClaw treats the file as absent).
fn parse_flat_if_any(store: &mut Store, raw: &Value, generation: Generation) {
    let mut probe = Store::absent(store.path.clone(), StoreKind::LegacyAuthJson);
    parse_flat(&mut probe, raw, generation);
    store.flat = probe.flat;
    store.dropped = probe.dropped;
    store.profiles = probe.profiles;
}

/// `coerceLegacyStore`: `{provider: credential}`, imported as `<provider>:default`.
fn parse_flat(store: &mut Store, raw: &Value, generation: Generation) {
    let Some(map) = raw.as_object() else { return };
    if map.contains_key("profiles") {
        return;
    }
    store.flat = true;
    for (provider, entry) in map {
        let id = format!("{provider}:default");
        match parse_entry(&id, entry, Some(provider), generation) {
            ParsedEntry::Ok(p) => {
                store.profiles.insert(id, *p);
            }
            ParsedEntry::Dropped(reason) => store.dropped.push(DroppedEntry {
                id: provider.clone(),
                reason,
                raw: entry.clone(),
            }),
        }
    }
    store.is_store = store.kind == StoreKind::LegacyAuthJson && !store.profiles.is_empty();
}

/// `credentials/oauth.json`: `{provider: {access, refresh, expires}}` → `<provider>:default` oauth.
fn parse_oauth_file(store: &mut Store, raw: &Value) {
    let Some(map) = raw.as_object() else { return };
    store.is_store = true;
    for (provider, creds) in map {
        let Some(obj) = creds.as_object() else {
            continue;
        };
        let mut entry = Map::new();
        entry.insert("type".into(), Value::String("oauth".into()));
        entry.insert("provider".into(), Value::String(provider.clone()));
        entry.extend(obj.clone());
        push_entry(
            store,
            &format!("{provider}:default"),
            &Value::Object(entry),
            None,
            Generation::Json,
        );
    }
}

/// Providers a store names (valid profiles, dropped entries with a provider, order keys).
pub fn named_providers(store: &Store) -> Vec<String> {
    let mut out: Vec<String> = store
        .profiles
        .values()
        .map(|p| p.provider.clone())
        .collect();
    out.extend(store.dropped.iter().filter_map(|d| {
        d.raw
            .get("provider")
            .and_then(Value::as_str)
            .map(str::to_string)
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_store_with_drops_and_order() {
        let raw = json!({"version":1,"profiles":{
            "a:1":{"type":"api_key","provider":"a","key":"k"},
            "a:2":{"type":"api-key","provider":"a","key":"k"},
            "b:1":"oops"},
            "order":{"a":[" a:1 ", "", 3], "b": []}});
        let s = parse_document("x".into(), StoreKind::AuthProfiles, raw, Generation::Json);
        assert!(s.is_loaded());
        assert_eq!(s.profiles.len(), 1);
        assert_eq!(s.dropped.len(), 2);
        assert_eq!(s.order.get("a").unwrap(), &vec!["a:1".to_string()]);
        assert!(!s.order.contains_key("b"));
    }

    #[test]
    fn flat_map_in_auth_profiles_is_not_a_store() {
        let raw = json!({"anthropic":{"apiKey":"sk"}});
        let s = parse_document("x".into(), StoreKind::AuthProfiles, raw, Generation::Json);
        assert!(!s.is_store && s.flat);
        assert_eq!(s.dropped.len(), 1, "no type: invalid_type");
    }

    #[test]
    fn legacy_auth_json_imports_default_ids() {
        let raw = json!({"openrouter":{"type":"api_key","key":"k"}});
        let s = parse_document("x".into(), StoreKind::LegacyAuthJson, raw, Generation::Json);
        assert!(s.is_store);
        assert_eq!(s.profiles["openrouter:default"].provider, "openrouter");
    }

    #[test]
    fn empty_and_bom_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("auth-profiles.json");
        std::fs::write(&p, "").unwrap();
        assert!(
            load_json_store(&p, StoreKind::AuthProfiles, Generation::Json)
                .error
                .unwrap()
                .contains("empty")
        );
        std::fs::write(&p, b"\xEF\xBB\xBF{}").unwrap();
        assert!(
            load_json_store(&p, StoreKind::AuthProfiles, Generation::Json)
                .error
                .unwrap()
                .contains("byte-order")
        );
    }
}
