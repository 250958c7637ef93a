//! The mapping, checked against the example exchanges in `fixtures/zammad/`.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::*;
use crate::backend::zammad::wire::{ClientConfig, TicketCreateForm};
use crate::backend::zammad::wire::{TokenCreated, TokenList};

fn fixture(name: &str) -> Value {
    let path = format!("{}/fixtures/zammad/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn response(name: &str) -> Value {
    fixture(name)["response_body"].clone()
}

/// A JSON object read as the adapter reads an answer.
fn read<T: DeserializeOwned>(v: &Value) -> PortalResult<T> {
    crate::de::object(&serde_json::to_vec(v).unwrap())
}

/// A JSON array of objects read as the adapter reads an answer.
fn read_rows<T: DeserializeOwned>(v: &Value) -> PortalResult<Vec<T>> {
    crate::de::rows(&serde_json::to_vec(v).unwrap())
}

/// A search answer read as the adapter reads it.
fn search(v: &Value) -> PortalResult<SearchAnswer> {
    search_rows(crate::de::any(&serde_json::to_vec(v).unwrap())?)
}

/// A request body as sent.
fn sent(body: &impl serde::Serialize) -> Value {
    serde_json::from_str(&crate::browser::http::json(body)).unwrap()
}

fn states() -> StateTable {
    let rows = read_rows::<StateRow>(&response("34-ticket-states.json")).unwrap();
    StateTable::new(&rows)
}

#[test]
fn customer_keeps_identity_only() {
    let row: UserRow = read(&response("13-users-me.json")).unwrap();
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
    let rows = read_rows::<StateRow>(&v).unwrap();
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
        let SearchAnswer {
            rows,
            total,
            legacy,
        } = search(&response(file)).unwrap();
        assert_eq!(total, expect_total, "{file}");
        assert_eq!(
            legacy,
            file.starts_with("15-"),
            "{file}: the legacy shape is told apart"
        );
        assert_eq!(rows.len(), expect_len, "{file}");
        let t = summary(&rows[0], &s, Some("7"));
        assert!(!t.title.is_empty(), "{file}");
        assert!(!t.number.is_empty(), "{file}");
    }
    let rows = search(&response("16-tickets-search-expand.json"))
        .unwrap()
        .rows;
    let t = summary(&rows[1], &s, Some("7"));
    assert_eq!(t.number, "31042");
    assert_eq!(t.state.category, StateCategory::New);
    assert!(
        !t.mine,
        "John's ticket is an organization ticket, not Jane's"
    );
    assert!(search(&json!({"total_count": 1u64})).is_err());
    assert!(search(&json!("nope")).is_err());
    assert!(
        search(&json!({"records": null})).is_err(),
        "a list of the wrong shape"
    );
    assert!(search(&json!({"records": [7]})).is_err());
    // The legacy shape: rows in the order of the ids, each once; ids without a row left out.
    let legacy = search(&json!({"tickets": [2, "1", 2, 9, null], "tickets_count": 3,
        "assets": {"Ticket": {"1": {"id": 1}, "2": {"id": 2}}}}))
    .unwrap();
    assert!(legacy.legacy);
    assert_eq!(legacy.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 1]);
}

#[test]
fn articles_drop_internal_and_keep_attachments() {
    let rows = read_rows::<ArticleRow>(&response("27-ticket-articles-by-ticket.json")).unwrap();
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
    for internal in [json!(true), json!(1), json!("true"), json!(2.5)] {
        leaked["internal"] = internal.clone();
        let row: ArticleRow = read(&leaked).unwrap();
        assert!(article(&row, "41").is_none(), "{internal}");
    }
    for public in [
        json!(false),
        json!(0),
        json!(null),
        json!("false"),
        json!({}),
    ] {
        leaked["internal"] = public.clone();
        let row: ArticleRow = read(&leaked).unwrap();
        assert!(article(&row, "41").is_some(), "{public}");
    }
}

