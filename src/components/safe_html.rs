use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::backend::Backend;
use crate::sanitize::{self, DEFERRED_SRC};
use crate::state::use_ctx;

/// Loads the help desk's own inline images with the customer's credentials.
fn load_deferred_images(root: &web_sys::Element) {
    let ctx = use_ctx();
    let Ok(images) = root.query_selector_all(&format!("img[{DEFERRED_SRC}]")) else {
        return;
    };
    for i in 0..images.length() {
        let Some(img) = images
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Some(path) = img.get_attribute(DEFERRED_SRC) else {
            continue;
        };
        let backend = ctx.backend();
        spawn_local(async move {
            let Ok(file) = backend.inline_image(&path).await else {
                return;
            };
            if !file.mime_type.starts_with("image/") || file.mime_type.contains("svg") {
                return;
            }
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(file.bytes.as_slice()));
            let opts = web_sys::BlobPropertyBag::new();
            opts.set_type(&file.mime_type);
            if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) {
                if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
                    let _ = img.set_attribute("src", &url);
                }
            }
        });
    }
}

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
                load_deferred_images(&el);
            }
            // Read inside the effect: a language switch words it again.
            None => el.set_text_content(Some(crate::i18n::t().message_not_displayed)),
        }
    });
    view! { <div class="body body-html" node_ref=node></div> }
}
