//! Host tests of the languages: picking one, and every catalogue file against English.

use std::collections::BTreeSet;

use super::message::{placeholders, Kind, CATEGORIES};
use super::read::{Raw, Source};
use super::texts::{self, MESSAGES};
use super::*;

/// The plural categories each language's numbers fall into, as `Intl.PluralRules` reports them
/// (`new Intl.PluralRules("pl").resolvedOptions().pluralCategories`, Chromium 156 / ICU 78 /
/// CLDR 48). A catalogue must give exactly these forms for every plural message, so that no
/// number is worded in another language's grammar. A new language adds its line here.
const PLURAL_CATEGORIES: &[(&str, &[&str])] = &[
    ("en", &["one", "other"]),
    ("de", &["one", "other"]),
    // Issue 20's languages, ready for their catalogues.
    ("es", &["one", "many", "other"]),
    ("fr", &["one", "many", "other"]),
    ("it", &["one", "many", "other"]),
    ("nl", &["one", "other"]),
    ("pl", &["one", "few", "many", "other"]),
    ("pt", &["one", "many", "other"]),
];

fn categories_of(code: &str) -> &'static [&'static str] {
    PLURAL_CATEGORIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, categories)| *categories)
        .unwrap_or_else(|| panic!("{code}: add its plural categories to PLURAL_CATEGORIES"))
}

/// A catalogue file's entries in their order, duplicates included (serde_json's map would keep
/// only the last of two equal keys, as the browser's `JSON.parse` does: a translator's slip that
/// must not pass silently).
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Visit)
    }
}

