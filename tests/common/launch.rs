//! The one way tests launch the `clawauth` binary: a clean environment, stdin piped,
//! a hang guard, exit code and output captured.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_clawauth");

/// PATH of a clean run: no `openclaw` on it.
pub const SYSTEM_PATH: &str = "/usr/bin:/bin";

/// The binary with an empty environment but `PATH`; every launcher starts here.
pub fn clean_command(path: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear().env("PATH", path);
    cmd
}

/// Exit codes documented in the README.
pub const DOCUMENTED_EXIT_CODES: &[i32] = &[0, 1, 2, 3, 4, 5, 64];

/// What one run of the binary did.
#[derive(Debug, Clone)]
pub struct Run {
    pub args: Vec<String>,
    /// `None`: killed by a signal (a crash, or our hang guard).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub hung: bool,
    pub elapsed: Duration,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    pub fn describe(&self) -> String {
        format!(
            "clawauth {}\n  exit {:?}{} after {:?}\n  stdout: {}\n  stderr: {}",
            self.args.join(" "),
            self.code,
            if self.hung { " (HUNG, killed)" } else { "" },
            self.elapsed,
            truncate(&self.stdout, 1500),
            truncate(&self.stderr, 1500)
        )
    }

    /// No panic, no signal, no hang, a documented exit code.
    pub fn assert_sane(&self) {
        assert!(!self.hung, "hung: {}", self.describe());
        let code = self
            .code
            .unwrap_or_else(|| panic!("killed by a signal (crash): {}", self.describe()));
        assert!(
            DOCUMENTED_EXIT_CODES.contains(&code),
            "undocumented exit code: {}",
            self.describe()
        );
        for bad in [
            "panicked",
            "overflowed its stack",
            "RUST_BACKTRACE",
            "fatal runtime error",
        ] {
            assert!(!self.all().contains(bad), "{bad}: {}", self.describe());
        }
    }
}

pub fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

/// How to run the binary.
#[derive(Debug, Clone, Default)]
pub struct Invocation {
    pub args: Vec<String>,
    pub stdin: String,
    pub env: Vec<(String, String)>,
    /// Run as this uid/gid (root only): file modes then apply to the process.
    pub as_user: Option<u32>,
    pub timeout: Option<Duration>,
}

impl Invocation {
    pub fn new<S: AsRef<str>>(args: &[S]) -> Invocation {
        Invocation {
            args: args.iter().map(|a| a.as_ref().to_string()).collect(),
            ..Default::default()
        }
    }

    /// `--state-dir <fixture> ARGS` with the fixture's HOME and variables.
    pub fn on(f: &super::Fixture, args: &[&str]) -> Invocation {
        let mut all = vec!["--state-dir".to_string(), f.state.display().to_string()];
        all.extend(args.iter().map(|a| a.to_string()));
        let mut inv = Invocation::new(&all).env("HOME", &f.home.display().to_string());
        for (k, v) in &f.env {
            inv = inv.env(k, v);
        }
        inv
    }

    pub fn stdin(mut self, s: &str) -> Self {
        self.stdin = s.to_string();
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
}

/// Runs the binary with a clean environment (HOME, PATH without any `openclaw`),
/// killing it after the timeout (default 30 s) so a hang fails the test instead of
/// blocking it.
pub fn run(inv: &Invocation) -> Run {
    use std::os::unix::process::CommandExt;
    let mut cmd = clean_command(SYSTEM_PATH);
    cmd.env("LANG", "C.UTF-8")
        .args(&inv.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &inv.env {
        cmd.env(k, v);
    }
    if let Some(uid) = inv.as_user {
        cmd.uid(uid).gid(uid);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn clawauth");
    let stdin = child.stdin.take().unwrap();
    let input = inv.stdin.clone();
    let feeder = std::thread::spawn(move || {
        let mut stdin = stdin;
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let limit = inv.timeout.unwrap_or(Duration::from_secs(30));
    let mut hung = false;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > limit {
            hung = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = feeder.join();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    Run {
        args: inv.args.clone(),
        code: status.code(),
        stdout,
        stderr,
        hung,
        elapsed: started.elapsed(),
    }
}

/// Runs the binary to completion and returns its peak resident memory in KiB
/// (`wait4`'s `ru_maxrss` of exactly that child).
pub fn run_measuring_memory(inv: &Invocation) -> (Option<i32>, u64, String) {
    let mut cmd = clean_command(SYSTEM_PATH);
    cmd.args(&inv.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in &inv.env {
        cmd.env(k, v);
    }
    // Reaped below with wait4 (which also returns its peak memory), not Child::wait.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().unwrap();
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, usage.ru_maxrss as u64, err)
}

/// Runs several invocations at once (each in its own thread) and returns them in order.
pub fn run_all(invs: Vec<Invocation>) -> Vec<Run> {
    let handles: Vec<_> = invs
        .into_iter()
        .map(|inv| std::thread::spawn(move || run(&inv)))
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}
