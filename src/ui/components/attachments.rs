use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::backend::Backend;
use crate::domain::error::{Msg, PortalError};
use crate::domain::Attachment;
use crate::i18n::{t, tr};
use crate::state::use_ctx;
use crate::ui::format;

/// Hands bytes to the browser as a download under a safe file name.
fn save_file(bytes: &[u8], mime: &str, filename: &str) -> Result<(), wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let doc = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(&format::safe_filename(filename));
    a.set_hidden(true);
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    // Revoke later: the download starts asynchronously.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    Ok(())
}

#[component]
pub fn AttachmentList(attachments: Vec<Attachment>) -> impl IntoView {
    let ctx = use_ctx();
    let error = RwSignal::new(None::<PortalError>);
    let items = attachments
        .into_iter()
        .map(|a| {
            let busy = RwSignal::new(false);
            let size = a.size;
            let att = a.clone();
            let download = move |_| {
                if busy.get_untracked() {
                    return;
                }
                busy.set(true);
                error.set(None);
                let att = att.clone();
                spawn_local(async move {
                    let source = att.source.clone();
                    let result = ctx
                        .run(move |b| {
                            let source = source.clone();
                            async move { b.download(&source).await }
                        })
                        .await;
                    match result {
                        Ok(file) => {
                            let mime = if file.mime_type.is_empty() { att.mime_type.clone() } else { file.mime_type };
                            if save_file(&file.bytes, &mime, &att.filename).is_err() {
                                error.set(Some(PortalError::new(
                                    crate::domain::error::ErrorKind::Unreadable,
                                    Msg::SaveRefused,
                                )));
                            }
                        }
                        Err(e) => {
                            error.set(Some(e));
                        }
                    }
                    busy.set(false);
                });
            };
            view! {
                <li>
                    // The accessible name is the visible text with "Download " before it (a name
                    // that differs from the visible text fails voice control users).
                    <button type="button" class="file" on:click=download aria-busy=move || busy.get().to_string()>
                        <span class="visually-hidden">{tr(|t| t.download)} " "</span>
                        <span class="file-name">{a.filename.clone()}</span>
                        {size.map(|s| view! { " " <span class="file-size">{move || format::file_size(s, t())}</span> })}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="attachments">
            <ul aria-label=tr(|t| t.attachments)>{items}</ul>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e.text()}</p> })}
        </div>
    }
}
