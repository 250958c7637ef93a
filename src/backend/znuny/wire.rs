//! Znuny Generic Interface JSON, reduced to the keys the portal keeps. Owner, Responsible, Lock,
//! TimeUnit, escalation data, To/Cc/Bcc, message ids and the like are skipped unread. IDs arrive
//! as numbers or strings depending on operation and caller; every one is read leniently (the
//! helpers of `crate::de`). A list that is missing or `null` is empty; one that is not an array of
//! objects makes the answer unreadable. Each answer type is read from a JSON object, and carries
//! the business `Error` any answer may have (`Answer`).

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine as _};
use serde::{Deserialize, Deserializer};

use crate::de::{self, Many, Scalar};

/// A business error of a 2xx answer, as Znuny words it.
#[derive(Debug, Default, PartialEq)]
pub struct ErrorObject {
    pub code: String,
    pub message: String,
}

#[derive(Deserialize)]
struct ErrorFields {
    #[serde(rename = "ErrorCode", default, deserialize_with = "de::text")]
    code: String,
    #[serde(rename = "ErrorMessage", default, deserialize_with = "de::text")]
    message: String,
}

/// An answer's `Error` member: Znuny sends an object with `ErrorCode` and `ErrorMessage`; any
/// other value but `null` still marks the answer as failed (a string, number or boolean as its
/// message).
pub(super) fn error<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ErrorObject>, D::Error> {
    use serde::de::{value::MapAccessDeserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    struct ErrorVisitor;
    impl<'de> Visitor<'de> for ErrorVisitor {
        type Value = Option<ErrorObject>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let e = ErrorFields::deserialize(MapAccessDeserializer::new(map))?;
            Ok(Some(ErrorObject {
                code: e.code,
                message: e.message,
            }))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            IgnoredAny.visit_seq(seq)?;
            Ok(Some(ErrorObject::default()))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(ErrorObject {
                code: String::new(),
                message: v.to_string(),
            }))
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
            self.visit_str(if v { "true" } else { "false" })
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            self.visit_str(&Scalar::Float(v).text().unwrap_or_default())
        }
    }
    d.deserialize_any(ErrorVisitor)
}

/// `{"Error": …}` of any answer, everything else skipped unread.
#[derive(Deserialize)]
pub struct ErrorEnvelope {
    #[serde(rename = "Error", default, deserialize_with = "error")]
    pub error: Option<ErrorObject>,
}

/// An answer type: every one may carry a business `Error` in an HTTP 200.
pub trait Answer: serde::de::DeserializeOwned {
    fn error(&mut self) -> Option<ErrorObject>;
}

macro_rules! answer {
    ($($t:ty),*) => {$(
        impl Answer for $t {
            fn error(&mut self) -> Option<ErrorObject> {
                self.error.take()
            }
        }
    )*};
}
answer!(
    SessionCreated,
    SessionData,
    SearchResult,
    TicketGetResponse,
    WriteResult
);