#[test]
fn timestamps_read_to_the_millisecond() {
    assert_eq!(iso_ms("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(iso_ms("1970-01-01T00:00:01.5Z"), Some(1_500));
    assert_eq!(iso_ms("2025-06-02T09:15:27.412Z"), Some(1_748_855_727_412));
    assert_eq!(
        iso_ms("2025-06-02T11:15:27.412+02:00"),
        iso_ms("2025-06-02T09:15:27.412Z")
    );
    assert_eq!(
        iso_ms("2024-03-01T00:00:00Z").unwrap() - iso_ms("2024-02-28T00:00:00Z").unwrap(),
        2 * 86_400_000,
        "a leap year"
    );
    for bad in [
        "",
        "2025-06-02",
        "2025-13-02T00:00:00Z",
        "2025-06-02T25:00:00Z",
        "é€2025-06-10T1",
        "2025-06-02T09:15:27+x",
    ] {
        assert_eq!(iso_ms(bad), None, "{bad:?}");
    }
}

#[test]
fn follow_up_rules() {
    let groups = read_rows::<GroupRow>(&response("36-groups.json")).unwrap();
    let sales = groups.iter().find(|g| g.id == 3);
    let support = groups.iter().find(|g| g.id == 2);
    let now = iso_ms("2025-06-10T10:00:00.000Z").unwrap();
    assert_eq!(follow_up(sales, None, None, now, iso_ms), FollowUp::Refused);
    assert_eq!(
        follow_up(support, None, None, now, iso_ms),
        FollowUp::Allowed
    );
    assert_eq!(follow_up(None, None, None, now, iso_ms), FollowUp::Unknown);
    let timed = |days: Option<u64>| GroupRow {
        id: 9,
        follow_up_possible: Some("new_ticket_after_certain_time".into()),
        reopen_time_in_days: days,
    };
    let two_days = timed(Some(2));
    let at = |ms: i64| {
        // An ISO timestamp `ms` before `now`.
        let secs = (now - ms) / 1000;
        let millis = (now - ms) % 1000;
        let days = secs / 86_400;
        let rest = secs % 86_400;
        let (y, m, d) = civil(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            rest / 3600,
            rest / 60 % 60,
            rest % 60
        )
    };
    const DAY: i64 = 86_400_000;
    // Whole 24-hour periods from the last close: 47:59:59 is still inside a two-day window,
    // 48:00:00 is not (not calendar days: the date changed twice in between).
    let inside = at(2 * DAY - 1_000);
    let outside = at(2 * DAY);
    assert_eq!(
        follow_up(Some(&two_days), Some(&inside), None, now, iso_ms),
        FollowUp::Allowed
    );
    assert_eq!(
        follow_up(Some(&two_days), Some(&outside), None, now, iso_ms),
        FollowUp::Refused
    );
    // A one-day window: 23:59:59 after the close a reply is taken, 24:00:00 after it is not.
    let one_day = timed(Some(1));
    assert_eq!(
        follow_up(Some(&one_day), Some(&at(DAY - 1_000)), None, now, iso_ms),
        FollowUp::Allowed
    );
    assert_eq!(
        follow_up(Some(&one_day), Some(&at(DAY)), None, now, iso_ms),
        FollowUp::Refused
    );
    // The last close counts, not the first; without a last close (Zammad 5), the first.
    let first = at(30 * DAY);
    assert_eq!(
        follow_up(Some(&two_days), Some(&inside), Some(&first), now, iso_ms),
        FollowUp::Allowed
    );
    assert_eq!(
        follow_up(Some(&two_days), None, Some(&first), now, iso_ms),
        FollowUp::Refused
    );
    assert_eq!(
        follow_up(Some(&two_days), None, Some(&inside), now, iso_ms),
        FollowUp::Allowed
    );
    // Blank or 0 days, or no close time at all, refuse (as Zammad does).
    assert_eq!(
        follow_up(Some(&timed(None)), Some(&inside), None, now, iso_ms),
        FollowUp::Refused
    );
    assert_eq!(
        follow_up(Some(&timed(Some(0))), Some(&inside), None, now, iso_ms),
        FollowUp::Refused
    );
    assert_eq!(
        follow_up(Some(&two_days), None, None, now, iso_ms),
        FollowUp::Refused
    );
    // A time the portal cannot read says nothing; a huge window does not overflow.
    assert_eq!(
        follow_up(Some(&two_days), Some("soon"), None, now, iso_ms),
        FollowUp::Unknown
    );
    assert_eq!(
        follow_up(
            Some(&timed(Some(u64::MAX))),
            Some(&first),
            None,
            now,
            iso_ms
        ),
        FollowUp::Allowed
    );
}

/// (year, month, day) of a day count since 1970-01-01 (for the tests' own timestamps).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn query(status: StatusFilter, scope: Scope, text: &str) -> TicketQuery {
    TicketQuery {
        status,
        text: text.into(),
        sort: SortOrder::Number,
        scope,
        page: 3,
        per_page: 25,
    }
}

#[test]
fn search_body_always_names_the_states() {
    let s = states();
    let q = query(StatusFilter::Open, Scope::Mine, "  printer ");
    let f = Filter::new(&q, &s, "7").unwrap();
    let b = sent(&search_body(&q, &f, Some(" printer "), 3, 25));
    assert_eq!(
        b["condition"]["ticket.state_id"],
        json!({"operator": "is", "value": ["1", "2", "3", "6"]})
    );
    assert_eq!(b["condition"]["ticket.customer_id"]["value"], json!(["7"]));
    assert_eq!(b["query"], json!("printer"));
    assert_eq!(b["sort_by"], json!("number"));
    assert_eq!(b["order_by"], json!("desc"));
    assert_eq!(b["page"], json!(3u32));
    assert_eq!(b["per_page"], json!(25u32));
    assert!(
        b.get("expand").is_none(),
        "without expand Zammad 5 shows its legacy shape"
    );
    // "All" still names every state: an empty condition finds nothing on Zammad 5 with
    // Elasticsearch.
    let all = query(StatusFilter::All, Scope::Organization, "");
    let f = Filter::new(&all, &s, "7").unwrap();
    let b = sent(&search_body(&all, &f, None, 1, 500));
    assert_eq!(
        b["condition"]["ticket.state_id"]["value"],
        json!(["1", "2", "3", "4", "5", "6"])
    );
    assert!(b["condition"].get("ticket.customer_id").is_none());
    assert!(!b["condition"].as_object().unwrap().is_empty());
    assert!(b.get("query").is_none());
    assert_eq!(b["per_page"], json!(200u32), "capped at Zammad's maximum");
    for sort in [SortOrder::LastUpdate, SortOrder::Created, SortOrder::Number] {
        let q = TicketQuery {
            sort,
            ..all.clone()
        };
        let by = sent(&search_body(&q, &f, None, 1, 25))["sort_by"].clone();
        assert!(["updated_at", "created_at", "number"].contains(&by.as_str().unwrap()));
    }
    // No known state of that kind: nothing to ask, never an empty value list.
    assert_eq!(
        Filter::new(
            &query(StatusFilter::Closed, Scope::Mine, ""),
            &StateTable::default(),
            "7"
        ),
        None
    );
    let b = sent(&id_search_body(108));
    assert_eq!(b["condition"]["ticket.id"]["value"], json!(["108"]));
}

fn row(id: u64, state: u64, customer: u64) -> TicketRow {
    read(&json!({"id": id, "number": format!("31{id}"), "title": "t",
        "state_id": state, "customer_id": customer, "created_at": "", "updated_at": ""}))
    .unwrap()
}

#[test]
fn the_filter_checks_rows_as_zammad_would() {
    let s = states();
    let open_mine = Filter::new(&query(StatusFilter::Open, Scope::Mine, ""), &s, "7").unwrap();
    assert!(open_mine.accepts(&row(1, 2, 7)));
    assert!(!open_mine.accepts(&row(1, 4, 7)), "closed");
    assert!(!open_mine.accepts(&row(1, 2, 8)), "a colleague's");
    let closed_all = Filter::new(
        &query(StatusFilter::Closed, Scope::Organization, ""),
        &s,
        "7",
    )
    .unwrap();
    assert!(closed_all.accepts(&row(1, 4, 8)));
    assert!(closed_all.accepts(&row(1, 5, 8)), "merged counts as closed");
    assert!(
        !closed_all.accepts(&row(1, 99, 8)),
        "a state the condition does not name"
    );
}

#[test]
fn search_text_is_escaped_for_elasticsearch() {
    assert_eq!(escape_query("printer"), "printer");
    assert_eq!(escape_query("  printer   on  fire "), "printer on fire");
    // A typed `:` would turn the prefix `*` off and ask for a field: a space instead.
    assert_eq!(escape_query("Error: disk"), "Error disk");
    assert_eq!(escape_query("re:printer"), "re printer");
    assert_eq!(escape_query("(urgent"), "\\(urgent");
    assert_eq!(escape_query("a+b-c=d"), "a\\+b\\-c\\=d");
    assert_eq!(escape_query("x && y || !z"), "x \\&\\& y \\|\\| \\!z");
    assert_eq!(
        escape_query("<a> {b} [c] ^d \"e\" ~f ?g \\h /i/"),
        "\\<a\\> \\{b\\} \\[c\\] \\^d \\\"e\\\" \\~f \\?g \\\\h \\/i\\/"
    );
    assert_eq!(
        escape_query("prin*ter*"),
        "printer",
        "Zammad drops `*` itself"
    );
    assert_eq!(
        escape_query("fire AND water OR NOT smoke"),
        "fire and water or not smoke"
    );
    assert_eq!(escape_query(" : * "), "");
    // Nothing but escaped specials and plain words: no `:` and no unescaped special is left.
    let hostile = "a:b(c)[d]{e}\"f~g^h!i+j-k=l&m|n<o>p?q\\r/s*t";
    let out = escape_query(hostile);
    assert!(!out.contains(':'));
    let mut chars = out.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            assert!(chars.next().is_some(), "a lone backslash in {out}");
        } else {
            assert!(c.is_alphanumeric() || c == ' ', "{c:?} unescaped in {out}");
        }
    }
}

