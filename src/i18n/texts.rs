//! The catalogue's schema: every message the portal shows, its kind, and the names of its values.
//!
//! One list, below, makes the `Texts` struct (a field per message), a method per message with
//! values (`t.tickets_found(n)`, `t.err_server(status)`), [`KINDS`] (what each message is, in
//! order) and [`slots`], through which a language read from its file fills every message.
//! English (`en.rs`) is a `Texts` literal, so a message missing there is a compile error.

use std::fmt::Display;

#[cfg(test)]
use super::message::Spec;
use super::message::{fill, plural_category, Kind, Plural, Template, Text};

/// The method of a message with values; plain texts are read as fields (`t.sign_in`).
macro_rules! method {
    (Text $name:ident) => {};
    (Template $name:ident ($($arg:ident: $ty:ty),+)) => {
        pub fn $name(&self, $($arg: $ty),+) -> String {
            self.$name.fill(&[$((stringify!($arg), &$arg as &dyn Display)),+])
        }
    };
    // The first value is the number that picks the plural form.
    (Plural $name:ident ($count:ident: $count_ty:ty $(, $arg:ident: $ty:ty)*)) => {
        pub fn $name(&self, $count: $count_ty $(, $arg: $ty)*) -> String {
            let form = self.$name.form(&plural_category(self.code, $count as f64));
            fill(
                form,
                &[(stringify!($count), &$count as &dyn Display) $(, (stringify!($arg), &$arg as &dyn Display))*],
            )
        }
    };
}

/// A message's text as a place: the field itself, or the string inside a template or plural.
macro_rules! text {
    (Text $texts:ident . $name:ident) => {
        $texts.$name
    };
    ($kind:ident $texts:ident . $name:ident) => {
        $texts.$name.0
    };
}

