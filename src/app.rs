//! Loads config.json, then mounts the router (leptos_router, with history or hash addresses, see
//! src/ui/routing), the page layout, the routes and the route guard (deep link → sign in → back).

use leptos::children::ToChildren;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{FlatRoutes, FlatRoutesProps, RouteChildren};
use leptos_router::hooks::use_params_map;
use leptos_router::{path, NestedRoute};

use crate::backend::{ActiveBackend, Backend};
use crate::config::Config;
use crate::domain::error::{Msg, PortalError};
use crate::i18n::{self, t, tr};
use crate::state::{effect, use_ctx, AuthState, Ctx};
use crate::ui::components::{ErrorAlert, OfflineNotice, ReauthDialog, RouteFocus, SessionClock};
use crate::ui::loader::Loaded;
use crate::ui::pages::{
    ChangePasswordPage, ForgotPasswordPage, NewTicketPage, NotFoundPage, SignInPage, SignUpPage,
    TicketPage, TicketsPage,
};
use crate::ui::routing::{use_navigate, use_routing, Link, Mode, NavigateOptions, PortalRouter};

async fn load_config() -> Result<Config, PortalError> {
    // Beside index.html; when embedded, where the host element's `data-config` says.
    let url = if crate::browser::dom::is_embedded() {
        crate::browser::embed::config_url()
    } else {
        "config.json".to_string()
    };
    let req = crate::browser::http::HttpRequest::new(gloo_net::http::Method::GET, url.as_str())
        .header("Accept", "application/json");
    let resp = crate::browser::http::send(req, 15_000).await?;
    if resp.status != 200 {
        return Err(PortalError::new(
            crate::domain::error::ErrorKind::Setup,
            Msg::ConfigUnavailable(resp.status),
        ));
    }
    let mut config = Config::parse(&resp.text()).map_err(|e| {
        PortalError::new(
            crate::domain::error::ErrorKind::Setup,
            Msg::ConfigInvalid(e),
        )
    })?;
    if crate::browser::dom::is_embedded() {
        crate::browser::embed::rebase(&mut config, &url);
    }
    Ok(config)
}

/// The configured brand, else the portal's own name in the current language (tracked).
pub fn brand_name(configured: &str) -> String {
    match configured.trim() {
        "" => t().default_brand.to_string(),
        name => name.to_string(),
    }
}

#[component]
pub fn App() -> impl IntoView {
    let config = Loaded::new(load_config);
    // `<html lang>` (the portal's root element when embedded) follows the language, and so does
    // the document title until the portal runs (then `RouteFocus` names each page).
    effect(move || {
        if let Some(root) = crate::browser::dom::root_element() {
            let _ = root.set_attribute("lang", t().code);
        }
        if !matches!(config.get(), Some(Ok(_))) {
            crate::browser::dom::set_title(t().default_brand);
        }
    });
    move || match config.get() {
        // Until the customer's language is there: no English that would change a moment later.
        _ if !i18n::ready() => view! { <p class="boot" role="status"></p> }.into_any(),
        None => view! { <p class="boot" role="status">{tr(|t| t.loading)}</p> }.into_any(),
        Some(Ok(cfg)) => view! { <Portal config=cfg /> }.into_any(),
        Some(Err(e)) => view! {
            <main class="page narrow">
                <h1>{tr(|t| t.unavailable_heading)}</h1>
                <ErrorAlert error=e on_retry=Callback::new(move |_| config.retry()) />
            </main>
        }
        .into_any(),
    }
}

#[component]
fn Portal(config: Config) -> impl IntoView {
    let brand = config.brand.clone();
    for warning in &brand.warnings {
        leptos::logging::warn!("{warning}");
    }
    crate::browser::dom::set_title(&brand_name(&brand.name));
    crate::ui::brand::apply(&brand);
    let routing = config
        .routing
        .unwrap_or(if crate::browser::dom::is_embedded() {
            Mode::Hash
        } else {
            Mode::History
        });
    let backend = ActiveBackend::new(&config);
    let ctx = Ctx::provide(backend, config);
    restore_session(ctx);
    request_idle_callback(|| crate::ui::format::warm(&untrack(i18n::locale)));
    view! {
        <PortalRouter mode=routing>
            // Under <base href> "#main" would resolve to the portal's root and the router would
            // navigate there: move focus to the content ourselves instead.
            <a class="skip-link" href="#main" on:click=skip_to_main>{tr(|t| t.skip_link)}</a>
            <Header name=brand.name logo=brand.logo />
            <main id="main" tabindex="-1">
                <SessionClock />
                <OfflineNotice />
                <Pages />
            </main>
            <ReauthDialog />
            <RouteFocus />
        </PortalRouter>
    }
}

