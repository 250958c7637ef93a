//! Tickets (list, search, show, create, update, delete) and the lookup lists
//! (states, priorities, groups): sections 5.2–5.5, 5.7, 5.9, 5.10.

use super::articles::{
    store_customer_article, validate_customer_article, visible_ticket, NewArticle, TICKET_PERMS,
};
use super::auth::require;
use super::errors::*;
use super::render;
use super::reply::Reply;
use super::search;
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

/// The tickets of the customer's list (secondary organizations' included).
fn visible_tickets(ctx: &Ctx, user: &User) -> Vec<Ticket> {
    ctx.store
        .tickets
        .values()
        .filter(|t| ctx.store.can_list(user, t))
        .cloned()
        .collect()
}

/// The `assets` of a list (search without `expand`, `full`, `all`), as `Ticket#assets` builds
/// them: the tickets with association ids, their customers' and owners' users with those users'
/// roles, their organizations and groups. Each record as the viewer may see it
/// (`filter_unauthorized_attributes` in app/models/{user,group,role}/assets.rb): an agent gets
/// whole records (recorded from 6.2: `fixtures/zammad-recorded/28-*`); a customer gets itself
/// without contact columns, other users as `id, firstname, lastname, image, image_source,
/// active`, groups reduced to what the ticket form needs and roles under a neutral name.
fn assets_for(store: &Store, tickets: &[Ticket], viewer: &User) -> Value {
    let agent = !viewer.is_customer();
    let mut t_map = Map::new();
    let mut u_map = Map::new();
    let mut r_map = Map::new();
    let mut o_map = Map::new();
    let mut g_map = Map::new();
    for t in tickets {
        t_map.insert(t.id.to_string(), render::ticket(store, t, false));
        for uid in [t.customer_id, t.owner_id] {
            let Some(u) = store.user(uid) else { continue };
            let record = if agent {
                render::user_for(store, u, false, false)
            } else if u.id == viewer.id {
                render::user(store, u, false)
            } else {
                render::slice(
                    &render::user_for(store, u, false, false),
                    &[
                        "id",
                        "firstname",
                        "lastname",
                        "image",
                        "image_source",
                        "active",
                    ],
                )
            };
            u_map.insert(uid.to_string(), record);
            for role in &u.role_ids {
                r_map.insert(role.to_string(), render::role(store, *role, agent));
            }
        }
        if let Some(o) = t.organization_id.and_then(|o| store.organization(o)) {
            o_map.insert(o.id.to_string(), render::organization_record(store, o));
        }
        if let Some(g) = store.group(t.group_id) {
            let record = render::group(store, g);
            let record = match (agent, store.version.is_modern()) {
                (true, _) => record,
                (false, true) => render::slice(&record, &GROUP_CUSTOMER_KEYS),
                (false, false) => render::slice(&record, &GROUP_CUSTOMER_KEYS[..5]),
            };
            g_map.insert(g.id.to_string(), record);
        }
    }
    json!({"Ticket": t_map, "User": u_map, "Role": r_map, "Organization": o_map, "Group": g_map})
}

/// What a customer sees of a group in assets (app/models/group/assets.rb; 5.x and 2023 code:
/// the first five, 2025 code adds the tree columns).
const GROUP_CUSTOMER_KEYS: [&str; 7] = [
    "id",
    "name",
    "follow_up_possible",
    "reopen_time_in_days",
    "active",
    "name_last",
    "parent_id",
];

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
            json!({"record_ids": ids, "assets": assets_for(ctx.store, &list, &user)}),
        ));
    }
    let expand = ctx.flag("expand");
    let v: Vec<Value> = list
        .iter()
        .map(|t| {
            if expand {
                render::ticket(ctx.store, t, true)
            } else {
                render::ticket_plain(ctx.store, t)
            }
        })
        .collect();
    Ok(Reply::ok(Value::Array(v)))
}

/// Values of a condition as strings (scalars or arrays of strings/numbers); `None` when the
/// value is blank (missing, `null`, `""`, `[]`): Zammad drops such a condition
/// (lib/selector/sql.rb), so an empty value list matches every ticket.
fn condition_values(v: Option<&Value>) -> Option<Vec<String>> {
    let values: Vec<String> = match v {
        Some(Value::Array(list)) => list.iter().filter_map(as_scalar_string).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => as_scalar_string(other).into_iter().collect(),
    };
    let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
    (!values.is_empty()).then_some(values)
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

/// Evaluates a search `condition` (`ticket.<field>` with `is` / `is not`); an unknown operator
/// is an error (a masked 422).
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
        if !["is", "is not"].contains(&operator.as_str()) {
            return Err(());
        }
        let (Some(values), Some(actual)) = (values, ticket_field(store, t, field)) else {
            // A blank value list, or an attribute outside the supported set: ignored.
            continue;
        };
        let hit = values.contains(&actual);
        if hit != (operator == "is") {
            return Ok(false);
        }
    }
    Ok(true)
}

