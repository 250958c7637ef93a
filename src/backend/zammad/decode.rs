//! Every Zammad answer the adapter reads, as a pure function of the HTTP status and the body:
//! `(status, body, …) → PortalResult<T>`. The adapter only sends requests and hands the answers
//! here, so the property tests in `decode/tests.rs` drive exactly the production path.
//!
//! Rules: a non-2xx status is always an error (`map::error_from` / `map::token_error`), except the
//! two-factor challenge of a session sign-in; a 2xx body that is not JSON of the expected shape is
//! an `Unreadable` error; nothing here panics, whatever the body.

use super::map::{self, SearchAnswer, StateTable};
use super::wire::{
    ArticleRow, Challenge, ErrorBody, GroupRow, SessionBody, StateRow, TicketRow, TokenCreated,
};
#[cfg(test)]
use super::wire::{ClientConfig, TicketCreateForm};
use super::wire::{TokenList, UserRow};
use crate::browser::webauthn::RequestOptions;
use crate::de::{self, Loose, Scalar};
use crate::domain::error::{ErrorKind, Msg, PortalError, PortalResult, Why};
use crate::domain::{
    Article, Customer, SignInOutcome, TicketId, TicketPage, TicketQuery, TwoFactorAnswer,
    TwoFactorChallenge, TwoFactorMethod,
};

fn success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The answer of a call whose body does not matter (state changes, deletes, downloads):
/// any non-2xx status becomes the error the customer should read.
pub fn checked(status: u16, body: &[u8], authenticated: bool) -> PortalResult<()> {
    if success(status) {
        Ok(())
    } else {
        Err(map::error_from(status, body, authenticated))
    }
}

/// `GET /users/me?expand=true`.
pub fn me(status: u16, body: &[u8], authenticated: bool) -> PortalResult<Customer> {
    checked(status, body, authenticated)?;
    let row: UserRow = de::object(body)?;
    Ok(map::customer(&row))
}

/// `GET /ticket_states?expand=true`.
pub fn states(status: u16, body: &[u8], authenticated: bool) -> PortalResult<StateTable> {
    checked(status, body, authenticated)?;
    let rows: Vec<StateRow> = de::rows(body)?;
    Ok(StateTable::new(&rows))
}

/// `GET /groups`.
pub fn groups(status: u16, body: &[u8], authenticated: bool) -> PortalResult<Vec<GroupRow>> {
    checked(status, body, authenticated)?;
    de::rows(body)
}

/// `GET /user_access_token`: the id of the token named `label`, if listed (the value is never).
pub fn token_id(
    status: u16,
    body: &[u8],
    authenticated: bool,
    label: &str,
) -> PortalResult<Option<u64>> {
    checked(status, body, authenticated)?;
    let list: TokenList = de::object(body)?;
    Ok(list
        .tokens
        .iter()
        .find(|t| t.name.as_deref() == Some(label) || t.label.as_deref() == Some(label))
        .map(|t| t.id))
}

/// `POST /tickets/search`, read in every shape Zammad has had.
pub fn search_answer(status: u16, body: &[u8], authenticated: bool) -> PortalResult<SearchAnswer> {
    checked(status, body, authenticated)?;
    map::search_rows(de::any(body)?)
}

/// One server page of a search as one page of the list (the server applied the filters).
pub fn page_of(
    answer: SearchAnswer,
    query: &TicketQuery,
    states: &StateTable,
    me: &str,
) -> TicketPage {
    let per_page = u64::from(query.per_page.clamp(1, 100));
    let has_more = match answer.total {
        Some(total) => u64::from(query.page).saturating_mul(per_page) < total,
        None => answer.rows.len() as u64 >= per_page,
    };
    TicketPage {
        tickets: answer
            .rows
            .iter()
            .map(|r| map::summary(r, states, Some(me)))
            .collect(),
        has_more,
        total: answer.total,
    }
}

/// `POST /tickets/search`, read in every shape Zammad has had, as one page of the list (the
/// adapter's path for a search without text, in one call for the fuzz tests).
#[cfg(test)]
pub fn search(
    status: u16,
    body: &[u8],
    authenticated: bool,
    query: &TicketQuery,
    states: &StateTable,
    me: &str,
) -> PortalResult<TicketPage> {
    let answer = search_answer(status, body, authenticated)?;
    Ok(page_of(answer, query, states, me))
}

/// `GET /tickets/:id?expand=true`. A 403 that is not about the session says the customer may
/// not open the ticket (the adapter checks whether the list shows it).
pub fn ticket_row(status: u16, body: &[u8], authenticated: bool) -> PortalResult<TicketRow> {
    if status == 403 {
        let err = map::error_from(status, body, authenticated);
        return Err(match err.kind {
            ErrorKind::NotFound => PortalError::new(ErrorKind::NotFound, Msg::TicketNotOpenable),
            _ => err,
        });
    }
    checked(status, body, authenticated)?;
    de::object(body)
}

