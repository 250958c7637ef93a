//! One error type for everything the pages show. Adapters turn every failure (network, timeout,
//! HTTP status, help-desk error body, undecodable JSON) into a `PortalError` with a kind the pages
//! can act on and a message written for the customer.

use std::fmt;

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalError {
    pub kind: ErrorKind,
    pub message: String,
}

impl PortalError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    pub fn signed_out() -> Self {
        Self::new(
            ErrorKind::SignedOut,
            "Your session has ended. Please sign in again.",
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            ErrorKind::NotFound,
            "This ticket does not exist or you do not have access to it.",
        )
    }

    pub fn network() -> Self {
        Self::new(
            ErrorKind::Network,
            "The help desk could not be reached. Check your connection and try again.",
        )
    }

    pub fn timeout() -> Self {
        Self::new(
            ErrorKind::Timeout,
            "The help desk did not answer in time. Please try again.",
        )
    }

    pub fn server(status: u16) -> Self {
        Self::new(
            ErrorKind::Server,
            format!("The help desk is not available right now (HTTP {status}). Please try again in a moment."),
        )
    }

    pub fn unreadable(detail: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::Unreadable,
            format!("The help desk sent an answer the portal could not read ({detail}). Please try again."),
        )
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

impl fmt::Display for PortalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub type PortalResult<T> = Result<T, PortalError>;
