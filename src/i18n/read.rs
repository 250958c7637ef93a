//! A catalogue file as read (`src/i18n/<code>.json`): an object with one entry per message, a
//! string for a text or template, an object of plural forms (`{"one": …, "other": …}`) for a
//! plural. The browser parses the JSON (`fetch.rs`), the host tests do with serde_json; both hand
//! the entries to [`Source`], and `texts::read` takes them into a `Texts`.

use super::message::{Plural, Template, CATEGORIES};

/// One entry's value.
pub enum Raw {
    Text(String),
    /// Category and template, as the file lists them.
    Forms(Vec<(String, String)>),
    /// Neither a string nor an object of strings.
    Invalid,
}

/// The entries of a catalogue file not taken yet, and what was wrong with those taken.
pub struct Source {
    entries: Vec<(String, Raw)>,
    problems: Vec<String>,
}

impl Source {
    pub fn new(entries: Vec<(String, Raw)>) -> Self {
        Self {
            entries,
            problems: Vec::new(),
        }
    }

    /// The message `key`, or `english` (with a note) if the file lacks it or has it in the wrong
    /// shape.
    pub fn take<M: Message>(&mut self, key: &str, english: M) -> M {
        let raw = match self.entries.iter().position(|(k, _)| k == key) {
            Some(i) => self.entries.swap_remove(i).1,
            None => {
                self.problems.push(format!("{key}: missing"));
                return english;
            }
        };
        M::from_raw(raw).unwrap_or_else(|why| {
            self.problems.push(format!("{key}: {why}"));
            english
        })
    }

    /// What was wrong, including every entry no message took (a misspelt or retired key).
    pub fn problems(mut self) -> Vec<String> {
        for (key, _) in self.entries.drain(..) {
            self.problems
                .push(format!("{key}: not a message of this portal"));
        }
        self.problems
    }
}

/// A catalogue's text lives as long as the page (each language is read at most once): leaked,
/// so that every message is a `&'static str` like English's.
fn keep(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// A kind of message, as read from its entry.
pub trait Message: Sized {
    fn from_raw(raw: Raw) -> Result<Self, String>;
    /// Its templates: `("", template)` for a text or template, `(category, template)` for each
    /// form of a plural.
    #[cfg(test)]
    fn forms(&self) -> Vec<(&'static str, &'static str)>;
}

impl Message for &'static str {
    fn from_raw(raw: Raw) -> Result<Self, String> {
        match raw {
            Raw::Text(text) => Ok(keep(text)),
            _ => Err("expected a string".into()),
        }
    }
    #[cfg(test)]
    fn forms(&self) -> Vec<(&'static str, &'static str)> {
        vec![("", *self)]
    }
}

impl Message for Template {
    fn from_raw(raw: Raw) -> Result<Self, String> {
        <&'static str>::from_raw(raw).map(Template)
    }
    #[cfg(test)]
    fn forms(&self) -> Vec<(&'static str, &'static str)> {
        vec![("", self.0)]
    }
}

impl Message for Plural {
    fn from_raw(raw: Raw) -> Result<Self, String> {
        let Raw::Forms(forms) = raw else {
            return Err("expected an object of plural forms".into());
        };
        let mut read = Vec::with_capacity(forms.len());
        for (category, template) in forms {
            let Some(known) = CATEGORIES.iter().find(|c| **c == category) else {
                return Err(format!("\"{category}\" is not a plural category"));
            };
            read.push((*known, keep(template)));
        }
        if !read.iter().any(|(c, _)| *c == "other") {
            return Err("no \"other\" form".into());
        }
        Ok(Plural(Box::leak(read.into_boxed_slice())))
    }
    #[cfg(test)]
    fn forms(&self) -> Vec<(&'static str, &'static str)> {
        self.0.to_vec()
    }
}
