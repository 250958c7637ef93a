//! Knowledge Base answers for the new-ticket form, read from Zammad's source
//! (app/controllers/knowledge_base/search_controller.rb, lib/search_knowledge_base_backend.rb,
//! app/controllers/knowledge_base/answers_controller.rb, app/policies/knowledge_base/answer_policy.rb):
//! - `POST /knowledge_bases/search` `{query, flavor: "public", index:
//!   "KnowledgeBase::Answer::Translation", limit, url_type: "agent", highlight_enabled: false}`
//!   (+ `knowledge_base_id`, `locale` from config.json). Any caller may search; for a customer
//!   (no `knowledge_base.*` permission) the backend keeps only *published* answers, never internal
//!   or archived ones. The answer is `{result: [{id, type}], details: [{id, type, title, body,
//!   url, …}]}`; `id` is the answer *translation*'s, `body` a plain-text excerpt, and with
//!   `url_type: "agent"` the `url` is `/api/v1/knowledge_bases/<kb>/answers/<answer>?include_contents=<translation>`,
//!   the only place the answer's own id appears.
//! - `GET /knowledge_bases/<kb>/answers/<answer>?include_contents=<id>`: the answer's assets
//!   (`KnowledgeBaseAnswer`, `KnowledgeBaseAnswerTranslation` with `content_id`,
//!   `KnowledgeBaseAnswerTranslationContent` with the HTML `body`). The policy lets a customer
//!   see only a visible (published, not archived) answer; anything else is a 403.
//!   `include_contents` names *content* ids; Zammad's own link passes the translation's id,
//!   which is the content's only while both were created together, so a missing content is
//!   asked once more by the translation's `content_id`.

use serde_json::Value;

use crate::browser::http;

use crate::domain::error::{PortalError, PortalResult, Why};
use crate::domain::{AnswerHit, AnswerText};

/// The search index of answer translations (the only kind of result the portal shows).
const ANSWER_INDEX: &str = "KnowledgeBase::Answer::Translation";

