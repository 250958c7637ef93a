//! Behaviour of the fake Znuny beyond single fixtures: sessions and the logout quirk, the
//! session lifetime (with the injectable clock), visibility and AccessDenied rules, route
//! matching, input assembly, create/update acceptance, search, table B, the demo seed and
//! the test API.

mod znuny_common;

use devserver::znuny::store::{Logout, Routes, Settings};
use serde_json::{json, Value};
use znuny_common::*;

fn err(r: &Resp) -> (String, String) {
    r.error()
        .unwrap_or_else(|| panic!("expected an Error object, got {} {}", r.status, r.text()))
}

#[tokio::test]
async fn demo_seed_visibility_and_order() {
    let srv = server();
    let alice = srv.alice().await;
    assert_eq!(
        srv.search(&alice, json!({"SortBy": "Changed", "OrderBy": "Down"}))
            .await,
        ["101", "105", "106", "102", "104", "103", "108"]
    );
    // Default order: Age Down (newest created first).
    assert_eq!(
        srv.search(&alice, json!({"Limit": 50})).await,
        ["106", "102", "101", "105", "104", "103", "108"]
    );
    let bob = srv.login("bob", "bob-demo").await;
    assert_eq!(srv.search(&bob, json!({"Limit": 5})).await, ["107"]);
    let carol = srv.login("carol", "carol-demo").await;
    assert_eq!(srv.search(&carol, json!({"Limit": 50})).await.len(), 7);
    // "Mine" for carol: CustomerUserLogin restricts to her own tickets.
    assert_eq!(
        srv.search(&carol, json!({"CustomerUserLogin": "carol"}))
            .await,
        ["102", "108"]
    );
    // Company tickets: CustomerIDRaw.
    assert_eq!(
        srv.search(&carol, json!({"CustomerIDRaw": "acme"}))
            .await
            .len(),
        7
    );

    let t = srv
        .call(
            "GET",
            "/Ticket/101?AllArticles=1&Attachments=1",
            Some(&alice),
            None,
        )
        .await
        .json();
    let ticket = &t["Ticket"][0];
    assert_eq!(ticket["TicketNumber"], "2026112410000101");
    assert_eq!(ticket["Owner"], "emma");
    assert_eq!(ticket["Responsible"], "emma");
    assert_eq!(ticket["TimeUnit"], 15);
    assert_eq!(ticket["Queue"], "Support");
    assert_eq!(ticket["State"], "open");
    let articles = ticket["Article"].as_array().unwrap();
    // The internal note (1002) is hidden and leaves a gap in ArticleNumber.
    let ids: Vec<u64> = articles
        .iter()
        .map(|a| a["ArticleID"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1001, 1003]);
    let numbers: Vec<u64> = articles
        .iter()
        .map(|a| a["ArticleNumber"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 3]);
    assert!(!t.to_string().contains("INTERNAL-NOTE-MARKER"));
    let log = &articles[0]["Attachment"][0];
    assert_eq!(log["Filename"], "printer-log.txt");
    assert_eq!(
        log["Content"],
        "UHJpbnRlciBsb2c6IHNtb2tlIGRldGVjdGVkIGF0IDA5OjE0Cg=="
    );
    assert_eq!(log["FileID"], "1");
    assert_eq!(log["FilesizeRaw"], "37");
    // The HTML article: text rendering, ContentType text/plain, HTML only on request.
    let html = &articles[1];
    assert_eq!(html["ContentType"], "text/plain; charset=utf-8");
    assert_eq!(html["TimeUnit"], 15);
    let body = html["Body"].as_str().unwrap();
    assert!(body.contains("See our [1]safety guide."), "{body}");
    assert!(body.contains("[1] https://example.com/safety"), "{body}");
    assert!(body.contains("window.__xss=1"), "{body}");
    assert!(!body.contains('<'), "{body}");
    let files: Vec<&str> = html["Attachment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Filename"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["checklist.pdf"]);
    assert_eq!(html["Attachment"][0]["FileID"], "2");

    let t = srv
        .call(
            "GET",
            "/Ticket/101?AllArticles=1&Attachments=1&HTMLBodyAsAttachment=1&GetAttachmentContents=0&ArticleSenderType=agent",
            Some(&alice),
            None,
        )
        .await
        .json();
    let a = &t["Ticket"][0]["Article"];
    assert_eq!(a.as_array().unwrap().len(), 1);
    let part = &a[0]["Attachment"][0];
    assert_eq!(part["Filename"], "file-2");
    assert_eq!(part["ContentType"], "text/html; charset=\"utf-8\"");
    assert_eq!(part["Content"], "");
    // Without articles: no Article key at all.
    let t = srv
        .call("GET", "/Ticket/105", Some(&alice), None)
        .await
        .json();
    assert!(t["Ticket"][0].get("Article").is_none());
    assert_eq!(t["Ticket"][0]["State"], "pending reminder");
    assert!(t["Ticket"][0]["UntilTime"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn html_body_attachment_contains_the_original_html() {
    let srv = server();
    let alice = srv.alice().await;
    let t = srv
        .call(
            "GET",
            "/Ticket/101?AllArticles=1&Attachments=1&HTMLBodyAsAttachment=1&ArticleLimit=1&ArticleOrder=DESC",
            Some(&alice),
            None,
        )
        .await
        .json();
    let a = &t["Ticket"][0]["Article"][0];
    assert_eq!(a["ArticleID"], 1003);
    use base64::Engine;
    let html = base64::engine::general_purpose::STANDARD
        .decode(a["Attachment"][0]["Content"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(html).unwrap(),
        devserver::zammad::store::AGENT_EMAIL_BODY_101
    );
    // ArticleOrder alone (without ArticleLimit) does not change the order (as in Znuny).
    let t = srv
        .call(
            "GET",
            "/Ticket/101?AllArticles=1&ArticleOrder=DESC",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(t["Ticket"][0]["Article"][0]["ArticleID"], 1001);
}

#[tokio::test]
async fn logout_quirk_and_fixed_logout() {
    let srv = server();
    let sid = srv.alice().await;
    // 7.1.7: the SessionID alone is refused and the session stays valid.
    let r = srv
        .call("DELETE", &format!("/Session/{sid}"), Some(&sid), None)
        .await;
    assert_eq!(
        err(&r),
        (
            "SessionRemove.AuthFail".into(),
            "SessionRemove: Authorization failed!".into()
        )
    );
    let r = srv
        .call(
            "DELETE",
            &format!("/Session/{sid}"),
            None,
            Some(json!({"SessionID": sid})),
        )
        .await;
    assert_eq!(err(&r).0, "SessionRemove.AuthFail");
    assert_eq!(srv.search(&sid, json!({"Limit": 1})).await, ["106"]);
    // With credentials it works; afterwards the session is gone.
    let r = srv
        .call(
            "DELETE",
            &format!("/Session/{sid}"),
            None,
            Some(json!({"CustomerUserLogin": "alice", "Password": "alice-demo"})),
        )
        .await;
    assert_eq!(r.json(), json!({"Success": 1}));
    let r = srv
        .call(
            "POST",
            "/Ticket/Search",
            Some(&sid),
            Some(json!({"SessionID": sid})),
        )
        .await;
    assert_eq!(
        err(&r),
        (
            "TicketSearch.AuthFail".into(),
            "TicketSearch: Authorization failing!".into()
        )
    );
    // A session that no longer exists also gives Success.
    let r = srv
        .call(
            "DELETE",
            &format!("/Session/{sid}"),
            None,
            Some(json!({"CustomerUserLogin": "alice", "Password": "alice-demo"})),
        )
        .await;
    assert_eq!(r.json(), json!({"Success": 1}));
    // A customer cannot delete someone else's session.
    let bob = srv.login("bob", "bob-demo").await;
    let r = srv
        .call(
            "DELETE",
            &format!("/Session/{bob}"),
            None,
            Some(json!({"CustomerUserLogin": "alice", "Password": "alice-demo"})),
        )
        .await;
    assert_eq!(
        err(&r),
        (
            "SessionRemove.AuthFail".into(),
            "SessionRemove: Authorization failing!".into()
        )
    );

    // The fixed behaviour (7.2 / 6.5.16): the SessionID alone is enough.
    let srv = server_with(
        Settings {
            logout: Logout::Fixed,
            ..Settings::default()
        },
        DEMO_NOW,
    );
    let sid = srv.alice().await;
    let r = srv
        .call("DELETE", &format!("/Session/{sid}"), Some(&sid), None)
        .await;
    assert_eq!(r.json(), json!({"Success": 1}));
    let r = srv
        .call(
            "POST",
            "/Ticket/Search",
            Some(&sid),
            Some(json!({"Limit": 1})),
        )
        .await;
    assert_eq!(err(&r).0, "TicketSearch.AuthFail");
}

#[tokio::test]
async fn sessions_die_two_hours_after_login_however_busy() {
    let srv = server();
    let sid = srv.alice().await;
    for _ in 0..7 {
        srv.advance(1000);
        assert_eq!(srv.search(&sid, json!({"Limit": 1})).await.len(), 1);
    }
    srv.advance(200); // 7200 s after login: still valid
    assert_eq!(srv.search(&sid, json!({"Limit": 1})).await.len(), 1);
    srv.advance(1);
    let r = srv.call("GET", "/Ticket/101", Some(&sid), None).await;
    assert_eq!(
        err(&r),
        (
            "TicketGet.AuthFail".into(),
            "TicketGet: Authorization failing!".into()
        )
    );
    let r = srv
        .call("GET", &format!("/Session/{sid}"), Some(&sid), None)
        .await;
    assert_eq!(
        err(&r),
        (
            "SessionGet.SessionInvalid".into(),
            "SessionGet: SessionID is Invalid!".into()
        )
    );

    // Configurable, also through the test API's reset.
    let r = srv
        .test_api("POST", "/reset", Some(json!({"session_seconds": 60})))
        .await;
    assert_eq!(r.json()["session_seconds"], 60);
    let sid = srv.alice().await;
    srv.advance(61);
    let r = srv.call("GET", "/Ticket/101", Some(&sid), None).await;
    assert_eq!(err(&r).0, "TicketGet.AuthFail");
    // A reset without settings goes back to the command-line defaults.
    let r = srv
        .test_api("POST", "/reset", Some(json!({"zammad_version": "7"})))
        .await;
    assert_eq!(r.json()["session_seconds"], 7200);

    // expire_sessions kills every session at once.
    let sid = srv.alice().await;
    srv.test_api("POST", "/expire_sessions", None).await;
    let r = srv.call("GET", "/Ticket/101", Some(&sid), None).await;
    assert_eq!(err(&r).0, "TicketGet.AuthFail");
}

#[tokio::test]
async fn sessions_are_bound_to_the_remote_address() {
    let srv = server();
    let login = json!({"CustomerUserLogin": "alice", "Password": "alice-demo"}).to_string();
    let r = srv
        .raw(
            "POST",
            &format!("{BASE}/Session"),
            &[("Content-Type", "application/json")],
            Some(login.into_bytes()),
            Some("10.0.0.1:1234"),
        )
        .await;
    let sid = r.json()["SessionID"].as_str().unwrap().to_string();
    let h = [("X-OTRS-Header-SessionID", sid.as_str())];
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/Ticket/101"),
            &h,
            None,
            Some("10.0.0.1:999"),
        )
        .await;
    assert!(r.json().get("Ticket").is_some());
    // Another address: refused, and the session is deleted.
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/Ticket/101"),
            &h,
            None,
            Some("10.0.0.2:999"),
        )
        .await;
    assert_eq!(err(&r).0, "TicketGet.AuthFail");
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/Ticket/101"),
            &h,
            None,
            Some("10.0.0.1:999"),
        )
        .await;
    assert_eq!(err(&r).0, "TicketGet.AuthFail");
}

#[tokio::test]
async fn session_create_and_session_get() {
    let srv = server();
    // The e-mail address is not a login.
    let r = srv
        .call(
            "POST",
            "/Session",
            None,
            Some(json!({"CustomerUserLogin": "alice@example.com", "Password": "alice-demo"})),
        )
        .await;
    assert_eq!(
        err(&r),
        (
            "SessionCreate.AuthFail".into(),
            "SessionCreate: Authorization failing!".into()
        )
    );
    let r = srv
        .call(
            "POST",
            "/Session",
            None,
            Some(json!({"CustomerUserLogin": "alice"})),
        )
        .await;
    assert_eq!(
        err(&r),
        (
            "SessionCreate.MissingParameter".into(),
            "SessionCreate: Password parameter is missing!".into()
        )
    );
    let r = srv.call("POST", "/Session", None, Some(json!(["x"]))).await;
    assert_eq!(err(&r).1, "SessionCreate: The request is empty!");
    let sid = srv.alice().await;
    assert_eq!(sid.len(), 32);
    let r = srv
        .call(
            "GET",
            &format!("/Session/{sid}?SessionID={sid}"),
            None,
            None,
        )
        .await
        .json();
    let data: Vec<(String, Value)> = r["SessionData"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["Key"].as_str().unwrap().to_string(), p["Value"].clone()))
        .collect();
    let keys: Vec<&str> = data.iter().map(|(k, _)| k.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "SessionData is sorted by key");
    assert_eq!(keys.len(), 49);
    let get = |k: &str| {
        data.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("UserLogin"), "alice");
    assert_eq!(get("UserFullname"), "Alice Anders");
    assert_eq!(get("UserCustomerID"), "acme");
    assert_eq!(get("CustomerCompanyName"), "Acme Corp");
    assert_eq!(
        get("UserPassword"),
        devserver::znuny::store::sha256_hex("alice-demo")
    );
    assert_eq!(get("UserSessionStart"), get("UserLastRequest"));
    assert!(get("Config")
        .as_str()
        .unwrap()
        .contains("CustomerUserSearchFields"));
    // The header overrides the SessionID in the path.
    let bob = srv.login("bob", "bob-demo").await;
    let r = srv
        .call("GET", &format!("/Session/{sid}"), Some(&bob), None)
        .await
        .json();
    assert!(r.to_string().contains("\"Value\":\"bob\""));
}

#[tokio::test]
async fn access_denied_for_foreign_missing_and_mixed_ids() {
    let srv = server();
    let alice = srv.alice().await;
    let denied = (
        "TicketGet.AccessDenied".to_string(),
        "TicketGet: User does not have access to the ticket!".to_string(),
    );
    for route in [
        "/Ticket/107",
        "/Ticket/999999",
        "/Ticket/101,107",
        "/Ticket/101,",
        "/Ticket/abc",
    ] {
        let r = srv.call("GET", route, Some(&alice), None).await;
        assert_eq!(err(&r), denied, "{route}");
    }
    let r = srv
        .call("GET", "/Ticket/101,102", Some(&alice), None)
        .await
        .json();
    assert_eq!(r["Ticket"].as_array().unwrap().len(), 2);
    let r = srv
        .call(
            "PATCH",
            "/Ticket/107",
            Some(&alice),
            Some(json!({"SessionID": alice, "Article": {"Subject": "x", "Body": "y", "ContentType": "text/plain; charset=utf-8"}})),
        )
        .await;
    assert_eq!(
        err(&r),
        (
            "TicketUpdate.AccessDenied".into(),
            "TicketUpdate: User does not have access to the ticket!".into()
        )
    );
    let r = srv
        .call(
            "PATCH",
            "/Ticket/999",
            Some(&alice),
            Some(json!({"SessionID": alice})),
        )
        .await;
    assert_eq!(err(&r).0, "TicketUpdate.AccessDenied");
    // TicketHistoryGet is refused for customers (sic).
    let r = srv
        .call("GET", "/Ticket/History/101", Some(&alice), None)
        .await;
    assert_eq!(
        err(&r),
        (
            "TicketHistoryGet.AuthFail".into(),
            "TicketHistoryGet: User needs to an Agent!".into()
        )
    );
    // Agents get it.
    let agent = srv.agent().await;
    let r = srv
        .call("GET", "/Ticket/History/101", Some(&agent), None)
        .await
        .json();
    assert_eq!(r["TicketHistory"][0]["TicketID"], "101");
    assert!(!r["TicketHistory"][0]["History"]
        .as_array()
        .unwrap()
        .is_empty());
    // Agents see internal articles.
    let r = srv
        .call("GET", "/Ticket/101?AllArticles=1", Some(&agent), None)
        .await
        .json();
    assert_eq!(r["Ticket"][0]["Article"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn routes_are_matched_alphabetically_and_anchored() {
    let srv = server();
    let alice = srv.alice().await;
    // GET /Ticket/Search is TicketGet with TicketID "Search".
    let r = srv.call("GET", "/Ticket/Search", Some(&alice), None).await;
    assert_eq!(err(&r).0, "TicketGet.AccessDenied");
    let log = srv.test_api("GET", "/requests", None).await.json();
    assert_eq!(
        log.as_array().unwrap().last().unwrap()["operation"],
        "TicketGet"
    );
    // PATCH /Ticket/Search is TicketUpdate.
    let r = srv
        .call(
            "PATCH",
            "/Ticket/Search",
            Some(&alice),
            Some(json!({"SessionID": alice})),
        )
        .await;
    assert_eq!(err(&r).0, "TicketUpdate.AccessDenied");
    for (method, route, uri) in [
        ("PUT", "/Ticket/101", "/Ticket/101"),
        ("OPTIONS", "/Ticket/Search", "/Ticket/Search"),
        ("GET", "/Ticket/101/", "/Ticket/101/"),
        ("GET", "/Ticket", "/Ticket"),
        ("DELETE", "/Ticket/101", "/Ticket/101"),
        ("HEAD", "/Ticket/101", "/Ticket/101"),
        ("GET", "/Nope?x=1", "/Nope"),
    ] {
        let r = srv.call(method, route, Some(&alice), None).await;
        assert_eq!(r.status, 500, "{method} {route}");
        assert_eq!(r.content_type(), "text/plain; charset=UTF-8");
        if method != "HEAD" {
            assert_eq!(
                r.text(),
                format!("HTTP::REST Error while determine Operation for request URI '{uri}'."),
                "{method} {route}"
            );
        }
        assert!(r
            .headers
            .keys()
            .all(|k| !k.as_str().starts_with("access-control")));
    }
    // Both script aliases and the WebserviceID form work; other web services are a bare 500.
    let h = [("X-OTRS-Header-SessionID", alice.as_str())];
    for path in [
        "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Ticket/101",
        "/znuny/nph-genericinterface.pl/WebserviceID/1/Ticket/101",
    ] {
        let r = srv.raw("GET", path, &h, None, None).await;
        assert!(r.json().get("Ticket").is_some(), "{path}");
    }
    for path in [
        "/znuny/nph-genericinterface.pl/Webservice/Other/Ticket/101",
        "/znuny/nph-genericinterface.pl/WebserviceID/2/Ticket/101",
    ] {
        let r = srv.raw("GET", path, &h, None, None).await;
        assert_eq!(r.status, 500, "{path}");
        assert!(r.text().contains("Internal Server Error"));
    }
    let r = srv
        .raw(
            "GET",
            "/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST",
            &h,
            None,
            None,
        )
        .await;
    assert_eq!(
        r.text(),
        "HTTP::REST Error while determine Operation for request URI '/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST'."
    );
}

#[tokio::test]
async fn input_assembly_rules() {
    let srv = server();
    let alice = srv.alice().await;
    let ct = [("Content-Type", "application/json")];
    let url = format!("{BASE}/Ticket/Search");
    // {} and [] → unsupported structure, even with the session in the header.
    for body in ["{}", "[]", "\"x\"", "5"] {
        let h = [
            ("Content-Type", "application/json"),
            ("X-OTRS-Header-SessionID", alice.as_str()),
        ];
        let r = srv.raw("POST", &url, &h, Some(body.into()), None).await;
        assert_eq!(
            (r.status, r.text()),
            (500, "Unsupported request content structure.".into()),
            "{body}"
        );
    }
    for body in ["{not json", "null", "false", "0"] {
        let r = srv.raw("POST", &url, &ct, Some(body.into()), None).await;
        assert_eq!(
            (r.status, r.text()),
            (500, "Error while decoding request content.".into()),
            "{body}"
        );
    }
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let r = srv
        .raw(
            "POST",
            &url,
            &form,
            Some(format!("{{\"SessionID\":\"{alice}\"}}").into()),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.text()),
        (500, "Could not read input data".into())
    );
    // Any other content type is parsed as JSON.
    let plain = [("Content-Type", "text/plain;charset=UTF-8")];
    let r = srv
        .raw(
            "POST",
            &url,
            &plain,
            Some(format!("{{\"SessionID\":\"{alice}\"}}").into()),
            None,
        )
        .await;
    assert!(r.json().get("TicketID").is_some());
    // A body without length (chunked) is ignored: no credentials.
    let r = srv
        .raw(
            "POST",
            &url,
            &[
                ("Content-Type", "application/json"),
                ("Content-Length", "0"),
            ],
            Some(format!("{{\"SessionID\":\"{alice}\"}}").into()),
            None,
        )
        .await;
    assert_eq!(err(&r).0, "TicketSearch.AuthFail");
    // GET ignores the body.
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/Ticket/101"),
            &ct,
            Some(format!("{{\"SessionID\":\"{alice}\"}}").into()),
            None,
        )
        .await;
    assert_eq!(err(&r).0, "TicketGet.AuthFail");
    // The query carries the SessionID too; "0" becomes "" (GetAttachmentContents=0 → no content).
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/Ticket/101?SessionID={alice}&AllArticles=1;Attachments=1&GetAttachmentContents=0"),
            &[],
            None,
            None,
        )
        .await
        .json();
    assert_eq!(r["Ticket"][0]["Article"][0]["Attachment"][0]["Content"], "");
    // The route parameter overrides the query; the header overrides both.
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/Ticket/101?TicketID=107&SessionID=nonsense"),
            &[("X-OTRS-Header-SessionID", alice.as_str())],
            None,
            None,
        )
        .await
        .json();
    assert_eq!(r["Ticket"][0]["TicketID"], 101);
    // Query values override body keys; "+" is a space.
    let r = srv
        .raw(
            "POST",
            &format!("{url}?Title=%25printer+on%25"),
            &ct,
            Some(
                json!({"SessionID": alice, "Title": "nothing"})
                    .to_string()
                    .into(),
            ),
            None,
        )
        .await
        .json();
    assert_eq!(r, json!({"TicketID": ["101"]}));
    // Internal failures are 500 text/plain JSON faults.
    let r = srv
        .call(
            "POST",
            "/Ticket",
            Some(&alice),
            Some(json!({"Ticket": {"Title": "t", "Queue": "Support", "State": "new", "Priority": "3 normal", "CustomerUser": "alice"},
                        "Article": {"Subject": "s", "Body": "b", "ContentType": "text/plain; charset=utf-8"},
                        "Attachment": ["not a hash"]})),
        )
        .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.content_type(), "text/plain; charset=UTF-8");
    assert_eq!(
        r.text(),
        r#"{"faultcode":"Server","faultstring":"TicketCreate: Ticket->Attachment parameter is invalid!"}"#
    );
}

