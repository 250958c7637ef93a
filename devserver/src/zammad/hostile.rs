//! `POST /__test/seed_xss` on the fake Zammad: the shared hostile plan (`crate::hostile`) as
//! Zammad records. The hostile tickets belong to the customer (default alice), are owned by the
//! agent `leak-owner-7f3a`, escalate in 2099 and carry time accounting; the agent articles are
//! e-mails (`text/html`) whose `created_by` is that agent, the inline logo an inline attachment
//! that `by_ticket` rewrites from `cid:` to `/api/v1/ticket_attachment/…?view=inline`.

use super::reply::Reply;
use super::store::*;
use crate::hostile::{self, PlanTicket};
use crate::test_api::{agent_article, customer_ticket, err, AgentArticle};
use serde_json::Value;

/// The leak-marker agent's user id.
const LEAK_AGENT_ID: u64 = 3;

fn leak_agent(store: &mut Store) -> u64 {
    if store.user(LEAK_AGENT_ID).is_none() {
        if let Some(mut u) = store.user(AGENT_ID).cloned() {
            u.id = LEAK_AGENT_ID;
            u.login = hostile::LEAK_OWNER.into();
            u.firstname = "Leak".into();
            u.lastname = "Owner".into();
            u.email = format!("{}@helpdesk.example", hostile::LEAK_OWNER);
            store.users.push(u);
        }
    }
    LEAK_AGENT_ID
}

/// Marks a ticket with the agent-only data the portal must never show.
fn mark(store: &mut Store, id: u64, owner: u64, time_unit: Option<f64>) {
    if let Some(t) = store.tickets.get_mut(&id) {
        t.owner_id = owner;
        t.escalation_at = Some(hostile::LEAK_ESCALATION_SECS * 1000);
        if let Some(units) = time_unit {
            t.time_unit = Some(format!("{units:.2}"));
            t.time_accounting_ids = vec![7317];
        }
    }
}

fn add_ticket(store: &mut Store, user: &User, plan: &PlanTicket, owner: u64, at: i64) -> u64 {
    let id = customer_ticket(
        store,
        user,
        &plan.title,
        "Please have a look at the messages below.",
        2,
        2,
        at,
    );
    let mut units = None;
    for (i, a) in plan.articles.iter().enumerate() {
        units = units.or(a.time_unit);
        agent_article(
            store,
            id,
            AgentArticle {
                subject: Some(a.subject.clone()),
                body: a.html.clone(),
                content_type: "text/html".into(),
                internal: a.internal,
                files: a.files.clone(),
                by: owner,
                time_unit: a.time_unit.map(|u| format!("{u:.2}")),
            },
            at + 1 + i as i64,
        );
    }
    mark(store, id, owner, units);
    id
}

pub fn seed(store: &mut Store, body: &Value, now: i64) -> Reply {
    let login = body
        .get("customer")
        .and_then(Value::as_str)
        .unwrap_or("alice");
    let Some(user) = store.user_by_login(login).cloned() else {
        return err(404, "unknown customer");
    };
    let owner = leak_agent(store);
    let plan = hostile::plan();
    // Oldest first: the title tickets, then the corpus, then the formatting sample (newest).
    let n = plan.titles.len() as i64;
    let mut titles = Vec::new();
    for (i, title) in plan.titles.iter().enumerate() {
        let at = now - 10 * 60_000 - (n - i as i64) * 1000;
        let id = customer_ticket(
            store,
            &user,
            title,
            "A ticket with a hostile title.",
            1,
            2,
            at,
        );
        mark(store, id, owner, None);
        titles.push(id);
    }
    let corpus = add_ticket(store, &user, &plan.corpus, owner, now - 5 * 60_000);
    let formatting = add_ticket(store, &user, &plan.formatting, owner, now - 60_000);
    Reply::ok(hostile::seeded_json(corpus, formatting, &titles))
}

/// `POST /__test/seed_dompurify`: one ticket with every payload of DOMPurify's test corpus as an
/// agent e-mail (`crate::hostile::dompurify_plan`), newest in the customer's list.
pub fn seed_dompurify(store: &mut Store, body: &Value, now: i64) -> Reply {
    let login = body
        .get("customer")
        .and_then(Value::as_str)
        .unwrap_or("alice");
    let Some(user) = store.user_by_login(login).cloned() else {
        return err(404, "unknown customer");
    };
    let owner = leak_agent(store);
    let id = add_ticket(
        store,
        &user,
        &hostile::dompurify_plan(),
        owner,
        now - 60_000,
    );
    Reply::ok(hostile::dompurify_seeded_json(id))
}