/// A fake server that ignores the condition: rows 1..=n, every third closed, every fourth a
/// colleague's; pages of `SCAN_PER_PAGE`.
fn ignoring_server(n: u64) -> impl Fn(u32) -> Vec<TicketRow> {
    move |page| {
        let per = u64::from(SCAN_PER_PAGE);
        let from = u64::from(page - 1) * per + 1;
        (from..=n.min(from + per - 1))
            .map(|id| {
                row(
                    id,
                    if id % 3 == 0 { 4 } else { 2 },
                    if id % 4 == 0 { 8 } else { 7 },
                )
            })
            .collect()
    }
}

fn scan_all(
    page: u32,
    per_page: u32,
    filter: &Filter,
    server: &dyn Fn(u32) -> Vec<TicketRow>,
) -> (Vec<u64>, bool, Option<u64>, Vec<u32>) {
    let mut scan = Scan::new(page, per_page);
    let mut asked = Vec::new();
    while let Some(p) = scan.next_page() {
        asked.push(p);
        scan.add(server(p), filter);
    }
    let (rows, more, total) = scan.finish();
    (rows.iter().map(|r| r.id).collect(), more, total, asked)
}

#[test]
fn a_filtering_scan_builds_each_page_from_as_few_server_pages_as_it_takes() {
    let s = states();
    let open = Filter::new(&query(StatusFilter::Open, Scope::Organization, ""), &s, "7").unwrap();
    let server = ignoring_server(250);
    let expected: Vec<u64> = (1..=250).filter(|id| id % 3 != 0).collect();
    // Page 1: the first 25 open tickets; one server page holds 66 of them.
    let (ids, more, total, asked) = scan_all(1, 25, &open, &server);
    assert_eq!(ids, expected[..25]);
    assert!(more);
    assert_eq!(total, None);
    assert_eq!(asked, vec![1]);
    // Page 3: tickets 51..75 of the open ones, and one more (76th) to know another page
    // follows: two server pages.
    let (ids, more, _, asked) = scan_all(3, 25, &open, &server);
    assert_eq!(ids, expected[50..75]);
    assert!(more);
    assert_eq!(asked, vec![1, 2]);
    // The last page: the server ran out, so the total is known.
    let (ids, more, total, asked) = scan_all(7, 25, &open, &server);
    assert_eq!(ids, expected[150..]);
    assert!(!more);
    assert_eq!(total, Some(expected.len() as u64));
    assert_eq!(asked, vec![1, 2, 3]);
    // "Mine" and closed.
    let mine_closed = Filter::new(&query(StatusFilter::Closed, Scope::Mine, ""), &s, "7").unwrap();
    let want: Vec<u64> = (1..=250).filter(|id| id % 3 == 0 && id % 4 != 0).collect();
    let (ids, more, total, _) = scan_all(1, 100, &mine_closed, &server);
    assert_eq!(ids, want);
    assert!(!more);
    assert_eq!(total, Some(want.len() as u64));
    // A page past the end is empty, and says so.
    let (ids, more, _, _) = scan_all(40, 25, &open, &server);
    assert!(ids.is_empty() && !more);
    // A ticket that moved to a later server page between two reads is listed once.
    let moving = |p: u32| {
        let mut rows = ignoring_server(150)(p);
        if p == 2 {
            rows.insert(0, row(1, 2, 7));
        }
        rows
    };
    let (ids, _, total, _) = scan_all(1, 200, &open, &moving);
    assert_eq!(ids.iter().filter(|id| **id == 1).count(), 1);
    assert_eq!(total, Some(100));
}

