//! Text operations the browser already has, where Rust's own would link Unicode's tables into
//! the wasm (the lower-case mapping alone is about 7 KB brotli of first load).

/// `text` in lower case: JavaScript's `toLowerCase` in the browser, `str::to_lowercase` on the
/// host (tests); both apply Unicode's default case mapping.
pub fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}
