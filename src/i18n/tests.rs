//! Host tests of the languages: picking one, and every catalogue file against English.

use std::collections::BTreeSet;

use super::message::{placeholders, Kind, Plural, Spec, CATEGORIES};
use super::read::{read, Raw};
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

fn raw(value: &serde_json::Value) -> Raw {
    match value {
        serde_json::Value::String(text) => Raw::Text(text.clone()),
        serde_json::Value::Object(forms) => forms
            .iter()
            .map(|(category, form)| Some((category.clone(), form.as_str()?.to_string())))
            .collect::<Option<Vec<_>>>()
            .map_or(Raw::Invalid, Raw::Forms),
        _ => Raw::Invalid,
    }
}

fn entries(code: &str, json: &str) -> Vec<(String, serde_json::Value)> {
    let Entries(entries) = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{code}.json is not a JSON object: {e}"));
    entries
}

/// A catalogue file read the way the browser reads it (`fetch.rs`: its values, in order).
fn read_file(code: &str, json: &str) -> Result<(&'static Texts, usize), String> {
    let language = find(code).unwrap_or_else(|| panic!("{code} is not in LANGUAGES"));
    let values: Vec<Raw> = entries(code, json).iter().map(|(_, v)| raw(v)).collect();
    let (texts, english_left) = read(language.code, language.name, values.into_iter(), english())?;
    Ok((Box::leak(Box::new(texts)), english_left))
}

/// Every language as the browser would have it: English, then each catalogue file read.
pub(super) fn every_language() -> Vec<&'static Texts> {
    let mut all = vec![english()];
    for (code, json) in CATALOGUE_FILES {
        let (texts, _) = read_file(code, json).unwrap_or_else(|e| panic!("{code}.json: {e}"));
        all.push(texts);
    }
    all
}

/// Each message of `t` in order: its key, kind and templates (`("", template)` for a text or
/// template, `(category, template)` for each form of a plural).
fn messages(t: &Texts) -> Vec<(&'static Spec, Vec<(&'static str, &'static str)>)> {
    MESSAGES
        .iter()
        .zip(texts::texts(t))
        .map(|(spec, text)| {
            let forms = match spec.kind {
                Kind::Plural => Plural(text).forms(),
                _ => vec![("", text)],
            };
            (spec, forms)
        })
        .collect()
}

