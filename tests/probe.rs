//! `clawauth probe` against a mock of the providers' APIs on loopback: every verdict,
//! every API kind, the dedup (server-side request count), the timeout and concurrency
//! limits, redirects, proxies, and that nothing is sent anywhere else.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench may panic on a broken fixture

mod common;
#[path = "probe_support/mock.rs"]
mod mock;

use common::{Fixture, api_key, clawauth_with, store_of, text};
use mock::{Mock, Reply};
use serde_json::Value;
use std::time::{Duration, Instant};

fn provider(base: &str, api: &str, key: &str) -> String {
    format!(
        r#"{{ baseUrl: "{base}", api: "{api}", apiKey: "{key}", models: [ {{ id: "m", name: "m" }} ] }}"#
    )
}

fn config(f: &Fixture, agents: &[&str], providers: &[(&str, String)]) {
    let list: Vec<String> = agents
        .iter()
        .enumerate()
        .map(|(i, a)| {
            format!(
                r#"{{ id: "{a}"{} }}"#,
                if i == 0 { ", default: true" } else { "" }
            )
        })
        .collect();
    let ps: Vec<String> = providers
        .iter()
        .map(|(id, p)| format!(r#""{id}": {p}"#))
        .collect();
    f.config(&format!(
        "{{ agents: {{ list: [ {} ] }}, models: {{ providers: {{ {} }} }} }}",
        list.join(", "),
        ps.join(", ")
    ));
}

fn probe(f: &Fixture, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["probe", "--json"];
    all.extend_from_slice(args);
    let out = clawauth_with(f, &all, "", "/usr/bin:/bin");
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out)));
    (out.status.code().unwrap_or(-1), doc, text(&out))
}

fn row<'a>(doc: &'a Value, agent: &str, provider: &str) -> &'a Value {
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agent"] == agent && r["provider"] == provider)
        .unwrap_or_else(|| panic!("no row {agent}/{provider} in {doc}"))
}

