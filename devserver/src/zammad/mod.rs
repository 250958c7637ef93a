//! The fake Zammad REST API (`/api/v1`), following `docs/zammad-api.md`.
//!
//! Requests are routed by hand (not with axum's router) so that every quirk stays under our
//! control: Rails-style parameters, the order of authentication and CSRF checks, Zammad's
//! 404 for unknown routes, and the request log used by the test API.

pub mod account;
pub mod articles;
pub mod attributes;
pub mod auth;
pub mod errors;
pub mod hostile;
pub mod kb;
pub mod real_shapes;
pub mod render;
pub mod reply;
pub mod search;
pub mod store;
pub mod tickets;
pub mod tokens;
pub mod two_factor;

use crate::util::{now_ms, parse_rails_params};
use crate::AppState;
use auth::{AuthKind, Caller};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use errors::{ApiError, ApiResult};
use reply::{Reply, ReplyBody};
use serde_json::{json, Map, Value};
use store::Store;

/// Largest request body accepted (the stock nginx config allows 50 MB).
pub const MAX_BODY: usize = 70 * 1024 * 1024;

/// Failed password checks sleep this long (Zammad sleeps one second; kept short for tests).
pub const FAILED_LOGIN_DELAY_MS: u64 = 150;

/// One API request, independent of the HTTP library.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub method: Method,
    /// Full path, e.g. `/api/v1/tickets/101`.
    pub path: String,
    /// Raw query string without `?`.
    pub query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Per-request state handed to the route handlers.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub method: Method,
    pub headers: &'a HeaderMap,
    pub params: Map<String, Value>,
    pub now: i64,
    /// Set when a password check failed (the caller sleeps before answering).
    pub sleep: bool,
    pub caller: Option<Caller>,
}