/// `GET /ticket_articles/by_ticket/:id`: the articles a customer may see (internal ones dropped).
pub fn articles(
    status: u16,
    body: &[u8],
    authenticated: bool,
    ticket_id: &str,
) -> PortalResult<Vec<Article>> {
    checked(status, body, authenticated)?;
    let rows: Vec<ArticleRow> = de::rows(body)?;
    Ok(rows
        .iter()
        .filter_map(|a| map::article(a, ticket_id))
        .collect())
}

/// `POST /tickets`: the new ticket's id.
pub fn created(status: u16, body: &[u8], authenticated: bool) -> PortalResult<TicketId> {
    if !success(status) {
        return Err(map::create_error(status, body, authenticated));
    }
    let row: TicketRow = de::object(body)?;
    Ok(TicketId(row.id.to_string()))
}

/// Why Zammad refused to mint a token at sign-in although the customer may well be able to sign
/// in with Zammad's own session flow (`POST /signin`), which needs none of these:
/// sessions_controller.rb#create authenticates with `Auth` alone (no `api_*` setting, no
/// `user_preferences.access_token`), and its two-factor challenge is what Basic auth lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintRefusal {
    /// 401 `Two-factor authentication is not supported with HTTP BasicAuth.` (the password
    /// was right: authenticates.rb checks it first).
    TwoFactor,
    /// 403 `API password access disabled!` (authenticates.rb, before the password is read).
    PasswordAccessOff,
    /// 422 `API token access disabled!` (user_access_token_controller.rb).
    TokenAccessOff,
    /// 403 `User authorization failed.`: the role lacks `user_preferences.access_token`.
    NoTokenPermission,
}

impl MintRefusal {
    /// What the customer reads when the session fallback is forbidden in config.json: the
    /// Zammad setting (in its own menu names) an administrator must change.
    pub fn error(self) -> PortalError {
        let msg = match self {
            Self::TwoFactor => Msg::TwoFactorFallbackOff,
            Self::PasswordAccessOff => Msg::PasswordAccessDisabled,
            Self::TokenAccessOff => Msg::TokenAccessDisabled,
            Self::NoTokenPermission => Msg::TokenAccess,
        };
        PortalError::new(ErrorKind::Setup, msg)
    }
}

/// The refusals of `POST /user_access_token` (Basic) that a session sign-in gets around.
pub fn mint_refusal(status: u16, body: &[u8]) -> Option<MintRefusal> {
    let text = ErrorBody::read(body).error.unwrap_or_default();
    match (status, text.trim()) {
        (401, t) if t.starts_with("Two-factor authentication is not supported") => {
            Some(MintRefusal::TwoFactor)
        }
        (403, "API password access disabled!") => Some(MintRefusal::PasswordAccessOff),
        (422 | 403, "API token access disabled!") => Some(MintRefusal::TokenAccessOff),
        (403, "User authorization failed.") => Some(MintRefusal::NoTokenPermission),
        _ => None,
    }
}

/// `POST /user_access_token` (HTTP Basic at sign-in): the new token's value. It goes into an
/// `Authorization` header, so it must be printable ASCII without spaces.
pub fn token_created(status: u16, body: &[u8]) -> PortalResult<String> {
    if !success(status) {
        return Err(match mint_refusal(status, body) {
            Some(refusal) => refusal.error(),
            None => map::token_error(status, body),
        });
    }
    let created: TokenCreated = de::object(body)?;
    let token = created
        .token
        .or(created.name)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| PortalError::unreadable(Why::NoToken))?;
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(PortalError::unreadable(Why::TokenMalformed));
    }
    Ok(token)
}

/// The `two_factor_required` object of a signin 422 (sessions_controller.rb#create): the
/// methods the portal can offer, in Zammad's order, recovery codes last. A challenge without
/// the list (older shapes) means the authenticator app.
fn challenge(c: Challenge) -> PortalResult<TwoFactorChallenge> {
    let named = |name: &str| match name {
        "authenticator_app" => Some(TwoFactorMethod::AuthenticatorApp),
        "security_keys" => Some(TwoFactorMethod::SecurityKey),
        _ => None,
    };
    let mut methods: Vec<TwoFactorMethod> = match &c.available_two_factor_authentication_methods {
        Some(list) => list
            .0
            .iter()
            .filter_map(Scalar::as_str)
            .filter_map(named)
            .collect(),
        None => vec![TwoFactorMethod::AuthenticatorApp],
    };
    methods.dedup();
    if c.recovery_codes_available == Some(true) {
        methods.push(TwoFactorMethod::RecoveryCode);
    }
    let default = c
        .default_two_factor_authentication_method
        .as_deref()
        .and_then(named)
        .filter(|d| methods.contains(d))
        .or_else(|| methods.first().copied())
        .ok_or_else(|| PortalError::new(ErrorKind::Refused, Msg::TwoFactorNoMethod))?;
    Ok(TwoFactorChallenge { methods, default })
}

