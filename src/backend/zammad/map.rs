//! Pure mapping between Zammad's wire format and the domain, plus the request bodies the adapter
//! sends. Tested on the host against `fixtures/zammad/`.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::Serialize;

use super::wire::{
    ArticleRow, ClientConfig, ErrorBody, GroupRow, SearchObject, SearchResponse, StateRow,
    TicketCreateForm, TicketRow, UserRow,
};
use crate::de::Scalar;
use crate::domain::error::{ErrorKind, Msg, PortalError, PortalResult, Why};
use crate::domain::{
    Article, Attachment, AttachmentRef, Body, CreateRules, Customer, FollowUp, NewTicket, Reply,
    Scope, SenderKind, SortOrder, StateCategory, StatusFilter, TicketId, TicketQuery, TicketState,
    TicketSummary, Upload,
};
use crate::ui::format::display_name;

pub fn customer(row: &UserRow) -> Customer {
    let first = row.firstname.clone().unwrap_or_default();
    let last = row.lastname.clone().unwrap_or_default();
    let name = format!("{first} {last}").trim().to_string();
    let login = row.login.clone().unwrap_or_default();
    let email = row.email.clone().unwrap_or_default();
    let has_org = row.organization_id.is_some()
        || row.organization_ids.0.iter().any(|id| id.whole().is_some());
    Customer {
        id: row.id.to_string(),
        display_name: if name.is_empty() { login.clone() } else { name },
        login,
        email,
        has_organization: has_org,
    }
}

/// Zammad's state types (expand=true gives the name; ids are the seeded ones otherwise).
pub fn state_category(state_type: &str) -> Option<StateCategory> {
    match state_type {
        "new" => Some(StateCategory::New),
        "open" => Some(StateCategory::Open),
        "pending reminder" | "pending action" => Some(StateCategory::Pending),
        "closed" | "merged" | "removed" => Some(StateCategory::Closed),
        _ => None,
    }
}

fn state_type_name_by_id(id: u64) -> Option<&'static str> {
    Some(match id {
        1 => "new",
        2 => "open",
        3 => "pending reminder",
        4 => "pending action",
        5 => "closed",
        6 => "merged",
        7 => "removed",
        _ => return None,
    })
}

/// The help desk's states, as needed for filters and state changes.
#[derive(Clone, Debug, Default)]
pub struct StateTable {
    by_id: HashMap<u64, TicketState>,
    /// The state a reply or reopen moves a ticket to (`default_follow_up`, normally "open").
    pub follow_up_id: Option<u64>,
    /// The state a customer's "Close ticket" sets (type closed, normally "closed").
    pub closed_id: Option<u64>,
}

impl StateTable {
    pub fn new(rows: &[StateRow]) -> Self {
        let mut table = StateTable::default();
        for row in rows {
            let type_name = row.state_type.clone().or_else(|| {
                row.state_type_id
                    .and_then(state_type_name_by_id)
                    .map(String::from)
            });
            let Some(category) = type_name.as_deref().and_then(state_category) else {
                continue;
            };
            table.by_id.insert(
                row.id,
                TicketState {
                    name: row.name.clone(),
                    category,
                },
            );
            let active = row.active.unwrap_or(true);
            if active && row.default_follow_up == Some(true) {
                table.follow_up_id = Some(row.id);
            }
            let is_plain_closed = type_name.as_deref() == Some("closed");
            if active && is_plain_closed && (table.closed_id.is_none() || row.name == "closed") {
                table.closed_id = Some(row.id);
            }
        }
        if table.follow_up_id.is_none() {
            table.follow_up_id = table
                .by_id
                .iter()
                .find(|(_, s)| s.name == "open")
                .map(|(id, _)| *id);
        }
        table
    }

