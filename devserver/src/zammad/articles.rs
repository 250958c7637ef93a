//! Articles and attachments: by_ticket, show, create, download (sections 5.6–5.8), plus the
//! customer-article forcing and validation shared with ticket create/update.

use super::auth::require;
use super::errors::*;
use super::render;
use super::reply::Reply;
use super::store::*;
use super::Ctx;
use crate::util::{as_id, as_scalar_string, is_blank, percent_encode};
use base64::Engine;
use serde_json::{json, Map, Value};

pub const TICKET_PERMS: [&str; 2] = ["ticket.agent", "ticket.customer"];
/// Bodies longer than this are refused (Zammad's limit).
pub const MAX_BODY_CHARS: usize = 1_500_000;

/// A validated customer article, not stored yet.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub type_id: u64,
    pub subject: Option<String>,
    pub body: String,
    pub content_type: String,
    /// (filename, data, preferences, inline)
    pub files: Vec<(String, Vec<u8>, Value, bool)>,
}

/// Strict base64 after removing CR and LF (as Zammad's `strict_decode64`).
pub fn strict_base64(data: &str) -> Option<Vec<u8>> {
    let cleaned: String = data.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    base64::engine::general_purpose::STANDARD
        .decode(cleaned)
        .ok()
}

/// Validates an article hash sent by a customer and applies the forcing of section 5.5:
/// sender Customer, internal false, type `note|web` (else note), no `to`/`cc`/`origin_by_id`.
pub fn validate_customer_article(
    ctx: &mut Ctx,
    a: &Map<String, Value>,
) -> Result<NewArticle, ApiError> {
    if !is_blank(a.get("mentions")) {
        return Err(ApiError::forbidden(NOT_AUTHORIZED));
    }
    let body = match a.get("body") {
        Some(Value::String(s)) => s.clone(),
        Some(v @ Value::Number(_)) => v.to_string(),
        _ => String::new(),
    };
    if body.trim().is_empty() {
        return Err(ApiError::unprocessable(BODY_MISSING));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(ctx.masked());
    }
    let type_id = match a.get("type").and_then(Value::as_str) {
        Some("web") => TYPE_WEB,
        Some(_) => TYPE_NOTE,
        None => match as_id(a.get("type_id")) {
            Some(TYPE_WEB) => TYPE_WEB,
            _ => TYPE_NOTE,
        },
    };
    let content_type = a
        .get("content_type")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("text/plain")
        .to_string();
    let subject = a.get("subject").and_then(as_scalar_string);
    let mut files = Vec::new();
    if let Some(Value::Array(list)) = a.get("attachments") {
        for (index, att) in list.iter().enumerate() {
            let get = |k: &str| att.get(k).filter(|v| !v.is_null());
            for key in ["mime-type", "filename", "data"] {
                if get(key).is_none() {
                    return Err(ApiError::unprocessable(format!(
                        "Attachment needs '{key}' param for attachment with index '{index}'"
                    )));
                }
            }
            let data = get("data").and_then(Value::as_str).and_then(strict_base64);
            let Some(data) = data else {
                return Err(ApiError::unprocessable(format!(
                    "Invalid base64 for attachment with index '{index}'"
                )));
            };
            let mut prefs = Map::new();
            if let Some(charset) = get("charset").and_then(as_scalar_string) {
                prefs.insert("Charset".into(), charset.into());
            }
            if let Some(mime) = get("mime-type").and_then(as_scalar_string) {
                prefs.insert("Mime-Type".into(), mime.into());
            }
            let filename = get("filename")
                .and_then(as_scalar_string)
                .unwrap_or_default();
            files.push((filename, data, Value::Object(prefs), false));
        }
    }
    let mut article = NewArticle {
        type_id,
        subject,
        body,
        content_type,
        files,
    };
    if article.content_type.eq_ignore_ascii_case("text/html") {
        extract_inline_images(ctx, &mut article);
    }
    Ok(article)
}

