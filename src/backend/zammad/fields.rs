//! Custom ticket attributes (object manager attributes), learned the way Zammad's own customer UI
//! learns them (docs/zammad-api.md §9, item 9):
//!
//! - the definitions: `models.Ticket` of `GET /signshow` with the customer's credentials
//!   (SessionHelper.models → ObjectManager::Object#attributes: `{name, display, tag, screen,
//!   …data_option}`, the screens resolved for the caller's permissions). `GET
//!   /object_manager_attributes` is admin-only;
//! - what Core Workflow makes of them for the form as filled in: `POST /core_workflows/perform`
//!   with `{class_name: "Ticket", screen: "create_middle", params: {group_id, …}}`, answering
//!   `visibility` (show / hide / remove), `mandatory`, `restrict_values`, `select`, `fill_in`;
//! - the values: columns of the REST ticket row, every attribute (agent-only ones too), so only
//!   those whose `edit` screen is shown to the customer are kept.
//!
//! Attributes on the `create_middle` screen the customer is shown go on the form; core columns
//! (title, group, state, …) and relations (autocompletions) are not custom fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::fields::{CustomField, FieldKind, FieldOption, FieldValue, FieldValues, Label};

/// The Ticket attributes of a signshow answer.
#[derive(Deserialize, Default)]
struct Signshow {
    #[serde(default)]
    models: Models,
}

#[derive(Deserialize, Default)]
struct Models {
    #[serde(rename = "Ticket", default)]
    ticket: Vec<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize)]
struct Attribute {
    name: String,
    #[serde(default)]
    display: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    screen: Screens,
    #[serde(default)]
    options: serde_json::Value,
    #[serde(default)]
    default: serde_json::Value,
    #[serde(default)]
    multiple: Option<bool>,
    #[serde(default)]
    relation: Option<String>,
}

#[derive(Deserialize, Default)]
struct Screens {
    #[serde(default)]
    create_middle: Option<serde_json::Value>,
    #[serde(default)]
    edit: Option<serde_json::Value>,
}

/// A screen shows the attribute to this caller: there is a setting for them (Zammad resolves it
/// to `{}` when the admin gave their role none) and it does not say `shown: false`.
fn shown(screen: &Option<serde_json::Value>) -> bool {
    match screen {
        Some(serde_json::Value::Object(m)) if !m.is_empty() => {
            m.get("shown").and_then(|v| v.as_bool()) != Some(false)
        }
        _ => false,
    }
}

fn required(screen: &Option<serde_json::Value>) -> bool {
    screen
        .as_ref()
        .and_then(|s| s.get("required"))
        .and_then(|v| v.as_bool())
        == Some(true)
}

/// Core columns with their own place in the portal (or none for customers).
const CORE: &[&str] = &[
    "number",
    "title",
    "group_id",
    "state_id",
    "pending_time",
    "priority_id",
    "customer_id",
    "organization_id",
    "owner_id",
    "tags",
    "article",
    "body",
];

/// The customer's custom fields: those of the form and those shown on the ticket page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields {
    pub form: Vec<CustomField>,
    pub shown: Vec<CustomField>,
}