fn create_body(sid: &str, ticket: Value, article: Value) -> Value {
    json!({"SessionID": sid, "Ticket": ticket, "Article": article})
}

#[tokio::test]
async fn ticket_create_accepts_what_znuny_accepts_and_records_it() {
    let srv = server();
    let alice = srv.alice().await;
    let ticket = json!({"Title": "For Bob", "Queue": "Support", "State": "new", "Priority": "3 normal",
                        "CustomerUser": "bob", "Owner": "emma"});
    let article = json!({"Subject": "s", "Body": "  b  \n", "ContentType": "text/plain; charset=utf-8",
                         "SenderType": "agent", "IsVisibleForCustomer": 0, "ArticleSend": 1,
                         "To": "someone@example.org", "TimeUnit": "7", "NoAgentNotify": 1});
    let r = srv
        .call(
            "POST",
            "/Ticket",
            Some(&alice),
            Some(create_body(&alice, ticket, article)),
        )
        .await
        .json();
    assert_eq!(r["TicketID"], "109");
    assert_eq!(r["ArticleID"], "1100");
    assert_eq!(r["TicketNumber"], "2026112410000109");
    // alice cannot see it; bob can.
    let denied = srv.call("GET", "/Ticket/109", Some(&alice), None).await;
    assert_eq!(err(&denied).0, "TicketGet.AccessDenied");
    let bob = srv.login("bob", "bob-demo").await;
    assert_eq!(srv.search(&bob, json!({"Limit": 10})).await, ["109", "107"]);
    // The test API shows what was received.
    let t = srv.test_api("GET", "/tickets/109", None).await.json();
    assert_eq!(t["customer"], "bob");
    assert_eq!(t["organization_id"], "globex");
    assert_eq!(t["owner"], "emma");
    assert_eq!(t["znuny"]["CustomerUser"], "bob");
    assert_eq!(t["znuny"]["Lock"], "lock");
    assert_eq!(t["znuny"]["Received"][0]["Owner"], "emma");
    let a = &t["articles"][0];
    assert_eq!(a["sender"], "Agent");
    assert_eq!(a["internal"], true);
    assert_eq!(a["body"], "b");
    assert_eq!(a["type"], "email");
    assert_eq!(a["znuny"]["SenderType"], "agent");
    assert_eq!(a["znuny"]["IsVisibleForCustomer"], 0);
    assert_eq!(a["znuny"]["ArticleSend"], 1);
    assert_eq!(a["znuny"]["NoAgentNotify"], 1);
    assert_eq!(a["znuny"]["Sent"], 1);
    assert_eq!(a["znuny"]["TimeUnit"], 7);
    assert_eq!(a["znuny"]["Received"]["Body"], "  b  \n");
    assert_eq!(a["subject"], "[Ticket#2026112410000109] s");
    assert_eq!(a["to"], "someone@example.org");
}

