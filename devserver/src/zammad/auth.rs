//! Authentication (session cookie, Basic, API token), permissions, CSRF, and the
//! signshow/signin/signout/users-me routes.

use super::errors::*;
use super::render;
use super::reply::Reply;
use super::store::{ZVersion, PASSWORD_MAX_LOGIN_FAILED, SESSION_COOKIE};
use super::Ctx;
use crate::util::{http_date, MS_PER_DAY};
use base64::Engine;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    Session(String),
    Basic,
    /// Token id.
    Token(u64),
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: u64,
    pub kind: AuthKind,
}

/// The session id from the `Cookie` header, if any.
pub fn session_cookie(ctx: &Ctx) -> Option<String> {
    for header in ctx.headers.get_all("cookie") {
        let Ok(s) = header.to_str() else { continue };
        for part in s.split(';') {
            if let Some((k, v)) = part.trim().split_once('=') {
                if k.trim() == SESSION_COOKIE && !v.trim().is_empty() {
                    return Some(v.trim().to_string());
                }
            }
        }
    }
    None
}

pub fn session_user(ctx: &Ctx) -> Option<(String, u64)> {
    let sid = session_cookie(ctx)?;
    let session = ctx.store.sessions.get(&sid)?;
    let user = ctx.store.user(session.user_id)?;
    user.active.then_some((sid, user.id))
}

/// Checks a password for a login or e-mail. Counts failures and locks the account after
/// more than `PASSWORD_MAX_LOGIN_FAILED` of them (lib/auth.rb, lib/auth/user.rb): a locked
/// account answers exactly like a wrong password, even with the right one. Wrong two-factor
/// codes are not counted (lib/auth.rb `verify_two_factor!`).
pub fn check_password(ctx: &mut Ctx, name: &str, password: &str) -> Option<u64> {
    check_password_counting(ctx, name, password, true)
}

/// `count: false` is Zammad's `only_verify_password` (the two-factor initiation): a wrong
/// password is not counted, a locked account still fails.
fn check_password_counting(ctx: &mut Ctx, name: &str, password: &str, count: bool) -> Option<u64> {
    let id = ctx.store.user_by_login(name)?.id;
    // A sign-up whose address is not verified yet (Zammad's login error names the step).
    if ctx.store.unverified.contains(&id) {
        return None;
    }
    let user = ctx.store.user_mut(id)?;
    let can_login = user.active && user.login_failed <= PASSWORD_MAX_LOGIN_FAILED;
    if !can_login {
        return None;
    }
    if user.password.as_deref() == Some(password) && !password.is_empty() {
        if count {
            user.login_failed = 0;
        }
        Some(id)
    } else {
        if count {
            user.login_failed = user.login_failed.saturating_add(1);
        }
        None
    }
}

/// Identifies the caller in Zammad's order: session cookie, Basic, API token.
/// `Ok(None)` means "no credentials".
pub fn authenticate(ctx: &mut Ctx) -> Result<Option<Caller>, ApiError> {
    if let Some((sid, user_id)) = session_user(ctx) {
        return Ok(Some(Caller {
            user_id,
            kind: AuthKind::Session(sid),
        }));
    }
    let Some(auth) = ctx.header("authorization").map(|s| s.trim().to_string()) else {
        return Ok(None);
    };
    let (scheme, rest) = auth.split_once(' ').unwrap_or((auth.as_str(), ""));
    match scheme.to_ascii_lowercase().as_str() {
        "basic" if !ctx.store.settings.api_password_access => {
            Err(ApiError::forbidden(PASSWORD_ACCESS_DISABLED))
        }
        "token" if !ctx.store.settings.api_token_access => {
            Err(ApiError::forbidden(TOKEN_ACCESS_DISABLED))
        }
        "basic" => basic(ctx, rest.trim()).map(Some),
        "token" => api_token(ctx, &token_param(rest), false).map(Some),
        "bearer" => api_token(ctx, rest.trim(), true).map(Some),
        _ => Ok(None),
    }
}

