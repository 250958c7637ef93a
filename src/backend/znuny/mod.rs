//! Znuny Generic Interface (REST web service) adapter (contract: docs/znuny-api.md).
//!
//! - Sign-in with SessionCreate; the SessionID travels in the `X-OTRS-Header-SessionID` header
//!   (and in the JSON body of writes, so a body is never `{}`), never in a URL (path or query).
//! - Routes come from config.json (presets for the Znuny 7.1 and 6.x example web services).
//! - Lists: one TicketSearch (ids only) and one batched TicketGet per page.
//! - What a customer may not set is never sent: bodies are built from scratch in `map`.

mod decode;
mod faq;
mod fields;
mod map;
mod routes;
mod settings;
mod wire;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Method;
use serde::{Deserialize, Serialize};

use self::map::{Identity, Param, Params};
use self::routes::{Operation, RouteTable};
use self::settings::Settings;
use self::wire::{TicketGetResponse, TicketRow};
use super::{Backend, FileData};
use crate::browser::http::{self, HttpRequest};
use crate::browser::storage;
use crate::config::Config;
use crate::de::{self, Obj};
use crate::domain::error::{ErrorKind, Msg, PortalError, PortalResult};
use crate::domain::{
    AccountOptions, AccountWay, AgentReply, AnswerHit, AnswerText, AttachmentRef, Credentials,
    Customer, FollowUp, LoginKind, NewTicket, Reply, Scope, SignInOutcome, StateCategory, Ticket,
    TicketId, TicketPage, TicketQuery, Written,
};

/// What survives a reload: the session id, when it was made (Znuny ends it 2 hours later) and the
/// identity read once from SessionGet. Never the password. Kept as
/// `{"id":…,"created_ms":…,"identity":{…}}`; anything less reads as no session.
#[derive(Clone, Deserialize, Serialize)]
struct Session {
    id: String,
    #[serde(serialize_with = "de::whole_ms")]
    created_ms: f64,
    identity: Identity,
}

impl Session {
    fn read(text: &str) -> Option<Session> {
        serde_json::from_str::<Obj<Session>>(text).ok().map(|s| s.0)
    }
}

struct Inner {
    base: String,
    timeout_ms: u32,
    settings: Settings,
    routes: Result<RouteTable, String>,
    default_queue: Option<String>,
    /// `znuny.dynamic_fields` (checked at start by `check_config`).
    fields: Vec<crate::domain::fields::CustomField>,
    session: RefCell<Option<Session>>,
    /// Whether this help desk writes formatted (HTML) bodies, which TicketGet gives only as an
    /// attachment's content: then a ticket read asks for the attachments' contents at once (one
    /// round trip); else it first reads without them (the contents may be large files) and
    /// again with them if it finds an HTML body. Assumed at first (Znuny's rich text is on by
    /// default), then learned from each ticket read and from the list's "New reply" check.
    html_bodies: Cell<bool>,
}

/// config.json's `znuny` section as serde reads it.
fn section(config: &Config) -> serde_json::Value {
    config
        .znuny
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

#[derive(Clone)]
pub struct Znuny {
    inner: Rc<Inner>,
}

/// Query-string encoding as Znuny reads it: lists become repeated keys, nested objects their
/// JSON text.
fn query_string(params: &Params) -> String {
    let mut parts = Vec::new();
    for (key, value) in params.iter() {
        let values = match value {
            Param::Text(s) => vec![s.clone()],
            Param::Whole(n) => vec![n.to_string()],
            Param::Texts(items) => items.clone(),
            other => vec![http::json(other)],
        };
        for text in values {
            parts.push(format!(
                "{}={}",
                js_sys::encode_uri_component(key),
                js_sys::encode_uri_component(&text)
            ));
        }
    }
    parts.join("&")
}

/// Ticket ids go into URL paths: digits only.
fn ticket_number(id: &TicketId) -> PortalResult<&str> {
    let id = id.0.trim();
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id)
    } else {
        Err(PortalError::not_found())
    }
}

impl Znuny {
    fn routes(&self) -> PortalResult<&RouteTable> {
        self.inner
            .routes
            .as_ref()
            .map_err(|e| PortalError::new(ErrorKind::Setup, Msg::RoutesInvalid(e.to_string())))
    }