#[test]
fn create_rules_narrow_and_never_widen() {
    let config = |allowed: Option<bool>, ids: Option<Vec<&str>>| ClientConfig {
        signed_in: true,
        customer_ticket_create: allowed,
        create_group_ids: ids.map(|v| v.into_iter().map(String::from).collect()),
    };
    let form = TicketCreateForm {
        group_ids: Some(vec!["1".into(), "2".into(), "3".into()]),
        group_names: vec![("2".into(), "Support".into()), ("3".into(), "Sales".into())],
    };
    let r = create_rules(Some(&config(Some(true), None)), Some(&form));
    assert!(r.allowed);
    assert_eq!(
        r.groups,
        Some(vec![
            ("1".into(), "1".into()),
            ("2".into(), "Support".into()),
            ("3".into(), "Sales".into())
        ])
    );
    // The setting narrows what Core Workflow offers (as Zammad's own customer UI does).
    let r = create_rules(Some(&config(Some(true), Some(vec!["3", "9"]))), Some(&form));
    assert_eq!(r.groups, Some(vec![("3".into(), "Sales".into())]));
    assert!(!create_rules(Some(&config(Some(false), None)), Some(&form)).allowed);
    // Not answered, or answered to nobody (no session): config.json decides.
    assert_eq!(create_rules(None, None), CreateRules::unrestricted());
    let anonymous = ClientConfig {
        signed_in: false,
        ..config(Some(false), Some(vec!["3"]))
    };
    assert_eq!(
        create_rules(Some(&anonymous), None),
        CreateRules::unrestricted()
    );
    let r = create_rules(Some(&config(None, Some(vec!["2"]))), None);
    assert!(r.allowed);
    assert_eq!(r.groups, Some(vec![("2".into(), "2".into())]));
}

