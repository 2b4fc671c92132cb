//! Agreement of clawauth with the real OpenClaw: cells against the runtime resolver
//! (and the embedded runner's cooldown skip), problems against the expected codes.
#![allow(dead_code)]

use super::oc::*;
use super::*;
use clawauth::domain::status::resolve::Source;
use serde_json::Value;

/// The problem codes of "every reason is also a problem" (issue 11 item 6), plus the
/// binding ones: for these, a fixture's expected (agent, code) set must match exactly.
pub const RUNTIME_CODES: &[&str] = &[
    "cooldown",
    "disabled",
    "mode_mismatch",
    "excluded_by_config",
    "excluded_by_auth_order",
    "order_missing_id",
    "config_profile_missing",
    "unresolved_ref",
    "missing_credential",
    "expired",
    "invalid_expires",
    "oauth_refresh_failed",
    "migration_required",
    "dangling_binding",
    "binding_incompatible",
    "binding_overrides_order",
];

/// clawauth's source category for a resolver label.
pub fn runtime_source(label: &str) -> &'static str {
    if label.starts_with("profile:") {
        "profile"
    } else if label.starts_with("env: ")
        || label.starts_with("shell env: ")
        || label.starts_with("aws-sdk")
    {
        "env"
    } else if label.contains("synthetic local key") || label == "models.json (local marker)" {
        "synthetic"
    } else if label == "models.json" || label.starts_with("models.providers.") {
        "config"
    } else {
        "other"
    }
}

pub fn our_source(s: Source) -> &'static str {
    match s {
        Source::Local | Source::Inherited => "profile",
        Source::Env => "env",
        Source::Config => "config",
        Source::Synthetic => "synthetic",
        Source::None => "none",
    }
}

/// What `models status` says about a provider: usable or not.
pub fn status_says_usable(status: &Value, provider: &str) -> bool {
    let auth = &status["auth"];
    let missing = auth["missingProvidersInUse"]
        .as_array()
        .is_some_and(|m| m.iter().any(|p| p == provider));
    let listed = auth["providers"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["provider"] == provider));
    let effective = listed
        .and_then(|p| p["effective"]["kind"].as_str())
        .unwrap_or("missing");
    let indeterminate = auth["modelRouteIssues"]
        .as_array()
        .is_some_and(|i| i.iter().any(|x| x["provider"] == provider));
    !missing && !indeterminate && effective != "missing"
}

/// Compares clawauth with OpenClaw for every agent × provider; returns the mismatches.
pub fn compare(version: &str, f: &Fixture) -> Vec<String> {
    compare_with(version, f, true).0
}

/// Mismatches, and (cells agreeing, cells compared). `with_status`: also ask `models status`.
pub fn compare_with(version: &str, f: &Fixture, with_status: bool) -> (Vec<String>, usize, usize) {
    let report = report_for(version, f);
    let agents: Vec<String> = report
        .agents
        .iter()
        .filter(|a| a.configured)
        .map(|a| a.id.clone())
        .collect();
    let providers: Vec<String> = report.providers.iter().map(|p| p.id.clone()).collect();
    let rt = resolver(version, f, &agents, &providers);
    let (mut bad, mut agreeing, mut total) = (Vec::new(), 0, 0);
    for agent in &agents {
        let status = with_status
            .then(|| models_status(version, f, agent))
            .flatten();
        for provider in &providers {
            let cell = report
                .cells
                .iter()
                .find(|c| &c.agent == agent && &c.provider == provider)
                .unwrap();
            let r = &rt[agent][provider];
            let before = bad.len();
            compare_cell(
                &format!("{version} {agent} × {provider}"),
                cell,
                r,
                &mut bad,
            );
            if let Some(status) = &status {
                let usable = r["usable"].as_bool().unwrap_or(false);
                let says = status_says_usable(status, provider);
                let where_ = format!("{version} {agent} × {provider}");
                if says != usable && !cell.status_disagrees {
                    bad.push(format!("{where_}: models status says usable={says} but the runtime says {usable}, and clawauth does not flag it"));
                }
                if says == usable && cell.status_disagrees {
                    bad.push(format!("{where_}: clawauth flags a status disagreement, but models status agrees with the runtime"));
                }
            }
            total += 1;
            agreeing += usize::from(bad.len() == before);
        }
    }
    (bad, agreeing, total)
}

