//! What the customer has just seen, kept for a short while so that Back and Forward show it
//! again at once instead of asking the help desk a second time.
//!
//! An entry is used only while it is younger than [`FRESH_MS`] and no write (reply, close,
//! reopen, new ticket, sign-in) happened since it was read: every write may change what any
//! list or ticket shows. Everything is forgotten when the customer signs out or the session
//! ends (see `Ctx::provide`). Memory only, never storage.

use std::any::Any;
use std::collections::HashMap;
use std::rc::Rc;

/// How long data already shown counts as current.
pub const FRESH_MS: f64 = 30_000.0;
/// At most this many views are kept (a list page or a ticket each).
const MAX_ENTRIES: usize = 20;

struct Entry {
    read_at: f64,
    writes: u64,
    value: Rc<dyn Any>,
}

#[derive(Default)]
pub struct ViewCache {
    entries: HashMap<String, Entry>,
    /// Writes performed so far; entries read before the last write are stale.
    writes: u64,
}

impl ViewCache {
    /// The value stored under `key` if it is still fresh at `now` (ms).
    #[cfg(test)]
    pub fn get<T: Clone + 'static>(&self, key: &str, now: f64) -> Option<T> {
        self.get_timed(key, now).map(|(value, _)| value)
    }

    /// As [`ViewCache::get`], with the time (ms) the value was read from the help desk.
    pub fn get_timed<T: Clone + 'static>(&self, key: &str, now: f64) -> Option<(T, f64)> {
        let e = self.entries.get(key)?;
        let fresh = e.writes == self.writes && now - e.read_at < FRESH_MS && now >= e.read_at;
        fresh
            .then(|| e.value.downcast_ref::<T>().cloned())
            .flatten()
            .map(|value| (value, e.read_at))
    }

    /// The write counter to pass to [`ViewCache::put`]: read it before starting the request, so
    /// a write that finished meanwhile makes the answer stale.
    pub fn writes(&self) -> u64 {
        self.writes
    }

    pub fn put<T: 'static>(&mut self, key: String, value: T, writes: u64, now: f64) {
        if writes != self.writes {
            return;
        }
        if self.entries.len() >= MAX_ENTRIES && !self.entries.contains_key(&key) {
            let oldest = self
                .entries
                .iter()
                .min_by(|a, b| a.1.read_at.total_cmp(&b.1.read_at))
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                self.entries.remove(&k);
            }
        }
        self.entries.insert(
            key,
            Entry {
                read_at: now,
                writes,
                value: Rc::new(value),
            },
        );
    }

    /// Something may have changed on the help desk: nothing cached is current any more.
    pub fn wrote(&mut self) {
        self.writes += 1;
        self.entries.clear();
    }

    /// The help desk changed without the portal writing (a live update saw it): like a write,
    /// nothing cached before is current, but `value`, just read, is.
    pub fn changed<T: 'static>(&mut self, key: String, value: T, now: f64) {
        self.wrote();
        self.put(key, value, self.writes, now);
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_then_stale_by_age() {
        let mut c = ViewCache::default();
        c.put("list".into(), vec![1, 2], c.writes(), 1_000.0);
        assert_eq!(
            c.get::<Vec<i32>>("list", 1_000.0 + FRESH_MS - 1.0),
            Some(vec![1, 2])
        );
        assert_eq!(c.get::<Vec<i32>>("list", 1_000.0 + FRESH_MS), None);
        // A clock that went backwards does not make old data fresh forever.
        assert_eq!(c.get::<Vec<i32>>("list", 0.0), None);
    }

    #[test]
    fn a_write_makes_everything_stale_even_answers_in_flight() {
        let mut c = ViewCache::default();
        c.put("ticket:1".into(), "old".to_string(), c.writes(), 0.0);
        let before = c.writes();
        c.wrote();
        assert_eq!(c.get::<String>("ticket:1", 1.0), None);
        // An answer requested before the write arrives after it: not kept.
        c.put("ticket:1".into(), "maybe old".to_string(), before, 2.0);
        assert_eq!(c.get::<String>("ticket:1", 3.0), None);
        c.put("ticket:1".into(), "new".to_string(), c.writes(), 4.0);
        assert_eq!(c.get::<String>("ticket:1", 5.0).as_deref(), Some("new"));
    }

    #[test]
    fn a_change_seen_elsewhere_keeps_only_what_saw_it() {
        let mut c = ViewCache::default();
        c.put("list".into(), 1u8, c.writes(), 0.0);
        c.put("ticket:1".into(), 1u8, c.writes(), 0.0);
        c.changed("ticket:1".into(), 2u8, 5.0);
        assert_eq!(c.get::<u8>("list", 6.0), None);
        assert_eq!(c.get_timed::<u8>("ticket:1", 6.0), Some((2, 5.0)));
    }

    #[test]
    fn wrong_type_and_unknown_key_miss() {
        let mut c = ViewCache::default();
        c.put("k".into(), 5u32, c.writes(), 0.0);
        assert_eq!(c.get::<String>("k", 1.0), None);
        assert_eq!(c.get::<u32>("other", 1.0), None);
    }

    #[test]
    fn bounded_and_cleared() {
        let mut c = ViewCache::default();
        for i in 0..(MAX_ENTRIES + 5) {
            c.put(format!("k{i}"), i, c.writes(), i as f64);
        }
        assert!(c.entries.len() <= MAX_ENTRIES);
        assert_eq!(c.get::<usize>("k0", 30.0), None, "the oldest went first");
        assert_eq!(
            c.get::<usize>(&format!("k{}", MAX_ENTRIES + 4), 30.0),
            Some(MAX_ENTRIES + 4)
        );
        c.clear();
        assert_eq!(c.get::<usize>(&format!("k{}", MAX_ENTRIES + 4), 30.0), None);
    }
}
