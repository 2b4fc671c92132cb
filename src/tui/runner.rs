//! The thin terminal runner: events in, `App::update`, effects out, draw.

use super::Loader;
use super::app::{App, Effect, Msg};
use super::terminal::{self, Input, TermOut, TerminalGuard, pending_signal};
use crate::domain::report::Report;
use crossterm::event::{self, Event};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::BufWriter;
use std::thread::JoinHandle;
use std::time::Duration;

type Term = Terminal<CrosstermBackend<BufWriter<TermOut>>>;

/// How long to wait for input before checking signals and background work.
const POLL: Duration = Duration::from_millis(100);

/// Runs the UI until the user quits (exit code 0) or a signal arrives (128 + signal).
pub fn run(mut app: App, loader: Loader) -> Result<i32, String> {
    let guard = TerminalGuard::enter().map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let backend = CrosstermBackend::new(BufWriter::with_capacity(1 << 16, TermOut));
    let mut terminal =
        Terminal::new(backend).map_err(|e| format!("cannot use the terminal: {e}"))?;
    let result = event_loop(&mut terminal, &mut app, &loader);
    // Restore first: afterwards the terminal's own clean-up writes are dropped,
    // so a hung-up terminal cannot make it fail (and panic while printing that).
    drop(guard);
    drop(terminal);
    result
}

fn event_loop(terminal: &mut Term, app: &mut App, loader: &Loader) -> Result<i32, String> {
    // Starts crossterm's event source (and its SIGWINCH handler) before reading
    // the size, so a resize right after start is not lost.
    event::poll(Duration::ZERO).map_err(read_error)?;
    let size = terminal.size().map_err(|e| e.to_string())?;
    app.update(Msg::Resize(size.width, size.height));
    draw(terminal, app)?;
    let mut reload: Option<JoinHandle<Result<Report, String>>> = None;
    loop {
        terminal::heartbeat();
        let input = terminal::wait_for_input(POLL).map_err(read_error)?;
        if let Some(signal) = pending_signal() {
            return Ok(128 + signal);
        }
        if input == Input::HungUp {
            return Ok(128 + libc::SIGHUP);
        }
        let mut msgs = Vec::new();
        if let Some(result) = finished(&mut reload)? {
            // Reading the state may have warned on stderr: repaint every cell.
            terminal.clear().map_err(|e| format!("cannot draw: {e}"))?;
            msgs.push(Msg::Reloaded(result));
        }
        // Resizes arrive through crossterm's signal pipe, so ask even when stdin is idle.
        msgs.extend(pending_msgs()?);
        if msgs.is_empty() {
            msgs.push(Msg::Tick);
        }
        let redraw = msgs.iter().any(|m| !matches!(m, Msg::Tick));
        for msg in msgs {
            match app.update(msg) {
                Effect::Quit => return Ok(0),
                Effect::Reload => reload = Some(spawn_reload(loader)),
                Effect::None => {}
            }
        }
        if redraw {
            draw(terminal, app)?;
        }
    }
}

fn draw(terminal: &mut Term, app: &App) -> Result<(), String> {
    terminal
        .draw(|frame| super::view::render(app, frame))
        .map(|_| ())
        .map_err(|e| format!("cannot draw: {e}"))
}

fn read_error(e: std::io::Error) -> String {
    format!("cannot read the terminal: {e}")
}

/// Every event crossterm has ready (keys, pastes, resizes), as messages.
fn pending_msgs() -> Result<Vec<Msg>, String> {
    let mut msgs = Vec::new();
    while event::poll(Duration::ZERO).map_err(read_error)? {
        match event::read().map_err(read_error)? {
            Event::Key(key) => msgs.push(Msg::Key(key)),
            Event::Paste(text) => msgs.push(Msg::Paste(text)),
            Event::Resize(width, height) => msgs.push(Msg::Resize(width, height)),
            _ => {}
        }
    }
    Ok(msgs)
}

/// Re-reads the OpenClaw state on a worker thread, so the UI stays responsive.
fn spawn_reload(loader: &Loader) -> JoinHandle<Result<Report, String>> {
    let loader = loader.clone();
    std::thread::spawn(move || loader())
}

/// The reload result once the worker is done.
fn finished(
    reload: &mut Option<JoinHandle<Result<Report, String>>>,
) -> Result<Option<Result<Report, String>>, String> {
    if !reload.as_ref().is_some_and(JoinHandle::is_finished) {
        return Ok(None);
    }
    match reload.take().map(JoinHandle::join) {
        Some(Ok(result)) => Ok(Some(result)),
        Some(Err(_)) => Err(
            "reading the OpenClaw state failed with an internal error (see the message above)"
                .into(),
        ),
        None => Ok(None),
    }
}
