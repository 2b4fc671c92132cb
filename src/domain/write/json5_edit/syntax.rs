//! The span index and the JSON5 tokenizer/parser that builds it.

use super::error::{EditError, MAX_DEPTH};
use serde_json::{Map, Value};
use std::ops::Range;

// ---------------------------------------------------------------------------
// Span index
// ---------------------------------------------------------------------------

/// A value and its byte span (containers span from the opening to the closing bracket).
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) span: Range<usize>,
    pub(super) kind: Kind,
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Scalar,
    Object(Vec<Entry>),
    Array(Vec<Entry>),
}

/// An object member (with a key) or an array element (without one).
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) key: Option<Key>,
    pub(super) value: Node,
    /// Byte offset of the comma that follows the value, if any.
    pub(super) comma: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct Key {
    pub(super) name: String,
    pub(super) span: Range<usize>,
    pub(super) quoted: bool,
}

impl Node {
    pub(super) fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Object(entries) | Kind::Array(entries) => entries,
            Kind::Scalar => &[],
        }
    }

    pub(super) fn open(&self) -> usize {
        self.span.start
    }

    pub(super) fn close(&self) -> usize {
        self.span.end - 1
    }
}

impl Entry {
    pub(super) fn name(&self) -> Option<&str> {
        self.key.as_ref().map(|k| k.name.as_str())
    }

    pub(super) fn start(&self) -> usize {
        self.key
            .as_ref()
            .map_or(self.value.span.start, |k| k.span.start)
    }

    /// Just past the comma if there is one, else just past the value.
    pub(super) fn end(&self) -> usize {
        self.comma.map_or(self.value.span.end, |c| c + 1)
    }
}

// ---------------------------------------------------------------------------
// Tokenizer / parser
// ---------------------------------------------------------------------------

pub(super) struct Parser<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
}

pub(super) fn is_line_terminator(c: char) -> bool {
    json5::char::is_json5_line_terminator(c)
}

/// Characters that may appear in a bare word: numbers, literals, identifier keys.
pub(super) fn is_word_char(c: char) -> bool {
    !json5::char::is_json5_whitespace(c)
        && !matches!(c, ',' | ':' | '[' | ']' | '{' | '}' | '"' | '\'' | '/')
}

impl<'a> Parser<'a> {
    pub(super) fn document(text: &'a str) -> Result<Node, EditError> {
        let mut parser = Parser { text, pos: 0 };
        let root = parser.value(0)?;
        parser.skip_trivia()?;
        if parser.pos != text.len() {
            return Err(parser.error("unexpected trailing characters"));
        }
        Ok(root)
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(super) fn error(&self, what: &str) -> EditError {
        EditError::Parse(format!("{what} at byte {}", self.pos))
    }

    pub(super) fn expect(&mut self, want: char) -> Result<(), EditError> {
        if self.peek() != Some(want) {
            return Err(self.error(&format!("expected `{want}`")));
        }
        self.bump();
        Ok(())
    }

    pub(super) fn skip_trivia(&mut self) -> Result<(), EditError> {
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

    pub(super) fn skip_comment(&mut self) -> Result<(), EditError> {
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

    pub(super) fn value(&mut self, depth: usize) -> Result<Node, EditError> {
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
    pub(super) fn container(
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

    pub(super) fn entry(&mut self, keyed: bool, depth: usize) -> Result<Entry, EditError> {
        let key = if keyed { Some(self.key()?) } else { None };
        let value = self.value(depth + 1)?;
        self.skip_trivia()?;
        let comma = (self.peek() == Some(',')).then_some(self.pos);
        if comma.is_some() {
            self.bump();
        }
        Ok(Entry { key, value, comma })
    }

    pub(super) fn key(&mut self) -> Result<Key, EditError> {
        let quoted = matches!(self.peek(), Some('"' | '\''));
        let span = if quoted { self.string()? } else { self.word()? };
        let name = decode_key(&self.text[span.clone()])?;
        self.skip_trivia()?;
        self.expect(':')?;
        Ok(Key { name, span, quoted })
    }

    /// A single- or double-quoted string, escapes included.
    pub(super) fn string(&mut self) -> Result<Range<usize>, EditError> {
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
    pub(super) fn word(&mut self) -> Result<Range<usize>, EditError> {
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
pub(super) fn decode_key(raw: &str) -> Result<String, EditError> {
    let bad = |why: String| EditError::Parse(format!("invalid key {raw}: {why}"));
    let map: Map<String, Value> =
        json5::from_str(&format!("{{{raw}:0}}")).map_err(|e| bad(e.to_string()))?;
    map.into_iter()
        .next()
        .map(|(k, _)| k)
        .ok_or_else(|| bad("empty".to_string()))
}

/// The value described by the span index (scalars decoded by the json5 crate).
pub(super) fn node_value(text: &str, node: &Node) -> Result<Value, EditError> {
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
