//! Fetching a language's catalogue file when the customer's language is not English.
//!
//! The build publishes `src/i18n/<code>.json` as `i18n-<code>-<hash>.json` beside the portal's
//! other files (xtask/src/build.rs), `<hash>` being the FNV-1a hash of the file that this wasm
//! was compiled with: a new catalogue is a new name, so the file may be cached for good like the
//! wasm (the deploy configs and the dev server already treat `name-<hex>.ext` that way), and a
//! page never reads a catalogue of another build. The address is relative to the portal's files
//! (`<base href>`; embedded, embed.js's folder), on the portal's own origin (CSP `connect-src
//! 'self'`).

use gloo_net::http::Method;
use js_sys::{Array, Object};
use wasm_bindgen::JsCast;

use super::read::{Raw, Source};
use super::{english, texts, Language, Texts};
use crate::error::ErrorKind;
use crate::http::{send, HttpRequest};

/// A catalogue is about 5 KB brotli; a request that takes longer than this has failed for the
/// customer (who, at start, sees nothing until it is there).
const TIMEOUT_MS: u32 = 10_000;

/// `language`'s texts from its catalogue file. `Err` says why not, for the console.
pub async fn fetch(language: &'static Language) -> Result<&'static Texts, String> {
    let name = language
        .file_name()
        .ok_or("no catalogue file: the language is compiled in")?;
    let url = crate::embed::asset_url(&name);
    let response = send(HttpRequest::new(Method::GET, url.as_str()), TIMEOUT_MS)
        .await
        .map_err(|e| {
            let what = match e.kind {
                ErrorKind::Timeout => "no answer in time",
                _ => "no connection",
            };
            format!("{url}: {what}")
        })?;
    if response.status != 200 {
        return Err(format!("{url}: HTTP {}", response.status));
    }
    // A server's fallback page (index.html for an unknown path) is not JSON either.
    let mut file = source(&response.text()).ok_or_else(|| format!("{url}: not a catalogue"))?;
    let texts = texts::read(language.code, language.name, &mut file, english());
    let problems = file.problems();
    if !problems.is_empty() {
        leptos::logging::warn!(
            "help portal: {url} has {} problem(s), English is shown for those messages: {}",
            problems.len(),
            problems.join("; ")
        );
    }
    Ok(Box::leak(Box::new(texts)))
}

/// The browser's `JSON.parse`, taken apart into the file's entries.
fn source(json: &str) -> Option<Source> {
    let object = plain_object(js_sys::JSON::parse(json).ok()?)?;
    let entries = Object::entries(&object)
        .iter()
        .filter_map(|pair| {
            let pair = pair.dyn_into::<Array>().ok()?;
            Some((pair.get(0).as_string()?, raw(pair.get(1))))
        })
        .collect();
    Some(Source::new(entries))
}

fn raw(value: wasm_bindgen::JsValue) -> Raw {
    if let Some(text) = value.as_string() {
        return Raw::Text(text);
    }
    let Some(forms) = plain_object(value) else {
        return Raw::Invalid;
    };
    let forms: Option<Vec<(String, String)>> = Object::entries(&forms)
        .iter()
        .map(|pair| {
            let pair = pair.dyn_into::<Array>().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    forms.map_or(Raw::Invalid, Raw::Forms)
}

/// An object that is not an array (nor null).
fn plain_object(value: wasm_bindgen::JsValue) -> Option<Object> {
    if Array::is_array(&value) {
        return None;
    }
    value.dyn_into::<Object>().ok()
}
