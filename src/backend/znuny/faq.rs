//! FAQ answers for the new-ticket form, through the FAQ add-on's public Generic Interface
//! operations (Kernel/GenericInterface/Operation/FAQ/PublicFAQ{Search,Get}.pm in znuny/FAQ),
//! which the admin maps in the web service and config.json names (`PublicFAQSearch`,
//! `PublicFAQGet`); without both routes the form offers no answers.
//! - PublicFAQSearch `{What}`: the ids of the approved FAQ items in a public state
//!   (`FAQ::Public::StateTypes`, stock `public`), all of them (no limit), newest first, as numbers:
//!   `{"ID": [5, 4, 1]}`, a single id not in a list (`{"ID": 1}`), and no match is the business
//!   error `PublicFAQSearch.NotFAQData`. `What` goes through Znuny's `QueryCondition` in its plain
//!   mode: blanks are part of the text (`printer offline` is one phrase), `||` / `|` / `OR` join
//!   alternatives, `+` / `&&` / `AND` terms that must all occur, `!` negates, `(`, `)` and `"`
//!   group, and each term is matched as a substring of the number, title, keywords and public
//!   fields. The portal sends the subject's words (split at blanks and punctuation, 3 or more
//!   characters) as alternatives and orders what it reads by how many of them an item has.
//! - PublicFAQGet `/…/:ItemID` (ids joined by commas), `GetAttachmentContents=0`: `{"FAQItem":
//!   [{ItemID, Title, Field1..6, StateTypeName, …}]}` with every field (Field4–6 too, `""` when
//!   empty); an item not public (or not approved where approval is on) makes the whole answer
//!   `PublicFAQGet.AccessDenied`, one that does not exist `PublicFAQGet.NotValidFAQID`.
//!
//! Recorded on Znuny 7.1.7 with the FAQ package 7.0.2: `fixtures/znuny-7.1.7-faq/`.
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
/// How many of the found items are read to choose those five from.
const READ: usize = 10;
/// How many of the subject's words are searched for.
const WORDS: usize = 8;

/// The subject's words as searched: what lies between blanks and ASCII punctuation (that is
/// query syntax, or punctuation Znuny would match literally: `printer.` does not find
/// "printer"), in lower case, each once; words of 3 or more characters where there are any.
/// (Splitting at Unicode's letters and digits would link its tables into the wasm.)
pub fn words(text: &str) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation()) {
        let word = crate::browser::text::lowercase(word);
        if !word.is_empty() && !all.contains(&word) {
            all.push(word);
        }
    }
    let long: Vec<String> = all
        .iter()
        .filter(|w| w.chars().count() >= 3)
        .cloned()
        .collect();
    let mut chosen = if long.is_empty() { all } else { long };
    chosen.truncate(WORDS);
    chosen
}

