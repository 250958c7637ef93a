//! The fake Zammad's part of `crate::real_shapes`: the customer, the organization and the
//! tickets, each made from a demo record of the same kind (alice, ticket 106 and its first
//! article), so they carry every field the demo records carry.

use super::store::*;
use crate::real_shapes::{self as shapes, TICKETS};
use crate::util::MS_PER_HOUR;

const ORGANIZATION_ID: u64 = 9;
const USER_ID: u64 = 40;
const FIRST_ARTICLE_ID: u64 = 9101;

pub fn seed(s: &mut Store, now: i64) {
    let (Some(user), Some(ticket), Some(article)) = (
        s.user(10).cloned(),
        s.tickets.get(&106).cloned(),
        s.articles.values().find(|a| a.ticket_id == 106).cloned(),
    ) else {
        return;
    };
    s.organizations.push(Organization {
        id: ORGANIZATION_ID,
        name: shapes::COMPANY.into(),
        shared: true,
        created_at: s.system_time(),
    });
    s.users.push(User {
        id: USER_ID,
        login: shapes::LOGIN.into(),
        firstname: shapes::FIRST_NAME.into(),
        lastname: shapes::LAST_NAME.into(),
        email: shapes::EMAIL.into(),
        organization_id: Some(ORGANIZATION_ID),
        password: Some(shapes::PASSWORD.into()),
        phone: String::new(),
        vip: false,
        last_login: None,
        ..user
    });
    let from = format!(
        "{} {} <{}>",
        shapes::FIRST_NAME,
        shapes::LAST_NAME,
        shapes::EMAIL
    );
    for (n, st) in TICKETS.iter().enumerate() {
        let updated = now - st.hours_ago * MS_PER_HOUR;
        let created = updated - 3 * MS_PER_HOUR;
        let closed = st.closed.then_some(updated);
        s.tickets.insert(
            st.id,
            Ticket {
                id: st.id,
                number: format!("31{}", st.id),
                title: st.title.into(),
                group_id: 2,
                state_id: if st.closed { 4 } else { 2 },
                organization_id: Some(ORGANIZATION_ID),
                customer_id: USER_ID,
                close_at: closed,
                last_close_at: closed,
                last_contact_at: Some(created),
                last_contact_customer_at: Some(created),
                pending_time: None,
                created_by_id: USER_ID,
                updated_by_id: USER_ID,
                created_at: created,
                updated_at: updated,
                ..ticket.clone()
            },
        );
        let id = FIRST_ARTICLE_ID + n as u64;
        s.articles.insert(
            id,
            Article {
                id,
                ticket_id: st.id,
                from: Some(from.clone()),
                subject: Some(st.title.into()),
                body: st.body.into(),
                created_by_id: USER_ID,
                updated_by_id: USER_ID,
                created_at: created + 48,
                updated_at: created + 48,
                ..article.clone()
            },
        );
    }
}
