//! Opening a new ticket: subject, group (what the help desk allows, narrowed by config.json;
//! hidden when there is only one), message and attachments. The draft survives reloads and
//! session expiry. Where the help desk does not let the customer open tickets (or in none of
//! the portal's groups), the page says so instead of showing a form the help desk would refuse.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::Backend;
use crate::config::Choice;
use crate::domain::error::{ErrorKind, PortalError};
use crate::domain::fields::{self, CustomField, FieldProblem};
use crate::domain::{NewTicket, Scope, SortOrder, StatusFilter, TicketQuery, Upload};
use crate::i18n::{t, tr, Texts};
use crate::state::writes::{self, Attempt, Done};
use crate::state::{effect, use_ctx};
use crate::ui::components::{
    create_rules, focus_field, offered_groups, AnswerSuggestions, CustomFieldInputs, ErrorAlert,
    FilePicker, NoGroup, SendWhenOnline,
};
use crate::ui::loader::Loaded;
use crate::ui::routing::{use_navigate, use_query_map, Link};
use crate::{browser::storage, state::drafts};

const DRAFT: &str = "new-ticket";
const MAX_SUBJECT: usize = 200;
const MAX_MESSAGE: usize = 100_000;

/// As kept: `{"subject": …, "group": …, "message": …}`.
#[derive(Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
struct Draft {
    subject: String,
    group: String,
    message: String,
}

impl Draft {
    /// What was kept; nothing (an empty form) when there is none or it is damaged.
    fn read(text: &str) -> Self {
        serde_json::from_str::<crate::de::Obj<Draft>>(text)
            .map(|d| d.0)
            .unwrap_or_default()
    }
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let ctx = use_ctx();
    let configured = ctx.config.with_value(|c| c.ticket_form.groups.clone());
    let refusal = |text: fn(&Texts) -> &'static str| {
        view! {
            <div class="notice" role="note">
                <p>{tr(text)}</p>
                <p><Link href="/tickets">{tr(|t| t.back_to_tickets)}</Link></p>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="page narrow">
            <h1>{tr(|t| t.new_ticket)}</h1>
            {move || {
                let Some(rules) = create_rules(ctx) else {
                    return view! { <p class="loading" role="status">{tr(|t| t.loading)}</p> }.into_any();
                };
                if !rules.allowed {
                    return refusal(|t| t.create_not_allowed);
                }
                match offered_groups(&rules, &configured) {
                    Err(NoGroup) => refusal(|t| t.create_no_group),
                    Ok(groups) => view! { <NewTicketForm groups=groups /> }.into_any(),
                }
            }}
        </div>
    }
}

