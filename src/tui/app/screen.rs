//! The pages of the UI: each owns its state; the app keeps them on a stack over
//! the overview. `Page` names what a page shows now (for the keymap, the views, tests).

use super::add::{AddStep, AddWizard};
use super::copy::{CopyStep, CopyWizard};
use super::help::HelpPage;
use super::review::ReviewPage;
use super::rotate::{RotateStep, RotateWizard};
use super::steps::{Body, Form};
use crate::tui::keymap::Context;
use crate::tui::outcome::Phase;

/// What a page shows now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Overview,
    Help,
    /// Typing the filter text (over the overview).
    Filter,
    /// Add or replace: the provider.
    Provider,
    /// Add or replace: a provider id typed in.
    ProviderId,
    /// Add or replace: a custom provider's id, base URL and model ids.
    CustomProvider,
    /// Add or replace: the custom provider's API kind.
    ApiKind,
    /// Add or replace: api_key, token or oauth.
    CredType,
    /// Add or replace (oauth): sign in with OpenClaw, import, or paste JSON.
    OAuthSource,
    /// Add or replace: the secret (or OAuth JSON), profile id, expiry, email.
    Secret,
    /// Add or replace: the stores to write.
    Targets,
    CopySource,
    CopyProfiles,
    CopyDestinations,
    CopyConflicts,
    RotateSecret,
    RotateAgents,
    /// The plan with its redacted diff; Enter asks, then applies.
    Review,
    /// While the plan is written and verified.
    Applying,
    /// ✓/✗ per file, command and verification.
    Result,
    /// "Discard and quit? y/N" (over any page).
    ConfirmQuit,
}

impl Page {
    /// Pages drawn over the page below them.
    pub(crate) fn is_overlay(self) -> bool {
        matches!(self, Page::Help | Page::ConfirmQuit)
    }

    pub(crate) fn context(self) -> Context {
        match self {
            Page::Overview => Context::Overview,
            Page::Help => Context::Help,
            Page::Filter => Context::Filter,
            Page::Provider | Page::CredType | Page::OAuthSource | Page::ApiKind => Context::Choice,
            Page::CopySource | Page::CopyConflicts => Context::Choice,
            Page::Targets | Page::CopyProfiles => Context::Checklist,
            Page::CopyDestinations | Page::RotateAgents => Context::Checklist,
            Page::Secret | Page::RotateSecret | Page::ProviderId | Page::CustomProvider => {
                Context::Form
            }
            Page::Review => Context::Review,
            Page::Applying => Context::Applying,
            Page::Result => Context::Result,
            Page::ConfirmQuit => Context::ConfirmQuit,
        }
    }
}

/// A page over the overview, with its state.
#[derive(Debug)]
pub enum Screen {
    /// Typing the filter text (the text is the overview's).
    Filter,
    Help(HelpPage),
    /// "Discard and quit? y/N".
    ConfirmQuit,
    Add(Box<AddWizard>),
    Copy(Box<CopyWizard>),
    Rotate(Box<RotateWizard>),
    /// The review, applying and the result of a flow (a repair starts here).
    Review(Box<ReviewPage>),
}

impl Screen {
    pub(crate) fn page(&self) -> Page {
        match self {
            Screen::Filter => Page::Filter,
            Screen::Help(_) => Page::Help,
            Screen::ConfirmQuit => Page::ConfirmQuit,
            Screen::Add(w) => add_page(w.step()),
            Screen::Copy(w) => copy_page(w.step()),
            Screen::Rotate(w) => match w.step {
                RotateStep::NewKey => Page::RotateSecret,
                RotateStep::Stores(_) => Page::RotateAgents,
            },
            Screen::Review(r) => match r.phase {
                Phase::Applying(_) => Page::Applying,
                Phase::Done(_) => Page::Result,
                _ => Page::Review,
            },
        }
    }

    /// Every step this page went through, the current one last.
    pub(crate) fn pages(&self) -> Vec<Page> {
        match self {
            Screen::Add(w) => std::iter::once(AddStep::Provider)
                .chain(w.path.iter().copied())
                .map(add_page)
                .collect(),
            Screen::Copy(w) => std::iter::once(CopyStep::Source)
                .chain(w.path.iter().copied())
                .map(copy_page)
                .collect(),
            Screen::Rotate(w) => match w.step {
                RotateStep::NewKey => vec![Page::RotateSecret],
                RotateStep::Stores(_) => vec![Page::RotateSecret, Page::RotateAgents],
            },
            other => vec![other.page()],
        }
    }

    pub(crate) fn is_overlay(&self) -> bool {
        self.page().is_overlay()
    }

    /// A flow's title, its steps and the current one; `None` for the filter and overlays.
    pub(crate) fn heading(&self) -> Option<(String, &'static [&'static str], usize)> {
        match self {
            Screen::Add(w) => Some((w.title(), super::add::STEPS, w.step_index())),
            Screen::Copy(w) => Some((w.title(), w.steps(), w.step_index())),
            Screen::Rotate(w) => Some((w.title(), super::rotate::STEPS, w.step_index())),
            Screen::Review(r) => Some((r.title.clone(), r.steps, r.step_index())),
            Screen::Filter | Screen::Help(_) | Screen::ConfirmQuit => None,
        }
    }

    /// The list or form a wizard step shows.
    pub(crate) fn body(&self) -> Option<Body<'_>> {
        match self {
            Screen::Add(w) => w.body(),
            Screen::Copy(w) => Some(w.body()),
            Screen::Rotate(w) => Some(w.body()),
            _ => None,
        }
    }

    /// The form of the page, if it shows one.
    pub fn form(&self) -> Option<&Form> {
        match self.body() {
            Some(Body::Form(f)) => Some(f),
            _ => None,
        }
    }

    /// Where typed keys and pastes go.
    pub(crate) fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Screen::Add(w) => w.form_mut(),
            Screen::Rotate(w) => w.form_mut(),
            _ => None,
        }
    }

    pub(crate) fn review_mut(&mut self) -> Option<&mut ReviewPage> {
        match self {
            Screen::Review(r) => Some(r),
            _ => None,
        }
    }

    pub(crate) fn copy_mut(&mut self) -> Option<&mut CopyWizard> {
        match self {
            Screen::Copy(w) => Some(w),
            _ => None,
        }
    }

    pub(crate) fn rotate_mut(&mut self) -> Option<&mut RotateWizard> {
        match self {
            Screen::Rotate(w) => Some(w),
            _ => None,
        }
    }

    /// True while the page holds input or a plan that was not applied.
    pub(crate) fn unapplied(&self) -> bool {
        match self {
            Screen::Add(_) | Screen::Copy(_) | Screen::Rotate(_) => true,
            Screen::Review(r) => r.unapplied(),
            Screen::Filter | Screen::Help(_) | Screen::ConfirmQuit => false,
        }
    }
}

fn add_page(step: AddStep) -> Page {
    match step {
        AddStep::Provider => Page::Provider,
        AddStep::OtherId => Page::ProviderId,
        AddStep::Custom => Page::CustomProvider,
        AddStep::ApiKind => Page::ApiKind,
        AddStep::CredType => Page::CredType,
        AddStep::OAuthSource => Page::OAuthSource,
        AddStep::Secret => Page::Secret,
        AddStep::Targets => Page::Targets,
    }
}

fn copy_page(step: CopyStep) -> Page {
    match step {
        CopyStep::Source => Page::CopySource,
        CopyStep::Profiles => Page::CopyProfiles,
        CopyStep::Destinations => Page::CopyDestinations,
        CopyStep::Conflicts => Page::CopyConflicts,
    }
}
