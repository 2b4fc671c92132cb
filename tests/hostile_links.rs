//! Symbolic links and other users' files (issue 10 item 1), with files under a temp
//! dir (a "passwd" outside the state dir stands in for /etc/passwd).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;

use common::*;
use serde_json::Value;
use std::os::unix::fs::{MetadataExt, symlink};

const SECRET: &str = "sk-links-test-0123456789";
const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n";

fn run(f: &Fixture, args: &[&str], stdin: &str) -> std::process::Output {
    clawauth_with(f, args, stdin, "/nonexistent")
}

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(o)))
}

#[test]
fn repair_never_chmods_a_file_outside_the_state_through_a_link() {
    let f = founding();
    let outside = f.home.join("etc");
    std::fs::create_dir_all(&outside).unwrap();
    let passwd = outside.join("passwd");
    std::fs::write(&passwd, PASSWD).unwrap();
    set_mode(&passwd, 0o644);
    let store = f.agent_dir("cronbot").join("auth-profiles.json");
    std::fs::create_dir_all(store.parent().unwrap()).unwrap();
    symlink(&passwd, &store).unwrap();
    let plan = json_of(&run(&f, &["repair", "--dry-run", "--json"], ""));
    let shown = plan.to_string();
    assert!(
        !plan["plan"]["chmods"].to_string().contains("passwd"),
        "{shown}"
    );
    assert!(
        shown.contains("is a symbolic link to") && shown.contains("passwd"),
        "the plan names the link and its real target: {shown}"
    );
    let o = run(&f, &["repair", "--yes"], "");
    assert!(o.status.code().is_some(), "{}", text(&o));
    assert_eq!(mode(&passwd), 0o644, "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&passwd).unwrap(), PASSWD);
    // A write to that agent is refused, and nothing is written through the link.
    let set = [
        "set",
        "--provider",
        "x",
        "--new-provider",
        "--type",
        "api_key",
        "--agent",
        "cronbot",
        "--secret-stdin",
    ];
    let o = run(&f, &set, SECRET);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&passwd).unwrap(), PASSWD);
    assert!(
        std::fs::symlink_metadata(&store)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_link_to_a_store_inside_the_state_is_chmodded_by_its_real_name() {
    let f = founding();
    let store = std::fs::read(f.agent_dir("assistant").join("auth-profiles.json")).unwrap();
    let real = f.state.join("shared-store").join("auth-profiles.json");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, store).unwrap();
    set_mode(&real, 0o644);
    let link = f.agent_dir("cronbot").join("auth-profiles.json");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    symlink("../../../shared-store/auth-profiles.json", &link).unwrap();
    let plan = json_of(&run(&f, &["repair", "--dry-run", "--json"], ""));
    let chmods = plan["plan"]["chmods"].to_string();
    assert!(
        chmods.contains(&real.display().to_string()) && chmods.contains("symbolic link"),
        "{chmods}"
    );
    let o = run(&f, &["repair", "--yes"], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(mode(&real), 0o600);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn another_users_store_keeps_its_owner_and_the_plan_says_whose() {
    // SAFETY: geteuid cannot fail.
    assert_eq!(
        unsafe { libc::geteuid() },
        0,
        "this test needs root (it gives a store to another user): run it as root"
    );
    let f = founding();
    let store = f.agent_dir("assistant").join("auth-profiles.json");
    std::os::unix::fs::chown(&store, Some(65534), Some(65534)).unwrap();
    let set = [SET_X_FOR_ASSISTANT, &["--dry-run", "--json"]].concat();
    let plan = json_of(&run(&f, &set, SECRET));
    assert!(plan.to_string().contains("user id 65534"), "{plan}");
    let o = run(&f, SET_X_FOR_ASSISTANT, SECRET);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let meta = std::fs::metadata(&store).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert!(std::fs::read_to_string(&store).unwrap().contains(SECRET));
    let backups: Vec<_> = std::fs::read_dir(store.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .contains(".clawauth-backup-")
        })
        .collect();
    assert!(!backups.is_empty());
    for b in backups {
        assert_eq!(b.metadata().unwrap().uid(), 65534, "{:?}", b.path());
    }
}
