//! The fake Znuny Generic Interface (REST), following `docs/znuny-api.md` and the
//! exchanges recorded on Znuny 7.1.7 in `fixtures/znuny-7.1.7/`.
//!
//! One web service, `GenericTicketConnectorREST` (also `WebserviceID/1`), below
//! `/znuny/nph-genericinterface.pl/` and `/otrs/nph-genericinterface.pl/`. The transport
//! (route matching, input assembly, the three error layers) is a port of
//! `Kernel/GenericInterface/Transport/HTTP/REST.pm`; the operations follow
//! `Kernel/GenericInterface/Operation/{Session,Ticket}/*.pm`.

pub mod hostile;
pub mod html;
pub mod json;
pub mod ops;
pub mod render;
pub mod seed;
pub mod store;
pub mod test_api;

use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use std::net::SocketAddr;
use store::{Routes, Store};

/// `MaxLength` of both shipped web service examples.
pub const MAX_LENGTH: usize = 100_000_000;
pub const WEBSERVICE_NAME: &str = "GenericTicketConnectorREST";
pub const WEBSERVICE_ID: &str = "1";
/// The script aliases served (Znuny 7 and Znuny 6 / OTRS).
pub const SCRIPT_ALIASES: [&str; 2] = ["/znuny/", "/otrs/"];

/// One request as the transport sees it.
#[derive(Debug, Clone)]
pub struct GiRequest {
    pub method: Method,
    /// The full path (still percent-encoded), e.g. `/znuny/nph-genericinterface.pl/…`.
    pub path: String,
    /// The raw query string without `?`.
    pub query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub remote_addr: String,
}

/// What the fake answers.
#[derive(Debug, Clone, PartialEq)]
pub enum GiReply {
    /// HTTP 200, `application/json; charset=UTF-8` (results and business errors).
    Json(Value),
    /// HTTP 500 `text/plain` with the JSON text `{"faultcode":"Server","faultstring":…}`.
    Fault(String),
    /// A transport error: status and plain text.
    Text(u16, String),
    /// The web server's own 500 (no valid web service, or the operation died).
    Bare500,
    /// Not a Generic Interface URL at all.
    NotFound,
}

impl GiReply {
    pub fn status(&self) -> u16 {
        match self {
            GiReply::Json(_) => 200,
            GiReply::Fault(_) | GiReply::Bare500 => 500,
            GiReply::Text(s, _) => *s,
            GiReply::NotFound => 404,
        }
    }

    /// Content type and body bytes.
    pub fn content(&self) -> (&'static str, Vec<u8>) {
        match self {
            GiReply::Json(v) => (
                "application/json; charset=UTF-8",
                json::encode(v).into_bytes(),
            ),
            GiReply::Fault(msg) => (
                "text/plain; charset=UTF-8",
                json::encode(&json!({"faultcode": "Server", "faultstring": msg})).into_bytes(),
            ),
            GiReply::Text(_, t) => ("text/plain; charset=UTF-8", t.clone().into_bytes()),
            GiReply::Bare500 => (
                "text/html; charset=iso-8859-1",
                APACHE_500.as_bytes().to_vec(),
            ),
            GiReply::NotFound => (
                "text/html; charset=iso-8859-1",
                APACHE_404.as_bytes().to_vec(),
            ),
        }
    }

    /// The HTTP response: only `Content-Type`, `Content-Length` and `Connection: Keep-Alive`.
    pub fn into_http(self, head: bool) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (ct, data) = self.content();
        let len = data.len();
        let body = if head {
            Body::empty()
        } else {
            Body::from(data)
        };
        let mut resp = (status, body).into_response();
        let h = resp.headers_mut();
        h.clear();
        h.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static(ct),
        );
        h.insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(len));
        h.insert(
            axum::http::header::CONNECTION,
            HeaderValue::from_static("Keep-Alive"),
        );
        resp
    }
}

const APACHE_500: &str = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>500 Internal Server Error</title>\n</head><body>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n<p>Please contact the server administrator at \n webmaster@localhost to inform them of the time this error occurred,\n and the actions you performed just before this error.</p>\n<p>More information about this error may be available\nin the server error log.</p>\n</body></html>\n";

const APACHE_404: &str = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n";

/// The operations of the shipped examples (with their operation type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    SessionCreate,
    SessionGet,
    SessionRemove,
    TicketCreate,
    TicketGet,
    TicketHistoryGet,
    TicketSearch,
    TicketUpdate,
    PublicFAQSearch,
    PublicFAQGet,
}

