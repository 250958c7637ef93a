//! The fake Zammad's ticket side as strict as the real servers, per version (zammad-api.md,
//! section 9): search with and without Elasticsearch, the reopen window, groups on 5.x, the
//! rules for new tickets, secondary organizations, download dispositions, PATCH on 7.

mod common;

use common::*;
use devserver::zammad::store::ZVersion;
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<u64> {
    let list = v.get("records").or_else(|| v.get("tickets")).unwrap_or(v);
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_u64().or_else(|| t["id"].as_u64()))
                .collect()
        })
        .unwrap_or_default()
}

async fn search(srv: &Server, auth: &str, body: Value) -> Resp {
    srv.api("POST", "/api/v1/tickets/search", Some(auth), Some(body))
        .await
}

fn open_states() -> Value {
    json!({"ticket.state_id": {"operator": "is", "value": ["1", "2", "3", "6"]}})
}

async fn es(srv: &Server, on: bool) {
    let r = srv
        .test_api("PATCH", "/settings", json!({"elasticsearch": on}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn zammad5_with_elasticsearch_drops_the_condition_when_searching_text() {
    let srv = server(ZVersion::V5);
    let alice = srv.alice().await;
    // No text, no condition: Elasticsearch is asked for nothing and finds nothing.
    let r = search(&srv, &alice, json!({})).await.json();
    assert_eq!(ids(&r), Vec::<u64>::new());
    assert_eq!(r["tickets_count"], 0);
    // No text, a condition: SQL applies it.
    let r = search(&srv, &alice, json!({"condition": open_states()}))
        .await
        .json();
    assert_eq!(ids(&r), vec![101, 105, 106, 102]);
    // Text and a condition: a LIKE that ignores the condition (closed 104 comes back).
    let r = search(
        &srv,
        &alice,
        json!({"query": "mail", "condition": open_states()}),
    )
    .await
    .json();
    assert_eq!(
        ids(&r),
        vec![104, 103],
        "closed tickets are found despite the condition"
    );
    let r = search(
        &srv,
        &alice,
        json!({"query": "Printer", "condition": {"ticket.customer_id": {"operator": "is", "value": ["11"]}}}),
    )
    .await
    .json();
    assert_eq!(
        ids(&r),
        vec![101],
        "\"Mine\" of someone else is dropped too"
    );
    // LIKE is case-sensitive on PostgreSQL; `%` and `_` are wildcards, `\` escapes.
    let like = |q: &'static str| {
        search(
            &srv,
            &alice,
            json!({"query": q, "condition": open_states()}),
        )
    };
    assert_eq!(ids(&like("printer in room").await.json()), vec![101]);
    assert_eq!(
        ids(&like("Printer In Room").await.json()),
        Vec::<u64>::new()
    );
    assert_eq!(ids(&like("room _2").await.json()), vec![101]);
    // Text with an empty condition: Elasticsearch rules (any case, prefix).
    let r = search(&srv, &alice, json!({"query": "PRINT"})).await.json();
    assert_eq!(ids(&r), vec![101]);
    // Zammad 5 reads only `query`, not `term`.
    let r = search(
        &srv,
        &alice,
        json!({"term": "Printer", "condition": open_states()}),
    )
    .await
    .json();
    assert_eq!(
        ids(&r),
        vec![101, 105, 106, 102],
        "term is not read: no text"
    );
    // The legacy shape without expand, an array with it.
    assert!(like("Printer").await.json()["assets"]["Ticket"]["101"].is_object());
    let r = search(
        &srv,
        &alice,
        json!({"query": "Printer", "condition": open_states(), "expand": true}),
    )
    .await
    .json();
    assert!(r.is_array());
}

#[tokio::test]
async fn zammad5_without_elasticsearch_searches_sql_only() {
    let srv = server(ZVersion::V5);
    es(&srv, false).await;
    let alice = srv.alice().await;
    let r = search(&srv, &alice, json!({})).await.json();
    assert_eq!(
        ids(&r),
        vec![101, 105, 106, 102, 104, 103, 108],
        "no condition: all"
    );
    let r = search(&srv, &alice, json!({"query": "PRINT"})).await.json();
    assert_eq!(
        ids(&r),
        Vec::<u64>::new(),
        "case-sensitive LIKE, no prefix rules"
    );
    let r = search(&srv, &alice, json!({"query": "Print"})).await.json();
    assert_eq!(ids(&r), vec![101]);
}

#[tokio::test]
async fn zammad7_text_search_follows_elasticsearch_rules() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let q = |query: &'static str, condition: Value| {
        search(
            &srv,
            &alice,
            json!({"query": query, "condition": condition, "with_total_count": true}),
        )
    };
    let all = json!({});
    // Every word must match; a prefix works; any case.
    assert_eq!(ids(&q("printer fire", all.clone()).await.json()), vec![101]);
    assert_eq!(
        ids(&q("printer water", all.clone()).await.json()),
        Vec::<u64>::new()
    );
    assert_eq!(ids(&q("PRIN", all.clone()).await.json()), vec![101]);
    // The condition applies with text.
    assert_eq!(
        ids(&q("mail", open_states()).await.json()),
        Vec::<u64>::new()
    );
    assert_eq!(ids(&q("mail", all.clone()).await.json()), vec![104, 103]);
    // A query Elasticsearch refuses answers no tickets (and a total of 0), not an error.
    let r = q("printer (fire", all.clone()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"records": [], "total_count": 0}));
    assert_eq!(
        ids(&q("\"printer", all.clone()).await.json()),
        Vec::<u64>::new()
    );
    // Escaped, the same characters are plain text; a `:` asks for a field and drops the `*`.
    assert_eq!(
        ids(&q("printer \\(fire", all.clone()).await.json()),
        vec![101]
    );
    assert_eq!(
        ids(&q("re: printe", all.clone()).await.json()),
        Vec::<u64>::new()
    );
    assert_eq!(ids(&q("re printe", all.clone()).await.json()), vec![101]);
    assert_eq!(
        ids(&q("title:printer", all.clone()).await.json()),
        vec![101]
    );
    // `*` in the text is removed before the search: `*` alone is no text at all.
    let r = search(&srv, &alice, json!({"query": "*"})).await.json();
    assert_eq!(ids(&r).len(), 7);
    // A ticket without articles is in the index: found by its title.
    let t = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "Quiet zebra ticket", "group_id": 2})),
        )
        .await;
    assert_eq!(t.status, 201, "{}", t.text());
    assert_eq!(
        ids(&q("zebra", all.clone()).await.json()),
        vec![t.json()["id"].as_u64().unwrap()]
    );
}

