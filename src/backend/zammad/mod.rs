//! Zammad REST API v1 adapter (contract: docs/zammad-api.md).
//!
//! Sign-in modes (config.json `zammad.auth`):
//! - `token` (default): HTTP Basic once to mint a personal access token limited to
//!   `ticket.customer`, then `Authorization: Token token=…`; the token is deleted at sign-out.
//! - `session`: Zammad's own cookie session (CSRF token from signshow, two-factor challenge).
//!
//! Token mode never sends cookies (`credentials: "omit"`): Zammad authenticates a session cookie
//! *before* a token (authenticates.rb), so beside Zammad's own UI an agent's cookie would make
//! every call act as the agent and the first write fail on CSRF (zammad-api.md 9.3).
//!
//! When token minting is refused for a reason the session flow does not share (two-factor
//! account, `api_password_access` / `api_token_access` off, no Token Access permission), token
//! mode signs in with the session flow instead, unless config.json says
//! `"session_fallback": false`; that sign-in stays a session sign-in (restore, sign-out).
//!
//! Two-factor methods (zammad-api.md 2.6): authenticator app and recovery codes are a code in
//! `two_factor_payload`; a security key first asks
//! `POST /auth/two_factor_initiate_authentication/security_keys` for the WebAuthn options (what
//! Zammad's login screen does, app/controllers/sessions_controller.rb and
//! app/assets/javascripts/app/controllers/widget/two_factor_login/method/security_keys.coffee),
//! then sends `{credential, challenge}` (lib/auth/two_factor/authentication_method/security_keys.rb).

mod account;
mod answers;
mod decode;
mod fields;
mod map;
mod wire;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::Method;
use serde::{Deserialize, Serialize};

use self::map::{Filter, SearchAnswer, StateTable, UpdateBody};
use self::wire::{GroupRow, TicketRow};
use super::{Backend, FileData};
use crate::browser::http::{self, HttpRequest, HttpResponse};
use crate::browser::storage;
use crate::browser::webauthn::Assertion;
use crate::config::Config;
use crate::de::{self, Obj};
use crate::domain::error::{ErrorKind, Msg, PortalError, PortalResult};
use crate::domain::{
    AccountOptions, AgentReply, AnswerHit, AnswerText, Article, AttachmentRef, CreateRules,
    Credentials, Customer, FollowUp, NewTicket, Reply, Scope, SignInOutcome, SignUp, StateCategory,
    Ticket, TicketId, TicketPage, TicketQuery, TicketSummary, TwoFactorAnswer, TwoFactorMethod,
    Written,
};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum AuthMode {
    #[default]
    Token,
    Session,
}

/// config.json's `zammad` section. A missing key keeps its default; anything unreadable (not an
/// object, an unknown `auth`, a number that is not a whole `u32`, a key given twice) leaves the
/// whole section at its defaults.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
struct Settings {
    auth: AuthMode,
    /// Lifetime of a minted token; "Stay signed in" uses `remember_days`.
    token_days: u32,
    remember_days: u32,
    /// Token mode may sign in with Zammad's session flow when minting is refused for a reason
    /// the session flow does not share (config.json `session_fallback`, default on).
    session_fallback: bool,
    /// Knowledge Base answers on the new-ticket form (`knowledge_base`: `false` turns them
    /// off, a number searches only that knowledge base; default: every active one).
    knowledge_base: crate::de::Scalar,
    /// The Knowledge Base locale searched (`en-us`, `de-de`); default: all of them.
    #[serde(deserialize_with = "crate::de::opt_text")]
    knowledge_base_locale: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            auth: AuthMode::Token,
            token_days: 2,
            remember_days: 30,
            session_fallback: true,
            knowledge_base: crate::de::Scalar::Other,
            knowledge_base_locale: None,
        }
    }
}

impl Settings {
    /// The section's JSON text, as config.json has it (`None`: no such section).
    fn read(section: Option<&str>) -> Self {
        section
            .and_then(|text| serde_json::from_str::<Obj<Settings>>(text).ok())
            .map(|s| s.0)
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, Default)]
enum Auth {
    #[default]
    None,
    Token {
        token: String,
        label: String,
    },
    Session {
        csrf: Option<String>,
    },
}

/// What survives a reload. Never a password; in session mode not even a token (the cookie is
/// HttpOnly and the CSRF token is fetched again), only whose session the portal made. Kept as
/// `{"mode":…,"token":…,"label":…,"user":…}` (`null` for a value not kept); anything else reads
/// as no sign-in (a `mode` that is not text, a token that is neither text nor `null`, a key
/// given twice).
#[derive(Debug, Deserialize, Serialize)]
struct Stored {
    mode: String,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    label: Option<String>,
    /// Session mode: the customer's user id. A reload adopts Zammad's session only when it is
    /// still this customer's: the browser's cookie may by then belong to someone who signed in
    /// to Zammad's own UI (an agent), whose session the portal must not take over.
    #[serde(default)]
    user: Option<String>,
}

impl Stored {
    fn read(text: &str) -> Option<Self> {
        serde_json::from_str::<Obj<Stored>>(text).ok().map(|s| s.0)
    }
}

/// `POST /user_access_token`. Old releases read `label`, new ones `name`; the extra key is
/// ignored by both.
#[derive(Serialize)]
struct TokenRequest<'a> {
    name: &'a str,
    label: &'a str,
    permission: [&'static str; 2],
    expires_at: String,
}

/// `POST /signin`.
#[derive(Serialize)]
struct SigninRequest<'a> {
    username: &'a str,
    password: &'a str,
    fingerprint: String,
    remember_me: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    two_factor_method: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    two_factor_payload: Option<TwoFactorPayload>,
}

