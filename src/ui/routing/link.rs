use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{address, use_routing};

/// Where a [`Link`] goes: an in-app target such as `/tickets/101`, fixed or computed (a
/// follow-up's subject in the customer's language). Plain values, not signals owned by the page:
/// a link's effects may still run once while the page that made it is being left.
#[derive(Clone)]
pub enum LinkTarget {
    Fixed(String),
    Computed(Arc<dyn Fn() -> String + Send + Sync>),
}

impl LinkTarget {
    fn get(&self) -> String {
        match self {
            LinkTarget::Fixed(target) => target.clone(),
            LinkTarget::Computed(f) => f(),
        }
    }
}

impl From<&str> for LinkTarget {
    fn from(target: &str) -> Self {
        LinkTarget::Fixed(target.to_string())
    }
}

impl From<String> for LinkTarget {
    fn from(target: String) -> Self {
        LinkTarget::Fixed(target)
    }
}

impl<F: Fn() -> String + Send + Sync + 'static> From<F> for LinkTarget {
    fn from(f: F) -> Self {
        LinkTarget::Computed(Arc::new(f))
    }
}

/// A link to an in-app target: a real `<a href>` with the full address in either routing mode
/// (it can be opened in a new tab, copied, bookmarked), whose plain left click navigates in place
/// through leptos_router, as leptos_router's `<A>` does with its window-wide listener (which the
/// portal leaves out, see `bridge.rs`). `aria-current="page"` marks a link to the page shown.
#[component]
pub fn Link(
    /// The in-app target, e.g. `/tickets/new?subject=…`.
    #[prop(into)]
    href: LinkTarget,
    children: Children,
) -> impl IntoView {
    let routing = use_routing();
    // A link's page stays the same while it is shown (only a computed query may change).
    let page = address::path_of(&href.get()).to_string();
    let current = move || address::same_page(&page, &routing.path.get()).then_some("page");
    let address = {
        let href = href.clone();
        move || routing.href(&href.get())
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(anchor) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let page_origin = web_sys::window().and_then(|w| w.location().origin().ok());
        if !anchor.target().is_empty()
            || anchor.has_attribute("download")
            || page_origin.as_deref() != Some(&anchor.origin())
        {
            return;
        }
        ev.prevent_default();
        routing.navigate(&href.get(), Default::default());
    };
    view! {
        <a href=address aria-current=current on:click=on_click>
            {children()}
        </a>
    }
}
