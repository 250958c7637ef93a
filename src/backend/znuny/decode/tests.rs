//! Bad input: every reader of a Znuny answer, and config.json as this build reads it, fed
//! recorded answers mutated, random JSON and random bytes (see `backend::tests::fuzz`). None may panic;
//! each gives a valid domain value or a `PortalError` of a kind that fits the status.

use serde_json::Value;

use super::*;
use crate::backend::tests::fuzz::{self, Case, Expect, Gen, Reader, Rng, Shape, Verdict};
use crate::backend::znuny::Znuny;
use crate::backend::Backend;
use crate::domain::error::ErrorKind::{self, *};

/// Keys of Znuny's answers the wire types read, and some they do not.
const VOCAB: &[&str] = &[
    "Error",
    "ErrorCode",
    "ErrorMessage",
    "SessionID",
    "SessionData",
    "Key",
    "Value",
    "UserLogin",
    "UserFirstname",
    "UserLastname",
    "UserFullname",
    "UserEmail",
    "UserCustomerID",
    "TicketID",
    "Ticket",
    "TicketNumber",
    "Title",
    "State",
    "StateType",
    "Queue",
    "CustomerUserID",
    "Created",
    "Changed",
    "Article",
    "ArticleID",
    "SenderType",
    "IsVisibleForCustomer",
    "From",
    "Subject",
    "Body",
    "ContentType",
    "CreateTime",
    "Attachment",
    "FileID",
    "Filename",
    "FilesizeRaw",
    "Disposition",
    "Content",
    "Owner",
    "2",
];

const CONFIG_VOCAB: &[&str] = &[
    "brand",
    "name",
    "api_base",
    "request_timeout_ms",
    "poll_interval_ms",
    "ticket_form",
    "groups",
    "default_group",
    "id",
    "label",
    "page_size",
    "znuny",
    "routes",
    "preset",
    "znuny6",
    "znuny7",
    "SessionCreate",
    "SessionGet",
    "SessionDelete",
    "TicketCreate",
    "TicketGet",
    "TicketSearch",
    "TicketUpdate",
    "session_hours",
    "new_state",
    "reopen_state",
    "close_state",
    "open_state_types",
    "closed_state_types",
    "priority",
    "type",
    "follow_up",
    "search_limit",
];

fn status_kinds(status: u16) -> &'static [ErrorKind] {
    match status {
        413 => &[Validation],
        _ => &[Server],
    }
}

/// A 2xx answer may carry any of Znuny's business errors, or be unreadable.
const KINDS_2XX: &[ErrorKind] = &[
    Credentials,
    SignedOut,
    NotFound,
    Validation,
    Server,
    Unreadable,
];

