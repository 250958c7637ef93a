//! JSON shapes of Zammad records, leaky fields included (fixtures 13, 14, 19, 27, 34–36).

use super::store::*;
use crate::util::{date_string, iso, iso_opt, MS_PER_DAY};
use serde_json::{json, Map, Value};

fn opt_u64(v: Option<u64>) -> Value {
    v.map(Value::from).unwrap_or(Value::Null)
}

fn opt_str(v: &Option<String>) -> Value {
    v.as_ref()
        .map(|s| Value::String(s.clone()))
        .unwrap_or(Value::Null)
}

/// A ticket as `attributes_with_association_ids`, plus names when `expand` is set.
pub fn ticket(store: &Store, t: &Ticket, expand: bool) -> Value {
    let modern = store.version.is_modern();
    let article_ids = store.article_ids(t.id);
    let article_count = store
        .articles
        .values()
        .filter(|a| a.ticket_id == t.id && a.sender_id != SENDER_SYSTEM)
        .count();
    let responded = t.first_response_at.is_some();
    let mut m = Map::new();
    m.insert("id".into(), t.id.into());
    m.insert("group_id".into(), t.group_id.into());
    m.insert("priority_id".into(), t.priority_id.into());
    m.insert("state_id".into(), t.state_id.into());
    m.insert("organization_id".into(), opt_u64(t.organization_id));
    m.insert("number".into(), t.number.clone().into());
    m.insert("title".into(), t.title.clone().into());
    m.insert("owner_id".into(), t.owner_id.into());
    m.insert("customer_id".into(), t.customer_id.into());
    m.insert("note".into(), Value::Null);
    m.insert("first_response_at".into(), iso_opt(t.first_response_at));
    let escalation = iso_opt(t.escalation_at);
    m.insert(
        "first_response_escalation_at".into(),
        if responded {
            Value::Null
        } else {
            escalation.clone()
        },
    );
    m.insert(
        "first_response_in_min".into(),
        if responded { json!(45) } else { Value::Null },
    );
    m.insert(
        "first_response_diff_in_min".into(),
        if responded { json!(75) } else { Value::Null },
    );
    m.insert("close_at".into(), iso_opt(t.close_at));
    m.insert("close_escalation_at".into(), escalation.clone());
    m.insert("close_in_min".into(), Value::Null);
    m.insert("close_diff_in_min".into(), Value::Null);
    m.insert("update_escalation_at".into(), escalation.clone());
    m.insert("update_in_min".into(), Value::Null);
    m.insert("update_diff_in_min".into(), Value::Null);
    if modern {
        m.insert("last_close_at".into(), iso_opt(t.last_close_at));
    }
    m.insert("last_contact_at".into(), iso_opt(t.last_contact_at));
    m.insert(
        "last_contact_agent_at".into(),
        iso_opt(t.last_contact_agent_at),
    );
    m.insert(
        "last_contact_customer_at".into(),
        iso_opt(t.last_contact_customer_at),
    );
    // Set when an owner is assigned (Ticket::SetsLastOwnerUpdateTime); the seed's tickets got
    // theirs on creation, tickets without an owner (`-`, id 1) have none (recorded from 6.2:
    // `fixtures/zammad-recorded/38-*`, `40-*`).
    m.insert(
        "last_owner_update_at".into(),
        if t.owner_id == 1 {
            Value::Null
        } else {
            iso(t.created_at).into()
        },
    );
    m.insert(
        "create_article_type_id".into(),
        opt_u64(t.create_article_type_id),
    );
    m.insert(
        "create_article_sender_id".into(),
        opt_u64(t.create_article_sender_id),
    );
    m.insert("article_count".into(), article_count.into());
    m.insert("escalation_at".into(), escalation);
    m.insert("pending_time".into(), iso_opt(t.pending_time));
    m.insert("type".into(), Value::Null);
    m.insert("time_unit".into(), opt_str(&t.time_unit));
    m.insert("preferences".into(), t.preferences.clone());
    m.insert("updated_by_id".into(), t.updated_by_id.into());
    m.insert("created_by_id".into(), t.created_by_id.into());
    m.insert("created_at".into(), iso(t.created_at).into());
    m.insert("updated_at".into(), iso(t.updated_at).into());
    // Custom attributes are columns: every one, agent-only ones too (REST filters none).
    m.extend(super::attributes::columns(&t.custom));
    if modern {
        m.insert("checklist_id".into(), Value::Null);
        m.insert("referencing_checklist_ids".into(), json!([]));
    }
    m.insert("article_ids".into(), json!(article_ids));
    m.insert(
        "ticket_time_accounting_ids".into(),
        json!(t.time_accounting_ids),
    );
    if expand {
        if modern {
            m.insert("referencing_checklists".into(), json!([]));
        }
        m.insert(
            "group".into(),
            store.group(t.group_id).map(|g| g.name.clone()).into(),
        );
        // Names only for associations that are set: a ticket without organization has no
        // `organization` key at all (recorded from 6.2: `fixtures/zammad-recorded/40-*`).
        if let Some(o) = t.organization_id.and_then(|o| store.organization(o)) {
            m.insert("organization".into(), o.name.clone().into());
        }
        m.insert("state".into(), state(t.state_id).map(|s| s.name).into());
        m.insert("priority".into(), priority_name(t.priority_id).into());
        m.insert("owner".into(), store.user_login(t.owner_id).into());
        m.insert("customer".into(), store.user_login(t.customer_id).into());
        m.insert(
            "created_by".into(),
            store.user_login(t.created_by_id).into(),
        );
        m.insert(
            "updated_by".into(),
            store.user_login(t.updated_by_id).into(),
        );
        if let Some(id) = t.create_article_type_id {
            m.insert("create_article_type".into(), article_type_name(id).into());
        }
        if let Some(id) = t.create_article_sender_id {
            m.insert("create_article_sender".into(), sender_name(id).into());
        }
        // As in fixture 14: present (empty) only on tickets without time accounting.
        if t.time_accounting_ids.is_empty() {
            m.insert("ticket_time_accounting".into(), json!([]));
        }
    }
    Value::Object(m)
}

