//! The wizard flows as a state machine: messages in, pages and effects out.
//! Plans and writes come from the real backend on a copy of the demo state.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

#[path = "tui_flows/best_fix.rs"]
mod best_fix;
mod common;
#[path = "tui_flows/copy_rotate_repair.rs"]
mod copy_rotate_repair;
mod tui_support;

use clawauth::domain::ops::targets::Targets;
use clawauth::domain::read::profile::CredType;
use clawauth::domain::status::resolve::CellState;
use clawauth::tui::app::{App, Effect, Focus, Msg, Outcome, Page, Phase};
use clawauth::tui::msg::{
    Expiry, ExternalOutcome, LoginImport, PlanRequest, SecretSource, SetDraft,
};
use crossterm::event::KeyCode;
use tui_support::*;

const SECRET: &str = "sk-proxy-cron-token-0123456789";

fn demo() -> App {
    app(demo_report(), 120, 40)
}

fn enter(app: &mut App) -> Effect {
    app.update(key(KeyCode::Enter))
}

/// From the overview (cronbot × my-proxy) through `a`, the provider and type oauth to
/// "Where does the my-proxy login come from?".
fn to_oauth_sources(app: &mut App) {
    app.update(ch('a'));
    enter(app);
    app.update(key(KeyCode::End));
    enter(app);
    assert_eq!(app.page(), Page::OAuthSource);
}

/// Through "Sign in with OpenClaw" to OpenClaw's exit code 0 (`wrote`: a credential
/// file changed meanwhile); the UI asks to re-read.
fn signed_in(app: &mut App, wrote: bool) {
    to_oauth_sources(app);
    enter(app);
    let done = Msg::ExternalDone(ExternalOutcome::Exited {
        code: Some(0),
        wrote,
    });
    assert_eq!(app.update(done), Effect::Reload);
}

fn esc(app: &mut App) -> Effect {
    app.update(key(KeyCode::Esc))
}

/// `a` on cronbot × my-proxy, then the provider and the type (token) taken.
fn at_secret_form(app: &mut App) {
    assert_eq!(app.update(ch('a')), Effect::None);
    assert_eq!(app.page(), Page::Provider);
    enter(app);
    assert_eq!(app.page(), Page::CredType);
    app.update(key(KeyCode::Home));
    app.update(key(KeyCode::Down));
    enter(app);
    assert_eq!(app.page(), Page::Secret);
}

/// Every rendered screen so far must not show `secret`.
fn assert_hidden(app: &App, secret: &str) {
    let text = render_text(app);
    assert!(!text.contains(secret), "secret on screen:\n{text}");
    assert!(!format!("{app:?}").contains(secret), "secret in Debug");
}

fn set_draft(effect: Effect) -> SetDraft {
    match effect {
        Effect::Plan(PlanRequest::Set(d)) => d,
        other => panic!("expected a set plan request, got {other:?}"),
    }
}

#[test]
fn add_starts_on_the_selected_cell_and_recommends_a_type() {
    let mut app = demo();
    app.update(ch('a'));
    let w = add_wizard(&app);
    assert_eq!(w.providers.current().unwrap().label, "my-proxy");
    assert_eq!(w.agent.as_deref(), Some("cronbot"));
    enter(&mut app);
    let w = add_wizard(&app);
    let labels: Vec<&str> = w.types.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["api_key", "token", "oauth"]);
    assert_eq!(
        w.types.recommended,
        Some(0),
        "my-proxy is a custom provider"
    );
    assert_eq!(w.types.selected, 0);
    let why = &w.recommendation;
    assert!(
        why.contains("custom") && why.contains("agent assistant uses type token"),
        "{why}"
    );
    let text = render_text(&app);
    assert!(text.contains("a static API key sent as-is"), "{text}");
    assert!(text.contains("api_key (recommended)"), "{text}");
}

#[test]
fn a_known_provider_gets_what_another_agent_uses() {
    let mut app = demo();
    app.update(key(KeyCode::Home)); // anthropic: main's OAuth login
    app.update(ch('a'));
    enter(&mut app);
    let w = add_wizard(&app);
    assert_eq!(w.provider, "anthropic");
    assert_eq!(w.types.recommended, Some(2), "{}", w.recommendation);
    assert!(
        w.recommendation
            .contains("agent main already uses type oauth")
    );
}

