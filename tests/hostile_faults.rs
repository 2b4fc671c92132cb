//! Faults during writes, made real where the kernel allows: a full disk at every point
//! of a write (a tiny tmpfs), a rename the kernel refuses (immutable file, bind-mounted
//! file), a read-only file system, locks held or left behind, and a crash between the
//! temp file and the rename. Each store ends as the old file or the new one, temp files
//! are cleaned up or reported, and the output says what happened.
//! (tests/write_json.rs covers the injected ENOSPC/rename/abort faults, a live lock
//! holder and a dead one's lock; these add what those do not.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod hostile_support;

use common::*;
use hostile_support::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const SECRET: &str = "sk-proxy-FAULT-0123456789abcdef";

/// The founding scenario (tests/common) without its cron job, so the state validates
/// clean: `set` of an api_key for cronbot creates cronbot's store and declares the id in
/// openclaw.json (two files); assistant holds a token. Directories get OpenClaw's modes.
fn founding() -> Fixture {
    let f = common::founding();
    std::fs::remove_dir_all(f.state.join("cron")).unwrap();
    for d in ["agents", "agents/assistant", "agents/assistant/agent"] {
        set_mode(&f.state.join(d), 0o700);
    }
    f
}

/// The fixture's root (holds `home/` and `state/`).
fn root(f: &Fixture) -> PathBuf {
    f.state.parent().unwrap().to_path_buf()
}

/// What one namespaced run left behind.
struct Outcome {
    code: Option<i32>,
    output: String,
    /// The state dir as it was after the run (copied out of the namespace).
    after: PathBuf,
    /// The state dir's path inside the namespace, as messages name it.
    shown: PathBuf,
    /// Removed (with the copy of the state) when the outcome is dropped.
    _work: tempfile::TempDir,
}

/// Copies the fixture onto a fresh tmpfs of `size_kb`, runs `prepare` (shell, with
/// $MNT the tmpfs), then clawauth with `args` and `stdin`, and copies the state back out.
fn run_on_tmpfs(f: &Fixture, size_kb: u32, prepare: &str, args: &[&str], stdin: &str) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().to_path_buf();
    let mnt = work.join("mnt");
    let out = work.join("out");
    std::fs::create_dir_all(&mnt).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("stdin"), stdin).unwrap();
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        r#"
mount -t tmpfs -o size={size_kb}k,mode=0700 tmpfs "$MNT"
cp -a "$SRC/." "$MNT/"
{prepare}
set +e
env -i HOME="$MNT/home" PATH=/usr/bin:/bin "$CLAWAUTH" --state-dir "$MNT/state" {args} < "$OUT/stdin" > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
set -e
chattr -R -i "$MNT" 2>/dev/null || true
cp -a "$MNT/state" "$OUT/after"
"#,
        args = quoted.join(" ")
    );
    let (code, stdout, stderr) = in_mount_namespace(
        &script,
        &[
            ("MNT", mnt.display().to_string()),
            ("SRC", root(f).display().to_string()),
            ("OUT", out.display().to_string()),
        ],
    );
    assert_eq!(code, Some(0), "namespace script failed: {stdout}{stderr}");
    let read = |n: &str| std::fs::read_to_string(out.join(n)).unwrap_or_default();
    Outcome {
        code: read("rc").trim().parse().ok(),
        output: format!("{}{}", read("stdout"), read("stderr")),
        after: out.join("after"),
        shown: mnt.join("state"),
        _work: dir,
    }
}

fn files_named(dir: &Path, pred: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_named(&p, pred));
        } else if pred(&e.file_name().to_string_lossy()) {
            out.push(p);
        }
    }
    out
}

/// No temp file or lock file is left anywhere in the state.
fn assert_no_leftovers(state: &Path, context: &str) {
    let left = files_named(state, &|n| n.ends_with(".tmp") || n.ends_with(".lock"));
    assert!(left.is_empty(), "{context}: leftovers {left:?}");
}

fn read_json(path: &Path) -> Option<Value> {
    std::fs::read_to_string(path).ok().map(|t| {
        serde_json::from_str(&t)
            .unwrap_or_else(|e| panic!("{} is corrupt: {e}\n{t}", path.display()))
    })
}

