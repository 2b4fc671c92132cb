//! Exit status and failures, typed: the exit code of a failure is decided by its
//! kind, never by its message text (documented in the README's exit code table).

/// How a command ended. `code()` is the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Ok,
    /// `validate`: problems found; `status --check`: a provider in use is missing,
    /// expired or invalid; a write whose verification found a problem.
    Problems,
    /// `status --check`: something expires within 24 h.
    Expiring,
    /// The OpenClaw state could not be read at all.
    CannotRead,
    /// A write was refused (invalid input, conflict, not confirmed): nothing was written.
    Refused,
    /// A write failed (lock timeout, disk, OpenClaw CLI error).
    WriteFailed,
    /// A panic: a bug in clawauth.
    Panicked,
    /// Bad command-line usage.
    Usage,
}

impl ExitStatus {
    pub(crate) fn code(self) -> i32 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::Problems => 1,
            ExitStatus::Expiring => 2,
            ExitStatus::CannotRead => 3,
            ExitStatus::Refused => 4,
            ExitStatus::WriteFailed => 5,
            ExitStatus::Panicked => crate::service::crash::PANICKED,
            ExitStatus::Usage => 64,
        }
    }
}

/// A command that could not do what was asked. The message describes the action;
/// each front end adds its own words (flags for the CLI, keys for the UI).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The state (or an input file) could not be read.
    #[error("{0}")]
    CannotRead(String),
    /// The request was refused; nothing was written.
    #[error("refused: {0}")]
    Refused(String),
    /// Writing failed part-way or the output could not be written.
    #[error("{0}")]
    WriteFailed(String),
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// A file of the state could not be read (it names the file).
    #[error(transparent)]
    Read(#[from] crate::domain::read::error::ReadError),
    /// A path or name the user gave does not exist (exit 3, like an unreadable state).
    #[error("{message}")]
    NotFound {
        kind: Missing,
        message: String,
        /// The path that does not exist, when the missing thing is a file or directory.
        file: Option<String>,
    },
}

/// What a [`Failure::NotFound`] could not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A `--state-dir`, `--config` or `--profile` directory.
    Path,
    Agent,
    Provider,
}

/// A failure as `--json` prints it: `{"error": {"code", "message", "file"?}}` on stdout.
/// `code` is stable (documented in the README with its exit code).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct ErrorReport {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) file: Option<String>,
}

impl Failure {
    pub(crate) fn status(&self) -> ExitStatus {
        match self {
            Failure::CannotRead(_) | Failure::Read(_) => ExitStatus::CannotRead,
            Failure::Refused(_) => ExitStatus::Refused,
            Failure::WriteFailed(_) => ExitStatus::WriteFailed,
            Failure::Usage(_) => ExitStatus::Usage,
            Failure::NotFound { .. } => ExitStatus::CannotRead,
        }
    }

    /// The stable error code `--json` prints: the same condition has the same code
    /// (and exit status) in every command.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Failure::CannotRead(_) | Failure::Read(_) => "cannot_read",
            Failure::Refused(_) => "refused",
            Failure::WriteFailed(_) => "write_failed",
            Failure::Usage(_) => "usage",
            Failure::NotFound { kind, .. } => match kind {
                Missing::Path => "path_not_found",
                Missing::Agent => "unknown_agent",
                Missing::Provider => "unknown_provider",
            },
        }
    }

    /// The failure as `--json` prints it.
    pub(crate) fn report(&self) -> ErrorReport {
        let file = match self {
            Failure::NotFound { file, .. } => file.clone(),
            _ => None,
        };
        ErrorReport {
            code: self.code(),
            message: self.to_string(),
            file,
        }
    }

    /// A path given on the command line (or by the environment) that does not exist.
    pub(crate) fn missing_path(what: &str, path: &std::path::Path, hint: &str) -> Failure {
        let shown = path.display().to_string();
        Failure::NotFound {
            kind: Missing::Path,
            message: format!("{what} {shown:?} does not exist{hint}"),
            file: Some(shown),
        }
    }

    /// A refusal: nothing was written (exit 4).
    pub(crate) fn refused(message: impl Into<String>) -> Failure {
        Failure::Refused(message.into())
    }

    /// The output stream could not be written (a closed pipe, a full disk): exit 3,
    /// as for any other input/output failure outside a write.
    pub(crate) fn output(e: impl std::fmt::Display) -> Failure {
        Failure::CannotRead(format!("cannot write output: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_the_documented_exit_code() {
        assert_eq!(Failure::CannotRead("x".into()).status().code(), 3);
        assert_eq!(Failure::refused("x").status().code(), 4);
        assert_eq!(Failure::WriteFailed("x".into()).status().code(), 5);
        assert_eq!(Failure::Usage("x".into()).status().code(), 64);
        let missing = Failure::missing_path("--state-dir", std::path::Path::new("/nope"), "");
        assert_eq!(missing.status().code(), 3);
        assert_eq!(missing.report().code, "path_not_found");
        assert_eq!(missing.report().file.as_deref(), Some("/nope"));
        assert_eq!(ExitStatus::Panicked.code(), crate::service::crash::PANICKED);
    }
}
