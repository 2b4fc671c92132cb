//! The wizard screens: a title, the steps, the page's list or form, the keys.
//! Secret fields draw only their mask, unless the user revealed them.

use super::cells::fit;
use crate::tui::app::{App, Body, Checklist, Choice, Form, Page, Screen};
use crate::tui::field::Field;
use crate::tui::text::rotate::store_notes;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

const LABEL_WIDTH: usize = 14;

pub(crate) fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(screen) = app.base_screen() else {
        return;
    };
    let Some((title, steps, current)) = screen.heading() else {
        return;
    };
    let [title_area, steps_area, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let t = &app.theme;
    let heading = format!(" {}", fit(&title, area.width as usize - 1));
    frame.render_widget(Line::styled(heading, t.heading), title_area);
    frame.render_widget(step_line(app, steps, current), steps_area);
    let page = app.base_page();
    let block = Block::bordered()
        .border_type(BorderType::Plain)
        .border_style(t.border_focused)
        .title(Line::styled(
            format!(" {} ", page_title(app, page)),
            t.heading,
        ));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    match screen {
        Screen::Review(review) => super::review::render(app, review, frame, inner),
        _ => render_step(app, screen, frame, inner),
    }
    super::hints::render(app, frame, hints);
}

fn render_step(app: &App, screen: &Screen, frame: &mut Frame, area: Rect) {
    match screen.body() {
        Some(Body::Form(form)) => render_form(app, form, frame, area),
        Some(Body::Choice(list)) => render_choice(app, list, frame, area),
        Some(Body::Checklist(list)) => render_checklist(app, list, frame, area),
        None => {}
    }
}

/// "provider › type › secret › …" with the current step marked.
fn step_line(app: &App, steps: &[&str], current: usize) -> Line<'static> {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    for (i, name) in steps.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", t.muted));
        }
        let style = match i.cmp(&current) {
            std::cmp::Ordering::Less => ratatui::style::Style::new(),
            std::cmp::Ordering::Equal => t.selected,
            std::cmp::Ordering::Greater => t.muted,
        };
        let marker = if i < current { "✓ " } else { "" };
        spans.push(Span::styled(format!("{marker}{name}"), style));
    }
    Line::from(spans)
}

fn page_title(app: &App, page: Page) -> String {
    let provider = match app.base_screen() {
        Some(Screen::Add(w)) => w.provider.clone(),
        Some(Screen::Rotate(w)) => w.provider.clone(),
        _ => String::new(),
    };
    match page {
        Page::Provider => "Which provider?".into(),
        Page::ProviderId => "Which provider id?".into(),
        Page::CustomProvider => "Declare a custom provider (written to openclaw.json)".into(),
        Page::ApiKind => match app.base_screen() {
            Some(Screen::Add(w)) => format!(
                "Which API does {} speak?",
                w.pending.clone().unwrap_or_default()
            ),
            _ => String::new(),
        },
        Page::CredType => format!("Which kind of credential for {provider}?"),
        Page::OAuthSource => format!("Where does the {provider} login come from?"),
        Page::Secret => format!("The {provider} credential"),
        Page::Targets => "Where to write it?".into(),
        Page::CopySource => "Copy from which agent?".into(),
        Page::CopyProfiles => "Which profiles?".into(),
        Page::CopyDestinations => "To which agents?".into(),
        Page::CopyConflicts => "When a destination already has a different profile".into(),
        Page::RotateSecret => format!("The new {provider} key"),
        Page::RotateAgents => format!("Which stores holding {provider}?"),
        Page::Review => "Review: nothing is written until you confirm".into(),
        Page::Applying => "Applying".into(),
        Page::Result => "Result".into(),
        _ => String::new(),
    }
}

/// Splits the body: the list on top, notes under it.
fn list_and_notes(area: Rect, entries: usize, notes: &[Line]) -> (Rect, Rect) {
    let notes_height = (notes.len() as u16 + 1).min(area.height / 2);
    let list_height = (entries as u16).min(area.height.saturating_sub(notes_height));
    let [list, _, rest] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    (list, rest)
}

/// The first entry to draw so that `selected` is visible in `rows` rows.
fn offset(selected: usize, rows: u16) -> usize {
    selected.saturating_sub((rows as usize).saturating_sub(1))
}

fn render_choice(app: &App, list: &Choice, frame: &mut Frame, area: Rect) {
    let notes = choice_notes(app, list);
    let label = |i: usize| match list.recommended == Some(i) {
        true => format!("{} (recommended)", list.items[i].label),
        false => list.items[i].label.clone(),
    };
    let rows = Rows {
        count: list.items.len(),
        selected: list.selected,
        label: &label,
        detail: &|i| list.items[i].detail.as_str(),
    };
    render_rows(app, &rows, notes, list.items.len(), frame, area);
}

