//! Pure mapping between Znuny's Generic Interface and the domain, and the request bodies the
//! adapter builds from scratch (never passing through anything a customer may not set).
//! Tested on the host against the recorded exchanges in `fixtures/znuny-7.1.7/`.

use serde::{Deserialize, Serialize};

use super::settings::Settings;
use super::wire::{
    self, ArticleRow, AttachmentRow, ErrorEnvelope, ErrorObject, SessionData, TicketRow,
};
use crate::domain::error::{ErrorKind, Msg, PortalError};
use crate::domain::{
    Article, Attachment, AttachmentRef, Body, Customer, FollowUp, NewTicket, Reply, Scope,
    SenderKind, SortOrder, StateCategory, StatusFilter, Ticket, TicketId, TicketQuery, TicketState,
    TicketSummary, Upload, Written,
};
use crate::ui::format::display_name;

/// The identity kept from SessionGet; the rest (password hash, backend config, IP) is dropped here.
/// Kept in the browser's storage (inside the session) with every key, as a string.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Identity {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub email: String,
    pub customer_id: String,
}

impl Identity {
    pub fn from_session(data: &SessionData) -> Option<Identity> {
        let get = |key: &str| {
            data.pairs
                .iter()
                .find(|p| p.key == key)
                .and_then(|p| p.value.clone().text())
                .unwrap_or_default()
        };
        let login = get("UserLogin");
        if login.is_empty() {
            return None;
        }
        Some(Identity {
            login,
            first_name: get("UserFirstname"),
            last_name: get("UserLastname"),
            full_name: get("UserFullname"),
            email: get("UserEmail"),
            customer_id: get("UserCustomerID"),
        })
    }