fn basic(ctx: &mut Ctx, encoded: &str) -> Result<Caller, ApiError> {
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = engine
        .decode(encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let Some((name, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        ctx.sleep = true;
        return Err(ApiError::unauthorized(INVALID_BASIC));
    };
    let Some(user_id) = check_password(ctx, name, password) else {
        ctx.sleep = true;
        return Err(ApiError::unauthorized(INVALID_BASIC));
    };
    let version = ctx.store.version;
    let two_factor = ctx
        .store
        .user(user_id)
        .is_some_and(|u| u.two_factor_on(version).is_some());
    if two_factor {
        return Err(ApiError::unauthorized(BASIC_TWO_FACTOR));
    }
    Ok(Caller {
        user_id,
        kind: AuthKind::Basic,
    })
}

/// `token=abc`, `token="abc", nonce=…` or a bare value.
fn token_param(rest: &str) -> String {
    let first = rest.trim().split(',').next().unwrap_or("").trim();
    let v = first.strip_prefix("token=").unwrap_or(first);
    v.trim_matches('"').to_string()
}

fn api_token(ctx: &mut Ctx, value: &str, bearer: bool) -> Result<Caller, ApiError> {
    let unknown = || {
        ApiError::unauthorized(if bearer {
            BEARER_UNKNOWN
        } else {
            TOKEN_UNKNOWN
        })
    };
    if value.is_empty() {
        return Err(unknown());
    }
    let today = ctx.now.div_euclid(MS_PER_DAY);
    let now = ctx.now;
    let Some(token) = ctx.store.tokens.iter_mut().find(|t| t.value == value) else {
        return Err(unknown());
    };
    // authenticates.rb saves `last_used_at` before it looks at `expires_at`: an expired token's
    // refused use is recorded too (`fixtures/zammad-recorded/18-*`).
    token.last_used_at = Some(now);
    token.updated_at = now;
    if token.expires_at.is_some_and(|d| d <= today) {
        return Err(ApiError::unauthorized(TOKEN_EXPIRED));
    }
    let (user_id, id) = (token.user_id, token.id);
    match ctx.store.user(user_id) {
        Some(u) if u.active => Ok(Caller {
            user_id,
            kind: AuthKind::Token(id),
        }),
        _ => Err(unknown()),
    }
}

/// `granted` covers `required` when equal or a parent (`user_preferences` covers
/// `user_preferences.access_token`).
pub fn grants(granted: &[impl AsRef<str>], required: &str) -> bool {
    granted.iter().any(|g| {
        let g = g.as_ref();
        g == required || required.strip_prefix(g).is_some_and(|r| r.starts_with('.'))
    })
}

/// The controller permission check: any of `required`, for the user and (with a token)
/// for the token's own list.
pub fn require(ctx: &Ctx, required: &[&str]) -> Result<(), ApiError> {
    let caller = ctx
        .caller
        .as_ref()
        .ok_or_else(|| ApiError::forbidden(AUTH_REQUIRED))?;
    let user = ctx
        .store
        .user(caller.user_id)
        .ok_or_else(|| ApiError::forbidden(AUTH_REQUIRED))?;
    let user_perms = user.permissions(ctx.store.version);
    let user_ok: Vec<&&str> = required.iter().filter(|r| grants(&user_perms, r)).collect();
    if let AuthKind::Token(id) = caller.kind {
        let token_perms: Vec<String> = ctx
            .store
            .tokens
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.permissions.clone())
            .unwrap_or_default();
        // A token works only within its own list and the user's permissions; Zammad reports
        // every failure of a token-authenticated call the same way.
        if user_ok.iter().any(|r| grants(&token_perms, r)) {
            return Ok(());
        }
        return Err(ApiError::forbidden(TOKEN_AUTHZ_FAILED));
    }
    if user_ok.is_empty() {
        return Err(ApiError::forbidden(USER_AUTHZ_FAILED));
    }
    Ok(())
}

/// The token must belong to the session of this request's cookie, or to the cookie-less
/// pre-session when there is none (prevents_csrf.rb: Rails keeps it in the session).
pub fn verify_csrf(ctx: &Ctx) -> Result<(), ApiError> {
    let owner = session_user(ctx).map(|(sid, _)| sid);
    match ctx.header("x-csrf-token") {
        Some(t) if ctx.store.csrf_valid(t.trim(), owner.as_deref()) => Ok(()),
        _ => Err(ApiError::csrf_failed(ctx.store.version)),
    }
}

/// The user's raw attributes as `signin`/`signshow` put them into `session`.
fn session_json(ctx: &Ctx, user_id: u64) -> Value {
    let Some(u) = ctx.store.user(user_id) else {
        return Value::Null;
    };
    let mut v = render::user(ctx.store, u, false);
    if let Value::Object(m) = &mut v {
        for k in [
            "role_ids",
            "organization_ids",
            "authorization_ids",
            "group_ids",
        ] {
            m.remove(k);
        }
    }
    v
}

/// `GET /signshow` (fixture 05). Zammad asks `authentication_check_only`, so a token (or
/// Basic) shows its user as a session cookie does; a refused credential answers like no
/// session, with its reason (sessions_controller.rb `show`).
pub fn signshow(ctx: &mut Ctx) -> ApiResult {
    let (user_id, error) = match authenticate(ctx) {
        Ok(Some(caller)) => {
            let user_id = caller.user_id;
            if !matches!(caller.kind, AuthKind::Session(_)) {
                ctx.caller = Some(caller);
            }
            (Some(user_id), String::new())
        }
        Ok(None) => (None, "no valid session".to_string()),
        Err(e) if e.status == 401 => (None, e.error),
        Err(e) => return Err(e),
    };
    match user_id {
        Some(user_id) => Ok(Reply::ok(json!({
            "session": session_json(ctx, user_id),
            "models": render::models(),
            "collections": render::collections(),
            "config": render::config(&ctx.store.settings, true),
        }))),
        None => Ok(Reply::ok(json!({
            "error": error,
            "models": render::models(),
            "collections": render::collections(),
            "config": render::config(&ctx.store.settings, false),
        }))),
    }
}

pub fn param_str(ctx: &Ctx, key: &str) -> String {
    match ctx.param(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// `POST /signin` (fixtures 06–09).
pub fn signin(ctx: &mut Ctx) -> ApiResult {
    verify_csrf(ctx)?;
    let username = param_str(ctx, "username");
    let password = param_str(ctx, "password");
    let Some(user_id) = check_password(ctx, &username, &password) else {
        ctx.sleep = true;
        return Err(ApiError::unauthorized(LOGIN_FAILED));
    };
    let version = ctx.store.version;
    let two_factor = ctx
        .store
        .user(user_id)
        .and_then(|u| u.two_factor_on(version))
        .cloned();
    if let Some(two_factor) = two_factor {
        let method = param_str(ctx, "two_factor_method");
        if method.is_empty() {
            // sessions_controller.rb#create: the challenge; the password was right, so nothing
            // is counted.
            return Ok(Reply::json(
                422,
                json!({"two_factor_required": {
                    "default_two_factor_authentication_method": two_factor.default,
                    "available_two_factor_authentication_methods": two_factor.methods,
                    "recovery_codes_available": !two_factor.recovery_codes.is_empty()
                }}),
            ));
        }
        if !super::two_factor::verify(ctx, user_id, &two_factor, &method) {
            ctx.sleep = true;
            return Err(ApiError::unauthorized(LOGIN_FAILED_TWO_FACTOR));
        }
    }
    let remember = crate::util::flag(ctx.param("remember_me"));
    let sid = ctx.store.rng.hex(32);
    ctx.store
        .sessions
        .insert(sid.clone(), super::store::Session { user_id });
    let now = ctx.now;
    if let Some(u) = ctx.store.user_mut(user_id) {
        u.last_login = Some(now);
        u.updated_at = now;
    }
    let cookie = if remember {
        format!(
            "{SESSION_COOKIE}={sid}; path=/; Max-Age=31536000; expires={}; HttpOnly; SameSite=Lax",
            http_date(now + 365 * MS_PER_DAY)
        )
    } else {
        format!("{SESSION_COOKIE}={sid}; path=/; HttpOnly; SameSite=Lax")
    };
    let (user_asset, org) = {
        let u = ctx.store.user(user_id);
        let org = u
            .and_then(|u| u.organization_id)
            .and_then(|o| ctx.store.organization(o))
            .map(|o| (o.id.to_string(), render::organization(o)));
        (u.map(render::user_asset).unwrap_or(Value::Null), org)
    };
    let mut assets = json!({"User": {user_id.to_string(): user_asset}});
    if let (Some((id, o)), Value::Object(m)) = (org, &mut assets) {
        m.insert("Organization".into(), json!({ id: o }));
    }
    let mut body = json!({
        "session": session_json(ctx, user_id),
        "models": render::models(),
        "collections": render::collections(),
        "assets": assets,
        "config": render::config(&ctx.store.settings, true),
    });
    if ctx.store.version != ZVersion::V5 {
        if let Value::Object(m) = &mut body {
            m.insert("after_auth".into(), Value::Null);
        }
    }
    // The session starts with this request, so later headers treat it like a session one.
    ctx.caller = Some(Caller {
        user_id,
        kind: AuthKind::Session(sid),
    });
    Ok(Reply::json(201, body).header("Set-Cookie", cookie))
}

/// `POST /auth/two_factor_initiate_authentication/:method` (6.0+; sessions_controller.rb
/// `two_factor_authentication_method_initiate_authentication`): what Zammad's login screen
/// asks before a session exists, to get the WebAuthn request options for a security key. The
/// CSRF check applies (the action is not in the controller's skip list); the password is
/// checked without counting failures (`only_verify_password`); Rack::Attack allows 3 calls a
/// minute per user name (config/initializers/rack_attack.rb, `PublicEndpoint`).
pub fn initiate_two_factor(ctx: &mut Ctx, method: &str) -> ApiResult {
    verify_csrf(ctx)?;
    let username = param_str(ctx, "username").trim().to_lowercase();
    if !username.is_empty() {
        let now = ctx.now;
        let calls = &mut ctx.store.initiate_calls;
        calls.retain(|(_, at)| now - at < 60_000);
        if calls.iter().filter(|(u, _)| *u == username).count() >= 3 {
            return Ok(Reply::raw(429, "text/plain", b"Retry later\n".to_vec()));
        }
        calls.push((username.clone(), now));
    }
    // The route's `:method` is `params[:method]`.
    for param in ["username", "password", "method"] {
        let value = if param == "method" {
            method.to_string()
        } else {
            param_str(ctx, param)
        };
        if value.trim().is_empty() {
            return Err(ApiError::unprocessable(format!(
                "The required parameter '{param}' is missing."
            )));
        }
    }
    let password = param_str(ctx, "password");
    let Some(user_id) = check_password_counting(ctx, &username, &password, false) else {
        ctx.sleep = true;
        return Err(ApiError::unprocessable(
            "The username or password is incorrect.",
        ));
    };
    let version = ctx.store.version;
    let key = ctx
        .store
        .user(user_id)
        .and_then(|u| u.two_factor_on(version))
        .filter(|t| t.methods.iter().any(|m| m == method))
        .and_then(|t| t.security_key.clone());
    let Some(key) = key.filter(|_| method == "security_keys") else {
        return Err(ApiError::unprocessable(
            "The two-factor authentication method is not enabled.",
        ));
    };
    // 32 random bytes in base64url, as webauthn-ruby makes them (a canonical encoding: the
    // browser decodes it and writes it again into clientDataJSON).
    let bytes: Vec<u8> = (0..4)
        .flat_map(|_| ctx.store.rng.next_u64().to_be_bytes())
        .collect();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    ctx.store
        .webauthn_challenges
        .push((user_id, challenge.clone()));
    // WebAuthn::Credential.options_for_get(allow: …, user_verification: 'discouraged'), as JSON.
    Ok(Reply::ok(json!({
        "challenge": challenge,
        "timeout": 120_000,
        "allowCredentials": [{"type": "public-key", "id": key.credential_id}],
        "userVerification": "discouraged",
    })))
}

/// `DELETE /signout` (fixture 10): no CSRF check, clears the session.
pub fn signout(ctx: &mut Ctx) -> ApiResult {
    if let Some(sid) = session_cookie(ctx) {
        ctx.store.sessions.remove(&sid);
    }
    Ok(Reply::ok(json!({})).header(
        "Set-Cookie",
        format!("{SESSION_COOKIE}=; path=/; max-age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"),
    ))
}

/// `GET /users/me` (fixture 13): needs nothing beyond authentication.
pub fn users_me(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.user()?;
    let expand = ctx.flag("expand");
    Ok(Reply::ok(render::user(ctx.store, &user, expand)))
}

/// `GET /users/:id` (users_controller.rb `show`, UserPolicy#show?): the record is looked up
/// first (404 `Couldn't find User with 'id'=0`, recorded from 6.1:
/// `fixtures/zammad-recorded/74-*`), then a customer may read itself (as users/me) and the
/// members of its organizations, reduced to what Zammad shows a customer of other users
/// (app/models/user/assets.rb); anyone else is 403 `Not authorized`. Agents read everyone.
pub fn user_show(ctx: &mut Ctx, id: &str) -> ApiResult {
    let viewer = ctx.user()?;
    let record = id
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| ctx.store.user(n))
        .cloned()
        .ok_or_else(|| ApiError::not_found("User", id))?;
    let expand = ctx.flag("expand");
    if record.id == viewer.id {
        return Ok(Reply::ok(render::user(ctx.store, &record, expand)));
    }
    if !viewer.is_customer() {
        return Ok(Reply::ok(render::user_for(
            ctx.store, &record, false, expand,
        )));
    }
    let same_organization = viewer.organization_id.is_some()
        && record.organization_id.is_some_and(|o| {
            viewer.organization_id == Some(o) || viewer.organization_ids.contains(&o)
        });
    if !same_organization {
        return Err(ApiError::forbidden(NOT_AUTHORIZED));
    }
    let full = render::user_for(ctx.store, &record, false, false);
    Ok(Reply::ok(render::slice(
        &full,
        &[
            "id",
            "firstname",
            "lastname",
            "image",
            "image_source",
            "active",
        ],
    )))
}

/// `GET /version` (Controllers::VersionControllerPolicy: `admin.version`). The fake has no
/// admin, so every caller gets the permission refusal: `User authorization failed.` for a
/// session, `Token authorization failed.` for a token (recorded as an admin in
/// `fixtures/zammad-recorded/01-*`, which answers `{"version": …}`).
pub fn version(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &["admin.version"])?;
    Ok(Reply::ok(json!({ "version": ctx.store.version.as_str() })))
}

/// `GET|POST /users/search` (Controllers::UsersControllerPolicy: `ticket.agent` or
/// `admin.user`): customers are refused like any permission check (7.1 with a customer token:
/// 403 `Token authorization failed.`, noted in `fixtures/zammad-recorded/46-*`); the fake's
/// agent gets every user, unfiltered (no query language).
pub fn users_search(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &["ticket.agent", "admin.user"])?;
    let list: Vec<Value> = ctx
        .store
        .users
        .iter()
        .map(|u| render::user_for(ctx.store, u, false, false))
        .collect();
    Ok(Reply::ok(Value::Array(list)))
}
