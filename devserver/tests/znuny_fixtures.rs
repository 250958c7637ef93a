//! Replays every exchange of `fixtures/znuny-7.1.7/` in order against a fake seeded
//! like the recording (the `recording` seed: alice, bob, root@localhost, the stock queues and
//! the welcome ticket) and compares status, content type, the response headers and the
//! response: plain-text bodies and error texts exactly, JSON by keys and value types
//! recursively, and by value except for a few volatile keys. Session IDs are mapped from the
//! recording to the ones the fake issued; the fake clock follows the recording's seconds so
//! timestamps, ticket numbers and the search order line up.

mod znuny_common;

use devserver::znuny::store::{Clock, Seed, Settings, Store};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use znuny_common::*;

/// The recorded exchanges, kept in the repository (`fixtures/znuny-7.1.7/`, see `fixtures/README.md`);
/// `ZNUNY_FIXTURES` points elsewhere. A missing folder fails the test instead of skipping it.
fn fixture_dir() -> PathBuf {
    let dir = std::env::var_os("ZNUNY_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/znuny-7.1.7")
        });
    assert!(
        dir.is_dir(),
        "Znuny fixtures not found at {} (set ZNUNY_FIXTURES)",
        dir.display()
    );
    dir
}

/// 2026-11-24 04:46:40 UTC, the recording's first second.
const T0: i64 = 1_795_495_600;

/// Seconds after T0 at which an exchange happened (derived from the recorded timestamps).
fn offset(n: u32) -> i64 {
    match n {
        1..=9 => 0,
        10..=27 => 1,
        28..=37 => 2,
        _ => 3,
    }
}

/// Keys whose values legitimately differ between the recording and the fake.
const VOLATILE: [&str; 3] = ["Age", "UserRemoteUserAgent", "UserRemoteAddr"];

fn substitute(v: &Value, sessions: &HashMap<String, String>) -> Value {
    match v {
        Value::String(s) => Value::String(sessions.get(s).cloned().unwrap_or_else(|| s.clone())),
        Value::Array(a) => Value::Array(a.iter().map(|x| substitute(x, sessions)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), substitute(x, sessions)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn recording_server() -> Server {
    let srv = server();
    *srv.state.lock_znuny() = Store::new(
        Seed::Recording,
        Settings::default(),
        Clock::Manual(T0 * 1000),
    );
    srv
}

#[tokio::test]
async fn replay_every_fixture_in_order() {
    let dir = fixture_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 58,
        "expected the 58 recorded exchanges, found {}",
        files.len()
    );

    let srv = recording_server();
    let mut sessions: HashMap<String, String> = HashMap::new();
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let n: u32 = name[..2].parse().expect("numbered fixture");
        let fx: Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("read")).expect("json");
        srv.state.lock_znuny().clock = Clock::Manual((T0 + offset(n)) * 1000);

        let method = fx["method"].as_str().unwrap();
        let mut path = fx["path"].as_str().unwrap().to_string();
        for (rec, act) in &sessions {
            path = path.replace(rec.as_str(), act);
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(h) = fx["request_headers"].as_object() {
            for (k, v) in h {
                headers.push((k.clone(), v.as_str().unwrap_or("").to_string()));
            }
        }
        // Exchanges 30–32 also sent Origin (30: a full preflight).
        if (30..=32).contains(&n) {
            headers.push(("Origin".into(), "http://localhost:3000".into()));
        }
        if n == 30 {
            headers.push(("Access-Control-Request-Method".into(), "POST".into()));
            headers.push((
                "Access-Control-Request-Headers".into(),
                "content-type".into(),
            ));
        }
        headers.push(("User-Agent".into(), "curl/7.88.1".into()));
        let body = match &fx["request_body"] {
            Value::Null => None,
            Value::String(s) => Some(s.clone().into_bytes()),
            other => Some(substitute(other, &sessions).to_string().into_bytes()),
        };
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let resp = srv
            .raw(
                method,
                &format!("{BASE}{path}"),
                &h,
                body,
                Some("127.0.0.1:40000"),
            )
            .await;

        let mut errs = Vec::new();
        let status = fx["status"].as_u64().unwrap() as u16;
        if resp.status != status {
            errs.push(format!("status: expected {status}, got {}", resp.status));
        }
        let ct = fx["response_content_type"].as_str().unwrap();
        if resp.content_type() != ct {
            errs.push(format!(
                "content type: expected {ct:?}, got {:?}",
                resp.content_type()
            ));
        }
        let mut names: Vec<String> = resp
            .headers
            .keys()
            .map(|k| k.as_str().to_string())
            .collect();
        names.sort();
        if names != ["connection", "content-length", "content-type"] {
            errs.push(format!("headers: {names:?}"));
        }
        if resp.headers.get("connection").and_then(|v| v.to_str().ok()) != Some("Keep-Alive") {
            errs.push("Connection is not Keep-Alive".into());
        }
        match &fx["response_body"] {
            Value::String(text) => {
                if &resp.text() != text {
                    errs.push(format!("body: expected {text:?}, got {:?}", resp.text()));
                }
            }
            expected => match serde_json::from_slice::<Value>(&resp.bytes) {
                Ok(actual) => {
                    // New sessions: remember the mapping before comparing.
                    if let (Some(rec), Some(act)) = (
                        expected.get("SessionID").and_then(Value::as_str),
                        actual.get("SessionID").and_then(Value::as_str),
                    ) {
                        assert_eq!(act.len(), 32, "{name}: SessionID length");
                        assert!(act.bytes().all(|b| b.is_ascii_alphanumeric()));
                        sessions.insert(rec.to_string(), act.to_string());
                    }
                    let how = Compare {
                        values: true,
                        volatile: &VOLATILE,
                        sessions: &sessions,
                    };
                    compare("$", "", expected, &actual, &how, &mut errs);
                    // The answer must be byte-for-byte sorted compact JSON.
                    let re = devserver::znuny::json::encode(&actual);
                    if re.as_bytes() != resp.bytes.as_slice() {
                        errs.push("body is not sorted compact JSON".into());
                    }
                }
                Err(e) => errs.push(format!("body is not JSON ({e}): {}", resp.text())),
            },
        }
        if !errs.is_empty() {
            failures.push(format!("{name}:\n  {}", errs.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