    pub fn state(&self, id: Option<u64>, name: Option<&str>) -> TicketState {
        if let Some(s) = id.and_then(|id| self.by_id.get(&id)) {
            return s.clone();
        }
        // Unknown id (e.g. the states could not be read): fall back to the name Zammad sent.
        let name = name.unwrap_or("unknown").to_string();
        let category = match name.as_str() {
            "new" => StateCategory::New,
            "closed" | "merged" => StateCategory::Closed,
            n if n.starts_with("pending") => StateCategory::Pending,
            _ => StateCategory::Open,
        };
        TicketState { name, category }
    }

    /// Ids of every state in the given categories, sorted, as strings (Zammad's condition format).
    pub fn ids_in(&self, categories: &[StateCategory]) -> Vec<String> {
        let mut ids: Vec<u64> = self
            .by_id
            .iter()
            .filter(|(_, s)| categories.contains(&s.category))
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids.into_iter().map(|id| id.to_string()).collect()
    }
}

pub fn summary(row: &TicketRow, states: &StateTable, me: Option<&str>) -> TicketSummary {
    TicketSummary {
        id: TicketId(row.id.to_string()),
        number: row.number.clone(),
        title: row.title.clone(),
        state: states.state(row.state_id, row.state.as_deref()),
        created_at: row.created_at.clone(),
        updated_at: row.updated_at.clone(),
        mine: match (row.customer_id, me) {
            (Some(c), Some(me)) => c.to_string() == me,
            _ => true,
        },
    }
}

fn sender_kind(row: &ArticleRow) -> SenderKind {
    match row.sender.as_deref() {
        Some("Customer") => SenderKind::Customer,
        Some("Agent") => SenderKind::Agent,
        Some("System") => SenderKind::System,
        // Seeded sender ids: 1 Agent, 2 Customer, 3 System.
        _ => match row.sender_id {
            Some(2) => SenderKind::Customer,
            Some(3) => SenderKind::System,
            _ => SenderKind::Agent,
        },
    }
}

/// `true`, any number but 0, `"true"` and `"1"`.
fn is_internal(v: &Scalar) -> bool {
    match v {
        Scalar::Bool(b) => *b,
        Scalar::Whole(n) => *n != 0,
        Scalar::Negative(_) | Scalar::Float(_) => true,
        Scalar::Text(s) => s == "true" || s == "1",
        Scalar::Other => false,
    }
}

/// `None` for internal articles: they must never reach the page, whatever the server sent.
pub fn article(row: &ArticleRow, ticket_id: &str) -> Option<Article> {
    if is_internal(&row.internal) {
        return None;
    }
    let html = row
        .content_type
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().starts_with("text/html"));
    let attachments = row
        .attachments
        .iter()
        .map(|a| Attachment {
            filename: a.filename.clone(),
            size: a.size,
            mime_type: a
                .preferences
                .as_ref()
                .and_then(|p| p.mime_type.as_ref().or(p.content_type.as_ref()))
                .map_or("application/octet-stream", String::as_str)
                .to_string(),
            source: AttachmentRef {
                ticket_id: ticket_id.to_string(),
                article_id: row.id.to_string(),
                attachment_id: a.id.to_string(),
            },
        })
        .collect();
    Some(Article {
        id: row.id.to_string(),
        sender: sender_kind(row),
        from_name: display_name(row.from.as_deref().unwrap_or_default()),
        subject: row.subject.clone().filter(|s| !s.trim().is_empty()),
        body: if html {
            Body::Html(row.body.clone())
        } else {
            Body::Plain(row.body.clone())
        },
        created_at: row.created_at.clone(),
        attachments,
    })
}

