//! Fault injection, shared by both fakes: rules set through `POST /__test/faults` (or
//! `--fault` at start) make matching API requests fail the way a help desk behind a reverse
//! proxy fails in real life.
//!
//! | kind | the fake performs the request? | what the client gets |
//! |---|---|---|
//! | `500` `502` `503` `504` | no | nginx's HTML error page with that status |
//! | `hang` | no | nothing: the connection stays open without an answer |
//! | `reset` | no | the connection is closed without any answer |
//! | `malformed` | yes | 200 with the real answer cut in half (invalid JSON) |
//! | `wrong_shape` | yes | 200 with valid JSON of the wrong shape (`body`, default a JSON string) |
//! | `huge` | yes | 200 with a JSON string of `bytes` bytes (default 30 MB) |
//! | `slow` | yes | the real answer after `delay_ms` (default 3000) |
//! | `stall` | yes | the status line, headers and half of the real body, then nothing more |
//! | `after_commit_hang`, `after_commit_reset`, `after_commit_500/502/503/504` | yes | as the kind without the prefix, after the write was stored |
//!
//! A rule matches on `method` (optional), `path` (a prefix of the request path; a value starting
//! with `^` is a regular expression), `regex` (a regular expression searched in the path) and, on
//! the fake Znuny, `operation` (the operation its router chose, e.g. `TicketUpdate`). `times`
//! limits how often it fires (default: until cleared), `skip` lets that many matching requests
//! through first. The first matching rule wins. Hanging requests end (connection closed) when
//! the faults are cleared or after `HANG_MAX`.
//!
//! Every faulted request is logged like any other, with `"fault": {"kind", "committed", "rule"}`
//! (`status` is `null` when the client got no status line).
//!
//! Browsers quietly send a request again when a reused keep-alive connection closes before any
//! answer (Chromium's `HttpNetworkTransaction::ShouldResendRequest`, for POST too, within a few
//! milliseconds, once per pooled connection). So that a `reset` reaches the portal as the failure
//! it is, the same request (method, path, query and body) arriving again within `RETRY_WINDOW` of
//! the last reset is reset as well, without being performed, and logged with
//! `"browser_retry": true`. (A test that retries by hand waits longer than that.)

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::body::Frame;
use serde_json::{json, Map, Value};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::Notify;

/// The longest a `hang` or `stall` keeps a connection open.
pub const HANG_MAX: Duration = Duration::from_secs(600);
pub const DEFAULT_SLOW_MS: u64 = 3_000;
pub const DEFAULT_HUGE_BYTES: usize = 30 * 1024 * 1024;
/// How long after a `reset` the same request counts as the browser's own retry.
pub const RETRY_WINDOW: Duration = Duration::from_millis(1000);
const MAX_HUGE_BYTES: usize = 512 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A reverse proxy's error page (500, 502, 503, 504).
    Proxy(u16),
    Hang,
    Reset,
    Malformed,
    WrongShape,
    Huge,
    Slow,
    Stall,
}

impl Kind {
    fn parse(s: &str) -> Option<Self> {
        Some(
            match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
                "500" => Kind::Proxy(500),
                "502" => Kind::Proxy(502),
                "503" => Kind::Proxy(503),
                "504" => Kind::Proxy(504),
                "hang" => Kind::Hang,
                "reset" => Kind::Reset,
                "malformed" => Kind::Malformed,
                "wrong_shape" => Kind::WrongShape,
                "huge" => Kind::Huge,
                "slow" => Kind::Slow,
                "stall" => Kind::Stall,
                _ => return None,
            },
        )
    }

    pub fn name(self) -> String {
        match self {
            Kind::Proxy(s) => s.to_string(),
            Kind::Hang => "hang".into(),
            Kind::Reset => "reset".into(),
            Kind::Malformed => "malformed".into(),
            Kind::WrongShape => "wrong_shape".into(),
            Kind::Huge => "huge".into(),
            Kind::Slow => "slow".into(),
            Kind::Stall => "stall".into(),
        }
    }

    /// Kinds whose answer is built from the real one: the request is performed.
    fn needs_answer(self) -> bool {
        matches!(
            self,
            Kind::Malformed | Kind::WrongShape | Kind::Huge | Kind::Slow | Kind::Stall
        )
    }
}

#[derive(Clone, Debug)]
pub enum PathMatch {
    Prefix(String),
    Regex(regex::Regex),
}

