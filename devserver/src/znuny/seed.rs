//! The two seeds of the fake Znuny.
//!
//! `demo` mirrors the Zammad demo seed (same users, titles, customers, groups → queues, state
//! categories, relative times and ticket IDs), so one browser suite can run on both backends.
//! `recording` is the stock system the 7.1.7 fixtures were recorded on.

use super::store::*;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

/// The hostile HTML of the Zammad seed's agent e-mail on ticket 101 (same text).
pub const AGENT_EMAIL_BODY_101: &str = crate::zammad::store::AGENT_EMAIL_BODY_101;
pub const PRINTER_LOG: &[u8] = b"Printer log: smoke detected at 09:14\n";
pub const INTERNAL_NOTE_101: &str = "INTERNAL-NOTE-MARKER check the warranty first.";

fn stock_queues(s: &mut Store) {
    s.queues = vec![
        Queue {
            id: 1,
            name: "Postmaster".into(),
            group_id: 1,
            valid: true,
            follow_up: "possible",
        },
        Queue {
            id: 2,
            name: "Raw".into(),
            group_id: 1,
            valid: true,
            follow_up: "possible",
        },
        Queue {
            id: 3,
            name: "Junk".into(),
            group_id: 1,
            valid: true,
            follow_up: "possible",
        },
        Queue {
            id: 4,
            name: "Misc".into(),
            group_id: 1,
            valid: true,
            follow_up: "possible",
        },
    ];
}

fn customer(
    login: &str,
    first: &str,
    last: &str,
    email: &str,
    customer_id: &str,
    password: &str,
    at: i64,
) -> CustomerUser {
    CustomerUser {
        login: login.into(),
        first: first.into(),
        last: last.into(),
        email: email.into(),
        customer_id: customer_id.into(),
        password: password.into(),
        valid: true,
        login_failed: 0,
        last_login: None,
        pw_changed: at,
        created: at,
        changed: at,
    }
}

