//! Routing with leptos_router: its `<Router>` and `<FlatRoutes>` (routes in `app.rs`) match the
//! in-app path and give the pages their params, query and location; this module adds what the
//! portal needs around them:
//! - **any sub-path**: in history mode the router's base is the path of `<base href>` (rewritten by
//!   the server or proxy), so one build runs under any path;
//! - **hash addresses** (`routing: "hash"`, the default when embedded): the address keeps the
//!   in-app location after `#` (`/support/#/tickets/42`) for hosts without an SPA fallback and for
//!   a company page the portal is embedded in; `bridge.rs` says how leptos_router, which knows
//!   only path addresses, routes them;
//! - **embedding**: leptos_router's window-wide link interception is left out (`bridge.rs`), so the
//!   host page's own links stay its own; [`Link`] navigates its own clicks;
//! - navigation ([`Routing::navigate`]) that keeps every target inside the portal and scrolls only
//!   the portal (`crate::browser::dom::scroll_to_top`), never the host page.

mod address;
mod bridge;
mod link;

use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::{use_location, use_url};
use leptos_router::location::{BrowserUrl, LocationProvider, Url};

pub use address::Mode;
pub use link::Link;

/// How [`Routing::navigate`] goes to a target.
#[derive(Clone, Copy, Debug)]
pub struct NavigateOptions {
    /// Replace the current history entry instead of adding one (redirects).
    pub replace: bool,
    /// Scroll to the top when the path changes (not for filter or paging changes).
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        NavigateOptions {
            replace: false,
            scroll: true,
        }
    }
}

/// The router's state as the portal sees it, provided by [`PortalRouter`].
#[derive(Clone, Copy)]
pub struct Routing {
    mode: Mode,
    /// History mode: the path the portal is served under, without the trailing slash.
    base: StoredValue<String>,
    /// The in-app path shown (`/tickets/101`, without base or `#`).
    pub path: Memo<String>,
    search: Memo<String>,
    /// leptos_router's URL, which navigation sets.
    url: StoredValue<Option<ArcRwSignal<Url>>>,
}

impl Routing {
    /// The address of an in-app target such as `/tickets/101?x=1`, for a link's `href`.
    pub fn href(&self, target: &str) -> String {
        let target = address::target(target);
        match self.mode {
            Mode::History => self.base.with_value(|base| format!("{base}{target}")),
            Mode::Hash => bridge::hash_href(&target),
        }
    }

    /// The current in-app target (`/tickets?status=closed`), e.g. to come back to after sign-in.
    pub fn target(&self) -> String {
        address::join(&self.path.get_untracked(), &self.search.get_untracked())
    }

    /// Goes to an in-app target (`/tickets/101`, `/sign-in?next=…`) without reloading: a
    /// history entry with its address, and leptos_router's URL set to it (the address itself in
    /// history mode, the part after `#` in hash mode). A target is always inside the portal
    /// (see `address::target`).
    pub fn navigate(&self, target: &str, options: NavigateOptions) {
        let Some(url) = self.url.get_value() else {
            return;
        };
        let target = address::target(target);
        let moved = address::path_of(&target) != self.path.get_untracked();
        // The same address again replaces its entry, as a link to the page shown does.
        let replace = options.replace || target == self.target();
        let address = self.href(&target);
        bridge::write(&address, replace);
        bridge::show(
            &url,
            match self.mode {
                Mode::History => &address,
                Mode::Hash => &target,
            },
        );
        if moved && options.scroll {
            crate::browser::dom::scroll_to_top();
        }
    }
}

/// leptos_router's `<Router>` for the routing mode, with the bridge to the address
/// (`bridge.rs`); the routes are among its children.
#[component]
pub fn PortalRouter(mode: Mode, children: Children) -> impl IntoView {
    let base = match mode {
        Mode::History => bridge::base_path(),
        Mode::Hash => String::new(),
    };
    bridge::withhold();
    view! {
        // An empty base is no base.
        <Router base=base.clone()>
            // First among the children: `window.addEventListener` is back before anything else
            // of the portal is built.
            <Bridge mode=mode base=base />
            {children()}
        </Router>
    }
}

/// Takes leptos_router's window listeners as `bridge.rs` describes and provides [`Routing`].
#[component]
fn Bridge(mode: Mode, base: String) -> impl IntoView {
    let kept = bridge::release();
    if kept.is_empty() {
        leptos::logging::warn!(
            "help portal: leptos_router added no window listeners where expected; links of the \
             page around the portal may be routed"
        );
    }
    for (kind, listener, options) in &kept {
        // Its link interception never; its popstate in history mode only.
        if kind != "click" && (kind != "popstate" || mode == Mode::History) {
            bridge::add_for_real(kind, listener, options);
        }
    }
    let url = use_context::<BrowserUrl>().map(|b| b.as_url().clone());
    if mode == Mode::Hash {
        if let Some(url) = url.clone() {
            bridge::follow_hash(url);
        }
    }
    let location = use_location();
    let pathname = location.pathname;
    let path = {
        let base = base.clone();
        Memo::new(move |_| pathname.with(|p| address::strip_base(&base, p).to_string()))
    };
    provide_context(Routing {
        mode,
        base: StoredValue::new(base),
        path,
        search: location.search,
        url: StoredValue::new(url),
    });
}

pub fn use_routing() -> Routing {
    // Provided by `PortalRouter` around every page: missing it is a programming error.
    expect_context::<Routing>()
}

/// A function going to an in-app target, for event handlers and effects.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let routing = use_routing();
    move |target, options| routing.navigate(target, options)
}

/// The query string of the page's own URL (list filters, paging, `next`, a new ticket's
/// `subject`); it does not change while the page is being left.
pub fn use_query_map() -> Memo<Query> {
    let url = use_url();
    Memo::new(move |_| url.with(|u| Query(u.search().to_string())))
}

/// A query string, read the way the browser's `URLSearchParams` reads it. (leptos_router 0.8's
/// own query map decodes every value a second time, so `%2541` would read as `A`; fixed upstream
/// for 0.9, leptos-rs/leptos#4731.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(String);

impl Query {
    /// The query string of an address (`status=closed&page=2`, with or without its `?`).
    pub fn from_search(search: &str) -> Self {
        Query(search.to_string())
    }

    /// One parameter, decoded once; its first value when it appears more than once.
    pub fn get(&self, key: &str) -> Option<String> {
        web_sys::UrlSearchParams::new_with_str(&self.0)
            .ok()?
            .get(key)
    }
}
