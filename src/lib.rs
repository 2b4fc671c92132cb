//! clawauth: make OpenClaw provider authentication visible and fixable.
//!
//! `domain` is pure (no terminal code): discovery, parsing, validation and status.
//! `cli` renders the domain for scripts and humans.

pub mod cli;
pub mod domain;
pub mod tui;
