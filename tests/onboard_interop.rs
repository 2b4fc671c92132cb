//! Onboarding checked by the real OpenClaw: on an empty state dir, one `clawauth set`
//! with the custom-provider flags declares `models.providers.<id>` and stores the key;
//! then OpenClaw's own runtime resolver uses that key for the provider (and, in 2026.9,
//! for the declared model) and `openclaw models status` lists the provider.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::oc::*;
use common::*;
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// A wrapper that runs the provisioned 2026.9.6 OpenClaw CLI offline.
fn openclaw96(f: &Fixture) -> PathBuf {
    let path = f.home.join("openclaw");
    let script = format!(
        "#!/bin/sh\nexec '{}' {V96} cli \"$@\"\n",
        run_sh().display()
    );
    std::fs::write(&path, script).unwrap();
    set_mode(&path, 0o755);
    path
}

const DECLARE: &[&str] = &[
    "set",
    "--provider",
    "my-proxy",
    "--base-url",
    "https://my-proxy.invalid/v1",
    "--api",
    "openai-completions",
    "--model",
    "gpt-4o-mini",
    "--type",
    "api_key",
    "--agent",
    "main",
    "--secret-stdin",
];

/// OpenClaw's resolver for main × my-proxy, with extra resolver params.
fn resolve_main(version: &str, f: &Fixture, params: Value) -> Value {
    let input = json!({"agents": ["main"], "providers": ["my-proxy"], "params": params});
    let copy = copy_fixture(f);
    let (code, out, err) = openclaw(version, &copy, &["resolve"], &input.to_string());
    assert_eq!(code, 0, "resolver failed:\n{err}");
    let all: Value = serde_json::from_str(out.trim()).unwrap();
    all["main"]["my-proxy"].clone()
}

fn models_status_lists(version: &str, f: &Fixture) -> bool {
    let status = models_status(version, f, "main").expect("models status --json");
    status["auth"]["providers"].as_array().is_some_and(|ps| {
        ps.iter()
            .any(|p| p["provider"] == "my-proxy" && p["effective"]["kind"] == "profiles")
    })
}

fn config_declares_the_provider(f: &Fixture) {
    let path = f.state.join("openclaw.json");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a created openclaw.json is private");
    let text = std::fs::read_to_string(&path).unwrap();
    let cfg: Value = json5::from_str(&text).unwrap();
    let p = &cfg["models"]["providers"]["my-proxy"];
    assert_eq!(p["baseUrl"], "https://my-proxy.invalid/v1");
    assert_eq!(p["api"], "openai-completions");
    assert_eq!(p["models"][0]["id"], "gpt-4o-mini");
}

#[test]
fn v45_empty_state_declares_a_custom_provider_and_openclaw_uses_its_key() {
    let f = Fixture::new();
    std::fs::remove_dir(&f.state).unwrap();
    let secret = "sk-onboard-proxy-45-SECRET";
    let mut args = vec!["set", "--init"];
    args.extend_from_slice(&DECLARE[1..]);
    let o = clawauth_with(&f, &args, secret, &host_path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("declares the custom provider models.providers.my-proxy"));
    assert!(!text(&o).contains(secret));
    config_declares_the_provider(&f);
    let r = resolve_main(V45, &f, json!({}));
    assert_eq!(r["source"], "profile:my-proxy:default", "{r}");
    assert_eq!(r["keyHash"], sha12(secret), "{r}");
    assert!(models_status_lists(V45, &f));
}

#[test]
fn v96_empty_state_declares_a_custom_provider_and_openclaw_uses_its_key() {
    let f = Fixture::new();
    let exe = openclaw96(&f);
    let secret = "sk-onboard-proxy-96-SECRET";
    let mut args = vec!["--openclaw", exe.to_str().unwrap()];
    args.extend_from_slice(DECLARE);
    let o = clawauth_with(&f, &args, secret, &host_path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("verified: main × my-proxy is usable"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains(secret));
    config_declares_the_provider(&f);
    let params = json!({"modelApi": "openai-completions", "modelId": "gpt-4o-mini"});
    let r = resolve_main(V96, &f, params);
    assert_eq!(r["source"], "profile:my-proxy:default", "{r}");
    assert_eq!(r["keyHash"], sha12(secret), "{r}");
    assert!(models_status_lists(V96, &f));
}

#[test]
fn an_api_kind_the_version_does_not_accept_is_refused_and_nothing_is_written() {
    let f = Fixture::new();
    let mut args: Vec<&str> = DECLARE.to_vec();
    let api = args
        .iter()
        .position(|a| *a == "openai-completions")
        .unwrap();
    args[api] = "openai-chat";
    let o = clawauth(&f, &args, "sk-whatever-123456");
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o).contains("openai-completions, openai-responses"),
        "{}",
        text(&o)
    );
    assert!(std::fs::read_dir(&f.state).unwrap().next().is_none());
}
