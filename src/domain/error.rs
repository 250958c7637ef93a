//! One error type for everything the pages show. Adapters turn every failure (network, timeout,
//! HTTP status, help-desk error body, undecodable JSON) into a `PortalError` with a kind the pages
//! can act on and a message for the customer: a [`Msg`], worded in the customer's language when
//! it is shown (so an error on screen follows a language switch), or the help desk's own words.

use std::fmt;

use crate::i18n::Texts;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The stored session or token is no longer valid: sign in again.
    SignedOut,
    /// Sign-in refused (wrong login or password, wrong two-factor code).
    Credentials,
    /// The help desk's configuration does not allow this (message is meant for an admin).
    Setup,
    /// The record does not exist or the customer may not see it (one message for both).
    NotFound,
    /// The help desk refused the change (e.g. follow-up on a closed ticket).
    Refused,
    /// The input was rejected by the help desk.
    Validation,
    /// The request never reached the help desk or the connection broke.
    Network,
    /// No answer in time; the request was aborted.
    Timeout,
    /// The help desk or the proxy in front of it failed (5xx).
    Server,
    /// The answer could not be understood.
    Unreadable,
}

/// A message the portal shows about an error or a session, in no language yet: [`Msg::text`]
/// words it from the catalogue. Strings inside are the help desk's or the JSON reader's own (technical
/// details, shown as they are).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// The help desk's own words, shown as they are.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    HelpDesk(String),
    /// The session ended on its own: sign in again.
    SessionEnded,
    /// The customer signed out.
    SignedOut,
    NotFound,
    Network,
    Timeout,
    /// HTTP status.
    Server(u16),
    /// HTTP status.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    Unexpected(u16),
    Unreadable(Why),
    /// HTTP status of config.json.
    ConfigUnavailable(u16),
    /// What is wrong with config.json.
    ConfigInvalid(String),
    SaveRefused,
    /// Zammad: e-mail or login and password.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    SignInFailed,
    /// Znuny: login name and password.
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    SignInFailedUsername,
    /// Znuny that takes login names only, and an e-mail address was typed.
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    UsernameNotEmail,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    Maintenance,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    NotAccepted,
    /// Zammad's "Error ID …".
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    ChangeNotAccepted(String),
    /// Zammad refused a new ticket's values without saying why; its "Error ID …".
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TicketNotAccepted(String),
    /// The ticket is listed (an organization's), but the help desk does not let the customer
    /// open it (Zammad: the customer has no primary organization).
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TicketNotOpenable,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TwoFactorUnsupported,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TokenAccess,
    /// Zammad's reason.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    ApiDisabled(String),
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TwoFactorWrong,
    /// Two-factor account, token sign-in, and config.json forbids the session fallback.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TwoFactorFallbackOff,
    /// Zammad's `api_token_access` is off (and the session fallback is forbidden).
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TokenAccessDisabled,
    /// Zammad's `api_password_access` is off (and the session fallback is forbidden).
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    PasswordAccessDisabled,
    /// The password was accepted a moment ago and is refused now: the account got locked.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    AccountLocked,
    /// Another failed sign-in after several in a row: the account may be locked now.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    SignInMaybeLocked,
    /// The browser could not get an answer from a security key (cancelled, none, unsupported).
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    SecurityKeyFailed,
    /// The help desk refused the security key's answer.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    SecurityKeyRefused,
    /// The help desk's rate limit (HTTP 429).
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TooManyAttempts,
    /// The account's two-factor methods are all unknown to the portal.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TwoFactorNoMethod,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    FilesTooLarge,
    /// Znuny's error message.
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    RequestNotAccepted(String),
    /// Znuny's error message.
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    HelpDeskError(String),
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    ClosedForReplies,
    /// What is wrong with the routes.
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    RoutesInvalid(String),
    /// The operation's name.
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    NoRoute(String),
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    NoQueue,
    /// The help desk has switched this account function off (Zammad's settings).
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    FeatureOff,
    /// Password change: the current password is not the account's.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    CurrentPasswordWrong,
    /// The help desk's password policy: the shortest length.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    PasswordTooShort(u64),
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    PasswordNeedsCase,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    PasswordNeedsDigit,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    PasswordNeedsSpecial,
    /// Another rule of the policy, in the help desk's words.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    PasswordRefused(String),
}

