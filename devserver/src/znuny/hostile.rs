//! `POST /__test/seed_xss` on the fake Znuny: the shared hostile plan (`crate::hostile`) as Znuny
//! records. The hostile tickets belong to the customer (default alice), have the agents
//! `leak-owner-7f3a` / `leak-responsible-7f3a` as Owner / Responsible, escalate in 2099 and carry
//! time units; the agent articles are HTML e-mails, stored like Znuny does (text rendering in
//! `Body`, the HTML as the `file-2` attachment), the logo an inline attachment with a ContentID.

use super::store::*;
use super::test_api::{agent_article, customer_ticket, AgentArticle};
use crate::hostile::{self, PlanTicket};
use crate::test_api::err;
use crate::zammad::reply::Reply;
use serde_json::Value;

const LEAK_OWNER_ID: u64 = 3;
const LEAK_RESPONSIBLE_ID: u64 = 4;

fn leak_agents(store: &mut Store) {
    for (id, login, last) in [
        (LEAK_OWNER_ID, hostile::LEAK_OWNER, "Owner"),
        (
            LEAK_RESPONSIBLE_ID,
            hostile::LEAK_RESPONSIBLE,
            "Responsible",
        ),
    ] {
        if store.agent(id).is_none() {
            store.agents.push(Agent {
                id,
                login: login.into(),
                first: "Leak".into(),
                last: last.into(),
                email: format!("{login}@helpdesk.example"),
                password: None,
                valid: true,
                admin: false,
            });
        }
    }
}

/// Marks a ticket with the agent-only data the portal must never show.
fn mark(store: &mut Store, id: u64) {
    if let Some(t) = store.tickets.get_mut(&id) {
        t.owner_id = LEAK_OWNER_ID;
        t.responsible_id = LEAK_RESPONSIBLE_ID;
        t.escalation = hostile::LEAK_ESCALATION_SECS;
    }
}

fn add_ticket(store: &mut Store, c: &CustomerUser, plan: &PlanTicket, at: i64) -> u64 {
    let open = state_by_name("open").or_else(|| state(4));
    let Some(open) = open else { return 0 };
    let queue = store.queue_by_name("Support").map(|q| q.id).unwrap_or(2);
    let id = customer_ticket(
        store,
        c,
        &plan.title,
        "Please have a look at the messages below.",
        open,
        queue,
        at,
    );
    for (i, a) in plan.articles.iter().enumerate() {
        agent_article(
            store,
            id,
            AgentArticle {
                subject: Some(a.subject.clone()),
                body: a.html.clone(),
                mime_type: "text/html".into(),
                internal: a.internal,
                files: a.files.clone(),
                agent: None,
                time_unit: a.time_unit.unwrap_or(0.0),
            },
            at + 1 + i as i64,
        );
    }
    mark(store, id);
    id
}

pub fn seed(store: &mut Store, body: &Value) -> Reply {
    let login = body
        .get("customer")
        .and_then(Value::as_str)
        .unwrap_or("alice");
    let Some(c) = store.customer(login).cloned() else {
        return err(404, "unknown customer");
    };
    let Some(new) = state_by_name("new") else {
        return err(500, "no state new");
    };
    leak_agents(store);
    let plan = hostile::plan();
    let queue = store.queue_by_name("Support").map(|q| q.id).unwrap_or(2);
    let now = store.now();
    // Oldest first: the title tickets, then the corpus, then the formatting sample (newest).
    let n = plan.titles.len() as i64;
    let mut titles = Vec::new();
    for (i, title) in plan.titles.iter().enumerate() {
        let at = now - 600 - (n - i as i64);
        let id = customer_ticket(
            store,
            &c,
            title,
            "A ticket with a hostile title.",
            new,
            queue,
            at,
        );
        mark(store, id);
        titles.push(id);
    }
    let corpus = add_ticket(store, &c, &plan.corpus, now - 300);
    let formatting = add_ticket(store, &c, &plan.formatting, now - 60);
    Reply::ok(hostile::seeded_json(corpus, formatting, &titles))
}

/// `POST /__test/seed_dompurify`: one ticket with every payload of DOMPurify's test corpus as an
/// agent e-mail (`crate::hostile::dompurify_plan`), newest in the customer's list.
pub fn seed_dompurify(store: &mut Store, body: &Value) -> Reply {
    let login = body
        .get("customer")
        .and_then(Value::as_str)
        .unwrap_or("alice");
    let Some(c) = store.customer(login).cloned() else {
        return err(404, "unknown customer");
    };
    leak_agents(store);
    let now = store.now();
    let id = add_ticket(store, &c, &hostile::dompurify_plan(), now - 60);
    Reply::ok(hostile::dompurify_seeded_json(id))
}
