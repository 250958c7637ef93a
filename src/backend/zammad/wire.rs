//! Zammad's JSON, reduced to the keys the portal keeps. Everything not named here (owner, notes,
//! time accounting, escalation data, delivery details, …) is never copied out of the parsed answer.
//! Every key is optional or defaulted where Zammad versions differ; IDs accept numbers or strings.

use crate::json::{self, FromJson, Map, Value};

/// A member holding one nested row: `None` when missing or `null`.
fn nested<T: FromJson>(map: &Map, key: &str) -> Result<Option<T>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::from_json(v)
            .map(Some)
            .map_err(|e| format!("`{key}`: {e}")),
    }
}

#[derive(Debug)]
pub struct UserRow {
    pub id: u64,
    pub login: Option<String>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: Option<String>,
    pub organization_id: Option<u64>,
    pub organization_ids: Option<Vec<Value>>,
}

impl FromJson for UserRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "a user")?;
        Ok(Self {
            id: json::required_u64(m, "id")?,
            login: json::opt_text(m, "login"),
            firstname: json::opt_text(m, "firstname"),
            lastname: json::opt_text(m, "lastname"),
            email: json::opt_text(m, "email"),
            organization_id: json::opt_u64(m, "organization_id"),
            organization_ids: m.get("organization_ids").and_then(Value::as_array).cloned(),
        })
    }
}

#[derive(Debug)]
pub struct TicketRow {
    pub id: u64,
    pub number: String,
    pub title: String,
    pub state_id: Option<u64>,
    pub state: Option<String>,
    pub group_id: Option<u64>,
    pub group: Option<String>,
    pub customer_id: Option<u64>,
    pub created_at: String,
    pub updated_at: String,
    /// The first close (Zammad 5 and later).
    pub close_at: Option<String>,
    /// The latest close (6.x and later): the reopen window is measured from it.
    pub last_close_at: Option<String>,
}

impl FromJson for TicketRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "a ticket")?;
        Ok(Self {
            id: json::required_u64(m, "id")?,
            number: json::text(m, "number"),
            title: json::text(m, "title"),
            state_id: json::opt_u64(m, "state_id"),
            state: json::opt_text(m, "state"),
            group_id: json::opt_u64(m, "group_id"),
            group: json::opt_text(m, "group"),
            customer_id: json::opt_u64(m, "customer_id"),
            created_at: json::text(m, "created_at"),
            updated_at: json::text(m, "updated_at"),
            close_at: json::opt_text(m, "close_at"),
            last_close_at: json::opt_text(m, "last_close_at"),
        })
    }
}

#[derive(Debug)]
pub struct ArticleRow {
    pub id: u64,
    pub sender: Option<String>,
    pub sender_id: Option<u64>,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub content_type: Option<String>,
    /// Zammad never sends internal articles to customers; if one arrives anyway it is dropped.
    pub internal: Value,
    pub created_at: String,
    pub attachments: Vec<AttachmentRow>,
}

impl FromJson for ArticleRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "an article")?;
        Ok(Self {
            id: json::required_u64(m, "id")?,
            sender: json::opt_text(m, "sender"),
            sender_id: json::opt_u64(m, "sender_id"),
            from: json::opt_text(m, "from"),
            subject: json::opt_text(m, "subject"),
            body: json::text(m, "body"),
            content_type: json::opt_text(m, "content_type"),
            internal: m.get("internal").cloned().unwrap_or_default(),
            created_at: json::text(m, "created_at"),
            attachments: json::list(m, "attachments")?,
        })
    }
}

#[derive(Debug)]
pub struct AttachmentRow {
    pub id: u64,
    pub filename: String,
    pub size: Option<u64>,
    pub preferences: Option<Map>,
}

impl FromJson for AttachmentRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "an attachment")?;
        Ok(Self {
            id: json::required_u64(m, "id")?,
            filename: json::text(m, "filename"),
            size: json::opt_u64(m, "size"),
            preferences: m.get("preferences").and_then(Value::as_object).cloned(),
        })
    }
}

#[derive(Debug)]
pub struct StateRow {
    pub id: u64,
    pub name: String,
    pub state_type: Option<String>,
    pub state_type_id: Option<u64>,
    pub active: Option<bool>,
    pub default_follow_up: Option<bool>,
}

impl FromJson for StateRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "a state")?;
        Ok(Self {
            id: json::required_u64(m, "id")?,
            name: json::text(m, "name"),
            state_type: json::opt_text(m, "state_type"),
            state_type_id: json::opt_u64(m, "state_type_id"),
            active: json::opt_bool(m, "active"),
            default_follow_up: json::opt_bool(m, "default_follow_up"),
        })
    }
}

#[derive(Debug)]
pub struct GroupRow {
    pub id: u64,
    pub follow_up_possible: Option<String>,
    pub reopen_time_in_days: Option<u64>,
}

