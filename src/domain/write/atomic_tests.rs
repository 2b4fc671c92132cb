//! Tests of `atomic`: real writes into temp dirs, with injected faults.

use super::*;
use std::os::unix::fs::symlink;

fn tmp_files(dir: &Path) -> Vec<String> {
    let names = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name());
    let names = names.map(|n| n.to_string_lossy().into_owned());
    names.filter(|n| n.ends_with(".tmp")).collect()
}

/// Runs `f` with a thread-local fault, clearing it afterwards.
fn with_fault<T>(fault: Fault, f: impl FnOnce() -> T) -> T {
    set_fault_for_tests(Some(fault));
    let out = f();
    set_fault_for_tests(None);
    out
}

#[test]
fn writes_content_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("auth-profiles.json");
    fs::write(&file, "old").unwrap();
    fs::set_permissions(&file, Permissions::from_mode(0o644)).unwrap();
    let written = write_atomic(&file, b"{\"version\": 1}\n").unwrap();
    assert_eq!(written, file);
    assert_eq!(fs::read(&file).unwrap(), b"{\"version\": 1}\n");
    assert_eq!(file_mode(&file), Some(0o600));
    assert!(tmp_files(dir.path()).is_empty());
}

#[test]
fn creates_missing_dirs_0700_and_leaves_existing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("state");
    fs::create_dir(&existing).unwrap();
    fs::set_permissions(&existing, Permissions::from_mode(0o755)).unwrap();
    let file = existing.join("agents/main/agent/auth-profiles.json");
    write_atomic(&file, b"{}").unwrap();
    assert_eq!(fs::read(&file).unwrap(), b"{}");
    assert_eq!(file_mode(&existing), Some(0o755));
    for sub in ["agents", "agents/main", "agents/main/agent"] {
        assert_eq!(file_mode(&existing.join(sub)), Some(0o700), "{sub}");
    }
}

#[test]
fn symlink_is_kept_and_its_target_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("auth-profiles.json");
    fs::write(&real, "old").unwrap();
    symlink(&real, &link).unwrap();
    assert_eq!(write_atomic(&link, b"new").unwrap(), real);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), real);
    assert_eq!(fs::read(&real).unwrap(), b"new");
    assert_eq!(file_mode(&real), Some(0o600));
}

#[test]
fn relative_symlink_chain_resolves_against_link_dirs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    fs::write(b.join("real.json"), "old").unwrap();
    symlink("real.json", b.join("hop.json")).unwrap();
    symlink("../b/hop.json", a.join("store.json")).unwrap();
    let written = write_atomic(&a.join("store.json"), b"new").unwrap();
    assert_eq!(written, a.join("../b/real.json"));
    assert_eq!(fs::read(b.join("real.json")).unwrap(), b"new");
    assert!(
        fs::symlink_metadata(b.join("hop.json"))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn dangling_symlink_creates_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("store.json");
    symlink("sub/real.json", &link).unwrap();
    assert_eq!(
        write_target(&link).unwrap(),
        dir.path().join("sub/real.json")
    );
    write_atomic(&link, b"x").unwrap();
    assert_eq!(fs::read(&link).unwrap(), b"x");
    assert_eq!(file_mode(&dir.path().join("sub")), Some(0o700));
}

#[test]
fn symlink_loop_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    symlink(&b, &a).unwrap();
    symlink(&a, &b).unwrap();
    let err = write_atomic(&a, b"x").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("too many levels of symbolic links"), "{msg}");
    assert!(msg.contains("a.json"), "{msg}");
    assert!(tmp_files(dir.path()).is_empty());
}

#[test]
fn injected_enospc_leaves_original_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("auth-profiles.json");
    fs::write(&file, "original").unwrap();
    let full = Fault::FailWrite(io::ErrorKind::StorageFull);
    let err = with_fault(full, || write_atomic(&file, b"new")).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    let msg = err.to_string();
    assert!(
        msg.contains("auth-profiles.json") && msg.contains("untouched"),
        "{msg}"
    );
    assert!(msg.contains("No space left on device"), "{msg}");
    assert_eq!(fs::read(&file).unwrap(), b"original");
    assert!(tmp_files(dir.path()).is_empty());
    write_atomic(&file, b"new").unwrap(); // fault cleared
}

#[test]
fn injected_rename_failure_leaves_original_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openclaw.json");
    fs::write(&file, "original").unwrap();
    let err = with_fault(Fault::FailRename, || write_atomic(&file, b"new")).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("openclaw.json") && msg.contains("untouched"),
        "{msg}"
    );
    assert_eq!(fs::read(&file).unwrap(), b"original");
    assert!(tmp_files(dir.path()).is_empty());
}

const CRASH_TARGET_ENV: &str = "CLAWAUTH_TEST_CRASH_TARGET";

/// Child half of `abort_before_rename_keeps_original`; a no-op otherwise.
#[test]
fn crash_child() {
    if let Some(target) = std::env::var_os(CRASH_TARGET_ENV) {
        let _ = write_atomic(Path::new(&target), b"half-done");
    }
}

