//! Answers while the customer writes (ticket deflection): up to five answers from the help
//! desk's knowledge base that match the subject typed so far, each opening in place.
//!
//! The search waits until the subject has stood for 300 ms with 3 characters or more; a newer
//! subject drops the search in flight (its fetch is aborted, see `Loaded`). It never touches
//! the form: typing is not delayed, and a failed search only shows nothing.

use leptos::prelude::*;

use crate::backend::Backend;
use crate::i18n::{tr, Texts};
use crate::state::use_ctx;
use crate::ui::components::SafeHtml;
use crate::ui::loader::Loaded;

/// Fewer characters than this are never sent.
const MIN_CHARS: usize = 3;
const WAIT_MS: u32 = 300;

/// `on_answered`: the customer confirmed an answer solved it (the form discards its draft and
/// leaves).
#[component]
pub fn AnswerSuggestions(subject: RwSignal<String>, on_answered: Callback<()>) -> impl IntoView {
    let ctx = use_ctx();
    let hits = Loaded::new(move || {
        let text = subject.get().trim().to_string();
        async move {
            if text.chars().count() < MIN_CHARS {
                return Ok(Vec::new());
            }
            crate::ui::live::sleep(WAIT_MS).await;
            ctx.backend().search_answers(&text).await
        }
    });
    // What to show: the last answers found (none after a failure).
    let shown = move || match hits.get() {
        Some(Ok(found)) => found,
        _ => Vec::new(),
    };
    // The answer open (its index in `shown`, which stays while it is open) and its text, with
    // the id it is of (`None`: it could not be read).
    let open = RwSignal::new(None::<(usize, String)>);
    let asking = RwSignal::new(false);
    let text = Loaded::new(move || {
        let id = open.get().map(|(_, id)| id);
        async move {
            Ok(match id {
                Some(id) => {
                    let got = ctx.backend().answer(&id).await.ok();
                    Some((id, got))
                }
                None => None,
            })
        }
    });
    let close = move |i: usize| {
        open.set(None);
        asking.set(false);
        // Back where the customer was: the answer's title.
        crate::browser::dom::focus_later(TITLE_IDS[i]);
    };

    let item = move |(i, hit): (usize, crate::domain::AnswerHit)| {
        let id = StoredValue::new(hit.id);
        // By place and id: a newer search's list at the same place is another answer.
        let is_open = move || {
            open.with(|o| {
                o.as_ref()
                    .is_some_and(|(at, open_id)| *at == i && id.with_value(|id| id == open_id))
            })
        };
        view! {
            <li>
                <button type="button" class="link answer-title" id=TITLE_IDS[i]
                    aria-expanded=move || is_open().to_string() aria-controls=BODY_IDS[i]
                    on:click=move |_| {
                        asking.set(false);
                        open.set((!is_open()).then(|| (i, id.get_value())));
                    }>
                    {hit.title}
                </button>
                <span class="hint">{hit.snippet}</span>
                // Only the open answer is in the page (`aria-controls` of a closed one names
                // nothing, as `aria-expanded="false"` allows).
                {move || is_open().then(|| view! {
                    <div id=BODY_IDS[i] class="answer">
                        {move || {
                            // Only this answer's text: the last one read may be another's.
                            let got = match text.get() {
                                Some(Ok(Some((of, got)))) if id.with_value(|id| *id == of) => Some(got),
                                _ => None,
                            };
                            match got {
                                Some(Some(a)) => view! { <SafeHtml html=a.html /> }.into_any(),
                                got => {
                                    let note: fn(&Texts) -> &'static str = if got.is_some() {
                                        |t| t.answer_unavailable
                                    } else {
                                        |t| t.loading
                                    };
                                    view! { <p class="hint">{tr(note)}</p> }.into_any()
                                }
                            }
                        }}
                        <p class="actions">
                            <button type="button" class="secondary" on:click=move |_| asking.set(true)>
                                {tr(|t| t.answer_solved)}
                            </button>
                            " "
                            <button type="button" class="secondary" on:click=move |_| close(i)>
                                {tr(|t| t.answer_not_solved)}
                            </button>
                        </p>
                        {move || asking.get().then(|| view! {
                            <div class="notice" role="alert">
                                <p>{tr(|t| t.answer_leave_ask)}</p>
                                <button type="button" class="primary" on:click=move |_| on_answered.run(())>
                                    {tr(|t| t.answer_leave)}
                                </button>
                                " "
                                <button type="button" class="secondary" on:click=move |_| close(i)>
                                    {tr(|t| t.answer_keep)}
                                </button>
                            </div>
                        })}
                    </div>
                })}
            </li>
        }
    };

    view! {
        <p class="visually-hidden" role="status">
            {move || (!shown().is_empty()).then(|| tr(|t| t.answers_may_help))}
        </p>
        {move || {
            let found = shown();
            (!found.is_empty()).then(|| view! {
                <section class="answers" aria-labelledby="answers-heading">
                    <h2 id="answers-heading">{tr(|t| t.answers_may_help)}</h2>
                    <ul>{found.into_iter().take(TITLE_IDS.len()).enumerate().map(item).collect_view()}</ul>
                </section>
            })
        }}
    }
}

const TITLE_IDS: [&str; 5] = ["answer-1", "answer-2", "answer-3", "answer-4", "answer-5"];
const BODY_IDS: [&str; 5] = [
    "answer-1-text",
    "answer-2-text",
    "answer-3-text",
    "answer-4-text",
    "answer-5-text",
];
