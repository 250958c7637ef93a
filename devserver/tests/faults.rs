//! Fault injection on both fakes, over real TCP connections (what a browser sees matters here:
//! a closed connection, a missing status line, a body that stops).

use devserver::znuny::store::Settings;
use devserver::{build, Backend, Options};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const GI: &str = "/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST";

async fn start(backend: Backend) -> SocketAddr {
    let opts = Options {
        dist: PathBuf::from("/nonexistent/devserver-test-dist"),
        config: PathBuf::from("/nonexistent/devserver-test-config.json"),
        backend,
        znuny: Settings::default(),
        test_api: true,
        quiet: true,
        ..Options::default()
    };
    let (router, _state) = build(&opts);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        match backend {
            Backend::Zammad => {
                let _ = axum::serve(listener, router).await;
            }
            Backend::Znuny => {
                let _ = devserver::serve::serve_without_date(
                    listener,
                    router,
                    std::future::pending::<()>(),
                )
                .await;
            }
        }
    });
    addr
}

/// What came back on one connection: the status (if a status line came), the body bytes after
/// the head, whether the server closed the connection, and how long it took.
struct Got {
    status: Option<u16>,
    head: String,
    body: Vec<u8>,
    closed: bool,
    took: Duration,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
    wait: Duration,
) -> Got {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let data = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if body.is_some() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{data}", data.len()));
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let mut buf = vec![0u8; 65536];
    let deadline = tokio::time::Instant::now() + wait;
    let closed = loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => break false,
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => raw.extend_from_slice(&buf[..n]),
        }
    };
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n");
    let (head, body) = match split {
        Some(i) => (
            String::from_utf8_lossy(&raw[..i]).into_owned(),
            raw[i + 4..].to_vec(),
        ),
        None => (String::from_utf8_lossy(&raw).into_owned(), Vec::new()),
    };
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    Got {
        status,
        head,
        body,
        closed,
        took: started.elapsed(),
    }
}

const SHORT: Duration = Duration::from_secs(5);

async fn test_api(addr: SocketAddr, method: &str, path: &str, body: Option<Value>) -> Value {
    let got = http(addr, method, path, &[], body.as_ref(), SHORT).await;
    assert_eq!(got.status, Some(200), "{method} {path}: {}", got.head);
    got.json()
}

async fn fault(addr: SocketAddr, rule: Value) {
    test_api(addr, "POST", "/__test/faults", Some(rule)).await;
}

async fn log(addr: SocketAddr) -> Vec<Value> {
    match test_api(addr, "GET", "/__test/requests", None).await {
        Value::Array(a) => a,
        other => panic!("{other}"),
    }
}