    pub fn display_name(&self) -> String {
        let joined = format!("{} {}", self.first_name, self.last_name);
        let name = [self.full_name.trim(), joined.trim(), self.login.as_str()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_default()
            .to_string();
        name
    }

    /// `"Full Name" <email>`: without it Znuny stores a customer's follow-up with an empty From.
    pub fn sender_address(&self) -> String {
        let name = self.display_name().replace('"', "'");
        if self.email.is_empty() {
            format!("\"{name}\"")
        } else {
            format!("\"{name}\" <{}>", self.email)
        }
    }

    pub fn customer(&self) -> Customer {
        Customer {
            id: self.login.clone(),
            login: self.login.clone(),
            display_name: self.display_name(),
            email: self.email.clone(),
            has_organization: !self.customer_id.is_empty(),
        }
    }
}

/// A business error hidden in an HTTP 200, or a transport/internal failure in a 500.
pub fn error_in(status: u16, body: &[u8]) -> Option<PortalError> {
    status_error(status).or_else(|| error_in_body(body))
}

/// The business error in a body, if it is a JSON object with one. Only a JSON object is an
/// envelope; a body that is not JSON has no error here and is judged by whoever reads the
/// answer. An `Error` given twice marks the answer as failed too.
pub fn error_in_body(body: &[u8]) -> Option<PortalError> {
    match crate::de::object::<ErrorEnvelope>(body) {
        Ok(envelope) => envelope.error.map(business_error),
        Err(e)
            if matches!(
                e.message,
                Msg::Unreadable(crate::domain::error::Why::Content(_))
            ) =>
        {
            Some(business_error(ErrorObject::default()))
        }
        Err(_) => None,
    }
}

/// The error a status says alone: files too large, or any other failure.
pub fn status_error(status: u16) -> Option<PortalError> {
    if status == 413 {
        return Some(PortalError::new(ErrorKind::Validation, Msg::FilesTooLarge));
    }
    if !(200..300).contains(&status) {
        return Some(PortalError::server(status));
    }
    None
}

/// What the customer should read for a business error.
pub fn business_error(error: ErrorObject) -> PortalError {
    let (operation, code) = error
        .code
        .split_once('.')
        .unwrap_or(("", error.code.as_str()));
    match code {
        "AuthFail" | "SessionInvalid" if operation == "SessionCreate" => {
            PortalError::new(ErrorKind::Credentials, Msg::SignInFailedUsername)
        }
        "AuthFail" | "SessionInvalid" => PortalError::signed_out(),
        // NotValidFAQID: PublicFAQGet of an item that does not exist (any more).
        "AccessDenied" | "NotValidTicketID" | "NotTicketData" | "NotValidFAQID" => {
            PortalError::not_found()
        }
        "MissingParameter" | "InvalidParameter" | "WrongStructure" | "EmptyRequest" => {
            PortalError::new(
                ErrorKind::Validation,
                Msg::RequestNotAccepted(error.message),
            )
        }
        _ => PortalError::new(ErrorKind::Server, Msg::HelpDeskError(error.message)),
    }
}

/// "2026-11-24 04:46:40" (Znuny's system time zone, UTC by default) → ISO-8601 UTC.
pub fn iso_time(znuny: &str) -> String {
    let t = znuny.trim();
    if t.len() == 19 && t.as_bytes().get(10) == Some(&b' ') {
        format!("{}T{}Z", &t[..10], &t[11..])
    } else {
        t.to_string()
    }
}

pub fn state_category(state_type: &str, state: &str) -> StateCategory {
    let t = if state_type.is_empty() {
        state
    } else {
        state_type
    }
    .to_ascii_lowercase();
    if t == "new" {
        StateCategory::New
    } else if t.starts_with("pending") {
        StateCategory::Pending
    } else if t.starts_with("closed") || t == "merged" || t == "removed" {
        StateCategory::Closed
    } else {
        StateCategory::Open
    }
}

pub fn summary(row: &TicketRow, me: &str) -> TicketSummary {
    TicketSummary {
        id: TicketId(row.id.clone()),
        number: row.number.clone(),
        title: row.title.clone(),
        state: TicketState {
            name: row.state.clone(),
            category: state_category(&row.state_type, &row.state),
        },
        created_at: iso_time(&row.created),
        updated_at: iso_time(&row.changed),
        mine: row.customer_user.as_deref().is_none_or(|c| c == me),
    }
}

/// The original HTML of an article, which Znuny hands over as an extra attachment
/// (`file-2`, text/html) when asked with `HTMLBodyAsAttachment=1`.
pub fn is_html_body(a: &AttachmentRow) -> bool {
    let name = a.filename.as_str();
    let generated = name
        .strip_prefix("file-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    generated
        && a.content_type.to_ascii_lowercase().starts_with("text/html")
        && !a.disposition.eq_ignore_ascii_case("attachment")
}

/// Raster types an inline image may have (never SVG, which can carry script).
const INLINE_IMAGE_TYPES: [&str; 4] = ["image/png", "image/gif", "image/jpeg", "image/webp"];

/// Resolves `cid:` references of an HTML body to `data:` URLs of the article's inline images
/// (attachments with that ContentID and their content, as TicketGet returns them with
/// `GetAttachmentContents=1`), so the sanitizer can show them without another request. Only
/// references in attribute values are touched, and only raster images with clean base64.
/// Returns the HTML and the FileIDs of the attachments it used.
pub fn inline_images(html: &str, files: &[AttachmentRow]) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len());
    let mut used = Vec::new();
    let mut rest = html;
    while let Some(pos) = rest.to_ascii_lowercase().find("cid:") {
        let (before, after) = rest.split_at(pos);
        out.push_str(before);
        let in_attribute = before.trim_end().ends_with(['"', '\'', '=']);
        let id_len = after[4..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '>' | '<'))
            .unwrap_or(after.len() - 4);
        let id = &after[4..4 + id_len];
        let file = files.iter().find(|f| {
            let cid = f
                .content_id
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>');
            !cid.is_empty() && cid == id
        });
        let data = file.filter(|_| in_attribute).and_then(|f| {
            let mime = f
                .content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let clean = !f.content.is_empty()
                && f.content
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
            (INLINE_IMAGE_TYPES.contains(&mime.as_str()) && clean).then(|| {
                (
                    format!("data:{mime};base64,{}", f.content),
                    f.file_id.clone(),
                )
            })
        });
        match data {
            Some((url, file_id)) => {
                out.push_str(&url);
                if !used.contains(&file_id) {
                    used.push(file_id);
                }
            }
            None => out.push_str(&after[..4 + id_len]),
        }
        rest = &after[4 + id_len..];
    }
    out.push_str(rest);
    (out, used)
}

fn sender(kind: &str) -> SenderKind {
    match kind.to_ascii_lowercase().as_str() {
        "customer" => SenderKind::Customer,
        "system" => SenderKind::System,
        _ => SenderKind::Agent,
    }
}