/// The portal's routes (in-app paths: leptos_router strips the base in history mode, and in hash
/// mode the bridge hands it the part after `#`, see src/ui/routing).
#[component]
fn Pages() -> impl IntoView {
    // A read started ahead for another page than the one the customer went to is dropped.
    let ctx = use_ctx();
    let path = use_routing().path;
    effect(move || path.with(|p| ctx.arrived_at(p)));
    // Route by route, not with `<Route>`: that component type-erases each route, and the erased
    // form links leptos_router's route listing for servers (about 2 KB brotli).
    let routes = || {
        (
            NestedRoute::new(path!("/"), TicketsRoute),
            NestedRoute::new(path!("/tickets"), TicketsRoute),
            NestedRoute::new(path!("/tickets/new"), NewTicketRoute),
            NestedRoute::new(path!("/tickets/:id"), TicketRoute),
            NestedRoute::new(path!("/sign-in"), SignInPage),
            NestedRoute::new(path!("/forgot-password"), ForgotPasswordPage),
            NestedRoute::new(path!("/sign-up"), SignUpPage),
            NestedRoute::new(path!("/account/password"), ChangePasswordRoute),
        )
    };
    FlatRoutes(
        FlatRoutesProps::builder()
            .fallback(NotFoundPage)
            .children(RouteChildren::to_children(routes))
            .build(),
    )
}

#[component]
fn TicketsRoute() -> impl IntoView {
    view! { <Guard><TicketsPage /></Guard> }
}

#[component]
fn ChangePasswordRoute() -> impl IntoView {
    view! { <Guard><ChangePasswordPage /></Guard> }
}

#[component]
fn NewTicketRoute() -> impl IntoView {
    view! { <Guard><NewTicketPage /></Guard> }
}

/// A ticket; another ticket's address builds the page anew (its reply form, its messages),
/// where leptos_router would only change the `id` param.
#[component]
fn TicketRoute() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")));
    move || {
        id.track();
        view! { <Guard><TicketPage /></Guard> }
    }
}

fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    use wasm_bindgen::JsCast;
    if let Some(main) =
        crate::browser::dom::by_id("main").and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

fn restore_session(ctx: Ctx) {
    ctx.auth.set(AuthState::Checking);
    let backend = ctx.backend();
    spawn_local(async move {
        ctx.auth.set(match backend.restore().await {
            Ok(Some(c)) => AuthState::SignedIn(c),
            Ok(None) => AuthState::SignedOut { notice: None },
            Err(e) if e.kind == crate::domain::error::ErrorKind::SignedOut => {
                AuthState::SignedOut {
                    notice: Some(e.message),
                }
            }
            Err(e) => AuthState::Unavailable(e),
        });
    });
}

