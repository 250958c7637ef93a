use leptos::prelude::*;

use crate::error::PortalError;
use crate::i18n::tr;

/// An error the customer can read, with "Try again" when retrying makes sense.
#[component]
pub fn ErrorAlert(
    error: PortalError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
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
            {retry}
        </div>
    }
}