/// Milliseconds since the epoch of an ISO-8601 timestamp as Zammad writes them
/// (`2025-06-02T09:15:27.412Z`; fraction and `Z` optional, `±hh:mm` offsets applied); `None`
/// for anything else. What the browser's `Date.parse` does for the portal (the wasm has no date
/// parser of its own, for size), for the host tests.
#[cfg(test)]
pub fn iso_ms(iso: &str) -> Option<i64> {
    fn num(s: &str) -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    }
    let iso = iso.trim();
    let (date, rest) = (iso.get(..10)?, iso.get(10..)?);
    let mut parts = date.split('-');
    let (y, m, d) = (
        num(parts.next()?)?,
        num(parts.next()?)?,
        num(parts.next()?)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let (hh, mm, ss) = (
        num(rest.get(..2)?)?,
        num(rest.get(3..5)?)?,
        num(rest.get(6..8)?)?,
    );
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let mut rest = &rest[8..];
    let mut ms = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let millis = format!("{:0<3}", &fraction[..digits.min(3)]);
        ms = num(&millis)?;
        rest = &fraction[digits..];
    }
    let offset_min = match rest {
        "" | "Z" | "z" => 0,
        o => {
            let sign = match o.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let (oh, om) = o[1..]
                .split_once(':')
                .unwrap_or((o.get(1..3)?, o.get(3..)?));
            sign * (num(oh)? * 60 + num(om)?)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3_600 + mm * 60 + ss - offset_min * 60;
    Some(secs * 1_000 + ms)
}

/// Zammad's follow-up rule for a closed ticket (`follow_up_possible` of its group), as
/// app/policies/ticket_policy.rb and app/models/ticket/checks_reopen_after_certain_time.rb
/// compute it: with `new_ticket_after_certain_time` a reply is taken while fewer whole 24-hour
/// periods than `reopen_time_in_days` have passed since `last_close_at || close_at`; a blank or
/// 0 `reopen_time_in_days`, or no close time, refuses. `now_ms` is the browser's clock, so the
/// last seconds of a window may be judged either way: the notice only informs, the reply form
/// stays and Zammad's own answer decides. `parse` reads a timestamp (ms since the epoch).
pub fn follow_up(
    group: Option<&GroupRow>,
    last_close_at: Option<&str>,
    close_at: Option<&str>,
    now_ms: i64,
    parse: impl Fn(&str) -> Option<i64>,
) -> FollowUp {
    let Some(group) = group else {
        return FollowUp::Unknown;
    };
    match group.follow_up_possible.as_deref() {
        Some("yes") | None => FollowUp::Allowed,
        Some("new_ticket") => FollowUp::Refused,
        Some("new_ticket_after_certain_time") => {
            let days = match group.reopen_time_in_days {
                Some(days) if days > 0 => days,
                _ => return FollowUp::Refused,
            };
            let closed = [last_close_at, close_at]
                .into_iter()
                .flatten()
                .find(|t| !t.trim().is_empty());
            let Some(closed) = closed else {
                return FollowUp::Refused;
            };
            let Some(closed_ms) = parse(closed) else {
                return FollowUp::Unknown;
            };
            // Ruby: `(now - close_time).to_i / 86_400` (seconds cut toward zero, then floored).
            let seconds = now_ms.saturating_sub(closed_ms) / 1_000;
            let whole_days = u64::try_from(seconds.div_euclid(86_400)).unwrap_or(0);
            if seconds < 0 || whole_days < days {
                FollowUp::Allowed
            } else {
                FollowUp::Refused
            }
        }
        Some(_) => FollowUp::Unknown,
    }
}

/// One answer of `POST /tickets/search`, whatever its shape.
#[derive(Debug)]
pub struct SearchAnswer {
    pub rows: Vec<TicketRow>,
    /// The number of matches, where Zammad tells it (7.x `{records, total_count}`).
    pub total: Option<u64>,
    /// The `{tickets, tickets_count, assets}` shape of Zammad 5 (and early 6.x) without
    /// `expand`: a server whose text search drops the condition.
    pub legacy: bool,
}

/// Reads every search response shape Zammad has had (`wire::SearchResponse`).
pub fn search_rows(answer: SearchResponse) -> PortalResult<SearchAnswer> {
    match answer {
        SearchResponse::Rows(rows) => Ok(SearchAnswer {
            rows,
            total: None,
            legacy: false,
        }),
        SearchResponse::Object(SearchObject {
            records: Some(rows),
            total_count,
            ..
        }) => Ok(SearchAnswer {
            rows,
            total: total_count,
            legacy: false,
        }),
        SearchResponse::Object(SearchObject {
            tickets: Some(ids),
            assets,
            ..
        }) => {
            let mut assets = assets
                .and_then(|a| a.ticket)
                .map(|t| t.0)
                .unwrap_or_default();
            let mut rows = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(key) = id.text() else { continue };
                // Taken, not copied: an id listed twice is listed once.
                if let Some(i) = assets.iter().position(|(k, _)| *k == key) {
                    rows.push(assets.swap_remove(i).1 .0);
                }
            }
            Ok(SearchAnswer {
                rows,
                total: None,
                legacy: true,
            })
        }
        _ => Err(PortalError::unreadable(Why::SearchShape)),
    }
}

