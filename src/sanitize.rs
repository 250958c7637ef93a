//! Turns untrusted article HTML into safe DOM nodes.
//!
//! The browser's own parser reads the HTML into an inert document (`DOMParser`: no scripts run,
//! nothing loads). We then build *new* nodes in the live document, copying only whitelisted
//! elements and attributes. The result is inserted as nodes, never serialized and re-parsed, so
//! mutation-XSS tricks that rely on a second parse have nothing to work on.

use wasm_bindgen::JsCast;
use web_sys::{Document, DocumentFragment, DomParser, Element, Node, SupportedType};

/// Attribute holding the path of an inline image that must be fetched with credentials.
pub const DEFERRED_SRC: &str = "data-portal-src";

/// Elements copied as they are (attributes filtered).
const ALLOWED: &[&str] = &[
    "a",
    "abbr",
    "address",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Elements dropped together with everything inside them.
const DROPPED: &[&str] = &[
    "applet",
    "audio",
    "base",
    "button",
    "canvas",
    "datalist",
    "embed",
    "frame",
    "frameset",
    "head",
    "iframe",
    "input",
    "link",
    "math",
    "meta",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "option",
    "param",
    "picture",
    "portal",
    "script",
    "select",
    "source",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
    "track",
    "video",
    "xmp",
    "plaintext",
];

/// Whether an element is kept, dropped with its content, or replaced by its children.
#[derive(Debug, PartialEq, Eq)]
pub enum ElementRule {
    Keep,
    Drop,
    Unwrap,
}

pub fn element_rule(tag: &str) -> ElementRule {
    let tag = tag.to_ascii_lowercase();
    if ALLOWED.contains(&tag.as_str()) {
        ElementRule::Keep
    } else if DROPPED.contains(&tag.as_str()) {
        ElementRule::Drop
    } else {
        ElementRule::Unwrap
    }
}

/// Attributes kept for a given element; everything else (event handlers, `style`, `class`, `id`,
/// `name`, `srcset`, `formaction`, …) is dropped.
pub fn attribute_allowed(tag: &str, attr: &str) -> bool {
    let attr = attr.to_ascii_lowercase();
    match attr.as_str() {
        "title" | "lang" | "dir" => true,
        "href" => tag == "a",
        "src" | "alt" | "width" | "height" => tag == "img",
        "colspan" | "rowspan" | "scope" => matches!(tag, "td" | "th"),
        "start" | "reversed" => tag == "ol",
        "datetime" | "cite" => false,
        _ => false,
    }
}

/// Strips what URL parsers ignore (ASCII whitespace and control characters anywhere) and
/// lowercases, so `java&#x09;script:` and ` JAVASCRIPT:` are seen for what they are.
fn normalized_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let colon = cleaned.find(':')?;
    let before = &cleaned[..colon];
    // A scheme only exists when the colon comes before any path, query or fragment character.
    if before.contains(['/', '?', '#']) {
        return None;
    }
    Some(before.to_string())
}

/// Links may only point to the web, mail or phone; relative links would land inside the portal.
pub fn safe_link(url: &str) -> bool {
    matches!(
        normalized_scheme(url).as_deref(),
        Some("http" | "https" | "mailto" | "tel")
    )
}

/// Inline images: only embedded raster data (`data:image/png…`) or the help desk's own attachment
/// route on this origin. Remote images would tell a sender when and where the mail was read.
pub fn safe_image(src: &str, own_prefix: &str) -> bool {
    let trimmed = src.trim();
    if normalized_scheme(trimmed).as_deref() == Some("data") {
        let lower = trimmed.to_ascii_lowercase();
        return [
            "data:image/png",
            "data:image/gif",
            "data:image/jpeg",
            "data:image/webp",
        ]
        .iter()
        .any(|p| lower.starts_with(p));
    }
    !own_prefix.is_empty()
        && trimmed.starts_with(own_prefix)
        && !trimmed.contains("..")
        && normalized_scheme(trimmed).is_none()
}