#[tokio::test]
async fn zammad65_without_elasticsearch_joins_articles() {
    let srv = server(ZVersion::V65);
    es(&srv, false).await;
    let alice = srv.alice().await;
    let t = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "Quiet zebra ticket", "group_id": 2})),
        )
        .await;
    assert_eq!(t.status, 201);
    let q = |query: &'static str| search(&srv, &alice, json!({"query": query}));
    assert_eq!(
        ids(&q("zebra").await.json()),
        Vec::<u64>::new(),
        "no articles, never found by text"
    );
    assert_eq!(
        ids(&q("PRINTER IN ROOM").await.json()),
        vec![101],
        "LIKE, any case"
    );
    assert_eq!(
        ids(&q("printer fire").await.json()),
        Vec::<u64>::new(),
        "the text as one piece"
    );
    assert_eq!(
        ids(&q("printer \\(fire").await.json()),
        Vec::<u64>::new(),
        "a backslash is literal"
    );
    // The condition applies.
    let r = search(
        &srv,
        &alice,
        json!({"query": "mail", "condition": open_states()}),
    )
    .await
    .json();
    assert_eq!(ids(&r), Vec::<u64>::new());
}

#[tokio::test]
async fn sorting_and_conditions_raise_as_zammad_does() {
    for version in [ZVersion::V5, ZVersion::V65, ZVersion::V7] {
        let srv = server(version);
        let alice = srv.alice().await;
        for bad in [
            json!({"condition": open_states(), "sort_by": "relevance"}),
            json!({"condition": open_states(), "sort_by": "updated_at", "order_by": "newest"}),
            json!({"condition": open_states(), "sort_by": "updated_at,nope"}),
        ] {
            let r = search(&srv, &alice, bad.clone()).await;
            assert_eq!(r.status, 500, "{version:?} {bad}");
            assert!(is_masked(&r.json()), "{version:?}: {}", r.text());
        }
        let r = search(
            &srv,
            &alice,
            json!({"condition": open_states(), "sort_by": "created_at", "order_by": "ASC"}),
        )
        .await;
        assert_eq!(r.status, 200, "{version:?}");
        // An empty value list is dropped: every ticket comes back.
        let r = search(
            &srv,
            &alice,
            json!({"condition": {"ticket.state_id": {"operator": "is", "value": []}}, "per_page": 100}),
        )
        .await
        .json();
        assert_eq!(ids(&r).len(), 7, "{version:?}");
    }
    // `last_close_at` is a column from 6.x on.
    let srv = server(ZVersion::V5);
    let alice = srv.alice().await;
    let r = search(
        &srv,
        &alice,
        json!({"condition": open_states(), "sort_by": "last_close_at"}),
    )
    .await;
    assert_eq!(r.status, 500);
}

