//! `/__test/*`: control and inspection endpoints for browser tests and benchmarks. Only
//! served with `--test-api`. This file is the Zammad side; with `--backend znuny` the requests
//! go to `znuny::test_api`.

use crate::util::{as_i64, flag, now_ms};
use crate::zammad::render;
use crate::zammad::reply::Reply;
use crate::zammad::store::*;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::Response;
use base64::Engine;
use serde_json::{json, Value};

pub(crate) fn err(status: u16, msg: &str) -> Reply {
    Reply::json(status, json!({ "error": msg }))
}

pub(crate) fn ok() -> Reply {
    Reply::ok(json!({"ok": true}))
}

/// A JSON body, or `null` when empty; shared with the fake Znuny's test API.
pub(crate) fn parse_body(body: &[u8]) -> Result<Value, Reply> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| err(400, &format!("invalid JSON body: {e}")))
}

/// Dispatches one test-API request (`path` is the part after `/__test`).
pub fn handle(store: &mut Store, method: &Method, path: &str, body: &[u8], now: i64) -> Reply {
    let body = match parse_body(body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["reset"]) => reset(store, &body, now),
        ("GET", ["requests"]) => Reply::ok(Value::Array(store.request_log.clone())),
        ("DELETE", ["requests"]) => {
            store.request_log.clear();
            ok()
        }
        ("PATCH", ["users", login]) => patch_user(store, login, &body, now),
        ("GET", ["mails"]) => Reply::ok(Value::Array(store.mails.clone())),
        ("DELETE", ["mails"]) => {
            store.mails.clear();
            ok()
        }
        ("POST", ["agent_session"]) => agent_session(store),
        ("PATCH", ["groups", id]) => patch_group(store, id, &body),
        ("GET", ["settings"]) => Reply::ok(store.settings.to_json()),
        ("PATCH", ["settings"]) => match store.settings.patch(&body) {
            Ok(()) => Reply::ok(store.settings.to_json()),
            Err(why) => err(400, &why),
        },
        ("POST", ["bulk_tickets"]) => bulk_tickets(store, &body, now),
        ("POST", ["agent_reply"]) => agent_reply(store, &body, now),
        ("POST", ["seed_xss"]) => crate::zammad::hostile::seed(store, &body, now),
        ("POST", ["seed_dompurify"]) => crate::zammad::hostile::seed_dompurify(store, &body, now),
        ("GET", ["tickets", id]) => ticket(store, id),
        ("PATCH", ["tickets", id]) => patch_ticket(store, id, &body),
        ("GET", ["attachments", id]) => attachment(store, id),
        ("POST", ["expire_tokens"]) => {
            let yesterday = now.div_euclid(crate::util::MS_PER_DAY) - 1;
            for t in &mut store.tokens {
                t.expires_at = Some(yesterday);
            }
            ok()
        }
        ("POST", ["expire_sessions"]) => {
            store.sessions.clear();
            ok()
        }
        ("PUT", ["config"]) => match body {
            Value::Object(_) => {
                store.config_override = Some(body);
                ok()
            }
            _ => err(400, "config must be a JSON object"),
        },
        ("GET", ["state"]) => Reply::ok(json!({
            "zammad_version": store.version.as_str(),
            "tickets": store.tickets.len(),
            "articles": store.articles.len(),
            "tokens": store.tokens.len(),
            "sessions": store.sessions.len(),
        })),
        _ => err(404, "unknown test API route"),
    }
}

fn reset(store: &mut Store, body: &Value, now: i64) -> Reply {
    let version = match body.get("zammad_version") {
        None | Some(Value::Null) => store.version,
        Some(v) => {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match ZVersion::parse(&s) {
                Some(v) => v,
                None => return err(400, "zammad_version must be \"7\", \"6.5\" or \"5\""),
            }
        }
    };
    let elasticsearch = match body.get("elasticsearch") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return err(400, "elasticsearch must be true or false"),
    };
    store.reset(version, now);
    if let Some(on) = elasticsearch {
        store.settings.elasticsearch = on;
    }
    Reply::ok(json!({"ok": true, "zammad_version": version.as_str(),
                     "elasticsearch": store.settings.elasticsearch}))
}

