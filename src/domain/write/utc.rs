//! UTC timestamps as OpenClaw writes them (JavaScript's `toISOString`),
//! through `jiff`: no calendar arithmetic of our own.

use jiff::Timestamp;
use jiff::fmt::strtime;

/// Epoch milliseconds → `2026-11-24T19:35:44.354Z`, like JavaScript's
/// `Date.prototype.toISOString`.
pub(crate) fn iso8601(ms: i64) -> String {
    format(ms, "%Y-%m-%dT%H:%M:%S%.3fZ")
}

/// Epoch milliseconds → `20261124T193544354Z` (backup file names).
pub(crate) fn compact(ms: i64) -> String {
    format(ms, "%Y%m%dT%H%M%S%3fZ")
}

/// Clamped to the years jiff supports (-9999..=9999).
fn format(ms: i64, pattern: &str) -> String {
    let clamp = if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    };
    let ts = Timestamp::from_millisecond(ms).unwrap_or(clamp);
    strtime::format(pattern, ts).unwrap_or_else(|_| ts.to_string())
}

/// `YYYY-MM-DDTHH:MM:SS[.f…]Z` (1–9 fraction digits, truncated) → epoch
/// milliseconds; `None` for any other shape or an impossible date or time.
pub(crate) fn parse_iso8601(text: &str) -> Option<i64> {
    if !has_iso_shape(text) {
        return None;
    }
    let ts: Timestamp = text.parse().ok()?;
    i64::try_from(ts.as_nanosecond().div_euclid(1_000_000)).ok()
}

/// jiff's RFC 3339 reader also takes a space for `T`, offsets and leap
/// second 60 (read as 59); JavaScript's `Date` and we take only this shape.
fn has_iso_shape(text: &str) -> bool {
    const FIELDS: &[u8; 19] = b"0000-00-00T00:00:00";
    let Some(rest) = text.strip_suffix('Z') else {
        return false;
    };
    let (main, frac) = rest.split_at(rest.len().min(19));
    let fields_ok = main.len() == 19
        && (main.bytes().zip(FIELDS)).all(|(c, &f)| match f {
            b'0' => c.is_ascii_digit(),
            _ => c == f,
        });
    let frac_ok = frac.is_empty()
        || frac
            .strip_prefix('.')
            .is_some_and(|d| (1..=9).contains(&d.len()) && d.bytes().all(|c| c.is_ascii_digit()));
    fields_ok && frac_ok && &main[17..] != "60"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formatting_and_parsing_round_trip() {
        let cases = [
            (0, "1970-01-01T00:00:00.000Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (1_798_141_104_533, "2026-12-24T19:38:24.533Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
        ];
        for (ms, text) in cases {
            assert_eq!(iso8601(ms), text);
            assert_eq!(parse_iso8601(text), Some(ms));
        }
        assert_eq!(compact(1_798_141_104_533), "20261224T193824533Z");
        let no_frac = parse_iso8601("2026-11-24T19:35:44Z").unwrap();
        assert_eq!(no_frac % 1000, 0);
        let micro = parse_iso8601("2026-11-24T19:35:44.123456Z").unwrap();
        assert_eq!(micro % 1000, 123);
        for bad in ["2026-02-30T00:00:00.000Z", "2026-11-24 19:35:44Z", "x", ""] {
            assert!(parse_iso8601(bad).is_none(), "{bad}");
        }
        for bad in [
            "2026-11-24T24:00:00.000Z",
            "2026-12-31T23:59:60Z",
            "2026-1-24T19:35:44Z",
            "+2026-11-24T19:35:44Z",
            "2026-11-24T19:35:44.Z",
            "2026-11-24T19:35:44.1234567891Z",
            "2026-11-24T19:35:44+00:00",
            "2026-11-24t19:35:44z",
        ] {
            assert!(parse_iso8601(bad).is_none(), "{bad}");
        }
    }
}
