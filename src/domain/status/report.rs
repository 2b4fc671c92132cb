//! The status report: agents × providers with runtime verdicts, plus problems.
//! Its JSON form is a public contract (extend, never rename).

use crate::domain::problem::Problem;
use crate::domain::read::discovery::{Discovery, VersionSource, agent_models, provider_of_model};
use crate::domain::read::providers::{normalize_provider, providers_with_env};
use crate::domain::read::store::named_providers;
use crate::domain::status::bestfix::{self, BestFix};
use crate::domain::status::cell::CellCronJob;
use crate::domain::status::fixpick;
use crate::domain::status::resolve::{Cell, Ctx, resolve_cell};
use crate::domain::status::view::{AgentView, agent_view};
use crate::domain::validate::validate;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentOut {
    pub id: String,
    pub dir: String,
    pub(crate) default: bool,
    pub store: String,
    pub configured: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderOut {
    pub id: String,
    pub(crate) declared: bool,
    /// Why the provider is listed: declared, models.json, profile, model, cron, env.
    pub(crate) origins: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub state_dir: String,
    pub config_path: Option<String>,
    pub generation: &'static str,
    pub(crate) openclaw_version: Option<String>,
    pub generation_reason: String,
    /// A running OpenClaw gateway (`null` when none was found).
    pub gateway: Option<crate::domain::read::gateway::Gateway>,
    pub agents: Vec<AgentOut>,
    pub providers: Vec<ProviderOut>,
    /// Every cron job, enabled or not, with its last recorded error (`cronJobs`).
    pub(crate) cron_jobs: Vec<super::cronjobs::CronJobOut>,
    pub cells: Vec<Cell>,
    pub problems: Vec<Problem>,
    /// The built-in providers this OpenClaw knows (for adding a credential; not in JSON).
    #[serde(skip)]
    pub(crate) builtins: crate::domain::read::catalog::Catalog,
}

/// Every provider worth a row, with why (layout.md §3 listing rule).
pub(crate) fn collect_providers(d: &Discovery) -> Vec<ProviderOut> {
    let g = d.generation;
    let mut found: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for (raw, why) in provider_mentions(d) {
        let id = normalize_provider(&raw, g);
        if id.is_empty() {
            continue;
        }
        let e = found.entry(id).or_default();
        if !e.contains(&why) {
            e.push(why);
        }
    }
    found
        .into_iter()
        .map(|(id, origins)| ProviderOut {
            declared: origins.contains(&"declared"),
            id,
            origins,
        })
        .collect()
}

/// Every place that names a provider, with where it was seen, in report order:
/// declared, models.json, a stored profile, an agent's model, a cron job, the env.
fn provider_mentions(d: &Discovery) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let keys = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let declared = d
        .config
        .value
        .get("models")
        .and_then(|m| m.get("providers"));
    out.extend(keys(declared).into_iter().map(|k| (k, "declared")));
    for doc in d.models_json.values().filter_map(|r| r.as_ref().ok()) {
        out.extend(
            keys(doc.get("providers"))
                .into_iter()
                .map(|k| (k, "models.json")),
        );
    }
    let stores = d
        .dirs
        .values()
        .flat_map(|s| std::iter::once(&s.primary).chain(&s.legacy))
        .chain(d.shared.as_ref())
        .chain(std::iter::once(&d.oauth_file));
    out.extend(stores.flat_map(named_providers).map(|p| (p, "profile")));
    for a in &d.agents {
        let models = agent_models(d, a);
        out.extend(
            models
                .iter()
                .filter_map(|m| provider_of_model(m))
                .map(|p| (p.to_string(), "model")),
        );
    }
    let cron = d.cron.iter().filter_map(|j| j.model.as_deref());
    out.extend(
        cron.filter_map(provider_of_model)
            .map(|p| (p.to_string(), "cron")),
    );
    for (id, vars) in providers_with_env(d.generation) {
        if vars.iter().any(|v| d.env.get(v).is_some()) {
            out.push((id.to_string(), "env"));
        }
    }
    out
}

/// The cron jobs (enabled or not) that need each agent × provider.
type CronNeeds = BTreeMap<String, BTreeMap<String, Vec<CellCronJob>>>;

/// Providers each cron job needs, by agent then provider: the jobs, disabled too.
fn cron_needs(d: &Discovery) -> CronNeeds {
    let mut out = CronNeeds::new();
    // Linear in the number of jobs: a job listed twice is found by a set, not a scan.
    let mut seen: std::collections::HashSet<(&str, String, &str)> = Default::default();
    for job in &d.cron {
        for p in super::cronjobs::job_providers(d, job) {
            if !seen.insert((job.agent.as_str(), p.clone(), job.id.as_str())) {
                continue;
            }
            let jobs = out
                .entry(job.agent.clone())
                .or_default()
                .entry(p)
                .or_default();
            jobs.push(CellCronJob {
                id: job.id.clone(),
                name: job.name.clone(),
                enabled: job.enabled,
            });
        }
    }
    out
}

