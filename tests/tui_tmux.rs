//! End to end in a real terminal: `clawauth demo` inside a detached tmux
//! session of fixed size, driven with `send-keys` and read with `capture-pane`.
//! After quitting (q, Ctrl-C, SIGTERM, SIGHUP) the terminal must be restored:
//! canonical mode and echo on (checked with `stty -a` in the same pane), the
//! alternate screen left and the cursor visible.

use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_clawauth");
const TIMEOUT: Duration = Duration::from_secs(15);
const EXITED: &str = "clawauth exited with";

/// Installs tmux once (we run as root in CI) or explains why that is impossible.
fn ensure_tmux() {
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
struct Session {
    socket: String,
}

impl Session {
    fn start(name: &str, width: u16, height: u16) -> Session {
        Session::start_with(name, width, height, "demo")
    }

    /// Runs `clawauth <args>` (a shell-quoted argument string).
    fn start_with(name: &str, width: u16, height: u16, args: &str) -> Session {
        ensure_tmux();
        let session = Session {
            socket: format!("clawauth-test-{}-{name}", std::process::id()),
        };
        let script = format!(
            "'{BIN}' {args}; echo \"{EXITED} $?\"; stty -a; printf 'STTY-DONE\\n'; exec sleep 600"
        );
        let (w, h) = (width.to_string(), height.to_string());
        let out = session.tmux(&["new-session", "-d", "-s", "ui", "-x", &w, "-y", &h, &script]);
        assert!(out.status.success(), "tmux new-session failed: {out:?}");
        session
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("SHELL", "/bin/sh")
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", "ui"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn format(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "ui", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits until every `needle` is on screen; fails with the screen otherwise.
    fn wait_for(&self, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {needles:?}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `needle` has left the screen.
    fn wait_gone(&self, needle: &str) -> String {
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

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "ui"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    fn text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "ui", "-l", text])
                .status
                .success()
        );
    }

    /// Pastes `text` the way a terminal does (bracketed when the app asked for it).
    fn paste(&self, text: &str) {
        assert!(self.tmux(&["set-buffer", text]).status.success());
        assert!(
            self.tmux(&["paste-buffer", "-p", "-t", "ui"])
                .status
                .success()
        );
    }

    /// The pid of the clawauth process: the child of the pane's shell.
    fn clawauth_pid(&self) -> i32 {
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
    fn assert_restored(&self, code: i32) {
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
    fn wait_for_overview(&self) -> String {
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

#[test]
fn navigate_filter_help_and_quit_with_q() {
    let s = Session::start("q", 120, 40);
    let screen = s.wait_for_overview();
    assert!(
        screen.contains(
            "✗ cron daily-briefing fails: agent cronbot has no usable my-proxy credential"
        ),
        "{screen}"
    );
    assert!(screen.contains("✗ missing*"), "{screen}");
    assert!(screen.contains("Details: cronbot × my-proxy"), "{screen}");
    s.keys(&["Down"]);
    s.wait_for(&["Details: cronbot × openrouter"]);
    s.keys(&["l"]);
    s.wait_for(&["Details: reporter × openrouter"]);
    s.keys(&["/"]);
    s.text("cron");
    s.wait_for(&["filter \"cron\"", "agents 1–1 of 1", "Filter: cron"]);
    s.keys(&["Escape"]);
    s.wait_for(&["agents 1–4 of 4"]);
    s.keys(&["?"]);
    s.wait_for(&["Help: keys and symbols", "Ctrl-C"]);
    s.keys(&["Escape"]);
    s.wait_gone("Help: keys and symbols");
    s.keys(&["Tab"]);
    s.wait_for(&["Details: problem 1 of 3"]);
    s.keys(&["r"]);
    s.wait_for(&["Reloaded: 4 agents × 5 providers, 3 errors, 0 warnings"]);
    s.keys(&["q"]);
    s.assert_restored(0);
}

/// Copies `assets/demo` to `to`, with OpenClaw's modes.
fn copy_demo(from: &std::path::Path, to: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(to).unwrap();
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o700)).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_demo(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
}

#[test]
fn no_subcommand_opens_the_overview_of_the_given_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    copy_demo(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo"),
        &state,
    );
    let args = format!("--state-dir '{}'", state.display());
    let s = Session::start_with("bare", 120, 40, &args);
    let screen = s.wait_for_overview();
    assert!(
        screen.contains(&format!("State dir {}", state.display())),
        "{screen}"
    );
    assert!(screen.contains("✗ missing*"), "{screen}");
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn paste_is_bracketed_into_the_filter() {
    let s = Session::start("paste", 120, 40);
    s.wait_for_overview();
    s.keys(&["/"]);
    s.wait_for(&["Filter:"]);
    // Unbracketed, the newline would accept the filter and `q` would quit.
    s.paste("cron\nq");
    s.wait_for(&["filter \"cron\"", "Filter: cron"]);
    s.keys(&["Enter"]);
    s.wait_gone("Filter: cron");
    s.keys(&["C-c"]);
    s.assert_restored(0);
}

#[test]
fn too_small_then_resized() {
    let s = Session::start("small", 50, 12);
    s.wait_for(&["terminal too small (need 60×16, have 50×12)"]);
    assert!(
        s.tmux(&["resize-window", "-t", "ui", "-x", "120", "-y", "40"])
            .status
            .success()
    );
    s.wait_for_overview();
    s.keys(&["q"]);
    s.assert_restored(0);
}

#[test]
fn sigterm_restores_the_terminal() {
    let s = Session::start("term", 120, 40);
    s.wait_for_overview();
    // SAFETY: sends a signal to the clawauth child this test started.
    assert_eq!(unsafe { libc::kill(s.clawauth_pid(), libc::SIGTERM) }, 0);
    s.assert_restored(128 + libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal() {
    let s = Session::start("hup", 120, 40);
    s.wait_for_overview();
    // SAFETY: sends a signal to the clawauth child this test started.
    assert_eq!(unsafe { libc::kill(s.clawauth_pid(), libc::SIGHUP) }, 0);
    s.assert_restored(128 + libc::SIGHUP);
}

#[test]
fn without_a_terminal_no_subcommand_still_explains() {
    let out = Command::new(BIN).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no subcommand given"), "{stderr}");
    let out = Command::new(BIN).arg("demo").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("cronbot × my-proxy: missing (cron: daily-briefing)"),
        "{stdout}"
    );
}

/// True once `pid` has exited (gone, or a zombie nobody reaped yet).
fn exited(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| rest.starts_with('Z')),
    }
}

#[test]
fn closing_the_terminal_ends_clawauth_and_removes_the_demo_state() {
    let s = Session::start("hangup", 120, 40);
    s.wait_for_overview();
    let pid = s.clawauth_pid();
    let demo_dir = std::env::temp_dir().join(format!("clawauth-demo-{pid}"));
    assert!(
        demo_dir.is_dir(),
        "{} exists while running",
        demo_dir.display()
    );
    // Like closing the terminal window: the pty goes away under clawauth.
    assert!(s.tmux(&["kill-server"]).status.success());
    let start = Instant::now();
    while !exited(pid) {
        assert!(
            start.elapsed() < TIMEOUT,
            "clawauth {pid} still runs after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!demo_dir.exists(), "{} left behind", demo_dir.display());
}
