use leptos::html::Div;
use leptos::prelude::*;

use crate::sanitize;
use crate::state::use_ctx;

/// The only place help-desk HTML enters the page: parsed inertly, rebuilt from a whitelist.
#[component]
pub fn SafeHtml(html: String) -> impl IntoView {
    let ctx = use_ctx();
    let own_images = format!(
        "{}/ticket_attachment/",
        ctx.config.with_value(|c| c.api_base.clone())
    );
    let node = NodeRef::<Div>::new();
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        el.set_text_content(None);
        match sanitize::sanitize(&html, &doc, &own_images) {
            Some(fragment) => {
                let _ = el.append_child(&fragment);
            }
            None => el.set_text_content(Some("This message could not be displayed.")),
        }
    });
    view! { <div class="body body-html" node_ref=node></div> }
}
