//! TicketCreate (`Operation/Ticket/TicketCreate.pm`). Nothing is forced to the caller: a
//! customer may create tickets for other customers, as an agent, invisible, sent by e-mail …
//! Everything received is recorded (`Ticket.received`, `Article.received`).

use super::validate::*;
use super::*;
use crate::znuny::store::*;

const OP: &str = "TicketCreate";

fn e(code: &str, msg: &str) -> OpResult {
    OpResult::err(&format!("{OP}.{code}"), format!("{OP}: {msg}"))
}

/// Builds the stored article from a checked `Article` hash (shared with TicketUpdate).
pub struct ArticleInput {
    pub article: Article,
    pub history_type: &'static str,
    pub history_comment: String,
}

/// The addressing of a new article, decided by the operation.
pub struct Addressing {
    pub from: String,
    pub to: String,
    pub cc: String,
    pub bcc: String,
    pub subject: String,
}

/// Derives sender, channel, content type parts etc. from a checked article hash.
pub fn article_from_input(
    a: &Map<String, Value>,
    ticket_id: u64,
    addr: Addressing,
    now: i64,
    by: u64,
    received: Value,
) -> ArticleInput {
    let Addressing {
        from,
        to,
        cc,
        bcc,
        subject,
    } = addr;
    let sender_type_id = if truthy(a.get("SenderTypeID")) {
        scalar(a.get("SenderTypeID"))
            .and_then(|i| i.trim().parse().ok())
            .unwrap_or(3)
    } else {
        scalar(a.get("SenderType"))
            .and_then(|n| sender_type_id(&n))
            .unwrap_or(3)
    };
    let channel_id = if truthy(a.get("ArticleSend")) {
        1
    } else if truthy(a.get("CommunicationChannel")) {
        scalar(a.get("CommunicationChannel"))
            .and_then(|n| channel_id(&n))
            .unwrap_or(3)
    } else {
        scalar(a.get("CommunicationChannelID"))
            .and_then(|i| i.trim().parse().ok())
            .unwrap_or(3)
    };
    let content_type = scalar(a.get("ContentType")).unwrap_or_default();
    let (charset, mime_type, content_type) = if !content_type.is_empty() {
        let cs = if truthy(a.get("Charset")) {
            scalar(a.get("Charset")).unwrap_or_default()
        } else {
            charset_of(&content_type)
        };
        let mt = if truthy(a.get("MimeType")) {
            scalar(a.get("MimeType")).unwrap_or_default()
        } else {
            content_type.split(';').next().unwrap_or("").to_string()
        };
        (cs, mt, content_type)
    } else {
        let cs = scalar(a.get("Charset")).unwrap_or_default();
        let mt = scalar(a.get("MimeType")).unwrap_or_default();
        let ct = format!("{mt}; charset={cs}");
        (cs, mt, ct)
    };
    let time_unit = scalar(a.get("TimeUnit"))
        .filter(|_| truthy(a.get("TimeUnit")))
        .and_then(|t| t.replace(',', ".").parse::<f64>().ok())
        .unwrap_or(0.0);
    let history_type = scalar(a.get("HistoryType"))
        .and_then(|h| HISTORY_TYPES.iter().find(|x| x.1 == h).map(|x| x.1))
        .unwrap_or("AddNote");
    let history_comment = {
        let c = str_or_empty(a.get("HistoryComment"));
        if c.is_empty() {
            "%%".to_string()
        } else {
            c
        }
    };
    let sent = truthy(a.get("ArticleSend"));
    let article = Article {
        id: 0,
        ticket_id,
        number: 0,
        sender_type_id,
        channel_id,
        visible: truthy(a.get("IsVisibleForCustomer")),
        from,
        to,
        cc,
        bcc,
        reply_to: String::new(),
        subject,
        body: scalar(a.get("Body")).unwrap_or_default(),
        html_body: None,
        content_type,
        mime_type,
        charset,
        message_id: if sent {
            format!("<{now}.{ticket_id}.{}@helpdesk.example>", ticket_id * 7 + 1)
        } else {
            String::new()
        },
        in_reply_to: String::new(),
        references: String::new(),
        time_unit,
        created: now,
        create_by: by,
        sent,
        received: Some(received),
    };
    ArticleInput {
        article,
        history_type,
        history_comment,
    }
}

