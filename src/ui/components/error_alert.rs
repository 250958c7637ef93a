use leptos::prelude::*;

use crate::domain::error::PortalError;
use crate::i18n::{tr, Texts};

/// An error the customer can read, with "Try again" when retrying makes sense and an optional
/// second line (e.g. that what they wrote is kept).
#[component]
pub fn ErrorAlert(
    error: PortalError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
    #[prop(optional)] note: Option<fn(&Texts) -> &'static str>,
) -> impl IntoView {
    let retry = on_retry.map(|cb| {
        view! {
            <button type="button" class="secondary" on:click=move |_| cb.run(())>
                {tr(|t| t.try_again)}
            </button>
        }
    });
    view! {
        <div class="alert" role="alert">
            <p>{move || error.text()}</p>
            {note.map(|n| view! { <p class="alert-note">{tr(n)}</p> })}
            {retry}
        </div>
    }
}
