//! Opening an OpenClaw SQLite database without changing anything beside it.
//!
//! A plain read-only open of a WAL database still creates (or writes) the `-shm` and
//! `-wal` files next to it, which the next run reports as permission problems. So:
//! with no WAL content on disk the database is opened `immutable` (SQLite then takes no
//! locks and creates no side files); with WAL content (a running OpenClaw) the database
//! and its WAL are copied into a private temporary directory and read there, so committed
//! but not yet checkpointed changes are seen and the originals are never touched.

use super::error::{ReadError, SqliteError};
use rusqlite::{Connection, OpenFlags};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A database opened for reading; derefs to the connection. Fields drop in order:
/// the connection closes before a private copy (if one was made) is removed.
pub(crate) struct ReadOnlyDb {
    conn: Connection,
    _copy: Option<CopyDir>,
}

impl std::ops::Deref for ReadOnlyDb {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

/// A private temporary directory, removed when dropped.
struct CopyDir(PathBuf);

impl Drop for CopyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Opens `path` for reading without creating or changing any file beside it.
pub(crate) fn open_read_only(path: &Path) -> Result<ReadOnlyDb, SqliteError> {
    let wal = side_file(path, "-wal");
    let has_wal = std::fs::symlink_metadata(&wal).is_ok_and(|m| m.is_file() && m.len() > 0);
    let db = if has_wal {
        open_copy(path, &wal)?
    } else {
        // `immutable` takes no lock, so first ask whether a writer holds one.
        if write_locked(path) {
            return Err(cannot_open(path, "database is locked"));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let uri = format!("file:{}?mode=ro&immutable=1", uri_path(path));
        let conn = Connection::open_with_flags(uri, flags).map_err(|e| cannot_open(path, e))?;
        ReadOnlyDb { conn, _copy: None }
    };
    db.busy_timeout(Duration::from_secs(2))
        .map_err(|e| SqliteError::Query {
            detail: e.to_string(),
        })?;
    Ok(db)
}

/// Whether another process holds SQLite's PENDING or EXCLUSIVE lock on `path`
/// (a write lock on the pending byte or the shared range), which keeps readers out.
fn write_locked(path: &Path) -> bool {
    use std::os::fd::AsRawFd;
    const PENDING_BYTE: i64 = 0x4000_0000;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    [(PENDING_BYTE, 1), (PENDING_BYTE + 2, 510)]
        .iter()
        .any(|&(start, len)| {
            // SAFETY: `lock` is a plain struct that F_GETLK only fills in.
            let mut lock: libc::flock = unsafe { std::mem::zeroed() };
            lock.l_type = libc::F_RDLCK as _;
            lock.l_whence = libc::SEEK_SET as _;
            lock.l_start = start as _;
            lock.l_len = len as _;
            let asked = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) };
            asked == 0 && i32::from(lock.l_type) != libc::F_UNLCK
        })
}

fn cannot_open(path: &Path, e: impl std::fmt::Display) -> SqliteError {
    SqliteError::File(Box::new(ReadError::SqliteOpen {
        file: path.to_path_buf(),
        detail: e.to_string(),
    }))
}

fn private_copy(path: &Path, e: &std::io::Error) -> SqliteError {
    SqliteError::File(Box::new(ReadError::PrivateCopy {
        file: path.to_path_buf(),
        detail: e.to_string(),
    }))
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The path percent-encoded for an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Copies the database and its WAL into a new private directory (0700) and opens the copy.
fn open_copy(path: &Path, wal: &Path) -> Result<ReadOnlyDb, SqliteError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "clawauth-read-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut builder = std::fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).map_err(|e| private_copy(path, &e))?;
    let guard = CopyDir(dir.clone());
    let copy = dir.join("db.sqlite");
    for (from, to) in [(path, copy.clone()), (wal, side_file(&copy, "-wal"))] {
        std::fs::copy(from, &to).map_err(|e| private_copy(from, &e))?;
    }
    let conn = Connection::open(&copy).map_err(|e| cannot_open(path, e))?;
    Ok(ReadOnlyDb {
        conn,
        _copy: Some(guard),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_escape_what_sqlite_would_read_as_query_or_fragment() {
        assert_eq!(uri_path(Path::new("/a b/c?d#e%f")), "/a%20b/c%3Fd%23e%25f");
    }
}
