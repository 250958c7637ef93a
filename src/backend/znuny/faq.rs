//! FAQ answers for the new-ticket form, through the FAQ add-on's public Generic Interface
//! operations (Kernel/GenericInterface/Operation/FAQ/PublicFAQ{Search,Get}.pm in znuny/FAQ),
//! which the admin maps in the web service and config.json names (`PublicFAQSearch`,
//! `PublicFAQGet`); without both routes the form offers no answers.
//! - PublicFAQSearch `{What: "*text*"}`: the ids of the matching FAQ items in a public state
//!   (`FAQ::Public::StateTypes`), all of them (no limit): `{"ID": [..]}`, a single id not in a
//!   list, and no match is the business error `PublicFAQSearch.NotFAQData`.
//! - PublicFAQGet `/…/:ItemID` (ids joined by commas), `GetAttachmentContents=0`: `{"FAQItem":
//!   [{ItemID, Title, Field1..6, StateTypeName, …}]}`; an item not public (or not approved where
//!   approval is on) is `PublicFAQGet.AccessDenied`.
//!
//! Neither needs a session, and none is sent. Only Field1-3 (symptom, problem, solution: shown
//! to the public in a stock FAQ) are kept; Field6 (comment) is internal by default, 4 and 5 off.

use serde::Deserialize;

use super::decode::answer;
use super::map::{Param, Params};
use super::wire::{self, ErrorObject};
use crate::de::{self, Many, Scalar};
use crate::domain::error::{PortalError, PortalResult};
use crate::domain::{AnswerHit, AnswerText};

/// How many answers the form shows (PublicFAQSearch has no limit of its own).
const MAX: usize = 5;

/// PublicFAQSearch's request: `*` around the text makes it a "contains" search.
pub fn search_params(text: &str) -> Params {
    // `*` and `%` are Znuny's wildcards: a customer's own ones would widen the search.
    let clean: String = text.chars().filter(|c| !matches!(c, '*' | '%')).collect();
    Params::new().with("What", Param::Text(format!("*{}*", clean.trim())))
}

/// PublicFAQGet's query: no attachment contents (the form shows text only).
pub fn get_params() -> Params {
    Params::new().with("GetAttachmentContents", Param::Whole(0))
}

/// Both operations' answers in one type (each serde reader costs the wasm its own code).
#[derive(Deserialize)]
struct FaqAnswer {
    #[serde(rename = "Error", default, deserialize_with = "wire::error")]
    error: Option<ErrorObject>,
    #[serde(rename = "ID", default)]
    ids: Many,
    #[serde(rename = "FAQItem", default, deserialize_with = "de::list")]
    items: Vec<Item>,
}

impl wire::Answer for FaqAnswer {
    fn error(&mut self) -> Option<ErrorObject> {
        self.error.take()
    }
}

#[derive(Deserialize)]
struct Item {
    #[serde(rename = "ItemID", default, deserialize_with = "de::text")]
    id: String,
    #[serde(rename = "Title", default, deserialize_with = "de::text")]
    title: String,
    #[serde(rename = "StateTypeName", default, deserialize_with = "de::text")]
    state_type: String,
    #[serde(rename = "ContentType", default, deserialize_with = "de::text")]
    content_type: String,
    #[serde(rename = "Field1", default, deserialize_with = "de::text")]
    symptom: String,
    #[serde(rename = "Field2", default, deserialize_with = "de::text")]
    problem: String,
    #[serde(rename = "Field3", default, deserialize_with = "de::text")]
    solution: String,
}

/// Both operations' answers as they came (a failed status is an error): one request reader
/// for the two calls keeps one copy of the request code in the wasm; `search`, `hits` and
/// `opened` read the body.
pub fn raw(status: u16, body: &[u8]) -> PortalResult<Vec<u8>> {
    match super::map::status_error(status) {
        Some(e) => Err(e),
        None => Ok(body.to_vec()),
    }
}

fn is_item_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

