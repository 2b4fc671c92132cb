//! The cell of one (agent, provider) and the context every resolution step shares
//! (the types `resolve`, `attempt`, `binding`, `usage` and `secretref` build on).

use crate::domain::read::config::get;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::profile::CredType;
use crate::domain::read::providers::normalize_provider;
use crate::domain::read::version::Generation;
use crate::domain::status::findings::Finding;
use crate::domain::status::windows::UsageBlock;
use serde::Serialize;
use serde_json::Value;

pub const WARN_AFTER_MS: f64 = 86_400_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CellState {
    Ok,
    Static,
    Expiring,
    Expired,
    Missing,
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Local,
    Inherited,
    Env,
    Config,
    Synthetic,
    None,
}

impl CellState {
    /// The word shown next to a cell's glyph (never colour alone).
    pub(crate) fn word(self) -> &'static str {
        match self {
            CellState::Ok => "ok",
            CellState::Static => "static",
            CellState::Expiring => "expiring",
            CellState::Expired => "expired",
            CellState::Missing => "missing",
            CellState::Invalid => "invalid",
        }
    }
}

impl Source {
    /// One-letter mark: L own store, I inherited, E env, C config, S synthetic.
    pub(crate) fn mark(self) -> &'static str {
        match self {
            Source::Local => "L",
            Source::Inherited => "I",
            Source::Env => "E",
            Source::Config => "C",
            Source::Synthetic => "S",
            Source::None => "",
        }
    }
}

/// One agent × provider verdict: what a run of that agent would use, or why nothing.
/// Serialised as one element of `status --json`'s `cells`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    pub agent: String,
    pub provider: String,
    pub usable: bool,
    pub state: CellState,
    pub source: Source,
    pub profile: Option<String>,
    #[serde(rename = "type")]
    pub cred_type: Option<CredType>,
    pub reasons: Vec<String>,
    /// Ids of the enabled cron jobs that need this cell.
    pub cron: Vec<String>,
    /// Every cron job that needs this cell, disabled ones too (`cronJobs`).
    pub cron_jobs: Vec<CellCronJob>,
    /// The file the credential comes from (or would be looked up in).
    pub file: Option<String>,
    /// OpenClaw's `models status` reports something else for this cell.
    pub status_disagrees: bool,
    pub fix: Option<String>,
    /// What Enter (UI) or the command in `fix` (CLI) does about a cell that is not usable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_fix: Option<super::bestfix::BestFix>,
    /// The agent uses this provider: a model of the agent (or the defaults) or a
    /// cron job names it. Not part of the JSON contract.
    #[serde(skip)]
    pub(crate) in_use: bool,
    /// Profiles of this provider that `usageStats` takes out of use right now.
    pub(crate) usage_blocks: Vec<UsageBlockOut>,
    /// Every reason that makes the cell unusable or picks an unexpected profile
    /// (reported as problems, not in the cell's JSON).
    #[serde(skip)]
    pub(crate) findings: Vec<Finding>,
}

/// A cron job that needs a cell: `cells[].cronJobs` of `status --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellCronJob {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub enabled: bool,
}

/// One cooldown / disabled window, with the time left.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UsageBlockOut {
    pub(crate) profile: String,
    /// `cooldown` or `disabled`.
    pub(crate) kind: &'static str,
    pub(crate) reason: Option<String>,
    pub(crate) model: Option<String>,
    /// Epoch milliseconds, and the same as UTC text.
    pub(crate) until: f64,
    pub(crate) until_iso: String,
    pub(crate) remaining_ms: f64,
}

impl UsageBlockOut {
    pub(crate) fn new(profile: &str, b: UsageBlock, now_ms: f64) -> UsageBlockOut {
        UsageBlockOut {
            profile: profile.to_string(),
            kind: b.kind,
            until_iso: crate::domain::write::utc::iso8601(b.until as i64),
            remaining_ms: (b.until - now_ms).max(0.0),
            until: b.until,
            reason: b.reason,
            model: b.model,
        }
    }
}

impl Cell {
    /// ✓ usable, ! expiring, ~ expired but refreshable, ✗ not usable.
    pub(crate) fn glyph(&self) -> &'static str {
        match (self.usable, self.state) {
            (true, CellState::Expiring) => "!",
            (true, CellState::Expired) => "~",
            (true, _) => "✓",
            (false, _) => "✗",
        }
    }

    /// A cell with no credential yet.
    pub(crate) fn new(agent: &str, provider: &str) -> Cell {
        Cell {
            agent: agent.to_string(),
            provider: provider.to_string(),
            usable: false,
            state: CellState::Missing,
            source: Source::None,
            profile: None,
            cred_type: None,
            reasons: Vec::new(),
            cron: Vec::new(),
            cron_jobs: Vec::new(),
            file: None,
            status_disagrees: false,
            fix: None,
            best_fix: None,
            in_use: false,
            findings: Vec::new(),
            usage_blocks: Vec::new(),
        }
    }
}

pub struct Ctx<'a> {
    pub(crate) d: &'a Discovery,
    pub(crate) generation: Generation,
    pub(crate) now_ms: f64,
    /// Profile id → agents holding it in their own store ("shared store" for 2026.9's).
    holders: std::collections::HashMap<String, Vec<String>>,
}

impl<'a> Ctx<'a> {
    pub fn new(d: &'a Discovery) -> Ctx<'a> {
        Ctx {
            d,
            generation: d.generation,
            now_ms: d.now_ms,
            holders: holders(d),
        }
    }

    /// Who holds profile `id` in their own store.
    pub(crate) fn holders_of(&self, id: &str) -> Vec<String> {
        self.holders.get(id).cloned().unwrap_or_default()
    }

    pub(crate) fn config(&self) -> &'a Value {
        &self.d.config.value
    }

    /// `models.providers.<p>` of openclaw.json, matched by normalised id.
    pub(crate) fn provider_config(&self, provider: &str) -> Option<&'a Value> {
        let map = get(self.config(), &["models", "providers"])?.as_object()?;
        map.get(provider).or_else(|| {
            map.iter()
                .find(|(k, _)| {
                    normalize_provider(k, self.generation)
                        == normalize_provider(provider, self.generation)
                })
                .map(|(_, v)| v)
        })
    }
}

fn holders(d: &Discovery) -> std::collections::HashMap<String, Vec<String>> {
    let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
    // The agents of each directory, found once (`Path`'s hash agrees with its `==`).
    let mut by_dir: std::collections::HashMap<&std::path::Path, Vec<String>> = Default::default();
    for a in &d.agents {
        by_dir
            .entry(a.dir.as_path())
            .or_default()
            .push(format!("agent {}", a.id));
    }
    for (dir, stores) in &d.dirs {
        let names = by_dir.get(dir.as_path()).map_or(&[][..], Vec::as_slice);
        for id in stores.primary.profiles.keys() {
            out.entry(id.clone()).or_default().extend_from_slice(names);
        }
    }
    if let Some(shared) = &d.shared {
        for id in shared.profiles.keys() {
            out.entry(id.clone())
                .or_default()
                .push("the shared store".into());
        }
    }
    out
}

pub fn human_duration(ms: f64) -> String {
    let secs = (ms / 1000.0).max(0.0) as u64;
    match secs {
        s if s >= 86_400 => format!("{}d", s / 86_400),
        s if s >= 3600 => format!("{}h", s / 3600),
        s if s >= 60 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}
