//! `/__test/*` for the fake Znuny: the same endpoints and response shapes as the Zammad
//! fake's test API where they exist (so the browser suite reads both the same way), plus
//! the raw Znuny data under `znuny`.

use super::render;
use super::store::*;
use crate::test_api::{err, ok, parse_body};
use crate::util::iso;
use crate::zammad::reply::Reply;
use axum::http::Method;
use serde_json::{json, Map, Value};

fn settings_json(s: &Settings) -> Value {
    json!({
        "znuny_routes": s.routes.as_str(),
        "session_seconds": s.session_seconds,
        "logout": s.logout.as_str(),
        "check_remote_ip": s.check_remote_ip,
        "znuny_faq": s.faq,
    })
}

/// Dispatches one test-API request (`path` is the part after `/__test`).
pub fn handle(store: &mut Store, method: &Method, path: &str, body: &[u8]) -> Reply {
    let body = match parse_body(body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["reset"]) => reset(store, &body),
        ("GET", ["requests"]) => Reply::ok(Value::Array(store.request_log.clone())),
        ("DELETE", ["requests"]) => {
            store.request_log.clear();
            ok()
        }
        ("PATCH", ["users", login]) => patch_user(store, login, &body),
        ("POST", ["bulk_tickets"]) => bulk_tickets(store, &body),
        ("POST", ["agent_reply"]) => agent_reply(store, &body),
        ("POST", ["seed_xss"]) => super::hostile::seed(store, &body),
        ("POST", ["seed_dompurify"]) => super::hostile::seed_dompurify(store, &body),
        ("GET", ["tickets", id]) => {
            match id.parse::<u64>().ok().and_then(|i| store.tickets.get(&i)) {
                Some(t) => Reply::ok(ticket_json(store, t)),
                None => err(404, "unknown ticket"),
            }
        }
        ("GET", ["attachments", id]) => match id
            .parse::<u64>()
            .ok()
            .and_then(|i| store.attachments.get(&i))
        {
            Some(a) => Reply::raw(200, &mime_of(&a.content_type), a.data.clone()),
            None => err(404, "unknown attachment"),
        },
        ("GET", ["sessions"]) => {
            let now = store.now();
            let mut list: Vec<Value> = store
                .sessions
                .values()
                .map(|s| {
                    json!({
                        "id": s.id,
                        "user": match &s.who {
                            Principal::Customer(l) => l.clone(),
                            Principal::Agent(i) => store.agent_login(*i),
                        },
                        "type": match &s.who { Principal::Customer(_) => "Customer", Principal::Agent(_) => "User" },
                        "created_at": iso(s.start * 1000),
                        "expires_at": iso((s.start + store.settings.session_seconds.min(SESSION_MAX_TIME)) * 1000),
                        "valid": s.start + store.settings.session_seconds >= now,
                        "remote_addr": s.remote_addr,
                    })
                })
                .collect();
            list.sort_by_key(|v| v["created_at"].as_str().unwrap_or("").to_string());
            Reply::ok(Value::Array(list))
        }
        ("POST", ["expire_sessions"]) => {
            store.sessions.clear();
            ok()
        }
        ("POST", ["expire_tokens"]) => err(
            404,
            "Znuny has no API tokens; use POST /__test/expire_sessions",
        ),
        ("POST", ["clock"]) => {
            let secs = crate::util::as_i64(body.get("advance_seconds")).unwrap_or(0);
            store.advance(secs);
            Reply::ok(json!({"ok": true, "now": iso(store.now_ms())}))
        }
        ("PUT", ["config"]) => match body {
            Value::Object(_) => {
                store.config_override = Some(body);
                ok()
            }
            _ => err(400, "config must be a JSON object"),
        },
        ("GET", ["state"]) => {
            let mut v = settings_json(&store.settings);
            if let Value::Object(m) = &mut v {
                m.insert("backend".into(), "znuny".into());
                m.insert("tickets".into(), store.tickets.len().into());
                m.insert("articles".into(), store.articles.len().into());
                m.insert("sessions".into(), store.sessions.len().into());
                m.insert("now".into(), iso(store.now_ms()).into());
            }
            Reply::ok(v)
        }
        _ => err(404, "unknown test API route"),
    }
}

