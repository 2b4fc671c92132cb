//! The UI state machine: messages in, state and effects out (no terminal).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
mod tui_support;

use clawauth::tui::app::{App, Effect, Focus, Msg, Page};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_support::*;

fn demo() -> App {
    app(demo_report(), 120, 40)
}

/// (provider id, agent id) of the selected cell.
fn selected(app: &App) -> (String, String) {
    let c = app.selected_cell().expect("a cell is selected");
    (c.provider.clone(), c.agent.clone())
}

fn at(provider: &str, agent: &str) -> (String, String) {
    (provider.to_string(), agent.to_string())
}

#[test]
fn starts_on_the_cron_job_that_cannot_authenticate() {
    let app = demo();
    assert_eq!(selected(&app), at("my-proxy", "cronbot"));
    assert_eq!(app.selected_cell().unwrap().cron, vec!["daily-briefing"]);
    assert_eq!(app.pages(), &[Page::Overview]);
    assert_eq!(app.focus, Focus::Matrix);
}

#[test]
fn arrows_and_hjkl_move_and_stop_at_the_edges() {
    let mut app = demo();
    app.update(key(KeyCode::Up));
    assert_eq!(selected(&app), at("local-llm", "cronbot"));
    app.update(ch('k'));
    assert_eq!(selected(&app), at("anthropic", "cronbot"));
    app.update(ch('k'));
    assert_eq!(
        selected(&app),
        at("anthropic", "cronbot"),
        "stops at the top"
    );
    app.update(key(KeyCode::Right));
    app.update(ch('l'));
    assert_eq!(
        selected(&app),
        at("anthropic", "reporter"),
        "stops at the right"
    );
    app.update(ch('h'));
    app.update(key(KeyCode::Left));
    assert_eq!(selected(&app), at("anthropic", "assistant"));
    app.update(ch('h'));
    app.update(ch('h'));
    assert_eq!(selected(&app), at("anthropic", "main"), "stops at the left");
    app.update(ch('j'));
    app.update(key(KeyCode::Down));
    assert_eq!(selected(&app), at("my-proxy", "main"));
}

#[test]
fn home_end_pages_and_column_jumps() {
    let mut app = demo();
    app.update(key(KeyCode::End));
    assert_eq!(selected(&app), at("perplexity", "cronbot"));
    app.update(key(KeyCode::Home));
    assert_eq!(selected(&app), at("anthropic", "cronbot"));
    app.update(key(KeyCode::PageDown));
    assert_eq!(
        selected(&app),
        at("perplexity", "cronbot"),
        "a page is more than 5 rows"
    );
    app.update(ch('0'));
    assert_eq!(selected(&app), at("perplexity", "main"));
    app.update(ch('$'));
    assert_eq!(selected(&app), at("perplexity", "reporter"));
    app.update(ch('g'));
    app.update(key(KeyCode::PageUp));
    assert_eq!(selected(&app), at("anthropic", "reporter"));
}

#[test]
fn n_and_shift_n_move_between_cells_that_are_not_usable() {
    let mut app = demo();
    app.update(ch('n'));
    assert_eq!(
        selected(&app),
        at("my-proxy", "cronbot"),
        "from a fresh start, n lands on the cron job at risk the app selected"
    );
    assert!(render_text(&app).contains("Not usable 2 of 3 · Enter: copy assistant's key here"));
    app.update(ch('n'));
    assert_eq!(selected(&app), at("my-proxy", "reporter"), "invalid");
    app.update(ch('n'));
    assert_eq!(
        selected(&app),
        at("my-proxy", "main"),
        "wraps; every ✗ is a stop, a usable cell where only `models status` disagrees is not"
    );
    app.update(ch('N'));
    assert_eq!(selected(&app), at("my-proxy", "reporter"));
    app.update(ch('N'));
    assert_eq!(selected(&app), at("my-proxy", "cronbot"));
    app.update(ch('g'));
    app.update(ch('0'));
    app.update(ch('n'));
    assert_eq!(
        selected(&app),
        at("my-proxy", "main"),
        "from elsewhere: the next ✗"
    );
}

