//! Behaviour of the fake beyond single fixtures: flows, version switches, limits, the test
//! API and the static file server.

mod common;

use common::*;
use devserver::zammad::store::ZVersion;
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|t| t["id"].as_u64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn seed_visibility_and_order() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let list = srv
        .api("GET", "/api/v1/tickets", Some(&alice), None)
        .await
        .json();
    assert_eq!(ids(&list), vec![101, 102, 103, 104, 105, 106, 108]);
    let search = srv
        .api(
            "GET",
            "/api/v1/tickets/search?query=*&expand=true",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(ids(&search), vec![101, 105, 106, 102, 104, 103, 108]);
    assert_eq!(search[0]["owner"], "emma@helpdesk.example");
    assert_eq!(search[0]["time_unit"], "15.0");
    assert_eq!(search[0]["article_ids"], json!([1001, 1002, 1003]));
    let bob = srv.token_for("bob", "bob-demo").await;
    let list = srv
        .api("GET", "/api/v1/tickets", Some(&bob), None)
        .await
        .json();
    assert_eq!(ids(&list), vec![107]);
    let r = srv
        .api("GET", "/api/v1/tickets/101", Some(&bob), None)
        .await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (403, json!("Not authorized"))
    );
    assert_eq!(r.header("x-failure").as_deref(), Some("Not authorized"));
    let me = srv
        .api("GET", "/api/v1/users/me", Some(&alice), None)
        .await
        .json();
    // A customer reading itself never gets the agents' note (fixtures/zammad-recorded/03-*).
    assert_eq!(me.get("note"), None);
    assert_eq!(me["organization_id"], 1);
    let groups = srv
        .api("GET", "/api/v1/groups", Some(&alice), None)
        .await
        .json();
    assert_eq!(ids(&groups), vec![2, 3]);
    assert_eq!(groups[1]["follow_up_possible"], "new_ticket");
    assert_eq!(groups[0]["note"], "GROUP-NOTE-MARKER");
}