impl Ctx<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn param(&self, key: &str) -> Option<&Value> {
        self.params.get(key)
    }

    pub fn flag(&self, key: &str) -> bool {
        crate::util::flag(self.params.get(key))
    }

    pub fn masked(&mut self) -> ApiError {
        ApiError::masked(&mut self.store.rng, 422)
    }

    /// The authenticated user (cloned to keep the borrow checker out of the handlers).
    pub fn user(&self) -> Result<store::User, ApiError> {
        self.caller
            .as_ref()
            .and_then(|c| self.store.user(c.user_id))
            .cloned()
            .ok_or_else(|| ApiError::forbidden(errors::AUTH_REQUIRED))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Route {
    Signshow,
    Signin,
    Signout,
    TwoFactorInitiate(String),
    UsersMe,
    UserShow(String),
    UsersSearch,
    Version,
    TokenList,
    TokenCreate,
    TokenDelete(String),
    TicketsIndex,
    TicketsSearch,
    TicketShow(String),
    TicketCreate,
    TicketUpdate(String),
    TicketDelete(String),
    ArticlesByTicket(String),
    ArticleShow(String),
    ArticleCreate,
    ArticleChange(String),
    Attachment(String, String, String),
    States,
    StateShow(String),
    Priorities,
    PriorityShow(String),
    Groups,
    GroupShow(String),
    TicketCreateScreen,
    CoreWorkflowPerform,
    PasswordResetSend,
    UserCreate,
    PasswordChange,
    KbSearch,
    KbAnswer(String),
    /// `GET /knowledge_bases/:id`: the knowledge base itself, for `knowledge_base.*` only.
    KbShow,
}

fn route(method: &Method, path: &str) -> Option<Route> {
    let rest = path.strip_prefix("/api/v1/")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let segs: Vec<&str> = rest.split('/').collect();
    let s = |i: usize| segs.get(i).map(|v| v.to_string()).unwrap_or_default();
    let m = method.as_str();
    Some(match (m, segs.as_slice()) {
        ("GET", ["signshow"]) => Route::Signshow,
        ("POST", ["signin"]) => Route::Signin,
        ("GET" | "DELETE", ["signout"]) => Route::Signout,
        ("POST", ["auth", "two_factor_initiate_authentication", _]) => {
            Route::TwoFactorInitiate(s(2))
        }
        ("GET", ["users", "me"]) => Route::UsersMe,
        ("POST", ["users", "password_reset"]) => Route::PasswordResetSend,
        ("POST", ["users", "password_change"]) => Route::PasswordChange,
        ("POST", ["users"]) => Route::UserCreate,
        ("GET" | "POST", ["users", "search"]) => Route::UsersSearch,
        ("GET", ["users", _]) => Route::UserShow(s(1)),
        ("GET", ["version"]) => Route::Version,
        ("GET", ["user_access_token"]) => Route::TokenList,
        ("POST", ["user_access_token"]) => Route::TokenCreate,
        ("DELETE", ["user_access_token", _]) => Route::TokenDelete(s(1)),
        ("GET", ["tickets"]) => Route::TicketsIndex,
        ("POST", ["tickets"]) => Route::TicketCreate,
        ("GET" | "POST", ["tickets", "search"]) => Route::TicketsSearch,
        ("GET", ["tickets", _]) => Route::TicketShow(s(1)),
        ("PUT" | "PATCH", ["tickets", _]) => Route::TicketUpdate(s(1)),
        ("DELETE", ["tickets", _]) => Route::TicketDelete(s(1)),
        ("GET", ["ticket_articles", "by_ticket", _]) => Route::ArticlesByTicket(s(2)),
        ("GET", ["ticket_articles", _]) => Route::ArticleShow(s(1)),
        ("POST", ["ticket_articles"]) => Route::ArticleCreate,
        ("PUT" | "PATCH" | "DELETE", ["ticket_articles", _]) => Route::ArticleChange(s(1)),
        ("GET", ["ticket_attachment", _, _, _]) => Route::Attachment(s(1), s(2), s(3)),
        ("GET", ["ticket_states"]) => Route::States,
        ("GET", ["ticket_states", _]) => Route::StateShow(s(1)),
        ("GET", ["ticket_priorities"]) => Route::Priorities,
        ("GET", ["ticket_priorities", _]) => Route::PriorityShow(s(1)),
        ("GET", ["groups"]) => Route::Groups,
        ("GET", ["groups", _]) => Route::GroupShow(s(1)),
        ("GET", ["ticket_create"]) => Route::TicketCreateScreen,
        ("POST", ["core_workflows", "perform"]) => Route::CoreWorkflowPerform,
        ("POST", ["knowledge_bases", "search"]) => Route::KbSearch,
        ("GET", ["knowledge_bases", _]) => Route::KbShow,
        ("GET", ["knowledge_bases", _, "answers", _]) => Route::KbAnswer(s(3)),
        _ => return None,
    })
}

fn not_found_route(store: &Store, method: &Method, path: &str) -> ApiError {
    if store.version == store::ZVersion::V5 {
        ApiError::new(
            404,
            format!("No route matches [{}] {}", method.as_str(), path),
        )
    } else {
        ApiError::new(404, "This page doesn't exist.")
    }
}

/// The fixed preflight answer (fixture 37).
pub fn cors_headers() -> Vec<(String, String)> {
    vec![
        ("Access-Control-Allow-Origin".into(), "*".into()),
        (
            "Access-Control-Allow-Methods".into(),
            "POST, GET, PUT, DELETE, PATCH, OPTIONS".into(),
        ),
        (
            "Access-Control-Allow-Headers".into(),
            "Content-Type, Depth, User-Agent, X-File-Size, X-Requested-With, If-Modified-Since, X-File-Name, Cache-Control, Accept-Language".into(),
        ),
        ("Access-Control-Max-Age".into(), "1728000".into()),
    ]
}

/// Body parameters the way Rails reads them: JSON only with a JSON content type, form
/// bodies for `application/x-www-form-urlencoded`, anything else is ignored.
fn body_params(req: &ApiRequest) -> Result<Map<String, Value>, ()> {
    if req.body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Map::new());
    }
    let ct = req
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.contains("json") {
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(other) => {
                let mut m = Map::new();
                m.insert("_json".into(), other);
                Ok(m)
            }
            Err(_) => Err(()),
        }
    } else if ct.contains("application/x-www-form-urlencoded") {
        Ok(parse_rails_params(&String::from_utf8_lossy(&req.body)))
    } else {
        Ok(Map::new())
    }
}

