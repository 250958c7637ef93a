use leptos::prelude::*;

use crate::i18n;
use crate::ui::format;

/// A timestamp in the customer's language (and region), with the relative time as a tooltip.
#[component]
pub fn DateTime(iso: String) -> impl IntoView {
    let text = {
        let iso = iso.clone();
        move || format::date_time(&iso, &i18n::locale())
    };
    let relative = {
        let iso = iso.clone();
        move || format::relative(&iso, &i18n::locale())
    };
    view! { <time datetime=iso title=relative>{text}</time> }
}
