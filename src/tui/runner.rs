//! The thin terminal runner: events in, `App::update`, effects out, draw.
//! Reading, planning and applying run on worker threads so the UI stays
//! responsive; an OpenClaw sign-in runs in the foreground terminal.

use super::app::{App, Effect, Msg};
use super::backend::Backend;
use super::msg::{ExternalCommand, ExternalOutcome};
use super::terminal::{self, Input, TermOut, TerminalGuard, pending_signal};
use crate::domain::read::discovery::credential_file_stamps;
use anyhow::Context;
use crossterm::event::{self, Event};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::collections::VecDeque;
use std::io::{BufWriter, Write};
use std::process::Command;
use std::thread::JoinHandle;
use std::time::Duration;

type Term = Terminal<CrosstermBackend<BufWriter<TermOut>>>;

/// How long to wait for input before checking signals and background work.
const POLL: Duration = Duration::from_millis(100);

/// Runs the UI until the user quits (exit code 0), a signal arrives (128 + signal)
/// or a background task panics (101, like a panic of the UI itself).
pub(crate) fn run(mut app: App, backend: Backend) -> anyhow::Result<i32> {
    let guard = TerminalGuard::enter().context("cannot set up the terminal")?;
    let out = CrosstermBackend::new(BufWriter::with_capacity(1 << 16, TermOut));
    let mut terminal = Terminal::new(out).context("cannot use the terminal")?;
    let mut jobs = Jobs::default();
    let result = event_loop(&mut terminal, &mut app, &backend, &mut jobs);
    // A write in progress finishes (and releases OpenClaw's lock) before exiting.
    jobs.wait_for_writes();
    // Restore first: afterwards the terminal's own clean-up writes are dropped,
    // so a hung-up terminal cannot make it fail (and panic while printing that).
    drop(guard);
    drop(terminal);
    result
}

/// Work running on worker threads; each answers with messages.
#[derive(Default)]
struct Jobs {
    running: Vec<(JoinHandle<Vec<Msg>>, bool)>,
}

impl Jobs {
    fn spawn(&mut self, backend: &Backend, effect: Effect) {
        let writes = matches!(effect, Effect::Apply(_));
        let backend = backend.clone();
        let handle = std::thread::spawn(move || backend.perform(effect));
        self.running.push((handle, writes));
    }

    /// The messages of every finished job; `None` once one panicked (the panic hook
    /// has restored the terminal and printed the crash report).
    fn finished(&mut self) -> Option<Vec<Msg>> {
        let mut msgs = Vec::new();
        let mut i = 0;
        while i < self.running.len() {
            if !self.running[i].0.is_finished() {
                i += 1;
                continue;
            }
            let (handle, _) = self.running.remove(i);
            msgs.extend(handle.join().ok()?);
        }
        Some(msgs)
    }

    fn wait_for_writes(&mut self) {
        for (handle, writes) in self.running.drain(..) {
            if writes {
                let _ = handle.join();
            }
        }
    }
}

/// Also while unwinding from a panic of the UI thread: a write in progress finishes
/// (its temp file renamed or removed, OpenClaw's lock released) before the process ends.
impl Drop for Jobs {
    fn drop(&mut self) {
        self.wait_for_writes();
    }
}

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    backend: &Backend,
    jobs: &mut Jobs,
) -> anyhow::Result<i32> {
    // Starts crossterm's event source (and its SIGWINCH handler) before reading
    // the size, so a resize right after start is not lost.
    event::poll(Duration::ZERO).context(READ)?;
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    draw(terminal, app)?;
    let mut watch = super::watch::Watch::new(&app.report);
    loop {
        terminal::heartbeat();
        let input = terminal::wait_for_input(POLL).context(READ)?;
        if let Some(signal) = pending_signal() {
            return Ok(128 + signal);
        }
        if input == Input::HungUp {
            return Ok(128 + libc::SIGHUP);
        }
        let finished = jobs.finished();
        // A panic on any thread restored the terminal: nothing more can be shown.
        let (Some(done), false) = (finished, terminal::panicked()) else {
            return Ok(crate::service::exit::ExitStatus::Panicked.code());
        };
        let mut msgs: VecDeque<Msg> = done.into();
        let (wrote, reread) = (
            msgs.iter().any(|m| matches!(m, Msg::Applied(_))),
            msgs.iter().any(|m| matches!(m, Msg::Reloaded(Ok(_)))),
        );
        if !msgs.is_empty() {
            // Reading the state may have warned on stderr: repaint every cell.
            terminal.clear().context("cannot draw")?;
        }
        // Resizes arrive through crossterm's signal pipe, so ask even when stdin is idle.
        msgs.extend(pending_msgs()?);
        if msgs.is_empty() {
            msgs.push_back(tick(app, &mut watch));
        }
        let redraw = msgs.iter().any(|m| !matches!(m, Msg::Tick));
        let handled = handle(msgs, app, terminal, backend, jobs)?;
        match (wrote, reread) {
            (true, _) => watch.reset(&app.report),
            (false, true) => watch.retarget(&app.report),
            _ => {}
        }
        match handled {
            Handled::Quit => return Ok(0),
            Handled::Ran if redraw => draw(terminal, app)?,
            Handled::Ran => {}
            Handled::RanExternal => draw(terminal, app)?,
        }
    }
}