fn mime_of(ct: &str) -> String {
    let m = ct.split(';').next().unwrap_or("").trim();
    if m.is_empty() {
        "application/octet-stream".into()
    } else {
        m.to_string()
    }
}

fn reset(store: &mut Store, body: &Value) -> Reply {
    let mut s = store.defaults.clone();
    if let Some(v) = body.get("znuny_routes").filter(|v| !v.is_null()) {
        let raw = v
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| v.to_string());
        match Routes::parse(&raw) {
            Some(r) => s.routes = r,
            None => return err(400, "znuny_routes must be \"7\" or \"6\""),
        }
    }
    if let Some(v) = body.get("session_seconds").filter(|v| !v.is_null()) {
        match crate::util::as_i64(Some(v)) {
            Some(n) if n > 0 => s.session_seconds = n,
            _ => return err(400, "session_seconds must be a positive number"),
        }
    }
    if let Some(v) = body.get("logout").filter(|v| !v.is_null()) {
        match v.as_str().and_then(Logout::parse) {
            Some(l) => s.logout = l,
            None => return err(400, "logout must be \"fixed\" or \"7.1.7\""),
        }
    }
    if let Some(Value::Bool(b)) = body.get("check_remote_ip") {
        s.check_remote_ip = *b;
    }
    if let Some(Value::Bool(b)) = body.get("znuny_faq") {
        s.faq = *b;
    }
    store.reset(s);
    let mut v = settings_json(&store.settings);
    if let Value::Object(m) = &mut v {
        m.insert("ok".into(), true.into());
        m.insert("backend".into(), "znuny".into());
    }
    Reply::ok(v)
}

fn patch_user(store: &mut Store, login: &str, body: &Value) -> Reply {
    let login = crate::util::form_decode(login);
    if let Some(c) = store.customer_mut(&login) {
        if let Some(Value::String(p)) = body.get("password") {
            c.password = p.clone();
            c.login_failed = 0;
        }
        if let Some(Value::Bool(b)) = body.get("active") {
            c.valid = *b;
        }
        return Reply::ok(json!({
            "ok": true,
            "user": {"login": c.login, "type": "Customer", "active": c.valid, "login_failed": c.login_failed}
        }));
    }
    let Some(id) = store.agent_by_login(&login).map(|a| a.id) else {
        return err(404, "unknown user");
    };
    let Some(a) = store.agents.iter_mut().find(|a| a.id == id) else {
        return err(404, "unknown user");
    };
    if let Some(Value::String(p)) = body.get("password") {
        a.password = Some(p.clone());
    }
    if let Some(Value::Bool(b)) = body.get("active") {
        a.valid = *b;
    }
    Reply::ok(json!({
        "ok": true,
        "user": {"login": a.login, "type": "User", "active": a.valid, "login_failed": 0}
    }))
}

fn bulk_tickets(store: &mut Store, body: &Value) -> Reply {
    let login = body
        .get("customer")
        .and_then(Value::as_str)
        .unwrap_or("alice");
    let Some(c) = store.customer(login).cloned() else {
        return err(404, "unknown customer");
    };
    let count = crate::util::as_i64(body.get("count")).unwrap_or(1);
    if !(1..=5000).contains(&count) {
        return err(400, "count must be between 1 and 5000");
    }
    let state_name = body.get("state").and_then(Value::as_str).unwrap_or("new");
    let Some(st) = state_by_name(state_name) else {
        return err(400, "unknown state");
    };
    let queue_name = body
        .get("group")
        .and_then(Value::as_str)
        .unwrap_or("Support");
    let Some(queue_id) = store
        .queue_by_name(queue_name)
        .or_else(|| store.queue_by_name("Raw"))
        .map(|q| q.id)
    else {
        return err(400, "unknown group");
    };
    let now = store.now();
    let mut ids = Vec::new();
    for i in 1..=count {
        let title = format!("Bulk ticket {i:04}");
        let body = format!("Body of bulk ticket {i:04}.");
        ids.push(customer_ticket(
            store,
            &c,
            &title,
            &body,
            st,
            queue_id,
            now - (count - i + 1),
        ));
    }
    Reply::ok(json!({ "ids": ids }))
}

