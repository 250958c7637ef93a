//! TicketHistoryGet (`Operation/Ticket/TicketHistoryGet.pm`): agents only.

use super::*;
use crate::znuny::store::*;

fn e(code: &str, msg: &str) -> OpResult {
    OpResult::err(
        &format!("TicketHistoryGet.{code}"),
        format!("TicketHistoryGet: {msg}"),
    )
}

pub fn run(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let Data::Hash(data) = data else {
        return OpResult::Die;
    };
    let Some(who) = auth(store, &data, ctx) else {
        return e("AuthFail", "Authorization failing!");
    };
    if matches!(who, Principal::Customer(_)) {
        return e("AuthFail", "User needs to an Agent!");
    }
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
            return e(
                "AccessDenied",
                &format!("User does not have access to the ticket {id}!"),
            );
        }
    }
    let mut histories = Vec::new();
    for id in &ids {
        let tid = store.ticket_by_id_str(id).map(|t| t.id).unwrap_or(0);
        let lines: Vec<Value> = store
            .history
            .iter()
            .filter(|h| h.ticket_id == tid)
            .map(|h| {
                json!({
                    "ArticleID": h.article_id,
                    "CreateBy": h.create_by,
                    "CreateTime": timestamp(h.created),
                    "HistoryType": h.history_type,
                    "HistoryTypeID": history_type_id(h.history_type).unwrap_or(25),
                    "Name": h.name,
                    "OwnerID": h.owner_id,
                    "PriorityID": h.priority_id,
                    "QueueID": h.queue_id,
                    "StateID": h.state_id,
                    "TicketID": id,
                    "TypeID": h.type_id,
                })
            })
            .collect();
        histories.push(json!({"History": lines, "TicketID": id}));
    }
    OpResult::Ok(json!({ "TicketHistory": histories }))
}
