//! Znuny Generic Interface JSON, reduced to the keys the portal keeps. Owner, Responsible, Lock,
//! TimeUnit, escalation data, To/Cc/Bcc, message ids and the like are never read. IDs arrive as
//! numbers or strings depending on operation and caller; every one is read leniently. A list that
//! is missing or `null` is empty; one that is not an array of objects makes the answer unreadable.
//! Each answer type is read from a JSON object (`decode` checks that the answer is one first).

use crate::json::{self, FromJson, Value};

#[derive(Debug, Default)]
pub struct ErrorObject {
    pub code: String,
    pub message: String,
}

impl ErrorObject {
    /// The business error of a 2xx answer, if it has one. Znuny sends an object with `ErrorCode`
    /// and `ErrorMessage`; any other non-null `Error` still marks the answer as failed, and so
    /// does a repeated `Error` key. Only a JSON object is an envelope; a body that is not JSON
    /// has no error here and is judged by whoever reads the answer.
    pub fn in_answer(answer: &Value) -> Option<ErrorObject> {
        let map = answer.as_object()?;
        if map.repeats("Error") {
            return Some(ErrorObject::default());
        }
        let message = match map.get("Error")? {
            Value::Null => return None,
            Value::Object(m) => {
                return Some(ErrorObject {
                    code: json::text(m, "ErrorCode"),
                    message: json::text(m, "ErrorMessage"),
                })
            }
            Value::String(message) => message.clone(),
            other => other.to_string(),
        };
        Some(ErrorObject {
            code: String::new(),
            message,
        })
    }
}

#[derive(Debug)]
pub struct SessionCreated {
    pub session_id: Option<String>,
}

impl FromJson for SessionCreated {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "the answer")?;
        Ok(SessionCreated {
            session_id: json::opt_text(map, "SessionID"),
        })
    }
}

#[derive(Debug)]
pub struct SessionPair {
    pub key: String,
    pub value: Value,
}

impl FromJson for SessionPair {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "a session pair")?;
        Ok(SessionPair {
            key: json::text(map, "Key"),
            value: map.get("Value").cloned().unwrap_or_default(),
        })
    }
}

#[derive(Debug)]
pub struct SessionData {
    pub pairs: Vec<SessionPair>,
}

impl FromJson for SessionData {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "the answer")?;
        Ok(SessionData {
            pairs: json::list(map, "SessionData")?,
        })
    }
}

/// `{"TicketID": ["6","2"]}`, or `{}` when nothing matched.
#[derive(Debug, Default)]
pub struct SearchResult {
    pub ids: OneOrMany,
}

impl FromJson for SearchResult {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "the answer")?;
        Ok(SearchResult {
            ids: OneOrMany::read(map.get("TicketID").unwrap_or(&Value::Null)),
        })
    }
}

/// Znuny turns a single value into a scalar in some places and an array in others.
#[derive(Debug, Default)]
pub struct OneOrMany(pub Vec<String>);

impl OneOrMany {
    /// Strings and numbers (as text), alone or in an array; anything else is left out.
    fn read(value: &Value) -> Self {
        OneOrMany(match value {
            Value::Array(items) => items.iter().filter_map(Value::opt_string).collect(),
            other => other.opt_string().into_iter().collect(),
        })
    }
}

#[derive(Debug)]
pub struct TicketGetResponse {
    pub tickets: Vec<TicketRow>,
}

impl FromJson for TicketGetResponse {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "the answer")?;
        Ok(TicketGetResponse {
            tickets: json::list(map, "Ticket")?,
        })
    }
}

#[derive(Debug)]
pub struct TicketRow {
    pub id: String,
    pub number: String,
    pub title: String,
    pub state: String,
    pub state_type: String,
    pub queue: Option<String>,
    pub customer_user: Option<String>,
    pub created: String,
    pub changed: String,
    pub articles: Vec<ArticleRow>,
}

impl FromJson for TicketRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "a ticket")?;
        Ok(TicketRow {
            id: json::text(map, "TicketID"),
            number: json::text(map, "TicketNumber"),
            title: json::text(map, "Title"),
            state: json::text(map, "State"),
            state_type: json::text(map, "StateType"),
            queue: json::opt_text(map, "Queue"),
            customer_user: json::opt_text(map, "CustomerUserID"),
            created: json::text(map, "Created"),
            changed: json::text(map, "Changed"),
            articles: json::list(map, "Article")?,
        })
    }
}

#[derive(Debug)]
pub struct ArticleRow {
    pub id: String,
    pub sender_type: String,
    /// `IsVisibleForCustomer`.
    pub visible: Option<u64>,
    pub from: String,
    pub subject: String,
    pub body: String,
    pub content_type: String,
    pub create_time: String,
    pub attachments: Vec<AttachmentRow>,
}

impl FromJson for ArticleRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "an article")?;
        Ok(ArticleRow {
            id: json::text(map, "ArticleID"),
            sender_type: json::text(map, "SenderType"),
            visible: json::opt_u64(map, "IsVisibleForCustomer"),
            from: json::text(map, "From"),
            subject: json::text(map, "Subject"),
            body: json::text(map, "Body"),
            content_type: json::text(map, "ContentType"),
            create_time: json::text(map, "CreateTime"),
            attachments: json::list(map, "Attachment")?,
        })
    }
}

#[derive(Debug)]
pub struct AttachmentRow {
    pub file_id: String,
    pub filename: String,
    pub content_type: String,
    /// `FilesizeRaw`.
    pub size: Option<u64>,
    pub disposition: String,
    /// `<part@host>` of inline images, which HTML bodies refer to as `cid:part@host`.
    pub content_id: String,
    /// Base64; `""` when asked for without contents.
    pub content: String,
}

impl FromJson for AttachmentRow {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "an attachment")?;
        Ok(AttachmentRow {
            file_id: json::text(map, "FileID"),
            filename: json::text(map, "Filename"),
            content_type: json::text(map, "ContentType"),
            size: json::opt_u64(map, "FilesizeRaw"),
            disposition: json::text(map, "Disposition"),
            content_id: json::text(map, "ContentID"),
            content: json::text(map, "Content"),
        })
    }
}

/// TicketCreate / TicketUpdate answer.
#[derive(Debug)]
pub struct WriteResult {
    pub ticket_id: Option<String>,
}

impl FromJson for WriteResult {
    fn from_json(value: &Value) -> Result<Self, String> {
        let map = json::object(value, "the answer")?;
        Ok(WriteResult {
            ticket_id: json::opt_text(map, "TicketID"),
        })
    }
}
