//! "My tickets": filters, search, sort and paging live in the URL's query string, so back/forward,
//! reload and bookmarks keep them.

use leptos::prelude::*;

use crate::backend::Backend;
use crate::domain::{
    Scope, SortOrder, StatusFilter, TicketId, TicketPage, TicketQuery, TicketSummary,
};
use crate::i18n::{self, t, tr, Texts};
use crate::state::{effect, spawn_until_cleanup, use_ctx};
use crate::ui::components::{DateTime, ErrorAlert, IfMayCreate, StateBadge};
use crate::ui::loader::Loaded;
use crate::ui::routing::{use_navigate, use_query_map, Link, NavigateOptions, Query};

fn query_from(params: &Query, per_page: u32) -> TicketQuery {
    TicketQuery {
        status: match params.get("status").as_deref() {
            Some("closed") => StatusFilter::Closed,
            Some("all") => StatusFilter::All,
            _ => StatusFilter::Open,
        },
        text: params.get("q").unwrap_or_default(),
        sort: match params.get("sort").as_deref() {
            Some("created") => SortOrder::Created,
            Some("number") => SortOrder::Number,
            _ => SortOrder::LastUpdate,
        },
        scope: match params.get("show").as_deref() {
            Some("mine") => Scope::Mine,
            _ => Scope::Organization,
        },
        page: params
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
            .max(1),
        per_page,
    }
}

/// Where the view cache keeps a list page as shown.
pub fn list_key(q: &TicketQuery) -> String {
    format!("list:{}", list_url(q))
}

/// The list query of an in-app address, when that address shows the list (`next` after
/// signing in).
pub fn list_query_at(target: &str, per_page: u32) -> Option<TicketQuery> {
    let (path, search) = target.split_once('?').unwrap_or((target, ""));
    let search = search.split('#').next().unwrap_or("");
    matches!(path, "/" | "/tickets" | "/tickets/")
        .then(|| query_from(&Query::from_search(search), per_page))
}

/// The list URL for a query, leaving out defaults.
pub fn list_url(q: &TicketQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    match q.status {
        StatusFilter::Open => {}
        StatusFilter::Closed => parts.push("status=closed".into()),
        StatusFilter::All => parts.push("status=all".into()),
    }
    let text = q.text.trim();
    if !text.is_empty() {
        parts.push(format!("q={}", js_sys::encode_uri_component(text)));
    }
    match q.sort {
        SortOrder::LastUpdate => {}
        SortOrder::Created => parts.push("sort=created".into()),
        SortOrder::Number => parts.push("sort=number".into()),
    }
    if q.scope == Scope::Mine {
        parts.push("show=mine".into());
    }
    if q.page > 1 {
        parts.push(format!("page={}", q.page));
    }
    if parts.is_empty() {
        "/tickets".into()
    } else {
        format!("/tickets?{}", parts.join("&"))
    }
}

