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

/// What the three account forms share about sending: whether a request is out, the help desk's
/// refusal, what the customer left out. Plain signals, non-generic methods, and the two alerts
/// left as separate children of each form: a nested view of both made the wasm larger.
#[derive(Clone, Copy)]
struct Sending {
    busy: RwSignal<bool>,
    error: RwSignal<Option<Msg>>,
    missing: RwSignal<Option<Text>>,
}

impl Sending {
    fn new() -> Self {
        Self {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            missing: RwSignal::new(None),
        }
    }

    /// The start of every submit: false while the last request is still out (a second press
    /// must not send twice); otherwise the last attempt's messages are cleared.
    fn start(self, ev: &leptos::ev::SubmitEvent) -> bool {
        ev.prevent_default();
        if self.busy.get_untracked() {
            return false;
        }
        self.error.set(None);
        self.missing.set(None);
        true
    }

    /// The form's submit button, marked busy while the request is out.
    fn button(self, label: Text) -> impl IntoView {
        view! {
            <button type="submit" class="primary" aria-busy=move || self.busy.get().to_string()>
                {tr(label)}
            </button>
        }
    }

    /// "Sending…" under the button while the request is out.
    fn status(self) -> impl IntoView {
        move || {
            self.busy
                .get()
                .then(|| view! { <p class="hint" role="status">{tr(|t| t.sending)}</p> })
        }
    }
}

/// A password input whose refusal by the help desk is read out under it and tied to it
/// (`aria-invalid`, `aria-describedby`), so a screen reader hears why when it returns there.
fn password_field(
    id: &'static str,
    error_id: &'static str,
    label: Text,
    autocomplete: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<Msg>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            <input id=id type="password" autocomplete=autocomplete required
                bind:value=value
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=error_id />
            <p id=error_id class="field-error" role="alert">
                {move || error.get().map(|e| e.text(t()))}
            </p>
        </div>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let ctx = use_ctx();
    let login = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let form = Sending::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        if !form.start(&ev) {
            return;
        }
        let value = login.get_untracked().trim().to_string();
        if value.is_empty() {
            form.missing.set(Some(|t| t.missing_login));
            return;
        }
        let backend = ctx.backend();
        form.busy.set(true);
        spawn_local(async move {
            let result = backend.request_password_reset(&value).await;
            form.busy.set(false);
            match result {
                Ok(()) => sent.set(true),
                Err(e) => form.error.set(Some(e.message)),
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
                        {field_alert(form.missing)}
                        {alert(form.error)}
                        {form.button(|t| t.send_reset_link)}
                        {form.status()}
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
    let sent = RwSignal::new(false);
    let form = Sending::new();
    // The help desk's password rules are shown at the password field.
    let password_error = RwSignal::new(None::<Msg>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        if !form.start(&ev) {
            return;
        }
        password_error.set(None);
        let account = SignUp {
            first_name: first.get_untracked(),
            last_name: last.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        if account.email.trim().is_empty() || account.password.is_empty() {
            form.missing.set(Some(|t| t.missing_sign_up));
            return;
        }
        let backend = ctx.backend();
        form.busy.set(true);
        spawn_local(async move {
            let result = backend.sign_up(&account).await;
            form.busy.set(false);
            match result {
                Ok(()) => {
                    password.set(String::new());
                    sent.set(true);
                }
                Err(e) if e.kind == ErrorKind::Validation && is_password_rule(&e.message) => {
                    password_error.set(Some(e.message))
                }
                Err(e) => form.error.set(Some(e.message)),
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
                        {password_field("sign-up-password", "sign-up-password-error", |t| t.password, "new-password", password, password_error)}
                        {field_alert(form.missing)}
                        {alert(form.error)}
                        {form.button(|t| t.sign_up_submit)}
                        {form.status()}
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
    let done = RwSignal::new(false);
    let form = Sending::new();
    let old_error = RwSignal::new(None::<Msg>);
    let new_error = RwSignal::new(None::<Msg>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        if !form.start(&ev) {
            return;
        }
        old_error.set(None);
        new_error.set(None);
        done.set(false);
        let (o, n) = (old.get_untracked(), new.get_untracked());
        if o.is_empty() || n.is_empty() || repeat.with_untracked(String::is_empty) {
            form.missing.set(Some(|t| t.missing_passwords));
            return;
        }
        if repeat.with_untracked(|r| *r != n) {
            form.missing.set(Some(|t| t.passwords_differ));
            return;
        }
        let backend = ctx.backend();
        form.busy.set(true);
        spawn_local(async move {
            let result = backend.change_password(&o, &n).await;
            form.busy.set(false);
            match result {
                Ok(()) => {
                    old.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    done.set(true);
                }
                Err(e) if e.message == Msg::CurrentPasswordWrong => old_error.set(Some(e.message)),
                Err(e) if is_password_rule(&e.message) => new_error.set(Some(e.message)),
                Err(e) => form.error.set(Some(e.message)),
            }
        });
    };
    view! {
        <div class="page narrow account-page">
            <h1>{tr(|t| t.change_password)}</h1>
            <form on:submit=submit novalidate>
                {password_field("password-old", "password-old-error", |t| t.current_password, "current-password", old, old_error)}
                {password_field("password-new", "password-new-error", |t| t.new_password, "new-password", new, new_error)}
                <div class="field">
                    <label for="password-repeat">{tr(|t| t.repeat_password)}</label>
                    <input id="password-repeat" type="password" autocomplete="new-password" required bind:value=repeat />
                </div>
                {field_alert(form.missing)}
                {alert(form.error)}
                {move || done.get().then(|| view! { <p class="notice" role="status">{tr(|t| t.password_changed)}</p> })}
                {form.button(|t| t.change_password)}
                {form.status()}
            </form>
        </div>
    }
}
