//! TicketUpdate (`Operation/Ticket/TicketUpdate.pm`). Read access is all a customer needs;
//! the acting user becomes the system user, so no field-level checks apply. Changes are
//! applied one after another (title, queue, lock, type, state, …, articles), so a late error
//! leaves the earlier changes in place, as in Znuny. A follow-up never reopens the ticket.

use super::create::{
    article_from_input, received_copy, set_owner, set_responsible, subject_build, Addressing,
};
use super::validate::*;
use super::*;
use crate::znuny::store::*;

const OP: &str = "TicketUpdate";

fn e(code: &str, msg: &str) -> OpResult {
    OpResult::err(&format!("{OP}.{code}"), format!("{OP}: {msg}"))
}

fn denied() -> OpResult {
    e("AccessDenied", "User does not have access to the ticket!")
}

pub fn run(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let data = match data {
        Data::Hash(m) if !m.is_empty() => m,
        _ => return e("EmptyRequest", "The request data is invalid!"),
    };
    if !truthy(data.get("TicketID")) && !truthy(data.get("TicketNumber")) {
        return e("MissingParameter", "TicketID or TicketNumber is required!");
    }
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
    // A TicketNumber wins over the TicketID (even over the one in the path).
    let ticket_id = if truthy(data.get("TicketNumber")) {
        let n = scalar(data.get("TicketNumber")).unwrap_or_default();
        store.tickets.values().find(|t| t.number == n).map(|t| t.id)
    } else {
        scalar(data.get("TicketID"))
            .and_then(|i| store.ticket_by_id_str(&i))
            .map(|t| t.id)
    };
    let Some(ticket_id) = ticket_id else {
        return denied();
    };
    let Some(old) = store.tickets.get(&ticket_id).cloned() else {
        return denied();
    };
    if !store.can_see(&who, &old) {
        return denied();
    }
    if data.get("Ticket").is_some_and(|v| !v.is_null()) && !is_hash_with_data(data.get("Ticket")) {
        return e("InvalidParameter", "Ticket parameter is not valid!");
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
    let now = store.now();
    let received_ticket = data.get("Ticket").cloned();
    let mut ticket = match data.get("Ticket") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    trim_values(&mut ticket);

    // _CheckTicket (against the old ticket)
    let customer_user = scalar(ticket.get("CustomerUser")).unwrap_or_default();
    if truthy(ticket.get("CustomerUser")) && !valid_customer(store, &customer_user) {
        return e(
            "InvalidParameter",
            "Ticket->CustomerUser parameter is invalid!",
        );
    }
    let queue_id = if truthy(ticket.get("QueueID")) || truthy(ticket.get("Queue")) {
        match queue_of(store, &ticket) {
            Some(q) => Some(q),
            None => {
                return e(
                    "InvalidParameter",
                    "Ticket->QueueID or Ticket->Queue parameter is invalid!",
                )
            }
        }
    } else {
        None
    };
    let lock_id = if truthy(ticket.get("LockID")) || truthy(ticket.get("Lock")) {
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
            Some(t) => Some(t),
            None => {
                return e(
                    "InvalidParameter",
                    "Ticket->TypeID or Ticket->Type parameter is invalid!",
                )
            }
        }
    } else {
        None
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
    let state_id = if truthy(ticket.get("StateID")) || truthy(ticket.get("State")) {
        match state_of(&ticket) {
            Some(s) => Some(s),
            None => {
                return e(
                    "InvalidParameter",
                    "Ticket->StateID or Ticket->State parameter is invalid!",
                )
            }
        }
    } else {
        None
    };
    let priority_id = if truthy(ticket.get("PriorityID")) || truthy(ticket.get("Priority")) {
        match priority_of(&ticket) {
            Some(p) => Some(p),
            None => {
                return e(
                    "InvalidParameter",
                    "Ticket->PriorityID or Ticket->Priority parameter is invalid!",
                )
            }
        }
    } else {
        None
    };
    let AgentFields {
        owner_id,
        responsible_id,
        pending,
    } = match agent_fields(store, &ticket, now) {
        Ok(f) => f,
        Err(msg) => return e("InvalidParameter", msg),
    };

    // Articles
    let mut raw_articles: Vec<Map<String, Value>> = Vec::new();
    if let Some(v) = data.get("Article").filter(|v| !v.is_null()) {
        match v {
            Value::Object(m) if !m.is_empty() => raw_articles.push(m.clone()),
            Value::Array(a) if !a.is_empty() => {
                for x in a {
                    match x {
                        Value::Object(m) => raw_articles.push(m.clone()),
                        // `$Article->{UserType} = …` on a non-hash dies.
                        _ => return OpResult::Die,
                    }
                }
            }
            _ => return e("InvalidParameter", "Article parameter is not valid!"),
        }
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
                auto_response: "auto follow up",
                history_type: "AddNote",
                history_comment: "%%GenericInterface Note",
            },
        );
        if let Err(r) = check_article(store, OP, &mut a) {
            return r;
        }
        if truthy(a.get("DynamicField")) {
            return e(
                "InvalidParameter",
                "DynamicField->Name parameter is invalid!",
            );
        }
        articles.push((a, received));
    }
    // Ticket dynamic fields (_ValidateDynamicFields / _CheckDynamicField), each item in turn:
    // trimmed, Name and Value present, a valid field, a value its driver accepts; set after the
    // articles.
    let mut dynamic_values: Vec<(String, Value)> = Vec::new();
    if let Some(df) = data.get("DynamicField").filter(|v| truthy(Some(v))) {
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
            if m.is_empty() {
                return OpResult::Fault(format!(
                    "{OP}: Ticket->DynamicField parameter is invalid!"
                ));
            }
            for v in m.values_mut() {
                if let Value::String(s) = v {
                    *s = s.trim().to_string();
                }
            }
            for needed in ["Name", "Value"] {
                let present = matches!(
                    m.get(needed),
                    Some(Value::String(_)) | Some(Value::Number(_)) | Some(Value::Array(_))
                );
                if !present {
                    return e(
                        "MissingParameter",
                        &format!("DynamicField->{needed} parameter is missing!"),
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
    let files = match top_level_attachments(OP, data.get("Attachment")) {
        Ok(f) => f,
        Err(r) => return r,
    };

    // _TicketUpdate: apply the changes in Znuny's order.
    if let Some(t) = &received_ticket {
        if let Some(stored) = store.tickets.get_mut(&ticket_id) {
            stored.received.push(t.clone());
        }
    }
    let customer_data = if truthy(ticket.get("CustomerUser")) {
        store.customer(&customer_user).cloned()
    } else {
        None
    };
    if let Some(title) = scalar(ticket.get("Title")).filter(|t| !t.is_empty()) {
        if title != old.title {
            let before = old.title.clone();
            if let Some(t) = store.tickets.get_mut(&ticket_id) {
                t.title = title.clone();
            }
            store.touch(ticket_id, user_id);
            store.add_history(
                ticket_id,
                0,
                "TitleUpdate",
                format!("%%{before}%%{title}"),
                user_id,
            );
        }
    }
    if let Some(q) = queue_id {
        if q != old.queue_id {
            if let Some(t) = store.tickets.get_mut(&ticket_id) {
                t.queue_id = q;
            }
            let name = store.queue_name(q);
            let before = store.queue_name(old.queue_id);
            store.touch(ticket_id, user_id);
            store.add_history(
                ticket_id,
                0,
                "Move",
                format!("%%{name}%%{q}%%{before}%%{}", old.queue_id),
                user_id,
            );
        }
    }
    if let Some(l) = lock_id {
        store.set_lock(ticket_id, l, user_id);
    }
    if let Some(ty) = type_id {
        let current = store.tickets.get(&ticket_id).map(|t| t.type_id);
        if current != Some(ty) {
            if let Some(t) = store.tickets.get_mut(&ticket_id) {
                t.type_id = ty;
            }
            store.touch(ticket_id, user_id);
            store.add_history(
                ticket_id,
                0,
                "TypeUpdate",
                format!("%%{}%%{ty}", type_name(ty)),
                user_id,
            );
        }
    }
    if let Some(s) = state_id {
        let ty = state(s).map(|x| x.type_name).unwrap_or("");
        if ty.starts_with("close") {
            store.set_lock(ticket_id, 1, user_id);
        } else if ty.starts_with("pending") {
            match pending {
                Some(p) => {
                    if let Some(t) = store.tickets.get_mut(&ticket_id) {
                        t.until_time = p;
                    }
                    store.touch(ticket_id, user_id);
                    store.add_history(
                        ticket_id,
                        0,
                        "SetPendingTime",
                        format!("%%{}", timestamp(p)),
                        user_id,
                    );
                }
                None => {
                    return OpResult::err(
                        "TicketUpdate.MissingParameter",
                        "Can't set a ticket on a pending state without pendig time!",
                    )
                }
            }
        }
        store.set_state(ticket_id, s, user_id);
    }
    if truthy(ticket.get("CustomerUser")) || truthy(ticket.get("CustomerID")) {
        let cur = store.tickets.get(&ticket_id).cloned();
        if let Some(cur) = cur {
            let new_user = customer_user.clone();
            let new_cid = str_or_empty(ticket.get("CustomerID"));
            let old_user = cur.customer_user.clone().unwrap_or_default();
            let old_cid = cur.customer_id.clone().unwrap_or_default();
            if new_user != old_user || new_cid != old_cid {
                let cid = if new_cid.is_empty() {
                    customer_data
                        .as_ref()
                        .map(|c| c.customer_id.clone())
                        .unwrap_or_default()
                } else {
                    new_cid
                };
                if let Some(t) = store.tickets.get_mut(&ticket_id) {
                    t.customer_user = Some(new_user.clone());
                    t.customer_id = Some(cid.clone());
                }
                store.touch(ticket_id, user_id);
                store.add_history(
                    ticket_id,
                    0,
                    "CustomerUpdate",
                    format!("%%CustomerID={cid};CustomerUser={new_user};"),
                    user_id,
                );
            }
        }
    }
    if let Some(p) = priority_id {
        let current = store.tickets.get(&ticket_id).map(|t| t.priority_id);
        if current != Some(p) {
            let before = current.map(priority_name).unwrap_or("");
            if let Some(t) = store.tickets.get_mut(&ticket_id) {
                t.priority_id = p;
            }
            store.touch(ticket_id, user_id);
            store.add_history(
                ticket_id,
                0,
                "PriorityUpdate",
                format!(
                    "%%{before}%%{}%%{}%%{p}",
                    current.unwrap_or(0),
                    priority_name(p)
                ),
                user_id,
            );
        }
    }
    if let Some(o) = owner_id {
        set_owner(store, ticket_id, o, user_id);
    }
    if let Some(r) = responsible_id {
        set_responsible(store, ticket_id, r, user_id);
    }

    let mut article_ids = Vec::new();
    let mut files = Some(files);
    for (a, received) in articles {
        let send = truthy(a.get("ArticleSend"));
        let from = if send && !truthy(a.get("From")) {
            format!("{} <{}>", store.system_address.0, store.system_address.1)
        } else if truthy(a.get("From")) {
            scalar(a.get("From")).unwrap_or_default()
        } else if user_type == "Customer" {
            // Only filled from Ticket.CustomerUser: a plain reply gets an empty From.
            match &customer_data {
                Some(c) => c.mail_string(),
                None => str_or_empty(ticket.get("CustomerUser")),
            }
        } else {
            store
                .agent(user_id)
                .map(|a| a.fullname())
                .unwrap_or_default()
        };
        let mut to = str_or_empty(a.get("To"));
        let cc = str_or_empty(a.get("Cc"));
        let bcc = str_or_empty(a.get("Bcc"));
        let channel_is_email =
            send || scalar(a.get("CommunicationChannel")).as_deref() == Some("Email");
        if to.is_empty() && channel_is_email {
            to = match &customer_data {
                Some(c) => c.mail_string(),
                None => {
                    if ticket.contains_key("CustomerUser") {
                        str_or_empty(ticket.get("CustomerUser"))
                    } else {
                        old.customer_user.clone().unwrap_or_default()
                    }
                }
            };
        }
        let number = store
            .tickets
            .get(&ticket_id)
            .map(|t| t.number.clone())
            .unwrap_or_default();
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
        // Top-level attachments go to the first article only.
        if let Some(f) = files.take() {
            article_files.extend(f);
        }
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
                format!("%%{}%%", crate::znuny::render::perl_number(time_unit)),
                user_id,
            );
        }
        article_ids.push(article_id);
    }

    for (name, value) in dynamic_values {
        // An empty value removes the field's value.
        let empty = matches!(&value, Value::String(s) if s.is_empty())
            || matches!(&value, Value::Array(a) if a.is_empty());
        if let Some(t) = store.tickets.get_mut(&ticket_id) {
            if empty {
                t.dynamic_fields.remove(&name);
            } else {
                t.dynamic_fields.insert(name.clone(), value.clone());
            }
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

    let number = store
        .tickets
        .get(&ticket_id)
        .map(|t| t.number.clone())
        .unwrap_or_default();
    let as_id = |id: u64| match who {
        Principal::Customer(_) => Value::from(id.to_string()),
        Principal::Agent(_) => Value::from(id),
    };
    let mut out = Map::new();
    out.insert("TicketID".into(), Value::from(ticket_id.to_string()));
    out.insert("TicketNumber".into(), Value::from(number));
    if article_ids.len() == 1 {
        out.insert("ArticleID".into(), as_id(article_ids[0]));
    } else if article_ids.len() > 1 {
        out.insert(
            "ArticleIDs".into(),
            Value::Array(article_ids.iter().map(|i| as_id(*i)).collect()),
        );
    }
    OpResult::Ok(Value::Object(out))
}
