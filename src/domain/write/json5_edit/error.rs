//! Why an edit of `openclaw.json` was refused, and how paths are named in messages.

/// Deepest nesting the span indexer accepts.
pub(super) const MAX_DEPTH: usize = 256;
/// How the root is named in error messages.
const ROOT: &str = "(root)";
/// The key that pulls an object's contents from another file.
pub(super) const INCLUDE_KEY: &str = "$include";

/// Why an edit was refused. The document text is unchanged whenever one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("invalid JSON5: {0}")]
    Parse(String),
    #[error("`{path}` is not an object")]
    NotAnObject { path: String },
    #[error("`{path}` is not an array")]
    NotAnArray { path: String },
    #[error("cannot safely edit `{path}`: {why}")]
    Unsupported { path: String, why: String },
}

pub(super) fn path_text(path: &[&str]) -> String {
    if path.is_empty() {
        ROOT.to_string()
    } else {
        path.join(".")
    }
}

pub(super) fn unsupported(path: &[&str], why: impl Into<String>) -> EditError {
    EditError::Unsupported {
        path: path_text(path),
        why: why.into(),
    }
}