#[test]
fn n_goes_on_to_warnings_after_the_cells_that_are_not_usable() {
    let f = common::Fixture::new();
    let soon = 1_767_225_600_000 + 3_600_000; // an hour after the tests' fixed now
    f.config(common::TWO_AGENTS);
    f.store(
        "main",
        common::store_of(&[("my-proxy:t", common::token("my-proxy", "sk-t", Some(soon)))]),
    );
    let mut app = app(report_of(&f.state, &f.env_snapshot()), 120, 40);
    app.update(ch('n'));
    let c = app.selected_cell().unwrap();
    assert!(
        c.usable && c.state == clawauth::domain::status::resolve::CellState::Expiring,
        "{c:?}"
    );
    assert!(render_text(&app).contains("Needs attention 1 of"));
}

#[test]
fn slash_filters_agents_and_providers_by_name() {
    let mut app = demo();
    assert_eq!(app.update(ch('/')), Effect::None);
    assert_eq!(app.page(), Page::Filter);
    type_text(&mut app, "cron");
    assert_eq!(app.filter, "cron");
    assert_eq!(app.cols.len(), 1, "only agent cronbot");
    assert_eq!(app.rows.len(), 5, "no provider matches, so all stay");
    assert_eq!(selected(&app), at("my-proxy", "cronbot"), "selection kept");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.page(), Page::Overview);
    assert_eq!(app.filter, "cron", "Enter keeps the filter");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.filter, "", "Esc on the overview clears it");
    assert_eq!((app.rows.len(), app.cols.len()), (5, 4));
    assert_eq!(selected(&app), at("my-proxy", "cronbot"));
}

#[test]
fn filter_on_a_provider_keeps_every_agent() {
    let mut app = demo();
    app.update(ch('/'));
    type_text(&mut app, "OPEN");
    assert_eq!(app.rows.len(), 1, "openrouter, case-insensitive");
    assert_eq!(app.cols.len(), 4);
    assert_eq!(selected(&app), at("openrouter", "cronbot"));
}

#[test]
fn filter_input_edits_and_esc_clears_and_closes() {
    let mut app = demo();
    app.update(ch('/'));
    type_text(&mut app, "zzq?");
    assert_eq!(app.filter, "zzq?", "q and ? are text while typing");
    assert!(app.rows.is_empty() && app.cols.is_empty());
    assert!(app.selected_cell().is_none());
    app.update(ch('n'));
    assert_eq!(app.filter, "zzq?n");
    app.update(key(KeyCode::Backspace));
    app.update(key(KeyCode::Backspace));
    assert_eq!(app.filter, "zzq");
    app.update(ctrl('u'));
    assert_eq!(app.filter, "");
    app.update(Msg::Paste("report\nignored second line".into()));
    assert_eq!(app.filter, "report");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.page(), Page::Overview);
    assert_eq!(app.filter, "");
}

#[test]
fn paste_outside_the_filter_is_ignored() {
    let mut app = demo();
    app.update(Msg::Paste("q".into()));
    assert_eq!(app.filter, "");
    assert_eq!(app.page(), Page::Overview);
}

#[test]
fn tab_switches_focus_to_the_problems_list() {
    let mut app = demo();
    app.update(key(KeyCode::Tab));
    assert_eq!(app.focus, Focus::Problems);
    assert_eq!(app.problem.selected, 0);
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    let last = app.report.problems.len() - 1;
    assert_eq!(app.problem.selected, last.min(3));
    assert_eq!(
        selected(&app),
        at("my-proxy", "cronbot"),
        "matrix unchanged"
    );
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(app.focus, Focus::Matrix);
    app.update(key(KeyCode::Tab));
    app.update(ch('n'));
    assert_eq!(app.focus, Focus::Matrix, "n jumps in the matrix");
}

