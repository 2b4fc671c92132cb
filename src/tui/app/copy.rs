//! Copy between agents: source → profiles (portability shown) → destinations →
//! conflicts → review → apply → result. The flow owns its state and its steps.

use super::ctx::{Ctx, Go};
use super::steps::{Body, BodyMut, Checklist, Choice, Item, edit};
use crate::domain::ops::copy::OnConflict;
use crate::domain::read::profile::CredType;
use crate::tui::keymap::Action;
use crate::tui::msg::{CopyDraft, Effect, PlanRequest, ProfileChoice};

/// The steps of the flow, for the breadcrumb.
pub(crate) const STEPS: &[&str] = &[
    "source",
    "profiles",
    "destinations",
    "conflicts",
    "review",
    "result",
];

/// The steps of a cell's best fix by copy, for the breadcrumb.
pub(crate) const FIX_STEPS: &[&str] = &["copy to", "review", "result"];

/// The conflict policies, each with what it does.
pub(crate) const CONFLICTS: [(OnConflict, &str, &str); 3] = [
    (
        OnConflict::Skip,
        "skip",
        "keep the destination's own, different profile (the review lists each one)",
    ),
    (
        OnConflict::Overwrite,
        "overwrite",
        "replace the destination's different profile with the copy",
    ),
    (
        OnConflict::Rename,
        "rename",
        "copy under a new id (<id>-copy) beside the destination's profile",
    ),
];

/// A step of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyStep {
    Source,
    Profiles,
    Destinations,
    Conflicts,
}

#[derive(Debug)]
pub struct CopyWizard {
    /// The steps taken after the first (source); the last one shows.
    pub(crate) path: Vec<CopyStep>,
    pub(crate) sources: Choice,
    pub(crate) from: String,
    /// The source's own profiles; `None` while they are read.
    pub(crate) profiles: Option<Result<Vec<ProfileChoice>, String>>,
    pub(crate) picks: Checklist,
    pub(crate) dests: Checklist,
    /// Agent ids of the destination entries.
    pub(crate) dest_ids: Vec<String>,
    pub(crate) conflicts: Choice,
    /// A cell's best fix (Enter on the cell): the recommendation, shown under the
    /// destinations; Enter there goes straight to the review, Esc to the overview.
    pub(crate) fix: Option<String>,
}

impl CopyWizard {
    /// The flow on the source step, the selected agent chosen; `Err`: why it cannot start.
    pub(crate) fn start(ctx: &Ctx, agent: Option<usize>) -> Result<Self, String> {
        if ctx.report.agents.len() < 2 {
            return Err("Copying needs at least two agents.".into());
        }
        let agents = ctx.report.agents.iter();
        let items = agents
            .map(|a| Item::new(a.id.clone(), a.store.clone()))
            .collect();
        Ok(CopyWizard {
            path: Vec::new(),
            sources: Choice::new(items, agent.unwrap_or(0)),
            from: String::new(),
            profiles: None,
            picks: Checklist::default(),
            dests: Checklist::default(),
            dest_ids: Vec::new(),
            conflicts: conflict_choice(),
            fix: None,
        })
    }

    pub(crate) fn title(&self) -> String {
        match self.from.is_empty() {
            true => "Copy profiles between agents".into(),
            false => format!("Copy profiles from agent {}", self.from),
        }
    }

    pub(crate) fn step(&self) -> CopyStep {
        self.path.last().copied().unwrap_or(CopyStep::Source)
    }

