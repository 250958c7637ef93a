//! The FAQ add-on's public operations (znuny/FAQ,
//! `Kernel/GenericInterface/Operation/FAQ/PublicFAQ{Search,Get}.pm`) over the demo knowledge
//! base in `crate::answers` (one category "Misc", language `en`, stock states: public items are
//! "public (all)", the internal one "internal (agent)"). Neither operation asks who calls.
//! Field3 (solution) holds each answer's HTML; Field6 (comment, internal in a stock FAQ) an
//! agent note the portal must never show ([`COMMENT_MARKER`]).

use super::{str_or_empty, OpResult};
use crate::answers::{self, Answer, ANSWERS};
use crate::znuny::Data;
use base64::Engine;
use serde_json::{json, Value};

/// In every item's Field6 (the internal comment field).
pub const COMMENT_MARKER: &str = "FAQ-COMMENT-3b9d";

/// `What` as FAQSearch reads it: Znuny's QueryCondition in its plain mode (recorded in
/// fixtures/znuny-7.1.7-faq/, 18–21): `||`, `|` and `OR` join alternatives, `&&`, `+` and `AND`
/// terms that must all occur; a blank is part of a term (`offline restart` is one phrase),
/// `*` a wildcard, and each term (wildcards around it, as FAQSearch adds them) is matched
/// case-insensitively in the title and the public fields. Negation and grouping are not
/// modelled: the portal sends neither.
fn matches(a: &Answer, what: &str) -> bool {
    let what = what
        .replace(" OR ", "||")
        .replace(" AND ", "&&")
        .replace('+', "&&");
    let text = format!("{} {}", a.title, answers::text(a.html)).to_lowercase();
    what.split('|')
        .filter(|alt| !alt.trim().is_empty())
        .any(|alt| {
            let terms: Vec<String> = alt
                .split("&&")
                .map(|t| {
                    t.trim()
                        .trim_matches(|c| c == '*' || c == '%')
                        .to_lowercase()
                })
                .filter(|t| !t.is_empty())
                .collect();
            !terms.is_empty()
                && terms.iter().all(|t| {
                    // An inner `*` matches anything between its two sides.
                    let mut rest = text.as_str();
                    t.split(['*', '%']).all(|piece| match rest.find(piece) {
                        Some(at) => {
                            rest = &rest[at + piece.len()..];
                            true
                        }
                        None => false,
                    })
                })
        })
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
        // Numbers, as recorded (01, 03).
        [one] => OpResult::Ok(json!({ "ID": one })),
        many => OpResult::Ok(json!({ "ID": many })),
    }
}

/// The attachment the first answer carries (FAQ items may have files; the portal shows none).
const ATTACHMENT: &[u8] = b"hello attachment\n";

