//! State that outlives a page, provided through Leptos context: the backend client, the runtime
//! config, who is signed in and whether the browser is online.

use std::future::Future;

use futures::channel::oneshot;
use leptos::prelude::*;

use crate::backend::ActiveBackend;
use crate::cache::ViewCache;
use crate::config::Config;
use crate::domain::Customer;
use crate::error::{ErrorKind, Msg, PortalError, PortalResult};
use crate::seen::Seen;

#[derive(Clone, Debug, PartialEq)]
pub enum AuthState {
    /// Looking for a session stored earlier (reload, "stay signed in").
    Checking,
    /// Not signed in; the notice explains why when a session ended on its own.
    SignedOut {
        notice: Option<Msg>,
    },
    SignedIn(Customer),
    /// The stored session could not be checked (help desk unreachable).
    Unavailable(PortalError),
}

#[derive(Clone, Copy)]
pub struct Ctx {
    backend: StoredValue<ActiveBackend, LocalStorage>,
    pub auth: RwSignal<AuthState>,
    pub config: StoredValue<Config>,
    /// The "enter your password again" dialog is open.
    pub reauth_open: RwSignal<bool>,
    /// Operations waiting for the dialog's outcome (several may fail at once).
    reauth_waiters: StoredValue<Vec<oneshot::Sender<bool>>, LocalStorage>,
    /// Lists and tickets just shown, for Back/Forward (src/cache.rs).
    cache: StoredValue<ViewCache, LocalStorage>,
    /// The browser has a network connection (`navigator.onLine`, kept up to date by the
    /// `online` and `offline` events). Writes wait while it is false.
    pub online: RwSignal<bool>,
    /// Which agent replies the customer has seen (src/seen.rs).
    pub seen: Seen,
}

impl Ctx {
    pub fn provide(backend: ActiveBackend, config: Config) -> Self {
        let auth = RwSignal::new(AuthState::Checking);
        let ctx = Ctx {
            backend: StoredValue::new_local(backend),
            auth,
            config: StoredValue::new(config),
            reauth_open: RwSignal::new(false),
            reauth_waiters: StoredValue::new_local(Vec::new()),
            cache: StoredValue::new_local(ViewCache::default()),
            online: RwSignal::new(browser_online()),
            seen: Seen::new(auth),
        };
        // Signing in, out, or losing the session: nothing shown before may be shown again.
        Effect::new(move |_| {
            ctx.auth.track();
            ctx.cache.update_value(ViewCache::clear);
        });
        // For the app's lifetime: the handles are never removed.
        for event in ["online", "offline"] {
            let _ = window_event_listener_untyped(event, move |_| ctx.online.set(browser_online()));
        }
        provide_context(ctx);
        ctx
    }

    pub fn backend(&self) -> ActiveBackend {
        self.backend.get_value()
    }

    pub fn customer(&self) -> Option<Customer> {
        match self.auth.get() {
            AuthState::SignedIn(c) => Some(c),
            _ => None,
        }
    }

    /// Runs a help-desk operation that may change what the help desk shows (a write, or a read
    /// not worth caching): cached views are stale afterwards, whatever the outcome. A lost
    /// session is handled as in [`Ctx::read`].
    pub async fn run<T, F, Fut>(&self, op: F) -> PortalResult<T>
    where
        F: Fn(ActiveBackend) -> Fut,
        Fut: Future<Output = PortalResult<T>>,
    {
        let result = self.run_op(op).await;
        self.cache.update_value(ViewCache::wrote);
        result
    }

    /// A read whose answer is shown again, without asking the help desk, when the customer
    /// comes back to it within the freshness window (Back/Forward) and nothing was written since.
    ///
    /// When the session ended while the customer was working (Znuny ends every session two
    /// hours after login), both ask for the password in place and run the operation again, so
    /// nothing typed is lost and nothing is sent twice: an expired session means the help desk
    /// did not perform the operation.
    pub async fn read<T, F, Fut>(&self, key: String, op: F) -> PortalResult<T>
    where
        T: Clone + 'static,
        F: Fn(ActiveBackend) -> Fut,
        Fut: Future<Output = PortalResult<T>>,
    {
        self.read_timed(key, op).await.map(|(value, _)| value)
    }

    /// As [`Ctx::read`], with when the value was read from the help desk (ms since epoch).
    pub async fn read_timed<T, F, Fut>(&self, key: String, op: F) -> PortalResult<(T, f64)>
    where
        T: Clone + 'static,
        F: Fn(ActiveBackend) -> Fut,
        Fut: Future<Output = PortalResult<T>>,
    {
        let now = js_sys::Date::now();
        if let Some(hit) = self.cache.with_value(|c| c.get_timed::<T>(&key, now)) {
            return Ok(hit);
        }
        let writes = self.cache.with_value(ViewCache::writes);
        let value = self.run_op(op).await?;
        let now = js_sys::Date::now();
        self.cache
            .update_value(|c| c.put(key, value.clone(), writes, now));
        Ok((value, now))
    }

    /// A read the customer did not ask for (live updates, "New reply" checks): always from the
    /// help desk, never from the view cache. A lost session is handled as in [`Ctx::read`].
    pub async fn read_fresh<T, F, Fut>(&self, op: F) -> PortalResult<T>
    where
        F: Fn(ActiveBackend) -> Fut,
        Fut: Future<Output = PortalResult<T>>,
    {
        self.run_op(op).await
    }

    /// A read found that the help desk changed without the portal writing: nothing cached
    /// before is current, `value` (just read, shown under `key`) is.
    pub fn saw_change<T: 'static>(&self, key: String, value: T) {
        let now = js_sys::Date::now();
        self.cache.update_value(|c| c.changed(key, value, now));
    }

    /// One operation, asking for the password again as often as the session is lost.
    async fn run_op<T, F, Fut>(&self, op: F) -> PortalResult<T>
    where
        F: Fn(ActiveBackend) -> Fut,
        Fut: Future<Output = PortalResult<T>>,
    {
        loop {
            match op(self.backend()).await {
                Err(e) if e.kind == ErrorKind::SignedOut => {
                    if self.customer().is_none() || !self.ask_password().await {
                        // Sign in again: the route guard remembers where the customer was
                        // going; drafts stay in sessionStorage.
                        self.auth.set(AuthState::SignedOut {
                            notice: Some(e.message.clone()),
                        });
                        return Err(e);
                    }
                }
                other => return other,
            }
        }
    }

    async fn ask_password(&self) -> bool {
        let (tx, rx) = oneshot::channel();
        self.reauth_waiters.update_value(|w| w.push(tx));
        self.reauth_open.set(true);
        rx.await.unwrap_or(false)
    }

    /// Called by the dialog: `true` once signed in again, `false` when the customer gave up.
    pub fn finish_reauth(&self, signed_in: bool) {
        self.reauth_open.set(false);
        let waiters = self
            .reauth_waiters
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for tx in waiters {
            let _ = tx.send(signed_in);
        }
    }
}

/// Runs `fut` in the background until the current reactive owner is cleaned up (the page or
/// view that started it is left), then drops it, which aborts its fetch.
pub fn spawn_until_cleanup(fut: impl Future<Output = ()> + 'static) {
    let (handle, registration) = futures::future::AbortHandle::new_pair();
    on_cleanup(move || handle.abort());
    leptos::task::spawn_local(async move {
        let _ = futures::future::Abortable::new(fut, registration).await;
    });
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The app context; provided by `app::Portal` above every route.
pub fn use_ctx() -> Ctx {
    // Provided once at the root before any page renders: missing it is a programming error.
    expect_context::<Ctx>()
}
