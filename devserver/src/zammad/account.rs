//! The account calls of users_controller.rb: password reset (`POST /users/password_reset`),
//! sign-up (`POST /users` with `signup`) and password change (`POST /users/password_change`).
//! The mails Zammad would send land in `store.mails` (`GET /__test/mails`).

use super::auth::{self, param_str};
use super::errors::*;
use super::reply::Reply;
use super::store::{User, ROLE_CUSTOMER};
use super::Ctx;
use serde_json::{json, Value};

/// Service::CheckFeatureEnabled's words.
pub const FEATURE_OFF: &str = "This feature is not enabled.";
pub const USERNAME_NEEDED: &str = "username param needed!";
pub const EMAIL_MISSING: &str = "The required attribute 'email' is missing.";
pub const CURRENT_WRONG: &str = "The current password you provided is incorrect.";
pub const CURRENT_MISSING: &str = "Please provide your current password.";
pub const NEW_MISSING: &str = "Please provide your new password.";

/// Stock password policy (db/seeds/settings.rb): at least 10 characters, 2 lower and 2 upper
/// case letters, a digit; at most 1000 (PasswordPolicy::MaxLength). The first rule broken, as
/// `[text, value]` (PasswordPolicy::Error#metadata).
pub fn policy_error(password: &str) -> Option<Value> {
    let chars = password.chars().count();
    if chars > 1000 {
        return Some(json!([
            "Invalid password, it must be shorter than %s characters!",
            1000
        ]));
    }
    if chars < 10 {
        return Some(json!([
            "Invalid password, it must be at least %s characters long!",
            10
        ]));
    }
    let lower = password.chars().filter(|c| c.is_lowercase()).count();
    let upper = password.chars().filter(|c| c.is_uppercase()).count();
    if lower < 2 || upper < 2 {
        return Some(json!([
            "Invalid password, it must contain at least 2 lowercase and 2 uppercase characters!"
        ]));
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        return Some(json!([
            "Invalid password, it must contain at least 1 digit!"
        ]));
    }
    None
}

fn failed(status: u16, notice: Value) -> Reply {
    Reply::json(status, json!({"message": "failed", "notice": notice}))
}

/// Where Zammad's mail links point: its own pages (the legacy UI's routes, which the REST
/// controller's `Deprecated` services use), on its `fqdn`.
fn link(ctx: &Ctx, route: &str, token: &str) -> String {
    let host = ctx.header("host").unwrap_or("localhost");
    format!("http://{host}/#{route}/{token}")
}

fn mail(ctx: &mut Ctx, to: &str, template: &str, url: Option<String>) {
    let now = ctx.now;
    ctx.store
        .mails
        .push(json!({"to": to, "template": template, "url": url, "at": now}));
}

/// `POST /users/password_reset {username}`: no authentication (a token or Basic is not even
/// looked at), so the anonymous session's CSRF token is required. Always `{"message":"ok"}`
/// when the feature is on: a mail goes out only for an active account with an address.
pub fn password_reset_send(ctx: &mut Ctx) -> ApiResult {
    auth::verify_csrf(ctx)?;
    let username = param_str(ctx, "username");
    if username.trim().is_empty() {
        return Err(ApiError::unprocessable(USERNAME_NEEDED));
    }
    if !ctx.store.settings.user_lost_password {
        return Err(ApiError::unprocessable(FEATURE_OFF));
    }
    // User.password_reset_new_token: login first, then e-mail; active users only.
    let found = ctx
        .store
        .user_by_login(&username)
        .filter(|u| u.active && !u.email.is_empty())
        .map(|u| u.email.clone());
    if let Some(email) = found {
        let token = ctx.store.rng.alnum(48);
        let url = link(ctx, "password_reset_verify", &token);
        mail(ctx, &email, "password_reset", Some(url));
    }
    Ok(Reply::ok(json!({"message": "ok"})))
}