fn text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Select options (`{value: label}`, shown sorted by label as Zammad does without
/// `customsort`) or tree select nodes (`[{name, value, children}]`, depth first).
fn options(v: &serde_json::Value, depth: usize, out: &mut Vec<FieldOption>) {
    match v {
        serde_json::Value::Object(map) => {
            let mut list: Vec<FieldOption> = map
                .iter()
                .filter_map(|(value, label)| {
                    Some(FieldOption {
                        value: value.clone(),
                        label: text(label)?,
                        depth,
                    })
                })
                .collect();
            list.sort_by_key(|o| crate::browser::text::lowercase(&o.label));
            out.extend(list);
        }
        serde_json::Value::Array(nodes) => {
            for node in nodes {
                let (Some(value), Some(name)) = (
                    node.get("value").and_then(text),
                    node.get("name").and_then(text),
                ) else {
                    continue;
                };
                out.push(FieldOption {
                    value,
                    label: name,
                    depth,
                });
                if let Some(children) = node.get("children") {
                    options(children, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

fn field(a: &Attribute) -> Option<CustomField> {
    if CORE.contains(&a.name.as_str()) || a.relation.as_deref().is_some_and(|r| !r.is_empty()) {
        return None;
    }
    let multiple = a.multiple == Some(true);
    let kind = match a.tag.as_str() {
        "input" => FieldKind::Text,
        "textarea" => FieldKind::Textarea,
        "integer" => FieldKind::Integer,
        "boolean" => FieldKind::Boolean,
        "select" | "tree_select" if multiple => FieldKind::MultiSelect,
        "select" | "tree_select" => FieldKind::Select,
        "multiselect" | "multi_tree_select" => FieldKind::MultiSelect,
        "date" => FieldKind::Date,
        "datetime" => FieldKind::DateTime,
        // Autocompletions, rich text, external data sources: not offered.
        _ => return None,
    };
    let mut opts = Vec::new();
    if matches!(kind, FieldKind::Select | FieldKind::MultiSelect) {
        options(&a.options, 0, &mut opts);
    }
    let default = match (&a.default, kind) {
        (serde_json::Value::Bool(b), FieldKind::Boolean) => FieldValue::Flag(*b),
        (serde_json::Value::Array(items), _) => {
            FieldValue::Many(items.iter().filter_map(text).collect())
        }
        (v, _) => FieldValue::One(text(v).unwrap_or_default()),
    };
    Some(CustomField {
        name: a.name.clone(),
        label: Label::plain(if a.display.is_empty() {
            &a.name
        } else {
            &a.display
        }),
        kind,
        options: opts,
        required: required(&a.screen.create_middle),
        default,
        visible: true,
    })
}

/// The custom fields of a signshow answer (an attribute of another shape is skipped).
pub fn from_signshow(body: &[u8]) -> Fields {
    let signshow: Signshow = crate::de::or_default(body);
    let mut fields = Fields::default();
    for raw in signshow.models.ticket {
        let Ok(a) = serde_json::from_str::<Attribute>(raw.get()) else {
            continue;
        };
        let Some(f) = field(&a) else { continue };
        if shown(&a.screen.edit) {
            fields.shown.push(CustomField {
                required: false,
                ..f.clone()
            });
        }
        if shown(&a.screen.create_middle) {
            fields.form.push(f);
        }
    }
    fields
}

/// `POST /core_workflows/perform` for the create screen: the group and the values so far.
#[derive(Serialize)]
pub struct PerformRequest<'a> {
    event: &'static str,
    request_id: &'static str,
    class_name: &'static str,
    screen: &'static str,
    params: BTreeMap<&'a str, serde_json::Value>,
}

pub fn perform_request<'a>(
    group: &'a str,
    fields: &'a [CustomField],
    values: &FieldValues,
) -> PerformRequest<'a> {
    // `extend`, not `collect`: a collected map sorts first (one more copy of the sort code).
    let mut params = BTreeMap::new();
    params.extend(fields.iter().filter_map(|f| {
        Some((
            f.name.as_str(),
            wire_value(f, values.get(&f.name)?, &|s| Some(s.into()))?,
        ))
    }));
    params.insert("group_id", group.into());
    PerformRequest {
        event: "core_workflow",
        request_id: "ChecksCoreWorkflow.validate_workflows",
        class_name: "Ticket",
        screen: "create_middle",
        params,
    }
}

#[derive(Deserialize, Default)]
struct PerformAnswer {
    #[serde(default)]
    visibility: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    mandatory: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    restrict_values: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    select: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    fill_in: BTreeMap<String, serde_json::Value>,
}

/// What Core Workflow's answer makes of the form's fields: shown or not, required or not, the
/// allowed options, values it chose (as the field's default: what the customer chose stays).
pub fn apply_rules(mut fields: Vec<CustomField>, answer: &[u8]) -> Vec<CustomField> {
    let rules: PerformAnswer = crate::de::or_default(answer);
    for f in &mut fields {
        if let Some(v) = rules.visibility.get(&f.name).and_then(|v| v.as_str()) {
            f.visible = v == "show";
        }
        if let Some(m) = rules.mandatory.get(&f.name).and_then(|v| v.as_bool()) {
            f.required = m;
        }
        if let Some(serde_json::Value::Array(allowed)) = rules.restrict_values.get(&f.name) {
            let allowed: Vec<String> = allowed.iter().filter_map(text).collect();
            if allowed.iter().any(|a| !a.is_empty()) {
                f.options.retain(|o| allowed.contains(&o.value));
            }
        }
        let chosen = rules.select.get(&f.name).or(rules.fill_in.get(&f.name));
        if let Some(v) = chosen.and_then(text) {
            f.default = FieldValue::One(v);
        }
    }
    fields
}

/// A value as Zammad stores it: numbers for integers, `true`/`false`, lists for multi-selects,
/// `YYYY-MM-DD` for dates and ISO 8601 UTC for date-times (`to_utc` converts the customer's
/// local time; `None` leaves the field out).
pub fn wire_value(
    f: &CustomField,
    v: &FieldValue,
    to_utc: &dyn Fn(&str) -> Option<String>,
) -> Option<serde_json::Value> {
    Some(match (f.kind, v) {
        (FieldKind::Boolean, v) => v.flag().into(),
        (FieldKind::MultiSelect, FieldValue::Many(list)) => list.clone().into(),
        (FieldKind::Integer, FieldValue::One(s)) => s.trim().parse::<i64>().ok()?.into(),
        (FieldKind::DateTime, FieldValue::One(s)) => to_utc(s.trim())?.into(),
        (_, FieldValue::One(s)) => s.trim().into(),
        _ => return None,
    })
}

/// The create body's attribute keys for the values the form sends.
pub fn to_wire(
    fields: &[CustomField],
    values: &FieldValues,
    to_utc: &dyn Fn(&str) -> Option<String>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    out.extend(
        fields
            .iter()
            .filter_map(|f| Some((f.name.clone(), wire_value(f, values.get(&f.name)?, to_utc)?))),
    );
    out
}

/// The customer-visible attributes with a value, from a REST ticket row.
pub fn from_row(shown: &[CustomField], row: &serde_json::Value) -> Vec<(CustomField, FieldValue)> {
    shown
        .iter()
        .filter_map(|f| {
            let value = match (f.kind, row.get(&f.name)?) {
                (_, serde_json::Value::Array(items)) => {
                    FieldValue::Many(items.iter().filter_map(text).collect())
                }
                (FieldKind::Boolean, serde_json::Value::Bool(b)) => FieldValue::Flag(*b),
                (FieldKind::Boolean, _) => return None,
                // `2026-12-01T08:30:00.000Z`: shown as UTC to the minute.
                (FieldKind::DateTime, v) => {
                    let t = text(v)?;
                    let minute: String = t.chars().take(16).collect::<String>().replace('T', " ");
                    FieldValue::One(if t.ends_with('Z') {
                        format!("{minute} UTC")
                    } else {
                        minute
                    })
                }
                (_, v) => FieldValue::One(text(v)?),
            };
            (!value.is_empty()).then(|| (f.clone(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A signshow answer's body.
    fn signshow() -> Vec<u8> {
        serde_json::to_vec(&json!({"session": {"id": 3}, "models": {"Ticket": [
            {"name": "title", "display": "Title", "tag": "input", "type": "text"},
            {"name": "group_id", "display": "Group", "tag": "tree_select", "relation": "Group"},
            {"name": "product", "display": "Product", "tag": "select",
             "screen": {"create_middle": {"shown": true, "required": true}, "edit": {"shown": true}},
             "options": {"scanner": "Scanner", "printer": "Printer"}, "default": "printer"},
            {"name": "category", "display": "Category", "tag": "tree_select",
             "screen": {"create_middle": {"shown": true, "required": false}, "edit": {"shown": true}},
             "options": [{"name": "Hardware", "value": "Hardware", "children": [
                 {"name": "Printer", "value": "Hardware::Printer"}]}]},
            {"name": "count", "display": "Count", "tag": "integer",
             "screen": {"create_middle": {"shown": true}, "edit": {}}},
            {"name": "internal_rating", "display": "Internal", "tag": "input",
             "screen": {"create_middle": {}, "edit": {}}},
            {"name": "hidden", "display": "Hidden", "tag": "input",
             "screen": {"create_middle": {"shown": false}, "edit": {"shown": false}}},
            {"name": "who", "display": "Who", "tag": "autocompletion_ajax",
             "screen": {"create_middle": {"shown": true}}},
            "not an attribute",
        ]}}))
        .unwrap()
    }

    #[test]
    fn the_customer_screens_decide_what_is_a_field() {
        let f = from_signshow(&signshow());
        let form: Vec<&str> = f.form.iter().map(|f| f.name.as_str()).collect();
        let shown: Vec<&str> = f.shown.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(form, ["product", "category", "count"]);
        assert_eq!(shown, ["product", "category"]);
        let product = &f.form[0];
        assert!(product.required);
        assert_eq!(product.default, FieldValue::One("printer".into()));
        assert_eq!(product.options[0].label, "Printer", "sorted by label");
        assert_eq!(f.form[1].options[1].depth, 1);
        assert_eq!(f.form[2].kind, FieldKind::Integer);
        assert_eq!(from_signshow(br#"{"models": 3}"#), Fields::default());
        assert_eq!(from_signshow(b"\xff"), Fields::default());
    }

    #[test]
    fn core_workflow_shows_hides_and_requires() {
        let form = from_signshow(&signshow()).form;
        let answer = json!({"visibility": {"product": "show", "category": "remove"},
            "mandatory": {"product": false, "count": true},
            "restrict_values": {"product": ["", "scanner"]}, "select": {"product": "scanner"}});
        let ruled = apply_rules(form, answer.to_string().as_bytes());
        assert!(ruled[0].visible && !ruled[0].required);
        assert_eq!(ruled[0].options.len(), 1);
        assert_eq!(ruled[0].default, FieldValue::One("scanner".into()));
        assert!(!ruled[1].visible);
        assert!(ruled[2].required);
        let req = perform_request(
            "3",
            &ruled,
            &FieldValues::from([("count".into(), FieldValue::One("7".into()))]),
        );
        assert_eq!(
            serde_json::to_value(req).unwrap(),
            json!({"event": "core_workflow", "request_id": "ChecksCoreWorkflow.validate_workflows",
                   "class_name": "Ticket", "screen": "create_middle",
                   "params": {"group_id": "3", "count": 7}})
        );
    }

    #[test]
    fn values_go_out_typed_and_come_back_whitelisted() {
        let form = from_signshow(&signshow()).form;
        let values = FieldValues::from([
            ("product".into(), FieldValue::One("scanner".into())),
            ("count".into(), FieldValue::One(" 12 ".into())),
            ("internal_rating".into(), FieldValue::One("x".into())),
        ]);
        assert_eq!(
            serde_json::Value::Object(to_wire(&form, &values, &|_| None)),
            json!({"product": "scanner", "count": 12})
        );
        let shown = from_signshow(&signshow()).shown;
        let row =
            json!({"id": 1, "product": "scanner", "category": null, "internal_rating": "angry"});
        let got = from_row(&shown, &row);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, FieldValue::One("scanner".into()));
    }
}