/// A code, or a security key's answer with the challenge it answers.
#[derive(Serialize)]
#[serde(untagged)]
enum TwoFactorPayload {
    Code(String),
    SecurityKey {
        credential: Assertion,
        challenge: String,
    },
}

/// `POST /auth/two_factor_initiate_authentication/security_keys`.
#[derive(Serialize)]
struct SecurityKeyRequest<'a> {
    username: &'a str,
    password: &'a str,
    method: &'static str,
}

struct Inner {
    api: String,
    timeout_ms: u32,
    settings: Settings,
    default_group: Option<String>,
    auth: RefCell<Auth>,
    me: RefCell<Option<Customer>>,
    states: RefCell<Option<Rc<StateTable>>>,
    groups: RefCell<Option<Rc<Vec<GroupRow>>>>,
    /// Failed sign-ins in a row, for the lockout hint.
    failed_sign_ins: Cell<u32>,
    /// What the help desk's ticket search was seen to do.
    search: SearchHabits,
    /// The help desk's rules for new tickets, once both of its answers were read.
    create_rules: RefCell<Option<CreateRules>>,
    /// The customer's custom ticket fields, once signshow told them (`fields`).
    custom_fields: RefCell<Option<Rc<fields::Fields>>>,
    /// signshow's answer for this session (`Zammad::signshow`).
    signshow: RefCell<Option<SignshowRead>>,
}

/// One read of signshow, shared by whoever asks while it is out.
type SignshowRead = Shared<LocalBoxFuture<'static, PortalResult<Rc<Vec<u8>>>>>;

/// Zammad's stock `password_max_login_failed`: after this many wrong passwords in a row the
/// account is locked and answers like a wrong password (lib/auth/user.rb).
const PASSWORD_MAX_LOGIN_FAILED: u32 = 5;

/// What this help desk's ticket search was seen to do, learned from its answers: a customer
/// cannot ask Zammad its version (zammad-api.md, 9.1 and 9.2).
#[derive(Default)]
struct SearchHabits {
    /// A search answered in Zammad 5's legacy shape: its text search is a `LIKE` that drops
    /// the condition, so text goes as typed and the portal filters itself.
    legacy: Cell<bool>,
    /// A text search answered rows that break the condition: the portal filters itself.
    drops_filters: Cell<bool>,
    /// Texts whose escaped form found nothing while the text as typed did (a Zammad 6.5 / 7
    /// that searches with SQL, not Elasticsearch).
    as_typed: RefCell<Vec<String>>,
}

/// Where Zammad points the inline images of article HTML, whatever path a proxy gives its API
/// (app/models/ticket/article.rb writes `/api/v1/ticket_attachment/…?view=inline`).
const ZAMMAD_IMAGE_PREFIX: &str = "/api/v1/ticket_attachment/";

#[derive(Clone)]
pub struct Zammad {
    inner: Rc<Inner>,
}

fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// `YYYY-MM-DD`, `days` from now (UTC). Zammad expires a token at the start of that day.
fn date_in_days(days: u32) -> String {
    let ms = js_sys::Date::now() + f64::from(days) * 86_400_000.0;
    let iso: String = js_sys::Date::new(&ms.into()).to_iso_string().into();
    iso.chars().take(10).collect()
}

fn random_tag() -> String {
    let n = (js_sys::Math::random() * 1e12) as u64;
    format!("{n:x}")
}

