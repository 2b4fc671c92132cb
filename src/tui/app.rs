//! The terminal UI as a pure state machine: messages in, state and effects out.
//! No I/O here; the runner performs the effects and the views draw the state.

use super::index::{MatrixIndex, needs_attention};
use super::keymap::{self, Action, Context};
use super::layout::Areas;
use super::theme::Theme;
use crate::domain::problem::Problem;
use crate::domain::report::{CellOut, Report};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

/// Everything that can happen to the UI.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick,
    Reloaded(Result<Report, String>),
}

/// What the runner must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    Quit,
    /// Read the OpenClaw state again and send back `Msg::Reloaded`.
    Reload,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Overview,
    Help,
    /// Typing the filter text (over the overview).
    Filter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Matrix,
    Problems,
}

/// Selection and scroll position in the matrix, in visible (filtered) rows and columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub row: usize,
    pub col: usize,
    pub row_offset: usize,
    pub col_offset: usize,
}

/// Selection and scroll position in a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: usize,
}

/// A one-line message for the hint bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// Jumps far enough to reach the first or last entry.
const FAR: isize = isize::MAX / 4;

/// The whole UI state. Fields are public for the views and tests to read;
/// change them only through `update`.
pub struct App {
    pub report: Report,
    pub index: MatrixIndex,
    pub theme: Theme,
    pages: Vec<Page>,
    pub focus: Focus,
    pub filter: String,
    /// Visible provider rows (indices into `report.providers`).
    pub rows: Vec<usize>,
    /// Visible agent columns (indices into `report.agents`).
    pub cols: Vec<usize>,
    pub cursor: Cursor,
    /// The provider and agent last chosen by moving; filters and reloads return to them.
    anchor: (Option<String>, Option<String>),
    pub problem: ListCursor,
    pub details_scroll: u16,
    pub help_scroll: u16,
    pub size: (u16, u16),
    pub notice: Option<Notice>,
    pub reloading: bool,
}

impl App {
    pub fn new(mut report: Report, theme: Theme) -> App {
        errors_first(&mut report);
        let index = MatrixIndex::new(&report);
        let mut app = App {
            rows: (0..index.providers).collect(),
            cols: (0..index.agents).collect(),
            report,
            index,
            theme,
            pages: vec![Page::Overview],
            focus: Focus::Matrix,
            filter: String::new(),
            cursor: Cursor::default(),
            anchor: (None, None),
            problem: ListCursor::default(),
            details_scroll: 0,
            help_scroll: 0,
            size: (0, 0),
            notice: None,
            reloading: false,
        };
        app.select_first_cron_risk();
        app
    }

    /// The same app, laid out for a terminal of `width` × `height`.
    pub fn with_size(mut self, width: u16, height: u16) -> App {
        self.update(Msg::Resize(width, height));
        self
    }

    /// A cron job that cannot authenticate is the first thing to see.
    fn select_first_cron_risk(&mut self) {
        if let Some(&(row, col)) = self.index.cron_at_risk.first() {
            self.cursor.row = row;
            self.cursor.col = col;
        }
        self.anchor = self.selected_ids();
    }

    pub fn page(&self) -> Page {
        *self.pages.last().unwrap_or(&Page::Overview)
    }

    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    pub fn context(&self) -> Context {
        match self.page() {
            Page::Overview => Context::Overview,
            Page::Help => Context::Help,
            Page::Filter => Context::Filter,
        }
    }

    pub fn areas(&self) -> Areas {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        Areas::new(area, &self.index, self.report.problems.len())
    }

    /// Index into `report.providers` of the selected row.
    pub fn selected_provider(&self) -> Option<usize> {
        self.rows.get(self.cursor.row).copied()
    }

    /// Index into `report.agents` of the selected column.
    pub fn selected_agent(&self) -> Option<usize> {
        self.cols.get(self.cursor.col).copied()
    }

    pub fn selected_cell(&self) -> Option<&CellOut> {
        let (row, col) = (self.selected_provider()?, self.selected_agent()?);
        self.index.cell(&self.report, row, col)
    }

