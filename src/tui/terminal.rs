//! Terminal setup and its guaranteed restore: raw mode, alternate screen and
//! bracketed paste are undone on drop, on panic and after SIGTERM/SIGHUP/SIGINT.

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::{self, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// True while the terminal is in the UI's modes.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Set by the panic hook: some thread panicked (the terminal is already restored).
static PANICKED: AtomicBool = AtomicBool::new(false);
/// The last termination signal received (0: none).
static SIGNAL: AtomicI32 = AtomicI32::new(0);
const SIGNALS: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGHUP, libc::SIGINT];

/// Unbuffered writes to fd 1 that stop once the terminal is restored, so a
/// frame flushed while unwinding from a panic cannot land on the normal screen.
pub(crate) struct TermOut;

impl Write for TermOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !ACTIVE.load(Ordering::SeqCst) {
            return Ok(buf.len());
        }
        RawStdout.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// fd 1 without Rust's stdout lock or buffer (safe to use from a panic hook).
struct RawStdout;

impl Write for RawStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            // SAFETY: writes `buf.len()` initialised bytes from a live slice.
            let n = unsafe { libc::write(1, buf.as_ptr().cast(), buf.len()) };
            if n >= 0 {
                return Ok(n as usize);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the terminal has to offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// Bytes to read.
    Ready,
    /// Nothing within the timeout, or a signal interrupted the wait.
    Idle,
    /// The terminal is gone (window closed, ssh dropped).
    HungUp,
}

/// Waits up to `timeout` for input on stdin (the terminal). Checked before
/// crossterm reads, because crossterm spins forever on a hung-up terminal.
pub(crate) fn wait_for_input(timeout: Duration) -> io::Result<Input> {
    let mut fds = [libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    }];
    let millis = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: one valid pollfd for the duration of the call.
    let ready = unsafe { libc::poll(fds.as_mut_ptr(), 1, millis) };
    if ready < 0 {
        let e = io::Error::last_os_error();
        return match e.kind() {
            io::ErrorKind::Interrupted => Ok(Input::Idle),
            _ => Err(e),
        };
    }
    Ok(match fds[0].revents {
        r if r & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 => Input::HungUp,
        _ if ready == 0 => Input::Idle,
        _ => Input::Ready,
    })
}

/// Milliseconds since `START` at the event loop's last turn.
static HEARTBEAT: AtomicU64 = AtomicU64::new(0);
static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
/// How long the event loop may be stuck after a hang-up or signal before the
/// watchdog ends the process.
const STUCK: Duration = Duration::from_secs(2);

fn now_ms() -> u64 {
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// The event loop calls this on every turn.
pub(crate) fn heartbeat() {
    HEARTBEAT.store(now_ms(), Ordering::SeqCst);
}

/// A last resort: if the terminal hung up or a signal arrived and the event loop
/// has not turned for a while (stuck inside crossterm), restore and exit.
fn spawn_watchdog() {
    heartbeat();
    std::thread::spawn(|| {
        while ACTIVE.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(250));
            let stuck = now_ms().saturating_sub(HEARTBEAT.load(Ordering::SeqCst));
            let hung_up = matches!(wait_for_input(Duration::ZERO), Ok(Input::HungUp));
            let signal = pending_signal().or(hung_up.then_some(libc::SIGHUP));
            if let (Some(signal), true) = (signal, stuck > STUCK.as_millis() as u64) {
                restore();
                std::process::exit(128 + signal);
            }
        }
    });
}

/// True once any thread panicked: the UI must end (its output is dropped already).
pub(crate) fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// The termination signal received since the UI started, if any.
pub(crate) fn pending_signal() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Puts the terminal back as it was; does nothing when it already is.
/// The alternate screen is cleared first: tmux, after a resize, otherwise
/// carries its content over to the normal screen.
pub(crate) fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            RawStdout,
            Clear(ClearType::All),
            MoveTo(0, 0),
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen,
            Show
        );
        let _ = disable_raw_mode();
    }
}

/// Leaves the UI's modes so a child process can use the terminal in the foreground.
pub(crate) fn suspend() {
    restore();
}

/// Re-enters the UI's modes after `suspend`. A Ctrl-C typed while the child ran
/// reached clawauth too (same process group): it ended the child, not the UI.
pub(crate) fn resume() -> io::Result<()> {
    let _ = SIGNAL.compare_exchange(libc::SIGINT, 0, Ordering::SeqCst, Ordering::SeqCst);
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        RawStdout,
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableMouseCapture,
        Hide
    )?;
    spawn_watchdog();
    Ok(())
}

/// Holds the terminal in the UI's modes; dropping it restores them.
pub(crate) struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    pub(crate) fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        install_signal_handlers();
        SIGNAL.store(0, Ordering::SeqCst);
        enable_raw_mode()?;
        let guard = TerminalGuard { _private: () };
        ACTIVE.store(true, Ordering::SeqCst);
        execute!(
            RawStdout,
            EnterAlternateScreen,
            EnableBracketedPaste,
            EnableMouseCapture,
            Hide
        )?;
        spawn_watchdog();
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// On panic: restore the terminal first, so the panic message is readable.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, Ordering::SeqCst);
            restore();
            previous(info);
        }));
    });
}

extern "C" fn on_signal(signal: libc::c_int) {
    // Only an atomic store: async-signal-safe. The event loop polls it.
    SIGNAL.store(signal, Ordering::SeqCst);
}

/// Catches SIGTERM, SIGHUP and SIGINT for the rest of the process: closing a
/// terminal often delivers SIGHUP just after the UI noticed the hang-up and
/// restored everything, and the default action would then kill the process
/// before it removes its temporary files.
fn install_signal_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for signal in SIGNALS {
            // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value,
            // and `on_signal` only stores to an atomic.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    });
}
