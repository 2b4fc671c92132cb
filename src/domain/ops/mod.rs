//! Writes: set, copy, rotate and repair, each a plan first, then applied and verified.
//! No printing happens here; the CLI and the terminal UI render plans and results.

pub mod apply;
pub mod cooldown;
pub mod copy;
pub(crate) mod declare;
pub(crate) mod diff;
pub mod doc;
pub mod draft;
pub mod error;
pub mod fixes;
pub mod key_groups;
pub mod key_outcome;
pub(crate) mod links;
pub mod plan;
pub(crate) mod purge;
pub mod repair;
pub mod rotate;
pub(crate) mod scrub;
pub mod secret;
pub mod set;
pub mod settle;
pub mod targets;
