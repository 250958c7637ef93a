//! The demo knowledge base both fakes serve (Zammad: Knowledge Base answers, Znuny: FAQ
//! items), for the answers the new-ticket form offers while the customer types a subject.
//! Ids are the same in both fakes; the fakes render them in their own shapes.

pub struct Answer {
    pub id: u64,
    pub title: &'static str,
    pub html: &'static str,
    /// Published for customers (Zammad) / state type `public` (Znuny). The others are
    /// internal: a customer must never get them.
    pub public: bool,
}

/// Marker text of the internal answer: never in anything a customer receives.
pub const INTERNAL_MARKER: &str = "INTERNAL-ONLY-7c1e";

pub const ANSWERS: [Answer; 6] = [
    Answer {
        id: 1,
        title: "How do I reset my password?",
        html: "<p>Open the sign-in page and choose <strong>Forgot password?</strong>. We send you a link by email; it is valid for one day.</p>",
        public: true,
    },
    Answer {
        id: 2,
        title: "Printer shows a paper jam but no paper is stuck",
        html: "<p>Switch the printer off, open the rear flap &amp; remove the small roller cover.</p><ol><li>Clean the sensor.</li><li>Switch it on again.</li></ol>",
        public: true,
    },
    Answer {
        id: 3,
        title: "VPN disconnects every few minutes",
        html: "<p>Update the VPN client to the newest version and turn off power saving for the network adapter.</p>",
        public: true,
    },
    Answer {
        id: 4,
        title: "Set up your work email on your phone",
        html: "<p>Add an <em>Exchange</em> account with your work address; the server is found automatically.</p>",
        public: true,
    },
    Answer {
        id: 5,
        title: "Password override for locked admin accounts (internal)",
        html: "<p>INTERNAL-ONLY-7c1e: use the break-glass password in the vault.</p>",
        public: false,
    },
    Answer {
        id: 6,
        title: "Printer driver download",
        html: "<p>Get the driver for your printer model below.</p><img src=\"x\" onerror=\"window.__xss='kb-img'\"><script>window.__xss='kb-script'</script><p><a href=\"javascript:window.__xss='kb-link'\">Download the driver</a></p>",
        public: true,
    },
];

/// The HTML's text: its tags dropped, the entities the demo answers use read (a script's text
/// stays, as in Rails' `strip_tags` since rails-html-sanitizer 1.5; paragraphs run together).
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// What Zammad's `strip_tags` gives: the text, HTML-escaped again (its serializer writes `&`,
/// `<` and `>` of text as entities: `full_sanitize("&") == "&amp;"` in rails-html-sanitizer's
/// tests), so the knowledge-base search's excerpt holds entities.
pub fn strip_tags(html: &str) -> String {
    text(html)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `%query%` on title and body, case-insensitive (SQL `ILIKE`, as both help desks search
/// without a search index); an empty query matches nothing.
pub fn matches(a: &Answer, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    !q.is_empty()
        && (a.title.to_lowercase().contains(&q) || text(a.html).to_lowercase().contains(&q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_tags_escapes_the_text_as_rails_does() {
        let html = "<p>a &amp; b &lt;c&gt;</p><script>x()</script>";
        assert_eq!(text(html), "a & b <c>x()");
        assert_eq!(strip_tags(html), "a &amp; b &lt;c&gt;x()");
    }

    #[test]
    fn search_is_a_substring_of_title_or_text() {
        let found: Vec<u64> = ANSWERS
            .iter()
            .filter(|a| matches(a, "PRINTER"))
            .map(|a| a.id)
            .collect();
        assert_eq!(found, [2, 6]);
        assert!(!ANSWERS.iter().any(|a| matches(a, "")));
        assert_eq!(text("<p>a <b>b</b></p>"), "a b");
    }
}
