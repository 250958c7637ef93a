//! The account calls of a customer (zammad-api.md, "Account"), read from Zammad's
//! app/controllers/users_controller.rb and the services it calls:
//! - `POST /users/password_reset` `{username}` (no session; `user_lost_password`): always
//!   `{"message":"ok"}`, whether the login or address exists or not; 422 `This feature is not
//!   enabled.` when the setting is off.
//! - `POST /users` `{firstname, lastname, email, password, signup: true}` (no session;
//!   `user_create_account`): 201 `{"message":"ok"}` for a new address (verification mail) and for
//!   a known one (a "someone tried to sign up with your address" mail with a reset link); 422
//!   `{"message":"failed","notice":[policy text, value]}` for a password the policy refuses
//!   (checked before the address is looked at), 422 `This feature is not enabled.` when off.
//! - `POST /users/password_change` `{password_old, password_new}` (signed in): 200
//!   `{"message":"ok",…}`; 422 `{"message":"failed","notice":[…]}` for a wrong current password
//!   or a new one the policy refuses.
//!
//! Both calls without a session need the CSRF token of the anonymous Rails session
//! (prevents_csrf.rb checks every non-GET that is not token or Basic authenticated), which
//! signshow hands out; which of them the help desk offers, signshow's `config` says: for a caller
//! without a session it lists only settings that are on (sessions_controller.rb
//! `config_frontend`), so a missing `user_lost_password` means off.

use serde::{Deserialize, Serialize};

use crate::de::{self, Many, Scalar};
use crate::domain::error::{ErrorKind, Msg, PortalError, PortalResult};
use crate::domain::{AccountOptions, AccountWay, SignUp};

/// `POST /users/password_reset`.
#[derive(Serialize)]
pub struct ResetRequest<'a> {
    pub username: &'a str,
}

/// `POST /users` as Zammad's own signup form sends it; `signup: true` makes it a sign-up
/// (without it an anonymous create is refused). Zammad keeps only these four attributes.
#[derive(Serialize)]
pub struct SignupRequest<'a> {
    firstname: &'a str,
    lastname: &'a str,
    email: &'a str,
    password: &'a str,
    signup: bool,
}

impl<'a> SignupRequest<'a> {
    pub fn new(s: &'a SignUp) -> Self {
        SignupRequest {
            firstname: s.first_name.trim(),
            lastname: s.last_name.trim(),
            email: s.email.trim(),
            password: &s.password,
            signup: true,
        }
    }
}

/// `POST /users/password_change`.
#[derive(Serialize)]
pub struct PasswordChange<'a> {
    pub password_old: &'a str,
    pub password_new: &'a str,
}

#[derive(Deserialize)]
struct Signshow {
    #[serde(default, deserialize_with = "de::nested")]
    config: Option<Switches>,
}

#[derive(Deserialize)]
struct Switches {
    #[serde(default, deserialize_with = "de::opt_bool")]
    user_lost_password: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    user_create_account: Option<bool>,
}

/// signshow's answer: what the sign-in page offers. Anything unreadable offers nothing (the
/// customer can still sign in).
pub fn options(status: u16, body: &[u8]) -> AccountOptions {
    let switches = (status == 200)
        .then(|| de::object::<Signshow>(body).ok())
        .flatten()
        .and_then(|s| s.config);
    let way = |on: Option<bool>| match on {
        Some(true) => AccountWay::InPortal,
        _ => AccountWay::Off,
    };
    match switches {
        Some(s) => AccountOptions {
            lost_password: way(s.user_lost_password),
            sign_up: way(s.user_create_account),
        },
        None => AccountOptions::default(),
    }
}

#[derive(Deserialize)]
struct Session {
    #[serde(default, deserialize_with = "de::nested")]
    session: Option<serde::de::IgnoredAny>,
}

/// signshow knew a session in this browser (`session` present).
pub fn has_session(status: u16, body: &[u8]) -> bool {
    status == 200
        && de::object::<Session>(body)
            .ok()
            .is_some_and(|s| s.session.is_some())
}

#[derive(Deserialize, Default)]
struct Answer {
    #[serde(default, deserialize_with = "de::opt_text")]
    message: Option<String>,
    #[serde(default)]
    notice: Many,
    #[serde(default, deserialize_with = "de::opt_text")]
    error: Option<String>,
}

fn success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The answer of the reset request and of a sign-up. Success says nothing about the address
/// (Zammad answers the same either way, and so does the portal).
pub fn accepted(status: u16, body: &[u8]) -> PortalResult<()> {
    let answer: Answer = de::object(body).unwrap_or_default();
    if success(status) && answer.message.as_deref() == Some("ok") {
        return Ok(());
    }
    if success(status) {
        return Err(PortalError::new(
            ErrorKind::Unreadable,
            Msg::Unreadable(crate::domain::error::Why::Object),
        ));
    }
    Err(refusal(status, body, answer))
}

/// The answer of `POST /users/password_change`.
pub fn password_changed(status: u16, body: &[u8], authenticated: bool) -> PortalResult<()> {
    let answer: Answer = de::object(body).unwrap_or_default();
    if success(status) {
        return Ok(());
    }
    if status == 401 || status == 403 {
        return Err(super::map::error_from(status, body, authenticated));
    }
    Err(refusal(status, body, answer))
}

