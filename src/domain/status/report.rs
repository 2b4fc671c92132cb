//! The status report: agents × providers with runtime verdicts, plus problems.
//! Its JSON form is a public contract (extend, never rename).

use crate::domain::problem::Problem;
use crate::domain::read::agents::Agent;
use crate::domain::read::discovery::{Discovery, VersionSource, agent_models, provider_of_model};
use crate::domain::read::providers::{auth_key, normalize_provider};
use crate::domain::status::advice;
use crate::domain::status::bestfix::{self, BestFix};
use crate::domain::status::cell::CellCronJob;
use crate::domain::status::cellproblems::CellProblems;
use crate::domain::status::fixpick;
pub use crate::domain::status::listing::ProviderOut;
pub(crate) use crate::domain::status::listing::collect_providers;
use crate::domain::status::resolve::{Cell, Ctx, resolve_cell};
use crate::domain::status::view::{AgentView, agent_view};
use crate::domain::validate::validate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
fn model_providers(d: &Discovery, a: &Agent) -> BTreeSet<String> {
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
    fix_inputs: HashMap<String, FixInputs<'a>>,
    /// Per agent: the other agent whose store a repair also looks at (the main
    /// agent, unless the agent's own directory is the main agent dir).
    main_of: Vec<Option<usize>>,
    /// Per agent: what `repair` can mend in its own primary store, by auth key.
    repairs: Vec<HashMap<String, String>>,
    /// Per agent: it owns the shared store every agent inherits.
    shared: Vec<bool>,
    /// The `clawauth …` prefix fix commands start with (the run's state-dir flags).
    clawauth: String,
}