/// `POST /users`: with a session or token `create_internal` (a customer may not create users),
/// with `signup` the public sign-up (Service::User::Deprecated::Signup), else the first admin
/// of a new system (refused: this one is set up).
pub fn create(ctx: &mut Ctx) -> ApiResult {
    if let Some(caller) = auth::authenticate(ctx)? {
        let is_session = matches!(caller.kind, auth::AuthKind::Session(_));
        ctx.caller = Some(caller);
        if is_session {
            auth::verify_csrf(ctx)?;
        }
        return Err(ApiError::forbidden(NOT_AUTHORIZED));
    }
    auth::verify_csrf(ctx)?;
    if !ctx.flag("signup") {
        // Service::System::CheckSetup: the exact words are not pinned down (devserver/README.md).
        return Err(ApiError::unprocessable(
            "This system has already been configured and an administrator account exists.",
        ));
    }
    let email = param_str(ctx, "email").trim().to_string();
    if email.is_empty() {
        return Err(ApiError::unprocessable(EMAIL_MISSING));
    }
    if !ctx.store.settings.user_create_account {
        return Err(ApiError::unprocessable(FEATURE_OFF));
    }
    let password = param_str(ctx, "password");
    if let Some(notice) = policy_error(&password) {
        return Ok(failed(422, notice));
    }
    let known = ctx
        .store
        .users
        .iter()
        .find(|u| !u.email.is_empty() && u.email.eq_ignore_ascii_case(&email))
        .map(|u| u.email.clone());
    if let Some(existing) = known {
        // Service::User::Signup#user_with_email_exists!: a mail with a reset link, same answer.
        let token = ctx.store.rng.alnum(48);
        let url = link(ctx, "password_reset_verify", &token);
        mail(ctx, &existing, "signup_taken_reset", Some(url));
        return Ok(Reply::json(201, json!({"message": "ok"})));
    }
    let id = ctx.store.users.iter().map(|u| u.id).max().unwrap_or(0) + 1;
    let template = ctx
        .store
        .users
        .iter()
        .find(|u| u.role_ids == [ROLE_CUSTOMER])
        .cloned();
    let Some(base) = template else {
        return Err(ctx.masked());
    };
    let now = ctx.now;
    ctx.store.users.push(User {
        id,
        login: email.to_lowercase(),
        firstname: param_str(ctx, "firstname"),
        lastname: param_str(ctx, "lastname"),
        email: email.to_lowercase(),
        organization_id: None,
        organization_ids: Vec::new(),
        role_ids: vec![ROLE_CUSTOMER],
        password: Some(password),
        two_factor: None,
        note: String::new(),
        phone: String::new(),
        active: true,
        vip: false,
        login_failed: 0,
        last_login: None,
        created_at: now,
        updated_at: now,
        ..base
    });
    ctx.store.unverified.push(id);
    let token = ctx.store.rng.alnum(48);
    let url = link(ctx, "email_verify", &token);
    mail(ctx, &email.to_lowercase(), "signup", Some(url));
    Ok(Reply::json(201, json!({"message": "ok"})))
}

/// `POST /users/password_change {password_old, password_new}` for the caller (authenticated
/// by `run`). The current password is checked without counting failures (PasswordHash), then
/// the policy; a changed password is mailed about (template `password_change`).
pub fn password_change(ctx: &mut Ctx) -> ApiResult {
    let Some(user_id) = ctx.caller.as_ref().map(|c| c.user_id) else {
        return Err(ApiError::forbidden(AUTH_REQUIRED));
    };
    let old = match ctx.param("password_old") {
        Some(Value::String(s)) if s.chars().count() <= 1000 => s.clone(),
        _ => return Ok(failed(422, json!([CURRENT_MISSING]))),
    };
    let new = match ctx.param("password_new") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return Ok(failed(422, json!([NEW_MISSING]))),
        Some(other) => other.to_string(),
    };
    let Some(user) = ctx.store.user(user_id) else {
        return Err(ApiError::forbidden(AUTH_REQUIRED));
    };
    if old.is_empty() || user.password.as_deref() != Some(old.as_str()) {
        return Ok(failed(422, json!([CURRENT_WRONG])));
    }
    if let Some(notice) = policy_error(&new) {
        return Ok(failed(422, notice));
    }
    let now = ctx.now;
    let (login, email) = match ctx.store.user_mut(user_id) {
        Some(u) => {
            u.password = Some(new);
            u.updated_at = now;
            (u.login.clone(), u.email.clone())
        }
        None => return Err(ApiError::forbidden(AUTH_REQUIRED)),
    };
    if !email.is_empty() {
        mail(ctx, &email, "password_change", None);
    }
    Ok(Reply::ok(json!({"message": "ok", "user_login": login})))
}

#[cfg(test)]
mod tests {
    use super::policy_error;

    #[test]
    fn the_stock_policy() {
        assert!(policy_error("short").is_some());
        assert!(policy_error("alllowercase12").is_some());
        assert!(policy_error("NoDigitsHereAtAll").is_some());
        assert_eq!(policy_error("NewSecret42xy"), None);
        assert!(policy_error(&"Aa1".repeat(400)).is_some());
    }
}