/// One item as PublicFAQGet gives it (recorded: 05, 13, 14): every field, `""` when empty,
/// numbers where Znuny's database gives them.
fn item(a: &Answer, contents: bool) -> Value {
    let (state, state_id, state_type, type_id) = if a.public {
        ("public (all)", 3, "public", 3)
    } else {
        ("internal (agent)", 2, "internal", 2)
    };
    let mut item = json!({
        "ID": a.id.to_string(), "ItemID": a.id.to_string(), "FAQID": a.id.to_string(),
        "Number": format!("{}", 100_000 + a.id), "CategoryID": 1, "CategoryName": "Misc",
        "CategoryShortName": "Misc", "LanguageID": 1, "Language": "en", "Title": a.title,
        "Field1": "", "Field2": "", "Field3": a.html, "Field4": "", "Field5": "",
        "Field6": format!("<p>Agent note {COMMENT_MARKER}: check the ticket history first.</p>"),
        "Approved": 1, "Keywords": "", "Votes": 0, "VoteResult": "0.00",
        "StateID": state_id, "State": state, "StateTypeID": type_id.to_string(),
        "StateTypeName": state_type, "CreatedBy": 1, "ChangedBy": 1,
        "Created": "2025-11-01 09:00:00", "Changed": "2025-11-03 09:00:00",
        "Name": format!("1761987600-{}", a.id), "ContentType": "text/html",
        "Valid": "valid", "ValidID": 1,
    });
    if a.id == 1 {
        // `GetAttachmentContents=0`: no content, the size in words; otherwise base64 and bytes.
        let (content, size) = if contents {
            (
                // MIME::Base64 ends its lines with a newline.
                format!(
                    "{}\n",
                    base64::engine::general_purpose::STANDARD.encode(ATTACHMENT)
                ),
                ATTACHMENT.len().to_string(),
            )
        } else {
            (String::new(), format!("{} Bytes", ATTACHMENT.len()))
        };
        item["Attachment"] = json!([{
            "Content": content, "ContentType": "text/plain", "FileID": 1,
            "Filename": "readme.txt", "Filesize": size, "Inline": 0,
        }]);
    }
    item
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
    // `// 1`, as in TicketGet: only an explicit false value turns contents off (recorded: 14
    // without the parameter has them, 05 asked for none).
    let contents = match data.get("GetAttachmentContents") {
        None | Some(Value::Null) => true,
        v => crate::znuny::truthy(v),
    };
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
        items.push(item(a, contents));
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
            OpResult::Ok(json!({"ID": [6, 2]}))
        );
        assert_eq!(
            search(hash(json!({"What": "*vpn*"}))),
            OpResult::Ok(json!({"ID": 3}))
        );
        // The internal item matches "password" too, and is never found.
        assert_eq!(
            search(hash(json!({"What": "*password*"}))),
            OpResult::Ok(json!({"ID": 1}))
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

    fn ids(what: &str) -> Vec<u64> {
        match search(hash(json!({ "What": what }))) {
            OpResult::Ok(v) => match &v["ID"] {
                Value::Array(a) => a.iter().filter_map(Value::as_u64).collect(),
                one => one.as_u64().into_iter().collect(),
            },
            _ => Vec::new(),
        }
    }

    #[test]
    fn what_is_a_phrase_unless_joined_with_or_and() {
        // Recorded 19: a blank is part of the phrase.
        assert_eq!(ids("printer paper"), Vec::<u64>::new());
        assert_eq!(ids("paper jam"), [2]);
        // 18, 20: alternatives.
        assert_eq!(ids("printer||broken"), [6, 2]);
        assert_eq!(ids("my||printer"), [6, 2, 1]);
        assert_eq!(ids("vpn||zzz"), [3]);
        // Terms that must all occur.
        assert_eq!(ids("printer&&driver"), [6]);
        assert_eq!(ids("printer+jam"), [2]);
        // 21: punctuation is matched as written.
        assert_eq!(ids("printer.||zzz"), Vec::<u64>::new());
        assert_eq!(ids("pass*word"), [1]);
    }

    /// Keys and value types, recursively: the fake's answers against the recorded ones.
    fn shape(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, x)| (k.clone(), shape(x))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().take(1).map(shape).collect()),
            Value::String(_) => json!("string"),
            Value::Number(_) => json!("number"),
            other => json!(format!("{other:?}")),
        }
    }

    fn recorded(name: &str) -> Value {
        let path = format!(
            "{}/../fixtures/znuny-7.1.7-faq/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let rec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        rec["body"].clone()
    }

    #[test]
    fn answers_have_the_recorded_shapes() {
        let OpResult::Ok(one) = get(hash(json!({"ItemID": "1", "GetAttachmentContents": "0"})))
        else {
            panic!("not ok")
        };
        assert_eq!(shape(&one), shape(&recorded("05-get-public")));
        assert_eq!(one["FAQItem"][0]["Attachment"][0]["Filesize"], "17 Bytes");
        let OpResult::Ok(with) = get(hash(json!({"ItemID": "1"}))) else {
            panic!("not ok")
        };
        assert_eq!(
            shape(&with),
            shape(&recorded("14-get-public-with-attachment-contents"))
        );
        assert_eq!(
            with["FAQItem"][0]["Attachment"][0]["Content"],
            "aGVsbG8gYXR0YWNobWVudAo=\n"
        );
        let OpResult::Ok(plain) = get(hash(json!({"ItemID": "3", "GetAttachmentContents": 0})))
        else {
            panic!("not ok")
        };
        assert_eq!(
            shape(&plain),
            shape(&recorded("13-get-unapproved-approval-off"))
        );
        let OpResult::Ok(found) = search(hash(json!({"What": "printer"}))) else {
            panic!("not ok")
        };
        assert_eq!(shape(&found), shape(&recorded("01-search-printer")));
        let OpResult::Ok(single) = search(hash(json!({"What": "vpn"}))) else {
            panic!("not ok")
        };
        assert_eq!(shape(&single), shape(&recorded("03-search-one-match")));
    }
}
