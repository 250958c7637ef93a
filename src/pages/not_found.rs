use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::tr;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <div class="page narrow">
            <h1>{tr(|t| t.page_not_found)}</h1>
            <p>{tr(|t| t.nothing_here)}</p>
            <p><A href=crate::app::link("/tickets")>{tr(|t| t.back_to_tickets)}</A></p>
        </div>
    }
}
