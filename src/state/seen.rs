//! "New reply" in the ticket list: agent replies the customer has not seen yet.
//!
//! What the mark claims, and why it can: *an agent wrote a message you may see on this ticket
//! after you last looked at it here.* The list's answer alone cannot tell that. Its change time
//! (`updated_at` / `Changed`) also moves for internal notes, state changes and the customer's
//! own replies, and Zammad's `last_contact_agent_at` and `article_count` would reveal internal
//! notes (zammad-api.md, 7), so the adapters never expose them. The change time only decides
//! whether to ask: for a ticket that changed since it was last checked, the adapter reads the
//! newest agent article the customer may see (`Backend::latest_agent_replies`), and the mark
//! shows when that article is newer than the newest one the customer saw.
//!
//! "Last looked at" is opening the ticket page (or a live update there): it records the newest
//! article shown. A ticket the list shows for the first time has no record: what it holds then
//! counts as seen, because the portal cannot know what the customer read elsewhere; only agent
//! articles created after that are marked.
//!
//! The marks belong to one customer and to the session: kept in memory and beside the auth
//! token (`storage::save_seen`: sessionStorage, or localStorage with "Stay signed in"),
//! forgotten at sign-out and when the session ends (`storage::clear_auth`, and here when the
//! auth state leaves "signed in").

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::de::{Entries, Obj};
use crate::domain::{article_id_after, AgentReply, Article, TicketId, TicketSummary};
use crate::state::{effect, AuthState};
use crate::{browser::http, browser::storage};

/// At most this many tickets are remembered; the ones seen longest ago go first.
const MAX_TICKETS: usize = 500;

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
struct Mark {
    /// The newest article the customer saw; `None` when the list only saw the ticket.
    #[serde(default)]
    seen: Option<String>,
    /// The ticket's change time when it was seen: without `seen`, agent articles created after
    /// it are new.
    since: String,
    /// The change time for which the newest agent article was last looked up.
    checked: String,
    /// That lookup found an agent article the customer has not seen.
    #[serde(default)]
    unseen: bool,
}

impl Mark {
    fn is_unseen(&self, reply: &AgentReply) -> bool {
        match &self.seen {
            Some(seen) => article_id_after(&reply.article_id, seen),
            None => time_after(&reply.created_at, &self.since),
        }
    }
}

/// `a` is later than `b`, both ISO-8601 UTC times of one help desk. Times of different precision
/// are compared to the second; unreadable ones are never later.
fn time_after(a: &str, b: &str) -> bool {
    if a.len() == b.len() {
        return a > b;
    }
    match (a.get(..19), b.get(..19)) {
        (Some(a), Some(b)) => a > b,
        _ => false,
    }
}

/// `a` is not later than `b` (see [`time_after`]); an unreadable pair counts as later, so the
/// ticket is looked at again.
fn not_after(a: &str, b: &str) -> bool {
    a == b || (!time_after(a, b) && a.get(..19).is_some() && b.get(..19).is_some())
}

/// The marks of one customer, by ticket id (at most a few hundred: a list is enough). As kept in
/// storage: `{"customer": "7", "tickets": {"101": {…}}}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct Marks {
    customer: String,
    tickets: Entries<Mark>,
}

impl Marks {
    fn for_customer(customer: &str) -> Self {
        Marks {
            customer: customer.to_string(),
            tickets: Entries::default(),
        }
    }

    fn read(text: &str) -> Option<Self> {
        serde_json::from_str::<Obj<Marks>>(text).ok().map(|m| m.0)
    }

    /// Marks read back from storage, if they are this customer's.
    fn restore(text: Option<&str>, customer: &str) -> Self {
        text.and_then(Marks::read)
            .filter(|m| m.customer == customer)
            .unwrap_or_else(|| Marks::for_customer(customer))
    }

