//! The few things the portal keeps in the browser, each under one key owned here.
//!
//! - the auth token (sessionStorage: survives a reload, not closing the tab; localStorage only when
//!   the customer chose "Stay signed in"). Never a password.
//! - drafts of unsent text, files and unconfirmed write attempts (sessionStorage, see
//!   `drafts.rs`), cleared once the help desk confirmed the write and on sign-out.
//! - which agent replies the customer has seen (`seen.rs`: ticket and article ids, times):
//!   beside the auth token, in the same storage, and only while a session is stored; forgotten
//!   with the session (sign-out, expiry).

use std::cell::Cell;

use web_sys::Storage;

const AUTH_KEY: &str = "portal.auth";
const DRAFT_PREFIX: &str = "portal.draft.";
const SEEN_KEY: &str = "portal.seen";

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

/// The session is over (sign-out, expiry, a stored session that no longer works): forget it
/// and the seen marks that belong to it. Drafts stay until sign-out (`clear_all_drafts`), so
/// signing in again after an expiry finishes what the customer was writing.
pub fn clear_auth() {
    for s in [session(), local()].into_iter().flatten() {
        let _ = s.remove_item(AUTH_KEY);
        let _ = s.remove_item(SEEN_KEY);
    }
}

/// The seen marks, from where the session is stored.
pub fn load_seen() -> Option<String> {
    [session(), local()]
        .into_iter()
        .flatten()
        .find_map(|s| s.get_item(SEEN_KEY).ok().flatten())
}

/// Keeps the seen marks where the auth token is; nothing when no session is stored (it ended
/// while a request was under way, or the browser refuses storage).
pub fn save_seen(value: &str) {
    let stored_in = |s: &Option<Storage>| {
        s.as_ref()
            .is_some_and(|s| s.get_item(AUTH_KEY).ok().flatten().is_some())
    };
    let (session, local) = (session(), local());
    let (keep, drop) = if stored_in(&session) {
        (session, local)
    } else if stored_in(&local) {
        (local, session)
    } else {
        return;
    };
    if let Some(s) = drop {
        let _ = s.remove_item(SEEN_KEY);
    }
    if let Some(s) = keep {
        let _ = s.set_item(SEEN_KEY, value);
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
