//! The rotate wizard on a state where stores hold different keys for one provider
//! (issue 12 item 5): the store step lists every holder grouped by key, the key being
//! rotated ticked and a different key not; the plan writes exactly the ticked stores.
//! Real backend, real writes; file bytes compared. Snapshots at 80×24 and 120×40.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use clawauth::domain::ops::apply::ApplyResult;
use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::tui::app::{App, Effect, Msg, Page};
use clawauth::tui::backend::Backend;
use clawauth::tui::msg::PlanRequest;
use common::*;
use crossterm::event::KeyCode;
use tui_support::*;

const NEW: &str = "sk-proxy-rotated-CCCC3333";

fn env(f: &Fixture) -> EnvSnapshot {
    EnvSnapshot::from_pairs([("HOME", f.home.display().to_string())])
}

fn backend(f: &Fixture) -> Backend {
    let session = clawauth::service::session::Session {
        state_dir: Some(f.state.clone()),
        ..clawauth::service::session::Session::from_env(env(f))
    };
    Backend::new(session)
}

/// The app on the mixed state, paths shown under `SHOWN_STATE_DIR`.
fn mixed_app(f: &Fixture, width: u16, height: u16) -> App {
    let mut report = report_of(&f.state, &env(f));
    relabel(&mut report, f.state.to_str().unwrap(), SHOWN_STATE_DIR);
    app(report, width, height)
}

/// `R` on my-proxy, the new key pasted, and the stores the runner reads back.
fn to_stores(app: &mut App, backend: &Backend) {
    app.update(ch('R'));
    assert_eq!(app.page(), Page::RotateSecret);
    app.update(Msg::Paste(format!("{NEW}\n")));
    let Effect::LoadKeyGroups(load) = app.update(key(KeyCode::Enter)) else {
        panic!("the stores are read after the key");
    };
    assert_eq!(
        app.page(),
        Page::RotateAgents,
        "the store step is never skipped"
    );
    app.update(Msg::KeyGroups(backend.key_groups(&load)));
}

/// Enter on the store step, the plan made, then Enter twice: applied for real.
fn plan_and_apply(app: &mut App, backend: &Backend) -> String {
    let Effect::Plan(request @ PlanRequest::Rotate(_)) = app.update(key(KeyCode::Enter)) else {
        panic!("rotate plans");
    };
    app.update(Msg::Planned(backend.plan(&request)));
    let review = render_text(app);
    app.update(key(KeyCode::Enter));
    let Effect::Apply(staged) = app.update(key(KeyCode::Enter)) else {
        panic!("the second Enter applies: {}", render_text(app));
    };
    let result = backend.apply(&staged);
    assert!(result.ok(), "{result:?}");
    review
}

#[test]
fn the_store_step_lists_every_holder_by_key_and_ticks_only_the_key_being_rotated() {
    let f = mixed_rotate();
    let backend = backend(&f);
    let mut app = mixed_app(&f, 120, 40);
    to_stores(&mut app, &backend);
    let text = render_text(&app);
    let a = clawauth::domain::secret::fingerprint(MIXED_KEY_A);
    let b = clawauth::domain::secret::fingerprint(MIXED_KEY_B);
    assert!(text.contains("[x] main"), "{text}");
    assert!(text.contains("[ ] research (different key)"), "{text}");
    assert!(
        text.contains(&format!(
            "1 store holds key {a} (token); 1 store holds a different key {b} (api_key)"
        )),
        "{text}"
    );
    assert!(!text.contains(NEW) && !text.contains(MIXED_KEY_B), "{text}");
}

#[test]
fn the_review_and_the_write_change_exactly_the_ticked_store() {
    let f = mixed_rotate();
    let backend = backend(&f);
    let research = store_bytes(&f, "research");
    let mut app = mixed_app(&f, 120, 40);
    to_stores(&mut app, &backend);
    let review = plan_and_apply(&mut app, &backend);
    assert!(
        review.contains("replaces the secret of my-proxy:manual"),
        "{review}"
    );
    assert!(
        !review.contains("replaces the secret of my-proxy:research"),
        "{review}"
    );
    assert_eq!(
        store_bytes(&f, "research"),
        research,
        "research's own key B changed"
    );
    let main: serde_json::Value = serde_json::from_slice(&store_bytes(&f, "main")).unwrap();
    assert_eq!(main["profiles"]["my-proxy:manual"]["token"], NEW);
}

#[test]
fn ticking_the_different_key_replaces_it_too_keeping_its_type() {
    let f = mixed_rotate();
    let backend = backend(&f);
    let mut app = mixed_app(&f, 120, 40);
    to_stores(&mut app, &backend);
    app.update(key(KeyCode::Down));
    app.update(ch(' '));
    assert!(render_text(&app).contains("[x] research (different key)"));
    let review = plan_and_apply(&mut app, &backend);
    assert!(
        review.contains("replaces the secret of my-proxy:research (api_key)"),
        "{review}"
    );
    let research: serde_json::Value = serde_json::from_slice(&store_bytes(&f, "research")).unwrap();
    assert_eq!(
        research["profiles"]["my-proxy:research"],
        serde_json::json!({"type": "api_key", "provider": "my-proxy", "key": NEW})
    );
}

#[test]
fn unticking_everything_plans_nothing() {
    let f = mixed_rotate();
    let backend = backend(&f);
    let mut app = mixed_app(&f, 120, 40);
    to_stores(&mut app, &backend);
    app.update(ch(' '));
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::None);
    assert_eq!(app.page(), Page::RotateAgents);
}