/// Ids of the enabled jobs among `jobs`: the runs that need the cell.
fn enabled_ids(jobs: &[CellCronJob]) -> Vec<String> {
    jobs.iter()
        .filter(|j| j.enabled)
        .map(|j| j.id.clone())
        .collect()
}

/// The providers of the models an agent uses (its own, else the defaults).
fn model_providers(d: &Discovery, a: &crate::domain::read::agents::Agent) -> BTreeSet<String> {
    agent_models(d, a)
        .iter()
        .filter_map(|m| provider_of_model(m))
        .map(|p| normalize_provider(p, d.generation))
        .collect()
}

/// Everything needed to compute any cell on demand: one view per agent.
/// `build_report` materialises all cells; `write_json_streaming` does not.
pub struct StatusModel<'a> {
    pub(crate) d: &'a Discovery,
    ctx: Ctx<'a>,
    pub(crate) providers: Vec<ProviderOut>,
    needs: CronNeeds,
    /// Per agent: the providers its models use (normalised).
    uses: Vec<BTreeSet<String>>,
    views: Vec<AgentView<'a>>,
    /// Per provider: what a best fix needs from the other agents, computed once
    /// (per cell it made `status` on 100 agents × 200 providers 40× slower).
    fix_inputs: std::collections::HashMap<String, FixInputs<'a>>,
}

/// The agents a best fix looks at for one provider.
struct FixInputs<'a> {
    /// The cells of every agent holding a profile of the provider in its own store.
    holders: Vec<Cell>,
    /// The agents `copy_fix` weighs: the shared store's owner, and those that use
    /// the provider without holding it (the others never change its answer).
    members: Vec<fixpick::Member<'a>>,
}

impl<'a> StatusModel<'a> {
    pub fn new(d: &'a Discovery) -> StatusModel<'a> {
        let mut model = StatusModel {
            d,
            ctx: Ctx::new(d),
            providers: collect_providers(d),
            needs: cron_needs(d),
            uses: d.agents.iter().map(|a| model_providers(d, a)).collect(),
            views: d.agents.iter().map(|a| agent_view(d, &a.dir)).collect(),
            fix_inputs: Default::default(),
        };
        model.fix_inputs = model
            .providers
            .iter()
            .map(|p| (p.id.clone(), model.fix_inputs_for(&p.id)))
            .collect();
        model
    }

    fn fix_inputs_for(&self, provider: &str) -> FixInputs<'a> {
        let holders = self
            .holders(provider, "")
            .iter()
            .filter_map(|h| self.d.agents.iter().position(|o| o.id == *h))
            .map(|hi| self.cell_base(hi, provider))
            .collect();
        let members = self
            .members(provider)
            .into_iter()
            .filter(|m| m.shared || (m.uses && !m.holds))
            .collect();
        FixInputs { holders, members }
    }

