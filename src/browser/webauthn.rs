//! Security keys as a second factor: the browser's WebAuthn `navigator.credentials.get`.
//!
//! The help desk hands the request options as JSON (WebAuthn's JSON form: binary fields in
//! base64url) and wants the answer as JSON (the form of `PublicKeyCredential.toJSON()`). Both
//! conversions are done here by hand, through `Reflect`, so they work in browsers that lack
//! `parseRequestOptionsFromJSON` / `toJSON` and need no extra web-sys bindings. Nothing here
//! panics: a missing API, a cancelled prompt or an odd answer is an `Err(())`.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine as _};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::de::{self, Many, Scalar};

/// base64url (RFC 4648 §5) as WebAuthn's JSON forms use it: written without padding, read with
/// or without it.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

pub fn b64url_encode(bytes: &[u8]) -> String {
    BASE64URL.encode(bytes)
}

pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    BASE64URL.decode(text).ok()
}

/// The request options as the help desk hands them (`WebAuthn::Credential.options_for_get`
/// as JSON), reduced to what `navigator.credentials.get` takes.
#[derive(Debug, Deserialize)]
pub struct RequestOptions {
    /// base64url.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub challenge: Option<String>,
    /// Milliseconds.
    #[serde(default, deserialize_with = "de::opt_u64")]
    timeout: Option<u64>,
    #[serde(rename = "rpId", default, deserialize_with = "de::opt_text")]
    rp_id: Option<String>,
    #[serde(
        rename = "userVerification",
        default,
        deserialize_with = "de::opt_text"
    )]
    user_verification: Option<String>,
    #[serde(rename = "allowCredentials", default, deserialize_with = "de::list")]
    allow_credentials: Vec<AllowedCredential>,
}

#[derive(Debug, Deserialize)]
struct AllowedCredential {
    #[serde(rename = "type", default, deserialize_with = "de::opt_text")]
    kind: Option<String>,
    /// base64url.
    #[serde(default, deserialize_with = "de::opt_text")]
    id: Option<String>,
    #[serde(default)]
    transports: Many,
}

/// The assertion in the JSON form of `PublicKeyCredential.toJSON()` (binary fields base64url).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assertion {
    id: String,
    raw_id: String,
    #[serde(rename = "type")]
    kind: String,
    authenticator_attachment: Option<String>,
    response: AssertionResponse,
    client_extension_results: NoExtensions,
}

#[derive(Debug, Serialize)]
struct AssertionResponse {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    #[serde(rename = "authenticatorData")]
    authenticator_data: String,
    signature: String,
    #[serde(rename = "userHandle")]
    user_handle: Option<String>,
}

/// `{}`.
#[derive(Debug, Serialize)]
struct NoExtensions {}

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
/// bytes); `None` when the challenge or a credential id is missing or not base64url.
fn request_options(options: &RequestOptions) -> Option<Object> {
    let public_key = Object::new();
    set(
        &public_key,
        "challenge",
        &bytes(options.challenge.as_deref()?)?,
    )?;
    if let Some(ms) = options.timeout {
        set(&public_key, "timeout", &JsValue::from_f64(ms as f64))?;
    }
    for (key, value) in [
        ("rpId", &options.rp_id),
        ("userVerification", &options.user_verification),
    ] {
        if let Some(text) = value {
            set(&public_key, key, &JsValue::from_str(text))?;
        }
    }
    if !options.allow_credentials.is_empty() {
        let allow = Array::new();
        for item in &options.allow_credentials {
            let descriptor = Object::new();
            let kind = item.kind.as_deref().unwrap_or("public-key");
            set(&descriptor, "type", &JsValue::from_str(kind))?;
            set(&descriptor, "id", &bytes(item.id.as_deref()?)?)?;
            if !item.transports.0.is_empty() {
                let list = Array::new();
                for t in item.transports.0.iter().filter_map(Scalar::as_str) {
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

/// The browser's assertion in its JSON form.
fn to_json(credential: &JsValue) -> Option<Assertion> {
    let response = field(credential, "response");
    let user_handle = field(&response, "userHandle");
    Some(Assertion {
        id: field(credential, "id").as_string()?,
        raw_id: buffer(&field(credential, "rawId"))?,
        kind: field(credential, "type").as_string()?,
        authenticator_attachment: field(credential, "authenticatorAttachment").as_string(),
        response: AssertionResponse {
            client_data_json: buffer(&field(&response, "clientDataJSON"))?,
            authenticator_data: buffer(&field(&response, "authenticatorData"))?,
            signature: buffer(&field(&response, "signature"))?,
            user_handle: buffer(&user_handle),
        },
        client_extension_results: NoExtensions {},
    })
}

/// Asks the browser for an assertion of one of the allowed security keys.
pub async fn get(options: &RequestOptions) -> Result<Assertion, ()> {
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
