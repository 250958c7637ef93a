//! Live updates of an open ticket: a new reply appears without a reload.
//!
//! While the tab is visible the page asks the help desk every `poll_interval_ms` (config.json)
//! when the ticket last changed, with the cheapest request each back end has
//! (`Backend::ticket_changed_at`: Zammad's bare ticket row, a Znuny TicketGet without articles),
//! and reads the whole ticket only when that moved. A hidden tab asks nothing; when it becomes
//! visible again it asks at once. Polling ends with the view that started it (navigation, and
//! sign-out, where the route guard drops the page), pauses while the password dialog is open,
//! and a failed poll is silent: the next interval tries again. A lost session goes through the
//! usual password dialog (`Ctx::read_fresh`). The view cache is never asked (`read_fresh`).

use std::cell::RefCell;
use std::pin::pin;
use std::time::Duration;

use futures::channel::oneshot;
use leptos::prelude::*;

use crate::backend::Backend;
use crate::domain::error::PortalResult;
use crate::domain::{Ticket, TicketId};
use crate::state::{spawn_until_cleanup, Ctx};

/// A ticket changed less than this long before it was read may have changed again within the
/// same second or between the parallel requests that read it: it is read once more.
const SETTLING_MS: f64 = 3_000.0;

/// What the poller knows about the ticket shown.
struct Known {
    /// Its change time as last read.
    stamp: String,
    /// Read the whole ticket at the next look even if the change time did not move.
    confirm: bool,
}

/// A change time in whole seconds (Znuny) cannot tell two changes within one second apart.
fn coarse(stamp: &str) -> bool {
    !stamp.contains('.')
}

/// The ticket was read within [`SETTLING_MS`] of its last change (or the clocks disagree).
fn recent(stamp: &str, read_at: f64) -> bool {
    let changed = js_sys::Date::parse(stamp);
    changed.is_finite() && read_at - changed < SETTLING_MS
}

/// Follows ticket `id`, shown as of change time `stamp` and read from the help desk at
/// `read_at` (ms; it may come from the view cache; 0: not read, see above), calling `on_read` with the ticket read anew
/// whenever it may have changed. Ends with the current reactive owner.
pub fn follow_ticket(
    ctx: Ctx,
    id: TicketId,
    stamp: String,
    read_at: f64,
    on_read: impl Fn(Ticket) + 'static,
) {
    let every = ctx.config.with_value(|c| c.poll_interval_ms);
    // Shown from a write's answer (`read_at` 0), not read: the help desk is asked at once, even
    // with polling off, so the thread shows the help desk's own version (nothing lost).
    let unread = read_at == 0.0;
    if every == 0 && !unread {
        return;
    }
    spawn_until_cleanup(async move {
        let mut known = Known {
            confirm: unread || recent(&stamp, read_at),
            stamp,
        };
        // The first look comes one interval after what is shown was read.
        let age = (js_sys::Date::now() - read_at).clamp(0.0, f64::from(every));
        pause(every - age as u32).await;
        loop {
            if hidden() {
                visibility_change().await;
                continue;
            }
            if !ctx.reauth_open.get_untracked() {
                if let Ok(Some(ticket)) = look(ctx, &id, &mut known).await {
                    on_read(ticket);
                }
            }
            if every == 0 {
                return;
            }
            pause(every).await;
        }
    });
}

/// One poll: the change time, then the whole ticket if it moved (or must be confirmed).
async fn look(ctx: Ctx, id: &TicketId, known: &mut Known) -> PortalResult<Option<Ticket>> {
    let stamp = ctx
        .read_fresh(|b| {
            let id = id.clone();
            async move { b.ticket_changed_at(&id).await }
        })
        .await?;
    let moved = stamp != known.stamp || stamp.is_empty();
    if !moved && !known.confirm {
        return Ok(None);
    }
    let ticket = ctx
        .read_fresh(|b| {
            let id = id.clone();
            async move { b.ticket(&id).await }
        })
        .await?;
    // The change time read *before* the ticket: a change between the two reads moves it again
    // and is read at the next look, never missed.
    known.confirm = moved && coarse(&stamp);
    known.stamp = stamp;
    Ok(Some(ticket))
}

/// Runs `change`, which adds content to the page, and keeps the element the customer is working
/// in (the focused one, such as the reply box) where it was on screen. Browsers' scroll anchoring
/// keeps the topmost visible content in place instead, which pushes the reply box down while the
/// customer types below a growing thread. A focused element out of sight is left alone: the
/// customer is reading elsewhere.
pub fn keeping_focus_in_place(change: impl FnOnce()) {
    let focused = web_sys::window()
        .and_then(|w| Some((w.inner_height().ok()?.as_f64()?, w.document()?)))
        .and_then(|(height, doc)| {
            let el = doc.active_element()?;
            let top = el.get_bounding_client_rect().top();
            let body = doc.body().map(web_sys::Element::from);
            (Some(&el) != body.as_ref() && (0.0..height).contains(&top)).then_some((el, top))
        });
    change();
    if let Some((el, before)) = focused {
        // After the DOM update (a microtask) and before the next paint.
        request_animation_frame(move || {
            let moved = el.get_bounding_client_rect().top() - before;
            if moved.abs() >= 1.0 {
                if let Some(w) = web_sys::window() {
                    w.scroll_by_with_x_and_y(0.0, moved);
                }
            }
        });
    }
}

fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Removes a window listener when dropped (the waiting future was aborted or finished).
struct Listening(Option<WindowListenerHandle>);

impl Drop for Listening {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.remove();
        }
    }
}

/// Resolves at the next `visibilitychange` (fired at the document, seen by the window).
async fn visibility_change() {
    let (tx, rx) = oneshot::channel::<()>();
    let tx = RefCell::new(Some(tx));
    let _listening = Listening(Some(window_event_listener_untyped(
        "visibilitychange",
        move |_| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(());
            }
        },
    )));
    let _ = rx.await;
}

/// Clears a timeout when dropped.
struct Timer(TimeoutHandle);

impl Drop for Timer {
    fn drop(&mut self) {
        self.0.clear();
    }
}

pub(crate) async fn sleep(ms: u32) {
    let (tx, rx) = oneshot::channel::<()>();
    let started = set_timeout_with_handle(
        move || {
            let _ = tx.send(());
        },
        Duration::from_millis(ms.into()),
    );
    match started {
        Ok(handle) => {
            let _timer = Timer(handle);
            let _ = rx.await;
        }
        // No timers: never poll again rather than in a busy loop.
        Err(_) => futures::future::pending::<()>().await,
    }
}

/// Waits `ms`, or less when the tab is hidden or shown meanwhile.
async fn pause(ms: u32) {
    futures::future::select(pin!(sleep(ms)), pin!(visibility_change())).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_second_stamps_are_coarse() {
        assert!(coarse("2026-11-24T04:46:40Z"));
        assert!(!coarse("2025-06-02T09:15:27.412Z"));
    }
}