#[test]
fn client_config_and_ticket_create_answers_are_read() {
    let c: ClientConfig = read(&json!({"session": {"id": 7}, "config": {
        "customer_ticket_create": false, "customer_ticket_create_group_ids": ["2", 3, "", null]}}))
    .unwrap();
    assert_eq!(
        c,
        ClientConfig {
            signed_in: true,
            customer_ticket_create: Some(false),
            create_group_ids: Some(vec!["2".into(), "3".into()]),
        }
    );
    for unset in [json!(null), json!(""), json!([""]), json!([])] {
        let c: ClientConfig = read(&json!({"session": {"id": 7}, "config": {
            "customer_ticket_create_group_ids": unset.clone()}}))
        .unwrap();
        assert_eq!(c.create_group_ids, None, "{unset}");
    }
    let c: ClientConfig = read(&json!({"error": "no valid session", "config": {}})).unwrap();
    assert!(!c.signed_in);
    assert_eq!(c.customer_ticket_create, None);
    let f: TicketCreateForm = read(&json!({
        "assets": {"Group": {"2": {"id": 2, "name": "Support"}, "3": {"id": 3}}},
        "form_meta": {"core_workflow": {"restrict_values": {"group_id": ["", "2", "3"], "state_id": ["1", "4"]}}}
    }))
    .unwrap();
    assert_eq!(f.group_ids, Some(vec!["2".into(), "3".into()]));
    assert_eq!(f.group_names, vec![("2".into(), "Support".into())]);
    let none: TicketCreateForm =
        read(&json!({"form_meta": {"core_workflow": {"restrict_values": {"group_id": [""]}}}}))
            .unwrap();
    assert_eq!(
        none.group_ids,
        Some(vec![]),
        "Zammad offers no group at all"
    );
    assert_eq!(
        read::<TicketCreateForm>(&json!({})).unwrap().group_ids,
        None
    );
    // Parts of another shape than Zammad's: unreadable (and the portal leaves the choice to
    // config.json, as when there is no answer).
    assert!(read::<TicketCreateForm>(&json!({"form_meta": "x"})).is_err());
    assert!(read::<TicketCreateForm>(&json!({"assets": {"Group": [1]}})).is_err());
    assert!(read::<ClientConfig>(&json!({"session": [], "config": {}})).is_err());
    let c: ClientConfig = read(&json!({"session": null, "config": null})).unwrap();
    assert_eq!(c, ClientConfig::default());
}

