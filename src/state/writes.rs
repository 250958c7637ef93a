//! Writes that must reach the help desk exactly once: replies, new tickets, state changes.
//!
//! A write can fail in a way that leaves open whether the help desk performed it: no answer in
//! time, the connection lost, a proxy's error page, an answer cut off. The help desk may well
//! have stored it. So before every write the portal notes the attempt with the draft
//! (sessionStorage: it survives a reload), and clears the note only when the outcome is
//! certain. When a note is found, the next attempt first reads the help desk again, through the
//! ordinary `Backend` methods, and looks for the write: a new customer article with the same
//! text, a new ticket of the customer with the same subject and first message, the state asked
//! for. Found means sent: nothing is sent again. This lives here, once, for both adapters.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::backend::ActiveBackend;
use crate::domain::error::PortalResult;
use crate::domain::{
    Article, Body, SenderKind, StateCategory, Ticket, TicketId, TicketPage, Written,
};
use crate::state::drafts;
use crate::state::Ctx;

/// A new ticket found after an unclear attempt must have been created at most this long
/// before the attempt by the help desk's clock (generous: help desks report local times
/// without a zone, and clocks differ).
pub const CREATE_WINDOW_MS: f64 = 24.0 * 3_600_000.0;

/// A write whose outcome is not known yet. As kept with the draft:
/// `{"at_ms": …, "subject": …, "text": …, "known": [ids]}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct Attempt {
    /// When it started (ms since the epoch, browser clock).
    #[serde(serialize_with = "crate::de::whole_ms")]
    pub at_ms: f64,
    /// The subject of a new ticket.
    #[serde(default)]
    pub subject: String,
    /// The text sent (reply or first message).
    #[serde(default)]
    pub text: String,
    /// The ticket's article ids before a reply: a match must be a new one.
    #[serde(default)]
    pub known: Vec<String>,
}

impl Attempt {
    /// An attempt kept earlier; `None` for anything else (no attempt noted).
    pub fn read(text: &str) -> Option<Self> {
        serde_json::from_str::<crate::de::Obj<Attempt>>(text)
            .ok()
            .map(|a| a.0)
    }

    pub fn now() -> Self {
        Self {
            at_ms: js_sys::Date::now(),
            ..Self::default()
        }
    }
}

/// How a write ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Done<T> {
    /// Sent now, and confirmed by the help desk.
    Sent(T),
    /// An earlier attempt (described by the `Attempt`) had arrived after all; nothing was sent.
    Found(T, Attempt),
}