/// One cell against the resolver; a profile the runner skips (cooldown / disabled)
/// makes the cell unusable even when the resolver alone returns it.
fn compare_cell(
    where_: &str,
    cell: &clawauth::domain::status::resolve::Cell,
    r: &Value,
    bad: &mut Vec<String>,
) {
    let resolver_usable = r["usable"].as_bool().unwrap_or(false);
    let usable = r["runnerUsable"].as_bool().unwrap_or(resolver_usable);
    let label = r["source"].as_str().unwrap_or("");
    if cell.usable != usable {
        bad.push(format!(
            "{where_}: clawauth usable={} ({:?}), OpenClaw runtime usable={usable} ({label}{}{})",
            cell.usable,
            cell.reasons,
            r["error"].as_str().unwrap_or(""),
            r["runnerError"].as_str().unwrap_or("")
        ));
        return;
    }
    if !usable {
        return;
    }
    if our_source(cell.source) != runtime_source(label) {
        bad.push(format!(
            "{where_}: clawauth source {:?}, OpenClaw {label}",
            cell.source
        ));
    }
    // Which variable: the runtime's label names it ("env: CHUTES_API_KEY").
    let var = label
        .strip_prefix("env: ")
        .or_else(|| label.strip_prefix("shell env: "))
        .filter(|v| !v.contains(' '));
    if let Some(var) = var
        && cell.source == Source::Env
        && !cell
            .reasons
            .iter()
            .any(|r| r.contains(&format!("environment variable {var}")))
    {
        bad.push(format!(
            "{where_}: OpenClaw uses {var}, clawauth {:?}",
            cell.reasons
        ));
    }
    if r["profileId"].as_str() != cell.profile.as_deref() {
        bad.push(format!(
            "{where_}: clawauth profile {:?}, OpenClaw {:?}",
            cell.profile, r["profileId"]
        ));
    }
}

/// clawauth's (agent, code) pairs among `RUNTIME_CODES`, against the expected ones:
/// (missing, extra).
pub fn problem_diff(
    version: &str,
    f: &Fixture,
    expected: &[(&str, &str)],
) -> (Vec<String>, Vec<String>) {
    let report = report_for(version, f);
    let mut got: Vec<(String, String)> = report
        .problems
        .iter()
        .filter(|p| RUNTIME_CODES.contains(&p.code))
        .map(|p| (p.agent.clone().unwrap_or_default(), p.code.to_string()))
        .collect();
    got.sort();
    got.dedup();
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(a, c)| (a.to_string(), c.to_string()))
        .collect();
    let missing = want
        .iter()
        .filter(|w| !got.contains(w))
        .map(|(a, c)| format!("{a}:{c}"))
        .collect();
    let extra = got
        .iter()
        .filter(|g| !want.contains(g))
        .map(|(a, c)| format!("{a}:{c}"))
        .collect();
    (missing, extra)
}

/// Cells against the runtime, problems against `expected`; prints one AGREEMENT line
/// (`cargo test --test interop_rules -- --nocapture | grep AGREEMENT`) and asserts.
pub fn assert_rules(name: &str, version: &str, f: &Fixture, expected: &[(&str, &str)]) {
    let (bad, agreeing, total) = compare_with(version, f, false);
    let (missing, extra) = problem_diff(version, f, expected);
    println!(
        "AGREEMENT {name} {version} cells {agreeing}/{total} problems {}/{} extra {}",
        expected.len() - missing.len(),
        expected.len(),
        extra.len()
    );
    assert!(
        bad.is_empty() && missing.is_empty() && extra.is_empty(),
        "{name}: clawauth disagrees with OpenClaw {version}:\n  {}\n  problems missing: {missing:?}\n  problems not expected: {extra:?}\n  all problems: {:#?}",
        bad.join("\n  "),
        report_for(version, f)
            .problems
            .iter()
            .map(|p| format!("{} {:?} {:?} {}", p.code, p.agent, p.profile, p.message))
            .collect::<Vec<_>>()
    );
}

pub fn assert_agrees(version: &str, f: &Fixture) {
    let bad = compare(version, f);
    assert!(
        bad.is_empty(),
        "clawauth disagrees with OpenClaw {version}:\n  {}",
        bad.join("\n  ")
    );
}