#[component]
pub fn TicketsPage() -> impl IntoView {
    let ctx = use_ctx();
    let params = use_query_map();
    let navigate = use_navigate();
    let per_page = ctx.config.with_value(|c| c.page_size);
    let query = Memo::new(move |_| params.with(|p| query_from(p, per_page)));
    let has_org = move || ctx.customer().is_some_and(|c| c.has_organization);

    // What the list shows, said in a live region that stays in place (the list is not one, and a
    // region built together with its text is not reliably read out): "Loading tickets…" at every
    // search, filter or page change, then the result. Set here and where the result is shown.
    let announcement = RwSignal::new(Announce::Silent);
    let tickets = Loaded::new(move || {
        let q = query.get();
        announcement.set(Announce::Loading);
        async move {
            ctx.read(list_key(&q), move |b| {
                let q = q.clone();
                async move { b.list_tickets(&q).await }
            })
            .await
        }
    });

    tickets.retry_when_online(ctx.online);

    let go = {
        let navigate = navigate.clone();
        move |change: &dyn Fn(&mut TicketQuery)| {
            let mut q = query.get_untracked();
            change(&mut q);
            navigate(
                &list_url(&q),
                NavigateOptions {
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    };

    // Search: applied on Enter, or once typing pauses.
    let search_text = RwSignal::new(query.get_untracked().text);
    let typing = StoredValue::new(0u32);
    let apply_search = {
        let go = go.clone();
        move || {
            let text = search_text.get_untracked();
            if text.trim() != query.get_untracked().text.trim() {
                go(&|q| {
                    q.text = text.clone();
                    q.page = 1;
                });
            }
        }
    };
    let on_search_input = {
        let apply_search = apply_search.clone();
        move |_| {
            typing.update_value(|n| *n += 1);
            let generation = typing.get_value();
            let apply_search = apply_search.clone();
            set_timeout(
                move || {
                    if typing.try_get_value() == Some(generation) {
                        apply_search();
                    }
                },
                std::time::Duration::from_millis(450),
            );
        }
    };
    let on_search_submit = {
        let apply_search = apply_search.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            typing.update_value(|n| *n += 1);
            apply_search();
        }
    };

    let on_status = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            go(&|q| {
                q.status = match v.as_str() {
                    "closed" => StatusFilter::Closed,
                    "all" => StatusFilter::All,
                    _ => StatusFilter::Open,
                };
                q.page = 1;
            });
        }
    };
    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            go(&|q| {
                q.sort = match v.as_str() {
                    "created" => SortOrder::Created,
                    "number" => SortOrder::Number,
                    _ => SortOrder::LastUpdate,
                };
                q.page = 1;
            });
        }
    };
    let on_scope = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            go(&|q| {
                q.scope = if v == "mine" {
                    Scope::Mine
                } else {
                    Scope::Organization
                };
                q.page = 1;
            });
        }
    };
    let prev = {
        let go = go.clone();
        move |_| go(&|q| q.page = q.page.saturating_sub(1).max(1))
    };
    let next = {
        let go = go.clone();
        move |_| go(&|q| q.page += 1)
    };

    let status_value = move || match query.get().status {
        StatusFilter::Open => "open",
        StatusFilter::Closed => "closed",
        StatusFilter::All => "all",
    };
    let sort_value = move || match query.get().sort {
        SortOrder::LastUpdate => "updated",
        SortOrder::Created => "created",
        SortOrder::Number => "number",
    };
    let scope_value = move || match query.get().scope {
        Scope::Mine => "mine",
        Scope::Organization => "all",
    };

    view! {
        <div class="page">
            <p class="visually-hidden" role="status">{move || announcement.get().text(t())}</p>
            <div class="page-head">
                <h1>{tr(|t| t.my_tickets)}</h1>
                <IfMayCreate>
                    <Link href="/tickets/new" attr:class="button primary">{tr(|t| t.create_ticket)}</Link>
                </IfMayCreate>
            </div>
            <div class="filters">
                <form class="search" role="search" on:submit=on_search_submit>
                    <label for="ticket-search">{tr(|t| t.search_tickets)}</label>
                    <input id="ticket-search" type="search" bind:value=search_text on:input=on_search_input
                        placeholder=tr(|t| t.search_placeholder) />
                </form>
                <div class="field inline">
                    <label for="status-filter">{tr(|t| t.status)}</label>
                    <select id="status-filter" on:change=on_status prop:value=status_value>
                        <option value="open">{tr(|t| t.status_open)}</option>
                        <option value="closed">{tr(|t| t.status_closed)}</option>
                        <option value="all">{tr(|t| t.status_all)}</option>
                    </select>
                </div>
                <div class="field inline">
                    <label for="sort-order">{tr(|t| t.sort_by)}</label>
                    <select id="sort-order" on:change=on_sort prop:value=sort_value>
                        <option value="updated">{tr(|t| t.sort_updated)}</option>
                        <option value="created">{tr(|t| t.sort_created)}</option>
                        <option value="number">{tr(|t| t.sort_number)}</option>
                    </select>
                </div>
                <Show when=has_org>
                    <div class="field inline">
                        <label for="scope-filter">{tr(|t| t.show)}</label>
                        <select id="scope-filter" on:change=on_scope.clone() prop:value=scope_value>
                            <option value="all">{tr(i18n::my_shared_scope)}</option>
                            <option value="mine">{tr(|t| t.mine)}</option>
                        </select>
                    </div>
                </Show>
            </div>
            {move || {
                let Some(result) = tickets.get() else {
                    return view! { <p class="loading">{tr(|t| t.loading_tickets)}</p> }.into_any();
                };
                announcement.set(match &result {
                    Ok(page) => Announce::Result {
                        shown: page.tickets.len(),
                        total: page.total,
                        has_more: page.has_more,
                        current: query.get_untracked().page,
                        per_page,
                    },
                    // The error alert speaks for itself.
                    Err(_) => Announce::Silent,
                });
                match result {
                    Ok(page) => view! {
                        <TicketList page=page current=query.get_untracked().page per_page=per_page
                            on_prev=Callback::new(prev.clone()) on_next=Callback::new(next.clone()) />
                    }
                    .into_any(),
                    Err(e) => view! { <ErrorAlert error=e on_retry=Callback::new(move |_| tickets.retry()) /> }
                        .into_any(),
                }
            }}
        </div>
    }
}

/// What the list's live region says; worded when shown, so it follows a language switch.
#[derive(Clone, Copy, PartialEq)]
enum Announce {
    Silent,
    Loading,
    Result {
        shown: usize,
        total: Option<u64>,
        has_more: bool,
        current: u32,
        per_page: u32,
    },
}

