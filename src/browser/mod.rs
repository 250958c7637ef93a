//! Browser plumbing: HTTP, storage, the portal's part of the DOM, embedding, security keys,
//! and what the customer sees if the wasm traps.

pub mod dom;
pub mod embed;
pub mod http;
pub mod storage;
pub mod text;
pub mod trap;
#[cfg(feature = "zammad")]
pub mod webauthn;