impl PathMatch {
    fn matches(&self, path: &str) -> bool {
        match self {
            PathMatch::Prefix(p) => path.starts_with(p.as_str()),
            PathMatch::Regex(r) => r.is_match(path),
        }
    }

    fn describe(&self) -> String {
        match self {
            PathMatch::Prefix(p) => p.clone(),
            PathMatch::Regex(r) => r.as_str().to_string(),
        }
    }
}

/// One rule as set through the test API.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: u64,
    pub method: Option<String>,
    pub path: Option<PathMatch>,
    pub regex: Option<regex::Regex>,
    pub operation: Option<String>,
    pub kind: Kind,
    pub after_commit: bool,
    pub times: Option<u32>,
    pub skip: u32,
    pub delay_ms: u64,
    pub bytes: usize,
    pub body: Option<Value>,
    /// Requests the rule matched (skipped ones included) and faults it caused.
    pub seen: u32,
    pub fired: u32,
}

fn regex(s: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(s).map_err(|e| format!("invalid regular expression {s:?}: {e}"))
}

fn number(v: Option<&Value>, what: &str) -> Result<Option<u64>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => crate::util::as_i64(Some(v))
            .and_then(|n| u64::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("{what} must be a non-negative number")),
    }
}

impl Rule {
    /// A rule from its JSON form: `{"kind": "502", "method": "PUT", "path": "/api/v1/tickets/",
    /// "regex": "…", "operation": "TicketUpdate", "times": 1, "skip": 0, "after_commit": false,
    /// "delay_ms": 3000, "bytes": 31457280, "body": …}`.
    pub fn from_json(v: &Value) -> Result<Rule, String> {
        let Value::Object(m) = v else {
            return Err("a fault rule must be a JSON object".into());
        };
        for key in m.keys() {
            if ![
                "kind",
                "method",
                "path",
                "regex",
                "operation",
                "times",
                "skip",
                "after_commit",
                "delay_ms",
                "bytes",
                "body",
            ]
            .contains(&key.as_str())
            {
                return Err(format!("unknown fault rule field {key:?}"));
            }
        }
        let kind_text = m
            .get("kind")
            .and_then(crate::util::as_scalar_string)
            .ok_or("a fault rule needs a kind")?;
        let (after_commit, base) = match kind_text.strip_prefix("after_commit_") {
            Some(rest) => (true, rest.to_string()),
            None => (crate::util::flag(m.get("after_commit")), kind_text.clone()),
        };
        let kind = Kind::parse(&base).ok_or_else(|| {
            format!(
                "unknown fault kind {kind_text:?} (use 500, 502, 503, 504, hang, reset, malformed, \
                 wrong_shape, huge, slow, stall, or after_commit_ with hang, reset, 500, 502, 503, 504)"
            )
        })?;
        if after_commit && !matches!(kind, Kind::Hang | Kind::Reset | Kind::Proxy(_)) {
            return Err(format!(
                "after_commit works with hang, reset and the proxy errors, not {base}"
            ));
        }
        let text = |key: &str| -> Result<Option<String>, String> {
            match m.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                Some(_) => Err(format!("{key} must be a non-empty string")),
            }
        };
        let path = match text("path")? {
            None => None,
            Some(p) if p.starts_with('^') => Some(PathMatch::Regex(regex(&p)?)),
            Some(p) => Some(PathMatch::Prefix(p)),
        };
        let regex = text("regex")?.map(|r| regex(&r)).transpose()?;
        let delay_ms = number(m.get("delay_ms"), "delay_ms")?;
        let bytes = number(m.get("bytes"), "bytes")?
            .map(|b| usize::try_from(b).unwrap_or(usize::MAX))
            .unwrap_or(DEFAULT_HUGE_BYTES);
        if bytes > MAX_HUGE_BYTES {
            return Err(format!("bytes may be at most {MAX_HUGE_BYTES}"));
        }
        Ok(Rule {
            id: 0,
            method: text("method")?.map(|s| s.to_ascii_uppercase()),
            path,
            regex,
            operation: text("operation")?,
            kind,
            after_commit,
            times: number(m.get("times"), "times")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            skip: number(m.get("skip"), "skip")?
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                .unwrap_or(0),
            delay_ms: delay_ms.unwrap_or(if kind == Kind::Slow {
                DEFAULT_SLOW_MS
            } else {
                0
            }),
            bytes,
            body: m.get("body").cloned(),
            seen: 0,
            fired: 0,
        })
    }

    /// The `--fault` command-line form: a JSON rule, or words — the kind first, then any of
    /// `METHOD`, `/path/prefix`, `^regex`, `OperationName`, `times=N`, `skip=N`, `delay_ms=N`,
    /// `bytes=N`. Example: `--fault "502 PUT ^/api/v1/tickets/101$ times=2"`.
    pub fn from_flag(s: &str) -> Result<Rule, String> {
        let s = s.trim();
        if s.starts_with('{') {
            let v: Value =
                serde_json::from_str(s).map_err(|e| format!("--fault: invalid JSON: {e}"))?;
            return Rule::from_json(&v);
        }
        let mut words = s.split_whitespace();
        let mut m = Map::new();
        m.insert(
            "kind".into(),
            Value::String(words.next().ok_or("--fault needs a kind")?.to_string()),
        );
        for w in words {
            if let Some((k, v)) = w.split_once('=') {
                let n: u64 = v
                    .parse()
                    .map_err(|_| format!("--fault: {k} must be a number"))?;
                m.insert(k.to_string(), json!(n));
            } else if w.starts_with('/') || w.starts_with('^') {
                m.insert("path".into(), json!(w));
            } else if ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
                .contains(&w.to_ascii_uppercase().as_str())
            {
                m.insert("method".into(), json!(w));
            } else if w.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                m.insert("operation".into(), json!(w));
            } else {
                return Err(format!("--fault: cannot read {w:?}"));
            }
        }
        Rule::from_json(&Value::Object(m))
    }

    fn matches(&self, method: &str, path: &str, operation: Option<&str>) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_ref().is_none_or(|p| p.matches(path))
            && self.regex.as_ref().is_none_or(|r| r.is_match(path))
            && self
                .operation
                .as_deref()
                .is_none_or(|o| Some(o) == operation)
    }

    fn exhausted(&self) -> bool {
        self.times.is_some_and(|t| self.fired >= t)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "kind": if self.after_commit { format!("after_commit_{}", self.kind.name()) } else { self.kind.name() },
            "method": self.method,
            "path": self.path.as_ref().map(PathMatch::describe),
            "regex": self.regex.as_ref().map(|r| r.as_str().to_string()),
            "operation": self.operation,
            "times": self.times,
            "skip": self.skip,
            "delay_ms": self.delay_ms,
            "bytes": self.bytes,
            "body": self.body,
            "seen": self.seen,
            "fired": self.fired,
            "active": !self.exhausted(),
        })
    }
}