macro_rules! messages {
    ($($(#[$doc:meta])* $name:ident: $kind:ident $(($($arg:ident: $ty:ty),+))?,)+) => {
        /// The message catalogue of one language. See `en.rs` for what each message says.
        #[derive(Clone, Copy)]
        pub struct Texts {
            /// ISO 639-1 code: `<html lang>`, the stored preference, the `Intl` locale's language.
            pub code: &'static str,
            /// The language's own name, as the switcher offers it ("Deutsch", not "German").
            pub name: &'static str,
            $($(#[$doc])* pub $name: $kind,)+
        }

        impl Texts {
            $(method!($kind $name $(($($arg: $ty),+))?);)+
        }

        /// The kind of each message, in the order of the fields (and of every catalogue file).
        pub const KINDS: &[Kind] = &[$(Kind::$kind),+];

        /// Every message's text, in the order of [`KINDS`]: where a language read from its file
        /// puts its texts. (An array of places rather than a reader per message: a few bytes of
        /// wasm per message.)
        pub fn slots(t: &mut Texts) -> [&mut &'static str; KINDS.len()] {
            [$(&mut text!($kind t.$name)),+]
        }

        /// Every message, in order: its key in a catalogue file, its kind, its values.
        #[cfg(test)]
        pub const MESSAGES: &[Spec] = &[$(Spec {
            key: stringify!($name),
            kind: Kind::$kind,
            values: &[$($(stringify!($arg)),+)?],
        }),+];

        /// Every message's text, in order (a plural's forms joined).
        #[cfg(test)]
        pub fn texts(t: &Texts) -> [&'static str; KINDS.len()] {
            [$(text!($kind t.$name)),+]
        }
    };
}

messages! {
    /// The switcher's accessible name.
    language: Text,

    // Numbers and sizes.
    decimal_separator: Text,
    bytes: Plural(n: u64),
    kilobytes: Text,
    megabytes: Text,

    // Frame: boot, header, navigation.
    default_brand: Text,
    loading: Text,
    unavailable_heading: Text,
    skip_link: Text,
    main_nav: Text,
    /// Phones: the button that shows the account, theme and language choices.
    menu: Text,
    my_tickets: Text,
    new_ticket: Text,
    sign_out: Text,
    signed_out_notice: Text,
    try_again: Text,
    theme: Text,
    theme_system: Text,
    theme_light: Text,
    theme_dark: Text,
    /// While the browser is offline.
    offline: Text,
    /// Once the connection is back for a write that waited.
    send_now: Text,
    /// The portal's wasm stopped (a trap): shown by public/trap.js, handed over by src/browser/trap.rs.
    stopped_heading: Text,
    stopped_message: Text,
    reload_page: Text,

    // Sign-in.
    sign_in: Text,
    login_label: Text,
    /// The first field where the help desk takes login names only.
    username_label: Text,
    password: Text,
    two_factor_code: Text,
    two_factor_hint: Text,
    stay_signed_in: Text,
    stay_hint: Text,
    verify: Text,
    signing_in: Text,
    missing_credentials: Text,
    missing_credentials_username: Text,
    missing_code: Text,
    two_factor_method_legend: Text,
    method_authenticator_app: Text,
    method_security_key: Text,
    method_recovery_code: Text,
    recovery_code_label: Text,
    recovery_code_hint: Text,
    security_key_hint: Text,
    use_security_key: Text,
    missing_recovery_code: Text,

    // The password dialog after the session ended; the name goes between before and after.
    reauth_heading: Text,
    reauth_before: Text,
    reauth_after: Text,
    enter_password: Text,
    continue_: Text,
    sign_out_instead: Text,
    /// Minutes left until the help desk ends the session.
    session_ends: Plural(minutes: i64),

    // My tickets.
    create_ticket: Text,
    search_tickets: Text,
    search_placeholder: Text,
    status: Text,
    status_open: Text,
    status_closed: Text,
    status_all: Text,
    sort_by: Text,
    sort_updated: Text,
    sort_created: Text,
    sort_number: Text,
    show: Text,
    /// Zammad's word for the shared account.
    my_organization: Text,
    /// Znuny's word for it.
    my_company: Text,
    mine: Text,
    loading_tickets: Text,
    // The list's live region (read out, not shown): "4 tickets found, page 1 of 2."
    none_found: Text,
    none_on_page: Template(page: u32),
    tickets_found: Plural(n: u64),
    tickets_shown: Plural(n: usize),
    /// A count (`tickets_found` / `tickets_shown`), the page, the number of pages.
    count_on_page_of: Template(count: &str, page: u32, pages: u64),
    count_on_page: Template(count: &str, page: u32),
    no_tickets: Text,
    no_more_tickets: Text,
    /// Current page and number of pages.
    page_of: Template(page: u32, pages: u64),
    page: Template(page: u32),
    pagination: Text,
    previous_page: Text,
    next_page: Text,
    /// Stands before the time of the last update in a list row.
    updated_at: Text,
    colleagues_ticket: Text,
    /// In a list row: an agent replied since the customer last opened the ticket.
    new_reply: Text,

    // State categories (the help desk's own state name is shown as the badge's title).
    state_new: Text,
    state_open: Text,
    state_pending: Text,
    state_closed: Text,

    // A ticket.
    loading_ticket: Text,
    ticket_not_found: Text,
    /// Heading when the list shows a ticket the help desk does not let the customer open.
    ticket_not_openable: Text,
    back_to_tickets: Text,
    ticket: Text,
    number: Text,
    group: Text,
    created: Text,
    updated: Text,
    reopen_ticket: Text,
    close_ticket: Text,
    ticket_reopened: Text,
    ticket_closed: Text,
    follow_up_refused: Text,
    /// A closed ticket whose help desk did not say whether it takes follow-ups.
    follow_up_may_be_refused: Text,
    create_new_ticket: Text,
    /// Subject offered for a new ticket instead of a refused follow-up: number, title.
    follow_up_subject: Template(number: &str, title: &str),
    conversation: Text,
    /// Read out (live region) when new messages arrive on an open ticket.
    new_replies: Plural(n: usize),
    write_reply: Text,
    write_reply_reopen: Text,
    reply: Text,
    send_reply: Text,
    sending: Text,
    reply_sent: Text,
    reply_empty: Text,
    reply_sent_earlier: Text,
    earlier_reply_arrived: Text,
    checking_reply: Text,
    /// Under an error when the reply may have arrived.
    reply_kept: Text,
    reply_waits_offline: Text,
    reply_waits_online: Text,
    status_waits_offline: Text,
    status_waits_online: Text,

    // Messages of a conversation.
    sender_support: Text,
    sender_system: Text,
    role_support: Text,
    role_system: Text,
    role_you: Text,
    role_customer: Text,
    /// A message's accessible name: sender's name, role.
    message_from: Template(name: &str, role: &str),
    message_not_displayed: Text,
    remote_images_blocked: Text,
    show_images: Text,
    /// In place of a remote image the portal does not load.
    image_not_shown: Text,
    /// The same with the image's description (alt text).
    image_not_shown_alt: Template(alt: &str),
    /// Above the help desk's own images that are not shown as images (SVG and other risky types).
    images_as_files: Text,
    /// Their name when the message gives none.
    image_file: Text,

    // Attachments and the file picker.
    attachments: Text,
    /// Before a file's name and size in its download button's accessible name.
    download: Text,
    drop_zone: Text,
    attach_files: Text,
    /// After "Attach files": the size limit per file.
    drop_hint: Template(max: &str),
    reading_files: Text,
    files_to_send: Text,
    remove: Text,
    remove_file: Template(name: &str),
    /// File name, its size, the limit.
    file_too_big: Template(name: &str, size: &str, max: &str),
    file_unreadable: Template(name: &str),
    /// A chosen file too large to keep with the draft: its name, the limit.
    not_kept_one: Template(name: &str, limit: &str),
    /// Several: how many, their names (`quote_list`), the limit.
    not_kept_many: Plural(count: usize, names: &str, limit: &str),
    /// A file name in quotes; `Texts::quote_list` lists them.
    quoted: Template(name: &str),
    /// Between the quoted names of `quote_list`.
    list_separator: Text,

    // New ticket.
    subject: Text,
    message: Text,
    submit_ticket: Text,
    submitting: Text,
    subject_missing: Text,
    subject_too_long: Plural(max: usize),
    message_missing: Text,
    message_too_long: Plural(max: usize),
    checking_ticket: Text,
    /// Under an error when the ticket may have arrived.
    ticket_kept: Text,
    earlier_ticket_arrived: Text,
    open_the_ticket: Text,
    ticket_waits_offline: Text,
    ticket_waits_online: Text,
    /// The help desk does not let customers open tickets (Zammad `customer_ticket_create`).
    create_not_allowed: Text,
    /// It does, but in none of the groups this portal offers.
    create_no_group: Text,
    // The help desk's own fields (src/domain/fields.rs) on the form and the ticket page.
    /// After a help-desk field's label when it must be filled in.
    field_required: Text,
    field_missing: Text,
    field_not_a_number: Text,
    field_not_a_date: Text,
    field_not_a_date_time: Text,
    field_not_an_option: Text,
    /// The empty first choice of a help-desk select field.
    field_choose: Text,
    field_yes: Text,
    field_no: Text,
    fields_loading: Text,

    // Unknown address.
    page_not_found: Text,
    nothing_here: Text,

    // Errors the portal words itself (src/domain/error.rs `Msg`); values in parentheses are technical.
    err_session_ended: Text,
    err_not_found: Text,
    err_network: Text,
    err_timeout: Text,
    err_server: Template(status: u16),
    err_unexpected: Template(status: u16),
    /// The reason (one of the `why_` texts).
    err_unreadable: Template(why: &str),
    err_config_unavailable: Template(status: u16),
    err_config_invalid: Template(why: &str),
    err_save_refused: Text,
    err_sign_in_failed: Text,
    err_sign_in_failed_username: Text,
    err_username_not_email: Text,
    err_maintenance: Text,
    err_not_accepted: Text,
    err_change_not_accepted: Template(text: &str),
    /// Zammad's error id.
    err_ticket_not_accepted: Template(text: &str),
    err_ticket_not_openable: Text,
    err_two_factor_unsupported: Text,
    err_token_access: Text,
    err_api_disabled: Template(text: &str),
    err_two_factor_wrong: Text,
    err_two_factor_fallback_off: Text,
    err_token_access_disabled: Text,
    err_password_access_disabled: Text,
    err_account_locked: Text,
    err_sign_in_maybe_locked: Text,
    err_security_key_failed: Text,
    err_security_key_refused: Text,
    err_too_many_attempts: Text,
    err_two_factor_no_method: Text,
    err_files_too_large: Text,
    err_request_not_accepted: Template(text: &str),
    err_help_desk: Template(text: &str),
    err_closed_for_replies: Text,
    err_routes_invalid: Template(why: &str),
    err_no_route: Template(operation: &str),
    err_no_queue: Text,

    // Why an answer could not be read (inside `err_unreadable`).
    why_cut_off: Text,
    why_not_json: Text,
    /// The reader's own description of the mismatch.
    why_content: Template(detail: &str),
    why_search_shape: Text,
    why_object: Text,
    why_array: Text,
    why_list: Text,
    why_no_token: Text,
    why_token_malformed: Text,
    why_no_session: Text,
    why_no_session_id: Text,
    why_session_id_malformed: Text,
    why_no_user_login: Text,
    why_search_id: Text,
    why_base64: Text,
    why_ticket_id: Text,
    why_no_ticket_id: Text,

    // Account: forgot password, sign-up, password change (issue 20).
    forgot_password: Text,
    forgot_heading: Text,
    forgot_intro: Text,
    send_reset_link: Text,
    reset_sent: Text,
    missing_login: Text,
    back_to_sign_in: Text,
    create_account: Text,
    first_name: Text,
    last_name: Text,
    email_label: Text,
    sign_up_submit: Text,
    sign_up_sent: Text,
    missing_sign_up: Text,
    change_password: Text,
    current_password: Text,
    new_password: Text,
    repeat_password: Text,
    missing_passwords: Text,
    passwords_differ: Text,
    password_changed: Text,
    err_feature_off: Text,
    err_current_password_wrong: Text,
    err_password_too_short: Template(min: u64),
    err_password_needs_case: Text,
    err_password_needs_digit: Text,
    err_password_needs_special: Text,
    err_password_refused: Template(text: &str),
    answers_may_help: Text,
    answer_solved: Text,
    answer_not_solved: Text,
    answer_leave_ask: Text,
    answer_leave: Text,
    answer_keep: Text,
    answer_unavailable: Text,
}

impl Texts {
    /// File names, quoted and listed: "“a.pdf”, “b.png”".
    pub fn quote_list(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.quoted(n))
            .collect::<Vec<_>>()
            .join(self.list_separator)
    }
}