impl Zammad {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.inner.api, path)
    }

    fn authenticated(&self) -> bool {
        !matches!(*self.inner.auth.borrow(), Auth::None)
    }

    fn apply_auth(&self, mut req: HttpRequest, write: bool) -> HttpRequest {
        match &*self.inner.auth.borrow() {
            Auth::Token { token, .. } => {
                req = req
                    .header("Authorization", format!("Token token={token}"))
                    .without_cookies();
            }
            Auth::Session { csrf: Some(csrf) } if write => {
                req = req.header("X-CSRF-Token", csrf.clone());
            }
            _ => {}
        }
        req
    }

    /// Zammad hands a fresh CSRF token to every session request; always keep the latest.
    fn remember_csrf(&self, resp: &HttpResponse) {
        if let Some(token) = resp.header("CSRF-TOKEN") {
            let mut auth = self.inner.auth.borrow_mut();
            match &mut *auth {
                Auth::Session { csrf } => *csrf = Some(token),
                Auth::None if self.inner.settings.auth == AuthMode::Session => {
                    *auth = Auth::Session { csrf: Some(token) }
                }
                _ => {}
            }
        }
    }

    async fn raw(&self, req: HttpRequest) -> PortalResult<HttpResponse> {
        let resp = http::send(
            req.header("Accept", "application/json"),
            self.inner.timeout_ms,
        )
        .await?;
        self.remember_csrf(&resp);
        Ok(resp)
    }

    /// Sends an authenticated call; also tells whether credentials went with it.
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> PortalResult<(HttpResponse, bool)> {
        let write = method != Method::GET;
        let mut req = HttpRequest::new(method, self.url(path));
        if let Some(body) = body {
            req = req.json_body(body);
        }
        // Judged when sending: a parallel request may forget the session before this one returns.
        let authenticated = self.authenticated();
        let req = self.apply_auth(req, write);
        let resp = self.raw(req).await?;
        Ok((resp, authenticated))
    }

    /// A lost session is forgotten here, once, for every page.
    fn judged<T>(&self, result: PortalResult<T>) -> PortalResult<T> {
        if let Err(err) = &result {
            if err.kind == ErrorKind::SignedOut {
                self.forget();
            }
        }
        result
    }

    /// An authenticated call whose answer is read by one of the pure readers in `decode`
    /// (status, body, whether credentials were sent). `body` is JSON text (`http::json`).
    async fn fetch<T>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        read: impl FnOnce(u16, &[u8], bool) -> PortalResult<T>,
    ) -> PortalResult<T> {
        let (resp, authenticated) = self.exchange(method, path, body).await?;
        self.judged(read(resp.status, &resp.body, authenticated))
    }

    /// An authenticated call whose body is not JSON or not needed; any non-2xx answer becomes a
    /// `PortalError`.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> PortalResult<HttpResponse> {
        let (resp, authenticated) = self.exchange(method, path, body).await?;
        self.judged(decode::checked(resp.status, &resp.body, authenticated))?;
        Ok(resp)
    }

    /// signshow for the account calls: its answer and the CSRF token of the browser's Rails
    /// session. `cookies: false` asks as nobody (what the sign-in page offers: never as an
    /// agent signed in to Zammad in this browser); the calls themselves need the cookie the
    /// token belongs to. The portal's own sign-in state is left alone.
    async fn anonymous_signshow(&self, cookies: bool) -> PortalResult<HttpResponse> {
        let mut req = HttpRequest::new(Method::GET, self.url("/signshow"))
            .header("Accept", "application/json");
        if !cookies {
            req = req.without_cookies();
        }
        http::send(req, self.inner.timeout_ms).await
    }

    /// A `POST` without a session (password reset, sign-up), with signshow's CSRF token, which
    /// Zammad checks on every write that is not token or Basic authenticated.
    /// `as_nobody`: refused when someone is signed in to Zammad itself in this browser (an
    /// agent, say), whose call Zammad would take it as (a sign-up would become an agent
    /// creating a user).
    async fn anonymous_post(
        &self,
        path: &str,
        body: String,
        as_nobody: bool,
    ) -> PortalResult<HttpResponse> {
        let show = self.anonymous_signshow(true).await?;
        if as_nobody && account::has_session(show.status, &show.body) {
            return Err(PortalError::new(ErrorKind::Refused, Msg::FeatureOff));
        }
        let mut req = HttpRequest::new(Method::POST, self.url(path))
            .json_body(body)
            .header("Accept", "application/json");
        if let Some(token) = show.header("CSRF-TOKEN") {
            req = req.header("X-CSRF-Token", token);
        }
        http::send(req, self.inner.timeout_ms).await
    }

    fn forget(&self) {
        *self.inner.auth.borrow_mut() = Auth::None;
        *self.inner.me.borrow_mut() = None;
        *self.inner.states.borrow_mut() = None;
        *self.inner.groups.borrow_mut() = None;
        *self.inner.create_rules.borrow_mut() = None;
        *self.inner.custom_fields.borrow_mut() = None;
        *self.inner.signshow.borrow_mut() = None;
        storage::clear_auth();
    }

    /// signshow with the customer's credentials, read once per session: both the new-ticket
    /// rules (its `config`, read when the list shows) and the custom fields (its `models`, read
    /// by the first ticket opened) come from it, so the ticket page usually finds it read. A
    /// failed read, or an answer that did not know the caller (signshow answers 200 without a
    /// session too), is not kept: the next caller asks again.
    fn signshow(&self) -> SignshowRead {
        if let Some(read) = self.inner.signshow.borrow().as_ref() {
            return read.clone();
        }
        let this = self.clone();
        let read = async move {
            let answer = this
                .fetch(Method::GET, "/signshow", None, decode::body)
                .await
                .map(Rc::new);
            let signed_in = answer.as_ref().is_ok_and(|body| {
                de::object::<wire::ClientConfig>(body).is_ok_and(|c| c.signed_in)
            });
            if !signed_in {
                *this.inner.signshow.borrow_mut() = None;
            }
            answer
        }
        .boxed_local()
        .shared();
        *self.inner.signshow.borrow_mut() = Some(read.clone());
        read
    }

    /// The custom ticket fields as signshow's `models.Ticket` gives them to this customer.
    async fn custom_fields(&self) -> PortalResult<Rc<fields::Fields>> {
        if let Some(f) = self.inner.custom_fields.borrow().clone() {
            return Ok(f);
        }
        let answer = self.signshow().await?;
        let f = Rc::new(fields::from_signshow(&answer));
        *self.inner.custom_fields.borrow_mut() = Some(f.clone());
        Ok(f)
    }

    fn my_id(&self) -> String {
        self.inner
            .me
            .borrow()
            .as_ref()
            .map(|c| c.id.clone())
            .unwrap_or_default()
    }

    async fn load_me(&self) -> PortalResult<Customer> {
        let customer = self
            .fetch(Method::GET, "/users/me?expand=true", None, decode::me)
            .await?;
        *self.inner.me.borrow_mut() = Some(customer.clone());
        Ok(customer)
    }

    async fn states(&self) -> PortalResult<Rc<StateTable>> {
        if let Some(s) = self.inner.states.borrow().clone() {
            return Ok(s);
        }
        let table = Rc::new(
            self.fetch(
                Method::GET,
                "/ticket_states?expand=true",
                None,
                decode::states,
            )
            .await?,
        );
        *self.inner.states.borrow_mut() = Some(table.clone());
        Ok(table)
    }

    /// Groups tell whether a closed ticket accepts follow-ups. Not essential: on failure the
    /// ticket page still works and Zammad's own refusal is shown if a reply is refused (and
    /// the groups are asked for again next time).
    async fn groups(&self) -> Rc<Vec<GroupRow>> {
        if let Some(g) = self.inner.groups.borrow().clone() {
            return g;
        }
        // A failure is not cached: the next call asks again.
        match self
            .fetch(Method::GET, "/groups", None, decode::groups)
            .await
        {
            Ok(rows) => {
                let groups = Rc::new(rows);
                *self.inner.groups.borrow_mut() = Some(groups.clone());
                groups
            }
            // Zammad 5 lets only admins list groups (403): asking again would not help.
            Err(e) if e.kind == ErrorKind::NotFound => {
                let none = Rc::new(Vec::new());
                *self.inner.groups.borrow_mut() = Some(none.clone());
                none
            }
            Err(_) => Rc::new(Vec::new()),
        }
    }

    fn ticket_number(id: &TicketId) -> PortalResult<u64> {
        id.0.trim().parse().map_err(|_| PortalError::not_found())
    }

    /// The articles of ticket `n` the customer may see (internal ones never arrive, and are
    /// dropped if they do).
    async fn articles(&self, n: u64) -> PortalResult<Vec<Article>> {
        let ticket_id = n.to_string();
        self.fetch(
            Method::GET,
            &format!("/ticket_articles/by_ticket/{n}"),
            None,
            |s, b, a| decode::articles(s, b, a, &ticket_id),
        )
        .await
    }

    /// Token mode: mints a token with the customer's password, then `users/me` (and, with
    /// `list`, that list page beside it, see `first_page`).
    async fn sign_in_token(
        &self,
        c: &Credentials,
        list: Option<&TicketQuery>,
    ) -> PortalResult<(SignInOutcome, Option<PortalResult<TicketPage>>)> {
        let minute: String = now_iso().chars().take(16).collect();
        let label = format!("customer-portal {minute} {}", random_tag());
        let days = if c.stay_signed_in {
            self.inner.settings.remember_days
        } else {
            self.inner.settings.token_days
        };
        let body = TokenRequest {
            name: &label,
            label: &label,
            permission: ["ticket.customer", "user_preferences.access_token"],
            expires_at: date_in_days(days.max(2)),
        };
        let basic = BASE64.encode(format!("{}:{}", c.login.trim(), c.password));
        let req = HttpRequest::new(Method::POST, self.url("/user_access_token"))
            .json_body(http::json(&body))
            .header("Authorization", format!("Basic {basic}"))
            .without_cookies();
        let resp = self.raw(req).await?;
        if let Some(refusal) = decode::mint_refusal(resp.status, &resp.body) {
            if self.inner.settings.session_fallback {
                return Ok((self.sign_in_session(c).await?, None));
            }
            return Err(refusal.error());
        }
        let token = decode::token_created(resp.status, &resp.body)?;
        *self.inner.auth.borrow_mut() = Auth::Token {
            token: token.clone(),
            label: label.clone(),
        };
        // The list needs the states (its condition names state ids), not who the customer is:
        // states and search go beside `users/me`; the rows are told whose they are after.
        let (customer, page) = match list.filter(|q| Self::reads_without_me(q)) {
            Some(q) => {
                let (me, first) = futures::join!(self.load_me(), self.first_page(q));
                let me = me?;
                let page = first.map(|first| match first {
                    Some((answer, states)) => decode::page_of(answer, q, &states, &me.id),
                    None => TicketPage {
                        tickets: Vec::new(),
                        has_more: false,
                        total: Some(0),
                    },
                });
                (me, Some(page))
            }
            None => (self.load_me().await?, None),
        };
        let stored = Stored {
            mode: "token".into(),
            token: Some(token),
            label: Some(label),
            user: None,
        };
        storage::save_auth(&http::json(&stored), c.stay_signed_in);
        Ok((SignInOutcome::SignedIn(customer), page))
    }

    /// A list query answered by one search that needs no identity: no text (which may take
    /// several turns, see `list_tickets`), not "mine".
    fn reads_without_me(q: &TicketQuery) -> bool {
        q.text.trim().is_empty() && q.scope == Scope::Organization
    }

    /// The states, then the search of such a list page (`None`: no state of that kind, so
    /// nothing matches), as `list_tickets` asks them.
    async fn first_page(
        &self,
        q: &TicketQuery,
    ) -> PortalResult<Option<(SearchAnswer, Rc<StateTable>)>> {
        let states = self.states().await?;
        let Some(filter) = Filter::new(q, &states, "") else {
            return Ok(None);
        };
        let per_page = q.per_page.clamp(1, 100);
        let answer = self.search_page(q, &filter, None, q.page, per_page).await?;
        if answer.legacy {
            self.inner.search.legacy.set(true);
        }
        Ok(Some((answer, states)))
    }

    async fn sign_in_session(&self, c: &Credentials) -> PortalResult<SignInOutcome> {
        *self.inner.auth.borrow_mut() = Auth::Session { csrf: None };
        // signshow answers 200 even without a session, with the CSRF token in a header.
        self.raw(HttpRequest::new(Method::GET, self.url("/signshow")))
            .await?;
        let mut body = SigninRequest {
            username: c.login.trim(),
            password: &c.password,
            fingerprint: format!("portal-{}", random_tag()),
            remember_me: c.stay_signed_in,
            two_factor_method: None,
            two_factor_payload: None,
        };
        match &c.two_factor {
            Some(TwoFactorAnswer::Code(method, code)) => {
                let method = match method {
                    TwoFactorMethod::RecoveryCode => "recovery_codes",
                    _ => "authenticator_app",
                };
                body.two_factor_method = Some(method);
                body.two_factor_payload = Some(TwoFactorPayload::Code(code.trim().to_string()));
            }
            Some(TwoFactorAnswer::SecurityKey) => {
                let payload = match self.security_key_payload(c).await {
                    Ok(p) => p,
                    Err(e) => {
                        if e.message == Msg::AccountLocked {
                            *self.inner.auth.borrow_mut() = Auth::None;
                        }
                        return Err(e);
                    }
                };
                body.two_factor_method = Some("security_keys");
                body.two_factor_payload = Some(payload);
            }
            None => {}
        }
        let req = self.apply_auth(
            HttpRequest::new(Method::POST, self.url("/signin")).json_body(http::json(&body)),
            true,
        );
        let resp = self.raw(req).await?;
        let answer = c.two_factor.as_ref();
        let outcome = decode::signin(resp.status, &resp.body, answer);
        match &outcome {
            Ok(SignInOutcome::SignedIn(customer)) => {
                *self.inner.me.borrow_mut() = Some(customer.clone());
                let stored = Stored {
                    mode: "session".into(),
                    token: None,
                    label: None,
                    user: Some(customer.id.clone()),
                };
                storage::save_auth(&http::json(&stored), c.stay_signed_in);
            }
            Ok(SignInOutcome::TwoFactorRequired(_)) => {}
            Err(_) => {
                if decode::signin_ends_attempt(resp.status, answer.is_some()) {
                    *self.inner.auth.borrow_mut() = Auth::None;
                }
            }
        }
        outcome
    }

    /// A security key's answer for `two_factor_payload`: the WebAuthn options from Zammad
    /// (what its login screen asks before a session exists), the browser's assertion, and the
    /// challenge sent back beside it.
    async fn security_key_payload(&self, c: &Credentials) -> PortalResult<TwoFactorPayload> {
        let body = SecurityKeyRequest {
            username: c.login.trim(),
            password: &c.password,
            method: "security_keys",
        };
        let req = self.apply_auth(
            HttpRequest::new(
                Method::POST,
                self.url("/auth/two_factor_initiate_authentication/security_keys"),
            )
            .json_body(http::json(&body)),
            true,
        );
        let resp = self.raw(req).await?;
        let (options, challenge) = decode::webauthn_options(resp.status, &resp.body)?;
        let credential = crate::browser::webauthn::get(&options)
            .await
            .map_err(|()| PortalError::new(ErrorKind::Credentials, Msg::SecurityKeyFailed))?;
        Ok(TwoFactorPayload::SecurityKey {
            credential,
            challenge,
        })
    }

    /// Counts failed sign-ins in a row; past Zammad's lockout threshold a wrong-password
    /// answer says the account may be locked (Zammad answers a locked account exactly like a
    /// wrong password).
    fn count_failures(&self, result: PortalResult<SignInOutcome>) -> PortalResult<SignInOutcome> {
        let failed = &self.inner.failed_sign_ins;
        match result {
            Err(mut e) if e.message == Msg::SignInFailed => {
                failed.set(failed.get().saturating_add(1));
                if failed.get() >= PASSWORD_MAX_LOGIN_FAILED {
                    e.message = Msg::SignInMaybeLocked;
                }
                Err(e)
            }
            Ok(SignInOutcome::SignedIn(c)) => {
                failed.set(0);
                Ok(SignInOutcome::SignedIn(c))
            }
            other => other,
        }
    }

    /// One server page of a ticket search.
    async fn search_page(
        &self,
        query: &TicketQuery,
        filter: &Filter,
        text: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> PortalResult<SearchAnswer> {
        let body = map::search_body(query, filter, text, page, per_page);
        self.fetch(
            Method::POST,
            "/tickets/search",
            Some(http::json(&body)),
            decode::search_answer,
        )
        .await
    }

    /// How the customer's search text goes to this help desk: as typed where the search is
    /// SQL (Zammad 5, or a text that only matched so), else escaped for Elasticsearch.
    fn text_form(&self, typed: &str) -> String {
        let habits = &self.inner.search;
        if habits.legacy.get() || habits.as_typed.borrow().iter().any(|t| t == typed) {
            return typed.to_string();
        }
        let escaped = map::escape_query(typed);
        if escaped.is_empty() {
            typed.to_string()
        } else {
            escaped
        }
    }

    /// Whether the customer's list shows ticket `n` (asked after the ticket itself was refused).
    async fn listed(&self, n: u64) -> PortalResult<bool> {
        let answer = self
            .fetch(
                Method::POST,
                "/tickets/search",
                Some(http::json(&map::id_search_body(n))),
                decode::search_answer,
            )
            .await?;
        Ok(answer.rows.iter().any(|r| r.id == n))
    }

    /// `PUT /tickets/:id`: Zammad answers with the ticket's row as it is now (state, change
    /// time, close times), which is what the page shows until it reads the ticket again.
    async fn change_state(
        &self,
        ticket: &Ticket,
        body: UpdateBody<'_>,
        states: &StateTable,
    ) -> PortalResult<Written> {
        let id = Self::ticket_number(&ticket.summary.id)?;
        let resp = self
            .call(
                Method::PUT,
                &format!("/tickets/{id}"),
                Some(http::json(&body)),
            )
            .await?;
        // The write is done: an answer the portal cannot read only means the page reads the
        // ticket to show it.
        let Ok(row) = de::object::<TicketRow>(&resp.body) else {
            return Ok(Written::default());
        };
        let summary = map::summary(&row, states, Some(self.my_id().as_str()));
        let follow_up = self.follow_up(&row, &summary).await;
        Ok(Written {
            state: Some(summary.state),
            updated_at: Some(summary.updated_at),
            follow_up: Some(follow_up),
        })
    }

    /// Whether the customer may still reply to the ticket of `row` (`summary` read from it).
    async fn follow_up(&self, row: &TicketRow, summary: &TicketSummary) -> FollowUp {
        if summary.state.category != StateCategory::Closed {
            return FollowUp::Allowed;
        }
        let groups = self.groups().await;
        let group = groups.iter().find(|g| Some(g.id) == row.group_id);
        map::follow_up(
            group,
            row.last_close_at.as_deref(),
            row.close_at.as_deref(),
            js_sys::Date::now() as i64,
            |iso| {
                let ms = js_sys::Date::parse(iso);
                ms.is_finite().then_some(ms as i64)
            },
        )
    }
}