/// What is wrong with a catalogue file, measured against English: keys (each message once, in
/// the order of texts.rs, no other), shapes, values, plural forms, characters.
fn problems(code: &str, json: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let entries = entries(code, json);
    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    let mut seen = BTreeSet::new();
    for key in &keys {
        if !seen.insert(*key) {
            problems.push(format!("{key}: twice"));
        }
        if !MESSAGES.iter().any(|spec| spec.key == *key) {
            problems.push(format!("{key}: not a message of the portal"));
        }
    }
    for spec in MESSAGES {
        if !keys.contains(&spec.key) {
            problems.push(format!("{}: missing", spec.key));
        }
    }
    let english_order: Vec<&str> = MESSAGES.iter().map(|spec| spec.key).collect();
    if problems.is_empty() && keys != english_order {
        let (i, (key, expected)) = keys
            .iter()
            .zip(&english_order)
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .expect("a difference");
        problems.push(format!(
            "entry {}: {key} where texts.rs lists {expected} (the portal reads the values in that order)",
            i + 1
        ));
    }
    let needed = categories_of(code);
    let english = messages(english());
    for (key, value) in &entries {
        let Some((spec, english_forms)) = english.iter().find(|(spec, _)| spec.key == key) else {
            continue;
        };
        let english_values = placeholders(english_forms[0].1);
        let forms: Vec<(String, String)> = match (spec.kind, raw(value)) {
            (Kind::Plural, Raw::Forms(forms)) => {
                let mut categories: Vec<&str> = forms.iter().map(|(c, _)| c.as_str()).collect();
                categories.sort_by_key(|c| CATEGORIES.iter().position(|k| k == c));
                if categories != needed {
                    problems.push(format!(
                        "{key}: plural forms {categories:?}, {code} needs {needed:?}"
                    ));
                }
                forms
            }
            (Kind::Text | Kind::Template, Raw::Text(text)) => vec![(String::new(), text)],
            (Kind::Plural, _) => {
                problems.push(format!("{key}: expected an object of plural forms"));
                continue;
            }
            _ => {
                problems.push(format!("{key}: expected a string"));
                continue;
            }
        };
        for (category, template) in forms {
            // "bytes.one", or "sign_in" for a message without forms.
            let name = if category.is_empty() {
                key.clone()
            } else {
                format!("{key}.{category}")
            };
            if template.trim().is_empty() {
                problems.push(format!("{name}: empty"));
            }
            if template.chars().any(char::is_control) {
                problems.push(format!("{name}: a control character"));
            }
            let values = placeholders(&template);
            if values != english_values {
                problems.push(format!(
                    "{name}: values {values:?}, English has {english_values:?}"
                ));
            }
        }
    }
    problems
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn first_supported_browser_language_wins() {
    assert_eq!(pick(None, &tags(&["sv-SE", "de-AT", "en"])).code, "de");
    assert_eq!(pick(None, &tags(&["en-US", "de"])).code, "en");
    assert_eq!(pick(None, &tags(&["sv", "ja"])).code, "en");
    assert_eq!(pick(None, &[]).code, "en");
    assert_eq!(pick(None, &tags(&["DE_de"])).code, "de");
}

/// Issue 20's languages: a regional tag picks its language, and the first one the portal has
/// wins.
#[test]
fn regional_browser_languages_pick_their_language() {
    for (tag, code) in [
        ("fr-CA", "fr"),
        ("fr", "fr"),
        ("es-419", "es"),
        ("es-MX", "es"),
        ("it-CH", "it"),
        ("nl-BE", "nl"),
        ("pl-PL", "pl"),
        ("pt-BR", "pt"),
        ("pt-PT", "pt"),
    ] {
        assert_eq!(pick(None, &tags(&[tag])).code, code, "{tag}");
        assert_eq!(pick(None, &tags(&["sv", tag, "de"])).code, code, "{tag}");
    }
    assert_eq!(pick(None, &tags(&["fr-FR", "de-AT", "en"])).code, "fr");
    assert_eq!(pick(Some("pl"), &tags(&["pt-BR"])).code, "pl");
    // Intl keeps the region: Brazil's dates and plural rules for a Brazilian browser.
    assert_eq!(locale_for("pt", &tags(&["en-US", "pt-BR"])), "pt-BR");
    assert_eq!(locale_for("fr", &tags(&["fr-CA"])), "fr-CA");
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
    for (spec, forms) in messages(english()) {
        let mut values: Vec<&str> = spec.values.to_vec();
        values.sort_unstable();
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
            assert!(
                !template.chars().any(char::is_control),
                "{} {category}",
                spec.key
            );
            assert_eq!(
                placeholders(template),
                values,
                "en: {} {category}: {template}",
                spec.key
            );
        }
    }
}

/// Every catalogue file: every message once, in the order of texts.rs, and no other key; each in
/// English's shape (text or plural) with English's values; exactly the plural forms its language
/// needs.
#[test]
fn every_catalogue_file_has_every_message_with_the_values_of_english() {
    for (code, json) in CATALOGUE_FILES {
        let problems = problems(code, json);
        assert!(
            problems.is_empty(),
            "src/i18n/{code}.json:\n  {}",
            problems.join("\n  ")
        );
        let (_, english_left) = read_file(code, json).expect("read");
        assert_eq!(english_left, 0);
    }
}

