//! Enter on a cell: its best fix (see `domain::status::bestfix`), started with the
//! recommended choice selected, so Enter accepts each step up to the review.

use super::copy::{CopyStep, CopyWizard};
use super::ctx::Ctx;
use super::steps::{Checklist, Item};
use super::{App, Effect, Screen};
use crate::domain::status::bestfix::BestFix;
use crate::tui::msg::ProfileChoice;

impl App {
    /// Enter on a matrix cell: copy, repair or add, as the cell's best fix says;
    /// on a usable cell, add or replace its key.
    pub(super) fn start_fix(&mut self) -> Effect {
        let fix = self.selected_cell().and_then(|c| c.best_fix.clone());
        match fix {
            Some(BestFix::Repair { agent, .. }) => self.repair_agents(vec![agent]),
            Some(fix @ BestFix::Copy { .. }) => {
                let flow = CopyWizard::for_fix(&self.split().0, &fix);
                self.start(flow.map(|w| Screen::Copy(Box::new(w))))
            }
            Some(BestFix::Add) | None => self.start_add(),
        }
    }
}

impl CopyWizard {
    /// The copy of a best fix: the profile picked, the recommended destination
    /// ticked and selected; Enter goes to the review.
    pub(crate) fn for_fix(ctx: &Ctx, fix: &BestFix) -> Result<Self, String> {
        let BestFix::Copy {
            from,
            profile,
            to,
            here,
            shared,
            why,
        } = fix
        else {
            return Err("Nothing to copy for this cell.".into());
        };
        let source = ctx
            .report
            .cells
            .iter()
            .find(|c| &c.agent == from && c.profile.as_ref() == Some(profile))
            .ok_or_else(|| format!("Agent {from} no longer holds {profile}."))?;
        let mut wizard = CopyWizard::start(ctx, None)?;
        wizard.from = from.clone();
        wizard.profiles = Some(Ok(vec![ProfileChoice {
            id: profile.clone(),
            provider: source.provider.clone(),
            cred_type: source.cred_type,
            blocked: None,
        }]));
        let picked = Item::new(profile.clone(), source.provider.clone());
        wizard.picks = Checklist::new(vec![picked], vec![true]);
        (wizard.dests, wizard.dest_ids) = destinations(&source.provider, here, shared.as_ref(), to);
        wizard.fix = Some(format!(
            "Recommended: {to} ({why}). Enter copies agent {from}'s {profile}; the key itself is never shown."
        ));
        wizard.path = vec![CopyStep::Destinations];
        Ok(wizard)
    }
}

/// The cell's own agent and the shared store's owner, the recommended one ticked.
fn destinations(
    provider: &str,
    here: &str,
    shared: Option<&String>,
    to: &str,
) -> (Checklist, Vec<String>) {
    let mut items = vec![Item::new(
        here,
        format!("agent {here}'s own store: only {here} gets the key"),
    )];
    let mut ids = vec![here.to_string()];
    if let Some(main) = shared {
        items.push(Item::new(
            main.clone(),
            format!("the main store: every agent without its own {provider} profile inherits it"),
        ));
        ids.push(main.clone());
    }
    let ticked: Vec<bool> = ids.iter().map(|id| id == to).collect();
    let mut list = Checklist::new(items, ticked);
    list.selected = ids.iter().position(|id| id == to).unwrap_or(0);
    (list, ids)
}
