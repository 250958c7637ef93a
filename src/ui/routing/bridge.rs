//! The bridge between leptos_router and the browser's address, for what leptos_router 0.8 cannot
//! be told: its `<Router>` always reads the address as a path (`BrowserUrl`; no hash mode, no
//! custom location provider), and always adds two listeners to `window`:
//! - `click`: every click on a same-origin `<a>` anywhere in the document, under the router's
//!   base, becomes an in-app navigation. Embedded in a company page, that would take over the
//!   page's own links (its `#section` anchors, its other pages under the same path);
//! - `popstate`: reads the address as a path. In hash mode that path is the document's own
//!   (`/support/`), not the in-app location after `#`.
//!
//! While `<Router>` is being set up, [`withhold`] stands in for `window.addEventListener` and
//! keeps what leptos_router registers; [`release`] puts the browser's method back before any other
//! part of the portal is built, and returns what was kept. The portal drops the `click` listener in
//! both modes (its `Link` navigates its own clicks, as leptos_router's `<A>` would through that
//! listener; nothing else is taken over) and adds `popstate` for real in history mode only.
//!
//! leptos_router's URL signal (`BrowserUrl::as_url`, the one its routes, params, query and
//! location follow) is then set in two ways:
//! - by leptos_router itself from the address, at start and on Back/Forward, in history mode;
//! - by the bridge ([`show`]), as the in-app location in path form (`/tickets/42`): at start and on
//!   `popstate`/`hashchange` from the hash in hash mode ([`follow_hash`]), and at every navigation
//!   in both modes, after the history entry has been written ([`write`]; the hash address in hash
//!   mode).
//!
//! So the address bar, bookmarks, new tabs and reloads only ever see hash addresses in hash mode
//! (leptos_router never writes one), and Back, Forward and a hash typed into the address bar move
//! the portal. Limits: leptos_router's own `use_navigate`, `<A>`, `<Form>` and `<Redirect>` would
//! bypass the bridge, so the portal uses none of them; if a later leptos_router registers its
//! listeners otherwise, [`release`] finds none and the portal says so in the console.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use leptos::prelude::*;
use leptos_router::location::{BrowserUrl, LocationProvider, Url};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::address;

/// One `addEventListener(type, listener, options)` call, kept.
type Call = (JsValue, JsValue, JsValue);

/// `window.addEventListener`, replaced while `<Router>` is set up.
struct Withheld {
    window: web_sys::Window,
    /// window's own `addEventListener` property before (normally none: the method is inherited
    /// from `EventTarget.prototype`), put back as it was.
    own: JsValue,
    kept: Rc<RefCell<Vec<Call>>>,
    _stand_in: Closure<dyn FnMut(JsValue, JsValue, JsValue)>,
}

thread_local! {
    static WITHHELD: RefCell<Option<Withheld>> = const { RefCell::new(None) };
}

const ADD: &str = "addEventListener";

/// Keeps the listeners added to `window` from now until [`release`] (synchronous: only
/// leptos_router's `<Router>` runs in between).
pub fn withhold() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let object: &Object = window.unchecked_ref();
    let own = Object::get_own_property_descriptor(object, &JsValue::from_str(ADD));
    let kept: Rc<RefCell<Vec<Call>>> = Rc::default();
    let stand_in = {
        let kept = Rc::clone(&kept);
        Closure::<dyn FnMut(JsValue, JsValue, JsValue)>::new(move |kind, listener, options| {
            kept.borrow_mut().push((kind, listener, options));
        })
    };
    if Reflect::set(object, &JsValue::from_str(ADD), stand_in.as_ref()).unwrap_or(false) {
        WITHHELD.with(|w| {
            *w.borrow_mut() = Some(Withheld {
                window,
                own,
                kept,
                _stand_in: stand_in,
            })
        });
    }
}

/// Puts `window.addEventListener` back and returns the listeners kept meanwhile, by event type.
pub fn release() -> Vec<(String, JsValue, JsValue)> {
    let Some(w) = WITHHELD.with(|w| w.borrow_mut().take()) else {
        return Vec::new();
    };
    let object: &Object = w.window.unchecked_ref();
    let key = JsValue::from_str(ADD);
    if w.own.is_undefined() {
        let _ = Reflect::delete_property(object, &key);
    } else if let Ok(descriptor) = w.own.dyn_into::<Object>() {
        let _ = Reflect::define_property(object, &key, &descriptor);
    }
    let kept = w.kept.take();
    kept.into_iter()
        .map(|(kind, listener, options)| (kind.as_string().unwrap_or_default(), listener, options))
        .collect()
}

/// Adds a listener kept by [`withhold`] to `window` after all, as it was asked for.
pub fn add_for_real(kind: &str, listener: &JsValue, options: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let add = Reflect::get(&window, &JsValue::from_str(ADD))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(add) = add {
        let _ = add.call3(&window, &JsValue::from_str(kind), listener, options);
    }
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// One part of `window.location` ("" if the browser does not say).
fn part(get: fn(&web_sys::Location) -> Result<String, JsValue>) -> String {
    location().and_then(|l| get(&l).ok()).unwrap_or_default()
}

/// The in-app target the hash of the address names, if it names one.
fn hash_target() -> Option<String> {
    address::from_hash(&part(web_sys::Location::hash))
}

/// The hash address of an in-app target, on the document as it is now.
pub fn hash_href(target: &str) -> String {
    address::hash_href(
        &part(web_sys::Location::pathname),
        &part(web_sys::Location::search),
        target,
    )
}

/// Hash mode: shows an in-app target through leptos_router, as the path-form URL its routes
/// match (same origin, whatever the target says).
pub fn show(url: &ArcRwSignal<Url>, target: &str) {
    let origin = part(web_sys::Location::origin);
    // The origin is written out, so the target cannot name another host.
    match BrowserUrl::parse_with_base(&format!("{origin}{target}"), &origin) {
        Ok(next) if *url.read_untracked() != next => url.set(next),
        Ok(_) => {}
        Err(e) => leptos::logging::warn!("help portal: no in-app address {target:?}: {e:?}"),
    }
}

/// Hash mode: leptos_router starts at the address's in-app location (the start page without
/// one), and Back, Forward and a hash typed into the address bar (`popstate`, `hashchange`) move
/// it there. A hash that is no in-app path (a host page's `#section`) leaves the portal where it
/// is: that entry is not the portal's.
pub fn follow_hash(url: ArcRwSignal<Url>) {
    show(&url, &hash_target().unwrap_or_else(|| "/".into()));
    let listeners: Vec<_> = ["popstate", "hashchange"]
        .into_iter()
        .map(|event| {
            let url = url.clone();
            window_event_listener_untyped(event, move |_| {
                if let Some(target) = hash_target() {
                    show(&url, &target);
                }
            })
        })
        .collect();
    on_cleanup(move || listeners.into_iter().for_each(|l| l.remove()));
}

/// Adds (or replaces) the current history entry with `address`; errors (a browser limiting
/// history calls) leave the address as it was, the portal goes on.
pub fn write(address: &str, replace: bool) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let state = history.state().unwrap_or(JsValue::NULL);
    let _ = if replace {
        history.replace_state_with_url(&state, "", Some(address))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(address))
    };
}

/// The path the portal is served under, from `<base href>` (rewritten by the server or proxy),
/// without the trailing slash: "" at the root, "/support" under /support/.
pub fn base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|u| u.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_string()
}
