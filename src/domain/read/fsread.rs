//! Bounded reads of the files clawauth inspects: regular files only (a FIFO or a
//! device never blocks or floods a read), never more than a stated number of bytes,
//! and errors that name the file and say what is wrong with it.

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
pub(crate) fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Option<Vec<u8>>, String> {
    let file = match open_nonblocking(path) {
        Ok(f) => f,
        Err(e) => return open_failure(path, &e),
    };
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.is_dir() {
        return Err(format!("{} is a directory, not a file", path.display()));
    }
    if !meta.is_file() {
        return Err(format!(
            "{} is not a regular file (a FIFO, socket or device); clawauth reads only regular files",
            path.display()
        ));
    }
    let too_big = |len: u64| {
        format!(
            "{} is {len} bytes, over clawauth's limit of {} for {what}",
            path.display(),
            size_text(limit)
        )
    };
    if meta.len() > limit {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// Why `path` could not be opened, in words; `Ok(None)` when nothing is there at all.
fn open_failure(path: &Path, e: &std::io::Error) -> Result<Option<Vec<u8>>, String> {
    match e.raw_os_error() {
        _ if e.kind() == ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_err() {
                return Ok(None);
            }
            let target = std::fs::read_link(path)
                .map(|t| format!(" (it points to {})", t.display()))
                .unwrap_or_default();
            Err(format!(
                "{} is a dangling symbolic link{target}",
                path.display()
            ))
        }
        Some(libc::ELOOP) => Err(format!(
            "{} is a symbolic link loop (too many levels of symbolic links)",
            path.display()
        )),
        Some(libc::ENOTDIR) => {
            let blocker = path.parent().and_then(not_a_directory).unwrap_or(path);
            Err(format!(
                "{} cannot exist: {} is not a directory",
                path.display(),
                blocker.display()
            ))
        }
        _ => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// `16777216 bytes (16 MiB)`.
pub(crate) fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{b} bytes ({} MiB)", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{b} bytes ({} KiB)", b >> 10),
        b => format!("{b} bytes"),
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
pub(crate) fn check_regular_file(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err(format!("{} is a directory, not a file", path.display())),
        Ok(_) => Err(format!(
            "{} is not a regular file (a FIFO, socket or device); clawauth reads only regular files",
            path.display()
        )),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(format!(
            "{} is a symbolic link loop (too many levels of symbolic links)",
            path.display()
        )),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
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
        let e = read_limited(&p("dangling"), 10, "x").unwrap_err();
        assert!(
            e.contains("dangling symbolic link") && e.contains("nowhere"),
            "{e}"
        );
        symlink("loop", p("loop")).unwrap();
        assert!(
            read_limited(&p("loop"), 10, "x")
                .unwrap_err()
                .contains("loop")
        );
        std::fs::create_dir(p("dir")).unwrap();
        assert!(
            read_limited(&p("dir"), 10, "x")
                .unwrap_err()
                .contains("directory")
        );
        let fifo = std::ffi::CString::new(p("fifo").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let e = read_limited(&p("fifo"), 10, "x").unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        assert!(check_regular_file(&p("fifo")).is_err());
        std::fs::write(p("file"), "x").unwrap();
        let e = read_limited(&p("file").join("sub/store.json"), 10, "x").unwrap_err();
        assert!(
            e.contains(&format!("{} is not a directory", p("file").display())),
            "{e}"
        );
        symlink("/dev/zero", p("zero")).unwrap();
        let e = read_limited(&p("zero"), 10, "x").unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn the_limit_is_exact() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_limited(&f, 10, "x").unwrap().unwrap(), b"0123456789");
        let e = read_limited(&f, 9, "test files").unwrap_err();
        assert!(
            e.contains("10 bytes") && e.contains("limit of 9 bytes for test files"),
            "{e}"
        );
        assert_eq!(size_text(16 << 20), "16777216 bytes (16 MiB)");
        assert_eq!(size_text(64 << 10), "65536 bytes (64 KiB)");
        assert!(check_regular_file(&f).is_ok());
    }
}
