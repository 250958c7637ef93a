//! The FAQ add-on's public operations (znuny/FAQ,
//! `Kernel/GenericInterface/Operation/FAQ/PublicFAQ{Search,Get}.pm`) over the demo knowledge
//! base in `crate::answers` (one category "Misc", language `en`, stock states: public items are
//! "public (all)", the internal one "internal (agent)"). Neither operation asks who calls.
//! Field3 (solution) holds each answer's HTML; Field6 (comment, internal in a stock FAQ) an
//! agent note the portal must never show ([`COMMENT_MARKER`]).

use super::{str_or_empty, OpResult};
use crate::answers::{self, Answer, ANSWERS};
use crate::znuny::Data;
use serde_json::{json, Value};

/// In every item's Field6 (the internal comment field).
pub const COMMENT_MARKER: &str = "FAQ-COMMENT-3b9d";

/// `What`: Znuny's QueryCondition, as FAQSearch uses it: words (blank-separated) that must all
/// occur, `*` a wildcard, case-insensitive.
fn matches(a: &Answer, what: &str) -> bool {
    let words: Vec<String> = what
        .split_whitespace()
        .map(|w| w.replace('*', "").to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| answers::matches(a, w))
}

pub fn search(data: Data) -> OpResult {
    // `$Param{Data}->{OrderBy}` on a list dies.
    let Data::Hash(data) = data else {
        return OpResult::Die;
    };
    let what = str_or_empty(data.get("What"));
    let title = str_or_empty(data.get("Title"));
    // Only public items; FAQID, newest first (the stock `SortBy::Default` / `Order::Default`).
    let mut ids: Vec<u64> = ANSWERS
        .iter()
        .filter(|a| a.public)
        .filter(|a| what.is_empty() || matches(a, &what))
        .filter(|a| title.is_empty() || matches(a, &title))
        .map(|a| a.id)
        .collect();
    ids.reverse();
    match ids.as_slice() {
        [] => OpResult::err(
            "PublicFAQSearch.NotFAQData",
            "PublicFAQSearch: Could not get FAQ data in Kernel::GenericInterface::Operation::FAQ::PublicFAQSearch::Run()",
        ),
        [one] => OpResult::Ok(json!({ "ID": one.to_string() })),
        many => OpResult::Ok(json!({
            "ID": many.iter().map(u64::to_string).collect::<Vec<_>>()
        })),
    }
}

fn item(a: &Answer) -> Value {
    let (state, state_id, state_type, type_id) = if a.public {
        ("public (all)", 3, "public", 3)
    } else {
        ("internal (agent)", 1, "internal", 1)
    };
    json!({
        "ID": a.id.to_string(), "ItemID": a.id.to_string(), "FAQID": a.id.to_string(),
        "Number": format!("{}", 100_000 + a.id), "CategoryID": "1", "CategoryName": "Misc",
        "CategoryShortName": "Misc", "LanguageID": "1", "Language": "en", "Title": a.title,
        "Field1": Value::Null, "Field2": Value::Null, "Field3": a.html,
        "Field4": Value::Null, "Field5": Value::Null,
        "Field6": format!("<p>Agent note {COMMENT_MARKER}: check the ticket history first.</p>"),
        "Approved": "1", "Keywords": "", "Votes": "0", "VoteResult": "0.00",
        "StateID": state_id.to_string(), "State": state, "StateTypeID": type_id.to_string(),
        "StateTypeName": state_type, "CreatedBy": "1", "ChangedBy": "1",
        "Created": "2025-11-01 09:00:00", "Changed": "2025-11-03 09:00:00",
        "Name": format!("1761987600-{}", a.id), "ContentType": "text/html",
    })
}

pub fn get(data: Data) -> OpResult {
    let Data::Hash(data) = data else {
        return OpResult::Die;
    };
    let ids = str_or_empty(data.get("ItemID"));
    if ids.is_empty() {
        return OpResult::err(
            "PublicFAQGet.MissingParameter",
            "PublicFAQGet: Got no ItemID!",
        );
    }
    let mut items = Vec::new();
    for id in ids.split(',') {
        let Some(a) = ANSWERS.iter().find(|a| a.id.to_string() == id) else {
            return OpResult::err(
                "PublicFAQGet.NotValidFAQID",
                "PublicFAQGet: Could not get FAQ data in Kernel::GenericInterface::Operation::FAQ::PublicFAQGet::Run()",
            );
        };
        if !a.public {
            return OpResult::err(
                "PublicFAQGet.AccessDenied",
                "PublicFAQGet: Could not get FAQ data in Kernel::GenericInterface::Operation::FAQ::PublicFAQGet::Run()",
            );
        }
        items.push(item(a));
    }
    OpResult::Ok(json!({ "FAQItem": items }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn hash(v: Value) -> Data {
        match v {
            Value::Object(m) => Data::Hash(m),
            _ => Data::Hash(Map::new()),
        }
    }

    #[test]
    fn search_gives_public_ids_a_scalar_for_one_and_an_error_for_none() {
        assert_eq!(
            search(hash(json!({"What": "*printer*"}))),
            OpResult::Ok(json!({"ID": ["6", "2"]}))
        );
        assert_eq!(
            search(hash(json!({"What": "*vpn*"}))),
            OpResult::Ok(json!({"ID": "3"}))
        );
        // The internal item matches "password" too, and is never found.
        assert_eq!(
            search(hash(json!({"What": "*password*"}))),
            OpResult::Ok(json!({"ID": "1"}))
        );
        assert!(
            matches!(search(hash(json!({"What": "*zzz*"}))), OpResult::Error(c, _) if c == "PublicFAQSearch.NotFAQData")
        );
    }

    #[test]
    fn get_refuses_internal_and_unknown_items() {
        assert!(
            matches!(get(hash(json!({"ItemID": "5"}))), OpResult::Error(c, _) if c == "PublicFAQGet.AccessDenied")
        );
        assert!(
            matches!(get(hash(json!({"ItemID": "1,99"}))), OpResult::Error(c, _) if c == "PublicFAQGet.NotValidFAQID")
        );
        assert!(
            matches!(get(hash(json!({}))), OpResult::Error(c, _) if c == "PublicFAQGet.MissingParameter")
        );
        let OpResult::Ok(v) = get(hash(json!({"ItemID": "1,2"}))) else {
            panic!("not ok")
        };
        assert_eq!(v["FAQItem"].as_array().map(Vec::len), Some(2));
    }
}
