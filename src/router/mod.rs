//! A small client-side router: the in-app location as signals, navigation through the History
//! API, links that navigate without a reload, and the portal's routes. It keeps the location in
//! the path (`history`, the default) or after `#` (`hash`: for hosts that cannot answer every
//! path with index.html, and for the embedded portal, whose host page keeps its own path); see
//! `url.rs`.

mod link;
mod query;
mod route;
mod url;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

pub use link::Link;
pub use query::ParamsMap;
pub use route::Route;
pub use url::Mode;
use url::{AppLocation, BrowserLocation};

/// The router's state, provided by [`Router`].
#[derive(Clone, Copy)]
pub struct RouterCtx {
    mode: Mode,
    /// History mode: the path the portal is served under, without the trailing slash.
    base: StoredValue<String>,
    location: RwSignal<AppLocation>,
    /// The in-app path, e.g. `/tickets/101`.
    pub path: Memo<String>,
    /// The in-app query string, decoded.
    pub query: Memo<ParamsMap>,
    pub route: Memo<Route>,
}

/// How [`RouterCtx::navigate`] goes to a target.
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

impl RouterCtx {
    fn new(mode: Mode) -> Self {
        let base = match mode {
            Mode::History => base_path(),
            Mode::Hash => String::new(),
        };
        let location = RwSignal::new(with_browser_location(|at| url::read(mode, &base, at)));
        RouterCtx {
            mode,
            base: StoredValue::new(base),
            location,
            path: Memo::new(move |_| location.with(|l| l.path.clone())),
            query: Memo::new(move |_| location.with(|l| ParamsMap::parse(&l.query))),
            route: Memo::new(move |_| location.with(|l| Route::parse(&l.path))),
        }
    }

    /// The address of an in-app target such as `/tickets/101?x=1`, for a link's `href`.
    pub fn href(&self, target: &str) -> String {
        self.base
            .with_value(|base| with_browser_location(|at| url::href(self.mode, base, at, target)))
    }

    /// The current in-app target (`/tickets?status=closed`), e.g. to come back to after sign-in.
    pub fn target(&self) -> String {
        self.location.with_untracked(AppLocation::target)
    }

    /// Goes to an in-app target (`/tickets/101`, `/sign-in?next=…`) without reloading.
    pub fn navigate(&self, target: &str, options: NavigateOptions) {
        let next = AppLocation::parse(target);
        let address = self.href(&next.target());
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = if options.replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&address))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(&address))
            };
        }
        let moved = self.location.with_untracked(|l| l.path != next.path);
        self.set(next);
        if moved && options.scroll {
            crate::dom::scroll_to_top();
        }
    }

    /// Follows the browser's address (Back, Forward, an edited `#…`).
    fn sync(&self) {
        let now = self
            .base
            .with_value(|base| with_browser_location(|at| url::read(self.mode, base, at)));
        self.set(now);
    }

    fn set(&self, next: AppLocation) {
        if self.location.with_untracked(|l| *l != next) {
            self.location.set(next);
        }
    }
}

/// Provides the router to its children and follows Back and Forward.
#[component]
pub fn Router(mode: Mode, children: Children) -> impl IntoView {
    let router = RouterCtx::new(mode);
    provide_context(router);
    let listeners: Vec<_> = ["popstate", "hashchange"]
        .into_iter()
        .filter(|event| *event == "popstate" || mode == Mode::Hash)
        .map(|event| window_event_listener_untyped(event, move |_| router.sync()))
        .collect();
    on_cleanup(move || listeners.into_iter().for_each(|l| l.remove()));
    children()
}

pub fn use_router() -> RouterCtx {
    // Provided by `Router` around every page: missing it is a programming error.
    expect_context::<RouterCtx>()
}

/// A function going to an in-app target, for event handlers and effects.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let router = use_router();
    move |target, options| router.navigate(target, options)
}

/// The query string's parameters (list filters, paging, `next`, a new ticket's `subject`).
pub fn use_query_map() -> Memo<ParamsMap> {
    use_router().query
}

/// The current route's parameters: `id` on `/tickets/:id`. It keeps the last id while the
/// route changes, so a page being left does not load anything for an empty id.
pub fn use_params_map() -> Memo<ParamsMap> {
    let route = use_router().route;
    Memo::new(move |previous: Option<&ParamsMap>| match route.get() {
        Route::Ticket(id) => ParamsMap::single("id", id),
        _ => previous.cloned().unwrap_or_default(),
    })
}

fn with_browser_location<T>(f: impl FnOnce(&BrowserLocation) -> T) -> T {
    let location = web_sys::window().map(|w| w.location());
    let part = |get: fn(&web_sys::Location) -> Result<String, JsValue>| {
        location
            .as_ref()
            .and_then(|l| get(l).ok())
            .unwrap_or_default()
    };
    let (pathname, search, hash) = (
        part(web_sys::Location::pathname),
        part(web_sys::Location::search),
        part(web_sys::Location::hash),
    );
    f(&BrowserLocation {
        pathname: &pathname,
        search: &search,
        hash: &hash,
    })
}

/// The path the portal is served under, from `<base href>` (rewritten by the server or proxy),
/// without the trailing slash: "" at the root, "/support" under /support/.
fn base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|u| u.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_string()
}
