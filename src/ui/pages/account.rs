//! What a customer can do about their account: "Forgot password?" and "Create an account"
//! (signed out, where the help desk offers them in the portal) and "Change password" (signed
//! in). Passwords live only in the form's memory until the help desk answered; never stored.
//! The answers of the two signed-out forms never tell whether an address exists: the help desk
//! answers the same either way, and so does the page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::Backend;
use crate::domain::error::{ErrorKind, Msg};
use crate::domain::{AccountOptions, AccountWay, SignUp};
use crate::i18n::{t, tr, Texts};
use crate::state::use_ctx;
use crate::ui::routing::Link;

type Text = fn(&Texts) -> &'static str;

/// The sign-in page's "Forgot password?" and "Create an account", as the help desk offers them:
/// a page of the portal, a link to the help desk's own page, or nothing.
#[component]
pub fn AccountLinks() -> impl IntoView {
    let ctx = use_ctx();
    let options = RwSignal::new(AccountOptions::default());
    let backend = ctx.backend();
    spawn_local(async move {
        options.set(backend.account_options().await);
    });
    let link = move |way: AccountWay, page: &'static str, text: Text| match way {
        AccountWay::Off => None,
        AccountWay::InPortal => {
            Some(view! { <li><Link href=page>{tr(text)}</Link></li> }.into_any())
        }
        AccountWay::Link(url) => Some(view! { <li><a href=url>{tr(text)}</a></li> }.into_any()),
    };
    move || {
        let o = options.get();
        let items = (
            link(o.lost_password, "/forgot-password", |t| t.forgot_password),
            link(o.sign_up, "/sign-up", |t| t.create_account),
        );
        (items.0.is_some() || items.1.is_some())
            .then(|| view! { <ul class="account-links">{items.0}{items.1}</ul> })
    }
}

/// A message shown under a form: in the customer's language, at the time it is shown.
fn alert(error: RwSignal<Option<Msg>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <div class="alert" role="alert"><p>{e.text(t())}</p></div> })
    }
}