#[derive(Debug, Deserialize)]
pub struct SessionCreated {
    #[serde(rename = "Error", default, deserialize_with = "error")]
    error: Option<ErrorObject>,
    #[serde(rename = "SessionID", default, deserialize_with = "de::opt_text")]
    pub session_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SessionPair {
    #[serde(rename = "Key", default, deserialize_with = "de::text")]
    pub key: String,
    #[serde(rename = "Value", default)]
    pub value: Scalar,
}

#[derive(Debug, Deserialize)]
pub struct SessionData {
    #[serde(rename = "Error", default, deserialize_with = "error")]
    error: Option<ErrorObject>,
    #[serde(rename = "SessionData", default, deserialize_with = "de::list")]
    pub pairs: Vec<SessionPair>,
}

/// `{"TicketID": ["6","2"]}`, or `{}` when nothing matched. Znuny turns a single value into a
/// scalar in some places and an array in others; strings and numbers (as text) are kept,
/// anything else is left out.
#[derive(Debug, Deserialize)]
pub struct SearchResult {
    #[serde(rename = "Error", default, deserialize_with = "error")]
    error: Option<ErrorObject>,
    #[serde(rename = "TicketID", default)]
    ids: Many,
}

impl SearchResult {
    pub fn ids(self) -> Vec<String> {
        self.ids.0.into_iter().filter_map(Scalar::text).collect()
    }
}

#[derive(Debug, Deserialize)]
pub struct TicketGetResponse {
    #[serde(rename = "Error", default, deserialize_with = "error")]
    error: Option<ErrorObject>,
    #[serde(rename = "Ticket", default, deserialize_with = "de::list")]
    pub tickets: Vec<TicketRow>,
}

#[derive(Debug, Deserialize)]
pub struct TicketRow {
    #[serde(rename = "TicketID", default, deserialize_with = "de::text")]
    pub id: String,
    #[serde(rename = "TicketNumber", default, deserialize_with = "de::text")]
    pub number: String,
    #[serde(rename = "Title", default, deserialize_with = "de::text")]
    pub title: String,
    #[serde(rename = "State", default, deserialize_with = "de::text")]
    pub state: String,
    #[serde(rename = "StateType", default, deserialize_with = "de::text")]
    pub state_type: String,
    #[serde(rename = "Queue", default, deserialize_with = "de::opt_text")]
    pub queue: Option<String>,
    #[serde(rename = "CustomerUserID", default, deserialize_with = "de::opt_text")]
    pub customer_user: Option<String>,
    #[serde(rename = "Created", default, deserialize_with = "de::text")]
    pub created: String,
    #[serde(rename = "Changed", default, deserialize_with = "de::text")]
    pub changed: String,
    #[serde(rename = "Article", default, deserialize_with = "de::list")]
    pub articles: Vec<ArticleRow>,
}

#[derive(Debug, Deserialize)]
pub struct ArticleRow {
    #[serde(rename = "ArticleID", default, deserialize_with = "de::text")]
    pub id: String,
    #[serde(rename = "SenderType", default, deserialize_with = "de::text")]
    pub sender_type: String,
    /// `IsVisibleForCustomer`.
    #[serde(
        rename = "IsVisibleForCustomer",
        default,
        deserialize_with = "de::opt_u64"
    )]
    pub visible: Option<u64>,
    #[serde(rename = "From", default, deserialize_with = "de::text")]
    pub from: String,
    #[serde(rename = "Subject", default, deserialize_with = "de::text")]
    pub subject: String,
    #[serde(rename = "Body", default, deserialize_with = "de::text")]
    pub body: String,
    #[serde(rename = "ContentType", default, deserialize_with = "de::text")]
    pub content_type: String,
    #[serde(rename = "CreateTime", default, deserialize_with = "de::text")]
    pub create_time: String,
    #[serde(rename = "Attachment", default, deserialize_with = "de::list")]
    pub attachments: Vec<AttachmentRow>,
}

#[derive(Debug, Deserialize)]
pub struct AttachmentRow {
    #[serde(rename = "FileID", default, deserialize_with = "de::text")]
    pub file_id: String,
    #[serde(rename = "Filename", default, deserialize_with = "de::text")]
    pub filename: String,
    #[serde(rename = "ContentType", default, deserialize_with = "de::text")]
    pub content_type: String,
    /// `FilesizeRaw`.
    #[serde(rename = "FilesizeRaw", default, deserialize_with = "de::opt_u64")]
    pub size: Option<u64>,
    #[serde(rename = "Disposition", default, deserialize_with = "de::text")]
    pub disposition: String,
    /// `<part@host>` of inline images, which HTML bodies refer to as `cid:part@host`.
    #[serde(rename = "ContentID", default, deserialize_with = "de::text")]
    pub content_id: String,
    /// Base64 (`base64_decode`); `""` when asked for without contents.
    #[serde(rename = "Content", default, deserialize_with = "de::text")]
    pub content: String,
}

/// TicketCreate / TicketUpdate answer.
#[derive(Debug, Deserialize)]
pub struct WriteResult {
    #[serde(rename = "Error", default, deserialize_with = "error")]
    error: Option<ErrorObject>,
    #[serde(rename = "TicketID", default, deserialize_with = "de::opt_text")]
    pub ticket_id: Option<String>,
}

/// Standard base64 as Znuny writes attachment contents (Perl's MIME::Base64: lines of 76
/// characters), read leniently: line breaks and other ASCII white space are skipped, padding may
/// be missing, unused trailing bits may be set.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// An attachment's `Content`; `None` when it is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let packed: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        BASE64.decode(packed).ok()
    } else {
        BASE64.decode(text).ok()
    }
}

/// Standard base64 with padding, for uploads.
pub fn base64_encode(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_reads_wrapped_lines() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..40 {
            let enc = base64_encode(&data[..len]);
            assert_eq!(enc.len() % 4, 0);
            assert_eq!(base64_decode(&enc).unwrap(), &data[..len]);
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("bG9nIGxpbmUK").unwrap(), b"log line\n");
        assert_eq!(base64_decode("aGVs\nbG8=").unwrap(), b"hello");
        assert_eq!(
            base64_decode("aGVs\r\nbG8").unwrap(),
            b"hello",
            "padding may be missing"
        );
        assert!(base64_decode("not base64!").is_none());
        assert!(base64_decode("aGVs=bG8").is_none());
        // 10 MB, as a customer may attach it, wrapped as Znuny sends it.
        let big: Vec<u8> = (0..10 * 1024 * 1024).map(|i| (i * 7 % 251) as u8).collect();
        let wrapped: String = base64_encode(&big)
            .as_bytes()
            .chunks(76)
            .map(|line| std::str::from_utf8(line).unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(base64_decode(&wrapped).as_deref(), Some(&big[..]));
    }
}