    pub fn selected_problem(&self) -> Option<&Problem> {
        self.report.problems.get(self.problem.selected)
    }

    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Key(key) => return self.on_key(key),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Resize(width, height) => {
                self.size = (width, height);
                self.scroll_into_view();
            }
            Msg::Tick => {}
            Msg::Reloaded(result) => self.on_reloaded(result),
        }
        Effect::None
    }

    fn on_key(&mut self, key: KeyEvent) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::None;
        }
        if !self.reloading {
            self.notice = None;
        }
        match keymap::lookup(self.context(), &key) {
            Some(action) => self.perform(action),
            None => {
                self.type_key(key);
                Effect::None
            }
        }
    }

    fn perform(&mut self, action: Action) -> Effect {
        match action {
            Action::Quit => return Effect::Quit,
            Action::Reload => return self.start_reload(),
            Action::OpenHelp => self.open(Page::Help),
            Action::Back | Action::AcceptFilter => self.back(),
            Action::StartFilter => self.open(Page::Filter),
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
            motion => self.navigate(motion),
        }
        Effect::None
    }

    fn open(&mut self, page: Page) {
        if page == Page::Help {
            self.help_scroll = 0;
        }
        if self.page() != page {
            self.pages.push(page);
        }
    }

    /// Esc: one page back; the overview is the bottom page.
    fn back(&mut self) {
        if self.pages.len() > 1 {
            self.pages.pop();
        }
    }

    fn switch_focus(&mut self) {
        self.focus = match self.focus {
            Focus::Matrix if !self.report.problems.is_empty() => Focus::Problems,
            _ => Focus::Matrix,
        };
        self.details_scroll = 0;
    }

    fn start_reload(&mut self) -> Effect {
        if self.reloading {
            return Effect::None;
        }
        self.reloading = true;
        self.notice = Some(info("Reloading the OpenClaw state…"));
        Effect::Reload
    }

    fn on_reloaded(&mut self, result: Result<Report, String>) {
        self.reloading = false;
        match result {
            Ok(report) => self.replace_report(report),
            Err(e) => {
                self.notice = Some(Notice {
                    text: format!("Reload failed: {e}. Still showing the state read before."),
                    is_error: true,
                })
            }
        }
    }

    /// A fresh report; the selection stays on the same provider and agent if they still exist.
    fn replace_report(&mut self, mut report: Report) {
        errors_first(&mut report);
        self.report = report;
        self.index = MatrixIndex::new(&self.report);
        self.refilter();
        let last = self.report.problems.len().saturating_sub(1);
        self.problem.selected = self.problem.selected.min(last);
        if self.report.problems.is_empty() {
            self.focus = Focus::Matrix;
        }
        self.scroll_into_view();
        let (r, i) = (&self.report, &self.index);
        self.notice = Some(info(&format!(
            "Reloaded: {} agents × {} providers, {} errors, {} warnings",
            r.agents.len(),
            r.providers.len(),
            i.errors,
            i.warnings
        )));
    }

    fn selected_ids(&self) -> (Option<String>, Option<String>) {
        let provider = self
            .selected_provider()
            .map(|p| &self.report.providers[p].id);
        let agent = self.selected_agent().map(|a| &self.report.agents[a].id);
        (provider.cloned(), agent.cloned())
    }
}

/// Problems by severity (errors first), otherwise in the report's order.
fn errors_first(report: &mut Report) {
    report.problems.sort_by_key(|p| p.severity);
}

fn info(text: &str) -> Notice {
    Notice {
        text: text.to_string(),
        is_error: false,
    }
}

// Filter.
impl App {
    fn type_key(&mut self, key: KeyEvent) {
        let typing = key.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE;
        if let (Page::Filter, KeyCode::Char(c), true) = (self.page(), key.code, typing) {
            self.edit_filter(|f| f.push(c));
        }
    }

    fn on_paste(&mut self, text: &str) {
        if self.page() == Page::Filter {
            // Terminals paste line breaks as CR; the filter takes the first line.
            let line = text.split(['\r', '\n']).next().unwrap_or_default();
            let clean: String = line.chars().filter(|c| !c.is_control()).collect();
            self.edit_filter(|f| f.push_str(&clean));
        }
    }

    fn edit_filter(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.filter);
        self.refilter();
    }

    /// Esc: clears the filter (and closes the filter input if it is open).
    fn clear_filter(&mut self) {
        if self.page() == Page::Filter {
            self.back();
        }
        if !self.filter.is_empty() {
            self.edit_filter(String::clear);
        }
    }

    /// Recomputes the visible rows and columns; the selection returns to the anchor when visible.
    fn refilter(&mut self) {
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
    fn navigate(&mut self, action: Action) {
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
        match (self.page(), self.focus) {
            (Page::Help, _) => self.scroll_help(down),
            (_, Focus::Matrix) => self.move_in_matrix(down, right),
            (_, Focus::Problems) => self.move_in_problems(down),
        }
        self.scroll_into_view();
    }

    /// Rows one page moves in the pane that has the focus.
    fn page_rows(&self, areas: &Areas) -> usize {
        match (self.page(), self.focus) {
            (Page::Help, _) => (self.size.1 as usize).saturating_sub(8),
            (_, Focus::Matrix) => areas.matrix_rows(),
            (_, Focus::Problems) => areas.problem_rows(),
        }
    }

    fn scroll_help(&mut self, down: isize) {
        let last = super::view::help::line_count().saturating_sub(1);
        self.help_scroll = step(self.help_scroll as usize, last + 1, down) as u16;
    }

    fn move_in_matrix(&mut self, down: isize, right: isize) {
        let before = self.cursor;
        self.cursor.row = step(self.cursor.row, self.rows.len(), down);
        self.cursor.col = step(self.cursor.col, self.cols.len(), right);
        if self.cursor != before {
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

    /// `n`/`N`: the next (or previous) visible cell that needs attention, wrapping around.
    fn jump_to_attention(&mut self, forward: bool) {
        self.focus = Focus::Matrix;
        let (width, total) = (self.cols.len(), self.rows.len() * self.cols.len());
        let here = self.cursor.row * width + self.cursor.col;
        let found = (1..=total)
            .map(|k| match forward {
                true => (here + k) % total,
                false => (here + total - k % total) % total,
            })
            .find(|&k| self.attention_at(k / width, k % width));
        match found {
            Some(k) => {
                (self.cursor.row, self.cursor.col) = (k / width, k % width);
                self.anchor = self.selected_ids();
                self.details_scroll = 0;
                self.scroll_into_view();
            }
            None => self.notice = Some(info("No cell in view needs attention.")),
        }
    }

    fn attention_at(&self, row: usize, col: usize) -> bool {
        self.index
            .cell(&self.report, self.rows[row], self.cols[col])
            .is_some_and(needs_attention)
    }

    /// Adjusts scroll offsets so the selections are visible.
    fn scroll_into_view(&mut self) {
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

/// `pos` moved by `delta` within `0..len`.
fn step(pos: usize, len: usize, delta: isize) -> usize {
    let last = len.saturating_sub(1) as isize;
    (pos as isize).saturating_add(delta).clamp(0, last.max(0)) as usize
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
