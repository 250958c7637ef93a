//! Where the in-app location lives in the browser's address, for each routing mode (pure string
//! work, tested on the host):
//! - history: in the path, under the base the portal is served from (`/support/tickets/101`);
//!   the server must answer every such path with index.html (an SPA fallback);
//! - hash: after `#` (`/support/#/tickets/101`, or `/company/help.html?x=1#/tickets/101` when
//!   embedded); the server only ever sees the document's own path, and the document's own path
//!   and query stay as they are.
//!
//! An in-app *target* is what the pages navigate to and leptos_router matches: a path starting
//! with one `/`, with an optional query (`/tickets?status=closed`).

/// How the in-app location is kept in the address (config.json `routing`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    History,
    Hash,
}

impl Mode {
    pub fn parse(value: &str) -> Result<Mode, String> {
        match value {
            "history" => Ok(Mode::History),
            "hash" => Ok(Mode::Hash),
            other => Err(format!(
                "`routing` must be \"history\" or \"hash\", not {other:?}"
            )),
        }
    }
}

/// An in-app target as given (`tickets#x`, `//x`) made a path inside the portal: one leading
/// `/`, no fragment. A target can never leave the portal's origin or base.
pub fn target(given: &str) -> String {
    let given = given.split('#').next().unwrap_or_default();
    format!("/{}", given.trim_start_matches(['/', '\\']))
}

/// The in-app target of a hash-mode address, from `location.hash` (`#/tickets/7?x=1`); `None`
/// for a hash that is no in-app path (none, `#`, `#main`, a host page's `#section`).
pub fn from_hash(hash: &str) -> Option<String> {
    let inner = hash.strip_prefix('#').unwrap_or(hash);
    inner.starts_with('/').then(|| target(inner))
}

/// The hash-mode address of an in-app target: the document's own path and query, then `#` and
/// the target.
pub fn hash_href(pathname: &str, search: &str, target: &str) -> String {
    format!("{pathname}{search}#{target}")
}

/// The in-app path of a history-mode path (`/support/tickets/101` → `/tickets/101` under
/// `/support`). `base` has no trailing slash ("" at the root); a path outside it stays as it is.
pub fn strip_base<'a>(base: &str, pathname: &'a str) -> &'a str {
    match pathname.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => pathname,
    }
}

/// `/tickets` and `?status=closed` back to one target (no `?` without a query).
pub fn join(path: &str, search: &str) -> String {
    match search.trim_start_matches('?') {
        "" => path.to_string(),
        query => format!("{path}?{query}"),
    }
}

/// The path part of a target (without query and fragment).
pub fn path_of(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or_default()
}

/// Whether a link to `target` leads to the page shown at in-app path `current`: the same path,
/// whatever the query; `/` is the ticket list, like `/tickets`.
pub fn same_page(target: &str, current: &str) -> bool {
    fn page(path: &str) -> &str {
        match path_of(path).trim_end_matches('/') {
            "" => "/tickets",
            p => p,
        }
    }
    page(target) == page(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_from_config() {
        assert_eq!(Mode::parse("history"), Ok(Mode::History));
        assert_eq!(Mode::parse("hash"), Ok(Mode::Hash));
        let err = Mode::parse("Hash").unwrap_err();
        assert!(err.contains("\"history\" or \"hash\""), "{err}");
        assert!(Mode::parse("").is_err());
    }

    #[test]
    fn targets_stay_inside_the_portal() {
        assert_eq!(target("/tickets?status=all"), "/tickets?status=all");
        assert_eq!(target("tickets#x"), "/tickets");
        assert_eq!(target(""), "/");
        // Protocol-relative and backslash forms would leave the origin: one slash only.
        assert_eq!(target("//evil.example/x"), "/evil.example/x");
        assert_eq!(target("/\\evil.example"), "/evil.example");
    }

    #[test]
    fn hash_mode_reads_the_fragment_only() {
        assert_eq!(from_hash(""), None);
        assert_eq!(from_hash("#"), None);
        assert_eq!(from_hash("#main"), None);
        assert_eq!(from_hash("#/tickets/101").as_deref(), Some("/tickets/101"));
        assert_eq!(
            from_hash("#/sign-in?next=%2Ftickets%2F7").as_deref(),
            Some("/sign-in?next=%2Ftickets%2F7")
        );
        assert_eq!(
            from_hash("#//evil.example").as_deref(),
            Some("/evil.example")
        );
    }

    #[test]
    fn hash_hrefs_keep_what_is_not_ours() {
        assert_eq!(
            hash_href("/company/help.html", "?x=1", "/tickets/101"),
            "/company/help.html?x=1#/tickets/101"
        );
        assert_eq!(hash_href("/support/", "", "/tickets"), "/support/#/tickets");
    }

    #[test]
    fn history_mode_strips_the_base() {
        assert_eq!(strip_base("", "/"), "/");
        assert_eq!(strip_base("", "/tickets"), "/tickets");
        assert_eq!(
            strip_base("/support", "/support/tickets/101"),
            "/tickets/101"
        );
        assert_eq!(strip_base("/support", "/support"), "/");
        assert_eq!(strip_base("/support", "/support/"), "/");
        // Not under the base (or only sharing its first letters): the path as it is.
        assert_eq!(strip_base("/support", "/supporters/x"), "/supporters/x");
    }

    #[test]
    fn joins_and_splits_targets() {
        assert_eq!(join("/tickets", ""), "/tickets");
        assert_eq!(
            join("/tickets", "status=all&page=2"),
            "/tickets?status=all&page=2"
        );
        assert_eq!(join("/sign-in", "?next=%2F"), "/sign-in?next=%2F");
        assert_eq!(path_of("/tickets?status=all"), "/tickets");
        assert_eq!(path_of("/tickets/7#x"), "/tickets/7");
    }

    #[test]
    fn links_know_the_page_they_lead_to() {
        assert!(same_page("/tickets", "/"));
        assert!(same_page("/tickets", "/tickets/"));
        assert!(same_page("/tickets?status=closed", "/tickets"));
        assert!(same_page("/tickets/101", "/tickets/101"));
        assert!(!same_page("/tickets", "/tickets/101"));
        assert!(!same_page("/tickets/new", "/tickets"));
    }
}
