//! Every word the portal shows, in a catalogue per language, and the language the customer reads.
//!
//! `Texts` (`texts.rs`) has one field per message: plain texts are read as fields
//! (`tr(|t| t.sign_in)`), messages with values through a method of the same name
//! (`t.tickets_found(n)`), which fills `{name}` placeholders and, for plurals, picks the form by
//! `Intl.PluralRules`. English (`en.rs`, a `Texts` literal: a missing or extra message is a
//! compile error) is compiled in: it is the fallback and what most first loads need. Every other
//! language is a catalogue file (`de.json`) that the portal fetches only when that language is
//! in use (`fetch.rs`); the host tests (`tests.rs`) hold each file to English's messages,
//! values and the plural forms its language needs. Words the help desk sends (ticket titles,
//! articles, its own error texts, state names, group labels from config.json) are shown as they
//! are.
//!
//! The language is the customer's choice in the header (kept in localStorage, a preference and
//! not personal data), else the first of the browser's `navigator.languages` the portal has,
//! else English. Switching updates every text at once: views read texts through [`t`] / [`tr`],
//! which subscribe to the current language. A language that must be fetched first is switched
//! to when its file is there (meanwhile the switcher shows it, and the portal stays as it was); at
//! start the portal waits for it ([`ready`]) instead of flashing English. A failed fetch keeps the
//! current language, with a note in the console.

use std::cell::RefCell;

use leptos::prelude::*;

use crate::backend::{ActiveBackend, Backend};

pub mod en;
mod fetch;
mod message;
mod read;
#[cfg(test)]
mod tests;
mod texts;

use message::plural;
pub use message::{Plural, Template};
pub use texts::Texts;

/// A language the portal speaks.
pub struct Language {
    /// ISO 639-1 code (the catalogue's file name, `<html lang>`, the stored preference).
    pub code: &'static str,
    /// Its own name, as the switcher offers it ("Deutsch", not "German").
    pub name: &'static str,
    /// FNV-1a hash of the catalogue file the wasm was built with; `None` for English, which is
    /// compiled in.
    hash: Option<u64>,
}

impl Language {
    /// The catalogue's published name (xtask/src/build.rs writes it so): `i18n-de-<hash>.json`.
    fn file_name(&self) -> Option<String> {
        self.hash
            .map(|hash| format!("i18n-{}-{hash:016x}.json", self.code))
    }
}

/// FNV-1a, 64 bits: the catalogue file's name changes whenever its content does. Evaluated at
/// compile time (only the number is in the wasm, not the file).
pub const fn content_hash(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// **Adding a language**: translate `de.json` (or `en.rs`'s texts) into `src/i18n/xx.json`, `xx`
/// being the language's ISO 639-1 code, and add `xx: "its own name",` below. Nothing else
/// changes: the build publishes the file, the switcher, the browser-language match and
/// `<html lang>` read this list, and `cargo test` checks the file (every message, no other key,
/// the same values as English, each plural form the language needs: add its categories to the
/// table in `tests.rs`).
macro_rules! languages {
    ($fallback:ident, $($code:ident: $name:literal,)*) => {
        /// Every language the portal speaks, the fallback (compiled in) first.
        pub const LANGUAGES: &[Language] = &[
            Language { code: $fallback::TEXTS.code, name: $fallback::TEXTS.name, hash: None },
            $(Language {
                code: stringify!($code),
                name: $name,
                hash: Some(content_hash(include_bytes!(concat!(stringify!($code), ".json")))),
            },)*
        ];

        /// Each catalogue file's code and content, for the host tests.
        #[cfg(test)]
        const CATALOGUE_FILES: &[(&str, &str)] =
            &[$((stringify!($code), include_str!(concat!(stringify!($code), ".json"))),)*];
    };
}
languages! {
    en,
    de: "Deutsch",
    es: "Español",
    fr: "Français",
    it: "Italiano",
    nl: "Nederlands",
    pl: "Polski",
    pt: "Português",
}

/// The fallback language's texts (also what `Display` of an error prints, for logs and tests).
pub fn english() -> &'static Texts {
    &en::TEXTS
}

/// localStorage key of the customer's choice.
const PREFERENCE: &str = "portal.language";

/// The portal's language, shared by every view (it lives as long as the page).
struct State {
    /// The texts on screen.
    current: ArcRwSignal<&'static Texts>,
    /// A language chosen in the switcher whose catalogue is on its way.
    pending: ArcRwSignal<Option<&'static str>>,
    /// False while the language picked at start is being fetched.
    ready: ArcRwSignal<bool>,
    /// Every language read so far (English from the start): each file is fetched once.
    loaded: RefCell<Vec<&'static Texts>>,
}

thread_local! {
    static STATE: State = State {
        current: ArcRwSignal::new(english()),
        pending: ArcRwSignal::new(None),
        ready: ArcRwSignal::new(true),
        loaded: RefCell::new(vec![english()]),
    };
}

/// The current language's texts. Read inside a view or effect, it re-runs that view or effect
/// when the customer switches.
pub fn t() -> &'static Texts {
    STATE.with(|s| s.current.get())
}

