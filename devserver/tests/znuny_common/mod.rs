//! Helpers for the Znuny tests: an in-process server (`--backend znuny --test-api`) driven
//! with `tower::ServiceExt::oneshot`, and small request builders.
#![allow(dead_code)]

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use axum::Router;
use devserver::znuny::store::{Clock, Seed, Settings, Store};
use devserver::{build, AppState, Backend, Options};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use tower::ServiceExt;

pub mod real;

pub const BASE: &str = "/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST";

pub struct Server {
    pub router: Router,
    pub state: AppState,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "response is not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// `{"Error":{…}}` → (code, message)
    pub fn error(&self) -> Option<(String, String)> {
        let v = self.json();
        let e = v.get("Error")?;
        Some((
            e["ErrorCode"].as_str()?.to_string(),
            e["ErrorMessage"].as_str()?.to_string(),
        ))
    }
}

/// A server with the demo seed and a manual clock at `now_ms`.
pub fn server_with(settings: Settings, now_ms: i64) -> Server {
    let opts = Options {
        dist: PathBuf::from("/nonexistent/devserver-test-dist"),
        config: PathBuf::from("/nonexistent/devserver-test-config.json"),
        backend: Backend::Znuny,
        znuny: settings.clone(),
        test_api: true,
        quiet: true,
        ..Options::default()
    };
    let (router, state) = build(&opts);
    *state.lock_znuny() = Store::new(Seed::Demo, settings, Clock::Manual(now_ms));
    Server { router, state }
}

/// 2026-11-24 10:00:00 UTC
pub const DEMO_NOW: i64 = 1_795_514_400_000;

pub fn server() -> Server {
    server_with(Settings::default(), DEMO_NOW)
}

impl Server {
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
        peer: Option<&str>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        if let Some(body) = &body {
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            {
                b = b.header("content-length", body.len().to_string());
            }
        }
        let mut req = b
            .body(match body {
                Some(v) => Body::from(v),
                None => Body::empty(),
            })
            .expect("request");
        if let Some(p) = peer {
            let addr: SocketAddr = p.parse().expect("peer address");
            req.extensions_mut().insert(ConnectInfo(addr));
        }
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body")
            .to_vec();
        Resp {
            status,
            headers,
            bytes,
        }
    }

    /// A call below the web service base with an optional JSON body and session header.
    pub async fn call(
        &self,
        method: &str,
        route: &str,
        sid: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut h: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
        if let Some(s) = sid {
            h.push(("X-OTRS-Header-SessionID", s));
        }
        self.raw(
            method,
            &format!("{BASE}{route}"),
            &h,
            body.map(|b| b.to_string().into_bytes()),
            None,
        )
        .await
    }

    pub async fn login(&self, login: &str, password: &str) -> String {
        let r = self
            .call(
                "POST",
                "/Session",
                None,
                Some(json!({"CustomerUserLogin": login, "Password": password})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["SessionID"]
            .as_str()
            .unwrap_or_else(|| panic!("no SessionID: {}", r.text()))
            .to_string()
    }

    pub async fn alice(&self) -> String {
        self.login("alice", "alice-demo").await
    }

    pub async fn agent(&self) -> String {
        let r = self
            .call(
                "POST",
                "/Session",
                None,
                Some(json!({"UserLogin": "emma", "Password": "emma-demo"})),
            )
            .await;
        r.json()["SessionID"]
            .as_str()
            .expect("agent session")
            .to_string()
    }

    /// TicketSearch (table A) → the list of IDs (empty for `{}`).
    pub async fn search(&self, sid: &str, mut body: Value) -> Vec<String> {
        body["SessionID"] = Value::from(sid);
        let r = self
            .call("POST", "/Ticket/Search", Some(sid), Some(body))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        assert!(v.get("Error").is_none(), "search failed: {v}");
        v.get("TicketID")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().expect("string id").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub async fn test_api(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        self.raw(
            method,
            &format!("/__test{path}"),
            &[("Content-Type", "application/json")],
            body.map(|b| b.to_string().into_bytes()),
            None,
        )
        .await
    }

    pub fn advance(&self, seconds: i64) {
        self.state.lock_znuny().advance(seconds);
    }
}

/// How `compare` judges an answer against the expected one.
pub struct Compare<'a> {
    /// Values too (the recordings: the fake is seeded and clocked like them), or only the shape:
    /// keys and value types recursively, arrays element by element as far as both go, pairs of
    /// `SessionData` matched by their `Key` (the real server: its data differ).
    pub values: bool,
    /// Keys whose values may differ even when values are compared.
    pub volatile: &'a [&'a str],
    /// Recorded SessionID → the one the fake issued.
    pub sessions: &'a HashMap<String, String>,
}