/// The fault a request drew.
#[derive(Clone, Debug)]
pub struct Fault {
    pub rule: u64,
    pub kind: Kind,
    pub after_commit: bool,
    /// The browser sending a reset request again by itself.
    pub browser_retry: bool,
    pub delay_ms: u64,
    pub bytes: usize,
    pub body: Option<Value>,
}

impl Fault {
    /// The fake performs the request (and stores a write) before the fault strikes.
    pub fn commits(&self) -> bool {
        self.after_commit || self.kind.needs_answer()
    }

    /// What the log records as the status the client got (`None`: no status line).
    fn status_seen(&self) -> Option<u16> {
        match self.kind {
            Kind::Proxy(s) => Some(s),
            Kind::Hang | Kind::Reset => None,
            _ => Some(200),
        }
    }

    /// Adds `"fault"` to a request-log entry (and corrects its status when the client never
    /// saw the fake's answer).
    pub fn mark(&self, entry: Option<&mut Value>) {
        let Some(Value::Object(m)) = entry else {
            return;
        };
        let kind = if self.after_commit {
            format!("after_commit_{}", self.kind.name())
        } else {
            self.kind.name()
        };
        let mut fault = json!({"kind": kind, "committed": self.commits(), "rule": self.rule});
        if self.browser_retry {
            fault["browser_retry"] = json!(true);
        }
        m.insert("fault".into(), fault);
        if self.after_commit || !self.kind.needs_answer() {
            m.insert("status".into(), json!(self.status_seen()));
        }
    }
}

#[derive(Default)]
struct Rules {
    list: Vec<Rule>,
    next_id: u64,
    /// Requests reset lately: (fingerprint, when, rule).
    resets: Vec<(u64, std::time::Instant, u64)>,
}

/// What identifies a request when the browser sends it again.
pub fn fingerprint(method: &str, path: &str, query: &str, body: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (method, path, query, body).hash(&mut h);
    h.finish()
}