    fn get(&self, id: &str) -> Option<&Mark> {
        self.tickets.0.iter().find(|(k, _)| k == id).map(|(_, m)| m)
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Mark> {
        self.tickets
            .0
            .iter_mut()
            .find(|(k, _)| k == id)
            .map(|(_, m)| m)
    }

    fn insert(&mut self, id: &str, mark: Mark) {
        match self.get_mut(id) {
            Some(m) => *m = mark,
            None => self.tickets.0.push((id.to_string(), mark)),
        }
    }

    pub fn new_reply(&self, id: &TicketId) -> bool {
        self.get(&id.0).is_some_and(|m| m.unseen)
    }

    /// The list shows `tickets`: a ticket seen for the first time is recorded as it is; returns
    /// the tickets that changed since they were last checked, with their change times, whose
    /// newest agent article must be looked up.
    pub fn listed(&mut self, tickets: &[TicketSummary]) -> Vec<(TicketId, String)> {
        let mut stale = Vec::new();
        for t in tickets {
            match self.get(&t.id.0) {
                None => {
                    self.insert(
                        &t.id.0,
                        Mark {
                            seen: None,
                            since: t.updated_at.clone(),
                            checked: t.updated_at.clone(),
                            unseen: false,
                        },
                    );
                }
                Some(m) if not_after(&t.updated_at, &m.checked) => {}
                Some(_) => stale.push((t.id.clone(), t.updated_at.clone())),
            }
        }
        self.trim();
        stale
    }

    /// The newest agent articles of the tickets `looked_up` (as of their change times).
    pub fn checked(&mut self, looked_up: &[(TicketId, String)], replies: &[AgentReply]) {
        for (id, changed_at) in looked_up {
            let Some(mark) = self.get_mut(&id.0) else {
                continue;
            };
            let reply = replies.iter().find(|r| &r.ticket == id);
            mark.unseen = reply.is_some_and(|r| mark.is_unseen(r));
            mark.checked = changed_at.clone();
        }
    }

    /// The customer sees ticket `id`, changed at `changed_at`, with `articles`.
    pub fn opened(&mut self, id: &TicketId, changed_at: &str, articles: &[Article]) {
        let newest = articles.iter().map(|a| a.id.as_str()).reduce(|newest, a| {
            if article_id_after(a, newest) {
                a
            } else {
                newest
            }
        });
        self.insert(
            &id.0,
            Mark {
                seen: newest.map(str::to_string),
                since: changed_at.to_string(),
                checked: changed_at.to_string(),
                unseen: false,
            },
        );
        self.trim();
    }

    fn trim(&mut self) {
        while self.tickets.0.len() > MAX_TICKETS {
            let oldest = self
                .tickets
                .0
                .iter()
                .enumerate()
                .min_by(|a, b| a.1 .1.since.cmp(&b.1 .1.since))
                .map(|(i, _)| i);
            match oldest {
                Some(i) => self.tickets.0.remove(i),
                None => break,
            };
        }
    }
}

/// The signed-in customer's marks, provided with `Ctx`.
#[derive(Clone, Copy)]
pub struct Seen {
    marks: RwSignal<Option<Marks>>,
}

impl Seen {
    /// Follows `auth`: a signed-in customer's marks come back from storage, any other state
    /// forgets them.
    pub fn new(auth: RwSignal<AuthState>) -> Self {
        let seen = Seen {
            marks: RwSignal::new(None),
        };
        effect(move || match auth.get() {
            AuthState::SignedIn(c) => {
                let current = seen
                    .marks
                    .with_untracked(|m| m.as_ref().map(|m| m.customer == c.id));
                if current != Some(true) {
                    let stored = storage::load_seen();
                    seen.marks
                        .set(Some(Marks::restore(stored.as_deref(), &c.id)));
                }
            }
            AuthState::Checking => {}
            AuthState::SignedOut { .. } | AuthState::Unavailable(_) => seen.marks.set(None),
        });
        seen
    }

    /// The ticket has an agent reply the customer has not seen (tracked).
    pub fn new_reply(&self, id: &TicketId) -> bool {
        self.marks
            .with(|m| m.as_ref().is_some_and(|m| m.new_reply(id)))
    }

    /// Changes the marks (when a customer is signed in) and stores them.
    fn change<R>(&self, f: impl FnOnce(&mut Marks) -> R) -> Option<R> {
        let result = self.marks.try_update(|m| m.as_mut().map(f)).flatten()?;
        self.marks.with_untracked(|m| {
            if let Some(m) = m {
                storage::save_seen(&http::json(m));
            }
        });
        Some(result)
    }

    /// See [`Marks::listed`].
    pub fn listed(&self, tickets: &[TicketSummary]) -> Vec<(TicketId, String)> {
        self.change(|m| m.listed(tickets)).unwrap_or_default()
    }

    /// See [`Marks::checked`].
    pub fn checked(&self, looked_up: &[(TicketId, String)], replies: &[AgentReply]) {
        self.change(|m| m.checked(looked_up, replies));
    }

    /// See [`Marks::opened`].
    pub fn opened(&self, id: &TicketId, changed_at: &str, articles: &[Article]) {
        self.change(|m| m.opened(id, changed_at, articles));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Body, SenderKind, StateCategory, TicketState};

    fn summary(id: &str, updated_at: &str) -> TicketSummary {
        TicketSummary {
            id: TicketId(id.into()),
            number: id.into(),
            title: "t".into(),
            state: TicketState {
                name: "open".into(),
                category: StateCategory::Open,
            },
            created_at: "2025-01-01T00:00:00.000Z".into(),
            updated_at: updated_at.into(),
            mine: true,
        }
    }

    fn article(id: &str, sender: SenderKind, at: &str) -> Article {
        Article {
            id: id.into(),
            sender,
            from_name: String::new(),
            subject: None,
            body: Body::Plain(String::new()),
            created_at: at.into(),
            attachments: Vec::new(),
        }
    }

    fn reply(ticket: &str, id: &str, at: &str) -> AgentReply {
        AgentReply {
            ticket: TicketId(ticket.into()),
            article_id: id.into(),
            created_at: at.into(),
        }
    }

