//! Hostile content shared by both fakes (`POST /__test/seed_xss`): the XSS corpus of
//! `data/xss-vectors.json`, agent-only data with distinctive markers, and a formatting sample
//! with the help desk's own inline image and remote images. Each fake turns this backend-neutral
//! plan into its own records (`zammad::hostile`, `znuny::hostile`), so both serve the same
//! hostile data in their own wire shapes.
//!
//! Also the trap log: every vector that manages to run code requests `/__trap/<vector-id>` (or
//! sets `window.__xss`, opens a dialog, navigates); the dev server answers `/__trap/…` and logs
//! it for `GET /__test/traps`.

use serde_json::{json, Value};
use std::sync::OnceLock;

/// The corpus, as the browser suite reads it too.
pub const VECTORS_JSON: &str = include_str!("../data/xss-vectors.json");

#[derive(Clone, Debug)]
pub struct Vector {
    pub id: String,
    pub family: String,
    pub name: String,
    pub html: String,
}

/// The parsed corpus (the file is part of the binary; a broken file fails the unit tests).
pub fn vectors() -> &'static [Vector] {
    static V: OnceLock<Vec<Vector>> = OnceLock::new();
    V.get_or_init(|| {
        let doc: Value = serde_json::from_str(VECTORS_JSON).unwrap_or(Value::Null);
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        doc.get("vectors")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|v| Vector {
                        id: text(v, "id"),
                        family: text(v, "family"),
                        name: text(v, "name"),
                        html: text(v, "html"),
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// DOMPurify's own test corpus (`data/dompurify-corpus.json`: every payload of cure53/DOMPurify's
/// `test/fixtures/expect.mjs`, with its source commit and licence), as the browser suite reads it.
pub const DOMPURIFY_JSON: &str = include_str!("../data/dompurify-corpus.json");

#[derive(Clone, Debug)]
pub struct Payload {
    /// `dompurify-001`…: the entry's position in expect.mjs.
    pub id: String,
    /// expect.mjs' title ("" where the entry has none).
    pub title: String,
    pub payload: String,
}

/// The parsed DOMPurify corpus (part of the binary; a broken file fails the unit tests).
pub fn dompurify_payloads() -> &'static [Payload] {
    static P: OnceLock<Vec<Payload>> = OnceLock::new();
    P.get_or_init(|| {
        let doc: Value = serde_json::from_str(DOMPURIFY_JSON).unwrap_or(Value::Null);
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        doc.get("payloads")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|v| Payload {
                        id: text(v, "id"),
                        title: text(v, "title"),
                        payload: text(v, "payload"),
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Title of the ticket `POST /__test/seed_dompurify` adds.
pub const DOMPURIFY_TITLE: &str = "DOMPurify corpus";

/// The subject of the agent article carrying a payload: `DOMPurify 001`, … (so the browser
/// suite finds each article by its number).
pub fn dompurify_subject(p: &Payload) -> String {
    format!("DOMPurify {}", p.id.trim_start_matches("dompurify-"))
}

/// The DOMPurify ticket: after the customer's first message, one agent HTML e-mail per payload
/// (in the corpus' order, no attachments).
pub fn dompurify_plan() -> PlanTicket {
    PlanTicket {
        title: DOMPURIFY_TITLE.into(),
        articles: dompurify_payloads()
            .iter()
            .map(|p| PlanArticle {
                subject: dompurify_subject(p),
                html: p.payload.clone(),
                files: Vec::new(),
                internal: false,
                time_unit: None,
            })
            .collect(),
    }
}

/// The answer of `POST /__test/seed_dompurify`.
pub fn dompurify_seeded_json(ticket: u64) -> Value {
    json!({
        "ok": true,
        "ticket": ticket,
        "title": DOMPURIFY_TITLE,
        "payloads": dompurify_payloads().len(),
    })
}

// ---- agent-only data: distinctive values that must never reach the portal's page or storage ----

/// Login of the agent who owns the hostile tickets (Zammad `owner`, Znuny `Owner`). Zammad
/// stores logins in lower case, so the markers are lower case.
pub const LEAK_OWNER: &str = "leak-owner-7f3a";
/// Znuny `Responsible` of the hostile tickets.
pub const LEAK_RESPONSIBLE: &str = "leak-responsible-7f3a";
/// Text of an internal note on the corpus ticket.
pub const LEAK_INTERNAL: &str = "LEAK-INTERNAL-7f3a";
/// Time accounted on the corpus ticket (Zammad `time_unit`, Znuny `TimeUnit`): shows as "7317".
pub const LEAK_TIME_UNIT: f64 = 7317.25;
/// Escalation time of the hostile tickets: 2099-09-09 09:09:09 UTC (Zammad `*_escalation_at`,
/// Znuny `Escalation*Time`, epoch seconds).
pub const LEAK_ESCALATION_SECS: i64 = 4_092_628_149;

/// Every marker as the page could show it (compared case-insensitively by the browser suite).
pub fn leak_markers() -> Vec<String> {
    vec![
        LEAK_OWNER.into(),
        LEAK_RESPONSIBLE.into(),
        LEAK_INTERNAL.into(),
        "7317".into(),
        LEAK_ESCALATION_SECS.to_string(),
        "2099".into(),
    ]
}

// ---- the plan ----------------------------------------------------------------------------------

/// The help desk's own inline image (16×16 blue PNG), referenced as `cid:` in the HTML.
pub const LOGO_PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR42mOQz39NEmIY1TCqYfhqAACg0HkQHKvk/AAAAABJRU5ErkJggg==";
pub const LOGO_CONTENT_ID: &str = "logo.7f3a@helpdesk.example";
pub const REMOTE_IMAGE: &str = "https://images.example.test/remote.png";
pub const REMOTE_HTTP_IMAGE: &str = "http://images.example.test/plain-http.png";

pub const CORPUS_TITLE: &str =
    "XSS corpus <img src=x onerror=\"window.__xss='title-corpus'\"><script>alert('title-corpus')</script>";
pub const FORMATTING_TITLE: &str = "Formatting sample";

/// Ordinary agent formatting the portal must keep (paragraphs, list, bold, table, link, the help
/// desk's own image by `cid:`) plus remote images that only load when the customer asks.
pub fn formatting_html() -> String {
    format!(
        "<p>Hello Alice,</p><p>here is <b>bold text</b> and <i>italic text</i>.</p>\
         <ol><li>first step</li><li>second step</li></ol>\
         <table><thead><tr><th>Item</th><th>Status</th></tr></thead>\
         <tbody><tr><td>Printer</td><td>Replaced</td></tr></tbody></table>\
         <p>Details are in our <a href=\"https://example.com/help\">help center</a>.</p>\
         <p>Our logo: <img src=\"cid:{LOGO_CONTENT_ID}\" alt=\"Help desk logo\" width=\"16\" height=\"16\"></p>\
         <p>A remote picture: <img src=\"{REMOTE_IMAGE}\" alt=\"Remote picture\" width=\"8\" height=\"8\"></p>\
         <p>An old one: <img src=\"{REMOTE_HTTP_IMAGE}\" alt=\"Plain http picture\"></p>"
    )
}

#[derive(Clone, Debug)]
pub struct PlanFile {
    pub filename: String,
    pub mime_type: String,
    pub data: Vec<u8>,
    /// Inline images: the Content-ID (without angle brackets) the HTML refers to as `cid:`.
    pub content_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct PlanArticle {
    pub subject: String,
    pub html: String,
    pub files: Vec<PlanFile>,
    pub internal: bool,
    /// Time accounted with this article (agent-only).
    pub time_unit: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct PlanTicket {
    pub title: String,
    /// Agent articles (HTML), after the customer's first (plain) message.
    pub articles: Vec<PlanArticle>,
}

/// What the seed adds for a customer: the corpus ticket (one agent HTML article per vector, the
/// vector also as its subject and the name of its attachment, plus an internal note), the
/// formatting sample, and one ticket per vector with the vector as its title. All owned by the
/// leak-marker agent and escalated in 2099.
#[derive(Clone, Debug)]
pub struct Plan {
    pub corpus: PlanTicket,
    pub formatting: PlanTicket,
    pub titles: Vec<String>,
}

/// Text as a database column keeps it: no NUL (PostgreSQL/MySQL refuse it), at most `max`
/// characters (Zammad truncates strings to the column size; titles, subjects and file names are
/// 250 characters on both help desks).
pub fn column_text(s: &str, max: usize) -> String {
    s.chars().filter(|c| *c != '\0').take(max).collect()
}

pub const COLUMN_MAX: usize = 250;

pub fn plan() -> Plan {
    let mut articles: Vec<PlanArticle> = vectors()
        .iter()
        .map(|v| PlanArticle {
            subject: column_text(&v.html, COLUMN_MAX),
            html: v.html.clone(),
            files: vec![PlanFile {
                filename: column_text(&v.html, COLUMN_MAX),
                mime_type: "text/plain".into(),
                data: format!("vector {}\n", v.id).into_bytes(),
                content_id: None,
            }],
            internal: false,
            time_unit: None,
        })
        .collect();
    articles.push(PlanArticle {
        subject: "Internal".into(),
        html: format!("<p>{LEAK_INTERNAL} agent-only remark.</p>"),
        files: Vec::new(),
        internal: true,
        time_unit: Some(LEAK_TIME_UNIT),
    });
    let logo = base64_decode(LOGO_PNG_BASE64);
    Plan {
        corpus: PlanTicket {
            title: column_text(CORPUS_TITLE, COLUMN_MAX),
            articles,
        },
        formatting: PlanTicket {
            title: FORMATTING_TITLE.into(),
            articles: vec![PlanArticle {
                subject: "Formatting".into(),
                html: formatting_html(),
                files: vec![PlanFile {
                    filename: "logo.png".into(),
                    mime_type: "image/png".into(),
                    data: logo,
                    content_id: Some(LOGO_CONTENT_ID.into()),
                }],
                internal: false,
                time_unit: None,
            }],
        },
        titles: vectors()
            .iter()
            .map(|v| column_text(&v.html, COLUMN_MAX))
            .collect(),
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .unwrap_or_default()
}

/// The answer of `POST /__test/seed_xss` (ids are the fake's ticket ids).
pub fn seeded_json(corpus: u64, formatting: u64, titles: &[u64]) -> Value {
    json!({
        "ok": true,
        "corpus_ticket": corpus,
        "formatting_ticket": formatting,
        "title_tickets": titles,
        "vectors": vectors().len(),
        "markers": leak_markers(),
        "logo_content_id": LOGO_CONTENT_ID,
        "remote_images": [REMOTE_IMAGE, REMOTE_HTTP_IMAGE],
    })
}

// ---- traps ---------------------------------------------------------------------------------------

/// A 1×1 transparent GIF: what a trap answers (so an image that reached it looks loaded).
pub const TRAP_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// The vector id in a trap path: `/__trap/url-47.png` → `url-47`.
pub fn trap_id(path: &str) -> String {
    let rest = path.strip_prefix("/__trap/").unwrap_or(path);
    rest.split(['/', '.', '?', '-'])
        .take(2)
        .collect::<Vec<_>>()
        .join("-")
}

/// One log entry for a request that reached `/__trap/…`.
pub fn trap_entry(method: &str, path: &str, query: &str, referer: &str, at: i64) -> Value {
    json!({
        "id": trap_id(path),
        "method": method,
        "path": path,
        "query": query,
        "referer": referer,
        "at": crate::util::iso(at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn corpus_is_large_unique_and_trapped() {
        let v = vectors();
        assert!(v.len() >= 150, "only {} vectors", v.len());
        let ids: HashSet<&str> = v.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids.len(), v.len(), "duplicate vector ids");
        for x in v {
            assert!(!x.family.is_empty() && !x.name.is_empty() && !x.html.is_empty());
            assert!(x.id.starts_with(&format!("{}-", x.family)), "{}", x.id);
            assert_eq!(trap_id(&format!("/__trap/{}.png", x.id)), x.id);
        }
        let families: HashSet<&str> = v.iter().map(|x| x.family.as_str()).collect();
        for f in [
            "script", "handler", "url", "frame", "head", "form", "css", "svg", "mathml", "mxss",
            "clobber",
        ] {
            assert!(families.contains(f), "no {f} vectors");
        }
    }

    #[test]
    fn plan_covers_every_vector_in_every_place() {
        let p = plan();
        let n = vectors().len();
        assert_eq!(p.titles.len(), n);
        assert_eq!(p.corpus.articles.iter().filter(|a| !a.internal).count(), n);
        assert!(p
            .corpus
            .articles
            .iter()
            .any(|a| a.internal && a.html.contains(LEAK_INTERNAL)));
        assert!(p
            .titles
            .iter()
            .all(|t| t.chars().count() <= COLUMN_MAX && !t.contains('\0')));
        assert_eq!(p.formatting.articles[0].files[0].data.len(), 79);
        assert_eq!(column_text("a\0b", 1), "a");
    }

    #[test]
    fn dompurify_corpus_is_complete_and_planned() {
        let p = dompurify_payloads();
        // expect.mjs at the recorded commit holds 223 entries (issue 15 tried them all).
        assert_eq!(p.len(), 223);
        let doc: Value = serde_json::from_str(DOMPURIFY_JSON).unwrap();
        assert_eq!(
            doc["commit"].as_str().map(str::len),
            Some(40),
            "source commit recorded"
        );
        assert!(doc["license"].as_str().unwrap().contains("MPL-2.0"));
        let ids: HashSet<&str> = p.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids.len(), p.len(), "duplicate payload ids");
        // (Titles are optional there: the html5sec entries have none.)
        assert!(p.iter().all(|x| !x.payload.is_empty()));
        // The clobbering payloads of the finding are part of it.
        for name in [
            "nodeName",
            "nodeType",
            "attributes",
            "namespaceURI",
            "parentNode",
        ] {
            assert!(
                p.iter().any(|x| x.payload.contains(&format!("name={name}"))
                    || x.payload.contains(&format!("name=\"{name}\""))),
                "{name}"
            );
        }
        let plan = dompurify_plan();
        assert_eq!(plan.articles.len(), p.len());
        assert_eq!(plan.articles[0].subject, "DOMPurify 001");
        assert_eq!(plan.articles[222].subject, "DOMPurify 223");
        assert!(plan
            .articles
            .iter()
            .zip(p)
            .all(|(a, x)| a.html == x.payload));
    }

    #[test]
    fn trap_ids() {
        assert_eq!(trap_id("/__trap/url-47.png"), "url-47");
        assert_eq!(trap_id("/__trap/head-02/x.png"), "head-02");
        assert_eq!(trap_id("/__trap/mxss-03-ping"), "mxss-03");
    }
}