/// A ticket as `render json: ticket` writes it (`GET /tickets/:id` and `GET /tickets` without
/// `expand`/`full`): the columns only, no association ids (recorded from 6.2:
/// `fixtures/zammad-recorded/38-*` has no `article_ids`).
pub fn ticket_plain(store: &Store, t: &Ticket) -> Value {
    let mut v = ticket(store, t, false);
    if let Value::Object(m) = &mut v {
        for key in [
            "article_ids",
            "ticket_time_accounting_ids",
            "referencing_checklist_ids",
        ] {
            m.remove(key);
        }
    }
    v
}

/// Attachment list entry (`size` is a string).
pub fn attachment_entry(store: &Store, a: &Attachment) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), a.id.into());
    if store.version.is_modern() {
        m.insert("store_file_id".into(), a.store_file_id.into());
    }
    m.insert("filename".into(), a.filename.clone().into());
    m.insert("size".into(), a.data.len().to_string().into());
    m.insert("preferences".into(), a.preferences.clone());
    Value::Object(m)
}

/// An article with association names (as by_ticket, show and create return it). `cid:`
/// references to inline images become download URLs.
pub fn article(store: &Store, a: &Article) -> Value {
    let mut body = a.body.clone();
    let mut attachments = Vec::new();
    for att in store.attachments_of(a.id) {
        if att.inline {
            if let Some(cid) = att.preferences.get("Content-ID").and_then(Value::as_str) {
                body = body.replace(
                    &format!("cid:{cid}"),
                    &format!(
                        "/api/v1/ticket_attachment/{}/{}/{}?view=inline",
                        a.ticket_id, a.id, att.id
                    ),
                );
            }
        } else {
            attachments.push(attachment_entry(store, att));
        }
    }
    let message_id_md5 = a
        .message_id
        .as_ref()
        .map(|m| Value::String(crate::util::hex_digest(m)))
        .unwrap_or(Value::Null);
    json!({
        "id": a.id,
        "ticket_id": a.ticket_id,
        "type_id": a.type_id,
        "sender_id": a.sender_id,
        "from": opt_str(&a.from),
        "to": opt_str(&a.to),
        "cc": opt_str(&a.cc),
        "subject": opt_str(&a.subject),
        "reply_to": opt_str(&a.reply_to),
        "message_id": opt_str(&a.message_id),
        "message_id_md5": message_id_md5,
        "in_reply_to": opt_str(&a.in_reply_to),
        "content_type": a.content_type,
        "references": null,
        "body": body,
        "internal": a.internal,
        "preferences": a.preferences,
        "updated_by_id": a.updated_by_id,
        "created_by_id": a.created_by_id,
        "origin_by_id": null,
        "created_at": iso(a.created_at),
        "updated_at": iso(a.updated_at),
        "attachments": attachments,
        "type": article_type_name(a.type_id),
        "sender": sender_name(a.sender_id),
        "created_by": store.user_login(a.created_by_id),
        "updated_by": store.user_login(a.updated_by_id),
        "time_unit": opt_str(&a.time_unit),
    })
}

