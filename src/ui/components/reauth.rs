use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::two_factor::{answer, TwoFactorStep};
use crate::backend::Backend;
use crate::browser::storage;
use crate::domain::error::Msg;
use crate::domain::{Credentials, SignInOutcome, TwoFactorChallenge, TwoFactorMethod};
use crate::i18n::{t, tr};
use crate::state::{effect, use_ctx, AuthState};

/// Asks for the password again when the session ended while the customer was working. The page
/// underneath stays as it is (with everything typed); the interrupted operation then runs again.
#[component]
pub fn ReauthDialog() -> impl IntoView {
    let ctx = use_ctx();
    let dialog = NodeRef::<Dialog>::new();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let challenge = RwSignal::new(None::<TwoFactorChallenge>);
    let method = RwSignal::new(TwoFactorMethod::AuthenticatorApp);
    let busy = RwSignal::new(false);
    // `None` inside: the password is missing; otherwise the help desk's answer.
    let error = RwSignal::new(None::<Option<Msg>>);

    // A modal <dialog> keeps keyboard focus inside and makes the page behind it inert.
    effect(move || {
        let open = ctx.reauth_open.get();
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                password.set(String::new());
                code.set(String::new());
                challenge.set(None);
                error.set(None);
                let _ = d.show_modal();
            } else if !open && d.open() {
                d.close();
            }
        }
    });

    let give_up = move || {
        password.set(String::new());
        ctx.finish_reauth(false);
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(customer) = ctx.customer() else {
            give_up();
            return;
        };
        if password.get_untracked().is_empty() {
            error.set(Some(None));
            return;
        }
        let two_factor = if challenge.with_untracked(Option::is_some) {
            match answer(method.get_untracked(), &code.get_untracked()) {
                Ok(a) => Some(a),
                Err(text) => {
                    error.set(Some(Some(Msg::HelpDesk(text(t()).to_string()))));
                    return;
                }
            }
        } else {
            None
        };
        let credentials = Credentials {
            login: customer.login.clone(),
            password: password.get_untracked(),
            stay_signed_in: storage::last_choice_persistent(),
            two_factor,
        };
        busy.set(true);
        error.set(None);
        let backend = ctx.backend();
        spawn_local(async move {
            let result = backend.sign_in(&credentials).await;
            busy.set(false);
            match result {
                Ok(SignInOutcome::SignedIn(c)) => {
                    password.set(String::new());
                    ctx.auth.set(AuthState::SignedIn(c));
                    ctx.finish_reauth(true);
                }
                Ok(SignInOutcome::TwoFactorRequired(c)) => {
                    if challenge.with_untracked(Option::is_none) {
                        method.set(c.default);
                    }
                    challenge.set(Some(c));
                }
                Err(e) => error.set(Some(Some(e.message))),
            }
        });
    };

    view! {
        <dialog node_ref=dialog class="reauth" aria-labelledby="reauth-title"
            on:cancel=move |ev: leptos::ev::Event| {
                // Escape: the same as "Sign out", so no operation waits forever.
                ev.prevent_default();
                give_up();
            }>
            <Show when=move || ctx.reauth_open.get()>
            <form on:submit=submit novalidate>
                <h2 id="reauth-title">{tr(|t| t.reauth_heading)}</h2>
                <p>
                    {tr(|t| t.reauth_before)}
                    <strong>{move || ctx.customer().map(|c| c.display_name).unwrap_or_default()}</strong>
                    {tr(|t| t.reauth_after)}
                </p>
                <div class="field">
                    <label for="reauth-password">{tr(|t| t.password)}</label>
                    <input id="reauth-password" type="password" autocomplete="current-password" bind:value=password />
                </div>
                {move || challenge.get().map(|c| view! {
                    <TwoFactorStep challenge=c method=method code=code prefix="reauth-" />
                })}
                {move || error.get().map(|e| {
                    let text = match e {
                        Some(m) => m.text(t()),
                        None => t().enter_password.to_string(),
                    };
                    view! { <div class="alert" role="alert"><p>{text}</p></div> }
                })}
                <div class="dialog-actions">
                    <button type="submit" class="primary" aria-busy=move || busy.get().to_string()>{tr(|t| t.continue_)}</button>
                    <button type="button" class="secondary" on:click=move |_| give_up()>{tr(|t| t.sign_out_instead)}</button>
                </div>
            </form>
            </Show>
        </dialog>
    }
}