fn first_string(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Array(list)) => list.first().and_then(as_scalar_string),
        Some(other) => as_scalar_string(other),
        None => None,
    }
}

/// The tickets table's columns: what `sort_by` may name (lib/sql_helper.rb raises on anything
/// else, which a customer sees as a masked 500).
const TICKET_COLUMNS: [&str; 43] = [
    "id",
    "group_id",
    "priority_id",
    "state_id",
    "organization_id",
    "number",
    "title",
    "owner_id",
    "customer_id",
    "note",
    "first_response_at",
    "first_response_escalation_at",
    "first_response_in_min",
    "first_response_diff_in_min",
    "close_at",
    "close_escalation_at",
    "close_in_min",
    "close_diff_in_min",
    "update_escalation_at",
    "update_in_min",
    "update_diff_in_min",
    "last_contact_at",
    "last_contact_agent_at",
    "last_contact_customer_at",
    "last_owner_update_at",
    "create_article_type_id",
    "create_article_sender_id",
    "article_count",
    "escalation_at",
    "pending_time",
    "type",
    "time_unit",
    "preferences",
    "updated_by_id",
    "created_by_id",
    "created_at",
    "updated_at",
    // 6.x and later:
    "last_close_at",
    "checklist_id",
    "last_escalation_at",
    "escalation_updated_at",
    "first_response_escalation_reached",
    "close_escalation_reached",
];

