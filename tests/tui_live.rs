//! The live check in the UI: `T` asks for a check of every cell with a credential,
//! marks appear per cell while it runs and after it, and the details say what came back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "probe_support/mock.rs"]
mod mock;
mod tui_support;

use clawauth::domain::ops::cooldown::Passed;
use clawauth::domain::probe::plan::{Measured, ResultRow};
use clawauth::domain::probe::verdict::Verdict;
use clawauth::domain::probe::{CheckKind, Status};
use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::tui::app::{App, Effect, Msg, Page};
use clawauth::tui::backend::Backend;
use clawauth::tui::msg::PlanRequest;
use common::{Fixture, api_key, store_of};
use crossterm::event::KeyCode;
use tui_support::*;

/// A state with two providers on the mock: `px` (no credential yet) and `cool`, whose
/// only profile OpenClaw put in a cooldown (so the cell is not usable).
fn cooling_state(m: &mock::Mock) -> (Fixture, Backend) {
    let f = Fixture::new();
    let keyless = format!(
        r#"{{ baseUrl: "{}/v1", api: "openai-completions", models: [ {{ id: "m", name: "m" }} ] }}"#,
        m.base()
    );
    f.config(&format!(
        r#"{{ agents: {{ list: [ {{ id: "main", default: true }} ] }}, models: {{ providers: {{ "cool": {keyless}, "px": {keyless} }} }} }}"#
    ));
    let mut store = store_of(&[("cool:k", api_key("cool", "cool-key"))]);
    store["usageStats"] = serde_json::json!({"cool:k": {"errorCount": 4, "cooldownUntil": common::FAR_FUTURE_MS, "cooldownReason": "rate_limit"}});
    f.store("main", store);
    let env = EnvSnapshot::from_pairs([("HOME", f.home.display().to_string())]);
    let session = clawauth::service::session::Session {
        state_dir: Some(f.state.clone()),
        ..clawauth::service::session::Session::from_env(env)
    };
    (f, Backend::new(session))
}

fn state_report(f: &Fixture) -> clawauth::domain::status::report::Report {
    let env = EnvSnapshot::from_pairs([("HOME", f.home.display().to_string())]);
    let mut report = report_of(&f.state, &env);
    relabel(&mut report, f.state.to_str().unwrap(), SHOWN_STATE_DIR);
    report
}

fn select(app: &mut App, provider: &str) {
    for _ in 0..app.report.providers.len() {
        if app.selected_cell().is_some_and(|c| c.provider == provider) {
            return;
        }
        app.update(key(KeyCode::Down));
    }
    panic!("no cell of {provider}");
}

/// An apply result with the paths under `SHOWN_STATE_DIR` and a fixed backup stamp.
fn shown(
    mut r: clawauth::domain::ops::apply::ApplyResult,
    f: &Fixture,
) -> clawauth::domain::ops::apply::ApplyResult {
    let state = f.state.to_str().unwrap();
    let fix = |v: &mut Vec<String>| {
        for s in v.iter_mut() {
            *s = s.replace(state, SHOWN_STATE_DIR);
            if let Some(i) = s.find(".clawauth-backup-") {
                s.replace_range(i.., ".clawauth-backup-STAMP");
            }
        }
    };
    fix(&mut r.written);
    fix(&mut r.verified);
    fix(&mut r.backups);
    r
}

fn measured(status: Status, message: Option<&str>) -> Measured {
    Measured {
        verdict: Verdict {
            status,
            http_status: Some(if status == Status::Ok { 200 } else { 401 }),
            message: message.map(str::to_string),
        },
        latency_ms: 180,
        refused: None,
    }
}

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
        refused: false,
        skipped: None,
        refusal: None,
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