#[test]
fn custom_provider_without_other_credentials_gets_api_key_recommended() {
    let mut app = demo();
    // local-llm: declared, keyless, custom; nobody stores a key for it.
    app.update(key(KeyCode::Up));
    app.update(ch('a'));
    enter(&mut app);
    let w = add_wizard(&app);
    assert_eq!(w.provider, "local-llm");
    assert_eq!(w.types.recommended, Some(0), "{}", w.recommendation);
    assert!(w.recommendation.contains("custom"), "{}", w.recommendation);
}

#[test]
fn founding_fix_through_the_wizard_plans_applies_and_rereads() {
    let demo_state = demo_state();
    let mut app = demo();
    at_secret_form(&mut app);
    type_text(&mut app, "q?jk");
    assert_eq!(app.page(), Page::Secret, "q and ? are text in a field");
    app.update(ctrl('u'));
    app.update(Msg::Paste(format!("{SECRET}\r\n")));
    assert_eq!(app.page(), Page::Secret, "a pasted newline does not submit");
    assert_hidden(&app, SECRET);
    assert!(render_text(&app).contains("•••••"), "masked");
    app.update(ctrl('r'));
    assert!(render_text(&app).contains(SECRET), "revealed on request");
    app.update(ctrl('r'));
    assert_hidden(&app, SECRET);
    enter(&mut app);
    assert_eq!(app.page(), Page::Targets);
    assert_hidden(&app, SECRET);
    let w = add_wizard(&app);
    let ticked: Vec<&str> = w
        .targets
        .ticked()
        .iter()
        .map(|&i| w.target_ids[i].as_str())
        .collect();
    assert_eq!(ticked, ["cronbot"], "the cron job's agent lacks the key");
    let draft = set_draft(enter(&mut app));
    assert_eq!(draft.provider, "my-proxy");
    assert_eq!(draft.cred_type, CredType::Token);
    assert_eq!(draft.targets, Targets::Agents(vec!["cronbot".into()]));
    assert!(matches!(&draft.source, SecretSource::Value(s) if s.expose() == SECRET));
    assert_eq!((draft.profile_id.as_ref(), draft.expiry), (None, None));
    assert_eq!(app.page(), Page::Review);
    assert!(render_text(&app).contains("Planning…"));
    let staged = demo_state.plan(&PlanRequest::Set(draft));
    app.update(Msg::Planned(Ok(staged.clone())));
    let text = render_text(&app);
    assert!(text.contains("my-proxy:manual"), "{text}");
    assert!(text.contains("«secret, 30 chars"), "{text}");
    assert_hidden(&app, SECRET);
    assert_eq!(enter(&mut app), Effect::None, "asks first");
    assert!(render_text(&app).contains("Apply 1 change? Enter to apply, Esc to go back"));
    assert_eq!(enter(&mut app), Effect::Apply(staged.clone()));
    assert_eq!(app.page(), Page::Applying);
    assert_eq!(esc(&mut app), Effect::None);
    assert_eq!(app.page(), Page::Applying, "applying cannot be interrupted");
    let result = demo_state.backend.apply(&staged);
    assert!(result.ok(), "{result:?}");
    app.update(Msg::Applied(result));
    assert_eq!(app.page(), Page::Result);
    let text = render_text(&app);
    assert!(
        text.contains("✓ wrote") && text.contains("✓ verified: cronbot × my-proxy is usable"),
        "{text}"
    );
    app.update(Msg::Reloaded(Ok(demo_state.report())));
    assert_eq!(app.update(ch('q')), Effect::Quit, "applied: q does not ask");
    enter(&mut app);
    assert_eq!(app.pages(), &[Page::Overview]);
    assert!(app.screens().is_empty());
    let cell = app.selected_cell().unwrap();
    assert_eq!(
        (cell.agent.as_str(), cell.provider.as_str()),
        ("cronbot", "my-proxy")
    );
    assert!(cell.usable, "the fixed cell shows");
}

