use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::Upload;
use crate::i18n::{t, tr, Texts};
use crate::state::effect;
use crate::{state::drafts, ui::format};

/// A file that could not be added, worded when shown (so it follows a language switch).
#[derive(Clone)]
enum Problem {
    TooBig { name: String, size: u64, max: u64 },
    Unreadable(String),
}

impl Problem {
    fn text(&self, t: &Texts) -> String {
        match self {
            Problem::TooBig { name, size, max } => t.file_too_big(
                name,
                &format::file_size(*size, t),
                &format::file_size(*max, t),
            ),
            Problem::Unreadable(name) => t.file_unreadable(name),
        }
    }
}

async fn read_file(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// What to tell the customer about files a draft cannot keep across a reload.
fn not_kept_note(names: &[String], t: &Texts) -> Option<String> {
    let limit = format::file_size(drafts::KEEP_FILES_BYTES, t);
    match names {
        [] => None,
        [one] => Some(t.not_kept_one(one, &limit)),
        many => Some(t.not_kept_many(many.len(), &t.quote_list(many), &limit)),
    }
}

/// File chooser plus drop zone. Files are read into memory and checked against the size limit
/// before anything is uploaded; each chosen file can be removed again. With `keep_as` (a draft
/// name) the chosen files are kept with that draft across reloads, as far as they fit.
#[component]
pub fn FilePicker(
    files: RwSignal<Vec<Upload>>,
    max_bytes: u64,
    /// Unique id of the file input on the page.
    input_id: &'static str,
    #[prop(optional, into)] keep_as: Option<String>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<Problem>);
    let dragging = RwSignal::new(false);
    let reading = RwSignal::new(0u32);
    // Names of the chosen files that do not fit the kept draft.
    let not_kept = RwSignal::new(Vec::<String>::new());

    if let Some(name) = keep_as {
        if files.with_untracked(Vec::is_empty) {
            let restored = drafts::load_files(&name);
            if !restored.is_empty() {
                files.set(restored);
            }
        }
        effect(move || {
            let skipped = files.with(|f| drafts::save_files(&name, f));
            not_kept.set(skipped);
        });
    }

    let add = move |list: web_sys::FileList| {
        problem.set(None);
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        for file in chosen {
            let name = file.name();
            let size = file.size() as u64;
            if size > max_bytes {
                problem.set(Some(Problem::TooBig {
                    name,
                    size,
                    max: max_bytes,
                }));
                continue;
            }
            reading.update(|n| *n += 1);
            spawn_local(async move {
                match read_file(&file).await {
                    Some(bytes) => files.update(|f| {
                        f.push(Upload {
                            filename: name,
                            mime_type: file.type_(),
                            bytes,
                        })
                    }),
                    None => problem.set(Some(Problem::Unreadable(name))),
                }
                reading.update(|n| *n = n.saturating_sub(1));
            });
        }
    };

    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(list) = input.files() {
            add(list);
        }
        // Allow choosing the same file again after removing it.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|dt| dt.files()) {
            add(list);
        }
    };

    view! {
        <div
            class="drop-zone"
            class:dragging=dragging
            role="group"
            aria-label=tr(|t| t.drop_zone)
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for=input_id class="file-label">{tr(|t| t.attach_files)}</label>
            <input id=input_id type="file" multiple on:change=on_change />
            <span class="hint">{move || {
                let t = t();
                t.drop_hint(&format::file_size(max_bytes, t))
            }}</span>
            {move || (reading.get() > 0).then(|| view! { <p role="status">{tr(|t| t.reading_files)}</p> })}
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p.text(t())}</p> })}
            {move || not_kept.with(|n| not_kept_note(n, t())).map(|n| view! { <p class="hint" role="status">{n}</p> })}
            <ul class="chosen-files" aria-label=tr(|t| t.files_to_send)>
                {move || {
                    files
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, f)| {
                            let name = f.filename.clone();
                            view! {
                                <li>
                                    <span class="file-name">{f.filename.clone()}</span>
                                    " "
                                    <span class="file-size">{format::file_size(f.bytes.len() as u64, t())}</span>
                                    <button
                                        type="button"
                                        class="link"
                                        aria-label=t().remove_file(&name)
                                        on:click=move |_| files.update(|v| {
                                            if i < v.len() {
                                                v.remove(i);
                                            }
                                        })
                                    >
                                        {t().remove}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::not_kept_note;
    use crate::i18n::{english, texts_of};

    #[test]
    fn names_the_files_not_kept() {
        let t = english();
        assert_eq!(not_kept_note(&[], t), None);
        let one = not_kept_note(&["a.bin".into()], t).unwrap();
        assert!(
            one.starts_with("\u{201c}a.bin\u{201d} is not kept") && one.contains("2.0 MB"),
            "{one}"
        );
        let two = not_kept_note(&["a".into(), "b".into()], t).unwrap();
        assert!(
            two.starts_with("2 files (\u{201c}a\u{201d}, \u{201c}b\u{201d})"),
            "{two}"
        );
        let zwei = not_kept_note(&["a".into(), "b".into()], texts_of("de")).unwrap();
        assert!(
            zwei.starts_with("2 Dateien") && zwei.contains("2,0 MB"),
            "{zwei}"
        );
    }
}