/// One `RouteOperationMapping` entry.
#[derive(Clone, Copy, Debug)]
pub struct RouteDef {
    pub operation: &'static str,
    pub kind: OpKind,
    pub method: &'static str,
    pub route: &'static str,
}

/// The route table, sorted by operation name (Perl's `sort keys`, i.e. byte order).
pub fn route_table(routes: Routes) -> Vec<RouteDef> {
    let r = |operation, kind, method, route| RouteDef {
        operation,
        kind,
        method,
        route,
    };
    let mut t = match routes {
        Routes::Znuny7 => vec![
            r("SessionCreate", OpKind::SessionCreate, "POST", "/Session"),
            r(
                "SessionDelete",
                OpKind::SessionRemove,
                "DELETE",
                "/Session/:SessionID",
            ),
            r(
                "SessionGet",
                OpKind::SessionGet,
                "GET",
                "/Session/:SessionID",
            ),
            r("TicketCreate", OpKind::TicketCreate, "POST", "/Ticket"),
            r("TicketGet", OpKind::TicketGet, "GET", "/Ticket/:TicketID"),
            r(
                "TicketHistoryGet",
                OpKind::TicketHistoryGet,
                "GET",
                "/Ticket/History/:TicketID",
            ),
            r(
                "TicketSearch",
                OpKind::TicketSearch,
                "POST",
                "/Ticket/Search",
            ),
            r(
                "TicketUpdate",
                OpKind::TicketUpdate,
                "PATCH",
                "/Ticket/:TicketID",
            ),
        ],
        Routes::Znuny6 => vec![
            r("SessionCreate", OpKind::SessionCreate, "POST", "/Session"),
            r(
                "SessionGet",
                OpKind::SessionGet,
                "GET",
                "/Session/:SessionID",
            ),
            r("TicketCreate", OpKind::TicketCreate, "POST", "/Ticket"),
            r("TicketGet", OpKind::TicketGet, "GET", "/Ticket/:TicketID"),
            r("TicketGetList", OpKind::TicketGet, "GET", "/TicketList"),
            r(
                "TicketHistoryGet",
                OpKind::TicketHistoryGet,
                "GET",
                "/TicketHistory/:TicketID",
            ),
            r("TicketSearch", OpKind::TicketSearch, "GET", "/Ticket"),
            r(
                "TicketUpdate",
                OpKind::TicketUpdate,
                "PATCH",
                "/Ticket/:TicketID",
            ),
        ],
    };
    t.sort_by(|a, b| a.operation.as_bytes().cmp(b.operation.as_bytes()));
    t
}

/// The route table with the FAQ add-on's public operations mapped where `faq` is on (the demo's
/// web service; the stock examples have none): `POST /FAQ/Search`, `GET /FAQ/:ItemID`.
pub fn routes_with_faq(routes: Routes, faq: bool) -> Vec<RouteDef> {
    let mut t = route_table(routes);
    if faq {
        t.push(RouteDef {
            operation: "PublicFAQGet",
            kind: OpKind::PublicFAQGet,
            method: "GET",
            route: "/FAQ/:ItemID",
        });
        t.push(RouteDef {
            operation: "PublicFAQSearch",
            kind: OpKind::PublicFAQSearch,
            method: "POST",
            route: "/FAQ/Search",
        });
        t.sort_by(|a, b| a.operation.as_bytes().cmp(b.operation.as_bytes()));
    }
    t
}

/// Matches `uri` against a route (anchored at both ends; `:Name` is one non-empty segment).
/// Returns the captured (unescaped) route parameters.
pub fn match_route(route: &str, uri: &str) -> Option<Vec<(String, String)>> {
    let rs: Vec<&str> = route.split('/').collect();
    let us: Vec<&str> = uri.split('/').collect();
    if rs.len() != us.len() {
        return None;
    }
    let mut params = Vec::new();
    for (r, u) in rs.iter().zip(us.iter()) {
        if let Some(name) = r.strip_prefix(':') {
            if u.is_empty() {
                return None;
            }
            params.push((
                name.to_string(),
                String::from_utf8_lossy(&crate::util::percent_decode(u)).into_owned(),
            ));
        } else if r != u {
            return None;
        }
    }
    Some(params)
}

