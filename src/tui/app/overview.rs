//! The overview's own behaviour: the filter and moving around the matrix and lists.

use super::ctx::{FAR, info, step};
use super::{App, Effect, Focus, Page, Screen};
use crate::tui::index::needs_attention;
use crate::tui::keymap::Action;
use crate::tui::layout::Areas;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

// The overview's keys.
impl App {
    pub(super) fn overview_action(&mut self, action: Action) -> Effect {
        match action {
            Action::Reload => return self.start_reload(),
            Action::CheckCell => return self.start_check(false),
            Action::CheckAll => return self.start_check(true),
            Action::ClearCooldowns => return self.start_clear_cooldowns(),
            Action::Back | Action::AcceptFilter => self.back(),
            Action::StartFilter => self.stack.push(Screen::Filter),
            Action::ClearFilter => self.clear_filter(),
            Action::DeleteFilterChar => self.edit_filter(|f| {
                f.pop();
            }),
            Action::DeleteFilterText => self.edit_filter(String::clear),
            Action::NextProblem => self.jump_to_attention(true),
            Action::PrevProblem => self.jump_to_attention(false),
            Action::SwitchFocus => self.switch_focus(),
            Action::DetailsDown => self.details_scroll = self.details_scroll.saturating_add(1),
            Action::DetailsUp => self.details_scroll = self.details_scroll.saturating_sub(1),
            Action::StartAdd => return self.start_add(),
            Action::StartCopy => return self.start_copy(),
            Action::StartRotate => return self.start_rotate(),
            Action::StartRepair => return self.start_repair(),
            Action::Activate => return self.activate(),
            motion => self.navigate(motion),
        }
        Effect::None
    }
}

// Filter.
impl App {
    pub(super) fn filter_key(&mut self, key: KeyEvent) {
        let typing = key.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE;
        if let (KeyCode::Char(c), true) = (key.code, typing) {
            self.edit_filter(|f| f.push(c));
        }
    }

    pub(super) fn filter_paste(&mut self, text: &str) {
        // Terminals paste line breaks as CR; the filter takes the first line.
        let line = text.split(['\r', '\n']).next().unwrap_or_default();
        let clean: String = line.chars().filter(|c| !c.is_control()).collect();
        self.edit_filter(|f| f.push_str(&clean));
    }

    pub(super) fn edit_filter(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.filter);
        self.refilter();
    }

    /// Esc: clears the filter (and closes the filter input if it is open).
    pub(super) fn clear_filter(&mut self) {
        if self.page() == Page::Filter {
            self.back();
        }
        if !self.filter.is_empty() {
            self.edit_filter(String::clear);
        }
    }

    /// Recomputes the visible rows and columns; the selection returns to the anchor when visible.
    pub(super) fn refilter(&mut self) {
        let needle = self.filter.trim().to_lowercase();
        let provider_ids = self.report.providers.iter().map(|p| p.id.as_str());
        let agent_ids = self.report.agents.iter().map(|a| a.id.as_str());
        let mut rows = matching(provider_ids, &needle);
        let mut cols = matching(agent_ids, &needle);
        // Text naming only agents keeps every provider, and the other way round.
        if rows.is_empty() && !cols.is_empty() {
            rows = (0..self.index.providers).collect();
        } else if cols.is_empty() && !rows.is_empty() {
            cols = (0..self.index.agents).collect();
        }
        let (report, (provider, agent)) = (&self.report, &self.anchor);
        self.cursor.row = position(&rows, provider.as_deref(), |i| &report.providers[i].id);
        self.cursor.col = position(&cols, agent.as_deref(), |i| &report.agents[i].id);
        (self.rows, self.cols) = (rows, cols);
        self.details_scroll = 0;
        self.scroll_into_view();
    }
}

/// Where the entry with id `wanted` is in `list` (0 when it is not there).
fn position<'r>(list: &[usize], wanted: Option<&str>, id_of: impl Fn(usize) -> &'r str) -> usize {
    wanted
        .and_then(|w| list.iter().position(|&i| id_of(i) == w))
        .unwrap_or(0)
}

fn matching<'a>(ids: impl Iterator<Item = &'a str>, needle: &str) -> Vec<usize> {
    ids.enumerate()
        .filter(|(_, id)| needle.is_empty() || id.to_lowercase().contains(needle))
        .map(|(i, _)| i)
        .collect()
}

// Navigation.
impl App {
    pub(super) fn navigate(&mut self, action: Action) {
        let areas = self.areas();
        let page = |rows: usize| rows.max(1) as isize;
        let (down, right) = match action {
            Action::Up => (-1, 0),
            Action::Down => (1, 0),
            Action::Left => (0, -1),
            Action::Right => (0, 1),
            Action::PageUp => (-page(self.page_rows(&areas)), 0),
            Action::PageDown => (page(self.page_rows(&areas)), 0),
            Action::First => (-FAR, 0),
            Action::Last => (FAR, 0),
            Action::FirstColumn => (0, -FAR),
            Action::LastColumn => (0, FAR),
            _ => return,
        };
        match self.focus {
            Focus::Matrix => self.move_in_matrix(down, right),
            Focus::Problems => self.move_in_problems(down),
        }
        self.scroll_into_view();
    }

