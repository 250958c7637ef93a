//! Dev/demo server for the customer portal: the built portal (static files with SPA
//! fallback, optionally under extra mount prefixes) plus a fake Zammad REST API that
//! reproduces the quirks documented in `shared/docs/zammad-api.md`, and an optional test API.

pub mod static_files;
pub mod test_api;
pub mod util;
pub mod zammad;

use axum::routing::any;
use axum::Router;
use static_files::StaticConfig;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use zammad::store::{Store, ZVersion};

/// Everything the command line configures.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub dist: PathBuf,
    pub config: PathBuf,
    pub mounts: Vec<String>,
    pub zammad_version: ZVersion,
    pub test_api: bool,
    pub quiet: bool,
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
            test_api: false,
            quiet: false,
        }
    }
}

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Mutex<Store>>,
    pub statics: Arc<StaticConfig>,
    pub test_api: bool,
    pub quiet: bool,
}

impl AppState {
    /// Locks the store; a poisoned lock is taken over (a panic must not wedge the server).
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
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
    let state = AppState {
        store: Arc::new(Mutex::new(Store::new(opts.zammad_version, util::now_ms()))),
        statics: Arc::new(StaticConfig::new(
            opts.dist.clone(),
            &opts.mounts,
            config_json,
        )),
        test_api: opts.test_api,
        quiet: opts.quiet,
    };
    let router = Router::new()
        .route("/api", any(zammad::axum_handler))
        .route("/api/", any(zammad::axum_handler))
        .route("/api/{*rest}", any(zammad::axum_handler))
        .route("/__test", any(test_api::axum_handler))
        .route("/__test/", any(test_api::axum_handler))
        .route("/__test/{*rest}", any(test_api::axum_handler))
        .fallback(static_files::handler)
        .with_state(state.clone());
    (router, state)
}
