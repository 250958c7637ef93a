//! The mapping, checked against the exchanges recorded on Znuny 7.1.7.

// The fixtures and the expected values are serde_json's, which also checks that what the
// adapter sends is JSON: bodies are compared as the text they are sent as.
use serde_json::{json, Value};

use super::*;
use crate::backend::znuny::wire::{SearchResult, SessionCreated, TicketGetResponse, WriteResult};

fn fixture(name: &str) -> Value {
    let dir = format!("{}/fixtures/znuny-7.1.7", env!("CARGO_MANIFEST_DIR"));
    let path = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(name))
        })
        .unwrap_or_else(|| panic!("no fixture {name}"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn body(name: &str) -> Vec<u8> {
    fixture(name)["response_body"].to_string().into_bytes()
}

/// An answer read as the adapter reads it.
fn read<T: serde::de::DeserializeOwned>(body: &[u8]) -> crate::domain::error::PortalResult<T> {
    crate::de::object(body)
}

/// A row of a TicketGet answer, from serde_json's `json!`.
fn article_row(v: Value) -> ArticleRow {
    read(v.to_string().as_bytes()).unwrap()
}

/// A request body as sent.
fn sent(body: &Params) -> Value {
    serde_json::from_str(&crate::browser::http::json(body)).unwrap()
}

fn alice() -> Identity {
    Identity {
        login: "alice".into(),
        first_name: "Alice".into(),
        last_name: "Customer".into(),
        full_name: "Alice Customer".into(),
        email: "alice@acme.example".into(),
        customer_id: "acme".into(),
    }
}

#[test]
fn session_keeps_identity_and_drops_secrets() {
    let created: SessionCreated = read(&body("01-")).unwrap();
    assert_eq!(created.session_id.unwrap().len(), 32);
    let data: SessionData = read(&body("03-")).unwrap();
    let id = Identity::from_session(&data).unwrap();
    assert_eq!(id.login, "alice");
    assert_eq!(id.customer_id, "acme");
    assert_eq!(id.email, "alice@acme.example");
    assert_eq!(id.display_name(), "Alice Customer");
    assert_eq!(
        id.sender_address(),
        "\"Alice Customer\" <alice@acme.example>"
    );
    let kept = crate::browser::http::json(&id);
    assert!(!kept.contains("UserPassword") && !kept.contains("Config"));
    assert_eq!(
        serde_json::from_str::<Identity>(&kept).ok(),
        Some(id.clone())
    );
    assert!(id.customer().has_organization);
}

#[test]
fn errors_in_http_200_and_plain_500s() {
    let e = |f: &str| {
        let v = fixture(f);
        error_in(v["status"].as_u64().unwrap() as u16, &body(f))
    };
    assert_eq!(e("02-").unwrap().kind, ErrorKind::Credentials);
    assert_eq!(e("16-").unwrap().kind, ErrorKind::NotFound);
    assert_eq!(e("23-").unwrap().kind, ErrorKind::NotFound);
    assert_eq!(e("47-").unwrap().kind, ErrorKind::NotFound);
    assert_eq!(e("22-").unwrap().kind, ErrorKind::SignedOut);
    assert_eq!(e("36-").unwrap().kind, ErrorKind::SignedOut);
    assert_eq!(e("58-").unwrap().kind, ErrorKind::SignedOut);
    assert_eq!(e("17-").unwrap().kind, ErrorKind::NotFound);
    assert_eq!(e("26-").unwrap().kind, ErrorKind::Validation);
    assert_eq!(e("27-").unwrap().kind, ErrorKind::Validation);
    assert_eq!(e("24-").unwrap().kind, ErrorKind::Server);
    assert_eq!(e("20-").unwrap().kind, ErrorKind::Server);
    assert!(e("01-").is_none());
    assert!(e("06-").is_none());
    assert!(e("48-").is_none());
    assert_eq!(error_in(413, b"").unwrap().kind, ErrorKind::Validation);
}

#[test]
fn search_ids_as_strings_and_empty_object() {
    let r: SearchResult = read(&body("06-")).unwrap();
    assert_eq!(r.ids(), vec!["2", "3"]);
    let none: SearchResult = read(&body("48-")).unwrap();
    assert!(none.ids().is_empty());
    let one: SearchResult = read(br#"{"TicketID":7}"#).unwrap();
    assert_eq!(one.ids(), vec!["7"]);
    let mixed: SearchResult = read(br#"{"TicketID":["2",3,null,{"x":1}]}"#).unwrap();
    assert_eq!(mixed.ids(), vec!["2", "3"]);
}

#[test]
fn ticket_get_with_articles_attachments_and_gaps() {
    let r: TicketGetResponse = read(&body("08-")).unwrap();
    let s = Settings::default();
    let t = ticket(&r.tickets[0], "alice", &s);
    assert_eq!(t.summary.number, "2026112410000019");
    assert_eq!(t.summary.state.category, StateCategory::New);
    assert_eq!(t.summary.created_at, "2026-11-24T04:46:40Z");
    assert!(t.summary.mine);
    assert_eq!(t.group.as_deref(), Some("Raw"));
    let a = &t.articles[0];
    assert_eq!(a.sender, SenderKind::Customer);
    assert_eq!(a.from_name, "Alice Customer");
    assert!(matches!(&a.body, Body::Plain(b) if b.contains("\nPlease help")));
    assert_eq!(a.attachments[0].filename, "note.txt");
    assert_eq!(a.attachments[0].size, Some(52));
    assert_eq!(a.attachments[0].source.attachment_id, "1");

    // No Article key at all when asked without articles.
    let plain: TicketGetResponse = read(&body("09-")).unwrap();
    assert!(ticket(&plain.tickets[0], "alice", &s).articles.is_empty());

    // The customer's view hides the internal note; the agent's From shows their name.
    let customer: TicketGetResponse = read(&body("41-")).unwrap();
    let t = ticket(&customer.tickets[0], "alice", &s);
    assert_eq!(t.articles.len(), 3);
    assert!(t.articles.iter().any(|a| a.sender == SenderKind::Agent));
    // An internal article reaching the adapter anyway is dropped.
    let agent: TicketGetResponse = read(&body("42-")).unwrap();
    let t = ticket(&agent.tickets[0], "alice", &s);
    assert_eq!(
        t.articles.len(),
        3,
        "the IsVisibleForCustomer 0 article must be dropped"
    );
}

#[test]
fn closed_tickets_follow_the_configured_queue_policy() {
    let r: TicketGetResponse = read(&body("46-")).unwrap();
    let mut s = Settings::default();
    let closed = &r.tickets[1];
    assert_eq!(
        summary(closed, "alice").state.category,
        StateCategory::Closed
    );
    assert_eq!(ticket(closed, "alice", &s).follow_up, FollowUp::Allowed);
    s.follow_up.insert("Misc".into(), "reject".into());
    let t = ticket(closed, "alice", &s);
    assert_eq!(t.follow_up, FollowUp::Refused);
    let reply = Reply {
        body: "again".into(),
        attachments: vec![],
    };
    assert_eq!(
        reply_body(&t, &reply, &alice(), &s).unwrap_err().kind,
        ErrorKind::Refused
    );
    s.follow_up.insert("Misc".into(), "possible".into());
    let t = ticket(closed, "alice", &s);
    let b = sent(&reply_body(&t, &reply, &alice(), &s).unwrap());
    assert_eq!(
        b["Ticket"],
        json!({"State": "open"}),
        "a follow-up alone would not reopen it"
    );
}

#[test]
fn html_body_comes_from_the_generated_attachment() {
    let html = "<p>Hi <b>Alice</b></p>";
    let row = article_row(json!({
        "ArticleID": 9, "SenderType": "agent", "IsVisibleForCustomer": 1, "From": "Admin OTRS",
        "Subject": "Re", "Body": "Hi Alice", "ContentType": "text/plain; charset=utf-8",
        "CreateTime": "2026-11-24 04:46:43",
        "Attachment": [
            {"FileID": "2", "Filename": "file-2", "ContentType": "text/html; charset=\"utf-8\"",
             "Disposition": "inline", "FilesizeRaw": "22", "Content": wire::base64_encode(html.as_bytes())},
            {"FileID": "3", "Filename": "file-2.html", "ContentType": "text/html",
             "Disposition": "attachment", "FilesizeRaw": "4", "Content": ""}
        ]
    }));
    let a = article(&row, "2").unwrap();
    assert_eq!(a.body, Body::Html(html.into()));
    assert_eq!(
        a.attachments.len(),
        1,
        "the HTML body is never listed as a file"
    );
    assert_eq!(a.attachments[0].filename, "file-2.html");
}

#[test]
fn inline_images_become_data_urls_and_leave_the_file_list() {
    let png = "iVBORw0KGgo=";
    let html = "<p>Logo <img src=\"cid:logo@x\" alt=l> <img src='CID:other@x'> \
                <img src=cid:svg@x> <img src=\"cid:bad@x\"> text cid:logo@x</p>";
    let row = article_row(json!({
        "ArticleID": 9, "SenderType": "agent", "IsVisibleForCustomer": 1, "From": "Agent",
        "Subject": "Re", "Body": "Logo", "ContentType": "text/plain; charset=utf-8",
        "CreateTime": "2026-11-24 04:46:43",
        "Attachment": [
            {"FileID": "1", "Filename": "file-2", "ContentType": "text/html; charset=\"utf-8\"",
             "Disposition": "inline", "Content": wire::base64_encode(html.as_bytes())},
            {"FileID": "2", "Filename": "logo.png", "ContentType": "image/png; name=\"logo.png\"",
             "Disposition": "inline", "ContentID": "<logo@x>", "Content": png},
            {"FileID": "3", "Filename": "x.svg", "ContentType": "image/svg+xml",
             "Disposition": "inline", "ContentID": "<svg@x>", "Content": png},
            {"FileID": "4", "Filename": "bad.png", "ContentType": "image/png",
             "Disposition": "inline", "ContentID": "<bad@x>", "Content": "AA\"onerror=x"},
            {"FileID": "5", "Filename": "report.pdf", "ContentType": "application/pdf",
             "Disposition": "attachment", "Content": "JVBE"}
        ]
    }));
    let a = article(&row, "2").unwrap();
    let Body::Html(h) = &a.body else {
        panic!("not HTML")
    };
    assert!(
        h.contains(&format!("src=\"data:image/png;base64,{png}\"")),
        "{h}"
    );
    assert!(h.contains("src='CID:other@x'"), "unknown ids stay: {h}");
    assert!(h.contains("src=cid:svg@x"), "SVG is never inlined: {h}");
    assert!(
        h.contains("src=\"cid:bad@x\""),
        "unclean base64 is never inlined: {h}"
    );
    assert!(
        h.ends_with("text cid:logo@x</p>"),
        "text is left alone: {h}"
    );
    let names: Vec<&str> = a.attachments.iter().map(|f| f.filename.as_str()).collect();
    assert_eq!(
        names,
        ["x.svg", "bad.png", "report.pdf"],
        "the shown logo is no download"
    );
}

#[test]
fn search_params_use_real_state_types_and_fulltext() {
    let s = Settings::default();
    let q = TicketQuery {
        status: StatusFilter::Open,
        text: " brigade ".into(),
        sort: SortOrder::LastUpdate,
        scope: Scope::Mine,
        page: 2,
        per_page: 25,
    };
    let p = sent(&search_params(&q, &alice(), &s));
    assert_eq!(
        p["StateType"],
        json!(["new", "open", "pending reminder", "pending auto"])
    );
    assert_eq!(p["Fulltext"], "brigade");
    assert_eq!(p["CustomerUserLogin"], "alice");
    assert_eq!(p["SortBy"], "Changed");
    assert_eq!(p["OrderBy"], "Down");
    assert!(p.get("Subject").is_none() && p.get("CustomerID").is_none());
    let all = sent(&search_params(
        &TicketQuery {
            status: StatusFilter::All,
            text: String::new(),
            scope: Scope::Organization,
            ..q
        },
        &alice(),
        &s,
    ));
    assert!(all.get("StateType").is_none() && all.get("CustomerUserLogin").is_none());
}

#[test]
fn create_body_forces_the_customer_and_strips_the_rest() {
    let t = NewTicket {
        fields: Default::default(),
        subject: "Printer on fire".into(),
        group: Some("Support".into()),
        body: "Help".into(),
        attachments: vec![Upload {
            filename: "log.txt".into(),
            mime_type: "text/plain".into(),
            bytes: b"log line\n".to_vec(),
        }],
    };
    let b = sent(&create_body(&t, "Support", &alice(), &Settings::default()));
    assert_eq!(b["Ticket"]["CustomerUser"], "alice");
    assert_eq!(b["Ticket"]["Queue"], "Support");
    assert_eq!(b["Ticket"]["State"], "new");
    assert_eq!(b["Ticket"]["Priority"], "3 normal");
    assert_eq!(b["Article"]["SenderType"], "customer");
    assert_eq!(b["Article"]["IsVisibleForCustomer"], 1);
    assert_eq!(b["Article"]["ContentType"], "text/plain; charset=utf-8");
    assert_eq!(
        b["Article"]["From"],
        "\"Alice Customer\" <alice@acme.example>"
    );
    assert_eq!(b["Attachment"][0]["Content"], "bG9nIGxpbmUK");
    for key in [
        "Owner",
        "Responsible",
        "CustomerID",
        "PendingTime",
        "DynamicField",
    ] {
        assert!(b["Ticket"].get(key).is_none(), "{key}");
    }
    for key in ["ArticleSend", "To", "TimeUnit", "NoAgentNotify"] {
        assert!(b["Article"].get(key).is_none(), "{key}");
    }
    assert!(
        b.get("SessionID").is_none(),
        "the session is added by the transport"
    );
}

#[test]
fn write_answers_and_every_fixture_decodes() {
    let w: WriteResult = read(&body("04-")).unwrap();
    assert_eq!(w.ticket_id.as_deref(), Some("2"));
    let dir = format!("{}/fixtures/znuny-7.1.7", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let status = v["status"].as_u64().unwrap_or(0) as u16;
        let raw = match &v["response_body"] {
            Value::String(s) => s.clone().into_bytes(),
            other => other.to_string().into_bytes(),
        };
        // Every answer is either an error the adapter recognizes or decodes into its types.
        if error_in(status, &raw).is_none() {
            let decoded = read::<TicketGetResponse>(&raw).is_ok()
                || read::<SearchResult>(&raw).is_ok()
                || read::<WriteResult>(&raw).is_ok();
            assert!(decoded, "{}", path.display());
        }
        seen += 1;
    }
    assert_eq!(seen, 58);
}