#[test]
fn abort_before_rename_keeps_original() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("auth-profiles.json");
    fs::write(&file, "original").unwrap();
    let module = module_path!().split_once("::").unwrap().1;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    // SAFETY: setrlimit is async-signal-safe; no core dump from the abort.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut child, || {
            let none = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &none);
            Ok(())
        });
    }
    let status = child
        .args([
            "--exact",
            &format!("{module}::crash_child"),
            "--test-threads=1",
        ])
        .env(CRASH_TARGET_ENV, &file)
        .env(FAULT_ENV, "abort-before-rename")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "child should have aborted");
    assert_eq!(fs::read(&file).unwrap(), b"original");
    // A crash leaves a complete, private temp file (like OpenClaw).
    let leftovers = tmp_files(dir.path());
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    let leftover = dir.path().join(&leftovers[0]);
    assert_eq!(fs::read(&leftover).unwrap(), b"half-done");
    assert_eq!(file_mode(&leftover), Some(0o600));
}

#[test]
fn a_panic_before_the_rename_removes_the_temp_file_while_unwinding() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("auth-profiles.json");
    fs::write(&file, "old").unwrap();
    let unwound = std::panic::catch_unwind(|| {
        with_fault(Fault::PanicBeforeRename, || write_atomic(&file, b"new"))
    });
    set_fault_for_tests(None);
    assert!(unwound.is_err(), "the injected panic happened");
    assert_eq!(fs::read(&file).unwrap(), b"old");
    assert!(
        tmp_files(dir.path()).is_empty(),
        "{:?}",
        tmp_files(dir.path())
    );
}

#[test]
fn fault_env_values_parse() {
    let full = Some(Fault::FailWrite(io::ErrorKind::StorageFull));
    assert_eq!(Fault::from_env_value("enospc"), full);
    assert_eq!(Fault::from_env_value("rename"), Some(Fault::FailRename));
    let abort = Some(Fault::AbortBeforeRename);
    assert_eq!(Fault::from_env_value("abort-before-rename"), abort);
    let panic = Some(Fault::PanicBeforeRename);
    assert_eq!(Fault::from_env_value("panic-before-rename"), panic);
    let ui = Some(Fault::PanicInUi);
    assert_eq!(Fault::from_env_value("panic-in-ui"), ui);
    let misspelt = Some(Fault::FailWrite(std::io::ErrorKind::InvalidInput));
    assert_eq!(
        Fault::from_env_value("bogus"),
        misspelt,
        "a misspelt hook fails writes"
    );
}

#[test]
fn temp_names_are_16_hex_digits() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("auth-profiles.json");
    let (tmp, _file) = create_temp(&target).unwrap();
    let name = tmp.file_name().unwrap().to_str().unwrap();
    let hex = name
        .strip_prefix("auth-profiles.json.")
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .unwrap();
    assert_eq!(hex.len(), 16);
    assert!(hex.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(file_mode(&tmp), Some(0o600));
}

#[test]
fn backup_copies_bytes_privately_with_unique_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("auth-profiles.json");
    fs::write(&file, "secret bytes \u{0}\n").unwrap();
    fs::set_permissions(&file, Permissions::from_mode(0o644)).unwrap();
    let names: Vec<PathBuf> = (0..3).map(|_| backup(&file).unwrap().unwrap()).collect();
    for name in &names {
        assert_eq!(fs::read(name).unwrap(), b"secret bytes \0\n");
        assert_eq!(file_mode(name), Some(0o600));
        let text = name.file_name().unwrap().to_str().unwrap();
        assert!(
            text.starts_with("auth-profiles.json.clawauth-backup-2"),
            "{text}"
        );
    }
    assert!(names[0] != names[1] && names[1] != names[2] && names[0] != names[2]);
}

#[test]
fn backup_suffixes_collisions_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.json");
    let stamp = "20261124T193544354Z";
    let made: Vec<PathBuf> = (0..3)
        .map(|_| backup_with_stamp(&file, b"x", stamp).unwrap())
        .collect();
    let base = "s.json.clawauth-backup-20261124T193544354Z";
    let expected = [base.to_string(), format!("{base}-2"), format!("{base}-3")];
    for (path, name) in made.iter().zip(expected) {
        assert_eq!(path, &dir.path().join(name));
    }
}

#[test]
fn backup_follows_symlink_and_skips_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    symlink(&real, &link).unwrap();
    assert_eq!(backup(&link).unwrap(), None);
    assert_eq!(backup(&dir.path().join("absent.json")).unwrap(), None);
    fs::write(&real, "data").unwrap();
    let copy = backup(&link).unwrap().unwrap();
    let name = copy.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("real.json.clawauth-backup-"), "{name}");
    assert_eq!(fs::read(&copy).unwrap(), b"data");
}

#[test]
fn compact_stamp_format() {
    assert_eq!(utc::compact(1_798_141_104_533), "20261224T193824533Z");
    assert_eq!(file_mode(Path::new("/definitely/not/here")), None);
}