impl Backend for Zammad {
    const ORGANIZATION: &'static str = "organization";

    fn new(config: &Config) -> Self {
        let settings = Settings::read(config.zammad.as_deref());
        Self {
            inner: Rc::new(Inner {
                api: config.api_base.clone(),
                timeout_ms: config.request_timeout_ms,
                settings,
                default_group: config.default_group(),
                auth: RefCell::new(Auth::None),
                me: RefCell::new(None),
                states: RefCell::new(None),
                groups: RefCell::new(None),
                failed_sign_ins: Cell::new(0),
                search: SearchHabits::default(),
                create_rules: RefCell::new(None),
                custom_fields: RefCell::new(None),
                signshow: RefCell::new(None),
            }),
        }
    }

    async fn restore(&self) -> PortalResult<Option<Customer>> {
        let stored = storage::load_auth().and_then(|(text, _)| Stored::read(&text));
        // A token-mode portal whose last sign-in fell back to a session restores that session.
        let session = self.inner.settings.auth == AuthMode::Session
            || stored.as_ref().is_some_and(|s| s.mode == "session");
        match stored {
            _ if session => {
                *self.inner.auth.borrow_mut() = Auth::Session { csrf: None };
                let resp = self
                    .raw(HttpRequest::new(Method::GET, self.url("/signshow")))
                    .await?;
                let ours = |c: &Customer| {
                    stored
                        .as_ref()
                        .is_some_and(|s| s.mode == "session" && s.user.as_deref() == Some(&c.id))
                };
                match decode::signshow(resp.status, &resp.body)? {
                    Some(c) if ours(&c) => {
                        *self.inner.me.borrow_mut() = Some(c.clone());
                        Ok(Some(c))
                    }
                    // Zammad no longer knows this session, or the browser's session is
                    // someone else's (signed in through Zammad's own UI, maybe an agent) or not
                    // one this portal made: never taken over.
                    _ => {
                        *self.inner.auth.borrow_mut() = Auth::None;
                        storage::clear_auth();
                        // This browser had a session of ours that is gone: say so.
                        match stored {
                            Some(_) => Err(PortalError::signed_out()),
                            None => Ok(None),
                        }
                    }
                }
            }
            Some(Stored {
                token: Some(token),
                label,
                ..
            }) => {
                *self.inner.auth.borrow_mut() = Auth::Token {
                    token,
                    label: label.unwrap_or_default(),
                };
                // An expired token comes back as a SignedOut error, so the customer is told why.
                // The states every list and ticket needs are read beside the check, so the
                // list waits only for its search (a failure is not kept: asked again there).
                let (me, _) = futures::join!(self.load_me(), self.states());
                me.map(Some)
            }
            _ => {
                storage::clear_auth();
                Ok(None)
            }
        }
    }

