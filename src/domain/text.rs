//! Text from state files made safe for a terminal: data only, no I/O.
//!
//! Ids, provider names, emails, paths and messages come from files anyone on the
//! machine may have written. Shown raw, an ESC starts an escape sequence (retitle
//! the window, clear the screen), and a newline forges a line of output. Front ends
//! pass every such string through [`terminal_safe`] where they render it.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for characters a terminal may act on instead of showing: C0 and C1 control
/// characters, DEL, and the bidirectional overrides and isolates that reorder text.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character shown escaped: `\e` for ESC, `\n`, `\r`, `\t`,
/// `\x07` for other C0 controls and DEL, `\u{9b}` for C1 and bidi controls.
/// Borrowed (no copy) when there is nothing to escape.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` quoted for POSIX shells (`sh`, `bash`, `zsh`): pasted into a command it is
/// one word, and nothing in it (`$(…)`, backquotes, `;`, globs) runs or expands.
/// A NUL, which no argument can hold, is dropped.
pub fn shell_quote(s: &str) -> String {
    // Ids and paths are mostly plain: returned as they are, as shlex would.
    let plain = |b: &u8| b.is_ascii_alphanumeric() || b"+-./:@_".contains(b);
    if !s.is_empty() && s.bytes().all(|b| plain(&b)) {
        return s.to_string();
    }
    let s = s.replace('\0', "");
    match shlex::try_quote(&s) {
        Ok(q) => q.into_owned(),
        Err(_) => format!("'{}'", s.replace('\'', "'\\''")),
    }
}

/// A path quoted for POSIX shells, see [`shell_quote`].
pub(crate) fn shell_path(p: &std::path::Path) -> String {
    shell_quote(&p.display().to_string())
}

/// Which id an [`IdError`] is about; each front end names it its own way (a flag,
/// a field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdField {
    Provider,
    ProfileId,
}

/// What is wrong with an id given for OpenClaw's CLI or a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum IdProblem {
    #[error("is empty")]
    Empty,
    #[error("starts with `-` and would be read as an option")]
    LooksLikeOption,
    #[error("contains a space or a control character")]
    SpaceOrControl,
}

/// An id refused by [`check_cli_id`]: which one, its value (terminal-safe) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} {value} {problem}", match field { IdField::Provider => "provider id", IdField::ProfileId => "profile id" })]
pub struct IdError {
    pub(crate) field: IdField,
    /// The id as given, made terminal-safe.
    pub(crate) value: String,
    pub(crate) problem: IdProblem,
}

/// Checks an id given for OpenClaw's CLI or a store (a provider or profile id, an
/// agent): not empty, not starting with `-` (an option to any CLI), no space or
/// control character.
pub fn check_cli_id(value: &str, field: IdField) -> Result<(), IdError> {
    let problem = if value.trim().is_empty() {
        IdProblem::Empty
    } else if value.trim_start().starts_with('-') {
        IdProblem::LooksLikeOption
    } else if value
        .chars()
        .any(|c| c.is_whitespace() || is_unsafe_char(c))
    {
        IdProblem::SpaceOrControl
    } else {
        return Ok(());
    };
    Err(IdError {
        field,
        value: safe(value),
        problem,
    })
}

/// [`terminal_safe`] as an owned `String`, for building `format!` arguments.
pub fn safe(s: &str) -> String {
    terminal_safe(s).into_owned()
}

/// `n` and the noun, singular for one: "1 warning", "6 errors", "0 providers".
pub(crate) fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

/// The indefinite article for `word` (by its first letter): "an anthropic",
/// "a my-proxy", "an openrouter".
pub(crate) fn article(word: &str) -> &'static str {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    if vowel { "an" } else { "a" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_articles_read_as_english() {
        assert_eq!(count(1, "warning"), "1 warning");
        assert_eq!(count(6, "error"), "6 errors");
        assert_eq!(count(0, "provider"), "0 providers");
        assert_eq!(article("anthropic"), "an");
        assert_eq!(article("openrouter"), "an");
        assert_eq!(article("my-proxy"), "a");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert!(matches!(terminal_safe("openai:default"), Cow::Borrowed(_)));
        assert_eq!(terminal_safe("a\u{1b}]0;pwned\u{7}b"), "a\\e]0;pwned\\x07b");
        assert_eq!(terminal_safe("x\n✓ verified: FAKE"), "x\\n✓ verified: FAKE");
        assert_eq!(terminal_safe("\u{9b}2J\r\t\u{7f}"), "\\u{9b}2J\\r\\t\\x7f");
        assert_eq!(terminal_safe("ab\u{202e}cd"), "ab\\u{202e}cd");
        assert_eq!(terminal_safe("ünïcødé ✓ 名前"), "ünïcødé ✓ 名前");
    }

    #[test]
    fn shell_quoting_makes_one_inert_word() {
        assert_eq!(shell_quote("openai"), "openai");
        assert_eq!(shell_quote("my-proxy:manual"), "my-proxy:manual");
        for hostile in [
            "$(touch x)",
            "`id`",
            "a b",
            "it's",
            "--help",
            "",
            "x;y",
            "~",
            "*",
        ] {
            let q = shell_quote(hostile);
            assert_eq!(shlex::split(&q), Some(vec![hostile.to_string()]), "{q}");
            assert!(
                hostile.is_empty() || hostile == "--help" || q != hostile,
                "{q}"
            );
        }
    }

    #[test]
    fn the_plain_fast_path_quotes_as_shlex_does() {
        for c in (1u8..0x80).map(char::from) {
            for s in [
                format!("{c}"),
                format!("a{c}b"),
                format!("/p/{c}-x:y@z_1.2+"),
            ] {
                let shlex = shlex::try_quote(&s).unwrap().into_owned();
                assert_eq!(shell_quote(&s), shlex, "{s:?}");
            }
        }
    }

    #[test]
    fn ids_are_checked_like_openclaw_cli_arguments() {
        assert!(check_cli_id("openai", IdField::Provider).is_ok());
        assert!(check_cli_id("my-proxy:manual", IdField::ProfileId).is_ok());
        for bad in ["", "  ", "--help", "-x", "a b", "a\u{1b}[2J", "x\ny"] {
            let e = check_cli_id(bad, IdField::Provider).unwrap_err();
            assert_eq!(e.field, IdField::Provider);
            let text = e.to_string();
            assert!(
                text.starts_with("provider id") && !text.contains('\u{1b}'),
                "{text}"
            );
        }
        let e = check_cli_id("-x", IdField::ProfileId).unwrap_err();
        assert_eq!(e.problem, IdProblem::LooksLikeOption);
    }

    #[test]
    fn no_output_holds_a_control_character() {
        let all: String = (0u32..0x300).filter_map(char::from_u32).collect();
        assert!(!terminal_safe(&all).chars().any(is_unsafe_char));
    }
}
