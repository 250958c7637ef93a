//! The mapping, checked against the example exchanges in `fixtures/zammad/`.

use super::*;
use crate::backend::zammad::wire::{TokenCreated, TokenList};
use crate::json::parse;

fn fixture(name: &str) -> Value {
    let path = format!("{}/fixtures/zammad/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse(text.as_bytes()).unwrap()
}

fn response(name: &str) -> Value {
    fixture(name)["response_body"].clone()
}

fn states() -> StateTable {
    let rows = Vec::<StateRow>::from_json(&response("34-ticket-states.json")).unwrap();
    StateTable::new(&rows)
}

#[test]
fn customer_keeps_identity_only() {
    let row = UserRow::from_json(&response("13-users-me.json")).unwrap();
    let c = customer(&row);
    assert_eq!(c.display_name, "Jane Doe");
    assert_eq!(c.email, "jane.doe@acme.example");
    assert_eq!(c.id, "7");
    assert!(c.has_organization);
    // The agent's note about the customer is not even part of the domain type.
    assert!(!format!("{c:?}").contains("Escalated"));
}

#[test]
fn state_table_from_seeded_states() {
    let s = states();
    assert_eq!(s.follow_up_id, Some(2));
    assert_eq!(s.closed_id, Some(4));
    assert_eq!(
        s.ids_in(&[
            StateCategory::New,
            StateCategory::Open,
            StateCategory::Pending
        ]),
        vec!["1", "2", "3", "6"]
    );
    assert_eq!(s.ids_in(&[StateCategory::Closed]), vec!["4", "5"]);
    assert_eq!(s.state(Some(3), None).category, StateCategory::Pending);
    assert_eq!(s.state(Some(3), None).name, "pending reminder");
    // Unknown ids fall back to the expanded name.
    assert_eq!(
        s.state(Some(99), Some("closed")).category,
        StateCategory::Closed
    );
}

#[test]
fn state_table_without_expand_uses_type_ids() {
    let mut v = response("34-ticket-states.json");
    let Value::Array(rows) = &mut v else {
        panic!("states are an array")
    };
    for row in rows {
        let Value::Object(row) = row else {
            panic!("a state is an object")
        };
        row.remove("state_type");
    }
    let rows = Vec::<StateRow>::from_json(&v).unwrap();
    let s = StateTable::new(&rows);
    assert_eq!(s.closed_id, Some(4));
    assert_eq!(s.state(Some(6), None).category, StateCategory::Pending);
}

#[test]
fn every_search_shape_is_read() {
    let s = states();
    for (file, expect_total, expect_len) in [
        ("14-tickets-index.json", None, 3),
        ("15-tickets-search-legacy.json", None, 2),
        ("16-tickets-search-expand.json", None, 2),
        ("17-tickets-search-with-total-count.json", Some(2), 1),
    ] {
        let (rows, total) = search_rows(response(file)).unwrap();
        assert_eq!(total, expect_total, "{file}");
        assert_eq!(rows.len(), expect_len, "{file}");
        let t = summary(&rows[0], &s, Some("7"));
        assert!(!t.title.is_empty(), "{file}");
        assert!(!t.number.is_empty(), "{file}");
    }
    let (rows, _) = search_rows(response("16-tickets-search-expand.json")).unwrap();
    let t = summary(&rows[1], &s, Some("7"));
    assert_eq!(t.number, "31042");
    assert_eq!(t.state.category, StateCategory::New);
    assert!(
        !t.mine,
        "John's ticket is an organization ticket, not Jane's"
    );
    assert!(search_rows(json!({"total_count": 1u64})).is_err());
    assert!(search_rows(json!("nope")).is_err());
}

#[test]
fn articles_drop_internal_and_keep_attachments() {
    let rows =
        Vec::<ArticleRow>::from_json(&response("27-ticket-articles-by-ticket.json")).unwrap();
    let articles: Vec<Article> = rows.iter().filter_map(|r| article(r, "41")).collect();
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[0].sender, SenderKind::Customer);
    assert_eq!(articles[1].sender, SenderKind::Agent);
    assert_eq!(articles[1].from_name, "Emma Agent via Support");
    assert_eq!(articles[0].attachments[0].filename, "printer.txt");
    assert_eq!(articles[0].attachments[0].size, Some(26));
    assert_eq!(articles[0].attachments[0].mime_type, "text/plain");
    assert_eq!(
        articles[0].attachments[0].source,
        AttachmentRef {
            ticket_id: "41".into(),
            article_id: "101".into(),
            attachment_id: "17".into()
        }
    );
    assert!(matches!(articles[0].body, Body::Html(_)));
    // An internal article that reaches the adapter anyway is dropped.
    let mut leaked = response("27-ticket-articles-by-ticket.json")
        .as_array()
        .unwrap()[0]
        .clone();
    leaked["internal"] = json!(true);
    let row = ArticleRow::from_json(&leaked).unwrap();
    assert!(article(&row, "41").is_none());
}