/// Columns Zammad leaves out when a customer reads their own record (app/models/user/assets.rb
/// `filter_unauthorized_attributes`; recorded in `fixtures/zammad-recorded/03-*`, `04-*`).
pub const CUSTOMER_SELF_HIDDEN: [&str; 11] = [
    "web",
    "phone",
    "mobile",
    "fax",
    "department",
    "street",
    "zip",
    "city",
    "country",
    "address",
    "note",
];

/// The counters Zammad keeps in every user's preferences (`tickets_open`, `tickets_closed`,
/// recorded in `fixtures/zammad-recorded/02-*`, `03-*`): the tickets the user is customer of,
/// by state type.
fn ticket_counters(store: &Store, u: &User) -> (usize, usize) {
    let own = store.tickets.values().filter(|t| t.customer_id == u.id);
    own.fold((0, 0), |(open, closed), t| {
        match state_type_of(t.state_id) {
            "closed" | "merged" => (open, closed + 1),
            _ => (open + 1, closed),
        }
    })
}

/// An agent's notification matrix as Zammad seeds it (`ticket_agent_default_notifications`;
/// recorded from 6.2: `fixtures/zammad-recorded/02-*`).
fn agent_notifications() -> Value {
    let entry = |mine: bool, nobody: bool, subscribed: bool| {
        json!({"criteria": {"owned_by_me": mine, "owned_by_nobody": nobody,
                            "subscribed": subscribed, "no": false},
               "channel": {"email": true, "online": true}})
    };
    json!({"matrix": {
        "create": entry(true, true, true),
        "update": entry(true, true, true),
        "reminder_reached": entry(true, false, false),
        "escalation": entry(true, false, false),
    }})
}

/// The caller's own user record (users/me, the signin/signshow session): all columns (without
/// password) plus association ids (fixture 13), as `attributes_with_association_ids` filters
/// it for the viewer. A customer reading itself gets neither the contact columns nor the
/// agents' `note` (recorded from 6.2: `fixtures/zammad-recorded/03-*`); an agent gets all.
pub fn user(store: &Store, u: &User, expand: bool) -> Value {
    user_for(store, u, u.is_customer(), expand)
}

/// A user record as `customer_viewer` (a customer reading itself) or an agent sees it.
pub fn user_for(store: &Store, u: &User, customer_viewer: bool, expand: bool) -> Value {
    let mut v = json!({
        "id": u.id,
        "organization_id": opt_u64(u.organization_id),
        "login": u.login,
        "firstname": u.firstname,
        "lastname": u.lastname,
        "email": u.email,
        "image": null,
        "image_source": null,
        "web": "",
        "phone": u.phone,
        "fax": "",
        "mobile": "",
        "department": "",
        "street": "",
        "zip": "",
        "city": "",
        "country": "",
        "address": "",
        "vip": u.vip,
        "verified": false,
        "active": u.active,
        "note": u.note,
        "last_login": iso_opt(u.last_login),
        "source": null,
        "login_failed": u.login_failed,
        "out_of_office": false,
        "out_of_office_start_at": null,
        "out_of_office_end_at": null,
        "out_of_office_replacement_id": null,
        "preferences": {
            "locale": "en-us",
            "intro": true,
            "notification_sound": {"enabled": true, "file": "Xylo.mp3"},
            "two_factor_authentication": {"default": u.two_factor_on(store.version).map_or(Value::Null, |t| Value::from(t.default.as_str()))},
        },
        "updated_by_id": u.id,
        "created_by_id": 1,
        "created_at": iso(u.created_at),
        "updated_at": iso(u.updated_at),
        "role_ids": u.role_ids,
        "organization_ids": u.organization_ids,
        "authorization_ids": [],
        // An agent's group access (`{"<group id>": ["full"]}`, recorded from 6.2:
        // `fixtures/zammad-recorded/02-*`); the fake's agent has full access to every group.
        "group_ids": if u.role_ids.contains(&ROLE_AGENT) {
            Value::Object(store.groups.iter().map(|g| (g.id.to_string(), json!(["full"]))).collect())
        } else {
            json!({})
        },
    });
    if let Value::Object(m) = &mut v {
        if store.version.is_modern() {
            // Association ids of 6.x (recorded from 6.2, `fixtures/zammad-recorded/02-*`).
            m.insert("two_factor_preference_ids".into(), json!([]));
            m.insert("overview_sorting_ids".into(), json!([]));
        }
        if customer_viewer {
            for key in CUSTOMER_SELF_HIDDEN {
                m.remove(key);
            }
        }
        let (open, closed) = ticket_counters(store, u);
        if let Some(Value::Object(p)) = m.get_mut("preferences") {
            p.insert("tickets_open".into(), open.into());
            p.insert("tickets_closed".into(), closed.into());
            if u.role_ids.contains(&ROLE_AGENT) {
                p.insert("notification_config".into(), agent_notifications());
            }
        }
    }
    if expand {
        if let Value::Object(m) = &mut v {
            m.insert(
                "organization".into(),
                u.organization_id
                    .and_then(|o| store.organization(o))
                    .map(|o| o.name.clone())
                    .into(),
            );
            let roles: Vec<&str> = u
                .role_ids
                .iter()
                .map(|r| match *r {
                    ROLE_ADMIN => "Admin",
                    ROLE_AGENT => "Agent",
                    _ => "Customer",
                })
                .collect();
            m.insert("roles".into(), json!(roles));
            let secondary: Vec<String> = u
                .organization_ids
                .iter()
                .filter_map(|o| store.organization(*o))
                .map(|o| o.name.clone())
                .collect();
            m.insert("organizations".into(), json!(secondary));
            m.insert("authorizations".into(), json!([]));
            m.insert("created_by".into(), "-".into());
            m.insert("updated_by".into(), u.login.clone().into());
        }
    }
    v
}