#[tokio::test]
async fn internal_articles_hidden_but_searchable() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let arts = srv
        .api(
            "GET",
            "/api/v1/ticket_articles/by_ticket/101",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(ids(&arts), vec![1001, 1003]);
    assert_eq!(arts[0]["attachments"][0]["id"], 501);
    assert_eq!(arts[0]["attachments"][0]["filename"], "printer-log.txt");
    assert_eq!(arts[1]["attachments"][0]["id"], 502);
    assert!(arts[1]["body"]
        .as_str()
        .unwrap_or_default()
        .contains("<script>"));
    let r = srv
        .api("GET", "/api/v1/ticket_articles/1002", Some(&alice), None)
        .await;
    assert_eq!(r.status, 403);
    let hits = srv
        .api(
            "GET",
            "/api/v1/tickets/search?query=internal-note-MARKER",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(ids(&hits), vec![101]);
    let pdf = srv
        .api(
            "GET",
            "/api/v1/ticket_attachment/101/1003/502",
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.bytes.starts_with(b"%PDF-1.4"));
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    let wrong = srv
        .api(
            "GET",
            "/api/v1/ticket_attachment/102/1001/501",
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(
        wrong.json()["error"],
        "The article does not belong to the specified ticket."
    );
}

#[tokio::test]
async fn session_flow_with_csrf() {
    let srv = server(ZVersion::V7);
    let (cookie, csrf) = srv.session("alice@example.com", "alice-demo").await;
    let me = srv
        .send(
            "GET",
            "/api/v1/users/me",
            &[("Accept", "application/json"), ("Cookie", &cookie)],
            None,
        )
        .await;
    assert_eq!(me.status, 200);
    assert!(
        me.header("access-control-allow-origin").is_none(),
        "no CORS on session answers"
    );
    assert!(me.header("csrf-token").is_some());
    let body = json!({"state_id": 2});
    let no_csrf = srv
        .send(
            "PUT",
            "/api/v1/tickets/106",
            &[
                ("Accept", "application/json"),
                ("Content-Type", "application/json"),
                ("Cookie", &cookie),
            ],
            Some(&body),
        )
        .await;
    assert_eq!(no_csrf.status, 401);
    assert_eq!(
        no_csrf.json(),
        json!({"error": "CSRF token verification failed.", "invalid_csrf_token": true})
    );
    let ok = srv
        .send(
            "PUT",
            "/api/v1/tickets/106",
            &[
                ("Accept", "application/json"),
                ("Content-Type", "application/json"),
                ("Cookie", &cookie),
                ("X-CSRF-Token", &csrf),
            ],
            Some(&body),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let signshow = srv
        .send(
            "GET",
            "/api/v1/signshow",
            &[("Accept", "application/json"), ("Cookie", &cookie)],
            None,
        )
        .await
        .json();
    assert_eq!(signshow["session"]["login"], "alice");
    assert_eq!(
        signshow["config"]["customer_ticket_create_group_ids"],
        json!(["2", "3"])
    );
    let out = srv
        .send(
            "DELETE",
            "/api/v1/signout",
            &[("Accept", "application/json"), ("Cookie", &cookie)],
            None,
        )
        .await;
    assert_eq!((out.status, out.json()), (200, json!({})));
    let after = srv
        .send(
            "GET",
            "/api/v1/users/me",
            &[("Accept", "application/json"), ("Cookie", &cookie)],
            None,
        )
        .await;
    assert_eq!(
        (after.status, after.json()["error"].clone()),
        (403, json!("Authentication required"))
    );
}

#[tokio::test]
async fn remember_me_and_two_factor() {
    let srv = server(ZVersion::V7);
    srv.test_api(
        "PATCH",
        "/users/carol",
        json!({"two_factor_code": "654321"}),
    )
    .await;
    let csrf = srv
        .api("GET", "/api/v1/signshow", None, None)
        .await
        .header("csrf-token")
        .unwrap_or_default();
    let h = [
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
        ("X-CSRF-Token", csrf.as_str()),
    ];
    let base = json!({"username": "carol", "password": "carol-demo", "remember_me": true});
    let r = srv.send("POST", "/api/v1/signin", &h, Some(&base)).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["two_factor_required"].is_object());
    let mut wrong = base.clone();
    wrong["two_factor_method"] = "authenticator_app".into();
    wrong["two_factor_payload"] = "111111".into();
    let r = srv.send("POST", "/api/v1/signin", &h, Some(&wrong)).await;
    assert_eq!(
        r.json()["error"],
        "Login failed. Please double-check your two-factor authentication method."
    );
    let mut right = wrong.clone();
    right["two_factor_payload"] = "654321".into();
    let r = srv.send("POST", "/api/v1/signin", &h, Some(&right)).await;
    assert_eq!(r.status, 201);
    assert!(r
        .header("set-cookie")
        .unwrap_or_default()
        .contains("Max-Age=31536000"));
    // Basic auth is refused for two-factor users, so no token can be minted.
    let r = srv
        .api(
            "POST",
            "/api/v1/user_access_token",
            Some(&basic("carol", "carol-demo")),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(
        r.json()["error"],
        "Two-factor authentication is not supported with HTTP BasicAuth."
    );
    // Version 5 has no two-factor authentication at all.
    srv.test_api("POST", "/reset", json!({"zammad_version": "5"}))
        .await;
    srv.test_api(
        "PATCH",
        "/users/carol",
        json!({"two_factor_code": "654321"}),
    )
    .await;
    let csrf = srv
        .api("GET", "/api/v1/signshow", None, None)
        .await
        .header("csrf-token")
        .unwrap_or_default();
    let h = [
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
        ("X-CSRF-Token", csrf.as_str()),
    ];
    let r = srv.send("POST", "/api/v1/signin", &h, Some(&base)).await;
    assert_eq!(r.status, 201);
    assert!(r.json().get("after_auth").is_none());
}

#[tokio::test]
async fn login_lockout_after_failures() {
    let srv = server(ZVersion::V7);
    for _ in 0..6 {
        let r = srv
            .api("GET", "/api/v1/users/me", Some(&basic("bob", "nope")), None)
            .await;
        assert_eq!(r.json()["error"], "Invalid BasicAuth credentials");
    }
    let r = srv
        .api(
            "GET",
            "/api/v1/users/me",
            Some(&basic("bob", "bob-demo")),
            None,
        )
        .await;
    assert_eq!(r.status, 401, "locked after more than 5 failures");
    srv.test_api("PATCH", "/users/bob", json!({"password": "bob-demo"}))
        .await;
    let r = srv
        .api(
            "GET",
            "/api/v1/users/me",
            Some(&basic("bob@example.com", "bob-demo")),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn token_permissions_and_versions() {
    let srv = server(ZVersion::V7);
    let b = basic("alice", "alice-demo");
    let r = srv
        .api(
            "POST",
            "/api/v1/user_access_token",
            Some(&b),
            Some(json!({"label": "old style"})),
        )
        .await;
    assert_eq!(
        r.json()["error"],
        "The required parameter 'name' is missing."
    );
    let r = srv
        .api(
            "POST",
            "/api/v1/user_access_token",
            Some(&b),
            Some(json!({"name": "narrow", "permission": ["ticket.customer"]})),
        )
        .await;
    let narrow = format!(
        "Token token={}",
        r.json()["token"].as_str().unwrap_or_default()
    );
    let r = srv.api("GET", "/api/v1/tickets", Some(&narrow), None).await;
    assert_eq!(r.status, 200);
    let r = srv
        .api("GET", "/api/v1/user_access_token", Some(&narrow), None)
        .await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (403, json!("Token authorization failed."))
    );
    let r = srv
        .api("GET", "/api/v1/users/me", Some(&narrow), None)
        .await;
    assert_eq!(r.status, 200, "users/me needs no permission");
    // Bearer works like Token.
    let bearer = narrow.replace("Token token=", "Bearer ");
    assert_eq!(
        srv.api("GET", "/api/v1/tickets/101", Some(&bearer), None)
            .await
            .status,
        200
    );
    // An expiry date of today is already expired.
    let today =
        devserver::util::date_string(devserver::util::now_ms() / devserver::util::MS_PER_DAY);
    let r = srv
        .api(
            "POST",
            "/api/v1/user_access_token",
            Some(&b),
            Some(json!({"name": "today", "permission": [], "expires_at": today})),
        )
        .await;
    let t = format!(
        "Token token={}",
        r.json()["token"].as_str().unwrap_or_default()
    );
    let r = srv.api("GET", "/api/v1/users/me", Some(&t), None).await;
    assert_eq!(r.json()["error"], "Not authorized (token expired)!");
    // Deleting a token by id; afterwards it is unknown.
    let full = srv.alice().await;
    let list = srv
        .api("GET", "/api/v1/user_access_token", Some(&full), None)
        .await
        .json();
    let mine = list["tokens"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["name"] == "portal"))
        .cloned()
        .unwrap_or(Value::Null);
    assert!(mine.get("label").is_none());
    let r = srv
        .api(
            "DELETE",
            &format!("/api/v1/user_access_token/{}", mine["id"]),
            Some(&full),
            None,
        )
        .await;
    assert_eq!((r.status, r.json()), (200, json!({})));
    let r = srv.api("GET", "/api/v1/users/me", Some(&full), None).await;
    assert_eq!(r.json()["error"], "Can't find User for Token");

    srv.test_api("POST", "/reset", json!({"zammad_version": "5"}))
        .await;
    let r = srv
        .api(
            "POST",
            "/api/v1/user_access_token",
            Some(&b),
            Some(json!({"name": "new style"})),
        )
        .await;
    assert_eq!(r.json()["error"], "Need label!");
    let r = srv
        .api("POST", "/api/v1/user_access_token", Some(&b), Some(json!({"label": "legacy", "permission": ["ticket.customer", "user_preferences.access_token"]})))
        .await
        .json();
    assert!(r["name"].as_str().is_some_and(|t| t.len() == 64));
    let t = format!("Token token={}", r["name"].as_str().unwrap_or_default());
    let list = srv
        .api("GET", "/api/v1/user_access_token", Some(&t), None)
        .await
        .json();
    assert_eq!(list["tokens"][0]["label"], "legacy");
    assert!(list["tokens"][0].get("name").is_none());
}

#[tokio::test]
async fn create_rules() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let r = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(
                json!({"title": "T", "group": "Sales", "state": "closed", "priority": "3 high",
              "article": {"body": "b", "type": "web"}}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let t = r.json();
    assert_eq!(
        (t["id"].clone(), t["number"].clone()),
        (json!(109), json!("31109"))
    );
    assert_eq!(
        (
            t["group_id"].clone(),
            t["state_id"].clone(),
            t["priority_id"].clone()
        ),
        (json!(3), json!(4), json!(3))
    );
    assert!(t["close_at"].is_string());
    let arts = srv
        .api(
            "GET",
            "/api/v1/ticket_articles/by_ticket/109",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(arts[0]["id"], 1100);
    assert_eq!(arts[0]["from"], "Alice Anders <alice@example.com>");
    // Group outside customer_ticket_create_group_ids, missing title, pending state: masked.
    for body in [
        json!({"title": "T", "group_id": 1, "article": {"body": "b"}}),
        json!({"group_id": 2, "article": {"body": "b"}}),
        json!({"title": "T", "group_id": 2, "state": "pending reminder", "article": {"body": "b"}}),
    ] {
        let r = srv
            .api("POST", "/api/v1/tickets", Some(&alice), Some(body))
            .await;
        assert_eq!(r.status, 422);
        assert!(is_masked(&r.json()), "{}", r.text());
    }
    let r = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "T", "group": "Nope", "article": {"body": "b"}})),
        )
        .await;
    assert_eq!(
        r.json()["error"],
        "No lookup value found for 'group': \"Nope\""
    );
    let r = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "T", "group_id": 2, "article": {"body": "  \n "}})),
        )
        .await;
    assert_eq!(r.json()["error"], "Need at least an 'article body' field.");
    let r = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "T", "group_id": 2,
              "article": {"body": "b", "attachments": [{"filename": "a", "data": "aGk="}]}})),
        )
        .await;
    assert_eq!(
        r.json()["error"],
        "Attachment needs 'mime-type' param for attachment with index '0'"
    );
    // Newlines inside base64 are removed before the strict decode.
    let r = srv
        .api("POST", "/api/v1/tickets", Some(&alice), Some(json!({"title": "T", "group_id": 2,
              "article": {"body": "b", "attachments": [{"filename": "a.txt", "mime-type": "text/plain", "data": "aGVs\nbG8="}]}})))
        .await;
    assert_eq!(r.status, 201);
    // Nothing was stored by the refused requests: ids continue at 111.
    let r = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "No article", "group_id": 2})),
        )
        .await;
    assert_eq!(
        (
            r.status,
            r.json()["id"].clone(),
            r.json()["article_ids"].clone()
        ),
        (201, json!(111), json!([]))
    );
    // Version 5 insists on an article.
    srv.test_api("POST", "/reset", json!({"zammad_version": "5"}))
        .await;
    let alice = srv.alice().await;
    let r = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "No article", "group_id": 2})),
        )
        .await;
    assert_eq!(r.json()["error"], "article hash is missing");
}

