//! The terminal UI as a pure state machine: messages in, state and effects out.
//! No I/O here; the runner performs the effects and the views draw the state.
//! The overview is the bottom page; the pages over it (`Screen`) own their state.

pub mod add;
mod add_parts;
mod add_provider;
pub mod copy;
mod ctx;
mod fix;
mod help;
pub(crate) mod live;
mod mouse;
mod overview;
pub mod review;
pub mod rotate;
mod screen;
pub mod steps;

pub use super::msg::{Effect, Msg};
pub use super::outcome::{Outcome, Phase, Reread};
pub(crate) use add::AddWizard;
pub(crate) use copy::CopyWizard;
pub(crate) use ctx::Notice;
pub(crate) use help::HelpPage;
pub(crate) use review::ReviewPage;
pub(crate) use rotate::RotateWizard;
pub use screen::{Page, Screen};
pub(crate) use steps::{Body, Checklist, Choice, Form};

use super::index::MatrixIndex;
use super::keymap::{self, Action, Context};
use super::layout::Areas;
use super::theme::Theme;
use crate::domain::problem::Problem;
use crate::domain::status::report::Report;
use crate::domain::status::resolve::Cell;
use crate::tui::msg::{ExternalOutcome, PlanRequest};
use crossterm::event::{KeyEvent, KeyEventKind};
use ctx::{Ctx, Go, error, info};
use ratatui::layout::Rect;

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
    pub(crate) offset: usize,
}

/// The breadcrumb of a repair: it starts at the review.
const REPAIR_STEPS: &[&str] = &["review", "result"];

/// The whole UI state: the overview's (public for the views and tests to read;
/// change them only through `update`) and the pages over it.
pub struct App {
    pub report: Report,
    pub index: MatrixIndex,
    pub(crate) theme: Theme,
    /// The pages over the overview, the top one last.
    stack: Vec<Screen>,
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
    pub size: (u16, u16),
    pub notice: Option<Notice>,
    pub reloading: bool,
    /// Live checks (`t`/`T`): marks per cell and the cells being checked.
    pub live: crate::tui::checks::LiveChecks,
    /// The selection is where the app put it at start: `n` first lands there.
    fresh: bool,
    /// The built-in demo state is shown (the header says so).
    pub(crate) demo: bool,
}

