//! TicketSearch (`Operation/Ticket/TicketSearch.pm` over `Kernel/System/Ticket/TicketSearch.pm`).
//! String IDs, `{}` for no hits, unknown keys ignored, `StateType` always a list of real type
//! names, an invalid `SortBy`/`OrderBy` silently gives `{}`, `Limit` defaults to 500.

use super::*;
use crate::znuny::store::*;

/// `SortBy` values the kernel accepts.
pub const SORT_OPTIONS: [&str; 20] = [
    "Age",
    "Created",
    "Changed",
    "Title",
    "TicketNumber",
    "Queue",
    "Priority",
    "State",
    "Type",
    "Lock",
    "Owner",
    "Responsible",
    "CustomerID",
    "Service",
    "SLA",
    "PendingTime",
    "EscalationTime",
    "EscalationUpdateTime",
    "EscalationResponseTime",
    "EscalationSolutionTime",
];

/// The array parameters `_GetParams` collects (a string becomes a one-element list).
fn list(data: &Map<String, Value>, key: &str) -> Option<Vec<String>> {
    let v: Vec<String> = match data.get(key) {
        Some(Value::Array(a)) if !a.is_empty() => {
            a.iter().filter_map(|x| scalar(Some(x))).collect()
        }
        v if is_string_with_data(v) => vec![scalar(v).unwrap_or_default()],
        _ => return None,
    };
    Some(v)
}

/// A single string parameter (`IsStringWithData`, trimmed).
fn single(data: &Map<String, Value>, key: &str) -> Option<String> {
    let v = data.get(key);
    if is_string_with_data(v) {
        scalar(v).map(|s| s.trim().to_string())
    } else {
        None
    }
}

