//! How Zammad matches the text of a ticket search, per path (zammad-api.md, 9.1 and 9.2):
//!
//! - Elasticsearch (`query_string`, `default_operator: AND`, `analyze_wildcard`): every word
//!   must match, a trailing `*` is added when the query has no `:`, words are compared as the
//!   standard analyzer splits and lowercases them, and a query the parser rejects answers no
//!   tickets (lib/search_index_backend.rb). The parser here is a small approximation of
//!   Lucene's classic query parser: terms with `\` escapes, phrases, `field:value`, `( )`,
//!   `+ - !`, `AND OR NOT && ||`, `*` and `?`; what it rejects is what Lucene rejects for sure
//!   (unbalanced brackets or quotes, an operator or a field without a term, a bare `/`, `^`,
//!   `~`, `[`, `{`).
//! - SQL `LIKE` over title, number and the articles' body, from, to and subject (joined, so a
//!   ticket without articles is never found): case-sensitive with `%`, `_` and `\` as
//!   PostgreSQL reads them on Zammad 5; case-insensitive and literal on 6.5 / 7
//!   (`SqlHelper.quote_like`).

use super::store::{state, Article, Store, Ticket};

/// The texts of one ticket a search looks at.
pub struct Doc<'a> {
    pub title: &'a str,
    pub number: &'a str,
    pub articles: Vec<&'a Article>,
    pub state: &'a str,
    pub group: &'a str,
}

impl<'a> Doc<'a> {
    pub fn new(store: &'a Store, t: &'a Ticket, articles: Vec<&'a Article>) -> Self {
        Doc {
            title: &t.title,
            number: &t.number,
            articles,
            state: state(t.state_id).map(|s| s.name).unwrap_or(""),
            group: store
                .group(t.group_id)
                .map(|g| g.name.as_str())
                .unwrap_or(""),
        }
    }

    /// The article fields SQL searches (and Elasticsearch indexes), internal articles included.
    fn article_texts(&self) -> impl Iterator<Item = &str> {
        self.articles.iter().flat_map(|a| {
            [
                Some(a.body.as_str()),
                a.from.as_deref(),
                a.to.as_deref(),
                a.subject.as_deref(),
            ]
            .into_iter()
            .flatten()
        })
    }

    fn texts(&self, field: Option<&str>) -> Vec<&str> {
        match field {
            None => [self.title, self.number]
                .into_iter()
                .chain(self.article_texts())
                .collect(),
            Some("title") => vec![self.title],
            Some("number") => vec![self.number],
            Some("state" | "state.name") => vec![self.state],
            Some("group" | "group.name") => vec![self.group],
            Some("article.body") => self.articles.iter().map(|a| a.body.as_str()).collect(),
            Some("article.subject") => self
                .articles
                .iter()
                .filter_map(|a| a.subject.as_deref())
                .collect(),
            Some("article.from") => self
                .articles
                .iter()
                .filter_map(|a| a.from.as_deref())
                .collect(),
            Some(_) => Vec::new(),
        }
    }
}

/// The words of a text as Elasticsearch's standard analyzer keeps them (close enough): runs of
/// letters and digits, lowercased.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

// ---- SQL LIKE ----------------------------------------------------------------------------

/// `text LIKE pattern` with `%`, `_` and, if `escapes`, `\` as the escape character.
fn like(text: &[char], pattern: &[char], escapes: bool) -> bool {
    // Iterative matcher with backtracking to the last `%`.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        let (pc, literal, width) = match pattern.get(p) {
            Some('\\') if escapes => match pattern.get(p + 1) {
                Some(c) => (Some(*c), true, 2),
                None => (Some('\\'), true, 1),
            },
            Some(c) => (Some(*c), false, 1),
            None => (None, false, 0),
        };
        match pc {
            Some('%') if !literal => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some('_') if !literal => {
                t += 1;
                p += width;
                continue;
            }
            Some(c) if c == text[t] => {
                t += 1;
                p += width;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    while pattern.get(p) == Some(&'%') {
        p += 1;
    }
    p == pattern.len()
}

/// Zammad 5's text search: `LIKE '%query%'` as written (the customer's `%`, `_` and `\` act as
/// PostgreSQL reads them), case-sensitive, over title, number and the articles' fields; only
/// tickets with articles (the query joins them).
pub fn like_v5(doc: &Doc, query: &str) -> bool {
    if doc.articles.is_empty() {
        return false;
    }
    let pattern: Vec<char> = format!("%{query}%").chars().collect();
    doc.texts(None)
        .into_iter()
        .any(|t| like(&t.chars().collect::<Vec<_>>(), &pattern, true))
}

/// Zammad 6.5 / 7 without Elasticsearch: the query taken literally, case-insensitive, over the
/// same fields; only tickets with articles.
pub fn like_modern(doc: &Doc, query: &str) -> bool {
    if doc.articles.is_empty() {
        return false;
    }
    let needle = query.to_lowercase();
    doc.texts(None)
        .into_iter()
        .any(|t| t.to_lowercase().contains(&needle))
}

// ---- Elasticsearch query_string ------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// A word or a pattern: its text unescaped, whether `*`/`?` in it are wildcards.
    Term {
        field: Option<String>,
        text: String,
        wildcard: bool,
    },
    Phrase {
        field: Option<String>,
        text: String,
    },
    Group(Query),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Alternatives (split at `OR` / `||`), each a list of (must, node) clauses.
    any_of: Vec<Vec<(bool, Node)>>,
}

