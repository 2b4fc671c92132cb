//! An HTTP outcome → OpenClaw's probe bucket. Status codes first, then the provider's
//! message, as `classifyFailoverClassificationFromHttpStatus`
//! (`src/agents/failover/classify-core.ts`, dist/classify-core-BTxG3xnT.mjs in 2026.9.6)
//! and the patterns of `src/agents/failover/message-patterns.ts`
//! (dist/message-patterns-D0mFl7L8.mjs), mapped through `PROBE_STATUS_BY_FAILOVER_REASON`
//! (`auth_permanent`→auth, `overloaded`→rate_limit, `model_not_found`→format,
//! `server_error`→unknown).

use super::{CheckKind, Secret, Status};
use serde_json::Value;

/// What the executor saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Http {
        status: u16,
        body: String,
    },
    Timeout,
    /// DNS, refused, reset, TLS: the text of the transport error.
    Network(String),
    /// Not sent, or stopped before a credential could leave (insecure http, redirect).
    Refused(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub http_status: Option<u16>,
    /// The provider's own message, secrets scrubbed, terminal-safe, at most 300 chars.
    pub message: Option<String>,
}

/// Billing words in provider error messages (OpenClaw's failover classifier).
const BILLING_WORDS: &[&str] = &[
    "payment required",
    "insufficient credits",
    "insufficient_quota",
    "insufficient quota",
    "credit balance",
    "available balance",
    "out of budget",
    "plans & billing",
    "insufficient_balance",
    "insufficient balance",
    "spending limit",
    "spend limit",
    "requires more credits",
];

/// Words of a refused key.
const AUTH_WORDS: &[&str] = &[
    "invalid api key",
    "invalid_api_key",
    "api key not valid",
    "api_key_invalid",
    "incorrect api key",
    "invalid token",
    "authentication",
    "unauthorized",
    "forbidden",
    "access denied",
    "permission_error",
    "key has been revoked",
    "key has been disabled",
    "no api key found",
    "invalid x-api-key",
    "api key is invalid",
];

/// Words of a rate limit, a spent quota window or an overloaded provider.
const RATE_LIMIT_WORDS: &[&str] = &[
    "rate limit",
    "rate_limit",
    "too many requests",
    "exceeded your current quota",
    "resource_exhausted",
    "resource exhausted",
    "quota exceeded",
    "quota_exceeded",
    "overloaded",
    "at capacity",
    "service unavailable",
    "high demand",
];

/// Message-only reasons, in OpenClaw's order of precedence for the buckets we map.
fn message_reason(msg: &str) -> Option<Status> {
    let m = msg.to_lowercase();
    let any = |pats: &[&str]| pats.iter().any(|p| m.contains(p));
    [
        (BILLING_WORDS, Status::Billing),
        (AUTH_WORDS, Status::Auth),
        (RATE_LIMIT_WORDS, Status::RateLimit),
    ]
    .into_iter()
    .find_map(|(words, status)| any(words).then_some(status))
}

fn from_status(code: u16, msg: &str) -> Status {
    let by_msg = message_reason(msg);
    match code {
        200..=299 => Status::Ok,
        402 => Status::Billing,
        429 if by_msg == Some(Status::Billing) => Status::Billing,
        429 => Status::RateLimit,
        401 | 403 if by_msg == Some(Status::Billing) => Status::Billing,
        401 | 403 => Status::Auth,
        408 | 499 | 504 | 522 | 524 => Status::Timeout,
        410 => by_msg.unwrap_or(Status::Timeout),
        404 => match by_msg {
            Some(s @ (Status::Billing | Status::Auth)) => s,
            _ => Status::Format,
        },
        529 => Status::RateLimit,
        500..=599 => match by_msg {
            Some(Status::RateLimit) => Status::RateLimit,
            _ => Status::Unknown,
        },
        400 | 422 => by_msg.unwrap_or(Status::Format),
        _ => by_msg.unwrap_or(Status::Unknown),
    }
}

/// The provider's own error text from a JSON or plain body.
fn provider_message(body: &str) -> Option<String> {
    let v: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(_) => {
            let t = body.trim();
            return (!t.is_empty()).then(|| t.to_string());
        }
    };
    let v = if let Some(first) = v.as_array().and_then(|a| a.first()) {
        first
    } else {
        &v
    };
    let pick = |v: &Value| -> Option<String> {
        ["message", "error_description", "detail", "error"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str).map(str::to_string))
    };
    v.get("error")
        .filter(|e| e.is_object())
        .and_then(pick)
        .or_else(|| pick(v))
}