/// Handles one API request against the store. Returns the reply and whether the caller
/// should sleep (failed password check) before sending it.
pub fn handle(store: &mut Store, req: &ApiRequest, now: i64) -> (Reply, bool) {
    let (mut reply, sleep) = process(store, req, now);
    if prefers_html(&req.headers) && reply.status >= 400 {
        if let ReplyBody::Json(v) = &reply.body {
            let text = v
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("Error")
                .to_string();
            reply.body = ReplyBody::Raw {
                content_type: "text/html; charset=utf-8".into(),
                data: html_error_page(reply.status, &text).into_bytes(),
            };
        }
    }
    log_request(store, req, reply.status);
    (reply, sleep)
}

/// Rails renders errors as HTML when the request does not ask for JSON (no `Accept`, or a
/// browser navigation that prefers `text/html`).
fn prefers_html(headers: &HeaderMap) -> bool {
    match headers.get("accept").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(a) => {
            let a = a.to_ascii_lowercase();
            a.contains("text/html") && !a.contains("application/json")
        }
    }
}

fn html_error_page(status: u16, text: &str) -> String {
    let esc = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Zammad - {status}</title></head>\
         <body><h1>{status}: Sorry, but the request could not be processed.</h1><p>{esc}</p></body></html>\n"
    )
}

fn process(store: &mut Store, req: &ApiRequest, now: i64) -> (Reply, bool) {
    if req.method == Method::OPTIONS {
        let mut r = Reply::raw(200, "text/plain; charset=utf-8", Vec::new());
        r.headers = cors_headers();
        return (r, false);
    }
    let method = if req.method == Method::HEAD {
        Method::GET
    } else {
        req.method.clone()
    };
    let route = route(&method, &req.path)
        .filter(|r| store.version.has_two_factor() || !matches!(r, Route::TwoFactorInitiate(_)));
    let Some(route) = route else {
        return (not_found_route(store, &req.method, &req.path).into(), false);
    };
    // Zammad 7.0 routes only `PUT` to a ticket update (zammad-api.md, 9.14).
    if store.version == store::ZVersion::V7
        && req.method == Method::PATCH
        && matches!(route, Route::TicketUpdate(_))
    {
        return (not_found_route(store, &req.method, &req.path).into(), false);
    }
    let mut params = parse_rails_params(&req.query);
    match body_params(req) {
        Ok(body) => params.extend(body),
        Err(()) => {
            let e = ApiError::masked(&mut store.rng, 400);
            return (e.into(), false);
        }
    }
    let mut ctx = Ctx {
        store,
        method,
        headers: &req.headers,
        params,
        now,
        sleep: false,
        caller: None,
    };
    let result = run(&mut ctx, route);
    let sleep = ctx.sleep;
    // Rails' after_action (prevents_csrf.rb) runs only when the action did not raise: an
    // answer the action rendered itself (the two-factor challenge, say) gets a token, an error
    // does not.
    let raised = result.is_err();
    let mut reply = match result {
        Ok(r) => r,
        Err(e) => e.into(),
    };
    let api_auth = matches!(
        ctx.caller.as_ref().map(|c| &c.kind),
        Some(AuthKind::Basic) | Some(AuthKind::Token(_))
    );
    // The session the request ended in: the one signin started, else the cookie's one.
    let session = match ctx.caller.as_ref().map(|c| &c.kind) {
        Some(AuthKind::Session(sid)) if ctx.store.sessions.contains_key(sid) => ctx
            .store
            .sessions
            .get(sid)
            .map(|s| (sid.clone(), s.user_id)),
        _ => auth::session_user(&ctx),
    };
    let acted_as = ctx
        .caller
        .as_ref()
        .map(|c| c.user_id)
        .or(session.as_ref().map(|s| s.1))
        .map(|id| ctx.store.user_login(id));
    if api_auth {
        if reply.status < 400 {
            reply.headers.extend(cors_headers());
        }
    } else if !raised {
        let t = ctx.store.issue_csrf(session.map(|s| s.0));
        reply.headers.push(("CSRF-TOKEN".into(), t));
    }
    ctx.store.last_acted_as = acted_as;
    (reply, sleep)
}