impl Announce {
    /// "0 tickets found." / "4 tickets found." / "124 tickets found, page 2 of 5." (worded apart
    /// from the visible "No tickets found." so that the page does not say it twice).
    fn text(self, t: &Texts) -> String {
        let (shown, total, has_more, current, per_page) = match self {
            Announce::Silent => return String::new(),
            Announce::Loading => return t.loading_tickets.to_string(),
            Announce::Result {
                shown,
                total,
                has_more,
                current,
                per_page,
            } => (shown, total, has_more, current, per_page),
        };
        if shown == 0 {
            return if current == 1 {
                t.none_found.to_string()
            } else {
                t.none_on_page(current)
            };
        }
        let count = match total {
            Some(n) => t.tickets_found(n),
            None => t.tickets_shown(shown),
        };
        match total.map(|n| n.div_ceil(u64::from(per_page)).max(1)) {
            Some(pages) if pages > 1 => t.count_on_page_of(&count, current, pages),
            None if current > 1 || has_more => t.count_on_page(&count, current),
            _ => format!("{count}."),
        }
    }
}

#[component]
fn TicketList(
    page: TicketPage,
    current: u32,
    per_page: u32,
    on_prev: Callback<()>,
    on_next: Callback<()>,
) -> impl IntoView {
    if page.tickets.is_empty() && current == 1 {
        return view! { <p class="empty">{tr(|t| t.no_tickets)}</p> }.into_any();
    }
    let pages = page.total.map(|t| t.div_ceil(u64::from(per_page)).max(1));
    let position = move || match pages {
        Some(n) => t().page_of(current, n),
        None => t().page(current),
    };
    // "New reply" marks: tickets that changed since the list last looked are checked for agent
    // replies in the background (src/state/seen.rs); a failed check shows no mark and the next list
    // view asks again.
    let ctx = use_ctx();
    let shown = page.tickets.clone();
    effect(move || {
        let stale = ctx.seen.listed(&shown);
        if stale.is_empty() {
            return;
        }
        spawn_until_cleanup(async move {
            let ids: Vec<TicketId> = stale.iter().map(|(id, _)| id.clone()).collect();
            let replies = ctx
                .read_fresh(|b| {
                    let ids = ids.clone();
                    async move { b.latest_agent_replies(&ids).await }
                })
                .await;
            if let Ok(replies) = replies {
                ctx.seen.checked(&stale, &replies);
            }
        });
    });
    let empty_page = page.tickets.is_empty();
    let single_page = current == 1 && !page.has_more;
    let rows = page
        .tickets
        .into_iter()
        .map(|t| view! { <TicketRow ticket=t /> })
        .collect_view();
    view! {
        {empty_page.then(|| view! { <p class="empty">{tr(|t| t.no_more_tickets)}</p> })}
        <ul class="ticket-list">{rows}</ul>
        <nav class="pager" aria-label=tr(|t| t.pagination) hidden=single_page>
            <button type="button" class="secondary" on:click=move |_| on_prev.run(()) disabled=current <= 1>
                {tr(|t| t.previous_page)}
            </button>
            <span>{position}</span>
            <button type="button" class="secondary" on:click=move |_| on_next.run(()) disabled=!page.has_more>
                {tr(|t| t.next_page)}
            </button>
        </nav>
    }
    .into_any()
}

#[component]
fn TicketRow(ticket: TicketSummary) -> impl IntoView {
    let ctx = use_ctx();
    let href = format!("/tickets/{}", ticket.id);
    let id = ticket.id.clone();
    let new_reply = move || ctx.seen.new_reply(&id);
    // Pointer down (mouse button or touch) comes a tenth of a second or so before the click:
    // the ticket's read starts then, and its page adopts it (Ctx::read_ahead).
    let read_ahead = {
        let id = ticket.id.clone();
        let path = href.clone();
        move |ev: leptos::ev::PointerEvent| {
            if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()
            {
                return; // a new tab or window: not this page
            }
            let id = id.clone();
            ctx.read_ahead(
                super::ticket::view_key(&id),
                path.clone(),
                move |b| async move { b.ticket(&id).await },
            );
        }
    };
    view! {
        <li class="ticket-row" on:pointerdown=read_ahead>
            <Link href=href>
                <span class="number">"#" {ticket.number.clone()}</span>
                <span class="title">{ticket.title.clone()}</span>
                <StateBadge state=ticket.state.clone() />
                <Show when=new_reply>
                    <span class="new-reply">{tr(|t| t.new_reply)}</span>
                </Show>
                <span class="updated">{tr(|t| t.updated_at)} " " <DateTime iso=ticket.updated_at.clone() /></span>
                {(!ticket.mine).then(|| view! { <span class="colleague">{tr(|t| t.colleagues_ticket)}</span> })}
            </Link>
        </li>
    }
}