    async fn sign_in(&self, credentials: &Credentials) -> PortalResult<SignInOutcome> {
        // Only the session flow has a second factor: an answer to its challenge goes there.
        let session =
            self.inner.settings.auth == AuthMode::Session || credentials.two_factor.is_some();
        let result = if session {
            self.sign_in_session(credentials).await
        } else {
            self.sign_in_token(credentials, None).await.map(|(o, _)| o)
        };
        self.count_failures(result)
    }

    async fn sign_in_listing(
        &self,
        credentials: &Credentials,
        list: &TicketQuery,
    ) -> PortalResult<(SignInOutcome, Option<PortalResult<TicketPage>>)> {
        // Session mode: the list waits for the sign-in (and, on reload, the identity check).
        if self.inner.settings.auth == AuthMode::Session || credentials.two_factor.is_some() {
            return Ok((self.sign_in(credentials).await?, None));
        }
        let result = self.sign_in_token(credentials, Some(list)).await;
        let (outcome, page) = match result {
            Ok((outcome, page)) => (Ok(outcome), page),
            Err(e) => (Err(e), None),
        };
        Ok((self.count_failures(outcome)?, page))
    }

    async fn sign_out(&self) {
        let auth = self.inner.auth.borrow().clone();
        match auth {
            Auth::Token { label, .. } => {
                // The token value is never listed; find our token by its label and delete it.
                let ours = self
                    .fetch(Method::GET, "/user_access_token", None, |s, b, a| {
                        decode::token_id(s, b, a, &label)
                    })
                    .await;
                if let Ok(Some(id)) = ours {
                    let _ = self
                        .call(Method::DELETE, &format!("/user_access_token/{id}"), None)
                        .await;
                }
            }
            Auth::Session { .. } => {
                let _ = self.call(Method::DELETE, "/signout", None).await;
            }
            Auth::None => {}
        }
        self.forget();
        storage::clear_all_drafts();
    }