/// The largest page `POST /tickets/search` answers (zammad-api.md, 5.11).
pub const SEARCH_MAX_PER_PAGE: u32 = 200;

fn categories(status: StatusFilter) -> &'static [StateCategory] {
    match status {
        StatusFilter::Open => &[
            StateCategory::New,
            StateCategory::Open,
            StateCategory::Pending,
        ],
        StatusFilter::Closed => &[StateCategory::Closed],
        StatusFilter::All => &[
            StateCategory::New,
            StateCategory::Open,
            StateCategory::Pending,
            StateCategory::Closed,
        ],
    }
}

/// The list's filters (state, "Mine") as a search condition and as a check of a row.
///
/// The condition always names the states, "All" included: an empty condition makes Zammad 5
/// with Elasticsearch answer nothing. A value list is never empty: Zammad drops such a
/// condition and answers every ticket (lib/selector/sql.rb).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    state_ids: Vec<u64>,
    customer: Option<u64>,
}

impl Filter {
    /// `None` when no state of the chosen kind is known: nothing can match.
    pub fn new(query: &TicketQuery, states: &StateTable, me: &str) -> Option<Filter> {
        let state_ids: Vec<u64> = states
            .ids_in(categories(query.status))
            .iter()
            .filter_map(|id| id.parse().ok())
            .collect();
        if state_ids.is_empty() {
            return None;
        }
        let customer = match query.scope {
            Scope::Mine => me.trim().parse().ok(),
            Scope::Organization => None,
        };
        Some(Filter {
            state_ids,
            customer,
        })
    }

    pub fn condition(&self) -> Condition {
        Condition {
            state_id: Is::any_of(self.state_ids.iter().map(u64::to_string).collect()),
            customer_id: self.customer.map(|me| Is::any_of(vec![me.to_string()])),
        }
    }

    /// The row answers the condition.
    pub fn accepts(&self, row: &TicketRow) -> bool {
        row.state_id.is_some_and(|s| self.state_ids.contains(&s))
            && self.customer.is_none_or(|me| row.customer_id == Some(me))
    }
}

/// `{"operator": "is", "value": [ids]}`: one condition of a search, in Zammad's selector format.
#[derive(Debug, Serialize)]
pub struct Is {
    operator: &'static str,
    value: Vec<String>,
}

impl Is {
    fn any_of(value: Vec<String>) -> Self {
        Is {
            operator: "is",
            value,
        }
    }
}

/// The list's filters as a search condition.
#[derive(Debug, Serialize)]
pub struct Condition {
    #[serde(rename = "ticket.state_id")]
    state_id: Is,
    #[serde(rename = "ticket.customer_id", skip_serializing_if = "Option::is_none")]
    customer_id: Option<Is>,
}

/// The body of `POST /tickets/search` for one page of the server's answer.
///
/// No `expand`: without it Zammad 5 answers in its legacy shape, which tells the adapter that
/// its text search drops the condition (the rows carry ids, which is all the list needs).
#[derive(Debug, Serialize)]
pub struct SearchRequest {
    condition: Condition,
    sort_by: &'static str,
    order_by: &'static str,
    with_total_count: bool,
    page: u32,
    per_page: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
}

