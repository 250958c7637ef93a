//! SessionCreate, SessionGet and SessionRemove (`Operation/Session/*.pm`).

use super::*;
use crate::znuny::store::{session_data, Logout, Session};

fn hash(data: Data) -> Option<Map<String, Value>> {
    match data {
        Data::Hash(m) if !m.is_empty() => Some(m),
        _ => None,
    }
}

pub fn create(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let Some(data) = hash(data) else {
        return OpResult::err(
            "SessionCreate.MissingParameter",
            "SessionCreate: The request is empty!",
        );
    };
    if !truthy(data.get("Password")) {
        return OpResult::err(
            "SessionCreate.MissingParameter",
            "SessionCreate: Password parameter is missing!",
        );
    }
    let password = str_or_empty(data.get("Password"));
    let who = if truthy(data.get("UserLogin")) {
        scalar(data.get("UserLogin"))
            .and_then(|l| auth_agent(store, &l, &password))
            .map(Principal::Agent)
    } else if truthy(data.get("CustomerUserLogin")) {
        scalar(data.get("CustomerUserLogin"))
            .and_then(|l| auth_customer(store, &l, &password))
            .map(Principal::Customer)
    } else {
        None
    };
    let Some(who) = who else {
        return OpResult::err(
            "SessionCreate.AuthFail",
            "SessionCreate: Authorization failing!",
        );
    };
    let start = store.now();
    let id = store.new_session_id();
    let data = session_data(store, &who, start, &ctx.remote_addr, &ctx.user_agent);
    store.sessions.insert(
        id.clone(),
        Session {
            id: id.clone(),
            who,
            start,
            remote_addr: ctx.remote_addr.clone(),
            user_agent: ctx.user_agent.clone(),
            data,
        },
    );
    OpResult::Ok(json!({ "SessionID": id }))
}

pub fn get(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let Some(data) = hash(data) else {
        return OpResult::err(
            "SessionGet.MissingParameter",
            "SessionGet: The request is empty!",
        );
    };
    if !truthy(data.get("SessionID")) {
        return OpResult::err(
            "SessionGet.MissingParameter",
            "SessionGet: SessionID is missing!",
        );
    }
    let session =
        scalar(data.get("SessionID")).and_then(|id| store.check_session(&id, &ctx.remote_addr));
    let Some(session) = session else {
        return OpResult::err(
            "SessionGet.SessionInvalid",
            "SessionGet: SessionID is Invalid!",
        );
    };
    let list: Vec<Value> = session
        .data
        .iter()
        .map(|(k, v)| match v {
            Value::Object(_) | Value::Array(_) => json!({
                "Key": k,
                "Serialized": 1,
                "Value": crate::znuny::json::encode(v),
            }),
            other => json!({"Key": k, "Value": other}),
        })
        .collect();
    OpResult::Ok(json!({ "SessionData": list }))
}

pub fn remove(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let Some(mut data) = hash(data) else {
        return OpResult::err(
            "SessionRemove.MissingParameter",
            "SessionRemove: The request is empty!",
        );
    };
    if !truthy(data.get("SessionID")) {
        return OpResult::err(
            "SessionRemove.MissingParameter",
            "SessionRemove: SessionID parameter is missing!",
        );
    }
    let sid = scalar(data.get("SessionID")).unwrap_or_default();
    let credentials = truthy(data.get("UserLogin")) || truthy(data.get("CustomerUserLogin"));
    // 7.1.7 removes the SessionID before authenticating, so only credentials can succeed.
    // The fixed releases accept the session itself.
    if store.settings.logout == Logout::Quirk717 || credentials {
        data.remove("SessionID");
    }
    let Some(who) = auth(store, &data, ctx) else {
        return OpResult::err(
            "SessionRemove.AuthFail",
            "SessionRemove: Authorization failed!",
        );
    };
    let Some(session) = store.sessions.get(&sid).cloned() else {
        return OpResult::Ok(json!({"Success": 1}));
    };
    match (&who, &session.who) {
        (Principal::Customer(me), owner) => {
            let mine = matches!(owner, Principal::Customer(o) if o.eq_ignore_ascii_case(me));
            if !mine {
                return OpResult::err(
                    "SessionRemove.AuthFail",
                    "SessionRemove: Authorization failing!",
                );
            }
        }
        (Principal::Agent(me), owner) => {
            let mine = matches!(owner, Principal::Agent(o) if o == me);
            let admin = store.agent(*me).map(|a| a.admin).unwrap_or(false);
            if !mine && !admin {
                return OpResult::err(
                    "SessionRemove.AuthFail",
                    "SessionRemove: Authorization failed! User needs to be in group admin.",
                );
            }
        }
    }
    store.sessions.remove(&sid);
    OpResult::Ok(json!({"Success": 1}))
}
