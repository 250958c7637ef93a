//! Znuny Generic Interface JSON, reduced to the keys the portal keeps. Owner, Responsible, Lock,
//! TimeUnit, escalation data, To/Cc/Bcc, message ids and the like are never read. IDs arrive as
//! numbers or strings depending on operation and caller; every one is read leniently.

use serde::Deserialize;

use crate::backend::lenient::{flex_string, opt_flex_u64, opt_string};

#[derive(Debug, Default, Deserialize)]
pub struct ErrorObject {
    #[serde(rename = "ErrorCode", default, deserialize_with = "flex_string")]
    pub code: String,
    #[serde(rename = "ErrorMessage", default, deserialize_with = "flex_string")]
    pub message: String,
}

/// Any answer may carry a business error in HTTP 200.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorEnvelope {
    #[serde(rename = "Error", default)]
    pub error: Option<serde_json::Value>,
}

impl ErrorEnvelope {
    /// The business error of a 2xx answer, if it has one. Znuny sends an object with `ErrorCode`
    /// and `ErrorMessage`; any other non-null `Error` still marks the answer as failed. Only a
    /// JSON object is an envelope (serde would read a struct from an array too); a body that is
    /// not JSON has no error here and is judged by whoever reads the answer.
    pub fn error_in(body: &[u8]) -> Option<ErrorObject> {
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            return None;
        }
        match serde_json::from_slice::<ErrorEnvelope>(body) {
            Ok(envelope) => match envelope.error? {
                serde_json::Value::Null => None,
                v @ serde_json::Value::Object(_) => {
                    Some(serde_json::from_value(v).unwrap_or_default())
                }
                serde_json::Value::String(message) => Some(ErrorObject {
                    code: String::new(),
                    message,
                }),
                other => Some(ErrorObject {
                    code: String::new(),
                    message: other.to_string(),
                }),
            },
            // Valid JSON that is no envelope: only a repeated `Error` key does that.
            Err(e) if e.is_data() => Some(ErrorObject::default()),
            Err(_) => None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SessionCreated {
    #[serde(rename = "SessionID", default, deserialize_with = "opt_string")]
    pub session_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SessionPair {
    #[serde(rename = "Key", default, deserialize_with = "flex_string")]
    pub key: String,
    #[serde(rename = "Value", default)]
    pub value: serde_json::Value,
}

#[derive(Debug, Deserialize)]
pub struct SessionData {
    #[serde(rename = "SessionData", default)]
    pub pairs: Vec<SessionPair>,
}

/// `{"TicketID": ["6","2"]}`, or `{}` when nothing matched.
#[derive(Debug, Default, Deserialize)]
pub struct SearchResult {
    #[serde(rename = "TicketID", default)]
    pub ids: OneOrMany,
}

/// Znuny turns a single value into a scalar in some places and an array in others.
#[derive(Debug, Default)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        Ok(OneOrMany(match &v {
            serde_json::Value::Array(items) => items.iter().filter_map(text).collect(),
            other => text(other).into_iter().collect(),
        }))
    }
}

#[derive(Debug, Deserialize)]
pub struct TicketGetResponse {
    #[serde(rename = "Ticket", default)]
    pub tickets: Vec<TicketRow>,
}

#[derive(Debug, Deserialize)]
pub struct TicketRow {
    #[serde(rename = "TicketID", default, deserialize_with = "flex_string")]
    pub id: String,
    #[serde(rename = "TicketNumber", default, deserialize_with = "flex_string")]
    pub number: String,
    #[serde(rename = "Title", default, deserialize_with = "flex_string")]
    pub title: String,
    #[serde(rename = "State", default, deserialize_with = "flex_string")]
    pub state: String,
    #[serde(rename = "StateType", default, deserialize_with = "flex_string")]
    pub state_type: String,
    #[serde(rename = "Queue", default, deserialize_with = "opt_string")]
    pub queue: Option<String>,
    #[serde(rename = "CustomerUserID", default, deserialize_with = "opt_string")]
    pub customer_user: Option<String>,
    #[serde(rename = "Created", default, deserialize_with = "flex_string")]
    pub created: String,
    #[serde(rename = "Changed", default, deserialize_with = "flex_string")]
    pub changed: String,
    #[serde(rename = "Article", default)]
    pub articles: Vec<ArticleRow>,
}

#[derive(Debug, Deserialize)]
pub struct ArticleRow {
    #[serde(rename = "ArticleID", default, deserialize_with = "flex_string")]
    pub id: String,
    #[serde(rename = "SenderType", default, deserialize_with = "flex_string")]
    pub sender_type: String,
    #[serde(
        rename = "IsVisibleForCustomer",
        default,
        deserialize_with = "opt_flex_u64"
    )]
    pub visible: Option<u64>,
    #[serde(rename = "From", default, deserialize_with = "flex_string")]
    pub from: String,
    #[serde(rename = "Subject", default, deserialize_with = "flex_string")]
    pub subject: String,
    #[serde(rename = "Body", default, deserialize_with = "flex_string")]
    pub body: String,
    #[serde(rename = "ContentType", default, deserialize_with = "flex_string")]
    pub content_type: String,
    #[serde(rename = "CreateTime", default, deserialize_with = "flex_string")]
    pub create_time: String,
    #[serde(rename = "Attachment", default)]
    pub attachments: Vec<AttachmentRow>,
}

#[derive(Debug, Deserialize)]
pub struct AttachmentRow {
    #[serde(rename = "FileID", default, deserialize_with = "flex_string")]
    pub file_id: String,
    #[serde(rename = "Filename", default, deserialize_with = "flex_string")]
    pub filename: String,
    #[serde(rename = "ContentType", default, deserialize_with = "flex_string")]
    pub content_type: String,
    #[serde(rename = "FilesizeRaw", default, deserialize_with = "opt_flex_u64")]
    pub size: Option<u64>,
    #[serde(rename = "Disposition", default, deserialize_with = "flex_string")]
    pub disposition: String,
    /// `<part@host>` of inline images, which HTML bodies refer to as `cid:part@host`.
    #[serde(rename = "ContentID", default, deserialize_with = "flex_string")]
    pub content_id: String,
    /// Base64; `""` when asked for without contents.
    #[serde(rename = "Content", default, deserialize_with = "flex_string")]
    pub content: String,
}

/// TicketCreate / TicketUpdate answer.
#[derive(Debug, Deserialize)]
pub struct WriteResult {
    #[serde(rename = "TicketID", default, deserialize_with = "opt_string")]
    pub ticket_id: Option<String>,
}
