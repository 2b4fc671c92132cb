//! Fixtures for the terminal UI tests: reports of the demo state and of a
//! generated fleet, key events, and rendering into a `TestBackend`.
#![allow(dead_code)]

pub mod tmux;

use crate::common::copy_demo;

use clawauth::domain::read::discovery::{DiscoverOptions, discover};
use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::domain::read::paths::PathOverrides;
use clawauth::domain::status::report::{Report, build_report};
use clawauth::tui::app::{App, Msg};
use clawauth::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::path::Path;

/// Where snapshots claim the state lives, instead of a random temp dir.
pub const SHOWN_STATE_DIR: &str = "/home/user/.openclaw";
/// 2026-01-01T00:00:00Z: expiry verdicts do not depend on the day the tests run.
const NOW_MS: f64 = 1_767_225_600_000.0;

/// Discovery and the full report of the state at `state`, as `clawauth` builds it.
pub fn report_of(state: &Path, env: &EnvSnapshot) -> Report {
    let options = DiscoverOptions {
        paths: PathOverrides {
            state_dir: Some(state.to_path_buf()),
            ..Default::default()
        },
        executable_version: None,
        now_ms: NOW_MS,
    };
    let d = discover(&options, env).unwrap();
    build_report(&d)
}

/// The report of `assets/demo` (what `clawauth demo` shows), with paths under
/// `SHOWN_STATE_DIR` so snapshots are the same on every machine.
pub fn demo_report() -> Report {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    copy_demo(&state);
    let mut report = report_of(&state, &clawauth::service::demo::demo_env(&state));
    relabel(&mut report, state.to_str().unwrap(), SHOWN_STATE_DIR);
    report
}

/// Replaces `from` by `to` in every path-bearing text of the report.
pub fn relabel(r: &mut Report, from: &str, to: &str) {
    let fix = |s: &mut String| *s = s.replace(from, to);
    fix(&mut r.state_dir);
    r.config_path.iter_mut().for_each(fix);
    fix(&mut r.generation_reason);
    for a in &mut r.agents {
        fix(&mut a.dir);
        fix(&mut a.store);
    }
    for c in &mut r.cells {
        c.reasons.iter_mut().for_each(fix);
        c.file.iter_mut().for_each(fix);
        c.fix.iter_mut().for_each(fix);
    }
    for p in &mut r.problems {
        fix(&mut p.file);
        fix(&mut p.message);
        p.fix.iter_mut().for_each(fix);
    }
}

/// The report of a generated fleet of `agents` × `providers`, paths relabelled.
pub fn fleet_report(agents: usize, providers: usize) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    write_fleet(&state, agents, providers);
    let env = EnvSnapshot::from_pairs([("HOME", state.display().to_string())]);
    let mut report = report_of(&state, &env);
    relabel(&mut report, state.to_str().unwrap(), SHOWN_STATE_DIR);
    report
}