pub fn search_body(
    query: &TicketQuery,
    filter: &Filter,
    text: Option<&str>,
    page: u32,
    per_page: u32,
) -> SearchRequest {
    // Only columns Zammad can sort by: anything else is a masked 500 (lib/sql_helper.rb).
    let (sort_by, order_by) = match query.sort {
        SortOrder::LastUpdate => ("updated_at", "desc"),
        SortOrder::Created => ("created_at", "desc"),
        SortOrder::Number => ("number", "desc"),
    };
    SearchRequest {
        condition: filter.condition(),
        sort_by,
        order_by,
        with_total_count: true,
        page: page.max(1),
        per_page: per_page.clamp(1, SEARCH_MAX_PER_PAGE),
        query: text
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    }
}

/// A search for one ticket by id.
#[derive(Debug, Serialize)]
pub struct IdSearch {
    condition: IdCondition,
    page: u32,
    per_page: u32,
}

#[derive(Debug, Serialize)]
struct IdCondition {
    #[serde(rename = "ticket.id")]
    id: Is,
}

/// A search for one ticket by id (no text, so every Zammad applies the condition): whether the
/// customer's list shows it.
pub fn id_search_body(id: u64) -> IdSearch {
    IdSearch {
        condition: IdCondition {
            id: Is::any_of(vec![id.to_string()]),
        },
        page: 1,
        per_page: 1,
    }
}

/// The customer's search text for Elasticsearch's query-string syntax (Zammad 6.5 / 7): each
/// of Lucene's special characters is escaped so it is taken as written (an unbalanced `(` or
/// `"` would otherwise be a syntax error, which Zammad answers with no tickets); `:` becomes a
/// space (Zammad appends the prefix `*` only to a query without `:`, and Elasticsearch splits
/// words there anyway); `*` is left out (Zammad removes it too); the operators AND, OR and NOT
/// are written in lower case, as plain words.
pub fn escape_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            ':' => out.push(' '),
            '*' => {}
            '+' | '-' | '=' | '&' | '|' | '>' | '<' | '!' | '(' | ')' | '{' | '}' | '[' | ']'
            | '^' | '"' | '~' | '?' | '\\' | '/' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.split_whitespace()
        .map(|word| match word {
            "AND" | "OR" | "NOT" => word.to_ascii_lowercase(),
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Server pages read at a time while the portal filters a text search itself.
pub const SCAN_PER_PAGE: u32 = 100;
/// At most this many server pages for one page of the list (10,000 tickets).
pub const SCAN_MAX_PAGES: u32 = 100;

/// One page of the customer's list built from a server that ignores the filters (Zammad 5
/// searching text): server pages are read from the first, each row checked against the
/// filters here, until the customer's page is full and one more match shows whether another
/// page follows, or the server has no more. So page N holds the N-th `per_page` matching
/// tickets, in the server's order, with no more requests than that takes.
#[derive(Debug)]
pub struct Scan {
    page: usize,
    per_page: usize,
    next: u32,
    found: Vec<TicketRow>,
    exhausted: bool,
}

impl Scan {
    pub fn new(page: u32, per_page: u32) -> Self {
        Scan {
            page: page.max(1) as usize,
            per_page: per_page.clamp(1, SEARCH_MAX_PER_PAGE) as usize,
            next: 1,
            found: Vec::new(),
            exhausted: false,
        }
    }

    fn wanted(&self) -> usize {
        self.page.saturating_mul(self.per_page).saturating_add(1)
    }

    /// The server page to read next; `None` once enough is known.
    pub fn next_page(&self) -> Option<u32> {
        (!self.exhausted && self.found.len() < self.wanted() && self.next <= SCAN_MAX_PAGES)
            .then_some(self.next)
    }

    /// Takes the rows of the server page `next_page` named (read with `SCAN_PER_PAGE`).
    pub fn add(&mut self, rows: Vec<TicketRow>, filter: &Filter) {
        if rows.len() < SCAN_PER_PAGE as usize {
            self.exhausted = true;
        }
        self.next += 1;
        for row in rows {
            // A ticket updated between two reads may move to a later server page: once only.
            if filter.accepts(&row) && !self.found.iter().any(|f| f.id == row.id) {
                self.found.push(row);
            }
        }
    }

    /// The customer's page (rows of `page`), whether another follows, and the total when the
    /// server ran out of tickets.
    pub fn finish(self) -> (Vec<TicketRow>, bool, Option<u64>) {
        let end = self.page.saturating_mul(self.per_page);
        let start = end - self.per_page;
        let has_more = self.found.len() > end || (!self.exhausted && self.found.len() >= end);
        let total = self.exhausted.then_some(self.found.len() as u64);
        let rows = self
            .found
            .into_iter()
            .skip(start)
            .take(self.per_page)
            .collect();
        (rows, has_more, total)
    }
}

/// What Zammad needs to open tickets in the customer's name, as signshow's `config` and
/// `GET /ticket_create` say it; either may be missing (not answered), and then the portal
/// does not restrict what config.json offers. `customer_ticket_create_group_ids` narrows the
/// groups as Zammad's own customer UI does (on Zammad 5.0 before zammad/zammad#3713 was fixed,
/// Core Workflow did not).
pub fn create_rules(config: Option<&ClientConfig>, form: Option<&TicketCreateForm>) -> CreateRules {
    let config = config.filter(|c| c.signed_in);
    let allowed = config
        .and_then(|c| c.customer_ticket_create)
        .unwrap_or(true);
    let setting = config.and_then(|c| c.create_group_ids.as_ref());
    let ids: Option<Vec<String>> = match (form.and_then(|f| f.group_ids.as_ref()), setting) {
        (Some(ids), Some(setting)) => Some(
            ids.iter()
                .filter(|id| setting.contains(id))
                .cloned()
                .collect(),
        ),
        (Some(ids), None) => Some(ids.clone()),
        (None, Some(setting)) => Some(setting.clone()),
        (None, None) => None,
    };
    let name = |id: &String| {
        form.and_then(|f| f.group_names.iter().find(|(g, _)| g == id))
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| id.clone())
    };
    CreateRules {
        allowed,
        groups: ids.map(|ids| ids.iter().map(|id| (id.clone(), name(id))).collect()),
    }
}

/// An article as a customer writes it: plain text on the web channel.
#[derive(Debug, Serialize)]
pub struct ArticleBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    body: &'a str,
    content_type: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<AttachmentBody<'a>>,
}

