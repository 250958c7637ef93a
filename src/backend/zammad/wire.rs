//! Zammad's JSON, reduced to the keys the portal keeps. Everything not named here (owner, notes,
//! time accounting, escalation data, delivery details, …) is never even read into memory.
//! Every key is optional or defaulted where Zammad versions differ; IDs accept numbers or strings.

use serde::Deserialize;

use crate::backend::lenient::{flex_string, flex_u64, opt_flex_u64, opt_string};

#[derive(Debug, Deserialize)]
pub struct UserRow {
    #[serde(deserialize_with = "flex_u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "opt_string")]
    pub login: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub firstname: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub lastname: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub organization_id: Option<u64>,
    #[serde(default)]
    pub organization_ids: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
pub struct TicketRow {
    #[serde(deserialize_with = "flex_u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "flex_string")]
    pub number: String,
    #[serde(default, deserialize_with = "flex_string")]
    pub title: String,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub state_id: Option<u64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub group_id: Option<u64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub group: Option<String>,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub customer_id: Option<u64>,
    #[serde(default, deserialize_with = "flex_string")]
    pub created_at: String,
    #[serde(default, deserialize_with = "flex_string")]
    pub updated_at: String,
    #[serde(default, deserialize_with = "opt_string")]
    pub close_at: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ArticleRow {
    #[serde(deserialize_with = "flex_u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "opt_string")]
    pub sender: Option<String>,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub sender_id: Option<u64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "flex_string")]
    pub body: String,
    #[serde(default, deserialize_with = "opt_string")]
    pub content_type: Option<String>,
    /// Zammad never sends internal articles to customers; if one arrives anyway it is dropped.
    #[serde(default)]
    pub internal: serde_json::Value,
    #[serde(default, deserialize_with = "flex_string")]
    pub created_at: String,
    #[serde(default)]
    pub attachments: Vec<AttachmentRow>,
}

#[derive(Debug, Deserialize)]
pub struct AttachmentRow {
    #[serde(deserialize_with = "flex_u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "flex_string")]
    pub filename: String,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub size: Option<u64>,
    #[serde(default)]
    pub preferences: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
pub struct StateRow {
    #[serde(deserialize_with = "flex_u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "flex_string")]
    pub name: String,
    #[serde(default, deserialize_with = "opt_string")]
    pub state_type: Option<String>,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub state_type_id: Option<u64>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub default_follow_up: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct GroupRow {
    #[serde(deserialize_with = "flex_u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "opt_string")]
    pub follow_up_possible: Option<String>,
    #[serde(default, deserialize_with = "opt_flex_u64")]
    pub reopen_time_in_days: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default, deserialize_with = "opt_string")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub error_human: Option<String>,
    #[serde(default)]
    pub two_factor_required: Option<serde_json::Value>,
}

impl ErrorBody {
    /// An error answer's body. Anything but a JSON object (a proxy's HTML page, `[…]`, which serde
    /// would read as a struct too) reads as an empty body.
    pub fn read(body: &[u8]) -> Self {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(v @ serde_json::Value::Object(_)) => serde_json::from_value(v).unwrap_or_default(),
            _ => Self::default(),
        }
    }
}

/// `{"token": …}` since the end of 2023, `{"name": …}` before.
#[derive(Debug, Deserialize)]
pub struct TokenCreated {
    #[serde(default, deserialize_with = "opt_string")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TokenList {
    #[serde(default)]
    pub tokens: Vec<TokenEntry>,
}

#[derive(Debug, Deserialize)]
pub struct TokenEntry {
    #[serde(deserialize_with = "flex_u64")]
    pub id: u64,
    #[serde(default, deserialize_with = "opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub label: Option<String>,
}

/// signin (201) and signshow (200) bodies: only the session's user matters.
#[derive(Debug, Deserialize)]
pub struct SessionBody {
    #[serde(default)]
    pub session: Option<UserRow>,
}