/// `POST /knowledge_bases/search`'s body (written out: a serde struct of its own would cost the
/// wasm more than this).
pub fn search_body(query: &str, knowledge_base_id: Option<u64>, locale: Option<&str>) -> String {
    let mut body = format!(
        r#"{{"query":{},"flavor":"public","index":"{ANSWER_INDEX}","limit":5,"url_type":"agent","highlight_enabled":false"#,
        http::json(&query)
    );
    if let Some(id) = knowledge_base_id {
        body.push_str(&format!(r#","knowledge_base_id":{id}"#));
    }
    if let Some(locale) = locale {
        body.push_str(&format!(r#","locale":{}"#, http::json(&locale)));
    }
    body.push('}');
    body
}

/// An answer's body as a JSON object. Read as a `serde_json::Value`, whose reader the adapter
/// has anyway (a ticket's custom fields): a typed reader of its own would cost the wasm kilobytes.
fn object(body: &[u8]) -> PortalResult<Value> {
    match crate::de::any::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(PortalError::unreadable(Why::Object)),
        Err(_) => Err(PortalError::unreadable(Why::NotJson)),
    }
}

/// A member as text (a number as its digits); empty when missing or of another type.
fn text(row: &Value, key: &str) -> String {
    match row.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn missing(what: &str) -> PortalError {
    PortalError::unreadable(Why::Content(format!("no {what}")))
}

/// `<kb>/<answer>/<content>` from the agent URL of a search result.
fn reference(url: &str) -> Option<String> {
    let rest = url.split("/knowledge_bases/").nth(1)?;
    let (kb, rest) = rest.split_once("/answers/")?;
    let (answer, contents) = rest.split_once("?include_contents=")?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(kb) && digits(answer) && digits(contents)).then(|| format!("{kb}/{answer}/{contents}"))
}

/// The search's answer: up to five answers, each with a way to open it (others are left out).
pub fn hits(body: &[u8]) -> PortalResult<Vec<AnswerHit>> {
    let found = object(body)?;
    let Some(Value::Array(details)) = found.get("details") else {
        return Err(missing("details"));
    };
    Ok(details
        .iter()
        .filter(|d| text(d, "type") == ANSWER_INDEX && !text(d, "title").trim().is_empty())
        .filter_map(|d| {
            Some(AnswerHit {
                id: reference(&text(d, "url"))?,
                title: text(d, "title"),
                snippet: excerpt(&text(d, "body")),
            })
        })
        .take(5)
        .collect())
}

/// The search's `body` as plain text. Zammad builds it as `strip_tags(body).truncate(100)`
/// (search_controller.rb): Rails' `strip_tags` (rails-html-sanitizer's FullSanitizer) returns the
/// text *HTML-escaped* (`&amp;`, `&lt;`, `&gt;`; its tests: `full_sanitize("&") == "&amp;"`), and
/// `truncate` may cut an entity in two ("…&am..."). Shown as text, the entities would show.
fn excerpt(escaped: &str) -> String {
    // A cut entity before the ellipsis goes (`&`, then at most a few letters, digits or `#`).
    let cut = escaped.strip_suffix("...").and_then(|head| {
        let amp = head.rfind('&')?;
        let tail = &head[amp + 1..];
        (tail.len() <= 8 && tail.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#'))
            .then(|| format!("{}...", &head[..amp]))
    });
    crate::html::unescape(cut.as_deref().unwrap_or(escaped))
}

/// The path of an answer by its reference (`None`: not one `hits` made).
pub fn path(id: &str, content: Option<&str>) -> Option<String> {
    let mut parts = id.split('/');
    let (kb, answer, translation) = (parts.next()?, parts.next()?, parts.next()?);
    Some(format!(
        "/knowledge_bases/{kb}/answers/{answer}?include_contents={}",
        content.unwrap_or(translation)
    ))
}

/// What an answer's page holds for the answer `id` (as `hits` made it).
#[derive(Debug, PartialEq, Eq)]
pub enum Opened {
    Text(AnswerText),
    /// The translation's content was not among the assets: ask for it by this content id.
    AskContent(String),
}

/// The answer's assets → its title and HTML. An answer that says it is not published (internal,
/// draft, archived) is refused like the server would refuse it to a customer.
pub fn opened(id: &str, body: &[u8]) -> PortalResult<Opened> {
    let rest = id.split_once('/').map_or("", |(_, rest)| rest);
    let (answer, translation) = rest.split_once('/').unwrap_or(("", ""));
    let show = object(body)?;
    let Some(assets @ Value::Object(_)) = show.get("assets") else {
        return Err(missing("assets"));
    };
    let rows = |kind: &str| {
        assets
            .get(kind)
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.values())
    };
    let hidden = rows("KnowledgeBaseAnswer").any(|a| {
        text(a, "id") == answer
            && (matches!(a.get("published_at"), None | Some(Value::Null))
                || !matches!(a.get("archived_at"), None | Some(Value::Null)))
    });
    let Some(t) = rows("KnowledgeBaseAnswerTranslation").find(|t| text(t, "id") == translation)
    else {
        return Err(PortalError::not_found());
    };
    if hidden {
        return Err(PortalError::not_found());
    }
    let content_id = text(t, "content_id");
    match rows("KnowledgeBaseAnswerTranslationContent").find(|c| text(c, "id") == content_id) {
        Some(c) => Ok(Opened::Text(AnswerText {
            title: text(t, "title"),
            html: text(c, "body"),
        })),
        None if !content_id.is_empty() => Ok(Opened::AskContent(content_id)),
        None => Err(PortalError::not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::ErrorKind;

    const URL: &str = "/api/v1/knowledge_bases/1/answers/3?include_contents=4";

    #[test]
    fn search_keeps_answers_with_a_way_to_open_them() {
        let body = format!(
            r#"{{"result":[],"details":[
            {{"id":4,"type":"KnowledgeBase::Answer::Translation","title":"Reset a password","body":"Open the page &amp; sign in","url":"{URL}"}},
            {{"id":2,"type":"KnowledgeBase::Category::Translation","title":"Accounts","url":"/x"}},
            {{"id":9,"type":"KnowledgeBase::Answer::Translation","title":"Public link only","url":"/help/en-us/1/9"}}]}}"#
        );
        let found = hits(body.as_bytes()).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "1/3/4");
        assert_eq!(found[0].title, "Reset a password");
        assert_eq!(found[0].snippet, "Open the page & sign in");
        assert_eq!(
            path(&found[0].id, None).as_deref(),
            Some("/knowledge_bases/1/answers/3?include_contents=4")
        );
    }

    #[test]
    fn excerpt_is_the_text_rails_escaped() {
        assert_eq!(
            excerpt("Fish &amp; chips &lt;b&gt; &quot;x&quot; it&#39;s"),
            "Fish & chips <b> \"x\" it's"
        );
        // `&amp;lt;` is the text "&lt;": unescaped once, not twice.
        assert_eq!(excerpt("a &amp;lt; b"), "a &lt; b");
        // An entity cut by `truncate(100)` goes with the cut.
        assert_eq!(excerpt("Save &amp; restart &am..."), "Save & restart ...");
        assert_eq!(excerpt("Tom & Jerry..."), "Tom & Jerry...");
        assert_eq!(excerpt("plain"), "plain");
    }

    #[test]
    fn search_body_asks_for_published_answers_only() {
        let body: Value =
            serde_json::from_str(&search_body("a \"b\"", Some(2), Some("de-de"))).unwrap();
        assert_eq!(body["query"], "a \"b\"");
        assert_eq!(body["flavor"], "public");
        assert_eq!(body["index"], ANSWER_INDEX);
        assert_eq!(body["url_type"], "agent");
        assert_eq!(body["knowledge_base_id"], 2);
        assert_eq!(body["locale"], "de-de");
        let plain: Value = serde_json::from_str(&search_body("x", None, None)).unwrap();
        assert!(plain.get("knowledge_base_id").is_none() && plain.get("locale").is_none());
    }

    #[test]
    fn search_of_another_shape_is_unreadable() {
        for body in [&b"[]"[..], b"{}", b"{\"details\":{}}", b"<html>", b""] {
            let e = hits(body).unwrap_err();
            assert_eq!(
                e.kind,
                ErrorKind::Unreadable,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    fn show(published: &str) -> String {
        format!(
            r#"{{"id":3,"assets":{{
            "KnowledgeBaseAnswer":{{"3":{{"id":3,"published_at":{published},"internal_at":"2024-01-01T00:00:00Z","archived_at":null}}}},
            "KnowledgeBaseAnswerTranslation":{{"4":{{"id":4,"title":"Reset","content_id":4,"answer_id":3}}}},
            "KnowledgeBaseAnswerTranslationContent":{{"4":{{"id":4,"body":"<p>Do this</p>"}}}}}}}}"#
        )
    }

    #[test]
    fn published_answer_opens() {
        let got = opened("1/3/4", show("\"2024-01-02T00:00:00Z\"").as_bytes()).unwrap();
        assert_eq!(
            got,
            Opened::Text(AnswerText {
                title: "Reset".into(),
                html: "<p>Do this</p>".into()
            })
        );
    }

    #[test]
    fn internal_answer_is_dropped() {
        let e = opened("1/3/4", show("null").as_bytes()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
    }

    #[test]
    fn content_under_another_id_is_asked_for() {
        let body = br#"{"id":3,"assets":{"KnowledgeBaseAnswerTranslation":{"4":{"id":4,"title":"T","content_id":7}}}}"#;
        assert_eq!(
            opened("1/3/4", body).unwrap(),
            Opened::AskContent("7".into())
        );
        assert_eq!(
            path("1/3/4", Some("7")).as_deref(),
            Some("/knowledge_bases/1/answers/3?include_contents=7")
        );
    }

    #[test]
    fn answer_of_another_shape_is_unreadable() {
        for body in [&b"[]"[..], b"{\"assets\":[]}", b"nope"] {
            assert_eq!(
                opened("1/3/4", body).unwrap_err().kind,
                ErrorKind::Unreadable
            );
        }
    }
}
