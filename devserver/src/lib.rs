//! Dev/demo server for the customer portal: the built portal (static files with SPA
//! fallback, optionally under extra mount prefixes) plus a fake help desk, either a fake
//! Zammad REST API (`docs/zammad-api.md`) or a fake Znuny Generic Interface
//! (`docs/znuny-api.md`), and an optional test API.

pub mod answers;
pub mod faults;
pub mod hostile;
pub mod latency;
pub mod real_shapes;
pub mod serve;
pub mod static_files;
pub mod test_api;
pub mod util;
pub mod zammad;
pub mod znuny;

use axum::routing::any;
use axum::Router;
use static_files::StaticConfig;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use zammad::store::{Store, ZVersion};

/// Which fake help desk the server runs (and `/__test/*` addresses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Zammad,
    Znuny,
}

impl Backend {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zammad" => Some(Self::Zammad),
            "znuny" | "otrs" => Some(Self::Znuny),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Zammad => "zammad",
            Self::Znuny => "znuny",
        }
    }
}

/// Everything the command line configures.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub dist: PathBuf,
    pub config: PathBuf,
    pub mounts: Vec<String>,
    pub zammad_version: ZVersion,
    /// The fake Zammad has an Elasticsearch (`--zammad-elasticsearch on|off`, default on).
    pub zammad_elasticsearch: bool,
    pub backend: Backend,
    /// Znuny settings: route table, session lifetime, logout behaviour.
    pub znuny: znuny::store::Settings,
    pub test_api: bool,
    pub quiet: bool,
    /// Fault rules active from the start (`--fault`), e.g. for demos.
    pub faults: Vec<faults::Rule>,
    /// How fast the fakes answer (`--latency`): at once, or like the real servers.
    pub latency: latency::Profile,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 8080,
            dist: PathBuf::from("dist/zammad"),
            config: PathBuf::from("public/config.json"),
            mounts: Vec::new(),
            zammad_version: ZVersion::V7,
            zammad_elasticsearch: true,
            backend: Backend::Zammad,
            znuny: znuny::store::Settings::default(),
            test_api: false,
            quiet: false,
            faults: Vec::new(),
            latency: latency::Profile::None,
        }
    }
}

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Mutex<Store>>,
    pub znuny: Arc<Mutex<znuny::store::Store>>,
    pub backend: Backend,
    pub statics: Arc<StaticConfig>,
    pub test_api: bool,
    pub quiet: bool,
    /// Requests that reached `/__trap/…` (a hostile vector ran), oldest first; see `hostile`.
    pub traps: Arc<Mutex<Vec<serde_json::Value>>>,
    /// Injected failures (`/__test/faults`, `--fault`), shared by both fakes.
    pub faults: faults::Faults,
    /// The answer delays of `--latency`.
    pub latency: Arc<latency::Latency>,
}

impl AppState {
    /// Locks the store; a poisoned lock is taken over (a panic must not wedge the server).
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Locks the fake Znuny's store.
    pub fn lock_znuny(&self) -> MutexGuard<'_, znuny::store::Store> {
        self.znuny.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The trap log (a poisoned lock is taken over).
    pub fn lock_traps(&self) -> MutexGuard<'_, Vec<serde_json::Value>> {
        self.traps.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The `config.json` set through `PUT /__test/config` for the running backend.
    pub fn config_override(&self) -> Option<serde_json::Value> {
        match self.backend {
            Backend::Zammad => self.lock().config_override.clone(),
            Backend::Znuny => self.lock_znuny().config_override.clone(),
        }
    }
}

/// Builds the router and its state from the options (reads the `--config` file once).
pub fn build(opts: &Options) -> (Router, AppState) {
    let config_json = std::fs::read(&opts.config).ok();
    if config_json.is_none() && !opts.quiet {
        eprintln!(
            "devserver: warning: cannot read {}; config.json comes from dist (if any)",
            opts.config.display()
        );
    }
    let mut zammad = Store::new(opts.zammad_version, util::now_ms());
    zammad.set_elasticsearch_default(opts.zammad_elasticsearch);
    let state = AppState {
        store: Arc::new(Mutex::new(zammad)),
        znuny: Arc::new(Mutex::new(znuny::store::Store::new(
            znuny::store::Seed::Demo,
            opts.znuny.clone(),
            znuny::store::Clock::System { offset_ms: 0 },
        ))),
        backend: opts.backend,
        statics: Arc::new(StaticConfig::new(
            opts.dist.clone(),
            &opts.mounts,
            config_json,
        )),
        test_api: opts.test_api,
        quiet: opts.quiet,
        traps: Arc::new(Mutex::new(Vec::new())),
        faults: faults::Faults::default(),
        latency: Arc::new(latency::Latency::new(opts.latency)),
    };
    for rule in &opts.faults {
        state.faults.add(rule.clone());
    }
    let router = Router::new()
        .route("/api", any(zammad::axum_handler))
        .route("/api/", any(zammad::axum_handler))
        .route("/api/{*rest}", any(zammad::axum_handler))
        .route("/zammad-proxy/{*rest}", any(zammad::proxied_handler))
        .route("/znuny/{*rest}", any(znuny::axum_handler))
        .route("/otrs/{*rest}", any(znuny::axum_handler))
        .route("/__test", any(test_api::axum_handler))
        .route("/__test/", any(test_api::axum_handler))
        .route("/__test/{*rest}", any(test_api::axum_handler))
        .route("/__trap/{*rest}", any(test_api::trap_handler))
        .fallback(static_files::handler)
        .with_state(state.clone());
    (router, state)
}
