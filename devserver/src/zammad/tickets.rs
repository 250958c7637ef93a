//! Tickets (list, search, show, create, update, delete) and the lookup lists
//! (states, priorities, groups): sections 5.2–5.5, 5.7, 5.9, 5.10.

use super::articles::{
    store_customer_article, validate_customer_article, visible_ticket, NewArticle, TICKET_PERMS,
};
use super::auth::require;
use super::errors::*;
use super::render;
use super::reply::Reply;
use super::store::*;
use super::Ctx;
use crate::util::{as_i64, as_id, as_scalar_string, is_blank, MS_PER_DAY};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Page and page size: pages start at 1, sizes default to `default` and are capped at `max`.
fn paging(ctx: &Ctx, default: i64, max: i64) -> (usize, usize) {
    let page = as_i64(ctx.param("page")).unwrap_or(1).max(1);
    let per_page = as_i64(ctx.param("per_page"))
        .or_else(|| as_i64(ctx.param("limit")))
        .filter(|n| *n > 0)
        .unwrap_or(default)
        .min(max);
    (page as usize, per_page as usize)
}

fn page_slice<T: Clone>(items: &[T], page: usize, per_page: usize) -> Vec<T> {
    items
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .cloned()
        .collect()
}

fn visible_tickets(ctx: &Ctx, user: &User) -> Vec<Ticket> {
    ctx.store
        .tickets
        .values()
        .filter(|t| ctx.store.can_see(user, t))
        .cloned()
        .collect()
}

fn assets_for(store: &Store, tickets: &[Ticket]) -> Value {
    let mut t_map = Map::new();
    let mut u_map = Map::new();
    let mut o_map = Map::new();
    let mut g_map = Map::new();
    for t in tickets {
        t_map.insert(t.id.to_string(), render::ticket(store, t, false));
        for uid in [t.customer_id, t.owner_id] {
            if let Some(u) = store.user(uid) {
                u_map.insert(uid.to_string(), render::user_asset(u));
            }
        }
        if let Some(o) = t.organization_id.and_then(|o| store.organization(o)) {
            o_map.insert(o.id.to_string(), render::organization(o));
        }
        if let Some(g) = store.group(t.group_id) {
            g_map.insert(
                g.id.to_string(),
                json!({"id": g.id, "name": g.name, "follow_up_possible": g.follow_up_possible, "active": g.active}),
            );
        }
    }
    json!({"Ticket": t_map, "User": u_map, "Organization": o_map, "Group": g_map})
}

/// `GET /tickets` (fixture 14): sorted by id, 100 per page at most, no sort option.
pub fn index(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let (page, per_page) = paging(ctx, 100, 100);
    let all = visible_tickets(ctx, &user);
    let list = page_slice(&all, page, per_page);
    if ctx.flag("full") {
        let ids: Vec<u64> = list.iter().map(|t| t.id).collect();
        return Ok(Reply::ok(
            json!({"record_ids": ids, "assets": assets_for(ctx.store, &list)}),
        ));
    }
    let expand = ctx.flag("expand");
    let v: Vec<Value> = list
        .iter()
        .map(|t| render::ticket(ctx.store, t, expand))
        .collect();
    Ok(Reply::ok(Value::Array(v)))
}

/// Values of a condition as strings (scalars or arrays of strings/numbers).
fn condition_values(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(list)) => list.iter().filter_map(as_scalar_string).collect(),
        Some(Value::Null) | None => vec![String::new()],
        Some(other) => as_scalar_string(other).into_iter().collect(),
    }
}