/// A file a write touches: its path in the state dir, the old content (None: absent),
/// and a check of the new content.
type TouchedFile = (&'static str, Option<String>, fn(&str) -> bool);

/// A write, and what its files must hold afterwards.
struct Scenario {
    name: &'static str,
    args: &'static [&'static str],
    files: Vec<TouchedFile>,
}

fn scenarios(f: &Fixture) -> Vec<Scenario> {
    let old = |rel: &str| std::fs::read_to_string(f.state.join(rel)).ok();
    vec![
        // Creates cronbot's store, then declares the id in openclaw.json (two files).
        Scenario {
            name: "set creating a store and editing openclaw.json",
            args: &[
                "set",
                "--provider",
                "my-proxy",
                "--type",
                "api_key",
                "--agent",
                "cronbot",
                "--secret-stdin",
            ],
            files: vec![
                ("agents/cronbot/agent/auth-profiles.json", None, |t| {
                    serde_json::from_str::<Value>(t).ok()
                        == Some(
                            json!({"version":1,"profiles":{"my-proxy:default":{"type":"api_key","provider":"my-proxy","key":SECRET}}}),
                        )
                }),
                ("openclaw.json", old("openclaw.json"), |t| {
                    t.contains("\"my-proxy:default\"") && t.contains("// my agents")
                }),
            ],
        },
        // Replaces the secret of an existing store (lock, backup, temp file, rename).
        Scenario {
            name: "set replacing an existing store",
            args: &[
                "set",
                "--provider",
                "my-proxy",
                "--type",
                "token",
                "--agent",
                "assistant",
                "--secret-stdin",
                "--replace",
            ],
            files: vec![(
                "agents/assistant/agent/auth-profiles.json",
                old("agents/assistant/agent/auth-profiles.json"),
                |t| {
                    serde_json::from_str::<Value>(t).ok()
                        == Some(
                            json!({"version":1,"profiles":{"my-proxy:manual":{"type":"token","provider":"my-proxy","token":SECRET}}}),
                        )
                },
            )],
        },
    ]
}

#[test]
fn a_full_disk_at_every_point_of_a_write_leaves_old_or_new_files() {
    require_mount_namespaces();
    let f = founding();
    for sc in scenarios(&f) {
        let mut outcomes = Vec::new();
        // Fill the tmpfs, then free `pages` pages: each step of the write (lock file,
        // backup, temp file, and the same for the next file) fails in some iteration.
        for pages in 0..=12u32 {
            let prepare = format!(
                "head -c 100000000 /dev/zero > \"$MNT/filler\" 2>/dev/null || true\ntruncate -s -{} \"$MNT/filler\"",
                pages * 4096
            );
            let o = run_on_tmpfs(&f, 256, &prepare, sc.args, SECRET);
            let ctx = format!(
                "{}, {pages} free pages: exit {:?}\n{}",
                sc.name, o.code, o.output
            );
            if std::env::var_os("HOSTILE_SHOW").is_some() {
                eprintln!("=== {ctx}");
            }
            assert!(!o.output.contains(SECRET), "secret leaked: {ctx}");
            assert!(matches!(o.code, Some(0 | 5)), "{ctx}");
            assert_no_leftovers(&o.after, &ctx);
            let mut changed = Vec::new();
            for (rel, old, is_new) in &sc.files {
                let now = std::fs::read_to_string(o.after.join(rel)).ok();
                // Each file is the old one or the new one, never anything in between.
                let new = now != *old;
                if new {
                    assert!(now.as_deref().is_some_and(is_new), "{ctx}\n{rel}: {now:?}");
                }
                let line = format!("✓ wrote {}", o.shown.join(rel).display());
                assert_eq!(o.output.contains(&line), new, "{ctx}: {line}");
                changed.push(new);
            }
            if o.code == Some(5) {
                assert!(o.output.contains("No space left on device"), "{ctx}");
                assert!(
                    o.output.contains("Nothing was changed")
                        || o.output
                            .contains("Not changed (clawauth stopped at the error)"),
                    "{ctx}"
                );
            } else {
                assert!(changed.iter().all(|c| *c), "{ctx}");
            }
            let step = o.output.lines().find(|l| l.starts_with("✗ ")).map(|l| {
                l.split(':')
                    .next()
                    .unwrap_or(l)
                    .chars()
                    .take(40)
                    .collect::<String>()
            });
            outcomes.push((pages, o.code, changed, step));
            if o.code == Some(0) {
                break;
            }
        }
        eprintln!(
            "{}: free pages → (exit, files changed, failing step): {outcomes:?}",
            sc.name
        );
        assert_eq!(
            outcomes.last().unwrap().1,
            Some(0),
            "{}: succeeds once there is room",
            sc.name
        );
        assert!(
            outcomes.iter().filter(|o| o.1 == Some(5)).count() >= 3,
            "{}: {outcomes:?}",
            sc.name
        );
    }
}