/// An idle turn: `FilesChanged` when the overview shows and its files changed.
fn tick(app: &App, watch: &mut super::watch::Watch) -> Msg {
    let idle = app.page() == super::app::Page::Overview && !app.reloading;
    match idle && watch.changed() {
        true => Msg::FilesChanged,
        false => Msg::Tick,
    }
}

enum Handled {
    Quit,
    Ran,
    /// A command ran in the foreground: the screen must be drawn again.
    RanExternal,
}

/// Feeds the messages to the app and performs the effects; answers to effects
/// that run here (the foreground command) are handled in the same turn.
fn handle(
    mut msgs: VecDeque<Msg>,
    app: &mut App,
    terminal: &mut Term,
    backend: &Backend,
    jobs: &mut Jobs,
) -> anyhow::Result<Handled> {
    let mut handled = Handled::Ran;
    while let Some(msg) = msgs.pop_front() {
        panic_on_key_for_tests(&msg);
        match app.update(msg) {
            Effect::Quit => return Ok(Handled::Quit),
            Effect::None => {}
            Effect::RunExternal(command) => {
                msgs.push_back(run_external(terminal, backend, &command)?);
                handled = Handled::RanExternal;
            }
            effect => jobs.spawn(backend, effect),
        }
    }
    Ok(handled)
}

/// **Test hook only** (`CLAWAUTH_TEST_FAULT=panic-in-ui`): a bug in the UI thread.
fn panic_on_key_for_tests(msg: &Msg) {
    use crate::domain::write::atomic::{Fault, env_fault};
    if matches!(msg, Msg::Key(_)) && env_fault() == Some(Fault::PanicInUi) {
        panic!("injected panic (test hook) in the UI thread");
    }
}

fn draw(terminal: &mut Term, app: &App) -> anyhow::Result<()> {
    terminal
        .draw(|frame| super::view::render(app, frame))
        .map(|_| ())
        .context("cannot draw")
}

/// The context of a failed read of the terminal.
const READ: &str = "cannot read the terminal";

/// Every event crossterm has ready (keys, pastes, resizes), as messages.
fn pending_msgs() -> anyhow::Result<Vec<Msg>> {
    let mut msgs = Vec::new();
    while event::poll(Duration::ZERO).context(READ)? {
        match event::read().context(READ)? {
            Event::Key(key) => msgs.push(Msg::Key(key)),
            Event::Paste(text) => msgs.push(Msg::Paste(text)),
            Event::Mouse(m) if super::msg::wanted_mouse(&m) => msgs.push(Msg::Mouse(m)),
            Event::Resize(width, height) => msgs.push(Msg::Resize(width, height)),
            _ => {}
        }
    }
    Ok(msgs)
}

/// Leaves the full screen, runs `openclaw <args>` in the foreground terminal and
/// comes back; the terminal's modes are restored whatever the command does.
fn run_external(
    terminal: &mut Term,
    backend: &Backend,
    command: &ExternalCommand,
) -> anyhow::Result<Msg> {
    let Some(exe) = backend.openclaw() else {
        return Ok(Msg::ExternalDone(ExternalOutcome::NotFound));
    };
    let state = backend.discovery().ok();
    let stamps = |d: &Option<_>| d.as_ref().map(credential_file_stamps);
    let before = stamps(&state);
    terminal::suspend();
    let mut outcome = run_child(&exe, command, state.as_ref());
    if let ExternalOutcome::Exited { wrote, .. } = &mut outcome {
        *wrote = before != stamps(&state);
    }
    terminal::resume().context("cannot set up the terminal again")?;
    terminal.clear().context("cannot draw")?;
    Ok(Msg::ExternalDone(outcome))
}

fn run_child(
    exe: &std::path::Path,
    command: &ExternalCommand,
    state: Option<&crate::domain::read::discovery::Discovery>,
) -> ExternalOutcome {
    println!(
        "clawauth: running `{}`; the overview comes back when it ends.\n",
        command.display()
    );
    let mut child = Command::new(exe);
    child.args(&command.args);
    if let Some(d) = state {
        child.env("OPENCLAW_STATE_DIR", &d.paths.state_dir);
        if let Some(config) = &d.config.path {
            child.env("OPENCLAW_CONFIG_PATH", config);
        }
    }
    let outcome = match child.status() {
        Ok(status) => ExternalOutcome::Exited {
            code: status.code(),
            wrote: false,
        },
        Err(e) => ExternalOutcome::Failed(e.to_string()),
    };
    if !matches!(outcome, ExternalOutcome::Exited { code: Some(0), .. }) {
        print!("\nclawauth: it did not succeed. Press Enter to go back to clawauth. ");
        let _ = std::io::stdout().flush();
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    outcome
}
