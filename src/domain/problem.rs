//! A problem found by validation: stable code, where, what, and the fix.

use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// OpenClaw will fail or silently ignore something.
    Error,
    /// Works today but is fragile, non-canonical or unsafe.
    Warning,
    /// Worth knowing; nothing to fix.
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: &'static str,
    pub severity: Severity,
    pub agent: Option<String>,
    pub file: String,
    pub profile: Option<String>,
    pub message: String,
    pub fix: Option<String>,
}

impl Problem {
    pub(crate) fn new(
        code: &'static str,
        severity: Severity,
        file: &Path,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            code,
            severity,
            agent: None,
            file: file.display().to_string(),
            profile: None,
            message: message.into(),
            fix: None,
        }
    }

    pub(crate) fn error(code: &'static str, file: &Path, message: impl Into<String>) -> Problem {
        Problem::new(code, Severity::Error, file, message)
    }

    pub(crate) fn warning(code: &'static str, file: &Path, message: impl Into<String>) -> Problem {
        Problem::new(code, Severity::Warning, file, message)
    }

    pub(crate) fn info(code: &'static str, file: &Path, message: impl Into<String>) -> Problem {
        Problem::new(code, Severity::Info, file, message)
    }

    pub fn profile(mut self, id: &str) -> Problem {
        self.profile = Some(id.to_string());
        self
    }

    pub fn agent(mut self, id: Option<&str>) -> Problem {
        self.agent = id.map(str::to_string);
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Problem {
        self.fix = Some(fix.into());
        self
    }
}