/// The query Zammad sends: `*` appended where there is no `:`
/// (`append_wildcard_to_simple_query`).
pub fn zammad_query(query: &str) -> String {
    let q = query.trim();
    if q.contains(':') {
        q.to_string()
    } else {
        format!("{q}*")
    }
}

/// Parses a query string; `Err` where Elasticsearch would answer 400 (Zammad then logs the
/// error and answers no tickets).
pub fn parse(query: &str) -> Result<Query, String> {
    let chars: Vec<char> = query.chars().collect();
    let mut pos = 0;
    let q = parse_query(&chars, &mut pos, false)?;
    if pos < chars.len() {
        return Err(format!("unexpected {:?}", chars[pos]));
    }
    Ok(q)
}

fn skip_spaces(chars: &[char], pos: &mut usize) {
    while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
        *pos += 1;
    }
}

fn starts(chars: &[char], pos: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.get(pos..pos + w.len()) == Some(&w[..])
        && chars
            .get(pos + w.len())
            .is_none_or(|c| c.is_whitespace() || *c == '(')
}

fn parse_query(chars: &[char], pos: &mut usize, nested: bool) -> Result<Query, String> {
    let mut q = Query {
        any_of: vec![Vec::new()],
    };
    let mut expect_clause = false;
    loop {
        skip_spaces(chars, pos);
        let Some(&c) = chars.get(*pos) else { break };
        if c == ')' {
            if !nested {
                return Err("unbalanced )".into());
            }
            break;
        }
        if starts(chars, *pos, "OR") || starts(chars, *pos, "||") {
            if q.any_of.last().is_none_or(Vec::is_empty) {
                return Err("OR without a clause before it".into());
            }
            *pos += 2;
            q.any_of.push(Vec::new());
            expect_clause = true;
            continue;
        }
        if starts(chars, *pos, "AND") || starts(chars, *pos, "&&") {
            if q.any_of.last().is_none_or(Vec::is_empty) {
                return Err("AND without a clause before it".into());
            }
            *pos += if c == '&' { 2 } else { 3 };
            expect_clause = true;
            continue;
        }
        let mut must = true;
        if starts(chars, *pos, "NOT") {
            *pos += 3;
            must = false;
        } else if c == '-' || c == '!' {
            *pos += 1;
            must = false;
        } else if c == '+' {
            *pos += 1;
        }
        skip_spaces(chars, pos);
        let node = parse_clause(chars, pos)?;
        if let Some(last) = q.any_of.last_mut() {
            last.push((must, node));
        }
        expect_clause = false;
    }
    if expect_clause || q.any_of.iter().any(Vec::is_empty) && q.any_of.len() > 1 {
        return Err("an operator without a clause after it".into());
    }
    Ok(q)
}