    /// Rows one page moves in the pane that has the focus.
    fn page_rows(&self, areas: &Areas) -> usize {
        match self.focus {
            Focus::Matrix => areas.matrix_rows(),
            Focus::Problems => areas.problem_rows(),
        }
    }

    fn move_in_matrix(&mut self, down: isize, right: isize) {
        let before = self.cursor;
        self.cursor.row = step(self.cursor.row, self.rows.len(), down);
        self.cursor.col = step(self.cursor.col, self.cols.len(), right);
        if self.cursor != before {
            self.fresh = false;
            self.details_scroll = 0;
            self.anchor = self.selected_ids();
        }
    }

    fn move_in_problems(&mut self, down: isize) {
        let before = self.problem.selected;
        self.problem.selected = step(before, self.report.problems.len(), down);
        if self.problem.selected != before {
            self.details_scroll = 0;
        }
    }

    /// `n`/`N`: the next (or previous) visible cell that is not usable, then the
    /// usable ones that need attention (warnings), wrapping around. Right after the
    /// start, `n` first lands on the cell the app selected (the first cron job at risk).
    pub(super) fn jump_to_attention(&mut self, forward: bool) {
        self.focus = Focus::Matrix;
        let (stops, failing) = self.attention_stops();
        let width = self.cols.len();
        let here = self.cursor.row * width + self.cursor.col;
        let stay = std::mem::take(&mut self.fresh);
        let Some(i) = next_stop(&stops, failing, here, forward, stay) else {
            self.notice = Some(info("No cell in view needs attention."));
            return;
        };
        let k = stops[i];
        (self.cursor.row, self.cursor.col) = (k / width, k % width);
        self.anchor = self.selected_ids();
        self.details_scroll = 0;
        self.scroll_into_view();
        let (what, n, of) = match i < failing {
            true => ("Not usable", i + 1, failing),
            false => ("Needs attention", i + 1 - failing, stops.len() - failing),
        };
        let fix = match self.selected_cell().and_then(|c| c.best_fix.as_ref()) {
            Some(f) => format!(" · Enter: {}", f.action()),
            None => String::new(),
        };
        self.notice = Some(info(&format!("{what} {n} of {of}{fix}")));
    }

    /// Positions (row × width + column) of the visible cells `n` stops at: those
    /// that are not usable (how many: the second value), then the usable ones that
    /// need attention.
    fn attention_stops(&self) -> (Vec<usize>, usize) {
        let width = self.cols.len();
        let (mut failing, mut warnings) = (Vec::new(), Vec::new());
        for k in 0..self.rows.len() * width {
            let (row, col) = (self.rows[k / width], self.cols[k % width]);
            match self.index.cell(&self.report, row, col) {
                Some(c) if !c.usable => failing.push(k),
                Some(c) if needs_attention(c) => warnings.push(k),
                _ => {}
            }
        }
        let count = failing.len();
        failing.extend(warnings);
        (failing, count)
    }

    /// Adjusts scroll offsets so the selections are visible.
    pub(super) fn scroll_into_view(&mut self) {
        let areas = self.areas();
        let matrix_cols = areas.matrix_cols(&self.index);
        let c = &mut self.cursor;
        c.row = c.row.min(self.rows.len().saturating_sub(1));
        c.col = c.col.min(self.cols.len().saturating_sub(1));
        c.row_offset = keep_visible(c.row_offset, c.row, areas.matrix_rows(), self.rows.len());
        c.col_offset = keep_visible(c.col_offset, c.col, matrix_cols, self.cols.len());
        let p = &mut self.problem;
        let problems = self.report.problems.len();
        p.offset = keep_visible(p.offset, p.selected, areas.problem_rows(), problems);
    }
}

/// The scroll offset that shows `pos` in a window of `visible` entries out of `len`.
fn keep_visible(offset: usize, pos: usize, visible: usize, len: usize) -> usize {
    if visible == 0 {
        return pos.min(len.saturating_sub(1));
    }
    let offset = if pos < offset {
        pos
    } else if pos >= offset + visible {
        pos + 1 - visible
    } else {
        offset
    };
    offset.min(len.saturating_sub(visible))
}

/// Where `n` (forward) or `N` goes from position `here`, as an index into `stops`
/// (the first `failing` of them not usable): on a stop, the next one (the same one
/// when `stay`); elsewhere the nearest not-usable stop in matrix order.
fn next_stop(
    stops: &[usize],
    failing: usize,
    here: usize,
    forward: bool,
    stay: bool,
) -> Option<usize> {
    let len = stops.len();
    if let Some(i) = stops.iter().position(|&k| k == here) {
        return Some(match (stay, forward) {
            (true, _) => i,
            (false, true) => (i + 1) % len,
            (false, false) => (i + len - 1) % len,
        });
    }
    let tier = match failing {
        0 => 0..len,
        n => 0..n,
    };
    let (first, last) = (tier.start, tier.end.checked_sub(1)?);
    let found = match forward {
        true => tier.clone().find(|&i| stops[i] > here),
        false => tier.clone().rev().find(|&i| stops[i] < here),
    };
    Some(found.unwrap_or(if forward { first } else { last }))
}
