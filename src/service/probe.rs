//! Sends the live-check requests planned by `domain::probe`: one HTTP client
//! (`ureq` 3 with rustls), a timeout per request, at most `concurrency` requests
//! at once (scoped std threads), no redirects (a credential never follows one),
//! plain `http://` only to loopback unless allowed, proxies chosen from the
//! environment as OpenClaw chooses them. Secrets never reach a log, an error or a panic:
//! every message goes through `verdict::scrub`.

use crate::domain::probe::error::{SendRefusal, SetupError, SkipReason};
use crate::domain::probe::plan::Measured;
use crate::domain::probe::proxy::proxy_for;
use crate::domain::probe::request::{ProbeRequest, host_of};
use crate::domain::probe::verdict::{Outcome, classify};
use crate::domain::read::envsnap::EnvSnapshot;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The most of a provider's answer that is read (error messages are short).
const BODY_LIMIT: u64 = 64 * 1024;

#[derive(Debug, Clone)]
pub(crate) struct ExecOptions {
    pub(crate) timeout: Duration,
    pub(crate) concurrency: usize,
    pub(crate) allow_insecure_http: bool,
    /// The environment proxies are read from (OpenClaw's: process env + `.env` + config `env`).
    pub(crate) env: EnvSnapshot,
}

/// `true` for `localhost` and loopback addresses.
pub(crate) fn is_loopback(host: &str) -> bool {
    let h = host.trim_matches(['[', ']']);
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.to_canonical().is_loopback())
}

fn scheme_host_port(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let host = host_of(url)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let after_host = authority.rsplit_once(']').map_or(authority, |(_, r)| r);
    let port = match after_host.rsplit_once(':') {
        Some((_, p)) => p.parse().ok()?,
        None if scheme == "https" => 443,
        None => 80,
    };
    Some((scheme, host, port))
}

/// Why a request must not be sent, before any byte leaves.
fn refusal(req: &ProbeRequest, opts: &ExecOptions) -> Option<SendRefusal> {
    let Some((scheme, host, _)) = scheme_host_port(&req.url) else {
        return Some(SendRefusal::NotAbsolute {
            url: req.url.clone(),
        });
    };
    match scheme.as_str() {
        "https" => None,
        "http" if is_loopback(&host) || opts.allow_insecure_http => None,
        "http" => Some(SendRefusal::InsecureHttp { host }),
        other => Some(SendRefusal::Scheme {
            scheme: other.to_string(),
        }),
    }
}

fn agent_for(req: &ProbeRequest, opts: &ExecOptions) -> Result<ureq::Agent, SetupError> {
    let (scheme, host, port) = scheme_host_port(&req.url).ok_or(SetupError::BadUrl)?;
    let proxy = match proxy_for(&opts.env, &scheme, &host, port) {
        Some(url) => Some(ureq::Proxy::new(&url).map_err(|_| SetupError::BadProxy)?),
        None => None,
    };
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(proxy)
        .user_agent(concat!("clawauth/", env!("CARGO_PKG_VERSION")))
        .build();
    Ok(ureq::Agent::new_with_config(config))
}

fn transport_outcome(e: ureq::Error) -> Outcome {
    match e {
        ureq::Error::Timeout(_) => Outcome::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        other => Outcome::Network(other.to_string()),
    }
}

fn send(req: &ProbeRequest, agent: &ureq::Agent) -> Result<http_parts::Parts, ureq::Error> {
    let mut resp = if let Some(body) = &req.body {
        let mut r = agent.post(&req.url);
        for (k, v) in &req.headers {
            r = r.header(k.as_str(), v.expose());
        }
        r.send(body.as_str())?
    } else {
        let mut r = agent.get(&req.url);
        for (k, v) in &req.headers {
            r = r.header(k.as_str(), v.expose());
        }
        r.call()?
    };
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut body = String::new();
    let _ = resp
        .body_mut()
        .as_reader()
        .take(BODY_LIMIT)
        .read_to_string(&mut body);
    Ok(http_parts::Parts {
        status,
        body,
        location,
    })
}

mod http_parts {
    pub(crate) struct Parts {
        pub(crate) status: u16,
        pub(crate) body: String,
        pub(crate) location: Option<String>,
    }
}

/// Sends one request and classifies the answer.
pub(crate) fn execute(req: &ProbeRequest, opts: &ExecOptions) -> Measured {
    let started = Instant::now();
    let refused = refusal(req, opts);
    let outcome = match &refused {
        Some(why) => Outcome::Refused(why.to_string()),
        None => match agent_for(req, opts) {
            Err(why) => Outcome::Network(why.to_string()),
            Ok(agent) => match send(req, &agent) {
                Ok(p) if (300..400).contains(&p.status) => Outcome::Http {
                    status: p.status,
                    body: format!(
                        "redirected to {}: not followed, so the key goes nowhere else",
                        p.location.as_deref().and_then(host_of).unwrap_or_default()
                    ),
                },
                Ok(p) => Outcome::Http {
                    status: p.status,
                    body: p.body,
                },
                Err(e) => transport_outcome(e),
            },
        },
    };
    Measured {
        verdict: classify(req.kind, &outcome, &req.secret),
        latency_ms: started.elapsed().as_millis() as u64,
        refused,
    }
}

