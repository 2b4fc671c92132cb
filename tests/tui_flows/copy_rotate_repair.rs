//! The copy, rotate and repair flows (the add flow is in tui_flows.rs).

use super::*;
use clawauth::domain::ops::copy::OnConflict;
use clawauth::tui::msg::CopyDraft;

fn copy_draft(effect: Effect) -> CopyDraft {
    match effect {
        Effect::Plan(PlanRequest::Copy(d)) => d,
        other => panic!("expected a copy plan request, got {other:?}"),
    }
}

#[test]
fn copy_from_an_agent_with_portability_destinations_and_conflicts() {
    let demo_state = demo_state();
    let mut app = demo();
    app.update(key(KeyCode::Left)); // assistant
    app.update(ch('c'));
    assert_eq!(app.page(), Page::CopySource);
    assert_eq!(enter(&mut app), Effect::LoadProfiles("assistant".into()));
    assert_eq!(app.page(), Page::CopyProfiles);
    assert!(render_text(&app).contains("Reading agent assistant's store…"));
    app.update(Msg::Profiles(demo_state.backend.profiles("assistant")));
    assert!(render_text(&app).contains("[x] my-proxy:manual"));
    enter(&mut app);
    assert_eq!(app.page(), Page::CopyDestinations);
    let text = render_text(&app);
    assert!(
        text.contains("[x] cronbot") && text.contains("[ ] main"),
        "{text}"
    );
    enter(&mut app);
    assert_eq!(app.page(), Page::CopyConflicts);
    app.update(key(KeyCode::End));
    let draft = copy_draft(enter(&mut app));
    let expected = CopyDraft {
        from: "assistant".into(),
        to: vec!["cronbot".into()],
        profiles: vec!["my-proxy:manual".into()],
        include_oauth: false,
        on_conflict: OnConflict::Rename,
    };
    assert_eq!(draft, expected);
    let staged = demo_state.plan(&PlanRequest::Copy(draft));
    app.update(Msg::Planned(Ok(staged)));
    assert!(render_text(&app).contains("copies my-proxy:manual (token)"));
    for page in [
        Page::CopyConflicts,
        Page::CopyDestinations,
        Page::CopyProfiles,
        Page::CopySource,
        Page::Overview,
    ] {
        esc(&mut app);
        assert_eq!(app.page(), page);
    }
}

#[test]
fn copy_shows_oauth_and_invalid_profiles_as_not_portable() {
    let demo_state = demo_state();
    let mut app = demo();
    app.update(ch('0')); // main
    app.update(ch('c'));
    enter(&mut app);
    app.update(Msg::Profiles(demo_state.backend.profiles("main")));
    let text = render_text(&app);
    assert!(
        text.contains("[ ] anthropic:me@example.com") && text.contains("single-use"),
        "{text}"
    );
    assert_eq!(enter(&mut app), Effect::None, "nothing ticked");
    app.update(ch(' '));
    enter(&mut app);
    assert_eq!(enter(&mut app), Effect::None, "no destination ticked");
    assert_eq!(app.page(), Page::CopyDestinations);
    app.update(ch(' '));
    enter(&mut app);
    let draft = copy_draft(enter(&mut app));
    assert!(draft.include_oauth, "ticking an OAuth login copies it");
    assert_eq!(draft.to, ["assistant"]);
    let mut app = demo();
    app.update(ch('$')); // reporter
    app.update(ch('c'));
    enter(&mut app);
    app.update(Msg::Profiles(demo_state.backend.profiles("reporter")));
    let text = render_text(&app);
    assert!(text.contains("[-] my-proxy:default"), "{text}");
    app.update(ch(' '));
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("repair it first")
    );
}

#[test]
fn copy_from_an_agent_without_a_store_says_so() {
    let demo_state = demo_state();
    let mut app = demo();
    app.update(ch('c')); // cronbot
    enter(&mut app);
    app.update(Msg::Profiles(demo_state.backend.profiles("cronbot")));
    let text = render_text(&app);
    assert!(text.contains("✗"), "{text}");
    assert_eq!(enter(&mut app), Effect::None);
    assert_eq!(app.page(), Page::CopyProfiles);
}

