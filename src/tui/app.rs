//! The terminal UI as a pure state machine: messages in, state and effects out.
//! No I/O here; the runner performs the effects and the views draw the state.

pub mod add;
pub mod copy;
mod overview;
mod review;
pub mod rotate;
pub mod wizard;

pub use super::msg::{Effect, Msg};
pub use review::{Outcome, Reread, Review};
pub use wizard::{Checklist, Choice, Form, Item, Wizard};

use super::index::MatrixIndex;
use super::keymap::{self, Action, Context};
use super::layout::Areas;
use super::theme::Theme;
use crate::domain::problem::Problem;
use crate::domain::report::{CellOut, Report};
use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Overview,
    Help,
    /// Typing the filter text (over the overview).
    Filter,
    /// Add or replace: the provider.
    Provider,
    /// Add or replace: api_key, token or oauth.
    CredType,
    /// Add or replace (oauth): sign in with OpenClaw, import, or paste JSON.
    OAuthSource,
    /// Add or replace: the secret (or OAuth JSON), profile id, expiry, email.
    Secret,
    /// Add or replace: the stores to write.
    Targets,
    CopySource,
    CopyProfiles,
    CopyDestinations,
    CopyConflicts,
    RotateSecret,
    RotateAgents,
    /// The plan with its redacted diff; Enter asks, then applies.
    Review,
    /// While the plan is written and verified.
    Applying,
    /// ✓/✗ per file, command and verification.
    Result,
    /// "Discard and quit? y/N" (over any page).
    ConfirmQuit,
}

impl Page {
    /// Pages drawn over the page below them.
    pub fn is_overlay(self) -> bool {
        matches!(self, Page::Help | Page::ConfirmQuit)
    }

    pub fn context(self) -> Context {
        match self {
            Page::Overview => Context::Overview,
            Page::Help => Context::Help,
            Page::Filter => Context::Filter,
            Page::Provider | Page::CredType | Page::OAuthSource => Context::Choice,
            Page::CopySource | Page::CopyConflicts => Context::Choice,
            Page::Targets | Page::CopyProfiles => Context::Checklist,
            Page::CopyDestinations | Page::RotateAgents => Context::Checklist,
            Page::Secret | Page::RotateSecret => Context::Form,
            Page::Review => Context::Review,
            Page::Applying => Context::Applying,
            Page::Result => Context::Result,
            Page::ConfirmQuit => Context::ConfirmQuit,
        }
    }
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
    /// The flow in progress (add, copy, rotate, repair); `None` on the overview.
    pub wizard: Option<Wizard>,
    /// The plan of the flow, once asked for.
    pub review: Option<Review>,
    /// What applying (or an OpenClaw sign-in) did.
    pub outcome: Option<Outcome>,
    pub result_scroll: u16,
}

/// Shows where the UI is, never what was typed into it.
impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("pages", &self.pages)
            .field("focus", &self.focus)
            .field("filter", &self.filter)
            .field("cursor", &self.cursor)
            .field("wizard", &self.wizard.as_ref().map(Wizard::title))
            .field("planned", &self.review.as_ref().map(|r| r.plan.is_some()))
            .finish_non_exhaustive()
    }
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
            wizard: None,
            review: None,
            outcome: None,
            result_scroll: 0,
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

    /// The page drawn full-screen: the top page that is not an overlay.
    pub fn base_page(&self) -> Page {
        self.pages
            .iter()
            .rev()
            .find(|p| !p.is_overlay())
            .copied()
            .unwrap_or(Page::Overview)
    }

    pub fn context(&self) -> Context {
        self.page().context()
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

    /// True while a wizard holds input or a plan that was not applied.
    pub fn unapplied(&self) -> bool {
        self.wizard.is_some() && self.outcome.is_none()
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
            Msg::Planned(result) => self.on_planned(result),
            Msg::Applied(result) => self.on_applied(result),
            Msg::Profiles(result) => self.on_profiles(result),
            Msg::ExternalDone(outcome) => return self.on_external(outcome),
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

    /// A key no binding took: text for the filter or the focused field.
    fn type_key(&mut self, key: KeyEvent) {
        match self.page() {
            Page::Filter => self.filter_key(key),
            _ => self.field_key(key),
        }
    }

    fn on_paste(&mut self, text: &str) {
        match self.page() {
            Page::Filter => self.filter_paste(text),
            _ => self.field_paste(text),
        }
    }

    fn perform(&mut self, action: Action) -> Effect {
        match (self.context(), action) {
            (_, Action::ForceQuit) => Effect::Quit,
            (_, Action::Quit) => self.quit(),
            (Context::Overview | Context::Help | Context::Filter, _) => {
                self.overview_action(action)
            }
            _ => self.wizard_action(action),
        }
    }

    fn overview_action(&mut self, action: Action) -> Effect {
        match action {
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
            Action::StartAdd => self.start_add(),
            Action::StartCopy => return self.start_copy(),
            Action::StartRotate => self.start_rotate(),
            Action::StartRepair => return self.start_repair(),
            Action::Activate => return self.activate(),
            motion => self.navigate(motion),
        }
        Effect::None
    }

    /// q: quits, but asks first while a wizard holds something unapplied.
    fn quit(&mut self) -> Effect {
        if self.unapplied() && self.page() != Page::Applying {
            self.open(Page::ConfirmQuit);
            return Effect::None;
        }
        Effect::Quit
    }

    /// Enter on the overview: a problem's repair, or add/replace for the cell.
    fn activate(&mut self) -> Effect {
        match self.focus {
            Focus::Problems => self.start_repair(),
            Focus::Matrix => {
                self.start_add();
                Effect::None
            }
        }
    }

    fn open(&mut self, page: Page) {
        if page == Page::Help {
            self.help_scroll = match self.context() {
                Context::Overview | Context::Filter => 0,
                context => crate::tui::view::help::line_of(context, self.size.0),
            };
        }
        if self.page() != page {
            self.pages.push(page);
        }
    }

    /// Replaces the top page (a step that must not be returned to).
    fn replace(&mut self, page: Page) {
        self.pages.pop();
        self.open(page);
    }

    /// Esc: one page back; the overview is the bottom page. Back on the
    /// overview, whatever a wizard held is dropped (nothing was written).
    fn back(&mut self) {
        if self.pages.len() > 1 {
            self.pages.pop();
        }
        if self.pages == [Page::Overview] {
            self.end_wizard();
        }
    }

    /// Straight back to the overview, dropping the wizard.
    fn end_wizard(&mut self) {
        self.pages.truncate(1);
        self.wizard = None;
        self.review = None;
        self.outcome = None;
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
            Ok(report) => {
                self.replace_report(report);
                self.note_sign_in_changes(Ok(()));
            }
            Err(e) => {
                self.note_sign_in_changes(Err(e.clone()));
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

    /// The cell of a provider and an agent, by id.
    pub fn cell_of(&self, provider: &str, agent: &str) -> Option<&CellOut> {
        let row = self
            .report
            .providers
            .iter()
            .position(|p| p.id == provider)?;
        let col = self.report.agents.iter().position(|a| a.id == agent)?;
        self.index.cell(&self.report, row, col)
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

fn error(text: impl Into<String>) -> Notice {
    Notice {
        text: text.into(),
        is_error: true,
    }
}