    async fn list_tickets(&self, query: &TicketQuery) -> PortalResult<TicketPage> {
        let states = self.states().await?;
        let me = self.my_id();
        let Some(filter) = Filter::new(query, &states, &me) else {
            // No state of that kind: nothing to ask (an empty value list would answer all).
            return Ok(TicketPage {
                tickets: Vec::new(),
                has_more: false,
                total: Some(0),
            });
        };
        let per_page = query.per_page.clamp(1, 100);
        let habits = &self.inner.search;
        let typed = query.text.trim();
        // Without text every Zammad applies the condition; with text, in the form this help
        // desk needs (`text_form`), and filtered here where it drops the condition (`Scan`).
        let mut text = (!typed.is_empty()).then(|| self.text_form(typed));
        let mut scan = (text.is_some() && (habits.drops_filters.get() || habits.legacy.get()))
            .then(|| map::Scan::new(query.page, per_page));
        // One request per turn: the page asked for, a scan's next server page, or the text
        // again as typed.
        loop {
            let (page, size) = match &scan {
                Some(s) => match s.next_page() {
                    Some(p) => (p, map::SCAN_PER_PAGE),
                    None => break,
                },
                None => (query.page, per_page),
            };
            let answer = self
                .search_page(query, &filter, text.as_deref(), page, size)
                .await?;
            if answer.legacy {
                habits.legacy.set(true);
            }
            if let Some(s) = scan.as_mut() {
                s.add(answer.rows, &filter);
                continue;
            }
            let Some(sent) = text.clone() else {
                return Ok(decode::page_of(answer, query, &states, &me));
            };
            // The text went as typed though its usual form differs: the retry below.
            if sent == typed && self.text_form(typed) != typed && !answer.rows.is_empty() {
                habits.as_typed.borrow_mut().push(typed.to_string());
            }
            if answer.legacy || answer.rows.iter().any(|r| !filter.accepts(r)) {
                habits.drops_filters.set(true);
                text = Some(self.text_form(typed));
                scan = Some(map::Scan::new(query.page, per_page));
                continue;
            }
            if answer.rows.is_empty() && query.page <= 1 && sent != typed {
                // Escaped for Elasticsearch and nothing found: a Zammad searching with SQL
                // takes the backslashes literally. The text as typed decides, from now on.
                text = Some(typed.to_string());
                continue;
            }
            return Ok(decode::page_of(answer, query, &states, &me));
        }
        let (rows, has_more, total) = scan.map(map::Scan::finish).unwrap_or_default();
        Ok(TicketPage {
            tickets: rows
                .iter()
                .map(|r| map::summary(r, &states, Some(me.as_str())))
                .collect(),
            has_more,
            total,
        })
    }