/// A list parameter as Rails reads it: an array, or a comma-separated string.
fn list_param(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(list)) => list.iter().filter_map(as_scalar_string).collect(),
        Some(other) => as_scalar_string(other)
            .map(|s| {
                s.split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// `sort_by` / `order_by` checked as Zammad does: an unknown column or an order other than
/// `asc`/`desc` raises (masked 500). Defaults: `updated_at desc`.
fn sort_keys(ctx: &mut Ctx) -> Result<Vec<(String, bool)>, ApiError> {
    let modern = ctx.store.version.is_modern();
    let by = list_param(ctx.param("sort_by"));
    let order = list_param(ctx.param("order_by"));
    let known = |c: &str| {
        TICKET_COLUMNS[..37].contains(&c) || (modern && TICKET_COLUMNS[37..].contains(&c))
    };
    if by.iter().any(|c| !known(c))
        || order
            .iter()
            .any(|o| !matches!(o.to_ascii_lowercase().as_str(), "asc" | "desc"))
    {
        return Err(ApiError::masked(&mut ctx.store.rng, 500));
    }
    let by = if by.is_empty() {
        vec!["updated_at".to_string()]
    } else {
        by
    };
    Ok(by
        .into_iter()
        .enumerate()
        .map(|(i, column)| {
            let desc = order.get(i).is_none_or(|o| o.eq_ignore_ascii_case("desc"));
            (column, desc)
        })
        .collect())
}

fn compare(a: &Ticket, b: &Ticket, column: &str) -> std::cmp::Ordering {
    match column {
        "created_at" => a.created_at.cmp(&b.created_at),
        "updated_at" => a.updated_at.cmp(&b.updated_at),
        "number" => a.number.cmp(&b.number),
        "title" => a.title.cmp(&b.title),
        "close_at" => a.close_at.cmp(&b.close_at),
        "last_close_at" => a.last_close_at.cmp(&b.last_close_at),
        "state_id" => a.state_id.cmp(&b.state_id),
        "priority_id" => a.priority_id.cmp(&b.priority_id),
        "group_id" => a.group_id.cmp(&b.group_id),
        "customer_id" => a.customer_id.cmp(&b.customer_id),
        "organization_id" => a.organization_id.cmp(&b.organization_id),
        "pending_time" => a.pending_time.cmp(&b.pending_time),
        _ => a.id.cmp(&b.id),
    }
}

/// Which tickets a search finds, per version and set-up (zammad-api.md, 9.1, 9.2):
///
/// - 5.x: with Elasticsearch and an empty condition, Elasticsearch alone decides (no text:
///   nothing; scope: own tickets and the primary organization's). Otherwise, with text (any
///   `query`, even `""`) a case-sensitive `LIKE` runs and the condition is dropped; without
///   text the condition applies. `term` is not read.
/// - 6.5 / 7: `*` is removed from the text; with text and Elasticsearch, Elasticsearch rules and
///   the condition; with text and no Elasticsearch, a case-insensitive literal `LIKE` (tickets
///   with articles only) and the condition; without text the condition alone.
fn search_hits(
    ctx: &Ctx,
    user: &User,
    query: Option<String>,
    condition: &Map<String, Value>,
) -> Result<Vec<u64>, ()> {
    let store = &*ctx.store;
    let mut by_ticket: HashMap<u64, Vec<&Article>> = HashMap::new();
    for a in store.articles.values() {
        by_ticket.entry(a.ticket_id).or_default().push(a);
    }
    fn doc_of<'a>(
        store: &'a Store,
        by_ticket: &HashMap<u64, Vec<&'a Article>>,
        t: &'a Ticket,
    ) -> search::Doc<'a> {
        search::Doc::new(store, t, by_ticket.get(&t.id).cloned().unwrap_or_default())
    }
    let doc = |t| doc_of(store, &by_ticket, t);
    let es = store.settings.elasticsearch;
    let listed = || store.tickets.values().filter(|t| store.can_list(user, t));
    let mut hits = Vec::new();
    let mut keep = |t: &Ticket, ok: Result<bool, ()>| -> Result<(), ()> {
        if ok? {
            hits.push(t.id);
        }
        Ok(())
    };
    if store.version == ZVersion::V5 {
        if condition.is_empty() && es {
            let Some(q) = query.filter(|q| !q.trim().is_empty()) else {
                return Ok(Vec::new());
            };
            let Ok(parsed) = search::parse(&search::zammad_query(&q)) else {
                return Ok(Vec::new());
            };
            for t in store
                .tickets
                .values()
                .filter(|t| store.can_find_v5(user, t))
            {
                keep(t, Ok(parsed.matches(&doc(t))))?;
            }
        } else if let Some(q) = query {
            let q = q.replace('*', "");
            for t in listed() {
                keep(t, Ok(search::like_v5(&doc(t), &q)))?;
            }
        } else {
            for t in listed() {
                keep(t, matches_condition(store, t, condition))?;
            }
        }
        return Ok(hits);
    }
    let text = query
        .map(|q| q.replace('*', ""))
        .filter(|q| !q.trim().is_empty());
    match text {
        Some(q) if es => {
            let Ok(parsed) = search::parse(&search::zammad_query(&q)) else {
                return Ok(Vec::new());
            };
            for t in listed() {
                let ok =
                    matches_condition(store, t, condition).map(|c| c && parsed.matches(&doc(t)));
                keep(t, ok)?;
            }
        }
        Some(q) => {
            for t in listed() {
                let ok = matches_condition(store, t, condition)
                    .map(|c| c && search::like_modern(&doc(t), &q));
                keep(t, ok)?;
            }
        }
        None => {
            for t in listed() {
                keep(t, matches_condition(store, t, condition))?;
            }
        }
    }
    Ok(hits)
}