#[tokio::test]
async fn close_times_and_the_reopen_window() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let (srv_ref, alice_ref) = (&srv, &alice);
    let put = |id: u64, body: Value| async move {
        srv_ref
            .api(
                "PUT",
                &format!("/api/v1/tickets/{id}"),
                Some(alice_ref),
                Some(body),
            )
            .await
    };
    // close_at: the first close; last_close_at: every close.
    let first = put(101, json!({"state": "closed"})).await.json();
    assert_eq!(first["close_at"], first["last_close_at"]);
    put(101, json!({"state": "open"})).await;
    srv.test_api(
        "PATCH",
        "/tickets/101",
        json!({"close_at": "2020-01-01T00:00:00.000Z", "last_close_at": "2020-01-01T00:00:00.000Z"}),
    )
    .await;
    let again = put(101, json!({"state": "closed"})).await.json();
    assert_eq!(
        again["close_at"], "2020-01-01T00:00:00.000Z",
        "the first close stays"
    );
    assert_ne!(again["last_close_at"], again["close_at"]);

    srv.test_api(
        "PATCH",
        "/groups/2",
        json!({"follow_up_possible": "new_ticket_after_certain_time", "reopen_time_in_days": 2}),
    )
    .await;
    let now = devserver::util::now_ms();
    let hours_ago = |h: i64, extra_ms: i64| devserver::util::iso(now - h * 3_600_000 - extra_ms);
    let reply = json!({"state_id": 2, "article": {"body": "still there", "type": "web"}});
    // 47 h 59 min after the last close: inside two whole days (a first close long ago
    // does not count).
    srv.test_api(
        "PATCH",
        "/tickets/104",
        json!({"close_at": hours_ago(24 * 30, 0), "last_close_at": hours_ago(47, 59 * 60_000)}),
    )
    .await;
    assert_eq!(put(104, reply.clone()).await.status, 200);
    // 48 h 1 min: outside.
    put(104, json!({"state": "closed"})).await;
    srv.test_api(
        "PATCH",
        "/tickets/104",
        json!({"last_close_at": hours_ago(48, 60_000)}),
    )
    .await;
    let r = put(104, reply.clone()).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error"],
        "Cannot follow-up on a closed ticket. Please create a new ticket."
    );
    // Blank or 0 days refuse, and so does a closed ticket without a close time.
    srv.test_api(
        "PATCH",
        "/tickets/104",
        json!({"last_close_at": hours_ago(1, 0)}),
    )
    .await;
    for days in [json!(0), json!(null)] {
        srv.test_api("PATCH", "/groups/2", json!({"reopen_time_in_days": days}))
            .await;
        assert_eq!(put(104, reply.clone()).await.status, 422, "days {days}");
    }
    srv.test_api("PATCH", "/groups/2", json!({"reopen_time_in_days": 2}))
        .await;
    srv.test_api(
        "PATCH",
        "/tickets/104",
        json!({"close_at": null, "last_close_at": null}),
    )
    .await;
    assert_eq!(put(104, reply.clone()).await.status, 422);

    // Zammad 5 has no last_close_at: the window runs from the first close.
    let srv = server(ZVersion::V5);
    let alice = srv.alice().await;
    srv.test_api(
        "PATCH",
        "/groups/2",
        json!({"follow_up_possible": "new_ticket_after_certain_time", "reopen_time_in_days": 2}),
    )
    .await;
    srv.test_api(
        "PATCH",
        "/tickets/104",
        json!({"close_at": hours_ago(72, 0), "last_close_at": hours_ago(1, 0)}),
    )
    .await;
    let t = srv
        .api("GET", "/api/v1/tickets/104", Some(&alice), None)
        .await
        .json();
    assert!(t.get("last_close_at").is_none(), "no such column on 5.x");
    let r = srv
        .api("PUT", "/api/v1/tickets/104", Some(&alice), Some(reply))
        .await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn groups_are_for_admins_on_zammad5() {
    for (version, status) in [
        (ZVersion::V5, 403),
        (ZVersion::V65, 200),
        (ZVersion::V7, 200),
    ] {
        let srv = server(version);
        let alice = srv.alice().await;
        let r = srv.api("GET", "/api/v1/groups", Some(&alice), None).await;
        assert_eq!(r.status, status, "{version:?}");
        if status == 403 {
            assert_eq!(r.json()["error"], "Not authorized");
        }
    }
}

