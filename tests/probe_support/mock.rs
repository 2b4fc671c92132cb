//! A mock of the providers' HTTP APIs on loopback, written for the live-check tests
//! and bench: std threads, one connection per request, `Connection: close`. The answer
//! depends on the key the request carries (bearer, `x-api-key` or `x-goog-api-key`);
//! every request is recorded, and the most requests in flight at once is measured.
//! A `CONNECT` is accepted, so the same mock can stand in for an HTTP proxy.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target as sent (a path, or an absolute URL through a proxy).
    pub target: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn new(status: u16, body: &str) -> Reply {
        Reply {
            status,
            body: body.into(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }

    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
}

#[derive(Default)]
struct State {
    replies: Mutex<HashMap<String, Reply>>,
    recorded: Mutex<Vec<Recorded>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

pub struct Mock {
    pub port: u16,
    state: Arc<State>,
}

impl Mock {
    /// Starts the server on 127.0.0.1 (an ephemeral port), serving until the process ends.
    pub fn start() -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        let st = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let st = st.clone();
                std::thread::spawn(move || serve(conn, &st));
            }
        });
        Mock { port, state }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What a request carrying `key` gets (default: 401 echoing the key).
    pub fn on_key(&self, key: &str, reply: Reply) {
        self.state.replies.lock().unwrap().insert(key.into(), reply);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.recorded.lock().unwrap().clone()
    }

    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

/// The key a request carries, wherever the provider's API puts it.
pub fn key_of(h: &HashMap<String, String>) -> String {
    if let Some(a) = h.get("authorization") {
        return a.strip_prefix("Bearer ").unwrap_or(a).to_string();
    }
    h.get("x-api-key")
        .or_else(|| h.get("x-goog-api-key"))
        .cloned()
        .unwrap_or_default()
}

fn read_request(conn: &TcpStream) -> Option<Recorded> {
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Recorded {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into(),
    })
}

fn serve(mut conn: TcpStream, st: &State) {
    let Some(mut req) = read_request(&conn) else {
        return;
    };
    if req.method == "CONNECT" {
        // A proxy tunnel (undici and ureq both tunnel): record it, then answer the
        // request inside it as if this were the target.
        st.recorded.lock().unwrap().push(req);
        if conn
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .is_err()
        {
            return;
        }
        let Some(inner) = read_request(&conn) else {
            return;
        };
        req = inner;
    }
    let now = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    st.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let key = key_of(&req.headers);
    st.recorded.lock().unwrap().push(req);
    let reply = st
        .replies
        .lock()
        .unwrap()
        .get(&key)
        .cloned()
        .unwrap_or_else(|| {
            Reply::new(
                401,
                &format!(r#"{{"error":{{"message":"Incorrect API key provided: {key}"}}}}"#),
            )
        });
    std::thread::sleep(reply.delay);
    st.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(reply.body.as_bytes());
}