#[test]
fn esc_goes_back_one_step_at_a_time_and_writes_nothing() {
    let mut app = demo();
    at_secret_form(&mut app);
    app.update(Msg::Paste(SECRET.into()));
    enter(&mut app);
    enter(&mut app);
    assert_eq!(app.page(), Page::Review);
    let expected = [
        Page::Targets,
        Page::Secret,
        Page::CredType,
        Page::Provider,
        Page::Overview,
    ];
    for page in expected {
        assert_eq!(esc(&mut app), Effect::None);
        assert_eq!(app.page(), page);
        assert_hidden(&app, SECRET);
    }
    assert!(app.screens().is_empty());
    // A plan that arrives after going back is dropped.
    app.update(Msg::Planned(Err("late".into())));
    assert_eq!(app.pages(), &[Page::Overview]);
}

#[test]
fn going_back_keeps_the_entered_secret_without_showing_it() {
    let mut app = demo();
    at_secret_form(&mut app);
    app.update(Msg::Paste(SECRET.into()));
    enter(&mut app);
    esc(&mut app);
    assert_eq!(app.page(), Page::Secret);
    let text = render_text(&app);
    assert!(text.contains("entered: secret, 30 chars"), "{text}");
    assert_hidden(&app, SECRET);
    enter(&mut app);
    let draft = set_draft(enter(&mut app));
    assert!(matches!(&draft.source, SecretSource::Value(s) if s.expose() == SECRET));
}

#[test]
fn esc_closes_the_confirmation_line_first() {
    let demo_state = demo_state();
    let mut app = demo();
    at_secret_form(&mut app);
    app.update(Msg::Paste(SECRET.into()));
    enter(&mut app);
    let draft = set_draft(enter(&mut app));
    app.update(Msg::Planned(Ok(demo_state.plan(&PlanRequest::Set(draft)))));
    enter(&mut app);
    assert!(app.review().unwrap().confirming());
    esc(&mut app);
    assert_eq!(app.page(), Page::Review);
    assert!(!app.review().unwrap().confirming());
    esc(&mut app);
    assert_eq!(app.page(), Page::Targets);
}

#[test]
fn secret_fields_keep_no_undo_and_no_yank() {
    let mut app = demo();
    at_secret_form(&mut app);
    type_text(&mut app, "abc def");
    for k in [ctrl('w'), ctrl('k'), ctrl('u')] {
        app.update(k);
    }
    assert!(
        render_text(&app).contains("paste or type it"),
        "Ctrl-U emptied it"
    );
    app.update(ctrl('y'));
    app.update(ctrl('z'));
    app.update(ctrl('r'));
    let text = render_text(&app);
    assert!(
        !text.contains("abc"),
        "nothing yanked back or undone:\n{text}"
    );
}

#[test]
fn bad_input_is_refused_on_the_field() {
    let mut app = demo();
    at_secret_form(&mut app);
    app.update(Msg::Paste("sk-a\nsk-b".into()));
    assert!(render_text(&app).contains("line break in the middle"));
    enter(&mut app);
    assert!(
        render_text(&app).contains("enter the token"),
        "empty is refused"
    );
    type_text(&mut app, "export KEY=sk-1");
    enter(&mut app);
    assert_eq!(app.page(), Page::Secret);
    assert!(render_text(&app).contains("shell command"));
    app.update(ctrl('u'));
    app.update(Msg::Paste(SECRET.into()));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    type_text(&mut app, "3w");
    enter(&mut app);
    assert_eq!(app.page(), Page::Secret);
    assert!(render_text(&app).contains("use 30d, 12h or a date"));
    app.update(ctrl('u'));
    type_text(&mut app, "30d");
    app.update(key(KeyCode::Up));
    type_text(&mut app, "my-proxy:cron");
    enter(&mut app);
    let draft = set_draft(enter(&mut app));
    assert_eq!(draft.expiry, Some(Expiry::In(30 * 86_400_000)));
    assert_eq!(draft.profile_id.as_deref(), Some("my-proxy:cron"));
}