fn run(ctx: &mut Ctx, route: Route) -> ApiResult {
    match route {
        Route::Signshow => return auth::signshow(ctx),
        Route::Signin => return auth::signin(ctx),
        Route::Signout => return auth::signout(ctx),
        Route::TwoFactorInitiate(method) => return auth::initiate_two_factor(ctx, &method),
        Route::PasswordResetSend => return account::password_reset_send(ctx),
        Route::UserCreate => return account::create(ctx),
        Route::KbSearch => return kb::search(ctx),
        _ => {}
    }
    let caller =
        auth::authenticate(ctx)?.ok_or_else(|| ApiError::forbidden(errors::AUTH_REQUIRED))?;
    let is_session = matches!(caller.kind, AuthKind::Session(_));
    ctx.caller = Some(caller);
    if is_session && ctx.method != Method::GET {
        auth::verify_csrf(ctx)?;
    }
    match route {
        Route::UsersMe => auth::users_me(ctx),
        Route::PasswordChange => account::password_change(ctx),
        Route::UserShow(id) => auth::user_show(ctx, &id),
        Route::UsersSearch => auth::users_search(ctx),
        Route::Version => auth::version(ctx),
        Route::TokenList => tokens::list(ctx),
        Route::TokenCreate => tokens::create(ctx),
        Route::TokenDelete(id) => tokens::delete(ctx, &id),
        Route::TicketsIndex => tickets::index(ctx),
        Route::TicketsSearch => tickets::search(ctx),
        Route::TicketShow(id) => tickets::show(ctx, &id),
        Route::TicketCreate => tickets::create(ctx),
        Route::TicketUpdate(id) => tickets::update(ctx, &id),
        Route::TicketDelete(id) => tickets::delete(ctx, &id),
        Route::ArticlesByTicket(id) => articles::by_ticket(ctx, &id),
        Route::ArticleShow(id) => articles::show(ctx, &id),
        Route::ArticleCreate => articles::create(ctx),
        Route::ArticleChange(id) => articles::change(ctx, &id),
        Route::Attachment(t, a, f) => articles::download(ctx, &t, &a, &f),
        Route::States => tickets::states(ctx, None),
        Route::StateShow(id) => tickets::states(ctx, Some(&id)),
        Route::Priorities => tickets::priorities(ctx, None),
        Route::PriorityShow(id) => tickets::priorities(ctx, Some(&id)),
        Route::Groups => tickets::groups(ctx, None),
        Route::GroupShow(id) => tickets::groups(ctx, Some(&id)),
        Route::TicketCreateScreen => tickets::ticket_create(ctx),
        Route::CoreWorkflowPerform => tickets::core_workflow_perform(ctx),
        Route::KbAnswer(id) => kb::answer_show(ctx, &id),
        Route::KbShow => Err(ApiError::forbidden(errors::NOT_AUTHORIZED)),
        Route::KbSearch
        | Route::Signshow
        | Route::Signin
        | Route::Signout
        | Route::TwoFactorInitiate(_)
        | Route::PasswordResetSend
        | Route::UserCreate => Err(ApiError::new(500, "unreachable")),
    }
}

fn log_request(store: &mut Store, req: &ApiRequest, status: u16) {
    let mut headers = Map::new();
    for name in [
        "authorization",
        "x-csrf-token",
        "content-type",
        "accept",
        "from",
        "x-on-behalf-of",
        "x-forwarded-prefix",
    ] {
        if let Some(v) = req.headers.get(name).and_then(|v| v.to_str().ok()) {
            headers.insert(name.into(), v.into());
        }
    }
    headers.insert("cookie".into(), req.headers.contains_key("cookie").into());
    let body = if req.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice::<Value>(&req.body).unwrap_or(Value::Null)
    };
    let entry = json!({
        "method": req.method.as_str(),
        "path": req.path,
        "query": req.query,
        "params": Value::Object(parse_rails_params(&req.query)),
        "headers": headers,
        "body": body,
        "status": status,
        // Whom Zammad took the caller for (cookie first, then Basic, then token).
        "acted_as": store.last_acted_as.take(),
        "at": crate::util::iso(now_ms()),
        "received_ms": crate::latency::round(crate::latency::clock_ms()),
    });
    store.request_log.push(entry);
}

