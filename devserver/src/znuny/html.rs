//! A port of Znuny's `Kernel::System::HTMLUtils::ToAscii`, which turns the HTML body of an
//! article into the plain-text `Body` that TicketGet returns: links become `[1]` footnotes,
//! tags vanish, the text of `<script>` elements stays as text.

use regex::{Captures, Regex};
use std::sync::OnceLock;

/// `Ticket::Frontend::TextAreaNote`
const LINE_LENGTH: usize = 78;

struct Res {
    link: Regex,
    blockquote: Regex,
    cite_div: Regex,
    pre: Regex,
    comment: Regex,
    leading_ws: Regex,
    crlf: Regex,
    br_newline: Regex,
    style_empty: Regex,
    style: Regex,
    br: Regex,
    div_close: Regex,
    hr: Regex,
    p_table: Regex,
    tr_th: Regex,
    li: Regex,
    list_close: Regex,
    td_close: Regex,
    spaces: Regex,
    tag: Regex,
    dec_entity: Regex,
    hex_entity: Regex,
    named_entity: Regex,
    empty_lines: Regex,
    wrap: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| {
        let r = |p: &str| Regex::new(p).expect("static regex");
        Res {
            link: r(r#"(?i)<a\s.*?href=("|')(.+?)("|').*?>"#),
            blockquote: r(r"(?is)<blockquote(.*?)>(.+?)</blockquote>"),
            cite_div: r(r#"(?is)<div[^>]+type="cite"[^>]*>(.+?)</div>"#),
            pre: r(r"(?is)<(pre|code)(.*?)>(.+?)</(pre|code)(.*?)>"),
            comment: r(r"(?is)<!--.*?-->"),
            leading_ws: r(r"(?m)^\s*"),
            crlf: r(r"(\n\r|\r\r\n|\r\n)"),
            br_newline: r(r"(?is)(<br(\s{0,3}|\s{1,3}.+?)(/|)>)(\n|\r)"),
            style_empty: r(r"(?is)<style[^>]*?/>"),
            style: r(r"(?is)<style[^>]*?>.*?</style[^>]*>"),
            br: r(r"(?is)<br(\s{0,3}|\s{1,3}.+?)(/|)>"),
            div_close: r(r"(?is)</(\s{0,3})div>"),
            hr: r(r"(?is)<(hr|hr.+?)>"),
            p_table: r(r"(?is)<(/|)(p|p.+?|table|table.+?)>"),
            tr_th: r(r"(?is)<(tr|tr.+?|th|th.+?)>"),
            li: r(r"(?is)<li>"),
            list_close: r(r"(?is)</(ul|ol)>"),
            td_close: r(r"(?is)</td[^>]*>"),
            spaces: r(r"(?m)[ ]{2,}"),
            tag: r(r"(?s)<.+?>"),
            dec_entity: r(r"&#(\d+);?"),
            hex_entity: r(r"&#[xX]([0-9a-fA-F]+);?"),
            named_entity: r(r"&(\w+);?"),
            empty_lines: r(r"(?m)^\s*\n\s*\n"),
            wrap: r(&format!(r"(?m)(.{{4,{LINE_LENGTH}}})(?:\s|\z)")),
        }
    })
}

fn entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "gt" => ">",
        "lt" => "<",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "copy" => "©",
        "reg" => "®",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "eacute" => "é",
        "egrave" => "è",
        "agrave" => "à",
        "aacute" => "á",
        "ccedil" => "ç",
        "ntilde" => "ñ",
        "euro" => "€",
        "pound" => "£",
        "yen" => "¥",
        "cent" => "¢",
        "sect" => "§",
        "deg" => "°",
        "laquo" => "«",
        "raquo" => "»",
        "middot" => "·",
        "times" => "×",
        "divide" => "÷",
        "ndash" => "–",
        "mdash" => "—",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "bull" => "•",
        "hellip" => "…",
        "trade" => "™",
        "larr" => "←",
        "rarr" => "→",
        _ => return None,
    })
}

fn quote(inner: &str, cites: &mut Vec<(String, String)>) -> String {
    let mut ascii = to_ascii(inner);
    if ascii.chars().count() > LINE_LENGTH {
        ascii = res().wrap.replace_all(&ascii, "$1\n").into_owned();
    }
    // `s/^(.*?)$/> $1/gm`: every line, but not the empty end after a trailing newline.
    let trailing = ascii.ends_with('\n');
    let body = if trailing {
        &ascii[..ascii.len() - 1]
    } else {
        &ascii[..]
    };
    let mut quoted: String = body
        .split('\n')
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    if trailing {
        quoted.push('\n');
    }
    let key = format!("######Cite::{}######", cites.len() + 1);
    cites.push((key.clone(), quoted));
    key
}