fn refusal(status: u16, body: &[u8], answer: Answer) -> PortalError {
    if status == 422 {
        if let Some(msg) = policy(answer.notice.0) {
            return PortalError::new(ErrorKind::Validation, msg);
        }
        if answer.error.as_deref().map(str::trim) == Some(FEATURE_OFF) {
            return PortalError::new(ErrorKind::Refused, Msg::FeatureOff);
        }
    }
    if status == 429 {
        return PortalError::new(ErrorKind::Refused, Msg::TooManyAttempts);
    }
    // 401 here is the anonymous session's CSRF token refused, not a sign-in: not "signed out".
    if status == 401 {
        return PortalError::new(ErrorKind::Server, Msg::Unexpected(status));
    }
    super::map::error_from(status, body, false)
}

/// Service::CheckFeatureEnabled's words.
const FEATURE_OFF: &str = "This feature is not enabled.";

/// Zammad's `notice`: `[text, value…]` of the first rule the password broke (lib/password_policy),
/// or the current password refused; in the customer's language where the text is known.
fn policy(notice: Vec<Scalar>) -> Option<Msg> {
    let mut parts = notice.into_iter();
    let text = parts.next()?.text()?;
    let value = parts.next();
    let number = value.as_ref().and_then(Scalar::whole);
    let msg = match text.trim() {
        "The current password you provided is incorrect." => Msg::CurrentPasswordWrong,
        "Please provide your current password." => Msg::CurrentPasswordWrong,
        "Invalid password, it must be at least %s characters long!" => {
            Msg::PasswordTooShort(number.unwrap_or(0))
        }
        "Invalid password, it must contain at least 2 lowercase and 2 uppercase characters!" => {
            Msg::PasswordNeedsCase
        }
        "Invalid password, it must contain at least 1 digit!" => Msg::PasswordNeedsDigit,
        "Invalid password, it must contain at least 1 special character!" => {
            Msg::PasswordNeedsSpecial
        }
        other => {
            let shown = match value.and_then(Scalar::text) {
                Some(v) => other.replace("%s", &v),
                None => other.to_string(),
            };
            Msg::PasswordRefused(shown)
        }
    };
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_follow_the_anonymous_config() {
        let both = br#"{"error":"no valid session","config":{"user_lost_password":true,"user_create_account":true}}"#;
        assert_eq!(
            options(200, both),
            AccountOptions {
                lost_password: AccountWay::InPortal,
                sign_up: AccountWay::InPortal
            }
        );
        // Off settings are left out for a caller without a session.
        let none = br#"{"error":"no valid session","config":{"product_name":"Zammad"}}"#;
        assert_eq!(options(200, none), AccountOptions::default());
        let off = br#"{"config":{"user_lost_password":false,"user_create_account":"yes"}}"#;
        assert_eq!(options(200, off), AccountOptions::default());
        assert_eq!(options(200, b"<html>"), AccountOptions::default());
        assert_eq!(options(502, both), AccountOptions::default());
        assert_eq!(
            options(200, br#"{"config":[1]}"#),
            AccountOptions::default()
        );
    }

    #[test]
    fn ok_is_the_only_success() {
        assert_eq!(accepted(200, br#"{"message":"ok"}"#), Ok(()));
        assert_eq!(accepted(201, br#"{"message":"ok"}"#), Ok(()));
        assert!(accepted(200, b"{}").is_err());
        let off = accepted(422, br#"{"error":"This feature is not enabled.","error_human":"This feature is not enabled."}"#);
        assert_eq!(off.unwrap_err().message, Msg::FeatureOff);
        let csrf = accepted(401, br#"{"error":"CSRF token verification failed!"}"#).unwrap_err();
        assert_ne!(csrf.kind, ErrorKind::SignedOut);
        assert_ne!(csrf.kind, ErrorKind::Credentials);
    }

    #[test]
    fn policy_texts_are_worded_by_the_portal() {
        let short = accepted(
            422,
            br#"{"message":"failed","notice":["Invalid password, it must be at least %s characters long!",10]}"#,
        );
        assert_eq!(short.unwrap_err().message, Msg::PasswordTooShort(10));
        let digit = password_changed(
            422,
            br#"{"message":"failed","notice":["Invalid password, it must contain at least 1 digit!"]}"#,
            true,
        );
        assert_eq!(digit.unwrap_err().message, Msg::PasswordNeedsDigit);
        let wrong = password_changed(
            422,
            br#"{"message":"failed","notice":["The current password you provided is incorrect."]}"#,
            true,
        );
        assert_eq!(wrong.unwrap_err().message, Msg::CurrentPasswordWrong);
        let other = password_changed(
            422,
            br#"{"message":"failed","notice":["Invalid password, it must be shorter than %s characters!",1000]}"#,
            true,
        );
        assert_eq!(
            other.unwrap_err().message,
            Msg::PasswordRefused(
                "Invalid password, it must be shorter than 1000 characters!".into()
            )
        );
        assert_eq!(password_changed(200, br#"{"message":"ok"}"#, true), Ok(()));
        let gone = password_changed(401, br#"{"error":"Invalid token"}"#, true).unwrap_err();
        assert_eq!(gone.kind, ErrorKind::SignedOut);
    }

    #[test]
    fn the_sign_up_sends_four_attributes_and_the_flag() {
        let s = SignUp {
            first_name: " Ann ".into(),
            last_name: "Lee".into(),
            email: " ann@example.com ".into(),
            password: " pw ".into(),
        };
        let json = serde_json::to_value(SignupRequest::new(&s)).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"firstname":"Ann","lastname":"Lee","email":"ann@example.com","password":" pw ","signup":true})
        );
    }
}