    fn session(&self) -> Option<Session> {
        self.inner.session.borrow().clone()
    }

    fn identity(&self) -> PortalResult<Identity> {
        self.session()
            .map(|s| s.identity)
            .ok_or_else(PortalError::signed_out)
    }

    fn expired(&self, s: &Session) -> bool {
        js_sys::Date::now() - s.created_ms > self.inner.settings.session_hours * 3_600_000.0
    }

    fn forget(&self) {
        *self.inner.session.borrow_mut() = None;
        storage::clear_auth();
    }

    /// Calls one operation and reads its answer with one of the pure readers in `decode`.
    /// GET routes carry parameters in the query string; others in a JSON body. The session goes
    /// in the header, and in the body of writes.
    async fn call<T>(
        &self,
        op: Operation,
        path_params: &[(&str, &str)],
        mut params: Params,
        with_session: bool,
        read: impl FnOnce(u16, &[u8]) -> PortalResult<T>,
    ) -> PortalResult<T> {
        let routes = self.routes()?;
        let (method, path) = routes
            .path(op, path_params)
            .ok_or_else(|| PortalError::new(ErrorKind::Setup, Msg::NoRoute(format!("{op:?}"))))?;
        let session = if with_session {
            let s = self.session().ok_or_else(PortalError::signed_out)?;
            if self.expired(&s) {
                self.forget();
                return Err(PortalError::signed_out());
            }
            Some(s)
        } else {
            None
        };
        let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST);
        let mut url = format!("{}{}", self.inner.base, path);
        let mut req;
        if method == Method::GET {
            let qs = query_string(&params);
            if !qs.is_empty() {
                url = format!("{url}?{qs}");
            }
            req = HttpRequest::new(method, url);
        } else {
            if let Some(s) = &session {
                params.insert("SessionID", Param::Text(s.id.clone()));
            }
            req = HttpRequest::new(method, url).json_body(http::json(&params));
        }
        if let Some(s) = &session {
            req = req.header("X-OTRS-Header-SessionID", s.id.clone());
        }
        let resp = http::send(
            req.header("Accept", "application/json"),
            self.inner.timeout_ms,
        )
        .await?;
        let result = read(resp.status, &resp.body);
        if let Err(err) = &result {
            if err.kind == ErrorKind::SignedOut {
                self.forget();
            }
        }
        result
    }

    async fn ticket_get(&self, ids: &str, params: Params) -> PortalResult<TicketGetResponse> {
        self.call(
            Operation::TicketGet,
            &[("TicketID", ids)],
            params,
            true,
            decode::ticket_get,
        )
        .await
    }

    /// A single-ticket TicketGet with `DynamicFields=1`, and the configured fields it brought.
    async fn ticket_get_with_fields(
        &self,
        id: &str,
        params: Params,
    ) -> PortalResult<(
        TicketGetResponse,
        Vec<(
            crate::domain::fields::CustomField,
            crate::domain::fields::FieldValue,
        )>,
    )> {
        let configured = &self.inner.fields;
        self.call(
            Operation::TicketGet,
            &[("TicketID", id)],
            params,
            true,
            |status, body| {
                let got = decode::ticket_get(status, body)?;
                Ok((got, fields::from_answer(configured, body)))
            },
        )
        .await
    }

    /// One TicketGet for several tickets. Sites with CustomerDisableCompanyTicketAccess list
    /// company tickets in the search that TicketGet then refuses, and one refused id fails the
    /// whole batch: then the tickets are read one by one and the refused ones left out.
    async fn ticket_get_each(&self, ids: &[&str], params: Params) -> PortalResult<Vec<TicketRow>> {
        match self.ticket_get(&ids.join(","), params.clone()).await {
            Ok(r) => Ok(r.tickets),
            Err(e) if e.kind == ErrorKind::NotFound => {
                let mut rows = Vec::new();
                for id in ids {
                    match self.ticket_get(id, params.clone()).await {
                        Ok(r) => rows.extend(r.tickets),
                        Err(e) if e.kind == ErrorKind::NotFound => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(rows)
            }
            Err(e) => Err(e),
        }
    }

    async fn update(&self, id: &TicketId, body: Params) -> PortalResult<()> {
        let n = ticket_number(id)?;
        self.call(
            Operation::TicketUpdate,
            &[("TicketID", n)],
            body,
            true,
            decode::updated,
        )
        .await
    }
}

/// A list page as read, before it is told whose tickets are whose.
struct ListRows {
    page_ids: Vec<String>,
    rows: Vec<TicketRow>,
    has_more: bool,
    total: Option<u64>,
}

impl ListRows {
    /// In the search's order; `me`: the customer's login.
    fn page(&self, me: &str) -> TicketPage {
        TicketPage {
            tickets: self
                .page_ids
                .iter()
                .filter_map(|id| self.rows.iter().find(|r| r.id == *id))
                .map(|r| map::summary(r, me))
                .collect(),
            has_more: self.has_more,
            total: self.total,
        }
    }
}

/// What fills `:SessionID` in a route: the real id travels only in the `X-OTRS-Header-SessionID`
/// header (and write bodies), which Znuny lets override route parameters. URLs end up in the
/// access logs of every proxy and of Znuny's Apache, where a SessionID is a bearer credential.
const SESSION_IN_PATH: &str = "current";

impl Znuny {
    /// SessionCreate; the session is kept (with the login as typed for an identity) until
    /// SessionGet says who it is. Returns the SessionID and when it was made.
    async fn create_session(&self, c: &Credentials) -> PortalResult<(String, f64)> {
        let mut params = Params::new()
            .with("CustomerUserLogin", Param::Text(c.login.trim().to_string()))
            .with("Password", Param::Text(c.password.clone()));
        if let Some(crate::domain::TwoFactorAnswer::Code(_, code)) = &c.two_factor {
            params.insert("TwoFactorToken", Param::Text(code.trim().to_string()));
        }
        let created_ms = js_sys::Date::now();
        let id = self
            .call(
                Operation::SessionCreate,
                &[],
                params,
                false,
                decode::session_created,
            )
            .await
            .map_err(|e| self.explain_refused_login(e, &c.login))?;
        let probe = Session {
            id: id.clone(),
            created_ms,
            identity: Identity {
                login: c.login.trim().to_string(),
                first_name: String::new(),
                last_name: String::new(),
                full_name: String::new(),
                email: String::new(),
                customer_id: String::new(),
            },
        };
        *self.inner.session.borrow_mut() = Some(probe);
        Ok((id, created_ms))
    }

    /// SessionGet, once, right after sign-in. Its route has the SessionID in the path, but the
    /// header overrides route parameters (znuny-api.md 4.4): a placeholder goes in the URL so
    /// the id never reaches an access log.
    async fn session_identity(&self) -> PortalResult<Identity> {
        self.call(
            Operation::SessionGet,
            &[("SessionID", SESSION_IN_PATH)],
            Params::new(),
            true,
            decode::session_identity,
        )
        .await
    }

    /// The signed-in session, with the identity SessionGet gave, kept (and stored as the
    /// customer chose).
    fn keep_session(
        &self,
        id: String,
        created_ms: f64,
        identity: Identity,
        stay: bool,
    ) -> SignInOutcome {
        let customer = identity.customer();
        let session = Session {
            id,
            created_ms,
            identity,
        };
        storage::save_auth(&http::json(&session), stay);
        *self.inner.session.borrow_mut() = Some(session);
        SignInOutcome::SignedIn(customer)
    }

    /// One list page's tickets: TicketSearch (every id), then one TicketGet for the page's.
    async fn list_rows(&self, query: &TicketQuery, identity: &Identity) -> PortalResult<ListRows> {
        let params = map::search_params(query, identity, &self.inner.settings);
        let ids = self
            .call(Operation::TicketSearch, &[], params, true, decode::search)
            .await?;
        let per_page = query.per_page.clamp(1, 100) as usize;
        // Saturating: the page number comes from the URL, and usize is 32 bits in wasm.
        let start = (query.page.max(1) as usize - 1).saturating_mul(per_page);
        let page_ids: Vec<String> = ids.iter().skip(start).take(per_page).cloned().collect();
        let total = Some(ids.len() as u64);
        let has_more = start.saturating_add(per_page) < ids.len();
        let rows = if page_ids.is_empty() {
            Vec::new()
        } else {
            let ids: Vec<&str> = page_ids.iter().map(String::as_str).collect();
            self.ticket_get_each(&ids, Params::new()).await?
        };
        Ok(ListRows {
            page_ids,
            rows,
            has_more,
            total,
        })
    }

    /// A stock Znuny answers an e-mail address like a wrong password (`SessionCreate.AuthFail`):
    /// when the customer typed one where only login names work, say that instead.
    /// PublicFAQGet of `ids` (digits and commas), without a session: a public operation.
    async fn faq_get(&self, ids: &str) -> PortalResult<Vec<u8>> {
        let params = faq::get_params();
        self.call(
            Operation::PublicFAQGet,
            &[("ItemID", ids)],
            params,
            false,
            faq::raw,
        )
        .await
    }

    fn explain_refused_login(&self, e: PortalError, login: &str) -> PortalError {
        if e.message == Msg::SignInFailedUsername
            && login.contains('@')
            && self.login_kind() == LoginKind::Username
        {
            PortalError::new(e.kind, Msg::UsernameNotEmail)
        } else {
            e
        }
    }
}

impl Backend for Znuny {
    const ORGANIZATION: &'static str = "company";

    fn new(config: &Config) -> Self {
        // As before: a setting of the wrong type voids the section, and the defaults apply.
        let settings = config
            .znuny
            .as_deref()
            .and_then(|text| Settings::read(text).ok())
            .unwrap_or_default();
        let routes = RouteTable::from_setting(&settings.routes);
        Self {
            inner: Rc::new(Inner {
                base: config.api_base.clone(),
                timeout_ms: config.request_timeout_ms,
                default_queue: config.default_group(),
                fields: fields::read(&section(config)).unwrap_or_default(),
                settings,
                routes,
                session: RefCell::new(None),
                html_bodies: Cell::new(true),
            }),
        }
    }

    fn check_config(config: &Config) -> Result<(), String> {
        fields::read(&section(config)).map(|_| ())
    }

    async fn ticket_fields(&self) -> PortalResult<Vec<crate::domain::fields::CustomField>> {
        Ok(self.inner.fields.clone())
    }

    fn has_answers(&self) -> bool {
        self.routes().is_ok_and(|r| {
            r.get(Operation::PublicFAQSearch).is_some() && r.get(Operation::PublicFAQGet).is_some()
        })
    }

    async fn search_answers(&self, text: &str) -> PortalResult<Vec<AnswerHit>> {
        let words = faq::words(text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let found = self
            .call(
                Operation::PublicFAQSearch,
                &[],
                faq::search_params(&words),
                false,
                faq::raw,
            )
            .await?;
        let ids = faq::search(200, &found)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        faq::hits(200, &self.faq_get(&ids.join(",")).await?, &words)
    }

    async fn answer(&self, id: &str) -> PortalResult<AnswerText> {
        // Only ids PublicFAQSearch gave (digits) go into the path.
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PortalError::not_found());
        }
        faq::opened(200, &self.faq_get(id).await?)
    }

    async fn account_options(&self) -> AccountOptions {
        let link = |url: &Option<String>| match Settings::page_link(url.as_deref()) {
            Some(url) => AccountWay::Link(url),
            None => AccountWay::Off,
        };
        AccountOptions {
            lost_password: link(&self.inner.settings.forgot_password_url),
            sign_up: link(&self.inner.settings.sign_up_url),
        }
    }

    fn login_kind(&self) -> LoginKind {
        if self.inner.settings.login_with_email {
            LoginKind::EmailOrUsername
        } else {
            LoginKind::Username
        }
    }

    fn session_ends_at(&self) -> Option<f64> {
        self.session()
            .map(|s| s.created_ms + self.inner.settings.session_hours * 3_600_000.0)
    }

    async fn restore(&self) -> PortalResult<Option<Customer>> {
        let Some((text, _)) = storage::load_auth() else {
            return Ok(None);
        };
        let Some(session) = Session::read(&text) else {
            storage::clear_auth();
            return Ok(None);
        };
        if self.expired(&session) {
            storage::clear_auth();
            return Err(PortalError::signed_out());
        }
        let customer = session.identity.customer();
        *self.inner.session.borrow_mut() = Some(session);
        Ok(Some(customer))
    }

    async fn sign_in(&self, c: &Credentials) -> PortalResult<SignInOutcome> {
        let (id, created_ms) = self.create_session(c).await?;
        let identity = self.session_identity().await?;
        Ok(self.keep_session(id, created_ms, identity, c.stay_signed_in))
    }

    async fn sign_in_listing(
        &self,
        c: &Credentials,
        list: &TicketQuery,
    ) -> PortalResult<(SignInOutcome, Option<PortalResult<TicketPage>>)> {
        // "Mine" searches by the login SessionGet confirms: that list waits for it.
        if list.scope == Scope::Mine {
            return Ok((self.sign_in(c).await?, None));
        }
        let (id, created_ms) = self.create_session(c).await?;
        // TicketSearch and TicketGet need only the session; the identity only names whose
        // tickets are whose, once both are there. The search is sent first: it is on the
        // critical path, SessionGet beside it.
        let probe = self.identity()?;
        let (rows, identity) =
            futures::join!(self.list_rows(list, &probe), self.session_identity());
        let identity = identity?;
        let page = rows.map(|rows| rows.page(&identity.login));
        Ok((
            self.keep_session(id, created_ms, identity, c.stay_signed_in),
            Some(page),
        ))
    }

    async fn sign_out(&self) {
        if let (Some(s), Ok(routes)) = (self.session(), self.routes()) {
            if routes.get(Operation::SessionDelete).is_some() && !self.expired(&s) {
                // Znuny 7.1.7 refuses a logout without the password (znuny/Znuny#638); either
                // answer means "signed out" here, and the portal forgets the session.
                let _ = self
                    .call(
                        Operation::SessionDelete,
                        &[("SessionID", SESSION_IN_PATH)],
                        Params::new(),
                        true,
                        decode::checked,
                    )
                    .await;
            }
        }
        self.forget();
        storage::clear_all_drafts();
    }

    async fn list_tickets(&self, query: &TicketQuery) -> PortalResult<TicketPage> {
        let identity = self.identity()?;
        let rows = self.list_rows(query, &identity).await?;
        Ok(rows.page(&identity.login))
    }

    async fn ticket(&self, id: &TicketId) -> PortalResult<Ticket> {
        let identity = self.identity()?;
        let n = ticket_number(id)?;
        let params = |contents: u32| {
            Params::new()
                .with("AllArticles", Param::Whole(1))
                .with("Attachments", Param::Whole(1))
                .with("GetAttachmentContents", Param::Whole(contents))
                .with("HTMLBodyAsAttachment", Param::Whole(1))
                .with("DynamicFields", Param::Whole(1))
        };
        let at_once = self.inner.html_bodies.get();
        let (mut got, mut shown) = self
            .ticket_get_with_fields(n, params(u32::from(at_once)))
            .await?;
        let html = decode::has_html_body(&got.tickets);
        self.inner.html_bodies.set(html);
        if html && !at_once {
            (got, shown) = self.ticket_get_with_fields(n, params(1)).await?;
        }
        let mut ticket = decode::ticket(&got, &identity.login, &self.inner.settings)?;
        ticket.fields = shown;
        Ok(ticket)
    }

    async fn ticket_changed_at(&self, id: &TicketId) -> PortalResult<String> {
        // TicketGet without `AllArticles` brings no articles (znuny-api.md, 5.2). `Changed`
        // moves with every article, hidden ones included, so it only tells whether to look again.
        let got = self.ticket_get(ticket_number(id)?, Params::new()).await?;
        decode::changed_at(&got)
    }

    async fn latest_agent_replies(&self, ids: &[TicketId]) -> PortalResult<Vec<AgentReply>> {
        let ids: Vec<&str> = ids.iter().filter_map(|id| ticket_number(id).ok()).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // One TicketGet for all of them, each ticket with only its newest agent article a
        // customer may see (Znuny applies the sender filter, order and limit per ticket). With
        // the attachments' names (not their contents): an HTML body among them tells, before a
        // ticket is opened, that ticket reads need the contents (`html_bodies`).
        let params = Params::new()
            .with("AllArticles", Param::Whole(1))
            .with("ArticleSenderType", Param::Text("agent".into()))
            .with("ArticleOrder", Param::Text("DESC".into()))
            .with("ArticleLimit", Param::Whole(1))
            .with("Attachments", Param::Whole(1))
            .with("GetAttachmentContents", Param::Whole(0))
            .with("HTMLBodyAsAttachment", Param::Whole(1));
        let rows = self.ticket_get_each(&ids, params).await?;
        if decode::has_html_body(&rows) {
            self.inner.html_bodies.set(true);
        }
        Ok(decode::agent_replies(&rows))
    }

    async fn create_ticket(&self, t: &NewTicket) -> PortalResult<TicketId> {
        let identity = self.identity()?;
        let queue = t
            .group
            .clone()
            .or_else(|| self.inner.default_queue.clone())
            .ok_or_else(|| PortalError::new(ErrorKind::Setup, Msg::NoQueue))?;
        let mut body = map::create_body(t, &queue, &identity, &self.inner.settings);
        if let Some(dynamic) = fields::to_wire(&self.inner.fields, &t.fields) {
            body.insert("DynamicField", Param::Json(dynamic));
        }
        self.call(Operation::TicketCreate, &[], body, true, decode::created)
            .await
    }

    async fn reply(&self, ticket: &Ticket, reply: &Reply) -> PortalResult<Written> {
        let identity = self.identity()?;
        let body = map::reply_body(ticket, reply, &identity, &self.inner.settings)?;
        self.update(&ticket.summary.id, body).await?;
        // A reply to a closed ticket reopens it (`map::reply_body`); otherwise the state stays.
        Ok(if ticket.summary.state.category == StateCategory::Closed {
            map::written(&self.inner.settings.reopen_state, false, FollowUp::Allowed)
        } else {
            Written::default()
        })
    }

    async fn close(&self, ticket: &Ticket) -> PortalResult<Written> {
        let settings = &self.inner.settings;
        self.update(&ticket.summary.id, map::state_body(&settings.close_state))
            .await?;
        let follow_up = settings.follow_up(ticket.group.as_deref());
        Ok(map::written(&settings.close_state, true, follow_up))
    }

    async fn reopen(&self, ticket: &Ticket) -> PortalResult<Written> {
        if ticket.follow_up == FollowUp::Refused {
            return Err(map::refused());
        }
        let state = &self.inner.settings.reopen_state;
        self.update(&ticket.summary.id, map::state_body(state))
            .await?;
        Ok(map::written(state, false, FollowUp::Allowed))
    }

    async fn download(&self, a: &AttachmentRef) -> PortalResult<FileData> {
        // There is no single-attachment operation: read the ticket with contents and pick the file.
        let id = TicketId(a.ticket_id.clone());
        let n = ticket_number(&id)?;
        let params = Params::new()
            .with("AllArticles", Param::Whole(1))
            .with("Attachments", Param::Whole(1))
            .with("GetAttachmentContents", Param::Whole(1));
        let got = self.ticket_get(n, params).await?;
        decode::file(&got, a)
    }

    async fn inline_image(&self, _path: &str) -> PortalResult<FileData> {
        // Znuny's HTML refers to inline images by cid:, which the mapping already turned into
        // data: URLs (`map::inline_images`); there is no other path to load.
        Err(PortalError::not_found())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_session_reads_back() {
        let session = Session {
            id: "LZvSp1LslHzs30JcPgQ11xjXQNsV2kwy".into(),
            created_ms: 1_764_000_000_123.0,
            identity: Identity {
                login: "alice".into(),
                first_name: "Alice".into(),
                last_name: "Customer".into(),
                full_name: "Alice \"A\" Customer".into(),
                email: "alice@acme.example".into(),
                customer_id: "acme".into(),
            },
        };
        let text = http::json(&session);
        assert!(text.contains(r#""created_ms":1764000000123,"#), "{text}");
        let back = Session::read(&text).unwrap();
        assert_eq!(back.id, session.id);
        assert_eq!(back.created_ms, session.created_ms);
        assert_eq!(back.identity, session.identity);
        // As the previous build wrote it (`.0` on the time): still signed in after the update.
        let old = r#"{"id":"abc","created_ms":1764000000123.0,"identity":{"login":"alice","first_name":"","last_name":"","full_name":"","email":"","customer_id":""}}"#;
        let old = Session::read(old).unwrap();
        assert_eq!(old.created_ms, 1_764_000_000_123.0);
        assert_eq!(old.identity.login, "alice");
        // Anything less is no session.
        let partial = r#"{"id":"abc","created_ms":1,"identity":{"login":"alice"}}"#;
        assert!(Session::read(partial).is_none());
        assert!(Session::read("[\"abc\",1,{}]").is_none());
    }
}