/// A ticket of customer `c` with their first (plain text) article, created and changed at `at`.
pub(crate) fn customer_ticket(
    store: &mut Store,
    c: &CustomerUser,
    title: &str,
    body: &str,
    st: &StateDef,
    queue_id: u64,
    at: i64,
) -> u64 {
    let now = store.now();
    let id = store.next_ticket_id;
    store.next_ticket_id += 1;
    let number = store.new_ticket_number(id);
    store.tickets.insert(
        id,
        Ticket {
            id,
            number,
            title: title.to_string(),
            queue_id,
            state_id: st.id,
            priority_id: 3,
            type_id: 1,
            lock_id: 1,
            owner_id: 1,
            responsible_id: 1,
            customer_user: Some(c.login.clone()),
            customer_id: Some(c.customer_id.clone()),
            service_id: None,
            sla_id: None,
            until_time: if st.type_name.starts_with("pending") {
                now + 86_400
            } else {
                0
            },
            escalation: 0,
            unlock_timeout: 0,
            archived: false,
            created: at,
            changed: at,
            create_by: 1,
            change_by: 1,
            closed: (st.type_name == "closed").then_some(at),
            received: Vec::new(),
            dynamic_fields: Default::default(),
        },
    );
    let queue = store.queue_name(queue_id);
    let a = Article {
        id: 0,
        ticket_id: id,
        number: 0,
        sender_type_id: 3,
        channel_id: 3,
        visible: true,
        from: c.mail_string(),
        to: queue,
        cc: String::new(),
        bcc: String::new(),
        reply_to: String::new(),
        subject: title.to_string(),
        body: body.to_string(),
        html_body: None,
        content_type: "text/plain; charset=utf-8".into(),
        mime_type: "text/plain".into(),
        charset: "utf-8".into(),
        message_id: String::new(),
        in_reply_to: String::new(),
        references: String::new(),
        time_unit: 0.0,
        created: at,
        create_by: 1,
        sent: false,
        received: None,
    };
    store.create_article(a, Vec::new(), 1);
    id
}

fn agent_reply(store: &mut Store, body: &Value) -> Reply {
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
                data: super::ops::validate::decode_base64(s("data").unwrap_or("")),
                content_id: s("content_id").map(String::from),
            });
        }
    }
    let now = store.now();
    let Some(id) = agent_article(
        store,
        ticket_id,
        AgentArticle {
            subject: None,
            body: text.to_string(),
            mime_type: body
                .get("content_type")
                .and_then(Value::as_str)
                .unwrap_or("text/html")
                .to_string(),
            internal: crate::util::flag(body.get("internal")),
            files,
            agent: None,
            time_unit: 0.0,
        },
        now,
    ) else {
        return err(500, "no agent");
    };
    let mut v = store
        .articles
        .get(&id)
        .map(|a| article_json(store, a))
        .unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("ok".into(), true.into());
    }
    Reply::ok(v)
}

/// An agent's article as the test API adds it (an e-mail to the customer, or an internal note).
pub(crate) struct AgentArticle {
    /// `None`: "RE: <title>".
    pub subject: Option<String>,
    pub body: String,
    /// `text/html` or `text/plain`.
    pub mime_type: String,
    pub internal: bool,
    /// Files with a `content_id` are inline images (`Disposition: inline`, `ContentID: <…>`)
    /// that the HTML refers to as `cid:`.
    pub files: Vec<crate::hostile::PlanFile>,
    /// The writing agent's id; `None`: emma.
    pub agent: Option<u64>,
    pub time_unit: f64,
}

