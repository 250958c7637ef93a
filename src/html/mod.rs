//! Help-desk HTML made safe: the sanitizer and the clobbering-proof reads of what it builds,
//! and the entities of escaped text read back.

pub mod safe_dom;
pub mod sanitize;

/// Text with the entities help desks write into text turned back into characters (`&amp;`
/// last, so `&amp;lt;` stays the text "&lt;"); any other `&…;` stays as it is.
pub fn unescape(text: &str) -> String {
    text.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
