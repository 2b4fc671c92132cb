//! Stage 2: what each agent's runtime would resolve (view, order, resolve),
//! explained (advice) and reported (report).

pub mod advice;
pub mod attempt;
pub mod bestfix;
pub mod binding;
pub mod cell;
pub mod cellproblems;
pub mod cronjobs;
pub mod findings;
pub mod fixpick;
pub mod listing;
pub mod order;
pub mod report;
pub mod resolve;
pub mod secretref;
pub mod stream;
pub mod usage;
pub mod view;
pub mod windows;