#[derive(Debug, Serialize)]
struct AttachmentBody<'a> {
    filename: &'a str,
    /// Base64.
    data: String,
    #[serde(rename = "mime-type")]
    mime_type: &'a str,
}

fn article_body<'a>(
    subject: Option<&'a str>,
    body: &'a str,
    files: &'a [Upload],
) -> ArticleBody<'a> {
    ArticleBody {
        subject,
        body,
        content_type: "text/plain",
        kind: "web",
        attachments: files
            .iter()
            .map(|f| AttachmentBody {
                filename: &f.filename,
                data: BASE64.encode(&f.bytes),
                mime_type: if f.mime_type.is_empty() {
                    "application/octet-stream"
                } else {
                    &f.mime_type
                },
            })
            .collect(),
    }
}

/// `POST /tickets`: only the fields a customer may set; no customer, owner, state, priority or
/// article sender.
#[derive(Debug, Serialize)]
pub struct CreateBody<'a> {
    title: &'a str,
    article: ArticleBody<'a>,
    /// A group choice from config.json: a numeric id goes as `group_id`, anything else as a
    /// name (`group`).
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    /// The custom fields' values, typed by their definitions (`fields::to_wire`); set by the
    /// adapter once it has the definitions.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

pub fn create_body<'a>(ticket: &'a NewTicket, group: Option<&'a str>) -> CreateBody<'a> {
    let group_id = group.and_then(|g| g.trim().parse::<u64>().ok());
    CreateBody {
        title: &ticket.subject,
        article: article_body(Some(&ticket.subject), &ticket.body, &ticket.attachments),
        group_id,
        group: group.filter(|_| group_id.is_none()),
        fields: serde_json::Map::new(),
    }
}

