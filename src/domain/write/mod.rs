//! Safe writes: OpenClaw's lock protocol, atomic replacement, backups, and
//! comment-preserving edits of openclaw.json.

pub(crate) mod atomic;
pub(crate) mod backups;
pub mod json5_edit;
pub(crate) mod lock;
pub(crate) mod lock_wait;
pub(crate) mod owner;
pub(crate) mod utc;

/// Sets a file's permission bits (a no-op where there are none).
pub(crate) fn set_mode(path: &std::path::Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}
