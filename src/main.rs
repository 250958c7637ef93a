//! Self-service customer portal for help desks (Zammad or Znuny, picked at build time).

mod app;
mod backend;
mod browser;
mod config;
mod de;
mod domain;
mod html;
mod i18n;
mod state;
mod ui;

fn main() {
    // Dev builds: a panic's message in the console. Release builds leave the hook (and the
    // console formatting behind it) out to stay in the first-load budget: a panic there traps,
    // and public/trap.js tells the customer (the lean std aborts without a message anyway).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Should the wasm ever trap, public/trap.js says so in the customer's language.
    browser::trap::hand_over_texts();
    // The customer's language; one that is not compiled in is fetched meanwhile (src/i18n).
    i18n::start();
    // Embedded in another page (`<div data-help-portal>`, src/browser/embed.rs), or the whole page.
    match browser::embed::host_element() {
        Some(host) => match browser::embed::prepare(&host) {
            Ok(root) => leptos::mount::mount_to(root, app::App).forget(),
            Err(e) => leptos::logging::error!("help portal: cannot start here: {e:?}"),
        },
        None => leptos::mount::mount_to_body(app::App),
    }
}