const fn rules(shape: Shape) -> Expect {
    Expect {
        shape,
        kinds_2xx: KINDS_2XX,
        kinds_other: status_kinds,
        accepting: &[],
        error_key: Some("Error"),
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn hidden(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.trim() == "0",
        _ => false,
    }
}

/// Ids of the articles of the first ticket in `body` that are hidden from customers, and of
/// all others.
fn hidden_ids(body: &Value) -> (Vec<String>, Vec<String>) {
    let mut hidden_ids = Vec::new();
    let mut shown = Vec::new();
    let articles = &body["Ticket"][0]["Article"];
    for a in articles.as_array().into_iter().flatten() {
        let id = match &a["ArticleID"] {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        if hidden(&a["IsVisibleForCustomer"]) {
            hidden_ids.push(id);
        } else {
            shown.push(id);
        }
    }
    (hidden_ids, shown)
}

fn settings() -> Settings {
    let mut s = Settings::default();
    s.follow_up.insert("Sales".into(), "reject".into());
    s.follow_up.insert("Raw".into(), "\u{0}?".into());
    s
}

fn readers<'a>(fixtures: &'a [fuzz::Fixture], configs: &'a [fuzz::Fixture]) -> Vec<Reader<'a>> {
    let gen = |primary: &[&str]| Gen::new(fixtures, primary, VOCAB);
    let mut config_gen = Gen::new(configs, &["public/"], CONFIG_VOCAB);
    config_gen.fixed_status = true;
    let settings = settings();
    vec![
        Reader {
            name: "checked (sign-out)",
            gen: gen(&["33-", "35-", "22-", "20-", "24-"]),
            check: fuzz::check(|c, _| {
                fuzz::judge(c, &rules(Shape::Unread), &checked(c.status, &c.body))
            }),
        },
        Reader {
            name: "session_created",
            gen: gen(&["01-", "02-", "14-", "21-", "37-", "54-"]),
            check: fuzz::check(|c, _| {
                let r = session_created(c.status, &c.body);
                if let Ok(id) = &r {
                    if !id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                        || id.is_empty()
                    {
                        return Err(format!("session id {id:?}"));
                    }
                }
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "session_identity",
            gen: gen(&["03-"]),
            check: fuzz::check(|c, _| {
                let r = session_identity(c.status, &c.body);
                if let Ok(identity) = &r {
                    if identity.login.is_empty() {
                        return Err("an identity without a login".into());
                    }
                    let _ = identity.customer();
                    let _ = identity.sender_address();
                }
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "search",
            gen: gen(&[
                "06-", "07-", "22-", "29-", "34-", "36-", "48-", "49-", "50-", "51-", "52-", "53-",
                "55-",
            ]),
            check: fuzz::check(|c, _| {
                let r = search(c.status, &c.body);
                if let Ok(ids) = &r {
                    if let Some(id) = ids.iter().find(|id| !digits(id)) {
                        return Err(format!("ticket id {id:?} would go into a URL path"));
                    }
                }
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "ticket (TicketGet, one ticket)",
            gen: gen(&[
                "08-", "09-", "11-", "16-", "19-", "23-", "41-", "42-", "45-",
            ]),
            check: fuzz::check(move |c, _| {
                let r = ticket_get(c.status, &c.body).and_then(|got| {
                    let _ = has_html_body(&got.tickets);
                    ticket(&got, "alice", &settings)
                });
                if let (Ok(t), Some(body)) = (&r, c.json()) {
                    let (hidden, shown) = hidden_ids(&body);
                    if let Some(a) = t
                        .articles
                        .iter()
                        .find(|a| hidden.contains(&a.id) && !shown.contains(&a.id))
                    {
                        return Err(format!("hidden article {} shown", a.id));
                    }
                }
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "ticket_get (list page)",
            gen: gen(&["46-", "47-", "09-", "16-"]),
            check: fuzz::check(|c, _| {
                let r = ticket_get(c.status, &c.body).map(|got| {
                    got.tickets
                        .iter()
                        .map(|row| map::summary(row, "alice"))
                        .collect::<Vec<_>>()
                });
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "changed_at (live updates)",
            gen: gen(&["08-", "09-", "16-", "23-", "46-"]),
            check: fuzz::check(|c, _| {
                let r = ticket_get(c.status, &c.body).and_then(|got| changed_at(&got));
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "agent_replies (New reply)",
            gen: gen(&["41-", "42-", "46-", "47-", "09-"]),
            check: fuzz::check(|c, _| {
                let r = ticket_get(c.status, &c.body).map(|got| agent_replies(&got.tickets));
                if let (Ok(replies), Some(body)) = (&r, c.json()) {
                    let (hidden, shown) = hidden_ids(&body);
                    if let Some(a) = replies
                        .iter()
                        .find(|a| hidden.contains(&a.article_id) && !shown.contains(&a.article_id))
                    {
                        return Err(format!("hidden article {} counted", a.article_id));
                    }
                }
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "file (download)",
            gen: gen(&["08-", "11-", "19-", "42-"]),
            check: fuzz::check(|c, rng| {
                // Mostly the recorded file (article 2, file 1), sometimes another one.
                let pick = |rng: &mut Rng, usual: &str| {
                    if rng.chance(60) {
                        usual.to_string()
                    } else {
                        rng.pick(&["1", "2", "3", "", "02"]).to_string()
                    }
                };
                let source = AttachmentRef {
                    ticket_id: "2".into(),
                    article_id: pick(rng, "2"),
                    attachment_id: pick(rng, "1"),
                };
                let r = ticket_get(c.status, &c.body).and_then(|got| file(&got, &source));
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "updated (reply, close, reopen)",
            gen: gen(&["10-", "12-", "17-", "43-", "44-"]),
            check: fuzz::check(|c, _| {
                fuzz::judge(c, &rules(Shape::Object), &updated(c.status, &c.body))
            }),
        },
        Reader {
            name: "created (new ticket)",
            gen: gen(&["04-", "05-", "15-", "26-", "27-", "28-", "38-"]),
            check: fuzz::check(|c, _| {
                let r = created(c.status, &c.body);
                if let Ok(id) = &r {
                    if !digits(&id.0) {
                        return Err(format!("ticket id {id:?}"));
                    }
                }
                fuzz::judge(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "config.json",
            gen: config_gen,
            check: fuzz::check(|c, _| config_check(c)),
        },
    ]
}

/// config.json as the app reads it, and the adapter's own section as `Znuny::new` reads it,
/// routes included.
fn config_check(case: &Case) -> Result<Verdict, String> {
    fuzz::config_check(case, |config| {
        let znuny = Znuny::new(config);
        if let Err(e) = znuny.routes() {
            if e.kind != Setup {
                return Err(format!("routes refused as {:?}", e.kind));
            }
        }
        let _ = znuny.inner.settings.follow_up(Some("Sales"));
        Ok(())
    })
}

#[test]
fn fuzz_znuny_readers() {
    let fixtures = fuzz::fixtures("znuny-7.1.7");
    let configs = vec![
        fuzz::file_fixture("public/config.znuny.json"),
        fuzz::file_fixture("public/config.json"),
    ];
    let readers = readers(&fixtures, &configs);
    let mut extra: Vec<(&'static str, Vec<Case>)> = vec![
        ("session_created", fuzz::cut_offs(&fixtures, "01-")),
        ("search", fuzz::cut_offs(&fixtures, "06-")),
        (
            "ticket (TicketGet, one ticket)",
            fuzz::cut_offs(&fixtures, "08-"),
        ),
        ("ticket_get (list page)", fuzz::cut_offs(&fixtures, "46-")),
        ("created (new ticket)", fuzz::cut_offs(&fixtures, "04-")),
        (
            "config.json",
            fuzz::cut_offs(&configs, "public/config.znuny.json"),
        ),
    ];
    for reader in &readers {
        if reader.name.starts_with("checked") {
            continue;
        }
        extra.push((reader.name, fuzz::refusable(Shape::Object)));
        extra.push((reader.name, fuzz::edges()));
    }
    fuzz::run("znuny", &readers, &extra);
}

/// Answers that look almost right and must still be refused, with the kind the page acts on.
#[test]
fn broken_answers_are_refused_with_the_right_kind() {
    let kind = |r: PortalResult<()>| r.err().map(|e| e.kind);
    // A business error is an error whatever its type, and only an object is an envelope.
    for body in [
        &br#"{"Error":"boom","TicketID":"2"}"#[..],
        br#"{"Error":5,"TicketID":"2"}"#,
        br#"{"Error":[],"TicketID":"2"}"#,
        br#"{"Error":{"ErrorCode":"x"},"Error":null,"TicketID":"2"}"#,
    ] {
        assert_eq!(kind(updated(200, body)), Some(Server), "{body:?}");
    }
    assert_eq!(
        kind(updated(200, br#"{"Error":null,"TicketID":"2"}"#)),
        None
    );
    assert_eq!(
        kind(updated(200, br#"[{"ErrorCode":"TicketGet.AccessDenied"}]"#)),
        Some(Unreadable)
    );
    assert_eq!(
        kind(checked(
            200,
            br#"{"Error":{"ErrorCode":"TicketSearch.SessionInvalid"}}"#
        )),
        Some(SignedOut)
    );
    assert_eq!(
        kind(updated(413, b"<html>too large</html>")),
        Some(Validation)
    );
    assert_eq!(kind(updated(200, b"[]")), Some(Unreadable));
    // A list of the wrong shape is not read as an empty one.
    let read = |body: &[u8]| ticket_get(200, body).map(|_| ()).err().map(|e| e.kind);
    assert_eq!(read(br#"{"Ticket":[]}"#), None);
    assert_eq!(read(br#"{"Ticket":null}"#), None);
    for body in [
        &br#"{"Ticket":"x"}"#[..],
        br#"{"Ticket":[1]}"#,
        br#"{"Ticket":[{"TicketID":"1","Article":{}}]}"#,
        br#"{"Ticket":[{"TicketID":"1","Article":[{"Attachment":true}]}]}"#,
    ] {
        assert_eq!(read(body), Some(Unreadable), "{body:?}");
    }
    // Ids that go into URL paths and headers.
    assert_eq!(
        created(200, br#"{"TicketID":"2"}"#),
        Ok(TicketId("2".into()))
    );
    assert_eq!(created(200, br#"{"TicketID":2}"#), Ok(TicketId("2".into())));
    for body in [
        &br#"{"TicketID":""}"#[..],
        br#"{"TicketID":"2/../3"}"#,
        br#"{"TicketID":2.5}"#,
        br#"{}"#,
    ] {
        assert_eq!(
            created(200, body).map_err(|e| e.kind),
            Err(Unreadable),
            "{body:?}"
        );
    }
    assert_eq!(
        search(200, br#"{"TicketID":["2","1/../../Session/x"]}"#).map_err(|e| e.kind),
        Err(Unreadable)
    );
    assert_eq!(search(200, br#"{"TicketID":7}"#), Ok(vec!["7".to_string()]));
    assert_eq!(search(200, b"{}"), Ok(vec![]));
    assert_eq!(
        search(200, b"[]").map_err(|e| e.kind),
        Err(Unreadable),
        "an array is no search answer"
    );
    for body in [
        &br#"{"SessionID":"abc def"}"#[..],
        br#"{"SessionID":"a\r\nX-Evil: 1"}"#,
        br#"{"SessionID":"../Ticket"}"#,
        br#"{"SessionID":""}"#,
        br#"["LZvSp1LslHzs30JcPgQ11xjXQNsV2kwy"]"#,
    ] {
        assert_eq!(
            session_created(200, body).map_err(|e| e.kind),
            Err(Unreadable),
            "{body:?}"
        );
    }
    assert_eq!(
        session_created(200, br#"{"SessionID":"LZvSp1LslHzs30JcPgQ11xjXQNsV2kwy"}"#).as_deref(),
        Ok("LZvSp1LslHzs30JcPgQ11xjXQNsV2kwy")
    );
    // No ticket in a TicketGet: the page says "not found", not "unreadable".
    let got = ticket_get(200, br#"{"Ticket":[]}"#).unwrap();
    assert_eq!(
        ticket(&got, "alice", &settings()).map_err(|e| e.kind),
        Err(NotFound)
    );
}
