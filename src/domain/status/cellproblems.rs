//! The problems an agent's cells add to validation's: each finding once per agent
//! (unless validation already named it), and the cron problem of every cell a cron
//! job needs that is not usable. Fed the agent's cells in provider order, as they
//! are computed, so `status --json` needs no second pass over the cells.

use crate::domain::problem::Problem;
use crate::domain::read::agents::Agent;
use crate::domain::read::discovery::Discovery;
use crate::domain::status::advice::cron_problem;
use crate::domain::status::findings::Finding;
use crate::domain::status::resolve::Cell;
use std::collections::HashSet;

/// The cell problems of one agent, in the order its cells come.
pub(crate) struct CellProblems<'a> {
    agent: &'a Agent,
    /// Validation's problems (a finding they already name is not repeated).
    validated: &'a [Problem],
    seen: HashSet<(&'static str, Option<String>, String)>,
    pub(crate) found: Vec<Problem>,
}

impl<'a> CellProblems<'a> {
    pub(crate) fn new(agent: &'a Agent, validated: &'a [Problem]) -> CellProblems<'a> {
        CellProblems {
            agent,
            validated,
            seen: HashSet::new(),
            found: Vec::new(),
        }
    }

    /// The problems of `cell` (with its best fix); `holders` names the other agents
    /// holding a profile of its provider, asked only for a cron problem.
    pub(crate) fn add<'h>(
        &mut self,
        d: &Discovery,
        cell: &Cell,
        holders: impl FnOnce() -> Vec<&'h str>,
    ) {
        let a = self.agent;
        for f in cell.findings.iter().filter(|_| a.configured) {
            if self
                .seen
                .insert((f.code, f.profile.clone(), f.message.clone()))
                && !self.reported(f)
            {
                self.found
                    .push(f.problem(&a.id, &cell.provider, cell.usable));
            }
        }
        if !cell.usable && !cell.cron.is_empty() {
            self.found.push(cron_problem(d, cell, &holders()));
        }
    }

    /// Whether validation or an earlier cell already named this finding's code,
    /// agent and file.
    fn reported(&self, f: &Finding) -> bool {
        let agent = Some(self.agent.id.as_str());
        self.validated
            .iter()
            .chain(&self.found)
            .any(|p| p.code == f.code && p.file == f.file && p.agent.as_deref() == agent)
    }
}
