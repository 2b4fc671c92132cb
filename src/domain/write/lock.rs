//! OpenClaw 2026.4.5's sidecar lock protocol for JSON stores (auth-store.md §9.1).
//!
//! `<store>.lock` is created exclusively (O_CREAT|O_EXCL, 0600) and holds
//! `{"pid", "createdAt"}` pretty-printed like Node's `JSON.stringify(v, null, 2)`.
//! A lock is stale when its pid is dead, its `createdAt` is older than
//! `stale_after`, or its payload is unreadable and its mtime is that old; stale
//! locks are removed and acquisition retried at once. Live locks are waited on
//! with jittered exponential backoff. We never use flock: OpenClaw cannot see
//! OS locks (field report b2-24).

use super::utc;
use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Immediate stale-lock takeovers allowed before stale locks are waited on
/// like live ones (guards against spinning on a lock we cannot remove).
const MAX_TAKEOVERS: u32 = 8;

/// Timing of [`acquire`]. `Default` is OpenClaw's `AUTH_STORE_LOCK_OPTIONS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LockOptions {
    pub(crate) stale_after: Duration,
    pub(crate) retries: u32,
    pub(crate) min_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) factor: u32,
    /// Give up earlier than OpenClaw's ~50 s when set (`--lock-timeout`).
    pub(crate) max_wait: Option<Duration>,
}

impl Default for LockOptions {
    fn default() -> Self {
        Self {
            stale_after: Duration::from_secs(30),
            retries: 10,
            min_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            factor: 2,
            max_wait: None,
        }
    }
}

impl LockOptions {
    /// Wait before retry `attempt` (0-based): `min × factor^attempt × jitter`,
    /// capped at `max_backoff` (jitter is clamped to 1–2, applied before the
    /// cap as in OpenClaw's `computeDelayMs`).
    pub(crate) fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let growth = self.factor.max(1).checked_pow(attempt).unwrap_or(u32::MAX);
        let base = self
            .min_backoff
            .saturating_mul(growth)
            .min(self.max_backoff);
        base.mul_f64(jitter.clamp(1.0, 2.0)).min(self.max_backoff)
    }
}

/// The current holder of a lock, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LockInfo {
    pub(crate) lock_path: PathBuf,
    /// `None` when the payload is unreadable or has no valid pid.
    pub(crate) pid: Option<i32>,
    pub(crate) created_at: Option<String>,
    pub(crate) stale: bool,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    /// `path` is the store file (the target), as OpenClaw reports it.
    #[error("file lock timeout for {}: {}; if no OpenClaw process is running, remove {}",
        path.display(), holder_text(*holder_pid, held_since.as_deref()), lock_path(path).display())]
    Timeout {
        path: PathBuf,
        holder_pid: Option<i32>,
        held_since: Option<String>,
    },
    /// `path` is the lock file.
    #[error("cannot use lock file {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Who holds a lock, in words.
fn holder_text(pid: Option<i32>, since: Option<&str>) -> String {
    match (pid, since) {
        (Some(pid), Some(since)) => format!("held by pid {pid} since {since}"),
        (Some(pid), None) => format!("held by pid {pid}"),
        (None, _) => "the lock file is empty or unreadable".to_string(),
    }
}

/// `<target>.lock`, next to the store file as given.
pub(crate) fn lock_path(target: &Path) -> PathBuf {
    let mut s = target.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

/// Our identity inside a lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    pid: i32,
    created_at: String,
}

impl Stamp {
    fn now() -> Self {
        let pid = i32::try_from(std::process::id()).unwrap_or(i32::MAX);
        let created_at = utc::iso8601(now_ms());
        Self { pid, created_at }
    }

    /// Byte-identical to `JSON.stringify({pid, createdAt}, null, 2)`.
    fn to_json(&self) -> String {
        let (pid, at) = (self.pid, &self.created_at);
        format!("{{\n  \"pid\": {pid},\n  \"createdAt\": \"{at}\"\n}}")
    }
}

/// Parsed lock payload; fields are `None` when missing or invalid.
#[derive(Debug, Default)]
struct Payload {
    pid: Option<i32>,
    created_at: Option<String>,
}

