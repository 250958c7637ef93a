//! A catalogue file (`src/i18n/<code>.json`) made into a language's `Texts`.
//!
//! The file is a JSON object with one entry per message, in the order of `texts.rs`: a string for
//! a text or a template, an object of plural forms (`{"one": …, "other": …}`) for a plural. Its
//! keys are for the people who translate and for the host tests, which hold every file to
//! English's keys, order, values and plural forms; the portal reads the values in order, so that
//! no key ships in the wasm. A file of another build cannot be read by mistake: its name carries
//! the hash of the file the wasm was built with (`fetch.rs`).

use super::message::{Kind, SEPARATOR};
use super::texts::{slots, Texts, KINDS};

/// One value of the file.
pub enum Raw {
    Text(String),
    /// Category and template, as the file lists them.
    Forms(Vec<(String, String)>),
    /// Neither a string nor an object of strings.
    Invalid,
}

/// A catalogue's text lives as long as the page (each language is read at most once): leaked,
/// so that every message is a `&'static str` like English's.
fn keep(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// A language's texts from the values of its file, in order. A value in the wrong shape (a
/// string for a plural, a plural without `other`) leaves English's message; the second number
/// says how many did. A file with another number of messages is not this build's: `Err`.
pub fn read(
    code: &'static str,
    name: &'static str,
    values: impl ExactSizeIterator<Item = Raw>,
    english: &Texts,
) -> Result<(Texts, usize), String> {
    if values.len() != KINDS.len() {
        return Err(format!(
            "{} messages where the portal has {}",
            values.len(),
            KINDS.len()
        ));
    }
    let mut texts = *english;
    texts.code = code;
    texts.name = name;
    let mut english_left = 0;
    for ((slot, kind), raw) in slots(&mut texts).into_iter().zip(KINDS).zip(values) {
        match (kind, raw) {
            (Kind::Plural, Raw::Forms(forms)) if forms.iter().any(|(c, _)| c == "other") => {
                let mut joined = String::new();
                for (category, template) in forms {
                    for part in [category, template] {
                        joined.push_str(&part);
                        joined.push(SEPARATOR);
                    }
                }
                *slot = keep(joined);
            }
            (Kind::Text | Kind::Template, Raw::Text(text)) => *slot = keep(text),
            _ => english_left += 1,
        }
    }
    Ok((texts, english_left))
}
