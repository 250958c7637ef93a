//! The browser's connection as the customer sees it: a notice while offline, and for a form
//! whose write waits for the connection, "Send now" once it is back.

use leptos::prelude::*;

use crate::i18n::{tr, Texts};
use crate::state::use_ctx;

/// "You are offline" while the browser has no network connection.
#[component]
pub fn OfflineNotice() -> impl IntoView {
    let ctx = use_ctx();
    move || {
        (!ctx.online.get()).then(|| {
            view! {
                <p class="notice offline" role="status">
                    {tr(|t| t.offline)}
                </p>
            }
        })
    }
}

/// Shown while a write waits for the connection (`waiting`): what happens to it while offline
/// (`offline`), and once online again a line (`online`) with a "Send now" button.
#[component]
pub fn SendWhenOnline(
    waiting: RwSignal<bool>,
    offline: fn(&Texts) -> &'static str,
    online: fn(&Texts) -> &'static str,
    on_send: Callback<()>,
) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        waiting.get().then(|| {
            if ctx.online.get() {
                view! {
                    <div class="notice" role="status">
                        <p>{tr(online)}</p>
                        <button type="button" class="primary" on:click=move |_| on_send.run(())>
                            {tr(|t| t.send_now)}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                view! { <p class="notice" role="status">{tr(offline)}</p> }.into_any()
            }
        })
    }
}