/// `PATCH /__test/tickets/:id`: sets what the test needs of a ticket's history: `state`
/// (a name), `close_at` and `last_close_at` (ISO-8601, ms since the epoch, or `null`).
fn patch_ticket(store: &mut Store, id: &str, body: &Value) -> Reply {
    let Some(obj) = body.as_object() else {
        return err(400, "send a JSON object");
    };
    let state_id = match obj.get("state").map(Value::as_str) {
        None => None,
        Some(Some(name)) => match STATES.iter().find(|s| s.name == name) {
            Some(s) => Some(s.id),
            None => return err(400, "unknown state"),
        },
        Some(None) => return err(400, "state must be a state name"),
    };
    let time = |key: &str| -> Result<Option<Option<i64>>, Reply> {
        match obj.get(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::Number(n)) => Ok(Some(n.as_i64())),
            Some(Value::String(s)) => crate::util::parse_iso(s)
                .map(|ms| Some(Some(ms)))
                .ok_or_else(|| err(400, &format!("{key} must be an ISO-8601 time"))),
            Some(_) => Err(err(400, &format!("{key} must be a time or null"))),
        }
    };
    let (close_at, last_close_at) = match (time("close_at"), time("last_close_at")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let Some(t) = id
        .parse::<u64>()
        .ok()
        .and_then(|i| store.tickets.get_mut(&i))
    else {
        return err(404, "unknown ticket");
    };
    if let Some(s) = state_id {
        t.state_id = s;
    }
    if let Some(v) = close_at {
        t.close_at = v;
    }
    if let Some(v) = last_close_at {
        t.last_close_at = v;
    }
    Reply::ok(
        json!({"ok": true, "ticket": {"id": t.id, "state_id": t.state_id,
        "close_at": crate::util::iso_opt(t.close_at), "last_close_at": crate::util::iso_opt(t.last_close_at)}}),
    )
}

