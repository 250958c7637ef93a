//! The Generic Interface operations (`Kernel/GenericInterface/Operation/*`).

mod create;
mod faq;
mod get;
mod history;
mod search;
mod session;
mod update;
pub mod validate;

use super::store::{Principal, Store};
use super::{truthy, Data, GiReply, OpKind};
use serde_json::{json, Map, Value};

/// Per-request facts the operations need besides the input data.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub remote_addr: String,
    pub user_agent: String,
}

/// What an operation returns (the three layers of contract section 6, plus a crash).
#[derive(Debug, Clone, PartialEq)]
pub enum OpResult {
    /// `Success => 1` with data: HTTP 200.
    Ok(Value),
    /// `ReturnError`: HTTP 200 `{"Error":{"ErrorCode","ErrorMessage"}}`.
    Error(String, String),
    /// `Success => 0`: HTTP 500 `{"faultcode":"Server","faultstring":…}` as text/plain.
    Fault(String),
    /// The Perl code dies (e.g. a JSON array body where a hash is dereferenced).
    Die,
}

impl OpResult {
    pub fn err(code: &str, message: impl Into<String>) -> Self {
        OpResult::Error(code.to_string(), message.into())
    }

    pub fn into_reply(self) -> GiReply {
        match self {
            OpResult::Ok(v) => GiReply::Json(v),
            OpResult::Error(code, message) => GiReply::Json(json!({
                "Error": {"ErrorCode": code, "ErrorMessage": message}
            })),
            OpResult::Fault(msg) => GiReply::Fault(msg),
            OpResult::Die => GiReply::Bare500,
        }
    }
}

pub fn run(store: &mut Store, kind: OpKind, data: Data, ctx: &Ctx) -> OpResult {
    match kind {
        OpKind::SessionCreate => session::create(store, data, ctx),
        OpKind::SessionGet => session::get(store, data, ctx),
        OpKind::SessionRemove => session::remove(store, data, ctx),
        OpKind::TicketCreate => create::run(store, data, ctx),
        OpKind::TicketGet => get::run(store, data, ctx),
        OpKind::TicketHistoryGet => history::run(store, data, ctx),
        OpKind::TicketSearch => search::run(store, data, ctx),
        OpKind::TicketUpdate => update::run(store, data, ctx),
        OpKind::PublicFAQSearch => faq::search(data),
        OpKind::PublicFAQGet => faq::get(data),
    }
}

/// A Perl scalar as a string (`None` for undef and references).
/// `TicketID` as TicketGet and TicketHistoryGet accept it: a comma list, a number or an array;
/// `None` when its structure is wrong.
pub fn ticket_id_list(v: Option<&Value>) -> Option<Vec<String>> {
    match v {
        Some(Value::String(s)) => Some(s.split(',').map(String::from).collect()),
        Some(Value::Number(n)) => Some(vec![n.to_string()]),
        Some(Value::Array(a)) if !a.is_empty() => Some(
            a.iter()
                .map(|v| scalar(Some(v)).unwrap_or_default())
                .collect(),
        ),
        _ => None,
    }
}

pub fn scalar(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(if *b { "1".into() } else { "0".into() }),
        _ => None,
    }
}

/// `$Value || ''`
pub fn str_or_empty(v: Option<&Value>) -> String {
    if truthy(v) {
        scalar(v).unwrap_or_default()
    } else {
        String::new()
    }
}

/// `IsStringWithData`
pub fn is_string_with_data(v: Option<&Value>) -> bool {
    match v {
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(_)) | Some(Value::Bool(_)) => true,
        _ => false,
    }
}

/// `IsHashRefWithData`
pub fn is_hash_with_data(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Object(m)) if !m.is_empty())
}

/// `IsArrayRefWithData`
pub fn is_array_with_data(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Array(a)) if !a.is_empty())
}

/// `s/ (?: \A\s+ | \s+\z ) //gx for values %$Hash` (strings only).
pub fn trim_values(m: &mut Map<String, Value>) {
    for v in m.values_mut() {
        if let Value::String(s) = v {
            let t = s.trim();
            if t.len() != s.len() {
                *s = t.to_string();
            }
        }
    }
}

/// `Kernel::GenericInterface::Operation::Common::Auth`: the SessionID first (and only it,
/// when present), then `UserLogin`, then `CustomerUserLogin` with `Password`.
pub fn auth(store: &mut Store, data: &Map<String, Value>, ctx: &Ctx) -> Option<Principal> {
    let sid = data.get("SessionID");
    if truthy(sid) {
        let id = match sid {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return None,
        };
        return store.check_session(&id, &ctx.remote_addr).map(|s| s.who);
    }
    let password = str_or_empty(data.get("Password"));
    if truthy(data.get("UserLogin")) {
        let login = scalar(data.get("UserLogin"))?;
        return auth_agent(store, &login, &password).map(Principal::Agent);
    }
    if truthy(data.get("CustomerUserLogin")) {
        let login = scalar(data.get("CustomerUserLogin"))?;
        return auth_customer(store, &login, &password).map(Principal::Customer);
    }
    None
}

/// `Kernel::System::Auth->Auth` (DB backend).
pub fn auth_agent(store: &Store, login: &str, password: &str) -> Option<u64> {
    let a = store.agent_by_login(login)?;
    match &a.password {
        Some(p) if a.valid && !password.is_empty() && p == password => Some(a.id),
        _ => None,
    }
}

/// `Kernel::System::CustomerAuth->Auth` (DB backend): the login only, never the e-mail.
/// Counts failures and records the last login like the real backend.
pub fn auth_customer(store: &mut Store, login: &str, password: &str) -> Option<String> {
    let now = store.now();
    let c = store.customer_mut(login)?;
    if c.valid && !password.is_empty() && c.password == password {
        c.login_failed = 0;
        c.last_login = Some(now);
        Some(c.login.clone())
    } else {
        c.login_failed += 1;
        None
    }
}

/// The acting user ID for changes: customers act as `CustomerPanelUserID` (1).
pub fn acting_user(who: &Principal) -> u64 {
    match who {
        Principal::Agent(id) => *id,
        Principal::Customer(_) => 1,
    }
}
