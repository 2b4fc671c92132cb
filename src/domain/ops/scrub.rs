//! What OpenClaw's CLI printed, with every trace of the secret removed before it is
//! shown: the secret, any fragment of 8 or more characters of it (a prefix, a
//! suffix), and the same in base64, base64url, hex and percent-encoding.

use std::collections::HashSet;

/// Shortest fragment of a secret (or of an encoding of it) that is redacted.
pub(crate) const MIN_FRAGMENT: usize = 8;

const REDACTED: &str = "«redacted»";

/// `text` with every fragment of `secret` (and of its encodings) replaced.
pub(crate) fn scrub_text(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    let windows = fragment_windows(secret);
    let bytes = text.as_bytes();
    let n = MIN_FRAGMENT.min(secret.len());
    let mut hidden = vec![false; bytes.len()];
    for i in 0..bytes.len().saturating_sub(n - 1) {
        if windows.contains(&bytes[i..i + n]) {
            hidden[i..i + n].iter_mut().for_each(|h| *h = true);
        }
    }
    redact(text, &hidden)
}

/// Every window of `MIN_FRAGMENT` bytes of the secret and of its encodings.
fn fragment_windows(secret: &str) -> HashSet<Vec<u8>> {
    let n = MIN_FRAGMENT.min(secret.len());
    let raw = secret.as_bytes();
    let mut forms = vec![raw.to_vec(), hex(raw, false), hex(raw, true), percent(raw)];
    for skip in 0..3.min(raw.len()) {
        forms.push(base64(&raw[skip..], false));
        forms.push(base64(&raw[skip..], true));
    }
    forms
        .iter()
        .filter(|f| f.len() >= n)
        .flat_map(|f| f.windows(n).map(<[u8]>::to_vec).collect::<Vec<_>>())
        .collect()
}

/// Replaces each run of hidden bytes (widened to whole characters) by one marker.
fn redact(text: &str, hidden: &[bool]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for (i, c) in text.char_indices() {
        if hidden[i..i + c.len_utf8()].iter().any(|h| *h) {
            if !in_run {
                out.push_str(REDACTED);
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

fn hex(bytes: &[u8], upper: bool) -> Vec<u8> {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    bytes
        .iter()
        .flat_map(|b| [digits[usize::from(b >> 4)], digits[usize::from(b & 15)]])
        .collect()
}

fn percent(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b);
        } else {
            out.push(b'%');
            out.extend(hex(&[b], true));
        }
    }
    out
}

fn base64(bytes: &[u8], url: bool) -> Vec<u8> {
    let alphabet: &[u8; 64] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = Vec::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "sk-live-0123456789abcdefghijKLMNOP";

    #[test]
    fn the_secret_its_fragments_and_encodings_are_removed() {
        let prefix = &S[..24];
        let suffix = &S[10..];
        let b64 = String::from_utf8(base64(S.as_bytes(), false)).unwrap();
        let hexed = String::from_utf8(hex(S.as_bytes(), false)).unwrap();
        let text = format!(
            "error: key {S} rejected; got {prefix}…; tail …{suffix}; b64 {b64}; hex {hexed}; pct sk%2Dlive%2D0123456789"
        );
        let out = scrub_text(&text, S);
        for leak in [S, prefix, suffix, &b64, &hexed, "0123456789"] {
            assert!(!out.contains(leak), "{leak} in {out}");
        }
        assert!(out.starts_with("error: key «redacted» rejected"), "{out}");
        assert_eq!(
            scrub_text("provider openai: HTTP 401", S),
            "provider openai: HTTP 401"
        );
    }

    #[test]
    fn short_secrets_and_unicode_are_handled() {
        assert_eq!(scrub_text("a abc b", "abc"), "a «redacted» b");
        assert_eq!(scrub_text("ü-ключ-ü", "ключ"), "ü-«redacted»-ü");
        assert_eq!(scrub_text("x", ""), "x");
    }
}