/// Splits the query like REST.pm: on `&` or `;`, `+` is a space, repeated keys become
/// arrays, and the first value of a key is replaced by `""` when it is false in Perl (`0`).
pub fn parse_query(q: &str) -> Map<String, Value> {
    let mut out = Map::new();
    if q.is_empty() {
        return out;
    }
    for pair in q.split(['&', ';']) {
        let mut it = pair.splitn(3, '=');
        let k = it.next().unwrap_or("");
        let v = it.next().unwrap_or("");
        let key = String::from_utf8_lossy(&crate::util::percent_decode(k)).into_owned();
        let value = String::from_utf8_lossy(&crate::util::percent_decode(&v.replace('+', "%20")))
            .into_owned();
        match out.get_mut(&key) {
            None => {
                let first = if value.is_empty() || value == "0" {
                    String::new()
                } else {
                    value
                };
                out.insert(key, Value::String(first));
            }
            Some(Value::Array(a)) => a.push(Value::String(value)),
            Some(existing) => {
                let prev = existing.take();
                *existing = Value::Array(vec![prev, Value::String(value)]);
            }
        }
    }
    out
}

/// JSON `true`/`false` become 1/0 (as Kernel::System::JSON decodes them).
fn booleans_to_numbers(v: &mut Value) {
    match v {
        Value::Bool(b) => *v = Value::from(u8::from(*b)),
        Value::Array(a) => a.iter_mut().for_each(booleans_to_numbers),
        Value::Object(m) => m.values_mut().for_each(booleans_to_numbers),
        _ => {}
    }
}

/// Perl truthiness of a JSON value.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !(s.is_empty() || s == "0"),
        Some(Value::Number(n)) => n.as_f64().map(|f| f != 0.0).unwrap_or(true),
        Some(Value::Array(_)) | Some(Value::Object(_)) => true,
    }
}

/// The operation input: a hash, or (for a JSON array body) a list.
#[derive(Debug, Clone)]
pub enum Data {
    Hash(Map<String, Value>),
    List(Vec<Value>),
}

/// Where the request ended up (for the log).
pub struct Dispatch {
    pub reply: GiReply,
    pub operation: Option<&'static str>,
}

/// Handles one request against the store.
pub fn handle(store: &mut Store, req: &GiRequest) -> GiReply {
    let d = dispatch(store, req);
    log_request(store, req, &d);
    d.reply
}

/// Where a path points: not at the Generic Interface, at a web service that does not exist,
/// or at ours, with the URI after it (REST.pm: the whole path when nothing follows it).
enum Target {
    NotGi,
    NoWebservice,
    Uri(String),
}

fn target(path: &str) -> Target {
    // Provider.pm: find the web service by name or ID.
    let Some(rest) = SCRIPT_ALIASES.iter().find_map(|a| {
        path.strip_prefix(a)
            .and_then(|r| r.strip_prefix("nph-genericinterface.pl/"))
    }) else {
        return Target::NotGi;
    };
    let (ws, after) = if let Some(r) = rest.strip_prefix("Webservice/") {
        let name_end = r.find('/').unwrap_or(r.len());
        let name =
            String::from_utf8_lossy(&crate::util::percent_decode(&r[..name_end])).into_owned();
        (name == WEBSERVICE_NAME, &r[name_end..])
    } else if let Some(r) = rest.strip_prefix("WebserviceID/") {
        let id_end = r.find('/').unwrap_or(r.len());
        let id = &r[..id_end];
        (
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && id == WEBSERVICE_ID,
            &r[id_end..],
        )
    } else {
        (false, "")
    };
    if !ws {
        return Target::NoWebservice;
    }
    Target::Uri(if after.starts_with('/') {
        after.to_string()
    } else {
        path.to_string()
    })
}

/// The route REST.pm picks for a method and URI (the first match in operation order).
fn find_route(
    routes: Routes,
    faq: bool,
    method: &str,
    uri: &str,
) -> Option<(RouteDef, Vec<(String, String)>)> {
    routes_with_faq(routes, faq)
        .into_iter()
        .filter(|r| r.method == method)
        .find_map(|r| match_route(r.route, uri).map(|params| (r, params)))
}

/// The operation the router would choose for a request (for fault rules and the log).
pub fn operation_of(routes: Routes, faq: bool, method: &str, path: &str) -> Option<&'static str> {
    match target(path) {
        Target::Uri(uri) => find_route(routes, faq, method, &uri).map(|(r, _)| r.operation),
        _ => None,
    }
}