/// The checks above catch what they should: a file with a slip of each kind.
#[test]
fn a_faulty_catalogue_is_reported() {
    let de = CATALOGUE_FILES
        .iter()
        .find(|(code, _)| *code == "de")
        .expect("de")
        .1;
    let mut faulty = entries("de", de);
    let set =
        |entries: &mut Vec<(String, serde_json::Value)>, key: &str, value: serde_json::Value| {
            entries.iter_mut().find(|(k, _)| k == key).expect(key).1 = value;
        };
    set(
        &mut faulty,
        "sign_in",
        serde_json::json!({"one": "Anmelden", "other": "Anmelden"}),
    );
    set(
        &mut faulty,
        "bytes",
        serde_json::json!({"one": "{n} Byte", "few": "{n} Bytes", "other": "{n} Bytes"}),
    );
    set(
        &mut faulty,
        "tickets_found",
        serde_json::json!({"one": "{n} Ticket"}),
    );
    set(
        &mut faulty,
        "new_replies",
        serde_json::json!("{n} neue Antworten"),
    );
    set(&mut faulty, "err_server", serde_json::json!("HTTP {code}"));
    set(&mut faulty, "page", serde_json::json!("Seite\u{1f}{page}"));
    faulty.retain(|(k, _)| k != "sign_out");
    faulty.push(("signin".into(), serde_json::json!("Anmelden")));
    faulty.push(("language".into(), serde_json::json!("Sprache")));
    let json = format!(
        "{{{}}}",
        faulty
            .iter()
            .map(|(k, v)| format!("{}: {v}", serde_json::Value::String(k.clone())))
            .collect::<Vec<_>>()
            .join(",")
    );
    let found = problems("de", &json);
    for expected in [
        "language: twice",
        "signin: not a message of the portal",
        "sign_out: missing",
        "sign_in: expected a string",
        "bytes: plural forms [\"one\", \"few\", \"other\"], de needs [\"one\", \"other\"]",
        "tickets_found: plural forms [\"one\"], de needs [\"one\", \"other\"]",
        "new_replies: expected an object of plural forms",
        "err_server: values [\"code\"], English has [\"status\"]",
        "page: a control character",
    ] {
        assert!(
            found.iter().any(|p| p == expected),
            "{expected}\nin {found:#?}"
        );
    }
    // The same file in the browser: another number of messages is not this build's file.
    assert!(read_file("de", &json).is_err());

    // In order but out of place: the order is checked once nothing else is wrong.
    let mut swapped = entries("de", de);
    swapped.swap(1, 2);
    let json = format!(
        "{{{}}}",
        swapped
            .iter()
            .map(|(k, v)| format!("{}: {v}", serde_json::Value::String(k.clone())))
            .collect::<Vec<_>>()
            .join(",")
    );
    let found = problems("de", &json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("entry 2: bytes where texts.rs lists decimal_separator"),
        "{found:?}"
    );
}