fn ticket_field(store: &Store, t: &Ticket, field: &str) -> Option<String> {
    Some(match field {
        "id" => t.id.to_string(),
        "number" => t.number.clone(),
        "title" => t.title.clone(),
        "state_id" => t.state_id.to_string(),
        "customer_id" => t.customer_id.to_string(),
        "organization_id" => t.organization_id.map(|o| o.to_string()).unwrap_or_default(),
        "group_id" => t.group_id.to_string(),
        "priority_id" => t.priority_id.to_string(),
        "owner_id" => t.owner_id.to_string(),
        "state" => state(t.state_id)
            .map(|s| s.name.to_string())
            .unwrap_or_default(),
        "group" => store
            .group(t.group_id)
            .map(|g| g.name.clone())
            .unwrap_or_default(),
        _ => return None,
    })
}

/// Evaluates a search `condition` (`ticket.<field>` with `is` / `is not`).
fn matches_condition(store: &Store, t: &Ticket, cond: &Map<String, Value>) -> Result<bool, ()> {
    for (key, spec) in cond {
        let field = key.strip_prefix("ticket.").unwrap_or(key);
        let (operator, values) = match spec {
            Value::Object(m) => (
                m.get("operator")
                    .and_then(Value::as_str)
                    .unwrap_or("is")
                    .to_string(),
                condition_values(m.get("value")),
            ),
            other => ("is".to_string(), condition_values(Some(other))),
        };
        let Some(actual) = ticket_field(store, t, field) else {
            // Attributes outside the supported set are ignored.
            continue;
        };
        let hit = values.contains(&actual);
        let ok = match operator.as_str() {
            "is" => hit,
            "is not" => !hit,
            _ => return Err(()),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Case-insensitive substring over title, number and every article's subject, body, from
/// and to, internal articles included (the real SQL search does not filter them).
fn matches_query(t: &Ticket, articles: &HashMap<u64, Vec<&Article>>, q: &str) -> bool {
    if q.is_empty() {
        return true;
    }
    let has = |s: &str| s.to_lowercase().contains(q);
    if has(&t.title) || has(&t.number) {
        return true;
    }
    articles.get(&t.id).is_some_and(|list| {
        list.iter().any(|a| {
            [&a.subject, &a.from, &a.to]
                .iter()
                .any(|f| f.as_deref().is_some_and(has))
                || has(&a.body)
        })
    })
}

fn first_string(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Array(list)) => list.first().and_then(as_scalar_string),
        Some(other) => as_scalar_string(other),
        None => None,
    }
}

/// `GET|POST /tickets/search` (fixtures 15–18) with the version-dependent shapes.
pub fn search(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let query = first_string(ctx.param("query"))
        .or_else(|| first_string(ctx.param("term")))
        .unwrap_or_default()
        .replace('*', "")
        .trim()
        .to_lowercase();
    let condition = match ctx.param("condition") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let sort_by = first_string(ctx.param("sort_by"))
        .filter(|s| {
            [
                "updated_at",
                "created_at",
                "number",
                "id",
                "title",
                "close_at",
                "state_id",
                "priority_id",
                "group_id",
            ]
            .contains(&s.as_str())
        })
        .unwrap_or_else(|| "updated_at".into());
    let desc = !matches!(
        first_string(ctx.param("order_by"))
            .map(|s| s.to_lowercase())
            .as_deref(),
        Some("asc")
    );
    let (page, per_page) = paging(ctx, 50, 200);

    let mut by_ticket: HashMap<u64, Vec<&Article>> = HashMap::new();
    if !query.is_empty() {
        for a in ctx.store.articles.values() {
            by_ticket.entry(a.ticket_id).or_default().push(a);
        }
    }
    let mut hits = Vec::new();
    for t in ctx.store.tickets.values() {
        if !ctx.store.can_see(&user, t) || !matches_query(t, &by_ticket, &query) {
            continue;
        }
        match matches_condition(ctx.store, t, &condition) {
            Ok(true) => hits.push(t.clone()),
            Ok(false) => {}
            Err(()) => return Err(ctx.masked()),
        }
    }
    hits.sort_by(|a, b| {
        let o = match sort_by.as_str() {
            "created_at" => a.created_at.cmp(&b.created_at),
            "number" => a.number.cmp(&b.number),
            "id" => a.id.cmp(&b.id),
            "title" => a.title.cmp(&b.title),
            "close_at" => a.close_at.cmp(&b.close_at),
            "state_id" => a.state_id.cmp(&b.state_id),
            "priority_id" => a.priority_id.cmp(&b.priority_id),
            "group_id" => a.group_id.cmp(&b.group_id),
            _ => a.updated_at.cmp(&b.updated_at),
        }
        .then(a.id.cmp(&b.id));
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let total = hits.len();
    let list = page_slice(&hits, page, per_page);
    let version = ctx.store.version;
    let expand = ctx.flag("expand");
    if version != ZVersion::V5 {
        if ctx.flag("only_total_count") {
            return Ok(Reply::ok(json!({"total_count": total})));
        }
        if ctx.flag("full") {
            let ids: Vec<u64> = list.iter().map(|t| t.id).collect();
            return Ok(Reply::ok(json!({
                "record_ids": ids,
                "assets": assets_for(ctx.store, &list),
                "total_count": total,
            })));
        }
    }
    let records: Vec<Value> = list
        .iter()
        .map(|t| render::ticket(ctx.store, t, expand))
        .collect();
    match version {
        ZVersion::V5 if !expand => {
            let ids: Vec<u64> = list.iter().map(|t| t.id).collect();
            Ok(Reply::ok(json!({
                "tickets": ids,
                "tickets_count": ids.len(),
                "assets": assets_for(ctx.store, &list),
            })))
        }
        ZVersion::V7 if ctx.flag("with_total_count") => Ok(Reply::ok(json!({
            "records": records,
            "total_count": total,
        }))),
        _ => Ok(Reply::ok(Value::Array(records))),
    }
}

/// `GET /tickets/:id` (fixtures 19–21).
pub fn show(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let t = visible_ticket(ctx, &user, id)?;
    if ctx.flag("all") {
        let article_ids: Vec<u64> = ctx
            .store
            .articles
            .values()
            .filter(|a| a.ticket_id == t.id && (!a.internal || !user.is_customer()))
            .map(|a| a.id)
            .collect();
        let mut assets = assets_for(ctx.store, std::slice::from_ref(&t));
        if let Value::Object(m) = &mut assets {
            let arts: Map<String, Value> = article_ids
                .iter()
                .filter_map(|a| ctx.store.articles.get(a))
                .map(|a| (a.id.to_string(), render::article(ctx.store, a)))
                .collect();
            m.insert("TicketArticle".into(), Value::Object(arts));
        }
        return Ok(Reply::ok(json!({
            "ticket_id": t.id,
            "ticket_article_ids": article_ids,
            "assets": assets,
            "links": [],
            "tags": [],
            "mentions": [],
            "time_accountings": [],
            "form_meta": {"filter": {}, "dependencies": {}},
        })));
    }
    let expand = ctx.flag("expand");
    Ok(Reply::ok(render::ticket(ctx.store, &t, expand)))
}

/// `DELETE /tickets/:id`: customers are never allowed.
pub fn delete(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    id.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| ctx.store.tickets.contains_key(n))
        .ok_or_else(|| ApiError::not_found("Ticket", id))?;
    Err(ApiError::forbidden(ADMIN_REQUIRED))
}

/// Ruby's `inspect` of a string, close enough for error texts.
fn inspect(v: &Value) -> String {
    match v {
        Value::String(s) => Value::String(s.clone()).to_string(),
        other => other.to_string(),
    }
}

/// Resolves `<name>` (a name) or `<name>_id` (an id). An unknown name gives
/// 422 `No lookup value found for '<name>': "Nope"`.
fn resolve(
    params: &Map<String, Value>,
    name: &str,
    lookup: impl Fn(&str) -> Option<u64>,
) -> Result<Option<u64>, ApiError> {
    if let Some(v) = params.get(name).filter(|v| !is_blank(Some(v))) {
        let found = as_scalar_string(v).and_then(|s| lookup(&s));
        return match found {
            Some(id) => Ok(Some(id)),
            None => Err(ApiError::unprocessable(format!(
                "No lookup value found for '{name}': {}",
                inspect(v)
            ))),
        };
    }
    let key = format!("{name}_id");
    match params.get(&key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => Ok(Some(as_id(Some(v)).unwrap_or(u64::MAX))),
    }
}

struct Refs {
    group_id: Option<u64>,
    state_id: Option<u64>,
    priority_id: Option<u64>,
}

fn resolve_refs(store: &Store, params: &Map<String, Value>) -> Result<Refs, ApiError> {
    let group_id = resolve(params, "group", |n| {
        store.groups.iter().find(|g| g.name == n).map(|g| g.id)
    })?;
    let state_id = resolve(params, "state", |n| {
        STATES.iter().find(|s| s.name == n).map(|s| s.id)
    })?;
    let priority_id = resolve(params, "priority", |n| {
        PRIORITIES.iter().find(|p| p.1 == n).map(|p| p.0)
    })?;
    Ok(Refs {
        group_id,
        state_id,
        priority_id,
    })
}

fn customer_may_use_group(store: &Store, id: u64) -> bool {
    let allowed = &store.settings.customer_ticket_create_group_ids;
    store.group(id).is_some_and(|g| g.active) && (allowed.is_empty() || allowed.contains(&id))
}

/// Keys a customer may never set on a ticket (discarded silently).
const CUSTOMER_DISCARD: [&str; 16] = [
    "owner",
    "owner_id",
    "customer",
    "customer_id",
    "preferences",
    "number",
    "checklist",
    "checklist_id",
    "id",
    "created_at",
    "updated_at",
    "created_by_id",
    "updated_by_id",
    "article_count",
    "close_at",
    "time_unit",
];

fn article_param(params: &Map<String, Value>) -> Option<Map<String, Value>> {
    match params.get("article") {
        Some(Value::Object(m)) => Some(m.clone()),
        _ => None,
    }
}

/// `POST /tickets` (fixtures 22–26).
pub fn create(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let mut params = ctx.params.clone();
    for k in CUSTOMER_DISCARD {
        params.remove(k);
    }
    if ctx.store.version == ZVersion::V5 {
        params.remove("organization");
        params.remove("organization_id");
    }
    let refs = resolve_refs(ctx.store, &params)?;
    let Some(group_id) = refs.group_id else {
        return Err(ApiError::unprocessable(GROUP_MISSING));
    };
    let title = params
        .get("title")
        .and_then(as_scalar_string)
        .filter(|t| !t.trim().is_empty());
    let Some(title) = title else {
        return Err(ctx.masked());
    };
    if !customer_may_use_group(ctx.store, group_id) {
        return Err(ctx.masked());
    }
    let state_id = refs.state_id.unwrap_or(1);
    if !matches!(state_type_of(state_id), "new" | "closed") {
        return Err(ctx.masked());
    }
    let priority_id = refs.priority_id.unwrap_or(2);
    if priority_name(priority_id).is_none() {
        return Err(ctx.masked());
    }
    let organization_id = match as_id(params.get("organization_id")) {
        Some(o) if Some(o) != user.organization_id => return Err(ctx.masked()),
        _ => user.organization_id,
    };
    let article = match article_param(&params) {
        Some(a) => Some(validate_customer_article(ctx, &a)?),
        None if ctx.store.version == ZVersion::V5 => {
            return Err(ApiError::unprocessable("article hash is missing"))
        }
        None => None,
    };
    let id = insert_ticket(
        ctx,
        &user,
        title,
        group_id,
        state_id,
        priority_id,
        organization_id,
        article,
    );
    let expand = ctx.flag("expand");
    let t = ctx.store.tickets.get(&id).cloned();
    match t {
        Some(t) => Ok(Reply::json(201, render::ticket(ctx.store, &t, expand))),
        None => Err(ctx.masked()),
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_ticket(
    ctx: &mut Ctx,
    user: &User,
    title: String,
    group_id: u64,
    state_id: u64,
    priority_id: u64,
    organization_id: Option<u64>,
    article: Option<NewArticle>,
) -> u64 {
    let now = ctx.now;
    let id = ctx.store.new_ticket_id();
    let closed = state_type_of(state_id) == "closed";
    ctx.store.tickets.insert(
        id,
        Ticket {
            id,
            number: format!("31{id}"),
            title,
            group_id,
            priority_id,
            state_id,
            organization_id,
            owner_id: 1,
            customer_id: user.id,
            first_response_at: None,
            close_at: closed.then_some(now),
            last_close_at: closed.then_some(now),
            last_contact_at: None,
            last_contact_agent_at: None,
            last_contact_customer_at: None,
            create_article_type_id: article.as_ref().map(|a| a.type_id),
            create_article_sender_id: article.as_ref().map(|_| SENDER_CUSTOMER),
            pending_time: None,
            escalation_at: None,
            time_unit: None,
            preferences: json!({}),
            time_accounting_ids: Vec::new(),
            created_by_id: user.id,
            updated_by_id: user.id,
            created_at: now,
            updated_at: now,
        },
    );
    if let Some(a) = article {
        store_customer_article(ctx, id, user, a);
    }
    id
}

/// The follow-up check of section 5.9 for an update of a closed ticket.
fn follow_up_allowed(store: &Store, t: &Ticket, now: i64) -> bool {
    let Some(g) = store.group(t.group_id) else {
        return true;
    };
    match g.follow_up_possible.as_str() {
        "new_ticket" => false,
        "new_ticket_after_certain_time" => {
            let closed_at = t.last_close_at.or(t.close_at).unwrap_or(now);
            let days = g.reopen_time_in_days.unwrap_or(0);
            now < closed_at + days * MS_PER_DAY
        }
        _ => true,
    }
}

/// `PUT /tickets/:id` (fixtures 30–32): state change and optional article, atomically.
pub fn update(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let t = visible_ticket(ctx, &user, id)?;
    let mut params = ctx.params.clone();
    for k in CUSTOMER_DISCARD {
        params.remove(k);
    }
    for k in ["organization", "organization_id"] {
        params.remove(k);
    }
    let refs = resolve_refs(ctx.store, &params)?;
    let now = ctx.now;
    if user.is_customer()
        && state_type_of(t.state_id) == "closed"
        && !follow_up_allowed(ctx.store, &t, now)
    {
        return Err(ApiError::unprocessable(FOLLOW_UP_REFUSED));
    }
    if let Some(s) = refs.state_id {
        if s != t.state_id && !matches!(state_type_of(s), "open" | "closed") {
            return Err(ctx.masked());
        }
    }
    if let Some(g) = refs.group_id {
        if g != t.group_id && !customer_may_use_group(ctx.store, g) {
            return Err(ctx.masked());
        }
    }
    if let Some(p) = refs.priority_id {
        if priority_name(p).is_none() {
            return Err(ctx.masked());
        }
    }
    let title = match params.get("title") {
        None => None,
        Some(v) => match as_scalar_string(v).filter(|s| !s.trim().is_empty()) {
            Some(s) => Some(s),
            None => return Err(ctx.masked()),
        },
    };
    let article = match article_param(&params) {
        Some(a) => Some(validate_customer_article(ctx, &a)?),
        None => None,
    };

    // Everything is valid: apply.
    if let Some(ticket) = ctx.store.tickets.get_mut(&t.id) {
        let mut changed = false;
        if let Some(title) = title.filter(|x| *x != ticket.title) {
            ticket.title = title;
            changed = true;
        }
        if let Some(g) = refs.group_id.filter(|g| *g != ticket.group_id) {
            ticket.group_id = g;
            changed = true;
        }
        if let Some(p) = refs.priority_id.filter(|p| *p != ticket.priority_id) {
            ticket.priority_id = p;
            changed = true;
        }
        if let Some(s) = refs.state_id.filter(|s| *s != ticket.state_id) {
            let was_closed = state_type_of(ticket.state_id) == "closed";
            ticket.state_id = s;
            if state_type_of(s) == "closed" && !was_closed {
                if ticket.close_at.is_none() {
                    ticket.close_at = Some(now);
                }
                ticket.last_close_at = Some(now);
            }
            ticket.pending_time = None;
            changed = true;
        }
        if changed {
            ticket.updated_at = now;
            ticket.updated_by_id = user.id;
        }
    }
    if let Some(a) = article {
        store_customer_article(ctx, t.id, &user, a);
    }
    let expand = ctx.flag("expand");
    let t = ctx.store.tickets.get(&t.id).cloned();
    match t {
        Some(t) => Ok(Reply::ok(render::ticket(ctx.store, &t, expand))),
        None => Err(ctx.masked()),
    }
}

fn show_or_list(ctx: &Ctx, model: &str, id: Option<&str>, items: Vec<(u64, Value)>) -> ApiResult {
    match id {
        Some(id) => items
            .into_iter()
            .find(|(i, _)| Some(*i) == id.trim().parse().ok())
            .map(|(_, v)| Reply::ok(v))
            .ok_or_else(|| ApiError::not_found(model, id)),
        None => {
            let (page, per_page) = paging(ctx, 500, 1000);
            let values: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
            Ok(Reply::ok(Value::Array(page_slice(&values, page, per_page))))
        }
    }
}

/// `GET /ticket_states[/:id]` (fixture 34).
pub fn states(ctx: &mut Ctx, id: Option<&str>) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let expand = ctx.flag("expand");
    let items = STATES
        .iter()
        .map(|s| (s.id, render::ticket_state(ctx.store, s, expand)))
        .collect();
    show_or_list(ctx, "Ticket::State", id, items)
}

/// `GET /ticket_priorities[/:id]` (fixture 35).
pub fn priorities(ctx: &mut Ctx, id: Option<&str>) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let expand = ctx.flag("expand");
    let items = PRIORITIES
        .iter()
        .map(|p| (p.0, render::ticket_priority(ctx.store, p, expand)))
        .collect();
    show_or_list(ctx, "Ticket::Priority", id, items)
}

/// `GET /groups[/:id]` (fixture 36): the configured create groups plus the groups of the
/// customer's readable tickets.
pub fn groups(ctx: &mut Ctx, id: Option<&str>) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    // All groups when the create list is empty (app/policies/group_policy/scope.rb).
    let mut ids: Vec<u64> = match ctx
        .store
        .settings
        .customer_ticket_create_group_ids
        .as_slice()
    {
        [] => ctx.store.groups.iter().map(|g| g.id).collect(),
        some => some.to_vec(),
    };
    if user.is_customer() {
        for t in visible_tickets(ctx, &user) {
            ids.push(t.group_id);
        }
    } else {
        ids.extend(ctx.store.groups.iter().map(|g| g.id));
    }
    ids.sort_unstable();
    ids.dedup();
    if let Some(raw) = id {
        let wanted: Option<u64> = raw.trim().parse().ok();
        match wanted.and_then(|w| ctx.store.group(w)) {
            None => return Err(ApiError::not_found("Group", raw)),
            Some(g) if !ids.contains(&g.id) => return Err(ApiError::forbidden(NOT_AUTHORIZED)),
            Some(_) => {}
        }
    }
    let items = ids
        .iter()
        .filter_map(|i| ctx.store.group(*i))
        .map(|g| (g.id, render::group(ctx.store, g)))
        .collect();
    show_or_list(ctx, "Group", id, items)
}