/// Converts an HTML string to Znuny's ASCII rendering.
pub fn to_ascii(input: &str) -> String {
    let r = res();
    let mut s = input.to_string();

    // <a href=…> → [n], collecting the links.
    let mut links = String::new();
    let mut counter = 0;
    s = r
        .link
        .replace_all(&s, |c: &Captures| {
            counter += 1;
            links.push_str(&format!("[{counter}] {}\n", &c[2]));
            format!("[{counter}]")
        })
        .into_owned();

    // <blockquote> and <div type="cite"> are rendered separately and quoted with "> ".
    let mut cites: Vec<(String, String)> = Vec::new();
    s = r
        .blockquote
        .replace_all(&s.clone(), |c: &Captures| quote(&c[2], &mut cites))
        .into_owned();
    s = r
        .cite_div
        .replace_all(&s.clone(), |c: &Captures| quote(&c[1], &mut cites))
        .into_owned();

    // <pre> and <code> are kept as they are.
    let mut one2one: Vec<(String, String)> = Vec::new();
    s = r
        .pre
        .replace_all(&s.clone(), |c: &Captures| {
            let key = format!("######One2One::{}######", one2one.len() + 1);
            one2one.push((key.clone(), c[3].to_string()));
            key
        })
        .into_owned();

    s = r.comment.replace_all(&s, "").into_owned();
    s = r.leading_ws.replace_all(&s, "").into_owned();
    s = r.crlf.replace_all(&s, "\n").into_owned();
    s = r.br_newline.replace_all(&s, "$1").into_owned();
    s = s.replace(['\n', '\r'], " ");
    s = r.style_empty.replace_all(&s, "").into_owned();
    s = r.style.replace_all(&s, "").into_owned();
    s = r.br.replace_all(&s, "\n").into_owned();
    s = r.div_close.replace_all(&s, "\n").into_owned();
    s = r.hr.replace_all(&s, "\n\n").into_owned();
    s = r.p_table.replace_all(&s, "\n\n").into_owned();
    s = r.tr_th.replace_all(&s, "\n\n").into_owned();
    s = r.li.replace_all(&s, "\n - ").into_owned();
    s = r.list_close.replace_all(&s, "\n\n").into_owned();
    s = r.td_close.replace_all(&s, " ").into_owned();
    s = r.spaces.replace_all(&s, " ").into_owned();
    for (key, content) in &one2one {
        s = s.replace(key, &format!("\n\n\n{content}\n\n"));
    }
    s = r.tag.replace_all(&s, "").into_owned();

    s = r
        .dec_entity
        .replace_all(&s, |c: &Captures| {
            let n: u32 = c[1].parse().unwrap_or(0);
            match char::from_u32(n) {
                Some(ch) if !(0xD800..=0xDFFF).contains(&n) => ch.to_string(),
                _ => c[0].to_string(),
            }
        })
        .into_owned();
    s = r
        .hex_entity
        .replace_all(&s, |c: &Captures| {
            let n = u32::from_str_radix(&c[1], 16).unwrap_or(0);
            match char::from_u32(n) {
                Some(ch) if n != 0 && !(0xD800..=0xDFFF).contains(&n) => ch.to_string(),
                _ => c[0].to_string(),
            }
        })
        .into_owned();
    s = r
        .named_entity
        .replace_all(&s, |c: &Captures| match entity(&c[1]) {
            Some(e) => e.to_string(),
            None => c[0].to_string(),
        })
        .into_owned();

    s = r.empty_lines.replace_all(&s, "\n").into_owned();
    if s.chars().count() > LINE_LENGTH {
        s = r.wrap.replace_all(&s, "$1\n").into_owned();
    }
    for (key, cite) in &cites {
        s = s.replace(key, &format!("{cite}\n"));
    }
    if !links.is_empty() {
        s.push_str("\n\n");
        s.push_str(&links);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_footnotes_and_tags_vanish() {
        let out = to_ascii(
            "<p>See our <a href=\"https://example.com/safety\">safety guide</a>.</p><script>window.x=1</script>",
        );
        assert!(out.contains("See our [1]safety guide."), "{out:?}");
        assert!(out.contains("window.x=1"), "{out:?}");
        assert!(out.ends_with("[1] https://example.com/safety\n"), "{out:?}");
        assert!(!out.contains('<'), "{out:?}");
    }

    #[test]
    fn quotes() {
        let out = to_ascii("<p>Hi</p><blockquote>old<br/>text</blockquote>");
        assert!(out.contains("> old\n> text"), "{out:?}");
    }

    #[test]
    fn lists_and_entities() {
        let out = to_ascii("<ul><li>one</li><li>two &amp; three</li></ul>");
        assert!(out.contains(" - one"), "{out:?}");
        assert!(out.contains(" - two & three"), "{out:?}");
    }
}
