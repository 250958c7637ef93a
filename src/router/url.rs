//! Where the in-app location lives in the browser's address, for each routing mode:
//! - history: in the path, under the base the portal is served from (`/support/tickets/101`);
//!   the server must answer every such path with index.html (an SPA fallback);
//! - hash: after `#` (`/support/#/tickets/101`, or `/company/help.html#/tickets/101` when
//!   embedded); the server only ever sees the document's own path.

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

/// An in-app location: `path` starts with `/`; `query` has no leading `?`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppLocation {
    pub path: String,
    pub query: String,
}

impl AppLocation {
    /// `/tickets?status=closed` → path and query (a fragment is dropped).
    pub fn parse(target: &str) -> AppLocation {
        let target = target.split('#').next().unwrap_or_default();
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        AppLocation {
            path: if path.starts_with('/') {
                path.to_string()
            } else {
                format!("/{path}")
            },
            query: query.to_string(),
        }
    }

    /// Back to `/path?query` (no `?` without a query).
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// The browser's address parts, as `window.location` gives them.
pub struct BrowserLocation<'a> {
    pub pathname: &'a str,
    pub search: &'a str,
    pub hash: &'a str,
}

/// The in-app location of a browser address. `base` is the path the portal is served under,
/// without its trailing slash ("" at the root).
pub fn read(mode: Mode, base: &str, at: &BrowserLocation) -> AppLocation {
    match mode {
        Mode::History => {
            let path = match at.pathname.strip_prefix(base) {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
                _ => at.pathname,
            };
            AppLocation {
                path: if path.is_empty() {
                    "/".into()
                } else {
                    path.into()
                },
                query: at.search.strip_prefix('?').unwrap_or(at.search).into(),
            }
        }
        Mode::Hash => match at.hash.strip_prefix('#').unwrap_or(at.hash) {
            inner if inner.starts_with('/') => AppLocation::parse(inner),
            // No hash, or one that is no in-app path (e.g. `#main`): the start page.
            _ => AppLocation::parse("/"),
        },
    }
}

/// The address of an in-app target (`/tickets/101`): what a link's `href` says and what the
/// history entry gets. In hash mode the document's own path and query stay as they are.
pub fn href(mode: Mode, base: &str, at: &BrowserLocation, target: &str) -> String {
    match mode {
        Mode::History => format!("{base}{target}"),
        Mode::Hash => format!("{}{}#{target}", at.pathname, at.search),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(pathname: &'a str, search: &'a str, hash: &'a str) -> BrowserLocation<'a> {
        BrowserLocation {
            pathname,
            search,
            hash,
        }
    }

    fn loc(path: &str, query: &str) -> AppLocation {
        AppLocation {
            path: path.into(),
            query: query.into(),
        }
    }

    #[test]
    fn modes_from_config() {
        assert_eq!(Mode::parse("history"), Ok(Mode::History));
        assert_eq!(Mode::parse("hash"), Ok(Mode::Hash));
        let err = Mode::parse("Hash").unwrap_err();
        assert!(err.contains("\"history\" or \"hash\""), "{err}");
        assert!(Mode::parse("").is_err());
    }

    #[test]
    fn history_mode_strips_the_base() {
        let m = Mode::History;
        assert_eq!(read(m, "", &at("/", "", "")), loc("/", ""));
        assert_eq!(
            read(m, "", &at("/tickets", "?status=closed", "")),
            loc("/tickets", "status=closed")
        );
        assert_eq!(
            read(m, "/support", &at("/support/tickets/101", "", "#main")),
            loc("/tickets/101", "")
        );
        assert_eq!(read(m, "/support", &at("/support", "", "")), loc("/", ""));
        assert_eq!(read(m, "/support", &at("/support/", "", "")), loc("/", ""));
        // Not under the base (or only sharing its first letters): the path as it is.
        assert_eq!(
            read(m, "/support", &at("/supporters/x", "", "")),
            loc("/supporters/x", "")
        );
    }

    #[test]
    fn hash_mode_reads_the_fragment_only() {
        let m = Mode::Hash;
        assert_eq!(read(m, "", &at("/support/", "", "")), loc("/", ""));
        assert_eq!(
            read(m, "/support", &at("/support/", "?lang=de", "#/tickets/101")),
            loc("/tickets/101", "")
        );
        assert_eq!(
            read(
                m,
                "",
                &at("/help.html", "", "#/sign-in?next=%2Ftickets%2F7")
            ),
            loc("/sign-in", "next=%2Ftickets%2F7")
        );
        assert_eq!(read(m, "", &at("/", "", "#main")), loc("/", ""));
        assert_eq!(read(m, "", &at("/", "", "#")), loc("/", ""));
    }

    #[test]
    fn hrefs_keep_what_is_not_ours() {
        let here = at("/company/help.html", "?x=1", "#/tickets");
        assert_eq!(
            href(Mode::Hash, "", &here, "/tickets/101"),
            "/company/help.html?x=1#/tickets/101"
        );
        assert_eq!(
            href(Mode::History, "/support", &here, "/tickets/new?subject=Hi"),
            "/support/tickets/new?subject=Hi"
        );
        assert_eq!(href(Mode::History, "", &here, "/tickets"), "/tickets");
    }

    #[test]
    fn targets_round_trip() {
        for t in [
            "/tickets",
            "/tickets?status=all&page=2",
            "/sign-in?next=%2F",
        ] {
            assert_eq!(AppLocation::parse(t).target(), t);
        }
        assert_eq!(AppLocation::parse("tickets#x").target(), "/tickets");
    }
}