/// `None` for articles not visible to customers (Znuny should not send them; if it does, drop).
pub fn article(row: &ArticleRow, ticket_id: &str) -> Option<Article> {
    if row.visible == Some(0) {
        return None;
    }
    let html = row
        .attachments
        .iter()
        .find(|a| is_html_body(a))
        .and_then(|a| wire::base64_decode(&a.content))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .filter(|h| !h.trim().is_empty());
    let mut inline = Vec::new();
    let body = match html {
        Some(h) => {
            let (h, used) = inline_images(&h, &row.attachments);
            inline = used;
            Body::Html(h)
        }
        None if row
            .content_type
            .to_ascii_lowercase()
            .starts_with("text/html") =>
        {
            Body::Html(row.body.clone())
        }
        None => Body::Plain(row.body.clone()),
    };
    Some(Article {
        id: row.id.clone(),
        sender: sender(&row.sender_type),
        from_name: display_name(&row.from),
        subject: Some(row.subject.clone()).filter(|s| !s.trim().is_empty()),
        body,
        created_at: iso_time(&row.create_time),
        attachments: row
            .attachments
            .iter()
            // The HTML body part and the images shown inside it are not files to download.
            .filter(|a| !is_html_body(a) && !inline.contains(&a.file_id))
            .map(|a| Attachment {
                filename: a.filename.clone(),
                size: a.size,
                mime_type: a.content_type.clone(),
                source: AttachmentRef {
                    ticket_id: ticket_id.to_string(),
                    article_id: row.id.clone(),
                    attachment_id: a.file_id.clone(),
                },
            })
            .collect(),
    })
}

pub fn ticket(row: &TicketRow, me: &str, settings: &Settings) -> Ticket {
    let summary = summary(row, me);
    let follow_up = if summary.state.category == StateCategory::Closed {
        settings.follow_up(row.queue.as_deref())
    } else {
        FollowUp::Allowed
    };
    Ticket {
        summary,
        group: row.queue.clone(),
        follow_up,
        articles: row
            .articles
            .iter()
            .filter_map(|a| article(a, &row.id))
            .collect(),
        fields: Vec::new(),
    }
}

/// The parameters of one operation, in order: a JSON object for POST and PATCH routes, a query
/// string for GET ones (`Znuny::call`). Built from scratch, so only what the portal chose is
/// ever sent.
#[derive(Clone, Debug, Default)]
pub struct Params(Vec<(&'static str, Param)>);

/// One parameter's value.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Param {
    Text(String),
    Whole(u32),
    Texts(Vec<String>),
    Ticket(TicketFields),
    Article(ArticleFields),
    Attachments(Vec<AttachmentFields>),
    /// Built elsewhere with serde (`super::fields`: TicketCreate's `DynamicField` list).
    Json(serde_json::Value),
}

impl Params {
    pub fn new() -> Self {
        Params(Vec::new())
    }

    /// Sets `key`, replacing its value if it has one.
    pub fn insert(&mut self, key: &'static str, value: Param) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn with(mut self, key: &'static str, value: Param) -> Self {
        self.insert(key, value);
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Param)> {
        self.0.iter()
    }
}

impl Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// TicketSearch parameters (without the SessionID): all matching ids, sorted; the portal pages.
pub fn search_params(query: &TicketQuery, identity: &Identity, settings: &Settings) -> Params {
    let mut p = Params::new();
    match query.status {
        StatusFilter::Open => {
            p.insert("StateType", Param::Texts(settings.open_state_types.clone()));
        }
        StatusFilter::Closed => {
            p.insert(
                "StateType",
                Param::Texts(settings.closed_state_types.clone()),
            );
        }
        StatusFilter::All => {}
    }
    let text = query.text.trim();
    if !text.is_empty() {
        // Subject/Body are not search keys (silently ignored); Fulltext covers title and articles.
        p.insert("Fulltext", Param::Text(text.to_string()));
    }
    if query.scope == Scope::Mine {
        p.insert("CustomerUserLogin", Param::Text(identity.login.clone()));
    }
    let sort = match query.sort {
        SortOrder::LastUpdate => "Changed",
        SortOrder::Created => "Created",
        SortOrder::Number => "TicketNumber",
    };
    p.insert("SortBy", Param::Text(sort.into()));
    p.insert("OrderBy", Param::Text("Down".into()));
    p.insert("Limit", Param::Whole(settings.search_limit.max(1)));
    p
}

/// `Ticket` of TicketCreate and TicketUpdate: what the portal's configuration sets, never what
/// the customer may not (owner, responsible, customer id, pending time, dynamic fields).
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TicketFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_user: Option<String>,
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
}

