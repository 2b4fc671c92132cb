//! Bounded reads of the files clawauth inspects: regular files only (a FIFO or a
//! device never blocks or floods a read), never more than a stated number of bytes,
//! and errors that name the file and say what is wrong with it.

use super::error::ReadError;
#[cfg(test)]
use super::error::size_text;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The file (or link to one) that keeps `dir` from holding files: `dir` itself or a
/// directory above it. `None` when it is a directory or does not exist yet.
pub(crate) fn not_a_directory(dir: &Path) -> Option<&Path> {
    dir.ancestors()
        .find(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()))
}

/// Reads `path` whole. `Ok(None)` when nothing is there (not even a symlink);
/// `what` names the kind of file in the size-limit message ("auth stores").
pub(crate) fn read_limited(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<Option<Vec<u8>>, ReadError> {
    let file = match open_nonblocking(path) {
        Ok(f) => f,
        Err(e) => return open_failure(path, &e),
    };
    let meta = file.metadata().map_err(|e| ReadError::io(path, &e))?;
    check_kind(path, &meta)?;
    let too_big = |len: u64| ReadError::TooLarge {
        file: path.to_path_buf(),
        len,
        limit,
        what,
    };
    if meta.len() > limit {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// A directory or anything else that is not a regular file is refused.
fn check_kind(path: &Path, meta: &std::fs::Metadata) -> Result<(), ReadError> {
    let file = path.to_path_buf();
    if meta.is_dir() {
        Err(ReadError::IsDirectory { file })
    } else if !meta.is_file() {
        Err(ReadError::NotRegular { file })
    } else {
        Ok(())
    }
}

/// Why `path` could not be opened, in words; `Ok(None)` when nothing is there at all.
fn open_failure(path: &Path, e: &std::io::Error) -> Result<Option<Vec<u8>>, ReadError> {
    let file = path.to_path_buf();
    match e.raw_os_error() {
        _ if e.kind() == ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_err() {
                return Ok(None);
            }
            let target = std::fs::read_link(path).ok();
            Err(ReadError::DanglingLink { file, target })
        }
        Some(libc::ELOOP) => Err(ReadError::LinkLoop { file }),
        Some(libc::ENOTDIR) => {
            let blocker = path
                .parent()
                .and_then(not_a_directory)
                .unwrap_or(path)
                .to_path_buf();
            Err(ReadError::NotADirectory { file, blocker })
        }
        _ => Err(ReadError::io(path, e)),
    }
}

/// `O_NONBLOCK`: opening a FIFO for reading must not wait for a writer (the
/// flag has no effect on regular files, the only kind that is then read).
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Whether `path` is something SQLite can open without blocking: a regular file.
pub(crate) fn check_regular_file(path: &Path) -> Result<(), ReadError> {
    match std::fs::metadata(path) {
        Ok(m) => check_kind(path, &m),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(ReadError::LinkLoop {
            file: path.to_path_buf(),
        }),
        Err(e) => Err(ReadError::io(path, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn missing_dangling_loop_dir_fifo_and_device() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        assert_eq!(read_limited(&p("absent"), 10, "x").unwrap(), None);
        symlink("nowhere", p("dangling")).unwrap();
        let e = read_limited(&p("dangling"), 10, "x")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("dangling symbolic link") && e.contains("nowhere"),
            "{e}"
        );
        symlink("loop", p("loop")).unwrap();
        assert!(
            read_limited(&p("loop"), 10, "x")
                .unwrap_err()
                .to_string()
                .contains("loop")
        );
        std::fs::create_dir(p("dir")).unwrap();
        assert!(
            read_limited(&p("dir"), 10, "x")
                .unwrap_err()
                .to_string()
                .contains("directory")
        );
        let fifo = std::ffi::CString::new(p("fifo").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let e = read_limited(&p("fifo"), 10, "x").unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
        assert!(check_regular_file(&p("fifo")).is_err());
        std::fs::write(p("file"), "x").unwrap();
        let e = read_limited(&p("file").join("sub/store.json"), 10, "x")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&format!("{} is not a directory", p("file").display())),
            "{e}"
        );
        symlink("/dev/zero", p("zero")).unwrap();
        let e = read_limited(&p("zero"), 10, "x").unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn the_limit_is_exact() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_limited(&f, 10, "x").unwrap().unwrap(), b"0123456789");
        let e = read_limited(&f, 9, "test files").unwrap_err().to_string();
        assert!(
            e.contains("10 bytes") && e.contains("limit of 9 bytes for test files"),
            "{e}"
        );
        assert_eq!(size_text(16 << 20), "16777216 bytes (16 MiB)");
        assert_eq!(size_text(64 << 10), "65536 bytes (64 KiB)");
        assert!(check_regular_file(&f).is_ok());
    }
}
