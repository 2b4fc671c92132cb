//! Stage 2: what each agent's runtime would resolve (view, order, resolve),
//! explained (advice) and reported (report).

pub(crate) mod advice;
pub(crate) mod attempt;
pub mod bestfix;
pub(crate) mod binding;
pub mod cell;
pub(crate) mod cronjobs;
pub(crate) mod findings;
pub(crate) mod fixpick;
pub(crate) mod order;
pub mod report;
pub mod resolve;
pub(crate) mod secretref;
pub(crate) mod usage;
pub(crate) mod view;
