//! State that outlives a page, provided through Leptos context: the backend client, the runtime
//! config, who is signed in and whether the browser is online.

pub mod cache;
pub mod drafts;
pub mod seen;
pub mod writes;

use std::any::Any;
use std::future::Future;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{AbortHandle, LocalBoxFuture, Shared};
use futures::FutureExt;
use leptos::prelude::*;

use crate::backend::ActiveBackend;
use crate::config::Config;
use crate::domain::error::{ErrorKind, Msg, PortalError, PortalResult};
use crate::domain::Customer;
use crate::state::cache::ViewCache;
use crate::state::seen::Seen;

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
    /// Lists and tickets just shown, for Back/Forward (src/state/cache.rs).
    cache: StoredValue<ViewCache, LocalStorage>,
    /// The browser has a network connection (`navigator.onLine`, kept up to date by the
    /// `online` and `offline` events). Writes wait while it is false.
    pub online: RwSignal<bool>,
    /// Which agent replies the customer has seen (src/state/seen.rs).
    pub seen: Seen,
    /// A read started before the page that shows it (see [`Ahead`]).
    ahead: StoredValue<Option<Ahead>, LocalStorage>,
}

/// What a read ahead yields: a `PortalResult<(T, read_at)>` behind `dyn Any`.
type AheadResult = Rc<dyn Any>;

/// A read started before its page exists, so no request waits for a page change: the first
/// list page read beside the sign-in's last calls, a ticket read when the pointer goes down on
/// its row. The page at `path` adopts it (see [`Ctx::read_timed`]); going anywhere else, a new
/// read ahead, a write or signing out drops it, which aborts its request when nobody adopted
/// it. At most one at a time.
struct Ahead {
    key: String,
    path: String,
    /// The view cache's write counter when it started: a write since makes it stale.
    writes: u64,
    result: Shared<LocalBoxFuture<'static, AheadResult>>,
    /// Stops the task that drives the read while no page awaits it.
    driver: Option<AbortHandle>,
}