    async fn ticket(&self, id: &TicketId) -> PortalResult<Ticket> {
        let n = Self::ticket_number(id)?;
        let ticket_path = format!("/tickets/{n}?expand=true");
        let (row, articles, states, custom) = futures::join!(
            self.fetch(
                Method::GET,
                &ticket_path,
                None,
                |status, body, authenticated| {
                    let row = decode::ticket_row(status, body, authenticated)?;
                    Ok((row, crate::de::or_default(body)))
                }
            ),
            self.articles(n),
            self.states(),
            self.custom_fields(),
        );
        let row = match row {
            // Refused (403): say so if the customer's list shows the ticket, else "not found".
            Err(e) if matches!(e.message, Msg::TicketNotOpenable) => {
                // Boxed: the rare check stays out of every ticket read's state machine (size).
                let listed: std::pin::Pin<Box<dyn std::future::Future<Output = _> + '_>> =
                    Box::pin(self.listed(n));
                return Err(match listed.await {
                    Ok(true) => e,
                    _ => PortalError::not_found(),
                });
            }
            other => other?,
        };
        let (row, raw_row) = row;
        // The ticket shows without its custom fields when they cannot be learned.
        let shown = custom
            .map(|c| fields::from_row(&c.shown, &raw_row))
            .unwrap_or_default();
        let (articles, states) = (articles?, states?);
        let me = self.my_id();
        let summary = map::summary(&row, &states, Some(me.as_str()));
        let follow_up = self.follow_up(&row, &summary).await;
        Ok(Ticket {
            summary,
            group: row.group.clone(),
            follow_up,
            articles,
            fields: shown,
        })
    }

    async fn ticket_changed_at(&self, id: &TicketId) -> PortalResult<String> {
        let n = Self::ticket_number(id)?;
        // The bare row: no names (`expand`), no articles. Its `updated_at` moves with every
        // article, internal notes included, so it only tells whether to look again.
        let row = self
            .fetch(
                Method::GET,
                &format!("/tickets/{n}"),
                None,
                decode::ticket_row,
            )
            .await?;
        Ok(row.updated_at)
    }

    async fn latest_agent_replies(&self, ids: &[TicketId]) -> PortalResult<Vec<AgentReply>> {
        // Nothing cheaper tells it honestly: `last_contact_agent_at`, `article_count` and
        // `article_ids` count internal notes too (zammad-api.md, 7). One article list per
        // changed ticket of the page shown, a few at a time so a page of 100 changed tickets
        // does not put 100 requests in flight at once.
        const AT_ONCE: usize = 4;
        let mut lists = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(AT_ONCE) {
            lists.extend(
                futures::future::join_all(chunk.iter().map(|id| async move {
                    let articles = self.articles(Self::ticket_number(id)?).await?;
                    Ok::<_, PortalError>(AgentReply::newest(id, &articles))
                }))
                .await,
            );
        }
        let mut replies = Vec::new();
        for list in lists {
            match list {
                Ok(reply) => replies.extend(reply),
                // No longer visible to this customer: nothing to mark.
                Err(e) if e.kind == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(replies)
    }

    async fn create_ticket(&self, ticket: &NewTicket) -> PortalResult<TicketId> {
        let group = ticket
            .group
            .clone()
            .or_else(|| self.inner.default_group.clone());
        let mut body = map::create_body(ticket, group.as_deref());
        if !ticket.fields.is_empty() {
            // Without the definitions the values cannot be typed; the help desk then says what
            // it misses.
            if let Ok(defs) = self.custom_fields().await {
                let to_utc = |local: &str| {
                    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local));
                    d.get_time()
                        .is_finite()
                        .then(|| String::from(d.to_iso_string()))
                };
                body.fields = fields::to_wire(&defs.form, &ticket.fields, &to_utc);
            }
        }
        self.fetch(
            Method::POST,
            "/tickets",
            Some(http::json(&body)),
            decode::created,
        )
        .await
    }

    async fn ticket_fields(&self) -> PortalResult<Vec<crate::domain::fields::CustomField>> {
        Ok(self.custom_fields().await?.form.clone())
    }

    async fn field_rules(
        &self,
        group: &str,
        values: &crate::domain::fields::FieldValues,
        defs: Vec<crate::domain::fields::CustomField>,
    ) -> PortalResult<Vec<crate::domain::fields::CustomField>> {
        let request = http::json(&fields::perform_request(group, &defs, values));
        let answer = self
            .fetch(
                Method::POST,
                "/core_workflows/perform",
                Some(request),
                decode::body,
            )
            .await?;
        Ok(fields::apply_rules(defs, &answer))
    }