#[test]
fn follow_up_rules() {
    let groups = Vec::<GroupRow>::from_json(&response("36-groups.json")).unwrap();
    let sales = groups.iter().find(|g| g.id == 3);
    let support = groups.iter().find(|g| g.id == 2);
    let now = "2025-06-10T10:00:00.000Z";
    assert_eq!(follow_up(sales, None, now), FollowUp::Refused);
    assert_eq!(follow_up(support, None, now), FollowUp::Allowed);
    assert_eq!(follow_up(None, None, now), FollowUp::Unknown);
    let timed = GroupRow {
        id: 9,
        follow_up_possible: Some("new_ticket_after_certain_time".into()),
        reopen_time_in_days: Some(7),
    };
    assert_eq!(
        follow_up(Some(&timed), Some("2025-06-05T08:00:00Z"), now),
        FollowUp::Allowed
    );
    assert_eq!(
        follow_up(Some(&timed), Some("2025-05-20T08:00:00Z"), now),
        FollowUp::Refused
    );
    assert_eq!(
        days_between("2024-12-31T23:00:00Z", "2025-03-01T00:00:00Z"),
        Some(60)
    );
}

#[test]
fn search_body_filters_and_pages() {
    let s = states();
    let q = TicketQuery {
        status: StatusFilter::Open,
        text: "  printer ".into(),
        sort: SortOrder::Number,
        scope: Scope::Mine,
        page: 3,
        per_page: 25,
    };
    let b = search_body(&q, &s, "7");
    assert_eq!(
        b["condition"]["ticket.state_id"]["value"],
        json!(["1", "2", "3", "6"])
    );
    assert_eq!(b["condition"]["ticket.customer_id"]["value"], json!(["7"]));
    assert_eq!(b["query"], json!("printer"));
    assert_eq!(b["sort_by"], json!("number"));
    assert_eq!(b["page"], json!(3u32));
    assert_eq!(b["per_page"], json!(25u32));
    assert_eq!(b["expand"], json!(true));
    let all = search_body(
        &TicketQuery {
            status: StatusFilter::All,
            text: String::new(),
            scope: Scope::Organization,
            ..q
        },
        &s,
        "7",
    );
    assert!(all["condition"].as_object().unwrap().is_empty());
    assert!(all.get("query").is_none());
}

#[test]
fn create_and_reply_bodies_carry_only_customer_fields() {
    let t = NewTicket {
        subject: "Laptop will not boot".into(),
        group: None,
        body: "Black screen.\nFan spins.".into(),
        attachments: vec![Upload {
            filename: "photo.txt".into(),
            mime_type: "text/plain".into(),
            bytes: b"Black screen, fan spins.\n".to_vec(),
        }],
    };
    let b = create_body(&t, Some("2"));
    assert_eq!(b["group_id"], json!(2u64));
    assert_eq!(b["title"], json!("Laptop will not boot"));
    assert_eq!(b["article"]["body"], json!("Black screen.\nFan spins."));
    let attachment = &b["article"]["attachments"].as_array().unwrap()[0];
    assert_eq!(
        attachment["data"],
        json!("QmxhY2sgc2NyZWVuLCBmYW4gc3BpbnMuCg==")
    );
    assert_eq!(attachment["mime-type"], json!("text/plain"));
    for forbidden in [
        "customer_id",
        "customer",
        "owner_id",
        "state_id",
        "priority_id",
    ] {
        assert!(b.get(forbidden).is_none(), "{forbidden}");
    }
    for forbidden in ["sender", "internal", "from", "to"] {
        assert!(b["article"].get(forbidden).is_none(), "{forbidden}");
    }
    assert_eq!(create_body(&t, Some("Sales"))["group"], json!("Sales"));

    let s = states();
    let r = Reply {
        body: "It is out now, thanks.".into(),
        attachments: vec![],
    };
    let b = reply_body(&r, StateCategory::Closed, &s);
    assert_eq!(b["state_id"], json!(2u64));
    assert!(b["article"].get("attachments").is_none());
    let b = reply_body(&r, StateCategory::New, &s);
    assert!(b.get("state_id").is_none());
    assert_eq!(b.as_object().unwrap().len(), 1);
}

