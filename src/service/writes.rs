//! Plan → apply → verify, the same for every front end: apply a plan under
//! OpenClaw's lock, re-read the state and verify what changed; decide how a
//! write ended.

use super::exit::ExitStatus;
use super::session::Session;
use crate::domain::ops::apply::{ApplyOptions, ApplyResult, apply, verify};
use crate::domain::ops::plan::Plan;
use crate::domain::read::discovery::Discovery;
use crate::domain::write::lock::LockOptions;

/// Why a plan cannot be applied here although it is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Blocked {
    /// The plan runs OpenClaw commands and no `openclaw` executable was found.
    NoOpenclaw,
}

/// The one rule for "this plan cannot run here": each front end phrases it.
pub(crate) fn blocked(session: &Session, plan: &Plan) -> Option<Blocked> {
    (!plan.steps.is_empty() && session.openclaw().is_none()).then_some(Blocked::NoOpenclaw)
}

/// Applies `plan` over the state `before` (read just before planning), then
/// re-reads the state and verifies the outcome.
pub(crate) fn apply_and_verify(
    session: &Session,
    before: &Discovery,
    plan: &Plan,
    lock: LockOptions,
) -> ApplyResult {
    let opts = ApplyOptions {
        lock,
        openclaw: session.openclaw(),
        env: &session.env,
    };
    let mut result = apply(plan, &opts, before);
    if !result.errors.is_empty() {
        return result;
    }
    match session.discovery() {
        Ok(after) => verify(plan, before, &after, &mut result),
        Err(e) => result
            .verify_failures
            .push(format!("cannot re-read the state after writing: {e}")),
    }
    result
}

/// Reads the state as it is now, then applies and verifies `plan` over it.
pub(crate) fn apply_now(session: &Session, plan: &Plan, lock: LockOptions) -> ApplyResult {
    match session.discovery() {
        Ok(before) => apply_and_verify(session, &before, plan, lock),
        Err(e) => ApplyResult {
            errors: vec![format!("cannot read the state before writing: {e}")],
            ..ApplyResult::default()
        },
    }
}

/// How a write command ended: what was applied, or why nothing was.
#[derive(Clone, Copy)]
pub(crate) struct WriteOutcome<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) result: Option<&'a ApplyResult>,
    pub(crate) dry_run: bool,
    pub(crate) confirmed: bool,
    pub(crate) blocked: bool,
}

impl WriteOutcome<'_> {
    pub(crate) fn status(&self) -> ExitStatus {
        match self.result {
            Some(r) if !r.errors.is_empty() => ExitStatus::WriteFailed,
            Some(r) if !r.ok() => ExitStatus::Problems,
            Some(_) => ExitStatus::Ok,
            None if self.dry_run || self.plan.is_empty() => ExitStatus::Ok,
            None if self.blocked || !self.confirmed => ExitStatus::Refused,
            None => ExitStatus::Ok,
        }
    }
}
