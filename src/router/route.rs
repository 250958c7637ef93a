//! The portal's routes, matched from the in-app path (without the base path or `#`).

/// What the path shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    SignIn,
    /// `/` and `/tickets`.
    Tickets,
    NewTicket,
    /// `/tickets/:id` (the id as it appears in the path, percent-decoded).
    Ticket(String),
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] | ["tickets"] => Route::Tickets,
            ["sign-in"] => Route::SignIn,
            ["tickets", "new"] => Route::NewTicket,
            ["tickets", id] => Route::Ticket(super::query::decode(&id.replace('+', "%2B"))),
            _ => Route::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn matches_every_route() {
        assert_eq!(Route::parse("/"), Route::Tickets);
        assert_eq!(Route::parse(""), Route::Tickets);
        assert_eq!(Route::parse("/tickets"), Route::Tickets);
        assert_eq!(Route::parse("/tickets/"), Route::Tickets);
        assert_eq!(Route::parse("/tickets?status=closed"), Route::Tickets);
        assert_eq!(Route::parse("/sign-in"), Route::SignIn);
        assert_eq!(Route::parse("/sign-in?next=%2Ftickets"), Route::SignIn);
        assert_eq!(Route::parse("/tickets/new"), Route::NewTicket);
        assert_eq!(Route::parse("/tickets/101"), Route::Ticket("101".into()));
        assert_eq!(Route::parse("/tickets/10%31"), Route::Ticket("101".into()));
        assert_eq!(Route::parse("/tickets/a+b"), Route::Ticket("a+b".into()));
        assert_eq!(Route::parse("/tickets/101/x"), Route::NotFound);
        assert_eq!(Route::parse("/nowhere"), Route::NotFound);
        assert_eq!(Route::parse("/sign-in/x"), Route::NotFound);
    }
}
