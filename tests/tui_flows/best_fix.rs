//! Enter on a cell starts its best fix, the recommended choice selected.

use super::*;
use clawauth::domain::ops::copy::OnConflict;
use clawauth::tui::msg::CopyDraft;

#[test]
fn enter_on_a_cell_whose_key_another_agent_holds_copies_it_in_two_enters() {
    let mut app = demo();
    assert_eq!(app.selected_cell().unwrap().agent, "cronbot");
    assert!(render_text(&app).contains("Enter: copy assistant's key here"));
    assert_eq!(enter(&mut app), Effect::None);
    assert_eq!(app.page(), Page::CopyDestinations);
    let text = render_text(&app);
    assert!(
        text.contains("▶ [x] cronbot") && text.contains("[ ] main"),
        "{text}"
    );
    assert!(text.contains("Recommended: cronbot"), "{text}");
    let expected = CopyDraft {
        from: "assistant".into(),
        to: vec!["cronbot".into()],
        profiles: vec!["my-proxy:manual".into()],
        include_oauth: false,
        on_conflict: OnConflict::Skip,
    };
    assert_eq!(enter(&mut app), Effect::Plan(PlanRequest::Copy(expected)));
    assert_eq!(app.page(), Page::Review);
    assert!(render_text(&app).contains("✓ copy to › review › result"));
}

#[test]
fn esc_from_the_copy_fix_returns_to_the_overview_writing_nothing() {
    let mut app = demo();
    enter(&mut app);
    assert_eq!(app.page(), Page::CopyDestinations);
    assert_eq!(app.update(key(KeyCode::Esc)), Effect::None);
    assert_eq!(app.pages(), &[Page::Overview]);
}

#[test]
fn enter_on_an_entry_openclaw_drops_plans_its_repair() {
    let mut app = demo();
    app.update(key(KeyCode::Right)); // reporter
    assert_eq!(app.selected_cell().unwrap().agent, "reporter");
    assert!(render_text(&app).contains("Enter: repair my-proxy:default"));
    let effect = enter(&mut app);
    assert_eq!(
        effect,
        Effect::Plan(PlanRequest::Repair {
            agents: vec!["reporter".into()]
        })
    );
    assert_eq!(app.page(), Page::Review);
}

#[test]
fn enter_on_a_cell_with_no_key_anywhere_adds_one_and_on_a_usable_cell_replaces() {
    let f = common::Fixture::new();
    f.config(common::TWO_AGENTS);
    let mut app = app(report_of(&f.state, &f.env_snapshot()), 120, 40);
    app.update(key(KeyCode::Right));
    let cell = app.selected_cell().unwrap().clone();
    assert_eq!(
        (cell.agent.as_str(), cell.provider.as_str()),
        ("cronbot", "my-proxy")
    );
    assert_eq!(
        cell.best_fix,
        Some(clawauth::domain::status::bestfix::BestFix::Add)
    );
    assert!(render_text(&app).contains("Enter: add a key for my-proxy"));
    enter(&mut app);
    assert_eq!(app.page(), Page::Provider);
    let mut app = demo();
    app.update(key(KeyCode::Left)); // assistant × my-proxy, usable
    assert!(app.selected_cell().unwrap().usable);
    enter(&mut app);
    assert_eq!(app.page(), Page::Provider);
}