#[test]
fn a_prefix_that_contradicts_the_type_is_warned_about() {
    let mut app = demo();
    app.update(key(KeyCode::Home)); // anthropic
    app.update(ch('a'));
    enter(&mut app);
    app.update(key(KeyCode::Home)); // api_key
    enter(&mut app);
    app.update(Msg::Paste("sk-ant-oat01-abcdef".into()));
    enter(&mut app);
    assert_eq!(app.page(), Page::Targets);
    let text = render_text(&app);
    assert!(text.contains("setup token"), "{text}");
}

#[test]
fn targets_shared_store_excludes_the_agents() {
    let mut app = demo();
    at_secret_form(&mut app);
    app.update(Msg::Paste(SECRET.into()));
    enter(&mut app);
    app.update(key(KeyCode::End));
    app.update(ch(' '));
    let w = add_wizard(&app);
    assert_eq!(
        w.targets.ticked(),
        vec![w.target_ids.len()],
        "only the shared store"
    );
    let draft = set_draft(enter(&mut app));
    assert_eq!(draft.targets, Targets::Shared);
    esc(&mut app);
    app.update(ch(' '));
    app.update(key(KeyCode::Home));
    app.update(ch(' '));
    let draft = set_draft(enter(&mut app));
    assert_eq!(draft.targets, Targets::Agents(vec!["main".into()]));
    esc(&mut app);
    for i in add_wizard(&app).targets.ticked() {
        app.update(key(KeyCode::Home));
        for _ in 0..i {
            app.update(key(KeyCode::Down));
        }
        app.update(ch(' '));
    }
    assert_eq!(enter(&mut app), Effect::None, "nothing ticked");
    assert_eq!(app.page(), Page::Targets);
}

#[test]
fn oauth_sign_in_runs_openclaw_in_the_foreground_or_shows_the_command() {
    let mut app = demo();
    to_oauth_sources(&mut app);
    assert_eq!(app.page(), Page::OAuthSource);
    // The demo is OpenClaw 2026.4-style: `login` there has no --agent (it is refused as
    // an unknown option) and signs in for the default agent, which the choice says.
    let login = "openclaw models auth login --provider my-proxy";
    let choice = render_text(&app);
    assert!(
        choice.contains("the default agent assistant only: the re-read shows whether cronbot"),
        "{choice}"
    );
    let Effect::RunExternal(command) = enter(&mut app) else {
        panic!("sign-in runs OpenClaw");
    };
    assert_eq!(command.display(), login);
    assert_eq!(
        app.update(Msg::ExternalDone(ExternalOutcome::NotFound)),
        Effect::None
    );
    assert_eq!(app.page(), Page::Result);
    let text = render_text(&app);
    assert!(
        text.contains("No `openclaw` executable") && text.contains(login),
        "{text}"
    );
    esc(&mut app);
    assert_eq!(app.pages(), &[Page::Overview]);
    to_oauth_sources(&mut app);
    enter(&mut app);
    let done = Msg::ExternalDone(ExternalOutcome::Exited {
        code: Some(0),
        wrote: false,
    });
    assert_eq!(app.update(done), Effect::Reload, "comes back and re-reads");
    assert!(render_text(&app).contains("Re-reading the OpenClaw state…"));
    // OpenClaw exits 0 also when the user cancels its prompt: the re-read tells.
    app.update(Msg::Reloaded(Ok(demo_report())));
    let text = render_text(&app);
    assert!(
        text.contains("finished, but wrote no credential (was it cancelled?)"),
        "{text}"
    );
    assert!(text.contains("no agent's my-proxy cell changed"), "{text}");
}

#[test]
fn a_failed_re_read_after_a_sign_in_says_so() {
    let mut app = demo();
    signed_in(&mut app, true);
    app.update(Msg::Reloaded(Err("cannot read /s/openclaw.json".into())));
    let text = render_text(&app);
    assert!(
        text.contains("✗ Could not re-read the state: cannot read /s/openclaw.json."),
        "{text}"
    );
    assert!(!text.contains("Re-reading"), "{text}");
}