/// A customer article as the portal always sends it: visible to the customer, never e-mailed.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ArticleFields {
    communication_channel: &'static str,
    sender_type: &'static str,
    is_visible_for_customer: u8,
    subject: String,
    body: String,
    content_type: &'static str,
    from: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttachmentFields {
    /// Base64.
    content: String,
    content_type: String,
    filename: String,
}

fn attachments(files: &[Upload]) -> Param {
    Param::Attachments(
        files
            .iter()
            .map(|f| AttachmentFields {
                content: wire::base64_encode(&f.bytes),
                content_type: if f.mime_type.is_empty() {
                    "application/octet-stream".into()
                } else {
                    f.mime_type.clone()
                },
                filename: f.filename.clone(),
            })
            .collect(),
    )
}

fn customer_article(subject: &str, body: &str, identity: &Identity) -> Param {
    Param::Article(ArticleFields {
        communication_channel: "Internal",
        sender_type: "customer",
        is_visible_for_customer: 1,
        subject: subject.to_string(),
        body: body.to_string(),
        content_type: "text/plain; charset=utf-8",
        from: identity.sender_address(),
    })
}

/// TicketCreate body, built from scratch: the customer is always the signed-in one, queue, state,
/// priority and type only from the portal's configuration.
pub fn create_body(t: &NewTicket, queue: &str, identity: &Identity, settings: &Settings) -> Params {
    let ticket = TicketFields {
        title: Some(t.subject.clone()),
        queue: Some(queue.to_string()),
        state: Some(settings.new_state.clone()),
        priority: Some(settings.priority.clone()),
        customer_user: Some(identity.login.clone()),
        kind: settings.ticket_type.clone(),
    };
    let mut body = Params::new()
        .with("Ticket", Param::Ticket(ticket))
        .with("Article", customer_article(&t.subject, &t.body, identity));
    if !t.attachments.is_empty() {
        body.insert("Attachment", attachments(&t.attachments));
    }
    body
}

/// TicketUpdate body for a reply; reopens a closed ticket only where the queue allows follow-ups.
pub fn reply_body(
    ticket: &Ticket,
    reply: &Reply,
    identity: &Identity,
    settings: &Settings,
) -> Result<Params, PortalError> {
    let closed = ticket.summary.state.category == StateCategory::Closed;
    if closed && ticket.follow_up == FollowUp::Refused {
        return Err(refused());
    }
    let title = &ticket.summary.title;
    let subject = if title.to_ascii_lowercase().starts_with("re:") {
        title.clone()
    } else {
        format!("Re: {title}")
    };
    let mut body = Params::new().with("Article", customer_article(&subject, &reply.body, identity));
    if !reply.attachments.is_empty() {
        body.insert("Attachment", attachments(&reply.attachments));
    }
    if closed {
        // Znuny's Generic Interface adds a follow-up to a closed ticket without reopening it.
        body = body.with("Ticket", state_fields(&settings.reopen_state));
    }
    Ok(body)
}

fn state_fields(state: &str) -> Param {
    Param::Ticket(TicketFields {
        state: Some(state.to_string()),
        ..TicketFields::default()
    })
}

pub fn state_body(state: &str) -> Params {
    Params::new().with("Ticket", state_fields(state))
}

/// What a change to the state named `state` did: Znuny's answer to TicketUpdate names only the
/// ticket, so the page shows the state asked for (`closed`: a closed one) until it reads the
/// ticket again.
pub fn written(state: &str, closed: bool, follow_up: FollowUp) -> Written {
    Written {
        state: Some(TicketState {
            name: state.to_string(),
            category: if closed {
                StateCategory::Closed
            } else {
                StateCategory::Open
            },
        }),
        updated_at: None,
        follow_up: Some(follow_up),
    }
}

pub fn refused() -> PortalError {
    PortalError::new(ErrorKind::Refused, Msg::ClosedForReplies)
}

#[cfg(test)]
mod tests;