fn patch_user(store: &mut Store, login: &str, body: &Value, now: i64) -> Reply {
    let Some(id) = store
        .user_by_login(&crate::util::form_decode(login))
        .map(|u| u.id)
    else {
        return err(404, "unknown user");
    };
    let Some(user) = store.user_mut(id) else {
        return err(404, "unknown user");
    };
    if let Some(v) = body.get("token_access") {
        user.token_access = flag(Some(v));
    }
    // The short form: an authenticator app with this code (and no recovery codes).
    match body.get("two_factor_code") {
        Some(Value::Null) => user.two_factor = None,
        Some(Value::String(_) | Value::Number(_)) => {
            user.two_factor = Some(TwoFactor {
                methods: vec!["authenticator_app".into()],
                default: "authenticator_app".into(),
                code: body.get("two_factor_code").map(text),
                ..TwoFactor::default()
            })
        }
        _ => {}
    }
    match body.get("two_factor") {
        None => {}
        Some(Value::Null) => user.two_factor = None,
        Some(v) => match two_factor(v) {
            Ok(t) => user.two_factor = Some(t),
            Err(why) => return err(400, &why),
        },
    }
    if let Some(Value::String(p)) = body.get("password") {
        user.password = Some(p.clone());
        user.login_failed = 0;
    }
    if let Some(Value::Bool(b)) = body.get("active") {
        user.active = *b;
    }
    user.updated_at = now;
    Reply::ok(json!({
        "ok": true,
        "user": {
            "id": user.id,
            "login": user.login,
            "token_access": user.token_access,
            "two_factor": user.two_factor.as_ref().map(|t| json!({
                "methods": t.methods,
                "default": t.default,
                "recovery_codes": t.recovery_codes,
                "security_key": t.security_key.as_ref().map(|k| json!({
                    "credential_id": k.credential_id,
                    "public_key": k.public_key.is_some(),
                    "sign_count": k.sign_count,
                })),
            })),
            "active": user.active,
            "login_failed": user.login_failed,
        }
    }))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `{methods:[…], default, code, recovery_codes:[…], security_key:{credential_id}}`; `default`
/// is the first method when left out.
fn two_factor(v: &Value) -> Result<TwoFactor, String> {
    let methods: Vec<String> = v
        .get("methods")
        .and_then(Value::as_array)
        .ok_or("two_factor.methods must be a list")?
        .iter()
        .map(|m| {
            m.as_str()
                .filter(|m| TWO_FACTOR_METHODS.contains(m))
                .map(String::from)
                .ok_or_else(|| format!("unknown two-factor method {m}"))
        })
        .collect::<Result<_, _>>()?;
    let default = match v.get("default") {
        Some(Value::String(d)) if methods.contains(d) => d.clone(),
        None | Some(Value::Null) => methods.first().cloned().unwrap_or_default(),
        Some(d) => return Err(format!("two_factor.default {d} is not one of the methods")),
    };
    let recovery_codes = match v.get("recovery_codes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(codes)) => codes.iter().map(text).collect(),
        Some(_) => return Err("two_factor.recovery_codes must be a list".into()),
    };
    let security_key = match v.get("security_key") {
        None | Some(Value::Null) => None,
        Some(k) => Some(SecurityKey {
            credential_id: k
                .get("credential_id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or("two_factor.security_key.credential_id must be text (base64url)")?
                .to_string(),
            public_key: match k.get("public_key") {
                None | Some(Value::Null) => None,
                Some(v) => Some(
                    v.as_str()
                        .and_then(|t| {
                            base64::engine::general_purpose::URL_SAFE_NO_PAD
                                .decode(t.trim_end_matches('='))
                                .ok()
                        })
                        .ok_or("two_factor.security_key.public_key must be base64url (SPKI DER)")?,
                ),
            },
            sign_count: 0,
        }),
    };
    if methods.iter().any(|m| m == "security_keys") && security_key.is_none() {
        return Err("the security_keys method needs a security_key".into());
    }
    Ok(TwoFactor {
        methods,
        default,
        code: v.get("code").filter(|c| !c.is_null()).map(text),
        recovery_codes,
        security_key,
    })
}

/// `POST /__test/agent_session`: a Zammad session for the agent Emma, as if she had used
/// Zammad's own UI in this browser; the cookie to set (`{name, value, path}`).
fn agent_session(store: &mut Store) -> Reply {
    let sid = store.rng.hex(32);
    store
        .sessions
        .insert(sid.clone(), Session { user_id: AGENT_ID });
    Reply::ok(json!({"name": SESSION_COOKIE, "value": sid, "path": "/"}))
}

fn patch_group(store: &mut Store, id: &str, body: &Value) -> Reply {
    let wanted = id.parse::<u64>().ok();
    let Some(g) = store
        .groups
        .iter_mut()
        .find(|g| Some(g.id) == wanted || g.name == id)
    else {
        return err(404, "unknown group");
    };
    if let Some(Value::String(f)) = body.get("follow_up_possible") {
        if !["yes", "new_ticket", "new_ticket_after_certain_time"].contains(&f.as_str()) {
            return err(
                400,
                "follow_up_possible must be yes, new_ticket or new_ticket_after_certain_time",
            );
        }
        g.follow_up_possible = f.clone();
    }
    match body.get("reopen_time_in_days") {
        Some(Value::Null) => g.reopen_time_in_days = None,
        Some(v) => g.reopen_time_in_days = as_i64(Some(v)),
        None => {}
    }
    if let Some(Value::Bool(b)) = body.get("active") {
        g.active = *b;
    }
    Reply::ok(json!({"ok": true, "group": {"id": g.id, "name": g.name,
        "follow_up_possible": g.follow_up_possible, "reopen_time_in_days": g.reopen_time_in_days, "active": g.active}}))
}

fn bulk_tickets(store: &mut Store, body: &Value, now: i64) -> Reply {
    let customer = body
        .get("customer")
        .and_then(Value::as_str)
        .unwrap_or("alice");
    let Some(user) = store.user_by_login(customer).cloned() else {
        return err(404, "unknown customer");
    };
    let count = as_i64(body.get("count")).unwrap_or(1);
    if !(1..=5000).contains(&count) {
        return err(400, "count must be between 1 and 5000");
    }
    let state_name = body.get("state").and_then(Value::as_str).unwrap_or("new");
    let Some(state_id) = STATES.iter().find(|s| s.name == state_name).map(|s| s.id) else {
        return err(400, "unknown state");
    };
    let group_id = match body.get("group").and_then(Value::as_str) {
        Some(name) => match store.groups.iter().find(|g| g.name == name) {
            Some(g) => g.id,
            None => return err(400, "unknown group"),
        },
        None => 2,
    };
    let mut ids = Vec::new();
    for i in 1..=count {
        let at = now - (count - i + 1) * 1000;
        let title = format!("Bulk ticket {i:04}");
        let body = format!("Body of bulk ticket {i:04}.");
        ids.push(customer_ticket(
            store, &user, &title, &body, state_id, group_id, at,
        ));
    }
    Reply::ok(json!({ "ids": ids }))
}

/// A ticket of `user` with their first (plain text, web) article, created and updated at `at`.
pub(crate) fn customer_ticket(
    store: &mut Store,
    user: &User,
    title: &str,
    body: &str,
    state_id: u64,
    group_id: u64,
    at: i64,
) -> u64 {
    let id = store.new_ticket_id();
    let closed = state_type_of(state_id) == "closed";
    store.tickets.insert(
        id,
        Ticket {
            id,
            number: format!("31{id}"),
            title: title.to_string(),
            group_id,
            priority_id: 2,
            state_id,
            organization_id: user.organization_id,
            owner_id: 1,
            customer_id: user.id,
            first_response_at: None,
            close_at: closed.then_some(at),
            last_close_at: closed.then_some(at),
            last_contact_at: Some(at),
            last_contact_agent_at: None,
            last_contact_customer_at: Some(at),
            create_article_type_id: Some(TYPE_WEB),
            create_article_sender_id: Some(SENDER_CUSTOMER),
            pending_time: None,
            escalation_at: None,
            time_unit: None,
            preferences: json!({}),
            time_accounting_ids: Vec::new(),
            created_by_id: user.id,
            updated_by_id: user.id,
            created_at: at,
            updated_at: at,
            custom: Default::default(),
        },
    );
    let aid = store.new_article_id();
    store.articles.insert(
        aid,
        Article {
            id: aid,
            ticket_id: id,
            type_id: TYPE_WEB,
            sender_id: SENDER_CUSTOMER,
            from: Some(format!("{} <{}>", user.fullname(), user.email)),
            to: None,
            cc: None,
            subject: Some(title.to_string()),
            reply_to: None,
            message_id: None,
            in_reply_to: None,
            content_type: "text/plain".into(),
            body: body.to_string(),
            internal: false,
            preferences: json!({}),
            time_unit: None,
            created_by_id: user.id,
            updated_by_id: user.id,
            created_at: at,
            updated_at: at,
        },
    );
    id
}

fn agent_reply(store: &mut Store, body: &Value, now: i64) -> Reply {
    let Some(ticket_id) = crate::util::as_id(body.get("ticket_id")) else {
        return err(400, "ticket_id is required");
    };
    if !store.tickets.contains_key(&ticket_id) {
        return err(404, "unknown ticket");
    }
    let text = body.get("body").and_then(Value::as_str).unwrap_or("");
    if text.trim().is_empty() {
        return err(400, "body is required");
    }
    let mut files = Vec::new();
    if let Some(Value::Array(list)) = body.get("attachments") {
        for f in list {
            let s = |k: &str| f.get(k).and_then(Value::as_str);
            files.push(crate::hostile::PlanFile {
                filename: s("filename").unwrap_or("file.bin").to_string(),
                mime_type: s("mime-type")
                    .unwrap_or("application/octet-stream")
                    .to_string(),
                data: s("data")
                    .and_then(crate::zammad::articles::strict_base64)
                    .unwrap_or_default(),
                content_id: s("content_id").map(String::from),
            });
        }
    }
    let id = agent_article(
        store,
        ticket_id,
        AgentArticle {
            subject: None,
            body: text.to_string(),
            content_type: body
                .get("content_type")
                .and_then(Value::as_str)
                .unwrap_or("text/html")
                .to_string(),
            internal: flag(body.get("internal")),
            files,
            by: AGENT_ID,
            time_unit: None,
        },
        now,
    );
    let mut v = store
        .articles
        .get(&id)
        .map(|a| render::article(store, a))
        .unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("ok".into(), true.into());
    }
    Reply::ok(v)
}

/// An agent's article as the test API adds it (Emma's e-mail, or an internal note).
pub(crate) struct AgentArticle {
    /// `None`: "RE: <title>".
    pub subject: Option<String>,
    pub body: String,
    pub content_type: String,
    pub internal: bool,
    /// Files with a `content_id` are inline images: the body refers to them as `cid:`.
    pub files: Vec<crate::hostile::PlanFile>,
    /// `created_by_id` (the agent whose login Zammad reveals in `created_by`).
    pub by: u64,
    pub time_unit: Option<String>,
}

/// Stores an agent article and applies what it does to the ticket; returns its id.
pub(crate) fn agent_article(store: &mut Store, ticket_id: u64, a: AgentArticle, now: i64) -> u64 {
    let Some(t) = store.tickets.get(&ticket_id).cloned() else {
        return 0;
    };
    let customer = store.user(t.customer_id).cloned();
    let id = store.new_article_id();
    let group_name = store
        .group(t.group_id)
        .map(|g| g.name.clone())
        .unwrap_or_default();
    let (type_id, from, to, message_id) = if a.internal {
        (TYPE_NOTE, "Emma Agent".to_string(), None, None)
    } else {
        (
            TYPE_EMAIL,
            format!("Emma Agent via {group_name} <support@helpdesk.example>"),
            customer.map(|c| format!("{} <{}>", c.fullname(), c.email)),
            Some(format!(
                "<{}.{}.{}@helpdesk.example>",
                now / 1000,
                ticket_id,
                id
            )),
        )
    };
    store.articles.insert(
        id,
        Article {
            id,
            ticket_id,
            type_id,
            sender_id: SENDER_AGENT,
            from: Some(from),
            to,
            cc: None,
            subject: Some(a.subject.unwrap_or_else(|| format!("RE: {}", t.title))),
            reply_to: None,
            message_id,
            in_reply_to: None,
            content_type: a.content_type,
            body: a.body,
            internal: a.internal,
            preferences: if a.internal {
                json!({})
            } else {
                json!({"delivery_retry": 1, "delivery_status_message": null, "delivery_status": "success",
                       "delivery_status_date": crate::util::iso(now + 1200)})
            },
            time_unit: a.time_unit,
            created_by_id: a.by,
            updated_by_id: a.by,
            created_at: now,
            updated_at: now,
        },
    );
    for f in a.files {
        let (prefs, inline) = match &f.content_id {
            Some(cid) => (
                json!({"Mime-Type": f.mime_type, "Content-ID": cid, "Content-Disposition": "inline"}),
                true,
            ),
            None => (json!({ "Mime-Type": f.mime_type }), false),
        };
        store.add_attachment(id, &f.filename, f.data, prefs, inline);
    }
    store.after_agent_article(ticket_id, a.internal, now);
    id
}

fn ticket(store: &Store, id: &str) -> Reply {
    let Some(t) = id.parse::<u64>().ok().and_then(|i| store.tickets.get(&i)) else {
        return err(404, "unknown ticket");
    };
    let mut v = render::ticket(store, t, true);
    let articles: Vec<Value> = store
        .articles
        .values()
        .filter(|a| a.ticket_id == t.id)
        .map(|a| {
            let mut av = render::article(store, a);
            let files: Vec<Value> = store
                .attachments_of(a.id)
                .map(|f| {
                    json!({"id": f.id, "filename": f.filename, "size": f.data.len(),
                           "preferences": f.preferences, "inline": f.inline})
                })
                .collect();
            if let Value::Object(m) = &mut av {
                m.insert("attachments".into(), Value::Array(files));
            }
            av
        })
        .collect();
    if let Value::Object(m) = &mut v {
        m.insert("articles".into(), Value::Array(articles));
        m.insert("state_type".into(), state_type_of(t.state_id).into());
    }
    Reply::ok(v)
}

fn attachment(store: &Store, id: &str) -> Reply {
    match id
        .parse::<u64>()
        .ok()
        .and_then(|i| store.attachments.get(&i))
    {
        Some(a) => Reply::raw(200, &a.mime_type(), a.data.clone()),
        None => err(404, "unknown attachment"),
    }
}

/// `/__test/faults`: `GET` lists the rules, `POST` adds one rule (an object) or several (an array,
/// or `{"rules": [...]}`), `PUT` replaces them all, `DELETE` removes them (see `crate::faults`).
fn faults(app: &AppState, method: &Method, body: &[u8]) -> Reply {
    let body = match parse_body(body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match method.as_str() {
        "GET" => Reply::ok(app.faults.list()),
        "DELETE" => {
            app.faults.clear();
            ok()
        }
        "POST" | "PUT" => {
            let items = match body {
                Value::Array(items) => items,
                Value::Object(ref m) if m.contains_key("rules") => match &m["rules"] {
                    Value::Array(items) => items.clone(),
                    _ => return err(400, "rules must be an array"),
                },
                other @ Value::Object(_) => vec![other],
                _ => {
                    return err(
                        400,
                        "send a fault rule, an array of rules or {\"rules\": [...]}",
                    )
                }
            };
            let mut rules = Vec::new();
            for item in &items {
                match crate::faults::Rule::from_json(item) {
                    Ok(r) => rules.push(r),
                    Err(e) => return err(400, &e),
                }
            }
            if method == Method::PUT {
                app.faults.clear();
            }
            let added: Vec<Value> = rules.into_iter().map(|r| app.faults.add(r)).collect();
            Reply::ok(json!({"ok": true, "added": added, "rules": app.faults.list()}))
        }
        _ => err(405, "use GET, POST, PUT or DELETE"),
    }
}

/// axum handler for `/__test` and everything below it.
pub async fn axum_handler(State(app): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if !app.test_api {
        return err(404, "the test API is disabled (start with --test-api)").into_http(false);
    }
    let bytes = match axum::body::to_bytes(body, crate::zammad::MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return err(413, "body too large").into_http(false),
    };
    let path = parts
        .uri
        .path()
        .strip_prefix("/__test")
        .unwrap_or("")
        .to_string();
    // Faults and the trap log belong to neither fake; a reset clears them too.
    match (parts.method.as_str(), path.trim_matches('/')) {
        (_, "faults") => return faults(&app, &parts.method, &bytes).into_http(false),
        ("GET", "traps") => {
            return Reply::ok(Value::Array(app.lock_traps().clone())).into_http(false)
        }
        ("DELETE", "traps") => {
            app.lock_traps().clear();
            return ok().into_http(false);
        }
        ("POST", "reset") => {
            app.lock_traps().clear();
            app.faults.clear();
        }
        _ => {}
    }
    let reply = match app.backend {
        crate::Backend::Zammad => {
            let mut store = app.lock();
            handle(&mut store, &parts.method, &path, &bytes, now_ms())
        }
        crate::Backend::Znuny => {
            let mut store = app.lock_znuny();
            crate::znuny::test_api::handle(&mut store, &parts.method, &path, &bytes)
        }
    };
    reply.into_http(parts.method == Method::HEAD)
}

/// axum handler for `/__trap/…`: a hostile vector ran (or loaded something it must not). Logged
/// for `GET /__test/traps` and answered with a 1×1 GIF; 404 without `--test-api`.
pub async fn trap_handler(State(app): State<AppState>, req: Request) -> Response {
    if !app.test_api {
        return err(404, "the test API is disabled (start with --test-api)").into_http(false);
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let entry = crate::hostile::trap_entry(
        req.method().as_str(),
        req.uri().path(),
        req.uri().query().unwrap_or(""),
        &header("referer"),
        now_ms(),
    );
    if !app.quiet {
        crate::util::say(&format!("TRAP {} {}", req.method(), req.uri().path()));
    }
    app.lock_traps().push(entry);
    let mut reply = Reply::raw(200, "image/gif", crate::hostile::TRAP_GIF.to_vec());
    reply
        .headers
        .push(("Cache-Control".into(), "no-store".into()));
    reply.into_http(req.method() == Method::HEAD)
}