fn field_alert(error: RwSignal<Option<Text>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="field-error" role="alert">{e(t())}</p> })
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let ctx = use_ctx();
    let login = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    let missing = RwSignal::new(None::<Text>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        missing.set(None);
        let value = login.get_untracked().trim().to_string();
        if value.is_empty() {
            missing.set(Some(|t| t.missing_login));
            return;
        }
        busy.set(true);
        let backend = ctx.backend();
        spawn_local(async move {
            let result = backend.request_password_reset(&value).await;
            busy.set(false);
            match result {
                Ok(()) => sent.set(true),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <div class="page narrow account-page">
            <h1>{tr(|t| t.forgot_heading)}</h1>
            {move || if sent.get() {
                view! { <p class="notice" role="status">{tr(|t| t.reset_sent)}</p> }.into_any()
            } else {
                view! {
                    <p>{tr(|t| t.forgot_intro)}</p>
                    <form on:submit=submit novalidate>
                        <div class="field">
                            <label for="reset-login">{tr(|t| t.login_label)}</label>
                            <input id="reset-login" type="text" autocomplete="username" required bind:value=login />
                        </div>
                        {field_alert(missing)}
                        {alert(error)}
                        <button type="submit" class="primary" aria-busy=move || busy.get().to_string()>
                            {tr(|t| t.send_reset_link)}
                        </button>
                        {move || busy.get().then(|| view! { <p class="hint" role="status">{tr(|t| t.sending)}</p> })}
                    </form>
                }.into_any()
            }}
            <p><Link href="/sign-in">{tr(|t| t.back_to_sign_in)}</Link></p>
        </div>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let ctx = use_ctx();
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    // The help desk's password rules are shown at the password field.
    let password_error = RwSignal::new(None::<Msg>);
    let missing = RwSignal::new(None::<Text>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        password_error.set(None);
        missing.set(None);
        let account = SignUp {
            first_name: first.get_untracked(),
            last_name: last.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        if account.email.trim().is_empty() || account.password.is_empty() {
            missing.set(Some(|t| t.missing_sign_up));
            return;
        }
        busy.set(true);
        let backend = ctx.backend();
        spawn_local(async move {
            let result = backend.sign_up(&account).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    password.set(String::new());
                    sent.set(true);
                }
                Err(e) if e.kind == ErrorKind::Validation && is_password_rule(&e.message) => {
                    password_error.set(Some(e.message))
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <div class="page narrow account-page">
            <h1>{tr(|t| t.create_account)}</h1>
            {move || if sent.get() {
                view! { <p class="notice" role="status">{tr(|t| t.sign_up_sent)}</p> }.into_any()
            } else {
                view! {
                    <form on:submit=submit novalidate>
                        <div class="field">
                            <label for="sign-up-first">{tr(|t| t.first_name)}</label>
                            <input id="sign-up-first" type="text" autocomplete="given-name" bind:value=first />
                        </div>
                        <div class="field">
                            <label for="sign-up-last">{tr(|t| t.last_name)}</label>
                            <input id="sign-up-last" type="text" autocomplete="family-name" bind:value=last />
                        </div>
                        <div class="field">
                            <label for="sign-up-email">{tr(|t| t.email_label)}</label>
                            <input id="sign-up-email" type="email" autocomplete="email" required bind:value=email />
                        </div>
                        <div class="field">
                            <label for="sign-up-password">{tr(|t| t.password)}</label>
                            <input id="sign-up-password" type="password" autocomplete="new-password" required
                                bind:value=password
                                aria-invalid=move || password_error.with(Option::is_some).to_string()
                                aria-describedby="sign-up-password-error" />
                            <p id="sign-up-password-error" class="field-error" role="alert">
                                {move || password_error.get().map(|e| e.text(t()))}
                            </p>
                        </div>
                        {field_alert(missing)}
                        {alert(error)}
                        <button type="submit" class="primary" aria-busy=move || busy.get().to_string()>
                            {tr(|t| t.sign_up_submit)}
                        </button>
                        {move || busy.get().then(|| view! { <p class="hint" role="status">{tr(|t| t.sending)}</p> })}
                    </form>
                }.into_any()
            }}
            <p><Link href="/sign-in">{tr(|t| t.back_to_sign_in)}</Link></p>
        </div>
    }
}

/// A refusal that is about the password typed (the help desk's policy).
fn is_password_rule(m: &Msg) -> bool {
    matches!(
        m,
        Msg::PasswordTooShort(_)
            | Msg::PasswordNeedsCase
            | Msg::PasswordNeedsDigit
            | Msg::PasswordNeedsSpecial
            | Msg::PasswordRefused(_)
    )
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let ctx = use_ctx();
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    let old_error = RwSignal::new(None::<Msg>);
    let new_error = RwSignal::new(None::<Msg>);
    let missing = RwSignal::new(None::<Text>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        old_error.set(None);
        new_error.set(None);
        missing.set(None);
        done.set(false);
        let (o, n) = (old.get_untracked(), new.get_untracked());
        if o.is_empty() || n.is_empty() || repeat.with_untracked(String::is_empty) {
            missing.set(Some(|t| t.missing_passwords));
            return;
        }
        if repeat.with_untracked(|r| *r != n) {
            missing.set(Some(|t| t.passwords_differ));
            return;
        }
        busy.set(true);
        let backend = ctx.backend();
        spawn_local(async move {
            let result = backend.change_password(&o, &n).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    old.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    done.set(true);
                }
                Err(e) if e.message == Msg::CurrentPasswordWrong => old_error.set(Some(e.message)),
                Err(e) if is_password_rule(&e.message) => new_error.set(Some(e.message)),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let invalid = |s: RwSignal<Option<Msg>>| move || s.with(Option::is_some).to_string();
    let shown = |s: RwSignal<Option<Msg>>| move || s.get().map(|e| e.text(t()));
    view! {
        <div class="page narrow account-page">
            <h1>{tr(|t| t.change_password)}</h1>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="password-old">{tr(|t| t.current_password)}</label>
                    <input id="password-old" type="password" autocomplete="current-password" required
                        bind:value=old aria-invalid=invalid(old_error) aria-describedby="password-old-error" />
                    <p id="password-old-error" class="field-error" role="alert">{shown(old_error)}</p>
                </div>
                <div class="field">
                    <label for="password-new">{tr(|t| t.new_password)}</label>
                    <input id="password-new" type="password" autocomplete="new-password" required
                        bind:value=new aria-invalid=invalid(new_error) aria-describedby="password-new-error" />
                    <p id="password-new-error" class="field-error" role="alert">{shown(new_error)}</p>
                </div>
                <div class="field">
                    <label for="password-repeat">{tr(|t| t.repeat_password)}</label>
                    <input id="password-repeat" type="password" autocomplete="new-password" required bind:value=repeat />
                </div>
                {field_alert(missing)}
                {alert(error)}
                {move || done.get().then(|| view! { <p class="notice" role="status">{tr(|t| t.password_changed)}</p> })}
                <button type="submit" class="primary" aria-busy=move || busy.get().to_string()>
                    {tr(|t| t.change_password)}
                </button>
            </form>
        </div>
    }
}
