//! Every word the portal shows, in a catalogue per language, and the language the customer reads.
//!
//! `Texts` has one field per message: plain text as `&'static str`, messages with values or
//! plurals as `fn(..) -> String`. Each language is one file (`en.rs`, `de.rs`) holding
//! `pub const TEXTS: Texts`, so a missing, misspelt or extra key is a compile error, and so is a
//! message with the wrong parameters. Words the help desk sends (ticket titles, articles, its own
//! error texts, state names, group labels from config.json) are shown as they are.
//!
//! The language is the customer's choice in the header (kept in localStorage, a preference and
//! not personal data), else the first of the browser's `navigator.languages` the portal has,
//! else English. Switching updates every text at once: views read texts through [`t`] / [`tr`],
//! which subscribe to the current language.

use leptos::prelude::*;

use crate::backend::{ActiveBackend, Backend};

/// Adding a language: copy `en.rs` to `xx.rs` (`xx` = the language's ISO 639-1 code, also used
/// as `code` inside), translate it, and add `xx` to this list. Nothing else changes: the
/// switcher, the browser-language match and `<html lang>` all read this list. The first one is
/// the fallback.
macro_rules! languages {
    ($($code:ident),+) => {
        $(pub mod $code;)+
        /// Every language the portal speaks, the fallback first.
        pub const LANGUAGES: &[&Texts] = &[$(&$code::TEXTS),+];
    };
}
languages!(en, de);

/// The message catalogue of one language. See `en.rs` for what each message says.
pub struct Texts {
    /// ISO 639-1 code: `<html lang>`, the stored preference, the `Intl` locale's language.
    pub code: &'static str,
    /// The language's own name, as the switcher offers it ("Deutsch", not "German").
    pub name: &'static str,
    /// The switcher's accessible name.
    pub language: &'static str,

    // Numbers and sizes.
    pub decimal_separator: &'static str,
    pub bytes: fn(u64) -> String,
    pub kilobytes: &'static str,
    pub megabytes: &'static str,

    // Frame: boot, header, navigation.
    pub default_brand: &'static str,
    pub loading: &'static str,
    pub unavailable_heading: &'static str,
    pub skip_link: &'static str,
    pub main_nav: &'static str,
    /// Phones: the button that shows the account, theme and language choices.
    pub menu: &'static str,
    pub my_tickets: &'static str,
    pub new_ticket: &'static str,
    pub sign_out: &'static str,
    pub signed_out_notice: &'static str,
    pub try_again: &'static str,
    pub theme: &'static str,
    pub theme_system: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    /// While the browser is offline.
    pub offline: &'static str,
    /// Once the connection is back for a write that waited.
    pub send_now: &'static str,
    /// The portal's wasm stopped (a trap): shown by public/trap.js, handed over by src/trap.rs.
    pub stopped_heading: &'static str,
    pub stopped_message: &'static str,
    pub reload_page: &'static str,

    // Sign-in.
    pub sign_in: &'static str,
    pub login_label: &'static str,
    /// The first field where the help desk takes login names only.
    pub username_label: &'static str,
    pub password: &'static str,
    pub two_factor_code: &'static str,
    pub two_factor_hint: &'static str,
    pub stay_signed_in: &'static str,
    pub stay_hint: &'static str,
    pub verify: &'static str,
    pub signing_in: &'static str,
    pub missing_credentials: &'static str,
    pub missing_credentials_username: &'static str,
    pub missing_code: &'static str,
    pub two_factor_method_legend: &'static str,
    pub method_authenticator_app: &'static str,
    pub method_security_key: &'static str,
    pub method_recovery_code: &'static str,
    pub recovery_code_label: &'static str,
    pub recovery_code_hint: &'static str,
    pub security_key_hint: &'static str,
    pub use_security_key: &'static str,
    pub missing_recovery_code: &'static str,

    // The password dialog after the session ended; the name goes between before and after.
    pub reauth_heading: &'static str,
    pub reauth_before: &'static str,
    pub reauth_after: &'static str,
    pub enter_password: &'static str,
    pub continue_: &'static str,
    pub sign_out_instead: &'static str,
    /// Minutes left until the help desk ends the session.
    pub session_ends: fn(i64) -> String,

    // My tickets.
    pub create_ticket: &'static str,
    pub search_tickets: &'static str,
    pub search_placeholder: &'static str,
    pub status: &'static str,
    pub status_open: &'static str,
    pub status_closed: &'static str,
    pub status_all: &'static str,
    pub sort_by: &'static str,
    pub sort_updated: &'static str,
    pub sort_created: &'static str,
    pub sort_number: &'static str,
    pub show: &'static str,
    /// Zammad's word for the shared account.
    pub my_organization: &'static str,
    /// Znuny's word for it.
    pub my_company: &'static str,
    pub mine: &'static str,
    pub loading_tickets: &'static str,
    // The list's live region (read out, not shown): "4 tickets found, page 1 of 2."
    pub none_found: &'static str,
    pub none_on_page: fn(u32) -> String,
    pub tickets_found: fn(u64) -> String,
    pub tickets_shown: fn(usize) -> String,
    /// A count (`tickets_found` / `tickets_shown`), the page, the number of pages.
    pub count_on_page_of: fn(&str, u32, u64) -> String,
    pub count_on_page: fn(&str, u32) -> String,
    pub no_tickets: &'static str,
    pub no_more_tickets: &'static str,
    /// Current page and number of pages.
    pub page_of: fn(u32, u64) -> String,
    pub page: fn(u32) -> String,
    pub pagination: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    /// Stands before the time of the last update in a list row.
    pub updated_at: &'static str,
    pub colleagues_ticket: &'static str,
    /// In a list row: an agent replied since the customer last opened the ticket.
    pub new_reply: &'static str,