/// `POST /signin` (session mode): the signed-in customer, or Zammad's two-factor challenge.
/// `answer` is the second factor this request carried, if any.
pub fn signin(
    status: u16,
    body: &[u8],
    answer: Option<&TwoFactorAnswer>,
) -> PortalResult<SignInOutcome> {
    match status {
        200..=299 => {
            let session: SessionBody = de::object(body)?;
            let row = session
                .session
                .ok_or_else(|| PortalError::unreadable(Why::NoSession))?;
            Ok(SignInOutcome::SignedIn(map::customer(&row)))
        }
        422 => match ErrorBody::read(body).two_factor_required {
            Loose::Object(c) => challenge(c).map(SignInOutcome::TwoFactorRequired),
            Loose::Other => challenge(Challenge::default()).map(SignInOutcome::TwoFactorRequired),
            Loose::Null => Err(map::error_from(status, body, false)),
        },
        401 if answer.is_some() => {
            let text = ErrorBody::read(body).error.unwrap_or_default();
            // Zammad checks the password before the second factor (lib/auth.rb), and the
            // password was accepted for the challenge: refused now, the account was locked.
            let msg = if !text.contains("two-factor") {
                Msg::AccountLocked
            } else if answer == Some(&TwoFactorAnswer::SecurityKey) {
                Msg::SecurityKeyRefused
            } else {
                Msg::TwoFactorWrong
            };
            Err(PortalError::new(ErrorKind::Credentials, msg))
        }
        status => Err(map::error_from(status, body, false)),
    }
}

/// Whether a failed `signin` answer ends the session attempt (the CSRF session is dropped);
/// a refused second factor keeps it for the next try, and an unreadable 2xx changes nothing.
pub fn signin_ends_attempt(status: u16, with_answer: bool) -> bool {
    !(success(status) || (status == 401 && with_answer))
}

/// `POST /auth/two_factor_initiate_authentication/security_keys`: the WebAuthn request
/// options (`WebAuthn::Credential.options_for_get` as JSON) and their challenge, which the
/// signin sends back beside the assertion.
pub fn webauthn_options(status: u16, body: &[u8]) -> PortalResult<(RequestOptions, String)> {
    match status {
        200..=299 => {
            let options: RequestOptions = de::object(body)?;
            let challenge = options
                .challenge
                .clone()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| PortalError::unreadable(Why::Content("no challenge".into())))?;
            Ok((options, challenge))
        }
        // sessions_controller.rb: a wrong password (or a locked account) is a 422 here.
        422 if ErrorBody::read(body).error.as_deref()
            == Some("The username or password is incorrect.") =>
        {
            Err(PortalError::new(ErrorKind::Credentials, Msg::AccountLocked))
        }
        // Rack::Attack: 3 calls a minute per user name and per address.
        429 => Err(PortalError::new(ErrorKind::Server, Msg::TooManyAttempts)),
        status => Err(map::error_from(status, body, false)),
    }
}

/// `GET /signshow`: the customer of the current cookie session, if there is one.
pub fn signshow(status: u16, body: &[u8]) -> PortalResult<Option<Customer>> {
    checked(status, body, false)?;
    let session: SessionBody = de::object(body)?;
    Ok(session.session.as_ref().map(map::customer))
}

/// `GET /signshow` with the customer's credentials (the settings Zammad hands its own client)
/// and `GET /ticket_create` (what Core Workflow offers on the create screen): the body of a
/// success, read by the caller (`de::object` into `ClientConfig`, `TicketCreateForm`). One
/// reader for both keeps one copy of the request code in the wasm.
pub fn body(status: u16, body: &[u8], authenticated: bool) -> PortalResult<Vec<u8>> {
    checked(status, body, authenticated)?;
    Ok(body.to_vec())
}

/// `GET /signshow` with the customer's credentials: the adapter's path in one call (fuzz tests).
#[cfg(test)]
pub fn client_config(status: u16, body: &[u8], authenticated: bool) -> PortalResult<ClientConfig> {
    de::object(&self::body(status, body, authenticated)?)
}

/// `GET /ticket_create`: the adapter's path in one call (fuzz tests).
#[cfg(test)]
pub fn ticket_create_form(
    status: u16,
    body: &[u8],
    authenticated: bool,
) -> PortalResult<TicketCreateForm> {
    de::object(&self::body(status, body, authenticated)?)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod recorded;
