//! The hostile state through the terminal UI's own code, in this process: the backend
//! loads it as the runner does at start (`Session::discovery` + `build_report`), the
//! overview is drawn, and the add wizard is started on the selected cell and taken
//! through every page (the secret typed where it is asked for) to a plan from the
//! backend, which is then applied as the review page would.

use super::Case;
use crate::common::Fixture;
use crate::hostile_support::MARKER;
use clawauth::domain::ops::apply::ApplyResult;
use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::domain::status::report::Report;
use clawauth::service::session::Session;
use clawauth::tui::app::{App, Effect, Msg, Page};
use clawauth::tui::backend::Backend;
use clawauth::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;

/// What the UI did on the state.
pub struct UiRun {
    /// The report the overview was drawn from.
    pub report: Report,
    /// What the backend answered to the wizard's plan request.
    pub planned: Result<(), String>,
    /// The outcome of applying the plan (None: the plan failed).
    pub applied: Option<ApplyResult>,
    /// Every screen drawn, in order.
    pub screens: Vec<String>,
}

pub fn backend(state: &Path, env: EnvSnapshot) -> Backend {
    Backend::new(Session {
        state_dir: Some(state.to_path_buf()),
        ..Session::from_env(env)
    })
}

/// The UI on the state (tests/hostile_inputs/ui.rs): the report names the file, no
/// screen shows the secret typed into the wizard, and the wizard's write to the
/// selected cell's agent ends as `set` does on the command line.
pub(crate) fn check(f: &Fixture, case: &Case, shown: &str) -> Result<(), String> {
    let backend = backend(&f.state, f.env_snapshot());
    // Not the secret `set` wrote a moment ago: the wizard's plan must change something.
    let run = add_through_the_wizard(&backend, &format!("{MARKER}-ui"))?;
    let r = &run.report;
    // The "locked" case holds its lock in this very process; POSIX record locks are
    // per process, so only the child-process runs (the CLI above) can see it. A real
    // UI is never the process that holds OpenClaw's lock.
    let own_lock = matches!(case.content, super::Content::Locked);
    if let Some(code) = case.code
        && !own_lock
        && !r.problems.iter().any(|p| p.code == code && p.file == shown)
    {
        return Err(format!(
            "no {code} problem for {shown}: {:?}",
            r.problems
                .iter()
                .map(|p| (p.code, &p.file))
                .collect::<Vec<_>>()
        ));
    }
    if run.screens.iter().any(|s| s.contains(MARKER)) {
        return Err("the typed secret is on a screen".into());
    }
    let ok = run.applied.as_ref().is_some_and(|a| a.ok());
    if std::env::var_os("HOSTILE_SHOW").is_some() {
        eprintln!(
            "=== {} / ui: planned {:?}, applied {:?}\n{}",
            case.name,
            run.planned,
            run.applied,
            run.screens.last().unwrap()
        );
    }
    ui_expect(case, shown, &run, ok)
}

/// The wizard's write, judged like `set` on the command line.
fn ui_expect(case: &Case, shown: &str, run: &UiRun, ok: bool) -> Result<(), String> {
    let refused = case.place.sqlite() || case.refused.contains(&"set");
    if !refused && !ok {
        return Err(format!(
            "the wizard's write failed: planned {:?}, applied {:?}",
            run.planned, run.applied
        ));
    }
    if refused && ok {
        return Err("the wizard wrote where `set` is refused".into());
    }
    let said = run.screens.iter().any(|s| s.contains(shown));
    if refused && case.code.is_some() && !said {
        return Err(format!("no screen names {shown}"));
    }
    Ok(())
}

/// Loads, draws, and takes the add wizard to an applied (or refused) plan.
pub fn add_through_the_wizard(backend: &Backend, secret: &str) -> Result<UiRun, String> {
    let report = backend.report()?;
    let mut app = App::new(report.clone(), Theme::colored()).with_size(120, 40);
    let mut run = UiRun {
        report,
        planned: Err("the wizard never asked for a plan".into()),
        applied: None,
        screens: vec![draw(&app)],
    };
    let (mut effect, mut typed) = (app.update(press(KeyCode::Char('a'))), false);
    for _ in 0..32 {
        perform(backend, &mut app, effect, &mut run)?;
        run.screens.push(draw(&app));
        let failed = app.page() == Page::Review && run.planned.is_err();
        if run.applied.is_some() || failed || app.page() == Page::Overview {
            return Ok(run);
        }
        if app.page() == Page::Secret && !typed {
            app.update(Msg::Paste(secret.to_string()));
            typed = true;
        }
        effect = app.update(press(KeyCode::Enter));
    }
    Err(format!(
        "the wizard did not reach a plan; last page {:?}:\n{}",
        app.page(),
        run.screens.last().cloned().unwrap_or_default()
    ))
}

/// Performs an effect with the backend, as the runner does, feeding its answers back.
fn perform(
    backend: &Backend,
    app: &mut App,
    effect: Effect,
    run: &mut UiRun,
) -> Result<(), String> {
    match &effect {
        Effect::None => return Ok(()),
        Effect::Quit | Effect::RunExternal(_) => {
            return Err(format!("the wizard left the full screen: {effect:?}"));
        }
        _ => {}
    }
    for msg in backend.perform(effect) {
        match &msg {
            Msg::Planned(result) => run.planned = result.as_ref().map(|_| ()).map_err(Clone::clone),
            Msg::Applied(result) => run.applied = Some(result.clone()),
            _ => {}
        }
        let next = app.update(msg);
        if next != Effect::None {
            return Err(format!("an answer asked for more: {next:?}"));
        }
    }
    Ok(())
}

fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn draw(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| clawauth::tui::view::render(app, frame))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    buffer
        .content()
        .chunks(usize::from(width))
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}