/// A text that follows the language, for `view!`: `{tr(|t| t.sign_in)}`,
/// `aria-label=tr(|t| t.main_nav)`. One closure type for all messages keeps the wasm small.
pub fn tr(
    pick: fn(&Texts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(t())
}

/// Whether the language picked at start is there (tracked). Until then the portal shows no
/// text rather than English that would turn German a moment later.
pub fn ready() -> bool {
    STATE.with(|s| s.ready.get())
}

/// The code the switcher shows: the language being fetched, else the current one (tracked; it
/// goes back to the current language if the fetch fails).
pub fn selected() -> &'static str {
    STATE.with(|s| s.pending.get().unwrap_or_else(|| s.current.get().code))
}

/// Every language read so far, English first (the texts public/trap.js may need).
pub fn loaded() -> Vec<&'static Texts> {
    STATE.with(|s| s.loaded.borrow().clone())
}

fn cached(code: &str) -> Option<&'static Texts> {
    STATE.with(|s| s.loaded.borrow().iter().copied().find(|t| t.code == code))
}

/// `language`'s texts, fetched once; `None` (with a note in the console) if the file cannot be
/// had.
async fn load(language: &'static Language) -> Option<&'static Texts> {
    if let Some(texts) = cached(language.code) {
        return Some(texts);
    }
    match fetch::fetch(language).await {
        Ok(texts) => {
            // Another request for the same language may have finished first.
            if let Some(earlier) = cached(language.code) {
                return Some(earlier);
            }
            STATE.with(|s| s.loaded.borrow_mut().push(texts));
            crate::browser::trap::hand_over_texts();
            Some(texts)
        }
        Err(why) => {
            leptos::logging::warn!(
                "help portal: the {} texts could not be loaded ({why}); the portal stays in {}",
                language.name,
                STATE.with(|s| s.current.get_untracked().name)
            );
            None
        }
    }
}

/// Picks the language at start: the stored choice, else the browser's (see [`pick`]). A
/// language that is not compiled in is fetched while [`ready`] is false.
pub fn start() {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(PREFERENCE).ok().flatten());
    let language = pick(stored.as_deref(), &browser_languages());
    if let Some(texts) = cached(language.code) {
        STATE.with(|s| s.current.set(texts));
        return;
    }
    STATE.with(|s| s.ready.set(false));
    // Called before the app is mounted, when Leptos' executor is not set up yet: the browser's
    // own queue (the future needs no reactive owner).
    wasm_bindgen_futures::spawn_local(async move {
        let texts = load(language).await;
        STATE.with(|s| {
            if let Some(texts) = texts {
                s.current.set(texts);
            }
            s.ready.set(true);
        });
    });
}

/// Switches the portal to `code` and remembers the choice: at once for a language read before,
/// else when its catalogue has arrived (unless another choice came first).
pub fn choose(code: &str) {
    let Some(language) = find(code) else { return };
    let switch = |texts: &'static Texts| {
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(PREFERENCE, texts.code);
        }
        STATE.with(|s| {
            s.pending.set(None);
            s.current.set(texts);
        });
    };
    if let Some(texts) = cached(language.code) {
        switch(texts);
        return;
    }
    STATE.with(|s| s.pending.set(Some(language.code)));
    leptos::task::spawn_local(async move {
        let texts = load(language).await;
        if STATE.with(|s| s.pending.get_untracked()) != Some(language.code) {
            return; // the customer chose again meanwhile
        }
        match texts {
            Some(texts) => switch(texts),
            None => STATE.with(|s| s.pending.set(None)),
        }
    });
}

fn find(code: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.code.eq_ignore_ascii_case(code))
}

/// The primary language subtag of a BCP 47 tag: "de-AT" → "de".
fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or_default()
}

/// The stored choice if it is still offered, else the first browser language the portal has
/// ("de-AT" matches "de"), else the fallback.
pub fn pick(stored: Option<&str>, browser: &[String]) -> &'static Language {
    stored
        .and_then(find)
        .or_else(|| browser.iter().find_map(|tag| find(primary(tag))))
        .unwrap_or(&LANGUAGES[0])
}

fn browser_languages() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// The locale for `Intl` (dates, relative times): the browser's own tag when it is of the chosen
/// language ("de-AT" keeps Austrian month names), else the language's code. Tracked like [`t`].
pub fn locale() -> String {
    locale_for(t().code, &browser_languages())
}

fn locale_for(code: &str, browser: &[String]) -> String {
    browser
        .iter()
        .find(|tag| primary(tag).eq_ignore_ascii_case(code))
        .cloned()
        .unwrap_or_else(|| code.to_string())
}

/// "My organization" (Zammad) or "My company" (Znuny): the "Show" filter's shared scope.
pub fn my_shared_scope(t: &Texts) -> &'static str {
    if ActiveBackend::ORGANIZATION == "company" {
        t.my_company
    } else {
        t.my_organization
    }
}

/// Every language as the browser would have it (English, then each catalogue file read on the
/// host), for tests that word something in every language.
#[cfg(test)]
pub fn every_language() -> &'static [&'static Texts] {
    static ALL: std::sync::OnceLock<Vec<&'static Texts>> = std::sync::OnceLock::new();
    ALL.get_or_init(tests::every_language)
}

/// One language's texts, for tests (`texts_of("de")`).
#[cfg(test)]
pub fn texts_of(code: &str) -> &'static Texts {
    every_language()
        .iter()
        .copied()
        .find(|t| t.code == code)
        .unwrap_or_else(|| panic!("no language {code}"))
}