#[test]
fn rotate_asks_for_the_new_key_then_the_stores() {
    let demo_state = demo_state();
    let mut app = demo();
    app.update(ch('R'));
    assert_eq!(app.page(), Page::RotateSecret);
    app.update(Msg::Paste("sk-new-proxy-key\n".into()));
    assert_hidden(&app, "sk-new-proxy-key");
    let Effect::LoadKeyGroups(load) = enter(&mut app) else {
        panic!("rotate reads the stores holding the key");
    };
    assert_eq!(app.page(), Page::RotateAgents);
    assert!(render_text(&app).contains("Reading the stores that hold my-proxy"));
    app.update(Msg::KeyGroups(demo_state.backend.key_groups(&load)));
    assert!(render_text(&app).contains("[x] assistant"));
    let Effect::Plan(request @ PlanRequest::Rotate(_)) = enter(&mut app) else {
        panic!("rotate plans");
    };
    let PlanRequest::Rotate(draft) = &request else {
        unreachable!()
    };
    let stores: Vec<&str> = draft.stores.iter().map(|s| s.profile.as_str()).collect();
    assert_eq!(
        (draft.provider.as_str(), stores),
        ("my-proxy", vec!["my-proxy:manual"])
    );
    assert_eq!(draft.secret.expose(), "sk-new-proxy-key");
    app.update(Msg::Planned(Ok(demo_state.plan(&request))));
    let text = render_text(&app);
    assert!(
        text.contains("replaces the secret of my-proxy:manual"),
        "{text}"
    );
    assert_hidden(&app, "sk-new-proxy-key");
}

#[test]
fn repair_from_a_problem_or_a_cell() {
    let mut app = demo();
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus, Focus::Problems);
    let agent = app.selected_problem().unwrap().agent.clone();
    let effect = enter(&mut app);
    assert_eq!(
        effect,
        Effect::Plan(PlanRequest::Repair {
            agents: agent.into_iter().collect()
        })
    );
    assert_eq!(app.page(), Page::Review);
    assert!(app.review().is_some_and(|r| r.title.starts_with("Repair")));
    esc(&mut app);
    app.update(key(KeyCode::Tab));
    let effect = app.update(ch('f'));
    assert_eq!(
        effect,
        Effect::Plan(PlanRequest::Repair {
            agents: vec!["cronbot".into()]
        })
    );
    app.update(Msg::Planned(Err("cannot read x".into())));
    let text = render_text(&app);
    assert!(text.contains("Cannot plan this: cannot read x"), "{text}");
    assert_eq!(enter(&mut app), Effect::None, "no plan, nothing to apply");
    esc(&mut app);
    assert_eq!(app.pages(), &[Page::Overview]);
}

#[test]
fn repair_of_the_reporter_shows_the_diff_then_applies() {
    let demo_state = demo_state();
    let mut app = demo();
    app.update(ch('$'));
    let request = match app.update(ch('f')) {
        Effect::Plan(r) => r,
        other => panic!("{other:?}"),
    };
    let staged = demo_state.plan(&request);
    app.update(Msg::Planned(Ok(staged.clone())));
    let text = render_text(&app);
    assert!(
        text.contains("my-proxy:default: type → \"api_key\""),
        "{text}"
    );
    assert!(text.contains("-       \"type\": \"api-key\""), "{text}");
    assert!(text.contains("+       \"type\": \"api_key\""), "{text}");
    enter(&mut app);
    assert_eq!(enter(&mut app), Effect::Apply(staged.clone()));
    app.update(Msg::Applied(demo_state.backend.apply(&staged)));
    assert!(render_text(&app).contains("✓ wrote"));
    let fixed = std::fs::read_to_string(
        demo_state
            .state
            .join("agents/reporter/agent/auth-profiles.json"),
    )
    .unwrap();
    assert!(fixed.contains("\"type\": \"api_key\""), "{fixed}");
}

#[test]
fn an_empty_plan_ends_the_flow_without_writing() {
    let demo_state = demo_state();
    let mut app = demo();
    app.update(ch('0')); // main: nothing to repair there
    let Effect::Plan(request) = app.update(ch('f')) else {
        panic!("plans");
    };
    let staged = demo_state.plan(&request);
    assert_eq!(staged.change_count(), 0, "{:?}", staged.preview);
    app.update(Msg::Planned(Ok(staged)));
    assert!(render_text(&app).contains("Nothing to change"));
    assert_eq!(enter(&mut app), Effect::None);
    assert_eq!(app.pages(), &[Page::Overview]);
}