fn render_checklist(app: &App, list: &Checklist, frame: &mut Frame, area: Rect) {
    let notes = checklist_notes(app);
    let label = |i: usize| {
        let mark = match (&list.items[i].blocked, list.checked[i]) {
            (Some(_), _) => "[-]",
            (None, true) => "[x]",
            (None, false) => "[ ]",
        };
        format!("{mark} {}", list.items[i].label)
    };
    let rows = Rows {
        count: list.items.len(),
        selected: list.selected,
        label: &label,
        detail: &|i| list.items[i].detail.as_str(),
    };
    render_rows(app, &rows, notes, list.items.len().max(1), frame, area);
}

/// The entries of a choice or checklist: a label and a detail per row.
struct Rows<'a> {
    count: usize,
    selected: usize,
    label: &'a dyn Fn(usize) -> String,
    detail: &'a dyn Fn(usize) -> &'a str,
}

/// The rows (scrolled to the selection, labels in one column) above their notes;
/// `height` rows are kept for the list.
fn render_rows(
    app: &App,
    rows: &Rows,
    notes: Vec<Line<'static>>,
    height: usize,
    frame: &mut Frame,
    area: Rect,
) {
    let (top, bottom) = list_and_notes(area, height, &notes);
    let width = top.width as usize;
    let column = label_column((0..rows.count).map(rows.label), width);
    let lines: Vec<Line> = (offset(rows.selected, top.height)..rows.count)
        .take(top.height as usize)
        .map(|i| {
            let label = (rows.label)(i);
            entry_line(
                &app.theme,
                i == rows.selected,
                &label,
                (rows.detail)(i),
                column,
                width,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(super::safe::safe_lines(lines)), top);
    frame.render_widget(
        Paragraph::new(super::safe::safe_lines(notes)).wrap(Wrap { trim: false }),
        bottom,
    );
}

/// The width of the label column: the widest label, at most half the line.
fn label_column(labels: impl Iterator<Item = String>, width: usize) -> usize {
    let widest = labels.map(|l| l.chars().count()).max().unwrap_or(0);
    widest.clamp(LABEL_WIDTH, (width / 2).max(LABEL_WIDTH))
}

/// "▶ label   detail", the selected entry reversed.
fn entry_line(
    t: &Theme,
    selected: bool,
    label: &str,
    detail: &str,
    column: usize,
    width: usize,
) -> Line<'static> {
    let marker = if selected { "▶ " } else { "  " };
    let label = fit(label, column);
    let head = format!("{marker}{label:<column$} ");
    let rest = fit(detail, width.saturating_sub(head.chars().count()));
    let head_style = if selected {
        t.selected
    } else {
        ratatui::style::Style::new()
    };
    Line::from(vec![
        Span::styled(head, head_style),
        Span::styled(rest, t.muted),
    ])
}

fn note(t: &Theme, text: impl Into<String>) -> Line<'static> {
    Line::styled(text.into(), t.muted)
}

fn warn(t: &Theme, text: impl Into<String>) -> Line<'static> {
    Line::styled(format!("! {}", text.into()), t.warn)
}

fn choice_notes(app: &App, list: &Choice) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    if let Some(item) = list.current().filter(|i| !i.detail.is_empty()) {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", item.label), t.heading),
            Span::raw(item.detail.clone()),
        ]));
    }
    match (app.base_page(), app.base_screen()) {
        (Page::CredType, Some(Screen::Add(w))) => {
            let name = list.recommended.map(|i| list.items[i].label.clone());
            let text = format!(
                "Recommended: {} ({})",
                name.unwrap_or_default(),
                w.recommendation
            );
            lines.push(note(t, text));
        }
        (Page::Provider, Some(Screen::Add(w))) => lines.push(note(
            t,
            format!("Built-in providers: {}.", w.builtins_source),
        )),
        (Page::ApiKind, _) => lines.push(note(
            t,
            "The API kinds this OpenClaw accepts for models.providers.<id>.api.",
        )),
        (Page::CopySource, _) => {
            lines.push(note(t, "Profiles are copied from this agent's own store."))
        }
        _ => {}
    }
    lines
}

