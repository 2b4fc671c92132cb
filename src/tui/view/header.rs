//! The header: where the state comes from, and the one thing to fix first.

use super::cells::fit;
use crate::domain::text::{count, safe};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let lines = vec![paths_line(app), store_line(app), cron_line(app)];
    frame.render_widget(Paragraph::new(lines), area);
}

fn paths_line(app: &App) -> Line<'static> {
    let r = &app.report;
    let t = &app.theme;
    Line::from(vec![
        Span::styled(" State dir ", t.heading),
        Span::raw(safe(&r.state_dir)),
        Span::styled("  Config ", t.heading),
        Span::raw(safe(r.config_path.as_deref().unwrap_or("(none)"))),
    ])
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

/// The cron jobs that will fail, named plainly.
fn cron_line(app: &App) -> Line<'static> {
    let (i, t) = (&app.index, &app.theme);
    let Some(&(row, col)) = i.cron_at_risk.first() else {
        return Line::styled(" ✓ No cron job is missing a credential.", t.good);
    };
    let Some(cell) = i.cell(&app.report, row, col) else {
        return Line::raw("");
    };
    let more = match i.cron_at_risk.len() - 1 {
        0 => String::new(),
        n => format!(" ({n} more: press n)"),
    };
    let jobs = fit(&safe(&cell.cron.join(", ")), 40);
    Line::styled(
        format!(
            " ✗ cron {jobs} fails: agent {} has no usable {} credential{more}",
            safe(&cell.agent),
            safe(&cell.provider)
        ),
        t.urgent,
    )
}
