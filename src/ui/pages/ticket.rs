//! One ticket: its conversation, attachments, reply form, close and reopen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::backend::Backend;
use crate::domain::error::{ErrorKind, Msg, PortalError};
use crate::domain::{
    Article, FollowUp, Reply, StateCategory, Ticket, TicketId, TicketSummary, Upload, Written,
};
use crate::i18n::{t, tr, Texts};
use crate::state::writes::{self, Attempt, Done};
use crate::state::{effect, use_ctx, Ctx};
use crate::ui::components::{
    ArticleView, DateTime, ErrorAlert, FilePicker, IfMayCreate, SendWhenOnline, StateBadge,
};
use crate::ui::loader::Loaded;
use crate::ui::routing::Link;
use crate::{browser::storage, state::drafts, ui::live};

/// The link offered where the help desk wants a new ticket instead of a follow-up; its subject
/// is in the customer's language.
fn follow_up_link(ticket: &Ticket, t: &Texts) -> String {
    let subject = t.follow_up_subject(&ticket.summary.number, &ticket.summary.title);
    format!(
        "/tickets/new?subject={}",
        js_sys::encode_uri_component(&subject)
    )
}

/// The browser's time now, as the help desks write times (ISO 8601, UTC).
fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Where the view cache keeps a ticket as shown.
pub fn view_key(id: &TicketId) -> String {
    format!("ticket:{}", id.0)
}

/// A confirmation of the last change, worded when shown.
type Flash = RwSignal<Option<fn(&Texts) -> &'static str>>;

#[component]
pub fn TicketPage() -> impl IntoView {
    let ctx = use_ctx();
    let params = use_params_map();
    let id = Memo::new(move |_| TicketId(params.with(|p| p.get("id").unwrap_or_default())));
    // Bumped to read the ticket again from the help desk.
    let version = RwSignal::new(0u32);
    // Confirmation of the last change; lives here because the ticket view is rebuilt on reload.
    let flash: Flash = RwSignal::new(None);
    let ticket = Loaded::new(move || {
        let id = id.get();
        version.track();
        async move {
            ctx.read_timed(view_key(&id), move |b| {
                let id = id.clone();
                async move { b.ticket(&id).await }
            })
            .await
        }
    });

    ticket.retry_when_online(ctx.online);
    // After a change: the ticket as the write's answer says it is now, shown at once (read in
    // the background, see `writes::shown_after`); `None`: read it again first.
    let reload = Callback::new(move |after: Option<Ticket>| match after {
        Some(t) => ticket.show((t, 0.0)),
        None => version.update(|v| *v += 1),
    });

    view! {
        <div class="page ticket-page">
            {move || match ticket.get() {
                None => view! { <p role="status" class="loading">{tr(|t| t.loading_ticket)}</p> }.into_any(),
                Some(Ok((t, read_at))) => view! { <TicketView ticket=t read_at=read_at flash=flash reload=reload /> }.into_any(),
                Some(Err(e)) if e.kind == ErrorKind::NotFound => view! {
                    <h1>{tr(if matches!(e.message, Msg::TicketNotOpenable) { |t| t.ticket_not_openable } else { |t| t.ticket_not_found })}</h1>
                    <p>{move || e.text()}</p>
                    <p><Link href="/tickets">{tr(|t| t.back_to_tickets)}</Link></p>
                }
                .into_any(),
                Some(Err(e)) => view! {
                    <h1>{tr(|t| t.ticket)}</h1>
                    <ErrorAlert error=e on_retry=Callback::new(move |_| ticket.retry()) />
                }
                .into_any(),
            }}
        </div>
    }
}

/// The ticket as it changes on the help desk while shown (`crate::ui::live`): new messages join the
/// thread and the state and update time follow, while the rest of the page (the reply being
/// written, its files, focus, scroll position) stays as it is. Controls that depend on the state
/// (close or reopen, the follow-up notice) keep what they showed until the page is read again.
#[derive(Clone, Copy)]
struct LiveTicket {
    /// What writes act on: the latest version read.
    current: StoredValue<Ticket>,
    summary: RwSignal<TicketSummary>,
    thread: RwSignal<Vec<Article>>,
    /// How many messages from others the last update brought, for the live region, numbered so
    /// that each announcement is a new node (the same text again would not be read out).
    arrived: RwSignal<Option<(u32, usize)>>,
}

impl LiveTicket {
    fn new(ticket: Ticket) -> Self {
        LiveTicket {
            summary: RwSignal::new(ticket.summary.clone()),
            thread: RwSignal::new(ticket.articles.clone()),
            current: StoredValue::new(ticket),
            arrived: RwSignal::new(None),
        }
    }

