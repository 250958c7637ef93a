//! The few things the portal keeps in the browser, each under one key owned here.
//!
//! - the auth token (sessionStorage: survives a reload, not closing the tab; localStorage only when
//!   the customer chose "Stay signed in"). Never a password.
//! - drafts of unsent text, files and unconfirmed write attempts (sessionStorage, see
//!   `drafts.rs`), cleared once the help desk confirmed the write and on sign-out.

use std::cell::Cell;

use web_sys::Storage;

const AUTH_KEY: &str = "portal.auth";
const DRAFT_PREFIX: &str = "portal.draft.";

thread_local! {
    /// Where the customer chose to keep their session; re-signing in after expiry keeps it there.
    static PERSISTENT: Cell<bool> = const { Cell::new(false) };
}

pub fn last_choice_persistent() -> bool {
    PERSISTENT.with(Cell::get)
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Stores the adapter's opaque auth record; `persistent` picks localStorage.
pub fn save_auth(value: &str, persistent: bool) {
    PERSISTENT.with(|p| p.set(persistent));
    let (keep, drop) = if persistent {
        (local(), session())
    } else {
        (session(), local())
    };
    if let Some(s) = drop {
        let _ = s.remove_item(AUTH_KEY);
    }
    if let Some(s) = keep {
        let _ = s.set_item(AUTH_KEY, value);
    }
}

/// The stored auth record and whether it came from localStorage.
pub fn load_auth() -> Option<(String, bool)> {
    if let Some(v) = session().and_then(|s| s.get_item(AUTH_KEY).ok().flatten()) {
        return Some((v, false));
    }
    let stored = local()
        .and_then(|s| s.get_item(AUTH_KEY).ok().flatten())
        .map(|v| (v, true));
    if stored.is_some() {
        PERSISTENT.with(|p| p.set(true));
    }
    stored
}

pub fn clear_auth() {
    for s in [session(), local()].into_iter().flatten() {
        let _ = s.remove_item(AUTH_KEY);
    }
}

pub fn load_draft(name: &str) -> String {
    session()
        .and_then(|s| s.get_item(&format!("{DRAFT_PREFIX}{name}")).ok().flatten())
        .unwrap_or_default()
}

/// Keeps (or, when empty, forgets) a draft; `false` when the browser refused to store it
/// (storage full or disabled).
pub fn save_draft(name: &str, text: &str) -> bool {
    let Some(s) = session() else {
        return false;
    };
    let key = format!("{DRAFT_PREFIX}{name}");
    if text.is_empty() {
        s.remove_item(&key).is_ok()
    } else {
        s.set_item(&key, text).is_ok()
    }
}

pub fn clear_draft(name: &str) {
    save_draft(name, "");
}

/// Sign-out forgets every draft too: the next person at this browser must not read them.
pub fn clear_all_drafts() {
    let Some(s) = session() else { return };
    let len = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..len)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(DRAFT_PREFIX))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}