/// Why an answer could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    CutOff,
    NotJson,
    /// The reader's description of the mismatch.
    Content(String),
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    SearchShape,
    Object,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    Array,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    List,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    NoToken,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TokenMalformed,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    NoSession,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    NoSessionId,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    SessionIdMalformed,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    NoUserLogin,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    SearchId,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    Base64,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    TicketId,
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    NoTicketId,
}

impl Msg {
    /// The message in the language of `t`.
    pub fn text(&self, t: &Texts) -> String {
        let s: &str = match self {
            Msg::HelpDesk(text) => text,
            Msg::SessionEnded => t.err_session_ended,
            Msg::SignedOut => t.signed_out_notice,
            Msg::NotFound => t.err_not_found,
            Msg::Network => t.err_network,
            Msg::Timeout => t.err_timeout,
            Msg::Server(status) => return t.err_server(*status),
            Msg::Unexpected(status) => return t.err_unexpected(*status),
            Msg::Unreadable(why) => return t.err_unreadable(&why.text(t)),
            Msg::ConfigUnavailable(status) => return t.err_config_unavailable(*status),
            Msg::ConfigInvalid(why) => return t.err_config_invalid(why),
            Msg::SaveRefused => t.err_save_refused,
            Msg::SignInFailed => t.err_sign_in_failed,
            Msg::SignInFailedUsername => t.err_sign_in_failed_username,
            Msg::UsernameNotEmail => t.err_username_not_email,
            Msg::Maintenance => t.err_maintenance,
            Msg::NotAccepted => t.err_not_accepted,
            Msg::ChangeNotAccepted(text) => return t.err_change_not_accepted(text),
            Msg::TicketNotAccepted(text) => return t.err_ticket_not_accepted(text),
            Msg::TicketNotOpenable => t.err_ticket_not_openable,
            Msg::TwoFactorUnsupported => t.err_two_factor_unsupported,
            Msg::TokenAccess => t.err_token_access,
            Msg::ApiDisabled(text) => return t.err_api_disabled(text),
            Msg::TwoFactorWrong => t.err_two_factor_wrong,
            Msg::TwoFactorFallbackOff => t.err_two_factor_fallback_off,
            Msg::TokenAccessDisabled => t.err_token_access_disabled,
            Msg::PasswordAccessDisabled => t.err_password_access_disabled,
            Msg::AccountLocked => t.err_account_locked,
            Msg::SignInMaybeLocked => t.err_sign_in_maybe_locked,
            Msg::SecurityKeyFailed => t.err_security_key_failed,
            Msg::SecurityKeyRefused => t.err_security_key_refused,
            Msg::TooManyAttempts => t.err_too_many_attempts,
            Msg::TwoFactorNoMethod => t.err_two_factor_no_method,
            Msg::FilesTooLarge => t.err_files_too_large,
            Msg::RequestNotAccepted(text) => return t.err_request_not_accepted(text),
            Msg::HelpDeskError(text) => return t.err_help_desk(text),
            Msg::ClosedForReplies => t.err_closed_for_replies,
            Msg::RoutesInvalid(why) => return t.err_routes_invalid(why),
            Msg::NoRoute(operation) => return t.err_no_route(operation),
            Msg::NoQueue => t.err_no_queue,
            Msg::FeatureOff => t.err_feature_off,
            Msg::CurrentPasswordWrong => t.err_current_password_wrong,
            Msg::PasswordTooShort(min) => return t.err_password_too_short(*min),
            Msg::PasswordNeedsCase => t.err_password_needs_case,
            Msg::PasswordNeedsDigit => t.err_password_needs_digit,
            Msg::PasswordNeedsSpecial => t.err_password_needs_special,
            Msg::PasswordRefused(text) => return t.err_password_refused(text),
        };
        s.to_string()
    }
}

impl Why {
    fn text(&self, t: &Texts) -> String {
        let s = match self {
            Why::CutOff => t.why_cut_off,
            Why::NotJson => t.why_not_json,
            Why::Content(detail) => return t.why_content(detail),
            Why::SearchShape => t.why_search_shape,
            Why::Object => t.why_object,
            Why::Array => t.why_array,
            Why::List => t.why_list,
            Why::NoToken => t.why_no_token,
            Why::TokenMalformed => t.why_token_malformed,
            Why::NoSession => t.why_no_session,
            Why::NoSessionId => t.why_no_session_id,
            Why::SessionIdMalformed => t.why_session_id_malformed,
            Why::NoUserLogin => t.why_no_user_login,
            Why::SearchId => t.why_search_id,
            Why::Base64 => t.why_base64,
            Why::TicketId => t.why_ticket_id,
            Why::NoTicketId => t.why_no_ticket_id,
        };
        s.to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalError {
    pub kind: ErrorKind,
    pub message: Msg,
}

impl PortalError {
    pub fn new(kind: ErrorKind, message: Msg) -> Self {
        Self { kind, message }
    }

    pub fn signed_out() -> Self {
        Self::new(ErrorKind::SignedOut, Msg::SessionEnded)
    }

    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound, Msg::NotFound)
    }

