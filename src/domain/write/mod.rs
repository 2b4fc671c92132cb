//! Safe writes: OpenClaw's lock protocol, atomic replacement, backups, and
//! comment-preserving edits of openclaw.json.

pub mod atomic;
pub mod json5_edit;
pub mod lock;
