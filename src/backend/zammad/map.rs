//! Pure mapping between Zammad's wire format and the domain, plus the request bodies the adapter
//! sends. Tested on the host against `fixtures/zammad/`.

use std::collections::HashMap;

use super::wire::{ArticleRow, ErrorBody, GroupRow, StateRow, TicketRow, UserRow};
use crate::base64;
use crate::domain::{
    Article, Attachment, AttachmentRef, Body, Customer, FollowUp, NewTicket, Reply, Scope,
    SenderKind, SortOrder, StateCategory, StatusFilter, TicketId, TicketQuery, TicketState,
    TicketSummary, Upload,
};
use crate::error::{ErrorKind, Msg, PortalError, PortalResult, Why};
use crate::format::display_name;
use crate::json::{json, FromJson, Map, Value};

pub fn customer(row: &UserRow) -> Customer {
    let first = row.firstname.clone().unwrap_or_default();
    let last = row.lastname.clone().unwrap_or_default();
    let name = format!("{first} {last}").trim().to_string();
    let login = row.login.clone().unwrap_or_default();
    let email = row.email.clone().unwrap_or_default();
    let has_org = row.organization_id.is_some()
        || row
            .organization_ids
            .as_ref()
            .is_some_and(|ids| !ids.is_empty());
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

fn is_internal(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_u64() != Some(0),
        Value::String(s) => s == "true" || s == "1",
        _ => false,
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
                .and_then(|p| p.get("Mime-Type").or_else(|| p.get("Content-Type")))
                .and_then(Value::as_str)
                .unwrap_or("application/octet-stream")
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

/// Days between two ISO timestamps (UTC), from their date parts; `None` when unreadable.
fn days_between(earlier: &str, later: &str) -> Option<i64> {
    fn day_number(iso: &str) -> Option<i64> {
        let date = iso.get(..10)?;
        let mut parts = date.split('-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: i64 = parts.next()?.parse().ok()?;
        let d: i64 = parts.next()?.parse().ok()?;
        // Days from civil (Howard Hinnant's algorithm).
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(era * 146_097 + doe)
    }
    Some(day_number(later)? - day_number(earlier)?)
}

/// Zammad's follow-up rule for a closed ticket (`follow_up_possible` of its group).
pub fn follow_up(group: Option<&GroupRow>, close_at: Option<&str>, now_iso: &str) -> FollowUp {
    let Some(group) = group else {
        return FollowUp::Unknown;
    };
    match group.follow_up_possible.as_deref() {
        Some("yes") | None => FollowUp::Allowed,
        Some("new_ticket") => FollowUp::Refused,
        Some("new_ticket_after_certain_time") => match (group.reopen_time_in_days, close_at) {
            (Some(days), Some(closed)) => match days_between(closed, now_iso) {
                Some(elapsed) if elapsed < days as i64 => FollowUp::Allowed,
                Some(_) => FollowUp::Refused,
                None => FollowUp::Unknown,
            },
            _ => FollowUp::Unknown,
        },
        Some(_) => FollowUp::Unknown,
    }
}

/// Reads every search response shape Zammad has had: a bare array (6.4+ and any `expand=true`),
/// `{records, total_count}` (7.x with `with_total_count`), and `{tickets:[ids], assets:{Ticket}}`
/// (5.x / early 6.x without expand).
pub fn search_rows(value: Value) -> PortalResult<(Vec<TicketRow>, Option<u64>)> {
    fn rows(v: &Value) -> PortalResult<Vec<TicketRow>> {
        Vec::<TicketRow>::from_json(v).map_err(|e| PortalError::unreadable(Why::Content(e)))
    }
    match value {
        Value::Array(_) => Ok((rows(&value)?, None)),
        Value::Object(mut obj) => {
            if let Some(records) = obj.remove("records") {
                let total = obj.get("total_count").and_then(Value::as_u64);
                return Ok((rows(&records)?, total));
            }
            if let Some(Value::Array(ids)) = obj.remove("tickets") {
                let mut assets = obj
                    .get_mut("assets")
                    .and_then(|a| a.get_mut("Ticket"))
                    .map(Value::take)
                    .unwrap_or(Value::Null);
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    let key = match &id {
                        Value::Number(n) => n.to_string(),
                        Value::String(s) => s.clone(),
                        _ => continue,
                    };
                    // Taken, not copied: an id listed twice finds `null` and is refused.
                    if let Some(t) = assets.get_mut(&key).map(Value::take) {
                        out.push(
                            TicketRow::from_json(&t)
                                .map_err(|e| PortalError::unreadable(Why::Content(e)))?,
                        );
                    }
                }
                return Ok((out, None));
            }
            Err(PortalError::unreadable(Why::SearchShape))
        }
        _ => Err(PortalError::unreadable(Why::SearchShape)),
    }
}

pub fn search_body(query: &TicketQuery, states: &StateTable, me: &str) -> Value {
    let mut condition = Map::new();
    let categories: &[StateCategory] = match query.status {
        StatusFilter::Open => &[
            StateCategory::New,
            StateCategory::Open,
            StateCategory::Pending,
        ],
        StatusFilter::Closed => &[StateCategory::Closed],
        StatusFilter::All => &[],
    };
    if !categories.is_empty() {
        condition.insert(
            "ticket.state_id",
            json!({"operator": "is", "value": states.ids_in(categories)}),
        );
    }
    if query.scope == Scope::Mine {
        condition.insert(
            "ticket.customer_id",
            json!({"operator": "is", "value": [me]}),
        );
    }
    let (sort_by, order_by) = match query.sort {
        SortOrder::LastUpdate => ("updated_at", "desc"),
        SortOrder::Created => ("created_at", "desc"),
        SortOrder::Number => ("number", "desc"),
    };
    let mut body = json!({
        "condition": condition,
        "sort_by": sort_by,
        "order_by": order_by,
        "expand": true,
        "with_total_count": true,
        "page": query.page.max(1),
        "per_page": query.per_page.clamp(1, 100),
    });
    let text = query.text.trim();
    if !text.is_empty() {
        body["query"] = Value::String(text.to_string());
    }
    body
}

fn attachments_json(files: &[Upload]) -> Vec<Value> {
    files
        .iter()
        .map(|f| {
            json!({
                "filename": &f.filename,
                "data": base64::encode(&f.bytes),
                "mime-type": if f.mime_type.is_empty() { "application/octet-stream" } else { f.mime_type.as_str() },
            })
        })
        .collect()
}

/// A group choice from config.json: a numeric id goes as `group_id`, anything else as a name.
fn group_field(group: &str) -> (&'static str, Value) {
    match group.trim().parse::<u64>() {
        Ok(id) => ("group_id", json!(id)),
        Err(_) => ("group", json!(group)),
    }
}

/// Only the fields a customer may set: no customer, owner, state, priority or article sender.
pub fn create_body(ticket: &NewTicket, group: Option<&str>) -> Value {
    let mut article = json!({
        "subject": &ticket.subject,
        "body": &ticket.body,
        "content_type": "text/plain",
        "type": "web",
    });
    if !ticket.attachments.is_empty() {
        article["attachments"] = Value::Array(attachments_json(&ticket.attachments));
    }
    let mut body = json!({ "title": &ticket.subject, "article": article });
    if let Some(group) = group {
        let (key, value) = group_field(group);
        body[key] = value;
    }
    body
}

/// The reply as Zammad's own customer UI sends it: `PUT /tickets/:id` with the article and, unless
/// the ticket is new, the follow-up state (which runs Zammad's follow-up check on closed tickets).
pub fn reply_body(reply: &Reply, current: StateCategory, states: &StateTable) -> Value {
    let mut article = json!({
        "body": &reply.body,
        "content_type": "text/plain",
        "type": "web",
    });
    if !reply.attachments.is_empty() {
        article["attachments"] = Value::Array(attachments_json(&reply.attachments));
    }
    let mut body = json!({ "article": article });
    if current != StateCategory::New {
        match states.follow_up_id {
            Some(id) => body["state_id"] = json!(id),
            None => body["state"] = json!("open"),
        }
    }
    body
}

pub fn state_body(id: Option<u64>, fallback_name: &str) -> Value {
    match id {
        Some(id) => json!({ "state_id": id }),
        None => json!({ "state": fallback_name }),
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
