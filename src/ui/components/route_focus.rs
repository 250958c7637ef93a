use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// How often and how long to look for the new page's heading (a ticket's title comes with its
/// data): every 50 ms for up to 10 s.
const STEP_MS: u64 = 50;
const ATTEMPTS: u32 = 200;

/// The route change being followed; an older one's search stops.
static GENERATION: AtomicU32 = AtomicU32::new(0);

/// Follows route changes for assistive technology:
/// - keyboard focus moves to the new page's `<h1>` (to `<main>` until it is there: a ticket's title
///   comes with its data), so a screen reader announces the page and Tab goes on from its top
///   instead of from a link that no longer exists. Query-only changes (filters, paging) keep focus
///   where it is, and so does the first page of a visit with the redirects before the customer did
///   anything: there the skip link stays the first Tab stop;
/// - the document title names the page ("My tickets – Help Center"), so each view is told apart in
///   tabs, history and the screen reader's window title (not when embedded: the host page's title
///   stays).
///
/// A language switch names the page again (the heading and, unless configured, the brand change).
#[component]
pub fn RouteFocus() -> impl IntoView {
    let path = crate::ui::routing::use_routing().path;
    let configured = crate::state::use_ctx()
        .config
        .with_value(|c| c.brand.name.clone());
    let interacted = StoredValue::new(false);
    let keys = window_event_listener(leptos::ev::keydown, move |_| interacted.set_value(true));
    let pointer =
        window_event_listener(leptos::ev::pointerdown, move |_| interacted.set_value(true));
    on_cleanup(move || {
        keys.remove();
        pointer.remove();
    });
    Effect::new(move |previous: Option<(String, &'static str)>| {
        let path = path.get();
        let brand = crate::app::brand_name(&configured);
        let language = crate::i18n::t().code;
        let moved = previous.as_ref().map(|(p, _)| p) != Some(&path);
        if moved || previous.as_ref().map(|(_, l)| *l) != Some(language) {
            let focus = moved && previous.is_some() && interacted.get_value();
            let generation = GENERATION.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
            follow_heading(generation, 0, focus, brand);
        }
        (path, language)
    });
}

fn follow_heading(generation: u32, attempt: u32, mut focus: bool, brand: String) {
    set_timeout(
        move || {
            if GENERATION.load(Ordering::Relaxed) != generation {
                return;
            }
            let Some(main) = crate::browser::dom::by_id("main")
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                return;
            };
            let main_element: &web_sys::Element = main.as_ref();
            let waiting = crate::browser::dom::active_element().is_some_and(|a| a == *main_element);
            // The customer (or the page, or the password dialog) moved focus meanwhile: leave it.
            if attempt > 0 && !waiting {
                focus = false;
            }
            if crate::browser::dom::query("dialog[open]").is_some() {
                focus = false;
            }
            let heading = main
                .query_selector("h1")
                .ok()
                .flatten()
                .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
            match heading {
                Some(h1) => {
                    let name = h1.text_content().unwrap_or_default();
                    let name = name.trim();
                    crate::browser::dom::set_title(&if name.is_empty() || brand.is_empty() {
                        brand.clone()
                    } else {
                        format!("{name} \u{2013} {brand}")
                    });
                    if focus {
                        if !h1.has_attribute("tabindex") {
                            let _ = h1.set_attribute("tabindex", "-1");
                        }
                        let _ = h1.focus();
                    }
                }
                None => {
                    if focus && !waiting {
                        let _ = main.focus();
                    }
                    if attempt < ATTEMPTS {
                        follow_heading(generation, attempt + 1, focus, brand);
                    }
                }
            }
        },
        std::time::Duration::from_millis(if attempt == 0 { 0 } else { STEP_MS }),
    );
}
