//! Writes: set, copy, rotate and repair, each a plan first, then applied and verified.
//! No printing happens here; the CLI and the terminal UI render plans and results.

pub mod apply;
pub mod cooldown;
pub mod copy;
pub mod declare;
pub mod diff;
pub mod doc;
pub mod draft;
pub mod error;
pub mod fixes;
pub mod key_groups;
pub mod key_outcome;
pub(crate) mod links;
pub mod plan;
pub mod purge;
pub mod repair;
pub mod rotate;
pub mod scrub;
pub mod secret;
pub mod set;
pub mod settle;
pub mod targets;

pub use plan::{Plan, PlanKind};
