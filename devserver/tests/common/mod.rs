//! Helpers shared by the integration tests: an in-process server driven with
//! `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

pub mod shape;

use axum::body::Body;
use axum::http::{HeaderMap, Request};
use axum::Router;
use devserver::zammad::store::ZVersion;
use devserver::{build, AppState, Options};
use serde_json::{json, Value};
use std::path::PathBuf;
use tower::ServiceExt;

pub struct Server {
    pub router: Router,
    pub state: AppState,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "response is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

pub fn server_with(version: ZVersion, dist: Option<PathBuf>, mounts: &[&str]) -> Server {
    let opts = Options {
        dist: dist.unwrap_or_else(|| PathBuf::from("/nonexistent/devserver-test-dist")),
        config: PathBuf::from("/nonexistent/devserver-test-config.json"),
        mounts: mounts.iter().map(|m| m.to_string()).collect(),
        zammad_version: version,
        test_api: true,
        quiet: true,
        ..Options::default()
    };
    let (router, state) = build(&opts);
    Server { router, state }
}

pub fn server(version: ZVersion) -> Server {
    server_with(version, None, &[])
}

pub const JSON_HEADERS: [(&str, &str); 2] = [
    ("Accept", "application/json"),
    ("Content-Type", "application/json"),
];

impl Server {
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = match body {
            Some(v) => Body::from(v.to_string()),
            None => Body::empty(),
        };
        let resp = self
            .router
            .clone()
            .oneshot(b.body(body).expect("request"))
            .await
            .expect("infallible");
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

    /// A JSON API call with `Accept`/`Content-Type` set and optional `Authorization`.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut h: Vec<(&str, &str)> = JSON_HEADERS.to_vec();
        if let Some(a) = auth {
            h.push(("Authorization", a));
        }
        self.send(method, path, &h, body.as_ref()).await
    }

    /// Mints a token for `login` via Basic auth and returns `Token token=…`.
    pub async fn token_for(&self, login: &str, password: &str) -> String {
        let basic = basic(login, password);
        let r = self
            .api(
                "POST",
                "/api/v1/user_access_token",
                Some(&basic),
                Some(json!({"name": "portal", "label": "portal",
                            "permission": ["ticket.customer", "user_preferences.access_token"],
                            "expires_at": "2999-12-31"})),
            )
            .await;
        assert_eq!(r.status, 200, "token mint failed: {}", r.text());
        let v = r.json();
        let t = v
            .get("token")
            .or_else(|| v.get("name"))
            .and_then(Value::as_str)
            .expect("token value")
            .to_string();
        format!("Token token={t}")
    }

    pub async fn alice(&self) -> String {
        self.token_for("alice", "alice-demo").await
    }

    pub async fn test_api(&self, method: &str, path: &str, body: Value) -> Resp {
        self.send(method, &format!("/__test{path}"), &[], Some(&body))
            .await
    }

    /// signshow → CSRF token, signin → session cookie. Returns (cookie, csrf).
    pub async fn session(&self, login: &str, password: &str) -> (String, String) {
        let r = self.api("GET", "/api/v1/signshow", None, None).await;
        let csrf = r.header("csrf-token").expect("CSRF-TOKEN");
        let r = self
            .send(
                "POST",
                "/api/v1/signin",
                &[
                    ("Accept", "application/json"),
                    ("Content-Type", "application/json"),
                    ("X-CSRF-Token", &csrf),
                ],
                Some(&json!({"username": login, "password": password, "fingerprint": "test", "remember_me": false})),
            )
            .await;
        assert_eq!(r.status, 201, "signin failed: {}", r.text());
        let cookie = r
            .header("set-cookie")
            .expect("Set-Cookie")
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string();
        let csrf = r.header("csrf-token").expect("CSRF-TOKEN after signin");
        (cookie, csrf)
    }
}

pub fn basic(login: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{login}:{password}"))
    )
}

pub fn is_masked(v: &Value) -> bool {
    let e = v.get("error").and_then(Value::as_str).unwrap_or("");
    e.starts_with("Error ID ")
        && e.ends_with(": Please contact your administrator.")
        && v.get("error_human").is_none()
}
