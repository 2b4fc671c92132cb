//! Shared helpers of the hostile-input, fault and secret tests: run the real binary
//! (with a hang guard), snapshot a whole state tree, and run a shell script in a
//! private mount namespace (tmpfs, read-only and bind mounts) as root.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_clawauth");

/// A planted secret: it must never appear in any output.
pub const MARKER: &str = "sk-MARKER-7f3a9c2e5b1d4068";

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
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LANG", "C.UTF-8")
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
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .args(&inv.args)
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

/// One entry of a tree snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir { mode: u32 },
    File { mode: u32, len: u64, digest: u64 },
    Link { target: PathBuf },
    Other { mode: u32 },
}

/// Everything under `root` (not following symlinks): types, modes, contents.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        let rel = path.strip_prefix(root).unwrap().to_path_buf();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o7777;
        let ft = meta.file_type();
        let entry = if ft.is_symlink() {
            Entry::Link {
                target: std::fs::read_link(&path).unwrap(),
            }
        } else if ft.is_dir() {
            walk(root, &path, out);
            Entry::Dir { mode }
        } else if ft.is_file() {
            Entry::File {
                mode,
                len: meta.len(),
                digest: digest(&path, &meta),
            }
        } else {
            Entry::Other { mode }
        };
        out.insert(rel, entry);
    }
}

/// FNV-1a over the content (the first and last MiB of big files, plus mtime).
fn digest(path: &Path, meta: &std::fs::Metadata) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
    };
    const MIB: u64 = 1 << 20;
    let Ok(mut f) = std::fs::File::open(path) else {
        feed(b"unreadable");
        return h;
    };
    if meta.len() <= 4 * MIB {
        let mut v = Vec::new();
        let _ = f.read_to_end(&mut v);
        feed(&v);
    } else {
        use std::io::{Seek, SeekFrom};
        let mut v = vec![0; MIB as usize];
        let _ = f.read_exact(&mut v);
        feed(&v);
        let _ = f.seek(SeekFrom::End(-(MIB as i64)));
        let _ = f.read_exact(&mut v);
        feed(&v);
        feed(&meta.mtime().to_le_bytes());
        feed(&meta.mtime_nsec().to_le_bytes());
    }
    h
}

/// The differences between two snapshots, one line each.
pub fn diff(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>) -> Vec<String> {
    let mut out = Vec::new();
    for (p, e) in before {
        match after.get(p) {
            None => out.push(format!("removed {}", p.display())),
            Some(a) if a != e => out.push(format!("changed {}: {e:?} -> {a:?}", p.display())),
            _ => {}
        }
    }
    for p in after.keys().filter(|p| !before.contains_key(*p)) {
        out.push(format!("added {}", p.display()));
    }
    out
}

pub fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

/// `chown -R uid:uid root` (for running the binary as an unprivileged user).
pub fn chown_tree(root: &Path, uid: u32) {
    let st = Command::new("chown")
        .args(["-R", "-h", &format!("{uid}:{uid}")])
        .arg(root)
        .status()
        .unwrap();
    assert!(st.success());
}

/// Whether this process can make private mount namespaces (`unshare -m`, as root).
pub fn can_unshare_mounts() -> Result<(), String> {
    if !is_root() {
        return Err("not root: private mount namespaces (unshare -m) need root".into());
    }
    let out = Command::new("unshare")
        .args([
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -t tmpfs -o size=4k tmpfs /mnt 2>&1 || mount -t tmpfs -o size=4k tmpfs /tmp",
        ])
        .output()
        .map_err(|e| format!("cannot run unshare: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "unshare -m cannot mount: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Runs `script` with `sh -eu` in a private mount namespace; returns (exit code,
/// stdout, stderr). Mounts made by the script vanish with it.
pub fn in_mount_namespace(script: &str, env: &[(&str, String)]) -> (Option<i32>, String, String) {
    let mut cmd = Command::new("unshare");
    cmd.args(["-m", "--propagation", "private", "sh", "-eu", "-c", script]);
    cmd.env("CLAWAUTH", BIN);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Skips a test (with a printed reason) when a precondition cannot be met here.
#[macro_export]
macro_rules! require {
    ($cond:expr) => {
        if let Err(why) = $cond {
            eprintln!("SKIPPED: {why}");
            return;
        }
    };
}