/// The reduced user record used in `assets`.
pub fn user_asset(u: &User) -> Value {
    json!({
        "id": u.id,
        "login": u.login,
        "firstname": u.firstname,
        "lastname": u.lastname,
        "email": u.email,
        "organization_id": opt_u64(u.organization_id),
        "role_ids": u.role_ids,
        "active": u.active,
    })
}

/// The members of `keys` that `record` has, in that order.
pub fn slice(record: &Value, keys: &[&str]) -> Value {
    Value::Object(
        keys.iter()
            .filter_map(|k| record.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect(),
    )
}

/// A role in assets: the whole record for agents (recorded from 6.2:
/// `fixtures/zammad-recorded/28-*`); customers get `id, name, group_ids, permission_ids,
/// active` with the name replaced by `Role_<id>` (app/models/role/assets.rb).
pub fn role(store: &Store, id: u64, agent: bool) -> Value {
    let sys = iso(store.system_time());
    let (name, note, permission_ids): (&str, &str, Vec<u64>) = match id {
        ROLE_ADMIN => ("Admin", "To configure your system.", vec![1, 38]),
        ROLE_AGENT => ("Agent", "To work on Tickets.", vec![38, 52]),
        _ => (
            "Customer",
            "People who create Tickets ask for help.",
            vec![37, 39, 42, 45, 47, 49, 53],
        ),
    };
    if !agent {
        return json!({"id": id, "name": format!("Role_{id}"), "group_ids": {},
                      "permission_ids": permission_ids, "active": true});
    }
    json!({
        "id": id,
        "name": name,
        "preferences": {},
        "default_at_signup": id == ROLE_CUSTOMER,
        "active": true,
        "note": note,
        "updated_by_id": 1,
        "created_by_id": 1,
        "created_at": sys,
        "updated_at": sys,
        "permission_ids": permission_ids,
        "knowledge_base_permission_ids": [],
        "group_ids": {},
    })
}

/// An organization with its association ids, as assets carry it (recorded from 6.2:
/// `fixtures/zammad-recorded/28-*`).
pub fn organization_record(store: &Store, o: &Organization) -> Value {
    let mut v = organization(o);
    let members = |secondary: bool| -> Vec<u64> {
        store
            .users
            .iter()
            .filter(|u| {
                if secondary {
                    u.organization_ids.contains(&o.id)
                } else {
                    u.organization_id == Some(o.id)
                }
            })
            .map(|u| u.id)
            .collect()
    };
    if let Value::Object(m) = &mut v {
        m.insert("vip".into(), false.into());
        m.insert("updated_by_id".into(), 1.into());
        m.insert("created_by_id".into(), 1.into());
        m.insert("member_ids".into(), json!(members(false)));
        m.insert("secondary_member_ids".into(), json!(members(true)));
    }
    v
}

pub fn organization(o: &Organization) -> Value {
    json!({
        "id": o.id,
        "name": o.name,
        "shared": o.shared,
        "domain": "",
        "domain_assignment": false,
        "active": true,
        "note": crate::zammad::store::GROUP_NOTE_MARKER.replace("GROUP", "ORGANIZATION"),
        "created_at": iso(o.created_at),
        "updated_at": iso(o.created_at),
    })
}

pub fn group(store: &Store, g: &Group) -> Value {
    let sys = store.system_time();
    let mut m = Map::new();
    m.insert("id".into(), g.id.into());
    m.insert("signature_id".into(), 1.into());
    m.insert("email_address_id".into(), 1.into());
    m.insert("name".into(), g.name.clone().into());
    if store.version.is_modern() {
        m.insert("name_last".into(), g.name.clone().into());
        m.insert("parent_id".into(), Value::Null);
    }
    m.insert("assignment_timeout".into(), Value::Null);
    m.insert(
        "follow_up_possible".into(),
        g.follow_up_possible.clone().into(),
    );
    m.insert("reopen_time_in_days".into(), g.reopen_time_in_days.into());
    m.insert("follow_up_assignment".into(), true.into());
    m.insert("active".into(), g.active.into());
    m.insert("shared_drafts".into(), true.into());
    m.insert("note".into(), g.note.clone().into());
    m.insert("updated_by_id".into(), 1.into());
    m.insert("created_by_id".into(), 1.into());
    m.insert("created_at".into(), iso(sys).into());
    m.insert("updated_at".into(), iso(sys).into());
    m.insert("user_ids".into(), json!([AGENT_ID]));
    Value::Object(m)
}

pub fn ticket_state(store: &Store, s: &StateDef, expand: bool) -> Value {
    let sys = iso(store.system_time());
    let mut v = json!({
        "id": s.id,
        "state_type_id": s.state_type_id,
        "name": s.name,
        "next_state_id": opt_u64(s.next_state_id),
        "ignore_escalation": s.ignore_escalation,
        "default_create": s.default_create,
        "default_follow_up": s.default_follow_up,
        "note": null,
        "active": true,
        "updated_by_id": 1,
        "created_by_id": 1,
        "created_at": sys,
        "updated_at": sys,
    });
    if expand {
        if let Value::Object(m) = &mut v {
            m.insert("state_type".into(), state_type_name(s.state_type_id).into());
            m.insert("created_by".into(), "-".into());
            m.insert("updated_by".into(), "-".into());
        }
    }
    v
}

pub fn ticket_priority(store: &Store, p: &(u64, &str, bool, Option<&str>), expand: bool) -> Value {
    let sys = iso(store.system_time());
    let mut v = json!({
        "id": p.0,
        "name": p.1,
        "default_create": p.2,
        "ui_icon": p.3,
        "ui_color": p.3,
        "note": null,
        "active": true,
        "updated_by_id": 1,
        "created_by_id": 1,
        "created_at": sys,
        "updated_at": sys,
    });
    if expand {
        if let Value::Object(m) = &mut v {
            m.insert("created_by".into(), "-".into());
            m.insert("updated_by".into(), "-".into());
        }
    }
    v
}

/// A token list entry, new (`name`, ISO `expires_at`) or legacy (`label`, date) form.
pub fn token(store: &Store, t: &Token) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), t.id.into());
    m.insert("user_id".into(), t.user_id.into());
    m.insert("action".into(), "api".into());
    if store.version.is_modern() {
        m.insert("persistent".into(), true.into());
        m.insert("name".into(), t.label.clone().into());
        m.insert(
            "expires_at".into(),
            t.expires_at
                .map(|d| Value::String(iso(d * MS_PER_DAY)))
                .unwrap_or(Value::Null),
        );
    } else {
        m.insert("label".into(), t.label.clone().into());
        m.insert(
            "expires_at".into(),
            t.expires_at
                .map(|d| Value::String(date_string(d)))
                .unwrap_or(Value::Null),
        );
    }
    m.insert("last_used_at".into(), iso_opt(t.last_used_at));
    m.insert("preferences".into(), json!({"permission": t.permissions}));
    m.insert("created_at".into(), iso(t.created_at).into());
    m.insert("updated_at".into(), iso(t.updated_at).into());
    Value::Object(m)
}