/// `data:` URIs in HTML bodies become inline attachments referenced by `cid:`.
fn extract_inline_images(ctx: &mut Ctx, article: &mut NewArticle) {
    let mut out = String::with_capacity(article.body.len());
    let mut rest = article.body.as_str();
    let mut n = 0;
    while let Some(pos) = rest.find("src=") {
        let (before, after) = rest.split_at(pos + 4);
        out.push_str(before);
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let Some(q) = quote else {
            rest = after;
            continue;
        };
        let inner = &after[1..];
        let Some(end) = inner.find(q) else {
            rest = after;
            continue;
        };
        let url = &inner[..end];
        let parsed = url
            .strip_prefix("data:")
            .and_then(|d| d.split_once(";base64,"))
            .and_then(|(mime, b64)| strict_base64(b64).map(|bytes| (mime.to_string(), bytes)));
        match parsed {
            Some((mime, bytes)) => {
                n += 1;
                let cid = format!("{}.{}@zammad.example.com", ctx.now, ctx.store.rng.alnum(10));
                let ext = mime
                    .rsplit('/')
                    .next()
                    .unwrap_or("bin")
                    .replace("jpeg", "jpg");
                article.files.push((
                    format!("image{n}.{ext}"),
                    bytes,
                    json!({"Mime-Type": mime, "Content-ID": cid, "Content-Disposition": "inline"}),
                    true,
                ));
                out.push(q);
                out.push_str("cid:");
                out.push_str(&cid);
                out.push(q);
            }
            None => {
                out.push(q);
                out.push_str(url);
                out.push(q);
            }
        }
        rest = &inner[end + 1..];
    }
    out.push_str(rest);
    article.body = out;
}

/// Stores a validated customer article on a ticket; updates the ticket's contact
/// timestamps (never its state).
pub fn store_customer_article(ctx: &mut Ctx, ticket_id: u64, user: &User, a: NewArticle) -> u64 {
    let id = ctx.store.new_article_id();
    let from = if a.type_id == TYPE_WEB {
        format!("{} <{}>", user.fullname(), user.email)
    } else {
        user.fullname()
    };
    let now = ctx.now;
    ctx.store.articles.insert(
        id,
        Article {
            id,
            ticket_id,
            type_id: a.type_id,
            sender_id: SENDER_CUSTOMER,
            from: Some(from),
            to: None,
            cc: None,
            subject: a.subject,
            reply_to: None,
            message_id: None,
            in_reply_to: None,
            content_type: a.content_type,
            body: a.body,
            internal: false,
            preferences: json!({}),
            time_unit: None,
            created_by_id: user.id,
            updated_by_id: user.id,
            created_at: now,
            updated_at: now,
        },
    );
    for (filename, data, prefs, inline) in a.files {
        ctx.store.add_attachment(id, &filename, data, prefs, inline);
    }
    if let Some(t) = ctx.store.tickets.get_mut(&ticket_id) {
        t.updated_at = now;
        t.updated_by_id = user.id;
        t.last_contact_at = Some(now);
        t.last_contact_customer_at = Some(now);
    }
    id
}

/// Finds a ticket the caller may see: 404 when missing, 403 when foreign.
pub fn visible_ticket(ctx: &Ctx, user: &User, id: &str) -> Result<Ticket, ApiError> {
    let t = id
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| ctx.store.tickets.get(&n))
        .ok_or_else(|| ApiError::not_found("Ticket", id))?;
    if !ctx.store.can_see(user, t) {
        return Err(ApiError::forbidden(NOT_AUTHORIZED));
    }
    Ok(t.clone())
}

fn find_article(ctx: &Ctx, id: &str) -> Result<Article, ApiError> {
    id.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| ctx.store.articles.get(&n))
        .cloned()
        .ok_or_else(|| ApiError::not_found("Ticket::Article", id))
}

/// `GET /ticket_articles/by_ticket/:id` (fixture 27): internal articles removed for customers.
pub fn by_ticket(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let t = visible_ticket(ctx, &user, id)?;
    let agent = !user.is_customer();
    let list: Vec<Value> = ctx
        .store
        .articles
        .values()
        .filter(|a| a.ticket_id == t.id && (agent || !a.internal))
        .map(|a| render::article(ctx.store, a))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}

/// `GET /ticket_articles/:id`: 403 for internal articles.
pub fn show(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let a = find_article(ctx, id)?;
    visible_ticket(ctx, &user, &a.ticket_id.to_string())?;
    if a.internal && user.is_customer() {
        return Err(ApiError::forbidden(NOT_AUTHORIZED));
    }
    Ok(Reply::ok(render::article(ctx.store, &a)))
}

/// `POST /ticket_articles` (fixtures 28, 29): only checks that the caller may see the
/// ticket; no follow-up check, never changes the state.
pub fn create(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let ticket_id = match ctx.param("ticket_id").and_then(as_scalar_string) {
        Some(s) if !s.trim().is_empty() => s,
        _ => return Err(ApiError::new(404, "Couldn't find Ticket without an ID")),
    };
    let t = visible_ticket(ctx, &user, &ticket_id)?;
    let params = ctx.params.clone();
    let new = validate_customer_article(ctx, &params)?;
    let id = store_customer_article(ctx, t.id, &user, new);
    let a = ctx
        .store
        .articles
        .get(&id)
        .map(|a| render::article(ctx.store, a))
        .unwrap_or(Value::Null);
    Ok(Reply::json(201, a))
}