impl FromJson for GroupRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "a group")?;
        Ok(Self {
            id: json::required_u64(m, "id")?,
            follow_up_possible: json::opt_text(m, "follow_up_possible"),
            reopen_time_in_days: json::opt_u64(m, "reopen_time_in_days"),
        })
    }
}

#[derive(Debug, Default)]
pub struct ErrorBody {
    pub error: Option<String>,
    pub error_human: Option<String>,
    pub two_factor_required: Option<Value>,
}

impl ErrorBody {
    /// An error answer's body. Anything but a JSON object (a proxy's HTML page, `[…]`) reads as an
    /// empty body.
    pub fn read(body: &[u8]) -> Self {
        match json::parse(body) {
            Ok(Value::Object(m)) => Self {
                error: json::opt_text(&m, "error"),
                error_human: json::opt_text(&m, "error_human"),
                two_factor_required: m
                    .get("two_factor_required")
                    .filter(|v| !v.is_null())
                    .cloned(),
            },
            _ => Self::default(),
        }
    }
}

/// `{"token": …}` since the end of 2023, `{"name": …}` before.
#[derive(Debug)]
pub struct TokenCreated {
    pub token: Option<String>,
    pub name: Option<String>,
}

impl FromJson for TokenCreated {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "the new token")?;
        Ok(Self {
            token: json::opt_text(m, "token"),
            name: json::opt_text(m, "name"),
        })
    }
}

#[derive(Debug)]
pub struct TokenList {
    pub tokens: Vec<TokenEntry>,
}

impl FromJson for TokenList {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "the token list")?;
        Ok(Self {
            tokens: json::list(m, "tokens")?,
        })
    }
}

#[derive(Debug)]
pub struct TokenEntry {
    pub id: u64,
    pub name: Option<String>,
    pub label: Option<String>,
}

impl FromJson for TokenEntry {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "a token")?;
        Ok(Self {
            id: json::required_u64(m, "id")?,
            name: json::opt_text(m, "name"),
            label: json::opt_text(m, "label"),
        })
    }
}

/// signin (201) and signshow (200) bodies: only the session's user matters.
#[derive(Debug)]
pub struct SessionBody {
    pub session: Option<UserRow>,
}

impl FromJson for SessionBody {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "the session")?;
        Ok(Self {
            session: nested(m, "session")?,
        })
    }
}

/// Group ids as Zammad writes them in settings and Core Workflow answers: numbers or numeric
/// strings, alone or in a list; `""` (Zammad's "no value") and anything else are left out.
fn group_ids(value: &Value) -> Vec<String> {
    let one = |v: &Value| v.flex_u64().map(|id| id.to_string());
    match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

/// The settings signshow hands Zammad's own client (`config`), read for the rules of the "New
/// ticket" form. Zammad includes `customer_ticket_create` and its groups only for a signed-in
/// caller (a cookie session or a token: sessions_controller.rb `config_frontend`).
#[derive(Debug, Default, PartialEq)]
pub struct ClientConfig {
    /// signshow knew the caller (`session` present).
    pub signed_in: bool,
    /// `customer_ticket_create`.
    pub customer_ticket_create: Option<bool>,
    /// `customer_ticket_create_group_ids`; `None` when unset or empty (every group).
    pub create_group_ids: Option<Vec<String>>,
}

impl FromJson for ClientConfig {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "the session")?;
        let config = m.get("config").and_then(Value::as_object);
        let setting = |key: &str| config.and_then(|c| c.get(key));
        Ok(Self {
            signed_in: matches!(m.get("session"), Some(Value::Object(_))),
            customer_ticket_create: setting("customer_ticket_create").and_then(Value::as_bool),
            create_group_ids: setting("customer_ticket_create_group_ids")
                .map(group_ids)
                .filter(|ids| !ids.is_empty()),
        })
    }
}

/// `GET /ticket_create`: what Core Workflow lets the caller pick on the create screen
/// (`form_meta.core_workflow.restrict_values.group_id`) and the names of those groups
/// (`assets.Group`).
#[derive(Debug, Default, PartialEq)]
pub struct TicketCreateForm {
    /// `None`: the answer does not restrict groups.
    pub group_ids: Option<Vec<String>>,
    /// `(id, name)` of the groups the answer carries as assets.
    pub group_names: Vec<(String, String)>,
}

impl FromJson for TicketCreateForm {
    fn from_json(value: &Value) -> Result<Self, String> {
        let m = json::object(value, "the ticket form")?;
        let group_ids = m
            .get("form_meta")
            .and_then(|f| f.get("core_workflow"))
            .and_then(|c| c.get("restrict_values"))
            .and_then(|r| r.get("group_id"))
            .map(group_ids);
        let group_names = m
            .get("assets")
            .and_then(|a| a.get("Group"))
            .and_then(Value::as_object)
            .map(|groups| {
                groups
                    .iter()
                    .filter_map(|(id, g)| {
                        let name = g.get("name").and_then(Value::as_str)?;
                        Some((id.clone(), name.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            group_ids,
            group_names,
        })
    }
}
