//! The demo's custom ticket attributes (object manager attributes) and the Core Workflow rule that
//! goes with them. What a customer gets of them is what Zammad hands its own customer UI:
//!
//! - signshow/signin `models.Ticket` (SessionHelper.models → ObjectManager::Object#attributes):
//!   `{name, display, tag, screen: {create_middle: {…}, edit: {…}}, …data_option}`, the screens
//!   resolved for the caller's permissions (ObjectManager::Element::Backend#screens): `{}` where
//!   the admin gave the customer nothing;
//! - `POST /core_workflows/perform`: `visibility` (show/hide/remove), `mandatory` and
//!   `restrict_values` per field for the form as filled in;
//! - REST ticket rows: every attribute as a column, agent-only ones included (REST filters no
//!   columns for customers, docs/zammad-api.md §7).
//!
//! Demo attributes: `product` (select, required on create, default `printer`), `contract_number`
//! (text), `order_date` (date), `category` (tree select), `serial_number` (text; Core Workflow shows
//! it only for group 3 "Sales") and `internal_rating` (agents only).

use serde_json::{json, Map, Value};

pub struct AttrDef {
    pub name: &'static str,
    /// Shown to customers on the create screen.
    customer_create: bool,
    /// Required there (Core Workflow's `mandatory`).
    required: bool,
    /// Core Workflow shows the field only for this group.
    only_group: Option<u64>,
    model: Value,
}

pub fn demo() -> Vec<AttrDef> {
    let screens = |create: Value, edit: Value| json!({"create_middle": create, "edit": edit});
    let shown =
        |required: bool| json!({"shown": true, "required": required, "item_class": "column"});
    vec![
        AttrDef {
            name: "product",
            customer_create: true,
            required: true,
            only_group: None,
            model: json!({"name": "product", "display": "Product", "tag": "select",
                "screen": screens(shown(true), json!({"shown": true})),
                "options": {"printer": "Printer", "scanner": "Scanner", "network": "Network"},
                "default": "printer", "null": true, "nulloption": true, "multiple": false,
                "translate": false, "historical_options": {}}),
        },
        AttrDef {
            name: "contract_number",
            customer_create: true,
            required: false,
            only_group: None,
            model: json!({"name": "contract_number", "display": "Contract number", "tag": "input",
                "screen": screens(shown(false), json!({"shown": true})),
                "type": "text", "maxlength": 120, "default": "", "null": true}),
        },
        AttrDef {
            name: "order_date",
            customer_create: true,
            required: false,
            only_group: None,
            model: json!({"name": "order_date", "display": "Order date", "tag": "date",
                "screen": screens(shown(false), json!({"shown": true})),
                "diff": null, "default": null, "null": true}),
        },
        AttrDef {
            name: "category",
            customer_create: true,
            required: false,
            only_group: None,
            model: json!({"name": "category", "display": "Category", "tag": "tree_select",
                "screen": screens(shown(false), json!({"shown": true})),
                "options": [
                    {"name": "Hardware", "value": "Hardware", "children": [
                        {"name": "Printer", "value": "Hardware::Printer"},
                        {"name": "Scanner", "value": "Hardware::Scanner"}]},
                    {"name": "Software", "value": "Software", "children": [
                        {"name": "Email", "value": "Software::Email"}]}],
                "default": "", "null": true, "nulloption": true}),
        },
        AttrDef {
            name: "serial_number",
            customer_create: true,
            required: false,
            only_group: Some(3),
            model: json!({"name": "serial_number", "display": "Serial number", "tag": "input",
                "screen": screens(shown(false), json!({"shown": true})),
                "type": "text", "maxlength": 60, "default": "", "null": true}),
        },
        AttrDef {
            name: "internal_rating",
            customer_create: false,
            required: false,
            only_group: None,
            model: json!({"name": "internal_rating", "display": "Internal rating", "tag": "input",
                "screen": screens(json!({}), json!({})),
                "type": "text", "maxlength": 120, "default": "", "null": true}),
        },
    ]
}

