//! The help overlay's own state: where it is scrolled to.

use super::ctx::{Go, step};
use crate::tui::keymap::{Action, Context};
use crate::tui::text::help::{line_count, line_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpPage {
    pub(crate) scroll: u16,
}

impl HelpPage {
    /// The help opened over a page of `context`: at that page's section.
    pub(crate) fn open(context: Context, screen_width: u16) -> HelpPage {
        let scroll = match context {
            Context::Overview | Context::Filter => 0,
            context => line_of(context, screen_width),
        };
        HelpPage { scroll }
    }

    pub(crate) fn action(&mut self, action: Action, size: (u16, u16)) -> Go {
        let page = (size.1 as usize).saturating_sub(8).max(1) as isize;
        let delta = match action {
            Action::Back => return Go::Close,
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            _ => return Go::Stay,
        };
        self.scroll = step(self.scroll as usize, line_count(), delta) as u16;
        Go::Stay
    }
}
