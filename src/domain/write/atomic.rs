//! Atomic file replacement the way OpenClaw 2026.4.5's `saveJsonFile` does it
//! (auth-store.md §9.1): follow symlinks (rewrite the target, keep the link),
//! create missing directories 0700, write a 0600 temp file in the same
//! directory, fsync, rename over the target, chmod 0600, fsync the directory.
//! Also: timestamped 0600 backups, and a fault-injection hook for tests.

use std::cell::Cell;
use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::lock::{now_ms, random_u64};
use super::utc;

/// Same limit as Linux's ELOOP.
const MAX_SYMLINK_HOPS: usize = 40;

/// Environment variable read once by [`write_atomic`] (test hook, see [`Fault`]).
pub(crate) const FAULT_ENV: &str = "CLAWAUTH_TEST_FAULT";

/// **Test hook only.** A failure injected into [`write_atomic`] after its temp
/// file exists, for fault and crash tests. Set per thread with
/// [`set_fault_for_tests`], or for a whole process (e.g. the real binary in
/// integration tests) with
/// `CLAWAUTH_TEST_FAULT=enospc|rename|abort-before-rename|panic-before-rename|panic-in-ui`.
/// Never set in normal use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Writing the temp file fails; `StorageFull` yields a real ENOSPC.
    FailWrite(io::ErrorKind),
    /// The rename over the target fails.
    FailRename,
    /// `std::process::abort()` just before the rename (run in a child process).
    AbortBeforeRename,
    /// A panic just before the rename whose message holds the new file's text, as a
    /// careless bug could: the crash report must not show it, and unwinding must
    /// remove the temp file and release the lock.
    PanicBeforeRename,
    /// Not a write fault: the terminal UI's own thread panics on the first key
    /// (see `tui::runner`), for the terminal-restore tests.
    PanicInUi,
}

impl Fault {
    /// Parses a `CLAWAUTH_TEST_FAULT` value.
    pub(crate) fn from_env_value(value: &str) -> Option<Self> {
        match value.trim() {
            "enospc" => Some(Self::FailWrite(io::ErrorKind::StorageFull)),
            "rename" => Some(Self::FailRename),
            "abort-before-rename" => Some(Self::AbortBeforeRename),
            "panic-before-rename" => Some(Self::PanicBeforeRename),
            "panic-in-ui" => Some(Self::PanicInUi),
            // A misspelt hook is never silent: every write fails.
            _ => Some(Self::FailWrite(io::ErrorKind::InvalidInput)),
        }
    }

    fn write_error(kind: io::ErrorKind) -> io::Error {
        match kind {
            io::ErrorKind::StorageFull => io::Error::from_raw_os_error(libc::ENOSPC),
            io::ErrorKind::InvalidInput => io::Error::new(
                kind,
                format!("unknown {FAULT_ENV} value (test hook): every write fails"),
            ),
            _ => io::Error::new(kind, "injected write failure (test hook)"),
        }
    }
}

thread_local! {
    static THREAD_FAULT: Cell<Option<Fault>> = const { Cell::new(None) };
}

#[cfg(test)] // only the unit tests call it
/// **Test hook only.** Injects `fault` into this thread's later
/// [`write_atomic`] calls (`None` clears it). Per thread, so parallel tests
/// do not interfere.
pub(crate) fn set_fault_for_tests(fault: Option<Fault>) {
    THREAD_FAULT.with(|f| f.set(fault));
}

/// The thread's fault, else the one from `CLAWAUTH_TEST_FAULT`.
fn active_fault() -> Option<Fault> {
    THREAD_FAULT.with(Cell::get).or_else(env_fault)
}

/// **Test hook only.** The fault set for the whole process by `CLAWAUTH_TEST_FAULT`.
pub(crate) fn env_fault() -> Option<Fault> {
    static ENV_FAULT: OnceLock<Option<Fault>> = OnceLock::new();
    *ENV_FAULT.get_or_init(|| {
        let value = std::env::var(FAULT_ENV).ok()?;
        Fault::from_env_value(&value)
    })
}

/// The file a write to `path` really replaces: symlinks are followed (a
/// chain, at most 40 hops; relative links resolve against the link's
/// directory). A dangling link yields its target path.
pub(crate) fn write_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..=MAX_SYMLINK_HOPS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => current = follow_link(&current)?,
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(context(e, &format!("cannot inspect {}", current.display()))),
        }
    }
    let looped = io::Error::from_raw_os_error(libc::ELOOP);
    let msg = format!(
        "too many levels of symbolic links (more than {MAX_SYMLINK_HOPS}) resolving {}",
        path.display()
    );
    Err(io::Error::new(looped.kind(), msg))
}

fn follow_link(link: &Path) -> io::Result<PathBuf> {
    let dest = fs::read_link(link)
        .map_err(|e| context(e, &format!("cannot read symlink {}", link.display())))?;
    if dest.is_absolute() {
        return Ok(dest);
    }
    Ok(link.parent().unwrap_or(Path::new("")).join(dest))
}

/// Atomically replaces the file behind `path` with `bytes` (mode 0600) and
/// returns the real path written. On failure before the rename the temp
/// file is removed and the original is untouched.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let target = write_target(path)?;
    let dir = parent_dir(&target);
    create_private_dirs(&dir)
        .map_err(|e| context(e, &format!("cannot create directory {}", dir.display())))?;
    let (tmp, file) = create_temp(&target)?;
    let pending = PendingTemp(Some(tmp));
    if let Err(e) = super::owner::keep_owner(&file, &target) {
        let msg = format!("cannot give the new {} its owner", target.display());
        return Err(context(e, &msg));
    }
    if let Err(e) = fill_and_rename(file, pending.path(), &target, bytes) {
        drop(pending);
        let msg = format!(
            "could not write {}; the original file is untouched",
            target.display()
        );
        return Err(context(e, &msg));
    }
    pending.renamed();
    fs::set_permissions(&target, Permissions::from_mode(0o600)).map_err(|e| {
        let msg = format!("wrote {} but could not set mode 0600", target.display());
        context(e, &msg)
    })?;
    sync_dir(&dir);
    Ok(target)
}