impl Payload {
    /// `None` when the text is not a JSON object with a pid or a createdAt.
    fn parse(text: &str) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        let pid = value.get("pid").and_then(serde_json::Value::as_i64);
        let pid = pid.and_then(|p| i32::try_from(p).ok()).filter(|p| *p > 0);
        let created_at = value.get("createdAt").and_then(|v| v.as_str());
        let created_at = created_at.map(str::to_owned);
        (pid.is_some() || created_at.is_some()).then_some(Self { pid, created_at })
    }

    fn is_stamp(&self, stamp: &Stamp) -> bool {
        self.pid == Some(stamp.pid) && self.created_at.as_ref() == Some(&stamp.created_at)
    }
}

struct Held {
    count: usize,
    stamp: Stamp,
}

/// Locks this process holds, keyed by absolute lock path (re-entrancy).
static HELD: LazyLock<Mutex<HashMap<PathBuf, Held>>> = LazyLock::new(Default::default);

fn held() -> MutexGuard<'static, HashMap<PathBuf, Held>> {
    HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Guard for an acquired lock; dropping the last guard for a path removes
/// the lock file, unless another holder has replaced it meanwhile.
#[derive(Debug)]
pub(crate) struct StoreLock {
    key: PathBuf,
    lock_path: PathBuf,
}

impl StoreLock {
    #[cfg(test)] // only the unit tests call it
    pub(crate) fn lock_path(&self) -> &Path {
        &self.lock_path
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let mut map = held();
        let Some(entry) = map.get_mut(&self.key) else {
            return;
        };
        entry.count -= 1;
        if entry.count > 0 {
            return;
        }
        let Some(entry) = map.remove(&self.key) else {
            return;
        };
        if lock_is_ours(&self.lock_path, &entry.stamp) {
            let _ = fs::remove_file(&self.lock_path);
        }
    }
}

fn lock_is_ours(lock: &Path, stamp: &Stamp) -> bool {
    let text = read_lock_text(lock).ok().flatten().unwrap_or_default();
    Payload::parse(&text).is_some_and(|p| p.is_stamp(stamp))
}

/// A lock payload is ~60 bytes; a lock file that is a FIFO, a device or huge is
/// unreadable (never blocks or floods the read).
fn read_lock_text(lock: &Path) -> Result<Option<String>, crate::domain::read::error::ReadError> {
    crate::domain::read::fsread::read_limited(lock, 64 * 1024, "lock files")
        .map(|b| b.map(|b| String::from_utf8_lossy(&b).into_owned()))
}

/// Takes OpenClaw's lock for the store file `target` (lock file
/// `<target>.lock`), waiting for a live holder per `opts`.
pub(crate) fn acquire(target: &Path, opts: &LockOptions) -> Result<StoreLock, LockError> {
    let lock = lock_path(target);
    let key = std::path::absolute(&lock).unwrap_or_else(|_| lock.clone());
    let (mut waits, mut takeovers) = (0, 0);
    let started = std::time::Instant::now();
    loop {
        if let Some(guard) = try_take(&key, &lock)? {
            return Ok(guard);
        }
        let info = read_info(&lock, opts.stale_after);
        if info.as_ref().is_none_or(|i| i.stale) && takeovers < MAX_TAKEOVERS {
            takeovers += 1;
            remove_stale(&lock)?;
            continue;
        }
        let pause = opts.backoff(waits, jitter());
        let past_deadline = opts
            .max_wait
            .is_some_and(|max| started.elapsed() + pause > max);
        if waits >= opts.retries || past_deadline {
            return Err(timeout_error(target, info));
        }
        let holder = info.as_ref().map(|i| super::lock_wait::Holder {
            lock_path: i.lock_path.clone(),
            pid: i.pid,
            created_at: i.created_at.clone(),
        });
        super::lock_wait::report(&super::lock_wait::LockWait {
            target,
            holder: holder.as_ref(),
            waited: started.elapsed(),
            first: waits == 0,
        });
        std::thread::sleep(pause);
        waits += 1;
    }
}