fn parse_clause(chars: &[char], pos: &mut usize) -> Result<Node, String> {
    let field = field_prefix(chars, pos)?;
    let Some(&c) = chars.get(*pos) else {
        return Err("a clause without a term".into());
    };
    let node = match c {
        '(' => {
            *pos += 1;
            let inner = parse_query(chars, pos, true)?;
            if chars.get(*pos) != Some(&')') {
                return Err("unbalanced (".into());
            }
            *pos += 1;
            Node::Group(inner)
        }
        '"' => {
            *pos += 1;
            let mut text = String::new();
            loop {
                match chars.get(*pos) {
                    None => return Err("unbalanced \"".into()),
                    Some('"') => break,
                    Some('\\') => {
                        text.extend(chars.get(*pos + 1));
                        *pos += 2;
                    }
                    Some(c) => {
                        text.push(*c);
                        *pos += 1;
                    }
                }
            }
            *pos += 1;
            Node::Phrase { field, text }
        }
        c if "/^~[]{})".contains(c) => return Err(format!("{c:?} out of place")),
        _ => {
            let (text, wildcard) = term(chars, pos)?;
            if text.is_empty() {
                return Err("an empty term".into());
            }
            Node::Term {
                field,
                text,
                wildcard,
            }
        }
    };
    // `~2` (fuzzy / proximity) and `^2` (boost) after a clause.
    if chars.get(*pos) == Some(&'~') {
        *pos += 1;
        while chars
            .get(*pos)
            .is_some_and(|c| c.is_ascii_digit() || *c == '.')
        {
            *pos += 1;
        }
    }
    if chars.get(*pos) == Some(&'^') {
        *pos += 1;
        let start = *pos;
        while chars
            .get(*pos)
            .is_some_and(|c| c.is_ascii_digit() || *c == '.')
        {
            *pos += 1;
        }
        if *pos == start {
            return Err("^ without a number".into());
        }
    }
    Ok(node)
}

