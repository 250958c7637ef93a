use leptos::prelude::*;

use crate::domain::TicketState;

/// The state category as a badge, with the help desk's own state name when it says more.
#[component]
pub fn StateBadge(state: TicketState) -> impl IntoView {
    let label = state.category.label();
    let detail = (!state.name.eq_ignore_ascii_case(label)).then(|| state.name.clone());
    view! {
        <span class=state.category.css_class() title=detail.clone()>
            {label}
        </span>
    }
}