    // State categories (the help desk's own state name is shown as the badge's title).
    pub state_new: &'static str,
    pub state_open: &'static str,
    pub state_pending: &'static str,
    pub state_closed: &'static str,

    // A ticket.
    pub loading_ticket: &'static str,
    pub ticket_not_found: &'static str,
    /// Heading when the list shows a ticket the help desk does not let the customer open.
    pub ticket_not_openable: &'static str,
    pub back_to_tickets: &'static str,
    pub ticket: &'static str,
    pub number: &'static str,
    pub group: &'static str,
    pub created: &'static str,
    pub updated: &'static str,
    pub reopen_ticket: &'static str,
    pub close_ticket: &'static str,
    pub ticket_reopened: &'static str,
    pub ticket_closed: &'static str,
    pub follow_up_refused: &'static str,
    /// A closed ticket whose help desk did not say whether it takes follow-ups.
    pub follow_up_may_be_refused: &'static str,
    pub create_new_ticket: &'static str,
    /// Subject offered for a new ticket instead of a refused follow-up: number, title.
    pub follow_up_subject: fn(&str, &str) -> String,
    pub conversation: &'static str,
    /// Read out (live region) when new messages arrive on an open ticket.
    pub new_replies: fn(usize) -> String,
    pub write_reply: &'static str,
    pub write_reply_reopen: &'static str,
    pub reply: &'static str,
    pub send_reply: &'static str,
    pub sending: &'static str,
    pub reply_sent: &'static str,
    pub reply_empty: &'static str,
    pub reply_sent_earlier: &'static str,
    pub earlier_reply_arrived: &'static str,
    pub checking_reply: &'static str,
    /// Under an error when the reply may have arrived.
    pub reply_kept: &'static str,
    pub reply_waits_offline: &'static str,
    pub reply_waits_online: &'static str,
    pub status_waits_offline: &'static str,
    pub status_waits_online: &'static str,

    // Messages of a conversation.
    pub sender_support: &'static str,
    pub sender_system: &'static str,
    pub role_support: &'static str,
    pub role_system: &'static str,
    pub role_you: &'static str,
    pub role_customer: &'static str,
    /// A message's accessible name: sender's name, role.
    pub message_from: fn(&str, &str) -> String,
    pub message_not_displayed: &'static str,
    pub remote_images_blocked: &'static str,
    pub show_images: &'static str,
    /// In place of a remote image the portal does not load.
    pub image_not_shown: &'static str,
    /// The same with the image's description (alt text).
    pub image_not_shown_alt: fn(&str) -> String,
    /// Above the help desk's own images that are not shown as images (SVG and other risky types).
    pub images_as_files: &'static str,
    /// Their name when the message gives none.
    pub image_file: &'static str,

    // Attachments and the file picker.
    pub attachments: &'static str,
    /// Before a file's name and size in its download button's accessible name.
    pub download: &'static str,
    pub drop_zone: &'static str,
    pub attach_files: &'static str,
    /// After "Attach files": the size limit per file.
    pub drop_hint: fn(&str) -> String,
    pub reading_files: &'static str,
    pub files_to_send: &'static str,
    pub remove: &'static str,
    pub remove_file: fn(&str) -> String,
    /// File name, its size, the limit.
    pub file_too_big: fn(&str, &str, &str) -> String,
    pub file_unreadable: fn(&str) -> String,
    /// A chosen file too large to keep with the draft: its name, the limit.
    pub not_kept_one: fn(&str, &str) -> String,
    /// Several: how many, their names (`quote_list`), the limit.
    pub not_kept_many: fn(usize, &str, &str) -> String,
    /// File names, quoted and listed.
    pub quote_list: fn(&[String]) -> String,

    // New ticket.
    pub subject: &'static str,
    pub message: &'static str,
    pub submit_ticket: &'static str,
    pub submitting: &'static str,
    pub subject_missing: &'static str,
    pub subject_too_long: fn(usize) -> String,
    pub message_missing: &'static str,
    pub message_too_long: fn(usize) -> String,
    pub checking_ticket: &'static str,
    /// Under an error when the ticket may have arrived.
    pub ticket_kept: &'static str,
    pub earlier_ticket_arrived: &'static str,
    pub open_the_ticket: &'static str,
    pub ticket_waits_offline: &'static str,
    pub ticket_waits_online: &'static str,
    /// The help desk does not let customers open tickets (Zammad `customer_ticket_create`).
    pub create_not_allowed: &'static str,
    /// It does, but in none of the groups this portal offers.
    pub create_no_group: &'static str,