#[test]
fn a_sign_in_lists_the_cells_it_changed() {
    let mut app = demo();
    signed_in(&mut app, true);
    let mut after = demo_report();
    let cell = after
        .cells
        .iter_mut()
        .find(|c| c.agent == "assistant" && c.provider == "my-proxy")
        .unwrap();
    cell.usable = true;
    cell.state = CellState::Ok;
    cell.profile = Some("my-proxy:login".into());
    cell.cred_type = Some(clawauth::domain::read::profile::CredType::Oauth);
    app.update(Msg::Reloaded(Ok(after)));
    let text = render_text(&app);
    assert!(
        text.contains(
            "✓ `openclaw models auth login --provider my-proxy` finished and wrote a credential."
        ),
        "{text}"
    );
    assert!(
        text.contains("The overview was re-read. my-proxy changed for:"),
        "{text}"
    );
    let line = "assistant: ✓ static (my-proxy:manual, token) → ✓ ok (my-proxy:login, oauth)";
    assert!(text.contains(line), "{text}");
    assert!(
        !text.contains("cronbot:"),
        "only changed cells are listed: {text}"
    );
}

#[test]
fn oauth_sign_in_names_the_agent_with_openclaw_2026_6_and_later() {
    let mut report = demo_report();
    report.generation = "sqlite";
    let mut app = app(report, 120, 40);
    to_oauth_sources(&mut app);
    assert_eq!(app.page(), Page::OAuthSource);
    let Effect::RunExternal(command) = enter(&mut app) else {
        panic!("sign-in runs OpenClaw");
    };
    let login = "openclaw models auth login --provider my-proxy --agent cronbot";
    assert_eq!(command.display(), login);
}

#[test]
fn oauth_import_and_pasted_json() {
    let mut app = demo();
    to_oauth_sources(&mut app);
    app.update(key(KeyCode::Down)); // Codex
    enter(&mut app);
    assert_eq!(app.page(), Page::Targets);
    let draft = set_draft(enter(&mut app));
    assert_eq!(draft.source, SecretSource::Import(LoginImport::Codex));
    assert_eq!(draft.cred_type, CredType::Oauth);
    esc(&mut app);
    esc(&mut app);
    app.update(key(KeyCode::End)); // paste JSON
    enter(&mut app);
    assert_eq!(app.page(), Page::Secret);
    app.update(Msg::Paste("{\"access\": \"a\"}\n".into()));
    enter(&mut app);
    assert!(render_text(&app).contains("no refresh token"));
    app.update(ctrl('u'));
    let json = "{\n  \"access\": \"acc-secret-1\",\n  \"refresh\": \"ref-secret-2\",\n  \"expires\": 4102444800000\n}\n";
    app.update(Msg::Paste(json.into()));
    assert_hidden(&app, "acc-secret-1");
    enter(&mut app);
    assert_eq!(app.page(), Page::Targets);
    let draft = set_draft(enter(&mut app));
    assert!(
        matches!(&draft.source, SecretSource::OAuthJson(s) if s.expose().contains("ref-secret-2"))
    );
}

#[test]
fn q_asks_first_while_something_is_unapplied_and_ctrl_c_always_quits() {
    let mut app = demo();
    app.update(ch('a'));
    assert_eq!(app.update(ch('q')), Effect::None);
    assert_eq!(app.page(), Page::ConfirmQuit);
    assert!(render_text(&app).contains("Discard and quit? y/N"));
    assert_eq!(app.update(ch('n')), Effect::None);
    assert_eq!(app.page(), Page::Provider);
    app.update(ch('q'));
    assert_eq!(enter(&mut app), Effect::None, "Enter means no");
    assert_eq!(app.page(), Page::Provider);
    app.update(ch('q'));
    assert_eq!(app.update(ch('y')), Effect::Quit);
    let mut app = demo();
    at_secret_form(&mut app);
    assert_eq!(app.update(ch('q')), Effect::None, "q is text in a field");
    assert_eq!(app.update(ctrl('c')), Effect::Quit);
}

#[test]
fn help_opens_from_a_wizard_page_and_returns_to_it() {
    let mut app = demo();
    app.update(ch('a'));
    enter(&mut app);
    app.update(ch('?'));
    assert_eq!(app.page(), Page::Help);
    let text = render_text(&app);
    assert!(text.contains("Help: keys and symbols"), "{text}");
    esc(&mut app);
    assert_eq!(app.page(), Page::CredType);
}