    /// What agent number `ai`'s runtime sees (its store merged over the shared one).
    pub(crate) fn view(&self, ai: usize) -> &AgentView<'a> {
        &self.views[ai]
    }

    /// The cell of agent number `ai` and provider id `provider`, with its best fix.
    pub(crate) fn cell(&self, ai: usize, provider: &str) -> Cell {
        let mut cell = self.cell_base(ai, provider);
        if !cell.usable {
            let fix = self.best_fix(ai, &cell);
            if let Some(text) = fix.text(&cell.provider, &cell.agent) {
                cell.fix = Some(text);
            }
            cell.best_fix = Some(fix);
        }
        cell
    }

    /// The cell as OpenClaw resolves it, explained, without its best fix.
    fn cell_base(&self, ai: usize, provider: &str) -> Cell {
        let (a, view) = (&self.d.agents[ai], &self.views[ai]);
        let mut cell = resolve_cell(&self.ctx, &a.id, view, provider);
        cell.cron_jobs = self
            .needs
            .get(&a.id)
            .and_then(|m| m.get(provider))
            .cloned()
            .unwrap_or_default();
        cell.cron = enabled_ids(&cell.cron_jobs);
        cell.in_use = !cell.cron.is_empty() || self.uses[ai].contains(provider);
        crate::domain::status::advice::annotate(self.d, a, &mut cell, view);
        cell
    }

    /// Validation problems plus the cron problems (which need only the cron cells).
    /// A cell's finding that validation already reported for the same agent and file
    /// (a legacy file blocking migration) is not repeated.
    pub(crate) fn problems(&self) -> Vec<Problem> {
        let mut problems = validate(self.d);
        for (ai, a) in self.d.agents.iter().enumerate() {
            let mut seen = std::collections::HashSet::new();
            for p in &self.providers {
                let cell = self.cell(ai, &p.id);
                for f in cell.findings.iter().filter(|_| a.configured) {
                    if seen.insert((f.code, f.profile.clone(), f.message.clone()))
                        && !already_reported(&problems, f, &a.id)
                    {
                        problems.push(f.problem(&a.id, &p.id, cell.usable));
                    }
                }
                if !cell.usable && !cell.cron.is_empty() {
                    problems.push(crate::domain::status::advice::cron_problem(
                        self.d,
                        &cell,
                        &self.holders(&p.id, &a.id),
                    ));
                }
            }
        }
        problems
    }

    /// Repair an entry this agent's stores hold, else copy another agent's key, else add.
    fn best_fix(&self, ai: usize, cell: &Cell) -> BestFix {
        let d = self.d;
        let a = &d.agents[ai];
        let main = d.agents.iter().find(|o| o.dir == d.main_dir());
        let dirs = [Some(a), main.filter(|_| d.main_dir() != a.dir)];
        for owner in dirs.into_iter().flatten() {
            let store = d.dir_stores(&owner.dir).map(|s| &s.primary);
            if let Some(profile) = store.and_then(|s| bestfix::repairable(d, s, &cell.provider)) {
                let agent = owner.id.clone();
                return BestFix::Repair { agent, profile };
            }
        }
        let Some(inputs) = self.fix_inputs.get(&cell.provider) else {
            return BestFix::Add;
        };
        let holders = inputs.holders.iter().filter(|h| h.agent != a.id);
        fixpick::copy_fix(cell, holders, &inputs.members).unwrap_or(BestFix::Add)
    }

    /// Every agent: whether it uses and holds `provider`, and which owns the shared store.
    fn members(&self, provider: &str) -> Vec<fixpick::Member<'a>> {
        let pkey = crate::domain::read::providers::auth_key(provider, self.d.generation);
        let shared_dir = match self.d.generation {
            crate::domain::read::version::Generation::Json => self.d.main_dir(),
            _ => self.d.shared_owner_dir.as_path(),
        };
        let agents = self.d.agents.iter().enumerate();
        agents
            .map(|(ai, a)| fixpick::Member {
                id: &a.id,
                uses: self.uses[ai].contains(provider)
                    || self
                        .needs
                        .get(&a.id)
                        .is_some_and(|m| m.contains_key(provider)),
                holds: self.views[ai]
                    .entries
                    .values()
                    .any(|e| e.local && e.pkey == pkey),
                shared: a.dir == shared_dir,
            })
            .collect()
    }

    /// Other agents holding a profile for `provider` in their own store.
    fn holders(&self, provider: &str, except: &str) -> Vec<&str> {
        let pkey = crate::domain::read::providers::auth_key(provider, self.d.generation);
        self.d
            .agents
            .iter()
            .zip(&self.views)
            .filter(|(a, v)| {
                a.id != except && v.entries.values().any(|e| e.local && e.pkey == pkey)
            })
            .map(|(a, _)| a.id.as_str())
            .collect()
    }

    pub(crate) fn agents(&self) -> Vec<AgentOut> {
        self.d
            .agents
            .iter()
            .zip(&self.views)
            .map(|(a, v)| agent_out(a, v))
            .collect()
    }

    pub(crate) fn header(&self) -> Report {
        let d = self.d;
        Report {
            state_dir: d.paths.state_dir.display().to_string(),
            config_path: d
                .config
                .path
                .as_ref()
                .filter(|_| d.config.exists)
                .map(|p| p.display().to_string()),
            generation: d.generation.label(),
            openclaw_version: match d.version_source {
                VersionSource::Executable(_) | VersionSource::ConfigMeta => {
                    d.version.map(|v| v.to_string())
                }
                VersionSource::Unknown => None,
            },
            generation_reason: d.generation_reason.clone(),
            gateway: d.gateway.clone(),
            agents: self.agents(),
            providers: self.providers.clone(),
            builtins: crate::domain::read::catalog::catalog(d),
            cron_jobs: super::cronjobs::cron_jobs(d),
            cells: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Whether validation already named this finding's code, agent and file.
fn already_reported(
    problems: &[Problem],
    f: &crate::domain::status::findings::Finding,
    agent: &str,
) -> bool {
    problems
        .iter()
        .any(|p| p.code == f.code && p.file == f.file && p.agent.as_deref() == Some(agent))
}

fn agent_out(a: &crate::domain::read::agents::Agent, view: &AgentView) -> AgentOut {
    AgentOut {
        id: a.id.clone(),
        dir: a.dir.display().to_string(),
        default: a.default,
        store: view.store_display.clone(),
        configured: a.configured,
    }
}

pub fn build_report(d: &Discovery) -> Report {
    StatusModel::new(d).report()
}

impl StatusModel<'_> {
    /// Every cell and problem, materialised.
    pub(crate) fn report(&self) -> Report {
        let (d, model) = (self.d, self);
        let mut report = model.header();
        report.cells = (0..d.agents.len())
            .flat_map(|ai| model.providers.iter().map(move |p| (ai, p)))
            .map(|(ai, p)| model.cell(ai, &p.id))
            .collect();
        report.problems = model.problems();
        report
    }
}

/// Which agents and providers to include (empty = all).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub(crate) agents: Vec<String>,
    pub(crate) providers: Vec<String>,
}

