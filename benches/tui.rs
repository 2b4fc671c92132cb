//! Terminal UI benchmark: time to first frame and per-key redraw of the overview
//! on generated fleets of 100 and 1,000 agents × 200 providers (50 cron jobs),
//! drawn into ratatui's `TestBackend` at 120×40.
//! Run with `cargo bench --bench tui`.
//!
//! Figures (2 cores, 2026-12-05, `uptime` load 1.7-2.7, medians, after the status
//! fixes of branch perf): 1,000 agents: first frame 74.9 ms (target < 50 ms: not
//! met), per-key update + redraw 0.31 ms (max 19.8 ms; target < 16 ms: median met);
//! 100 agents: 5.7 ms and 0.27 ms.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/tui_support/mod.rs"]
mod support;

use clawauth::domain::read::envsnap::EnvSnapshot;
use clawauth::tui::app::{App, Msg};
use clawauth::tui::theme::Theme;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};
use support::{ch, key, report_of, write_fleet};

/// Agent counts of the generated fleets.
const FLEETS: [usize; 2] = [100, 1000];
const PROVIDERS: usize = 200;
const RUNS: usize = 20;
const SIZE: (u16, u16) = (120, 40);

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|frame| clawauth::tui::view::render(app, frame))
        .unwrap();
}

/// App construction (index build) plus the first full draw.
fn first_frame(report: &clawauth::domain::status::report::Report) -> Duration {
    let report = report.clone();
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let start = Instant::now();
    let app = App::new(report, Theme::colored()).with_size(SIZE.0, SIZE.1);
    draw(&mut terminal, &app);
    start.elapsed()
}

/// A mix of moves, jumps, filtering and focus changes, each followed by a redraw.
fn keys() -> Vec<Msg> {
    let mut keys = Vec::new();
    for _ in 0..20 {
        keys.extend([key(KeyCode::Down), key(KeyCode::Right), ch('n')]);
    }
    keys.extend([key(KeyCode::PageDown), key(KeyCode::End), ch('$'), ch('N')]);
    keys.extend([
        ch('/'),
        ch('9'),
        ch('9'),
        key(KeyCode::Backspace),
        key(KeyCode::Esc),
    ]);
    keys.extend([
        key(KeyCode::Tab),
        key(KeyCode::PageDown),
        key(KeyCode::Tab),
        ch('?'),
    ]);
    keys.extend([key(KeyCode::Esc), key(KeyCode::Home), ch('0')]);
    keys
}

fn per_key(report: &clawauth::domain::status::report::Report) -> Vec<Duration> {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let mut app = App::new(report.clone(), Theme::colored()).with_size(SIZE.0, SIZE.1);
    draw(&mut terminal, &app);
    keys()
        .into_iter()
        .map(|msg| {
            let start = Instant::now();
            app.update(msg);
            draw(&mut terminal, &app);
            start.elapsed()
        })
        .collect()
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len();
    println!(
        "{label}: min {:.2} ms, median {:.2} ms, max {:.2} ms ({n} samples)",
        ms(times[0]),
        ms(times[n / 2]),
        ms(times[n - 1])
    );
}

fn main() {
    for agents in FLEETS {
        bench_fleet(agents);
    }
}

fn bench_fleet(agents: usize) {
    let dir = tempfile::tempdir().unwrap();
    write_fleet(dir.path(), agents, PROVIDERS);
    let env = EnvSnapshot::from_pairs([("HOME", dir.path().display().to_string())]);
    let reads: Vec<(Duration, _)> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let report = report_of(dir.path(), &env);
            (start.elapsed(), report)
        })
        .collect();
    let report = reads[0].1.clone();
    println!(
        "tui: {agents} agents x {PROVIDERS} providers ({} cells), {}x{} TestBackend",
        report.cells.len(),
        SIZE.0,
        SIZE.1
    );
    summary(
        "reading the state + building the report (domain, before the UI starts)",
        reads.into_iter().map(|(t, _)| t).collect(),
    );
    summary(
        "first frame (index + layout + draw)",
        (0..RUNS).map(|_| first_frame(&report)).collect(),
    );
    summary(
        "per-key update + redraw",
        (0..RUNS).flat_map(|_| per_key(&report)).collect(),
    );
}