/// Agents by provider, for the fix inputs.
struct ByProvider {
    /// Auth key → the agents (in order) holding a profile of it in their own store.
    held: HashMap<String, Vec<usize>>,
    /// Provider id → the agents whose models or cron jobs use it.
    users: HashMap<String, BTreeSet<usize>>,
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
        // Found once, not per cell: a scan of the agents per cell made 1,000 agents quadratic.
        let main = d.agents.iter().position(|o| o.dir == d.main_dir());
        let mut model = StatusModel {
            d,
            ctx: Ctx::new(d),
            providers: collect_providers(d),
            needs: cron_needs(d),
            uses: d.agents.iter().map(|a| model_providers(d, a)).collect(),
            views: d.agents.iter().map(|a| agent_view(d, &a.dir)).collect(),
            fix_inputs: Default::default(),
            main_of: d
                .agents
                .iter()
                .map(|a| main.filter(|_| d.main_dir() != a.dir))
                .collect(),
            repairs: d.agents.iter().map(|a| repairs_of(d, a)).collect(),
            shared: d.agents.iter().map(|a| a.dir == shared_dir(d)).collect(),
            clawauth: d.paths.clawauth(),
        };
        let by = model.by_provider();
        model.fix_inputs = model
            .providers
            .iter()
            .map(|p| (p.id.clone(), model.fix_inputs_for(&p.id, &by)))
            .collect();
        model
    }

    /// The holders' cells, and the agents `copy_fix` weighs: the shared store's owner
    /// and those that use the provider without holding it (in agent order).
    fn fix_inputs_for(&self, provider: &str, by: &ByProvider) -> FixInputs<'a> {
        let pkey = auth_key(provider, self.d.generation);
        let held = by.held.get(&pkey).map_or(&[][..], Vec::as_slice);
        let holders = held
            .iter()
            .map(|&hi| self.cell_base(hi, provider))
            .collect();
        let users = by.users.get(provider);
        let mut picked = users.cloned().unwrap_or_default();
        picked.extend((0..self.shared.len()).filter(|ai| self.shared[*ai]));
        let members = picked
            .into_iter()
            .map(|ai| fixpick::Member {
                id: &self.d.agents[ai].id,
                uses: users.is_some_and(|u| u.contains(&ai)),
                holds: held.contains(&ai),
                shared: self.shared[ai],
            })
            .filter(|m| m.shared || (m.uses && !m.holds))
            .collect();
        FixInputs { holders, members }
    }

    /// The agents of each provider, found once (a scan of every agent per provider
    /// was 200,000 steps on 1,000 agents).
    fn by_provider(&self) -> ByProvider {
        let mut held: HashMap<String, Vec<usize>> = HashMap::new();
        for (ai, v) in self.views.iter().enumerate() {
            for e in v.entries.values().filter(|e| e.local) {
                let list = held.entry(e.pkey.clone()).or_default();
                if list.last() != Some(&ai) {
                    list.push(ai);
                }
            }
        }
        let mut users: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (ai, a) in self.d.agents.iter().enumerate() {
            let needs = self.needs.get(&a.id).into_iter().flat_map(|m| m.keys());
            for p in self.uses[ai].iter().chain(needs) {
                users.entry(p.clone()).or_default().insert(ai);
            }
        }
        ByProvider { held, users }
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
            match fix.text(&self.clawauth, &cell.provider, &cell.agent) {
                Some(text) => cell.fix = Some(text),
                // Add: the longer advice, unless resolving already gave a fix.
                None if cell.fix.is_none() => {
                    let a = &self.d.agents[ai];
                    cell.fix = Some(advice::fix_for_missing(self.d, a, &cell));
                }
                None => {}
            }
            cell.best_fix = Some(fix);
        }
        cell
    }

    /// The cell as OpenClaw resolves it, explained, without its fix.
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
        advice::annotate(self.d, &mut cell, view);
        cell
    }

    /// Adds the problems of `cell` (agent number `ai`) to `found`.
    fn add_problems(&self, found: &mut CellProblems, cell: &Cell) {
        found.add(self.d, cell, || {
            let holders = self.fix_inputs.get(&cell.provider);
            let ids = holders.into_iter().flat_map(|i| &i.holders);
            ids.map(|h| h.agent.as_str())
                .filter(|h| *h != cell.agent)
                .collect()
        });
    }

    /// Repair an entry this agent's stores hold, else copy another agent's key, else add.
    fn best_fix(&self, ai: usize, cell: &Cell) -> BestFix {
        let d = self.d;
        let pkey = auth_key(&cell.provider, d.generation);
        for owner in std::iter::once(ai).chain(self.main_of[ai]) {
            if let Some(profile) = self.repairs[owner].get(&pkey) {
                let agent = d.agents[owner].id.clone();
                let profile = profile.clone();
                return BestFix::Repair { agent, profile };
            }
        }
        let Some(inputs) = self.fix_inputs.get(&cell.provider) else {
            return BestFix::Add;
        };
        let holders = inputs.holders.iter().filter(|h| h.agent != cell.agent);
        fixpick::copy_fix(cell, holders, &inputs.members).unwrap_or(BestFix::Add)
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

/// The directory of the agent owning the shared store every agent inherits.
fn shared_dir(d: &Discovery) -> &std::path::Path {
    match d.generation {
        crate::domain::read::version::Generation::Json => d.main_dir(),
        _ => d.shared_owner_dir.as_path(),
    }
}

/// What `repair` can mend in the primary store of agent `a`'s directory.
fn repairs_of(d: &Discovery, a: &Agent) -> HashMap<String, String> {
    d.dir_stores(&a.dir)
        .map(|s| bestfix::repairables(d, &s.primary))
        .unwrap_or_default()
}

fn agent_out(a: &Agent, view: &AgentView) -> AgentOut {
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
    /// Every cell and problem, materialised (each cell computed once: the
    /// problems come from the same cells).
    pub(crate) fn report(&self) -> Report {
        let mut report = self.header();
        report.problems = validate(self.d);
        let mut found = Vec::new();
        for (ai, a) in self.d.agents.iter().enumerate() {
            let mut problems = CellProblems::new(a, &report.problems);
            for p in &self.providers {
                let cell = self.cell(ai, &p.id);
                self.add_problems(&mut problems, &cell);
                report.cells.push(cell);
            }
            found.append(&mut problems.found);
        }
        report.problems.append(&mut found);
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

/// Compact JSON of the report, computing and writing one chunk of agents at a
/// time (in parallel, in order), so memory stays flat on large fleets. Each cell is
/// computed once: its problems are gathered as it is written. Same document as
/// `serde_json::to_writer(filter.apply(build_report))`.
pub fn write_json_streaming(
    model: &StatusModel,
    filter: &Filter,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut doc =
        serde_json::to_value(filter.apply(model.header())).map_err(std::io::Error::other)?;
    doc.as_object_mut().map(|o| o.shift_remove("problems"));
    doc.as_object_mut().map(|o| o.shift_remove("cells"));
    let text = serde_json::to_string(&doc).map_err(std::io::Error::other)?;
    out.write_all(&text.as_bytes()[..text.len() - 1])?;
    out.write_all(b",\"cells\":[")?;
    // Problems of agents the filter leaves out are dropped, so their cells are not
    // computed; every provider is, for the problems of the agents kept.
    let agents: Vec<usize> = (0..model.d.agents.len())
        .filter(|ai| filter.agent(&model.d.agents[*ai].id))
        .collect();
    let mut problems = validate(model.d);
    let mut found = Vec::new();
    let mut first = true;
    let work = |chunk: &[usize]| stream_chunk(model, filter, chunk, &problems);
    super::stream::ordered_chunks(&agents, 1, work, |(json, mut more)| {
        found.append(&mut more);
        if json.is_empty() {
            return Ok(());
        }
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        out.write_all(&json)
    })?;
    problems.append(&mut found);
    problems.retain(|p| p.agent.as_deref().is_none_or(|a| filter.agent(a)));
    let problems = serde_json::to_value(&problems).map_err(std::io::Error::other)?;
    out.write_all(b"],\"problems\":")?;
    serde_json::to_writer(&mut *out, &problems).map_err(std::io::Error::other)?;
    out.write_all(b"}\n")
}

/// Comma-separated JSON of the cells of `agents` × the providers `filter` keeps,
/// and the cell problems of those agents (from every provider).
fn stream_chunk(
    model: &StatusModel,
    filter: &Filter,
    agents: &[usize],
    validated: &[Problem],
) -> std::io::Result<(Vec<u8>, Vec<Problem>)> {
    let mut buf = Vec::with_capacity(agents.len() * model.providers.len() * 512);
    let mut found = Vec::new();
    for &ai in agents {
        let mut problems = CellProblems::new(&model.d.agents[ai], validated);
        for p in &model.providers {
            let cell = model.cell(ai, &p.id);
            model.add_problems(&mut problems, &cell);
            if !filter.provider(&p.id) {
                continue;
            }
            if !buf.is_empty() {
                buf.push(b',');
            }
            serde_json::to_writer(&mut buf, &cell).map_err(std::io::Error::other)?;
        }
        found.append(&mut problems.found);
    }
    Ok((buf, found))
}