    /// The steps of this flow, for the breadcrumb.
    pub(crate) fn steps(&self) -> &'static [&'static str] {
        match self.fix {
            Some(_) => FIX_STEPS,
            None => STEPS,
        }
    }

    /// Where the step is in `steps()`.
    pub(crate) fn step_index(&self) -> usize {
        if self.fix.is_some() {
            return 0;
        }
        match self.step() {
            CopyStep::Source => 0,
            CopyStep::Profiles => 1,
            CopyStep::Destinations => 2,
            CopyStep::Conflicts => 3,
        }
    }

    pub(crate) fn body(&self) -> Body<'_> {
        match self.step() {
            CopyStep::Source => Body::Choice(&self.sources),
            CopyStep::Profiles => Body::Checklist(&self.picks),
            CopyStep::Destinations => Body::Checklist(&self.dests),
            CopyStep::Conflicts => Body::Choice(&self.conflicts),
        }
    }

    fn body_mut(&mut self) -> BodyMut<'_> {
        match self.step() {
            CopyStep::Source => BodyMut::Choice(&mut self.sources),
            CopyStep::Profiles => BodyMut::Checklist(&mut self.picks),
            CopyStep::Destinations => BodyMut::Checklist(&mut self.dests),
            CopyStep::Conflicts => BodyMut::Choice(&mut self.conflicts),
        }
    }

    pub(crate) fn action(&mut self, action: Action, ctx: &mut Ctx) -> Go {
        match action {
            Action::Back if self.fix.is_some() => Go::Close,
            Action::Back => match self.path.pop() {
                Some(_) => Go::Stay,
                None => Go::Close,
            },
            Action::Select | Action::Submit => self.next(ctx),
            other => {
                edit(self.body_mut(), other, ctx);
                Go::Stay
            }
        }
    }

    fn open(&mut self, step: CopyStep) {
        if self.step() != step {
            self.path.push(step);
        }
    }

    fn next(&mut self, ctx: &mut Ctx) -> Go {
        match self.step() {
            CopyStep::Source => self.source_chosen(),
            CopyStep::Profiles => self.profiles_chosen(ctx),
            CopyStep::Destinations => self.destinations_chosen(ctx),
            CopyStep::Conflicts => self.conflict_chosen(),
        }
    }

    fn source_chosen(&mut self) -> Go {
        let Some(from) = self.sources.current().map(|i| i.label.clone()) else {
            return Go::Stay;
        };
        self.from = from.clone();
        self.profiles = None;
        self.picks = Checklist::default();
        self.dest_ids.clear();
        self.open(CopyStep::Profiles);
        Go::Run(Effect::LoadProfiles(from))
    }

    /// The source's profiles arrived: portable ones are ticked.
    pub(crate) fn on_profiles(&mut self, result: Result<Vec<ProfileChoice>, String>) {
        if let Ok(list) = &result {
            let items = list.iter().map(profile_item).collect();
            let ticked = list.iter().map(portable).collect();
            self.picks = Checklist::new(items, ticked);
        }
        self.profiles = Some(result);
    }

    fn profiles_chosen(&mut self, ctx: &mut Ctx) -> Go {
        if !matches!(self.profiles, Some(Ok(_))) {
            return Go::Stay;
        }
        if self.picks.ticked().is_empty() {
            ctx.fail("Tick at least one profile with Space.");
            return Go::Stay;
        }
        if self.dest_ids.is_empty() {
            let providers: Vec<String> = self.picked().iter().map(|p| p.provider.clone()).collect();
            (self.dests, self.dest_ids) = destination_list(ctx, &self.from, &providers);
        }
        self.open(CopyStep::Destinations);
        Go::Stay
    }

    fn destinations_chosen(&mut self, ctx: &mut Ctx) -> Go {
        if self.dests.ticked().is_empty() {
            ctx.fail("Tick at least one destination with Space.");
            return Go::Stay;
        }
        if self.fix.is_some() {
            return self.conflict_chosen();
        }
        self.open(CopyStep::Conflicts);
        Go::Stay
    }

    fn conflict_chosen(&self) -> Go {
        let picked = self.picked();
        let to = self
            .dests
            .ticked()
            .into_iter()
            .map(|i| self.dest_ids[i].clone());
        let draft = CopyDraft {
            from: self.from.clone(),
            to: to.collect(),
            profiles: picked.iter().map(|p| p.id.clone()).collect(),
            include_oauth: picked.iter().any(|p| p.cred_type == Some(CredType::Oauth)),
            on_conflict: CONFLICTS[self.conflicts.selected.min(2)].0,
        };
        Go::Plan {
            title: self.title(),
            steps: self.steps(),
            request: PlanRequest::Copy(draft),
        }
    }

    /// The ticked profiles.
    fn picked(&self) -> Vec<&ProfileChoice> {
        let Some(Ok(list)) = &self.profiles else {
            return Vec::new();
        };
        self.picks.ticked().into_iter().map(|i| &list[i]).collect()
    }
}

fn conflict_choice() -> Choice {
    let items = CONFLICTS
        .iter()
        .map(|(_, name, what)| Item::new(*name, *what))
        .collect();
    Choice::new(items, 0)
}
/// Copied without asking: static credentials that allow it.
fn portable(p: &ProfileChoice) -> bool {
    p.blocked.is_none() && matches!(p.cred_type, Some(CredType::ApiKey | CredType::Token))
}

fn profile_item(p: &ProfileChoice) -> Item {
    let kind = p.cred_type.map_or("invalid", CredType::as_str);
    let portability = match (&p.blocked, p.cred_type) {
        (Some(why), _) => format!("not copied: {why}"),
        (None, Some(CredType::Oauth)) => {
            "OAuth login: refresh tokens can be single-use, so copies can break each other; tick to copy anyway".into()
        }
        _ => "portable".to_string(),
    };
    let mut item = Item::new(
        p.id.clone(),
        format!("{kind} · {} · {portability}", p.provider),
    );
    item.blocked = p.blocked.clone();
    item
}

/// Every agent but the source; ticked: agents whose cron jobs need one of the
/// providers and cannot use it.
fn destination_list(app: &Ctx, from: &str, providers: &[String]) -> (Checklist, Vec<String>) {
    let mut items = Vec::new();
    let mut ticked = Vec::new();
    let mut ids = Vec::new();
    for a in app.report.agents.iter().filter(|a| a.id != from) {
        let cells: Vec<_> = providers
            .iter()
            .filter_map(|p| app.cell_of(p, &a.id))
            .collect();
        let lacking: Vec<&str> = cells
            .iter()
            .filter(|c| !c.usable)
            .map(|c| c.provider.as_str())
            .collect();
        let detail = match lacking.is_empty() {
            true => "already has a usable credential for these providers".to_string(),
            false => format!("no usable {}", lacking.join(", ")),
        };
        ticked.push(cells.iter().any(|c| !c.usable && !c.cron.is_empty()));
        items.push(Item::new(a.id.clone(), detail));
        ids.push(a.id.clone());
    }
    let mut list = Checklist::new(items, ticked);
    list.selected = list.checked.iter().position(|c| *c).unwrap_or(0);
    (list, ids)
}
