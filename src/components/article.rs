use leptos::prelude::*;

use super::{AttachmentList, DateTime, SafeHtml};
use crate::domain::{Article, Body, SenderKind};

/// One message of a ticket's conversation. Agent and customer messages look different and say
/// who wrote them; the sender kind is also in `data-sender` for styling and tests.
#[component]
pub fn ArticleView(article: Article, my_name: String) -> impl IntoView {
    let name = if article.from_name.is_empty() {
        match article.sender {
            SenderKind::Agent => "Support".to_string(),
            SenderKind::System => "System".to_string(),
            SenderKind::Customer => my_name.clone(),
        }
    } else {
        article.from_name.clone()
    };
    let role = match article.sender {
        SenderKind::Agent => "Support team",
        SenderKind::System => "Automatic message",
        SenderKind::Customer if name == my_name => "You",
        SenderKind::Customer => "Customer",
    };
    let label = format!("Message from {name} ({role})");
    let body = match article.body {
        Body::Plain(text) => view! { <div class="body body-plain">{text}</div> }.into_any(),
        Body::Html(html) => view! { <SafeHtml html=html /> }.into_any(),
    };
    let attachments = (!article.attachments.is_empty())
        .then(|| view! { <AttachmentList attachments=article.attachments.clone() /> });
    view! {
        <article class=format!("message from-{}", article.sender.as_str()) data-sender=article.sender.as_str() aria-label=label>
            <header class="message-head">
                <span class="sender">{name}</span>
                <span class="role">{role}</span>
                <DateTime iso=article.created_at.clone() />
            </header>
            {article.subject.map(|s| view! { <p class="subject">{s}</p> })}
            {body}
            {attachments}
        </article>
    }
}
