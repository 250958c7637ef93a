//! Every Znuny answer the adapter reads, as a pure function of the HTTP status and the body:
//! `(status, body) → PortalResult<T>`, plus the steps that pick a ticket or a file out of a
//! decoded TicketGet. The adapter only sends requests and hands the answers here, so the property
//! tests in `decode/tests.rs` drive exactly the production path.
//!
//! Rules: a non-2xx status, or a business `Error` in a 2xx answer, is an error (`map::error_in`);
//! a 2xx body that is not a JSON object of the expected content is an `Unreadable` error; ids
//! that go into URL paths or headers are checked here; nothing here panics, whatever the body.

use super::map::{self, Identity};
use super::settings::Settings;
use super::wire::{
    self, Answer, SearchResult, SessionCreated, SessionData, TicketGetResponse, TicketRow,
    WriteResult,
};
use crate::backend::FileData;
use crate::de;
use crate::domain::error::{PortalError, PortalResult, Why};
use crate::domain::{AgentReply, AttachmentRef, Ticket, TicketId};

/// The answer of a call whose body does not matter (sign-out): only errors count.
pub fn checked(status: u16, body: &[u8]) -> PortalResult<()> {
    match map::error_in(status, body) {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// A 2xx answer without a business error, read as a JSON object into `T`. The business error
/// wins over a shape `T` cannot read (it is looked for again, alone, when `T` fails).
pub(super) fn answer<T: Answer>(status: u16, body: &[u8]) -> PortalResult<T> {
    if let Some(err) = map::status_error(status) {
        return Err(err);
    }
    match de::object::<T>(body) {
        Ok(mut answer) => match answer.error() {
            Some(e) => Err(map::business_error(e)),
            None => Ok(answer),
        },
        Err(unreadable) => Err(map::error_in_body(body).unwrap_or(unreadable)),
    }
}

/// Znuny's ticket ids and session ids are plain tokens; they go into URL paths and headers.
fn is_ticket_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

fn is_session_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// SessionCreate: the new session's id.
pub fn session_created(status: u16, body: &[u8]) -> PortalResult<String> {
    let created: SessionCreated = answer(status, body)?;
    let id = created
        .session_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| PortalError::unreadable(Why::NoSessionId))?;
    if !is_session_id(&id) {
        return Err(PortalError::unreadable(Why::SessionIdMalformed));
    }
    Ok(id)
}

/// SessionGet: who signed in (the rest of the session data is dropped).
pub fn session_identity(status: u16, body: &[u8]) -> PortalResult<Identity> {
    let data: SessionData = answer(status, body)?;
    Identity::from_session(&data).ok_or_else(|| PortalError::unreadable(Why::NoUserLogin))
}

/// TicketSearch: every matching ticket id (`{}` when nothing matched).
pub fn search(status: u16, body: &[u8]) -> PortalResult<Vec<String>> {
    let found: SearchResult = answer(status, body)?;
    let ids = found.ids();
    if !ids.iter().all(|id| is_ticket_id(id)) {
        return Err(PortalError::unreadable(Why::SearchId));
    }
    Ok(ids)
}

/// TicketGet, for one or several tickets.
pub fn ticket_get(status: u16, body: &[u8]) -> PortalResult<TicketGetResponse> {
    answer(status, body)
}

/// Whether the tickets' articles have their HTML text as an attachment, whose content only a
/// TicketGet with `GetAttachmentContents=1` brings.
pub fn has_html_body(rows: &[TicketRow]) -> bool {
    rows.iter()
        .flat_map(|t| &t.articles)
        .any(|a| a.attachments.iter().any(map::is_html_body))
}

/// The ticket of a single-ticket TicketGet.
pub fn ticket(got: &TicketGetResponse, me: &str, settings: &Settings) -> PortalResult<Ticket> {
    let row = got.tickets.first().ok_or_else(PortalError::not_found)?;
    Ok(map::ticket(row, me, settings))
}

/// When the ticket of a single-ticket TicketGet last changed (ISO-8601).
pub fn changed_at(got: &TicketGetResponse) -> PortalResult<String> {
    let row = got.tickets.first().ok_or_else(PortalError::not_found)?;
    Ok(map::iso_time(&row.changed))
}

/// The newest agent article a customer may see of each ticket (from a TicketGet filtered to
/// agent articles; the filter is not trusted).
pub fn agent_replies(rows: &[TicketRow]) -> Vec<AgentReply> {
    rows.iter()
        .filter_map(|row| {
            let articles: Vec<_> = row
                .articles
                .iter()
                .filter_map(|a| map::article(a, &row.id))
                .collect();
            AgentReply::newest(&TicketId(row.id.clone()), &articles)
        })
        .collect()
}

/// One attachment of a TicketGet with contents; never one of an article hidden from customers.
pub fn file(got: &TicketGetResponse, a: &AttachmentRef) -> PortalResult<FileData> {
    let file = got
        .tickets
        .iter()
        .flat_map(|t| &t.articles)
        .filter(|art| art.id == a.article_id && art.visible != Some(0))
        .flat_map(|art| &art.attachments)
        .find(|f| f.file_id == a.attachment_id)
        .ok_or_else(PortalError::not_found)?;
    let bytes =
        wire::base64_decode(&file.content).ok_or_else(|| PortalError::unreadable(Why::Base64))?;
    Ok(FileData {
        bytes,
        mime_type: file.content_type.clone(),
    })
}

/// TicketUpdate: nothing to keep beyond "no error".
pub fn updated(status: u16, body: &[u8]) -> PortalResult<()> {
    let _: WriteResult = answer(status, body)?;
    Ok(())
}

/// TicketCreate: the new ticket's id.
pub fn created(status: u16, body: &[u8]) -> PortalResult<TicketId> {
    let created: WriteResult = answer(status, body)?;
    match created.ticket_id {
        Some(id) if is_ticket_id(&id) => Ok(TicketId(id)),
        Some(_) => Err(PortalError::unreadable(Why::TicketId)),
        None => Err(PortalError::unreadable(Why::NoTicketId)),
    }
}

#[cfg(test)]
mod tests;

/// The same readers on a real Znuny's live answers (`REAL_ZNUNY_URL`, `cargo xtask real-znuny`).
#[cfg(test)]
mod real_znuny;