    /// Shows `fresh`, read anew from the help desk, if anything changed.
    fn update(self, ctx: Ctx, fresh: Ticket, my_name: &str) {
        let Some(known) = self.current.try_get_value() else {
            return;
        };
        if fresh == known {
            return;
        }
        let from_others = fresh
            .articles
            .iter()
            .filter(|a| !known.articles.iter().any(|k| k.id == a.id))
            .filter(|a| !a.is_by(my_name))
            .count();
        let s = &fresh.summary;
        ctx.seen.opened(&s.id, &s.updated_at, &fresh.articles);
        ctx.saw_change(view_key(&s.id), fresh.clone());
        live::keeping_focus_in_place(|| {
            self.summary.set(fresh.summary.clone());
            self.thread.set(fresh.articles.clone());
        });
        self.current.set_value(fresh);
        if from_others > 0 {
            self.arrived
                .update(|a| *a = Some((a.map_or(0, |(seq, _)| seq + 1), from_others)));
        }
    }
}

#[component]
fn TicketView(
    ticket: Ticket,
    read_at: f64,
    flash: Flash,
    reload: Callback<Option<Ticket>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let my_name = ctx.customer().map(|c| c.display_name).unwrap_or_default();
    let closed = ticket.summary.state.category == StateCategory::Closed;
    let refused = closed && ticket.follow_up == FollowUp::Refused;
    // The help desk did not say (Zammad 5 lets only admins read groups): the reply is offered
    // anyway, with a word that it may be refused.
    let undecided = closed && ticket.follow_up == FollowUp::Unknown;
    ctx.seen.opened(
        &ticket.summary.id,
        &ticket.summary.updated_at,
        &ticket.articles,
    );
    let live = LiveTicket::new(ticket);
    let ticket = live.current;
    {
        let my_name = my_name.clone();
        let t = ticket.get_value();
        live::follow_ticket(
            ctx,
            t.summary.id.clone(),
            t.summary.updated_at.clone(),
            read_at,
            move |fresh| live.update(ctx, fresh, &my_name),
        );
    }
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<PortalError>);
    // The state change last asked for (`true`: reopen), for "Try again" and "Send now".
    let last = RwSignal::new(None::<bool>);
    let waiting = RwSignal::new(false);

    let change_state = move |reopen: bool| {
        if busy.get_untracked() {
            return;
        }
        last.set(Some(reopen));
        error.set(None);
        flash.set(None);
        if !ctx.online.get_untracked() {
            waiting.set(true);
            return;
        }
        waiting.set(false);
        busy.set(true);
        let t = ticket.get_value();
        let id = t.summary.id.clone();
        let draft = format!("{}.{id}", if reopen { "reopen" } else { "close" });
        spawn_local(async move {
            let result = writes::once(
                ctx,
                &draft,
                Attempt::now(),
                |b, _| {
                    let id = id.clone();
                    async move {
                        let now = b.ticket(&id).await?;
                        Ok(writes::state_reached(&now, !reopen).then(Written::default))
                    }
                },
                |b| {
                    let t = t.clone();
                    async move {
                        if reopen {
                            b.reopen(&t).await
                        } else {
                            b.close(&t).await
                        }
                    }
                },
            )
            .await;
            busy.set(false);
            match result {
                Ok(done) => {
                    last.set(None);
                    flash.set(Some(if reopen {
                        |t| t.ticket_reopened
                    } else {
                        |t| t.ticket_closed
                    }));
                    reload.run(match done {
                        Done::Sent(w) => Some(writes::shown_after(&t, w, None, now_iso())),
                        // Found by reading the ticket: read it again to show it.
                        Done::Found(..) => None,
                    });
                }
                Err(e) if e.kind == ErrorKind::Network && !ctx.online.get_untracked() => {
                    waiting.set(true);
                }
                Err(e) => {
                    error.set(Some(e));
                }
            }
        });
    };
    let retry = Callback::new(move |_| {
        if let Some(reopen) = last.get_untracked() {
            change_state(reopen);
        }
    });

    let t = ticket.get_value();
    let summary = t.summary.clone();
    let state = Memo::new(move |_| live.summary.with(|s| s.state.clone()));
    let updated_at = Memo::new(move |_| live.summary.with(|s| s.updated_at.clone()));
    let article_view = move |a: Article| {
        view! { <li><ArticleView article=a my_name=my_name.clone() /></li> }
    };
    let new_ticket_link = move || follow_up_link(&ticket.get_value(), crate::i18n::t());
    // After a change the ticket is read again and this view is built anew, taking the button that
    // was used with it: keyboard focus goes to the confirmation instead of being lost.
    let flash_ref = NodeRef::<leptos::html::P>::new();
    if flash.get_untracked().is_some() {
        Effect::new(move |done: Option<bool>| {
            done == Some(true) || flash_ref.get().is_some_and(|p| p.focus().is_ok())
        });
    }

    view! {
        <div class="ticket-head">
            <h1>{summary.title.clone()}</h1>
            <dl class="ticket-meta">
                <div><dt>{tr(|t| t.number)}</dt><dd>"#" {summary.number.clone()}</dd></div>
                <div><dt>{tr(|t| t.status)}</dt><dd>{move || view! { <StateBadge state=state.get() /> }}</dd></div>
                {t.group.clone().map(|g| view! { <div><dt>{tr(|t| t.group)}</dt><dd>{g}</dd></div> })}
                {custom_fields(&t.fields)}
                <div><dt>{tr(|t| t.created)}</dt><dd><DateTime iso=summary.created_at.clone() /></dd></div>
                <div><dt>{tr(|t| t.updated)}</dt><dd>{move || view! { <DateTime iso=updated_at.get() /> }}</dd></div>
            </dl>
            <div class="ticket-actions">
                {if closed {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| change_state(true) disabled=busy>
                            {tr(|t| t.reopen_ticket)}
                        </button>
                    }
                    .into_any()
                } else {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| change_state(false) disabled=busy>
                            {tr(|t| t.close_ticket)}
                        </button>
                    }
                    .into_any()
                }}
            </div>
        </div>
        {refused.then(|| view! {
            <div class="notice" role="note">
                <p>{tr(|t| t.follow_up_refused)}</p>
                <IfMayCreate>
                    <p><Link href=new_ticket_link>{tr(|t| t.create_new_ticket)}</Link></p>
                </IfMayCreate>
            </div>
        })}
        {undecided.then(|| view! {
            <div class="notice" role="note"><p>{tr(|t| t.follow_up_may_be_refused)}</p></div>
        })}
        {move || flash.get().map(|s| view! { <p class="success" role="status" tabindex="-1" node_ref=flash_ref>{tr(s)}</p> })}
        {move || error.get().map(|e| {
            let refusal = e.kind == ErrorKind::Refused;
            let alert = if e.may_have_reached() {
                view! { <ErrorAlert error=e on_retry=retry /> }.into_any()
            } else {
                view! { <ErrorAlert error=e /> }.into_any()
            };
            view! {
                {alert}
                {refusal.then(|| view! {
                    <IfMayCreate>
                        <p><Link href=new_ticket_link>{tr(|t| t.create_new_ticket)}</Link></p>
                    </IfMayCreate>
                })}
            }
        })}
        <SendWhenOnline waiting=waiting
            offline=|t| t.status_waits_offline
            online=|t| t.status_waits_online
            on_send=retry />
        <section aria-labelledby="conversation-heading">
            <h2 id="conversation-heading" class="visually-hidden">{tr(|t| t.conversation)}</h2>
            <ol class="thread">
                <For each=move || live.thread.get() key=|a| a.id.clone() children=article_view />
            </ol>
            <p class="visually-hidden" role="status">
                <For each=move || live.arrived.get() key=|(seq, _)| *seq
                    children=|(_, n)| view! { <span>{move || crate::i18n::t().new_replies(n)}</span> } />
            </p>
        </section>
        <ReplyForm ticket=ticket flash=flash reload=reload />
    }
}

