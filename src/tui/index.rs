//! Lookups built once per report, so a frame only touches the visible cells.

use crate::domain::problem::Severity;
use crate::domain::status::report::Report;
use crate::domain::status::resolve::Cell;
use std::collections::HashMap;

const NO_CELL: u32 = u32::MAX;
/// Widest cell text: "! expiring C*≠".
pub(crate) const CELL_MIN_WIDTH: u16 = 14;
const CELL_MAX_WIDTH: u16 = 22;
const LABEL_MIN_WIDTH: u16 = 10;
const LABEL_MAX_WIDTH: u16 = 26;

/// The providers × agents grid of a report, plus summary counts.
#[derive(Debug, Clone)]
pub struct MatrixIndex {
    pub(crate) providers: usize,
    pub(crate) agents: usize,
    /// `provider * agents + agent` → position in `report.cells`.
    cells: Vec<u32>,
    /// Width of the provider label column.
    pub(crate) label_width: u16,
    /// Width of every agent column.
    pub column_width: u16,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) infos: usize,
    /// Cells (provider, agent) needed by a cron job that are not usable.
    pub(crate) cron_at_risk: Vec<(usize, usize)>,
    /// Cron jobs (indices into `report.cron_jobs`, disabled ones too) whose last run
    /// failed or that need a cell that is not usable.
    pub(crate) cron_jobs_at_risk: Vec<usize>,
}

impl MatrixIndex {
    pub(crate) fn new(report: &Report) -> MatrixIndex {
        let (providers, agents) = (report.providers.len(), report.agents.len());
        let mut index = MatrixIndex {
            providers,
            agents,
            cells: vec![NO_CELL; providers * agents],
            label_width: label_width(report),
            column_width: column_width(report),
            errors: count(report, Severity::Error),
            warnings: count(report, Severity::Warning),
            infos: count(report, Severity::Info),
            cron_at_risk: Vec::new(),
            cron_jobs_at_risk: jobs_at_risk(report),
        };
        index.place_cells(report);
        index
    }

    fn place_cells(&mut self, report: &Report) {
        let rows = positions(report.providers.iter().map(|p| p.id.as_str()));
        let cols = positions(report.agents.iter().map(|a| a.id.as_str()));
        for (i, cell) in report.cells.iter().enumerate() {
            let Some((r, c)) = self.in_report_order(report, i, cell).or_else(|| {
                Some((
                    *rows.get(cell.provider.as_str())?,
                    *cols.get(cell.agent.as_str())?,
                ))
            }) else {
                continue;
            };
            self.cells[r * self.agents + c] = i as u32;
            if !cell.usable && !cell.cron.is_empty() {
                self.cron_at_risk.push((r, c));
            }
        }
        self.cron_at_risk.sort_unstable();
    }

    /// (row, column) of cell `i` when the report lists cells agent by agent, each
    /// with every provider in order (as `build_report` does): no hashing needed.
    fn in_report_order(&self, report: &Report, i: usize, cell: &Cell) -> Option<(usize, usize)> {
        let (c, r) = (i.checked_div(self.providers)?, i % self.providers.max(1));
        let same =
            report.agents.get(c)?.id == cell.agent && report.providers.get(r)?.id == cell.provider;
        same.then_some((r, c))
    }

    /// The cell of provider row `row` and agent column `col`, if the report has it.
    pub(crate) fn cell<'r>(&self, report: &'r Report, row: usize, col: usize) -> Option<&'r Cell> {
        if row >= self.providers || col >= self.agents {
            return None;
        }
        match self.cells[row * self.agents + col] {
            NO_CELL => None,
            i => report.cells.get(i as usize),
        }
    }
}

fn jobs_at_risk(report: &Report) -> Vec<usize> {
    let at_risk = |job| crate::domain::status::cronjobs::at_risk(job, &report.cells);
    (0..report.cron_jobs.len())
        .filter(|&i| at_risk(&report.cron_jobs[i]))
        .collect()
}

fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

fn count(report: &Report, severity: Severity) -> usize {
    report
        .problems
        .iter()
        .filter(|p| p.severity == severity)
        .count()
}

fn label_width(report: &Report) -> u16 {
    let widest = report
        .providers
        .iter()
        .map(|p| p.id.chars().count() + if p.declared { 2 } else { 0 })
        .max()
        .unwrap_or(0);
    (widest as u16 + 1).clamp(LABEL_MIN_WIDTH, LABEL_MAX_WIDTH)
}

fn column_width(report: &Report) -> u16 {
    let widest = report
        .agents
        .iter()
        .map(|a| a.id.chars().count() + usize::from(a.default))
        .max()
        .unwrap_or(0);
    (widest as u16).clamp(CELL_MIN_WIDTH, CELL_MAX_WIDTH)
}

/// A cell worth jumping to with `n`: the one "needs attention" rule.
pub(crate) fn needs_attention(cell: &Cell) -> bool {
    crate::service::attention::attention(cell).needs_attention()
}