fn checklist_notes(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    match (app.base_page(), app.base_screen()) {
        (Page::Targets, Some(Screen::Add(w))) => {
            let mut lines = vec![note(
                t,
                format!(
                    "Pre-ticked: agents whose cron jobs need {} and cannot use it (else the selected cell's agent). The shared store excludes the others.",
                    w.provider
                ),
            )];
            lines.extend(w.warnings.iter().map(|x| warn(t, x.clone())));
            lines
        }
        (Page::CopyProfiles, Some(Screen::Copy(w))) => match &w.profiles {
            None => vec![note(t, format!("Reading agent {}'s store…", w.from))],
            Some(Err(e)) => vec![Line::styled(format!("✗ {e}"), t.error_text)],
            Some(Ok(list)) if list.is_empty() => vec![note(t, "This store holds no profiles.")],
            Some(Ok(_)) => vec![note(
                t,
                "Portable profiles are ticked. OAuth logins are not, unless you tick them.",
            )],
        },
        (Page::CopyDestinations, Some(Screen::Copy(w))) if w.fix.is_some() => {
            w.fix.iter().map(|f| note(t, f.clone())).collect()
        }
        (Page::CopyDestinations, _) => vec![note(
            t,
            "Pre-ticked: agents whose cron jobs need one of these providers and cannot use it.",
        )],
        (Page::RotateAgents, Some(Screen::Rotate(w))) => match &w.groups {
            None => vec![note(
                t,
                format!("Reading the stores that hold {}…", w.provider),
            )],
            Some(Err(e)) => vec![Line::styled(format!("✗ {e}"), t.error_text)],
            Some(Ok(groups)) => store_notes(groups)
                .into_iter()
                .map(|n| note(t, n))
                .collect(),
        },
        _ => Vec::new(),
    }
}

/// Rows a field's input takes.
fn input_rows(field: &Field) -> u16 {
    if field.is_multiline() { 4 } else { 1 }
}

/// The first field to draw so that the focused one fits (small terminals).
fn first_field(form: &Form, height: u16) -> usize {
    let mut used = 0;
    let mut first = form.focus.min(form.fields.len().saturating_sub(1));
    for i in (0..=first).rev() {
        used += input_rows(&form.fields[i]) + 3;
        if used > height + 1 {
            break;
        }
        first = i;
    }
    first
}

fn render_form(app: &App, form: &Form, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut y = area.y;
    let first = first_field(form, area.height);
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        let rows = input_rows(field);
        if y + rows + 2 > area.bottom() {
            break;
        }
        let row = Rect::new(area.x, y, area.width, rows);
        render_field(t, field, i == form.focus, frame, row);
        let help = match (&field.error, field.revealed) {
            (Some(e), _) => Line::styled(format!("✗ {e}"), t.error_text),
            (None, true) => Line::styled("Shown in clear text: Ctrl-R hides it again.", t.warn),
            (None, false) => Line::styled(field.help.clone(), t.muted),
        };
        let under = Rect::new(
            area.x + LABEL_WIDTH as u16 + 2,
            y + rows,
            area.width.saturating_sub(LABEL_WIDTH as u16 + 3),
            2,
        );
        frame.render_widget(Paragraph::new(help).wrap(Wrap { trim: true }), under);
        y += rows + 3;
    }
}

fn render_field(t: &Theme, field: &Field, focused: bool, frame: &mut Frame, row: Rect) {
    let marker = if focused { "▶ " } else { "  " };
    let label = fit(field.label, LABEL_WIDTH);
    let style = if focused {
        t.heading
    } else {
        ratatui::style::Style::new()
    };
    let head = Rect::new(row.x, row.y, LABEL_WIDTH as u16 + 2, 1);
    frame.render_widget(Span::styled(format!("{marker}{label}"), style), head);
    let input = Rect::new(
        row.x + LABEL_WIDTH as u16 + 2,
        row.y,
        row.width.saturating_sub(LABEL_WIDTH as u16 + 3),
        row.height,
    );
    let underline = ratatui::style::Style::new().add_modifier(Modifier::UNDERLINED);
    frame.buffer_mut().set_style(input, underline);
    match placeholder(field, focused) {
        Some(line) => frame.render_widget(line, input),
        None => frame.render_widget(field.textarea(), input),
    }
}

/// An empty field's placeholder, starting in the column typed text starts in (the
/// text area draws it one column to the right of its cursor), the cursor on its
/// first character when focused: every field's value lines up.
fn placeholder(field: &Field, focused: bool) -> Option<Line<'static>> {
    let area = field.textarea();
    if !area.is_empty() || area.placeholder_text().is_empty() {
        return None;
    }
    let style = area.placeholder_style().unwrap_or_default();
    let mut chars = area.placeholder_text().chars();
    let first: String = chars.next().into_iter().collect();
    let cursor = if focused { area.cursor_style() } else { style };
    Some(Line::from(vec![
        Span::styled(first, cursor),
        Span::styled(chars.as_str().to_string(), style),
    ]))
}