/// SQL `LIKE` (case-insensitive): `%` any run, `_` one character.
pub fn like(value: &str, pattern: &str) -> bool {
    let v: Vec<char> = value.to_lowercase().chars().collect();
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let (mut vi, mut pi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '_' || (p[pi] != '%' && p[pi] == v[vi])) {
            vi += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some(pi);
            mark = vi;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            vi = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '%' {
        pi += 1;
    }
    pi == p.len()
}

/// A small `QueryCondition`: `||`/`|` separate alternatives, blanks/`&&`/`+` join terms,
/// a leading `!` negates, `*` is a wildcard; with `wrap` every term is `*term*`.
pub fn query_match(value: &str, query: &str, wrap: bool) -> bool {
    let q = query
        .replace("||", "|")
        .replace("&&", " ")
        .replace('+', " ");
    q.split('|').any(|alt| {
        let terms: Vec<&str> = alt.split_whitespace().collect();
        !terms.is_empty()
            && terms.iter().all(|t| {
                let (neg, t) = match t.strip_prefix('!') {
                    Some(r) => (true, r),
                    None => (false, *t),
                };
                let t = t.trim_matches(|c| c == '(' || c == ')' || c == '"');
                let mut pat = t.replace('*', "%");
                if wrap {
                    pat = format!("%{pat}%");
                }
                like(value, &pat) != neg
            })
    })
}

fn minutes_param(data: &Map<String, Value>, key: &str) -> Option<i64> {
    data.get(key)?;
    single(data, key).map(|s| s.parse::<f64>().unwrap_or(0.0) as i64)
}

/// Evaluates the four time filters of a prefix (`…OlderMinutes`, `…NewerMinutes`,
/// `…OlderDate`, `…NewerDate`). `Err` means an invalid date (the kernel returns nothing).
fn time_filters(data: &Map<String, Value>, prefix: &str, now: i64) -> Result<Vec<(bool, i64)>, ()> {
    let mut out = Vec::new();
    if let Some(m) = minutes_param(data, &format!("{prefix}OlderMinutes")) {
        out.push((true, now - m * 60));
    }
    if let Some(m) = minutes_param(data, &format!("{prefix}NewerMinutes")) {
        out.push((false, now - m * 60));
    }
    for (older, suffix) in [(true, "OlderDate"), (false, "NewerDate")] {
        if let Some(d) = single(data, &format!("{prefix}{suffix}")) {
            if d.len() < 19 && !d.contains(' ') {
                return Err(());
            }
            out.push((older, parse_timestamp(&d).ok_or(())?));
        }
    }
    Ok(out)
}

fn passes(filters: &[(bool, i64)], t: i64) -> bool {
    filters
        .iter()
        .all(|(older, limit)| if *older { t <= *limit } else { t >= *limit })
}

pub fn run(store: &mut Store, data: Data, ctx: &Ctx) -> OpResult {
    let Data::Hash(data) = data else {
        return OpResult::Die;
    };
    let Some(who) = auth(store, &data, ctx) else {
        return OpResult::err(
            "TicketSearch.AuthFail",
            "TicketSearch: Authorization failing!",
        );
    };
    match search(store, &who, &data) {
        Some(ids) if !ids.is_empty() => OpResult::Ok(json!({
            "TicketID": ids.iter().map(|i| i.to_string()).collect::<Vec<_>>()
        })),
        _ => OpResult::Ok(json!({})),
    }
}

/// The kernel search; `None` when the kernel would log an error and return nothing.
pub fn search(store: &Store, who: &Principal, data: &Map<String, Value>) -> Option<Vec<u64>> {
    let now = store.now();
    let limit = if truthy(data.get("Limit")) {
        scalar(data.get("Limit"))?.trim().parse::<f64>().ok()? as usize
    } else {
        500
    };
    let as_list = |key: &str, default: &str| -> Vec<String> {
        match data.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| scalar(Some(x)).unwrap_or_default())
                .collect(),
            v if truthy(v) => vec![scalar(v).unwrap_or_default()],
            _ => vec![default.to_string()],
        }
    };
    let sort_by = as_list("SortBy", "Age");
    let order_by = as_list("OrderBy", "Down");
    for (i, s) in sort_by.iter().enumerate() {
        if !SORT_OPTIONS.contains(&s.as_str()) {
            return None;
        }
        match order_by.get(i).map(String::as_str) {
            Some("Up") | Some("Down") => {}
            _ => return None,
        }
    }

    // Name lookups: an unknown name makes the kernel return nothing.
    let names_to_ids = |key: &str, f: &dyn Fn(&str) -> Option<u64>| -> Option<Option<Vec<u64>>> {
        match list(data, key) {
            None => Some(None),
            Some(names) => {
                let mut ids = Vec::new();
                for n in names {
                    ids.push(f(&n)?);
                }
                Some(Some(ids))
            }
        }
    };
    let id_list = |key: &str| -> Option<Vec<u64>> {
        list(data, key).map(|l| l.iter().filter_map(|x| x.trim().parse().ok()).collect())
    };
    let merge = |a: Option<Vec<u64>>, b: Option<Vec<u64>>| -> Option<Vec<u64>> {
        match (a, b) {
            (None, None) => None,
            (Some(x), None) | (None, Some(x)) => Some(x),
            (Some(mut x), Some(y)) => {
                x.extend(y);
                Some(x)
            }
        }
    };
    let state_ids = merge(
        id_list("StateIDs"),
        names_to_ids("States", &|n| state_by_name(n).map(|s| s.id))?,
    );
    let state_type_ids: Option<Vec<u64>> = {
        let by_id = id_list("StateTypeIDs");
        // StateType is always a list here, so the "Open"/"Closed" shortcuts never apply.
        let by_name = list(data, "StateType").map(|names| {
            STATES
                .iter()
                .filter(|s| names.iter().any(|n| n == s.type_name))
                .map(|s| s.type_id)
                .collect::<Vec<_>>()
        });
        if by_name.as_ref().is_some_and(|v| v.is_empty()) {
            return Some(Vec::new());
        }
        merge(by_id, by_name)
    };
    let queue_ids = merge(
        id_list("QueueIDs"),
        names_to_ids("Queues", &|n| store.queue_by_name(n).map(|q| q.id))?,
    );
    let priority_ids = merge(
        id_list("PriorityIDs"),
        names_to_ids("Priorities", &|n| {
            PRIORITIES.iter().find(|p| p.1 == n).map(|p| p.0)
        })?,
    );
    let type_ids = merge(
        id_list("TypeIDs"),
        names_to_ids("Types", &|n| TYPES.iter().find(|p| p.1 == n).map(|p| p.0))?,
    );
    let lock_ids = merge(
        id_list("LockIDs"),
        names_to_ids("Locks", &|n| LOCKS.iter().find(|p| p.1 == n).map(|p| p.0))?,
    );
    let service_ids = merge(id_list("ServiceIDs"), names_to_ids("Services", &|_| None)?);
    let sla_ids = merge(id_list("SLAIDs"), names_to_ids("SLAs", &|_| None)?);
    let owner_ids = id_list("OwnerIDs");
    let responsible_ids = id_list("ResponsibleIDs");
    let created_user_ids = id_list("CreatedUserIDs");
    let watch_user_ids = id_list("WatchUserIDs");
    let ticket_ids = list(data, "TicketID");
    let created_queue_ids = merge(
        id_list("CreatedQueueIDs"),
        names_to_ids("CreatedQueues", &|n| store.queue_by_name(n).map(|q| q.id))?,
    );
    let created_state_ids = merge(
        id_list("CreatedStateIDs"),
        names_to_ids("CreatedStates", &|n| state_by_name(n).map(|s| s.id))?,
    );
    let created_priority_ids = merge(
        id_list("CreatedPriorityIDs"),
        names_to_ids("CreatedPriorities", &|n| {
            PRIORITIES.iter().find(|p| p.1 == n).map(|p| p.0)
        })?,
    );
    let created_type_ids = merge(
        id_list("CreatedTypeIDs"),
        names_to_ids("CreatedTypes", &|n| {
            TYPES.iter().find(|p| p.1 == n).map(|p| p.0)
        })?,
    );
    let numbers = list(data, "TicketNumber");
    let titles = list(data, "Title");
    let customer_ids = list(data, "CustomerID");
    let customer_ids_raw = list(data, "CustomerIDRaw");
    let customer_logins = list(data, "CustomerUserLogin");
    let fulltext = single(data, "Fulltext");
    let content_or = single(data, "ContentSearch")
        .map(|s| s.eq_ignore_ascii_case("OR"))
        .unwrap_or(false);
    let article_fields: Vec<(&str, String)> = ["From", "To", "Cc", "Subject", "Body"]
        .iter()
        .filter_map(|f| {
            single(data, &format!("MIMEBase_{f}"))
                .filter(|v| !v.replace('*', "%").chars().all(|c| c == '%'))
                .map(|v| (*f, v))
        })
        .collect();
    let create_f = time_filters(data, "TicketCreateTime", now).ok()?;
    let change_f = time_filters(data, "TicketChangeTime", now).ok()?;
    let last_change_f = time_filters(data, "TicketLastChangeTime", now).ok()?;
    let close_f = time_filters(data, "TicketCloseTime", now).ok()?;
    let pending_f = time_filters(data, "TicketPendingTime", now).ok()?;
    let article_f = time_filters(data, "ArticleCreateTime", now).ok()?;

    let customer = matches!(who, Principal::Customer(_));
    let mut hits: Vec<&Ticket> = store
        .tickets
        .values()
        .filter(|t| store.can_see(who, t))
        .filter(|t| !t.archived)
        .filter(|t| {
            let st = state(t.state_id);
            let first = store
                .history
                .iter()
                .find(|h| h.ticket_id == t.id && h.history_type == "NewTicket");
            let in_ids =
                |ids: &Option<Vec<u64>>, v: u64| ids.as_ref().is_none_or(|l| l.contains(&v));
            let in_opt = |ids: &Option<Vec<u64>>, v: Option<u64>| {
                ids.as_ref()
                    .is_none_or(|l| v.is_some_and(|v| l.contains(&v)))
            };
            let articles: Vec<&Article> = store
                .articles_of(t.id)
                .filter(|a| !customer || a.visible)
                .collect();
            in_ids(&state_ids, t.state_id)
                && in_ids(&state_type_ids, st.map(|s| s.type_id).unwrap_or(0))
                && in_ids(&queue_ids, t.queue_id)
                && in_ids(&priority_ids, t.priority_id)
                && in_ids(&type_ids, t.type_id)
                && in_ids(&lock_ids, t.lock_id)
                && in_ids(&owner_ids, t.owner_id)
                && in_ids(&responsible_ids, t.responsible_id)
                && in_ids(&created_user_ids, t.create_by)
                && in_opt(&service_ids, t.service_id)
                && in_opt(&sla_ids, t.sla_id)
                && watch_user_ids.is_none()
                && in_opt(&created_queue_ids, first.map(|h| h.queue_id))
                && in_opt(&created_state_ids, first.map(|h| h.state_id))
                && in_opt(&created_priority_ids, first.map(|h| h.priority_id))
                && in_opt(&created_type_ids, first.map(|h| h.type_id))
                && ticket_ids
                    .as_ref()
                    .is_none_or(|l| l.iter().any(|x| x.trim() == t.id.to_string()))
                && numbers
                    .as_ref()
                    .is_none_or(|l| l.iter().any(|n| query_match(&t.number, n, false)))
                && titles
                    .as_ref()
                    .is_none_or(|l| l.iter().any(|n| query_match(&t.title, n, true)))
                && customer_ids.as_ref().is_none_or(|l| {
                    l.iter()
                        .any(|n| query_match(t.customer_id.as_deref().unwrap_or(""), n, false))
                })
                && customer_ids_raw.as_ref().is_none_or(|l| {
                    l.iter()
                        .any(|n| t.customer_id.as_deref() == Some(n.as_str()))
                })
                && customer_logins.as_ref().is_none_or(|l| {
                    l.iter()
                        .any(|n| query_match(t.customer_user.as_deref().unwrap_or(""), n, false))
                })
                && (article_fields.is_empty() || {
                    let field_match = |(f, q): &(&str, String)| {
                        articles.iter().any(|a| {
                            let v = match *f {
                                "From" => &a.from,
                                "To" => &a.to,
                                "Cc" => &a.cc,
                                "Subject" => &a.subject,
                                _ => &a.body,
                            };
                            query_match(v, q, true)
                        })
                    };
                    if content_or {
                        article_fields.iter().any(field_match)
                    } else {
                        article_fields.iter().all(field_match)
                    }
                })
                && fulltext.as_ref().is_none_or(|q| {
                    query_match(&t.title, q, true)
                        || articles.iter().any(|a| {
                            [&a.from, &a.to, &a.cc, &a.subject, &a.body]
                                .iter()
                                .any(|v| query_match(v, q, true))
                        })
                })
                && passes(&create_f, t.created)
                && passes(&change_f, t.changed)
                && passes(&last_change_f, t.changed)
                && (close_f.is_empty() || t.closed.is_some_and(|c| passes(&close_f, c)))
                && (pending_f.is_empty()
                    || (st.is_some_and(|s| s.type_name.starts_with("pending"))
                        && passes(&pending_f, t.until_time)))
                && (article_f.is_empty() || articles.iter().any(|a| passes(&article_f, a.created)))
        })
        .collect();

    // ORDER BY …, with the ticket ID as the (database's) tie-breaker.
    hits.sort_by(|a, b| {
        for (i, s) in sort_by.iter().enumerate() {
            let ord = match s.as_str() {
                "Age" | "Created" => a.created.cmp(&b.created),
                "Changed" => a.changed.cmp(&b.changed),
                "Title" => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
                "TicketNumber" => a.number.cmp(&b.number),
                "Queue" => store
                    .queue_name(a.queue_id)
                    .cmp(&store.queue_name(b.queue_id)),
                "Priority" => a.priority_id.cmp(&b.priority_id),
                "State" => a.state_id.cmp(&b.state_id),
                "Type" => a.type_id.cmp(&b.type_id),
                "Lock" => a.lock_id.cmp(&b.lock_id),
                "Owner" => a.owner_id.cmp(&b.owner_id),
                "Responsible" => a.responsible_id.cmp(&b.responsible_id),
                "CustomerID" => a.customer_id.cmp(&b.customer_id),
                "Service" => a.service_id.cmp(&b.service_id),
                "SLA" => a.sla_id.cmp(&b.sla_id),
                "PendingTime" => a.until_time.cmp(&b.until_time),
                _ => std::cmp::Ordering::Equal,
            };
            let ord = if order_by[i] == "Up" {
                ord
            } else {
                ord.reverse()
            };
            if ord != std::cmp::Ordering::Equal {
                return ord;
            }
        }
        a.id.cmp(&b.id)
    });
    Some(hits.into_iter().take(limit).map(|t| t.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_and_query() {
        assert!(like("Portal test: printer on fire", "%printer%"));
        assert!(!like("Portal test", "printer"));
        assert!(like("ABC", "a_c"));
        assert!(query_match("Printer on fire", "fire", true));
        assert!(query_match("Printer on fire", "%FIRE%", true));
        assert!(!query_match("Printer on fire", "fire", false));
        assert!(query_match("Printer on fire", "printer fire", true));
        assert!(!query_match("Printer on fire", "printer water", true));
        assert!(query_match("Printer on fire", "water||fire", true));
        assert!(!query_match("Printer on fire", "!fire", true));
    }
}