/// Permission records for the token listing: the user's own, their parents and their children
/// (`permissions_with_child_and_parent_elements`; a 7.1 customer's list starts with `ticket`
/// and `user_preferences`, `fixtures/zammad-recorded/15-*`).
pub fn permissions(store: &Store, names: &[&str]) -> Vec<Value> {
    let sys = iso(store.system_time());
    let below = |child: &str, parent: &str| {
        child
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with('.'))
    };
    let mut list: Vec<&(u64, &str, &str, &str)> = PERMISSIONS
        .iter()
        .filter(|p| {
            names
                .iter()
                .any(|n| *n == p.1 || below(n, p.1) || below(p.1, n))
        })
        .collect();
    list.sort_by(|a, b| a.1.cmp(b.1));
    list.into_iter()
        .map(|p| {
            let prefs = if p.1.starts_with("ticket.") {
                json!({"plugin": ["ticket"]})
            } else {
                json!({"prio": 1000 + p.0 * 40})
            };
            if store.version.is_modern() {
                json!({"id": p.0, "name": p.1, "label": p.2, "description": p.3,
                       "preferences": prefs, "active": true, "allow_signup": p.1.starts_with("user_preferences") || p.1 == "ticket.customer"})
            } else {
                json!({"id": p.0, "name": p.1, "note": p.3, "preferences": prefs, "active": true,
                       "allow_signup": p.1.starts_with("user_preferences") || p.1 == "ticket.customer",
                       "created_at": sys, "updated_at": sys})
            }
        })
        .collect()
}

