//! Copy between agents: source → profiles (portability shown) → destinations →
//! conflicts → review → apply → result.

use super::wizard::{Checklist, Choice, Item, Wizard};
use super::{App, Effect, Page, error};
use crate::domain::ops::copy::OnConflict;
use crate::domain::profile::CredType;
use crate::tui::msg::{CopyDraft, PlanRequest, ProfileChoice};

/// The conflict policies, each with what it does.
pub const CONFLICTS: [(OnConflict, &str, &str); 3] = [
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

#[derive(Debug)]
pub struct CopyWizard {
    pub sources: Choice,
    pub from: String,
    /// The source's own profiles; `None` while they are read.
    pub profiles: Option<Result<Vec<ProfileChoice>, String>>,
    pub picks: Checklist,
    pub dests: Checklist,
    /// Agent ids of the destination entries.
    pub dest_ids: Vec<String>,
    pub conflicts: Choice,
}

impl CopyWizard {
    pub fn title(&self) -> String {
        match self.from.is_empty() {
            true => "Copy profiles between agents".into(),
            false => format!("Copy profiles from agent {}", self.from),
        }
    }

    pub fn choice(&self, page: Page) -> Option<&Choice> {
        match page {
            Page::CopySource => Some(&self.sources),
            Page::CopyConflicts => Some(&self.conflicts),
            _ => None,
        }
    }

    pub fn choice_mut(&mut self, page: Page) -> Option<&mut Choice> {
        match page {
            Page::CopySource => Some(&mut self.sources),
            Page::CopyConflicts => Some(&mut self.conflicts),
            _ => None,
        }
    }

    pub fn checklist(&self, page: Page) -> Option<&Checklist> {
        match page {
            Page::CopyProfiles => Some(&self.picks),
            Page::CopyDestinations => Some(&self.dests),
            _ => None,
        }
    }

    pub fn checklist_mut(&mut self, page: Page) -> Option<&mut Checklist> {
        match page {
            Page::CopyProfiles => Some(&mut self.picks),
            Page::CopyDestinations => Some(&mut self.dests),
            _ => None,
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

fn copy(app: &mut App) -> Option<&mut CopyWizard> {
    match app.wizard.as_mut()? {
        Wizard::Copy(w) => Some(w),
        _ => None,
    }
}

impl App {
    pub(super) fn start_copy(&mut self) -> Effect {
        if self.report.agents.len() < 2 {
            self.notice = Some(error("Copying needs at least two agents."));
            return Effect::None;
        }
        let items = self
            .report
            .agents
            .iter()
            .map(|a| Item::new(a.id.clone(), a.store.clone()))
            .collect();
        let selected = self.selected_agent().unwrap_or(0);
        self.wizard = Some(Wizard::Copy(Box::new(CopyWizard {
            sources: Choice::new(items, selected),
            from: String::new(),
            profiles: None,
            picks: Checklist::default(),
            dests: Checklist::default(),
            dest_ids: Vec::new(),
            conflicts: conflict_choice(),
        })));
        self.outcome = None;
        self.open(Page::CopySource);
        Effect::None
    }

    pub(super) fn copy_source_chosen(&mut self) -> Effect {
        let Some(w) = copy(self) else {
            return Effect::None;
        };
        let Some(from) = w.sources.current().map(|i| i.label.clone()) else {
            return Effect::None;
        };
        w.from = from.clone();
        w.profiles = None;
        w.picks = Checklist::default();
        w.dest_ids.clear();
        self.open(Page::CopyProfiles);
        Effect::LoadProfiles(from)
    }

    /// The source's profiles arrived: portable ones are ticked.
    pub(super) fn on_profiles(&mut self, result: Result<Vec<ProfileChoice>, String>) {
        let Some(w) = copy(self) else {
            return;
        };
        if let Ok(list) = &result {
            let items = list.iter().map(profile_item).collect();
            let ticked = list.iter().map(portable).collect();
            w.picks = Checklist::new(items, ticked);
        }
        w.profiles = Some(result);
    }

    pub(super) fn copy_profiles_chosen(&mut self) -> Effect {
        let Some(w) = copy(self) else {
            return Effect::None;
        };
        if !matches!(w.profiles, Some(Ok(_))) {
            return Effect::None;
        }
        if w.picks.ticked().is_empty() {
            self.notice = Some(error("Tick at least one profile with Space."));
            return Effect::None;
        }
        if w.dest_ids.is_empty() {
            let providers: Vec<String> = w.picked().iter().map(|p| p.provider.clone()).collect();
            let from = w.from.clone();
            let (list, ids) = destination_list(self, &from, &providers);
            if let Some(w) = copy(self) {
                (w.dests, w.dest_ids) = (list, ids);
            }
        }
        self.open(Page::CopyDestinations);
        Effect::None
    }

    pub(super) fn copy_destinations_chosen(&mut self) -> Effect {
        let Some(w) = copy(self) else {
            return Effect::None;
        };
        if w.dests.ticked().is_empty() {
            self.notice = Some(error("Tick at least one destination with Space."));
            return Effect::None;
        }
        self.open(Page::CopyConflicts);
        Effect::None
    }

    pub(super) fn copy_conflict_chosen(&mut self) -> Effect {
        let Some(w) = copy(self) else {
            return Effect::None;
        };
        let picked = w.picked();
        let draft = CopyDraft {
            from: w.from.clone(),
            to: w
                .dests
                .ticked()
                .iter()
                .map(|&i| w.dest_ids[i].clone())
                .collect(),
            profiles: picked.iter().map(|p| p.id.clone()).collect(),
            include_oauth: picked.iter().any(|p| p.cred_type == Some(CredType::Oauth)),
            on_conflict: CONFLICTS[w.conflicts.selected.min(2)].0,
        };
        self.request_plan(PlanRequest::Copy(draft))
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
fn destination_list(app: &App, from: &str, providers: &[String]) -> (Checklist, Vec<String>) {
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
