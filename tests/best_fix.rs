//! A cell's best fix (`bestFix` in `status --json`, the `fix` text, Enter in the UI):
//! repair an entry OpenClaw drops, copy a key another agent holds, else add one.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;

use clawauth::domain::status::bestfix::BestFix;
use common::{Fixture, TWO_AGENTS, api_key, clawauth, founding, json_cell, store_of, text};
use serde_json::{Value, json};

fn copy(
    from: &str,
    profile: &str,
    to: &str,
    here: &str,
    shared: Option<&str>,
) -> (String, String, String, String, Option<String>) {
    (
        from.into(),
        profile.into(),
        to.into(),
        here.into(),
        shared.map(String::from),
    )
}

fn copy_parts(fix: &BestFix) -> (String, String, String, String, Option<String>) {
    match fix {
        BestFix::Copy {
            from,
            profile,
            to,
            here,
            shared,
            ..
        } => (
            from.clone(),
            profile.clone(),
            to.clone(),
            here.clone(),
            shared.clone(),
        ),
        other => panic!("expected a copy, got {other:?}"),
    }
}

#[test]
fn a_key_only_another_agent_holds_is_copied_here_when_no_one_else_needs_it() {
    let f = founding();
    let cell = f.cell("cronbot", "my-proxy");
    assert!(!cell.usable);
    let fix = cell.best_fix.as_ref().expect("a best fix");
    assert_eq!(
        copy_parts(fix),
        copy("assistant", "my-proxy:manual", "cronbot", "cronbot", None),
        "no agent owns the main store here, so it is not offered"
    );
    assert_eq!(fix.action(), "copy assistant's key here");
    assert_eq!(
        fix.command("clawauth", &cell.provider, &cell.agent),
        "clawauth copy --provider my-proxy --profile-id my-proxy:manual --from assistant --to cronbot"
    );
    // The printed fix keeps the state dir it was given (a pasted fix acts on it).
    let given = format!("clawauth --state-dir {}", f.state.display());
    assert!(
        cell.fix
            .as_deref()
            .unwrap()
            .ends_with(&fix.command(&given, &cell.provider, &cell.agent)),
        "{:?}",
        cell.fix
    );
    assert!(
        f.cell("assistant", "my-proxy").best_fix.is_none(),
        "usable: nothing to fix"
    );
}

/// main (the shared store) and two agents using my-proxy; only `holder` has it.
fn shared_state() -> Fixture {
    let f = Fixture::new();
    f.config(
        r#"{ agents: { list: [ { id: "main", default: true }, { id: "holder", model: "my-proxy/m" },
      { id: "cronbot" }, { id: "writer", model: "my-proxy/m" } ] },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } } }"#,
    );
    f.store(
        "holder",
        store_of(&[("my-proxy:h", api_key("my-proxy", "sk-held"))]),
    );
    f.write(
        "cron/jobs.json",
        r#"{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}}]}"#,
    );
    f
}

#[test]
fn the_main_store_is_recommended_when_another_agent_lacking_the_key_needs_it() {
    let f = shared_state();
    let cell = f.cell("cronbot", "my-proxy");
    let fix = cell.best_fix.clone().unwrap();
    assert_eq!(
        copy_parts(&fix),
        copy("holder", "my-proxy:h", "main", "cronbot", Some("main"))
    );
    let BestFix::Copy { why, .. } = &fix else {
        unreachable!()
    };
    assert_eq!(why, "agent writer needs it too");
    assert_eq!(fix.action(), "copy holder's key into the main store");
    assert!(
        fix.command("clawauth", &cell.provider, &cell.agent)
            .ends_with("--from holder --to main")
    );
}

#[test]
fn an_entry_openclaw_drops_is_repaired_and_nothing_anywhere_is_added() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store(
        "cronbot",
        json!({"version": 1, "profiles": {"my-proxy:x": {"type": "api-key", "provider": "my-proxy", "key": "sk-x"}}}),
    );
    let cell = f.cell("cronbot", "my-proxy");
    assert_eq!(
        cell.best_fix,
        Some(BestFix::Repair {
            agent: "cronbot".into(),
            profile: "my-proxy:x".into()
        })
    );
    assert_eq!(
        cell.best_fix
            .as_ref()
            .unwrap()
            .command("clawauth", &cell.provider, &cell.agent),
        "clawauth repair --agent cronbot"
    );
    assert!(
        cell.fix.as_deref().unwrap().contains(&format!(
            "clawauth --state-dir {} repair --agent cronbot",
            f.state.display()
        )),
        "{:?}",
        cell.fix
    );

    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let cell = f.cell("cronbot", "my-proxy");
    assert_eq!(cell.best_fix, Some(BestFix::Add));
    let fix = cell.fix.as_deref().unwrap();
    // The printed command keeps the state dir the fixture gave (a pasted fix acts on it).
    assert!(
        fix.contains("clawauth --state-dir ") && fix.contains(" set --provider my-proxy"),
        "{fix:?}"
    );
}

#[test]
fn status_text_names_the_command_and_json_adds_best_fix() {
    let f = founding();
    let out = clawauth(&f, &["status"], "");
    let shown = text(&out);
    assert!(
        shown.contains(&format!("clawauth --state-dir {} copy --provider my-proxy --profile-id my-proxy:manual --from assistant --to cronbot", f.state.display())),
        "{shown}"
    );
    let out = clawauth(&f, &["status", "--json"], "");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cell = json_cell(&v, "cronbot", "my-proxy");
    assert_eq!(cell["bestFix"]["kind"], "copy");
    assert_eq!(cell["bestFix"]["from"], "assistant");
    assert_eq!(cell["bestFix"]["to"], "cronbot");
    assert!(
        cell["fix"]
            .as_str()
            .unwrap()
            .contains(" copy --provider my-proxy"),
        "the old field stays"
    );
    let usable = v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["usable"] == true)
        .unwrap();
    assert!(
        usable.get("bestFix").is_none(),
        "only for cells that are not usable"
    );
}
