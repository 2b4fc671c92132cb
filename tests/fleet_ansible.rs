//! The Ansible plays of `assets/ansible/` (issue 14), run by a real ansible-core.
//!
//! `tests/fleet/provision.sh` installs ansible-core from PyPI into a cached virtualenv
//! (`target/fleet-ansible/venv`). Three "hosts" on this machine (`ansible_connection=local`)
//! each have their own state dir:
//! - `healthy`: OpenClaw 2026.4 JSON store, the key in main, inherited by the cron agent; its
//!   clawauth is copied there by the play (`clawauth_local_bin`);
//! - `founding`: the founding problem (`common::founding()`): the key only in `assistant`,
//!   the isolated cron job `daily` runs as `cronbot`, which cannot see it;
//! - `sqlite96`: OpenClaw 2026.9 style SQLite store (shared store in `state/openclaw.sqlite`).
//!
//! `fleet-status.yml` must write the combined report and fail on `founding` only;
//! `fleet-rotate.yml --check` must show every host's plan and write nothing; a real rotation
//! must put the new key into both JSON stores. Writing the SQLite store needs the real
//! `openclaw` CLI, which these hosts do not have: there the real run must fail clearly and
//! write nothing. The secret comes from an Ansible Vault file and must not appear in any
//! output, in Ansible's log or in any file Ansible left behind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;
use rusqlite::Connection;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const PROVIDER: &str = "my-proxy";
const CLAWAUTH: &str = common::BIN;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn playbook(name: &str) -> String {
    repo()
        .join("assets/ansible")
        .join(name)
        .display()
        .to_string()
}

/// The venv's bin dir; panics (the test fails, it is never skipped) when ansible-core cannot
/// be installed.
fn provision() -> PathBuf {
    let script = repo().join("tests/fleet/provision.sh");
    let out = Command::new(&script)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cannot install ansible-core from PyPI into target/fleet-ansible/venv \
         (tests/fleet/provision.sh exited {:?}); this test needs it and does not skip:\n{stderr}",
        out.status.code()
    );
    let bin = stdout
        .lines()
        .find_map(|l| l.strip_prefix("BIN="))
        .unwrap_or_else(|| panic!("provision.sh printed no BIN= line:\n{stdout}\n{stderr}"));
    PathBuf::from(bin)
}

/// A fake secret nobody else would print: fixed words plus this run's time.
fn fake_secret() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("sk-fleetVAULT-{nanos:x}-Qz7Wm3")
}

struct Run {
    code: i32,
    out: String,
}

/// The controller: a work dir (cwd of every ansible command) with its own HOME, temp dirs,
/// log and inventory.
struct Controller {
    _dir: tempfile::TempDir,
    work: PathBuf,
    venv_bin: PathBuf,
    log: PathBuf,
    outputs: Vec<(String, String)>,
}

