//! What a page reads from the help desk, loaded in the background.
//!
//! It does what `LocalResource` with `<Suspense>`/`<Transition>` did here, at a fraction of their
//! code size (the first-load budget, issue 6): `None` until the first result; a new read when a
//! signal the fetcher reads changes, while the last result stays shown; the read in flight
//! dropped (its fetch aborted, see `http::send`) when it is replaced or the page is left.

use std::future::Future;

use leptos::prelude::*;

use crate::domain::error::PortalResult;
use crate::state::{effect, spawn_until_cleanup};

pub struct Loaded<T: Send + Sync + 'static> {
    value: RwSignal<Option<PortalResult<T>>>,
    /// Bumped to read again with the same inputs.
    again: RwSignal<u32>,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    /// Starts reading at once; `fetch` is called again (and so tracked) at every new read.
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = PortalResult<T>> + 'static,
    {
        let value = RwSignal::new(None);
        let again = RwSignal::new(0u32);
        // An effect's cleanups run before it runs again and when its owner goes: that is what
        // drops a read that is no longer wanted, so a stale result can never be shown.
        effect(move || {
            again.track();
            let read = fetch();
            spawn_until_cleanup(async move {
                let result = read.await;
                value.try_set(Some(result));
            });
        });
        Loaded { value, again }
    }

    /// The last result (tracked); `None` before the first one.
    pub fn get(&self) -> Option<PortalResult<T>> {
        self.value.get()
    }

    /// The last result was an error.
    fn failed_untracked(&self) -> bool {
        self.value.with_untracked(|v| matches!(v, Some(Err(_))))
    }

    /// Shows `value` as if read (e.g. what a write's answer said), without reading.
    pub fn show(&self, value: T) {
        self.value.set(Some(Ok(value)));
    }

    /// Reads again, e.g. from "Try again": an error shown is replaced by the loading notice, so
    /// the customer sees that something happens.
    pub fn retry(&self) {
        if self.failed_untracked() {
            self.value.set(None);
        }
        self.again.update(|n| *n = n.wrapping_add(1));
    }

    /// Reads again once the browser is back online (`online`, see `Ctx`), if the last read
    /// had failed.
    pub fn retry_when_online(self, online: RwSignal<bool>) {
        Effect::new(move |was_online: Option<bool>| {
            let now = online.get();
            if was_online == Some(false) && now && self.failed_untracked() {
                self.retry();
            }
            now
        });
    }
}
