//! A snapshot of the process environment, so that the domain never reads
//! global state and tests can build any environment they need.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Default)]
pub struct EnvSnapshot {
    vars: BTreeMap<String, String>,
}

/// Names only: environment values are often secrets.
impl std::fmt::Debug for EnvSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvSnapshot")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl EnvSnapshot {
    pub(crate) fn from_process() -> Self {
        Self {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value of `name` when it is set and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// Adds `name` only when it is not already set (dotenv semantics).
    pub(crate) fn set_default(&mut self, name: &str, value: &str) {
        self.vars
            .entry(name.to_string())
            .or_insert_with(|| value.to_string());
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.vars.iter()
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }

    /// `~` expansion against `home`, as OpenClaw's `resolveUserPath` does.
    pub(crate) fn expand_tilde(&self, raw: &str, home: &std::path::Path) -> PathBuf {
        if raw == "~" {
            return home.to_path_buf();
        }
        if let Some(rest) = raw.strip_prefix("~/") {
            return home.join(rest);
        }
        PathBuf::from(raw)
    }
}

/// Variables an OpenClaw child process gets (everything else, notably any
/// variable a secret was read from, is left out): where things are, locale,
/// proxies and certificates, and OpenClaw's own settings.
pub(crate) fn child_env<'a>(
    vars: impl Iterator<Item = (&'a String, &'a String)>,
) -> Vec<(&'a String, &'a String)> {
    const NAMES: &[&str] = &[
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "TERM",
        "NO_COLOR",
        "FORCE_COLOR",
        "NODE_EXTRA_CA_CERTS",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "all_proxy",
    ];
    const PREFIXES: &[&str] = &["LC_", "XDG_", "OPENCLAW_"];
    vars.filter(|(k, _)| NAMES.contains(&k.as_str()) || PREFIXES.iter().any(|p| k.starts_with(p)))
        .collect()
}