#[allow(clippy::too_many_arguments)]
fn new_ticket(
    id: u64,
    number: String,
    title: &str,
    queue_id: u64,
    state_id: u64,
    customer: Option<(&str, &str)>,
    owner: u64,
    created: i64,
) -> Ticket {
    Ticket {
        id,
        number,
        title: title.into(),
        queue_id,
        state_id,
        priority_id: 3,
        type_id: 1,
        lock_id: 1,
        owner_id: owner,
        responsible_id: owner,
        customer_user: customer.map(|c| c.0.to_string()),
        customer_id: customer.map(|c| c.1.to_string()),
        service_id: None,
        sla_id: None,
        until_time: 0,
        escalation: 0,
        unlock_timeout: 0,
        archived: false,
        created,
        changed: created,
        create_by: 1,
        change_by: 1,
        closed: None,
        received: Vec::new(),
        dynamic_fields: Default::default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn article(
    ticket_id: u64,
    sender: u64,
    channel: u64,
    visible: bool,
    from: String,
    to: String,
    subject: &str,
    body: &str,
    content_type: &str,
    created: i64,
    by: u64,
) -> Article {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("text/plain")
        .trim()
        .to_string();
    let charset = content_type
        .split("charset=")
        .nth(1)
        .map(|c| c.trim_matches(|ch| ch == '"' || ch == '\'').to_string())
        .unwrap_or_default();
    Article {
        id: 0,
        ticket_id,
        number: 0,
        sender_type_id: sender,
        channel_id: channel,
        visible,
        from,
        to,
        cc: String::new(),
        bcc: String::new(),
        reply_to: String::new(),
        subject: subject.into(),
        body: body.into(),
        html_body: None,
        content_type: content_type.into(),
        mime_type: mime,
        charset,
        message_id: String::new(),
        in_reply_to: String::new(),
        references: String::new(),
        time_unit: 0.0,
        created,
        create_by: by,
        sent: false,
        received: None,
    }
}

fn history_new_ticket(s: &mut Store, ticket_id: u64, article_id: u64, by: u64) {
    let Some(t) = s.tickets.get(&ticket_id).cloned() else {
        return;
    };
    let name = format!(
        "%%{}%%{}%%{}%%{}%%{}",
        t.number,
        s.queue_name(t.queue_id),
        priority_name(t.priority_id),
        state(t.state_id).map(|x| x.name).unwrap_or(""),
        t.id
    );
    let at = t.created;
    let push = |s: &mut Store, aid: u64, ty: &'static str, name: String| {
        s.history.push(HistoryEntry {
            ticket_id,
            article_id: aid,
            history_type: ty,
            name,
            create_by: by,
            created: at,
            queue_id: t.queue_id,
            owner_id: t.owner_id,
            priority_id: t.priority_id,
            state_id: t.state_id,
            type_id: t.type_id,
        });
    };
    push(s, 0, "NewTicket", name);
    if let (Some(cu), Some(cid)) = (&t.customer_user, &t.customer_id) {
        push(
            s,
            0,
            "CustomerUpdate",
            format!("%%CustomerID={cid};CustomerUser={cu};"),
        );
    }
    if article_id > 0 {
        push(
            s,
            article_id,
            "NewTicket",
            "%%GenericInterface Create".into(),
        );
    }
}

struct SeedTicket {
    id: u64,
    title: &'static str,
    customer: &'static str,
    queue: u64,
    state: u64,
    created_ago: i64,
    changed_ago: i64,
    body: &'static str,
}

/// The demo seed (see README): customers alice, carol (acme) and bob (globex), agents
/// root@localhost and emma, queues Support and Sales plus the stock ones, tickets 101–108.
pub fn demo(s: &mut Store) {
    let now = s.now();
    s.seeded_at = now;
    let sys = now - 400 * DAY;
    s.numbers = NumberScheme::Prefix("20261124100".into());
    s.system_address = ("Acme Help Center".into(), "support@helpdesk.example".into());
    s.agents = vec![
        Agent {
            id: 1,
            login: "root@localhost".into(),
            first: "Admin".into(),
            last: "OTRS".into(),
            email: "root@localhost".into(),
            password: None,
            valid: true,
            admin: true,
        },
        Agent {
            id: 2,
            login: "emma".into(),
            first: "Emma".into(),
            last: "Agent".into(),
            email: "emma@helpdesk.example".into(),
            password: Some("emma-demo".into()),
            valid: true,
            admin: false,
        },
    ];
    s.companies = vec![
        Company {
            id: "acme".into(),
            name: "Acme Corp".into(),
            street: Some("1 Rocket Road".into()),
            zip: Some("12345".into()),
            city: Some("Springfield".into()),
            country: Some("USA".into()),
            url: None,
            comment: Some("COMPANY-NOTE-MARKER agent remark".into()),
        },
        Company {
            id: "globex".into(),
            name: "Globex Inc".into(),
            street: None,
            zip: None,
            city: Some("Cypress Creek".into()),
            country: Some("USA".into()),
            url: None,
            comment: None,
        },
    ];
    s.customers = vec![
        customer(
            "alice",
            "Alice",
            "Anders",
            "alice@example.com",
            "acme",
            "alice-demo",
            sys + 10,
        ),
        customer(
            "carol",
            "Carol",
            "Chen",
            "carol@example.com",
            "acme",
            "carol-demo",
            sys + 11,
        ),
        customer(
            "bob",
            "Bob",
            "Brown",
            "bob@example.com",
            "globex",
            "bob-demo",
            sys + 12,
        ),
    ];
    stock_queues(s);
    s.queues.push(Queue {
        id: 5,
        name: "Support".into(),
        group_id: 1,
        valid: true,
        follow_up: "possible",
    });
    s.queues.push(Queue {
        id: 6,
        name: "Sales".into(),
        group_id: 1,
        valid: true,
        follow_up: "reject",
    });

    let seeds = [
        SeedTicket {
            id: 101,
            title: "Printer on fire",
            customer: "alice",
            queue: 5,
            state: 4,
            created_ago: 2 * DAY,
            changed_ago: HOUR,
            body: "The printer in room 42 is on fire.\nPlease send help!",
        },
        SeedTicket {
            id: 102,
            title: "VPN access for new colleague",
            customer: "carol",
            queue: 5,
            state: 1,
            created_ago: DAY + 2 * HOUR,
            changed_ago: DAY,
            body: "Please create a VPN account for our new colleague Dave, who starts on Monday.",
        },
        SeedTicket {
            id: 103,
            title: "Invoice copy needed",
            customer: "alice",
            queue: 6,
            state: 2,
            created_ago: 14 * DAY,
            changed_ago: 10 * DAY,
            body: "Could you send me a copy of invoice 2024-0815? I need it for our accounting.",
        },
        SeedTicket {
            id: 104,
            title: "Password reset mail did not arrive",
            customer: "alice",
            queue: 5,
            state: 2,
            created_ago: 6 * DAY,
            changed_ago: 3 * DAY,
            body: "I requested a password reset but the mail never arrived.",
        },
        SeedTicket {
            id: 105,
            title: "Replacement keyboard",
            customer: "alice",
            queue: 5,
            state: 6,
            created_ago: 4 * DAY,
            changed_ago: 3 * HOUR,
            body: "Some keys of my keyboard stopped working. Can I get a replacement?",
        },
        SeedTicket {
            id: 106,
            title: "New monitor request",
            customer: "alice",
            queue: 6,
            state: 1,
            created_ago: 5 * HOUR,
            changed_ago: 5 * HOUR,
            body: "I would like to request a second monitor (27 inch) for my desk.",
        },
        SeedTicket {
            id: 107,
            title: "Globex server outage",
            customer: "bob",
            queue: 5,
            state: 4,
            created_ago: 6 * HOUR,
            changed_ago: 2 * HOUR,
            body: "Our main server has been down since 6 am. Nobody can work.",
        },
        SeedTicket {
            id: 108,
            title: "Laptop battery swollen",
            customer: "carol",
            queue: 5,
            state: 2,
            created_ago: 25 * DAY,
            changed_ago: 20 * DAY,
            body: "The battery of my laptop is swollen and the case does not close any more.",
        },
    ];

    // Article ids mirror the Zammad seed (1001…), attachments 501/502; new ones from 1100/600.
    s.next_article_id = 1001;
    s.next_attachment_id = 501;
    let agent_from = |queue: &str| format!("\"Emma Agent via {queue}\" <support@helpdesk.example>");
    for st in &seeds {
        let (login, company, mail) = match s.customer(st.customer) {
            Some(c) => (c.login.clone(), c.customer_id.clone(), c.mail_string()),
            None => continue,
        };
        let created = now - st.created_ago;
        let changed = now - st.changed_ago;
        let number = format!("20261124100{:05}", st.id);
        let mut t = new_ticket(
            st.id,
            number,
            st.title,
            st.queue,
            st.state,
            Some((&login, &company)),
            2,
            created,
        );
        if st.state == 6 {
            t.until_time = now + 2 * DAY;
        }
        s.tickets.insert(st.id, t);
        let queue = s.queue_name(st.queue);
        let first = article(
            st.id,
            3,
            3,
            true,
            mail.clone(),
            queue.clone(),
            st.title,
            st.body,
            "text/plain; charset=utf-8",
            created,
            1,
        );
        let files = if st.id == 101 {
            vec![NewFile {
                filename: "printer-log.txt".into(),
                content_type: "text/plain".into(),
                disposition: None,
                content_id: None,
                data: PRINTER_LOG.to_vec(),
            }]
        } else {
            Vec::new()
        };
        let first_id = s.create_article(first, files, 1);
        history_new_ticket(s, st.id, first_id, 1);

        match st.id {
            101 => {
                let note = article(
                    101,
                    1,
                    3,
                    false,
                    "\"Emma Agent\" <emma@helpdesk.example>".into(),
                    String::new(),
                    "Internal note",
                    INTERNAL_NOTE_101,
                    "text/plain; charset=utf-8",
                    created + 2 * HOUR,
                    2,
                );
                let nid = s.create_article(note, Vec::new(), 2);
                s.add_history(101, nid, "AddNote", "%%Internal note".into(), 2);
                let mut reply = article(
                    101,
                    1,
                    1,
                    true,
                    agent_from(&queue),
                    mail.clone(),
                    "RE: Printer on fire",
                    AGENT_EMAIL_BODY_101,
                    "text/html; charset=utf-8",
                    changed,
                    2,
                );
                reply.time_unit = 15.0;
                reply.message_id = format!("<{changed}.101.1003@helpdesk.example>");
                reply.sent = true;
                let rid = s.create_article(
                    reply,
                    vec![NewFile {
                        filename: "checklist.pdf".into(),
                        content_type: "application/pdf".into(),
                        disposition: None,
                        content_id: None,
                        data: crate::zammad::store::checklist_pdf(),
                    }],
                    2,
                );
                s.add_history(101, rid, "SendAnswer", "%%alice@example.com".into(), 2);
                s.add_history(101, rid, "TimeAccounting", "%%15%%".into(), 2);
            }
            103..=105 => {
                let (body, at) = match st.id {
                    103 => (
                        "<p>Hi Alice,</p><p>we have sent the invoice copy to your e-mail address.</p><p>Emma</p>",
                        changed - 2 * DAY,
                    ),
                    104 => (
                        "<p>Hi Alice,</p><p>please check your spam folder, we sent the mail again.</p>",
                        changed - DAY,
                    ),
                    _ => (
                        "<p>We ordered it. It should arrive within a week.</p>",
                        changed,
                    ),
                };
                let mut reply = article(
                    st.id,
                    1,
                    1,
                    true,
                    agent_from(&queue),
                    mail.clone(),
                    &format!("RE: {}", st.title),
                    body,
                    "text/html; charset=utf-8",
                    at,
                    2,
                );
                reply.sent = true;
                reply.message_id = format!("<{at}.{}@helpdesk.example>", st.id);
                let rid = s.create_article(reply, Vec::new(), 2);
                s.add_history(st.id, rid, "SendAnswer", format!("%%{}", login), 2);
            }
            _ => {}
        }
        if let Some(t) = s.tickets.get_mut(&st.id) {
            t.changed = changed;
            t.change_by = if matches!(st.id, 103 | 104 | 105 | 108 | 101) {
                2
            } else {
                1
            };
            if st.state == 2 {
                t.closed = Some(changed);
            }
        }
    }
    demo_dynamic_fields(s);
    real_shapes(s, now);
    s.next_article_id = 1100;
    s.next_attachment_id = 600;
    s.next_ticket_id = 109;
}

/// `crate::real_shapes` in Znuny's shapes: 16-digit numbers like the demo tickets'.
fn real_shapes(s: &mut Store, now: i64) {
    use crate::real_shapes::{self as shapes, TICKETS};
    s.companies.push(Company {
        id: shapes::COMPANY_ID.into(),
        name: shapes::COMPANY.into(),
        street: Some("Hauptstraße 1".into()),
        zip: Some("39100".into()),
        city: Some("Bozen".into()),
        country: Some("Italien".into()),
        url: None,
        comment: None,
    });
    s.customers.push(customer(
        shapes::LOGIN,
        shapes::FIRST_NAME,
        shapes::LAST_NAME,
        shapes::EMAIL,
        shapes::COMPANY_ID,
        shapes::PASSWORD,
        now - 400 * DAY + 40,
    ));
    s.next_article_id = 9101;
    for st in &TICKETS {
        let changed = now - st.hours_ago * HOUR;
        let created = changed - 3 * HOUR;
        let (state, queue) = if st.closed { (2, 5) } else { (4, 5) };
        let mut t = new_ticket(
            st.id,
            format!("20261124100{:05}", st.id),
            st.title,
            queue,
            state,
            Some((shapes::LOGIN, shapes::COMPANY_ID)),
            2,
            created,
        );
        t.closed = st.closed.then_some(changed);
        s.tickets.insert(st.id, t);
        let from = match s.customer(shapes::LOGIN) {
            Some(c) => c.mail_string(),
            None => continue,
        };
        let first = article(
            st.id,
            3,
            3,
            true,
            from,
            s.queue_name(queue),
            st.title,
            st.body,
            "text/plain; charset=utf-8",
            created,
            1,
        );
        let id = s.create_article(first, Vec::new(), 1);
        history_new_ticket(s, st.id, id, 1);
        if let Some(t) = s.tickets.get_mut(&st.id) {
            t.changed = changed;
        }
    }
}

/// The system the 7.1.7 fixtures were recorded on: customers alice (acme) and bob (globex),
/// agent root@localhost, the stock queues and the stock welcome ticket (ID 1, no customer).
/// The clock is expected to be set to the recording time by the caller.
pub fn recording(s: &mut Store) {
    let now = s.now();
    s.seeded_at = now;
    s.numbers = NumberScheme::DateChecksum { counter: 0 };
    s.system_address = ("Znuny System".into(), "znuny@localhost".into());
    s.agents = vec![Agent {
        id: 1,
        login: "root@localhost".into(),
        first: "Admin".into(),
        last: "OTRS".into(),
        email: "root@localhost".into(),
        password: Some("AdminPass123!".into()),
        valid: true,
        admin: true,
    }];
    s.companies = vec![
        Company {
            id: "acme".into(),
            name: "ACME Corp".into(),
            street: None,
            zip: None,
            city: Some("Springfield".into()),
            country: Some("Germany".into()),
            url: None,
            comment: None,
        },
        Company {
            id: "globex".into(),
            name: "Globex Inc".into(),
            street: None,
            zip: None,
            city: None,
            country: None,
            url: None,
            comment: None,
        },
    ];
    let set_at = now - 3;
    let mut alice = customer(
        "alice",
        "Alice",
        "Customer",
        "alice@acme.example",
        "acme",
        "AlicePass123!",
        set_at,
    );
    alice.changed = set_at;
    s.customers = vec![
        alice,
        customer(
            "bob",
            "Bob",
            "Other",
            "bob@globex.example",
            "globex",
            "BobPass123!",
            set_at,
        ),
    ];
    stock_queues(s);
    let welcome_at = now - 30 * DAY;
    let t = new_ticket(
        1,
        "2015071510123456".into(),
        "Welcome to Znuny!",
        2,
        1,
        None,
        1,
        welcome_at,
    );
    s.tickets.insert(1, t);
    s.next_article_id = 1;
    s.next_attachment_id = 1;
    let welcome = article(
        1,
        3,
        1,
        true,
        "Znuny Feedback <feedback@znuny.org>".into(),
        "Your Znuny System <znuny@localhost>".into(),
        "Welcome to Znuny!",
        "Welcome to Znuny!\n\nThank you for installing Znuny, the service management suite.\n",
        "text/plain; charset=utf-8",
        welcome_at,
        1,
    );
    let aid = s.create_article(welcome, Vec::new(), 1);
    history_new_ticket(s, 1, aid, 1);
    s.next_ticket_id = 2;
}

/// The demo's ticket dynamic fields: three a customer fills in (public/config.znuny.json lists
/// them) and one only agents use, which the portal must never show. Ticket 102 has values.
fn demo_dynamic_fields(s: &mut Store) {
    let def = |name: &str, driver: DfDriver, values: &[(&str, &str)]| DynamicFieldDef {
        name: name.into(),
        driver,
        possible_values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    s.dynamic_fields = vec![
        def(
            "Product",
            DfDriver::Dropdown,
            &[
                ("printer", "Printer"),
                ("scanner", "Scanner"),
                ("network", "Network"),
            ],
        ),
        def("ContractNumber", DfDriver::Text, &[]),
        def("OrderDate", DfDriver::Date, &[]),
        def("AgentNotes", DfDriver::TextArea, &[]),
    ];
    if let Some(t) = s.tickets.get_mut(&102) {
        t.dynamic_fields
            .insert("Product".into(), serde_json::Value::from("scanner"));
        t.dynamic_fields.insert(
            "OrderDate".into(),
            serde_json::Value::from("2026-11-02 00:00:00"),
        );
        t.dynamic_fields.insert(
            "AgentNotes".into(),
            serde_json::Value::from("Customer is difficult; do not escalate."),
        );
    }
}
