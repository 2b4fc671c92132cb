//! Auth stores as files and database cells, parsed into profiles
//! (auth-store.md §1, §3.4, §9).

use crate::domain::read::error::{ReadError, TextError};
use crate::domain::read::profile::{DropReason, ParsedEntry, Profile, parse_entry};
use crate::domain::read::version::Generation;
use crate::domain::secret::Shape;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Largest store file clawauth reads; anything bigger is reported, not parsed.
pub(crate) const MAX_STORE_BYTES: u64 = 16 * 1024 * 1024;

/// Most values (array elements and object members) clawauth parses in one JSON
/// document: parsed memory grows with the number of values, not with the bytes
/// (16 MiB of `[0,0,…]` would take over 1 GB). A real store holds a few hundred.
pub(crate) const MAX_JSON_VALUES: usize = 1_000_000;

/// Dropped entries recorded per store; more are counted (validation lists the first).
pub(crate) const MAX_DROPPED_RECORDED: usize = 1000;

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
#[derive(Clone)]
pub(crate) struct DroppedEntry {
    pub(crate) id: String,
    pub(crate) reason: DropReason,
    pub(crate) raw: Value,
}

impl std::fmt::Debug for DroppedEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DroppedEntry")
            .field("id", &self.id)
            .field("reason", &self.reason)
            .field("raw", &Shape(&self.raw))
            .finish()
    }
}

/// A loaded store: what exists, what parsed, and what was dropped.
/// `Debug` shows the documents' shape, never their secrets.
#[derive(Clone)]
pub struct Store {
    pub(crate) path: PathBuf,
    pub(crate) kind: StoreKind,
    pub(crate) exists: bool,
    /// Read or parse failure: OpenClaw treats such a file as absent.
    pub(crate) error: Option<String>,
    /// The raw document (JSON files and DB cells).
    pub(crate) raw: Option<Value>,
    /// False when the document has no `profiles` object (a "not a store").
    pub(crate) is_store: bool,
    /// True when the document is a legacy flat `{provider: credential}` map.
    pub(crate) flat: bool,
    pub profiles: IndexMap<String, Profile>,
    pub(crate) dropped: Vec<DroppedEntry>,
    pub(crate) order: IndexMap<String, Vec<String>>,
    pub(crate) usage: Map<String, Value>,
    /// Keys that appear twice in one object (`profiles.<id>`): OpenClaw keeps the last.
    pub(crate) duplicate_keys: Vec<String>,
    /// Dropped entries beyond [`MAX_DROPPED_RECORDED`], counted only.
    pub(crate) dropped_more: usize,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("exists", &self.exists)
            .field("error", &self.error)
            .field("raw", &self.raw.as_ref().map(Shape))
            .field("is_store", &self.is_store)
            .field("flat", &self.flat)
            .field("profiles", &self.profiles)
            .field("dropped", &self.dropped)
            .field("order", &self.order)
            .field("usage", &Shape(&Value::Object(self.usage.clone())))
            .field("duplicate_keys", &self.duplicate_keys)
            .field("dropped_more", &self.dropped_more)
            .finish()
    }
}

impl Store {
    pub(crate) fn absent(path: PathBuf, kind: StoreKind) -> Store {
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
            duplicate_keys: Vec::new(),
            dropped_more: 0,
        }
    }

    /// A store that exists (or should) but cannot be read.
    pub(crate) fn failed(path: PathBuf, kind: StoreKind, error: String) -> Store {
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
}

/// Reads a JSON file as OpenClaw does: strict JSON (no JSON5), any failure = absent.
/// Only regular files of at most [`MAX_STORE_BYTES`] are read.
pub(crate) fn read_json_document(path: &Path) -> Result<Option<Value>, ReadError> {
    read_json(path, false).map(|doc| doc.map(|(value, _)| value))
}

/// [`read_json_document`] plus the keys that appear twice in one object
/// (`profiles.<id>`): `JSON.parse` silently keeps the last of them.
pub(crate) fn read_json_document_with_duplicates(
    path: &Path,
) -> Result<Option<(Value, Vec<String>)>, ReadError> {
    read_json(path, true)
}

fn read_json(
    path: &Path,
    check_duplicates: bool,
) -> Result<Option<(Value, Vec<String>)>, ReadError> {
    let Some(bytes) =
        crate::domain::read::fsread::read_limited(path, MAX_STORE_BYTES, "JSON files")?
    else {
        return Ok(None);
    };
    let file = path.to_path_buf();
    if bytes.is_empty() {
        return Err(ReadError::Empty { file });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(ReadError::ByteOrderMark { file });
    }
    check_value_count(&bytes).map_err(|e| ReadError::text(path, e))?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        ReadError::text(
            path,
            TextError::Json {
                detail: e.to_string(),
            },
        )
    })?;
    let duplicates = if check_duplicates {
        duplicate_keys(&bytes)
    } else {
        Vec::new()
    };
    Ok(Some((value, duplicates)))
}