fn raw(value: serde_json::Value) -> Raw {
    match value {
        serde_json::Value::String(text) => Raw::Text(text),
        serde_json::Value::Object(forms) => forms
            .into_iter()
            .map(|(category, form)| match form {
                serde_json::Value::String(template) => Some((category, template)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map_or(Raw::Invalid, Raw::Forms),
        _ => Raw::Invalid,
    }
}

/// A catalogue file read the way the browser reads it (`fetch.rs`): its texts and what was
/// wrong (duplicates included).
fn read_file(code: &str, json: &str) -> (&'static Texts, Vec<String>) {
    let Entries(entries) = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{code}.json is not a JSON object: {e}"));
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (key, _) in &entries {
        if !seen.insert(key.clone()) {
            problems.push(format!("{key}: twice"));
        }
    }
    let language = find(code).unwrap_or_else(|| panic!("{code} is not in LANGUAGES"));
    let mut source = Source::new(entries.into_iter().map(|(k, v)| (k, raw(v))).collect());
    let texts = texts::read(language.code, language.name, &mut source, english());
    problems.extend(source.problems());
    (Box::leak(Box::new(texts)), problems)
}

/// Every language as the browser would have it: English, then each catalogue file read.
pub(super) fn every_language() -> Vec<&'static Texts> {
    let mut all = vec![english()];
    all.extend(
        CATALOGUE_FILES
            .iter()
            .map(|(code, json)| read_file(code, json).0),
    );
    all
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn first_supported_browser_language_wins() {
    assert_eq!(pick(None, &tags(&["fr-FR", "de-AT", "en"])).code, "de");
    assert_eq!(pick(None, &tags(&["en-US", "de"])).code, "en");
    assert_eq!(pick(None, &tags(&["fr", "it"])).code, "en");
    assert_eq!(pick(None, &[]).code, "en");
    assert_eq!(pick(None, &tags(&["DE_de"])).code, "de");
}

#[test]
fn a_stored_choice_beats_the_browser_unless_it_is_gone() {
    assert_eq!(pick(Some("en"), &tags(&["de-DE"])).code, "en");
    assert_eq!(pick(Some("de"), &tags(&["en-US"])).code, "de");
    assert_eq!(pick(Some("xx"), &tags(&["de-DE"])).code, "de");
}

#[test]
fn intl_locale_keeps_the_regional_tag_of_the_chosen_language() {
    assert_eq!(locale_for("de", &tags(&["en-US", "de-AT"])), "de-AT");
    assert_eq!(locale_for("de", &tags(&["en-US"])), "de");
    assert_eq!(locale_for("en", &tags(&["en-GB", "de"])), "en-GB");
}

#[test]
fn every_language_has_a_distinct_code_and_name() {
    for (i, a) in LANGUAGES.iter().enumerate() {
        assert_eq!(a.code.len(), 2, "{}", a.code);
        assert!(!a.name.is_empty());
        for b in &LANGUAGES[i + 1..] {
            assert_ne!(a.code, b.code);
            assert_ne!(a.name, b.name);
        }
    }
    // English is compiled in; every other language is a file.
    assert_eq!(LANGUAGES[0].code, english().code);
    assert_eq!(LANGUAGES[0].file_name(), None);
    assert_eq!(CATALOGUE_FILES.len(), LANGUAGES.len() - 1);
}

#[test]
fn catalogue_files_are_named_by_their_content() {
    // FNV-1a 64 test vectors; xtask/src/build.rs names the published files with the same hash.
    assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(content_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(content_hash(b"foobar"), 0x8594_4171_f739_67e8);
    for (code, json) in CATALOGUE_FILES {
        let language = find(code).expect("listed");
        assert_eq!(
            language.file_name(),
            Some(format!(
                "i18n-{code}-{:016x}.json",
                content_hash(json.as_bytes())
            ))
        );
    }
}

/// English, the reference: each message's values are the method's parameters, each plural has
/// English's forms.
#[test]
fn english_words_every_value() {
    let en = english();
    for spec in MESSAGES {
        let mut values: Vec<&str> = spec.values.to_vec();
        values.sort_unstable();
        let forms = en.forms(spec.key);
        match spec.kind {
            Kind::Text => assert!(values.is_empty()),
            Kind::Template => assert!(!values.is_empty(), "{}", spec.key),
            Kind::Plural => {
                let categories: Vec<&str> = forms.iter().map(|(c, _)| *c).collect();
                assert_eq!(categories, categories_of("en"), "{}", spec.key);
            }
        }
        for (category, template) in forms {
            assert!(!template.trim().is_empty(), "{} {category}", spec.key);
            assert_eq!(
                placeholders(template),
                values,
                "en: {} {category}: {template}",
                spec.key
            );
        }
    }
}

/// Every catalogue file: every message and no other key, each in English's shape (text or
/// plural), with English's values, and exactly the plural forms its language needs.
#[test]
fn every_catalogue_file_has_every_message_with_the_values_of_english() {
    let en = english();
    for (code, json) in CATALOGUE_FILES {
        let (texts, mut problems) = read_file(code, json);
        let needed = categories_of(code);
        for spec in MESSAGES {
            let english_values = placeholders(en.forms(spec.key)[0].1);
            let forms = texts.forms(spec.key);
            if spec.kind == Kind::Plural {
                let mut categories: Vec<&str> = forms.iter().map(|(c, _)| *c).collect();
                categories.sort_by_key(|c| CATEGORIES.iter().position(|k| k == c));
                if categories != needed {
                    problems.push(format!(
                        "{}: plural forms {categories:?}, {code} needs {needed:?}",
                        spec.key
                    ));
                }
            }
            for (category, template) in forms {
                // "bytes.one", or "sign_in" for a message without forms.
                let name = [spec.key, category].join(if category.is_empty() { "" } else { "." });
                if template.trim().is_empty() {
                    problems.push(format!("{name}: empty"));
                }
                let values = placeholders(template);
                if values != english_values {
                    problems.push(format!(
                        "{name}: values {values:?}, English has {english_values:?}"
                    ));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "src/i18n/{code}.json:\n  {}",
            problems.join("\n  ")
        );
    }
}

/// The checks above catch what they should: a file with a slip of each kind.
#[test]
fn a_faulty_catalogue_is_reported_and_falls_back_to_english() {
    let json = r#"{
        "language": "Sprache",
        "language": "Sprache",
        "sign_in": {"one": "Anmelden", "other": "Anmelden"},
        "bytes": {"one": "{n} Byte", "few": "{n} Bytes", "other": "{n} Bytes"},
        "tickets_found": {"one": "{n} Ticket"},
        "new_replies": "{n} neue Antworten",
        "err_server": "HTTP {code}",
        "signin": "Anmelden",
        "code": "de"
    }"#;
    let (texts, problems) = read_file("de", json);
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(has("language: twice"), "{problems:?}");
    assert!(has("sign_in: expected a string"), "{problems:?}");
    assert!(has("tickets_found: no \"other\" form"), "{problems:?}");
    assert!(
        has("new_replies: expected an object of plural forms"),
        "{problems:?}"
    );
    assert!(has("signin: not a message"), "{problems:?}");
    assert!(has("code: not a message"), "{problems:?}");
    assert!(has("sign_out: missing"), "{problems:?}");
    // What the file lacks or has wrong stays English; the rest is the file's.
    assert_eq!(texts.language, "Sprache");
    assert_eq!(texts.sign_in, "Sign in");
    assert_eq!(texts.tickets_found(2), "2 tickets found");
    assert_eq!(texts.bytes(2), "2 Bytes");
    assert_eq!(texts.err_server(502), "HTTP {code}");
}

#[test]
fn german_reads_like_german() {
    let de = texts_of("de");
    assert_eq!(de.code, "de");
    assert_eq!(de.name, "Deutsch");
    assert_eq!(de.sign_in, "Anmelden");
    assert_eq!(de.tickets_found(1), "1 Ticket gefunden");
    assert_eq!(de.tickets_found(7), "7 Tickets gefunden");
    assert_eq!(de.page_of(2, 5), "Seite 2 von 5");
    assert_eq!(
        de.quote_list(&["a.pdf".into(), "b.png".into()]),
        "\u{201e}a.pdf\u{201c}, \u{201e}b.png\u{201c}"
    );
    let en = english();
    assert_eq!(en.tickets_found(1), "1 ticket found");
    assert_eq!(en.tickets_found(0), "0 tickets found");
    assert_eq!(
        en.session_ends(1).split(". ").next(),
        Some("For your security the help desk ends your session in 1 minute")
    );
    // Most messages differ from English (a message left in English would be a slip); the ones
    // that may stay: names, units, codes.
    let same: Vec<&str> = MESSAGES
        .iter()
        .filter(|spec| en.forms(spec.key) == de.forms(spec.key))
        .map(|spec| spec.key)
        .collect();
    assert_eq!(
        same,
        [
            "kilobytes",
            "megabytes",
            "theme_system",
            "status",
            "ticket",
            "sender_support",
            "sender_system",
            "list_separator",
        ]
    );
}