#[test]
fn help_opens_and_closes_without_quitting() {
    let mut app = demo();
    app.update(ch('?'));
    assert_eq!(app.pages(), &[Page::Overview, Page::Help]);
    app.update(key(KeyCode::Down));
    assert_eq!(app.help_scroll(), 1);
    assert_eq!(
        selected(&app),
        at("my-proxy", "cronbot"),
        "keys scroll the help"
    );
    app.update(key(KeyCode::Esc));
    assert_eq!(app.pages(), &[Page::Overview]);
    app.update(ch('?'));
    assert_eq!(app.update(ch('q')), Effect::None, "q closes the help");
    assert_eq!(app.page(), Page::Overview);
    app.update(key(KeyCode::Esc));
    assert_eq!(app.pages(), &[Page::Overview], "Esc on the overview stays");
}

#[test]
fn q_quits_and_ctrl_c_always_quits() {
    let mut app = demo();
    assert_eq!(app.update(ch('q')), Effect::Quit);
    let mut app = demo();
    assert_eq!(app.update(ctrl('c')), Effect::Quit);
    app.update(ch('?'));
    assert_eq!(app.update(ctrl('c')), Effect::Quit, "in help");
    let mut app = demo();
    app.update(ch('/'));
    assert_eq!(app.update(ctrl('c')), Effect::Quit, "while typing a filter");
}

#[test]
fn key_releases_are_ignored() {
    let mut app = demo();
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(app.update(Msg::Key(release)), Effect::None);
}

#[test]
fn r_asks_for_one_reload_and_keeps_the_selection() {
    let mut app = demo();
    app.update(key(KeyCode::Up));
    assert_eq!(app.update(ch('r')), Effect::Reload);
    assert!(app.reloading);
    assert_eq!(app.update(ch('r')), Effect::None, "one reload at a time");
    app.update(Msg::Reloaded(Ok(demo_report())));
    assert!(!app.reloading);
    assert_eq!(selected(&app), at("local-llm", "cronbot"));
    let notice = app.notice.clone().unwrap();
    assert!(
        notice.text.starts_with("Reloaded: 4 agents × 5 providers"),
        "{}",
        notice.text
    );
    assert!(!notice.is_error);
    assert_eq!(app.update(ch('r')), Effect::Reload, "can reload again");
}

#[test]
fn a_failed_reload_keeps_the_previous_report() {
    let mut app = demo();
    app.update(ch('r'));
    app.update(Msg::Reloaded(Err("cannot read /x".into())));
    let notice = app.notice.clone().unwrap();
    assert!(notice.is_error);
    assert!(notice.text.contains("cannot read /x"), "{}", notice.text);
    assert_eq!(app.report.agents.len(), 4);
    app.update(ch('j'));
    assert!(app.notice.is_none(), "the next key clears the notice");
}

#[test]
fn resize_keeps_the_selection_in_view() {
    let mut app = app(fleet_report(30, 60), 120, 40);
    app.update(key(KeyCode::End));
    app.update(ch('$'));
    let (providers, agents) = (app.rows.len(), app.cols.len());
    assert!(providers >= 60 && agents == 30, "{providers} × {agents}");
    let rows = app.areas().matrix_rows();
    assert_eq!(app.cursor.row, providers - 1);
    assert_eq!(app.cursor.row_offset, providers - rows);
    app.update(Msg::Resize(80, 24));
    let (rows, cols) = (
        app.areas().matrix_rows(),
        app.areas().matrix_cols(&app.index),
    );
    assert!(rows < 20 && cols < 5, "smaller window: {rows}×{cols}");
    assert_eq!(app.cursor.row_offset, providers - rows);
    assert_eq!(app.cursor.col_offset, agents - cols);
    app.update(key(KeyCode::Home));
    app.update(ch('0'));
    assert_eq!((app.cursor.row_offset, app.cursor.col_offset), (0, 0));
    app.update(Msg::Tick);
    assert_eq!((app.cursor.row, app.cursor.col), (0, 0));
}