/// PublicFAQSearch's request: the words as alternatives (`printer||offline`), each matched
/// anywhere in an item (FAQSearch puts Znuny's `*` wildcard around every term).
pub fn search_params(words: &[String]) -> Params {
    Params::new().with("What", Param::Text(words.join("||")))
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

/// PublicFAQSearch → the ids of the first items found, to read and rank (they go into a URL
/// path: digits only).
pub fn search(status: u16, body: &[u8]) -> PortalResult<Vec<String>> {
    match answer::<FaqAnswer>(status, body) {
        Ok(found) => Ok(found
            .ids
            .0
            .into_iter()
            .filter_map(Scalar::text)
            .filter(|id| is_item_id(id))
            .take(READ)
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

/// PublicFAQGet of the found ids → the answers to offer: those with the most of the `words`
/// (a word in the title counts twice), in the help desk's order where they tie. An item gone
/// or refused since the search (the whole answer is then the error) leaves no answers to offer.
pub fn hits(status: u16, body: &[u8], words: &[String]) -> PortalResult<Vec<AnswerHit>> {
    let found = match items(status, body) {
        Err(e) if e.kind == crate::domain::error::ErrorKind::NotFound => return Ok(Vec::new()),
        other => other?,
    };
    let mut scored: Vec<(usize, Option<Item>)> = found
        .into_iter()
        .filter(|i| !i.title.trim().is_empty())
        .map(|i| (relevance(&i, words), Some(i)))
        .collect();
    // Best first, Znuny's order (newest first) among equals; at most ten items, so a pass per
    // score costs less than a sort's code in the wasm.
    let best = scored.iter().map(|(s, _)| *s).max().unwrap_or(0);
    let mut hits = Vec::new();
    for score in (0..=best).rev() {
        for (_, item) in scored.iter_mut().filter(|(s, _)| *s == score) {
            if let Some(i) = item.take().filter(|_| hits.len() < MAX) {
                hits.push(AnswerHit {
                    id: i.id,
                    title: i.title,
                    snippet: String::new(),
                });
            }
        }
    }
    Ok(hits)
}

fn relevance(item: &Item, words: &[String]) -> usize {
    let lower = crate::browser::text::lowercase;
    let title = lower(&item.title);
    let fields = lower(
        &[&item.symptom, &item.problem, &item.solution]
            .map(|f| f.as_str())
            .join(" "),
    );
    words
        .iter()
        .map(|w| {
            2 * usize::from(title.contains(w.as_str())) + usize::from(fields.contains(w.as_str()))
        })
        .sum()
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
                // A plain-text field keeps its line breaks.
                format!("<p>{}</p>", escape(f).replace('\n', "<br>"))
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
            search(200, br#"{"ID":[1,2,3,4,5,6,7,8,9,10,11,12]}"#).unwrap(),
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
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
        let found = hits(200, ITEMS, &[]).unwrap();
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
        let plain = br#"{"FAQItem":[{"ItemID":2,"Title":"T","StateTypeName":"public","ContentType":"text/plain","Field1":"a <b>\nb"}]}"#;
        assert_eq!(opened(200, plain).unwrap().html, "<p>a &lt;b&gt;<br>b</p>");
        for code in ["AccessDenied", "NotValidFAQID"] {
            let refused = format!(
                r#"{{"Error":{{"ErrorCode":"PublicFAQGet.{code}","ErrorMessage":"PublicFAQGet: Could not get FAQ data in Kernel::GenericInterface::Operation::FAQ::PublicFAQGet::Run()"}}}}"#
            );
            let err = opened(200, refused.as_bytes()).unwrap_err();
            assert_eq!(err.kind, ErrorKind::NotFound, "{code}");
            // Gone since the search: no answers offered, not an error with Znuny's wording.
            assert!(
                hits(200, refused.as_bytes(), &[]).unwrap().is_empty(),
                "{code}"
            );
        }
        assert_eq!(
            opened(200, b"{\"FAQItem\":{}}").unwrap_err().kind,
            ErrorKind::Unreadable
        );
    }

    #[test]
    fn the_subject_is_searched_as_words_any_of_which_may_match() {
        let w = words("My printer (2nd floor) is OFFLINE again, printer!");
        assert_eq!(w, ["printer", "2nd", "floor", "offline", "again"]);
        let sent = serde_json::to_string(&search_params(&w)).unwrap();
        assert_eq!(sent, r#"{"What":"printer||2nd||floor||offline||again"}"#);
        // No query syntax or wildcard of the customer's gets through.
        assert_eq!(
            words("*a*||b&&c+d \"e\" !f %g%"),
            ["a", "b", "c", "d", "e", "f", "g"]
        );
        assert_eq!(words("Drucker FÄLLT aus"), ["drucker", "fällt", "aus"]);
        assert_eq!(
            words("Zugriff\u{a0}verweigert, bitte"),
            ["zugriff", "verweigert", "bitte"]
        );
        assert!(words(" .,;!? ").is_empty());
        assert_eq!(words("a b c d e f g h i j").len(), 8);
    }

    #[test]
    fn the_items_with_most_of_the_words_come_first() {
        let body = br#"{"FAQItem":[
            {"ItemID":"9","Title":"Scanner","StateTypeName":"public","ContentType":"text/html","Field1":"printer"},
            {"ItemID":"8","Title":"Printer offline","StateTypeName":"public","ContentType":"text/html","Field3":"Restart it"},
            {"ItemID":"7","Title":"Printer toner","StateTypeName":"public","ContentType":"text/html"},
            {"ItemID":"6","Title":"Toner","StateTypeName":"public","ContentType":"text/html"}]}"#;
        let w = words("printer offline");
        let ids: Vec<String> = hits(200, body, &w)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, ["8", "7", "9", "6"]);
    }

    /// The answers of a real Znuny 7.1.7 with the FAQ package (fixtures/znuny-7.1.7-faq/).
    fn recorded(case: &str) -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/znuny-7.1.7-faq");
        let name = std::fs::read_dir(dir)
            .expect("fixtures/znuny-7.1.7-faq")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find(|n| n.starts_with(case))
            .unwrap_or_else(|| panic!("no recording {case}"));
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        let rec: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(rec["status"], 200, "{case}");
        rec["raw_body"].as_str().unwrap().as_bytes().to_vec()
    }

    #[test]
    fn real_searches_are_read() {
        assert_eq!(search(200, &recorded("01-")).unwrap(), ["5", "4", "1"]);
        assert_eq!(search(200, &recorded("03-")).unwrap(), ["1"]);
        assert_eq!(search(200, &recorded("18-")).unwrap(), ["5", "4", "1"]);
        for none in ["02-", "04-", "19-", "21-"] {
            assert!(search(200, &recorded(none)).unwrap().is_empty(), "{none}");
        }
    }

    #[test]
    fn real_items_show_only_what_a_customer_may_see() {
        let found = hits(200, &recorded("08-"), &words("printer offline")).unwrap();
        let ids: Vec<&str> = found.iter().map(|h| h.id.as_str()).collect();
        // Item 1 has both words in its title; 5 and 4 "printer" in theirs.
        assert_eq!(ids, ["1", "5", "4"]);
        for case in ["05-", "06-", "07-", "08-", "13-", "14-"] {
            let text = opened(200, &recorded(case)).unwrap();
            for secret in [
                "FAQ-COMMENT-REAL",
                "INTERNAL-ONLY",
                "EXTERNAL-ONLY",
                "Field4 text",
                "Field5 text",
            ] {
                assert!(
                    !text.html.contains(secret) && !text.title.contains(secret),
                    "{case} shows {secret}"
                );
            }
        }
        assert!(opened(200, &recorded("07-")).unwrap().html.contains("<br>"));
        for refused in ["09-", "10-", "11-", "12-", "16-", "17-"] {
            assert_eq!(
                opened(200, &recorded(refused)).unwrap_err().kind,
                ErrorKind::NotFound,
                "{refused}"
            );
            assert!(
                hits(200, &recorded(refused), &[]).unwrap().is_empty(),
                "{refused}"
            );
        }
    }
}
