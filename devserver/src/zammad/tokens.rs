//! Personal access tokens: `/user_access_token` (fixtures 01–04, 38, 39).

use super::auth::require;
use super::errors::*;
use super::render;
use super::reply::Reply;
use super::store::{Token, ZVersion};
use super::Ctx;
use crate::util::{as_scalar_string, is_blank, parse_date};
use serde_json::{json, Value};

const TOKEN_PERMISSION: &str = "user_preferences.access_token";

/// `POST /user_access_token`: 200 `{"token":…}` (6.5/7) or `{"name":…}` (5).
pub fn create(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &[TOKEN_PERMISSION])?;
    // user_access_token_controller.rb#create, after the permission check: the setting is
    // refused with a 422 (token *authentication* with it off is a 403, see auth.rs).
    if !ctx.store.settings.api_token_access {
        return Err(ApiError::unprocessable(TOKEN_ACCESS_DISABLED));
    }
    let user = ctx.user()?;
    let legacy = ctx.store.version == ZVersion::V5;
    let label_key = if legacy { "label" } else { "name" };
    if is_blank(ctx.param(label_key)) {
        return Err(ApiError::unprocessable(if legacy {
            "Need label!"
        } else {
            "The required parameter 'name' is missing."
        }));
    }
    let label = match ctx.param(label_key) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let expires_at = match ctx.param("expires_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match parse_date(s) {
            Some(d) => Some(d),
            None => return Err(ctx.masked()),
        },
        Some(_) => return Err(ctx.masked()),
    };
    // Stored as sent, unchecked against the user's own permissions (recorded from 7.1:
    // `fixtures/zammad-recorded/12-*`); a call is allowed only within both lists (`require`).
    // 6.5 / 7 pass `params.permit(:name, :expires_at, permission: [])` as keyword arguments to
    // Service::User::AccessToken::Create: without an array of scalars the keyword is missing,
    // an ArgumentError, which a customer sees masked (recorded: `fixtures/zammad-recorded/17-*`).
    // 5.x stores whatever `params[:permission]` is.
    let permissions: Vec<String> = match ctx.param("permission") {
        Some(Value::Array(list)) if list.iter().all(is_scalar) => {
            list.iter().filter_map(as_scalar_string).collect()
        }
        Some(Value::String(p)) if legacy => vec![p.clone()],
        _ if legacy => Vec::new(),
        _ => return Err(ctx.masked()),
    };
    let value = ctx.store.rng.url_safe(64);
    let id = ctx.store.next_token_id;
    ctx.store.next_token_id += 1;
    ctx.store.tokens.push(Token {
        id,
        user_id: user.id,
        value: value.clone(),
        label,
        permissions,
        expires_at,
        last_used_at: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    });
    Ok(Reply::ok(if legacy {
        json!({ "name": value })
    } else {
        json!({ "token": value })
    }))
}

/// A value Rails' strong parameters accept in a permitted array (strings, numbers, booleans).
fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// `GET /user_access_token`: the caller's tokens (never their values) and permissions.
pub fn list(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &[TOKEN_PERMISSION])?;
    let user = ctx.user()?;
    let mut tokens: Vec<&Token> = ctx
        .store
        .tokens
        .iter()
        .filter(|t| t.user_id == user.id)
        .collect();
    tokens.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.label.cmp(&b.label)));
    let tokens: Vec<Value> = tokens.iter().map(|t| render::token(ctx.store, t)).collect();
    let perms = user.permissions(ctx.store.version);
    Ok(Reply::ok(json!({
        "tokens": tokens,
        "permissions": render::permissions(ctx.store, &perms),
    })))
}

/// `DELETE /user_access_token/:id` → 200 `{}`.
pub fn delete(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &[TOKEN_PERMISSION])?;
    let user = ctx.user()?;
    let parsed: Option<u64> = id.parse().ok();
    let pos = ctx.store.tokens.iter().position(|t| Some(t.id) == parsed);
    match pos {
        Some(i) if ctx.store.tokens[i].user_id == user.id => {
            ctx.store.tokens.remove(i);
            Ok(Reply::ok(json!({})))
        }
        // Looked up among the caller's own tokens: someone else's is as missing as a gone one
        // (fixtures/zammad-recorded/20-*; 5.0's text from its controller).
        _ if ctx.store.version == ZVersion::V5 => {
            Err(ApiError::unprocessable("Unable to find api token!"))
        }
        _ => Err(ApiError::unprocessable("The API token could not be found.")),
    }
}
