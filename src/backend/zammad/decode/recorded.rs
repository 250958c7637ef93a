//! Every body recorded from real Zammad 6.2 / 7.1 servers (`fixtures/zammad-recorded/`) through
//! the reader the adapter uses for that endpoint: 2xx bodies must decode into the expected domain
//! values (nothing panics), non-2xx bodies must map to the right `ErrorKind`. The zammadoo files
//! carry the exact bytes (`body_raw`), which is what the readers get; the transcripts
//! (`body_is_excerpt`) are decoded where only an elision (`…`) needs removing, and listed with
//! the reason where they are prose. Every file must be accounted for.

use serde_json::Value as Json;

use super::*;
use crate::backend::zammad::wire::{ArticleRow, TicketRow};
use crate::domain::error::ErrorKind;
use crate::domain::{Body, Scope, SenderKind, SortOrder, StateCategory, StatusFilter};

struct Rec {
    name: String,
    v: Json,
}

impl Rec {
    fn status(&self) -> u16 {
        self.v["response"]["status"].as_u64().unwrap_or(0) as u16
    }
    fn body(&self) -> &Json {
        &self.v["response"]["body"]
    }
    /// The bytes the reader gets: the recorded bytes where they were kept, else the JSON body.
    fn bytes(&self) -> Vec<u8> {
        match self.v["response"]["body_raw"].as_str() {
            Some(raw) => raw.as_bytes().to_vec(),
            None => self.body().to_string().into_bytes(),
        }
    }
    /// A transcript whose only gaps are an elided list or member (`[…]`, `,…`), closed up,
    /// without the author's prose after the JSON.
    fn closed_up(&self) -> Vec<u8> {
        let text = self.body().as_str().unwrap_or_default();
        let json = text.rfind('}').map_or(text, |end| &text[..=end]);
        json.replace("[…]", "[]").replace(",…", "").into_bytes()
    }
}