impl Filter {
    pub(crate) fn agent(&self, id: &str) -> bool {
        self.agents.is_empty() || self.agents.iter().any(|a| a == id)
    }

    pub(crate) fn provider(&self, id: &str) -> bool {
        self.providers.is_empty() || self.providers.iter().any(|p| p.eq_ignore_ascii_case(id))
    }

    /// Applies the filter to a materialised report.
    pub(crate) fn apply(&self, mut r: Report) -> Report {
        r.agents.retain(|a| self.agent(&a.id));
        r.providers.retain(|p| self.provider(&p.id));
        r.cron_jobs.retain(|j| self.agent(&j.agent));
        r.cells
            .retain(|c| self.agent(&c.agent) && self.provider(&c.provider));
        r.problems
            .retain(|p| p.agent.as_deref().is_none_or(|a| self.agent(a)));
        r
    }
}

/// Comma-separated JSON of the cells of `agents` × `providers`.
fn serialize_cells(
    model: &StatusModel,
    agents: &[usize],
    providers: &[&str],
) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(agents.len() * providers.len() * 512);
    for &ai in agents {
        for p in providers {
            if !buf.is_empty() {
                buf.push(b',');
            }
            serde_json::to_writer(&mut buf, &model.cell(ai, p)).map_err(std::io::Error::other)?;
        }
    }
    Ok(buf)
}

/// Compact JSON of the report, computing and writing one cell at a time, so
/// memory stays flat on large fleets. Same document as `serde_json::to_writer(build_report)`.
pub fn write_json_streaming(
    model: &StatusModel,
    filter: &Filter,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut head = model.header();
    head.problems = model.problems();
    let mut doc = serde_json::to_value(filter.apply(head)).map_err(std::io::Error::other)?;
    let problems = doc
        .as_object_mut()
        .and_then(|o| o.shift_remove("problems"))
        .unwrap_or_default();
    doc.as_object_mut().map(|o| o.shift_remove("cells"));
    let text = serde_json::to_string(&doc).map_err(std::io::Error::other)?;
    out.write_all(&text.as_bytes()[..text.len() - 1])?;
    out.write_all(b",\"cells\":[")?;
    let agents: Vec<usize> = (0..model.d.agents.len())
        .filter(|ai| filter.agent(&model.d.agents[*ai].id))
        .collect();
    let providers: Vec<&str> = model
        .providers
        .iter()
        .filter(|p| filter.provider(&p.id))
        .map(|p| p.id.as_str())
        .collect();
    stream_cells(model, &agents, &providers, out)?;
    out.write_all(b"],\"problems\":")?;
    serde_json::to_writer(&mut *out, &problems).map_err(std::io::Error::other)?;
    out.write_all(b"}\n")
}

/// Cells of `agents` × `providers`, comma-separated, in order. Each worker serialises
/// every `workers`-th chunk of agents and hands it over a one-slot channel; chunks are
/// written in order, so the output is identical to a sequential run and at most one
/// chunk per worker is buffered.
fn stream_cells(
    model: &StatusModel,
    agents: &[usize],
    providers: &[&str],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let chunks: Vec<&[usize]> = agents.chunks(4).collect();
    let mut first = true;
    std::thread::scope(|scope| -> std::io::Result<()> {
        let receivers: Vec<_> = (0..workers)
            .map(|w| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
                let chunks = &chunks;
                scope.spawn(move || {
                    for chunk in chunks.iter().skip(w).step_by(workers) {
                        if tx.send(serialize_cells(model, chunk, providers)).is_err() {
                            return;
                        }
                    }
                });
                rx
            })
            .collect();
        for i in 0..chunks.len() {
            let part = receivers[i % workers]
                .recv()
                .map_err(std::io::Error::other)??;
            if part.is_empty() {
                continue;
            }
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(&part)?;
        }
        Ok(())
    })
}