#[test]
fn a_refused_rename_leaves_the_old_file_and_no_temp_file() {
    require_mount_namespaces();
    let f = founding();
    let rel = "agents/assistant/agent/auth-profiles.json";
    let old = std::fs::read(f.state.join(rel)).unwrap();
    let args = [
        "set",
        "--provider",
        "my-proxy",
        "--type",
        "token",
        "--agent",
        "assistant",
        "--secret-stdin",
        "--replace",
    ];
    // The kernel refuses the rename over the store: an immutable file (EPERM, even for
    // root) and a file bind-mounted over the store, as containers do (EBUSY).
    for (what, prepare, says) in [
        (
            "immutable",
            format!("chattr +i \"$MNT/state/{rel}\""),
            "Operation not permitted",
        ),
        (
            "bind-mounted",
            format!(
                "cp \"$MNT/state/{rel}\" \"$MNT/outside.json\"\nmount --bind \"$MNT/outside.json\" \"$MNT/state/{rel}\""
            ),
            "busy",
        ),
    ] {
        let o = run_on_tmpfs(&f, 1024, &prepare, &args, SECRET);
        let ctx = format!("{what}: exit {:?}\n{}", o.code, o.output);
        assert_eq!(o.code, Some(5), "{ctx}");
        assert!(o.output.contains(says), "{ctx}");
        assert!(
            o.output
                .contains(&format!("could not write {}", o.shown.join(rel).display())),
            "{ctx}"
        );
        assert!(o.output.contains("the original file is untouched"), "{ctx}");
        assert!(o.output.contains("Nothing was changed"), "{ctx}");
        assert!(!o.output.contains(SECRET), "{ctx}");
        assert_eq!(std::fs::read(o.after.join(rel)).unwrap(), old, "{ctx}");
        assert_no_leftovers(&o.after, &ctx);
    }
}

#[test]
fn a_read_only_file_system_is_read_but_never_written() {
    require_mount_namespaces();
    let f = founding();
    let ro = "mount --bind \"$MNT/state\" \"$MNT/state\"\nmount -o remount,ro,bind \"$MNT/state\"";
    let before = snapshot(&f.state);
    let o = run_on_tmpfs(&f, 1024, ro, &["validate", "--json"], "");
    // The founding state has a problem (cronbot cannot see assistant's my-proxy:manual): exit 1.
    assert_eq!(o.code, Some(1), "{}", o.output);
    assert!(o.output.contains("config_profile_missing"), "{}", o.output);
    let o = run_on_tmpfs(&f, 1024, ro, &["status"], "");
    assert_eq!(o.code, Some(0), "{}", o.output);
    for args in [
        vec![
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "token",
            "--agent",
            "assistant",
            "--secret-stdin",
            "--replace",
        ],
        vec![
            "set",
            "--provider",
            "my-proxy",
            "--type",
            "api_key",
            "--agent",
            "cronbot",
            "--secret-stdin",
        ],
        vec!["rotate", "--provider", "my-proxy", "--secret-stdin"],
    ] {
        let o = run_on_tmpfs(&f, 1024, ro, &args, SECRET);
        let ctx = format!("{args:?}: exit {:?}\n{}", o.code, o.output);
        assert_eq!(o.code, Some(5), "{ctx}");
        assert!(o.output.contains("Read-only file system"), "{ctx}");
        assert!(o.output.contains("Nothing was changed"), "{ctx}");
        assert!(!o.output.contains(SECRET), "{ctx}");
        assert!(diff(&before, &snapshot(&o.after)).is_empty(), "{ctx}");
    }
}

/// A sane run (no crash, hang or undocumented exit code) of `clawauth ARGS` on `f`.
fn sane(f: &Fixture, args: &[&str], stdin: &str) -> Run {
    let r = run(&Invocation::on(f, args).stdin(stdin));
    r.assert_sane();
    r
}

