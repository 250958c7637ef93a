//! The three kinds of message a catalogue holds, and how values go into them.
//!
//! - [`Text`]: words as they are ("Sign in").
//! - [`Template`]: words with values; `{name}` marks where the method's parameter `name` goes
//!   ("Page {page} of {pages}").
//! - [`Plural`]: a template per plural category of the language, picked by a number through the
//!   browser's `Intl.PluralRules` ("{n} ticket found" / "{n} tickets found"; Polish has four).
//!
//! All three are one `&'static str` each (a plural's forms joined with [`SEPARATOR`]), so that a
//! language read from its file fills every message the same way (`texts::slots`).

use std::fmt::{Display, Write};

/// Plain text.
pub type Text = &'static str;

/// A message with values: `{name}` marks where the value named `name` goes.
#[derive(Clone, Copy, Debug)]
pub struct Template(pub &'static str);

/// A message that depends on a number: one template per plural category the language uses, as
/// `Intl.PluralRules` names them (CLDR's `zero`, `one`, `two`, `few`, `many`, `other`). `other`
/// is in every language and stands in for a category a catalogue lacks. Written with
/// [`plural!`]; held as `category␟template␟category␟template␟…`.
#[derive(Clone, Copy, Debug)]
pub struct Plural(pub &'static str);

/// Between a plural's categories and templates (ASCII's unit separator, in no message).
pub const SEPARATOR: char = '\u{1f}';

/// A [`Plural`] in `en.rs`: `plural!(one: "{n} ticket found", other: "{n} tickets found")`.
macro_rules! plural {
    ($($category:ident: $template:literal),+ $(,)?) => {
        $crate::i18n::Plural(concat!($(stringify!($category), "\u{1f}", $template, "\u{1f}"),+))
    };
}
pub(crate) use plural;

/// Every plural category `Intl.PluralRules` can answer.
#[cfg(test)]
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// What kind of message a key of the catalogue is (the catalogue files' schema).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Template,
    Plural,
}

/// One message of the catalogue: its key (the field of `Texts`, the key in a catalogue file), its
/// kind and the names of its values (the method's parameters; the first one counts for plurals).
#[cfg(test)]
pub struct Spec {
    pub key: &'static str,
    pub kind: Kind,
    pub values: &'static [&'static str],
}

impl Template {
    pub fn fill(self, values: &[(&str, &dyn Display)]) -> String {
        fill(self.0, values)
    }
}

impl Plural {
    /// The template for `category`, else the one for `other`.
    pub fn form(self, category: &str) -> &'static str {
        let mut other = "";
        let mut parts = self.0.split(SEPARATOR);
        while let (Some(c), Some(template)) = (parts.next(), parts.next()) {
            if c == category {
                return template;
            }
            if c == "other" {
                other = template;
            }
        }
        other
    }

    /// Category and template of each form, in order.
    #[cfg(test)]
    pub fn forms(self) -> Vec<(&'static str, &'static str)> {
        let parts: Vec<&str> = self.0.split(SEPARATOR).collect();
        parts
            .chunks_exact(2)
            .map(|pair| (pair[0], pair[1]))
            .collect()
    }
}

/// `template` with each `{name}` replaced by the value called `name`. Braces around anything
/// else (a JSON example in a message) stay as they are.
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close + 1))
        });
        match value {
            Some((value, skip)) => {
                let _ = write!(out, "{value}");
                rest = &after[skip..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The names of a template's values: every `{name}` whose name is lower-case letters, digits
/// and underscores (so `{"auth": …}` in a message is not one).
#[cfg(test)]
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            let name = &rest[..close];
            let is_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if is_name {
                names.push(name);
                rest = &rest[close + 1..];
            }
        }
    }
    names.sort_unstable();
    names
}

/// The plural category of `n` in the language `code`, from the browser's `Intl.PluralRules` (with
/// the browser's region when it is of that language: Portugal's Portuguese counts unlike Brazil's).
#[cfg(target_arch = "wasm32")]
pub fn plural_category(code: &str, n: f64) -> String {
    let locale = super::locale_for(code, &super::browser_languages());
    let locales = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&locale));
    js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new())
        .select(n)
        .into()
}

/// On the host (tests) there is no `Intl`: the rule of English and German, the two languages
/// whose texts the host tests word.
#[cfg(not(target_arch = "wasm32"))]
pub fn plural_category(_code: &str, n: f64) -> String {
    if n == 1.0 { "one" } else { "other" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_go_where_their_names_are() {
        let page: &dyn Display = &3u32;
        let pages: &dyn Display = &12u64;
        assert_eq!(
            fill(
                "Page {page} of {pages}",
                &[("page", page), ("pages", pages)]
            ),
            "Page 3 of 12"
        );
        assert_eq!(
            fill("{pages}/{page}/{page}", &[("page", page), ("pages", pages)]),
            "12/3/3"
        );
        let name: &dyn Display = &"Ω{page}";
        assert_eq!(
            fill("„{name}“ fehlt", &[("name", name), ("page", page)]),
            "„Ω{page}“ fehlt",
            "a value is not filled in again"
        );
    }

    #[test]
    fn other_braces_stay() {
        let x: &dyn Display = &1;
        for text in [
            "config.json: \"zammad\": {\"session_fallback\": true}",
            "{unknown} {",
            "}{",
            "{",
            "",
        ] {
            assert_eq!(fill(text, &[("x", x)]), text);
        }
        assert_eq!(fill("{x}{x", &[("x", x)]), "1{x");
    }

    #[test]
    fn placeholder_names() {
        assert_eq!(
            placeholders("{count}, page {page} of {pages}."),
            ["count", "page", "pages"]
        );
        assert_eq!(
            placeholders("(\"zammad\": {\"session_fallback\": true}) {n}"),
            ["n"]
        );
        assert!(placeholders("no values {} {A}").is_empty());
    }

    #[test]
    fn a_missing_category_falls_back_to_other() {
        let p = plural!(one: "{n} file", other: "{n} files");
        assert_eq!(p.0, "one\u{1f}{n} file\u{1f}other\u{1f}{n} files\u{1f}");
        assert_eq!(p.form("one"), "{n} file");
        assert_eq!(p.form("few"), "{n} files");
        assert_eq!(p.forms(), [("one", "{n} file"), ("other", "{n} files")]);
        assert_eq!(Plural("").form("one"), "");
        assert_eq!(Plural("one\u{1f}x").form("few"), "", "no other form");
    }
}
