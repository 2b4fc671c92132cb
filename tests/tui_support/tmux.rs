//! A real terminal for end-to-end tests: a private tmux server with one
//! session of fixed size, driven with `send-keys` and read with `capture-pane`.

use std::cell::RefCell;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use crate::common::BIN;
pub const TIMEOUT: Duration = Duration::from_secs(15);
pub const EXITED: &str = "clawauth exited with";

/// Installs tmux once (we run as root in CI) or explains why that is impossible.
pub fn ensure_tmux() {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        if tmux_works() {
            return Ok(());
        }
        let install = || run("apt-get", &["install", "-y", "tmux"]);
        let installed = install() || (run("apt-get", &["update"]) && install());
        if !installed {
            return Err("tmux is missing and `apt-get install -y tmux` failed (needs root and network); install tmux to run this test".into());
        }
        match tmux_works() {
            true => Ok(()),
            false => Err("tmux was installed but `tmux -V` still fails".into()),
        }
    });
    if let Err(message) = ready {
        panic!("{message}");
    }
}

fn tmux_works() -> bool {
    run("tmux", &["-V"])
}

fn run(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A private tmux server with one session running `clawauth demo`; killed on drop.
pub struct Session {
    socket: String,
    /// Every screen captured so far.
    pub seen: RefCell<Vec<String>>,
}

impl Session {
    pub fn start(name: &str, width: u16, height: u16) -> Session {
        Session::start_with(name, width, height, "demo")
    }

    /// Runs `clawauth <args>` (a shell-quoted argument string).
    pub fn start_with(name: &str, width: u16, height: u16, args: &str) -> Session {
        Session::start_command(name, width, height, &format!("'{BIN}' {args}"))
    }

    /// `clawauth --state-dir <f.state>` under `env -i`: HOME, `path` as PATH (a shell
    /// word: `"$PATH"`, `/usr/bin:/bin`), TERM, and `env` (`NAME=value …`) only.
    pub fn on_state(name: &str, f: &crate::common::Fixture, path: &str, env: &str) -> Session {
        let command = format!(
            "env -i HOME='{}' PATH={path} TERM=\"$TERM\" {env} '{BIN}' --state-dir '{}'",
            f.home.display(),
            f.state.display()
        );
        Session::start_command(name, 120, 40, &command)
    }

    /// Runs a shell command line that starts clawauth.
    pub fn start_command(name: &str, width: u16, height: u16, command: &str) -> Session {
        ensure_tmux();
        let session = Session {
            socket: format!("clawauth-test-{}-{name}", std::process::id()),
            seen: RefCell::new(Vec::new()),
        };
        let script = format!(
            "{command}; echo \"{EXITED} $?\"; stty -a; printf 'STTY-DONE\\n'; exec sleep 600"
        );
        let (w, h) = (width.to_string(), height.to_string());
        let out = session.tmux(&["new-session", "-d", "-s", "ui", "-x", &w, "-y", &h, &script]);
        assert!(out.status.success(), "tmux new-session failed: {out:?}");
        session
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("SHELL", "/bin/sh")
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .output()
            .expect("tmux runs")
    }

    pub fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", "ui"]);
        let screen = String::from_utf8_lossy(&out.stdout).into_owned();
        self.seen.borrow_mut().push(screen.clone());
        screen
    }

    pub fn format(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "ui", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits until every `needle` is on screen; fails with the screen otherwise.
    pub fn wait_for(&self, needles: &[&str]) -> String {
        self.wait_for_within(needles, TIMEOUT)
    }

    /// `wait_for`, with a longer `timeout` (for the real OpenClaw, slow to start).
    pub fn wait_for_within(&self, needles: &[&str], timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < timeout,
                "timed out waiting for {needles:?}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `needle` has left the screen.
    pub fn wait_gone(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(needle) {
                return screen;
            }
            assert!(start.elapsed() < TIMEOUT, "{needle:?} stays:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "ui"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    pub fn text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "ui", "-l", text])
                .status
                .success()
        );
    }

    /// A left click at column `x`, row `y` (0-based), sent as the terminal sends it
    /// to an application that asked for the mouse (SGR encoding: press, release).
    pub fn click(&self, x: u16, y: u16) {
        let (x, y) = (x + 1, y + 1);
        self.text(&format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
    }

    /// Pastes `text` the way a terminal does (bracketed when the app asked for it).
    pub fn paste(&self, text: &str) {
        assert!(self.tmux(&["set-buffer", text]).status.success());
        assert!(
            self.tmux(&["paste-buffer", "-p", "-t", "ui"])
                .status
                .success()
        );
    }

    /// Pastes `text` bracketed, through a tmux buffer loaded from a file (so the
    /// text never appears in a command line).
    pub fn paste_file(&self, text: &str) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let path = file.path().to_str().unwrap();
        assert!(
            self.tmux(&["load-buffer", "-b", "p", path])
                .status
                .success()
        );
        let pasted = self.tmux(&["paste-buffer", "-p", "-d", "-b", "p", "-t", "ui"]);
        assert!(pasted.status.success());
    }

    /// True when no screen captured so far shows `needle`.
    pub fn never_showed(&self, needle: &str) -> bool {
        self.seen.borrow().iter().all(|s| !s.contains(needle))
    }

    /// The pid of the clawauth process: the child of the pane's shell.
    pub fn clawauth_pid(&self) -> i32 {
        let shell: i32 = self.format("#{pane_pid}").parse().expect("pane pid");
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            // pid (comm) state ppid ...
            let Some((head, rest)) = stat.rsplit_once(") ") else {
                continue;
            };
            let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok());
            if ppid == Some(shell) && head.contains("(clawauth") {
                return head.split_whitespace().next().unwrap().parse().unwrap();
            }
        }
        panic!("no clawauth process under the pane's shell {shell}");
    }

    /// After clawauth ended: it exited with `code`, and the terminal is back to normal.
    pub fn assert_restored(&self, code: i32) {
        let screen = self.wait_for(&[EXITED, "STTY-DONE"]);
        assert!(
            screen.contains(&format!("{EXITED} {code}")),
            "expected exit code {code}:\n{screen}"
        );
        let modes: Vec<&str> = screen.split_whitespace().collect();
        for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
            assert!(
                modes.contains(&mode),
                "`stty -a` lacks {mode}: raw mode was not undone:\n{screen}"
            );
        }
        assert_eq!(self.format("#{alternate_on}"), "0", "alternate screen left");
        assert_eq!(self.format("#{cursor_flag}"), "1", "cursor visible");
        assert_eq!(self.format("#{mouse_any_flag}"), "0", "no mouse capture");
        assert!(
            !screen.contains("Providers × agents"),
            "the UI must not stay on the normal screen:\n{screen}"
        );
    }

    /// Waits for the first frame of the demo overview.
    pub fn wait_for_overview(&self) -> String {
        let screen = self.wait_for(&["Providers × agents", "q quit"]);
        assert_eq!(
            self.format("#{alternate_on}"),
            "1",
            "runs on the alternate screen"
        );
        screen
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
        // tmux leaves the socket file behind.
        // SAFETY: getuid has no preconditions.
        let uid = unsafe { libc::getuid() };
        let dir = std::env::var("TMUX_TMPDIR").unwrap_or_else(|_| "/tmp".into());
        let _ = std::fs::remove_file(format!("{dir}/tmux-{uid}/{}", self.socket));
    }
}
