//! Files that belong to another user: written by root, they keep their owner.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The owner (uid, gid) of `target` when it is not the user clawauth runs as.
pub(crate) fn foreign_owner(target: &Path) -> Option<(u32, u32)> {
    let meta = std::fs::metadata(target).ok()?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    (meta.uid() != me).then_some((meta.uid(), meta.gid()))
}

pub(crate) fn running_as_root() -> bool {
    // SAFETY: as above.
    unsafe { libc::geteuid() == 0 }
}

/// Chowns `file` (an open temp or backup file) to `target`'s owner when clawauth runs
/// as root and `target` belongs to someone else, so a rename keeps the owner.
pub(crate) fn keep_owner(file: &std::fs::File, target: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let Some((uid, gid)) = foreign_owner(target).filter(|_| running_as_root()) else {
        return Ok(());
    };
    // SAFETY: the descriptor is open for the whole call.
    let rc = unsafe { libc::fchown(file.as_raw_fd(), uid, gid) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Sets the mode of the regular file `path` without following a symbolic link
/// (a link put there since the plan was made fails with ELOOP).
pub(crate) fn chmod_nofollow(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        let msg = format!("{} is not a regular file", path.display());
        return Err(std::io::Error::other(msg));
    }
    // SAFETY: the descriptor is open for the whole call.
    let rc = unsafe { libc::fchmod(file.as_raw_fd(), mode as libc::mode_t) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}