/// A cell that only a cooldown takes out of use still has a key: `t` and `T` check it
/// (the CLI's rule), and after an `ok` check `C` offers to clear the window through
/// the same plan as `clawauth probe --clear-cooldowns`; never after a failed check.
#[test]
fn a_cooling_cell_is_checked_and_an_ok_check_offers_to_clear_it() {
    let m = mock::Mock::start();
    let (f, backend) = cooling_state(&m);
    let mut app = app(state_report(&f), 120, 40);
    select(&mut app, "cool");
    assert!(
        !app.selected_cell().unwrap().usable,
        "the cooldown blocks it"
    );
    let Effect::Probe(scope) = app.update(ch('t')) else {
        panic!("t must check a cooling cell");
    };
    assert_eq!(scope.providers, ["cool"]);
    // A failed check: a mark, and nothing to clear.
    let mut failed = row(
        &app,
        "main",
        "cool",
        Status::Auth,
        Some("Incorrect API key"),
    );
    failed.profile = Some("cool:k".into());
    app.update(Msg::Probed(Ok(vec![failed]), "14:02".into()));
    assert!(app.live.passed_cooling.is_empty());
    assert_eq!(app.update(ch('C')), Effect::None);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("No profile that passed")
    );
    // T takes the cooling cell too.
    let Effect::Probe(scope) = app.update(ch('T')) else {
        panic!("T must start a live check");
    };
    assert!(scope.providers.contains(&"cool".to_string()), "{scope:?}");
    assert!(app.live.is_running("main", "cool"));
    let mut ok = row(&app, "main", "cool", Status::Ok, None);
    ok.profile = Some("cool:k".into());
    app.update(Msg::Probed(Ok(vec![ok]), "14:03".into()));
    let notice = app.notice.clone().unwrap().text;
    assert!(
        notice.contains("1 profile(s) that passed are in a cooldown: C clears it"),
        "{notice}"
    );
    insta::assert_snapshot!("live_cooldown_offer_120x40", render_text(&app));
    let passed = Passed {
        agent: "main".into(),
        provider: "cool".into(),
        profile: "cool:k".into(),
    };
    let Effect::Plan(request) = app.update(ch('C')) else {
        panic!("C must plan the clearing");
    };
    assert_eq!(request, PlanRequest::ClearCooldowns(vec![passed]));
    assert_eq!(app.page(), Page::Review);
    let mut staged = backend.plan(&request).unwrap();
    relabel_preview(
        &mut staged.preview,
        f.state.to_str().unwrap(),
        SHOWN_STATE_DIR,
    );
    assert!(staged.check.is_none(), "clearing writes no key");
    app.update(Msg::Planned(Ok(staged.clone())));
    let text = render_text(&app);
    assert!(
        text.contains("clear the cooldown / disabled window of cool:k"),
        "{text}"
    );
    assert!(!text.contains("check this key first"), "{text}");
    let result = backend.apply(&staged);
    assert!(result.ok(), "{result:?}");
    let after = backend.report().unwrap();
    let cell = after.cells.iter().find(|c| c.provider == "cool").unwrap();
    assert!(cell.usable, "cleared: {:?}", cell.reasons);
    assert!(
        m.requests().is_empty(),
        "the state machine sends nothing itself"
    );
}