/// Text as compared between what was sent and what the help desk shows: HTML reduced to its
/// text, line breaks and runs of white space as one space, trimmed.
pub fn comparable(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an article body; HTML (help desks may convert a plain message) loses its tags.
pub fn body_text(body: &Body) -> String {
    match body {
        Body::Plain(t) => t.clone(),
        Body::Html(html) => {
            let mut out = String::with_capacity(html.len());
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => {
                        in_tag = true;
                        out.push(' ');
                    }
                    '>' if in_tag => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            // A no-break space is a blank to `comparable` too.
            crate::html::unescape(&out)
        }
    }
}

fn same_text(a: &str, b: &str) -> bool {
    comparable(a) == comparable(b)
}

/// The reply of `attempt` is among the ticket's articles: a customer article that was not
/// there before, with the same text.
pub fn reply_arrived(ticket: &Ticket, attempt: &Attempt) -> bool {
    ticket.articles.iter().any(|a| {
        a.sender == SenderKind::Customer
            && !attempt.known.contains(&a.id)
            && same_text(&body_text(&a.body), &attempt.text)
    })
}

/// The customer's tickets that may be the one `attempt` created: same subject, created since
/// shortly before the attempt (`created_ms` reads the help desk's time; unreadable times pass).
pub fn created_candidates(
    page: &TicketPage,
    attempt: &Attempt,
    created_ms: impl Fn(&str) -> Option<f64>,
) -> Vec<TicketId> {
    page.tickets
        .iter()
        .filter(|t| t.mine && same_text(&t.title, &attempt.subject))
        .filter(|t| created_ms(&t.created_at).is_none_or(|c| c >= attempt.at_ms - CREATE_WINDOW_MS))
        .map(|t| t.id.clone())
        .take(3)
        .collect()
}

/// The ticket starts with the customer's message of `attempt`.
pub fn first_message_matches(ticket: &Ticket, attempt: &Attempt) -> bool {
    ticket
        .articles
        .iter()
        .find(|a| a.sender == SenderKind::Customer)
        .is_some_and(|a| same_text(&body_text(&a.body), &attempt.text))
}

/// The ticket is in the state a close (`closed`) or reopen asked for.
pub fn state_reached(ticket: &Ticket, closed: bool) -> bool {
    (ticket.summary.state.category == StateCategory::Closed) == closed
}

/// The id of a reply shown as sent, until the ticket is read again (help desks' ids are numbers).
pub const SENT_ID: &str = "sent";

/// The ticket as the page shows it right after a write the help desk accepted, without reading
/// it: `ticket` as shown before, changed as far as the help desk's answer says (`written`), and
/// the reply (`reply`: its text and the customer's name) at the end of the thread as sent.
/// `now` (ISO) stands for a change time the answer does not give. The page then reads the
/// ticket in the background (`crate::ui::live`), which brings the help desk's own ids, times and
/// the reply's attachments, and shows whatever else changed.
pub fn shown_after(
    ticket: &Ticket,
    written: Written,
    reply: Option<(&str, &str)>,
    now: String,
) -> Ticket {
    let mut t = ticket.clone();
    if let Some(state) = written.state {
        t.summary.state = state;
    }
    if let Some(follow_up) = written.follow_up {
        t.follow_up = follow_up;
    }
    if let Some((text, name)) = reply {
        t.articles.push(Article {
            id: SENT_ID.to_string(),
            sender: SenderKind::Customer,
            from_name: name.to_string(),
            subject: None,
            body: Body::Plain(text.to_string()),
            created_at: now.clone(),
            attachments: Vec::new(),
        });
    }
    t.summary.updated_at = written.updated_at.unwrap_or(now);
    t
}

/// The help desk's time stamp in ms since the epoch, if the browser can read it.
pub fn time_ms(iso: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(iso);
    (!ms.is_nan()).then_some(ms)
}

/// Runs one write exactly once. `draft` names the draft it belongs to (where the note of an
/// unclear attempt is kept); `attempt` describes this attempt. When an earlier attempt's
/// outcome is unknown, `verify` looks for it first (`Some` = it arrived); otherwise, or when
/// it did not arrive, `send` writes. A lost session is handled by `Ctx::run` (password
/// dialog, then the same steps again: an expired session performs nothing).
pub async fn once<T, V, VF, S, SF>(
    ctx: Ctx,
    draft: &str,
    attempt: Attempt,
    verify: V,
    send: S,
) -> PortalResult<Done<T>>
where
    V: Fn(ActiveBackend, Attempt) -> VF,
    VF: Future<Output = PortalResult<Option<T>>>,
    S: Fn(ActiveBackend) -> SF,
    SF: Future<Output = PortalResult<T>>,
{
    let prior = drafts::load_attempt(draft);
    if prior.is_none() {
        // Noted before sending: if the tab is closed or reloaded while the request is out,
        // the next attempt checks first.
        drafts::save_attempt(draft, &attempt);
    }
    let sent = Rc::new(Cell::new(false));
    let result = ctx
        .run(|b| {
            let prior = prior.clone();
            let sent = sent.clone();
            let verify = &verify;
            let send = &send;
            async move {
                if let Some(p) = prior {
                    if let Some(found) = verify(b.clone(), p.clone()).await? {
                        return Ok(Done::Found(found, p));
                    }
                }
                sent.set(true);
                send(b).await.map(Done::Sent)
            }
        })
        .await;
    let unclear = match &result {
        Ok(_) => false,
        // Not sent because the check failed: the earlier attempt is still unclear.
        Err(_) if prior.is_some() && !sent.get() => true,
        Err(e) => e.may_have_reached(),
    };
    if !unclear {
        drafts::clear_attempt(draft);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Article, FollowUp, TicketState, TicketSummary};

    fn article(id: &str, sender: SenderKind, body: Body) -> Article {
        Article {
            id: id.into(),
            sender,
            from_name: String::new(),
            subject: None,
            body,
            created_at: String::new(),
            attachments: Vec::new(),
        }
    }

    fn summary(id: &str, title: &str, created: &str, mine: bool, closed: bool) -> TicketSummary {
        TicketSummary {
            id: TicketId(id.into()),
            number: id.into(),
            title: title.into(),
            state: TicketState {
                name: String::new(),
                category: if closed {
                    StateCategory::Closed
                } else {
                    StateCategory::Open
                },
            },
            created_at: created.into(),
            updated_at: created.into(),
            mine,
        }
    }

    fn ticket(articles: Vec<Article>) -> Ticket {
        Ticket {
            summary: summary("1", "t", "", true, false),
            group: None,
            follow_up: FollowUp::Allowed,
            articles,
            fields: Vec::new(),
        }
    }

    #[test]
    fn compares_text_as_read() {
        assert!(same_text("a\r\nb  c\n", "a b c"));
        assert!(!same_text("a b", "ab"));
        assert_eq!(
            comparable(&body_text(&Body::Html(
                "<p>Grüße &amp; &lt;b&gt;x&lt;/b&gt;</p><p>line&nbsp;2</p>".into()
            ))),
            "Grüße & <b>x</b> line 2"
        );
    }

    #[test]
    fn finds_only_a_new_customer_reply_with_the_text() {
        let attempt = Attempt {
            at_ms: 0.0,
            text: "Still broken.\nSee log.".into(),
            known: vec!["1".into(), "2".into()],
            ..Attempt::default()
        };
        let old = article(
            "2",
            SenderKind::Customer,
            Body::Plain("Still broken. See log.".into()),
        );
        assert!(
            !reply_arrived(&ticket(vec![old.clone()]), &attempt),
            "a known article"
        );
        let agent = article(
            "3",
            SenderKind::Agent,
            Body::Plain("Still broken.\nSee log.".into()),
        );
        assert!(!reply_arrived(&ticket(vec![old.clone(), agent]), &attempt));
        let other = article(
            "3",
            SenderKind::Customer,
            Body::Plain("Something else".into()),
        );
        assert!(!reply_arrived(&ticket(vec![old.clone(), other]), &attempt));
        let mine = article(
            "4",
            SenderKind::Customer,
            Body::Html("<div>Still broken.<br>See log.</div>".into()),
        );
        assert!(reply_arrived(&ticket(vec![old, mine]), &attempt));
    }

    #[test]
    fn new_ticket_candidates() {
        let attempt = Attempt {
            at_ms: 100.0 * 3_600_000.0,
            subject: "Printer on fire".into(),
            text: "It burns.".into(),
            ..Attempt::default()
        };
        let page = TicketPage {
            tickets: vec![
                summary("9", "Printer on fire", "new", true, false),
                summary("8", "Printer on fire", "colleague", false, false),
                summary("7", "Other", "new", true, false),
                summary("6", " Printer  on fire ", "unreadable", true, false),
                summary("5", "Printer on fire", "old", true, false),
            ],
            has_more: false,
            total: None,
        };
        let times = |s: &str| match s {
            "new" | "colleague" => Some(100.0 * 3_600_000.0 - 1.0),
            "old" => Some(70.0 * 3_600_000.0),
            _ => None,
        };
        let ids: Vec<String> = created_candidates(&page, &attempt, times)
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(ids, ["9", "6"]);

        let mut t = ticket(vec![
            article("1", SenderKind::Customer, Body::Plain("It burns.".into())),
            article("2", SenderKind::Customer, Body::Plain("More".into())),
        ]);
        assert!(first_message_matches(&t, &attempt));
        t.articles.remove(0);
        assert!(!first_message_matches(&t, &attempt));
        assert!(state_reached(&t, false));
        assert!(!state_reached(&t, true));
    }

    #[test]
    fn shows_a_write_from_its_answer() {
        let before = ticket(vec![article(
            "1",
            SenderKind::Agent,
            Body::Plain("Hi".into()),
        )]);
        let closed = TicketState {
            name: "closed successful".into(),
            category: StateCategory::Closed,
        };
        let after = shown_after(
            &before,
            Written {
                state: Some(closed.clone()),
                updated_at: Some("2026-12-07T06:00:00Z".into()),
                follow_up: Some(FollowUp::Refused),
            },
            None,
            "now".into(),
        );
        assert_eq!(after.summary.state, closed);
        assert_eq!(after.summary.updated_at, "2026-12-07T06:00:00Z");
        assert_eq!(after.follow_up, FollowUp::Refused);
        assert_eq!(after.articles, before.articles);

        // An answer that says nothing: the state stays, the reply joins the thread as sent.
        let after = shown_after(
            &before,
            Written::default(),
            Some(("Thanks!\nIt works.", "Alice Example")),
            "2026-12-07T07:00:00.000Z".into(),
        );
        assert_eq!(after.summary.state, before.summary.state);
        assert_eq!(after.summary.updated_at, "2026-12-07T07:00:00.000Z");
        let sent = after.articles.last().expect("the reply is shown");
        assert_eq!(after.articles.len(), 2);
        assert_eq!(sent.id, SENT_ID);
        assert_eq!(sent.sender, SenderKind::Customer);
        assert!(sent.is_by("Alice Example"));
        assert_eq!(sent.body, Body::Plain("Thanks!\nIt works.".into()));
    }
}
