use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::safe_next;
use super::tickets::{list_key, list_query_at};
use crate::backend::Backend;
use crate::domain::error::Msg;
use crate::domain::{Credentials, LoginKind, SignInOutcome, TwoFactorChallenge, TwoFactorMethod};
use crate::i18n::{t, tr, Texts};
use crate::state::{effect, use_ctx, AuthState};
use crate::ui::components::{focus_target, two_factor_answer, TwoFactorStep};
use crate::ui::routing::{use_navigate, use_query_map, use_routing, NavigateOptions};

#[component]
pub fn SignInPage() -> impl IntoView {
    let ctx = use_ctx();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = move || safe_next(query.with_untracked(|q| q.get("next")));

    let login = RwSignal::new(String::new());
    // The password lives only in this form's memory until the help desk answered; never stored.
    let password = RwSignal::new(String::new());
    let stay = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    // Set once the help desk asked for a second factor; the customer's choice of method.
    let challenge = RwSignal::new(None::<TwoFactorChallenge>);
    let method = RwSignal::new(TwoFactorMethod::AuthenticatorApp);
    let needs_code = move || challenge.with(Option::is_some);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    let field_error = RwSignal::new(None::<fn(&Texts) -> &'static str>);
    // Label the first field by what the help desk takes (a stock Znuny: login names only).
    let username_only = ctx.backend().login_kind() == LoginKind::Username;
    type Text = fn(&Texts) -> &'static str;
    let (login_label, missing): (Text, Text) = if username_only {
        (|t| t.username_label, |t| t.missing_credentials_username)
    } else {
        (|t| t.login_label, |t| t.missing_credentials)
    };

    // Already signed in (e.g. reload of /sign-in): go on, unless the sign-in itself went on
    // already (navigation is immediate; this runs after it).
    {
        let navigate = navigate.clone();
        let path = use_routing().path;
        effect(move || {
            if matches!(ctx.auth.get(), AuthState::SignedIn(_))
                && !busy.get_untracked()
                && path.get_untracked() == "/sign-in"
            {
                navigate(
                    &next(),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }

    let notice = move || match ctx.auth.get() {
        AuthState::SignedOut { notice: Some(n) } => Some(n),
        _ => None,
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        field_error.set(None);
        let two_factor = if challenge.with_untracked(Option::is_some) {
            match two_factor_answer(method.get_untracked(), &code.get_untracked()) {
                Ok(answer) => Some(answer),
                Err(text) => {
                    field_error.set(Some(text));
                    return;
                }
            }
        } else {
            None
        };
        let credentials = Credentials {
            login: login.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            stay_signed_in: stay.get_untracked(),
            two_factor,
        };
        if credentials.login.is_empty() || credentials.password.is_empty() {
            field_error.set(Some(missing));
            return;
        }
        busy.set(true);
        let backend = ctx.backend();
        let navigate = navigate.clone();
        // Going to the list (most sign-ins): its first page is read while signing in.
        let per_page = ctx.config.with_value(|c| c.page_size);
        let list = list_query_at(&next(), per_page);
        spawn_local(async move {
            let result = match &list {
                Some(q) => backend.sign_in_listing(&credentials, q).await,
                None => backend.sign_in(&credentials).await.map(|o| (o, None)),
            };
            busy.set(false);
            let result = result.map(|(outcome, page)| {
                if let (Some(q), Some(page), SignInOutcome::SignedIn(_)) = (&list, page, &outcome) {
                    let target = next();
                    let path = target.split('?').next().unwrap_or(&target).to_string();
                    ctx.hand_over(list_key(q), path, page);
                }
                outcome
            });
            match result {
                Ok(SignInOutcome::SignedIn(customer)) => {
                    password.set(String::new());
                    code.set(String::new());
                    ctx.auth.set(AuthState::SignedIn(customer));
                    navigate(
                        &next(),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Ok(SignInOutcome::TwoFactorRequired(c)) => {
                    // A repeated challenge keeps the method the customer chose.
                    let m = if challenge.with_untracked(|old| {
                        old.as_ref()
                            .is_some_and(|o| o.methods.contains(&method.get_untracked()))
                    }) {
                        method.get_untracked()
                    } else {
                        c.default
                    };
                    method.set(m);
                    challenge.set(Some(c));
                    focus_later(focus_target("two-factor-", m));
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };

    view! {
        <div class="page narrow sign-in">
            <h1>{tr(|t| t.sign_in)}</h1>
            {move || notice().map(|n| view! { <p class="notice" role="status">{n.text(t())}</p> })}
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="login">{tr(login_label)}</label>
                    <input id="login" name="username" type="text" autocomplete="username" required
                        bind:value=login prop:disabled=needs_code />
                </div>
                <div class="field">
                    <label for="password">{tr(|t| t.password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        bind:value=password prop:disabled=needs_code />
                </div>
                {move || challenge.get().map(|c| view! {
                    <TwoFactorStep challenge=c method=method code=code prefix="two-factor-" />
                })}
                <div class="field checkbox">
                    <input id="stay" type="checkbox" bind:checked=stay />
                    <label for="stay">{tr(|t| t.stay_signed_in)}</label>
                    <p class="hint">{tr(|t| t.stay_hint)}</p>
                </div>
                {move || field_error.get().map(|e| view! { <p class="field-error" role="alert">{e(t())}</p> })}
                {move || error.get().map(|e| view! { <div class="alert" role="alert"><p>{e.text(t())}</p></div> })}
                <button id="sign-in-submit" type="submit" class="primary" aria-busy=move || busy.get().to_string()>
                    {move || match (needs_code(), method.get()) {
                        (false, _) => t().sign_in,
                        (true, TwoFactorMethod::SecurityKey) => t().use_security_key,
                        (true, _) => t().verify,
                    }}
                </button>
                {move || busy.get().then(|| view! { <p class="hint" role="status">{tr(|t| t.signing_in)}</p> })}
            </form>
            <super::AccountLinks />
        </div>
    }
}

/// Moves keyboard focus to an element once it has rendered.
pub fn focus(id: &'static str) {
    crate::browser::dom::focus_later(id);
}

/// Focuses element `id` once rendered, or the form's button when there is no such element
/// (a security key as the only method has no field).
fn focus_later(id: String) {
    leptos::prelude::request_animation_frame(move || {
        let el = crate::browser::dom::by_id(&id)
            .or_else(|| crate::browser::dom::by_id("sign-in-submit"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    });
}