impl Controller {
    fn new(venv_bin: PathBuf) -> Controller {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        for d in ["home", "tmp/local", "tmp/remote"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::create_dir_all(&work).unwrap();
        Controller {
            log: dir.path().join("ansible.log"),
            _dir: dir,
            work,
            venv_bin,
            outputs: Vec::new(),
        }
    }

    fn root(&self) -> &Path {
        self._dir.path()
    }

    /// Runs a tool of the venv with an explicit environment (nothing from the real HOME);
    /// keeps stdout+stderr for the secret check.
    fn run(&mut self, tool: &str, args: &[&str]) -> Run {
        let root = self.root().to_path_buf();
        let path = format!("{}:/usr/local/bin:/usr/bin:/bin", self.venv_bin.display());
        let start = Instant::now();
        let out = Command::new(self.venv_bin.join(tool))
            .args(args)
            .current_dir(&self.work)
            .env_clear()
            .env("PATH", path)
            .env("HOME", root.join("home"))
            .env("LC_ALL", "C.UTF-8")
            .env("LANG", "C.UTF-8")
            .env("TMPDIR", root.join("tmp"))
            .env("ANSIBLE_HOME", root.join("home/.ansible"))
            .env("ANSIBLE_LOCAL_TEMP", root.join("tmp/local"))
            .env("ANSIBLE_REMOTE_TEMP", root.join("tmp/remote"))
            .env("ANSIBLE_LOG_PATH", &self.log)
            .env("ANSIBLE_CONFIG", repo().join("assets/ansible/ansible.cfg"))
            .env("ANSIBLE_NOCOLOR", "1")
            .env("ANSIBLE_FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
        let text = text(&out);
        eprintln!(
            "fleet_ansible: {tool} {} -> {:?} in {:.1}s",
            args.join(" "),
            out.status.code(),
            start.elapsed().as_secs_f64()
        );
        self.outputs
            .push((format!("{tool} {}", args.join(" ")), text.clone()));
        Run {
            code: out.status.code().unwrap_or(-1),
            out: text,
        }
    }
}

/// `clawauth --state-dir <host> status --json`, run directly (not through Ansible).
fn status_json(f: &Fixture) -> Value {
    let out = clawauth_with(f, &["status", "--json"], "", "/usr/bin:/bin");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn cell<'a>(status: &'a Value, agent: &str, provider: &str) -> &'a Value {
    status["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["agent"] == agent && c["provider"] == provider)
        .unwrap_or_else(|| panic!("no cell {agent} x {provider} in {status}"))
}

/// Every file under `dir`: relative path -> (mode, sha256 of the bytes).
/// Every file of a tree: relative path → (mode, sha256).
type TreeHash = BTreeMap<String, (u32, String)>;

fn tree_hash(dir: &Path) -> TreeHash {
    fn walk(base: &Path, dir: &Path, out: &mut TreeHash) {
        use std::os::unix::fs::PermissionsExt;
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let rel = e.path().strip_prefix(base).unwrap().display().to_string();
            if meta.is_dir() {
                out.insert(
                    format!("{rel}/"),
                    (meta.permissions().mode(), String::new()),
                );
                walk(base, &e.path(), out);
            } else {
                let bytes = std::fs::read(e.path()).unwrap();
                let digest = Sha256::digest(&bytes);
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                out.insert(rel, (meta.permissions().mode(), hex));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn assert_unchanged(label: &str, before: &TreeHash, dir: &Path) {
    let after = tree_hash(dir);
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "{label}: files changed in {}: {changed:?}",
        dir.display()
    );
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file()
                && std::fs::read(&p)
                    .unwrap()
                    .windows(needle.len())
                    .any(|w| w == needle)
            {
                hits.push(p);
            }
        }
    }
    hits
}

// ---- the three hosts -------------------------------------------------------------------

const CRON_DAILY: &str = r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}}]}"#;

/// 2026.4 JSON store; `my-proxy:manual` in main's store, which cronbot inherits.
fn healthy() -> Fixture {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
  auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }"#,
    );
    f.store(
        "main",
        store_of(&[(
            "my-proxy:manual",
            token(PROVIDER, "sk-healthy-old-token", None),
        )]),
    );
    f.write("cron/jobs.json", CRON_DAILY);
    f
}