/// Keys whose values are compared also in shape mode: the business error is the contract.
const EXACT_IN_SHAPE_MODE: [&str; 2] = ["ErrorCode", "ErrorMessage"];

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The `Key` of a `{"Key":…,"Value":…}` pair.
fn pair_key(v: &Value) -> Option<&str> {
    v.get("Key").and_then(Value::as_str)
}

/// Compares `actual` with `expected` below `path` (`key`: the object key holding them) and
/// appends one line per difference to `errs`.
pub fn compare(
    path: &str,
    key: &str,
    expected: &Value,
    actual: &Value,
    how: &Compare,
    errs: &mut Vec<String>,
) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for k in e.keys() {
                if !a.contains_key(k) {
                    errs.push(format!("{path}.{k} missing"));
                }
            }
            for k in a.keys() {
                if !e.contains_key(k) {
                    errs.push(format!("{path}.{k} unexpected"));
                }
            }
            for (k, ev) in e {
                if let Some(av) = a.get(k) {
                    compare(&format!("{path}.{k}"), k, ev, av, how, errs);
                }
            }
        }
        (Value::Array(e), Value::Array(a))
            if !how.values
                && e.iter().chain(a.iter()).all(|v| pair_key(v).is_some())
                && !(e.is_empty() && a.is_empty()) =>
        {
            // SessionData: the same keys, each with the same shape.
            let by_key = |list: &Vec<Value>| -> HashMap<String, Value> {
                list.iter()
                    .filter_map(|v| Some((pair_key(v)?.to_string(), v.clone())))
                    .collect()
            };
            let (e, a) = (by_key(e), by_key(a));
            let mut keys: Vec<&String> = e.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                match (e.get(k), a.get(k)) {
                    (Some(ev), Some(av)) => compare(&format!("{path}[{k}]"), k, ev, av, how, errs),
                    (Some(_), None) => errs.push(format!("{path}[{k}] missing")),
                    _ => errs.push(format!("{path}[{k}] unexpected")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if how.values && e.len() != a.len() {
                errs.push(format!(
                    "{path}: {} elements expected, got {}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a.iter()).enumerate() {
                // SessionData entries: name the pair by its key.
                let label = pair_key(ev)
                    .map(|k| format!("{path}[{k}]"))
                    .unwrap_or_else(|| format!("{path}[{i}]"));
                let inner_key = pair_key(ev).unwrap_or(key);
                compare(&label, inner_key, ev, av, how, errs);
            }
        }
        (e, a) if kind(e) != kind(a) => errs.push(format!(
            "{path}: expected {} ({e}), got {} ({a})",
            kind(e),
            kind(a)
        )),
        (e, a) => {
            if how.volatile.contains(&key) || !(how.values || EXACT_IN_SHAPE_MODE.contains(&key)) {
                return;
            }
            let e_mapped = match e {
                Value::String(s) if key == "SessionID" => {
                    Value::String(how.sessions.get(s).cloned().unwrap_or_else(|| s.clone()))
                }
                other => other.clone(),
            };
            if &e_mapped != a {
                errs.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}
