//! OpenClaw versions and the two store generations.

use serde::Serialize;

/// Which credential store generation is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Generation {
    /// `auth-profiles.json` files (OpenClaw ≤ 2026.5).
    Json,
    /// SQLite stores (OpenClaw ≥ 2026.6).
    Sqlite,
}

impl Generation {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Generation::Json => "json",
            Generation::Sqlite => "sqlite",
        }
    }
}

/// A calendar version such as `2026.4.5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub(crate) year: u32,
    pub(crate) month: u32,
    pub(crate) patch: u32,
}

impl Version {
    /// Finds the first `YYYY.M.P` in text such as `OpenClaw 2026.9.6 (abc123)`.
    pub(crate) fn find_in(text: &str) -> Option<Version> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .find_map(Version::parse)
    }

    pub fn parse(raw: &str) -> Option<Version> {
        let mut parts = raw.trim().trim_matches('.').split('.');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let patch = parts.next().unwrap_or("0").parse().ok()?;
        (year >= 2000).then_some(Version { year, month, patch })
    }

    pub(crate) fn generation(self) -> Generation {
        if (self.year, self.month) >= (2026, 6) {
            Generation::Sqlite
        } else {
            Generation::Json
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.year, self.month, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cli_output_and_maps_generation() {
        let v = Version::find_in("OpenClaw 2026.9.6 (3f2a1b0)").unwrap();
        assert_eq!(v.to_string(), "2026.9.6");
        assert_eq!(v.generation(), Generation::Sqlite);
        assert_eq!(
            Version::parse("2026.5.12").unwrap().generation(),
            Generation::Json
        );
        assert_eq!(
            Version::parse("2026.6.0").unwrap().generation(),
            Generation::Sqlite
        );
        assert!(Version::parse("garbage").is_none());
    }
}