#[tokio::test]
async fn ticket_create_validation_texts() {
    let srv = server();
    let alice = srv.alice().await;
    let good_ticket = json!({"Title": "t", "Queue": "Support", "State": "new", "Priority": "3 normal", "CustomerUser": "alice"});
    let good_article =
        json!({"Subject": "s", "Body": "b", "ContentType": "text/plain; charset=utf-8"});
    let cases = [
        (
            create_body(
                &alice,
                good_ticket.clone(),
                json!({"Subject": "s", "Body": "b", "ContentType": "text/plain"}),
            ),
            "TicketCreate.InvalidParameter",
            "TicketCreate: Article->ContentType is invalid!",
        ),
        (
            json!({"SessionID": alice, "Ticket": good_ticket.clone()}),
            "TicketCreate.MissingParameter",
            "TicketCreate: Article parameter is missing or not valid!",
        ),
        (
            create_body(
                &alice,
                json!({"Title": "t", "Queue": "Nope", "State": "new", "Priority": "3 normal", "CustomerUser": "alice"}),
                good_article.clone(),
            ),
            "TicketCreate.InvalidParameter",
            "TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!",
        ),
        (
            create_body(
                &alice,
                json!({"Queue": "Support", "State": "new", "Priority": "3 normal", "CustomerUser": "alice"}),
                good_article.clone(),
            ),
            "TicketCreate.MissingParameter",
            "TicketCreate: Ticket->Title parameter is missing!",
        ),
        (
            create_body(
                &alice,
                json!({"Title": "t", "Queue": "Support", "State": "new", "Priority": "3 normal", "CustomerUser": "nobody"}),
                good_article.clone(),
            ),
            "TicketCreate.InvalidParameter",
            "TicketCreate: Ticket->CustomerUser parameter is invalid!",
        ),
        (
            create_body(
                &alice,
                json!({"Title": "t", "Queue": "Support", "State": "new", "CustomerUser": "alice"}),
                good_article.clone(),
            ),
            "TicketCreate.MissingParameter",
            "TicketCreate: Ticket->PriorityID or Ticket->Priority parameter is required!",
        ),
        (
            create_body(
                &alice,
                good_ticket.clone(),
                json!({"Body": "b", "ContentType": "text/plain; charset=utf-8"}),
            ),
            "TicketCreate.MissingParameter",
            "TicketCreate: Article->Subject parameter is missing!",
        ),
        (
            create_body(
                &alice,
                good_ticket.clone(),
                json!({"Subject": "s", "Body": "b", "ContentType": "text/plain; charset=utf-8", "From": "Alice Anders"}),
            ),
            "TicketCreate.InvalidParameter",
            "TicketCreate: Article->From parameter is invalid!",
        ),
        (
            {
                let mut b = create_body(&alice, good_ticket.clone(), good_article.clone());
                b["Attachment"] =
                    json!({"Content": "", "ContentType": "text/plain", "Filename": "x"});
                b
            },
            "TicketCreate.MissingParameter",
            "TicketCreate: Attachment->Content  parameter is missing!",
        ),
        (
            json!({"Ticket": good_ticket.clone(), "Article": good_article.clone()}),
            "TicketCreate.MissingParameter",
            "TicketCreate: UserLogin, CustomerUserLogin or SessionID is required!",
        ),
        (
            json!({"SessionID": "wrong", "Ticket": good_ticket.clone(), "Article": good_article.clone()}),
            "TicketCreate.AuthFail",
            "TicketCreate: User could not be authenticated!",
        ),
    ];
    for (body, code, msg) in cases {
        let r = srv.call("POST", "/Ticket", None, Some(body.clone())).await;
        assert_eq!(err(&r), (code.to_string(), msg.to_string()), "{body}");
    }
    // Nothing was created (the eight demo tickets and the real-shaped ones).
    assert_eq!(
        srv.state.lock_znuny().tickets.len(),
        8 + devserver::real_shapes::TICKETS.len()
    );
    // An e-mail address as CustomerUser is mapped to the customer; defaults apply.
    let r = srv
        .call(
            "POST",
            "/Ticket",
            None,
            Some(create_body(
                &alice,
                json!({"Title": " New ", "Queue": "Sales", "State": "new", "Priority": "3 normal", "CustomerUser": "alice@example.com"}),
                json!({"Subject": "s", "Body": "<p>Hello <b>you</b></p>", "ContentType": "TEXT/HTML; charset=UTF-8",
                       "From": "\"Alice Anders\" <alice@example.com>"}),
            )),
        )
        .await
        .json();
    let id = r["TicketID"].as_str().unwrap().to_string();
    let t = srv
        .call(
            "GET",
            &format!("/Ticket/{id}?AllArticles=1"),
            Some(&alice),
            None,
        )
        .await
        .json();
    let t = &t["Ticket"][0];
    assert_eq!(t["Title"], "New");
    assert_eq!(t["CustomerUserID"], "alice");
    assert_eq!(t["Owner"], "root@localhost");
    let a = &t["Article"][0];
    assert_eq!(a["ContentType"], "text/plain; charset=utf-8");
    assert_eq!(a["Charset"], "utf-8");
    assert_eq!(a["CommunicationChannel"], "Internal");
    assert_eq!(a["SenderType"], "customer");
    assert_eq!(a["IsVisibleForCustomer"], 1);
    assert_eq!(a["To"], "Sales");
    assert!(a["Body"].as_str().unwrap().contains("Hello you"));
    let stored = srv
        .test_api("GET", &format!("/tickets/{id}"), None)
        .await
        .json();
    assert_eq!(stored["articles"][0]["content_type"], "text/html");
    assert_eq!(stored["articles"][0]["body"], "<p>Hello <b>you</b></p>");
    assert_eq!(stored["group"], "Sales");
}

