use leptos::prelude::*;

use crate::backend::Backend;
use crate::state::{effect, use_ctx};

/// Warns when the help desk is about to end the session on its own (Znuny: two hours after
/// sign-in, however active the customer is), so a password prompt does not come as a surprise.
#[component]
pub fn SessionClock() -> impl IntoView {
    let ctx = use_ctx();
    let minutes_left = RwSignal::new(None::<i64>);
    let check = move || {
        let left = ctx
            .customer()
            .and_then(|_| ctx.backend().session_ends_at())
            .map(|end| ((end - js_sys::Date::now()) / 60_000.0).ceil() as i64);
        minutes_left.set(left.filter(|m| (1..=10).contains(m)));
    };
    // Re-checked at once when the customer signs in again, and every few seconds otherwise
    // (no request involved: the end time is known locally).
    effect(move || {
        ctx.auth.track();
        check();
    });
    if let Ok(handle) = set_interval_with_handle(check, std::time::Duration::from_secs(5)) {
        on_cleanup(move || handle.clear());
    }
    // The live region stays in place and only its content comes and goes, so that screen
    // readers announce the warning when it appears.
    let warning = move || {
        minutes_left.get().map(|m| {
            view! {
                <p class="notice session-clock">
                    {move || crate::i18n::t().session_ends(m)}
                </p>
            }
        })
    };
    view! { <div role="status">{warning}</div> }
}
