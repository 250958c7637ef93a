//! The Knowledge Base calls a customer may make, as Zammad's source has them
//! (app/controllers/knowledge_base/search_controller.rb, lib/search_knowledge_base_backend.rb,
//! app/controllers/knowledge_base/answers_controller.rb, app/policies/knowledge_base/answer_policy.rb),
//! over the demo knowledge base in `crate::answers` (knowledge base 1, locale `en-us`, one
//! category; answer, translation and content share their id, except answer 4 whose content is 14,
//! as happens once translations are added later).
//!
//! - `POST /knowledge_bases/search` (no CSRF check, no sign-in needed): for anyone without
//!   `knowledge_base.*` permissions only published answers; `%query%` on title and body (Zammad
//!   without Elasticsearch), newest first; `limit` cuts the list. An unknown `knowledge_base_id`
//!   or `locale` searches all of them (the controller passes `nil`, which the backend drops).
//!   `url_type: "agent"` gives the API path of the answer, anything else the public help path.
//! - `GET /knowledge_bases/:kb/answers/:id?include_contents=…` (signed in): 404 for an unknown
//!   answer, 403 `Not authorized` for one the customer may not see (internal, draft); the
//!   contents are looked up by id only (`Content.where(id:)`), as Zammad does.

use super::errors::{self, ApiError, ApiResult};
use super::reply::Reply;
use super::Ctx;
use crate::answers::{self, Answer, ANSWERS};
use serde_json::{json, Value};

const ANSWER_INDEX: &str = "KnowledgeBase::Answer::Translation";

fn content_id(a: &Answer) -> u64 {
    if a.id == 4 {
        14
    } else {
        a.id
    }
}

fn published_at(a: &Answer) -> Value {
    if a.public {
        json!("2025-11-03T09:00:00.000Z")
    } else {
        Value::Null
    }
}

fn text_param(ctx: &Ctx, key: &str) -> String {
    match ctx.param(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

pub fn search(ctx: &mut Ctx) -> ApiResult {
    let query = text_param(ctx, "query");
    let index = ctx.param("index").cloned();
    let answers_asked = match &index {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s == ANSWER_INDEX,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(ANSWER_INDEX)),
        _ => false,
    };
    let agent_urls = text_param(ctx, "url_type") == "agent";
    let limit = text_param(ctx, "limit").parse::<usize>().ok();
    let mut found: Vec<&Answer> = ANSWERS
        .iter()
        .filter(|a| answers_asked && a.public && answers::matches(a, &query))
        .collect();
    // `updated_at: :desc`: the demo answers were edited in the order of their ids.
    found.reverse();
    if let Some(n) = limit {
        found.truncate(n);
    }
    let result: Vec<Value> = found
        .iter()
        .map(|a| json!({"id": a.id, "type": ANSWER_INDEX}))
        .collect();
    let details: Vec<Value> = found
        .iter()
        .map(|a| {
            let url = if agent_urls {
                format!(
                    "/api/v1/knowledge_bases/1/answers/{0}?include_contents={0}",
                    a.id
                )
            } else {
                format!("/help/en-us/1-general/{}", a.id)
            };
            // `strip_tags(body).truncate(100)` (search_controller.rb): escaped text, which the
            // cut may split inside an entity.
            let mut body = answers::strip_tags(a.html);
            if body.chars().count() > 100 {
                body = body.chars().take(97).collect::<String>() + "...";
            }
            json!({
                "id": a.id, "type": ANSWER_INDEX, "icon": "knowledge-base-answer",
                "date": "2025-11-03T09:00:00.000Z", "url": url, "title": a.title,
                "subtitle": "General", "body": body,
            })
        })
        .collect();
    Ok(Reply::ok(json!({"result": result, "details": details})))
}

pub fn answer_show(ctx: &mut Ctx, id: &str) -> ApiResult {
    let Some(a) = ANSWERS.iter().find(|a| a.id.to_string() == id) else {
        return Err(ApiError::not_found("KnowledgeBase::Answer", id));
    };
    let user = ctx.user()?;
    // AnswerPolicy#show?: visible (published, not archived) unless an editor / reader.
    if !a.public && user.is_customer() {
        return Err(ApiError::forbidden(errors::NOT_AUTHORIZED));
    }
    let wanted: Vec<u64> = text_param(ctx, "include_contents")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let contents: serde_json::Map<String, Value> = ANSWERS
        .iter()
        .filter(|c| wanted.contains(&content_id(c)))
        .map(|c| {
            let cid = content_id(c);
            (
                cid.to_string(),
                json!({"id": cid, "body": c.html, "attachments": []}),
            )
        })
        .collect();
    let mut assets = json!({
        "KnowledgeBaseAnswer": {a.id.to_string(): {
            "id": a.id, "category_id": 1, "promoted": false, "position": a.id,
            "internal_at": "2025-11-01T09:00:00.000Z", "published_at": published_at(a),
            "archived_at": null, "created_at": "2025-11-01T09:00:00.000Z",
            "updated_at": "2025-11-03T09:00:00.000Z", "translation_ids": [a.id], "attachments": [],
            "tags": [],
        }},
        "KnowledgeBaseAnswerTranslation": {a.id.to_string(): {
            "id": a.id, "title": a.title, "kb_locale_id": 1, "answer_id": a.id,
            "content_id": content_id(a), "created_at": "2025-11-01T09:00:00.000Z",
            "updated_at": "2025-11-03T09:00:00.000Z",
        }},
    });
    if !contents.is_empty() {
        assets["KnowledgeBaseAnswerTranslationContent"] = Value::Object(contents);
    }
    Ok(Reply::ok(json!({"id": a.id, "assets": assets})))
}