/// PublicFAQSearch → the first five ids (they go into a URL path: digits only).
pub fn search(status: u16, body: &[u8]) -> PortalResult<Vec<String>> {
    match answer::<FaqAnswer>(status, body) {
        Ok(found) => Ok(found
            .ids
            .0
            .into_iter()
            .filter_map(Scalar::text)
            .filter(|id| is_item_id(id))
            .take(MAX)
            .collect()),
        // Nothing matched.
        Err(_) if is_no_data(body) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

fn is_no_data(body: &[u8]) -> bool {
    de::object::<FaqAnswer>(body)
        .ok()
        .and_then(|a| a.error)
        .is_some_and(|e| e.code == "PublicFAQSearch.NotFAQData")
}

/// The public items of a PublicFAQGet answer (an item in another state is dropped).
fn items(status: u16, body: &[u8]) -> PortalResult<Vec<Item>> {
    let got: FaqAnswer = answer(status, body)?;
    Ok(got
        .items
        .into_iter()
        .filter(|i| i.state_type == "public" && is_item_id(&i.id))
        .collect())
}

/// PublicFAQGet of the found ids → the answers to offer.
pub fn hits(status: u16, body: &[u8]) -> PortalResult<Vec<AnswerHit>> {
    Ok(items(status, body)?
        .into_iter()
        .filter(|i| !i.title.trim().is_empty())
        .take(MAX)
        .map(|i| AnswerHit {
            id: i.id,
            title: i.title,
            snippet: String::new(),
        })
        .collect())
}

/// PublicFAQGet of one id → its title and HTML (plain-text fields escaped into it).
pub fn opened(status: u16, body: &[u8]) -> PortalResult<AnswerText> {
    let item = items(status, body)?
        .into_iter()
        .next()
        .ok_or_else(PortalError::not_found)?;
    let html = [&item.symptom, &item.problem, &item.solution]
        .into_iter()
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            if item.content_type.starts_with("text/html") {
                f.clone()
            } else {
                format!("<p>{}</p>", escape(f))
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(AnswerText {
        title: item.title,
        html,
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::ErrorKind;

    #[test]
    fn search_reads_one_id_many_ids_and_no_match() {
        assert_eq!(search(200, br#"{"ID":"4"}"#).unwrap(), ["4"]);
        assert_eq!(
            search(200, br#"{"ID":[1,2,3,4,5,6,7]}"#).unwrap(),
            ["1", "2", "3", "4", "5"]
        );
        let none = br#"{"Error":{"ErrorCode":"PublicFAQSearch.NotFAQData","ErrorMessage":"PublicFAQSearch: Could not get FAQ data"}}"#;
        assert_eq!(search(200, none).unwrap(), Vec::<String>::new());
        assert_eq!(
            search(200, br#"{"ID":["1/../x"]}"#).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn search_of_another_shape_is_unreadable() {
        for body in [&b"[]"[..], b"<html>", b"{\"ID\":"] {
            assert_eq!(search(200, body).unwrap_err().kind, ErrorKind::Unreadable);
        }
        assert_eq!(search(500, b"").unwrap_err().kind, ErrorKind::Server);
    }

    const ITEMS: &[u8] = br#"{"FAQItem":[
        {"ItemID":1,"Title":"Reset","StateTypeName":"public","ContentType":"text/html","Field1":"<p>S</p>","Field3":"<p>Do</p>","Field6":"<p>agent comment</p>"},
        {"ItemID":5,"Title":"Internal","StateTypeName":"internal","ContentType":"text/html","Field1":"x"}]}"#;

    #[test]
    fn internal_item_and_internal_fields_are_dropped() {
        let found = hits(200, ITEMS).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "1");
        let text = opened(200, ITEMS).unwrap();
        assert_eq!(text.html, "<p>S</p>\n<p>Do</p>");
        assert!(!text.html.contains("agent comment"));
        let internal =
            br#"{"FAQItem":[{"ItemID":5,"Title":"I","StateTypeName":"internal","Field1":"x"}]}"#;
        assert_eq!(opened(200, internal).unwrap_err().kind, ErrorKind::NotFound);
    }

    #[test]
    fn plain_text_items_are_escaped_and_denied_items_not_found() {
        let plain = br#"{"FAQItem":[{"ItemID":2,"Title":"T","StateTypeName":"public","ContentType":"text/plain","Field1":"a <b>"}]}"#;
        assert_eq!(opened(200, plain).unwrap().html, "<p>a &lt;b&gt;</p>");
        let denied = br#"{"Error":{"ErrorCode":"PublicFAQGet.AccessDenied","ErrorMessage":"x"}}"#;
        assert_eq!(opened(200, denied).unwrap_err().kind, ErrorKind::NotFound);
        assert_eq!(
            opened(200, b"{\"FAQItem\":{}}").unwrap_err().kind,
            ErrorKind::Unreadable
        );
    }
}
