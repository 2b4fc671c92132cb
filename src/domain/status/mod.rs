//! Stage 2: what each agent's runtime would resolve (view, order, resolve),
//! explained (advice) and reported (report).

pub(crate) mod advice;
pub(crate) mod attempt;
pub mod bestfix;
pub(crate) mod binding;
pub mod cell;
pub(crate) mod cellproblems;
pub(crate) mod cronjobs;
pub(crate) mod findings;
pub(crate) mod fixpick;
pub mod listing;
pub(crate) mod order;
pub mod report;
pub mod resolve;
pub(crate) mod secretref;
pub(crate) mod stream;
pub mod usage;
pub(crate) mod view;
pub(crate) mod windows;