#[test]
fn each_verdict_from_a_real_http_exchange() {
    let m = Mock::start();
    let v1 = format!("{}/v1", m.base());
    m.on_key("key-ok", Reply::new(200, r#"{"data":[]}"#));
    m.on_key(
        "key-billing",
        Reply::new(402, r#"{"error":{"message":"Payment required"}}"#),
    );
    m.on_key(
        "key-rate",
        Reply::new(429, r#"{"error":{"message":"Rate limit reached"}}"#),
    );
    m.on_key(
        "key-format",
        Reply::new(404, r#"{"error":{"message":"Unknown path"}}"#),
    );
    m.on_key(
        "key-unknown",
        Reply::new(500, r#"{"error":{"message":"boom"}}"#),
    );
    m.on_key(
        "key-slow",
        Reply::new(200, "{}").delayed(Duration::from_secs(4)),
    );
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let f = Fixture::new();
    let oc = "openai-completions";
    config(
        &f,
        &["main"],
        &[
            ("p-ok", provider(&v1, oc, "key-ok")),
            ("p-auth", provider(&v1, oc, "key-revoked-0123456789abcdef")),
            ("p-billing", provider(&v1, oc, "key-billing")),
            ("p-rate", provider(&v1, oc, "key-rate")),
            ("p-format", provider(&v1, oc, "key-format")),
            ("p-unknown", provider(&v1, oc, "key-unknown")),
            ("p-timeout", provider(&v1, oc, "key-slow")),
            (
                "p-network",
                provider(&format!("http://127.0.0.1:{closed_port}/v1"), oc, "key-net"),
            ),
            (
                "p-insecure",
                provider("http://probe-target.invalid/v1", oc, "key-insecure"),
            ),
            (
                "p-nofree",
                provider(&v1, "bedrock-converse-stream", "key-bedrock"),
            ),
        ],
    );
    let started = Instant::now();
    let (code, doc, all) = probe(&f, &["--timeout", "1"]);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the timeout did not cut the slow request"
    );
    assert_eq!(code, 1, "{all}");
    let expect = [
        ("p-ok", "ok", Some(200u16)),
        ("p-auth", "auth", Some(401)),
        ("p-billing", "billing", Some(402)),
        ("p-rate", "rate_limit", Some(429)),
        ("p-format", "format", Some(404)),
        ("p-unknown", "unknown", Some(500)),
        ("p-timeout", "timeout", None),
        ("p-network", "network", None),
        ("p-insecure", "skipped", None),
        ("p-nofree", "skipped", None),
    ];
    for (p, status, http) in expect {
        let r = row(&doc, "main", p);
        assert_eq!(r["status"], status, "{p}: {r}");
        assert_eq!(r["httpStatus"].as_u64(), http.map(u64::from), "{p}: {r}");
        assert_eq!(r["source"], "config", "{p}: {r}");
    }
    assert_eq!(row(&doc, "main", "p-ok")["endpoint"], "127.0.0.1");
    assert!(row(&doc, "main", "p-ok")["latencyMs"].is_u64());
    let auth_msg = row(&doc, "main", "p-auth")["message"].as_str().unwrap();
    assert!(
        auth_msg.starts_with("Incorrect API key provided"),
        "{auth_msg}"
    );
    assert!(
        !all.contains("key-revoked-0123456789abcdef"),
        "secret echoed: {all}"
    );
    let insecure = row(&doc, "main", "p-insecure")["message"].as_str().unwrap();
    assert!(insecure.contains("--allow-insecure-http"), "{insecure}");
    // Seven requests reached the mock, each GET /v1/models with the bearer key.
    let reqs = m.requests();
    assert_eq!(reqs.len(), 7, "{reqs:?}");
    for r in &reqs {
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("GET", "/v1/models")
        );
        assert!(r.headers["authorization"].starts_with("Bearer key-"));
    }
}

#[test]
fn each_api_kind_gets_its_own_check_and_auth_placement() {
    let m = Mock::start();
    let b = m.base();
    for k in [
        "ant-key",
        "sk-ant-oat01-setup",
        "goog-key",
        "or-key",
        "resp-key",
        "ollama-key",
    ] {
        m.on_key(
            k,
            Reply::new(200, r#"{"data":{"limit":null,"limit_remaining":null}}"#),
        );
    }
    let f = Fixture::new();
    config(
        &f,
        &["main"],
        &[
            (
                "anthropic",
                provider(&format!("{b}/ant"), "anthropic-messages", "ant-key"),
            ),
            (
                "claude-proxy",
                provider(
                    &format!("{b}/oat"),
                    "anthropic-messages",
                    "sk-ant-oat01-setup",
                ),
            ),
            (
                "google",
                provider(&format!("{b}/v1beta"), "google-generative-ai", "goog-key"),
            ),
            (
                "openrouter",
                provider(&format!("{b}/api/v1"), "openai-completions", "or-key"),
            ),
            (
                "openai",
                provider(&format!("{b}/v1"), "openai-responses", "resp-key"),
            ),
            // OpenClaw's resolveOllamaApiBase drops a trailing /v1: the check goes to /api/tags.
            (
                "ollama",
                provider(&format!("{b}/v1/"), "ollama", "ollama-key"),
            ),
        ],
    );
    let (code, doc, all) = probe(&f, &[]);
    assert_eq!(code, 0, "{all}");
    for p in [
        "anthropic",
        "claude-proxy",
        "google",
        "openrouter",
        "openai",
        "ollama",
    ] {
        assert_eq!(row(&doc, "main", p)["status"], "ok", "{p}");
    }
    assert_eq!(row(&doc, "main", "openrouter")["check"], "key-info");
    let reqs = m.requests();
    let by = |target: &str| {
        reqs.iter()
            .find(|r| r.target == target)
            .unwrap_or_else(|| panic!("no {target} in {reqs:?}"))
    };
    let ant = by("/ant/v1/models");
    assert_eq!(ant.headers["x-api-key"], "ant-key");
    assert_eq!(ant.headers["anthropic-version"], "2023-06-01");
    assert!(!ant.headers.contains_key("authorization"));
    let oat = by("/oat/v1/models");
    assert_eq!(oat.headers["authorization"], "Bearer sk-ant-oat01-setup");
    assert!(oat.headers["anthropic-beta"].contains("oauth-2025-04-20"));
    assert!(!oat.headers.contains_key("x-api-key"));
    assert_eq!(by("/v1beta/models").headers["x-goog-api-key"], "goog-key");
    assert_eq!(by("/api/v1/key").headers["authorization"], "Bearer or-key");
    assert_eq!(by("/v1/models").headers["authorization"], "Bearer resp-key");
    assert_eq!(
        by("/api/tags").headers["authorization"],
        "Bearer ollama-key"
    );
    assert_eq!(reqs.len(), 6);
}

#[test]
fn distinct_endpoint_and_key_pairs_are_checked_once() {
    let m = Mock::start();
    m.on_key("shared-key", Reply::new(200, "{}"));
    m.on_key("own-key", Reply::new(200, "{}"));
    let f = Fixture::new();
    let agents = ["a1", "a2", "a3", "a4", "a5"];
    config(
        &f,
        &agents,
        &[(
            "px",
            provider(
                &format!("{}/v1", m.base()),
                "openai-completions",
                "shared-key",
            ),
        )],
    );
    // a5 has its own profile, which OpenClaw prefers over the config key.
    f.store("a5", store_of(&[("px:own", api_key("px", "own-key"))]));
    let (code, doc, all) = probe(&f, &[]);
    assert_eq!(code, 0, "{all}");
    assert_eq!(m.requests().len(), 2, "one request per distinct key");
    let shared = row(&doc, "a1", "px")["sharedWith"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        shared,
        ["a2/px", "a3/px", "a4/px"].map(Value::from).to_vec()
    );
    let own = row(&doc, "a5", "px");
    assert_eq!(
        (own["profile"].as_str(), own["source"].as_str()),
        (Some("px:own"), Some("local"))
    );
    assert!(own["sharedWith"].as_array().unwrap().is_empty());
    // --agent narrows the selection.
    let (_, doc, _) = probe(&f, &["--agent", "a2"]);
    assert_eq!(doc["results"].as_array().unwrap().len(), 1);
    assert_eq!(m.requests().len(), 3);
}

#[test]
fn concurrency_is_bounded_and_used() {
    let m = Mock::start();
    let mut ps = Vec::new();
    for i in 0..8 {
        let key = format!("slow-{i}");
        m.on_key(
            &key,
            Reply::new(200, "{}").delayed(Duration::from_millis(300)),
        );
        ps.push((
            format!("p{i}"),
            provider(&format!("{}/v1", m.base()), "openai-completions", &key),
        ));
    }
    let f = Fixture::new();
    let ps: Vec<(&str, String)> = ps.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    config(&f, &["main"], &ps);
    let started = Instant::now();
    let (code, _, all) = probe(&f, &["--concurrency", "2"]);
    let took = started.elapsed();
    assert_eq!(code, 0, "{all}");
    assert_eq!(m.max_in_flight(), 2, "at most 2 at once, and 2 were used");
    assert!(
        took >= Duration::from_millis(1200),
        "8 × 300 ms / 2 = 1.2 s at least, took {took:?}"
    );
}

#[test]
fn redirects_are_not_followed_and_nothing_else_is_contacted() {
    let m = Mock::start();
    let elsewhere = Mock::start();
    m.on_key(
        "key-r",
        Reply::new(302, "").header("location", &format!("{}/v1/models", elsewhere.base())),
    );
    let f = Fixture::new();
    config(
        &f,
        &["main"],
        &[(
            "px",
            provider(&format!("{}/v1", m.base()), "openai-completions", "key-r"),
        )],
    );
    let (code, doc, _) = probe(&f, &[]);
    assert_eq!(code, 1);
    let r = row(&doc, "main", "px");
    assert_eq!(
        (r["status"].as_str(), r["httpStatus"].as_u64()),
        (Some("unknown"), Some(302))
    );
    assert!(
        r["message"].as_str().unwrap().contains("not followed"),
        "{r}"
    );
    assert_eq!(m.requests().len(), 1);
    assert!(
        elsewhere.requests().is_empty(),
        "the redirect target got a request"
    );
}

#[test]
fn proxies_from_the_environment_are_used_like_openclaw() {
    let target = Mock::start();
    let proxy = Mock::start();
    proxy.on_key("key-p", Reply::new(200, "{}"));
    target.on_key("key-p", Reply::new(200, "{}"));
    let mut f = Fixture::new();
    config(
        &f,
        &["main"],
        &[(
            "px",
            provider(
                &format!("{}/v1", target.base()),
                "openai-completions",
                "key-p",
            ),
        )],
    );
    // http:// targets use http_proxy (ALL_PROXY is ignored, as by undici's EnvHttpProxyAgent).
    f.set_env("http_proxy", &proxy.base())
        .set_env("ALL_PROXY", "http://127.0.0.1:9");
    let (code, _, all) = probe(&f, &[]);
    assert_eq!(code, 0, "{all}");
    let via = proxy.requests();
    assert_eq!(via.len(), 2, "{via:?}");
    assert_eq!(
        (via[0].method.as_str(), via[0].target.clone()),
        ("CONNECT", format!("127.0.0.1:{}", target.port))
    );
    assert_eq!(via[1].target, "/v1/models");
    assert!(target.requests().is_empty());
    f.set_env("NO_PROXY", "127.0.0.1");
    let (code, _, _) = probe(&f, &[]);
    assert_eq!(code, 0);
    assert_eq!((proxy.requests().len(), target.requests().len()), (2, 1));
}

#[test]
fn human_output_and_no_credential_cells() {
    let m = Mock::start();
    m.on_key("key-ok", Reply::new(200, "{}"));
    let f = Fixture::new();
    let keyless = r#"{ baseUrl: "https://keyless.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] }"#;
    config(
        &f,
        &["main", "other"],
        &[
            (
                "px",
                provider(&format!("{}/v1", m.base()), "openai-completions", "key-ok"),
            ),
            ("keyless", keyless.to_string()),
        ],
    );
    f.store("main", store_of(&[("solo:k", api_key("solo", "k-solo"))]));
    let out = clawauth_with(&f, &["probe"], "", "/usr/bin:/bin");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("Live check: 1 request(s) sent"), "{t}");
    assert!(
        t.contains("main") && t.contains("px") && t.contains("ok"),
        "{t}"
    );
    assert!(
        t.contains("Not checked: 2 cell(s) without a usable credential."),
        "{t}"
    );
    assert!(t.contains("no known endpoint for this provider"), "{t}");
    assert!(!t.contains("k-solo") && !t.contains("key-ok"), "{t}");
}

#[test]
fn cooldowns_are_cleared_only_after_an_ok_check() {
    let m = Mock::start();
    m.on_key("good-key", Reply::new(200, "{}"));
    let f = Fixture::new();
    let v1 = format!("{}/v1", m.base());
    let keyless = |base: &str| {
        format!(
            r#"{{ baseUrl: "{base}", api: "openai-completions", models: [ {{ id: "m", name: "m" }} ] }}"#
        )
    };
    config(&f, &["main"], &[("px", keyless(&v1)), ("py", keyless(&v1))]);
    let mut store = store_of(&[
        ("px:k", api_key("px", "good-key")),
        ("py:k", api_key("py", "bad-key-0123456789")),
    ]);
    let window = serde_json::json!({"errorCount": 3, "cooldownUntil": common::FAR_FUTURE_MS, "cooldownReason": "rate_limit", "lastUsed": 5});
    store["usageStats"] = serde_json::json!({"px:k": window.clone(), "py:k": window.clone()});
    let path = f.store("main", store);
    // Without the flag: a hint, nothing written.
    let before = std::fs::read(&path).unwrap();
    let out = clawauth_with(&f, &["probe"], "", "/usr/bin:/bin");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "py fails: {t}");
    assert!(
        t.contains("1 profile(s) that passed are still in a cooldown"),
        "{t}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // JSON and --clear-cooldowns do not mix.
    let out = clawauth_with(
        &f,
        &["probe", "--json", "--clear-cooldowns"],
        "",
        "/usr/bin:/bin",
    );
    assert_eq!(out.status.code(), Some(64), "{}", text(&out));
    // With it: px (ok) is reset as OpenClaw resets it; py (auth) keeps its window.
    let out = clawauth_with(
        &f,
        &["probe", "--clear-cooldowns", "--yes"],
        "",
        "/usr/bin:/bin",
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        doc["usageStats"]["px:k"],
        serde_json::json!({"errorCount": 0, "lastUsed": 5}),
        "{t}"
    );
    assert_eq!(doc["usageStats"]["py:k"], window);
    assert!(
        !t.contains("good-key") && !t.contains("bad-key-0123456789"),
        "{t}"
    );
    // The exit status is py's failure, not the write's: clearing px's window is the
    // plan's intended change, verified as such.
    assert!(t.contains("✓ verified: main × px is usable (px:k)"), "{t}");
    assert!(!t.contains("unexpected change"), "{t}");
    assert!(!t.contains("✗ verification"), "{t}");
}

/// The audit's case: one profile, its key answered 200, an hour of cooldown left;
/// a second agent inherits the profile from main's store. Clearing is the whole
/// point of the command: exit 0, a backup, and no "unexpected change".
#[test]
fn clearing_the_only_cooldown_after_an_ok_check_exits_0() {
    let m = Mock::start();
    m.on_key("pok-key", Reply::new(200, r#"{"data":[]}"#));
    let f = Fixture::new();
    let keyless = format!(
        r#"{{ baseUrl: "{}/v1", api: "openai-completions", models: [ {{ id: "m", name: "m" }} ] }}"#,
        m.base()
    );
    config(&f, &["main", "other"], &[("pok", keyless)]);
    let mut store = store_of(&[("pok:default", api_key("pok", "pok-key"))]);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let in_an_hour = now.unwrap().as_millis() as u64 + 3_600_000;
    store["usageStats"] = serde_json::json!({"pok:default": {"errorCount": 2, "cooldownUntil": in_an_hour, "lastUsed": 7}});
    let path = f.store("main", store);
    let original = std::fs::read(&path).unwrap();
    let args = "probe --provider pok --agent main --clear-cooldowns --yes";
    let args: Vec<&str> = args.split(' ').collect();
    let out = clawauth_with(&f, &args, "", "/usr/bin:/bin");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(!t.contains("unexpected change"), "{t}");
    assert!(
        t.contains("✓ verified: main × pok is usable (pok:default)"),
        "{t}"
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        doc["usageStats"]["pok:default"],
        serde_json::json!({"errorCount": 0, "lastUsed": 7})
    );
    let backups: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("clawauth-backup"))
        .collect();
    assert_eq!(backups.len(), 1, "one backup: {t}");
    assert_eq!(std::fs::read(backups[0].path()).unwrap(), original);
    assert_eq!(m.requests().len(), 1, "one check for main");
    // Both agents now resolve the profile.
    let out = clawauth_with(&f, &["status", "--json"], "", "/usr/bin:/bin");
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    for agent in ["main", "other"] {
        let cell = status["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["agent"] == agent && c["provider"] == "pok")
            .unwrap();
        assert_eq!(cell["usable"], true, "{agent}: {cell}");
    }
}

/// A key not sent because of plain http:// to a host other than loopback proved
/// nothing: the run says so and exits 1, not 0.
#[test]
fn a_check_refused_before_sending_is_not_all_clear() {
    let f = Fixture::new();
    config(
        &f,
        &["main"],
        &[(
            "remote",
            provider(
                "http://probe-target.invalid/v1",
                "openai-completions",
                "key-insecure-0123456789",
            ),
        )],
    );
    let (code, doc, all) = probe(&f, &[]);
    assert_eq!(code, 1, "{all}");
    let r = row(&doc, "main", "remote");
    assert_eq!(
        (r["status"].as_str(), r["refused"].as_bool()),
        (Some("skipped"), Some(true))
    );
    let out = clawauth_with(&f, &["probe"], "", "/usr/bin:/bin");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("Not sent: 1 cell(s) have a credential"), "{t}");
    assert!(!t.contains("key-insecure-0123456789"), "{t}");
}