/// Renames every attribute whose name starts with `on` inside a tag (`onerror` → `x-onerror`)
/// before the browser parses the HTML. Not the security boundary (the whitelist below is): the
/// browser checks inline event handlers against the Content-Security-Policy while parsing, even
/// in an inert document, and would report every hostile handler as a violation. Text outside
/// tags is left exactly as it is.
pub fn neutralize_handlers(html: &str) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Text,
        TagName,
        BeforeAttr,
        AfterName,
        BeforeValue,
        Quoted(char),
        Unquoted,
    }
    let chars: Vec<char> = html.chars().collect();
    let mut out = String::with_capacity(html.len() + 16);
    let mut state = State::Text;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match state {
            State::Text => {
                if c == '<'
                    && chars
                        .get(i + 1)
                        .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/')
                {
                    state = State::TagName;
                }
                out.push(c);
            }
            State::TagName => {
                out.push(c);
                if c == '>' {
                    state = State::Text;
                } else if c.is_whitespace() || c == '/' {
                    state = State::BeforeAttr;
                }
            }
            State::BeforeAttr | State::AfterName => {
                if c == '>' {
                    state = State::Text;
                    out.push(c);
                } else if c.is_whitespace() || c == '/' {
                    out.push(c);
                } else if c == '=' && state == State::AfterName {
                    state = State::BeforeValue;
                    out.push(c);
                } else {
                    // An attribute name: read it whole.
                    let start = i;
                    while i < chars.len()
                        && !chars[i].is_whitespace()
                        && !matches!(chars[i], '=' | '>' | '/')
                    {
                        i += 1;
                    }
                    let name: String = chars[start..i].iter().collect();
                    if name.len() >= 2 && name[..2].eq_ignore_ascii_case("on") {
                        out.push_str("x-");
                    }
                    out.push_str(&name);
                    state = State::AfterName;
                    continue;
                }
            }
            State::BeforeValue => {
                out.push(c);
                if c == '"' || c == '\'' {
                    state = State::Quoted(c);
                } else if c == '>' {
                    state = State::Text;
                } else if !c.is_whitespace() {
                    state = State::Unquoted;
                }
            }
            State::Quoted(q) => {
                out.push(c);
                if c == q {
                    state = State::BeforeAttr;
                }
            }
            State::Unquoted => {
                out.push(c);
                if c == '>' {
                    state = State::Text;
                } else if c.is_whitespace() {
                    state = State::BeforeAttr;
                }
            }
        }
        i += 1;
    }
    out
}

/// Parses `html` inertly and returns a fragment of clean nodes owned by `doc`.
/// `own_image_prefix` is the same-origin path below which inline images may load.
pub fn sanitize(html: &str, doc: &Document, own_image_prefix: &str) -> Option<DocumentFragment> {
    let parser = DomParser::new().ok()?;
    let inert = parser
        .parse_from_string(&neutralize_handlers(html), SupportedType::TextHtml)
        .ok()?;
    let body = inert.body()?;
    let out = doc.create_document_fragment();
    copy_children(&body, out.as_ref(), doc, own_image_prefix);
    Some(out)
}

fn copy_children(from: &Node, to: &Node, doc: &Document, prefix: &str) {
    let children = from.child_nodes();
    for i in 0..children.length() {
        if let Some(child) = children.item(i) {
            copy_node(&child, to, doc, prefix);
        }
    }
}

fn copy_node(node: &Node, to: &Node, doc: &Document, prefix: &str) {
    match node.node_type() {
        Node::TEXT_NODE => {
            let text = node.text_content().unwrap_or_default();
            let _ = to.append_child(&doc.create_text_node(&text));
        }
        Node::ELEMENT_NODE => {
            let Some(el) = node.dyn_ref::<Element>() else {
                return;
            };
            let tag = el.local_name().to_ascii_lowercase();
            // Only HTML-namespace elements: SVG/MathML content is dropped above, and anything
            // in a foreign namespace that slipped through is unwrapped to text.
            let html_ns = el.namespace_uri().as_deref() == Some("http://www.w3.org/1999/xhtml");
            match (element_rule(&tag), html_ns) {
                (ElementRule::Drop, _) => {}
                (ElementRule::Keep, true) => {
                    if let Ok(copy) = doc.create_element(&tag) {
                        copy_attributes(el, &copy, &tag, prefix);
                        if tag == "img"
                            && copy.get_attribute("src").is_none()
                            && copy.get_attribute(DEFERRED_SRC).is_none()
                        {
                            // A blocked image leaves its description, not a broken icon. (Read
                            // in SafeHtml's effect: a language switch sanitizes again.)
                            let alt = el.get_attribute("alt").unwrap_or_default();
                            let t = crate::i18n::t();
                            let label = if alt.trim().is_empty() {
                                t.image_not_shown.to_string()
                            } else {
                                (t.image_not_shown_alt)(alt.trim())
                            };
                            let _ = to.append_child(&doc.create_text_node(&label));
                            return;
                        }
                        copy_children(node, copy.as_ref(), doc, prefix);
                        let _ = to.append_child(&copy);
                    }
                }
                _ => copy_children(node, to, doc, prefix),
            }
        }
        // Comments, processing instructions, doctypes: dropped.
        _ => {}
    }
}