    pub fn network() -> Self {
        Self::new(ErrorKind::Network, Msg::Network)
    }

    pub fn timeout() -> Self {
        Self::new(ErrorKind::Timeout, Msg::Timeout)
    }

    pub fn server(status: u16) -> Self {
        Self::new(ErrorKind::Server, Msg::Server(status))
    }

    pub fn unreadable(why: Why) -> Self {
        Self::new(ErrorKind::Unreadable, Msg::Unreadable(why))
    }

    /// The message in the customer's current language (call it inside a view to follow
    /// switches).
    pub fn text(&self) -> String {
        self.message.text(crate::i18n::t())
    }
}

impl PortalError {
    /// The failure leaves open whether the help desk performed the request: it may have
    /// arrived and been stored before the answer was lost, cut off or replaced by a proxy's
    /// error page. A write that failed like this is checked before it is sent again.
    pub fn may_have_reached(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Server | ErrorKind::Unreadable
        )
    }
}

/// In English: for logs and tests.
impl fmt::Display for PortalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.text(crate::i18n::english()))
    }
}

pub type PortalResult<T> = Result<T, PortalError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::every_language;

    #[test]
    fn every_message_is_worded_in_every_language() {
        let all = [
            Msg::SessionEnded,
            Msg::SignedOut,
            Msg::NotFound,
            Msg::Network,
            Msg::Timeout,
            Msg::Server(502),
            Msg::Unexpected(418),
            Msg::Unreadable(Why::Content("missing field `id`".into())),
            Msg::ConfigUnavailable(404),
            Msg::ConfigInvalid("x".into()),
            Msg::SaveRefused,
            Msg::SignInFailed,
            Msg::SignInFailedUsername,
            Msg::UsernameNotEmail,
            Msg::Maintenance,
            Msg::NotAccepted,
            Msg::ChangeNotAccepted("Error ID 1".into()),
            Msg::TicketNotAccepted("Error ID 1".into()),
            Msg::TicketNotOpenable,
            Msg::TwoFactorUnsupported,
            Msg::TokenAccess,
            Msg::ApiDisabled("x".into()),
            Msg::TwoFactorWrong,
            Msg::TwoFactorFallbackOff,
            Msg::TokenAccessDisabled,
            Msg::PasswordAccessDisabled,
            Msg::AccountLocked,
            Msg::SignInMaybeLocked,
            Msg::SecurityKeyFailed,
            Msg::SecurityKeyRefused,
            Msg::TooManyAttempts,
            Msg::TwoFactorNoMethod,
            Msg::FilesTooLarge,
            Msg::RequestNotAccepted("x".into()),
            Msg::HelpDeskError("x".into()),
            Msg::ClosedForReplies,
            Msg::RoutesInvalid("x".into()),
            Msg::NoRoute("TicketGet".into()),
            Msg::NoQueue,
        ];
        for t in every_language() {
            for m in &all {
                assert!(!m.text(t).trim().is_empty(), "{m:?} in {}", t.code);
            }
        }
        let (en, de) = (every_language()[0], crate::i18n::texts_of("de"));
        assert_eq!(
            Msg::Server(502).text(en),
            "The help desk is not available right now (HTTP 502). Please try again in a moment."
        );
        assert!(Msg::Server(502).text(de).contains("HTTP 502"));
        assert_ne!(Msg::NotFound.text(en), Msg::NotFound.text(de));
        // The help desk's own words stay as they are, in every language.
        let own = Msg::HelpDesk("Title is missing".into());
        assert_eq!(own.text(en), own.text(de));
        assert_eq!(
            PortalError::unreadable(Why::CutOff).to_string(),
            "The help desk sent an answer the portal could not read (the answer was cut off). \
             Please try again."
        );
    }
}