/// Where the dev server also answers as the fake Zammad, the way a reverse proxy maps the API
/// to another path (`api_base` `/zammad-proxy/api/v1`): `/zammad-proxy/api/v1/…` is handled as
/// `/api/v1/…` and logged with an `x-forwarded-prefix` header, so tests can tell which way a
/// request came.
pub const PROXY_PREFIX: &str = "/zammad-proxy";

/// axum handler for everything under `PROXY_PREFIX`.
pub async fn proxied_handler(state: State<AppState>, mut req: Request) -> Response {
    let uri = req.uri().clone();
    let path = uri.path().strip_prefix(PROXY_PREFIX).unwrap_or(uri.path());
    let target = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    if let Ok(rewritten) = target.parse() {
        *req.uri_mut() = rewritten;
    }
    req.headers_mut().insert(
        "x-forwarded-prefix",
        axum::http::HeaderValue::from_static(PROXY_PREFIX),
    );
    axum_handler(state, req).await
}

/// axum handler for everything under `/api/`.
pub async fn axum_handler(State(app): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let head = parts.method == Method::HEAD;
    if app.backend != crate::Backend::Zammad {
        let r = Reply::raw(
            404,
            "text/plain; charset=utf-8",
            b"not found (the server runs the fake Znuny)\n".to_vec(),
        );
        return r.into_http(head);
    }
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let r = Reply::json(
                413,
                json!({"error": "Request Entity Too Large", "error_human": "Request Entity Too Large"}),
            );
            return r.into_http(head);
        }
    };
    let api_req = ApiRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers.clone(),
        body: bytes.to_vec(),
    };
    let fault = app.faults.draw(
        api_req.method.as_str(),
        &api_req.path,
        None,
        crate::faults::fingerprint(
            api_req.method.as_str(),
            &api_req.path,
            &api_req.query,
            &api_req.body,
        ),
    );
    if let Some(f) = fault.as_ref().filter(|f| !f.commits()) {
        {
            let mut store = app.lock();
            log_request(&mut store, &api_req, 0);
            f.mark(store.request_log.last_mut());
        }
        say_request(&app, &api_req, &format!("fault {}", f.kind.name()));
        return app.faults.refuse(f).await;
    }
    let arrived = crate::latency::clock_ms();
    let (reply, delay) = {
        let mut store = app.lock();
        let before = store.request_log.len();
        let (reply, sleep) = handle(&mut store, &api_req, now_ms());
        if let Some(f) = &fault {
            f.mark(store.request_log.last_mut());
        }
        let mut delay =
            app.latency
                .zammad(api_req.method.as_str(), &api_req.path, answer_size(&reply));
        if sleep {
            delay += std::time::Duration::from_millis(FAILED_LOGIN_DELAY_MS);
        }
        let logged = store.request_log.len() == before + 1;
        crate::latency::stamp(&mut store.request_log, logged, arrived, delay);
        (reply, delay)
    };
    tokio::time::sleep(delay).await;
    let outcome = match &fault {
        Some(f) => format!("{} (fault {} after it)", reply.status, f.kind.name()),
        None => reply.status.to_string(),
    };
    say_request(&app, &api_req, &outcome);
    let resp = reply.into_http(head);
    match fault {
        Some(f) => app.faults.spoil(&f, resp).await,
        None => resp,
    }
}

/// Rows and articles in an answer, for `--latency` (lists, searches, article lists).
fn answer_size(reply: &Reply) -> crate::latency::Size {
    let Some(body) = reply.json_body() else {
        return Default::default();
    };
    let rows = body
        .as_array()
        .or_else(|| body.get("records").and_then(Value::as_array))
        .or_else(|| body.get("tickets").and_then(Value::as_array))
        .map_or(0, Vec::len);
    let articles = body.as_array().map_or(0, |a| {
        a.iter().filter(|r| r.get("ticket_id").is_some()).count()
    });
    crate::latency::Size {
        tickets: rows - articles,
        articles,
    }
}

fn say_request(app: &AppState, req: &ApiRequest, outcome: &str) {
    if !app.quiet {
        let query = if req.query.is_empty() {
            String::new()
        } else {
            format!("?{}", req.query)
        };
        crate::util::say(&format!(
            "{} {}{} -> {outcome}",
            req.method, req.path, query
        ));
    }
}