/// Shows where the UI is, never what was typed into it.
impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("pages", &self.pages())
            .field("focus", &self.focus)
            .field("filter", &self.filter)
            .field("cursor", &self.cursor)
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
            stack: Vec::new(),
            focus: Focus::Matrix,
            filter: String::new(),
            cursor: Cursor::default(),
            anchor: (None, None),
            problem: ListCursor::default(),
            details_scroll: 0,
            size: (0, 0),
            notice: None,
            reloading: false,
            live: crate::tui::checks::LiveChecks::default(),
            fresh: true,
            demo: false,
        };
        app.select_first_cron_risk();
        app
    }

    /// The same app, marked as showing the built-in demo state.
    pub fn on_demo(mut self, demo: bool) -> App {
        self.demo = demo;
        self
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

    /// The pages over the overview, the top one last.
    pub fn screens(&self) -> &[Screen] {
        &self.stack
    }

    /// The top page (`None`: the overview).
    pub fn screen(&self) -> Option<&Screen> {
        self.stack.last()
    }

    /// The page drawn full-screen: the top page that is not an overlay.
    pub(crate) fn base_screen(&self) -> Option<&Screen> {
        self.stack.iter().rev().find(|s| !s.is_overlay())
    }

    pub fn page(&self) -> Page {
        self.screen().map_or(Page::Overview, Screen::page)
    }

    /// Every page from the overview up, wizard steps included.
    pub fn pages(&self) -> Vec<Page> {
        let above = self.stack.iter().flat_map(Screen::pages);
        std::iter::once(Page::Overview).chain(above).collect()
    }

    pub(crate) fn base_page(&self) -> Page {
        self.base_screen().map_or(Page::Overview, Screen::page)
    }

    pub(crate) fn context(&self) -> Context {
        self.page().context()
    }

    /// Where the help is scrolled to (0 when it is closed).
    pub fn help_scroll(&self) -> u16 {
        match self.screen() {
            Some(Screen::Help(h)) => h.scroll,
            _ => 0,
        }
    }

    /// The review (or result) page drawn full-screen, if that is one.
    pub fn review(&self) -> Option<&ReviewPage> {
        match self.base_screen() {
            Some(Screen::Review(r)) => Some(r),
            _ => None,
        }
    }

    pub fn areas(&self) -> Areas {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        Areas::new(area, &self.index, self.report.problems.len())
    }

    /// Index into `report.providers` of the selected row.
    pub(crate) fn selected_provider(&self) -> Option<usize> {
        self.rows.get(self.cursor.row).copied()
    }

    /// Index into `report.agents` of the selected column.
    pub(crate) fn selected_agent(&self) -> Option<usize> {
        self.cols.get(self.cursor.col).copied()
    }

    pub fn selected_cell(&self) -> Option<&Cell> {
        let (row, col) = (self.selected_provider()?, self.selected_agent()?);
        self.index.cell(&self.report, row, col)
    }

    pub fn selected_problem(&self) -> Option<&Problem> {
        self.report.problems.get(self.problem.selected)
    }

    /// True while a page holds input or a plan that was not applied.
    pub(crate) fn unapplied(&self) -> bool {
        self.base_screen().is_some_and(Screen::unapplied)
    }

    /// What a page may use of the app, and the pages.
    fn split(&mut self) -> (Ctx<'_>, &mut Vec<Screen>) {
        let ctx = Ctx {
            report: &self.report,
            index: &self.index,
            theme: self.theme,
            size: self.size,
            notice: &mut self.notice,
        };
        (ctx, &mut self.stack)
    }

    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Key(key) => return self.on_key(key),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Mouse(event) => return self.on_mouse(event),
            Msg::FilesChanged => return self.on_files_changed(),
            Msg::Resize(width, height) => {
                self.size = (width, height);
                self.scroll_into_view();
            }
            Msg::Tick => {}
            Msg::Reloaded(result) => self.on_reloaded(result),
            Msg::Planned(result) => {
                let base = self.stack.iter_mut().rev().find(|s| !s.is_overlay());
                if let Some(r) = base.and_then(Screen::review_mut) {
                    r.on_planned(result);
                }
            }
            Msg::Applied(result) => {
                if let Some(r) = self.stack.last_mut().and_then(Screen::review_mut) {
                    r.on_applied(result);
                }
            }
            Msg::Profiles(result) => {
                if let Some(w) = self.stack.iter_mut().find_map(Screen::copy_mut) {
                    w.on_profiles(result);
                }
            }
            Msg::KeyGroups(result) => {
                if let Some(w) = self.stack.iter_mut().find_map(Screen::rotate_mut) {
                    w.on_key_groups(result);
                }
            }
            Msg::ExternalDone(outcome) => return self.on_external(outcome),
            Msg::Probed(result, at) => self.on_probed(result, at),
            Msg::KeyChecked(measured, at) => {
                if let Some(r) = self.stack.iter_mut().rev().find_map(Screen::review_mut) {
                    r.on_key_checked(&measured, at);
                }
            }
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
        match self.stack.last_mut() {
            Some(Screen::Filter) => self.filter_key(key),
            Some(screen) => screen.form_mut().into_iter().for_each(|f| f.key(key)),
            None => {}
        }
    }

    fn on_paste(&mut self, text: &str) {
        match self.stack.last_mut() {
            Some(Screen::Filter) => self.filter_paste(text),
            Some(screen) => screen.form_mut().into_iter().for_each(|f| f.paste(text)),
            None => {}
        }
    }

    fn perform(&mut self, action: Action) -> Effect {
        match action {
            Action::ForceQuit => return Effect::Quit,
            Action::Quit => return self.quit(),
            Action::OpenHelp => {
                let help = HelpPage::open(self.context(), self.size.0);
                self.stack.push(Screen::Help(help));
                return Effect::None;
            }
            _ => {}
        }
        let (mut ctx, stack) = self.split();
        let go = match stack.last_mut() {
            None | Some(Screen::Filter) => return self.overview_action(action),
            Some(Screen::Help(h)) => h.action(action, ctx.size),
            Some(Screen::ConfirmQuit) if action == Action::QuitConfirmed => Go::Run(Effect::Quit),
            Some(Screen::ConfirmQuit) => Go::Close,
            Some(Screen::Add(w)) => w.action(action, &mut ctx),
            Some(Screen::Copy(w)) => w.action(action, &mut ctx),
            Some(Screen::Rotate(w)) => w.action(action, &mut ctx),
            Some(Screen::Review(r)) => r.action(action, &mut ctx),
        };
        self.go(go)
    }

    /// Does what a page asked for.
    fn go(&mut self, go: Go) -> Effect {
        match go {
            Go::Stay => Effect::None,
            Go::Run(effect) => effect,
            Go::Close => {
                self.stack.pop();
                Effect::None
            }
            Go::Home => {
                self.stack.clear();
                Effect::None
            }
            Go::Plan {
                title,
                steps,
                request,
            } => {
                let review = ReviewPage::planning(title, steps);
                self.stack.push(Screen::Review(Box::new(review)));
                Effect::Plan(request)
            }
        }
    }

    /// q: quits, but asks first while a page holds something unapplied.
    fn quit(&mut self) -> Effect {
        if self.unapplied() {
            self.stack.push(Screen::ConfirmQuit);
            return Effect::None;
        }
        Effect::Quit
    }

    /// Opens a page over the overview, or says why it cannot open.
    fn start(&mut self, page: Result<Screen, String>) -> Effect {
        match page {
            Ok(page) => self.stack.push(page),
            Err(why) => self.notice = Some(error(why)),
        }
        Effect::None
    }

    fn start_add(&mut self) -> Effect {
        let provider = self.selected_provider();
        let agent = self
            .selected_agent()
            .map(|a| self.report.agents[a].id.clone());
        let flow = AddWizard::start(&self.split().0, provider, agent);
        self.start(flow.map(|w| Screen::Add(Box::new(w))))
    }

    fn start_copy(&mut self) -> Effect {
        let agent = self.selected_agent();
        let flow = CopyWizard::start(&self.split().0, agent);
        self.start(flow.map(|w| Screen::Copy(Box::new(w))))
    }

    fn start_rotate(&mut self) -> Effect {
        let (provider, agent) = (self.selected_provider(), self.selected_agent());
        let flow = RotateWizard::start(&self.split().0, provider, agent);
        self.start(flow.map(|w| Screen::Rotate(Box::new(w))))
    }

    /// `f` (or Enter on a problem): the safe fixes for one agent's store
    /// (every store for a problem that belongs to no agent).
    fn start_repair(&mut self) -> Effect {
        let agents: Vec<String> = match self.focus {
            Focus::Problems => match self.selected_problem() {
                Some(p) => p.agent.iter().cloned().collect(),
                None => return Effect::None,
            },
            Focus::Matrix => match self.selected_agent() {
                Some(a) => vec![self.report.agents[a].id.clone()],
                None => return Effect::None,
            },
        };
        self.repair_agents(agents)
    }

    /// The repair review of these agents' stores (every store when empty).
    fn repair_agents(&mut self, agents: Vec<String>) -> Effect {
        let title = match agents.is_empty() {
            true => "Repair every agent's store".into(),
            false => format!("Repair agent {}", agents.join(", ")),
        };
        let request = PlanRequest::Repair { agents };
        self.go(Go::Plan {
            title,
            steps: REPAIR_STEPS,
            request,
        })
    }

    /// Back from an OpenClaw sign-in: show how it went and re-read the state.
    fn on_external(&mut self, outcome: ExternalOutcome) -> Effect {
        let Some(Screen::Add(w)) = self.base_screen() else {
            return Effect::None;
        };
        let Some(signin) = w.signed_in() else {
            return Effect::None;
        };
        let ran = matches!(outcome, ExternalOutcome::Exited { .. });
        let page = ReviewPage::signed_in(w.title(), add::STEPS, signin, outcome, &self.report);
        self.stack.push(Screen::Review(Box::new(page)));
        match ran {
            true => self.start_reload(),
            false => Effect::None,
        }
    }

    /// Enter on the overview: a problem's repair, or the cell's best fix.
    fn activate(&mut self) -> Effect {
        match self.focus {
            Focus::Problems => self.start_repair(),
            Focus::Matrix => self.start_fix(),
        }
    }

    /// Esc on the filter: one page back.
    fn back(&mut self) {
        self.stack.pop();
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
                let report = &self.report;
                for r in self.stack.iter_mut().filter_map(Screen::review_mut) {
                    r.note_reread(Ok(report));
                }
            }
            Err(e) => {
                for r in self.stack.iter_mut().filter_map(Screen::review_mut) {
                    r.note_reread(Err(e.clone()));
                }
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
        use crate::domain::text::count;
        self.notice = Some(info(&format!(
            "Reloaded: {} × {}, {}, {}",
            count(r.agents.len(), "agent"),
            count(r.providers.len(), "provider"),
            count(i.errors, "error"),
            count(i.warnings, "warning")
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
