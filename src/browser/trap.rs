//! What the customer sees if the wasm ever traps (a `WebAssembly.RuntimeError`, e.g. after a
//! panic, which aborts): the app is dead then, so a plain script, `public/trap.js` (loaded by
//! index.html and by embed.js before the wasm), shows a short message with a reload button in the
//! portal's place. Its texts live in the catalogues like every other text; at start-up they are
//! handed to the script as `globalThis.__helpPortalStopped = { en: {heading, message, reload}, … }`
//! (frozen), and the script picks the language of the portal's `lang` when it has to. A language
//! fetched later (src/i18n) is handed over again with the others once it is there.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

const GLOBAL: &str = "__helpPortalStopped";

pub fn hand_over_texts() {
    let all = Object::new();
    for t in crate::i18n::loaded() {
        let texts = Object::new();
        for (key, text) in [
            ("heading", t.stopped_heading),
            ("message", t.stopped_message),
            ("reload", t.reload_page),
        ] {
            let _ = Reflect::set(&texts, &JsValue::from_str(key), &JsValue::from_str(text));
        }
        Object::freeze(&texts);
        let _ = Reflect::set(&all, &JsValue::from_str(t.code), &texts);
    }
    Object::freeze(&all);
    let _ = Reflect::set(&js_sys::global(), &JsValue::from_str(GLOBAL), &all);
}
