//! Which proxy a request goes through, as OpenClaw (undici `EnvHttpProxyAgent`)
//! chooses it: `resolveEnvHttpProxyUrl` in `src/infra/net/proxy-env.ts`
//! (dist/proxy-env-Cx-kiLdZ.js in 2026.4.5): lower-case variables win over upper-case,
//! https requests use `https_proxy` then `http_proxy`, http requests only `http_proxy`,
//! `ALL_PROXY` is ignored; `no_proxy`/`NO_PROXY` (comma or space separated, `*` for all,
//! a leading `.` or `*.` for a domain and its subdomains, an optional `:port`) bypasses it.

use crate::domain::read::envsnap::EnvSnapshot;

fn var(env: &EnvSnapshot, lower: &str, upper: &str) -> Option<String> {
    // A set-but-blank lower-case variable still hides the upper-case one (undici).
    match env.get(lower) {
        Some(v) => Some(v.trim().to_string()).filter(|v| !v.is_empty()),
        None => env
            .get(upper)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty()),
    }
}

fn bypassed(env: &EnvSnapshot, host: &str, port: u16) -> bool {
    let list = env
        .get("no_proxy")
        .or_else(|| env.get("NO_PROXY"))
        .unwrap_or("");
    let host = host.to_ascii_lowercase();
    list.split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let (name, want_port) = match entry.rsplit_once(':') {
                Some((n, p)) if !n.contains(':') || n.ends_with(']') => (n, p.parse::<u16>().ok()),
                _ => (entry, None),
            };
            if want_port.is_some_and(|p| p != port) {
                return false;
            }
            let name = name
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .trim_matches(['[', ']'])
                .to_ascii_lowercase();
            host == name || host.ends_with(&format!(".{name}"))
        })
}

/// The proxy URL for a request to `scheme://host:port`, or `None` to connect directly.
pub(crate) fn proxy_for(env: &EnvSnapshot, scheme: &str, host: &str, port: u16) -> Option<String> {
    let http = var(env, "http_proxy", "HTTP_PROXY");
    let chosen = if scheme == "https" {
        var(env, "https_proxy", "HTTPS_PROXY").or(http)
    } else {
        http
    }?;
    (!bypassed(env, host, port)).then_some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> EnvSnapshot {
        EnvSnapshot::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn follows_undici_env_proxy_rules() {
        let e = env(&[
            ("HTTPS_PROXY", "http://p:3128"),
            ("ALL_PROXY", "http://all:1"),
        ]);
        assert_eq!(
            proxy_for(&e, "https", "api.openai.com", 443).as_deref(),
            Some("http://p:3128")
        );
        assert_eq!(proxy_for(&e, "http", "api.openai.com", 80), None);
        let e = env(&[
            ("https_proxy", "http://low:1"),
            ("HTTPS_PROXY", "http://up:2"),
            ("NO_PROXY", ".openai.com,localhost:8080"),
        ]);
        assert_eq!(proxy_for(&e, "https", "api.openai.com", 443), None);
        assert_eq!(proxy_for(&e, "https", "openai.com", 443), None);
        assert_eq!(
            proxy_for(&e, "https", "api.x.ai", 443).as_deref(),
            Some("http://low:1")
        );
        assert_eq!(
            proxy_for(&e, "https", "localhost", 9),
            Some("http://low:1".into())
        );
        assert_eq!(proxy_for(&e, "https", "localhost", 8080), None);
        let e = env(&[("http_proxy", "http://h:1"), ("no_proxy", "*")]);
        assert_eq!(proxy_for(&e, "https", "x", 443), None);
    }
}