#[component]
fn ReplyForm(
    ticket: StoredValue<Ticket>,
    flash: Flash,
    reload: Callback<Option<Ticket>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let draft = StoredValue::new(format!(
        "reply.{}",
        ticket.with_value(|t| t.summary.id.0.clone())
    ));
    let text = RwSignal::new(storage::load_draft(&draft.get_value()));
    let files = RwSignal::new(Vec::<Upload>::new());
    let busy = RwSignal::new(false);
    // An earlier attempt's outcome is being checked before sending.
    let checking = RwSignal::new(false);
    // The customer sent while offline: the reply waits for the connection.
    let waiting = RwSignal::new(false);
    let error = RwSignal::new(None::<PortalError>);
    let field_error = RwSignal::new(None::<fn(&Texts) -> &'static str>);
    let max_bytes = ctx.config.with_value(|c| c.max_attachment_bytes);
    let closed = ticket.with_value(|t| t.summary.state.category == StateCategory::Closed);

    // Keep what the customer types across reloads, session expiry and failures.
    effect(move || {
        let t = text.get();
        draft.with_value(|k| storage::save_draft(k, &t));
    });
    // Each key also at once, in its own input event: the effect above runs a tick later, and
    // should the wasm ever trap in between (src/browser/trap.rs), the last keys typed are kept too.
    let save_at_once = move |ev: leptos::ev::Event| {
        draft.with_value(|k| storage::save_draft(k, &event_target_value(&ev)));
    };

    let send = move || {
        // One write at a time: a double click must not send the reply twice.
        if busy.get_untracked() {
            return;
        }
        let body = text.get_untracked();
        if body.trim().is_empty() {
            // A stray second click after a sent reply lands here: keep its confirmation.
            field_error.set(Some(|t| t.reply_empty));
            return;
        }
        field_error.set(None);
        flash.set(None);
        error.set(None);
        if !ctx.online.get_untracked() {
            waiting.set(true);
            return;
        }
        waiting.set(false);
        busy.set(true);
        let key = draft.get_value();
        checking.set(drafts::load_attempt(&key).is_some());
        let reply = Reply {
            body: body.clone(),
            attachments: files.get_untracked(),
        };
        let t = ticket.get_value();
        let attempt = Attempt {
            text: body.clone(),
            known: t.articles.iter().map(|a| a.id.clone()).collect(),
            ..Attempt::now()
        };
        spawn_local(async move {
            let id = t.summary.id.clone();
            let result = writes::once(
                ctx,
                &key,
                attempt,
                |b, earlier| {
                    let id = id.clone();
                    async move {
                        let now = b.ticket(&id).await?;
                        Ok(writes::reply_arrived(&now, &earlier).then(Written::default))
                    }
                },
                |b| {
                    let (t, reply) = (t.clone(), reply.clone());
                    async move { b.reply(&t, &reply).await }
                },
            )
            .await;
            busy.set(false);
            checking.set(false);
            let confirmed = |message: fn(&Texts) -> &'static str, after: Option<Ticket>| {
                drafts::clear(&key);
                text.set(String::new());
                files.set(Vec::new());
                flash.set(Some(message));
                reload.run(after);
            };
            match result {
                Ok(Done::Sent(w)) => {
                    let me = ctx.customer().map(|c| c.display_name).unwrap_or_default();
                    let after = writes::shown_after(&t, w, Some((&body, &me)), now_iso());
                    confirmed(|t| t.reply_sent, Some(after))
                }
                Ok(Done::Found(_, earlier))
                    if writes::comparable(&earlier.text) == writes::comparable(&body) =>
                {
                    confirmed(|t| t.reply_sent_earlier, None)
                }
                Ok(Done::Found(..)) => {
                    // The earlier text arrived; what the box holds now was changed since.
                    flash.set(Some(|t| t.earlier_reply_arrived));
                    reload.run(None);
                }
                Err(e) if e.kind == ErrorKind::Network && !ctx.online.get_untracked() => {
                    waiting.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };

    view! {
        <section class="reply" aria-labelledby="reply-heading">
            <h2 id="reply-heading">{tr(if closed { |t| t.write_reply_reopen } else { |t| t.write_reply })}</h2>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="reply-text">{tr(|t| t.reply)}</label>
                    <textarea id="reply-text" rows="6" bind:value=text on:input=save_at_once
                        aria-invalid=move || field_error.get().is_some().to_string()
                        aria-describedby="reply-error"></textarea>
                    <p id="reply-error" class="field-error" role="alert">{move || field_error.get().map(|e| e(t()))}</p>
                </div>
                <FilePicker files=files max_bytes=max_bytes input_id="reply-files" keep_as=draft.get_value() />
                {move || error.get().map(|e| {
                    if e.may_have_reached() {
                        view! { <ErrorAlert error=e note=|t| t.reply_kept on_retry=Callback::new(move |_| send()) /> }.into_any()
                    } else {
                        view! { <ErrorAlert error=e /> }.into_any()
                    }
                })}
                <SendWhenOnline waiting=waiting
                    offline=|t| t.reply_waits_offline
                    online=|t| t.reply_waits_online
                    on_send=Callback::new(move |_| send()) />
                <button type="submit" class="primary" aria-busy=move || busy.get().to_string()>{tr(|t| t.send_reply)}</button>
                {move || busy.get().then(|| view! {
                    <span class="hint" role="status">
                        {move || if checking.get() { t().checking_reply } else { t().sending }}
                    </span>
                })}
            </form>
        </section>
    }
}

/// The help desk's own fields the customer may see, as more rows of the ticket's details.
fn custom_fields(
    fields: &[(
        crate::domain::fields::CustomField,
        crate::domain::fields::FieldValue,
    )],
) -> impl IntoView {
    use crate::domain::fields::FieldKind;
    fields
        .iter()
        .filter_map(|(f, v)| {
            let label = f.label.clone();
            let text = match f.kind {
                FieldKind::Boolean => {
                    let on = v.flag();
                    Err(move || {
                        if on {
                            crate::i18n::t().field_yes
                        } else {
                            crate::i18n::t().field_no
                        }
                    })
                }
                _ => Ok(f.display(v)?),
            };
            Some(view! {
                <div>
                    <dt>{move || label.get(crate::i18n::t().code).to_string()}</dt>
                    <dd>{match text { Ok(s) => s.into_any(), Err(word) => word.into_any() }}</dd>
                </div>
            })
        })
        .collect_view()
}
