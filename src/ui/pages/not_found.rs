use crate::i18n::tr;
use crate::ui::routing::Link;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <div class="page narrow">
            <h1>{tr(|t| t.page_not_found)}</h1>
            <p>{tr(|t| t.nothing_here)}</p>
            <p><Link href="/tickets">{tr(|t| t.back_to_tickets)}</Link></p>
        </div>
    }
}