#[tokio::test]
async fn the_config_names_customer_ticket_create_only_to_a_signed_in_caller() {
    let srv = server(ZVersion::V7);
    let anonymous = srv.api("GET", "/api/v1/signshow", None, None).await.json();
    assert_eq!(anonymous["error"], "no valid session");
    let config = anonymous["config"].as_object().unwrap();
    assert!(!config.contains_key("customer_ticket_create"));
    assert!(!config.contains_key("customer_ticket_create_group_ids"));
    assert!(
        config.values().all(|v| v != &json!(false)),
        "false settings are left out: {config:?}"
    );
    // With a token, signshow knows the customer (no cookie) and names the settings.
    let alice = srv.alice().await;
    let shown = srv.api("GET", "/api/v1/signshow", Some(&alice), None).await;
    assert!(shown.header("set-cookie").is_none());
    let shown = shown.json();
    assert_eq!(shown["session"]["login"], "alice");
    assert_eq!(shown["config"]["customer_ticket_create"], true);
    assert_eq!(
        shown["config"]["customer_ticket_create_group_ids"],
        json!(["2", "3"])
    );
    srv.test_api(
        "PATCH",
        "/settings",
        json!({"customer_ticket_create": false, "customer_ticket_create_group_ids": []}),
    )
    .await;
    let shown = srv
        .api("GET", "/api/v1/signshow", Some(&alice), None)
        .await
        .json();
    assert_eq!(shown["config"]["customer_ticket_create"], false);
    assert_eq!(
        shown["config"]["customer_ticket_create_group_ids"],
        Value::Null
    );
    // The REST API never checks the setting.
    let r = srv
        .api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "Still possible", "group_id": 3,
                        "article": {"body": "REST ignores customer_ticket_create", "type": "web"}})),
        )
        .await;
    assert_eq!(r.status, 201);
    // A refused token answers like no session, with its reason.
    let r = srv
        .api("GET", "/api/v1/signshow", Some("Token token=nope"), None)
        .await
        .json();
    assert_eq!(r["error"], "Can't find User for Token");
    assert!(r["config"].get("customer_ticket_create").is_none());
}