/// Writes `content` with OpenClaw's file mode (0600), creating parent dirs (0700).
fn write_private(path: &Path, content: String) {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let parent = path.parent().unwrap();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(parent)
        .unwrap();
    std::fs::write(path, content).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// The fleet of `benches/fleet.rs`: every agent has 20 profiles, 50 cron jobs.
pub fn write_fleet(root: &Path, agents: usize, providers: usize) {
    use serde_json::{Map, Value, json};
    let names: Vec<String> = (0..providers).map(|i| format!("prov-{i:03}")).collect();
    let declared: Map<String, Value> = names
        .iter()
        .map(|p| (p.clone(), json!({"baseUrl": format!("https://{p}.invalid/v1"), "api": "openai-completions", "models": [{"id": "m", "name": "m"}]})))
        .collect();
    let list: Vec<Value> = (0..agents)
        .map(|i| json!({"id": format!("agent-{i:03}"), "model": format!("prov-{:03}/m", i % providers)}))
        .collect();
    let config = json!({"agents": {"list": list}, "models": {"providers": declared}});
    write_private(&root.join("openclaw.json"), config.to_string());
    for i in 0..agents {
        let dir = root.join(format!("agents/agent-{i:03}/agent"));
        let profiles: Map<String, Value> = (0..20)
            .map(|j| {
                let p = &names[(i * 7 + j * 11) % providers];
                let v = match j % 3 {
                    0 => json!({"type": "api_key", "provider": p, "key": format!("sk-bench-{i}-{j}")}),
                    1 => json!({"type": "token", "provider": p, "token": format!("tok-{i}-{j}"), "expires": 4102444800000_i64}),
                    _ => json!({"type": "oauth", "provider": p, "access": "a", "refresh": "r", "expires": 4102444800000_i64}),
                };
                (format!("{p}:p{j}"), v)
            })
            .collect();
        let store = json!({"version": 1, "profiles": profiles});
        write_private(&dir.join("auth-profiles.json"), store.to_string());
    }
    let jobs: Vec<Value> = (0..50)
        .map(|i| json!({"id": format!("job-{i}"), "agentId": format!("agent-{:03}", (i * 2) % agents), "sessionTarget": "isolated", "payload": {"kind": "agentTurn", "model": format!("prov-{:03}/m", (i * 13) % providers)}}))
        .collect();
    let cron = json!({"version": 1, "jobs": jobs});
    write_private(&root.join("cron/jobs.json"), cron.to_string());
}

pub fn app(report: Report, width: u16, height: u16) -> App {
    App::new(report, Theme::colored()).with_size(width, height)
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    let mods = match c.is_ascii_uppercase() {
        true => KeyModifiers::SHIFT,
        false => KeyModifiers::NONE,
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Sends every character of `text` as a key press.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

pub fn render(app: &App) -> Buffer {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| clawauth::tui::view::render(app, frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row, trailing spaces removed.
pub fn screen(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    buffer
        .content()
        .chunks(width)
        .map(|row| {
            let line: String = row.iter().map(|cell| cell.symbol()).collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn render_text(app: &App) -> String {
    screen(&render(app))
}

/// A copy of `assets/demo` on disk with the backend the runner would use on it,
/// so flows get real plans and real writes (no `openclaw` on PATH).
pub struct DemoState {
    _dir: tempfile::TempDir,
    pub state: std::path::PathBuf,
    pub backend: clawauth::tui::backend::Backend,
}

pub fn demo_state() -> DemoState {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    copy_demo(&state);
    let session = clawauth::service::session::Session {
        state_dir: Some(state.clone()),
        ..clawauth::service::session::Session::from_env(clawauth::service::demo::demo_env(&state))
    };
    let backend = clawauth::tui::backend::Backend::new(session);
    DemoState {
        _dir: dir,
        state,
        backend,
    }
}

impl DemoState {
    /// The plan the runner would send back, with paths shown under `SHOWN_STATE_DIR`.
    pub fn plan(
        &self,
        request: &clawauth::tui::msg::PlanRequest,
    ) -> clawauth::tui::msg::StagedPlan {
        let mut staged = self.backend.plan(request).expect("plans");
        relabel_preview(
            &mut staged.preview,
            self.state.to_str().unwrap(),
            SHOWN_STATE_DIR,
        );
        staged
    }

    /// The state as it is on disk now, paths relabelled.
    pub fn report(&self) -> Report {
        let mut report = self.backend.report().unwrap();
        relabel(&mut report, self.state.to_str().unwrap(), SHOWN_STATE_DIR);
        report
    }
}

/// Replaces `from` by `to` in every text of a plan preview.
pub fn relabel_preview(p: &mut clawauth::domain::ops::plan::PlanPreview, from: &str, to: &str) {
    let fix = |s: &mut String| *s = s.replace(from, to);
    fix(&mut p.title);
    for f in &mut p.files {
        fix(&mut f.path);
        fix(&mut f.diff);
        f.summary.iter_mut().for_each(fix);
    }
    for list in [
        &mut p.chmods,
        &mut p.commands,
        &mut p.warnings,
        &mut p.notes,
        &mut p.manual,
    ] {
        list.iter_mut().for_each(fix);
    }
    for g in &mut p.key_groups {
        g.holders.iter_mut().for_each(|h| fix(&mut h.store));
    }
}

/// The add wizard of `app` (panics when another flow is running).
pub fn add_wizard(app: &App) -> &clawauth::tui::app::add::AddWizard {
    let add = app.screens().iter().find_map(|s| match s {
        clawauth::tui::app::Screen::Add(w) => Some(&**w),
        _ => None,
    });
    add.unwrap_or_else(|| panic!("not the add wizard: {app:?}"))
}