#[tokio::test]
async fn inline_images_become_attachments() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let r = srv
        .api(
            "POST",
            "/api/v1/ticket_articles",
            Some(&alice),
            Some(
                json!({"ticket_id": 101, "content_type": "text/html", "type": "web",
              "body": "<p>see <img src=\"data:image/png;base64,iVBORw0KGgo=\"></p>"}),
            ),
        )
        .await
        .json();
    let body = r["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("src=\"/api/v1/ticket_attachment/101/1100/600?view=inline\""),
        "{body}"
    );
    assert_eq!(r["attachments"], json!([]));
    let img = srv
        .api(
            "GET",
            "/api/v1/ticket_attachment/101/1100/600?view=inline",
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(img.header("content-type").as_deref(), Some("image/png"));
    assert!(img
        .header("content-disposition")
        .unwrap_or_default()
        .starts_with("inline;"));
}

#[tokio::test]
async fn follow_up_rules() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let before = srv
        .test_api("GET", "/tickets/103", json!(null))
        .await
        .json();
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/103",
            Some(&alice),
            Some(json!({"state_id": 2, "article": {"body": "again", "type": "web"}})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error_human"],
        "Cannot follow-up on a closed ticket. Please create a new ticket."
    );
    let after = srv
        .test_api("GET", "/tickets/103", json!(null))
        .await
        .json();
    assert_eq!(before, after, "a refused update changes nothing");
    // POST /ticket_articles skips the check and leaves the ticket closed.
    let r = srv
        .api(
            "POST",
            "/api/v1/ticket_articles",
            Some(&alice),
            Some(json!({"ticket_id": 103, "body": "hello?", "type": "web"})),
        )
        .await;
    assert_eq!(r.status, 201);
    let t = srv
        .api("GET", "/api/v1/tickets/103?expand=1", Some(&alice), None)
        .await
        .json();
    assert_eq!(t["state"], "closed");
    // Support allows follow-ups: reply and reopen atomically.
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/104",
            Some(&alice),
            Some(json!({"state_id": 2, "article": {"body": "still no mail", "type": "web"}})),
        )
        .await
        .json();
    assert_eq!(r["state_id"], 2);
    assert!(r["close_at"].is_string(), "close_at stays after a reopen");
    // A refused attachment leaves the state alone.
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/101",
            Some(&alice),
            Some(json!({"state_id": 4, "article": {"body": "x",
              "attachments": [{"filename": "a", "mime-type": "text/plain", "data": "???"}]}})),
        )
        .await;
    assert_eq!(r.status, 422);
    let t = srv
        .api("GET", "/api/v1/tickets/101", Some(&alice), None)
        .await
        .json();
    assert_eq!(t["state_id"], 2);
    // Pending states cannot be chosen on edit; close sets close_at.
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/101",
            Some(&alice),
            Some(json!({"state_id": 6})),
        )
        .await;
    assert!(is_masked(&r.json()));
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/101",
            Some(&alice),
            Some(json!({"state": "closed"})),
        )
        .await
        .json();
    assert_eq!(r["state_id"], 4);
    assert_eq!(r["close_at"], r["last_close_at"]);
    assert_eq!(r["close_at"], r["updated_at"]);
    // Reopen window.
    srv.test_api(
        "PATCH",
        "/groups/2",
        json!({"follow_up_possible": "new_ticket_after_certain_time", "reopen_time_in_days": 2}),
    )
    .await;
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/104",
            Some(&alice),
            Some(json!({"state_id": 4})),
        )
        .await;
    assert_eq!(r.status, 200, "104 is open again");
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/108",
            Some(&alice),
            Some(json!({"state_id": 2})),
        )
        .await;
    assert_eq!(r.status, 422, "108 was closed 20 days ago");
    srv.test_api("PATCH", "/groups/2", json!({"reopen_time_in_days": 30}))
        .await;
    let r = srv
        .api(
            "PUT",
            "/api/v1/tickets/108",
            Some(&alice),
            Some(json!({"state_id": 2})),
        )
        .await;
    assert_eq!(r.status, 200);
    // Deleting is for admins.
    let r = srv
        .api("DELETE", "/api/v1/tickets/101", Some(&alice), None)
        .await;
    assert_eq!(
        r.json()["error"],
        "Not authorized (admin permission required)!"
    );
}

