use leptos::prelude::*;

use super::{AttachmentList, DateTime, SafeHtml};
use crate::domain::{Article, Body, SenderKind};
use crate::i18n::{t, Texts};

/// One message of a ticket's conversation. Agent and customer messages look different and say
/// who wrote them; the sender kind is also in `data-sender` for styling and tests.
#[component]
pub fn ArticleView(article: Article, my_name: String) -> impl IntoView {
    let sender = article.sender;
    let from_name = article.from_name.clone();
    let mine = article.is_by(&my_name);
    let name = move |t: &Texts| -> String {
        if !from_name.is_empty() {
            return from_name.clone();
        }
        match sender {
            SenderKind::Agent => t.sender_support.to_string(),
            SenderKind::System => t.sender_system.to_string(),
            SenderKind::Customer => my_name.clone(),
        }
    };
    let role = move |t: &Texts| match sender {
        SenderKind::Agent => t.role_support,
        SenderKind::System => t.role_system,
        SenderKind::Customer if mine => t.role_you,
        SenderKind::Customer => t.role_customer,
    };
    let label = {
        let name = name.clone();
        move || {
            let t = t();
            t.message_from(&name(t), role(t))
        }
    };
    let body = match article.body {
        Body::Plain(text) => view! { <div class="body body-plain">{text}</div> }.into_any(),
        Body::Html(html) => view! { <SafeHtml html=html /> }.into_any(),
    };
    let attachments = (!article.attachments.is_empty())
        .then(|| view! { <AttachmentList attachments=article.attachments.clone() /> });
    view! {
        <article class=format!("message from-{}", sender.as_str()) data-sender=sender.as_str() aria-label=label>
            <header class="message-head">
                <span class="sender">{move || name(t())}</span>
                <span class="role">{move || role(t())}</span>
                <DateTime iso=article.created_at.clone() />
            </header>
            {article.subject.map(|s| view! { <p class="subject">{s}</p> })}
            {body}
            {attachments}
        </article>
    }
}
