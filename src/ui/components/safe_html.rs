use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::backend::Backend;
use crate::html::safe_dom;
use crate::html::sanitize::{self, DEFERRED_SRC, REMOTE_SRC};
use crate::i18n::tr;
use crate::state::{effect, use_ctx};
use crate::ui::format;

thread_local! {
    static NEXT_VIEW: Cell<u64> = const { Cell::new(0) };
    /// Blob URLs of the inline images each mounted message holds. Revoked when the message
    /// leaves the page (navigation, sign-out), so the image data does not outlive it.
    static BLOB_URLS: RefCell<HashMap<u64, Vec<String>>> = RefCell::new(HashMap::new());
}

/// Remembers `url` for the message `view`; `false` (and the URL revoked) when the message is gone.
fn keep_blob_url(view: u64, url: &str) -> bool {
    let kept = BLOB_URLS.with(|m| {
        m.borrow_mut()
            .get_mut(&view)
            .map(|urls| urls.push(url.to_string()))
            .is_some()
    });
    if !kept {
        let _ = web_sys::Url::revoke_object_url(url);
    }
    kept
}

fn revoke_blob_urls(view: u64) {
    let urls = BLOB_URLS.with(|m| m.borrow_mut().remove(&view).unwrap_or_default());
    for url in urls {
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// The sanitized message's images carrying `attr`. They are the portal's own copies (no `name`,
/// no `id`, never a form), read through `safe_dom` all the same, like everything made from
/// help-desk HTML.
fn images(root: &web_sys::Element, attr: &str) -> Vec<web_sys::Element> {
    let Ok(list) = root.query_selector_all(&format!("img[{attr}]")) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Image types a browser shows without running anything: the raster formats. Anything else the
/// help desk's image route answers (SVG, which can carry script, or Zammad's
/// `application/octet-stream` for risky types) is offered as a file instead.
fn shown_as_image(mime: &str) -> bool {
    let mime = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        mime.as_str(),
        "image/png"
            | "image/jpeg"
            | "image/jpg"
            | "image/gif"
            | "image/webp"
            | "image/bmp"
            | "image/avif"
            | "image/x-icon"
            | "image/vnd.microsoft.icon"
    )
}

/// A blob URL for `bytes` of type `mime`, kept for message `view` (revoked when it leaves).
fn blob_url(view: u64, bytes: &[u8], mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    keep_blob_url(view, &url).then_some(url)
}

/// Lists an image that is not shown as a download link under the message (`files`: the list
/// below the message, shown once it has an entry). Built with the DOM, as the message is.
fn offer_as_file(files: &web_sys::Element, name: &str, url: &str) -> Option<()> {
    let doc = files.owner_document()?;
    let list = files.query_selector("ul").ok()??;
    let item = doc.create_element("li").ok()?;
    let link = doc.create_element("a").ok()?;
    link.set_class_name("file");
    link.set_attribute("href", url).ok()?;
    link.set_attribute("download", &format::safe_filename(name))
        .ok()?;
    let hidden = doc.create_element("span").ok()?;
    hidden.set_class_name("visually-hidden");
    hidden.set_text_content(Some(&format!("{} ", crate::i18n::t().download)));
    let shown = doc.create_element("span").ok()?;
    shown.set_class_name("file-name");
    shown.set_text_content(Some(name));
    link.append_child(&hidden).ok()?;
    link.append_child(&shown).ok()?;
    item.append_child(&link).ok()?;
    list.append_child(&item).ok()?;
    files.remove_attribute("hidden").ok()
}

/// Loads the help desk's own inline images with the customer's credentials; those that are not
/// plain raster images leave the message and are listed in `files` as downloads.
fn load_deferred_images(root: &web_sys::Element, view: u64, files: web_sys::Element) {
    let ctx = use_ctx();
    for img in images(root, DEFERRED_SRC) {
        let Some(path) = safe_dom::attribute(&img, DEFERRED_SRC) else {
            continue;
        };
        let backend = ctx.backend();
        let files = files.clone();
        spawn_local(async move {
            let Ok(file) = backend.inline_image(&path).await else {
                return;
            };
            if shown_as_image(&file.mime_type) {
                if let Some(url) = blob_url(view, &file.bytes, &file.mime_type) {
                    let _ = img.set_attribute("src", &url);
                }
                return;
            }
            img.remove();
            let alt = img.get_attribute("alt").unwrap_or_default();
            let name = match alt.trim() {
                "" => crate::i18n::t().image_file,
                alt => alt,
            };
            if let Some(url) = blob_url(view, &file.bytes, "application/octet-stream") {
                offer_as_file(&files, name, &url);
            }
        });
    }
}

/// The only place help-desk HTML enters the page: parsed inertly, rebuilt from a whitelist.
/// Remote images wait until the customer presses "Show images" under a short note.
#[component]
pub fn SafeHtml(html: String) -> impl IntoView {
    let ctx = use_ctx();
    let own_images = ctx.backend().own_image_prefix().unwrap_or_default();
    let view_id = NEXT_VIEW.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    BLOB_URLS.with(|m| m.borrow_mut().insert(view_id, Vec::new()));
    on_cleanup(move || revoke_blob_urls(view_id));
    let node = NodeRef::<Div>::new();
    let remote = RwSignal::new(0usize);
    let shown = RwSignal::new(false);
    let files_ref = NodeRef::<Div>::new();
    let reveal = |el: &web_sys::Element| {
        for img in images(el, REMOTE_SRC) {
            if let Some(url) = safe_dom::attribute(&img, REMOTE_SRC) {
                let _ = img.remove_attribute(REMOTE_SRC);
                let _ = img.set_attribute("src", &url);
            }
        }
    };
    // Runs again when the language changes while the texts it put in (a blocked image's
    // description, "could not be displayed") are shown; images already revealed stay so.
    effect(move || {
        let Some(el) = node.get() else { return };
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(files) = files_ref.get() else { return };
        el.set_text_content(None);
        // Built anew with the message.
        files.set_attribute("hidden", "").ok();
        if let Ok(Some(list)) = files.query_selector("ul") {
            list.set_text_content(None);
        }
        match sanitize::sanitize(&html, &doc, &own_images) {
            Some(fragment) => {
                let _ = el.append_child(&fragment);
                load_deferred_images(&el, view_id, files.into());
                remote.set(images(&el, REMOTE_SRC).len());
                if shown.get_untracked() {
                    reveal(&el);
                }
            }
            None => el.set_text_content(Some(crate::i18n::t().message_not_displayed)),
        }
    });
    let show_images = move |_| {
        let Some(el) = node.get_untracked() else {
            return;
        };
        reveal(&el);
        shown.set(true);
    };
    view! {
        {move || {
            (remote.get() > 0 && !shown.get())
                .then(|| {
                    view! {
                        <p class="remote-images">
                            <span>{tr(|t| t.remote_images_blocked)}</span>
                            " "
                            <button type="button" class="secondary" on:click=show_images>
                                {tr(|t| t.show_images)}
                            </button>
                        </p>
                    }
                })
        }}
        <div class="body body-html" node_ref=node></div>
        <div class="attachments images-as-files" node_ref=files_ref hidden>
            <p>{tr(|t| t.images_as_files)}</p>
            <ul></ul>
        </div>
    }
}
