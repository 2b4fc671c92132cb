//! Why a file of the state could not be read, typed: every variant names the file.
//! The text of an I/O, JSON or SQLite error from a library is kept as its `detail`.

use std::path::{Path, PathBuf};

/// A file clawauth could not read (or read but not use).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {}: {detail}", file.display())]
    Io { file: PathBuf, detail: String },
    #[error("cannot read {}: the file does not exist", file.display())]
    Missing { file: PathBuf },
    #[error("{} is a directory, not a file", file.display())]
    IsDirectory { file: PathBuf },
    #[error("{} is not a regular file (a FIFO, socket or device); clawauth reads only regular files", file.display())]
    NotRegular { file: PathBuf },
    #[error("{} is {len} bytes, over clawauth's limit of {} for {what}", file.display(), size_text(*limit))]
    TooLarge {
        file: PathBuf,
        len: u64,
        limit: u64,
        /// The kind of file, plural ("auth stores", "config files").
        what: &'static str,
    },
    #[error("{} is a dangling symbolic link{}", file.display(), target.as_ref().map(|t| format!(" (it points to {})", t.display())).unwrap_or_default())]
    DanglingLink {
        file: PathBuf,
        target: Option<PathBuf>,
    },
    #[error("{} is a symbolic link loop (too many levels of symbolic links)", file.display())]
    LinkLoop { file: PathBuf },
    #[error("{} cannot exist: {} is not a directory", file.display(), blocker.display())]
    NotADirectory { file: PathBuf, blocker: PathBuf },
    #[error("{} is not valid UTF-8", file.display())]
    NotUtf8 { file: PathBuf },
    #[error("{} is empty (0 bytes), probably truncated by a crash", file.display())]
    Empty { file: PathBuf },
    #[error("{} starts with a UTF-8 byte-order mark, which OpenClaw's JSON.parse rejects", file.display())]
    ByteOrderMark { file: PathBuf },
    /// The text is not one clawauth parses.
    #[error("{} {problem}", file.display())]
    Text { file: PathBuf, problem: TextError },
    #[error("{} has no `jobs` array", file.display())]
    NoJobs { file: PathBuf },
    /// A SQLite database (or one of its cells) could not be read.
    #[error("{}: {problem}", file.display())]
    Sqlite { file: PathBuf, problem: SqliteError },
    #[error("cannot open {} read-only: {detail}", file.display())]
    SqliteOpen { file: PathBuf, detail: String },
    /// An OpenClaw profile name (`--profile`, like `openclaw --profile`) that is not one.
    #[error("invalid --profile {name:?}: use letters, digits, '_' or '-' only")]
    ProfileName { name: String },
    #[error("cannot make a private copy of {}: {detail}", file.display())]
    PrivateCopy { file: PathBuf, detail: String },
}

/// What is wrong with a JSON or JSON5 text; reads after the file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error(
        "is not a config clawauth can read: objects and arrays are nested more than {max} levels deep (at line {line})"
    )]
    TooDeep { max: usize, line: usize },
    #[error("is not a config clawauth can read: it holds more than {max} values (at line {line})")]
    TooManyConfigValues { max: usize, line: usize },
    #[error(
        "holds more than {max} JSON values, over clawauth's limit (an auth store holds a few hundred)"
    )]
    TooManyValues { max: usize },
    #[error("is not valid JSON5: {detail}")]
    Json5 { detail: String },
    #[error("is not valid JSON: {detail}")]
    Json { detail: String },
}

/// What went wrong inside a SQLite database; reads after the file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqliteError {
    /// A query failed (SQLite's message).
    #[error("{detail}")]
    Query { detail: String },
    /// A query on `table` failed.
    #[error("{table}: {detail}")]
    Table { table: &'static str, detail: String },
    /// A cell (`what`: "table.column (row key)", or the state key) is not usable.
    #[error("{what}{problem}")]
    Cell { what: String, problem: CellProblem },
    /// An error that already names the file.
    #[error("{0}")]
    File(Box<ReadError>),
}

/// Why a SQLite cell holding JSON cannot be used; reads after the cell's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellProblem {
    #[error(": {detail}")]
    Query { detail: String },
    #[error(" holds {kind}, not JSON text")]
    NotText { kind: String },
    #[error(" is {len} bytes, over clawauth's limit of {} for auth stores", size_text(*limit))]
    TooLarge { len: i64, limit: u64 },
    #[error(" {0}")]
    Text(TextError),
}

impl ReadError {
    /// An I/O error reading `file`.
    pub(crate) fn io(file: &Path, e: &std::io::Error) -> ReadError {
        ReadError::Io {
            file: file.to_path_buf(),
            detail: e.to_string(),
        }
    }

    /// A problem of `file`'s text.
    pub(crate) fn text(file: &Path, problem: TextError) -> ReadError {
        ReadError::Text {
            file: file.to_path_buf(),
            problem,
        }
    }
}

/// Why the version of an `openclaw` executable could not be learnt from running it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum VersionError {
    #[error("cannot run {}: {detail}", exe.display())]
    Run { exe: PathBuf, detail: String },
    /// Waiting for the process failed (the system's message).
    #[error("{detail}")]
    Wait { detail: String },
    #[error("{} --version did not answer within 10 s", exe.display())]
    NoAnswer { exe: PathBuf },
    #[error("{} --version printed no version", exe.display())]
    NoVersion { exe: PathBuf },
}

/// `16777216 bytes (16 MiB)`.
pub(crate) fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{b} bytes ({} MiB)", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{b} bytes ({} KiB)", b >> 10),
        b => format!("{b} bytes"),
    }
}
