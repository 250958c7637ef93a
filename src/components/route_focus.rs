use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// How often and how long to look for the new page's heading (a ticket's title comes with its
/// data): every 50 ms for up to 10 s.
const STEP_MS: u64 = 50;
const ATTEMPTS: u32 = 200;

/// Moves keyboard focus to the new page's `<h1>` after every route change, so that a screen reader
/// announces the page and Tab goes on from its top instead of from a link that no longer exists.
/// Until the heading is there (data still loading) focus waits on `<main>`. Query-only changes
/// (filters, paging) keep focus where it is, and so does the first page of a visit (and the
/// redirects before the customer did anything): there the skip link stays the first Tab stop.
#[component]
pub fn RouteFocus() -> impl IntoView {
    let location = use_location();
    let interacted = StoredValue::new(false);
    let keys = window_event_listener(leptos::ev::keydown, move |_| interacted.set_value(true));
    let pointer =
        window_event_listener(leptos::ev::pointerdown, move |_| interacted.set_value(true));
    on_cleanup(move || {
        keys.remove();
        pointer.remove();
    });
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) && interacted.get_value() {
            focus_heading(0);
        }
        path
    });
}

fn focus_heading(attempt: u32) {
    set_timeout(
        move || {
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Some(main) = doc
                .get_element_by_id("main")
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                return;
            };
            // The customer (or the page, or the password dialog) moved focus meanwhile: leave it.
            let main_element: &web_sys::Element = main.as_ref();
            let waiting = doc.active_element().is_some_and(|a| a == *main_element);
            if attempt > 0 && !waiting {
                return;
            }
            if let Ok(Some(_)) = doc.query_selector("dialog[open]") {
                return;
            }
            let heading = main
                .query_selector("h1")
                .ok()
                .flatten()
                .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
            match heading {
                Some(h1) => {
                    if !h1.has_attribute("tabindex") {
                        let _ = h1.set_attribute("tabindex", "-1");
                    }
                    let _ = h1.focus();
                }
                None => {
                    if !waiting {
                        let _ = main.focus();
                    }
                    if attempt < ATTEMPTS {
                        focus_heading(attempt + 1);
                    }
                }
            }
        },
        std::time::Duration::from_millis(if attempt == 0 { 0 } else { STEP_MS }),
    );
}
