//! TicketGet (`Operation/Ticket/TicketGet.pm`), also used for `TicketGetList` (table B).

use super::*;
use crate::znuny::render;
use crate::znuny::store::*;

fn e(code: &str, msg: &str) -> OpResult {
    OpResult::err(&format!("TicketGet.{code}"), format!("TicketGet: {msg}"))
}

pub fn run(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let Data::Hash(data) = data else {
        return OpResult::Die;
    };
    let Some(who) = auth(store, &data, ctx) else {
        return e("AuthFail", "Authorization failing!");
    };
    if !truthy(data.get("TicketID")) {
        return e("MissingParameter", "TicketID parameter is missing!");
    }
    let Some(ids) = ticket_id_list(data.get("TicketID")) else {
        return e("WrongStructure", "Structure for TicketID is not correct!");
    };
    for id in &ids {
        let ok = store
            .ticket_by_id_str(id)
            .map(|t| store.can_see(&who, t))
            .unwrap_or(false);
        if !ok {
            return e("AccessDenied", "User does not have access to the ticket!");
        }
    }
    let all_articles = truthy(data.get("AllArticles"));
    let order_desc = scalar(data.get("ArticleOrder")).as_deref() == Some("DESC");
    let limit: usize = if truthy(data.get("ArticleLimit")) {
        scalar(data.get("ArticleLimit"))
            .and_then(|l| l.trim().parse::<i64>().ok())
            .map(|l| l.max(0) as usize)
            .unwrap_or(0)
    } else {
        0
    };
    let attachments = truthy(data.get("Attachments"));
    // `// 1`: only an explicit false value turns contents off.
    let contents = match data.get("GetAttachmentContents") {
        None | Some(Value::Null) => true,
        v => truthy(v),
    };
    let html_as_attachment = truthy(data.get("HTMLBodyAsAttachment"));
    let sender_types: Option<Vec<String>> = match data.get("ArticleSenderType") {
        Some(Value::Array(a)) if !a.is_empty() => {
            Some(a.iter().filter_map(|v| scalar(Some(v))).collect())
        }
        v if is_string_with_data(v) => scalar(v).map(|s| vec![s]),
        _ => None,
    };
    let customer = matches!(who, Principal::Customer(_));
    let dynamic_fields = truthy(data.get("DynamicFields"));

    let mut items = Vec::new();
    for id in &ids {
        let Some(t) = store.ticket_by_id_str(id) else {
            return e(
                "NotValidTicketID",
                "Could not get Ticket data in Kernel::GenericInterface::Operation::Ticket::TicketGet::Run()",
            );
        };
        let mut entry = render::ticket(store, t);
        if dynamic_fields {
            // Only the fields with a stored value, sorted by name (7.1.7's TicketGet reads just
            // the values set for the ticket; no key at all when there is none). Customers get
            // them all: the Generic Interface has no field-level rights.
            let list: Vec<Value> = t
                .dynamic_fields
                .iter()
                .filter(|(n, _)| store.dynamic_fields.iter().any(|d| &d.name == *n))
                .map(|(n, v)| json!({"Name": n, "Value": v}))
                .collect();
            if !list.is_empty() {
                entry.insert("DynamicField".into(), Value::Array(list));
            }
        }
        if !all_articles {
            items.push(Value::Object(entry));
            continue;
        }
        let visible = |a: &&Article| !customer || a.visible;
        let mut list: Vec<&Article> = match &sender_types {
            Some(types) => types
                .iter()
                .flat_map(|st| {
                    store
                        .articles_of(t.id)
                        .filter(visible)
                        .filter(move |a| sender_type_name(a.sender_type_id) == st.as_str())
                        .collect::<Vec<_>>()
                })
                .collect(),
            None => store.articles_of(t.id).filter(visible).collect(),
        };
        // ArticleOrder only matters together with ArticleLimit (as in Znuny).
        let mut ticket_limit = limit;
        if limit > list.len() {
            ticket_limit = list.len();
        }
        if !list.is_empty() && ticket_limit > 0 {
            if order_desc {
                list.reverse();
            }
            list.truncate(ticket_limit);
        }
        let box_: Vec<Value> = list
            .iter()
            .map(|a| {
                let mut m = render::article(a);
                if attachments {
                    let files = render::attachments(store, a, html_as_attachment, contents);
                    if !files.is_empty() {
                        m.insert("Attachment".into(), Value::Array(files));
                    }
                }
                Value::Object(m)
            })
            .collect();
        if !box_.is_empty() {
            entry.insert("Article".into(), Value::Array(box_));
        }
        items.push(Value::Object(entry));
    }
    OpResult::Ok(json!({ "Ticket": items }))
}
