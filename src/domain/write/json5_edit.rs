//! Comment- and format-preserving edits of JSON5 documents (`openclaw.json`).
//!
//! [`Json5Doc`] keeps the original text plus an index of the byte spans of
//! every value and member (key span, value span, the comma after it). Edits are
//! planned as a few small text splices, so every byte outside them stays
//! identical. Each edited text is re-parsed with the `json5` crate and compared
//! with the old value plus exactly the requested change; on any mismatch the
//! edit is refused with [`EditError::Unsupported`] and the text is unchanged.

use std::fmt;
use std::ops::Range;

use serde_json::{Map, Value};

/// Deepest nesting the span indexer accepts.
const MAX_DEPTH: usize = 256;
/// How the root is named in error messages.
const ROOT: &str = "(root)";
/// The key that pulls an object's contents from another file.
const INCLUDE_KEY: &str = "$include";

/// Why an edit was refused. The document text is unchanged whenever one is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    Parse(String),
    NotAnObject { path: String },
    NotAnArray { path: String },
    Unsupported { path: String, why: String },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parse(msg) => write!(f, "invalid JSON5: {msg}"),
            Self::NotAnObject { path } => write!(f, "`{path}` is not an object"),
            Self::NotAnArray { path } => write!(f, "`{path}` is not an array"),
            Self::Unsupported { path, why } => write!(f, "cannot safely edit `{path}`: {why}"),
        }
    }
}

impl std::error::Error for EditError {}

fn path_text(path: &[&str]) -> String {
    if path.is_empty() {
        ROOT.to_string()
    } else {
        path.join(".")
    }
}

fn unsupported(path: &[&str], why: impl Into<String>) -> EditError {
    EditError::Unsupported {
        path: path_text(path),
        why: why.into(),
    }
}

// ---------------------------------------------------------------------------
// Span index
// ---------------------------------------------------------------------------

/// A value and its byte span (containers span from the opening to the closing bracket).
#[derive(Debug, Clone)]
struct Node {
    span: Range<usize>,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Scalar,
    Object(Vec<Entry>),
    Array(Vec<Entry>),
}

/// An object member (with a key) or an array element (without one).
#[derive(Debug, Clone)]
struct Entry {
    key: Option<Key>,
    value: Node,
    /// Byte offset of the comma that follows the value, if any.
    comma: Option<usize>,
}

#[derive(Debug, Clone)]
struct Key {
    name: String,
    span: Range<usize>,
    quoted: bool,
}

impl Node {
    fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Object(entries) | Kind::Array(entries) => entries,
            Kind::Scalar => &[],
        }
    }

    fn open(&self) -> usize {
        self.span.start
    }

    fn close(&self) -> usize {
        self.span.end - 1
    }
}

impl Entry {
    fn name(&self) -> Option<&str> {
        self.key.as_ref().map(|k| k.name.as_str())
    }

    fn start(&self) -> usize {
        self.key
            .as_ref()
            .map_or(self.value.span.start, |k| k.span.start)
    }

    /// Just past the comma if there is one, else just past the value.
    fn end(&self) -> usize {
        self.comma.map_or(self.value.span.end, |c| c + 1)
    }
}

// ---------------------------------------------------------------------------
// Tokenizer / parser
// ---------------------------------------------------------------------------

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

fn is_line_terminator(c: char) -> bool {
    json5::char::is_json5_line_terminator(c)
}

/// Characters that may appear in a bare word: numbers, literals, identifier keys.
fn is_word_char(c: char) -> bool {
    !json5::char::is_json5_whitespace(c)
        && !matches!(c, ',' | ':' | '[' | ']' | '{' | '}' | '"' | '\'' | '/')
}