#[tokio::test]
async fn core_workflow_decides_the_groups_of_a_new_ticket() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let form = srv
        .api("GET", "/api/v1/ticket_create", Some(&alice), None)
        .await;
    assert_eq!(form.status, 200, "{}", form.text());
    let form = form.json();
    let restrict = &form["form_meta"]["core_workflow"]["restrict_values"];
    assert_eq!(restrict["group_id"], json!(["", "2", "3"]));
    assert_eq!(
        restrict["state_id"],
        json!(["1", "4"]),
        "new or closed for a customer"
    );
    assert_eq!(form["assets"]["Group"]["3"]["name"], "Sales");
    assert!(
        form["assets"]["Group"]["3"].get("note").is_none(),
        "a customer's view of a group"
    );
    // A group outside the setting is refused with the masked 422.
    let create = |group: u64| {
        srv.api(
            "POST",
            "/api/v1/tickets",
            Some(&alice),
            Some(json!({"title": "Where does this go", "group_id": group,
                        "article": {"body": "x", "type": "web"}})),
        )
    };
    let r = create(1).await;
    assert_eq!(r.status, 422);
    assert!(is_masked(&r.json()));
    srv.test_api(
        "PATCH",
        "/settings",
        json!({"customer_ticket_create_group_ids": [3]}),
    )
    .await;
    let form = srv
        .api("GET", "/api/v1/ticket_create", Some(&alice), None)
        .await
        .json();
    assert_eq!(
        form["form_meta"]["core_workflow"]["restrict_values"]["group_id"],
        json!(["", "3"])
    );
    assert_eq!(create(2).await.status, 422);
    assert_eq!(create(3).await.status, 201);
    // No group allowed at all: `[""]`.
    srv.test_api("PATCH", "/groups/3", json!({"active": false}))
        .await;
    let form = srv
        .api("GET", "/api/v1/ticket_create", Some(&alice), None)
        .await
        .json();
    assert_eq!(
        form["form_meta"]["core_workflow"]["restrict_values"]["group_id"],
        json!([""])
    );
    // The same through core_workflows/perform, which needs class_name and screen.
    let r = srv
        .api(
            "POST",
            "/api/v1/core_workflows/perform",
            Some(&alice),
            Some(json!({"event": "core_workflow", "request_id": "ChecksCoreWorkflow.validate_workflows",
                        "class_name": "Ticket", "screen": "create_middle", "params": {}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = r.json();
    assert_eq!(r["request_id"], "ChecksCoreWorkflow.validate_workflows");
    assert_eq!(r["restrict_values"]["group_id"], json!([""]));
    let r = srv
        .api(
            "POST",
            "/api/v1/core_workflows/perform",
            Some(&alice),
            Some(json!({"screen": "create_middle"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error"],
        "The required parameter 'payload->class_name' is missing."
    );
}

#[tokio::test]
async fn secondary_organizations_list_but_open_only_with_a_primary_one() {
    let srv = server(ZVersion::V7);
    let dana = srv.token_for("dana", "dana-demo").await;
    let erin = srv.token_for("erin@example.com", "erin-demo").await;
    let me = srv
        .api("GET", "/api/v1/users/me?expand=true", Some(&erin), None)
        .await
        .json();
    assert_eq!(me["organization_id"], Value::Null);
    assert_eq!(me["organization_ids"], json!([4]));
    assert_eq!(me["organizations"], json!(["Umbrella Corp"]));
    let all = json!({"condition": {"ticket.state_id": {"operator": "is", "value": ["1", "2", "3", "4", "5", "6"]}}});
    assert_eq!(
        ids(&search(&srv, &dana, all.clone()).await.json()),
        vec![201, 202, 203]
    );
    assert_eq!(
        ids(&search(&srv, &erin, all.clone()).await.json()),
        vec![202, 203]
    );
    let list = srv
        .api("GET", "/api/v1/tickets", Some(&erin), None)
        .await
        .json();
    assert_eq!(ids(&list), vec![202, 203]);
    // Dana (primary Initech) opens Umbrella's ticket; Erin (no primary) gets 403.
    assert_eq!(
        srv.api("GET", "/api/v1/tickets/202", Some(&dana), None)
            .await
            .status,
        200
    );
    for path in [
        "/api/v1/tickets/202",
        "/api/v1/ticket_articles/by_ticket/202",
        "/api/v1/ticket_attachment/202/2202/1",
    ] {
        let r = srv.api("GET", path, Some(&erin), None).await;
        assert_eq!(
            (r.status, r.json()["error"].clone()),
            (403, json!("Not authorized")),
            "{path}"
        );
    }
    // Nobody else sees them: the seed the other tests know is unchanged.
    let alice = srv.alice().await;
    assert_eq!(ids(&search(&srv, &alice, all).await.json()).len(), 7);
}

/// An agent reply with one inline image and one attachment of `mime`.
async fn reply_with_files(srv: &Server, mime: &str, data: &[u8]) -> (u64, u64, u64) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let r = srv
        .test_api(
            "POST",
            "/agent_reply",
            json!({"ticket_id": 101, "body": "<p>See <img src=\"cid:pic@x\" alt=\"drawing\"></p>",
            "attachments": [
                {"filename": "drawing", "mime-type": mime, "data": b64, "content_id": "pic@x"},
                {"filename": "file", "mime-type": mime, "data": b64}
            ]}),
        )
        .await
        .json();
    let article = r["id"].as_u64().unwrap();
    let listed = r["attachments"][0]["id"].as_u64().unwrap();
    let body = r["body"].as_str().unwrap().to_string();
    let inline: u64 = body
        .split("/api/v1/ticket_attachment/101/")
        .nth(1)
        .and_then(|rest| rest.split('/').nth(1))
        .and_then(|id| id.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no inline image in {body}"));
    (article, inline, listed)
}

#[tokio::test]
async fn downloads_follow_rails_dispositions() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let png = b"\x89PNG\r\n\x1a\nnot really";
    let (article, inline, _) = reply_with_files(&srv, "image/png", png).await;
    let (srv_ref, alice_ref) = (&srv, &alice);
    let get = |query: &'static str, file: u64| async move {
        srv_ref
            .api(
                "GET",
                &format!("/api/v1/ticket_attachment/101/{article}/{file}{query}"),
                Some(alice_ref),
                None,
            )
            .await
    };
    let disposition = |r: &Resp| r.header("content-disposition").unwrap_or_default();
    // No disposition: inline, where the type allows it.
    let r = get("", inline).await;
    assert_eq!(r.header("content-type").as_deref(), Some("image/png"));
    assert!(
        disposition(&r).starts_with("inline;"),
        "{}",
        disposition(&r)
    );
    assert!(disposition(&get("?view=inline", inline).await).starts_with("inline;"));
    assert!(disposition(&get("?disposition=attachment", inline).await).starts_with("attachment;"));
    // Anything but inline or attachment is refused.
    let r = get("?disposition=download", inline).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["error"],
        "Invalid disposition download requested. Only inline, attachment are valid."
    );
    // Risky types: octet-stream and attachment, whatever was asked.
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    let (article, inline, listed) = reply_with_files(&srv, "image/svg+xml", svg).await;
    for file in [inline, listed] {
        let r = srv
            .api(
                "GET",
                &format!(
                    "/api/v1/ticket_attachment/101/{article}/{file}?view=inline&disposition=inline"
                ),
                Some(&alice),
                None,
            )
            .await;
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/octet-stream")
        );
        assert!(disposition(&r).starts_with("attachment;"));
        assert_eq!(r.bytes, svg);
    }
    // PDF is not shown inline (Zammad removes it from Rails' list).
    let pdf = srv
        .api(
            "GET",
            "/api/v1/ticket_attachment/101/1003/502?disposition=inline",
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(disposition(&pdf).starts_with("attachment;"));
}

#[tokio::test]
async fn patch_is_not_routed_on_zammad7() {
    for (version, status) in [(ZVersion::V7, 404), (ZVersion::V65, 200)] {
        let srv = server(version);
        let alice = srv.alice().await;
        let r = srv
            .api(
                "PATCH",
                "/api/v1/tickets/101",
                Some(&alice),
                Some(json!({"title": "Patched"})),
            )
            .await;
        assert_eq!(r.status, status, "{version:?}: {}", r.text());
    }
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let r = srv
        .api(
            "PATCH",
            "/api/v1/tickets/101",
            Some(&alice),
            Some(json!({"title": "Patched"})),
        )
        .await;
    assert_eq!(r.json()["error"], "This page doesn't exist.");
    let t = srv
        .test_api("GET", "/tickets/101", json!(null))
        .await
        .json();
    assert_eq!(t["title"], "Printer on fire");
}

#[tokio::test]
async fn the_api_answers_under_a_proxy_prefix_too() {
    let srv = server(ZVersion::V7);
    let alice = srv.alice().await;
    let r = srv
        .api(
            "GET",
            "/zammad-proxy/api/v1/tickets/101?expand=true",
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["title"], "Printer on fire");
    let log = srv.test_api("GET", "/requests", json!(null)).await.json();
    let last = log
        .as_array()
        .and_then(|l| l.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["path"], "/api/v1/tickets/101");
    assert_eq!(last["headers"]["x-forwarded-prefix"], "/zammad-proxy");
}

#[tokio::test]
async fn elasticsearch_is_a_setting_a_reset_can_choose() {
    let srv = server(ZVersion::V5);
    let s = srv.test_api("GET", "/settings", json!(null)).await.json();
    assert_eq!(s["elasticsearch"], true, "the normal production set-up");
    let r = srv
        .test_api(
            "POST",
            "/reset",
            json!({"zammad_version": "5", "elasticsearch": false}),
        )
        .await
        .json();
    assert_eq!(r["elasticsearch"], false);
    let r = srv.test_api("POST", "/reset", json!({})).await.json();
    assert_eq!(
        r["elasticsearch"], true,
        "a reset goes back to the start option"
    );
    let r = srv
        .test_api("POST", "/reset", json!({"elasticsearch": "yes"}))
        .await;
    assert_eq!(r.status, 400);
    // The start option (`--zammad-elasticsearch off`) survives resets.
    let opts = devserver::Options {
        zammad_elasticsearch: false,
        test_api: true,
        quiet: true,
        config: "/nonexistent/config.json".into(),
        ..devserver::Options::default()
    };
    let (_, state) = devserver::build(&opts);
    assert!(!state.lock().settings.elasticsearch);
    let now = devserver::util::now_ms();
    state.lock().reset(ZVersion::V7, now);
    assert!(!state.lock().settings.elasticsearch);
}
