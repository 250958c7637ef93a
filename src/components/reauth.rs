use leptos::html::Dialog;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::Backend;
use crate::domain::{Credentials, SignInOutcome};
use crate::error::Msg;
use crate::i18n::{t, tr};
use crate::state::{use_ctx, AuthState};
use crate::storage;

/// Asks for the password again when the session ended while the customer was working. The page
/// underneath stays as it is (with everything typed); the interrupted operation then runs again.
#[component]
pub fn ReauthDialog() -> impl IntoView {
    let ctx = use_ctx();
    let dialog = NodeRef::<Dialog>::new();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let needs_code = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // `None` inside: the password is missing; otherwise the help desk's answer.
    let error = RwSignal::new(None::<Option<Msg>>);

    // A modal <dialog> keeps keyboard focus inside and makes the page behind it inert.
    Effect::new(move |_| {
        let open = ctx.reauth_open.get();
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                password.set(String::new());
                code.set(String::new());
                needs_code.set(false);
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
        let credentials = Credentials {
            login: customer.login.clone(),
            password: password.get_untracked(),
            stay_signed_in: storage::last_choice_persistent(),
            two_factor_code: needs_code.get_untracked().then(|| code.get_untracked()),
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
                Ok(SignInOutcome::TwoFactorRequired) => needs_code.set(true),
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
                <Show when=move || needs_code.get()>
                    <div class="field">
                        <label for="reauth-code">{tr(|t| t.two_factor_code)}</label>
                        <input id="reauth-code" type="text" inputmode="numeric" autocomplete="one-time-code" bind:value=code />
                    </div>
                </Show>
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