/// A Zammad token for alice.
async fn zammad_token(addr: SocketAddr) -> String {
    let got = http(
        addr,
        "POST",
        "/api/v1/user_access_token",
        &[
            (
                "Authorization",
                "Basic YWxpY2VAZXhhbXBsZS5jb206YWxpY2UtZGVtbw==",
            ),
            ("Accept", "application/json"),
        ],
        Some(&json!({"name": "t", "permission": ["ticket.customer"]})),
        SHORT,
    )
    .await;
    got.json()["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn every_kind_on_the_fake_zammad() {
    let addr = start(Backend::Zammad).await;
    let token = format!("Token token={}", zammad_token(addr).await);
    let auth = [
        ("Authorization", token.as_str()),
        ("Accept", "application/json"),
    ];
    let me = |wait| http(addr, "GET", "/api/v1/users/me", &auth, None, wait);
    let normal = me(SHORT).await;
    assert_eq!(normal.status, Some(200));
    let real_len = normal.body.len();

    fault(
        addr,
        json!({"kind": "502", "path": "/api/v1/users/me", "times": 1}),
    )
    .await;
    let got = me(SHORT).await;
    assert_eq!(got.status, Some(502));
    assert!(
        got.head.to_ascii_lowercase().contains("server: nginx"),
        "{}",
        got.head
    );
    assert!(String::from_utf8_lossy(&got.body).contains("<h1>502 Bad Gateway</h1>"));
    assert_eq!(me(SHORT).await.status, Some(200), "times: 1");

    fault(
        addr,
        json!({"kind": "reset", "path": "/api/v1/users/me", "times": 1}),
    )
    .await;
    let got = me(SHORT).await;
    assert!(
        got.closed && got.status.is_none() && got.head.is_empty(),
        "{}",
        got.head
    );
    tokio::time::sleep(Duration::from_millis(1_100)).await;

    fault(
        addr,
        json!({"kind": "malformed", "path": "/api/v1/users/me", "times": 1}),
    )
    .await;
    let got = me(SHORT).await;
    assert_eq!(got.status, Some(200));
    assert!(serde_json::from_slice::<Value>(&got.body).is_err());
    assert_eq!(got.body.len(), real_len / 2);

    fault(
        addr,
        json!({"kind": "wrong_shape", "path": "/api/v1/users/me", "times": 1}),
    )
    .await;
    let got = me(SHORT).await;
    assert_eq!(got.status, Some(200));
    assert!(got.json().is_string());

    fault(
        addr,
        json!({"kind": "huge", "path": "/api/v1/users/me", "times": 1, "bytes": 300_000}),
    )
    .await;
    let got = me(SHORT).await;
    assert_eq!(got.body.len(), 300_000);
    assert_eq!(got.json().as_str().map(str::len), Some(299_998));

    fault(
        addr,
        json!({"kind": "slow", "path": "/api/v1/users/me", "times": 1, "delay_ms": 300}),
    )
    .await;
    let got = me(SHORT).await;
    assert_eq!(got.status, Some(200));
    assert!(got.took >= Duration::from_millis(300), "{:?}", got.took);
    assert_eq!(got.body.len(), real_len);

    fault(
        addr,
        json!({"kind": "stall", "path": "/api/v1/users/me", "times": 1}),
    )
    .await;
    let got = me(Duration::from_millis(500)).await;
    assert_eq!(got.status, Some(200));
    assert!(!got.closed, "a stalled answer keeps the connection open");
    assert_eq!(got.body.len(), real_len / 2);
    assert!(
        got.head.contains(&format!("content-length: {real_len}")),
        "{}",
        got.head
    );

    // A hang ends when the rules are cleared.
    fault(addr, json!({"kind": "hang", "path": "/api/v1/users/me"})).await;
    let owned = token.clone();
    let hanging = tokio::spawn(async move {
        let auth = [
            ("Authorization", owned.as_str()),
            ("Accept", "application/json"),
        ];
        http(
            addr,
            "GET",
            "/api/v1/users/me",
            &auth,
            None,
            Duration::from_secs(10),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(!hanging.is_finished());
    test_api(addr, "DELETE", "/__test/faults", None).await;
    let got = hanging.await.unwrap();
    assert!(got.closed && got.status.is_none());
    assert!(got.took < Duration::from_secs(5));

    // The log tells the faults apart.
    let faults: Vec<(Value, Value)> = log(addr)
        .await
        .into_iter()
        .filter(|r| r.get("fault").is_some())
        .map(|r| (r["fault"]["kind"].clone(), r["status"].clone()))
        .collect();
    assert_eq!(
        faults,
        [
            (json!("502"), json!(502)),
            (json!("reset"), json!(null)),
            (json!("malformed"), json!(200)),
            (json!("wrong_shape"), json!(200)),
            (json!("huge"), json!(200)),
            (json!("slow"), json!(200)),
            (json!("stall"), json!(200)),
            (json!("hang"), json!(null)),
        ]
    );
}

#[tokio::test]
async fn after_commit_the_write_is_stored_and_the_answer_lost() {
    let addr = start(Backend::Zammad).await;
    let token = format!("Token token={}", zammad_token(addr).await);
    let auth = [
        ("Authorization", token.as_str()),
        ("Accept", "application/json"),
    ];
    let tickets =
        || async { test_api(addr, "GET", "/__test/state", None).await["tickets"].clone() };
    let before = tickets().await.as_u64().unwrap();
    fault(addr, json!({"kind": "after_commit_reset", "method": "POST", "path": "^/api/v1/tickets$", "times": 1})).await;
    let create = json!({"title": "Lost answer", "group_id": 2,
        "article": {"body": "Stored anyway", "type": "web", "content_type": "text/plain"}});
    let got = http(addr, "POST", "/api/v1/tickets", &auth, Some(&create), SHORT).await;
    assert!(got.closed && got.status.is_none());
    assert_eq!(
        tickets().await,
        json!(before + 1),
        "the write was not performed"
    );
    // The browser's immediate resend of the same request is reset too, and not performed.
    let got = http(addr, "POST", "/api/v1/tickets", &auth, Some(&create), SHORT).await;
    assert!(got.closed && got.status.is_none());
    assert_eq!(
        tickets().await,
        json!(before + 1),
        "the browser's resend was performed"
    );
    // Later, the same request is the portal's own and goes through.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let got = http(addr, "POST", "/api/v1/tickets", &auth, Some(&create), SHORT).await;
    assert_eq!(got.status, Some(201));
    let marks: Vec<Value> = log(addr)
        .await
        .into_iter()
        .filter(|r| r["path"] == "/api/v1/tickets")
        .map(|r| r["fault"].clone())
        .collect();
    assert_eq!(
        marks,
        [
            json!({"kind": "after_commit_reset", "committed": true, "rule": 1}),
            json!({"kind": "reset", "committed": false, "rule": 1, "browser_retry": true}),
            json!(null),
        ]
    );

    fault(addr, json!({"kind": "after_commit_504", "method": "POST", "path": "^/api/v1/tickets$", "times": 1})).await;
    let got = http(addr, "POST", "/api/v1/tickets", &auth, Some(&create), SHORT).await;
    assert_eq!(got.status, Some(504));
    assert!(String::from_utf8_lossy(&got.body).contains("504 Gateway Time-out"));
    assert_eq!(tickets().await, json!(before + 3));
}

#[tokio::test]
async fn the_fake_znuny_matches_operations() {
    let addr = start(Backend::Znuny).await;
    let session = http(
        addr,
        "POST",
        &format!("{GI}/Session"),
        &[],
        Some(&json!({"CustomerUserLogin": "alice", "Password": "alice-demo"})),
        SHORT,
    )
    .await
    .json()["SessionID"]
        .as_str()
        .unwrap()
        .to_string();
    let header = [("X-OTRS-Header-SessionID", session.as_str())];
    fault(
        addr,
        json!({"kind": "after_commit_hang", "operation": "TicketUpdate", "times": 1}),
    )
    .await;
    fault(
        addr,
        json!({"kind": "503", "operation": "TicketSearch", "times": 1}),
    )
    .await;

    let search = json!({"SessionID": session});
    let got = http(
        addr,
        "POST",
        &format!("{GI}/Ticket/Search"),
        &header,
        Some(&search),
        SHORT,
    )
    .await;
    assert_eq!(got.status, Some(503));
    let got = http(
        addr,
        "POST",
        &format!("{GI}/Ticket/Search"),
        &header,
        Some(&search),
        SHORT,
    )
    .await;
    assert_eq!(got.status, Some(200));

    let reply = json!({"SessionID": session, "Article": {"Subject": "Re", "Body": "Stored, never answered",
        "ContentType": "text/plain; charset=utf-8", "From": "\"Alice Anders\" <alice@example.com>"}});
    let got = http(
        addr,
        "PATCH",
        &format!("{GI}/Ticket/101"),
        &header,
        Some(&reply),
        Duration::from_millis(500),
    )
    .await;
    assert!(!got.closed && got.status.is_none(), "{}", got.head);
    let stored = test_api(addr, "GET", "/__test/tickets/101", None).await;
    let last = stored["articles"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["body"], "Stored, never answered");
    let logged = log(addr).await;
    let update = logged
        .iter()
        .find(|r| r["operation"] == "TicketUpdate")
        .unwrap();
    assert_eq!(update["fault"]["kind"], "after_commit_hang");
    assert_eq!(update["fault"]["committed"], true);
    assert_eq!(update["status"], Value::Null);
    test_api(addr, "POST", "/__test/reset", Some(json!({}))).await;
    assert_eq!(
        test_api(addr, "GET", "/__test/faults", None).await,
        json!([])
    );
}

#[tokio::test]
async fn rules_are_checked() {
    let addr = start(Backend::Zammad).await;
    for bad in [
        json!({"kind": "teapot"}),
        json!({"kind": "after_commit_malformed"}),
        json!({"kind": "hang", "regex": "("}),
        json!([{"kind": "hang"}, {"kind": "nope"}]),
    ] {
        let got = http(addr, "POST", "/__test/faults", &[], Some(&bad), SHORT).await;
        assert_eq!(got.status, Some(400), "{bad}");
    }
    assert_eq!(
        test_api(addr, "GET", "/__test/faults", None).await,
        json!([])
    );
    let added = test_api(
        addr,
        "PUT",
        "/__test/faults",
        Some(json!({"rules": [{"kind": "500", "path": "/api/"}, {"kind": "slow", "operation": "TicketGet"}]})),
    )
    .await;
    assert_eq!(added["rules"].as_array().unwrap().len(), 2);
    assert_eq!(added["rules"][1]["delay_ms"], 3000);
    // Static files and the test API are never faulted.
    let got = http(addr, "GET", "/__test/state", &[], None, SHORT).await;
    assert_eq!(got.status, Some(200));
}