/// Refuses JSON text with more than [`MAX_JSON_VALUES`] values before it is parsed
/// (a cheap count of `,`, `[` and `{` outside strings). The error reads after a name.
pub(crate) fn check_value_count(json: &[u8]) -> Result<(), TextError> {
    let mut count = 1usize;
    let mut in_string = false;
    let mut i = 0;
    while i < json.len() {
        match (in_string, json[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b',' | b'[' | b'{') => {
                count += 1;
                if count > MAX_JSON_VALUES {
                    return Err(TextError::TooManyValues {
                        max: MAX_JSON_VALUES,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// At most this many duplicate keys are reported per document.
const MAX_DUPLICATES_REPORTED: usize = 20;

/// Dotted paths (`profiles.p:1`) of keys that appear more than once in the same
/// object of a JSON document that parses. Empty when it does not parse.
pub fn duplicate_keys(json: &[u8]) -> Vec<String> {
    use serde::de::DeserializeSeed;
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(json);
    let _ = DuplicateKeys {
        path: "",
        out: &mut out,
    }
    .deserialize(&mut de);
    out
}

/// Walks a document without building it, recording repeated keys.
struct DuplicateKeys<'a> {
    path: &'a str,
    out: &'a mut Vec<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for DuplicateKeys<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DuplicateKeys<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let out = self.out;
        let mut i = 0usize;
        loop {
            let path = format!("{}[{i}]", self.path);
            let seed = DuplicateKeys {
                path: &path,
                out: &mut *out,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let out = self.out;
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if !seen.insert(key) && out.len() < MAX_DUPLICATES_REPORTED && !out.contains(&path) {
                out.push(path.clone());
            }
            map.next_value_seed(DuplicateKeys {
                path: &path,
                out: &mut *out,
            })?;
        }
        Ok(())
    }
}

pub(crate) fn load_json_store(path: &Path, kind: StoreKind, generation: Generation) -> Store {
    match read_json_document_with_duplicates(path) {
        Ok(None) => Store::absent(path.to_path_buf(), kind),
        Ok(Some((raw, duplicate_keys))) => Store {
            duplicate_keys,
            ..parse_document(path.to_path_buf(), kind, raw, generation)
        },
        Err(e) => Store::failed(path.to_path_buf(), kind, e.to_string()),
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
        ParsedEntry::Dropped(reason) => record_drop(store, id, reason, entry),
    }
}

/// Keeps the first [`MAX_DROPPED_RECORDED`] dropped entries and counts the rest, so a
/// huge broken file cannot turn into millions of problems.
fn record_drop(store: &mut Store, id: &str, reason: DropReason, raw: &Value) {
    if store.dropped.len() >= MAX_DROPPED_RECORDED {
        store.dropped_more += 1;
        return;
    }
    store.dropped.push(DroppedEntry {
        id: id.to_string(),
        reason,
        raw: raw.clone(),
    });
}

/// A JSON array of profile ids as OpenClaw reads it: strings only, trimmed, empty
/// ones dropped (`None` when it is not an array).
pub(crate) fn id_list(list: &Value) -> Option<Vec<String>> {
    Some(
        list.as_array()?
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// `order`: trimmed strings, blanks and empty lists dropped (2026.9 lower-cases keys).
fn parse_order(value: Option<&Value>, generation: Generation) -> IndexMap<String, Vec<String>> {
    let Some(map) = value.and_then(Value::as_object) else {
        return IndexMap::new();
    };
    map.iter()
        .filter_map(|(provider, list)| {
            let ids = id_list(list)?;
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
    store.dropped_more = probe.dropped_more;
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
            ParsedEntry::Dropped(reason) => record_drop(store, provider, reason, entry),
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
    fn duplicate_keys_are_found_at_any_depth() {
        let doc = br#"{"version":1,"profiles":{"a:1":{"key":"x","key":"y"},"a:1":{}},"order":[{"q":1,"q":2}],"version":2}"#;
        assert_eq!(
            duplicate_keys(doc),
            vec!["profiles.a:1.key", "profiles.a:1", "order[0].q", "version"]
        );
        assert!(duplicate_keys(br#"{"a":{"b":1},"b":{"a":1}}"#).is_empty());
        assert!(duplicate_keys(b"{ broken").is_empty());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(
            duplicate_keys(deep.as_bytes()).is_empty(),
            "no stack overflow"
        );
    }

    #[test]
    fn value_count_limit_is_checked_before_parsing() {
        let ok = format!("[{}0]", "0,".repeat(MAX_JSON_VALUES - 2));
        assert!(check_value_count(ok.as_bytes()).is_ok());
        let over = format!("[{}0]", "0,".repeat(MAX_JSON_VALUES));
        let e = check_value_count(over.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("more than 1000000 JSON values"), "{e}");
        let in_string = format!(
            "[\"{}\\\"{}\"]",
            ",".repeat(MAX_JSON_VALUES),
            "[".repeat(10)
        );
        assert!(
            check_value_count(in_string.as_bytes()).is_ok(),
            "commas in strings do not count"
        );
    }

    #[test]
    fn dropped_entries_are_capped_and_counted() {
        let mut profiles = Map::new();
        for i in 0..(MAX_DROPPED_RECORDED + 5) {
            profiles.insert(format!("p:{i}"), Value::from(i));
        }
        profiles.insert(
            "ok:1".into(),
            json!({"type":"api_key","provider":"ok","key":"k"}),
        );
        let raw = json!({"version": 1, "profiles": profiles});
        let s = parse_document("x".into(), StoreKind::AuthProfiles, raw, Generation::Json);
        assert_eq!(s.dropped.len(), MAX_DROPPED_RECORDED);
        assert_eq!(s.dropped_more, 5);
        assert!(
            s.profiles.contains_key("ok:1"),
            "valid profiles are all kept"
        );
    }

    #[test]
    fn a_store_with_duplicate_ids_keeps_the_last_like_json_parse() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("auth-profiles.json");
        std::fs::write(&p, r#"{"version":1,"profiles":{"a:1":{"type":"api_key","provider":"a","key":"first"},"a:1":{"type":"api_key","provider":"a","key":"second"}}}"#).unwrap();
        let s = load_json_store(&p, StoreKind::AuthProfiles, Generation::Json);
        assert!(s.is_loaded());
        assert_eq!(s.duplicate_keys, vec!["profiles.a:1"]);
        assert_eq!(s.raw.unwrap()["profiles"]["a:1"]["key"], "second");
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