#[tokio::test]
async fn follow_ups_never_reopen_and_replies_without_from_are_empty() {
    let srv = server();
    let alice = srv.alice().await;
    let reply = json!({"SessionID": alice,
        "Article": {"Subject": "Re", "Body": "still broken", "ContentType": "text/plain; charset=utf-8"},
        "Attachment": [{"Content": "aGVsbG8=", "ContentType": "text/plain", "Filename": "a.txt"},
                       {"Content": "aGVsbG8=", "ContentType": "text/plain", "Filename": "a.txt"}]});
    // 103 is closed in the Sales queue (follow-ups "reject" in the portal config): accepted anyway.
    let r = srv
        .call("PATCH", "/Ticket/103", Some(&alice), Some(reply.clone()))
        .await
        .json();
    assert_eq!(
        r,
        json!({"ArticleID": "1100", "TicketID": "103", "TicketNumber": "2026112410000103"})
    );
    let t = srv
        .call(
            "GET",
            "/Ticket/103?AllArticles=1&Attachments=1",
            Some(&alice),
            None,
        )
        .await
        .json();
    let t = &t["Ticket"][0];
    assert_eq!(t["State"], "closed successful");
    let last = t["Article"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["From"], "");
    assert_eq!(last["To"], "");
    let names: Vec<&str> = last["Attachment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Filename"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.txt", "a-1.txt"]);
    // Close and reopen by a customer are accepted.
    let r = srv
        .call(
            "PATCH",
            "/Ticket/101",
            Some(&alice),
            Some(json!({"SessionID": alice, "Ticket": {"State": "closed successful"}})),
        )
        .await
        .json();
    assert_eq!(
        r,
        json!({"TicketID": "101", "TicketNumber": "2026112410000101"})
    );
    let r = srv
        .call("PATCH", "/Ticket/101", Some(&alice), Some(json!({"SessionID": alice, "Ticket": {"State": "open"}, "Article": {"Subject": "Re", "Body": "again", "ContentType": "text/plain; charset=utf-8", "From": "\"Alice Anders\" <alice@example.com>"}})))
        .await
        .json();
    assert_eq!(r["ArticleID"], "1101");
    let stored = srv.test_api("GET", "/tickets/101", None).await.json();
    assert_eq!(stored["state"], "open");
    assert_eq!(
        stored["articles"].as_array().unwrap().last().unwrap()["from"],
        "\"Alice Anders\" <alice@example.com>"
    );
    // Pending without PendingTime: MissingParameter, but earlier changes (Title) stay.
    let r = srv
        .call("PATCH", "/Ticket/101", Some(&alice), Some(json!({"SessionID": alice, "Ticket": {"Title": "Renamed", "State": "pending reminder"}})))
        .await;
    assert_eq!(
        err(&r),
        (
            "TicketUpdate.MissingParameter".into(),
            "Can't set a ticket on a pending state without pendig time!".into()
        )
    );
    let stored = srv.test_api("GET", "/tickets/101", None).await.json();
    assert_eq!(stored["title"], "Renamed");
    assert_eq!(stored["state"], "open");
    // With PendingTime it works.
    let r = srv
        .call("PATCH", "/Ticket/101", Some(&alice), Some(json!({"SessionID": alice, "Ticket": {"State": "pending reminder", "PendingTime": {"Diff": 60}}})))
        .await
        .json();
    assert_eq!(r["TicketID"], "101");
    // Everything else is accepted from a customer: queue, priority, owner, another customer.
    let r = srv
        .call("PATCH", "/Ticket/104", Some(&alice), Some(json!({"SessionID": alice,
            "Ticket": {"Queue": "Raw", "Priority": "5 very high", "Owner": "root@localhost", "CustomerUser": "bob"}})))
        .await
        .json();
    assert_eq!(r["TicketID"], "104");
    let stored = srv.test_api("GET", "/tickets/104", None).await.json();
    assert_eq!(stored["group"], "Raw");
    assert_eq!(stored["priority"], "5 very high");
    assert_eq!(stored["customer"], "bob");
    assert_eq!(stored["znuny"]["Received"][0]["Owner"], "root@localhost");
    // ContentType without charset is refused (TicketUpdate's text).
    let r = srv
        .call("PATCH", "/Ticket/102", Some(&alice), Some(json!({"SessionID": alice, "Article": {"Subject": "s", "Body": "b", "ContentType": "text/plain"}})))
        .await;
    assert_eq!(
        err(&r),
        (
            "TicketUpdate.InvalidParameter".into(),
            "TicketUpdate: Article->ContentType is invalid!".into()
        )
    );
}

#[tokio::test]
async fn agent_articles_set_the_unlock_timeout() {
    let srv = server();
    let alice = srv.alice().await;
    let before = srv
        .call("GET", "/Ticket/106", Some(&alice), None)
        .await
        .json();
    assert_eq!(before["Ticket"][0]["UnlockTimeout"], 0);
    srv.test_api(
        "POST",
        "/agent_reply",
        Some(json!({"ticket_id": 106, "body": "note", "internal": true})),
    )
    .await;
    let r = srv
        .test_api(
            "POST",
            "/agent_reply",
            Some(json!({"ticket_id": 106, "body": "<p>Hello</p>", "internal": false})),
        )
        .await
        .json();
    assert_eq!(r["ok"], true);
    assert_eq!(r["sender"], "Agent");
    assert_eq!(r["content_type"], "text/html");
    let t = srv
        .call("GET", "/Ticket/106?AllArticles=1", Some(&alice), None)
        .await
        .json();
    let t = &t["Ticket"][0];
    assert!(t["UnlockTimeout"].as_i64().unwrap() > 0);
    assert_eq!(t["State"], "open");
    let numbers: Vec<u64> = t["Article"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ArticleNumber"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 3]);
}

#[tokio::test]
async fn search_filters() {
    let srv = server();
    let alice = srv.alice().await;
    let all = ["106", "102", "101", "105", "104", "103", "108"];
    assert_eq!(srv.search(&alice, json!({"Subject": "%fire%"})).await, all);
    assert_eq!(
        srv.search(&alice, json!({"StateType": ["Open"]})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        srv.search(&alice, json!({"StateType": "Open"})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        srv.search(&alice, json!({"StateType": ["new", "open", "pending reminder", "pending auto"], "SortBy": "Changed"})).await,
        ["101", "105", "106", "102"]
    );
    assert_eq!(
        srv.search(&alice, json!({"StateType": ["closed"]})).await,
        ["104", "103", "108"]
    );
    assert_eq!(
        srv.search(&alice, json!({"States": ["new"]})).await,
        ["106", "102"]
    );
    assert_eq!(
        srv.search(&alice, json!({"States": ["nonsense"]})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        srv.search(&alice, json!({"Title": "%PRINTER%"})).await,
        ["101"]
    );
    assert_eq!(
        srv.search(&alice, json!({"TicketNumber": "2026112410000105"}))
            .await,
        ["105"]
    );
    assert_eq!(
        srv.search(&alice, json!({"TicketNumber": "%0105"})).await,
        ["105"]
    );
    assert_eq!(
        srv.search(&alice, json!({"MIMEBase_Subject": "%keyboard%"}))
            .await,
        ["105"]
    );
    assert_eq!(
        srv.search(&alice, json!({"MIMEBase_Body": "spam folder"}))
            .await,
        ["104"]
    );
    assert_eq!(
        srv.search(&alice, json!({"MIMEBase_From": "%emma agent%"}))
            .await
            .len(),
        4
    );
    assert_eq!(
        srv.search(&alice, json!({"Fulltext": "invoice"})).await,
        ["103"]
    );
    // Internal articles are not searched for customers.
    assert_eq!(
        srv.search(&alice, json!({"Fulltext": "INTERNAL-NOTE-MARKER"}))
            .await,
        Vec::<String>::new()
    );
    let agent = srv.agent().await;
    assert_eq!(
        srv.search(&agent, json!({"Fulltext": "INTERNAL-NOTE-MARKER"}))
            .await,
        ["101"]
    );
    assert_eq!(
        srv.search(&alice, json!({"CustomerID": "globex"})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        srv.search(&alice, json!({"CustomerID": "ACME"}))
            .await
            .len(),
        7
    );
    assert_eq!(
        srv.search(&alice, json!({"SortBy": "Nonsense"})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        srv.search(&alice, json!({"OrderBy": "Sideways"})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        srv.search(
            &alice,
            json!({"SortBy": "Title", "OrderBy": "Up", "Limit": 2})
        )
        .await,
        ["103", "108"]
    );
    assert_eq!(
        srv.search(&alice, json!({"Queues": ["Sales"]})).await,
        ["106", "103"]
    );
    assert_eq!(
        srv.search(&alice, json!({"Queues": ["Nope"]})).await,
        Vec::<String>::new()
    );
    assert_eq!(
        srv.search(&alice, json!({"TicketCreateTimeNewerMinutes": 600}))
            .await,
        ["106"]
    );
    // Inline credentials also filter on the login.
    let r = srv
        .call(
            "POST",
            "/Ticket/Search",
            None,
            Some(json!({"CustomerUserLogin": "carol", "Password": "carol-demo"})),
        )
        .await
        .json();
    assert_eq!(r, json!({"TicketID": ["102", "108"]}));
    // Limit defaults to 500; there is no offset.
    srv.test_api(
        "POST",
        "/bulk_tickets",
        Some(json!({"customer": "alice", "count": 600})),
    )
    .await;
    assert_eq!(srv.search(&alice, json!({"Offset": 100})).await.len(), 500);
    assert_eq!(srv.search(&alice, json!({"Limit": 1000})).await.len(), 607);
    let newest = srv
        .search(&alice, json!({"Limit": 2, "SortBy": "Changed"}))
        .await;
    assert_eq!(newest, ["708", "707"]);
}

#[tokio::test]
async fn table_b_routes() {
    let srv = server_with(
        Settings {
            routes: Routes::Znuny6,
            ..Settings::default()
        },
        DEMO_NOW,
    );
    let alice = srv.alice().await;
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/Ticket?SessionID={alice}&StateType=new&StateType=open&SortBy=Changed"),
            &[],
            None,
            None,
        )
        .await
        .json();
    assert_eq!(r, json!({"TicketID": ["101", "106", "102"]}));
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/TicketList?SessionID={alice}&TicketID=101,102"),
            &[],
            None,
            None,
        )
        .await
        .json();
    assert_eq!(r["Ticket"].as_array().unwrap().len(), 2);
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/TicketList?SessionID={alice}"),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(
        err(&r),
        (
            "TicketGet.MissingParameter".into(),
            "TicketGet: TicketID parameter is missing!".into()
        )
    );
    let r = srv
        .raw(
            "GET",
            &format!("{BASE}/TicketHistory/101?SessionID={alice}"),
            &[],
            None,
            None,
        )
        .await;
    assert_eq!(err(&r).0, "TicketHistoryGet.AuthFail");
    // No logout route, no POST search.
    let r = srv
        .call("DELETE", &format!("/Session/{alice}"), Some(&alice), None)
        .await;
    assert_eq!(r.status, 500);
    let r = srv
        .call(
            "POST",
            "/Ticket/Search",
            Some(&alice),
            Some(json!({"SessionID": alice})),
        )
        .await;
    assert_eq!(
        r.text(),
        "HTTP::REST Error while determine Operation for request URI '/Ticket/Search'."
    );
    // The test API switches tables.
    let r = srv
        .test_api("POST", "/reset", Some(json!({"znuny_routes": "7"})))
        .await
        .json();
    assert_eq!(r["znuny_routes"], "7");
    let alice = srv.alice().await;
    assert_eq!(srv.search(&alice, json!({"Limit": 1})).await.len(), 1);
}

#[tokio::test]
async fn test_api_shapes() {
    let srv = server();
    let alice = srv.alice().await;
    srv.call("GET", "/Ticket/101", Some(&alice), None).await;
    let log = srv.test_api("GET", "/requests", None).await.json();
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(last["method"], "GET");
    assert_eq!(last["path"], format!("{BASE}/Ticket/101"));
    assert_eq!(last["headers"]["x-otrs-header-sessionid"], alice.as_str());
    assert_eq!(last["headers"]["cookie"], false);
    assert_eq!(last["status"], 200);
    let first = &log[0];
    assert_eq!(first["body"]["CustomerUserLogin"], "alice");
    assert_eq!(first["operation"], "SessionCreate");

    let t = srv.test_api("GET", "/tickets/101", None).await.json();
    for key in [
        "id",
        "number",
        "title",
        "state",
        "state_id",
        "state_type",
        "group",
        "group_id",
        "customer",
        "customer_id",
        "organization",
        "owner",
        "created_at",
        "updated_at",
        "articles",
        "znuny",
    ] {
        assert!(t.get(key).is_some(), "{key} missing");
    }
    assert_eq!(t["state"], "open");
    assert_eq!(t["group"], "Support");
    assert_eq!(t["customer"], "alice");
    assert_eq!(t["organization"], "Acme Corp");
    assert_eq!(t["time_unit"], "15.0");
    let arts = t["articles"].as_array().unwrap();
    assert_eq!(arts.len(), 3);
    assert_eq!(arts[1]["internal"], true);
    assert!(arts[1]["body"]
        .as_str()
        .unwrap()
        .contains("INTERNAL-NOTE-MARKER"));
    assert_eq!(arts[2]["content_type"], "text/html");
    assert_eq!(
        arts[2]["body"],
        devserver::zammad::store::AGENT_EMAIL_BODY_101
    );
    let att = &arts[0]["attachments"][0];
    assert_eq!(att["id"], 501);
    assert_eq!(att["filename"], "printer-log.txt");
    assert_eq!(att["size"], 37);
    assert_eq!(att["mime_type"], "text/plain");
    assert_eq!(arts[2]["attachments"][0]["id"], 502);
    let bytes = srv.test_api("GET", "/attachments/501", None).await;
    assert_eq!(bytes.bytes, b"Printer log: smoke detected at 09:14\n");
    // Users: a new password works at once.
    let r = srv
        .test_api(
            "PATCH",
            "/users/alice",
            Some(json!({"password": "new-pass"})),
        )
        .await;
    assert_eq!(r.json()["ok"], true);
    assert_eq!(srv.login("alice", "new-pass").await.len(), 32);
    // Config override.
    srv.test_api("PUT", "/config", Some(json!({"brand": {"name": "X"}})))
        .await;
    let r = srv.raw("GET", "/config.json", &[], None, None).await;
    assert_eq!(r.json(), json!({"brand": {"name": "X"}}));
    // The Zammad API is not served by a Znuny server.
    let r = srv.raw("GET", "/api/v1/tickets", &[], None, None).await;
    assert_eq!(r.status, 404);
    let state = srv.test_api("GET", "/state", None).await.json();
    assert_eq!(state["backend"], "znuny");
}

#[tokio::test]
async fn zammad_server_does_not_serve_znuny() {
    let opts = devserver::Options {
        dist: "/nonexistent".into(),
        config: "/nonexistent".into(),
        test_api: true,
        quiet: true,
        ..devserver::Options::default()
    };
    let (router, _) = devserver::build(&opts);
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri(format!("{BASE}/Ticket/101"))
        .body(axum::body::Body::empty())
        .unwrap();
    let r = router.oneshot(req).await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn seed_xss_serves_the_corpus_everywhere_with_leak_markers() {
    use devserver::hostile;
    let srv = server();
    let alice = srv.alice().await;
    let seeded = srv
        .test_api("POST", "/seed_xss", Some(json!({})))
        .await
        .json();
    let n = hostile::vectors().len();
    assert_eq!(seeded["vectors"], n);
    let corpus = seeded["corpus_ticket"].as_u64().unwrap();
    let formatting = seeded["formatting_ticket"].as_u64().unwrap();
    let get = |id: u64| {
        format!("/Ticket/{id}?AllArticles=1&Attachments=1&GetAttachmentContents=1&HTMLBodyAsAttachment=1")
    };
    let r = srv
        .call("GET", &get(corpus), Some(&alice), None)
        .await
        .json();
    let t = &r["Ticket"][0];
    assert_eq!(t["Owner"], hostile::LEAK_OWNER);
    assert_eq!(t["Responsible"], hostile::LEAK_RESPONSIBLE);
    assert_eq!(t["EscalationTime"], hostile::LEAK_ESCALATION_SECS);
    assert_eq!(t["TimeUnit"], 7317.25);
    let arts = t["Article"].as_array().unwrap();
    assert_eq!(
        arts.len(),
        n + 1,
        "customer message + one per vector, no internal note"
    );
    use base64::Engine;
    for (a, v) in arts[1..].iter().zip(hostile::vectors()) {
        assert_eq!(a["Subject"], hostile::column_text(&v.html, 250).as_str());
        let files = a["Attachment"].as_array().unwrap();
        let html = files
            .iter()
            .find(|f| f["Filename"] == "file-2")
            .expect("HTML body part");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(html["Content"].as_str().unwrap())
            .unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), v.html);
        let name = hostile::column_text(&v.html, 250);
        // Znuny's ArticleWriteAttachment: trimmed, no line breaks, no leading dots.
        let stored = name.trim().replace(['\r', '\n'], "");
        let stored = stored.trim_start_matches('.');
        assert!(
            files.iter().any(|f| f["Filename"] == stored),
            "{}: no attachment named like the vector",
            v.id
        );
    }
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains(hostile::LEAK_INTERNAL));

    let r = srv
        .call("GET", &get(formatting), Some(&alice), None)
        .await
        .json();
    let agent = &r["Ticket"][0]["Article"][1];
    let logo = agent["Attachment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["Filename"] == "logo.png")
        .expect("inline logo");
    assert_eq!(logo["ContentID"], format!("<{}>", hostile::LOGO_CONTENT_ID));
    assert_eq!(logo["Disposition"], "inline");
    assert_eq!(logo["Content"], hostile::LOGO_PNG_BASE64);
}

#[tokio::test]
async fn seed_dompurify_serves_every_payload_as_an_html_body() {
    use base64::Engine;
    use devserver::hostile;
    let srv = server();
    let alice = srv.alice().await;
    let seeded = srv
        .test_api("POST", "/seed_dompurify", Some(json!({})))
        .await
        .json();
    let payloads = hostile::dompurify_payloads();
    assert_eq!(seeded["payloads"], payloads.len());
    let id = seeded["ticket"].as_u64().unwrap();
    let r = srv
        .call(
            "GET",
            &format!("/Ticket/{id}?AllArticles=1&Attachments=1&GetAttachmentContents=1&HTMLBodyAsAttachment=1"),
            Some(&alice),
            None,
        )
        .await
        .json();
    let t = &r["Ticket"][0];
    assert_eq!(t["Title"], hostile::DOMPURIFY_TITLE);
    let arts = t["Article"].as_array().unwrap();
    assert_eq!(
        arts.len(),
        payloads.len() + 1,
        "customer message + one per payload"
    );
    for (a, p) in arts[1..].iter().zip(payloads) {
        assert_eq!(a["Subject"], hostile::dompurify_subject(p).as_str());
        let html = a["Attachment"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["Filename"] == "file-2")
            .expect("HTML body part");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(html["Content"].as_str().unwrap())
            .unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), p.payload, "{}", p.id);
    }
}