    async fn create_rules(&self) -> PortalResult<CreateRules> {
        if let Some(rules) = self.inner.create_rules.borrow().clone() {
            return Ok(rules);
        }
        // What Zammad's own customer UI reads: `customer_ticket_create` (signshow's config, sent
        // only to a signed-in caller) and Core Workflow's choices for the create screen.
        let (config, form) = futures::join!(
            self.signshow(),
            self.fetch(Method::GET, "/ticket_create", None, decode::body),
        );
        let config = config.and_then(|b| crate::de::object::<wire::ClientConfig>(&b));
        let form = form.and_then(|b| crate::de::object::<wire::TicketCreateForm>(&b));
        // A help desk that does not answer leaves config.json's choice; a lost session does not.
        let config = match config {
            Err(e) if e.kind == ErrorKind::SignedOut => return Err(e),
            other => other.ok(),
        };
        let form = match form {
            Err(e) if e.kind == ErrorKind::SignedOut => return Err(e),
            other => other.ok(),
        };
        let rules = map::create_rules(config.as_ref(), form.as_ref());
        if config.is_some_and(|c| c.signed_in) && form.is_some() {
            *self.inner.create_rules.borrow_mut() = Some(rules.clone());
        }
        Ok(rules)
    }

    async fn reply(&self, ticket: &Ticket, reply: &Reply) -> PortalResult<Written> {
        let states = self.states().await?;
        let body = map::reply_body(reply, ticket.summary.state.category, &states);
        self.change_state(ticket, body, &states).await
    }

    async fn close(&self, ticket: &Ticket) -> PortalResult<Written> {
        let states = self.states().await?;
        let body = map::state_body(states.closed_id, "closed");
        self.change_state(ticket, body, &states).await
    }

    async fn reopen(&self, ticket: &Ticket) -> PortalResult<Written> {
        let states = self.states().await?;
        let body = map::state_body(states.follow_up_id, "open");
        self.change_state(ticket, body, &states).await
    }

    fn own_image_prefix(&self) -> Option<String> {
        // Zammad rewrites `cid:` references to its attachment route (zammad-api.md, 5.6).
        Some(ZAMMAD_IMAGE_PREFIX.to_string())
    }

    fn has_answers(&self) -> bool {
        self.inner.settings.knowledge_base != crate::de::Scalar::Bool(false)
    }

    async fn search_answers(&self, text: &str) -> PortalResult<Vec<AnswerHit>> {
        let s = &self.inner.settings;
        let body = answers::search_body(
            text,
            s.knowledge_base.whole(),
            s.knowledge_base_locale.as_deref(),
        );
        let found = self
            .fetch(
                Method::POST,
                "/knowledge_bases/search",
                Some(body),
                decode::body,
            )
            .await?;
        answers::hits(&found)
    }

    async fn answer(&self, id: &str) -> PortalResult<AnswerText> {
        let mut content = None;
        loop {
            let path = answers::path(id, content.as_deref()).ok_or_else(PortalError::not_found)?;
            let body = self.fetch(Method::GET, &path, None, decode::body).await?;
            match answers::opened(id, &body)? {
                answers::Opened::Text(text) => return Ok(text),
                // Asked once by the content's own id; a second miss is not found.
                answers::Opened::AskContent(c) if content.is_none() => content = Some(c),
                answers::Opened::AskContent(_) => return Err(PortalError::not_found()),
            }
        }
    }

    async fn account_options(&self) -> AccountOptions {
        match self.anonymous_signshow(false).await {
            Ok(resp) => account::options(resp.status, &resp.body),
            Err(_) => AccountOptions::default(),
        }
    }

    async fn request_password_reset(&self, login: &str) -> PortalResult<()> {
        let body = http::json(&account::ResetRequest {
            username: login.trim(),
        });
        let resp = self
            .anonymous_post("/users/password_reset", body, false)
            .await?;
        account::accepted(resp.status, &resp.body)
    }

    async fn sign_up(&self, new: &SignUp) -> PortalResult<()> {
        let body = http::json(&account::SignupRequest::new(new));
        let resp = self.anonymous_post("/users", body, true).await?;
        account::accepted(resp.status, &resp.body)
    }

    fn can_change_password(&self) -> bool {
        true
    }

    async fn change_password(&self, old: &str, new: &str) -> PortalResult<()> {
        let body = http::json(&account::PasswordChange {
            password_old: old,
            password_new: new,
        });
        self.fetch(
            Method::POST,
            "/users/password_change",
            Some(body),
            account::password_changed,
        )
        .await
    }

    async fn inline_image(&self, path: &str) -> PortalResult<FileData> {
        // The path Zammad wrote, asked where this portal reaches the API (`api_base`).
        let rest = path
            .strip_prefix(ZAMMAD_IMAGE_PREFIX)
            .map(|r| format!("/ticket_attachment/{r}"))
            .ok_or_else(PortalError::not_found)?;
        let rest = rest.as_str();
        let resp = self.call(Method::GET, rest, None).await?;
        Ok(FileData {
            mime_type: resp.content_type.clone(),
            bytes: resp.body,
        })
    }

    async fn download(&self, a: &AttachmentRef) -> PortalResult<FileData> {
        let path = format!(
            "/ticket_attachment/{}/{}/{}?disposition=attachment",
            a.ticket_id, a.article_id, a.attachment_id
        );
        let resp = self.call(Method::GET, &path, None).await?;
        Ok(FileData {
            mime_type: resp.content_type.clone(),
            bytes: resp.body,
        })
    }
}
