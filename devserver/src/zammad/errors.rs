//! Zammad's error bodies: `{"error","error_human"}`, `X-Failure` on 401/403, masked texts.

use super::reply::Reply;
use crate::util::Rng;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub error: String,
    /// Known error classes repeat the text in `error_human`; masked errors have none.
    pub human: bool,
    /// 7.x marks a CSRF failure with `"invalid_csrf_token": true`.
    pub invalid_csrf: bool,
}

pub const AUTH_REQUIRED: &str = "Authentication required";
pub const NOT_AUTHORIZED: &str = "Not authorized";
pub const USER_AUTHZ_FAILED: &str = "User authorization failed.";
pub const TOKEN_AUTHZ_FAILED: &str = "Token authorization failed.";
pub const INVALID_BASIC: &str = "Invalid BasicAuth credentials";
pub const BASIC_TWO_FACTOR: &str =
    "Two-factor authentication is not supported with HTTP BasicAuth.";
pub const TOKEN_UNKNOWN: &str = "Can't find User for Token";
pub const BEARER_UNKNOWN: &str = "The provided token is invalid.";
pub const TOKEN_EXPIRED: &str = "Not authorized (token expired)!";
pub const LOGIN_FAILED: &str =
    "Login failed. Have you double-checked your credentials and completed the email verification step?";
pub const LOGIN_FAILED_TWO_FACTOR: &str =
    "Login failed. Please double-check your two-factor authentication method.";
pub const CSRF_FAILED: &str = "CSRF token verification failed!";
/// 7.1 as recorded (fixtures/zammad-recorded/13-*): a full stop, `invalid_csrf_token`, no
/// `error_human`.
pub const CSRF_FAILED_7: &str = "CSRF token verification failed.";
pub const PASSWORD_ACCESS_DISABLED: &str = "API password access disabled!";
pub const TOKEN_ACCESS_DISABLED: &str = "API token access disabled!";
pub const ADMIN_REQUIRED: &str = "Not authorized (admin permission required)!";
pub const AGENT_REQUIRED: &str = "Not authorized (agent permission required)!";
pub const FOLLOW_UP_REFUSED: &str =
    "Cannot follow-up on a closed ticket. Please create a new ticket.";
pub const GROUP_MISSING: &str = "The required value 'group_id' is missing.";
pub const BODY_MISSING: &str = "Need at least an 'article body' field.";
pub const ARTICLE_NOT_OF_TICKET: &str = "The article does not belong to the specified ticket.";
pub const FILE_NOT_OF_ARTICLE: &str = "The file does not belong to the specified article.";

impl ApiError {
    pub fn new(status: u16, error: impl Into<String>) -> Self {
        ApiError {
            status,
            error: error.into(),
            human: true,
            invalid_csrf: false,
        }
    }

    /// 401 for a session write without its session's CSRF token (prevents_csrf.rb).
    pub fn csrf_failed(version: super::store::ZVersion) -> Self {
        if version == super::store::ZVersion::V7 {
            ApiError {
                status: 401,
                error: CSRF_FAILED_7.into(),
                human: false,
                invalid_csrf: true,
            }
        } else {
            Self::unauthorized(CSRF_FAILED)
        }
    }

    pub fn unauthorized(error: impl Into<String>) -> Self {
        Self::new(401, error)
    }

    pub fn forbidden(error: impl Into<String>) -> Self {
        Self::new(403, error)
    }

    pub fn unprocessable(error: impl Into<String>) -> Self {
        Self::new(422, error)
    }

    /// `Couldn't find Ticket with 'id'=999`
    pub fn not_found(model: &str, id: &str) -> Self {
        Self::new(404, format!("Couldn't find {model} with 'id'={id}"))
    }

    /// What a non-admin sees for Core Workflow rejections and unexpected errors.
    pub fn masked(rng: &mut Rng, status: u16) -> Self {
        ApiError {
            status,
            error: format!(
                "Error ID {}: Please contact your administrator.",
                rng.url_safe(8)
            ),
            human: false,
            invalid_csrf: false,
        }
    }

    pub fn body(&self) -> Value {
        if self.invalid_csrf {
            json!({"error": self.error, "invalid_csrf_token": true})
        } else if self.human {
            json!({"error": self.error, "error_human": self.error})
        } else {
            json!({"error": self.error})
        }
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        let mut r = Reply::json(e.status, e.body());
        if e.status == 401 || e.status == 403 {
            r.headers.push(("X-Failure".into(), e.error.clone()));
        }
        r
    }
}

pub type ApiResult = Result<Reply, ApiError>;