/// One attempt: join our own hold, or create the lock file. `Ok(None)` when
/// someone else's lock file exists.
fn try_take(key: &Path, lock: &Path) -> Result<Option<StoreLock>, LockError> {
    let mut map = held();
    if let Some(entry) = map.get_mut(key) {
        entry.count += 1;
    } else {
        let stamp = Stamp::now();
        match create_lock_file(lock, &stamp) {
            Ok(()) => _ = map.insert(key.to_owned(), Held { count: 1, stamp }),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(None),
            Err(source) => {
                let path = lock.to_owned();
                return Err(LockError::Io { path, source });
            }
        }
    }
    let (key, lock_path) = (key.to_owned(), lock.to_owned());
    Ok(Some(StoreLock { key, lock_path }))
}

fn create_lock_file(lock: &Path, stamp: &Stamp) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true).mode(0o600);
    let mut file = options.open(lock)?;
    if let Err(e) = file.write_all(stamp.to_json().as_bytes()) {
        drop(file);
        let _ = fs::remove_file(lock);
        return Err(e);
    }
    Ok(())
}

fn remove_stale(lock: &Path) -> Result<(), LockError> {
    match fs::remove_file(lock) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(LockError::Io {
            path: lock.to_owned(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn timeout_error(target: &Path, info: Option<LockInfo>) -> LockError {
    let info = info.unwrap_or_else(|| LockInfo {
        lock_path: lock_path(target),
        pid: None,
        created_at: None,
        stale: false,
    });
    LockError::Timeout {
        path: target.to_owned(),
        holder_pid: info.pid,
        held_since: info.created_at,
    }
}

/// The current holder of `<target>.lock`, judged with OpenClaw's 30 s rule;
/// `None` when there is no lock file.
pub(crate) fn inspect(target: &Path) -> Option<LockInfo> {
    read_info(&lock_path(target), LockOptions::default().stale_after)
}

fn read_info(lock: &Path, stale_after: Duration) -> Option<LockInfo> {
    let payload = match read_lock_text(lock) {
        Ok(Some(text)) => Payload::parse(&text),
        Ok(None) => return None,
        Err(_) => None,
    };
    let stale = is_stale(payload.as_ref(), lock, stale_after);
    let payload = payload.unwrap_or_default();
    Some(LockInfo {
        lock_path: lock.to_owned(),
        pid: payload.pid,
        created_at: payload.created_at,
        stale,
    })
}

/// Dead pid, or too old by `createdAt`; without a usable `createdAt`, too old
/// by mtime (a vanished file counts as stale, as in OpenClaw).
fn is_stale(payload: Option<&Payload>, lock: &Path, stale_after: Duration) -> bool {
    if payload
        .and_then(|p| p.pid)
        .is_some_and(|pid| !pid_alive(pid))
    {
        return true;
    }
    let created = payload.and_then(|p| p.created_at.as_deref());
    match created.and_then(utc::parse_iso8601) {
        Some(t) => now_ms() - t > millis(stale_after),
        None => mtime_age(lock).is_none_or(|age| age > stale_after),
    }
}

fn mtime_age(path: &Path) -> Option<Duration> {
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(modified.elapsed().unwrap_or(Duration::ZERO))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// `kill(pid, 0)`: only ESRCH means dead (EPERM = alive, other user).
pub(crate) fn pid_alive(pid: i32) -> bool {
    if pid <= 0 {
        return true; // never probe process groups
    }
    // SAFETY: signal 0 performs only the existence/permission check.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Uniform in [1, 2).
fn jitter() -> f64 {
    1.0 + (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Cheap non-cryptographic randomness: splitmix64 over a per-process counter
/// seeded from the clock and pid (unique within a process).
pub(crate) fn random_u64() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        (nanos.as_nanos() as u64) ^ (u64::from(std::process::id()) << 32)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut z = seed.wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Milliseconds since the Unix epoch (negative before it).
pub(crate) fn now_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => millis(d),
        Err(e) => -millis(e.duration()),
    }
}

#[cfg(test)]
#[path = "lock_tests.rs"]
mod tests;