/// The shared rule set plus the signal that ends hanging requests.
#[derive(Clone, Default)]
pub struct Faults {
    rules: Arc<Mutex<Rules>>,
    release: Arc<Notify>,
    generation: Arc<AtomicU64>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, Rules> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn add(&self, mut rule: Rule) -> Value {
        let mut rules = self.lock();
        rules.next_id += 1;
        rule.id = rules.next_id;
        let v = rule.to_json();
        rules.list.push(rule);
        v
    }

    /// Removes every rule and ends every hanging request.
    pub fn clear(&self) {
        let mut rules = self.lock();
        rules.list.clear();
        rules.resets.clear();
        drop(rules);
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.release.notify_waiters();
    }

    pub fn list(&self) -> Value {
        Value::Array(self.lock().list.iter().map(Rule::to_json).collect())
    }

    /// The fault for one request, if a rule matches (counting it against `times`);
    /// `fingerprint` (see `fingerprint()`) recognizes the browser's own retries of a reset.
    pub fn draw(
        &self,
        method: &str,
        path: &str,
        operation: Option<&str>,
        fingerprint: u64,
    ) -> Option<Fault> {
        let mut rules = self.lock();
        let now = std::time::Instant::now();
        rules
            .resets
            .retain(|(_, at, _)| now.duration_since(*at) < RETRY_WINDOW);
        if let Some(entry) = rules.resets.iter_mut().find(|(f, _, _)| *f == fingerprint) {
            entry.1 = now;
            let rule = entry.2;
            return Some(Fault {
                rule,
                kind: Kind::Reset,
                after_commit: false,
                browser_retry: true,
                delay_ms: 0,
                bytes: 0,
                body: None,
            });
        }
        let rule = rules
            .list
            .iter_mut()
            .find(|r| !r.exhausted() && r.matches(method, path, operation))?;
        rule.seen += 1;
        if rule.seen <= rule.skip {
            return None;
        }
        rule.fired += 1;
        let fault = Fault {
            rule: rule.id,
            kind: rule.kind,
            after_commit: rule.after_commit,
            browser_retry: false,
            delay_ms: rule.delay_ms,
            bytes: rule.bytes,
            body: rule.body.clone(),
        };
        if fault.kind == Kind::Reset {
            rules.resets.push((fingerprint, now, fault.rule));
        }
        Some(fault)
    }

    /// Resolves when the faults are cleared or after `HANG_MAX`.
    fn released(&self) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let notify = self.release.clone();
        let generation = self.generation.clone();
        let start = generation.load(Ordering::SeqCst);
        Box::pin(async move {
            let deadline = tokio::time::sleep(HANG_MAX);
            tokio::pin!(deadline);
            loop {
                let notified = notify.notified();
                if generation.load(Ordering::SeqCst) != start {
                    return;
                }
                tokio::select! {
                    _ = notified => {}
                    _ = &mut deadline => return,
                }
            }
        })
    }

    /// The answer to a request the fake did not perform.
    pub async fn refuse(&self, fault: &Fault) -> Response {
        if fault.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
        }
        match fault.kind {
            Kind::Proxy(status) => proxy_error(status),
            Kind::Reset => reset(),
            // Nothing at all until released; then the connection is dropped.
            _ => {
                self.released().await;
                reset()
            }
        }
    }

    /// The answer to a request the fake performed; `answer` is what it would have sent.
    pub async fn spoil(&self, fault: &Fault, answer: Response) -> Response {
        if fault.after_commit {
            return self.refuse(fault).await;
        }
        let (parts, body) = answer.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let json_type = HeaderValue::from_static("application/json; charset=utf-8");
        match fault.kind {
            Kind::Slow => {
                tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
                Response::from_parts(parts, Body::from(bytes))
            }
            Kind::Malformed => {
                let cut = truncate(&bytes);
                let mut resp = Response::from_parts(parts, Body::from(cut));
                *resp.status_mut() = StatusCode::OK;
                resp.headers_mut()
                    .remove(axum::http::header::CONTENT_LENGTH);
                resp
            }
            Kind::WrongShape => {
                let body = fault
                    .body
                    .clone()
                    .unwrap_or_else(|| json!("This is not the answer you are looking for."));
                let mut resp = Response::from_parts(parts, Body::from(body.to_string()));
                *resp.status_mut() = StatusCode::OK;
                let h = resp.headers_mut();
                h.remove(axum::http::header::CONTENT_LENGTH);
                h.insert(axum::http::header::CONTENT_TYPE, json_type);
                resp
            }
            Kind::Huge => {
                let mut resp = Response::from_parts(parts, Body::new(FaultBody::huge(fault.bytes)));
                *resp.status_mut() = StatusCode::OK;
                let h = resp.headers_mut();
                h.insert(
                    axum::http::header::CONTENT_LENGTH,
                    HeaderValue::from(fault.bytes.max(2)),
                );
                h.insert(axum::http::header::CONTENT_TYPE, json_type);
                resp
            }
            Kind::Stall => {
                let len = bytes.len();
                let half = bytes.slice(..len / 2);
                let body = FaultBody {
                    chunks: VecDeque::from([half]),
                    then: Then::Error,
                    wait: Some(self.released()),
                };
                let mut resp = Response::from_parts(parts, Body::new(body));
                // The full length is promised; only half of it ever comes.
                resp.headers_mut()
                    .insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(len));
                resp
            }
            Kind::Proxy(_) | Kind::Hang | Kind::Reset => self.refuse(fault).await,
        }
    }
}

