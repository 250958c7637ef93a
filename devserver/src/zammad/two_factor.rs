//! Checks a two-factor answer of `POST /signin` the way Zammad's methods do
//! (lib/auth/two_factor/authentication_method/{authenticator_app,security_keys,recovery_codes}.rb).

use super::auth::param_str;
use super::store::TwoFactor;
use super::Ctx;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Whether `method` with the request's `two_factor_payload` signs `user_id` in. A used recovery
/// code and a used WebAuthn challenge are spent, whatever the outcome of the rest.
pub fn verify(ctx: &mut Ctx, user_id: u64, two_factor: &TwoFactor, method: &str) -> bool {
    match method {
        "authenticator_app" if two_factor.methods.iter().any(|m| m == method) => {
            let payload = param_str(ctx, "two_factor_payload");
            two_factor.code.as_deref() == Some(payload.trim()) && !payload.trim().is_empty()
        }
        "recovery_codes" => {
            let payload = param_str(ctx, "two_factor_payload");
            let Some(user) = ctx.store.user_mut(user_id) else {
                return false;
            };
            let Some(codes) = user.two_factor.as_mut().map(|t| &mut t.recovery_codes) else {
                return false;
            };
            match codes.iter().position(|c| c == payload.trim()) {
                Some(i) => {
                    codes.remove(i);
                    true
                }
                None => false,
            }
        }
        "security_keys" if two_factor.methods.iter().any(|m| m == method) => {
            security_key(ctx, user_id, two_factor).is_some()
        }
        _ => false,
    }
}

fn b64url(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .ok()
}

/// The fake's WebAuthn assertion check: the registered credential id, a challenge this fake
/// issued to this user (spent here), `webauthn.get`, the origin the request came to, the
/// relying party's hash, the user-present flag, a growing signature counter and, when the key's
/// public key is known, the ES256 signature (webauthn-ruby's `verify`).
fn security_key(ctx: &mut Ctx, user_id: u64, two_factor: &TwoFactor) -> Option<()> {
    let key = two_factor.security_key.as_ref()?;
    let payload = ctx.param("two_factor_payload")?.clone();
    let challenge = payload.get("challenge")?.as_str()?.to_string();
    let issued = ctx
        .store
        .webauthn_challenges
        .iter()
        .position(|(u, c)| *u == user_id && *c == challenge)?;
    ctx.store.webauthn_challenges.remove(issued);
    let credential = payload.get("credential")?;
    let id = credential.get("id")?.as_str()?;
    if id != key.credential_id || credential.get("type")?.as_str()? != "public-key" {
        return None;
    }
    let response = credential.get("response")?;
    let client_data_bytes = b64url(response.get("clientDataJSON")?.as_str()?)?;
    let client_data: Value = serde_json::from_slice(&client_data_bytes).ok()?;
    let host = ctx.header("host")?.to_string();
    let origin = format!("http://{host}");
    if client_data.get("type")?.as_str()? != "webauthn.get"
        || client_data.get("challenge")?.as_str()? != challenge
        || client_data.get("origin")?.as_str()? != origin
    {
        return None;
    }
    let data = b64url(response.get("authenticatorData")?.as_str()?)?;
    let signature = b64url(response.get("signature")?.as_str()?).filter(|s| !s.is_empty())?;
    if let Some(spki) = &key.public_key {
        es256_valid(spki, &data, &client_data_bytes, &signature)?;
    }
    let rp_id = host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h);
    let user_present = data.get(32)? & 0x01 != 0;
    let count = u32::from_be_bytes(data.get(33..37)?.try_into().ok()?);
    if data.get(..32)? != Sha256::digest(rp_id.as_bytes()).as_slice() || !user_present {
        return None;
    }
    // webauthn-ruby refuses a counter that does not grow (unless both are 0).
    if (count != 0 || key.sign_count != 0) && count <= key.sign_count {
        return None;
    }
    let user = ctx.store.user_mut(user_id)?;
    if let Some(k) = user
        .two_factor
        .as_mut()
        .and_then(|t| t.security_key.as_mut())
    {
        k.sign_count = count;
    }
    Some(())
}

/// An ES256 assertion signature: ECDSA P-256 / SHA-256 over `authenticatorData ||
/// SHA-256(clientDataJSON)`, DER-encoded (WebAuthn §7.2 steps 20-21).
fn es256_valid(spki: &[u8], data: &[u8], client_data: &[u8], signature: &[u8]) -> Option<()> {
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};
    use p256::pkcs8::DecodePublicKey;
    let key = VerifyingKey::from_public_key_der(spki).ok()?;
    let signature = Signature::from_der(signature).ok()?;
    let mut signed = data.to_vec();
    signed.extend(Sha256::digest(client_data));
    key.verify(&signed, &signature).ok()
}