#[test]
fn a_crash_before_the_rename_is_reported_and_recovered_from() {
    let f = founding();
    let store = f.agent_dir("assistant").join("auth-profiles.json");
    let old = std::fs::read(&store).unwrap();
    let set = SET_X_FOR_ASSISTANT;
    let crashed = run(&Invocation::on(&f, set)
        .stdin(SECRET)
        .env("CLAWAUTH_TEST_FAULT", "abort-before-rename"));
    assert_eq!(crashed.code, None, "aborted: {}", crashed.describe());
    assert_eq!(
        std::fs::read(&store).unwrap(),
        old,
        "the store is the old file"
    );
    let temps = files_named(&f.state, &|n| n.ends_with(".tmp"));
    assert_eq!(temps.len(), 1, "{temps:?}");
    let lock = f.agent_dir("assistant").join("auth-profiles.json.lock");
    assert!(lock.exists(), "the dead process's lock is left behind");
    // The leftover is reported, with what to do.
    let v = sane(&f, &["validate", "--json"], "");
    let doc: Value = serde_json::from_str(&v.stdout).unwrap();
    let p = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "stale_temp_file")
        .unwrap_or_else(|| panic!("no stale_temp_file: {doc}"));
    assert_eq!(p["file"], json!(temps[0].display().to_string()));
    assert_eq!(p["agent"], "assistant");
    assert!(
        p["fix"]
            .as_str()
            .unwrap()
            .contains(&format!("rm {}", temps[0].display()))
    );
    let status = sane(&f, &["status"], "");
    assert!(
        status.stdout.contains("stale_temp_file"),
        "{}",
        status.describe()
    );
    // The next write takes over the dead process's lock and succeeds.
    let again = sane(&f, set, SECRET);
    assert_eq!(again.code, Some(0), "{}", again.describe());
    assert!(!again.all().contains(SECRET));
    assert!(!lock.exists());
    let s = read_json(&store).unwrap();
    assert_eq!(s["profiles"]["x:default"]["key"], SECRET);
    assert_eq!(
        s["profiles"]["my-proxy:manual"]["token"],
        "sk-assistant-token"
    );
    // Once the leftover is gone, nothing is reported.
    std::fs::remove_file(&temps[0]).unwrap();
    let v = sane(&f, &["validate", "--json"], "");
    assert!(!v.stdout.contains("stale_temp_file"), "{}", v.stdout);
}

#[test]
fn an_old_lock_of_a_live_process_is_taken_over_and_a_fifo_lock_times_out() {
    let f = founding();
    let lock = f.agent_dir("assistant").join("auth-profiles.json.lock");
    let set = [SET_X_FOR_ASSISTANT, &["--lock-timeout", "1"]].concat();
    // pid 1 is alive, but the lock is older than OpenClaw's 30 s: stale, taken over.
    std::fs::write(
        &lock,
        "{\n  \"pid\": 1,\n  \"createdAt\": \"2020-01-01T00:00:00.000Z\"\n}",
    )
    .unwrap();
    let r = sane(&f, &set, SECRET);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(!lock.exists());
    // A lock that is a FIFO is never read (that would block); it is a fresh lock of an
    // unknown holder, so the write times out, names the lock, and changes nothing.
    let c = std::ffi::CString::new(lock.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let before = snapshot(&f.state);
    let set2 = [
        "set",
        "--provider",
        "y",
        "--new-provider",
        "--type",
        "api_key",
        "--agent",
        "assistant",
        "--secret-stdin",
        "--lock-timeout",
        "1",
    ];
    let r = sane(&f, &set2, SECRET);
    assert_eq!(r.code, Some(5), "{}", r.describe());
    assert!(
        r.all().contains("file lock timeout") && r.all().contains(&lock.display().to_string()),
        "{}",
        r.describe()
    );
    assert!(
        r.elapsed < std::time::Duration::from_secs(10),
        "{}",
        r.describe()
    );
    let changes: Vec<String> = diff(&before, &snapshot(&f.state))
        .into_iter()
        .filter(|c| !c.contains("clawauth-backup"))
        .collect();
    assert!(changes.is_empty(), "{changes:?}");
}
