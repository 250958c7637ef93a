//! Self-service customer portal for help desks (Zammad or Znuny, picked at build time).

mod app;
mod backend;
mod brand;
mod cache;
mod components;
mod config;
mod de;
mod dom;
mod domain;
mod drafts;
mod embed;
mod error;
mod fields;
mod format;
mod http;
mod i18n;
mod live;
mod loader;
mod pages;
mod routing;
mod safe_dom;
mod sanitize;
mod seen;
mod state;
mod storage;
mod theme;
mod trap;
#[cfg(feature = "zammad")]
mod webauthn;
mod writes;

fn main() {
    // Dev builds: a panic's message in the console. Release builds leave the hook (and the
    // console formatting behind it) out to stay in the first-load budget: a panic there traps,
    // and public/trap.js tells the customer (the lean std aborts without a message anyway).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Should the wasm ever trap, public/trap.js says so in the customer's language.
    trap::hand_over_texts();
    // The customer's language; one that is not compiled in is fetched meanwhile (src/i18n).
    i18n::start();
    // Embedded in another page (`<div data-help-portal>`, src/embed.rs), or the whole page.
    match embed::host_element() {
        Some(host) => match embed::prepare(&host) {
            Ok(root) => leptos::mount::mount_to(root, app::App).forget(),
            Err(e) => leptos::logging::error!("help portal: cannot start here: {e:?}"),
        },
        None => leptos::mount::mount_to_body(app::App),
    }
}