/// Stores an agent article like the agent interface does; `None` when there is no such agent.
pub(crate) fn agent_article(
    store: &mut Store,
    ticket_id: u64,
    a: AgentArticle,
    now: i64,
) -> Option<u64> {
    let t = store.tickets.get(&ticket_id).cloned()?;
    let agent = match a.agent {
        Some(id) => store.agent(id),
        None => store.agent_by_login("emma").or_else(|| store.agent(1)),
    }
    .cloned()?;
    let queue = store.queue_name(t.queue_id);
    let customer_mail = t
        .customer_user
        .as_deref()
        .and_then(|l| store.customer(l))
        .map(|c| c.mail_string())
        .unwrap_or_default();
    let (channel, from, to) = if a.internal {
        (
            3,
            format!("\"{}\" <{}>", agent.fullname(), agent.email),
            String::new(),
        )
    } else {
        (
            1,
            format!(
                "\"{} via {queue}\" <{}>",
                agent.fullname(),
                store.system_address.1
            ),
            customer_mail,
        )
    };
    let article = Article {
        id: 0,
        ticket_id,
        number: 0,
        sender_type_id: 1,
        channel_id: channel,
        visible: !a.internal,
        from,
        to,
        cc: String::new(),
        bcc: String::new(),
        reply_to: String::new(),
        subject: a.subject.unwrap_or_else(|| format!("RE: {}", t.title)),
        body: a.body,
        html_body: None,
        content_type: format!("{}; charset=utf-8", a.mime_type),
        mime_type: a.mime_type,
        charset: "utf-8".into(),
        message_id: if a.internal {
            String::new()
        } else {
            format!("<{now}.{ticket_id}@helpdesk.example>")
        },
        in_reply_to: String::new(),
        references: String::new(),
        time_unit: a.time_unit,
        created: now,
        create_by: agent.id,
        sent: !a.internal,
        received: None,
    };
    let files = a
        .files
        .into_iter()
        .map(|f| NewFile {
            filename: f.filename,
            content_type: f.mime_type,
            // Znuny keeps the angle brackets of the MIME Content-ID header.
            disposition: f.content_id.as_ref().map(|_| "inline".to_string()),
            content_id: f.content_id.map(|c| format!("<{c}>")),
            data: f.data,
        })
        .collect();
    let id = store.create_article(article, files, agent.id);
    store.add_history(
        ticket_id,
        id,
        if a.internal { "AddNote" } else { "SendAnswer" },
        "%%".into(),
        agent.id,
    );
    // Answering through the agent interface moves a new ticket to open.
    if !a.internal && t.state_id == 1 {
        store.set_state(ticket_id, 4, agent.id);
    }
    Some(id)
}

fn sender_label(id: u64) -> &'static str {
    match id {
        1 => "Agent",
        2 => "System",
        _ => "Customer",
    }
}