fn dispatch(store: &mut Store, req: &GiRequest) -> Dispatch {
    let none = |reply| Dispatch {
        reply,
        operation: None,
    };
    let uri = match target(&req.path) {
        Target::NotGi => return none(GiReply::NotFound),
        Target::NoWebservice => return none(GiReply::Bare500),
        Target::Uri(uri) => uri,
    };
    let mut uri_data = parse_query(&req.query);
    let method = req.method.as_str();
    let found =
        find_route(store.settings.routes, store.settings.faq, method, &uri).map(|(r, params)| {
            for (k, v) in params {
                uri_data.insert(k, Value::String(v));
            }
            r
        });
    for (header, key) in [
        ("x-otrs-header-customeruserlogin", "CustomerUserLogin"),
        ("x-otrs-header-impersonateasuser", "ImpersonateAsUser"),
        ("x-otrs-header-password", "Password"),
        ("x-otrs-header-sessionid", "SessionID"),
        ("x-otrs-header-twofactortoken", "TwoFactorToken"),
        ("x-otrs-header-userlogin", "UserLogin"),
    ] {
        if let Some(v) = req.headers.get(header).and_then(|v| v.to_str().ok()) {
            if !v.is_empty() {
                uri_data.insert(key.into(), Value::String(v.to_string()));
            }
        }
    }
    let Some(route) = found else {
        return none(GiReply::Text(
            500,
            format!("HTTP::REST Error while determine Operation for request URI '{uri}'."),
        ));
    };
    let op = Some(route.operation);
    let length: usize = req
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let data = if length == 0 || method == "GET" {
        uri_data.insert("RequestMethod".into(), Value::String(method.to_string()));
        Data::Hash(uri_data)
    } else {
        if length > MAX_LENGTH {
            return Dispatch {
                reply: GiReply::Text(413, "Content Too Large".into()),
                operation: op,
            };
        }
        let ct = req
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        // CGI swallows form bodies as parameters; nothing is left to read.
        let form = ct.starts_with("application/x-www-form-urlencoded")
            || ct.starts_with("multipart/form-data");
        let mut content: &[u8] = if form { &[] } else { &req.body };
        if content.is_empty() {
            return Dispatch {
                reply: GiReply::Text(500, "Could not read input data".into()),
                operation: op,
            };
        }
        // BOMs are removed (only a leading one matters here).
        if content.starts_with(&[0xef, 0xbb, 0xbf]) {
            content = &content[3..];
        }
        let decoded: Option<Value> = serde_json::from_slice(content).ok();
        let mut decoded = match decoded {
            Some(v) if truthy(Some(&v)) || matches!(v, Value::Object(_) | Value::Array(_)) => v,
            _ => {
                return Dispatch {
                    reply: GiReply::Text(500, "Error while decoding request content.".into()),
                    operation: op,
                }
            }
        };
        booleans_to_numbers(&mut decoded);
        match decoded {
            Value::Object(mut m) if !m.is_empty() => {
                for (k, v) in uri_data {
                    m.insert(k, v);
                }
                Data::Hash(m)
            }
            Value::Array(a) if !a.is_empty() => Data::List(
                a.into_iter()
                    .map(|e| match e {
                        Value::Object(mut m) if !m.is_empty() => {
                            for (k, v) in &uri_data {
                                m.insert(k.clone(), v.clone());
                            }
                            Value::Object(m)
                        }
                        other => other,
                    })
                    .collect(),
            ),
            _ => {
                return Dispatch {
                    reply: GiReply::Text(500, "Unsupported request content structure.".into()),
                    operation: op,
                }
            }
        }
    };
    let ctx = ops::Ctx {
        remote_addr: req.remote_addr.clone(),
        user_agent: req
            .headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    };
    let result = ops::run(store, route.kind, data, &ctx);
    Dispatch {
        reply: result.into_reply(),
        operation: op,
    }
}

fn log_request(store: &mut Store, req: &GiRequest, d: &Dispatch) {
    log_entry(store, req, d.reply.status(), d.operation);
}

fn log_entry(store: &mut Store, req: &GiRequest, status: u16, operation: Option<&str>) {
    let mut headers = Map::new();
    for (name, value) in req.headers.iter() {
        let n = name.as_str();
        if n.starts_with("x-otrs-header-")
            || [
                "content-type",
                "accept",
                "origin",
                "authorization",
                "user-agent",
            ]
            .contains(&n)
        {
            if let Ok(v) = value.to_str() {
                headers.insert(n.to_string(), Value::String(v.to_string()));
            }
        }
    }
    headers.insert("cookie".into(), req.headers.contains_key("cookie").into());
    let body = if req.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice::<Value>(&req.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&req.body).into_owned()))
    };
    // As an access log writes it: the request target exactly as sent (path and query).
    let target = match req.query.as_str() {
        "" => req.path.clone(),
        q => format!("{}?{q}", req.path),
    };
    let entry = json!({
        "method": req.method.as_str(),
        "request_line": format!("{} {target} HTTP/1.1", req.method),
        "path": req.path,
        "query": req.query,
        "params": Value::Object(parse_query(&req.query)),
        "headers": headers,
        "body": body,
        "status": status,
        "operation": operation,
        "at": crate::util::iso(store.now_ms()),
        "received_ms": crate::latency::round(crate::latency::clock_ms()),
    });
    store.request_log.push(entry);
}

