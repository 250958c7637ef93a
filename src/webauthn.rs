//! Security keys as a second factor: the browser's WebAuthn `navigator.credentials.get`.
//!
//! The help desk hands the request options as JSON (WebAuthn's JSON form: binary fields in
//! base64url) and wants the answer as JSON (the form of `PublicKeyCredential.toJSON()`). Both
//! conversions are done here by hand, through `Reflect`, so they work in browsers that lack
//! `parseRequestOptionsFromJSON` / `toJSON` and need no extra web-sys bindings. Nothing here
//! panics: a missing API, a cancelled prompt or an odd answer is an `Err(())`.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::json::{json, Map, Value};

/// base64url without padding (RFC 4648 §5), as WebAuthn's JSON forms use it.
pub fn b64url_encode(bytes: &[u8]) -> String {
    crate::base64::encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.contains(['+', '/']) {
        return None;
    }
    let mut standard = text
        .trim_end_matches('=')
        .replace('-', "+")
        .replace('_', "/");
    while standard.len() % 4 != 0 {
        standard.push('=');
    }
    crate::base64::decode(&standard)
}

fn set(target: &Object, key: &str, value: &JsValue) -> Option<()> {
    Reflect::set(target, &JsValue::from_str(key), value)
        .ok()
        .filter(|done| *done)
        .map(|_| ())
}

fn bytes(text: &str) -> Option<JsValue> {
    Some(Uint8Array::from(b64url_decode(text)?.as_slice()).into())
}

/// `PublicKeyCredentialRequestOptions` from their JSON form (challenge and credential ids as
/// bytes); `None` when the challenge is missing or not base64url.
fn request_options(options: &Value) -> Option<Object> {
    let map = options.as_object()?;
    let public_key = Object::new();
    set(
        &public_key,
        "challenge",
        &bytes(map.get("challenge")?.as_str()?)?,
    )?;
    if let Some(ms) = map.get("timeout").and_then(Value::as_f64) {
        set(&public_key, "timeout", &JsValue::from_f64(ms))?;
    }
    for key in ["rpId", "userVerification"] {
        if let Some(text) = map.get(key).and_then(Value::as_str) {
            set(&public_key, key, &JsValue::from_str(text))?;
        }
    }
    if let Some(list) = map.get("allowCredentials").and_then(Value::as_array) {
        let allow = Array::new();
        for item in list {
            let item = item.as_object()?;
            let descriptor = Object::new();
            let kind = item
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("public-key");
            set(&descriptor, "type", &JsValue::from_str(kind))?;
            set(&descriptor, "id", &bytes(item.get("id")?.as_str()?)?)?;
            if let Some(transports) = item.get("transports").and_then(Value::as_array) {
                let list = Array::new();
                for t in transports.iter().filter_map(Value::as_str) {
                    list.push(&JsValue::from_str(t));
                }
                set(&descriptor, "transports", &list)?;
            }
            allow.push(&descriptor);
        }
        set(&public_key, "allowCredentials", &allow)?;
    }
    Some(public_key)
}

fn field(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// An `ArrayBuffer` (or a byte array) as base64url; `None` for anything else.
fn buffer(value: &JsValue) -> Option<String> {
    (value.is_instance_of::<js_sys::ArrayBuffer>() || value.is_instance_of::<Uint8Array>())
        .then(|| b64url_encode(&Uint8Array::new(value).to_vec()))
}

/// The assertion in the JSON form of `PublicKeyCredential.toJSON()`.
fn to_json(credential: &JsValue) -> Option<Value> {
    let response = field(credential, "response");
    let user_handle = field(&response, "userHandle");
    Some(json!({
        "id": field(credential, "id").as_string()?,
        "rawId": buffer(&field(credential, "rawId"))?,
        "type": field(credential, "type").as_string()?,
        "authenticatorAttachment": field(credential, "authenticatorAttachment").as_string(),
        "response": {
            "clientDataJSON": buffer(&field(&response, "clientDataJSON"))?,
            "authenticatorData": buffer(&field(&response, "authenticatorData"))?,
            "signature": buffer(&field(&response, "signature"))?,
            "userHandle": buffer(&user_handle),
        },
        "clientExtensionResults": Value::Object(Map::new()),
    }))
}

/// Asks the browser for an assertion of one of the allowed security keys.
pub async fn get(options: &Value) -> Result<Value, ()> {
    let public_key = request_options(options).ok_or(())?;
    let navigator = web_sys::window().ok_or(())?.navigator();
    let credentials = field(&navigator, "credentials");
    let get: Function = field(&credentials, "get").dyn_into().map_err(|_| ())?;
    let arg = Object::new();
    set(&arg, "publicKey", &public_key).ok_or(())?;
    let promise: Promise = get
        .call1(&credentials, &arg)
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let credential = JsFuture::from(promise).await.map_err(|_| ())?;
    to_json(&credential).ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_without_padding() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", &[0xfb, 0xff, 0xfe]] {
            let text = b64url_encode(bytes);
            assert!(!text.contains(['=', '+', '/']), "{text}");
            assert_eq!(b64url_decode(&text).as_deref(), Some(bytes));
        }
        assert_eq!(b64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(
            b64url_decode("a+b/"),
            None,
            "standard base64 is not base64url"
        );
        assert_eq!(b64url_decode("a*"), None);
    }
}
