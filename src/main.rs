//! Self-service customer portal for help desks (Zammad or Znuny, picked at build time).

mod app;
mod backend;
mod base64;
mod brand;
mod cache;
mod components;
mod config;
mod domain;
mod drafts;
mod error;
mod format;
mod http;
mod i18n;
mod live;
mod pages;
mod sanitize;
mod seen;
mod state;
mod storage;
mod theme;
mod writes;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