/// `field:` before a clause, if any.
fn field_prefix(chars: &[char], pos: &mut usize) -> Result<Option<String>, String> {
    let mut end = *pos;
    while chars
        .get(end)
        .is_some_and(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
    {
        end += 1;
    }
    if end > *pos && chars.get(end) == Some(&':') {
        let field: String = chars[*pos..end].iter().collect();
        *pos = end + 1;
        skip_spaces(chars, pos);
        if *pos >= chars.len() {
            return Err("a field without a value".into());
        }
        return Ok(Some(field));
    }
    Ok(None)
}

/// One term up to whitespace or an unescaped special; `\x` is `x`.
fn term(chars: &[char], pos: &mut usize) -> Result<(String, bool), String> {
    let mut text = String::new();
    let mut wildcard = false;
    while let Some(&c) = chars.get(*pos) {
        match c {
            '\\' => match chars.get(*pos + 1) {
                Some(n) => {
                    text.push(*n);
                    *pos += 2;
                }
                None => return Err("a \\ at the end".into()),
            },
            '*' | '?' => {
                wildcard = true;
                text.push(c);
                *pos += 1;
            }
            c if c.is_whitespace() => break,
            ':' => return Err("a : after a term that is no field".into()),
            c if "(){}[]\"".contains(c) => break,
            '/' => return Err("/ starts a regular expression that never ends".into()),
            c if "^~".contains(c) => break,
            c => {
                // `+ - ! = < > & |` inside a word are part of it (the analyzer splits there).
                text.push(c);
                *pos += 1;
            }
        }
    }
    Ok((text, wildcard))
}

/// `pattern` (with `*` and `?`) matches `word`.
fn glob(pattern: &[char], word: &[char]) -> bool {
    match (pattern.first(), word.first()) {
        (None, None) => true,
        (Some('*'), _) => {
            glob(&pattern[1..], word) || (!word.is_empty() && glob(pattern, &word[1..]))
        }
        (Some('?'), Some(_)) => glob(&pattern[1..], &word[1..]),
        (Some(p), Some(w)) if p == w => glob(&pattern[1..], &word[1..]),
        _ => false,
    }
}

fn term_matches(doc: &Doc, field: Option<&str>, text: &str, wildcard: bool) -> bool {
    let doc_words: Vec<Vec<char>> = doc
        .texts(field)
        .iter()
        .flat_map(|t| words(t))
        .map(|w| w.chars().collect())
        .collect();
    // The term is analyzed like the text (wildcards kept where they are wildcards): each of
    // its words must be there.
    let parts: Vec<String> = if wildcard {
        text.split(|c: char| !(c.is_alphanumeric() || c == '*' || c == '?'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    } else {
        words(text)
    };
    if parts.is_empty() {
        // Only a wildcard (`*`): everything; only punctuation: nothing.
        return wildcard && text.chars().all(|c| c == '*' || c == '?');
    }
    parts.iter().all(|part| {
        let p: Vec<char> = part.chars().collect();
        doc_words.iter().any(|w| glob(&p, w))
    })
}

fn phrase_matches(doc: &Doc, field: Option<&str>, text: &str) -> bool {
    let wanted = words(text);
    if wanted.is_empty() {
        return false;
    }
    doc.texts(field).iter().any(|t| {
        let have = words(t);
        have.windows(wanted.len()).any(|w| w == wanted.as_slice())
    })
}

fn node_matches(doc: &Doc, node: &Node) -> bool {
    match node {
        Node::Term {
            field,
            text,
            wildcard,
        } => term_matches(doc, field.as_deref(), text, *wildcard),
        Node::Phrase { field, text } => phrase_matches(doc, field.as_deref(), text),
        Node::Group(q) => q.matches(doc),
    }
}

impl Query {
    pub fn matches(&self, doc: &Doc) -> bool {
        self.any_of.iter().any(|clauses| {
            clauses
                .iter()
                .all(|(must, node)| node_matches(doc, node) == *must)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(body: &str) -> Article {
        Article {
            id: 1,
            ticket_id: 1,
            type_id: 11,
            sender_id: 2,
            from: Some("Alice Anders <alice@example.com>".into()),
            to: None,
            cc: None,
            subject: Some("Printer on fire".into()),
            reply_to: None,
            message_id: None,
            in_reply_to: None,
            content_type: "text/plain".into(),
            body: body.into(),
            internal: false,
            preferences: serde_json::json!({}),
            time_unit: None,
            created_by_id: 10,
            updated_by_id: 10,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn es(doc: &Doc, query: &str) -> Option<bool> {
        parse(&zammad_query(query)).ok().map(|q| q.matches(doc))
    }

    #[test]
    fn elasticsearch_rules() {
        let a = article("Error: disk (sda1) full at 10:42. Call +49-30-1234.");
        let doc = Doc {
            title: "Printer on fire",
            number: "31101",
            articles: vec![&a],
            state: "open",
            group: "Support",
        };
        assert_eq!(es(&doc, "printer"), Some(true));
        assert_eq!(es(&doc, "print"), Some(true), "a prefix: Zammad appends *");
        assert_eq!(es(&doc, "PRINTER fire"), Some(true), "every word, any case");
        assert_eq!(
            es(&doc, "printer water"),
            Some(false),
            "every word must match"
        );
        assert_eq!(es(&doc, "printer OR water"), Some(true));
        assert_eq!(es(&doc, "printer -fire"), Some(false));
        assert_eq!(es(&doc, "3110"), Some(true), "the number");
        assert_eq!(es(&doc, "alice@example"), Some(true), "the article's from");
        // Syntax Elasticsearch refuses: Zammad answers no tickets.
        for bad in [
            "disk (sda1",
            "\"disk",
            "error:",
            "a/b",
            "[1 TO",
            "^2",
            "OR printer",
        ] {
            assert_eq!(es(&doc, bad), None, "{bad:?}");
        }
        // A `:` asks for a field and turns the prefix `*` off.
        assert_eq!(es(&doc, "Error: dis"), Some(false));
        assert_eq!(es(&doc, "title:printer"), Some(true));
        assert_eq!(es(&doc, "nosuchfield:printer"), Some(false));
        // Escaped, the same text is plain words.
        assert_eq!(es(&doc, "Error disk \\(sda1\\)"), Some(true));
        assert_eq!(es(&doc, "\\+49\\-30"), Some(true));
        assert_eq!(es(&doc, "\"disk sda1 full\""), Some(true), "a phrase");
    }

    #[test]
    fn sql_like_rules() {
        let a = article("The printer in room 42 is on fire (again).");
        let doc = Doc {
            title: "Printer on fire",
            number: "31101",
            articles: vec![&a],
            state: "open",
            group: "Support",
        };
        assert!(like_v5(&doc, "printer in"));
        assert!(!like_v5(&doc, "PRINTER in"), "case-sensitive on Zammad 5");
        assert!(like_v5(&doc, "Printer"));
        assert!(like_v5(&doc, "room _2"), "_ is any one character");
        assert!(
            like_v5(&doc, "fire \\(again"),
            "\\ escapes as in PostgreSQL"
        );
        assert!(like_modern(&doc, "PRINTER IN"));
        assert!(like_modern(&doc, "(again)"), "taken literally");
        assert!(
            !like_modern(&doc, "fire \\(again"),
            "a backslash is a backslash"
        );
        let bare = Doc {
            articles: vec![],
            ..doc
        };
        assert!(
            !like_v5(&bare, "Printer") && !like_modern(&bare, "Printer"),
            "no articles, no match"
        );
    }
}
