//! What one agent's runtime sees: its own store merged over the shared one
//! (auth-store.md §8; 2026.4 merge + copy-on-first-load, 2026.9 read-through).

use crate::domain::read::discovery::Discovery;
use crate::domain::read::profile::Profile;
use crate::domain::read::store::{DroppedEntry, Store, named_providers};
use crate::domain::read::version::Generation;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub(crate) struct ViewEntry<'a> {
    pub(crate) profile: &'a Profile,
    /// The profile's provider, normalised for auth matching (computed once).
    pub(crate) pkey: String,
    /// From the agent's own store (false: inherited from the shared/main store).
    pub(crate) local: bool,
    pub(crate) file: &'a Path,
}

/// 2026.9: a legacy JSON file beside an empty SQLite store blocks auth.
#[derive(Debug, Clone)]
pub(crate) struct MigrationBlock {
    pub(crate) owner: PathBuf,
    pub(crate) sources: Vec<PathBuf>,
    /// `None`: every provider is blocked (the file could not be read).
    pub(crate) providers: Option<Vec<String>>,
}

impl MigrationBlock {
    pub(crate) fn blocks(&self, provider_key: &str) -> bool {
        self.providers
            .as_ref()
            .is_none_or(|ps| ps.iter().any(|p| p.to_lowercase() == provider_key))
    }

    pub(crate) fn message(&self) -> String {
        let affected = match &self.providers {
            Some(ps) => ps.join(", "),
            None => "all (legacy provider scope unavailable)".into(),
        };
        format!(
            "Auth profile store {} requires legacy credential migration; affected providers: {affected}; run openclaw doctor --fix.",
            self.owner.display()
        )
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct AgentView<'a> {
    pub(crate) entries: IndexMap<String, ViewEntry<'a>>,
    pub(crate) order: IndexMap<String, Vec<String>>,
    pub(crate) usage: Map<String, Value>,
    /// The agent's own live store file (what OpenClaw names as "Auth store").
    pub(crate) store_path: PathBuf,
    /// `store_path` for display, and OpenClaw's " Auth store: … (agentDir: …)." tail.
    pub(crate) store_display: String,
    pub(crate) missing_tail: String,
    /// 2026.4: the agent has no store of its own, so OpenClaw will copy main's into it.
    pub(crate) copy_on_first_load: bool,
    pub(crate) migration_block: Option<MigrationBlock>,
    /// Entries OpenClaw's loader drops from the stores this agent reads.
    pub(crate) dropped: Vec<(&'a DroppedEntry, &'a Path)>,
}

struct Layer<'a> {
    entries: Vec<(&'a Profile, &'a Path)>,
    dropped: Vec<(&'a DroppedEntry, &'a Path)>,
    order: IndexMap<String, Vec<String>>,
    usage: Map<String, Value>,
}

impl<'a> Layer<'a> {
    fn from_store(store: &'a Store) -> Layer<'a> {
        Layer {
            entries: store
                .profiles
                .values()
                .map(|p| (p, store.path.as_path()))
                .collect(),
            dropped: store
                .dropped
                .iter()
                .map(|d| (d, store.path.as_path()))
                .collect(),
            order: store.order.clone(),
            usage: store.usage.clone(),
        }
    }

    fn empty() -> Layer<'a> {
        Layer {
            entries: Vec::new(),
            dropped: Vec::new(),
            order: IndexMap::new(),
            usage: Map::new(),
        }
    }
}

pub(crate) fn agent_view<'a>(d: &'a Discovery, agent_dir: &Path) -> AgentView<'a> {
    let mut view = match d.generation {
        Generation::Json => json_view(d, agent_dir),
        Generation::Sqlite => sqlite_view(d, agent_dir),
    };
    view.store_display = view.store_path.display().to_string();
    view.missing_tail = format!(
        " Auth store: {} (agentDir: {}).",
        view.store_display,
        agent_dir.display()
    );
    view
}

/// `loadAuthProfileStoreForAgent` for one dir (2026.4).
fn json_layer<'a>(d: &'a Discovery, dir: &Path, is_main: bool) -> (Layer<'a>, bool) {
    let Some(stores) = d.dir_stores(dir) else {
        return (Layer::empty(), false);
    };
    if stores.primary.is_loaded() {
        return (Layer::from_store(&stores.primary), false);
    }
    let primary_dropped: Vec<_> = stores
        .primary
        .dropped
        .iter()
        .map(|d| (d, stores.primary.path.as_path()))
        .collect();
    let main_has_profiles = d
        .dir_stores(d.main_dir())
        .is_some_and(|m| m.primary.is_loaded() && !m.primary.profiles.is_empty());
    if !is_main && main_has_profiles {
        return (
            Layer {
                dropped: primary_dropped,
                ..Layer::empty()
            },
            true,
        );
    }
    let mut layer = Layer {
        dropped: primary_dropped,
        ..Layer::empty()
    };
    if let Some(legacy) = stores.legacy.iter().find(|s| s.is_loaded()) {
        layer
            .entries
            .extend(legacy.profiles.values().map(|p| (p, legacy.path.as_path())));
    }
    if d.oauth_file.is_loaded() {
        for p in d.oauth_file.profiles.values() {
            if !layer.entries.iter().any(|(e, _)| e.id == p.id) {
                layer.entries.push((p, d.oauth_file.path.as_path()));
            }
        }
    }
    (layer, false)
}