/// The form, with the groups the help desk and config.json both allow.
#[component]
fn NewTicketForm(groups: Vec<Choice>) -> impl IntoView {
    let ctx = use_ctx();
    let navigate = use_navigate();
    let query = use_query_map();
    let (configured_default, max_bytes) = ctx.config.with_value(|c| {
        (
            c.default_group().unwrap_or_default(),
            c.max_attachment_bytes,
        )
    });
    let offered = |id: &str| groups.iter().any(|g| g.id == id);
    let default_group = if offered(&configured_default) || groups.is_empty() {
        configured_default
    } else {
        groups[0].id.clone()
    };

    let draft = Draft::read(&storage::load_draft(DRAFT));
    let prefill = query
        .with_untracked(|q| q.get("subject"))
        .unwrap_or_default();
    let subject = RwSignal::new(if draft.subject.is_empty() {
        prefill
    } else {
        draft.subject
    });
    // A draft's group the help desk no longer allows is not kept.
    let group = RwSignal::new(if draft.group.is_empty() || !offered(&draft.group) {
        default_group
    } else {
        draft.group
    });
    let message = RwSignal::new(draft.message);
    let files = RwSignal::new(Vec::<Upload>::new());
    // The help desk's own fields: their definitions, what its rules make of them for the chosen
    // group (Zammad's Core Workflow), the values (kept with the draft) and their problems.
    let field_values = RwSignal::new(fields::read_draft(&storage::load_draft(
        &drafts::fields_key(DRAFT),
    )));
    let field_problems = RwSignal::new(std::collections::BTreeMap::<String, FieldProblem>::new());
    let definitions = Loaded::new(move || async move {
        ctx.read("ticket-fields".into(), |b| async move {
            b.ticket_fields().await
        })
        .await
    });
    let ruled = Loaded::new(move || {
        let g = group.get();
        let defs = definitions.get();
        async move {
            let Some(Ok(defs)) = defs else {
                return Ok(Vec::new());
            };
            if defs.is_empty() {
                return Ok(defs);
            }
            let values = field_values.get_untracked();
            let asked = ctx
                .read_fresh(|b| {
                    let (g, values, defs) = (g.clone(), values.clone(), defs.clone());
                    async move { b.field_rules(&g, &values, defs).await }
                })
                .await;
            // Without the rules the definitions stand; the help desk still judges the ticket.
            Ok(asked.unwrap_or(defs))
        }
    });
    // Only what the rules made of the definitions: showing the bare definitions while the rules
    // are read would flash a field the rules hide (Zammad's Core Workflow answers ~0.1 s later),
    // perhaps while the customer starts typing into it. A new group's rules replace the last
    // group's fields when they arrive.
    let shown_fields = Signal::derive(move || match ruled.get() {
        Some(Ok(f)) => f,
        _ => Vec::<CustomField>::new(),
    });
    effect(move || {
        let text = field_values.with(fields::draft_text);
        storage::save_draft(&drafts::fields_key(DRAFT), &text);
    });
    // Worded when shown, so they follow a language switch.
    let subject_error = RwSignal::new(None::<fn(&Texts) -> String>);
    let message_error = RwSignal::new(None::<fn(&Texts) -> String>);
    let busy = RwSignal::new(false);
    let checking = RwSignal::new(false);
    let waiting = RwSignal::new(false);
    let error = RwSignal::new(None::<PortalError>);
    // The earlier version reached the help desk: the ticket's link.
    let notice = RwSignal::new(None::<String>);

    let save_draft = move |d: Draft| {
        let empty = d.subject.is_empty() && d.message.is_empty();
        storage::save_draft(
            DRAFT,
            &if empty {
                String::new()
            } else {
                crate::browser::http::json(&d)
            },
        );
    };
    effect(move || {
        save_draft(Draft {
            subject: subject.get(),
            group: group.get(),
            message: message.get(),
        })
    });
    // Each key also at once, in its own input event (after the field's binding set its signal):
    // the effect above runs a tick later, and should the wasm ever trap in between
    // (src/browser/trap.rs), the last keys typed are kept too.
    let save_at_once = move |_: leptos::ev::Event| {
        storage::save_draft(
            &drafts::fields_key(DRAFT),
            &field_values.with_untracked(fields::draft_text),
        );
        save_draft(Draft {
            subject: subject.get_untracked(),
            group: group.get_untracked(),
            message: message.get_untracked(),
        })
    };

    let navigate = StoredValue::new(navigate);
    let send = move || {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        notice.set(None);
        let s = subject.get_untracked().trim().to_string();
        let m = message.get_untracked();
        subject_error.set(if s.is_empty() {
            Some(|t| t.subject_missing.into())
        } else if s.chars().count() > MAX_SUBJECT {
            Some(|t| t.subject_too_long(MAX_SUBJECT))
        } else {
            None
        });
        message_error.set(if m.trim().is_empty() {
            Some(|t| t.message_missing.into())
        } else if m.chars().count() > MAX_MESSAGE {
            Some(|t| t.message_too_long(MAX_MESSAGE))
        } else {
            None
        });
        if untrack(|| definitions.get()).is_none() {
            // The help desk's fields are not known yet: a required one would be missing.
            return;
        }
        let shown = shown_fields.get_untracked();
        let values = field_values.get_untracked();
        let found = fields::problems(&shown, &values);
        // `extend`, not `collect` (a collected map sorts first: one more copy of the sort code).
        field_problems.update(|p| {
            p.clear();
            p.extend(found.iter().cloned());
        });
        if subject_error.get_untracked().is_some() {
            super::sign_in::focus("subject");
            return;
        }
        if let Some(f) = found
            .first()
            .and_then(|(name, _)| shown.iter().find(|f| &f.name == name))
        {
            focus_field(f);
            return;
        }
        if message_error.get_untracked().is_some() {
            super::sign_in::focus("message");
            return;
        }
        if !ctx.online.get_untracked() {
            waiting.set(true);
            return;
        }
        waiting.set(false);
        busy.set(true);
        checking.set(drafts::load_attempt(DRAFT).is_some());
        let g = group.get_untracked();
        let attempt = Attempt {
            subject: s.clone(),
            text: m.clone(),
            ..Attempt::now()
        };
        let ticket = NewTicket {
            subject: s,
            group: (!g.is_empty()).then_some(g),
            body: m,
            attachments: files.get_untracked(),
            fields: fields::to_send(&shown, &values),
        };
        spawn_local(async move {
            let result = writes::once(
                ctx,
                DRAFT,
                attempt,
                |b, earlier| async move {
                    // The customer's newest tickets: is one of them this one?
                    let query = TicketQuery {
                        status: StatusFilter::All,
                        text: String::new(),
                        sort: SortOrder::Created,
                        scope: Scope::Mine,
                        page: 1,
                        per_page: 10,
                    };
                    let newest = b.list_tickets(&query).await?;
                    for id in writes::created_candidates(&newest, &earlier, writes::time_ms) {
                        match b.ticket(&id).await {
                            Ok(t) if writes::first_message_matches(&t, &earlier) => {
                                return Ok(Some(id))
                            }
                            Ok(_) => {}
                            Err(e) if e.kind == ErrorKind::NotFound => {}
                            Err(e) => return Err(e),
                        }
                    }
                    Ok(None)
                },
                |b| {
                    let ticket = ticket.clone();
                    async move { b.create_ticket(&ticket).await }
                },
            )
            .await;
            busy.set(false);
            checking.set(false);
            let same = |earlier: &Attempt| {
                writes::comparable(&earlier.subject) == writes::comparable(&subject.get_untracked())
                    && writes::comparable(&earlier.text)
                        == writes::comparable(&message.get_untracked())
            };
            match result {
                Ok(Done::Sent(id)) => {
                    drafts::clear(DRAFT);
                    navigate.with_value(|n| n(&format!("/tickets/{id}"), Default::default()));
                }
                Ok(Done::Found(id, earlier)) if same(&earlier) => {
                    drafts::clear(DRAFT);
                    navigate.with_value(|n| n(&format!("/tickets/{id}"), Default::default()));
                }
                Ok(Done::Found(id, _)) => {
                    // The earlier version arrived; the form holds a changed one, not sent.
                    notice.set(Some(format!("/tickets/{id}")));
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };

    // An answer solved it: the draft goes (text, files, fields) and so does the form.
    let answers = ctx.backend().has_answers().then(|| {
        let answered = Callback::new(move |_| {
            subject.set(String::new());
            message.set(String::new());
            drafts::clear(DRAFT);
            navigate.with_value(|n| n("/tickets", Default::default()));
        });
        view! { <AnswerSuggestions subject=subject on_answered=answered /> }
    });

    let group_field = (groups.len() > 1).then(|| {
        let options = groups
            .iter()
            .map(|g| view! { <option value=g.id.clone()>{g.label.clone()}</option> })
            .collect_view();
        view! {
            <div class="field">
                <label for="group">{tr(|t| t.group)}</label>
                <select id="group" bind:value=group>{options}</select>
            </div>
        }
    });

    view! {
            <form on:submit=submit on:input=save_at_once novalidate>
                <div class="field">
                    <label for="subject">{tr(|t| t.subject)}</label>
                    <input id="subject" type="text" maxlength=MAX_SUBJECT.to_string() bind:value=subject
                        aria-invalid=move || subject_error.get().is_some().to_string() aria-describedby="subject-error" />
                    <p id="subject-error" class="field-error">{move || subject_error.get().map(|e| e(t()))}</p>
                </div>
                {answers}
                {group_field}
                {move || match definitions.get() {
                    None => Some(view! { <p class="loading" role="status">{tr(|t| t.fields_loading)}</p> }.into_any()),
                    Some(Err(e)) => Some(view! { <ErrorAlert error=e on_retry=Callback::new(move |_| definitions.retry()) /> }.into_any()),
                    Some(Ok(_)) => None,
                }}
                <CustomFieldInputs fields=shown_fields values=field_values problems=field_problems />
                <div class="field">
                    <label for="message">{tr(|t| t.message)}</label>
                    <textarea id="message" rows="10" bind:value=message
                        aria-invalid=move || message_error.get().is_some().to_string() aria-describedby="message-error"></textarea>
                    <p id="message-error" class="field-error">{move || message_error.get().map(|e| e(t()))}</p>
                </div>
                <FilePicker files=files max_bytes=max_bytes input_id="new-ticket-files" keep_as=DRAFT />
                {move || error.get().map(|e| {
                    if e.may_have_reached() {
                        view! { <ErrorAlert error=e note=|t| t.ticket_kept on_retry=Callback::new(move |_| send()) /> }.into_any()
                    } else {
                        view! { <ErrorAlert error=e /> }.into_any()
                    }
                })}
                {move || notice.get().map(|href| view! {
                    <div class="notice" role="status">
                        <p>{tr(|t| t.earlier_ticket_arrived)}</p>
                        <p><Link href=href>{tr(|t| t.open_the_ticket)}</Link></p>
                    </div>
                })}
                <SendWhenOnline waiting=waiting
                    offline=|t| t.ticket_waits_offline
                    online=|t| t.ticket_waits_online
                    on_send=Callback::new(move |_| send()) />
                <button type="submit" class="primary" aria-busy=move || busy.get().to_string()>{tr(|t| t.submit_ticket)}</button>
                {move || busy.get().then(|| view! {
                    <span class="hint" role="status">
                        {move || if checking.get() { t().checking_ticket } else { t().submitting }}
                    </span>
                })}
            </form>
    }
}
