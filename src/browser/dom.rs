//! The part of the page that belongs to the portal: the whole document when it has a page of its
//! own, or the shadow root it renders into when embedded in another page (src/browser/embed.rs). Every
//! lookup by id, the focused element, the theme, the brand colours, `lang` and the document
//! title go through here, so that they find the portal's elements, and only those, either way.

use std::cell::RefCell;

use wasm_bindgen::JsCast;

/// Where an embedded portal lives.
#[derive(Clone)]
struct Embedded {
    shadow: web_sys::ShadowRoot,
    /// The element inside the shadow root the app is mounted into; it plays `<html>`'s part.
    root: web_sys::HtmlElement,
}

thread_local! {
    static EMBEDDED: RefCell<Option<Embedded>> = const { RefCell::new(None) };
}

/// Called once, before mounting, when the portal is embedded.
pub fn set_embedded(shadow: web_sys::ShadowRoot, root: web_sys::HtmlElement) {
    EMBEDDED.with(|e| *e.borrow_mut() = Some(Embedded { shadow, root }));
}

fn embedded() -> Option<Embedded> {
    EMBEDDED.with(|e| e.borrow().clone())
}

pub fn is_embedded() -> bool {
    EMBEDDED.with(|e| e.borrow().is_some())
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The portal's element with this id.
pub fn by_id(id: &str) -> Option<web_sys::Element> {
    match embedded() {
        Some(e) => e.shadow.get_element_by_id(id),
        None => document()?.get_element_by_id(id),
    }
}

/// The portal's first element matching a CSS selector.
pub fn query(selector: &str) -> Option<web_sys::Element> {
    match embedded() {
        Some(e) => e.shadow.query_selector(selector).ok().flatten(),
        None => document()?.query_selector(selector).ok().flatten(),
    }
}

/// The portal's element that has keyboard focus (not the shadow host around it).
pub fn active_element() -> Option<web_sys::Element> {
    match embedded() {
        Some(e) => e.shadow.active_element(),
        None => document()?.active_element(),
    }
}

/// The element carrying `data-theme`, the brand's custom properties and `lang`: `<html>` on the
/// portal's own page, the mount element when embedded (the host page's `<html>` stays as it is).
pub fn root_element() -> Option<web_sys::HtmlElement> {
    match embedded() {
        Some(e) => Some(e.root),
        None => document()?.document_element()?.dyn_into().ok(),
    }
}

/// Names the browser tab, on the portal's own page only: an embedded portal leaves the host
/// page's title alone.
pub fn set_title(title: &str) {
    if !is_embedded() {
        if let Some(doc) = document() {
            doc.set_title(title);
        }
    }
}

/// Moves keyboard focus to the portal's element with this id, once it has rendered.
pub fn focus_later(id: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(el) = by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

/// After navigating to another page: the top of the page, or of the embedded portal when its
/// top has been scrolled out of view (the host page's content above it stays where it is).
pub fn scroll_to_top() {
    match embedded() {
        Some(e) => {
            if e.root.get_bounding_client_rect().top() < 0.0 {
                e.root.scroll_into_view();
            }
        }
        None => {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    }
}