/// `PUT /tickets/:id`: an article, a state, or both.
#[derive(Debug, Serialize)]
pub struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    article: Option<ArticleBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'a str>,
}

/// The reply as Zammad's own customer UI sends it: `PUT /tickets/:id` with the article and, unless
/// the ticket is new, the follow-up state (which runs Zammad's follow-up check on closed tickets).
pub fn reply_body<'a>(
    reply: &'a Reply,
    current: StateCategory,
    states: &StateTable,
) -> UpdateBody<'a> {
    let state = if current == StateCategory::New {
        state_body(None, "")
    } else {
        state_body(states.follow_up_id, "open")
    };
    UpdateBody {
        article: Some(article_body(None, &reply.body, &reply.attachments)),
        ..state
    }
}

/// A state change: by id, or by name when the states are unknown (`fallback_name`; `""` for
/// none).
pub fn state_body(id: Option<u64>, fallback_name: &str) -> UpdateBody<'_> {
    UpdateBody {
        article: None,
        state_id: id,
        state: Some(fallback_name).filter(|n| id.is_none() && !n.is_empty()),
    }
}

/// What the customer should read for an error answer.
pub fn error_from(status: u16, body: &[u8], authenticated: bool) -> PortalError {
    let parsed = ErrorBody::read(body);
    // The human text if there is one; blank texts count as none (" " is no message).
    let text = [parsed.error_human.as_deref(), parsed.error.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|t| !t.is_empty())
        .unwrap_or_default()
        .to_string();
    match status {
        401 => {
            if authenticated {
                PortalError::signed_out()
            } else {
                PortalError::new(ErrorKind::Credentials, Msg::SignInFailed)
            }
        }
        403 if text == "Authentication required" => PortalError::signed_out(),
        403 if text == "Maintenance mode enabled!" => {
            PortalError::new(ErrorKind::Server, Msg::Maintenance)
        }
        403 | 404 => PortalError::not_found(),
        422 => {
            let kind = if text.contains("follow-up") || text.contains("closed ticket") {
                ErrorKind::Refused
            } else {
                ErrorKind::Validation
            };
            let message = if text.is_empty() {
                Msg::NotAccepted
            } else if text.starts_with("Error ID") {
                Msg::ChangeNotAccepted(text)
            } else {
                Msg::HelpDesk(text)
            };
            PortalError::new(kind, message)
        }
        s if s >= 500 => PortalError::server(s),
        s => PortalError::new(ErrorKind::Server, Msg::Unexpected(s)),
    }
}

/// Errors of `POST /tickets`: Zammad's masked 422 there means Core Workflow or a required field
/// refused the values (a group the customer may not pick, a field the portal does not fill);
/// the customer is told so and what to try, with Zammad's error id for the help desk.
pub fn create_error(status: u16, body: &[u8], authenticated: bool) -> PortalError {
    let err = error_from(status, body, authenticated);
    match err.message {
        Msg::ChangeNotAccepted(id) => {
            PortalError::new(ErrorKind::Validation, Msg::TicketNotAccepted(id))
        }
        _ => err,
    }
}

/// Errors of the token-minting call at sign-in, in words a customer or an admin can act on.
pub fn token_error(status: u16, body: &[u8]) -> PortalError {
    let parsed = ErrorBody::read(body);
    let text = parsed.error.unwrap_or_default();
    match (status, text.as_str()) {
        (401, t) if t.contains("Two-factor") => {
            PortalError::new(ErrorKind::Setup, Msg::TwoFactorUnsupported)
        }
        (401, _) => PortalError::new(ErrorKind::Credentials, Msg::SignInFailed),
        (403, "User authorization failed.") => PortalError::new(ErrorKind::Setup, Msg::TokenAccess),
        (403, t) if t.contains("disabled") => {
            PortalError::new(ErrorKind::Setup, Msg::ApiDisabled(t.to_string()))
        }
        (s, _) => error_from(s, body, false),
    }
}

#[cfg(test)]
mod tests;
