//! Tests of `lock`: OpenClaw's lock protocol on real files, live and dead holders.

use super::*;
use std::fs::File;
use std::os::unix::fs::PermissionsExt;

fn quick() -> LockOptions {
    LockOptions {
        retries: 2,
        min_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        ..LockOptions::default()
    }
}

fn store(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("auth-profiles.json")
}

fn write_lock(target: &Path, pid: i64, created_ms: i64) {
    let at = utc::iso8601(created_ms);
    let text = format!("{{\n  \"pid\": {pid},\n  \"createdAt\": \"{at}\"\n}}");
    fs::write(lock_path(target), text).unwrap();
}

fn lock_json(target: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(lock_path(target)).unwrap()).unwrap()
}

fn dead_pid() -> i64 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    i64::from(pid)
}

fn own_pid() -> i64 {
    i64::from(std::process::id())
}

#[test]
fn lock_file_matches_node_json_format() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    let guard = acquire(&target, &quick()).unwrap();
    assert_eq!(
        guard.lock_path(),
        dir.path().join("auth-profiles.json.lock")
    );
    let text = fs::read_to_string(guard.lock_path()).unwrap();
    let pid = std::process::id();
    let prefix = format!("{{\n  \"pid\": {pid},\n  \"createdAt\": \"");
    assert!(text.starts_with(&prefix), "{text:?}");
    assert!(text.ends_with("Z\"\n}"), "{text:?}");
    let json = lock_json(&target);
    assert_eq!(json["pid"], pid);
    let at = json["createdAt"].as_str().unwrap();
    assert_eq!(at.len(), 24);
    let created = utc::parse_iso8601(at).unwrap();
    assert!((now_ms() - created).abs() < 5_000);
    let mode = fs::metadata(guard.lock_path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn live_fresh_lock_times_out_with_helpful_message() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    write_lock(&target, 1, now_ms());
    let t = target.clone();
    let started = std::time::Instant::now();
    let result = std::thread::spawn(move || acquire(&t, &quick()))
        .join()
        .unwrap();
    let err = result.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(20));
    let LockError::Timeout { holder_pid, .. } = &err else {
        panic!("expected timeout, got {err}");
    };
    assert_eq!(*holder_pid, Some(1));
    let msg = err.to_string();
    let expected = format!(
        "file lock timeout for {}: held by pid 1 since",
        target.display()
    );
    assert!(msg.starts_with(&expected), "{msg}");
    let remove = format!("remove {}", lock_path(&target).display());
    assert!(msg.ends_with(&remove), "{msg}");
    assert_eq!(lock_json(&target)["pid"], 1, "foreign lock must stay");
}

#[test]
fn dead_pid_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    let pid = dead_pid();
    write_lock(&target, pid, now_ms());
    assert!(inspect(&target).unwrap().stale);
    let _guard = acquire(&target, &quick()).unwrap();
    assert_eq!(lock_json(&target)["pid"], own_pid());
}

#[test]
fn old_created_at_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    write_lock(&target, 1, now_ms() - 60_000);
    let _guard = acquire(&target, &quick()).unwrap();
    assert_eq!(lock_json(&target)["pid"], own_pid());
}

#[test]
fn garbage_lock_is_respected_while_fresh_and_taken_when_old() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    fs::write(lock_path(&target), "{\"pid\": 12").unwrap();
    let err = acquire(&target, &quick()).unwrap_err();
    assert!(
        err.to_string()
            .contains("the lock file is empty or unreadable"),
        "{err}"
    );
    let old = SystemTime::now() - Duration::from_secs(60);
    File::options()
        .write(true)
        .open(lock_path(&target))
        .unwrap()
        .set_modified(old)
        .unwrap();
    let _guard = acquire(&target, &quick()).unwrap();
    assert_eq!(lock_json(&target)["pid"], own_pid());
}

#[test]
fn drop_removes_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    let guard = acquire(&target, &quick()).unwrap();
    assert!(lock_path(&target).exists());
    drop(guard);
    assert!(!lock_path(&target).exists());
    assert!(inspect(&target).is_none());
}

#[test]
fn reentrant_acquire_counts_guards() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    let outer = acquire(&target, &quick()).unwrap();
    let before = fs::read_to_string(lock_path(&target)).unwrap();
    let inner = acquire(&target, &quick()).unwrap();
    assert_eq!(fs::read_to_string(lock_path(&target)).unwrap(), before);
    drop(outer);
    assert!(lock_path(&target).exists(), "inner guard still holds it");
    drop(inner);
    assert!(!lock_path(&target).exists());
}

#[test]
fn guard_keeps_a_lock_replaced_by_another_holder() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    let guard = acquire(&target, &quick()).unwrap();
    write_lock(&target, 1, now_ms());
    drop(guard);
    assert_eq!(lock_json(&target)["pid"], 1);
    // The process no longer counts as holder: a new acquire must wait.
    assert!(matches!(
        acquire(&target, &quick()),
        Err(LockError::Timeout { .. })
    ));
}

#[test]
fn inspect_reports_holder_and_staleness() {
    let dir = tempfile::tempdir().unwrap();
    let target = store(&dir);
    assert!(inspect(&target).is_none());
    write_lock(&target, 1, now_ms());
    let info = inspect(&target).unwrap();
    assert_eq!((info.pid, info.stale), (Some(1), false));
    assert_eq!(info.lock_path, lock_path(&target));
    assert!(info.created_at.unwrap().ends_with('Z'));
    write_lock(&target, 1, now_ms() - 31_000);
    assert!(inspect(&target).unwrap().stale);
}

#[test]
fn missing_directory_is_an_io_error_naming_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("nope").join("auth-profiles.json");
    let err = acquire(&target, &quick()).unwrap_err();
    assert!(matches!(err, LockError::Io { .. }));
    assert!(
        err.to_string().contains("nope/auth-profiles.json.lock"),
        "{err}"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn backoff_grows_caps_and_jitters() {
    let opts = LockOptions::default();
    assert_eq!(opts.backoff(0, 1.0), Duration::from_millis(100));
    assert_eq!(opts.backoff(3, 1.0), Duration::from_millis(800));
    assert_eq!(opts.backoff(3, 1.5), Duration::from_millis(1200));
    assert_eq!(opts.backoff(7, 1.9), Duration::from_secs(10));
    assert_eq!(opts.backoff(40, 2.0), Duration::from_secs(10));
    assert_eq!(opts.backoff(0, 7.0), Duration::from_millis(200));
    for _ in 0..1000 {
        let j = jitter();
        assert!((1.0..2.0).contains(&j));
    }
}

#[test]
fn pid_probe_distinguishes_dead_and_live() {
    assert!(pid_alive(i32::try_from(own_pid()).unwrap()));
    assert!(pid_alive(1));
    assert!(!pid_alive(i32::try_from(dead_pid()).unwrap()));
}