/// An article in the Zammad test API's shape, plus the raw Znuny data under `znuny`.
pub fn article_json(store: &Store, a: &Article) -> Value {
    let attachments: Vec<Value> = {
        let mut files: Vec<&Attachment> = store.attachments_of(a.id).collect();
        files.sort_by_key(|f| f.file_id);
        files
            .iter()
            .map(|f| {
                let mime = mime_of(&f.content_type);
                json!({
                    "id": f.id,
                    "filename": f.filename,
                    "size": f.data.len(),
                    "mime_type": mime,
                    "preferences": {"Mime-Type": mime, "Content-Type": f.content_type},
                    "inline": !f.content_id.is_empty(),
                    "content_id": f.content_id,
                    "file_id": f.file_id.to_string(),
                })
            })
            .collect()
    };
    let mut raw = render::article(a);
    raw.insert("Sent".into(), Value::from(u8::from(a.sent)));
    if let Some(h) = &a.html_body {
        raw.insert("HTMLBody".into(), Value::from(h.clone()));
    }
    if let Some(Value::Object(received)) = &a.received {
        for (k, v) in received {
            if !raw.contains_key(k) {
                raw.insert(k.clone(), v.clone());
            }
        }
        raw.insert("Received".into(), Value::Object(received.clone()));
    } else {
        raw.insert("Received".into(), Value::Null);
    }
    let (body, content_type) = match &a.html_body {
        Some(h) => (h.clone(), "text/html".to_string()),
        None => (a.body.clone(), a.mime_type.clone()),
    };
    json!({
        "id": a.id,
        "ticket_id": a.ticket_id,
        "number": a.number,
        "sender": sender_label(a.sender_type_id),
        "internal": !a.visible,
        "type": channel_name(a.channel_id).to_lowercase(),
        "from": a.from,
        "to": a.to,
        "cc": a.cc,
        "subject": a.subject,
        "body": body,
        "content_type": content_type,
        "created_at": iso(a.created * 1000),
        "updated_at": iso(a.created * 1000),
        "time_unit": if a.time_unit > 0.0 { Value::from(format!("{:.1}", a.time_unit)) } else { Value::Null },
        "attachments": attachments,
        "znuny": raw,
    })
}

/// A ticket in the Zammad test API's shape (`state`, `group`, `customer`, `articles` …),
/// with every article (internal ones too) and the raw Znuny fields under `znuny`.
pub fn ticket_json(store: &Store, t: &Ticket) -> Value {
    let st = state(t.state_id);
    let articles: Vec<Value> = store
        .articles_of(t.id)
        .map(|a| article_json(store, a))
        .collect();
    let mut raw: Map<String, Value> = render::ticket(store, t);
    raw.insert(
        "CustomerUser".into(),
        t.customer_user
            .clone()
            .map(Value::from)
            .unwrap_or(Value::Null),
    );
    let mut merged = Map::new();
    for r in &t.received {
        if let Value::Object(m) = r {
            for (k, v) in m {
                merged.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in &merged {
        if !raw.contains_key(k) {
            raw.insert(k.clone(), v.clone());
        }
    }
    raw.insert("Received".into(), Value::Array(t.received.clone()));
    raw.insert(
        "DynamicFields".into(),
        Value::Object(t.dynamic_fields.clone().into_iter().collect()),
    );
    let company = t
        .customer_id
        .as_deref()
        .and_then(|c| store.company(c))
        .map(|c| c.name.clone());
    let time_units = store.ticket_time_units(t.id);
    json!({
        "id": t.id,
        "number": t.number,
        "title": t.title,
        "state": st.map(|s| s.name).unwrap_or(""),
        "state_id": t.state_id,
        "state_type": st.map(|s| s.type_name).unwrap_or(""),
        "group": store.queue_name(t.queue_id),
        "group_id": t.queue_id,
        "priority": priority_name(t.priority_id),
        "priority_id": t.priority_id,
        "customer": t.customer_user,
        "customer_id": t.customer_user,
        "organization": company,
        "organization_id": t.customer_id,
        "owner": store.agent_login(t.owner_id),
        "owner_id": t.owner_id,
        "created_at": iso(t.created * 1000),
        "updated_at": iso(t.changed * 1000),
        "close_at": t.closed.map(|c| Value::from(iso(c * 1000))).unwrap_or(Value::Null),
        "pending_time": if t.until_time > 0 { Value::from(iso(t.until_time * 1000)) } else { Value::Null },
        "time_unit": if time_units > 0.0 { Value::from(format!("{time_units:.1}")) } else { Value::Null },
        "article_ids": store.articles_of(t.id).map(|a| a.id).collect::<Vec<_>>(),
        "article_count": store.articles_of(t.id).count(),
        "articles": articles,
        "znuny": raw,
    })
}