/// `GET|POST /tickets/search` (fixtures 15–18) with the version-dependent shapes.
pub fn search(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let version = ctx.store.version;
    let query = match version {
        ZVersion::V5 => first_string(ctx.param("query")),
        _ => first_string(ctx.param("query")).or_else(|| first_string(ctx.param("term"))),
    };
    let condition = match ctx.param("condition") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let sort = sort_keys(ctx)?;
    let (page, per_page) = paging(ctx, 50, 200);
    let Ok(ids) = search_hits(ctx, &user, query, &condition) else {
        return Err(ctx.masked());
    };
    let mut hits: Vec<Ticket> = ids
        .iter()
        .filter_map(|id| ctx.store.tickets.get(id).cloned())
        .collect();
    hits.sort_by(|a, b| {
        sort.iter()
            .map(|(column, desc)| {
                let o = compare(a, b, column);
                if *desc {
                    o.reverse()
                } else {
                    o
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.id.cmp(&a.id))
    });
    let total = hits.len();
    let list = page_slice(&hits, page, per_page);
    let expand = ctx.flag("expand");
    if version != ZVersion::V5 {
        if ctx.flag("only_total_count") {
            return Ok(Reply::ok(json!({"total_count": total})));
        }
        if ctx.flag("full") {
            let ids: Vec<u64> = list.iter().map(|t| t.id).collect();
            return Ok(Reply::ok(json!({
                "record_ids": ids,
                "assets": assets_for(ctx.store, &list, &user),
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
                "assets": assets_for(ctx.store, &list, &user),
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
        let mut assets = assets_for(ctx.store, std::slice::from_ref(&t), &user);
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
    if ctx.flag("expand") {
        return Ok(Reply::ok(render::ticket(ctx.store, &t, true)));
    }
    Ok(Reply::ok(render::ticket_plain(ctx.store, &t)))
}

/// `DELETE /tickets/:id` (TicketPolicy#destroy?): only admins may, and the fake has none. A
/// caller who may otherwise reach the ticket learns why (`admin permission required`); a
/// foreign ticket is the plain `Not authorized`, a missing one 404.
pub fn delete(ctx: &mut Ctx, id: &str) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    visible_ticket(ctx, &user, id)?;
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
    // Core Workflow's validation of the custom attributes (ChecksCoreWorkflow): a mandatory
    // one missing or a value not among the options is refused like any other bad value.
    let custom = if user.is_customer() {
        match super::attributes::check_create(&params, group_id) {
            Some(values) => values,
            None => return Err(ctx.masked()),
        }
    } else {
        Map::new()
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
    if let Some(t) = ctx.store.tickets.get_mut(&id) {
        t.custom = custom;
    }
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
            custom: Default::default(),
        },
    );
    if let Some(a) = article {
        store_customer_article(ctx, id, user, a);
    }
    id
}

/// The follow-up check of section 5.9 for an update of a closed ticket
/// (app/models/ticket/checks_reopen_after_certain_time.rb): with
/// `new_ticket_after_certain_time`, whole 24-hour periods since `last_close_at || close_at`
/// (`close_at` alone on 5.x, which has no `last_close_at`) must be fewer than
/// `reopen_time_in_days`; blank or 0 days, or no close time, refuse.
fn follow_up_allowed(store: &Store, t: &Ticket, now: i64) -> bool {
    let Some(g) = store.group(t.group_id) else {
        return true;
    };
    match g.follow_up_possible.as_str() {
        "new_ticket" => false,
        "new_ticket_after_certain_time" => {
            let Some(days) = g.reopen_time_in_days.filter(|d| *d > 0) else {
                return false;
            };
            let closed = if store.version.is_modern() {
                t.last_close_at.or(t.close_at)
            } else {
                t.close_at
            };
            let Some(closed) = closed else {
                return false;
            };
            // Ruby: `(now - close_time).to_i / (24 * 60 * 60) < days`.
            let seconds = (now - closed) / 1000;
            seconds.div_euclid(MS_PER_DAY / 1000) < days
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
/// customer's readable tickets. Admin-only on 5.x (app/policies/controllers/
/// groups_controller_policy.rb): customers get 403.
pub fn groups(ctx: &mut Ctx, id: Option<&str>) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    if ctx.store.version == ZVersion::V5 && user.is_customer() {
        return Err(ApiError::forbidden(NOT_AUTHORIZED));
    }
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

/// The groups Core Workflow offers `user` on `screen` (app/models/core_workflow/attributes/
/// group.rb): a customer creating a ticket may pick the active groups of
/// `customer_ticket_create_group_ids` (every active group when it is empty); elsewhere every
/// active group.
fn workflow_groups(store: &Store, user: &User, screen: &str) -> Vec<u64> {
    let allowed = &store.settings.customer_ticket_create_group_ids;
    store
        .groups
        .iter()
        .filter(|g| g.active)
        .filter(|g| {
            !user.is_customer()
                || screen != "create_middle"
                || allowed.is_empty()
                || allowed.contains(&g.id)
        })
        .map(|g| g.id)
        .collect()
}

/// A Core Workflow result for the ticket screen `screen`, small but in Zammad's shape
/// (app/models/core_workflow/result.rb): `restrict_values` (ids as strings, `""` first where
/// the field may be empty, `[""]` where nothing is allowed), and the other keys with what the
/// stock workflows leave in them.
fn core_workflow(
    store: &Store,
    user: &User,
    screen: &str,
    request_id: &str,
    group: Option<u64>,
) -> (Value, Vec<u64>) {
    let groups = workflow_groups(store, user, screen);
    let mut group_values: Vec<String> = vec![String::new()];
    group_values.extend(groups.iter().map(u64::to_string));
    let creating = screen == "create_middle";
    let state_values: Vec<String> = STATES
        .iter()
        .filter(|s| {
            let kind = state_type_of(s.id);
            if user.is_customer() {
                if creating {
                    matches!(kind, "new" | "closed")
                } else {
                    matches!(kind, "open" | "closed")
                }
            } else {
                kind != "merged"
            }
        })
        .map(|s| s.id.to_string())
        .collect();
    let priority_values: Vec<String> = PRIORITIES.iter().map(|p| p.0.to_string()).collect();
    let fields = [
        "title",
        "group_id",
        "state_id",
        "priority_id",
        "customer_id",
        "owner_id",
    ];
    let show = |name: &str| {
        if user.is_customer()
            && matches!(
                name,
                "state_id" | "priority_id" | "customer_id" | "owner_id"
            )
        {
            "hide"
        } else {
            "show"
        }
    };
    let mut visibility: Map<String, Value> = fields
        .iter()
        .map(|f| (f.to_string(), show(f).into()))
        .collect();
    let mut mandatory: Map<String, Value> = fields
        .iter()
        .map(|f| (f.to_string(), matches!(*f, "title" | "group_id").into()))
        .collect();
    if user.is_customer() && creating {
        super::attributes::workflow(group, &mut visibility, &mut mandatory);
    }
    let result = json!({
        "request_id": request_id,
        "restrict_values": {
            "group_id": if groups.is_empty() { vec![String::new()] } else { group_values },
            "state_id": state_values,
            "priority_id": priority_values,
        },
        "visibility": visibility,
        "mandatory": mandatory,
        "readonly": {},
        "select": {},
        "fill_in": {},
        "eval": [],
        "matched_workflows": [],
        "rerun_count": 0,
    });
    (result, groups)
}

/// The groups of `ids` as assets, with the fields a customer may see of a group.
fn group_assets(store: &Store, ids: &[u64]) -> Value {
    let groups: Map<String, Value> = ids
        .iter()
        .filter_map(|id| store.group(*id))
        .map(|g| {
            (
                g.id.to_string(),
                json!({"id": g.id, "name": g.name, "name_last": g.name, "parent_id": null,
                       "follow_up_possible": g.follow_up_possible,
                       "reopen_time_in_days": g.reopen_time_in_days, "active": g.active}),
            )
        })
        .collect();
    json!({ "Group": groups })
}

/// `GET /ticket_create`: the create screen's choices, as Zammad's own customer UI asks for them
/// (tickets_controller.rb `ticket_create`, Ticket::ScreenOptions.attributes_to_change).
/// Customers may call it on every version (no controller policy before 2024; `ticket.customer`
/// permitted since).
pub fn ticket_create(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    let (workflow, groups) = core_workflow(ctx.store, &user, "create_middle", "default", None);
    Ok(Reply::ok(json!({
        "assets": group_assets(ctx.store, &groups),
        "form_meta": {
            "filter": {"type_id": []},
            "dependencies": null,
            "configure_attributes": null,
            "core_workflow": workflow,
        },
    })))
}

/// `POST /core_workflows/perform` (permitted to `ticket.customer`): the same decisions for the
/// screen the payload names; `class_name` and `screen` are required.
pub fn core_workflow_perform(ctx: &mut Ctx) -> ApiResult {
    require(ctx, &TICKET_PERMS)?;
    let user = ctx.user()?;
    for key in ["class_name", "screen"] {
        if is_blank(ctx.param(key)) {
            return Err(ApiError::unprocessable(format!(
                "The required parameter 'payload->{key}' is missing."
            )));
        }
    }
    let class = ctx
        .param("class_name")
        .and_then(as_scalar_string)
        .unwrap_or_default();
    let screen = ctx
        .param("screen")
        .and_then(as_scalar_string)
        .unwrap_or_default();
    let request_id = ctx
        .param("request_id")
        .and_then(as_scalar_string)
        .unwrap_or_else(|| "default".into());
    if class != "Ticket" {
        return Ok(Reply::ok(json!({
            "request_id": request_id, "restrict_values": {}, "visibility": {}, "mandatory": {},
            "readonly": {}, "select": {}, "fill_in": {}, "eval": [], "matched_workflows": [],
            "rerun_count": 0, "assets": {},
        })));
    }
    // The form's group as the payload's `params` carry it ("3" or 3).
    let group = ctx
        .param("params")
        .and_then(|p| p.get("group_id"))
        .and_then(as_scalar_string)
        .and_then(|g| g.trim().parse::<u64>().ok());
    let (mut workflow, groups) = core_workflow(ctx.store, &user, &screen, &request_id, group);
    if let Value::Object(m) = &mut workflow {
        m.insert("assets".into(), group_assets(ctx.store, &groups));
    }
    Ok(Reply::ok(workflow))
}