/// `\bcharset=("|'|)([^\s"';]+)`
pub fn charset_of(ct: &str) -> String {
    let lower = ct.to_lowercase();
    let Some(i) = lower.find("charset=") else {
        return String::new();
    };
    let rest = &ct[i + 8..];
    let rest = rest
        .strip_prefix('"')
        .or_else(|| rest.strip_prefix('\''))
        .unwrap_or(rest);
    rest.chars()
        .take_while(|c| !c.is_whitespace() && !"\"';".contains(*c))
        .collect()
}

/// The article as received, without attachment contents (kept small for the test API).
pub fn received_copy(a: &Map<String, Value>) -> Value {
    let mut m = a.clone();
    m.remove("UserType");
    Value::Object(m)
}

/// `TicketSubjectBuild(Type => 'New', Action => 'Reply')` with the default `Ticket::Hook`.
pub fn subject_build(number: &str, subject: &str) -> String {
    format!("[Ticket#{number}] {subject}")
}

pub fn run(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let Data::Hash(data) = data else {
        return OpResult::Die;
    };
    if !truthy(data.get("UserLogin"))
        && !truthy(data.get("CustomerUserLogin"))
        && !truthy(data.get("SessionID"))
    {
        return e(
            "MissingParameter",
            "UserLogin, CustomerUserLogin or SessionID is required!",
        );
    }
    if (truthy(data.get("UserLogin")) || truthy(data.get("CustomerUserLogin")))
        && !truthy(data.get("Password"))
    {
        return e("MissingParameter", "Password or SessionID is required!");
    }
    let Some(who) = auth(store, &data, ctx) else {
        return e("AuthFail", "User could not be authenticated!");
    };
    let user_id = acting_user(&who);
    if !is_hash_with_data(data.get("Article")) && !is_array_with_data(data.get("Article")) {
        return e(
            "MissingParameter",
            "Article parameter is missing or not valid!",
        );
    }
    if !is_hash_with_data(data.get("Ticket")) {
        return e(
            "MissingParameter",
            "Ticket parameter is missing or not valid!",
        );
    }
    for optional in ["DynamicField", "Attachment"] {
        let v = data.get(optional);
        if v.is_some_and(|v| !v.is_null()) && !is_hash_with_data(v) && !is_array_with_data(v) {
            return e(
                "MissingParameter",
                &format!("{optional} parameter is missing or not valid!"),
            );
        }
    }
    let received_ticket = data.get("Ticket").cloned().unwrap_or(Value::Null);
    let mut ticket = match data.get("Ticket") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    trim_values(&mut ticket);
    let now = store.now();

    // _CheckTicket
    for needed in ["Title", "CustomerUser"] {
        if !truthy(ticket.get(needed)) {
            return e(
                "MissingParameter",
                &format!("Ticket->{needed} parameter is missing!"),
            );
        }
    }
    let customer_user = scalar(ticket.get("CustomerUser")).unwrap_or_default();
    if !valid_customer(store, &customer_user) {
        return e(
            "InvalidParameter",
            "Ticket->CustomerUser parameter is invalid!",
        );
    }
    if !truthy(ticket.get("QueueID")) && !truthy(ticket.get("Queue")) {
        return e(
            "MissingParameter",
            "Ticket->QueueID or Ticket->Queue parameter is required!",
        );
    }
    let Some(queue_id) = queue_of(store, &ticket) else {
        return e(
            "InvalidParameter",
            "Ticket->QueueID or Ticket->Queue parameter is invalid!",
        );
    };
    let lock_given = truthy(ticket.get("LockID")) || truthy(ticket.get("Lock"));
    let lock_id = if lock_given {
        match lock_of(&ticket) {
            Some(l) => Some(l),
            None => {
                return e(
                    "InvalidParameter",
                    "Ticket->LockID or Ticket->Lock parameter is invalid!",
                )
            }
        }
    } else {
        None
    };
    let type_id = if truthy(ticket.get("TypeID")) || truthy(ticket.get("Type")) {
        match type_of(&ticket) {
            Some(t) => t,
            None => {
                return e(
                    "InvalidParameter",
                    "Ticket->TypeID or Ticket->Type parameter is invalid!",
                )
            }
        }
    } else {
        1
    };
    if truthy(ticket.get("ServiceID")) || truthy(ticket.get("Service")) {
        return e(
            "InvalidParameter",
            "Ticket->ServiceID or Ticket->Service parameter is invalid!",
        );
    }
    if truthy(ticket.get("SLAID")) || truthy(ticket.get("SLA")) {
        return e(
            "InvalidParameter",
            "Ticket->SLAID or Ticket->SLA parameter is invalid!",
        );
    }
    if !truthy(ticket.get("StateID")) && !truthy(ticket.get("State")) {
        return e(
            "MissingParameter",
            "Ticket->StateID or Ticket->State parameter is required!",
        );
    }
    let Some(state_id) = state_of(&ticket) else {
        return e(
            "InvalidParameter",
            "Ticket->StateID or Ticket->State parameter is invalid!",
        );
    };
    if !truthy(ticket.get("PriorityID")) && !truthy(ticket.get("Priority")) {
        return e(
            "MissingParameter",
            "Ticket->PriorityID or Ticket->Priority parameter is required!",
        );
    }
    let Some(priority_id) = priority_of(&ticket) else {
        return e(
            "InvalidParameter",
            "Ticket->PriorityID or Ticket->Priority parameter is invalid!",
        );
    };
    let AgentFields {
        owner_id,
        responsible_id,
        pending,
    } = match agent_fields(store, &ticket, now) {
        Ok(f) => f,
        Err(msg) => return e("InvalidParameter", msg),
    };

    // Articles: defaults, then _CheckArticle.
    let mut raw_articles: Vec<Map<String, Value>> = Vec::new();
    match data.get("Article") {
        Some(Value::Object(m)) => raw_articles.push(m.clone()),
        Some(Value::Array(a)) => {
            for x in a {
                match x {
                    Value::Object(m) => raw_articles.push(m.clone()),
                    // `$Article->{UserType} = …` on a non-hash dies.
                    _ => return OpResult::Die,
                }
            }
        }
        _ => {}
    }
    let user_type = match who {
        Principal::Agent(_) => "User",
        Principal::Customer(_) => "Customer",
    };
    let mut articles = Vec::new();
    for raw in raw_articles {
        let received = received_copy(&raw);
        let mut a = raw;
        apply_article_defaults(
            &mut a,
            user_type,
            ArticleDefaults {
                auto_response: "auto reply",
                history_type: "NewTicket",
                history_comment: "%%GenericInterface Create",
            },
        );
        if let Err(r) = check_article(store, OP, &mut a) {
            return r;
        }
        // Attachments inside the article (a list is checked, a single hash is not).
        if let Some(Value::Array(list)) = a.get("Attachment").cloned() {
            let mut checked = Vec::new();
            for item in list {
                let mut m = match item {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                if let Err(r) = check_attachment(OP, &mut m) {
                    return r;
                }
                checked.push(Value::Object(m));
            }
            a.insert("Attachment".into(), Value::Array(checked));
        }
        articles.push((a, received));
    }

    // DynamicField (_CheckDynamicField): each item needs a Name and a Value (string or
    // list), a valid ticket dynamic field by that name (a stock system has none, so every name
    // is invalid) and a value its driver accepts.
    let mut dynamic_values: Vec<(String, Value)> = Vec::new();
    if let Some(df) = data.get("DynamicField").filter(|v| !v.is_null()) {
        let list = match df {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        for item in list {
            let Value::Object(mut m) = item else {
                return OpResult::Fault(format!(
                    "{OP}: Ticket->DynamicField parameter is invalid!"
                ));
            };
            // TicketCreate trims every string of the item before checking it.
            for v in m.values_mut() {
                if let Value::String(s) = v {
                    *s = s.trim().to_string();
                }
            }
            if m.is_empty() {
                return OpResult::Fault(format!(
                    "{OP}: Ticket->DynamicField parameter is invalid!"
                ));
            }
            for needed in ["Name", "Value"] {
                let ok = matches!(
                    m.get(needed),
                    Some(Value::String(_)) | Some(Value::Number(_)) | Some(Value::Array(_))
                );
                if !ok {
                    return e(
                        "MissingParameter",
                        &format!("DynamicField->{needed}  parameter is missing!"),
                    );
                }
            }
            let name = scalar(m.get("Name")).unwrap_or_default();
            let Some(def) = store.dynamic_fields.iter().find(|d| d.name == name) else {
                return e(
                    "InvalidParameter",
                    "DynamicField->Name parameter is invalid!",
                );
            };
            let value = m.get("Value").cloned().unwrap_or(Value::Null);
            if !def.value_valid(&value) {
                return e(
                    "InvalidParameter",
                    "DynamicField->Value parameter is invalid!",
                );
            }
            dynamic_values.push((name, def.stored(&value)));
        }
    }

    // Top-level attachments.
    let files = match top_level_attachments(OP, data.get("Attachment")) {
        Ok(f) => f,
        Err(r) => return r,
    };

    // _TicketCreate
    let (customer_login, customer_data) = match store.customer(&customer_user) {
        Some(c) => (c.login.clone(), Some(c.clone())),
        None => match store.customer_by_email(&customer_user) {
            Some(c) => (c.login.clone(), Some(c.clone())),
            None => (customer_user.clone(), None),
        },
    };
    let mut customer_id = customer_data
        .as_ref()
        .map(|c| c.customer_id.clone())
        .unwrap_or_default();
    if let Some(cid) = scalar(ticket.get("CustomerID")).filter(|s| !s.is_empty()) {
        customer_id = cid;
    }
    let ticket_id = store.next_ticket_id;
    store.next_ticket_id += 1;
    let number = store.new_ticket_number(ticket_id);
    let title = scalar(ticket.get("Title")).unwrap_or_default();
    store.tickets.insert(
        ticket_id,
        Ticket {
            id: ticket_id,
            number: number.clone(),
            title,
            queue_id,
            state_id,
            priority_id,
            type_id,
            lock_id: 1,
            owner_id: 1,
            responsible_id: 1,
            customer_user: Some(customer_login.clone()),
            customer_id: Some(customer_id.clone()),
            service_id: None,
            sla_id: None,
            until_time: 0,
            escalation: 0,
            unlock_timeout: 0,
            archived: false,
            created: now,
            changed: now,
            create_by: user_id,
            change_by: user_id,
            closed: None,
            received: vec![received_ticket],
            dynamic_fields: Default::default(),
        },
    );
    let queue_name = store.queue_name(queue_id);
    store.add_history(
        ticket_id,
        0,
        "NewTicket",
        format!(
            "%%{number}%%{queue_name}%%{}%%{}%%{ticket_id}",
            priority_name(priority_id),
            state(state_id).map(|s| s.name).unwrap_or("")
        ),
        user_id,
    );
    store.add_history(
        ticket_id,
        0,
        "CustomerUpdate",
        format!("%%CustomerID={customer_id};CustomerUser={customer_login};"),
        user_id,
    );
    if let Some(l) = lock_id {
        store.set_lock(ticket_id, l, user_id);
    }
    let state_type = state(state_id).map(|s| s.type_name).unwrap_or("");
    if state_type.starts_with("close") {
        store.set_lock(ticket_id, 1, user_id);
        if let Some(t) = store.tickets.get_mut(&ticket_id) {
            t.closed = Some(now);
        }
    } else if state_type.starts_with("pending") {
        if let Some(p) = pending {
            if let Some(t) = store.tickets.get_mut(&ticket_id) {
                t.until_time = p;
            }
            store.add_history(
                ticket_id,
                0,
                "SetPendingTime",
                format!("%%{}", timestamp(p)),
                user_id,
            );
        }
    }

    let mut article_ids = Vec::new();
    for (a, received) in articles {
        let send = truthy(a.get("ArticleSend"));
        let from = if send && !truthy(a.get("From")) {
            format!("{} <{}>", store.system_address.0, store.system_address.1)
        } else if truthy(a.get("From")) {
            scalar(a.get("From")).unwrap_or_default()
        } else if let Some(c) = &customer_data {
            c.mail_string()
        } else {
            customer_login.clone()
        };
        let (to, cc, bcc) = if send {
            (
                str_or_empty(a.get("To")),
                str_or_empty(a.get("Cc")),
                str_or_empty(a.get("Bcc")),
            )
        } else if truthy(ticket.get("Queue")) {
            (
                scalar(ticket.get("Queue")).unwrap_or_default(),
                String::new(),
                String::new(),
            )
        } else {
            (queue_name.clone(), String::new(), String::new())
        };
        let subject = {
            let s = scalar(a.get("Subject")).unwrap_or_default();
            if send {
                subject_build(&number, &s)
            } else {
                s
            }
        };
        let input = article_from_input(
            &a,
            ticket_id,
            Addressing {
                from,
                to,
                cc,
                bcc,
                subject,
            },
            now,
            user_id,
            received,
        );
        let mut article_files: Vec<NewFile> = match a.get("Attachment") {
            Some(Value::Object(m)) => vec![new_file(m)],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|x| x.as_object().map(new_file))
                .collect(),
            _ => Vec::new(),
        };
        article_files.extend(files.iter().cloned());
        let time_unit = input.article.time_unit;
        let article_id = store.create_article(input.article, article_files, user_id);
        store.add_history(
            ticket_id,
            article_id,
            input.history_type,
            input.history_comment,
            user_id,
        );
        if time_unit > 0.0 {
            store.add_history(
                ticket_id,
                article_id,
                "TimeAccounting",
                format!("%%{}%%", super::super::render::perl_number(time_unit)),
                user_id,
            );
        }
        article_ids.push(article_id);
    }

    match owner_id {
        Some(o) => {
            set_owner(store, ticket_id, o, user_id);
            if !lock_given {
                store.set_lock(ticket_id, 2, user_id);
            }
        }
        None => set_owner(store, ticket_id, user_id, user_id),
    }
    if let Some(r) = responsible_id {
        set_responsible(store, ticket_id, r, user_id);
    }
    for (name, value) in dynamic_values {
        // An empty value stores nothing (TicketGet then leaves the field out).
        let empty = matches!(&value, Value::String(s) if s.is_empty())
            || matches!(&value, Value::Array(a) if a.is_empty());
        if let Some(t) = store.tickets.get_mut(&ticket_id).filter(|_| !empty) {
            t.dynamic_fields.insert(name.clone(), value.clone());
        }
        let shown = match &value {
            Value::Array(items) => items
                .iter()
                .filter_map(|v| scalar(Some(v)))
                .collect::<Vec<_>>()
                .join(", "),
            other => scalar(Some(other)).unwrap_or_default(),
        };
        store.add_history(
            ticket_id,
            0,
            "TicketDynamicFieldUpdate",
            format!("%%FieldName%%{name}%%Value%%{shown}"),
            user_id,
        );
    }
    if let Some(t) = store.tickets.get_mut(&ticket_id) {
        t.changed = now;
    }

    let as_id = |id: u64| match who {
        Principal::Customer(_) => Value::from(id.to_string()),
        Principal::Agent(_) => Value::from(id),
    };
    let article_id = if article_ids.len() == 1 {
        as_id(article_ids[0])
    } else {
        Value::Array(article_ids.iter().map(|i| as_id(*i)).collect())
    };
    OpResult::Ok(json!({
        "ArticleID": article_id,
        "TicketID": ticket_id.to_string(),
        "TicketNumber": number,
    }))
}

/// `TicketOwnerSet` (no-op when unchanged).
pub fn set_owner(store: &mut Store, ticket_id: u64, owner: u64, by: u64) {
    let Some(t) = store.tickets.get_mut(&ticket_id) else {
        return;
    };
    if t.owner_id == owner {
        return;
    }
    t.owner_id = owner;
    let login = store.agent_login(owner);
    store.touch(ticket_id, by);
    store.add_history(
        ticket_id,
        0,
        "OwnerUpdate",
        format!("%%{login}%%{owner}"),
        by,
    );
}

/// `TicketResponsibleSet` (no-op when unchanged).
pub fn set_responsible(store: &mut Store, ticket_id: u64, user: u64, by: u64) {
    let Some(t) = store.tickets.get_mut(&ticket_id) else {
        return;
    };
    if t.responsible_id == user {
        return;
    }
    t.responsible_id = user;
    let login = store.agent_login(user);
    store.touch(ticket_id, by);
    store.add_history(
        ticket_id,
        0,
        "ResponsibleUpdate",
        format!("%%{login}%%{user}"),
        by,
    );
}