#[test]
fn every_wizard_page_has_hints_and_help_lines() {
    use clawauth::tui::keymap::{Context, help_sections, hints};
    for context in [
        Context::Choice,
        Context::Checklist,
        Context::Form,
        Context::Review,
        Context::Result,
        Context::ConfirmQuit,
    ] {
        assert!(!hints(context).is_empty(), "{context:?}");
        assert!(
            help_sections().iter().any(|(c, _)| *c == context),
            "{context:?}"
        );
    }
    let form: Vec<&str> = hints(Context::Form).iter().map(|h| h.0).collect();
    assert_eq!(form, ["Enter", "Esc", "Tab", "Ctrl-R"]);
}

fn focused_is_secret(app: &App) -> bool {
    let form = app.screen().and_then(|s| s.form());
    form.is_some_and(|f| f.fields[f.focus].is_secret())
}

/// A random walk through every flow, on a copy of the demo state whose plans and
/// writes are real: it must reach reviews, applies and results, never panic, and
/// never draw the secret it pastes.
#[test]
fn random_keys_through_every_wizard_never_panic_nor_draw_the_secret() {
    let keys = [
        key(KeyCode::Up),
        key(KeyCode::Down),
        key(KeyCode::Home),
        key(KeyCode::End),
        key(KeyCode::PageDown),
        key(KeyCode::Tab),
        key(KeyCode::Esc),
        key(KeyCode::Enter),
        key(KeyCode::Enter),
        key(KeyCode::Backspace),
        ch('a'),
        ch('c'),
        ch('R'),
        ch('f'),
        ch(' '),
        ch('?'),
        ch('n'),
        ch('x'),
        ctrl('r'),
        ctrl('u'),
        Msg::Paste(format!("{SECRET}\n")),
    ];
    let mut seed: u64 = 0x5eed_f10e;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut seen = std::collections::BTreeSet::new();
    for (width, height) in [(60, 16), (80, 24), (120, 40)] {
        let state = demo_state();
        let mut app = app(state.report(), width, height);
        for _ in 0..400 {
            let msg = match &keys[next(keys.len())] {
                Msg::Key(k) => Msg::Key(*k),
                // Pasted into a plain field (email), text is meant to show.
                Msg::Paste(_) if !focused_is_secret(&app) => continue,
                Msg::Paste(t) => Msg::Paste(t.clone()),
                _ => unreachable!(),
            };
            answer_for_real(&mut app, &state, msg, &mut seen);
            let form = app.screen().and_then(|s| s.form());
            let revealed = form.is_some_and(|f| f.fields.iter().any(|f| f.revealed));
            if !revealed {
                assert_hidden(&app, SECRET);
            }
        }
    }
    for wanted in [
        "Plan",
        "Planned",
        "Apply",
        "Applied",
        "Result",
        "LoadProfiles",
    ] {
        assert!(seen.contains(wanted), "no walk reached {wanted}: {seen:?}");
    }
}

/// Sends `msg`, then performs every effect with the real backend (the sign-in
/// finds no `openclaw`) and sends back its answers; notes what was reached.
fn answer_for_real(
    app: &mut App,
    state: &DemoState,
    msg: Msg,
    seen: &mut std::collections::BTreeSet<&'static str>,
) {
    let mut msgs = std::collections::VecDeque::from([msg]);
    while let Some(msg) = msgs.pop_front() {
        let effect = app.update(msg);
        seen.insert(match &effect {
            Effect::Plan(_) => "Plan",
            Effect::Apply(_) => "Apply",
            Effect::LoadProfiles(_) => "LoadProfiles",
            _ => "other",
        });
        match effect {
            Effect::RunExternal(_) => msgs.push_back(Msg::ExternalDone(ExternalOutcome::NotFound)),
            // A live check would leave loopback: answered offline here.
            Effect::Probe(_) => msgs.push_back(Msg::Probed(Err("offline".into()), "00:00".into())),
            effect => msgs.extend(state.backend.perform(effect)),
        }
    }
    match app.review().map(|r| &r.phase) {
        Some(Phase::Planned { .. }) => seen.insert("Planned"),
        Some(Phase::Done(Outcome::Applied(_))) => seen.insert("Applied"),
        _ => false,
    };
    if app.page() == Page::Result {
        seen.insert("Result");
    }
}