/// axum handler for everything below `/znuny/` and `/otrs/`.
pub async fn axum_handler(State(app): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let head = parts.method == Method::HEAD;
    if app.backend != crate::Backend::Znuny {
        let mut r = (
            StatusCode::NOT_FOUND,
            "not found (the server runs the fake Zammad; start with --backend znuny)\n",
        )
            .into_response();
        r.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return r;
    }
    let declared: usize = parts
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    // Bodies above MaxLength are refused from the header alone (REST.pm reads the length first).
    let bytes = if declared > MAX_LENGTH {
        Vec::new()
    } else {
        match axum::body::to_bytes(body, MAX_LENGTH).await {
            Ok(b) => b.to_vec(),
            Err(_) => return GiReply::Text(413, "Content Too Large".into()).into_http(head),
        }
    };
    let remote_addr = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "127.0.0.1".to_string());
    let gi = GiRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers.clone(),
        body: bytes,
        remote_addr,
    };
    let (routes, faq) = {
        let s = &app.lock_znuny().settings;
        (s.routes, s.faq)
    };
    let operation = operation_of(routes, faq, gi.method.as_str(), &gi.path);
    let fault = app.faults.draw(
        gi.method.as_str(),
        &gi.path,
        operation,
        crate::faults::fingerprint(gi.method.as_str(), &gi.path, &gi.query, &gi.body),
    );
    if let Some(f) = fault.as_ref().filter(|f| !f.commits()) {
        {
            let mut store = app.lock_znuny();
            log_entry(&mut store, &gi, 0, operation);
            f.mark(store.request_log.last_mut());
        }
        say_request(&app, &gi, &format!("fault {}", f.kind.name()));
        return app.faults.refuse(f).await;
    }
    let arrived = crate::latency::clock_ms();
    let (reply, delay) = {
        let mut store = app.lock_znuny();
        let before = store.request_log.len();
        let reply = handle(&mut store, &gi);
        if let Some(f) = &fault {
            f.mark(store.request_log.last_mut());
        }
        let delay = app.latency.znuny(operation, answer_size(&reply));
        let logged = store.request_log.len() == before + 1;
        crate::latency::stamp(&mut store.request_log, logged, arrived, delay);
        (reply, delay)
    };
    tokio::time::sleep(delay).await;
    let outcome = match &fault {
        Some(f) => format!("{} (fault {} after it)", reply.status(), f.kind.name()),
        None => reply.status().to_string(),
    };
    say_request(&app, &gi, &outcome);
    let resp = reply.into_http(head);
    match fault {
        Some(f) => app.faults.spoil(&f, resp).await,
        None => resp,
    }
}

/// Tickets and articles in a TicketGet answer, for `--latency`.
fn answer_size(reply: &GiReply) -> crate::latency::Size {
    let GiReply::Json(body) = reply else {
        return Default::default();
    };
    let tickets = body.get("Ticket").and_then(Value::as_array);
    crate::latency::Size {
        tickets: tickets.map_or(0, Vec::len),
        articles: tickets.map_or(0, |t| {
            t.iter()
                .filter_map(|t| t.get("Article").and_then(Value::as_array))
                .map(Vec::len)
                .sum()
        }),
    }
}

fn say_request(app: &AppState, gi: &GiRequest, outcome: &str) {
    if !app.quiet {
        let query = if gi.query.is_empty() {
            String::new()
        } else {
            format!("?{}", gi.query)
        };
        crate::util::say(&format!("{} {}{} -> {outcome}", gi.method, gi.path, query));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parsing_like_rest_pm() {
        let q = parse_query("a=1&a=2;b=x+y&c=0&d&e=%41&c=0");
        assert_eq!(q["a"], json!(["1", "2"]));
        assert_eq!(q["b"], "x y");
        assert_eq!(q["c"], json!(["", "0"]));
        assert_eq!(q["d"], "");
        assert_eq!(q["e"], "A");
    }

    #[test]
    fn routes_in_alphabetical_order() {
        let t = route_table(Routes::Znuny7);
        let names: Vec<&str> = t.iter().map(|r| r.operation).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(match_route("/Ticket/:TicketID", "/Ticket/Search").is_some());
        assert!(match_route("/Ticket/:TicketID", "/Ticket/2/").is_none());
        assert!(match_route("/Ticket/:TicketID", "/Ticket/").is_none());
        assert_eq!(
            match_route("/Ticket/:TicketID", "/Ticket/2%2C3").unwrap()[0].1,
            "2,3"
        );
    }
}