fn recordings() -> Vec<Rec> {
    let dir = format!("{}/fixtures/zammad-recorded", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<Rec> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            Rec {
                v: serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}")),
                name,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn one(prefix: &str) -> Rec {
    recordings()
        .into_iter()
        .find(|r| r.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no recording {prefix}"))
}

/// Zammad's stock states (ids 1–6 on every server, the recordings' included), from the
/// constructed example of `GET /ticket_states?expand=true`.
fn stock_states() -> StateTable {
    let path = format!(
        "{}/fixtures/zammad/34-ticket-states.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    states(200, v["response_body"].to_string().as_bytes(), true).unwrap()
}

/// A recorded error body mapped: the kind, and the help desk's text where it is shown as is.
fn kind_of<T: std::fmt::Debug>(r: PortalResult<T>) -> ErrorKind {
    r.expect_err("an error status must be an error").kind
}

/// A single record read the way its list is read (`GET /groups`, `GET /ticket_states`): the
/// recording has `GET /groups/1`, the adapter asks `GET /groups`, an array of those rows.
fn as_list(rec: &Rec) -> Vec<u8> {
    format!("[{}]", String::from_utf8_lossy(&rec.bytes())).into_bytes()
}

/// What happened to one recording.
enum Outcome {
    Decoded,
    /// Not decodable, with the reason.
    Listed(&'static str),
}
use Outcome::*;

/// Decodes one recording and checks the domain values; panics (with the file name) on a
/// wrong value. `None`: no case for the file.
fn decode(rec: &Rec) -> Option<Outcome> {
    let n = &rec.name;
    let (status, bytes) = (rec.status(), rec.bytes());
    Some(match &n[..2] {
        "01" => Listed("GET /version is admin-only; the portal never asks it"),
        // users/me: the agent, a customer, and the system user without organization.
        "02" | "03" | "04" => {
            let c = me(status, &bytes, true).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            let (id, name, email, org) = match &n[..2] {
                "02" => ("3", "zammadoo admin", "zammadoo@hephaestus.local", true),
                "03" => ("2", "Nicole Braun", "nicole.braun@zammad.org", true),
                _ => ("1", "-", "", false),
            };
            assert_eq!(
                (c.id.as_str(), c.display_name.as_str(), c.email.as_str()),
                (id, name, email),
                "{n}"
            );
            assert_eq!(c.has_organization, org, "{n}");
            Decoded
        }
        // The token list (logout finds its token by name): the transcripts elide only the
        // permission records and the rest of a token row.
        "10" | "15" => {
            let found = token_id(status, &rec.closed_up(), true, "customer-portal x");
            assert_eq!(found.unwrap_or_else(|e| panic!("{n}: {e:?}")), None, "{n}");
            Decoded
        }
        "18" => {
            let row = String::from_utf8(rec.closed_up()).unwrap();
            let row = row.trim_start_matches("tokens[]:").trim();
            let list = format!("{{\"tokens\":[{row}]}}");
            let label = "zammad-mcp (auto) 2020-01-01";
            let found = token_id(status, list.as_bytes(), true, label);
            assert_eq!(
                found.unwrap_or_else(|e| panic!("{n}: {e:?}")),
                Some(6),
                "{n}"
            );
            Decoded
        }
        // 422 `Need fingerprint param!` (an agent's session) on the token list.
        "11" => {
            let err = token_id(status, &bytes, true, "x").unwrap_err();
            assert_eq!(err.kind, ErrorKind::Validation, "{n}");
            assert_eq!(err.message, Msg::HelpDesk("Need fingerprint param!".into()));
            Decoded
        }
        // Token mint (the portal mints with Basic auth at sign-in): the token value.
        "12" | "16" => {
            let token = token_created(status, &bytes).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            assert_eq!(token, "<token>", "{n}");
            Decoded
        }
        // A session write without CSRF: the session counts as lost.
        "13" => {
            assert_eq!(kind_of(checked(status, &bytes, true)), ErrorKind::SignedOut);
            Decoded
        }
        // No Token Access: at sign-in the portal names the setting (or falls back to a session).
        "14" => {
            assert_eq!(
                mint_refusal(status, &bytes),
                Some(MintRefusal::NoTokenPermission)
            );
            let err = token_created(status, &bytes).unwrap_err();
            assert_eq!(
                (err.kind, err.message),
                (ErrorKind::Setup, Msg::TokenAccess)
            );
            Decoded
        }
        // Mint without a permission list: masked 422, the error id passed on.
        "17" => {
            let err = token_created(status, &bytes).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Validation, "{n}");
            assert!(
                matches!(err.message, Msg::ChangeNotAccepted(ref t) if t.starts_with("Error ID GG9vEFqH"))
            );
            Decoded
        }
        "19" => {
            checked(status, &bytes, true).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            Decoded
        }
        // Token deletes at logout that fail (quoted message only, as `{"error": …}`).
        "20" | "21" => {
            let text = rec.body().as_str().unwrap_or_default();
            let body = serde_json::json!({ "error": text }).to_string();
            let want = if status == 422 {
                ErrorKind::Validation
            } else {
                ErrorKind::NotFound
            };
            assert_eq!(kind_of(checked(status, body.as_bytes(), true)), want, "{n}");
            Decoded
        }
        // An expired token: signed out.
        "22" => {
            assert_eq!(kind_of(me(status, &bytes, true)), ErrorKind::SignedOut);
            Decoded
        }
        // Lists are read through the search reader: a bare array, the legacy object.
        "24" => {
            let answer = search_answer(status, &bytes, true).unwrap();
            assert!(answer.rows.is_empty() && !answer.legacy, "{n}");
            Decoded
        }
        "28" => {
            let answer = search_answer(status, &bytes, true).unwrap();
            assert!(answer.legacy, "{n}: the legacy shape is told apart");
            let ids: Vec<u64> = answer.rows.iter().map(|r| r.id).collect();
            assert_eq!(ids, vec![374, 373], "{n}: in the result's order");
            let query = TicketQuery {
                status: StatusFilter::All,
                text: String::new(),
                sort: SortOrder::LastUpdate,
                scope: Scope::Organization,
                page: 1,
                per_page: 25,
            };
            let page = page_of(answer, &query, &stock_states(), "26");
            let t = &page.tickets[0];
            assert_eq!(
                (t.number.as_str(), t.title.as_str()),
                ("67359", "__pytest__")
            );
            assert_eq!(t.state.category, StateCategory::New);
            assert!(t.mine && !page.has_more, "{n}");
            Decoded
        }
        "36" => Listed("the transcript abbreviates the records (\"[ticket 3]\")"),
        "37" => Listed("the transcript gives only the ids found (\"ids [2]\")"),
        // Ticket reads: number, title, state, group and close times.
        "38" | "39" | "40" => {
            let row = ticket_row(status, &bytes, true).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            let t = map::summary(&row, &stock_states(), Some("2"));
            let (number, title, category) = match &n[..2] {
                "40" => ("67360", "__pytest__", StateCategory::New),
                _ => ("67001", "Welcome to Zammad!", StateCategory::Open),
            };
            assert_eq!(
                (t.number.as_str(), t.title.as_str()),
                (number, title),
                "{n}"
            );
            assert_eq!(t.state.category, category, "{n}");
            if &n[..2] == "38" {
                assert_eq!(
                    row.last_close_at.as_deref(),
                    Some("2023-10-01T21:48:12.960Z")
                );
                assert_eq!(row.close_at, row.last_close_at);
            }
            if &n[..2] == "39" {
                assert_eq!(row.group.as_deref(), Some("Users"));
            }
            Decoded
        }
        // Another customer's ticket: not openable (the adapter then checks the list).
        "46" => {
            let err = ticket_row(status, &bytes, true).unwrap_err();
            assert_eq!(
                (err.kind, err.message),
                (ErrorKind::NotFound, Msg::TicketNotOpenable)
            );
            Decoded
        }
        // The articles of an agent-made ticket: the two internal notes (with the attachments)
        // never reach the page.
        "47" => {
            let list = articles(status, &bytes, true, "375").unwrap();
            let ids: Vec<&str> = list.iter().map(|a| a.id.as_str()).collect();
            assert_eq!(ids, vec!["598"], "{n}: internal articles dropped");
            assert_eq!(list[0].sender, SenderKind::Agent);
            assert_eq!(list[0].body, Body::Plain("...".into()));
            assert_attachments(rec.body());
            Decoded
        }
        // Single articles and created ones, read as the article rows they are.
        "49" | "50" | "59" | "60" | "61" => {
            let row = read_row::<ArticleRow>(&bytes, n);
            let article = map::article(&row, "1");
            if rec.body()["internal"] == Json::Bool(true) {
                assert!(article.is_none(), "{n}: an internal article is dropped");
                assert_attachments(&Json::Array(vec![rec.body().clone()]));
            } else {
                let a = article.unwrap();
                assert_eq!(
                    (a.from_name.as_str(), a.sender),
                    ("zammadoo admin", SenderKind::Agent)
                );
            }
            checked(status, &bytes, true).unwrap();
            Decoded
        }
        // Ticket create: the new ticket's id.
        "52" | "53" => {
            let id = created(status, &bytes, true).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            let want = if &n[..2] == "52" { "375" } else { "346" };
            assert_eq!(id.0, want, "{n}");
            Decoded
        }
        "57" => Listed("the transcript describes the created ticket in prose"),
        // Create without group: Zammad's text, shown as is.
        "58" => {
            let text = rec.body().as_str().unwrap_or_default();
            let body = serde_json::json!({ "error": text }).to_string();
            let err = created(status, body.as_bytes(), true).unwrap_err();
            assert_eq!(
                (err.kind, err.message),
                (ErrorKind::Validation, Msg::HelpDesk(text.into()))
            );
            Decoded
        }
        "62" => Listed("the transcript describes the stored article in prose"),
        // A reply by PUT: only the status matters to the adapter; the row reads as a ticket.
        "63" => {
            checked(status, &bytes, true).unwrap();
            let row = read_row::<TicketRow>(&bytes, n);
            assert_eq!(row.number, "67338");
            Decoded
        }
        // Downloads: the bytes as sent, whatever they are.
        "67" | "68" | "69" => {
            checked(status, &bytes, true).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            Decoded
        }
        // Errors: 404s of missing records and routes.
        "71" | "74" => {
            assert_eq!(
                kind_of(checked(status, &bytes, true)),
                ErrorKind::NotFound,
                "{n}"
            );
            Decoded
        }
        "72" | "73" => {
            assert_eq!(
                kind_of(states(status, &bytes, true)),
                ErrorKind::NotFound,
                "{n}"
            );
            Decoded
        }
        // A group, as a row of `GET /groups`.
        "78" => {
            let rows = groups(status, &as_list(rec), true).unwrap();
            assert_eq!(rows[0].id, 1);
            assert_eq!(rows[0].follow_up_possible.as_deref(), Some("yes"));
            assert_eq!(rows[0].reopen_time_in_days, None);
            Decoded
        }
        // The merged state, as a row of `GET /ticket_states`: closed for the list's filters.
        "82" => {
            let table = states(status, &as_list(rec), true).unwrap();
            let s = table.state(Some(5), None);
            assert_eq!(
                (s.name.as_str(), s.category),
                ("merged", StateCategory::Closed)
            );
            Decoded
        }
        "84" => Listed("priorities are never read: customers do not set them"),
        _ => return None,
    })
}

/// One row read as the adapter reads a single record (`crate::de::object`).
fn read_row<T: serde::de::DeserializeOwned>(bytes: &[u8], name: &str) -> T {
    crate::de::object(bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The attachments of article rows as the portal would list them, had the articles been
/// public: names, string sizes as numbers, types.
fn assert_attachments(rows: &Json) {
    for row in rows.as_array().unwrap() {
        let mut public = row.clone();
        public["internal"] = Json::Bool(false);
        let row = read_row::<ArticleRow>(public.to_string().as_bytes(), "article");
        let a = map::article(&row, "375").unwrap();
        let got: Vec<(&str, Option<u64>, &str)> = a
            .attachments
            .iter()
            .map(|f| (f.filename.as_str(), f.size, f.mime_type.as_str()))
            .collect();
        let want: Vec<(&str, Option<u64>, &str)> = public["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["filename"].as_str().unwrap(),
                    f["size"].as_str().and_then(|s| s.parse().ok()),
                    f["preferences"]["Mime-Type"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want);
    }
}

#[test]
fn every_recorded_body_goes_through_the_adapters_reader() {
    let recs = recordings();
    assert_eq!(recs.len(), 47, "a new recording needs a case here");
    let mut listed = Vec::new();
    for rec in &recs {
        match decode(rec) {
            None => panic!("{}: no case decodes it", rec.name),
            Some(Listed(why)) => listed.push(format!("{}: {why}", rec.name)),
            Some(Decoded) => {}
        }
    }
    // The transcripts in prose, and the two endpoints the portal never calls.
    assert_eq!(listed.len(), 6, "{}", listed.join("\n"));
}

/// The attachment sizes really are strings on the wire, and read as numbers.
#[test]
fn recorded_attachment_sizes_are_strings() {
    let rec = one("60-");
    let sizes: Vec<&Json> = rec.body()["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["size"])
        .collect();
    assert!(sizes.iter().all(|s| s.is_string()));
    let row = read_row::<ArticleRow>(&rec.bytes(), &rec.name);
    let read: Vec<Option<u64>> = row.attachments.iter().map(|a| a.size).collect();
    assert_eq!(read, vec![Some(38), Some(256)]);
}
