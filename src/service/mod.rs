//! What any front end does with the domain, for both of them: where the state is
//! and how to load it (`session`), secret and OAuth inputs (`inputs`), plan → apply →
//! verify (`writes`), the one "needs attention" rule (`attention`), the demo state
//! (`demo`), names checked with "did you mean" (`names`), typed exit status and failures (`exit`) and crash reports (`crash`).
//! `cli` and `tui` call this module; they never call each other.

pub(crate) mod attention;
pub(crate) mod crash;
pub mod demo;
pub mod exit;
pub(crate) mod input_error;
pub mod inputs;
pub(crate) mod names;
pub mod probe;
pub mod session;
pub(crate) mod writes;