impl Ahead {
    fn abort(self) {
        if let Some(d) = self.driver {
            d.abort();
        }
    }
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
            ahead: StoredValue::new_local(None),
        };
        // Signing in, out, or losing the session: nothing shown before may be shown again
        // (what the sign-in itself read for the next page is handed over beside the cache).
        effect(move || {
            let signed_in = ctx.auth.with(|a| matches!(a, AuthState::SignedIn(_)));
            ctx.cache.update_value(ViewCache::clear);
            if !signed_in {
                ctx.drop_ahead();
            }
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
        if let Some(ahead) = self.adopt_ahead(&key) {
            match ahead.await.downcast_ref::<PortalResult<(T, f64)>>() {
                Some(Ok((value, read_at))) => {
                    self.cache
                        .update_value(|c| c.put(key, value.clone(), writes, *read_at));
                    return Ok((value.clone(), *read_at));
                }
                // The page shows the failure, with "Try again", as if it had read itself.
                Some(Err(e)) if e.kind != ErrorKind::SignedOut => return Err(e.clone()),
                // A lost session: the read below asks for the password, as any read does.
                _ => {}
            }
        }
        let value = self.run_op(op).await?;
        let now = js_sys::Date::now();
        self.cache
            .update_value(|c| c.put(key, value.clone(), writes, now));
        Ok((value, now))
    }

    /// Starts reading `key` for the page at `path` before the customer got there (pointer down
    /// on a ticket's row), replacing the read ahead before; nothing when that page is already
    /// in memory or being read ahead. A failure is the page's to show (a lost session: the page
    /// reads again and asks for the password).
    pub fn read_ahead<T, F, Fut>(&self, key: String, path: String, op: F)
    where
        T: Clone + 'static,
        F: FnOnce(ActiveBackend) -> Fut,
        Fut: Future<Output = PortalResult<T>> + 'static,
    {
        let now = js_sys::Date::now();
        let writes = self.cache.with_value(ViewCache::writes);
        let current = self.ahead.with_value(|a| {
            a.as_ref()
                .is_some_and(|a| a.key == key && a.writes == writes)
        });
        if current
            || self
                .cache
                .with_value(|c| c.get_timed::<T>(&key, now).is_some())
        {
            return;
        }
        let read = op(self.backend());
        let result = async move {
            let result: PortalResult<(T, f64)> = read.await.map(|v| (v, js_sys::Date::now()));
            Rc::new(result) as AheadResult
        }
        .boxed_local()
        .shared();
        let (driver, registration) = AbortHandle::new_pair();
        let driven = result.clone();
        leptos::task::spawn_local(async move {
            let _ = futures::future::Abortable::new(driven, registration).await;
        });
        self.replace_ahead(Some(Ahead {
            key,
            path,
            writes,
            result,
            driver: Some(driver),
        }));
    }

    /// Hands what was just read for the page at `path` (the first list page, read while
    /// signing in) to that page, or how reading it failed.
    pub fn hand_over<T: Clone + 'static>(&self, key: String, path: String, read: PortalResult<T>) {
        let now = js_sys::Date::now();
        let result: PortalResult<(T, f64)> = read.map(|value| (value, now));
        let ready = Rc::new(result) as AheadResult;
        self.replace_ahead(Some(Ahead {
            key,
            path,
            writes: self.cache.with_value(ViewCache::writes),
            result: futures::future::ready(ready).boxed_local().shared(),
            driver: None,
        }));
    }

    /// The customer is now at `path`: a read ahead for another page is no longer wanted.
    pub fn arrived_at(&self, path: &str) {
        if self
            .ahead
            .with_value(|a| a.as_ref().is_some_and(|a| a.path != path))
        {
            self.drop_ahead();
        }
    }

    fn drop_ahead(&self) {
        self.replace_ahead(None);
    }

    fn replace_ahead(&self, new: Option<Ahead>) {
        if let Some(old) = self
            .ahead
            .try_update_value(|a| std::mem::replace(a, new))
            .flatten()
        {
            old.abort();
        }
    }

    /// The read ahead for `key`, taken over by the page (its request goes on for the page),
    /// unless a write made it stale.
    fn adopt_ahead(&self, key: &str) -> Option<Shared<LocalBoxFuture<'static, AheadResult>>> {
        let writes = self.cache.with_value(ViewCache::writes);
        let ours = self.ahead.with_value(|a| {
            a.as_ref()
                .is_some_and(|a| a.key == key && a.writes == writes)
        });
        if !ours {
            return None;
        }
        // Taken without aborting its driver: the page's own await keeps the request going.
        let ahead = self.ahead.try_update_value(Option::take).flatten()?;
        Some(ahead.result)
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
    spawn_boxed_until_cleanup(Box::pin(fut));
}

/// The part that is the same for every future, compiled once: boxed first, each caller's future
/// costs only its own code, not another copy of the abort and spawn wrappers around it.
fn spawn_boxed_until_cleanup(fut: std::pin::Pin<Box<dyn Future<Output = ()>>>) {
    let (handle, registration) = futures::future::AbortHandle::new_pair();
    on_cleanup(move || handle.abort());
    leptos::task::spawn_local(async move {
        let _ = futures::future::Abortable::new(fut, registration).await;
    });
}

/// `Effect::new` for an effect without a value: boxed first, so the effect's task (its loop and
/// bookkeeping around the function, about 1 KB of code) is compiled once for all of them instead
/// of once per closure type.
pub fn effect(f: impl FnMut() + 'static) {
    effect_boxed(Box::new(f));
}

fn effect_boxed(f: Box<dyn FnMut()>) {
    Effect::new(f);
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The app context; provided by `app::Portal` above every route.
pub fn use_ctx() -> Ctx {
    // Provided once at the root before any page renders: missing it is a programming error.
    expect_context::<Ctx>()
}
