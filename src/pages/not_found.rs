use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <div class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p><A href=crate::app::link("/tickets")>"Back to my tickets"</A></p>
        </div>
    }
}
