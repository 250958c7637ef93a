//! One module per route.

mod account;
mod new_ticket;
mod not_found;
mod sign_in;
mod ticket;
mod tickets;

pub use account::{AccountLinks, ChangePasswordPage, ForgotPasswordPage, SignUpPage};
pub use new_ticket::NewTicketPage;
pub use not_found::NotFoundPage;
pub use sign_in::SignInPage;
pub use ticket::TicketPage;
pub use tickets::TicketsPage;

/// A `next` target from the query string, accepted only when it is a path inside the portal.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.starts_with("/sign-in") =>
        {
            n
        }
        _ => "/tickets".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_inside_the_portal() {
        assert_eq!(safe_next(Some("/tickets/101".into())), "/tickets/101");
        assert_eq!(safe_next(Some("//evil.example".into())), "/tickets");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/tickets");
        assert_eq!(safe_next(Some("/\\evil.example".into())), "/tickets");
        assert_eq!(safe_next(Some("/sign-in".into())), "/tickets");
        assert_eq!(safe_next(None), "/tickets");
    }
}
