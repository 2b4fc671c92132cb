//! Reading a secret typed or pasted on a terminal: a prompt on stderr, no echo
//! (like `gh auth login`), so the key never lands in the scrollback. The UI has its
//! own masked field; this is the command line's.

use crate::service::inputs::MAX_SECRET_BYTES;
use std::io::{Read, Write};

/// Why no secret was read from the terminal; nothing is written (exit 4).
#[derive(Debug, thiserror::Error)]
pub(crate) enum PromptError {
    #[error("cannot switch the terminal off echo: {0}")]
    NoEchoOff(std::io::Error),
    #[error("cannot read the secret from the terminal: {0}")]
    Read(std::io::Error),
    /// Ctrl-C, or Ctrl-D on an empty line (`key` names it).
    #[error("cancelled ({key}): nothing was written")]
    Cancelled { key: &'static str },
    #[error("more than {max} bytes: that is not a single secret")]
    TooLong { max: u64 },
    #[error("the secret is not valid UTF-8")]
    NotUtf8,
}

/// Restores the terminal's mode when dropped (also on a panic).
struct RawMode;

impl RawMode {
    fn enable() -> Result<RawMode, PromptError> {
        crossterm::terminal::enable_raw_mode().map_err(PromptError::NoEchoOff)?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// Prompts for `what` on stderr and reads one line from the terminal on stdin without
/// echoing it. Enter ends it; Ctrl-C (or Ctrl-D on an empty line) cancels.
pub(crate) fn read_hidden(what: &str) -> Result<String, PromptError> {
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "Paste the {what} (input is hidden), then press Enter: "
    );
    let _ = err.flush();
    let line = {
        let _raw = RawMode::enable()?;
        read_line_raw(&mut std::io::stdin().lock())
    };
    let _ = writeln!(err);
    line
}

/// The line editing of a raw terminal: bytes up to Enter, backspace removes the last
/// character, Ctrl-C or Ctrl-D on an empty line cancels.
fn read_line_raw(input: &mut dyn Read) -> Result<String, PromptError> {
    let mut bytes: Vec<u8> = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        let n = input.read(&mut byte).map_err(PromptError::Read)?;
        match (n, byte[0]) {
            (0, _) | (_, b'\r' | b'\n') => break,
            (_, 3) => return Err(PromptError::Cancelled { key: "Ctrl-C" }),
            (_, 4) if bytes.is_empty() => {
                return Err(PromptError::Cancelled { key: "Ctrl-D" });
            }
            (_, 4) => break,
            (_, 8 | 127) => pop_char(&mut bytes),
            (_, b) => bytes.push(b),
        }
        if bytes.len() as u64 > MAX_SECRET_BYTES {
            return Err(PromptError::TooLong {
                max: MAX_SECRET_BYTES,
            });
        }
    }
    String::from_utf8(bytes).map_err(|_| PromptError::NotUtf8)
}

/// Removes the last UTF-8 character (not just its last byte).
fn pop_char(bytes: &mut Vec<u8>) {
    while let Some(b) = bytes.pop() {
        if b & 0xC0 != 0x80 {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_editing_of_a_raw_terminal() {
        let read = |s: &[u8]| read_line_raw(&mut &s[..]);
        assert_eq!(read(b"sk-abc\r").unwrap(), "sk-abc");
        assert_eq!(read(b"sk-abx\x7fc\rignored").unwrap(), "sk-abc");
        assert_eq!(read("é\x7fe\n".as_bytes()).unwrap(), "e");
        assert_eq!(
            read(b"sk\x03").unwrap_err().to_string(),
            "cancelled (Ctrl-C): nothing was written"
        );
        assert_eq!(
            read(b"\x04").unwrap_err().to_string(),
            "cancelled (Ctrl-D): nothing was written"
        );
    }
}