/// `PUT|PATCH|DELETE /ticket_articles/:id`: agents only.
pub fn change(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let a = find_article(ctx, id)?;
    visible_ticket(ctx, &user, &a.ticket_id.to_string())?;
    Err(ApiError::forbidden(AGENT_REQUIRED))
}

/// Types served inline when asked (Rails' `content_types_allowed_inline` less PDF, which Zammad
/// removes, plus `image/jpg`: config/initializers/content_type_allowed_inline.rb).
const INLINE_ALLOWED: [&str; 10] = [
    "image/webp",
    "image/avif",
    "image/png",
    "image/gif",
    "image/jpeg",
    "image/tiff",
    "image/bmp",
    "image/vnd.adobe.photoshop",
    "image/vnd.microsoft.icon",
    "image/jpg",
];

/// Types always sent as `application/octet-stream` with `attachment` (Rails'
/// `content_types_to_serve_as_binary`): they could run script in the browser.
const SERVE_AS_BINARY: [&str; 9] = [
    "text/html",
    "image/svg+xml",
    "application/postscript",
    "application/x-shockwave-flash",
    "text/xml",
    "application/xml",
    "application/xhtml+xml",
    "application/mathml+xml",
    "text/cache-manifest",
];

/// `Content-Disposition` the way Rails formats it.
pub fn content_disposition(kind: &str, filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect();
    let traditional = percent_encode(&ascii, |b| {
        b.is_ascii_alphanumeric() || b" !#$+.^_`|~-".contains(&b)
    });
    let rfc5987 = percent_encode(filename, |b| {
        b.is_ascii_alphanumeric() || b"!#$&+.^_`|~-".contains(&b)
    });
    format!("{kind}; filename=\"{traditional}\"; filename*=UTF-8''{rfc5987}")
}

/// `GET /ticket_attachment/:ticket_id/:article_id/:id` (fixture 33). Checks ticket access
/// and that the ids belong together, but not whether the article is internal.
pub fn download(ctx: &mut Ctx, ticket_id: &str, article_id: &str, file_id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let t = visible_ticket(ctx, &user, ticket_id)?;
    let a = find_article(ctx, article_id)?;
    if a.ticket_id != t.id {
        return Err(ApiError::forbidden(ARTICLE_NOT_OF_TICKET));
    }
    let fid: Option<u64> = file_id.trim().parse().ok();
    let Some(att) = ctx
        .store
        .attachments
        .values()
        .find(|f| Some(f.id) == fid && f.article_id == a.id)
    else {
        return Err(ApiError::forbidden(FILE_NOT_OF_ARTICLE));
    };
    // app/controllers/application_controller/has_download.rb, download_file.rb: no
    // `disposition` means inline; any value but inline or attachment is refused.
    let requested = match ctx.param("disposition") {
        None => "inline".to_string(),
        Some(Value::String(d)) if d == "inline" || d == "attachment" => d.clone(),
        Some(other) => {
            let shown = as_scalar_string(other).unwrap_or_else(|| other.to_string());
            return Err(ApiError::forbidden(format!(
                "Invalid disposition {shown} requested. Only inline, attachment are valid."
            )));
        }
    };
    let stored = att.mime_type();
    let binary = SERVE_AS_BINARY.contains(&stored.to_ascii_lowercase().as_str());
    let mime = if binary {
        "application/octet-stream".to_string()
    } else {
        stored
    };
    let kind = if binary || !INLINE_ALLOWED.contains(&mime.to_ascii_lowercase().as_str()) {
        "attachment"
    } else {
        requested.as_str()
    };
    Ok(Reply::raw(200, &mime, att.data.clone())
        .header(
            "Content-Disposition",
            content_disposition(kind, &att.filename),
        )
        .header("Content-Security-Policy", "default-src 'none'")
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "private, no-store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_strict() {
        assert_eq!(strict_base64("aGk=\n").as_deref(), Some(&b"hi"[..]));
        assert!(strict_base64("not base64!").is_none());
        assert!(strict_base64("aGk").is_none());
    }

    #[test]
    fn disposition() {
        assert_eq!(
            content_disposition("attachment", "printer.txt"),
            "attachment; filename=\"printer.txt\"; filename*=UTF-8''printer.txt"
        );
        assert_eq!(
            content_disposition("inline", "Bericht ü.pdf"),
            "inline; filename=\"Bericht %3F.pdf\"; filename*=UTF-8''Bericht%20%C3%BC.pdf"
        );
    }
}
