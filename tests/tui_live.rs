//! The live check in the UI: `T` asks for a check of every cell with a credential,
//! marks appear per cell while it runs and after it, and the details say what came back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod tui_support;

use clawauth::domain::probe::plan::ResultRow;
use clawauth::domain::probe::{CheckKind, Status};
use clawauth::tui::app::{App, Effect, Msg};
use tui_support::*;

fn row(app: &App, agent: &str, provider: &str, status: Status, msg: Option<&str>) -> ResultRow {
    let cell = app
        .report
        .cells
        .iter()
        .find(|c| c.agent == agent && c.provider == provider)
        .unwrap();
    ResultRow {
        agent: agent.into(),
        provider: provider.into(),
        profile: cell.profile.clone(),
        source: cell.source,
        status,
        http_status: Some(if status == Status::Ok { 200 } else { 401 }),
        latency_ms: Some(180),
        endpoint: Some("api.example".into()),
        url: Some("https://api.example/v1/models".into()),
        check: Some(CheckKind::ModelList),
        message: msg.map(str::to_string),
        shared_with: Vec::new(),
    }
}

#[test]
fn capital_t_checks_every_usable_cell_and_marks_the_matrix() {
    let mut app = app(demo_report(), 120, 40);
    let usable: Vec<(String, String)> = app
        .report
        .cells
        .iter()
        .filter(|c| c.usable)
        .map(|c| (c.agent.clone(), c.provider.clone()))
        .collect();
    assert!(usable.len() >= 2, "the demo has usable cells");
    let Effect::Probe(scope) = app.update(ch('T')) else {
        panic!("T must start a live check");
    };
    assert!(
        usable
            .iter()
            .all(|(a, p)| scope.agents.contains(a) && scope.providers.contains(p))
    );
    // While it runs: a second T does nothing, and the cells show "…".
    assert_eq!(app.update(ch('T')), Effect::None);
    insta::assert_snapshot!("live_running_120x40", render_text(&app));
    let (a0, p0) = &usable[0];
    let (a1, p1) = &usable[1];
    let rows = vec![
        row(&app, a0, p0, Status::Ok, None),
        row(
            &app,
            a1,
            p1,
            Status::Auth,
            Some("Incorrect API key provided"),
        ),
    ];
    app.update(Msg::Probed(Ok(rows), "14:02".into()));
    assert_eq!(
        app.live.get(a0, p0).unwrap().line(),
        "live check 14:02: ok, 180 ms"
    );
    assert_eq!(
        app.live.get(a1, p1).unwrap().line(),
        "live check 14:02: auth: Incorrect API key provided"
    );
    assert!(app.live.running.is_empty());
    insta::assert_snapshot!("live_done_120x40", render_text(&app));
}

/// The demo's keys are made up: `t`/`T` in the demo must send nothing anywhere.
#[test]
fn the_demo_never_sends_its_keys_to_a_provider() {
    let demo = clawauth::service::demo::DemoState::create().unwrap();
    let session = demo.session();
    assert!(clawauth::service::probe::demo_refusal(&session).is_some());
    let backend = clawauth::tui::backend::Backend::new(session);
    let scope = clawauth::tui::msg::ProbeScope {
        agents: Vec::new(),
        providers: Vec::new(),
    };
    let msgs = backend.perform(clawauth::tui::msg::Effect::Probe(scope));
    match msgs.as_slice() {
        [clawauth::tui::msg::Msg::Probed(Err(why), _)] => assert!(why.contains("demo"), "{why}"),
        other => panic!("the demo ran a live check: {} messages", other.len()),
    }
}
