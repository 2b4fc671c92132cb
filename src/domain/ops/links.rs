//! Symbolic links and other users' files in a plan. A store that is a link is written
//! (or chmodded) through only when its target is a store file of the same name
//! inside the state dir or an agent directory; the plan names the real target and
//! says it is a link. Another user's file keeps its owner (when clawauth runs as
//! root) or is refused, and the plan says whose it is.

use super::error::LinkError;
use super::plan::{FileEdits, Plan};
use crate::domain::read::discovery::Discovery;
use crate::domain::text::shell_path;
use crate::domain::write::atomic::write_target;
use crate::domain::write::owner::{foreign_owner, running_as_root};
use std::path::{Path, PathBuf};

/// Where a planned path really leads.
struct Resolved {
    target: PathBuf,
    link: bool,
}

fn resolve(path: &Path) -> Result<Resolved, LinkError> {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = write_target(path).map_err(|e| LinkError::Target(e.to_string()))?;
    Ok(Resolved { target, link })
}

/// The target's canonical path (its directory canonicalised when it does not exist).
fn canonical(target: &Path) -> Option<PathBuf> {
    target.canonicalize().ok().or_else(|| {
        let dir = target.parent()?.canonicalize().ok()?;
        Some(dir.join(target.file_name()?))
    })
}

/// Why writing through the link `path` to `target` is refused, if it is.
fn link_refusal(d: &Discovery, path: &Path, target: &Path) -> Option<LinkError> {
    let same_name = path.file_name() == target.file_name();
    let roots: Vec<PathBuf> = std::iter::once(d.paths.state_dir.clone())
        .chain(d.agents.iter().map(|a| a.dir.clone()))
        .filter_map(|r| r.canonicalize().ok())
        .collect();
    let inside = canonical(target).is_some_and(|t| roots.iter().any(|r| t.starts_with(r)));
    if same_name && inside {
        return None;
    }
    Some(LinkError::Outside {
        link: path.to_path_buf(),
        target: target.to_path_buf(),
        store_name: same_name,
    })
}

fn owner_words(uid: u32) -> String {
    format!("user id {uid}")
}

/// Checks every file change and chmod of `plan`; refuses (Err) a write through a
/// link that leaves the state or into another user's file it cannot keep theirs.
pub(crate) fn guard_plan(d: &Discovery, plan: &mut Plan) -> Result<(), LinkError> {
    warn_running_openclaw(d, plan);
    for change in &mut plan.changes {
        let r = resolve(&change.path)?;
        let store = matches!(change.edits, FileEdits::Store(_));
        if r.link
            && store
            && let Some(why) = link_refusal(d, &change.path, &r.target)
        {
            return Err(why);
        }
        if r.link {
            let real = canonical(&r.target).unwrap_or_else(|| r.target.clone());
            change.summary.push(format!(
                "{} is a symbolic link: this writes its target {} (the link stays)",
                change.path.display(),
                real.display()
            ));
        }
        if let Some((uid, _)) = foreign_owner(&r.target) {
            if !running_as_root() {
                return Err(LinkError::ForeignOwner {
                    file: r.target.clone(),
                    uid,
                });
            }
            plan.warnings.push(format!(
                "{} belongs to {}: clawauth writes it (and its backup) keeping that owner",
                r.target.display(),
                owner_words(uid)
            ));
        }
    }
    guard_chmods(d, plan)
}

/// OpenClaw 2026.4's own writers take no lock: one running now can undo this write.
fn warn_running_openclaw(d: &Discovery, plan: &mut Plan) {
    if plan.is_empty() {
        return;
    }
    let gateway = d.gateway.as_ref().map(|g| g.pid);
    for p in crate::domain::read::processes::running_openclaw(&d.paths.state_dir) {
        if Some(p.pid) == gateway {
            continue;
        }
        let maybe = if p.surely_this_state {
            ""
        } else {
            " (perhaps on this state: its environment cannot be read)"
        };
        plan.warnings.push(format!(
            "OpenClaw is running (pid {}: {}){maybe}: its own writers take no lock and can write an older copy back over this change; apply when it has finished (clawauth re-reads once after writing and reports a write that was undone)",
            p.pid, p.command
        ));
    }
}

fn guard_chmods(d: &Discovery, plan: &mut Plan) -> Result<(), LinkError> {
    let (mut kept, mut seen) = (Vec::new(), Vec::new());
    for mut c in std::mem::take(&mut plan.chmods) {
        let r = resolve(&c.path)?;
        if r.link {
            if let Some(why) = link_refusal(d, &c.path, &r.target) {
                plan.manual.push(format!(
                    "{why}. Its mode was left as it is; if the link is a mistake, remove it (rm {}) and let clawauth create the store",
                    shell_path(&c.path)
                ));
                continue;
            }
            c.via = Some(c.path.clone());
            c.path = canonical(&r.target).unwrap_or(r.target);
        }
        let real = canonical(&c.path).unwrap_or_else(|| c.path.clone());
        if seen.contains(&real) {
            continue;
        }
        seen.push(real);
        if let Some((uid, _)) = foreign_owner(&c.path) {
            c.owner = Some(owner_words(uid));
        }
        kept.push(c);
    }
    plan.chmods = kept;
    Ok(())
}