    const T0: &str = "2025-06-02T09:00:00.000Z";
    const T1: &str = "2025-06-02T10:00:00.000Z";
    const T2: &str = "2025-06-02T11:00:00.000Z";

    #[test]
    fn first_sight_is_seen_and_only_later_agent_replies_count() {
        let mut m = Marks::for_customer("7");
        assert!(m.listed(&[summary("1", T0)]).is_empty());
        assert!(!m.new_reply(&TicketId("1".into())));
        // Unchanged: nothing to ask.
        assert!(m.listed(&[summary("1", T0)]).is_empty());
        // Changed: ask; an agent reply from before the first sight is not new.
        let stale = m.listed(&[summary("1", T1)]);
        assert_eq!(stale, vec![(TicketId("1".into()), T1.to_string())]);
        m.checked(&stale, &[reply("1", "5", "2025-06-02T08:00:00.000Z")]);
        assert!(!m.new_reply(&TicketId("1".into())));
        assert!(m.listed(&[summary("1", T1)]).is_empty(), "checked already");
        // A reply written after the first sight is.
        let stale = m.listed(&[summary("1", T2)]);
        m.checked(&stale, &[reply("1", "9", T2)]);
        assert!(m.new_reply(&TicketId("1".into())));
    }

    #[test]
    fn opening_the_ticket_sees_its_articles() {
        let mut m = Marks::for_customer("7");
        m.listed(&[summary("1", T0)]);
        let stale = m.listed(&[summary("1", T1)]);
        m.checked(&stale, &[reply("1", "12", T1)]);
        assert!(m.new_reply(&TicketId("1".into())));
        m.opened(
            &TicketId("1".into()),
            T1,
            &[
                article("9", SenderKind::Customer, T0),
                article("12", SenderKind::Agent, T1),
            ],
        );
        assert!(!m.new_reply(&TicketId("1".into())));
        // The list read before the ticket was opened is not newer than what was seen.
        assert!(m.listed(&[summary("1", T0)]).is_empty());
        // The customer's own reply or an internal note changes the ticket, not the answer.
        let stale = m.listed(&[summary("1", T2)]);
        m.checked(&stale, &[reply("1", "12", T1)]);
        assert!(!m.new_reply(&TicketId("1".into())));
        // An agent article after the newest one seen is new, even within the same second.
        let later = "2025-06-02T12:00:00.000Z";
        let stale = m.listed(&[summary("1", later)]);
        m.checked(&stale, &[reply("1", "13", T1)]);
        assert!(m.new_reply(&TicketId("1".into())));
    }

    #[test]
    fn a_ticket_without_agent_replies_or_gone_is_not_marked() {
        let mut m = Marks::for_customer("7");
        m.listed(&[summary("1", T0), summary("2", T0)]);
        let stale = m.listed(&[summary("1", T1), summary("2", T1)]);
        assert_eq!(stale.len(), 2);
        m.checked(&stale, &[]);
        assert!(!m.new_reply(&TicketId("1".into())));
        assert!(!m.new_reply(&TicketId("2".into())));
    }

    #[test]
    fn stored_marks_belong_to_one_customer() {
        let mut m = Marks::for_customer("7");
        m.opened(&TicketId("1".into()), T0, &[]);
        let text = http::json(&m);
        assert_eq!(
            text,
            r#"{"customer":"7","tickets":{"1":{"seen":null,"since":"2025-06-02T09:00:00.000Z","checked":"2025-06-02T09:00:00.000Z","unseen":false}}}"#,
            "the format earlier builds wrote and read"
        );
        assert_eq!(Marks::restore(Some(&text), "7"), m);
        assert_eq!(Marks::restore(Some(&text), "8"), Marks::for_customer("8"));
        assert_eq!(
            Marks::restore(Some("{nonsense"), "7"),
            Marks::for_customer("7")
        );
        assert_eq!(Marks::restore(None, "7"), Marks::for_customer("7"));
    }

    #[test]
    fn bounded() {
        let mut m = Marks::for_customer("7");
        let list: Vec<_> = (0..MAX_TICKETS + 10)
            .map(|i| {
                summary(
                    &i.to_string(),
                    &format!("2025-06-02T09:00:{:02}.{:03}Z", i / 1000, i % 1000),
                )
            })
            .collect();
        m.listed(&list);
        assert_eq!(m.tickets.0.len(), MAX_TICKETS);
        assert!(m.get("0").is_none(), "the oldest went first");
        assert!(m.get(&(MAX_TICKETS + 9).to_string()).is_some());
    }

    #[test]
    fn times_of_one_help_desk_compare_in_order() {
        assert!(time_after(T1, T0));
        assert!(!time_after(T0, T0));
        assert!(time_after("2025-06-02T10:00:01Z", "2025-06-02T10:00:00Z"));
        assert!(time_after(
            "2025-06-02T10:00:01Z",
            "2025-06-02T10:00:00.999Z"
        ));
        assert!(!time_after("", T0));
        assert!(not_after(T0, T1));
        assert!(!not_after(T1, T0));
        assert!(!not_after("", T0), "unreadable: look again");
    }
}