#[test]
fn create_and_reply_bodies_carry_only_customer_fields() {
    let t = NewTicket {
        fields: Default::default(),
        subject: "Laptop will not boot".into(),
        group: None,
        body: "Black screen.\nFan spins.".into(),
        attachments: vec![Upload {
            filename: "photo.txt".into(),
            mime_type: "text/plain".into(),
            bytes: b"Black screen, fan spins.\n".to_vec(),
        }],
    };
    let b = sent(&create_body(&t, Some("2")));
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
    assert_eq!(
        sent(&create_body(&t, Some("Sales")))["group"],
        json!("Sales")
    );
    assert!(sent(&create_body(&t, Some("Sales")))
        .get("group_id")
        .is_none());

    let s = states();
    let r = Reply {
        body: "It is out now, thanks.".into(),
        attachments: vec![],
    };
    let b = sent(&reply_body(&r, StateCategory::Closed, &s));
    assert_eq!(b["state_id"], json!(2u64));
    assert!(b["article"].get("attachments").is_none());
    let b = sent(&reply_body(&r, StateCategory::New, &s));
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
    // A masked 422 on create: what the customer can do, with Zammad's reference.
    let (s, b) = e("26-ticket-create-invalid-state.json");
    let err = create_error(s, &b, true);
    assert_eq!(err.kind, ErrorKind::Validation);
    assert!(
        !err.may_have_reached(),
        "the form keeps everything, no retry of the same values"
    );
    let text = err.to_string();
    assert!(
        text.contains("another group") && text.contains("Error ID pQ7sX2Lk"),
        "{text}"
    );
    let (s, b) = e("24-ticket-create-missing-group.json");
    assert_eq!(
        create_error(s, &b, true).to_string(),
        error_from(s, &b, true).to_string(),
        "Zammad's own words stay"
    );
}

#[test]
fn token_answers_old_and_new() {
    let new: TokenCreated = read(&response("01-user-access-token-create.json")).unwrap();
    assert_eq!(new.token.as_deref().map(str::len), Some(64));
    let old: TokenCreated = read(&response("38-user-access-token-create-legacy.json")).unwrap();
    assert!(old.token.is_none() && old.name.is_some());
    let list: TokenList = read(&response("03-user-access-token-list.json")).unwrap();
    assert_eq!(
        list.tokens[0].name.as_deref(),
        Some("customer-portal 2025-06-02T09:15Z")
    );
    let list: TokenList = read(&response("39-user-access-token-list-legacy.json")).unwrap();
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
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let body = v["response_body"].clone();
        let _ = read_rows::<TicketRow>(&body);
        let _ = read_rows::<ArticleRow>(&body);
        let _ = read::<UserRow>(&body);
        let _ = search(&body);
        let _ = error_from(
            v["status"].as_u64().unwrap_or(0) as u16,
            body.to_string().as_bytes(),
            true,
        );
    }
}
