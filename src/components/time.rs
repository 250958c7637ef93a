use leptos::prelude::*;

use crate::format;

/// A timestamp in the customer's locale, with the relative time as a tooltip.
#[component]
pub fn DateTime(iso: String) -> impl IntoView {
    let text = format::date_time(&iso);
    let relative = format::relative(&iso);
    view! { <time datetime=iso title=relative>{text}</time> }
}
