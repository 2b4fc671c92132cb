//! Every command clawauth prints (fix texts, plan commands) is safe to paste into a
//! POSIX shell: a state dir or provider holding `$(…)` is passed as one literal word.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const HOSTILE_PROVIDER: &str = "ev$(touch pwned-provider)il";

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Scripts named like the commands a fix runs; each records its arguments, one a line.
fn stubs(dir: &Path) {
    for name in ["clawauth", "openclaw", "chmod", "rm"] {
        let script = format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}/calls'; done\ncat >/dev/null\n",
            dir.display()
        );
        write(&dir.join(name), &script, 0o755);
    }
}

fn strings_under(v: &Value, keys: &[&str], out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().for_each(|v| strings_under(v, keys, out)),
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::String(s) if keys.contains(&k.as_str()) => out.push(s.clone()),
                    Value::Array(items) if keys.contains(&k.as_str()) => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)))
                    }
                    _ => strings_under(v, keys, out),
                }
            }
        }
        _ => {}
    }
}

/// The shell command inside a fix text ("… inherits it: printf … | clawauth set …").
fn command_in(text: &str) -> Option<String> {
    let start = [
        "printf '%s'",
        "chmod ",
        "rm ",
        "clawauth copy ",
        "clawauth repair ",
    ]
    .iter()
    .filter_map(|m| text.find(m))
    .min()?;
    let cmd = &text[start..];
    let cmd = cmd.split(" (or: ").next().unwrap_or(cmd);
    let cmd = cmd.split(" (was ").next().unwrap_or(cmd);
    Some(cmd.trim_end_matches([')', '`', '.']).to_string())
}

#[test]
fn printed_commands_pass_hostile_values_as_one_word() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("st$(touch pwned-dir)ate");
    let store = json!({"version": 1, "profiles": {"openai:default":
        {"type": "api_key", "provider": "openai", "key": "sk-1"}}});
    let store_path = state.join("agents/main/agent/auth-profiles.json");
    write(&store_path, &store.to_string(), 0o644);
    let jobs = json!({"version": 1, "jobs": [{"id": "j", "agentId": "main",
        "sessionTarget": "isolated",
        "payload": {"kind": "agentTurn", "model": format!("{HOSTILE_PROVIDER}/m")}}]});
    write(&state.join("cron/jobs.json"), &jobs.to_string(), 0o600);
    let bin = dir.path().join("bin");
    stubs(&bin);
    let mut texts = Vec::new();
    for args in [
        &["status", "--json"][..],
        &["validate", "--json"],
        &["repair", "--json", "--dry-run"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_clawauth"))
            .env_clear()
            .env("HOME", dir.path())
            .arg("--state-dir")
            .arg(&state)
            .args(args)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        strings_under(&doc, &["fix", "commands", "chmods", "manual"], &mut texts);
    }
    let commands: Vec<String> = texts.iter().filter_map(|t| command_in(t)).collect();
    assert!(commands.len() >= 3, "{texts:#?}");
    for cmd in &commands {
        let status = Command::new("/bin/sh")
            .arg("-c")
            .arg(cmd)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("SECRET", "s")
            .status()
            .unwrap();
        assert!(status.success(), "{cmd}");
    }
    let pwned: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pwned"))
        .collect();
    assert!(
        pwned.is_empty(),
        "pasting {commands:#?} ran code: {pwned:?}"
    );
    let calls = std::fs::read_to_string(bin.join("calls")).unwrap();
    let words: Vec<&str> = calls.lines().collect();
    assert!(words.contains(&HOSTILE_PROVIDER), "{calls}");
    assert!(words.contains(&store_path.to_str().unwrap()), "{calls}");
}
