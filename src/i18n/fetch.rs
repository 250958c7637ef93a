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
use wasm_bindgen::{JsCast, JsValue};

use super::read::{read, Raw};
use super::{english, Language, Texts};
use crate::browser::http::{send, HttpRequest};
use crate::domain::error::ErrorKind;

/// A catalogue is about 5 KB brotli; a request that takes longer than this has failed for the
/// customer (who, at start, sees nothing until it is there).
const TIMEOUT_MS: u32 = 10_000;

/// `language`'s texts from its catalogue file. `Err` says why not, for the console.
pub async fn fetch(language: &'static Language) -> Result<&'static Texts, String> {
    let name = language
        .file_name()
        .ok_or("no catalogue file: the language is compiled in")?;
    let url = crate::browser::embed::asset_url(&name);
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
    let values = values(&response.text()).ok_or_else(|| format!("{url}: not a catalogue"))?;
    let (texts, english_left) = read(language.code, language.name, values.into_iter(), english())
        .map_err(|why| format!("{url}: {why}"))?;
    if english_left > 0 {
        leptos::logging::warn!(
            "help portal: {url}: {english_left} message(s) in a shape the portal cannot use stay \
             English"
        );
    }
    Ok(Box::leak(Box::new(texts)))
}

/// The file's values in order, from the browser's `JSON.parse`.
fn values(json: &str) -> Option<Vec<Raw>> {
    let object = plain_object(js_sys::JSON::parse(json).ok()?)?;
    Some(Object::values(&object).iter().map(raw).collect())
}

fn raw(value: JsValue) -> Raw {
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
fn plain_object(value: JsValue) -> Option<Object> {
    if Array::is_array(&value) {
        return None;
    }
    value.dyn_into::<Object>().ok()
}