/// The first half of a body, never valid JSON (at least one byte short of the end).
fn truncate(bytes: &Bytes) -> Bytes {
    if bytes.len() < 2 {
        return Bytes::from_static(b"{\"");
    }
    bytes.slice(..bytes.len() / 2)
}

/// nginx's own error pages (`ngx_http_special_response.c`), as a proxy in front of the help
/// desk sends them.
pub fn proxy_error(status: u16) -> Response {
    let title = match status {
        500 => "500 Internal Server Error",
        502 => "502 Bad Gateway",
        503 => "503 Service Temporarily Unavailable",
        504 => "504 Gateway Time-out",
        _ => "500 Internal Server Error",
    };
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut resp = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        page,
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/html"),
    );
    h.insert(
        axum::http::header::SERVER,
        HeaderValue::from_static("nginx"),
    );
    resp
}

/// A response that never gets written: its body fails before the first byte, so hyper closes
/// the connection without sending the status line.
pub fn reset() -> Response {
    let body = FaultBody {
        chunks: VecDeque::new(),
        then: Then::Error,
        wait: None,
    };
    Response::new(Body::new(body))
}

enum Then {
    End,
    Error,
}

/// A response body from chunks, optionally waiting (`wait`) before it ends or fails.
struct FaultBody {
    chunks: VecDeque<Bytes>,
    then: Then,
    wait: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
}

impl FaultBody {
    fn huge(bytes: usize) -> Self {
        const CHUNK: usize = 64 * 1024;
        let fill = Bytes::from(vec![b'x'; CHUNK]);
        let inner = bytes.max(2) - 2;
        let mut chunks = VecDeque::with_capacity(inner / CHUNK + 3);
        chunks.push_back(Bytes::from_static(b"\""));
        let mut left = inner;
        while left > 0 {
            let n = left.min(CHUNK);
            chunks.push_back(fill.slice(..n));
            left -= n;
        }
        chunks.push_back(Bytes::from_static(b"\""));
        FaultBody {
            chunks,
            then: Then::End,
            wait: None,
        }
    }
}