/// "Check this key first" on the add wizard's review: it names the host, sends one
/// request there (the loopback mock), shows the answer, and the result page says
/// whether the written key was checked.
#[test]
fn check_this_key_first_on_the_review_names_the_host_and_reports_on_the_result() {
    const KEY: &str = "px-new-key-0123456789";
    let m = mock::Mock::start();
    m.on_key(KEY, mock::Reply::new(200, r#"{"data":[]}"#));
    let (f, backend) = cooling_state(&m);
    for (width, height) in [(120, 40), (80, 24)] {
        let mut app = app(state_report(&f), width, height);
        select(&mut app, "px");
        app.update(ch('a'));
        app.update(key(KeyCode::Enter));
        assert_eq!(app.page(), Page::CredType);
        app.update(key(KeyCode::Enter));
        assert_eq!(app.page(), Page::Secret);
        app.update(Msg::Paste(KEY.into()));
        app.update(key(KeyCode::Enter));
        assert_eq!(app.page(), Page::Targets);
        let Effect::Plan(request) = app.update(key(KeyCode::Enter)) else {
            panic!("the targets step plans");
        };
        let mut staged = backend.plan(&request).unwrap();
        relabel_preview(
            &mut staged.preview,
            f.state.to_str().unwrap(),
            SHOWN_STATE_DIR,
        );
        let target = staged.check.clone().unwrap().unwrap();
        assert_eq!(target.host, "127.0.0.1");
        app.update(Msg::Planned(Ok(staged.clone())));
        let text = render_text(&app);
        assert!(
            text.contains("t: check this key first (one free request to 127.0.0.1"),
            "{text}"
        );
        let Effect::CheckKey(request) = app.update(ch('t')) else {
            panic!("t on the review checks the key");
        };
        assert_eq!(request, target.request);
        assert!(render_text(&app).contains("Checking this key with 127.0.0.1…"));
        assert_eq!(app.update(ch('t')), Effect::None, "one check at a time");
        // The real request, against the mock: what the runner would do.
        let sent = m.requests().len();
        match backend.perform(Effect::CheckKey(request)).as_slice() {
            [Msg::KeyChecked(got, _)] => assert_eq!(got.verdict.status, Status::Ok),
            other => panic!("expected one KeyChecked, got {other:?}"),
        }
        let reqs = m.requests();
        assert_eq!(reqs.len(), sent + 1);
        assert_eq!(reqs[sent].target, "/v1/models");
        assert_eq!(reqs[sent].headers["authorization"], format!("Bearer {KEY}"));
        // A fixed answer for the snapshots (latency and time vary).
        app.update(Msg::KeyChecked(measured(Status::Ok, None), "14:02".into()));
        let text = render_text(&app);
        assert!(!text.contains(KEY), "secret on screen:\n{text}");
        insta::assert_snapshot!(format!("live_key_checked_review_{width}x{height}"), text);
        app.update(key(KeyCode::Enter));
        app.update(key(KeyCode::Enter));
        assert_eq!(app.page(), Page::Applying);
        let result = backend.apply(&staged);
        assert!(result.ok(), "{result:?}");
        app.update(Msg::Applied(shown(result, &f)));
        let text = render_text(&app);
        assert!(
            width < 120
                || text.contains("✓ the written key was checked with 127.0.0.1 before writing: live check 14:02: ok, 180 ms"),
            "{text}"
        );
        insta::assert_snapshot!(format!("live_key_checked_result_{width}x{height}"), text);
        // Undo the write for the next size.
        let store = f.agent_dir("main").join("auth-profiles.json");
        let mut doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&store).unwrap()).unwrap();
        doc["profiles"]
            .as_object_mut()
            .unwrap()
            .retain(|k, _| k.starts_with("cool"));
        std::fs::write(&store, serde_json::to_vec(&doc).unwrap()).unwrap();
    }
}

/// Without the check, the result says the written key was not checked; a failed
/// check shows as failed on the review.
#[test]
fn an_unchecked_or_failed_key_says_so() {
    let m = mock::Mock::start();
    let (f, backend) = cooling_state(&m);
    let mut app = app(state_report(&f), 120, 40);
    select(&mut app, "px");
    app.update(ch('a'));
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Enter));
    app.update(Msg::Paste("px-bad-key-0123456789".into()));
    app.update(key(KeyCode::Enter));
    let Effect::Plan(request) = app.update(key(KeyCode::Enter)) else {
        panic!("the targets step plans");
    };
    let staged = backend.plan(&request).unwrap();
    app.update(Msg::Planned(Ok(staged.clone())));
    assert!(matches!(app.update(ch('t')), Effect::CheckKey(_)));
    app.update(Msg::KeyChecked(
        measured(Status::Auth, Some("Incorrect API key provided")),
        "14:02".into(),
    ));
    let text = render_text(&app);
    assert!(
        text.contains(
            "✗ key checked with 127.0.0.1: live check 14:02: auth: Incorrect API key provided"
        ),
        "{text}"
    );
    let mut app2 = self::app(state_report(&f), 120, 40);
    select(&mut app2, "px");
    app2.update(ch('a'));
    app2.update(key(KeyCode::Enter));
    app2.update(key(KeyCode::Enter));
    app2.update(Msg::Paste("px-other-key-0123456789".into()));
    app2.update(key(KeyCode::Enter));
    let Effect::Plan(request) = app2.update(key(KeyCode::Enter)) else {
        panic!("the targets step plans");
    };
    let staged = backend.plan(&request).unwrap();
    app2.update(Msg::Planned(Ok(staged.clone())));
    app2.update(key(KeyCode::Enter));
    app2.update(key(KeyCode::Enter));
    app2.update(Msg::Applied(backend.apply(&staged)));
    let text = render_text(&app2);
    assert!(
        text.contains(
            "The written key was not checked before writing (T on the overview checks it now)."
        ),
        "{text}"
    );
    assert!(m.requests().is_empty(), "nothing was sent without t");
}
