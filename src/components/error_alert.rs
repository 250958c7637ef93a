use leptos::prelude::*;

use crate::error::PortalError;

/// An error the customer can read, with "Try again" when retrying makes sense and an optional
/// second line (e.g. that what they wrote is kept).
#[component]
pub fn ErrorAlert(
    error: PortalError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
    #[prop(optional, into)] note: Option<String>,
) -> impl IntoView {
    let retry = on_retry.map(|cb| {
        view! {
            <button type="button" class="secondary" on:click=move |_| cb.run(())>
                "Try again"
            </button>
        }
    });
    view! {
        <div class="alert" role="alert">
            <p>{error.message}</p>
            {note.map(|n| view! { <p class="alert-note">{n}</p> })}
            {retry}
        </div>
    }
}