#[component]
fn Header(name: String, logo: Option<String>) -> impl IntoView {
    let ctx = use_ctx();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    // Phones: the account and the theme and language choices fold behind "Menu", so the first
    // screen shows tickets, not the header (wider screens show them in the header's row).
    let menu_open = RwSignal::new(false);
    let path = use_routing().path;
    effect(move || {
        path.track();
        menu_open.set(false);
    });
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
            crate::browser::dom::focus_later("header-menu-toggle");
        }
    };
    let sign_out = move |_| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        let backend = ctx.backend();
        let navigate = navigate.clone();
        spawn_local(async move {
            backend.sign_out().await;
            signing_out.set(false);
            // Leave the guarded page first, so the guard does not record it as the way back.
            navigate("/sign-in", Default::default());
            ctx.auth.set(AuthState::SignedOut {
                notice: Some(Msg::SignedOut),
            });
        });
    };
    view! {
        <header class="site-header">
            <div class="header-inner">
                <Link href="/tickets" attr:class="brand">
                    {match logo {
                        // The logo stands for the name: its alt text is the link's name.
                        Some(src) => {
                            view! { <img class="brand-logo" src=src alt=move || brand_name(&name) /> }
                                .into_any()
                        }
                        None => (move || brand_name(&name)).into_any(),
                    }}
                </Link>
                <button type="button" id="header-menu-toggle" class="menu-toggle"
                    aria-expanded=move || menu_open.get().to_string() aria-controls="header-panel"
                    on:click=move |_| menu_open.update(|open| *open = !*open)>
                    {tr(|t| t.menu)}
                </button>
                {move || {
                    ctx.customer().map(|_| view! {
                        <nav aria-label=tr(|t| t.main_nav)>
                            <ul>
                                <li><Link href="/tickets">{tr(|t| t.my_tickets)}</Link></li>
                                <crate::ui::components::IfMayCreate>
                                    <li><Link href="/tickets/new">{tr(|t| t.new_ticket)}</Link></li>
                                </crate::ui::components::IfMayCreate>
                            </ul>
                        </nav>
                    })
                }}
                <div id="header-panel" class="header-panel" class:open=menu_open on:keydown=close_on_escape>
                    {move || {
                        ctx.customer()
                            .map(|c| {
                                view! {
                                    <div class="account">
                                        <span class="who" title=c.email.clone()>{c.display_name.clone()}</span>
                                        {ctx.backend().can_change_password().then(|| view! {
                                            <Link href="/account/password" attr:class="account-password">{tr(|t| t.change_password)}</Link>
                                        })}
                                        <button type="button" class="secondary" on:click=sign_out.clone() disabled=signing_out>
                                            {tr(|t| t.sign_out)}
                                        </button>
                                    </div>
                                }
                            })
                    }}
                    <crate::ui::theme::ThemeSelect />
                    <LanguageSelect />
                </div>
            </div>
        </header>
    }
}

/// The language switcher: each language under its own name; the choice applies at once and is
/// remembered in this browser.
#[component]
fn LanguageSelect() -> impl IntoView {
    let options = i18n::LANGUAGES
        .iter()
        .map(|l| view! { <option value=l.code lang=l.code>{l.name}</option> })
        .collect_view();
    view! {
        <div class="language-choice">
            <label for="language">{tr(|t| t.language)}</label>
            <select id="language" prop:value=i18n::selected
                on:change=move |ev| i18n::choose(&event_target_value(&ev))>
                {options}
            </select>
        </div>
    }
}

/// What the guard shows, derived from the auth state.
#[derive(Clone, PartialEq)]
enum Gate {
    Wait,
    Open,
    SignIn,
    Failed(PortalError),
}

/// Shows its children only to a signed-in customer; otherwise sends them to sign in and
/// remembers where they were going.
#[component]
fn Guard(children: ChildrenFn) -> impl IntoView {
    let ctx = use_ctx();
    let routing = use_routing();
    let gate = Memo::new(move |_| match ctx.auth.get() {
        AuthState::Checking => Gate::Wait,
        AuthState::SignedIn(_) => Gate::Open,
        AuthState::SignedOut { .. } => Gate::SignIn,
        AuthState::Unavailable(e) => Gate::Failed(e),
    });
    effect(move || {
        if gate.get() == Gate::SignIn {
            if routing.path.get_untracked() == "/sign-in" {
                return;
            }
            let next = routing.target();
            let target = format!("/sign-in?next={}", js_sys::encode_uri_component(&next));
            routing.navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    move || match gate.get() {
        Gate::Open => children().into_any(),
        Gate::Failed(e) => view! {
            <div class="page narrow">
                <ErrorAlert error=e on_retry=Callback::new(move |_| restore_session(ctx)) />
            </div>
        }
        .into_any(),
        Gate::Wait | Gate::SignIn => {
            view! { <p class="boot" role="status">{tr(|t| t.loading)}</p> }.into_any()
        }
    }
}