/// The settings signshow/signin hand the client. Without a session (and without a token:
/// signshow authenticates both) Zammad leaves out every setting marked `authentication` and
/// every `false` or unset one (sessions_controller.rb `config_frontend`), which takes
/// `customer_ticket_create` and its groups out, whatever their value.
pub fn config(settings: &Settings, signed_in: bool) -> Value {
    let mut all = config_all(settings);
    if !signed_in {
        if let Value::Object(m) = &mut all {
            m.retain(|key, value| {
                !AUTHENTICATED_SETTINGS.contains(&key.as_str())
                    && !matches!(value, Value::Bool(false) | Value::Null)
            });
        }
    }
    all
}

/// Settings with `preferences: {authentication: true}` in db/seeds/settings.rb.
const AUTHENTICATED_SETTINGS: [&str; 2] =
    ["customer_ticket_create", "customer_ticket_create_group_ids"];

fn config_all(settings: &Settings) -> Value {
    json!({
        "product_name": "Zammad Helpdesk",
        "user_create_account": settings.user_create_account,
        "user_lost_password": settings.user_lost_password,
        "maintenance_mode": false,
        "system_online_service": false,
        "customer_ticket_create": settings.customer_ticket_create,
        // Stored as the admin UI saves it: ids as strings; unset is `null`.
        "customer_ticket_create_group_ids": if settings.customer_ticket_create_group_ids.is_empty() {
            Value::Null
        } else {
            json!(settings.customer_ticket_create_group_ids.iter().map(|g| g.to_string()).collect::<Vec<_>>())
        },
        "ticket_hook": "Ticket#",
        "timezone_default": "Europe/Berlin",
        "api_token_access": settings.api_token_access,
        "api_password_access": settings.api_password_access,
    })
}

pub fn models() -> Value {
    let mut models = json!({
        "Ticket": [
            {"name": "title", "display": "Title", "tag": "input", "type": "text", "maxlength": 200, "null": false},
            {"name": "group_id", "display": "Group", "tag": "tree_select", "relation": "Group", "null": false},
            {"name": "state_id", "display": "State", "tag": "select", "relation": "TicketState", "null": false},
            {"name": "priority_id", "display": "Priority", "tag": "select", "relation": "TicketPriority", "null": false}
        ],
        "User": [
            {"name": "firstname", "display": "First name", "tag": "input", "type": "text", "maxlength": 150, "null": true},
            {"name": "email", "display": "Email", "tag": "input", "type": "email", "maxlength": 150, "null": true}
        ]
    });
    if let Some(Value::Array(ticket)) = models.get_mut("Ticket") {
        ticket.extend(super::attributes::models());
    }
    models
}

pub fn collections() -> Value {
    json!({
        "Locale": [
            {"id": 1, "locale": "en-us", "alias": "en", "name": "English (United States)", "dir": "ltr", "active": true}
        ],
        "PublicLink": []
    })
}
