//! Replays the example exchanges of `fixtures/zammad/` against the fake and compares
//! status, error texts, meaningful headers and the response's key set and value types.
//! The fixtures use another seed (Jane Doe, ticket 41 …), so ids are mapped and literal
//! values are not compared.

mod common;

use common::shape::{assert_shape, Rules};
use common::*;
use devserver::zammad::render::CUSTOMER_SELF_HIDDEN;
use devserver::zammad::store::ZVersion;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;

/// The recorded exchanges, kept in the repository (`fixtures/zammad/`, see `fixtures/README.md`);
/// `ZAMMAD_FIXTURES` points elsewhere. A missing folder fails the test instead of skipping it.
fn fixture_dir() -> PathBuf {
    let dir = std::env::var_os("ZAMMAD_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/zammad"));
    assert!(
        dir.is_dir(),
        "fixtures not found at {} (set ZAMMAD_FIXTURES)",
        dir.display()
    );
    dir
}

fn load(name: &str) -> Option<Value> {
    let dir = fixture_dir();
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// Fixture ids → seed ids (tickets, articles, attachments).
fn id_map() -> HashMap<u64, u64> {
    HashMap::from([
        (40, 103),
        (41, 101),
        (42, 102),
        (44, 107),
        (101, 1001),
        (102, 1002),
        (103, 1003),
        (17, 501),
    ])
}

/// Columns that only newer releases have; the fake leaves them out when imitating 5.x.
const OPTIONAL_ON_OLD: [&str; 5] = [
    "checklist_id",
    "referencing_checklist_ids",
    "referencing_checklists",
    "last_close_at",
    "store_file_id",
];

/// How the examples compare: by mapped ids; 5.x lacks the newer columns; and a customer reading
/// itself gets no contact columns or `note`, which the constructed examples 06 and 13 carry
/// (real servers leave them out: `fixtures/zammad-recorded/03-*`, checked in
/// `tests/zammad_recorded.rs`).
fn rules(version: ZVersion) -> Rules {
    let mut optional: Vec<&'static str> = CUSTOMER_SELF_HIDDEN.to_vec();
    if version == ZVersion::V5 {
        optional.extend(OPTIONAL_ON_OLD);
    }
    Rules {
        ids: id_map(),
        optional,
        ..Rules::default()
    }
}

/// What a test needs to set up before replaying a fixture.
#[derive(Default)]
struct Setup {
    version: Option<ZVersion>,
    path: Option<String>,
    body: Option<Value>,
    token_access_off: bool,
    two_factor: bool,
    expire_tokens: bool,
    /// Compare the top-level key sets exactly (not just fixture ⊆ ours).
    exact_keys: bool,
}

async fn replay(name: &str, setup: Setup) -> Option<(Server, Resp)> {
    let fx = load(name)?;
    let version = setup.version.unwrap_or(ZVersion::V7);
    let srv = server(version);
    let method = fx["method"].as_str().expect("method").to_string();
    let mut path = fx["path"].as_str().expect("path").to_string();
    let mut body = fx.get("request_body").cloned().filter(|b| !b.is_null());
    if let Some(b) = setup.body {
        body = Some(b);
    }
    let token = srv.alice().await;
    if let Some(p) = setup.path {
        path = p.replace("{token_id}", "1");
    }
    if setup.token_access_off {
        srv.test_api("PATCH", "/users/alice", json!({"token_access": false}))
            .await;
    }
    if setup.two_factor {
        srv.test_api(
            "PATCH",
            "/users/alice",
            json!({"two_factor_code": "123456"}),
        )
        .await;
    }
    if setup.expire_tokens {
        srv.test_api("POST", "/expire_tokens", json!({})).await;
    }
    // Translate the request headers to this seed's credentials.
    let mut headers: Vec<(String, String)> = Vec::new();
    let csrf = if fx["request_headers"].get("X-CSRF-Token").is_some() {
        let r = srv.api("GET", "/api/v1/signshow", None, None).await;
        r.header("csrf-token")
    } else {
        None
    };
    if let Some(Value::Object(h)) = fx.get("request_headers") {
        for (k, v) in h {
            let v = v.as_str().unwrap_or_default();
            let v = match k.as_str() {
                "Authorization" if v.starts_with("Basic ") => basic("alice", "alice-demo"),
                "Authorization" => token.clone(),
                "X-CSRF-Token" => csrf.clone().unwrap_or_default(),
                _ => v.to_string(),
            };
            headers.push((k.clone(), v));
        }
    }
    if let Some(Value::Object(b)) = body.as_mut() {
        if b.get("username").is_some() {
            b.insert("username".into(), "alice@example.com".into());
            if b.get("password").and_then(Value::as_str) != Some("wrong") {
                b.insert("password".into(), "alice-demo".into());
            }
        }
        if b.get("ticket_id").is_some() {
            b.insert("ticket_id".into(), 101.into());
        }
    }
    let h: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let resp = srv.send(&method, &path, &h, body.as_ref()).await;

    // Status.
    let status = fx["status"].as_u64().expect("status") as u16;
    assert_eq!(resp.status, status, "{name}: status; body {}", resp.text());

    // Meaningful headers.
    if let Some(Value::Object(h)) = fx.get("response_headers") {
        for (k, v) in h {
            let v = v.as_str().unwrap_or_default();
            let ours = resp
                .header(k)
                .unwrap_or_else(|| panic!("{name}: header {k} missing"));
            match k.as_str() {
                "CSRF-TOKEN" => assert!(ours.len() >= 40, "{name}: CSRF-TOKEN too short"),
                "Set-Cookie" => {
                    assert!(
                        ours.starts_with("_zammad_session_a138cfd0f37="),
                        "{name}: {ours}"
                    );
                    assert!(
                        ours.ends_with("; path=/; HttpOnly; SameSite=Lax"),
                        "{name}: {ours}"
                    );
                }
                "Content-Disposition" => {
                    assert!(
                        ours.starts_with("attachment; filename=\""),
                        "{name}: {ours}"
                    );
                    assert!(ours.contains("; filename*=UTF-8''"), "{name}: {ours}");
                }
                _ => assert_eq!(ours, v, "{name}: header {k}"),
            }
        }
    }
    // No CORS headers on errors.
    if resp.status >= 400 {
        assert!(
            resp.header("access-control-allow-origin").is_none(),
            "{name}: CORS on error"
        );
    }
    // Content type.
    let ct = fx["response_content_type"].as_str().unwrap_or_default();
    let ours_ct = resp.header("content-type").unwrap_or_default();
    assert_eq!(
        ours_ct.split(';').next(),
        ct.split(';').next(),
        "{name}: content type"
    );

    // Body.
    let expected = &fx["response_body"];
    if ct.starts_with("application/json") {
        let actual = resp.json();
        if let Some(err) = expected.get("error").and_then(Value::as_str) {
            if err.starts_with("Error ID ") {
                assert!(
                    is_masked(&actual),
                    "{name}: expected masked error, got {actual}"
                );
            } else {
                assert_eq!(actual["error"], err, "{name}: error text");
                if expected.get("error_human").is_some() {
                    assert_eq!(actual["error_human"], err, "{name}: error_human");
                }
            }
        }
        assert_shape(name, expected, &actual, &rules(version));
        if setup.exact_keys {
            let ek: Vec<&String> = expected
                .as_object()
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            let ak: Vec<&String> = actual
                .as_object()
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            let mut ek = ek;
            let mut ak = ak;
            // The fixtures come from a help desk without custom attributes; the demo has some,
            // and every ticket row carries them as columns (devserver/src/zammad/attributes.rs).
            let custom: Vec<&str> = devserver::zammad::attributes::demo()
                .iter()
                .map(|a| a.name)
                .collect();
            ak.retain(|k| !custom.contains(&k.as_str()));
            ek.sort();
            ak.sort();
            assert_eq!(ak, ek, "{name}: key set");
        }
    }
    Some((srv, resp))
}

macro_rules! fixture_test {
    ($fn:ident, $file:expr) => {
        fixture_test!($fn, $file, Setup::default());
    };
    ($fn:ident, $file:expr, $setup:expr) => {
        #[tokio::test]
        async fn $fn() {
            replay($file, $setup).await;
        }
    };
}

fixture_test!(f01_token_create, "01-user-access-token-create.json");
fixture_test!(
    f02_token_create_forbidden,
    "02-user-access-token-create-forbidden.json",
    Setup {
        token_access_off: true,
        ..Setup::default()
    }
);
fixture_test!(f03_token_list, "03-user-access-token-list.json");
fixture_test!(
    f04_token_delete,
    "04-user-access-token-delete.json",
    Setup {
        path: Some("/api/v1/user_access_token/{token_id}".into()),
        ..Setup::default()
    }
);
fixture_test!(f05_signshow, "05-signshow-no-session.json");
fixture_test!(f06_signin, "06-signin.json");
fixture_test!(
    f07_signin_two_factor,
    "07-signin-two-factor-required.json",
    Setup {
        two_factor: true,
        ..Setup::default()
    }
);
fixture_test!(f08_signin_wrong_password, "08-signin-wrong-password.json");
// Constructed from the 5.x/6.x source text; 7.1 answers "failed." with `invalid_csrf_token`
// (fixtures/zammad-recorded/13-*, checked in tests/zammad_auth.rs).
fixture_test!(
    f09_signin_without_csrf,
    "09-signin-without-csrf-token.json",
    Setup {
        version: Some(ZVersion::V65),
        ..Setup::default()
    }
);
fixture_test!(f10_signout, "10-signout.json");
fixture_test!(f11_no_credentials, "11-no-credentials.json");
fixture_test!(
    f12_token_expired,
    "12-token-expired.json",
    Setup {
        expire_tokens: true,
        ..Setup::default()
    }
);
fixture_test!(f13_users_me, "13-users-me.json");
fixture_test!(f14_tickets_index, "14-tickets-index.json");
fixture_test!(
    f15_search_legacy,
    "15-tickets-search-legacy.json",
    Setup {
        version: Some(ZVersion::V5),
        ..Setup::default()
    }
);
fixture_test!(f16_search_expand, "16-tickets-search-expand.json");
fixture_test!(
    f17_search_total_count,
    "17-tickets-search-with-total-count.json",
    Setup {
        exact_keys: true,
        ..Setup::default()
    }
);
fixture_test!(
    f18_search_only_total,
    "18-tickets-search-only-total-count.json",
    Setup {
        exact_keys: true,
        ..Setup::default()
    }
);
fixture_test!(
    f19_ticket_show,
    "19-ticket-show.json",
    Setup {
        path: Some("/api/v1/tickets/101?expand=true".into()),
        exact_keys: true,
        ..Setup::default()
    }
);
fixture_test!(
    f20_ticket_foreign,
    "20-ticket-show-foreign.json",
    Setup {
        path: Some("/api/v1/tickets/107".into()),
        ..Setup::default()
    }
);
fixture_test!(f21_ticket_missing, "21-ticket-show-missing.json");
fixture_test!(
    f22_ticket_create,
    "22-ticket-create.json",
    Setup {
        exact_keys: true,
        ..Setup::default()
    }
);
fixture_test!(
    f24_create_missing_group,
    "24-ticket-create-missing-group.json"
);
fixture_test!(
    f25_create_missing_body,
    "25-ticket-create-missing-body.json"
);
fixture_test!(
    f26_create_invalid_state,
    "26-ticket-create-invalid-state.json"
);
fixture_test!(
    f27_by_ticket,
    "27-ticket-articles-by-ticket.json",
    Setup {
        path: Some("/api/v1/ticket_articles/by_ticket/101".into()),
        ..Setup::default()
    }
);
fixture_test!(f28_article_reply, "28-ticket-article-reply.json");
fixture_test!(f29_article_bad_base64, "29-ticket-article-bad-base64.json");
fixture_test!(
    f30_update_reply_and_state,
    "30-ticket-update-reply-and-state.json",
    Setup {
        path: Some("/api/v1/tickets/101".into()),
        exact_keys: true,
        ..Setup::default()
    }
);
fixture_test!(
    f31_close,
    "31-ticket-close.json",
    Setup {
        path: Some("/api/v1/tickets/101".into()),
        ..Setup::default()
    }
);
fixture_test!(
    f32_follow_up_refused,
    "32-ticket-follow-up-refused.json",
    Setup {
        path: Some("/api/v1/tickets/103".into()),
        ..Setup::default()
    }
);
fixture_test!(
    f33_attachment_download,
    "33-ticket-attachment-download.json",
    Setup {
        path: Some("/api/v1/ticket_attachment/101/1001/501?disposition=attachment".into()),
        ..Setup::default()
    }
);
fixture_test!(f34_states, "34-ticket-states.json");
fixture_test!(f35_priorities, "35-ticket-priorities.json");
fixture_test!(f36_groups, "36-groups.json");
fixture_test!(f37_cors_preflight, "37-cors-preflight.json");
fixture_test!(
    f38_token_create_legacy,
    "38-user-access-token-create-legacy.json",
    Setup {
        version: Some(ZVersion::V5),
        exact_keys: true,
        ..Setup::default()
    }
);
fixture_test!(
    f39_token_list_legacy,
    "39-user-access-token-list-legacy.json",
    Setup {
        version: Some(ZVersion::V5),
        ..Setup::default()
    }
);

/// Fixture 23: agent-only values are ignored or forced.
#[tokio::test]
async fn f23_create_forced_fields() {
    let Some((srv, resp)) = replay("23-ticket-create-forced-fields.json", Setup::default()).await
    else {
        return;
    };
    let t = resp.json();
    assert_eq!(t["customer_id"], 10, "customer forced to the caller");
    assert_eq!(t["owner_id"], 1, "owner stays nobody");
    assert_eq!(t["state_id"], 1);
    assert_eq!(t["create_article_type_id"], 10, "email becomes note");
    let token = srv.alice().await;
    let arts = srv
        .api(
            "GET",
            &format!("/api/v1/ticket_articles/by_ticket/{}", t["id"]),
            Some(&token),
            None,
        )
        .await
        .json();
    let a = &arts[0];
    assert_eq!(a["sender"], "Customer");
    assert_eq!(a["type"], "note");
    assert_eq!(a["internal"], false);
    assert_eq!(a["from"], "Alice Anders");
    assert_eq!(a["to"], Value::Null);
}

/// Fixture 01's token is 64 URL-safe characters; fixture 22's numbers and sizes are strings.
#[tokio::test]
async fn token_and_string_types() {
    let Some((srv, resp)) = replay("01-user-access-token-create.json", Setup::default()).await
    else {
        return;
    };
    let t = resp.json()["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(t.len(), 64);
    assert!(t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    // The fixture's expires_at lies in the past, so that token is already expired.
    let expired = srv
        .api(
            "GET",
            "/api/v1/users/me",
            Some(&format!("Token token={t}")),
            None,
        )
        .await;
    assert_eq!(expired.status, 401);
    let auth = srv.alice().await;
    let created = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&auth),
            load("22-ticket-create.json").map(|f| f["request_body"].clone()),
        )
        .await
        .json();
    assert!(created["number"].is_string(), "{created}");
    let arts = srv
        .api(
            "GET",
            &format!("/api/v1/ticket_articles/by_ticket/{}", created["id"]),
            Some(&auth),
            None,
        )
        .await
        .json();
    assert_eq!(arts[0]["attachments"][0]["size"], "25");
    let ts = created["created_at"].as_str().unwrap_or_default();
    assert_eq!(ts.len(), 24, "{ts}");
    assert!(ts.ends_with('Z') && ts.as_bytes()[19] == b'.', "{ts}");
}
