//! Text splices, rendering of new text, and the expected values used as a safety net.

use serde_json::{Map, Value};
use std::ops::Range;

// ---------------------------------------------------------------------------
// Text splices
// ---------------------------------------------------------------------------

/// Replace `range` of the old text with `text`.
#[derive(Debug, Clone)]
pub(super) struct Splice {
    pub(super) range: Range<usize>,
    pub(super) text: String,
}

impl Splice {
    pub(super) fn insert(at: usize, text: String) -> Self {
        Splice {
            range: at..at,
            text,
        }
    }

    pub(super) fn delete(range: Range<usize>) -> Self {
        Splice {
            range,
            text: String::new(),
        }
    }
}

/// Applies non-overlapping splices (same-position inserts keep their order).
pub(super) fn apply_splices(text: &str, splices: &[Splice]) -> Option<String> {
    let mut sorted: Vec<&Splice> = splices.iter().collect();
    sorted.sort_by_key(|s| s.range.start);
    let mut out = String::with_capacity(text.len() + 256);
    let mut cursor = 0;
    for splice in sorted {
        if splice.range.start < cursor || splice.range.end > text.len() {
            return None;
        }
        out.push_str(&text[cursor..splice.range.start]);
        out.push_str(&splice.text);
        cursor = splice.range.end;
    }
    out.push_str(&text[cursor..]);
    Some(out)
}

// ---------------------------------------------------------------------------
// Rendering new text
// ---------------------------------------------------------------------------

/// Formatting conventions detected from the document.
pub(super) struct Style {
    pub(super) unit: String,
    pub(super) nl: &'static str,
    pub(super) quote_keys: bool,
}

pub(super) fn is_plain_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    chars
        .next()
        .is_some_and(|c| ident(c) && !c.is_ascii_digit())
        && chars.all(ident)
}

pub(super) fn key_text(key: &str, quote: bool) -> String {
    if !quote && is_plain_identifier(key) {
        key.to_string()
    } else {
        Value::from(key).to_string()
    }
}

/// Renders `value`: compact scalars; containers multi-line at `indent`, or on one line if `None`.
pub(super) fn render(value: &Value, indent: Option<&str>, style: &Style) -> String {
    let inner = indent.map(|i| format!("{i}{}", style.unit));
    let sub = |v: &Value| render(v, inner.as_deref(), style);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let items = map
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k, style.quote_keys), sub(v)));
            join_items(items.collect(), ("{", "}"), indent, style)
        }
        Value::Array(list) if !list.is_empty() => {
            join_items(list.iter().map(sub).collect(), ("[", "]"), indent, style)
        }
        scalar => scalar.to_string(),
    }
}

pub(super) fn join_items(
    items: Vec<String>,
    (open, close): (&str, &str),
    indent: Option<&str>,
    style: &Style,
) -> String {
    let Some(outer) = indent else {
        return match open {
            "{" => format!("{{ {} }}", items.join(", ")),
            _ => format!("[{}]", items.join(", ")),
        };
    };
    let (nl, inner) = (style.nl, format!("{outer}{}", style.unit));
    let body = items.join(&format!(",{nl}{inner}"));
    format!("{open}{nl}{inner}{body}{nl}{outer}{close}")
}

/// Nests `value` under `keys` (outermost first).
pub(super) fn wrap(keys: &[&str], value: &Value) -> Value {
    keys.iter().rev().fold(value.clone(), |inner, key| {
        let mut map = Map::new();
        map.insert((*key).to_string(), inner);
        Value::Object(map)
    })
}

// ---------------------------------------------------------------------------
// Expected values (the safety net's reference)
// ---------------------------------------------------------------------------

pub(super) fn value_at<'v>(root: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(root, |v, key| v.get(*key))
}

/// The object at `keys`, creating missing objects on the way.
pub(super) fn ensure_object<'v>(
    mut cur: &'v mut Value,
    keys: &[&str],
) -> Option<&'v mut Map<String, Value>> {
    for key in keys {
        let map = cur.as_object_mut()?;
        cur = map
            .entry((*key).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    cur.as_object_mut()
}

pub(super) fn expected_set(old: &Value, path: &[&str], value: &Value) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut out = old.clone();
    ensure_object(&mut out, parents)?.insert((*last).to_string(), value.clone());
    Some(out)
}

pub(super) fn expected_append(old: &Value, path: &[&str], value: &Value) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut out = old.clone();
    let list = ensure_object(&mut out, parents)?
        .get_mut(*last)?
        .as_array_mut()?;
    list.push(value.clone());
    Some(out)
}

pub(super) fn expected_remove(old: &Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut out = old.clone();
    ensure_object(&mut out, parents)?.shift_remove(*last)?;
    Some(out)
}
