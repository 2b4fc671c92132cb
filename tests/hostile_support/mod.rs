//! Shared helpers of the hostile-input, fault and secret tests: snapshot a whole state
//! tree, and run a shell script in a private mount namespace (tmpfs, read-only and bind
//! mounts) as root. The binary is launched by tests/common/launch.rs.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A planted secret: it must never appear in any output.
pub const MARKER: &str = "sk-MARKER-7f3a9c2e5b1d4068";

pub use crate::common::launch::*;

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

/// Fails the calling test, saying what it needs, unless this process can make private
/// mount namespaces: such tests need root and `unshare -m` (CI runs as root), and are
/// never skipped.
pub fn require_mount_namespaces() {
    if let Err(why) = can_unshare_mounts() {
        panic!("this test needs root and `unshare -m` (CI runs as root): {why}");
    }
}
