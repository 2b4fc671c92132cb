//! Any text → the terminal-safe renderer (`domain::text`): no control character,
//! DEL, C1 or bidi control from the input ever reaches its output, the escaping is
//! lossless for safe text, shell quoting gives one inert word, and an id check's
//! error message is itself safe.
#![no_main]

use clawauth::domain::text::{
    IdField, check_cli_id, is_unsafe_char, safe, shell_quote, terminal_safe,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let shown = terminal_safe(&text);
    assert!(
        !shown.chars().any(is_unsafe_char),
        "unsafe character reached the output: {shown:?}"
    );
    if !text.chars().any(is_unsafe_char) {
        assert_eq!(shown, text, "safe text is shown as it is");
    }
    assert_eq!(safe(&text), shown);
    // Escaping is idempotent in safety: escaping the escaped text stays safe.
    assert!(!terminal_safe(&shown).chars().any(is_unsafe_char));
    if let Err(e) = check_cli_id(&text, IdField::Provider) {
        let e = e.to_string();
        assert!(!e.chars().any(is_unsafe_char), "unsafe id error: {e:?}");
    }
    let quoted = shell_quote(&text);
    let expected = text.replace('\0', "");
    assert_eq!(
        shlex::split(&quoted),
        Some(vec![expected]),
        "not one word: {quoted:?}"
    );
});
