use leptos::prelude::*;

use crate::domain::{StateCategory, TicketState};
use crate::i18n::{t, Texts};

fn label(t: &Texts, category: StateCategory) -> &'static str {
    match category {
        StateCategory::New => t.state_new,
        StateCategory::Open => t.state_open,
        StateCategory::Pending => t.state_pending,
        StateCategory::Closed => t.state_closed,
    }
}

/// The state category as a badge, with the help desk's own state name when it says more than
/// the category (compared with the category's English name, whatever the language shown).
#[component]
pub fn StateBadge(state: TicketState) -> impl IntoView {
    let category = state.category;
    let detail = (!state.name.eq_ignore_ascii_case(category.label())).then(|| state.name.clone());
    view! {
        <span class=category.css_class() title=detail>
            {move || label(t(), category)}
        </span>
    }
}