#[test]
fn errors_become_clear_messages() {
    let e = |f: &str| {
        let v = fixture(f);
        (
            v["status"].as_u64().unwrap() as u16,
            v["response_body"].to_string().into_bytes(),
        )
    };
    let (s, b) = e("20-ticket-show-foreign.json");
    assert_eq!(error_from(s, &b, true).kind, ErrorKind::NotFound);
    let (s, b) = e("21-ticket-show-missing.json");
    assert_eq!(error_from(s, &b, true).kind, ErrorKind::NotFound);
    let (s, b) = e("11-no-credentials.json");
    assert_eq!(error_from(s, &b, true).kind, ErrorKind::SignedOut);
    let (s, b) = e("12-token-expired.json");
    assert_eq!(error_from(s, &b, true).kind, ErrorKind::SignedOut);
    let (s, b) = e("32-ticket-follow-up-refused.json");
    let err = error_from(s, &b, true);
    assert_eq!(err.kind, ErrorKind::Refused);
    assert_eq!(
        err.to_string(),
        "Cannot follow-up on a closed ticket. Please create a new ticket."
    );
    let (s, b) = e("26-ticket-create-invalid-state.json");
    assert!(error_from(s, &b, true)
        .to_string()
        .contains("Error ID pQ7sX2Lk"));
    let (s, b) = e("02-user-access-token-create-forbidden.json");
    let err = token_error(s, &b);
    assert_eq!(err.kind, ErrorKind::Setup);
    assert!(err.to_string().contains("Token Access"));
    let (s, b) = e("08-signin-wrong-password.json");
    assert_eq!(error_from(s, &b, false).kind, ErrorKind::Credentials);
    assert_eq!(
        error_from(502, b"<html>Bad Gateway</html>", true).kind,
        ErrorKind::Server
    );
    assert_eq!(error_from(418, b"", true).kind, ErrorKind::Server);
}

#[test]
fn token_answers_old_and_new() {
    let new = TokenCreated::from_json(&response("01-user-access-token-create.json")).unwrap();
    assert_eq!(new.token.as_deref().map(str::len), Some(64));
    let old =
        TokenCreated::from_json(&response("38-user-access-token-create-legacy.json")).unwrap();
    assert!(old.token.is_none() && old.name.is_some());
    let list = TokenList::from_json(&response("03-user-access-token-list.json")).unwrap();
    assert_eq!(
        list.tokens[0].name.as_deref(),
        Some("customer-portal 2025-06-02T09:15Z")
    );
    let list = TokenList::from_json(&response("39-user-access-token-list-legacy.json")).unwrap();
    assert_eq!(
        list.tokens[0].label.as_deref(),
        Some("customer-portal 2025-06-02T09:15Z")
    );
}

#[test]
fn every_fixture_body_decodes_without_panicking() {
    // Whatever the shape, decoding into the adapter's types never panics.
    let dir = format!("{}/fixtures/zammad", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v = parse(&std::fs::read(&path).unwrap()).unwrap();
        let body = v["response_body"].clone();
        let _ = Vec::<TicketRow>::from_json(&body);
        let _ = Vec::<ArticleRow>::from_json(&body);
        let _ = UserRow::from_json(&body);
        let _ = search_rows(body.clone());
        let _ = error_from(
            v["status"].as_u64().unwrap_or(0) as u16,
            body.to_string().as_bytes(),
            true,
        );
    }
}