fn json_view<'a>(d: &'a Discovery, agent_dir: &Path) -> AgentView<'a> {
    let main_dir = d.main_dir();
    let (base, _) = json_layer(d, main_dir, true);
    let store_path = agent_dir.join(crate::domain::read::discovery::AUTH_PROFILES);
    if agent_dir == main_dir {
        return merge(None, base, store_path, false, d.generation);
    }
    let (local, copied) = json_layer(d, agent_dir, false);
    merge(Some(base), local, store_path, copied, d.generation)
}

fn sqlite_view<'a>(d: &'a Discovery, agent_dir: &Path) -> AgentView<'a> {
    let own = d.dir_stores(agent_dir).map(|s| &s.primary);
    let shared = d.shared.as_ref();
    let is_owner = agent_dir == d.shared_owner_dir.as_path() || agent_dir == d.main_dir();
    let store_path = own
        .map(|s| s.path.clone())
        .unwrap_or_else(|| agent_dir.join(crate::domain::read::discovery::AGENT_DB));
    let shared_layer = shared
        .filter(|s| s.is_loaded())
        .map(Layer::from_store)
        .unwrap_or_else(Layer::empty);
    let same_as_shared = shared.zip(own).is_some_and(|(s, o)| s.path == o.path);
    let own_layer = own
        .filter(|s| s.is_loaded() && !same_as_shared)
        .map(Layer::from_store)
        .unwrap_or_else(Layer::empty);
    let mut view = if is_owner {
        let mut v = merge(None, shared_layer, store_path, false, d.generation);
        overlay(&mut v, own_layer, true, d.generation);
        v
    } else {
        merge(
            Some(shared_layer),
            own_layer,
            store_path,
            false,
            d.generation,
        )
    };
    view.migration_block = migration_block(d, agent_dir);
    view
}

fn merge<'a>(
    base: Option<Layer<'a>>,
    local: Layer<'a>,
    store_path: PathBuf,
    copy_on_first_load: bool,
    generation: Generation,
) -> AgentView<'a> {
    let mut view = AgentView {
        store_path,
        copy_on_first_load,
        ..Default::default()
    };
    if let Some(base) = base {
        overlay(&mut view, base, false, generation);
    }
    overlay(&mut view, local, true, generation);
    view
}

fn overlay<'a>(view: &mut AgentView<'a>, layer: Layer<'a>, local: bool, generation: Generation) {
    for (p, file) in layer.entries {
        let pkey = crate::domain::read::profile::profile_provider_key(p, generation);
        let entry = ViewEntry {
            profile: p,
            pkey,
            local,
            file,
        };
        view.entries.insert(p.id.clone(), entry);
    }
    view.dropped.extend(layer.dropped);
    view.order.extend(layer.order);
    view.usage.extend(layer.usage);
}

/// `assertAuthProfileMigrationReady` for the agent's own owner (2026.9).
fn migration_block(d: &Discovery, agent_dir: &Path) -> Option<MigrationBlock> {
    let stores = d.dir_stores(agent_dir)?;
    if stores.primary.is_loaded() && !stores.primary.profiles.is_empty() {
        return None;
    }
    let mut sources: Vec<&Store> = stores.legacy.iter().filter(|s| s.exists).collect();
    if agent_dir == d.main_dir() && d.oauth_file.exists {
        sources.push(&d.oauth_file);
    }
    if sources.is_empty() {
        return None;
    }
    let readable = sources
        .iter()
        .all(|s| s.error.is_none() && (s.is_store || s.flat));
    let providers = readable.then(|| {
        let mut ps: Vec<String> = sources
            .iter()
            .flat_map(|s| named_providers(s))
            .map(|p| p.to_lowercase())
            .collect();
        ps.sort();
        ps.dedup();
        ps
    });
    Some(MigrationBlock {
        owner: stores.primary.path.clone(),
        sources: sources.iter().map(|s| s.path.clone()).collect(),
        providers,
    })
}