fn copy_attributes(from: &Element, to: &Element, tag: &str, prefix: &str) {
    let attrs = from.attributes();
    for i in 0..attrs.length() {
        let Some(attr) = attrs.item(i) else { continue };
        let name = attr.local_name().to_ascii_lowercase();
        let value = attr.value();
        if !attribute_allowed(tag, &name) {
            continue;
        }
        let ok = match name.as_str() {
            "href" => safe_link(&value),
            "src" => safe_image(&value, prefix),
            "width" | "height" | "colspan" | "rowspan" | "start" => {
                value.trim().parse::<u32>().is_ok_and(|n| n <= 10_000)
            }
            _ => true,
        };
        if ok && name == "src" && !value.trim().to_ascii_lowercase().starts_with("data:") {
            // The help desk's own images need the customer's credentials: `SafeHtml` loads
            // them through the adapter and sets a blob URL.
            let _ = to.set_attribute(DEFERRED_SRC, value.trim());
        } else if ok {
            let _ = to.set_attribute(&name, &value);
        }
    }
    if tag == "a" && to.has_attribute("href") {
        let _ = to.set_attribute("target", "_blank");
        let _ = to.set_attribute("rel", "noopener noreferrer nofollow");
    }
    if tag == "img" {
        let _ = to.set_attribute("loading", "lazy");
        let _ = to.set_attribute("referrerpolicy", "no-referrer");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert!(safe_link("https://example.com/safety"));
        assert!(safe_link("mailto:help@example.com"));
        assert!(!safe_link("javascript:alert(1)"));
        assert!(!safe_link(" JaVaScRiPt:alert(1)"));
        assert!(!safe_link("java\tscript:alert(1)"));
        assert!(!safe_link("java\u{0}script:alert(1)"));
        assert!(!safe_link("vbscript:x"));
        assert!(!safe_link("data:text/html,<script>alert(1)</script>"));
        assert!(!safe_link("/tickets/1"));
        assert!(!safe_link("#top"));
        assert!(!safe_link("//evil.example/x"));
    }

    #[test]
    fn images() {
        let own = "/api/v1/ticket_attachment/";
        assert!(safe_image("data:image/png;base64,iVBOR", own));
        assert!(!safe_image("data:image/svg+xml;base64,PHN2Zz4=", own));
        assert!(!safe_image("data:text/html,x", own));
        assert!(safe_image(
            "/api/v1/ticket_attachment/41/101/17?view=inline",
            own
        ));
        assert!(!safe_image("/api/v1/ticket_attachment/../../users/me", own));
        assert!(!safe_image("https://tracker.example/pixel.gif", own));
        assert!(!safe_image("x", own));
    }

    #[test]
    fn handlers_are_renamed_only_inside_tags() {
        assert_eq!(
            neutralize_handlers(r#"<img src="x" onerror="window.__xss=1">"#),
            r#"<img src="x" x-onerror="window.__xss=1">"#
        );
        assert_eq!(neutralize_handlers("<img/onerror=a>"), "<img/x-onerror=a>");
        assert_eq!(
            neutralize_handlers("<svg ONLOAD = 'x' ><p title=\"onclick=1\">one=two on=3</p>"),
            "<svg x-ONLOAD = 'x' ><p title=\"onclick=1\">one=two on=3</p>"
        );
        assert_eq!(neutralize_handlers("a < b and c > d"), "a < b and c > d");
        assert_eq!(
            neutralize_handlers("<a href=x onmouseover=y>z</a>"),
            "<a href=x x-onmouseover=y>z</a>"
        );
        assert_eq!(neutralize_handlers("Grüße <b>ok</b>"), "Grüße <b>ok</b>");
    }

    #[test]
    fn element_rules() {
        assert_eq!(element_rule("P"), ElementRule::Keep);
        assert_eq!(element_rule("script"), ElementRule::Drop);
        assert_eq!(element_rule("svg"), ElementRule::Drop);
        assert_eq!(element_rule("form"), ElementRule::Unwrap);
        assert_eq!(element_rule("marquee"), ElementRule::Unwrap);
    }

    #[test]
    fn attributes() {
        assert!(attribute_allowed("a", "href"));
        assert!(!attribute_allowed("a", "onclick"));
        assert!(!attribute_allowed("img", "onerror"));
        assert!(!attribute_allowed("div", "style"));
        assert!(!attribute_allowed("div", "id"));
        assert!(!attribute_allowed("img", "srcset"));
        assert!(attribute_allowed("td", "colspan"));
    }
}