/// A temp file that is removed when dropped (on an error, and while unwinding from a
/// panic) unless it was renamed into place.
struct PendingTemp(Option<PathBuf>);

impl PendingTemp {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    fn renamed(mut self) {
        self.0 = None;
    }
}

impl Drop for PendingTemp {
    fn drop(&mut self) {
        if let Some(tmp) = self.0.take() {
            let _ = fs::remove_file(tmp);
        }
    }
}

fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `mkdir -p`; only directories created here get mode 0700.
fn create_private_dirs(dir: &Path) -> io::Result<()> {
    let missing: Vec<&Path> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && is_missing(d))
        .collect();
    for d in missing.into_iter().rev() {
        match fs::DirBuilder::new().mode(0o700).create(d) {
            Ok(()) => fs::set_permissions(d, Permissions::from_mode(0o700))?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn is_missing(path: &Path) -> bool {
    matches!(fs::metadata(path), Err(e) if e.kind() == io::ErrorKind::NotFound)
}

/// `<target>.<16 hex>.tmp` in the target's directory, created exclusively, 0600.
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    let name = target.file_name().ok_or_else(|| {
        let msg = format!("{} has no file name", target.display());
        io::Error::new(io::ErrorKind::InvalidInput, msg)
    })?;
    let mut last = None;
    for _ in 0..8 {
        let tmp = with_suffix(target, name, &format!(".{:016x}.tmp", random_u64()));
        match create_private_file(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                let msg = format!("cannot create temp file {}", tmp.display());
                return Err(context(
                    e,
                    &format!("{msg}; the original file is untouched"),
                ));
            }
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temp file name available")))
}

fn with_suffix(file: &Path, name: &OsStr, suffix: &str) -> PathBuf {
    let mut new_name = name.to_owned();
    new_name.push(suffix);
    file.with_file_name(new_name)
}

fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true).mode(0o600);
    options.open(path)
}

/// Writes, forces 0600 (whatever the umask), fsyncs, closes, renames.
fn fill_and_rename(mut file: File, tmp: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(Fault::FailWrite(kind)) = active_fault() {
        return Err(Fault::write_error(kind));
    }
    file.write_all(bytes)?;
    file.set_permissions(Permissions::from_mode(0o600))?;
    file.sync_all()?;
    drop(file);
    match active_fault() {
        Some(Fault::AbortBeforeRename) => std::process::abort(),
        Some(Fault::PanicBeforeRename) => panic!(
            "injected panic (test hook) before renaming {} over {}: {}",
            tmp.display(),
            target.display(),
            String::from_utf8_lossy(bytes)
        ),
        Some(Fault::FailRename) => Err(io::Error::other("injected rename failure (test hook)")),
        _ => fs::rename(tmp, target),
    }
}

/// Best effort: some filesystems refuse to fsync directories.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

fn context(e: io::Error, msg: &str) -> io::Error {
    io::Error::new(e.kind(), format!("{msg}: {e}"))
}

/// Copies the file behind `path` (symlinks followed) to
/// `<file>.clawauth-backup-<YYYYMMDDTHHMMSSmmmZ>` (or `…-2`, `…-3` if taken),
/// mode 0600, fsynced. `None` when there is no file.
pub(crate) fn backup(path: &Path) -> io::Result<Option<PathBuf>> {
    let source = write_target(path)?;
    let bytes = match fs::read(&source) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(context(e, &format!("cannot read {}", source.display()))),
    };
    let stamp = utc::compact(now_ms());
    backup_with_stamp(&source, &bytes, &stamp).map(Some)
}

fn backup_with_stamp(source: &Path, bytes: &[u8], stamp: &str) -> io::Result<PathBuf> {
    let name = source.file_name().unwrap_or_default();
    let base = format!(".clawauth-backup-{stamp}");
    for n in 1..=1000u32 {
        let suffix = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let candidate = with_suffix(source, name, &suffix);
        match create_private_file(&candidate) {
            Ok(file) => {
                if let Err(e) = super::owner::keep_owner(&file, source) {
                    let _ = fs::remove_file(&candidate);
                    return Err(context(e, "cannot give the backup its file's owner"));
                }
                return fill_backup(file, candidate, bytes);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(context(
                    e,
                    &format!("cannot create {}", candidate.display()),
                ));
            }
        }
    }
    let msg = format!("no free backup name for {}", source.display());
    Err(io::Error::new(io::ErrorKind::AlreadyExists, msg))
}

fn fill_backup(mut file: File, path: PathBuf, bytes: &[u8]) -> io::Result<PathBuf> {
    let written = file
        .write_all(bytes)
        .and_then(|()| file.set_permissions(Permissions::from_mode(0o600)))
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(&path);
        return Err(context(
            e,
            &format!("cannot write backup {}", path.display()),
        ));
    }
    sync_dir(&parent_dir(&path));
    Ok(path)
}

#[cfg(test)] // only the unit tests call it
/// Permission bits (`& 0o7777`) of `path`, following symlinks.
pub(crate) fn file_mode(path: &Path) -> Option<u32> {
    let meta = fs::metadata(path).ok()?;
    Some(meta.permissions().mode() & 0o7777)
}

#[cfg(test)]
#[path = "atomic_tests.rs"]
mod tests;
