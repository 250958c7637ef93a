//! State that outlives a page, provided through Leptos context: the backend client, the runtime
//! config and who is signed in.

use leptos::prelude::*;

use crate::backend::ActiveBackend;
use crate::config::Config;
use crate::domain::Customer;
use crate::error::{ErrorKind, PortalError};

#[derive(Clone, Debug, PartialEq)]
pub enum AuthState {
    /// Looking for a session stored earlier (reload, "stay signed in").
    Checking,
    /// Not signed in; the notice explains why when a session ended on its own.
    SignedOut {
        notice: Option<String>,
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
}

impl Ctx {
    pub fn provide(backend: ActiveBackend, config: Config) -> Self {
        let ctx = Ctx {
            backend: StoredValue::new_local(backend),
            auth: RwSignal::new(AuthState::Checking),
            config: StoredValue::new(config),
        };
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

    /// Every page hands its errors here first: a lost session sends the customer to sign in
    /// (the route guard remembers where they were; drafts stay in sessionStorage).
    pub fn handle(&self, error: &PortalError) {
        if error.kind == ErrorKind::SignedOut {
            self.auth.set(AuthState::SignedOut {
                notice: Some(error.message.clone()),
            });
        }
    }
}

/// The app context; provided by `app::Portal` above every route.
pub fn use_ctx() -> Ctx {
    // Provided once at the root before any page renders: missing it is a programming error.
    expect_context::<Ctx>()
}