impl hyper::body::Body for FaultBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(chunk) = self.chunks.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        if let Some(wait) = self.wait.as_mut() {
            if wait.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.wait = None;
        }
        match self.then {
            Then::End => Poll::Ready(None),
            Then::Error => Poll::Ready(Some(Err(std::io::Error::other(
                "fault injection: connection closed",
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(v: Value) -> Rule {
        Rule::from_json(&v).unwrap()
    }

    #[test]
    fn reads_rules() {
        let r = rule(
            json!({"kind": "after_commit_hang", "method": "put", "path": "^/api/v1/tickets/\\d+$", "times": 1}),
        );
        assert!(r.after_commit);
        assert_eq!(r.kind, Kind::Hang);
        assert_eq!(r.method.as_deref(), Some("PUT"));
        assert!(r.matches("PUT", "/api/v1/tickets/101", None));
        assert!(!r.matches("PUT", "/api/v1/tickets/101/x", None));
        assert!(!r.matches("GET", "/api/v1/tickets/101", None));
        let r = rule(json!({"kind": 502, "path": "/api/v1/tickets"}));
        assert_eq!(r.kind, Kind::Proxy(502));
        assert!(r.matches("GET", "/api/v1/tickets/search", None));
        let r = rule(json!({"kind": "slow", "operation": "TicketSearch"}));
        assert_eq!(r.delay_ms, DEFAULT_SLOW_MS);
        assert!(r.matches("POST", "/any", Some("TicketSearch")));
        assert!(!r.matches("POST", "/any", Some("TicketGet")));
        assert!(!r.matches("POST", "/any", None));
        for bad in [
            json!({"kind": "teapot"}),
            json!({"kind": "after_commit_slow"}),
            json!({"kind": "hang", "path": "^("}),
            json!({"kind": "hang", "times": -1}),
            json!({"kind": "hang", "colour": "red"}),
            json!(["hang"]),
        ] {
            assert!(Rule::from_json(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_flags() {
        let r = Rule::from_flag("504 PUT ^/api/v1/tickets/101$ times=2 delay_ms=10").unwrap();
        assert_eq!(r.kind, Kind::Proxy(504));
        assert_eq!(r.method.as_deref(), Some("PUT"));
        assert_eq!(r.times, Some(2));
        assert_eq!(r.delay_ms, 10);
        let r = Rule::from_flag("hang TicketUpdate").unwrap();
        assert_eq!(r.operation.as_deref(), Some("TicketUpdate"));
        let r = Rule::from_flag(r#"{"kind":"reset","path":"/api/"}"#).unwrap();
        assert_eq!(r.kind, Kind::Reset);
        assert!(Rule::from_flag("").is_err());
        assert!(Rule::from_flag("hang what?").is_err());
    }

    #[test]
    fn times_and_skip() {
        let f = Faults::default();
        f.add(rule(
            json!({"kind": "500", "path": "/a", "times": 1, "skip": 1}),
        ));
        f.add(rule(json!({"kind": "reset", "path": "/a"})));
        // The first matching request passes the first rule (skip) and draws nothing.
        assert!(f.draw("GET", "/a", None, 1).is_none());
        assert_eq!(f.draw("GET", "/a", None, 2).unwrap().kind, Kind::Proxy(500));
        // The first rule is used up; the second one never ends.
        assert_eq!(f.draw("GET", "/a", None, 3).unwrap().kind, Kind::Reset);
        assert_eq!(f.draw("GET", "/a", None, 4).unwrap().kind, Kind::Reset);
        assert!(f.draw("GET", "/b", None, 5).is_none());
        f.clear();
        assert!(f.draw("GET", "/a", None, 6).is_none());
        assert_eq!(f.list(), json!([]));
    }

    #[test]
    fn marks_log_entries() {
        let fault = |v| {
            let f = Faults::default();
            f.add(rule(v));
            f.draw("PUT", "/x", None, 1).unwrap()
        };
        let mut entry = json!({"status": 200});
        fault(json!({"kind": "after_commit_reset"})).mark(Some(&mut entry));
        assert_eq!(
            entry,
            json!({"status": null, "fault": {"kind": "after_commit_reset", "committed": true, "rule": 1}})
        );
        let mut entry = json!({"status": 200});
        fault(json!({"kind": "malformed"})).mark(Some(&mut entry));
        assert_eq!(entry["status"], 200);
        assert_eq!(entry["fault"]["committed"], true);
        let mut entry = json!({"status": 200});
        fault(json!({"kind": "502"})).mark(Some(&mut entry));
        assert_eq!(entry["status"], 502);
        assert_eq!(entry["fault"]["committed"], false);
    }

    #[test]
    fn resets_the_browsers_own_retry_too() {
        let f = Faults::default();
        f.add(rule(json!({"kind": "after_commit_reset", "times": 1})));
        let first = f.draw("POST", "/t", None, 7).unwrap();
        assert!(first.after_commit && first.commits() && !first.browser_retry);
        // The same request again: reset, not performed, although the rule is used up.
        let again = f.draw("POST", "/t", None, 7).unwrap();
        assert!(again.browser_retry && !again.commits());
        assert_eq!(again.kind, Kind::Reset);
        let mut entry = json!({});
        again.mark(Some(&mut entry));
        assert_eq!(entry["fault"]["browser_retry"], true);
        // Another request is not a retry.
        assert!(f.draw("POST", "/t", None, 8).is_none());
    }

    #[test]
    fn truncates_into_invalid_json() {
        for body in [&b"{}"[..], b"[1]", b"{\"a\":1}", b"", b"x"] {
            let cut = truncate(&Bytes::copy_from_slice(body));
            assert!(serde_json::from_slice::<Value>(&cut).is_err(), "{cut:?}");
        }
    }
}
