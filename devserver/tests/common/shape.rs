//! Compares an example or recorded JSON body with the fake's answer by shape: keys and value
//! types recursively (objects, arrays, numbers vs strings), never literal values, since ids,
//! timestamps, tokens and names differ by seed. Shared by `tests/fixtures.rs` (the constructed
//! examples) and `tests/zammad_recorded.rs` (the recordings).

use serde_json::{Map, Value};
use std::collections::HashMap;

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// How strictly to compare.
#[derive(Default, Clone)]
pub struct Rules {
    /// Example ids → this seed's: arrays of records are paired by (mapped) id.
    pub ids: HashMap<u64, u64>,
    /// Keys the example has that the fake may leave out.
    pub optional: Vec<&'static str>,
    /// Both ways: the fake may not add keys the example lacks (a complete body), except `extra`.
    pub exact: bool,
    /// Keys the fake may add although the example lacks them (columns of later releases).
    pub extra: Vec<&'static str>,
    /// Objects under these keys hold data rather than columns (`preferences`): the example's
    /// keys must be there with their types, more are fine.
    pub open: Vec<&'static str>,
}

/// A custom ticket attribute of the demo (devserver/src/zammad/attributes.rs): every ticket row
/// carries them as columns, the recordings come from help desks without them.
fn custom_attribute(key: &str) -> bool {
    devserver::zammad::attributes::demo()
        .iter()
        .any(|a| a.name == key)
}

fn numeric_keys(m: &Map<String, Value>) -> bool {
    !m.is_empty() && m.keys().all(|k| k.parse::<u64>().is_ok())
}

/// Every difference between `expected` and `actual`, one line each (empty: same shape). An
/// expected `null` matches anything (the column is empty in the example, not in ours).
pub fn differences(expected: &Value, actual: &Value, rules: &Rules) -> Vec<String> {
    let mut errs = Vec::new();
    walk("$", expected, actual, rules, rules.exact, &mut errs);
    errs
}

fn walk(
    path: &str,
    expected: &Value,
    actual: &Value,
    rules: &Rules,
    exact: bool,
    errs: &mut Vec<String>,
) {
    match (expected, actual) {
        (Value::Null, _) => {}
        (Value::Object(e), Value::Object(a)) if numeric_keys(e) => {
            // A map keyed by ids (assets): compare the first entries.
            match (e.values().next(), a.values().next()) {
                (Some(ev), Some(av)) => walk(&format!("{path}.<id>"), ev, av, rules, exact, errs),
                (Some(_), None) => errs.push(format!("{path}: empty map")),
                _ => {}
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let inner = exact && !rules.open.contains(&k.as_str());
                match a.get(k) {
                    None if rules.optional.contains(&k.as_str()) => {}
                    None => errs.push(format!("{path}.{k} missing")),
                    Some(av) => walk(&format!("{path}.{k}"), ev, av, rules, inner, errs),
                }
            }
            if exact {
                for k in a.keys() {
                    if !e.contains_key(k)
                        && !rules.extra.contains(&k.as_str())
                        && !custom_attribute(k)
                    {
                        errs.push(format!("{path}.{k} not in the example"));
                    }
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for (i, ev) in e.iter().enumerate() {
                let eid = ev.get("id").and_then(Value::as_u64);
                let by_id = |want: u64| {
                    a.iter()
                        .find(|x| x.get("id").and_then(Value::as_u64) == Some(want))
                };
                let counterpart = match eid {
                    Some(id) => {
                        let mapped = rules.ids.get(&id).copied().unwrap_or(id);
                        by_id(mapped)
                            .or_else(|| by_id(id))
                            .or_else(|| a.get(i))
                            .or_else(|| a.first())
                    }
                    None => a.get(i).or_else(|| a.first()),
                };
                match counterpart {
                    Some(av) => walk(
                        &format!("{path}[{}]", eid.unwrap_or(i as u64)),
                        ev,
                        av,
                        rules,
                        exact,
                        errs,
                    ),
                    None => {
                        errs.push(format!("{path}: empty array"));
                        break;
                    }
                }
            }
        }
        (e, a) if kind(e) == kind(a) => {}
        (e, a) => errs.push(format!(
            "{path}: expected {} got {} ({a})",
            kind(e),
            kind(a)
        )),
    }
}

pub fn assert_shape(name: &str, expected: &Value, actual: &Value, rules: &Rules) {
    let errs = differences(expected, actual, rules);
    assert!(
        errs.is_empty(),
        "{name}: shape differs:\n{}\nactual: {actual}",
        errs.join("\n")
    );
}