#[test]
fn store_step_snapshots() {
    for (width, height) in [(80, 24), (120, 40)] {
        let f = mixed_rotate();
        let backend = backend(&f);
        let mut app = mixed_app(&f, width, height);
        to_stores(&mut app, &backend);
        let text = render_text(&app);
        insta::assert_snapshot!(format!("rotate_mixed_stores_{width}x{height}"), text);
    }
}

/// `text` with the state dir shown as `SHOWN_STATE_DIR` and backup times as `<time>`.
fn shown(f: &Fixture, text: &str) -> String {
    let text = text.replace(f.state.to_str().unwrap(), SHOWN_STATE_DIR);
    let marker = "clawauth-backup-";
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find(marker) {
        let end = at + marker.len();
        let stamp = rest[end..].find(|c: char| !c.is_ascii_alphanumeric());
        out.push_str(&rest[..end]);
        out.push_str("<time>");
        rest = &rest[end + stamp.unwrap_or(rest.len() - end)..];
    }
    out.push_str(rest);
    out
}

/// An apply result as the snapshots show it (every path through [`shown`]).
fn shown_result(f: &Fixture, r: &ApplyResult) -> ApplyResult {
    let list = |v: &Vec<String>| v.iter().map(|s| shown(f, s)).collect();
    ApplyResult {
        written: list(&r.written),
        backups: list(&r.backups),
        verified: list(&r.verified),
        stale_backups: list(&r.stale_backups),
        purged_backups: list(&r.purged_backups),
        purge_command: r.purge_command.as_deref().map(|c| shown(f, c)),
        ..r.clone()
    }
}

fn backups_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".clawauth-backup-"))
        .collect();
    found.sort();
    found
}

/// Issue 10 item 6: after a rotation the result page offers `d`, which reviews and
/// then deletes exactly the backups holding the replaced key; the stores stay as
/// they are (bytes), and a backup holding a key still in use stays too.
#[test]
fn d_on_the_rotate_result_deletes_the_backups_holding_the_replaced_key() {
    let f = mixed_rotate();
    let backend = backend(&f);
    // An older backup of research's store: it holds key B, still in use.
    let kept = f
        .agent_dir("research")
        .join("auth-profiles.json.clawauth-backup-20260101T000000000Z");
    std::fs::copy(f.agent_dir("research").join("auth-profiles.json"), &kept).unwrap();
    let mut app = mixed_app(&f, 120, 40);
    to_stores(&mut app, &backend);
    let Effect::Plan(request) = app.update(key(KeyCode::Enter)) else {
        panic!("rotate plans");
    };
    app.update(Msg::Planned(backend.plan(&request)));
    app.update(key(KeyCode::Enter));
    let Effect::Apply(staged) = app.update(key(KeyCode::Enter)) else {
        panic!("the second Enter applies");
    };
    let rotated = backend.apply(&staged);
    assert!(rotated.ok(), "{rotated:?}");
    let stale = backups_in(&f.agent_dir("main"));
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(
        std::fs::read_to_string(&stale[0])
            .unwrap()
            .contains(MIXED_KEY_A)
    );
    app.update(Msg::Applied(shown_result(&f, &rotated)));
    let result = render_text(&app);
    assert!(result.contains("press d to delete them"), "{result}");
    insta::assert_snapshot!("rotate_result_stale_backups_120x40", result);

    // d: the review of deleting exactly the backups the result named.
    let Effect::Plan(PlanRequest::PurgeBackups(named)) = app.update(ch('d')) else {
        panic!("d plans the deletion: {}", render_text(&app));
    };
    let real: Vec<_> = named
        .iter()
        .map(|p| {
            let p = p.to_str().unwrap();
            stale
                .iter()
                .find(|s| shown(&f, s.to_str().unwrap()) == p)
                .unwrap()
                .clone()
        })
        .collect();
    assert_eq!(real, stale);
    let mut staged = backend.plan(&PlanRequest::PurgeBackups(real)).unwrap();
    assert_eq!(staged.preview.purges.len(), 1);
    let before = (store_bytes(&f, "main"), store_bytes(&f, "research"));
    relabel_preview(
        &mut staged.preview,
        f.state.to_str().unwrap(),
        SHOWN_STATE_DIR,
    );
    staged.preview.purges = staged.preview.purges.iter().map(|p| shown(&f, p)).collect();
    app.update(Msg::Planned(Ok(staged)));
    let review = render_text(&app);
    insta::assert_snapshot!("purge_backups_review_120x40", review);
    assert!(
        stale[0].exists(),
        "nothing is deleted before the review is confirmed"
    );

    app.update(key(KeyCode::Enter));
    let Effect::Apply(staged) = app.update(key(KeyCode::Enter)) else {
        panic!("the second Enter applies: {}", render_text(&app));
    };
    let purged = backend.apply(&staged);
    assert!(purged.ok(), "{purged:?}");
    assert_eq!(purged.purged_backups.len(), 1, "{purged:?}");
    assert!(!stale[0].exists(), "the backup holding key A is gone");
    assert!(kept.exists(), "the backup holding key B (in use) stays");
    assert_eq!(
        backups_in(&f.agent_dir("main")),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        (store_bytes(&f, "main"), store_bytes(&f, "research")),
        before,
        "stores untouched"
    );
    app.update(Msg::Applied(shown_result(&f, &purged)));
    let done = render_text(&app);
    assert!(done.contains("✓ deleted "), "{done}");
    insta::assert_snapshot!("purge_backups_result_120x40", done);
    assert!(!done.contains(MIXED_KEY_A) && !done.contains(NEW), "{done}");
}