/// What the browser does with a value in the wrong shape: English for that message.
#[test]
fn a_message_in_the_wrong_shape_stays_english() {
    let mut values: Vec<Raw> = texts::texts(texts_of("de"))
        .iter()
        .zip(MESSAGES)
        .map(|(text, spec)| match spec.kind {
            Kind::Plural => Raw::Forms(
                Plural(text)
                    .forms()
                    .into_iter()
                    .map(|(c, t)| (c.into(), t.into()))
                    .collect(),
            ),
            _ => Raw::Text(text.to_string()),
        })
        .collect();
    let at = |key: &str| MESSAGES.iter().position(|spec| spec.key == key).expect(key);
    values[at("sign_in")] = Raw::Forms(vec![("other".into(), "Anmelden".into())]);
    values[at("tickets_found")] = Raw::Forms(vec![("one".into(), "{n} Ticket".into())]);
    values[at("new_replies")] = Raw::Text("{n} neue Antworten".into());
    values[at("sign_out")] = Raw::Invalid;
    let (texts, english_left) = read("de", "Deutsch", values.into_iter(), english()).expect("read");
    assert_eq!(english_left, 4);
    assert_eq!(texts.sign_in, "Sign in");
    assert_eq!(texts.sign_out, "Sign out");
    assert_eq!(texts.tickets_found(2), "2 tickets found");
    assert_eq!(texts.new_replies(2), "2 new replies");
    assert_eq!(texts.my_tickets, "Meine Tickets");
    assert_eq!(texts.bytes(2), "2 Bytes");
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
        .zip(texts::texts(en).iter().zip(texts::texts(de)))
        .filter(|(_, (en, de))| *en == de)
        .map(|(spec, _)| spec.key)
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

/// Messages (or a plural form of them) a catalogue may word as English does: units, the list
/// separator, quotes, and words that are the same in that language (checked by hand: "Ticket" is
/// the help desks' own word in French, Spanish, Italian and Dutch; "Status", "Menu", "Page {page}",
/// "{n} bytes"…). Anything else equal to English is a message left untranslated.
const SAME_AS_ENGLISH: &[(&str, &[&str])] = &[
    (
        "de",
        &[
            "kilobytes",
            "megabytes",
            "theme_system",
            "status",
            "ticket",
            "sender_support",
            "sender_system",
            "list_separator",
        ],
    ),
    (
        "es",
        &[
            "bytes",
            "kilobytes",
            "megabytes",
            "ticket",
            "list_separator",
            "field_no",
        ],
    ),
    (
        "fr",
        &[
            "menu",
            "count_on_page",
            "page",
            "pagination",
            "ticket",
            "conversation",
            "sender_support",
            "image_file",
            "list_separator",
            "message",
        ],
    ),
    (
        "it",
        &[
            "bytes",
            "kilobytes",
            "megabytes",
            "menu",
            "password",
            "ticket",
            "list_separator",
            "field_no",
        ],
    ),
    (
        "nl",
        &[
            "bytes",
            "kilobytes",
            "megabytes",
            "menu",
            "status",
            "status_open",
            "state_open",
            "ticket",
            "sender_support",
            "list_separator",
        ],
    ),
    (
        "pl",
        &[
            "kilobytes",
            "megabytes",
            "menu",
            "status",
            "sender_system",
            "list_separator",
        ],
    ),
    (
        "pt",
        &[
            "bytes",
            "kilobytes",
            "megabytes",
            "menu",
            "status",
            "quoted",
            "list_separator",
        ],
    ),
];

/// Every catalogue is translated: no message (or plural form) is English's word for word
/// unless the language says it so too (`SAME_AS_ENGLISH`).
#[test]
fn no_catalogue_leaves_a_message_in_english() {
    let english = messages(english());
    let mut wrong = Vec::new();
    for (code, _) in CATALOGUE_FILES {
        let allowed = SAME_AS_ENGLISH
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, keys)| *keys)
            .unwrap_or_else(|| panic!("{code}: add its line to SAME_AS_ENGLISH"));
        let same: Vec<&str> = messages(texts_of(code))
            .iter()
            .zip(&english)
            .filter(|((_, forms), (_, english_forms))| {
                forms
                    .iter()
                    .any(|(_, text)| english_forms.iter().any(|(_, en)| en == text))
            })
            .map(|((spec, _), _)| spec.key)
            .collect();
        if same != allowed {
            wrong.push(format!("{code}: {same:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "messages equal to English:\n{}",
        wrong.join("\n")
    );
}

/// The languages with more plural forms than English word each one differently where their
/// grammar does (a copy-pasted form would read wrong for those numbers).
#[test]
fn plural_forms_are_worded_per_category() {
    let pl = texts_of("pl");
    let fill = |p: Plural, category: &str, n: u64| p.form(category).replace("{n}", &n.to_string());
    assert_eq!(fill(pl.tickets_found, "one", 1), "Znaleziono 1 zgłoszenie");
    assert_eq!(fill(pl.tickets_found, "few", 3), "Znaleziono 3 zgłoszenia");
    assert_eq!(fill(pl.tickets_found, "many", 5), "Znaleziono 5 zgłoszeń");
    assert_eq!(fill(pl.bytes, "many", 12), "12 bajtów");
    for code in ["es", "fr", "it", "pl", "pt"] {
        let t = texts_of(code);
        for (spec, forms) in messages(t) {
            if spec.kind != Kind::Plural {
                continue;
            }
            let many = forms.iter().find(|(c, _)| *c == "many").map(|(_, f)| *f);
            let one = forms.iter().find(|(c, _)| *c == "one").map(|(_, f)| *f);
            assert_ne!(many, one, "{code}: {}", spec.key);
        }
    }
    // Dates and plural rules come from Intl with the customer's region (`locale_for`); sizes
    // from the catalogue: "1,5 Ko" in French.
    assert_eq!(crate::ui::format::file_size(1536, texts_of("fr")), "1,5 Ko");
    assert_eq!(
        crate::ui::format::file_size(3 << 20, texts_of("pl")),
        "3,0 MB"
    );
}
