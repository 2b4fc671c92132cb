//! Agent ids are normalised exactly as the real OpenClaw does (issue 10 item 4):
//! odd ids in openclaw.json against `openclaw agents list --json`, both versions.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;

use common::oc::{V45, V96, openclaw};
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const ODD_IDS: &[&str] = &[
    "my..bot",
    "bot.",
    "_under",
    "Mixed Case",
    "  spaced  ",
    "UPPER",
    "-lead",
    "trail-",
    "a--b",
    "x.y.z",
    "ünï",
    "name\ttab",
    "1st",
    "a_b-c",
    "émile",
    "bot!!two",
    "\u{212a}elvin",
    "__",
    "ok_",
];

fn long_id() -> String {
    format!("{}.tail", "a".repeat(70))
}

fn agents_by_openclaw(version: &str, f: &Fixture) -> BTreeMap<String, String> {
    let (code, out, err) = openclaw(version, f, &["cli-json", "agents", "list", "--json"], "");
    assert_eq!(
        code, 0,
        "openclaw {version} agents list failed:\n{out}\n{err}"
    );
    let list: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let id = a["id"].as_str().unwrap().to_string();
            (id, a["agentDir"].as_str().unwrap().to_string())
        })
        .collect()
}

fn check(version: &str) {
    let f = Fixture::new();
    let long = long_id();
    let mut list = vec![json!({"id": "main", "default": true})];
    list.extend(ODD_IDS.iter().map(|id| json!({"id": id})));
    list.push(json!({"id": long}));
    f.config(&json!({"agents": {"list": list}}).to_string());
    let theirs = agents_by_openclaw(version, &f);
    let d = f.discovery();
    let ours: BTreeMap<String, String> = d
        .agents
        .iter()
        .map(|a| (a.id.clone(), a.dir.display().to_string()))
        .collect();
    assert_eq!(
        ours, theirs,
        "OpenClaw {version}: clawauth's ids and dirs differ"
    );
    // The examples of the issue, spelled out.
    for id in ["my-bot", "bot", "_under"] {
        assert!(
            theirs.contains_key(id),
            "{version}: {id} missing: {theirs:?}"
        );
    }
}

#[test]
fn agent_ids_match_openclaw_2026_4_5() {
    check(V45);
}

/// 2026.9 refuses a config whose `agents.entries` keys are not canonical, so its
/// `normalizeAgentId` (used for `--agent`, cron jobs and session keys) is called
/// directly from the installed package.
#[test]
fn agent_ids_match_openclaw_2026_9_6() {
    let f = Fixture::new();
    let (code, paths, err) = openclaw(V96, &f, &["paths"], "");
    assert_eq!(code, 0, "{err}");
    let main = paths
        .lines()
        .find_map(|l| l.strip_prefix("OPENCLAW="))
        .unwrap();
    let dist = std::path::Path::new(main).parent().unwrap().join("dist");
    let script = f.home.join("normalize.mjs");
    std::fs::write(&script, NORMALIZE_MJS).unwrap();
    let long = long_id();
    let mut ids: Vec<&str> = ODD_IDS.to_vec();
    ids.extend(["", "   ", "...", &long]);
    let input = serde_json::to_string(&ids).unwrap();
    let args = ["node", script.to_str().unwrap(), dist.to_str().unwrap()];
    let (code, out, err) = openclaw(V96, &f, &args, &input);
    assert_eq!(code, 0, "{out}\n{err}");
    let theirs: Vec<String> = serde_json::from_str(out.trim()).unwrap();
    let ours: Vec<String> = ids
        .iter()
        .map(|id| clawauth::domain::read::agents::normalize_agent_id(id))
        .collect();
    assert_eq!(ours, theirs);
}

/// Reads a JSON array of ids on stdin, prints OpenClaw's normalised ids.
const NORMALIZE_MJS: &str = r#"
import fs from "node:fs";
import path from "node:path";
const dist = process.argv[2];
const file = fs
  .readdirSync(dist)
  .filter((f) => /^agent-id-.*\.mjs$/.test(f))
  .find((f) => /normalizeAgentId as \w+/.test(fs.readFileSync(path.join(dist, f), "utf8")));
const text = fs.readFileSync(path.join(dist, file), "utf8");
const name = text.match(/normalizeAgentId as (\w+)/)[1];
const mod = await import(path.join(dist, file));
const ids = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(ids.map((id) => mod[name](id))));
"#;