/// Sends every request, at most `opts.concurrency` at once, calling `done` after
/// each. `result[i]` answers `requests[i]`.
pub(crate) fn execute_all(
    requests: &[ProbeRequest],
    opts: &ExecOptions,
    done: &(dyn Fn(usize) + Sync),
) -> Vec<Measured> {
    let next = AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<Measured>>> = requests
        .iter()
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    let workers = opts.concurrency.clamp(1, requests.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(req) = requests.get(i) else { break };
                    let m = execute(req, opts);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(m);
                    }
                    done(i);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|s| {
            s.into_inner().ok().flatten().unwrap_or_else(|| Measured {
                verdict: classify(
                    crate::domain::probe::CheckKind::ModelList,
                    &Outcome::Network("the check did not finish".into()),
                    &crate::domain::probe::Secret::new(""),
                ),
                latency_ms: 0,
                refused: None,
            })
        })
        .collect()
}

/// What to check and how: the selection, the check kind and the executor's limits.
#[derive(Debug, Clone)]
pub(crate) struct ProbeRun {
    pub(crate) filter: crate::domain::status::report::Filter,
    pub(crate) plan: crate::domain::probe::plan::PlanOptions,
    pub(crate) exec: ExecOptions,
}

impl ProbeRun {
    /// The CLI's defaults: free checks, 10 s per request, 4 at once, http only to loopback.
    pub(crate) fn defaults(
        filter: crate::domain::status::report::Filter,
        env: EnvSnapshot,
    ) -> ProbeRun {
        ProbeRun {
            filter,
            plan: crate::domain::probe::plan::PlanOptions::default(),
            exec: ExecOptions {
                timeout: Duration::from_secs(10),
                concurrency: 4,
                allow_insecure_http: false,
                env,
            },
        }
    }
}

/// The local time as `HH:MM` (for "live check 14:02: ok").
pub(crate) fn local_hhmm() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as libc::time_t;
    // SAFETY: `localtime_r` writes only into `tm`, which lives on this stack frame.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&now, &mut tm).is_null() };
    if ok {
        format!("{:02}:{:02}", tm.tm_hour, tm.tm_min)
    } else {
        format!("{:02}:{:02}", (now / 3600) % 24, (now / 60) % 60)
    }
}

/// Why a live check may not run for `session`: the demo's keys are made up, and a
/// check would send them to the real providers' hosts.
pub fn demo_refusal(session: &super::session::Session) -> Option<&'static str> {
    session.demo.then_some(
        "the demo's keys are made up: a live check would send them to the real providers, so the demo checks nothing",
    )
}

/// The whole live check: plan from the status model, send each distinct request
/// once, join the answers to the cells. `progress(done, total)` after each request.
pub(crate) fn run_probe(
    d: &crate::domain::read::discovery::Discovery,
    run: &ProbeRun,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (
    crate::domain::probe::plan::Plan,
    Vec<crate::domain::probe::plan::ResultRow>,
) {
    use crate::domain::probe::plan::{plan, results};
    let model = crate::domain::status::report::StatusModel::new(d);
    let planned = plan(&model, &run.filter, run.plan);
    let total = planned.requests.len();
    let finished = AtomicUsize::new(0);
    let measured = execute_all(&planned.requests, &run.exec, &|_| {
        let n = finished.fetch_add(1, Ordering::Relaxed) + 1;
        progress(n, total);
    });
    let rows = results(&planned, &measured);
    (planned, rows)
}

/// "Check this key first": the one free request that checks `secret` for `provider`
/// as `agent` (else the default agent) would send it, before the key is written.
pub(crate) fn key_request(
    d: &crate::domain::read::discovery::Discovery,
    agent: Option<&str>,
    provider: &str,
    secret: &str,
) -> Result<ProbeRequest, SkipReason> {
    let agent = agent
        .and_then(|a| d.agent(a))
        .or_else(|| d.agent(d.default_agent()))
        .ok_or(SkipReason::NoAgent)?;
    let secret = crate::domain::probe::Secret::new(secret);
    crate::domain::probe::plan::request_at(d, &agent.dir, provider, &secret, None)
}

/// Exit status of a live check: ok when every checked credential is `ok` (cells
/// without a credential do not count); problems when one failed or its check was
/// refused before sending (nothing proved that key).
pub(crate) fn probe_exit(
    rows: &[crate::domain::probe::plan::ResultRow],
) -> super::exit::ExitStatus {
    match rows.iter().any(|r| r.failed()) {
        false => super::exit::ExitStatus::Ok,
        true => super::exit::ExitStatus::Problems,
    }
}

/// The profiles whose check came back `ok` (the only ones whose cooldown may be cleared).
pub(crate) fn passed_profiles(
    rows: &[crate::domain::probe::plan::ResultRow],
) -> Vec<crate::domain::ops::cooldown::Passed> {
    rows.iter()
        .filter(|r| r.status == crate::domain::probe::Status::Ok && !r.refused)
        .filter_map(|r| {
            Some(crate::domain::ops::cooldown::Passed {
                agent: r.agent.clone(),
                provider: r.provider.clone(),
                profile: r.profile.clone()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "127.0.0.1",
            "127.5.5.5",
            "::1",
            "[::1]",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["example.com", "10.0.0.1", "0.0.0.0", "localhost.evil.com"] {
            assert!(!is_loopback(h), "{h}");
        }
        assert_eq!(
            scheme_host_port("http://[::1]:8080/v1"),
            Some(("http".into(), "::1".into(), 8080))
        );
        assert_eq!(
            scheme_host_port("https://api.x.ai/v1"),
            Some(("https".into(), "api.x.ai".into(), 443))
        );
    }
}