impl<'a> Parser<'a> {
    fn document(text: &'a str) -> Result<Node, EditError> {
        let mut parser = Parser { text, pos: 0 };
        let root = parser.value(0)?;
        parser.skip_trivia()?;
        if parser.pos != text.len() {
            return Err(parser.error("unexpected trailing characters"));
        }
        Ok(root)
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn error(&self, what: &str) -> EditError {
        EditError::Parse(format!("{what} at byte {}", self.pos))
    }

    fn expect(&mut self, want: char) -> Result<(), EditError> {
        if self.peek() != Some(want) {
            return Err(self.error(&format!("expected `{want}`")));
        }
        self.bump();
        Ok(())
    }

    fn skip_trivia(&mut self) -> Result<(), EditError> {
        loop {
            match self.peek() {
                Some(c) if json5::char::is_json5_whitespace(c) => {
                    self.bump();
                }
                Some('/') => self.skip_comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn skip_comment(&mut self) -> Result<(), EditError> {
        let rest = &self.text[self.pos..];
        if rest.starts_with("//") {
            self.pos += rest.find(is_line_terminator).unwrap_or(rest.len());
        } else if let Some(body) = rest.strip_prefix("/*") {
            let body = body
                .find("*/")
                .ok_or_else(|| self.error("unterminated comment"))?;
            self.pos += body + 4;
        } else {
            return Err(self.error("unexpected `/`"));
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node, EditError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.skip_trivia()?;
        let start = self.pos;
        let kind = match self.peek() {
            Some('{') => Kind::Object(self.container('}', true, depth)?),
            Some('[') => Kind::Array(self.container(']', false, depth)?),
            Some('"' | '\'') => {
                self.string()?;
                Kind::Scalar
            }
            _ => {
                self.word()?;
                Kind::Scalar
            }
        };
        Ok(Node {
            span: start..self.pos,
            kind,
        })
    }

    /// Parses `{...}` or `[...]`, starting at the opening bracket.
    fn container(
        &mut self,
        close: char,
        keyed: bool,
        depth: usize,
    ) -> Result<Vec<Entry>, EditError> {
        self.bump();
        let mut entries = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(close) {
                self.bump();
                return Ok(entries);
            }
            let entry = self.entry(keyed, depth)?;
            let done = entry.comma.is_none();
            entries.push(entry);
            if done {
                self.skip_trivia()?;
                self.expect(close)?;
                return Ok(entries);
            }
        }
    }

    fn entry(&mut self, keyed: bool, depth: usize) -> Result<Entry, EditError> {
        let key = if keyed { Some(self.key()?) } else { None };
        let value = self.value(depth + 1)?;
        self.skip_trivia()?;
        let comma = (self.peek() == Some(',')).then_some(self.pos);
        if comma.is_some() {
            self.bump();
        }
        Ok(Entry { key, value, comma })
    }

    fn key(&mut self) -> Result<Key, EditError> {
        let quoted = matches!(self.peek(), Some('"' | '\''));
        let span = if quoted { self.string()? } else { self.word()? };
        let name = decode_key(&self.text[span.clone()])?;
        self.skip_trivia()?;
        self.expect(':')?;
        Ok(Key { name, span, quoted })
    }

    /// A single- or double-quoted string, escapes included.
    fn string(&mut self) -> Result<Range<usize>, EditError> {
        let start = self.pos;
        let quote = self.bump();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string")),
                Some('\\') => {
                    self.bump();
                }
                Some(c) if Some(c) == quote => return Ok(start..self.pos),
                Some(_) => {}
            }
        }
    }

    /// A bare word: number, `true`/`false`/`null`, `Infinity`/`NaN`, or identifier key.
    fn word(&mut self) -> Result<Range<usize>, EditError> {
        let start = self.pos;
        while self.peek().is_some_and(is_word_char) {
            self.bump();
        }
        if start == self.pos {
            return Err(self.error("unexpected character"));
        }
        Ok(start..self.pos)
    }
}

/// Decodes a raw key (quoted string or identifier, escapes included) with the json5 crate.
fn decode_key(raw: &str) -> Result<String, EditError> {
    let bad = |why: String| EditError::Parse(format!("invalid key {raw}: {why}"));
    let map: Map<String, Value> =
        json5::from_str(&format!("{{{raw}:0}}")).map_err(|e| bad(e.to_string()))?;
    map.into_iter()
        .next()
        .map(|(k, _)| k)
        .ok_or_else(|| bad("empty".to_string()))
}

/// The value described by the span index (scalars decoded by the json5 crate).
fn node_value(text: &str, node: &Node) -> Result<Value, EditError> {
    match &node.kind {
        Kind::Scalar => json5::from_str(&text[node.span.clone()]).map_err(|e| {
            EditError::Parse(format!("invalid value at byte {}: {e}", node.span.start))
        }),
        Kind::Array(items) => {
            let values = items.iter().map(|e| node_value(text, &e.value));
            values.collect::<Result<Vec<_>, _>>().map(Value::Array)
        }
        Kind::Object(members) => {
            let mut map = Map::new();
            for member in members {
                let name = member.name().unwrap_or_default().to_string();
                map.insert(name, node_value(text, &member.value)?);
            }
            Ok(Value::Object(map))
        }
    }
}

// ---------------------------------------------------------------------------
// Text splices
// ---------------------------------------------------------------------------

/// Replace `range` of the old text with `text`.
#[derive(Debug, Clone)]
struct Splice {
    range: Range<usize>,
    text: String,
}

impl Splice {
    fn insert(at: usize, text: String) -> Self {
        Splice {
            range: at..at,
            text,
        }
    }

    fn delete(range: Range<usize>) -> Self {
        Splice {
            range,
            text: String::new(),
        }
    }
}

/// Applies non-overlapping splices (same-position inserts keep their order).
fn apply_splices(text: &str, splices: &[Splice]) -> Option<String> {
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
struct Style {
    unit: String,
    nl: &'static str,
    quote_keys: bool,
}

fn is_plain_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    chars
        .next()
        .is_some_and(|c| ident(c) && !c.is_ascii_digit())
        && chars.all(ident)
}

fn key_text(key: &str, quote: bool) -> String {
    if !quote && is_plain_identifier(key) {
        key.to_string()
    } else {
        Value::from(key).to_string()
    }
}

/// Renders `value`: compact scalars; containers multi-line at `indent`, or on one line if `None`.
fn render(value: &Value, indent: Option<&str>, style: &Style) -> String {
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

fn join_items(
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
fn wrap(keys: &[&str], value: &Value) -> Value {
    keys.iter().rev().fold(value.clone(), |inner, key| {
        let mut map = Map::new();
        map.insert((*key).to_string(), inner);
        Value::Object(map)
    })
}

// ---------------------------------------------------------------------------
// Expected values (the safety net's reference)
// ---------------------------------------------------------------------------

fn value_at<'v>(root: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(root, |v, key| v.get(*key))
}

/// The object at `keys`, creating missing objects on the way.
fn ensure_object<'v>(mut cur: &'v mut Value, keys: &[&str]) -> Option<&'v mut Map<String, Value>> {
    for key in keys {
        let map = cur.as_object_mut()?;
        cur = map
            .entry((*key).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    cur.as_object_mut()
}

fn expected_set(old: &Value, path: &[&str], value: &Value) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut out = old.clone();
    ensure_object(&mut out, parents)?.insert((*last).to_string(), value.clone());
    Some(out)
}

fn expected_append(old: &Value, path: &[&str], value: &Value) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut out = old.clone();
    let list = ensure_object(&mut out, parents)?
        .get_mut(*last)?
        .as_array_mut()?;
    list.push(value.clone());
    Some(out)
}

fn expected_remove(old: &Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut out = old.clone();
    ensure_object(&mut out, parents)?.shift_remove(*last)?;
    Some(out)
}

// ---------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------

/// A JSON5 document: its original text plus a span index of every value and member.
#[derive(Debug, Clone)]
pub struct Json5Doc {
    text: String,
    root: Node,
    value: Value,
}

/// Where a path points: an existing member, or the deepest existing object.
enum Target<'a> {
    Found { owner: &'a Node, index: usize },
    Missing { owner: &'a Node, depth: usize },
}

impl Json5Doc {
    /// Parses and indexes `text`; fails if the json5 crate rejects it.
    pub fn parse(text: &str) -> Result<Json5Doc, EditError> {
        let value: Value = json5::from_str(text).map_err(|e| EditError::Parse(e.to_string()))?;
        let root = Parser::document(text)?;
        if node_value(text, &root)? != value {
            return Err(EditError::Parse(
                "internal: span index disagrees with the json5 crate".into(),
            ));
        }
        Ok(Json5Doc {
            text: text.to_string(),
            root,
            value,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The document as a serde_json value (parsed by the json5 crate).
    pub fn value(&self) -> Result<Value, EditError> {
        Ok(self.value.clone())
    }

    /// Sets the value at `path` (object keys). Replaces an existing value's text
    /// span, or inserts a new member into the deepest existing object, creating
    /// missing intermediate objects. Setting an equal value is a no-op.
    pub fn set(&mut self, path: &[&str], value: &Value) -> Result<(), EditError> {
        let splices = match self.locate(path)? {
            Target::Found { owner, index } => {
                if value_at(&self.value, path) == Some(value) {
                    return Ok(());
                }
                self.plan_replace(path, owner, &owner.entries()[index], value)?
            }
            Target::Missing { owner, depth } => {
                let member = wrap(&path[depth + 1..], value);
                self.plan_insert_member(owner, path[depth], &member)
            }
        };
        let expected = expected_set(&self.value, path, value);
        self.commit(path, &splices, expected)
    }

    /// Appends `value` to the array at `path` unless an equal element is present.
    /// A missing array is created (as by [`Json5Doc::set`] with `[value]`).
    pub fn append_unique(&mut self, path: &[&str], value: &Value) -> Result<(), EditError> {
        let splices = match self.locate(path)? {
            Target::Missing { .. } => return self.set(path, &Value::Array(vec![value.clone()])),
            Target::Found { owner, index } => {
                let array = &owner.entries()[index].value;
                if !matches!(array.kind, Kind::Array(_)) {
                    return Err(EditError::NotAnArray {
                        path: path_text(path),
                    });
                }
                let current = value_at(&self.value, path).and_then(Value::as_array);
                if current.is_some_and(|items| items.contains(value)) {
                    return Ok(());
                }
                self.plan_append(array, value)
            }
        };
        let expected = expected_append(&self.value, path, value);
        self.commit(path, &splices, expected)
    }

    /// Removes the member at `path`; `Ok(false)` if it is not present.
    pub fn remove(&mut self, path: &[&str]) -> Result<bool, EditError> {
        let splices = match self.locate(path)? {
            Target::Missing { .. } => return Ok(false),
            Target::Found { owner, index } => self.plan_remove(owner, index),
        };
        let expected = expected_remove(&self.value, path);
        self.commit(path, &splices, expected)?;
        Ok(true)
    }

    /// Applies `splices`, then accepts the result only if it re-parses to `expected`.
    fn commit(
        &mut self,
        path: &[&str],
        splices: &[Splice],
        expected: Option<Value>,
    ) -> Result<(), EditError> {
        let expected = expected.ok_or_else(|| unsupported(path, "internal: no expected value"))?;
        let text = apply_splices(&self.text, splices)
            .ok_or_else(|| unsupported(path, "internal: overlapping edits"))?;
        let doc = Json5Doc::parse(&text)
            .map_err(|e| unsupported(path, format!("the edited text would not be valid ({e})")))?;
        if doc.value != expected {
            return Err(unsupported(
                path,
                "the edited text would not have the expected value",
            ));
        }
        *self = doc;
        Ok(())
    }

    // -- path resolution ----------------------------------------------------

    fn locate(&self, path: &[&str]) -> Result<Target<'_>, EditError> {
        if path.is_empty() {
            return Err(unsupported(path, "the document root cannot be replaced"));
        }
        let mut node = &self.root;
        for depth in 0..path.len() {
            let Kind::Object(members) = &node.kind else {
                return Err(EditError::NotAnObject {
                    path: path_text(&path[..depth]),
                });
            };
            check_members(members, path, depth)?;
            let Some(index) = members.iter().position(|m| m.name() == Some(path[depth])) else {
                return Ok(Target::Missing { owner: node, depth });
            };
            if depth + 1 == path.len() {
                return Ok(Target::Found { owner: node, index });
            }
            node = &members[index].value;
        }
        Err(unsupported(path, "internal: path walk ended early"))
    }

    // -- edit planning ------------------------------------------------------

    fn plan_replace(
        &self,
        path: &[&str],
        owner: &Node,
        entry: &Entry,
        value: &Value,
    ) -> Result<Vec<Splice>, EditError> {
        if entry
            .value
            .entries()
            .iter()
            .any(|m| m.name() == Some(INCLUDE_KEY))
        {
            let why = format!("its current value has a `{INCLUDE_KEY}` that would be dropped");
            return Err(unsupported(path, why));
        }
        let inline = self.same_line(owner.open(), owner.close());
        let indent = self.line_indent(entry.start()).to_string();
        let text = render(value, (!inline).then_some(indent.as_str()), &self.style());
        Ok(vec![Splice {
            range: entry.value.span.clone(),
            text,
        }])
    }

    fn plan_insert_member(&self, object: &Node, key: &str, value: &Value) -> Vec<Splice> {
        let style = self.style();
        let members = object.entries();
        let quote = match members.is_empty() {
            true => style.quote_keys,
            false => members
                .iter()
                .all(|m| m.key.as_ref().is_some_and(|k| k.quoted)),
        };
        let key = key_text(key, quote);
        let make = |indent: Option<&str>| format!("{key}: {}", render(value, indent, &style));
        self.plan_insert(object, &make, false, &style)
    }

    fn plan_append(&self, array: &Node, value: &Value) -> Vec<Splice> {
        let style = self.style();
        let scalar = !matches!(value, Value::Object(_) | Value::Array(_));
        let make = |indent: Option<&str>| render(value, indent, &style);
        self.plan_insert(array, &make, scalar, &style)
    }

    /// Adds an entry after the last one; `make` renders it at an indent (or inline).
    fn plan_insert(
        &self,
        node: &Node,
        make: &dyn Fn(Option<&str>) -> String,
        inline_if_empty: bool,
        style: &Style,
    ) -> Vec<Splice> {
        match node.entries().last() {
            None => self.plan_insert_empty(node, make, inline_if_empty, style),
            Some(last) if self.same_line(node.open(), node.close()) => {
                plan_insert_inline(last, &make(None))
            }
            Some(last) => self.plan_insert_line(node, last, make, style),
        }
    }

    /// Inserts on a new line after the last entry's line (after its trailing comment).
    fn plan_insert_line(
        &self,
        node: &Node,
        last: &Entry,
        make: &dyn Fn(Option<&str>) -> String,
        style: &Style,
    ) -> Vec<Splice> {
        let indent = self.entry_indent(node, last, style);
        let text = make(Some(&indent));
        let tail = self.line_tail(last.end());
        let at = if self.at_line_break(tail) {
            tail
        } else {
            last.end()
        };
        let trailing = if last.comma.is_some() { "," } else { "" };
        let mut splices = Vec::new();
        if last.comma.is_none() {
            splices.push(Splice::insert(last.value.span.end, ",".into()));
        }
        splices.push(Splice::insert(
            at,
            format!("{}{indent}{text}{trailing}", style.nl),
        ));
        splices
    }

    /// Fills an empty `{}` / `[]`, keeping any comments inside it.
    fn plan_insert_empty(
        &self,
        node: &Node,
        make: &dyn Fn(Option<&str>) -> String,
        inline: bool,
        style: &Style,
    ) -> Vec<Splice> {
        let inner = node.open() + 1..node.close();
        let blank = self.text[inner.clone()]
            .chars()
            .all(json5::char::is_json5_whitespace);
        if blank && inline && self.same_line(node.open(), node.close()) {
            return vec![Splice {
                range: inner,
                text: make(None),
            }];
        }
        let outer = self.line_indent(node.open());
        let indent = format!("{outer}{}", style.unit);
        let (nl, text) = (style.nl, make(Some(&indent)));
        if blank {
            return vec![Splice {
                range: inner,
                text: format!("{nl}{indent}{text}{nl}{outer}"),
            }];
        }
        if self.starts_line(node.close()) {
            return vec![Splice::insert(
                self.line_start(node.close()),
                format!("{indent}{text}{nl}"),
            )];
        }
        vec![Splice::insert(
            node.close(),
            format!("{nl}{indent}{text}{nl}{outer}"),
        )]
    }

    /// Removes an entry (and the comma before it if it was the last one without
    /// a comma). A container left with only whitespace collapses to `{}` / `[]`.
    fn plan_remove(&self, owner: &Node, index: usize) -> Vec<Splice> {
        let entries = owner.entries();
        let entry = &entries[index];
        let range = self.removal_range(entry);
        let inner = owner.open() + 1..owner.close();
        if entries.len() == 1 && self.blank_around(&inner, &range) {
            return vec![Splice::delete(inner)];
        }
        let mut splices = Vec::new();
        if entry.comma.is_none()
            && index > 0
            && let Some(prev) = entries[index - 1].comma
        {
            splices.push(Splice::delete(prev..prev + 1));
        }
        splices.push(Splice::delete(range));
        splices
    }

    /// The entry's whole line(s) when it sits on lines of its own, else just its tokens.
    fn removal_range(&self, entry: &Entry) -> Range<usize> {
        let (start, tail) = (entry.start(), self.line_tail(entry.end()));
        if self.starts_line(start) && self.at_line_break(tail) {
            self.line_start(start)..tail + self.break_len(tail)
        } else if entry.comma.is_some() {
            start..self.skip_hspace(entry.end())
        } else {
            self.back_hspace(start)..entry.end()
        }
    }

    /// Only whitespace is left in `outer` once `cut` is taken out.
    fn blank_around(&self, outer: &Range<usize>, cut: &Range<usize>) -> bool {
        let blank = |r: Range<usize>| self.text[r].chars().all(json5::char::is_json5_whitespace);
        blank(outer.start..cut.start) && blank(cut.end..outer.end)
    }

    // -- layout detection ---------------------------------------------------

    fn style(&self) -> Style {
        Style {
            unit: self.indent_unit(),
            nl: self.line_ending(),
            quote_keys: self.all_keys_quoted(),
        }
    }

    fn line_ending(&self) -> &'static str {
        let crlf = self.text.matches("\r\n").count();
        let lf = self.text.matches('\n').count();
        if crlf > 0 && crlf * 2 >= lf {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// The most common indentation step between a container's line and its entries' lines.
    fn indent_unit(&self) -> String {
        let mut steps = Vec::new();
        self.collect_indent_steps(&self.root, &mut steps);
        let count = |s: &String| steps.iter().filter(|t| *t == s).count();
        let best = steps
            .iter()
            .max_by_key(|s| (count(s), std::cmp::Reverse(s.len())));
        best.cloned().unwrap_or_else(|| "  ".to_string())
    }

    fn collect_indent_steps(&self, node: &Node, steps: &mut Vec<String>) {
        if matches!(node.kind, Kind::Scalar) {
            return;
        }
        let outer = self.line_indent(node.open());
        for entry in node.entries() {
            let inner = self.line_indent(entry.start());
            if self.starts_line(entry.start())
                && inner.len() > outer.len()
                && inner.starts_with(outer)
            {
                steps.push(inner[outer.len()..].to_string());
            }
            self.collect_indent_steps(&entry.value, steps);
        }
    }

    /// True when the document has keys and every one of them is quoted (plain JSON style).
    fn all_keys_quoted(&self) -> bool {
        let mut keys = Vec::new();
        collect_keys(&self.root, &mut keys);
        !keys.is_empty() && keys.iter().all(|k| k.quoted)
    }

    /// Indentation for a new entry: the last entry's, or the container's line plus one unit.
    fn entry_indent(&self, node: &Node, last: &Entry, style: &Style) -> String {
        if self.starts_line(last.start()) {
            return self.line_indent(last.start()).to_string();
        }
        format!("{}{}", self.line_indent(node.open()), style.unit)
    }

    // -- line helpers -------------------------------------------------------

    fn line_start(&self, pos: usize) -> usize {
        self.text[..pos].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    }

    fn line_indent(&self, pos: usize) -> &str {
        let line = &self.text[self.line_start(pos)..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    /// Only spaces/tabs precede `pos` on its line.
    fn starts_line(&self, pos: usize) -> bool {
        self.text[self.line_start(pos)..pos]
            .chars()
            .all(|c| c == ' ' || c == '\t')
    }

    fn same_line(&self, a: usize, b: usize) -> bool {
        !self.text[a..b].contains(['\n', '\r'])
    }

    fn skip_hspace(&self, pos: usize) -> usize {
        let rest = &self.text[pos..];
        pos + rest.len() - rest.trim_start_matches([' ', '\t']).len()
    }

    fn back_hspace(&self, pos: usize) -> usize {
        self.text[..pos].trim_end_matches([' ', '\t']).len()
    }

    /// Skips spaces and comments that end on the current line; stops at anything else.
    fn line_tail(&self, mut pos: usize) -> usize {
        loop {
            pos = self.skip_hspace(pos);
            let rest = &self.text[pos..];
            if rest.starts_with("//") {
                return pos + rest.find(is_line_terminator).unwrap_or(rest.len());
            }
            if !rest.starts_with("/*") {
                return pos;
            }
            match rest[2..].find("*/") {
                Some(body) if !rest[..body + 2].contains(['\n', '\r']) => pos += body + 4,
                _ => return pos,
            }
        }
    }

    fn at_line_break(&self, pos: usize) -> bool {
        pos == self.text.len() || self.text[pos..].starts_with(['\n', '\r'])
    }

    fn break_len(&self, pos: usize) -> usize {
        let rest = &self.text[pos..];
        if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with(['\n', '\r']))
        }
    }
}

fn plan_insert_inline(last: &Entry, text: &str) -> Vec<Splice> {
    match last.comma {
        Some(comma) => vec![Splice::insert(comma + 1, format!(" {text},"))],
        None => vec![Splice::insert(last.value.span.end, format!(", {text}"))],
    }
}

/// Refuses objects on an edit path that have `$include` or duplicate keys.
fn check_members(members: &[Entry], path: &[&str], depth: usize) -> Result<(), EditError> {
    let names: Vec<&str> = members.iter().filter_map(Entry::name).collect();
    let here = path_text(&path[..depth]);
    if names.contains(&INCLUDE_KEY) {
        let why =
            format!("`{here}` has a `{INCLUDE_KEY}`, so its contents may come from another file");
        return Err(unsupported(path, why));
    }
    if let Some(dup) = names
        .iter()
        .enumerate()
        .find(|(i, n)| names[..*i].contains(n))
    {
        return Err(unsupported(
            path,
            format!("`{here}` has the key `{}` more than once", dup.1),
        ));
    }
    Ok(())
}

fn collect_keys<'n>(node: &'n Node, out: &mut Vec<&'n Key>) {
    for entry in node.entries() {
        out.extend(entry.key.as_ref());
        collect_keys(&entry.value, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CONFIG: &str = r#"// OpenClaw configuration
{
  /* Gateway settings */
  gateway: {
    port: 18789, // default port
    bind: 'loopback',
  },
  auth: {
    profiles: {
      "anthropic:default": { provider: "anthropic", mode: "token" }, // main
      'my-proxy:main': {
        provider: 'my-proxy',
        mode: "token", // rotate monthly
      },
    },
    order: {
      "my-proxy": ["my-proxy:main"],
    },
  },
  agents: {
    defaults: { model: "anthropic/claude", workspace: "~/w // not a comment {" },
  },
  // trailing comment
}
"#;

    const NEW_PROFILE: &str = r#"
      "my-proxy:cron": {
        provider: "my-proxy",
        mode: "api_key"
      },"#;

    fn doc(text: &str) -> Json5Doc {
        Json5Doc::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn json5_value(text: &str) -> Value {
        json5::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn cron_profile() -> Value {
        json!({"provider": "my-proxy", "mode": "api_key"})
    }

    /// Every `//` and `/* */` comment, in order (string-aware).
    fn comments(text: &str) -> Vec<String> {
        let (bytes, mut out, mut i) = (text.as_bytes(), Vec::new(), 0);
        while i < bytes.len() {
            let next = bytes.get(i + 1).copied();
            let end = match (bytes[i], next) {
                (q @ (b'"' | b'\''), _) => skip_string(bytes, i, q),
                (b'/', Some(b'/')) => text[i..].find(['\n', '\r']).map_or(text.len(), |e| i + e),
                (b'/', Some(b'*')) => text[i + 2..].find("*/").map_or(text.len(), |e| i + e + 4),
                _ => i + 1,
            };
            if bytes[i] == b'/' && matches!(next, Some(b'/' | b'*')) {
                out.push(text[i..end].to_string());
            }
            i = end;
        }
        out
    }

    fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
        let mut i = start + 1;
        while i < bytes.len() && bytes[i] != quote {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        i + 1
    }

    /// Output parses, equals `expected`, and keeps every comment of `before`.
    fn check(before: &str, d: &Json5Doc, expected: &Value) {
        assert_eq!(&json5_value(d.text()), expected, "\n{}", d.text());
        assert_eq!(&d.value().unwrap(), expected);
        assert_eq!(comments(before), comments(d.text()), "\n{}", d.text());
    }

    fn set_in(value: &mut Value, path: &[&str], new: Value) {
        let (last, parents) = path.split_last().unwrap();
        let mut cur = value;
        for key in parents {
            cur = cur
                .as_object_mut()
                .unwrap()
                .entry(*key)
                .or_insert_with(|| json!({}));
        }
        cur[*last] = new;
    }

    #[test]
    fn set_existing_scalar_keeps_comment_on_its_line() {
        let mut d = doc(CONFIG);
        let path = ["auth", "profiles", "my-proxy:main", "mode"];
        d.set(&path, &json!("api_key")).unwrap();
        let want = CONFIG.replace(
            r#"mode: "token", // rotate monthly"#,
            r#"mode: "api_key", // rotate monthly"#,
        );
        assert_eq!(d.text(), want);
        let mut expected = json5_value(CONFIG);
        set_in(&mut expected, &path, json!("api_key"));
        check(CONFIG, &d, &expected);
    }

    #[test]
    fn set_equal_value_is_a_no_op() {
        let mut d = doc(CONFIG);
        d.set(&["gateway", "bind"], &json!("loopback")).unwrap();
        assert_eq!(d.text(), CONFIG);
    }

    #[test]
    fn add_profile_to_existing_profiles() {
        let mut d = doc(CONFIG);
        let path = ["auth", "profiles", "my-proxy:cron"];
        d.set(&path, &cron_profile()).unwrap();
        let anchor = "        mode: \"token\", // rotate monthly\n      },";
        let want = CONFIG.replace(anchor, &format!("{anchor}{NEW_PROFILE}"));
        assert_eq!(d.text(), want);
        let cut = CONFIG.find(anchor).unwrap() + anchor.len();
        assert_eq!(&d.text()[..cut], &CONFIG[..cut]);
        assert!(d.text().ends_with(&CONFIG[cut..]));
        let mut expected = json5_value(CONFIG);
        set_in(&mut expected, &path, cron_profile());
        check(CONFIG, &d, &expected);
    }

    #[test]
    fn create_profiles_in_empty_auth() {
        let before = "{\n  // auth below\n  auth: {},\n  gateway: { port: 1 },\n}\n";
        let mut d = doc(before);
        d.set(&["auth", "profiles", "my-proxy:cron"], &cron_profile())
            .unwrap();
        let want = "{\n  // auth below\n  auth: {\n    profiles: {\n      \"my-proxy:cron\": {\n        \
                    provider: \"my-proxy\",\n        mode: \"api_key\"\n      }\n    }\n  },\n  \
                    gateway: { port: 1 },\n}\n";
        assert_eq!(d.text(), want);
        let expected = json!({"auth": {"profiles": {"my-proxy:cron": cron_profile()}}, "gateway": {"port": 1}});
        check(before, &d, &expected);
    }

    #[test]
    fn create_auth_at_end_of_root_when_absent() {
        let before = "{\n  gateway: {\n    port: 18789,\n  },\n  // the end\n}\n";
        let mut d = doc(before);
        d.set(&["auth", "order", "my-proxy"], &json!(["my-proxy:cron"]))
            .unwrap();
        let want = "{\n  gateway: {\n    port: 18789,\n  },\n  auth: {\n    order: {\n      \"my-proxy\": [\n        \
                    \"my-proxy:cron\"\n      ]\n    }\n  },\n  // the end\n}\n";
        assert_eq!(d.text(), want);
        let expected =
            json!({"gateway": {"port": 18789}, "auth": {"order": {"my-proxy": ["my-proxy:cron"]}}});
        check(before, &d, &expected);
    }

    #[test]
    fn create_auth_in_realistic_config() {
        let before = CONFIG.replace("  auth: {\n", "  xauth: {\n");
        let mut d = doc(&before);
        d.set(&["auth", "profiles", "my-proxy:cron"], &cron_profile())
            .unwrap();
        let added = "  },\n  auth: {\n    profiles: {\n      \"my-proxy:cron\": {\n        provider: \"my-proxy\",\n        \
                     mode: \"api_key\"\n      }\n    }\n  },\n  // trailing comment\n}\n";
        let keep = before.rfind("  },\n  // trailing").unwrap();
        assert_eq!(&d.text()[..keep], &before[..keep]);
        assert_eq!(&d.text()[keep..], added);
        let mut expected = json5_value(&before);
        set_in(
            &mut expected,
            &["auth", "profiles", "my-proxy:cron"],
            cron_profile(),
        );
        check(&before, &d, &expected);
    }

    #[test]
    fn append_to_order_and_unique_no_op() {
        let mut d = doc(CONFIG);
        let path = ["auth", "order", "my-proxy"];
        d.append_unique(&path, &json!("my-proxy:cron")).unwrap();
        let want = CONFIG.replace(
            r#"["my-proxy:main"]"#,
            r#"["my-proxy:main", "my-proxy:cron"]"#,
        );
        assert_eq!(d.text(), want);
        let mut expected = json5_value(CONFIG);
        set_in(
            &mut expected,
            &path,
            json!(["my-proxy:main", "my-proxy:cron"]),
        );
        check(CONFIG, &d, &expected);
        for again in ["my-proxy:cron", "my-proxy:main"] {
            d.append_unique(&path, &json!(again)).unwrap();
            assert_eq!(d.text(), want);
        }
    }

    #[test]
    fn append_to_multi_line_empty_and_missing_arrays() {
        let cases: &[(&str, &[&str], Value, &str)] = &[
            (
                "{\n  list: [\n    1,\n    2\n  ]\n}",
                &["list"],
                json!(3),
                "{\n  list: [\n    1,\n    2,\n    3\n  ]\n}",
            ),
            (
                "{\n  list: [\n    1,\n  ],\n}",
                &["list"],
                json!(2),
                "{\n  list: [\n    1,\n    2,\n  ],\n}",
            ),
            ("{ list: [] }", &["list"], json!("a"), "{ list: [\"a\"] }"),
            (
                "{ list: ['a',] }",
                &["list"],
                json!("b"),
                "{ list: ['a', \"b\",] }",
            ),
            (
                "{\n  list: [],\n}",
                &["list"],
                json!({"x": 1}),
                "{\n  list: [\n    {\n      x: 1\n    }\n  ],\n}",
            ),
            (
                "{\n  a: 1,\n}",
                &["o", "l"],
                json!(true),
                "{\n  a: 1,\n  o: {\n    l: [\n      true\n    ]\n  },\n}",
            ),
        ];
        for (before, path, value, want) in cases {
            let mut d = doc(before);
            d.append_unique(path, value).unwrap();
            assert_eq!(d.text(), *want, "appending to {before:?}");
        }
    }

    #[test]
    fn remove_members_first_middle_last() {
        let multi = "{\n  a: 1,\n  b: 2,\n  c: 3,\n}";
        let bare = "{\n  a: 1,\n  b: 2,\n  c: 3\n}";
        let inline = "{ a: 1, b: 2, c: 3 }";
        let cases: &[(&str, &str, &str)] = &[
            (multi, "a", "{\n  b: 2,\n  c: 3,\n}"),
            (multi, "b", "{\n  a: 1,\n  c: 3,\n}"),
            (multi, "c", "{\n  a: 1,\n  b: 2,\n}"),
            (bare, "a", "{\n  b: 2,\n  c: 3\n}"),
            (bare, "b", "{\n  a: 1,\n  c: 3\n}"),
            (bare, "c", "{\n  a: 1,\n  b: 2\n}"),
            (inline, "a", "{ b: 2, c: 3 }"),
            (inline, "b", "{ a: 1, c: 3 }"),
            (inline, "c", "{ a: 1, b: 2 }"),
            ("{ a: 1, b: 2, }", "b", "{ a: 1, }"),
            ("{ a: 1 }", "a", "{}"),
            ("{\n  a: 1,\n}", "a", "{}"),
            ("{\n  // keep\n  a: 1\n}", "a", "{\n  // keep\n}"),
            ("{ /* keep */ a: 1 }", "a", "{ /* keep */ }"),
            (
                "{\n  a: 1, // one\n  b: 2 // two\n}",
                "b",
                "{\n  a: 1 // one\n}",
            ),
            (
                "{\n  a: {\n    x: 1,\n  },\n  // keep\n  b: 2,\n}",
                "a",
                "{\n  // keep\n  b: 2,\n}",
            ),
            ("{\r\n  a: 1,\r\n  b: 2\r\n}", "b", "{\r\n  a: 1\r\n}"),
        ];
        for (before, key, want) in cases {
            let mut d = doc(before);
            assert!(d.remove(&[key]).unwrap());
            assert_eq!(d.text(), *want, "removing {key} from {before:?}");
            let mut expected = json5_value(before);
            expected.as_object_mut().unwrap().shift_remove(*key);
            assert_eq!(d.value().unwrap(), expected);
        }
    }

    #[test]
    fn remove_absent_member_is_false_and_unchanged() {
        let mut d = doc(CONFIG);
        assert!(!d.remove(&["auth", "profiles", "nope"]).unwrap());
        assert!(!d.remove(&["missing", "deeper"]).unwrap());
        assert_eq!(d.text(), CONFIG);
    }

    #[test]
    fn remove_profile_from_realistic_config() {
        let mut d = doc(CONFIG);
        assert!(d.remove(&["auth", "profiles", "my-proxy:main"]).unwrap());
        let gone = "      'my-proxy:main': {\n        provider: 'my-proxy',\n        mode: \"token\", // rotate monthly\n      },\n";
        assert_eq!(d.text(), CONFIG.replace(gone, ""));
    }

    #[test]
    fn insert_into_empty_objects() {
        let cases: &[(&str, &[&str], Value, &str)] = &[
            ("{}", &["a"], json!(1), "{\n  a: 1\n}"),
            (
                "{\n  x: {},\n}",
                &["x", "k"],
                json!("v"),
                "{\n  x: {\n    k: \"v\"\n  },\n}",
            ),
            (
                "{\n  x: {   },\n}",
                &["x", "k"],
                json!(1),
                "{\n  x: {\n    k: 1\n  },\n}",
            ),
            (
                "{\n    x: {\n    },\n}",
                &["x", "k"],
                json!(1),
                "{\n    x: {\n        k: 1\n    },\n}",
            ),
            (
                "{\n  x: {\n    // keep\n  },\n}",
                &["x", "k"],
                json!(1),
                "{\n  x: {\n    // keep\n    k: 1\n  },\n}",
            ),
            (
                "{\n  x: { /* keep */ },\n}",
                &["x", "k"],
                json!(1),
                "{\n  x: { /* keep */ \n    k: 1\n  },\n}",
            ),
        ];
        for (before, path, value, want) in cases {
            let mut d = doc(before);
            d.set(path, value).unwrap();
            assert_eq!(d.text(), *want, "inserting into {before:?}");
            assert_eq!(comments(before), comments(d.text()));
        }
    }

    #[test]
    fn crlf_file_keeps_crlf() {
        let before = CONFIG.replace('\n', "\r\n");
        let mut d = doc(&before);
        d.set(&["auth", "profiles", "my-proxy:cron"], &cron_profile())
            .unwrap();
        d.remove(&["gateway", "bind"]).unwrap();
        let anchor = "        mode: \"token\", // rotate monthly\n      },";
        let want_lf = CONFIG
            .replace(anchor, &format!("{anchor}{NEW_PROFILE}"))
            .replace("    bind: 'loopback',\n", "");
        assert_eq!(d.text(), want_lf.replace('\n', "\r\n"));
        assert!(!d.text().replace("\r\n", "").contains(['\n', '\r']));
    }

    #[test]
    fn include_at_root_refuses_edits_below_it() {
        let before = "{\n  $include: './base.json5',\n  gateway: { port: 1 },\n}";
        let mut d = doc(before);
        let refused = |r: Result<(), EditError>| {
            assert!(matches!(r, Err(EditError::Unsupported { .. })), "{r:?}")
        };
        refused(d.set(&["auth", "mode"], &json!("x")));
        refused(d.set(&["gateway", "port"], &json!(2)));
        refused(d.append_unique(&["auth", "order", "p"], &json!("x")));
        refused(d.remove(&["gateway"]).map(|_| ()));
        assert_eq!(d.text(), before);
    }

    #[test]
    fn include_elsewhere_only_blocks_its_own_subtree() {
        let before = "{\n  agents: { \"$include\": './agents.json5' },\n  auth: {},\n}";
        let mut d = doc(before);
        d.set(&["auth", "profiles", "p:a"], &json!({"provider": "p"}))
            .unwrap();
        let err = d.set(&["agents", "x"], &json!(1)).unwrap_err();
        assert!(err.to_string().contains("$include"), "{err}");
        assert!(matches!(
            d.set(&["agents"], &json!({})),
            Err(EditError::Unsupported { .. })
        ));
    }

    #[test]
    fn strings_with_comment_and_brace_characters_are_not_structure() {
        let before = "{\n  url: \"http://x//y/*z*/{[\", // real\n  s: 'it\\'s // { \"',\n  t: \"a\\\"}\",\n}";
        let mut d = doc(before);
        d.set(&["k"], &json!("//{")).unwrap();
        let want = before.replace("\n}", "\n  k: \"//{\",\n}");
        assert_eq!(d.text(), want);
        assert_eq!(comments(before), vec!["// real".to_string()]);
        let mut expected = json5_value(before);
        expected["k"] = json!("//{");
        check(before, &d, &expected);
    }

    #[test]
    fn json5_numbers_and_literals_are_indexed() {
        let before = "{ a: 0x1F, b: +1, c: -.5, d: Infinity, e: NaN, f: 1e+3, g: -Infinity, h: null, i: [true, false], }";
        let mut d = doc(before);
        d.set(&["j"], &json!(1)).unwrap();
        assert_eq!(d.text(), before.replace("false], }", "false], j: 1, }"));
        d.set(&["c"], &json!(2.5)).unwrap();
        assert!(d.text().contains("c: 2.5,"));
    }

    #[test]
    fn key_quoting_follows_style() {
        let cases: &[(&str, &[&str], &str)] = &[
            (
                "{\n  \"a\": 1\n}",
                &["b", "c"],
                "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": 1\n  }\n}",
            ),
            (
                "{\n  a: 1\n}",
                &["b", "c-d"],
                "{\n  a: 1,\n  b: {\n    \"c-d\": 1\n  }\n}",
            ),
            (
                "{\n  a: 1,\n  x: { 'p:q': 0 }\n}",
                &["x", "r"],
                "{\n  a: 1,\n  x: { 'p:q': 0, \"r\": 1 }\n}",
            ),
            (
                "{\n  a: 1,\n  x: { p: 0 }\n}",
                &["x", "$r"],
                "{\n  a: 1,\n  x: { p: 0, $r: 1 }\n}",
            ),
            ("{\"a\":1}", &["b"], "{\"a\":1, \"b\": 1}"),
        ];
        for (before, path, want) in cases {
            let mut d = doc(before);
            d.set(path, &json!(1)).unwrap();
            assert_eq!(d.text(), *want);
        }
    }

    #[test]
    fn replace_scalar_with_object_indents_to_match() {
        let mut d = doc("{\n\ta: {\n\t\tb: 1, // note\n\t},\n}");
        d.set(&["a", "b"], &json!({"x": [1]})).unwrap();
        assert_eq!(
            d.text(),
            "{\n\ta: {\n\t\tb: {\n\t\t\tx: [\n\t\t\t\t1\n\t\t\t]\n\t\t}, // note\n\t},\n}"
        );
        d.set(&["a", "c"], &json!("y")).unwrap();
        assert!(
            d.text().ends_with("\t\t}, // note\n\t\tc: \"y\",\n\t},\n}"),
            "{}",
            d.text()
        );
    }

    #[test]
    fn errors_for_bad_paths_duplicates_and_bad_text() {
        let mut d = doc("{ a: 1, a: 2, o: { k: 1 }, list: [1] }");
        assert!(matches!(
            d.set(&["a"], &json!(3)),
            Err(EditError::Unsupported { .. })
        ));
        let mut d2 = doc("{ o: { k: 1, k: 2 }, p: 1 }");
        d2.set(&["p"], &json!(2)).unwrap();
        let mut d3 = doc("{ o: { k: 1 }, list: [1] }");
        let not_obj = d3.set(&["o", "k", "z"], &json!(1)).unwrap_err();
        assert_eq!(not_obj, EditError::NotAnObject { path: "o.k".into() });
        let not_arr = d3.append_unique(&["o", "k"], &json!(1)).unwrap_err();
        assert_eq!(not_arr, EditError::NotAnArray { path: "o.k".into() });
        assert!(matches!(
            d3.set(&[], &json!(1)),
            Err(EditError::Unsupported { .. })
        ));
        assert_eq!(d.text(), "{ a: 1, a: 2, o: { k: 1 }, list: [1] }");
        for bad in ["{ a: }", "{ a: 1", "{ a-b: 1 }", "{ /* open", "[1] x"] {
            assert!(
                matches!(Json5Doc::parse(bad), Err(EditError::Parse(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            doc("[1]").set(&["a"], &json!(1)),
            Err(EditError::NotAnObject { .. })
        ));
    }

    #[test]
    fn safety_net_refuses_wrong_results_and_keeps_text() {
        let mut d = doc("{ a: 1 }");
        let bad_text = d.commit(
            &["a"],
            &[Splice::insert(0, "x".into())],
            Some(json!({"a": 1})),
        );
        assert!(matches!(bad_text, Err(EditError::Unsupported { .. })));
        let wrong_value = d.commit(
            &["a"],
            &[Splice::insert(5, "2".into())],
            Some(json!({"a": 1})),
        );
        assert!(matches!(wrong_value, Err(EditError::Unsupported { .. })));
        assert_eq!(d.text(), "{ a: 1 }");
    }

    #[test]
    fn display_is_one_line() {
        let errors = [
            EditError::Parse("bad".into()),
            EditError::NotAnObject { path: "a.b".into() },
            EditError::NotAnArray { path: "a".into() },
            EditError::Unsupported {
                path: "auth".into(),
                why: "because".into(),
            },
        ];
        for e in errors {
            assert!(!e.to_string().contains('\n') && !e.to_string().is_empty());
        }
        let e = EditError::Unsupported {
            path: "auth".into(),
            why: "because".into(),
        };
        assert_eq!(e.to_string(), "cannot safely edit `auth`: because");
    }

    // -- table-driven random edits ------------------------------------------

    struct Variant {
        unit: &'static str,
        nl: &'static str,
        keys: usize,
        trailing: bool,
        comments: bool,
        auth: usize,
    }

    fn variant(i: u64) -> Variant {
        let mut state = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xDEAD_BEEF;
        let mut pick = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % n) as usize
        };
        Variant {
            unit: ["  ", "    ", "\t"][pick(3)],
            nl: ["\n", "\r\n"][pick(2)],
            keys: pick(3),
            trailing: pick(2) == 1,
            comments: pick(2) == 1,
            auth: (i % 4) as usize,
        }
    }

    fn key_of(v: &Variant, name: &str) -> String {
        match v.keys {
            0 if is_plain_identifier(name) => name.to_string(),
            2 => format!("'{name}'"),
            _ => format!("\"{name}\""),
        }
    }

    fn auth_lines(v: &Variant) -> Vec<String> {
        let (u, t, k) = (v.unit, if v.trailing { "," } else { "" }, |n: &str| {
            key_of(v, n)
        });
        let note = if v.comments { " // first" } else { "" };
        let profile = format!("{}: \"p\", {}: \"token\"", k("provider"), k("mode"));
        let after_profiles = if v.auth == 3 { "," } else { t };
        let mut lines = match v.auth {
            0 => return vec![],
            1 => return vec![format!("{u}{}: {{}},", k("auth"))],
            _ => vec![
                format!("{u}{}: {{", k("auth")),
                format!("{u}{u}{}: {{", k("profiles")),
            ],
        };
        lines.push(format!("{u}{u}{u}{}: {{ {profile} }}{t}{note}", k("p:a")));
        lines.push(format!("{u}{u}}}{after_profiles}"));
        if v.auth == 3 {
            lines.push(format!(
                "{u}{u}{}: {{ {}: [\"p:a\"]{t} }}{t}",
                k("order"),
                k("p")
            ));
        }
        lines.push(format!("{u}}},"));
        lines
    }

    fn build(v: &Variant) -> String {
        let (u, t, k) = (v.unit, if v.trailing { "," } else { "" }, |n: &str| {
            key_of(v, n)
        });
        let note = |text: &str| {
            if v.comments {
                text.to_string()
            } else {
                String::new()
            }
        };
        let mut lines = vec![
            note("// generated config"),
            "{".to_string(),
            note(&format!("{u}/* the server */")),
        ];
        lines.push(format!("{u}{}: {{", k("gateway")));
        lines.push(format!("{u}{u}{}: 18789,{}", k("port"), note(" // port")));
        lines.push(format!("{u}{u}{}: 'loopback'{t}", k("bind")));
        lines.push(format!("{u}}},"));
        lines.push(format!("{u}{}: \"http://x//y/*z*/{{[\",", k("url")));
        lines.extend(auth_lines(v));
        lines.push(format!("{u}{}: true{t}", k("last")));
        lines.push(note(&format!("{u}// end of config")));
        lines.push("}".to_string());
        lines.retain(|l| !l.is_empty());
        lines.join(v.nl) + v.nl
    }

    enum Op {
        Set(Vec<&'static str>, Value),
        Append(Vec<&'static str>, Value),
        Remove(Vec<&'static str>),
    }

    fn ops() -> Vec<Op> {
        vec![
            Op::Set(
                vec!["auth", "profiles", "p:new"],
                json!({"provider": "p", "mode": "api_key"}),
            ),
            Op::Set(vec!["gateway", "port"], json!(1234)),
            Op::Append(vec!["auth", "order", "p"], json!("p:new")),
            Op::Append(vec!["auth", "order", "p"], json!("p:new")),
            Op::Remove(vec!["gateway", "bind"]),
            Op::Set(vec!["meta", "deep", "list"], json!(["a", {"x": 1}])),
            Op::Remove(vec!["auth", "profiles", "p:new"]),
            Op::Remove(vec!["auth", "profiles", "p:zzz"]),
            Op::Append(vec!["meta", "deep", "list"], json!({"y": [1, 2]})),
            Op::Remove(vec!["last"]),
            Op::Set(vec!["url"], json!("https://example.com/{x}//")),
            Op::Set(vec!["auth", "profiles", "p:a", "mode"], json!("oauth")),
        ]
    }

    /// Applies `op` to the model value independently of the editor.
    fn apply_model(model: &mut Value, op: &Op) {
        match op {
            Op::Set(path, value) => set_in(model, path, value.clone()),
            Op::Append(path, value) => match value_at(model, path) {
                None => set_in(model, path, json!([value])),
                Some(Value::Array(items)) if items.contains(value) => {}
                Some(_) => model
                    .pointer_mut(&format!("/{}", path.join("/")))
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .push(value.clone()),
            },
            Op::Remove(path) => {
                let (last, parents) = path.split_last().unwrap();
                let parent = parents.iter().try_fold(&mut *model, |v, k| v.get_mut(*k));
                if let Some(map) = parent.and_then(Value::as_object_mut) {
                    map.shift_remove(*last);
                }
            }
        }
    }

    fn run(d: &mut Json5Doc, op: &Op) -> Result<(), EditError> {
        match op {
            Op::Set(path, value) => d.set(path, value),
            Op::Append(path, value) => d.append_unique(path, value),
            Op::Remove(path) => d.remove(path).map(|_| ()),
        }
    }

    fn op_path(op: &Op) -> &[&'static str] {
        match op {
            Op::Set(path, _) | Op::Append(path, _) | Op::Remove(path) => path,
        }
    }

    fn owner_span(d: &Json5Doc, path: &[&str]) -> Range<usize> {
        match d.locate(path).unwrap() {
            Target::Found { owner, .. } | Target::Missing { owner, .. } => owner.span.clone(),
        }
    }

    fn check_invariants(
        v: &Variant,
        before: &str,
        owner: Range<usize>,
        d: &Json5Doc,
        model: &Value,
    ) {
        let after = d.text();
        assert_eq!(&json5_value(after), model, "\n{after}");
        assert_eq!(comments(before), comments(after), "\n{after}");
        assert_eq!(
            &after[..owner.start],
            &before[..owner.start],
            "prefix changed"
        );
        assert!(
            after.ends_with(&before[owner.end..]),
            "suffix changed\n{after}"
        );
        assert_eq!(
            after.replace("\r\n", "").contains(['\n', '\r']),
            v.nl == "\n" && after.contains('\n')
        );
        let wrong_indent = if v.unit == "\t" { ' ' } else { '\t' };
        for line in after.lines() {
            let indent = &line[..line.len() - line.trim_start().len()];
            assert!(
                !indent.contains(wrong_indent),
                "mixed indentation: {line:?}\n{after}"
            );
        }
        if v.keys != 0 {
            assert!(d.all_keys_quoted(), "unquoted key added\n{after}");
        }
    }

    #[test]
    fn random_variants_cover_every_dimension() {
        let all: Vec<Variant> = (0..30).map(variant).collect();
        for unit in ["  ", "    ", "\t"] {
            assert!(all.iter().any(|v| v.unit == unit));
        }
        for keys in 0..3 {
            assert!(all.iter().any(|v| v.keys == keys));
        }
        assert!(all.iter().any(|v| v.nl == "\r\n") && all.iter().any(|v| v.nl == "\n"));
        assert!(all.iter().any(|v| v.trailing) && all.iter().any(|v| !v.trailing));
        assert!(all.iter().any(|v| v.comments) && all.iter().any(|v| !v.comments));
    }

    #[test]
    fn random_edits_keep_invariants() {
        for i in 0..30 {
            let v = variant(i);
            let text = build(&v);
            let mut d = doc(&text);
            let mut model = json5_value(&text);
            for op in ops() {
                let before = d.text().to_string();
                let owner = owner_span(&d, op_path(&op));
                let old_model = model.clone();
                apply_model(&mut model, &op);
                run(&mut d, &op).unwrap_or_else(|e| panic!("config {i}: {e}\n{before}"));
                check_invariants(&v, &before, owner, &d, &model);
                if model == old_model {
                    assert_eq!(d.text(), before, "no-op changed the text");
                }
            }
        }
    }
}
