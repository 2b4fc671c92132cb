//! The header: where the state comes from (or that it is the demo), and the one
//! thing to fix first.

use super::cells::{fit, fit_left};
use crate::domain::status::cronjobs::job_line;
use crate::domain::text::{count, safe};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What the demo banner says.
pub(crate) const DEMO_BANNER: &str = " DEMO — nothing on your machine is read or changed ";

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
    let lines = vec![
        paths_line(app, width),
        store_line(app),
        cron_line(app, width),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// The state dir and config, each cut at the start with "…" when the line is too
/// narrow (the file name is the end worth keeping); the demo banner first.
fn paths_line(app: &App, width: usize) -> Line<'static> {
    let r = &app.report;
    let t = &app.theme;
    let mut spans = Vec::new();
    if app.demo {
        spans.push(Span::styled(
            DEMO_BANNER,
            t.urgent.add_modifier(ratatui::style::Modifier::REVERSED),
        ));
        spans.push(Span::raw(" "));
    }
    let dir = safe(&r.state_dir);
    let config = safe(r.config_path.as_deref().unwrap_or("(none)"));
    let used: usize = spans.iter().map(Span::width).sum();
    let room = width.saturating_sub(used + " State dir   Config ".len());
    let (dir_room, config_room) = split_room(dir.chars().count(), config.chars().count(), room);
    spans.extend([
        Span::styled(" State dir ", t.heading),
        Span::raw(fit_left(&dir, dir_room)),
        Span::styled("  Config ", t.heading),
        Span::raw(fit_left(&config, config_room)),
    ]);
    Line::from(spans)
}

/// Columns for two texts sharing `room`: each gets what it needs when both fit,
/// else the shorter keeps up to half and the other takes the rest.
fn split_room(a: usize, b: usize, room: usize) -> (usize, usize) {
    if a + b <= room {
        return (a, b);
    }
    let half = room / 2;
    match (a <= half, b <= half) {
        (true, _) => (a, room - a),
        (_, true) => (room - b, b),
        _ => (half, room - half),
    }
}

fn store_line(app: &App) -> Line<'static> {
    let (r, t) = (&app.report, &app.theme);
    let version = match &r.openclaw_version {
        Some(v) => format!("OpenClaw {}", safe(v)),
        None => "OpenClaw version unknown".into(),
    };
    let mut spans = vec![
        Span::styled(" Store ", t.heading),
        Span::raw(format!("{}, {version}", r.generation)),
    ];
    // Before the fleet size: on a narrow screen the end of the line is cut.
    if let Some(g) = &r.gateway {
        spans.push(Span::styled("  Gateway ", t.heading));
        spans.push(Span::styled(
            format!("running (pid {}): reload it after changes", g.pid),
            t.warn,
        ));
    }
    spans.push(Span::styled("  Fleet ", t.heading));
    spans.push(Span::raw(format!(
        "{} × {}",
        count(r.agents.len(), "agent"),
        count(r.providers.len(), "provider")
    )));
    Line::from(spans)
}

/// The first cron job at risk, as the text status names it: by name, enabled or
/// not, its last error and when, and the cell it needs.
fn cron_line(app: &App, width: usize) -> Line<'static> {
    let (r, i, t) = (&app.report, &app.index, &app.theme);
    let Some(job) = i
        .cron_jobs_at_risk
        .first()
        .and_then(|&n| r.cron_jobs.get(n))
    else {
        return Line::styled(" ✓ No cron job is missing a credential.", t.good);
    };
    let more = match i.cron_jobs_at_risk.len() - 1 {
        0 => String::new(),
        n => format!(" (+{} more)", n),
    };
    let room = width.saturating_sub(" ✗ cron ".chars().count() + more.chars().count());
    let text = fit(&job_line(job, &r.cells), room);
    Line::styled(format!(" ✗ cron {text}{more}"), t.urgent)
}
