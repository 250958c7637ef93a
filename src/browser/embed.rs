//! The portal embedded in a page of the company's own site:
//!
//! ```html
//! <div data-help-portal data-config="/support/config.json"></div>
//! <script type="module" src="/support/embed.js"></script>
//! ```
//!
//! embed.js (written by `cargo xtask build` with this build's asset names) says where the
//! stylesheet is and starts the wasm; `main` then finds the element here and renders the portal
//! into an open shadow root of it, with the stylesheet inside: the page's CSS cannot reach the
//! portal, and the portal's CSS cannot reach the page. The host page keeps its own path (the
//! portal uses hash routing unless config.json says otherwise), its title, `lang` and favicon.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::config::Config;

/// Marks the element the portal is embedded into.
const HOST_SELECTOR: &str = "[data-help-portal]";
/// What embed.js tells the portal: `{ base, stylesheet }`, absolute URLs.
const ASSETS_GLOBAL: &str = "__helpPortalAssets";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The host page's element for the portal, if the portal runs embedded.
pub fn host_element() -> Option<web_sys::Element> {
    document()?.query_selector(HOST_SELECTOR).ok().flatten()
}

/// One of the URLs embed.js passed (`base`, `stylesheet`).
fn asset(key: &str) -> Option<String> {
    let window = web_sys::window()?;
    let assets = js_sys::Reflect::get(&window, &JsValue::from_str(ASSETS_GLOBAL)).ok()?;
    if !assets.is_object() {
        return None;
    }
    js_sys::Reflect::get(&assets, &JsValue::from_str(key))
        .ok()?
        .as_string()
}

/// Attaches the shadow root to `host`, with the stylesheet and the element to mount the app
/// into (returned); from then on `crate::browser::dom` looks inside it.
pub fn prepare(host: &web_sys::Element) -> Result<web_sys::HtmlElement, JsValue> {
    let doc = document().ok_or("no document")?;
    if host.shadow_root().is_some() {
        return Err("the portal is already running in this element".into());
    }
    let shadow =
        host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
    let root: web_sys::HtmlElement = doc.create_element("div")?.dyn_into()?;
    root.set_class_name("portal-root");
    match asset("stylesheet") {
        Some(href) => {
            let link = doc.create_element("link")?;
            link.set_attribute("rel", "stylesheet")?;
            link.set_attribute("href", &href)?;
            // Hidden until the stylesheet is there: no flash of the portal without its styles.
            root.set_hidden(true);
            for event in ["load", "error"] {
                let shown = root.clone();
                let reveal = Closure::once_into_js(move || shown.set_hidden(false));
                link.add_event_listener_with_callback(event, reveal.unchecked_ref())?;
            }
            shadow.append_child(&link)?;
        }
        None => leptos::logging::warn!(
            "help portal: embed.js did not say where the stylesheet is; load embed.js, not the \
             portal's script"
        ),
    }
    shadow.append_child(&root)?;
    crate::browser::dom::set_embedded(shadow, root.clone());
    // What public/theme.js does for the portal's own page: the chosen theme before first paint.
    crate::ui::theme::apply(crate::ui::theme::load());
    Ok(root)
}

/// config.json's address: the host element's `data-config` (resolved against the page), else
/// the one beside embed.js.
pub fn config_url() -> String {
    let configured = host_element()
        .and_then(|h| h.get_attribute("data-config"))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let base = document().and_then(|d| d.base_uri().ok().flatten());
    let resolved = match (&configured, &base) {
        (Some(c), Some(b)) => web_sys::Url::new_with_base(c, b).ok().map(|u| u.href()),
        _ => None,
    };
    resolved
        .or(configured)
        .or_else(|| asset("base").map(|b| format!("{b}config.json")))
        .unwrap_or_else(|| "config.json".into())
}

/// Paths in config.json are relative to config.json, as on the portal's own page (where they
/// resolve against `<base href>`, the folder of config.json): resolve them before the host
/// page's address could be taken for their base. A favicon is the host page's own business.
pub fn rebase(config: &mut Config, config_url: &str) {
    let resolve = |path: &str| {
        web_sys::Url::new_with_base(path, config_url)
            .map(|u| u.href())
            .unwrap_or_else(|_| path.to_string())
    };
    if !config.api_base.starts_with('/') {
        config.api_base = resolve(&config.api_base).trim_end_matches('/').to_string();
    }
    if let Some(logo) = config.brand.logo.as_mut() {
        *logo = resolve(logo);
    }
    config.brand.favicon = None;
}

/// A file of the portal's own build (a language's catalogue): beside embed.js when embedded,
/// else relative to the document's `<base href>`.
pub fn asset_url(name: &str) -> String {
    asset("base").map_or_else(|| name.to_string(), |base| format!("{base}{name}"))
}
