//! The pure domain: no terminal or CLI code, no printing. Grouped by stage so the
//! pipeline shows: `read` (the state as OpenClaw finds it) → `status` (what each
//! agent's runtime resolves) and `validate` (what OpenClaw silently drops) →
//! `ops` (write plans) → `write` (locks, atomic writes, config edits).

pub mod ops;
pub mod probe;
pub mod problem;
pub mod read;
pub mod secret;
pub mod status;
pub mod text;
pub mod validate;
pub mod write;