/// `text` with `secret` and anything secret-shaped removed, control characters
/// dropped, at most 300 characters: safe for a terminal, JSON and logs.
pub(crate) fn scrub(text: &str, secret: &Secret) -> String {
    let s = secret.expose();
    let mut t = text.to_string();
    if !s.is_empty() {
        t = t.replace(s, "«redacted»");
        // Providers echo a masked prefix ("sk-abc1***xyz9"): drop any 8+ char prefix.
        if s.len() >= 8 && s.is_char_boundary(8) {
            t = t.replace(&s[..8], "«redacted»");
        }
    }
    let t = crate::domain::secret::redact_secret_like(&t);
    let clean: String = t
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    match clean.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &clean[..i]),
        None => clean,
    }
}

/// OpenRouter's key info: a key with a limit and nothing left cannot run anything.
fn key_exhausted(body: &str) -> bool {
    let v: Value = serde_json::from_str(body).unwrap_or_default();
    v.get("data")
        .and_then(|d| d.get("limit_remaining"))
        .and_then(Value::as_f64)
        .is_some_and(|left| left <= 0.0)
}

pub(crate) fn classify(kind: CheckKind, outcome: &Outcome, secret: &Secret) -> Verdict {
    match outcome {
        Outcome::Http { status, body } => {
            let raw = provider_message(body).unwrap_or_default();
            let mut st = from_status(*status, &raw);
            let mut message = (!(200..300).contains(status) && !raw.is_empty()).then_some(raw);
            if st == Status::Ok && kind == CheckKind::KeyInfo && key_exhausted(body) {
                st = Status::Billing;
                message = Some("the key has no credit left (limit_remaining is 0)".into());
            }
            Verdict {
                status: st,
                http_status: Some(*status),
                message: message.map(|m| scrub(&m, secret)),
            }
        }
        Outcome::Timeout => Verdict {
            status: Status::Timeout,
            http_status: None,
            message: Some("no answer before the timeout".into()),
        },
        Outcome::Network(e) | Outcome::Refused(e) => Verdict {
            status: if matches!(outcome, Outcome::Network(_)) {
                Status::Network
            } else {
                Status::Skipped
            },
            http_status: None,
            message: Some(scrub(e, secret)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, body: &str) -> Status {
        let o = Outcome::Http {
            status,
            body: body.into(),
        };
        classify(CheckKind::ModelList, &o, &Secret::new("sk-test-1234567890")).status
    }

    #[test]
    fn statuses_map_to_openclaw_buckets() {
        assert_eq!(http(200, "{}"), Status::Ok);
        assert_eq!(
            http(401, r#"{"error":{"message":"Incorrect API key provided"}}"#),
            Status::Auth
        );
        assert_eq!(http(403, "{}"), Status::Auth);
        assert_eq!(http(402, "{}"), Status::Billing);
        assert_eq!(
            http(
                429,
                r#"{"error":{"code":"insufficient_quota","message":"You exceeded your current quota, please check your plan and billing details"}}"#
            ),
            Status::RateLimit
        );
        assert_eq!(
            http(429, r#"{"error":{"message":"insufficient_quota"}}"#),
            Status::Billing
        );
        assert_eq!(
            http(
                400,
                r#"{"error":{"message":"Your credit balance is too low"}}"#
            ),
            Status::Billing
        );
        assert_eq!(
            http(
                400,
                r#"{"error":{"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#
            ),
            Status::Auth
        );
        assert_eq!(http(429, "{}"), Status::RateLimit);
        assert_eq!(http(529, "{}"), Status::RateLimit);
        assert_eq!(http(404, "not found"), Status::Format);
        assert_eq!(http(500, "{}"), Status::Unknown);
        assert_eq!(http(504, "{}"), Status::Timeout);
    }

    #[test]
    fn openrouter_key_without_credit_is_billing() {
        let o = Outcome::Http {
            status: 200,
            body: r#"{"data":{"limit":5,"limit_remaining":0}}"#.into(),
        };
        let v = classify(CheckKind::KeyInfo, &o, &Secret::new("k"));
        assert_eq!(v.status, Status::Billing);
    }

    #[test]
    fn messages_are_scrubbed() {
        let s = Secret::new("sk-proj-abcdefghijklmnop");
        let o = Outcome::Http {
            status: 401,
            body: r#"{"error":{"message":"Incorrect API key provided: sk-proj-abcdefghijklmnop. \u001b[31mSee docs"}}"#.into(),
        };
        let v = classify(CheckKind::ModelList, &o, &s);
        let m = v.message.unwrap();
        assert!(!m.contains("abcdefgh") && !m.contains('\u{1b}'), "{m}");
        assert!(
            m.starts_with("Incorrect API key provided: «redacted»"),
            "{m}"
        );
        let masked = scrub("key sk-proj-a***mnop is wrong", &s);
        assert!(!masked.contains("sk-proj-a"), "{masked}");
    }
}