/// `models.Ticket` entries of the custom attributes (as resolved for a customer).
pub fn models() -> Vec<Value> {
    demo().into_iter().map(|a| a.model).collect()
}

/// Core Workflow for the create screen of a customer, `group` as the form has it.
pub fn workflow(
    group: Option<u64>,
    visibility: &mut Map<String, Value>,
    mandatory: &mut Map<String, Value>,
) {
    for a in demo() {
        let shown = a.customer_create && a.only_group.is_none_or(|g| Some(g) == group);
        visibility.insert(a.name.into(), if shown { "show" } else { "remove" }.into());
        mandatory.insert(a.name.into(), (shown && a.required).into());
    }
}

fn blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

/// The values of known attributes in a customer's create params (defaults for missing ones),
/// or `None` when Core Workflow's validation refuses them (ChecksCoreWorkflow: a mandatory field
/// empty, a select value not among its options), which Zammad answers with the masked 422.
pub fn check_create(params: &Map<String, Value>, group: u64) -> Option<Map<String, Value>> {
    let mut values = Map::new();
    for a in demo() {
        // A missing attribute gets its column default (the object manager's migration gives
        // the column the attribute's `default`), which then counts for Core Workflow's check.
        let v = params.get(a.name).or(a.model.get("default"));
        let shown = a.customer_create && a.only_group.is_none_or(|g| g == group);
        if shown && a.required && blank(v) {
            return None;
        }
        let Some(v) = v.filter(|v| !blank(Some(v))) else {
            continue;
        };
        if let Some(options) = a.model.get("options") {
            let allowed = option_values(options);
            let ok = v.as_str().is_some_and(|s| allowed.iter().any(|o| o == s));
            if !ok {
                return None;
            }
        }
        if a.model["tag"] == "date" {
            let ok = v
                .as_str()
                .is_some_and(|s| s.len() == 10 && s.as_bytes()[4] == b'-');
            if !ok {
                return None;
            }
        }
        values.insert(a.name.into(), v.clone());
    }
    Some(values)
}

/// Every value of a select (`{value: label}`) or tree select (`[{value, children}]`).
fn option_values(options: &Value) -> Vec<String> {
    match options {
        Value::Object(m) => m.keys().cloned().collect(),
        Value::Array(nodes) => nodes
            .iter()
            .flat_map(|n| {
                let mut out: Vec<String> = n["value"]
                    .as_str()
                    .map(str::to_string)
                    .into_iter()
                    .collect();
                out.extend(option_values(n.get("children").unwrap_or(&Value::Null)));
                out
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The attribute columns of a ticket row: every attribute, `null` when unset.
pub fn columns(values: &Map<String, Value>) -> impl Iterator<Item = (String, Value)> + '_ {
    demo().into_iter().map(|a| {
        (
            a.name.to_string(),
            values.get(a.name).cloned().unwrap_or(Value::Null),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn required_and_option_checks_like_core_workflow() {
        assert!(
            check_create(&params(json!({"product": ""})), 2).is_none(),
            "mandatory, empty"
        );
        assert!(
            check_create(&params(json!({"product": "tablet"})), 2).is_none(),
            "not an option"
        );
        assert!(check_create(&params(json!({"category": "Hardware::Fax"})), 2).is_none());
        assert!(check_create(&params(json!({"order_date": "1.12.2026"})), 2).is_none());
        let stored = check_create(&params(json!({"category": "Hardware::Printer"})), 2).unwrap();
        assert_eq!(stored["product"], "printer", "the column default");
        assert_eq!(stored["category"], "Hardware::Printer");
    }

    #[test]
    fn the_serial_number_is_shown_for_sales_only() {
        let (mut visibility, mut mandatory) = (Map::new(), Map::new());
        workflow(Some(2), &mut visibility, &mut mandatory);
        assert_eq!(visibility["serial_number"], "remove");
        assert_eq!(visibility["internal_rating"], "remove");
        assert_eq!(mandatory["product"], true);
        workflow(Some(3), &mut visibility, &mut mandatory);
        assert_eq!(visibility["serial_number"], "show");
    }
}