#[test]
fn the_keymap_has_one_action_per_key_and_context() {
    use clawauth::tui::keymap::{KEYMAP, help_sections, key_name};
    for (i, a) in KEYMAP.iter().enumerate() {
        for b in &KEYMAP[i + 1..] {
            let same_key = a.code == b.code && a.mods == b.mods;
            assert!(
                !(same_key && a.context == b.context),
                "{} is bound twice in {:?}",
                key_name(a.code, a.mods),
                a.context
            );
        }
    }
    let listed: usize = help_sections()
        .iter()
        .flat_map(|(_, lines)| lines)
        .map(|l| l.keys.split(", ").count())
        .sum();
    assert_eq!(listed, KEYMAP.len(), "the help lists every binding");
}

#[test]
fn the_hint_bar_shows_the_keys_of_the_current_page() {
    use clawauth::tui::keymap::{Context, hints};
    let overview: Vec<&str> = hints(Context::Overview).iter().map(|h| h.0).collect();
    assert_eq!(
        overview,
        ["↑↓←→", "a", "f", "c/R", "n/N", "Tab", "/", "r", "?", "q"]
    );
    let filter: Vec<&str> = hints(Context::Filter).iter().map(|h| h.0).collect();
    assert_eq!(filter, ["Enter", "Esc"]);
    let help: Vec<&str> = hints(Context::Help).iter().map(|h| h.0).collect();
    assert_eq!(help, ["↑↓", "Esc"]);
}

#[test]
fn random_keys_at_any_size_never_panic_and_keep_the_cursor_in_bounds() {
    let keys = [
        key(KeyCode::Up),
        key(KeyCode::Down),
        key(KeyCode::Left),
        key(KeyCode::Right),
        key(KeyCode::PageUp),
        key(KeyCode::PageDown),
        key(KeyCode::Home),
        key(KeyCode::End),
        key(KeyCode::Tab),
        key(KeyCode::Esc),
        key(KeyCode::Enter),
        key(KeyCode::Backspace),
        ch('/'),
        ch('?'),
        ch('n'),
        ch('N'),
        ch('J'),
        ch('K'),
        ch('$'),
        ch('0'),
        ch('o'),
        ch('r'),
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let fleet = fleet_report(12, 30);
    for (width, height) in [(1, 1), (60, 16), (80, 24), (120, 40), (250, 70)] {
        for report in [demo_report(), fleet.clone()] {
            let mut app = app(report, width, height);
            for _ in 0..200 {
                let msg = match keys[next(keys.len())] {
                    Msg::Key(k) => Msg::Key(k),
                    _ => unreachable!(),
                };
                if app.update(msg) == Effect::Reload {
                    app.update(Msg::Reloaded(Err("offline".into())));
                }
                render_text(&app);
                assert!(app.rows.is_empty() || app.cursor.row < app.rows.len());
                assert!(app.cols.is_empty() || app.cursor.col < app.cols.len());
                assert!(app.cursor.row_offset <= app.cursor.row.max(app.rows.len()));
            }
        }
    }
}

/// The README's key table, as generated from the keymap.
fn keys_table() -> String {
    use clawauth::tui::keymap::help_sections;
    let mut out = String::from("| where | keys | what |\n|---|---|---|\n");
    for (context, lines) in help_sections() {
        for l in lines {
            let keys = l.keys.replace('|', "\\|");
            out.push_str(&format!(
                "| {} | `{keys}` | {} |\n",
                context.title(),
                l.help
            ));
        }
    }
    out
}

#[test]
fn the_readme_key_table_matches_the_keymap() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = keys_table();
    assert!(
        readme.contains(&table),
        "README.md's key table is out of date; it should read:\n{table}"
    );
}