/// 2026.9 style: keyed agents, the shared store in `state/openclaw.sqlite` (the tables
/// OpenClaw 2026.9.6 creates, as in tests/status_sqlite.rs), an isolated cron job there.
fn sqlite96() -> Fixture {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { ownership: "explicit", entries: { main: { default: true }, cronbot: { model: "my-proxy/m" } } },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } } }"#,
    );
    let db = f.state.join("state/openclaw.sqlite");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let c = Connection::open(&db).unwrap();
    c.execute_batch(
        "CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;
         CREATE TABLE cron_jobs (store_key TEXT NOT NULL, job_id TEXT NOT NULL, declaration_key TEXT, owner_agent_id TEXT, name TEXT NOT NULL, description TEXT, enabled INTEGER NOT NULL, agent_id TEXT, payload_kind TEXT NOT NULL, job_json TEXT NOT NULL, grant_definition_revision TEXT, grant_definition_generation INTEGER, grant_definition_updated_at INTEGER, state_json TEXT NOT NULL DEFAULT '{}', runtime_updated_at_ms INTEGER, schedule_identity TEXT, sort_order INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL, PRIMARY KEY (store_key, job_id)) STRICT;
         INSERT INTO config_machine_state VALUES ('auth.sharedStore', '{\"location\":\"state-db\"}', 0);",
    )
    .unwrap();
    let store = store_of(&[(
        "my-proxy:manual",
        token(PROVIDER, "sk-sqlite-old-token", None),
    )]);
    c.execute(
        "INSERT INTO config_machine_state VALUES ('authProfiles.store', ?1, 0)",
        [store.to_string()],
    )
    .unwrap();
    let job = json!({"id":"nightly","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}});
    c.execute(
        "INSERT INTO cron_jobs (store_key, job_id, name, enabled, agent_id, payload_kind, job_json, updated_at) VALUES ('default', 'nightly', 'nightly', 1, 'cronbot', 'agentTurn', ?1, 0)",
        [job.to_string()],
    )
    .unwrap();
    drop(c);
    set_mode(&db, 0o600);
    f
}

fn store_token(path: &Path) -> String {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    doc["profiles"]["my-proxy:manual"]["token"]
        .as_str()
        .unwrap()
        .to_string()
}

fn as_refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// `host : ok=.. failed=N` of the play recap.
fn recap_failed(out: &str, host: &str) -> u32 {
    let line = out
        .lines()
        .rev()
        .find(|l| l.starts_with(host) && l.contains(" : ok="))
        .unwrap_or_else(|| panic!("no PLAY RECAP line for {host}:\n{out}"));
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("failed="))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn fleet_status_and_rotate_through_ansible() {
    let t0 = Instant::now();
    let venv_bin = provision();
    eprintln!(
        "fleet_ansible: ansible-core ready in {:.1}s",
        t0.elapsed().as_secs_f64()
    );
    let mut ctl = Controller::new(venv_bin.clone());
    let secret = fake_secret();

    let hosts: Vec<(&str, Fixture)> = vec![
        ("healthy", healthy()),
        ("founding", founding()),
        ("sqlite96", sqlite96()),
    ];
    let host = |name: &str| &hosts.iter().find(|(n, _)| *n == name).unwrap().1;

    // The inventory (JSON is YAML). healthy gets its clawauth copied by the play; the others
    // use the one cargo built, in place.
    let copied_bin = ctl.root().join("hosts/healthy/bin/clawauth");
    std::fs::create_dir_all(copied_bin.parent().unwrap()).unwrap();
    let mut inv_hosts = serde_json::Map::new();
    for (name, f) in &hosts {
        let mut vars = json!({"clawauth_state_dir": f.state, "clawauth_bin": CLAWAUTH});
        if *name == "healthy" {
            vars["clawauth_local_bin"] = json!(CLAWAUTH);
            vars["clawauth_bin"] = json!(copied_bin);
        }
        inv_hosts.insert(name.to_string(), vars);
    }
    let inventory = json!({"openclaw": {"hosts": inv_hosts, "vars": {
        "ansible_connection": "local",
        "ansible_python_interpreter": venv_bin.join("python"),
    }}});
    let inv = ctl.work.join("inventory.yml");
    std::fs::write(&inv, serde_json::to_string_pretty(&inventory).unwrap()).unwrap();
    let inv = inv.display().to_string();

    // ---- fleet-status.yml: report, summary, failure on the founding host ----------------
    let run = ctl.run(
        "ansible-playbook",
        &["-i", &inv, &playbook("fleet-status.yml")],
    );
    assert_eq!(
        run.code, 2,
        "fleet-status.yml must fail (a host failed):\n{}",
        run.out
    );
    assert_eq!(recap_failed(&run.out, "founding"), 1, "{}", run.out);
    assert_eq!(recap_failed(&run.out, "healthy"), 0, "{}", run.out);
    assert_eq!(recap_failed(&run.out, "sqlite96"), 0, "{}", run.out);
    assert!(
        run.out.contains(
            "founding: cron job daily runs as agent cronbot and needs provider my-proxy, which is not usable there (missing)"
        ),
        "failure message naming host, agent, provider and cron job:\n{}",
        run.out
    );
    // The default report path is relative to the directory ansible-playbook runs in.
    let report: Value =
        serde_json::from_slice(&std::fs::read(ctl.work.join("fleet-status.json")).unwrap())
            .unwrap();
    let report_hosts = report["hosts"].as_object().unwrap();
    assert_eq!(
        report_hosts.keys().collect::<Vec<_>>(),
        ["founding", "healthy", "sqlite96"]
    );
    assert_eq!(report.as_object().unwrap().len(), 1, "only \"hosts\"");
    for (name, f) in &hosts {
        assert_eq!(
            report["hosts"][*name],
            status_json(f),
            "{name}: the report holds clawauth's own status document"
        );
    }
    assert_eq!(report["hosts"]["sqlite96"]["generation"], "sqlite");
    assert_eq!(report["hosts"]["healthy"]["generation"], "json");
    let c = cell(&report["hosts"]["founding"], "cronbot", PROVIDER);
    assert_eq!(c["usable"], false);
    assert_eq!(c["cron"], json!(["daily"]));
    for name in ["healthy", "sqlite96"] {
        let c = cell(&report["hosts"][name], "cronbot", PROVIDER);
        assert_eq!(c["usable"], true, "{name}: {c}");
    }
    let summary = std::fs::read_to_string(ctl.work.join("fleet-status.txt")).unwrap();
    assert!(
        summary.starts_with(
            "clawauth fleet status: 3 host(s), 1 cell(s) not usable, 1 cron job(s) at risk\n"
        ),
        "{summary}"
    );
    let row = |h: &str| {
        summary
            .lines()
            .find(|l| l.starts_with(&format!("{h} ")))
            .unwrap_or_else(|| panic!("no row for {h}:\n{summary}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row("healthy")[..7],
        ["healthy", "json", "0", "2", "1", "0", "-"]
    );
    assert_eq!(
        row("sqlite96")[..7],
        ["sqlite96", "sqlite", "0", "2", "1", "0", "-"]
    );
    assert_eq!(
        row("founding").join(" "),
        "founding json 1 2 1 1 daily (cronbot x my-proxy: missing)"
    );
    assert!(
        summary.contains("Not usable on founding:\n  cronbot x my-proxy: missing (cron: daily)\n")
    );
    // healthy's clawauth was copied there by the play.
    assert_eq!(
        std::fs::read(&copied_bin).unwrap(),
        std::fs::read(CLAWAUTH).unwrap()
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copied_bin).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }

    // fleet_fail_on_cron=false only reports; fleet_report moves both outputs.
    let other = ctl.root().join("reports/fleet.json");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    let run = ctl.run(
        "ansible-playbook",
        &[
            "-i",
            &inv,
            &playbook("fleet-status.yml"),
            "-e",
            "fleet_fail_on_cron=false",
            "-e",
            &format!("fleet_report={}", other.display()),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.out);
    let again: Value = serde_json::from_slice(&std::fs::read(&other).unwrap()).unwrap();
    assert_eq!(again, report);
    assert!(other.with_extension("txt").is_file());

    // ---- the vaulted secret ----------------------------------------------------------------
    let vault_pass = ctl.root().join("vault-pass");
    std::fs::write(&vault_pass, "fleet-test-vault-password\n").unwrap();
    set_mode(&vault_pass, 0o600);
    let secrets = ctl.work.join("secrets.yml");
    std::fs::write(&secrets, format!("rotate_secret: \"{secret}\"\n")).unwrap();
    set_mode(&secrets, 0o600);
    let vp = vault_pass.display().to_string();
    let sf = secrets.display().to_string();
    let run = ctl.run(
        "ansible-vault",
        &["encrypt", "--vault-password-file", &vp, &sf],
    );
    assert_eq!(run.code, 0, "{}", run.out);
    let encrypted = std::fs::read_to_string(&secrets).unwrap();
    assert!(encrypted.starts_with("$ANSIBLE_VAULT;"), "{encrypted}");
    assert!(!encrypted.contains(&secret));
    let rotate_args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "-i",
            &inv,
            &playbook("fleet-rotate.yml"),
            "-e",
            "rotate_provider=my-proxy",
            "-e",
            &format!("@{sf}"),
            "--vault-password-file",
            &vp,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let states: Vec<(&str, TreeHash)> = hosts
        .iter()
        .map(|(n, f)| (*n, tree_hash(&f.state)))
        .collect();
    let state_before = |name: &str| &states.iter().find(|(n, _)| *n == name).unwrap().1;

    // ---- fleet-rotate.yml --check: every host's plan, nothing written ------------------
    let args = rotate_args(&["--check"]);
    let run = ctl.run("ansible-playbook", &as_refs(&args));
    assert_eq!(run.code, 0, "{}", run.out);
    for (name, f) in &hosts {
        assert_unchanged(&format!("--check on {name}"), state_before(name), &f.state);
    }
    let healthy_store = host("healthy").agent_dir("main").join("auth-profiles.json");
    let founding_store = host("founding")
        .agent_dir("assistant")
        .join("auth-profiles.json");
    for store in [&healthy_store, &founding_store] {
        assert!(
            run.out.contains(&format!(
                "change {}: replaces the secret of my-proxy:manual (token)",
                store.display()
            )),
            "plan for {}:\n{}",
            store.display(),
            run.out
        );
    }
    assert!(
        run.out.contains(
            "openclaw models auth paste-token --provider my-proxy --profile-id my-proxy:manual --agent main"
        ),
        "sqlite96's plan (the OpenClaw command it would run):\n{}",
        run.out
    );
    assert!(run.out.contains("(check mode: nothing is written)"));
    let rr: Value =
        serde_json::from_slice(&std::fs::read(ctl.work.join("fleet-rotate.json")).unwrap())
            .unwrap();
    assert_eq!(rr["mode"], "check");
    assert_eq!(rr["provider"], PROVIDER);
    for name in ["healthy", "founding", "sqlite96"] {
        let h = &rr["hosts"][name];
        assert_eq!(h["applied"], false, "{name}: {h}");
        assert_eq!(h["error"], Value::Null, "{name}: {h}");
        assert_eq!(h["written"], json!([]), "{name}: {h}");
    }
    assert_eq!(
        rr["hosts"]["healthy"]["plan"]["files"][0]["path"],
        json!(healthy_store)
    );
    assert_eq!(rr["hosts"]["sqlite96"]["plan"]["files"], json!([]));
    assert_eq!(
        rr["hosts"]["sqlite96"]["plan"]["commands"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // ---- a real rotation on the JSON hosts, at -vvv (no_log must hold there too) -------
    let args = rotate_args(&["-vvv", "--limit", "healthy,founding"]);
    let run = ctl.run("ansible-playbook", &as_refs(&args));
    assert_eq!(run.code, 0, "{}", run.out);
    assert_eq!(store_token(&healthy_store), secret, "healthy's store");
    assert_eq!(store_token(&founding_store), secret, "founding's store");
    assert_unchanged(
        "not in --limit",
        state_before("sqlite96"),
        &host("sqlite96").state,
    );
    let after = status_json(host("healthy"));
    for agent in ["main", "cronbot"] {
        let c = cell(&after, agent, PROVIDER);
        assert_eq!(c["usable"], true, "{c}");
        assert_eq!(c["profile"], "my-proxy:manual");
        assert_eq!(c["file"], json!(healthy_store), "{c}");
    }
    let after = status_json(host("founding"));
    let c = cell(&after, "assistant", PROVIDER);
    assert_eq!(c["usable"], true, "{c}");
    assert_eq!(c["file"], json!(founding_store), "{c}");
    // A rotation does not fix the founding problem: cronbot still cannot see the key.
    assert_eq!(cell(&after, "cronbot", PROVIDER)["usable"], false);
    let rr: Value =
        serde_json::from_slice(&std::fs::read(ctl.work.join("fleet-rotate.json")).unwrap())
            .unwrap();
    assert_eq!(rr["mode"], "apply");
    assert_eq!(
        rr["hosts"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["founding", "healthy"]
    );
    for (name, store, usable) in [
        ("healthy", &healthy_store, json!(["main", "cronbot"])),
        ("founding", &founding_store, json!(["assistant"])),
    ] {
        let h = &rr["hosts"][name];
        assert_eq!(h["applied"], true, "{name}: {h}");
        assert_eq!(h["exitCode"], 0, "{name}: {h}");
        assert_eq!(h["error"], Value::Null, "{name}: {h}");
        assert_eq!(h["written"], json!([store]), "{name}: {h}");
        assert_eq!(h["usableAfter"], usable, "{name}: {h}");
        assert_eq!(h["verified"].as_array().unwrap().len(), 1, "{name}: {h}");
        let backup = h["backups"][0].as_str().unwrap();
        assert!(Path::new(backup).is_file(), "{name}: backup {backup}");
        assert!(
            run.out
                .contains(&format!("{name}: wrote {}", store.display())),
            "{}",
            run.out
        );
    }

    // ---- a real run on the SQLite host: no openclaw CLI there, so a clear refusal ------
    let args = rotate_args(&["--limit", "sqlite96"]);
    let run = ctl.run("ansible-playbook", &as_refs(&args));
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(
        run.out.contains(
            "sqlite96: clawauth rotate exited 4 (refused, nothing was written); this host's store is written by the openclaw CLI"
        ),
        "{}",
        run.out
    );
    assert_unchanged(
        "refused rotation",
        state_before("sqlite96"),
        &host("sqlite96").state,
    );
    let rr: Value =
        serde_json::from_slice(&std::fs::read(ctl.work.join("fleet-rotate.json")).unwrap())
            .unwrap();
    assert_eq!(rr["hosts"]["sqlite96"]["exitCode"], 4);
    assert_eq!(rr["hosts"]["sqlite96"]["applied"], false);

    // ---- the secret: in no output, not in Ansible's log, in no file Ansible left --------
    for (cmd, out) in &ctl.outputs {
        assert!(
            !out.contains(&secret),
            "the secret appears in the output of `{cmd}`"
        );
    }
    let log = std::fs::read_to_string(&ctl.log).expect("ANSIBLE_LOG_PATH was written");
    assert!(
        log.contains("Apply the rotation") && log.contains("sqlite96"),
        "the log covers the runs"
    );
    assert!(
        !log.contains(&secret),
        "the secret appears in {}",
        ctl.log.display()
    );
    let hits = files_containing(ctl.root(), secret.as_bytes());
    assert!(hits.is_empty(), "the secret is in {hits:?}");
    eprintln!(
        "fleet_ansible: whole test {:.1}s",
        t0.elapsed().as_secs_f64()
    );
}

/// A cheap guard without Ansible: in fleet-rotate.yml the secret is only ever the stdin of a
/// task that has `no_log: true` (or checked for presence under no_log), never an argument.
#[test]
fn rotate_play_passes_the_secret_only_on_stdin_under_no_log() {
    let play = std::fs::read_to_string(repo().join("assets/ansible/fleet-rotate.yml")).unwrap();
    let lines: Vec<&str> = play.lines().collect();
    let task_of = |i: usize| {
        let start = (0..=i)
            .rev()
            .find(|&j| lines[j].starts_with("    - name:"))
            .unwrap();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].starts_with("    - name:"))
            .unwrap_or(lines.len());
        (lines[start], lines[start..end].join("\n"))
    };
    let mut on_stdin = 0;
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        if code.starts_with('#') || code.starts_with("- name:") || !code.contains("rotate_secret") {
            continue;
        }
        let allowed = [
            "stdin: \"{{ rotate_secret }}\"",
            "- rotate_secret is defined",
            "- rotate_secret | string | length > 0",
        ];
        assert!(
            allowed.contains(&code),
            "line {}: rotate_secret used outside stdin: {code}",
            i + 1
        );
        let (name, task) = task_of(i);
        assert!(
            task.contains("\n      no_log: true"),
            "task `{}` carries rotate_secret without no_log: true",
            name.trim()
        );
        on_stdin += usize::from(code.starts_with("stdin:"));
    }
    assert_eq!(on_stdin, 2, "the plan and the apply task");
}