#[tokio::test]
async fn customer_articles_never_change_state_agent_replies_do() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    srv.api(
        "POST",
        "/api/v1/ticket_articles",
        Some(&alice),
        Some(json!({"ticket_id": 106, "body": "ping", "type": "web"})),
    )
    .await;
    let t = srv
        .api("GET", "/api/v1/tickets/106", Some(&alice), None)
        .await
        .json();
    assert_eq!(t["state_id"], 1);
    let r = srv
        .test_api(
            "POST",
            "/agent_reply",
            json!({"ticket_id": 106, "body": "<p>note</p>", "internal": true,
                   "attachments": [{"filename": "secret.txt", "data": "c2VjcmV0", "mime-type": "text/plain"}]}),
        )
        .await;
    assert_eq!(r.status, 200);
    let note = r.json();
    // The download route does not check whether the article is internal (real behaviour).
    let leak = srv
        .api(
            "GET",
            &format!(
                "/api/v1/ticket_attachment/106/{}/{}",
                note["id"], note["attachments"][0]["id"]
            ),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!((leak.status, leak.text()), (200, "secret".to_string()));
    let t = srv
        .api("GET", "/api/v1/tickets/106", Some(&alice), None)
        .await
        .json();
    assert_eq!(t["state_id"], 1, "internal notes do not open");
    srv.test_api(
        "POST",
        "/agent_reply",
        json!({"ticket_id": 106, "body": "<p>on it</p>"}),
    )
    .await;
    let t = srv
        .api("GET", "/api/v1/tickets/106", Some(&alice), None)
        .await
        .json();
    assert_eq!(t["state_id"], 2);
    let arts = srv
        .api(
            "GET",
            "/api/v1/ticket_articles/by_ticket/106",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(
        arts.as_array().map(Vec::len),
        Some(3),
        "the internal note is hidden"
    );
    let full = srv
        .test_api("GET", "/tickets/106", json!(null))
        .await
        .json();
    assert_eq!(full["articles"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn search_shapes_per_version() {
    let cond = json!({"condition": {"ticket.state_id": {"operator": "is", "value": ["1", "2", "3"]}}, "per_page": 2});
    for (version, plain_is_object, wrapped) in [
        (ZVersion::V5, true, false),
        (ZVersion::V65, false, false),
        (ZVersion::V7, false, true),
    ] {
        let srv = server(version);
        let alice = srv.alice().await;
        let r = srv
            .api(
                "POST",
                "/api/v1/tickets/search",
                Some(&alice),
                Some(cond.clone()),
            )
            .await
            .json();
        assert_eq!(r.is_object(), plain_is_object, "{version:?} plain: {r}");
        if plain_is_object {
            assert_eq!(r["tickets"], json!([101, 105]));
            assert_eq!(r["tickets_count"], 2);
            assert!(r["assets"]["Ticket"]["101"].is_object());
        }
        let mut with_total = cond.clone();
        with_total["with_total_count"] = json!(true);
        with_total["expand"] = json!("true");
        let r = srv
            .api(
                "POST",
                "/api/v1/tickets/search",
                Some(&alice),
                Some(with_total.clone()),
            )
            .await
            .json();
        if wrapped {
            assert_eq!(r["total_count"], 4);
            assert_eq!(ids(&r["records"]), vec![101, 105]);
            assert_eq!(r["records"][0]["state"], "open");
        } else {
            assert_eq!(ids(&r), vec![101, 105], "{version:?}: {r}");
        }
        with_total["expand"] = json!(false);
        let r = srv
            .api(
                "POST",
                "/api/v1/tickets/search",
                Some(&alice),
                Some(with_total),
            )
            .await
            .json();
        match version {
            ZVersion::V5 => assert!(r["tickets"].is_array()),
            ZVersion::V65 => assert!(r.is_array()),
            ZVersion::V7 => assert!(r["records"][0].get("state").is_none()),
        }
        let r = srv
            .api(
                "GET",
                "/api/v1/tickets/search?query=printer&only_total_count=true",
                Some(&alice),
                None,
            )
            .await
            .json();
        if version == ZVersion::V5 {
            assert!(r.get("tickets").is_some());
        } else {
            assert_eq!(r, json!({"total_count": 1}));
        }
    }
}

#[tokio::test]
async fn search_conditions_sorting_and_limits() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let q = |cond: Value| srv.api("POST", "/api/v1/tickets/search", Some(&alice), Some(cond));
    let r = q(json!({"condition": {"ticket.customer_id": {"operator": "is not", "value": 10}}}))
        .await
        .json();
    assert_eq!(ids(&r), vec![102, 108]);
    let r = q(json!({"condition": {"ticket.group_id": {"operator": "is", "value": [3]}}, "sort_by": "id", "order_by": "asc"})).await.json();
    assert_eq!(ids(&r), vec![103, 106]);
    let r = q(json!({"condition": {"ticket.organization_id": {"operator": "is", "value": "2"}}}))
        .await
        .json();
    assert_eq!(
        ids(&r),
        Vec::<u64>::new(),
        "bob's organization is not visible to alice"
    );
    let r = q(json!({"term": "31104"})).await.json();
    assert_eq!(ids(&r), vec![104]);
    let r = q(json!({"query": "ALICE@example"})).await.json();
    assert_eq!(
        ids(&r),
        vec![101, 105, 106, 104, 103],
        "from/to of articles are searched"
    );
    let r =
        q(json!({"condition": {"ticket.state_id": {"operator": "contains", "value": "1"}}})).await;
    assert!(is_masked(&r.json()));
    // GET with a Rails-style condition in the query string.
    let r = srv
        .api("GET", "/api/v1/tickets/search?condition[ticket.state_id][operator]=is&condition[ticket.state_id][value][]=4&sort_by=created_at&order_by=asc", Some(&alice), None)
        .await
        .json();
    assert_eq!(ids(&r), vec![108, 103, 104]);

    let bulk = srv
        .test_api(
            "POST",
            "/bulk_tickets",
            json!({"customer": "alice", "count": 250}),
        )
        .await
        .json();
    assert_eq!(bulk["ids"].as_array().map(Vec::len), Some(250));
    let r = srv
        .api(
            "GET",
            "/api/v1/tickets/search?query=bulk&per_page=500",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(ids(&r).len(), 200, "search is capped at 200");
    assert_eq!(r[0]["title"], "Bulk ticket 0250", "newest first");
    let r = srv
        .api(
            "GET",
            "/api/v1/tickets/search?query=bulk",
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(ids(&r).len(), 50, "search default is 50");
    let p1 = srv
        .api("GET", "/api/v1/tickets?per_page=500", Some(&alice), None)
        .await
        .json();
    assert_eq!(ids(&p1).len(), 100, "list is capped at 100");
    assert_eq!(p1[0]["id"], 101);
    let p0 = srv
        .api("GET", "/api/v1/tickets?page=0&limit=10", Some(&alice), None)
        .await
        .json();
    assert_eq!(ids(&p0), ids(&p1)[..10].to_vec());
    let p3 = srv
        .api("GET", "/api/v1/tickets?page=3", Some(&alice), None)
        .await
        .json();
    assert_eq!(ids(&p3).len(), 57);
}

#[tokio::test]
async fn errors_and_odd_requests() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let r = srv.api("GET", "/api/v1/nope", Some(&alice), None).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (404, json!("This page doesn't exist."))
    );
    let r = srv
        .send(
            "POST",
            "/api/v1/tickets",
            &[
                ("Accept", "application/json"),
                ("Content-Type", "application/json"),
                ("Authorization", &alice),
            ],
            None,
        )
        .await;
    assert_eq!(
        r.json()["error"],
        "The required value 'group_id' is missing."
    );
    // Invalid JSON: a masked 400, no panic.
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/tickets")
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .header("Authorization", &alice)
        .body(axum::body::Body::from("{not json"))
        .unwrap_or_default();
    let resp = tower::ServiceExt::oneshot(srv.router.clone(), req)
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(resp.ok(), Some(400));
    // Without a JSON content type Rails ignores the body.
    let r = srv
        .send(
            "POST",
            "/api/v1/tickets",
            &[("Accept", "application/json"), ("Authorization", &alice)],
            Some(&json!({"title": "t", "group_id": 2})),
        )
        .await;
    assert_eq!(
        r.json()["error"],
        "The required value 'group_id' is missing."
    );
    // Without Accept, errors are HTML pages.
    let r = srv
        .send(
            "GET",
            "/api/v1/tickets/999",
            &[("Authorization", &alice)],
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    assert!(r
        .header("content-type")
        .unwrap_or_default()
        .starts_with("text/html"));
    // Non-numeric ids.
    let r = srv
        .api("GET", "/api/v1/tickets/abc", Some(&alice), None)
        .await;
    assert_eq!(r.json()["error"], "Couldn't find Ticket with 'id'=abc");
    // Unknown authorization schemes count as no credentials.
    let r = srv
        .api("GET", "/api/v1/tickets", Some("Digest foo"), None)
        .await;
    assert_eq!(r.json()["error"], "Authentication required");
    // Version 5's unknown-route text.
    srv.test_api("POST", "/reset", json!({"zammad_version": "5"}))
        .await;
    let r = srv.api("GET", "/api/v1/nope", None, None).await;
    assert_eq!(r.json()["error"], "No route matches [GET] /api/v1/nope");
}

#[tokio::test]
async fn request_log_and_test_api() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    srv.api("GET", "/api/v1/tickets?expand=true", Some(&alice), None)
        .await;
    let log = srv.test_api("GET", "/requests", json!(null)).await.json();
    let last = &log[log.as_array().map(Vec::len).unwrap_or(1) - 1];
    assert_eq!(last["method"], "GET");
    assert_eq!(last["path"], "/api/v1/tickets");
    assert_eq!(last["query"], "expand=true");
    assert_eq!(last["headers"]["authorization"], alice.as_str());
    assert_eq!(last["headers"]["cookie"], false);
    assert_eq!(last["status"], 200);
    assert_eq!(log[0]["body"]["name"], "portal");
    let r = srv
        .test_api("POST", "/reset", json!({"zammad_version": "9"}))
        .await;
    assert_eq!(r.status, 400);
    srv.test_api("POST", "/reset", json!({})).await;
    let log = srv.test_api("GET", "/requests", json!(null)).await.json();
    assert_eq!(log, json!([]));
    let r = srv.api("GET", "/api/v1/users/me", Some(&alice), None).await;
    assert_eq!(
        r.json()["error"],
        "Can't find User for Token",
        "reset drops tokens"
    );
    let bytes = srv.send("GET", "/__test/attachments/501", &[], None).await;
    assert_eq!(bytes.text(), "Printer log: smoke detected at 09:14\n");
    let t = srv
        .test_api("GET", "/tickets/101", json!(null))
        .await
        .json();
    assert_eq!(t["articles"][1]["internal"], true);
    assert_eq!(
        t["articles"][2]["attachments"][0]["size"]
            .as_u64()
            .map(|s| s > 200),
        Some(true)
    );
}

#[tokio::test]
async fn test_api_is_off_by_default() {
    let opts = devserver::Options {
        quiet: true,
        dist: "/nonexistent".into(),
        config: "/nonexistent".into(),
        ..devserver::Options::default()
    };
    let (router, state) = devserver::build(&opts);
    let srv = Server { router, state };
    let r = srv.send("POST", "/__test/reset", &[], None).await;
    assert_eq!(r.status, 404);
    let r = srv.send("GET", "/", &[], None).await;
    assert_eq!(r.status, 503);
    assert!(r.text().contains("portal not built: run cargo xtask demo"));
}

#[tokio::test]
async fn static_files_mounts_and_fallback() {
    let dir = std::env::temp_dir().join(format!("devserver-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("assets")).expect("tmp dir");
    std::fs::write(
        dir.join("index.html"),
        "<html><head><base href=\"/\" /></head><body>portal</body></html>",
    )
    .expect("write");
    std::fs::write(dir.join("portal-1a2b3c4d5e6f7a8b.js"), "console.log(1)").expect("write");
    std::fs::write(dir.join("portal-1a2b3c4d5e6f7a8b_bg.wasm"), b"\0asm").expect("write");
    std::fs::write(dir.join("assets/logo.svg"), "<svg/>").expect("write");
    std::fs::write(dir.join("config.json"), "{\"from\":\"dist\"}").expect("write");
    let srv = server_with(ZVersion::V7, Some(dir.clone()), &["/support/", "help"]);

    let r = srv.send("GET", "/support/tickets/101", &[], None).await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("<base href=\"/support/\" />"));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    let r = srv.send("GET", "/help/", &[], None).await;
    assert!(r.text().contains("<base href=\"/help/\" />"));
    let r = srv.send("GET", "/tickets", &[], None).await;
    assert!(r.text().contains("<base href=\"/\" />"));
    let r = srv.send("GET", "/support", &[], None).await;
    assert_eq!(
        (r.status, r.header("location")),
        (308, Some("/support/".into()))
    );

    let r = srv
        .send("GET", "/support/portal-1a2b3c4d5e6f7a8b_bg.wasm", &[], None)
        .await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let r = srv
        .send("GET", "/portal-1a2b3c4d5e6f7a8b.js", &[], None)
        .await;
    assert!(r
        .header("content-type")
        .unwrap_or_default()
        .contains("javascript"));
    let r = srv.send("GET", "/assets/logo.svg", &[], None).await;
    assert_eq!(r.header("content-type").as_deref(), Some("image/svg+xml"));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));

    for bad in [
        "/support/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/..%5c..%5cx",
    ] {
        let r = srv.send("GET", bad, &[], None).await;
        assert!(!r.text().contains("root:"), "{bad}");
        assert_ne!(r.status, 500, "{bad}");
    }
    let r = srv.send("GET", "/support/api/v1/tickets", &[], None).await;
    assert_eq!(r.status, 404, "mount-relative API paths are not the API");

    // config.json: --config is unreadable here, so dist's file is served, until overridden.
    let r = srv.send("GET", "/support/config.json", &[], None).await;
    assert_eq!(r.text(), "{\"from\":\"dist\"}");
    srv.test_api(
        "PUT",
        "/config",
        json!({"backend": "zammad", "auth_mode": "session"}),
    )
    .await;
    let r = srv.send("GET", "/support/config.json", &[], None).await;
    assert_eq!(r.json()["auth_mode"], "session");
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    srv.test_api("POST", "/reset", json!({})).await;
    let r = srv.send("GET", "/config.json", &[], None).await;
    assert_eq!(r.text(), "{\"from\":\"dist\"}");
    let r = srv.send("POST", "/", &[], None).await;
    assert_eq!(r.status, 405);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn seed_xss_serves_the_corpus_everywhere_with_leak_markers() {
    use devserver::hostile;
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let seeded = srv.test_api("POST", "/seed_xss", json!({})).await.json();
    let n = hostile::vectors().len();
    assert_eq!(seeded["vectors"], n);
    assert!(n >= 150);
    let corpus = seeded["corpus_ticket"].as_u64().unwrap();
    let formatting = seeded["formatting_ticket"].as_u64().unwrap();
    let titles: Vec<u64> = seeded["title_tickets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(titles.len(), n);

    // Every vector as an HTML body, a subject and a file name; the internal note stays hidden.
    let arts = srv
        .api(
            "GET",
            &format!("/api/v1/ticket_articles/by_ticket/{corpus}"),
            Some(&alice),
            None,
        )
        .await
        .json();
    let arts = arts.as_array().unwrap();
    assert_eq!(arts.len(), n + 1, "customer message + one per vector");
    for (a, v) in arts[1..].iter().zip(hostile::vectors()) {
        assert_eq!(a["body"], v.html.as_str());
        assert_eq!(a["content_type"], "text/html");
        assert_eq!(a["subject"], hostile::column_text(&v.html, 250).as_str());
        assert_eq!(
            a["attachments"][0]["filename"],
            hostile::column_text(&v.html, 250).as_str()
        );
        assert_eq!(a["created_by"], hostile::LEAK_OWNER);
    }
    assert!(!arts.iter().any(|a| a["body"]
        .as_str()
        .unwrap_or("")
        .contains(hostile::LEAK_INTERNAL)));

    // Agent-only ticket data carries the markers.
    let t = srv
        .api(
            "GET",
            &format!("/api/v1/tickets/{corpus}?expand=true"),
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(t["owner"], hostile::LEAK_OWNER);
    assert_eq!(t["time_unit"], "7317.25");
    assert!(t["escalation_at"]
        .as_str()
        .unwrap()
        .starts_with("2099-09-09"));
    let t = srv
        .api(
            "GET",
            &format!("/api/v1/tickets/{}", titles[0]),
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(
        t["title"],
        hostile::column_text(&hostile::vectors()[0].html, 250).as_str()
    );

    // The formatting sample: the inline logo as Zammad serves it, not listed as a file.
    let arts = srv
        .api(
            "GET",
            &format!("/api/v1/ticket_articles/by_ticket/{formatting}"),
            Some(&alice),
            None,
        )
        .await
        .json();
    let agent = &arts[1];
    let body = agent["body"].as_str().unwrap();
    assert!(!body.contains("cid:"), "{body}");
    assert!(body.contains(hostile::REMOTE_IMAGE));
    let src = body
        .split("src=\"")
        .map(|s| s.split('"').next().unwrap_or(""))
        .find(|s| s.starts_with("/api/v1/ticket_attachment/"))
        .expect("inline image path")
        .to_string();
    assert!(src.ends_with("?view=inline"), "{src}");
    assert_eq!(agent["attachments"], json!([]));
    let img = srv.api("GET", &src, Some(&alice), None).await;
    assert_eq!(img.status, 200);
    assert_eq!(img.header("content-type").as_deref(), Some("image/png"));
    assert!(img.bytes.starts_with(b"\x89PNG"));
}

#[tokio::test]
async fn traps_are_answered_and_logged_until_reset() {
    let srv = server(ZVersion::V7);
    let r = srv.send("GET", "/__trap/url-47.png?x=1", &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").as_deref(), Some("image/gif"));
    let log = srv.test_api("GET", "/traps", json!(null)).await.json();
    assert_eq!(log[0]["id"], "url-47");
    assert_eq!(log[0]["query"], "x=1");
    srv.test_api("POST", "/reset", json!({})).await;
    let log = srv.test_api("GET", "/traps", json!(null)).await.json();
    assert_eq!(log, json!([]));
    srv.send("POST", "/__trap/form-02", &[], None).await;
    srv.test_api("DELETE", "/traps", json!(null)).await;
    assert_eq!(
        srv.test_api("GET", "/traps", json!(null)).await.json(),
        json!([])
    );

    let (router, state) = devserver::build(&devserver::Options {
        test_api: false,
        quiet: true,
        config: "/nonexistent".into(),
        ..devserver::Options::default()
    });
    let closed = common::Server { router, state };
    assert_eq!(
        closed.send("GET", "/__trap/x-01", &[], None).await.status,
        404
    );
}

#[tokio::test]
async fn seed_dompurify_serves_every_payload_as_an_html_body() {
    use devserver::hostile;
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let seeded = srv
        .test_api("POST", "/seed_dompurify", json!({}))
        .await
        .json();
    let payloads = hostile::dompurify_payloads();
    assert_eq!(seeded["payloads"], payloads.len());
    assert_eq!(seeded["title"], hostile::DOMPURIFY_TITLE);
    let id = seeded["ticket"].as_u64().unwrap();
    let arts = srv
        .api(
            "GET",
            &format!("/api/v1/ticket_articles/by_ticket/{id}"),
            Some(&alice),
            None,
        )
        .await
        .json();
    let arts = arts.as_array().unwrap();
    assert_eq!(
        arts.len(),
        payloads.len() + 1,
        "customer message + one per payload"
    );
    for (a, p) in arts[1..].iter().zip(payloads) {
        assert_eq!(a["body"], p.payload.as_str(), "{}", p.id);
        assert_eq!(a["content_type"], "text/html");
        assert_eq!(a["subject"], hostile::dompurify_subject(p).as_str());
        assert_eq!(a["sender"], "Agent");
    }
}
