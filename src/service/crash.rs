//! What a crash prints. A panic is a bug in clawauth, but its message may have been
//! built from data that holds a secret (a store's text, a pasted key), so the message
//! is printed with every secret-shaped word removed, never the raw payload.

use crate::domain::secret::redact_secret_like;
use std::io::Write;
use std::sync::Once;

/// Exit code of a process that panicked (Rust's own; documented in the README).
pub(crate) const PANICKED: i32 = 101;

/// Replaces the default panic hook, once per process. The terminal UI wraps this
/// hook with one that restores the terminal first.
pub(crate) fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(report)));
}

fn report(info: &std::panic::PanicHookInfo<'_>) {
    let message = payload_text(info.payload());
    let place = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let mut text = crash_text(&message, &place);
    // Function names and source lines only: a backtrace holds no data.
    let backtrace = std::backtrace::Backtrace::capture();
    if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
        text.push_str(&format!("Backtrace:\n{backtrace}\n"));
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

/// The whole crash report; `message` is redacted here.
pub(crate) fn crash_text(message: &str, place: &str) -> String {
    format!(
        "clawauth: internal error{place}: {}\n\
         This is a bug in clawauth. Words that look like secrets were removed from the message above.\n\
         Files are replaced atomically: each store is either as before or fully written.\n\
         Run `clawauth status` to see where things stand, and please report the message above.\n",
        redact_secret_like(message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crash_text_never_holds_a_secret_shaped_word() {
        let text = crash_text(
            r#"bad store {"key":"sk-proxy-0123456789abcdef"} in /state/agents/main/agent"#,
            " at src/x.rs:1",
        );
        assert!(!text.contains("0123456789"), "{text}");
        assert!(text.contains("/state/agents/main/agent"), "{text}");
        assert!(text.starts_with("clawauth: internal error at src/x.rs:1: bad store"));
    }
}