    // Unknown address.
    pub page_not_found: &'static str,
    pub nothing_here: &'static str,

    // Errors the portal words itself (src/error.rs `Msg`); values in parentheses are technical.
    pub err_session_ended: &'static str,
    pub err_not_found: &'static str,
    pub err_network: &'static str,
    pub err_timeout: &'static str,
    pub err_server: fn(u16) -> String,
    pub err_unexpected: fn(u16) -> String,
    /// The reason (one of the `why_` texts).
    pub err_unreadable: fn(&str) -> String,
    pub err_config_unavailable: fn(u16) -> String,
    pub err_config_invalid: fn(&str) -> String,
    pub err_save_refused: &'static str,
    pub err_sign_in_failed: &'static str,
    pub err_sign_in_failed_username: &'static str,
    pub err_username_not_email: &'static str,
    pub err_maintenance: &'static str,
    pub err_not_accepted: &'static str,
    pub err_change_not_accepted: fn(&str) -> String,
    /// Zammad's error id.
    pub err_ticket_not_accepted: fn(&str) -> String,
    pub err_ticket_not_openable: &'static str,
    pub err_two_factor_unsupported: &'static str,
    pub err_token_access: &'static str,
    pub err_api_disabled: fn(&str) -> String,
    pub err_two_factor_wrong: &'static str,
    pub err_two_factor_fallback_off: &'static str,
    pub err_token_access_disabled: &'static str,
    pub err_password_access_disabled: &'static str,
    pub err_account_locked: &'static str,
    pub err_sign_in_maybe_locked: &'static str,
    pub err_security_key_failed: &'static str,
    pub err_security_key_refused: &'static str,
    pub err_too_many_attempts: &'static str,
    pub err_two_factor_no_method: &'static str,
    pub err_files_too_large: &'static str,
    pub err_request_not_accepted: fn(&str) -> String,
    pub err_help_desk: fn(&str) -> String,
    pub err_closed_for_replies: &'static str,
    pub err_routes_invalid: fn(&str) -> String,
    pub err_no_route: fn(&str) -> String,
    pub err_no_queue: &'static str,

    // Why an answer could not be read (inside `err_unreadable`).
    pub why_cut_off: &'static str,
    pub why_not_json: &'static str,
    /// The reader's own description of the mismatch.
    pub why_content: fn(&str) -> String,
    pub why_search_shape: &'static str,
    pub why_object: &'static str,
    pub why_array: &'static str,
    pub why_list: &'static str,
    pub why_no_token: &'static str,
    pub why_token_malformed: &'static str,
    pub why_no_session: &'static str,
    pub why_no_session_id: &'static str,
    pub why_session_id_malformed: &'static str,
    pub why_no_user_login: &'static str,
    pub why_search_id: &'static str,
    pub why_base64: &'static str,
    pub why_ticket_id: &'static str,
    pub why_no_ticket_id: &'static str,
}

/// The fallback language's texts (also what `Display` of an error prints, for logs and tests).
pub fn english() -> &'static Texts {
    LANGUAGES[0]
}

/// localStorage key of the customer's choice.
const PREFERENCE: &str = "portal.language";

thread_local! {
    // Reference-counted rather than owned by a component: it lives as long as the page.
    static CURRENT: ArcRwSignal<&'static Texts> = ArcRwSignal::new(initial());
}

/// The current language's texts. Read inside a view or effect, it re-runs that view or effect
/// when the customer switches.
pub fn t() -> &'static Texts {
    CURRENT.with(|s| s.get())
}

/// A text that follows the language, for `view!`: `{tr(|t| t.sign_in)}`,
/// `aria-label=tr(|t| t.main_nav)`. One closure type for all messages keeps the wasm small.
pub fn tr(
    pick: fn(&Texts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(t())
}

/// Switches the portal to `code` at once and remembers the choice.
pub fn choose(code: &str) {
    let Some(texts) = find(code) else { return };
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(PREFERENCE, texts.code);
    }
    CURRENT.with(|s| s.set(texts));
}

fn find(code: &str) -> Option<&'static Texts> {
    LANGUAGES
        .iter()
        .copied()
        .find(|t| t.code.eq_ignore_ascii_case(code))
}

/// The primary language subtag of a BCP 47 tag: "de-AT" → "de".
fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or_default()
}

/// The stored choice if it is still offered, else the first browser language the portal has
/// ("de-AT" matches "de"), else the fallback.
pub fn pick(stored: Option<&str>, browser: &[String]) -> &'static Texts {
    stored
        .and_then(find)
        .or_else(|| browser.iter().find_map(|tag| find(primary(tag))))
        .unwrap_or(english())
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

fn initial() -> &'static Texts {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(PREFERENCE).ok().flatten());
    pick(stored.as_deref(), &browser_languages())
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
