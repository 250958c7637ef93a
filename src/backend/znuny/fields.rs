//! Dynamic fields. The Generic Interface cannot list their definitions (docs/znuny-api.md §9), so
//! config.json's `znuny.dynamic_fields` names those the customer sees:
//!
//! ```json
//! "dynamic_fields": [
//!   {"name": "Product", "label": {"en": "Product", "de": "Produkt"}, "type": "dropdown",
//!    "options": [{"value": "printer", "label": "Printer"}, "Scanner"], "required": true},
//!   {"name": "OrderDate", "label": "Order date", "type": "date"}
//! ]
//! ```
//!
//! Types: text, textarea, dropdown, multiselect, checkbox, date, datetime. Values go out with
//! TicketCreate as `DynamicField: [{"Name", "Value"}]` in the form Znuny's drivers validate
//! (dates `YYYY-MM-DD 00:00:00`, checkboxes `1`/`0`, multiselects a list); TicketGet with
//! `DynamicFields=1` brings every dynamic field of the ticket, of which only these are kept.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::fields::{CustomField, FieldKind, FieldOption, FieldValue, FieldValues, Label};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    label: LabelSetting,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    options: Vec<OptionSetting>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    default: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LabelSetting {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OptionSetting {
    Same(String),
    Labelled { value: String, label: String },
}

fn kind_of(name: &str) -> Option<FieldKind> {
    Some(match name {
        "text" => FieldKind::Text,
        "textarea" => FieldKind::Textarea,
        "dropdown" => FieldKind::Select,
        "multiselect" => FieldKind::MultiSelect,
        "checkbox" => FieldKind::Boolean,
        "date" => FieldKind::Date,
        "datetime" => FieldKind::DateTime,
        _ => return None,
    })
}

/// The fields of `znuny.dynamic_fields` (`section` is the whole `znuny` section); none when the
/// key is missing. The error names the entry and what is wrong with it, for the admin.
pub fn read(section: &serde_json::Value) -> Result<Vec<CustomField>, String> {
    let Some(list) = section.get("dynamic_fields").filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let serde_json::Value::Array(items) = list else {
        return Err("`znuny.dynamic_fields` must be a list".into());
    };
    let mut fields: Vec<CustomField> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = item.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let at = format!("`znuny.dynamic_fields[{i}]` ({name:?})");
        let entry: Entry =
            serde_json::from_value(item.clone()).map_err(|e| format!("{at}: {e}"))?;
        // Znuny's own rule for dynamic field names (AdminDynamicField*: letters and digits).
        if entry.name.is_empty() || !entry.name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "{at}: `name` must be the field's Znuny name (letters and digits)"
            ));
        }
        if fields.iter().any(|f| f.name == entry.name) {
            return Err(format!("{at}: the field is listed twice"));
        }
        let kind = kind_of(&entry.kind).ok_or_else(|| {
            format!(
                "{at}: `type` must be one of text, textarea, dropdown, multiselect, checkbox, date, datetime, not {:?}",
                entry.kind
            )
        })?;
        let label = match entry.label {
            LabelSetting::One(text) => Label::plain(&text),
            LabelSetting::PerLanguage(map) => Label(map.into_iter().collect()),
        };
        if label.get("en").trim().is_empty() {
            return Err(format!("{at}: `label` is empty"));
        }
        let options: Vec<FieldOption> = entry
            .options
            .into_iter()
            .map(|o| match o {
                OptionSetting::Same(v) => FieldOption {
                    label: v.clone(),
                    value: v,
                    depth: 0,
                },
                OptionSetting::Labelled { value, label } => FieldOption {
                    value,
                    label,
                    depth: 0,
                },
            })
            .collect();
        let selects = matches!(kind, FieldKind::Select | FieldKind::MultiSelect);
        if selects && options.is_empty() {
            return Err(format!("{at}: a {} needs `options`", entry.kind));
        }
        if !selects && !options.is_empty() {
            return Err(format!(
                "{at}: only dropdown and multiselect take `options`"
            ));
        }
        let default = match entry.default {
            None | Some(serde_json::Value::Null) => FieldValue::default(),
            Some(serde_json::Value::Bool(b)) if kind == FieldKind::Boolean => FieldValue::Flag(b),
            Some(serde_json::Value::String(s)) => FieldValue::One(s),
            Some(serde_json::Value::Array(a)) if kind == FieldKind::MultiSelect => {
                FieldValue::Many(
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                )
            }
            Some(other) => {
                return Err(format!(
                    "{at}: `default` {other} does not suit a {}",
                    entry.kind
                ))
            }
        };
        let field = CustomField {
            name: entry.name,
            label,
            kind,
            options,
            required: entry.required,
            default,
            visible: true,
        };
        let default = field.value_in(&FieldValues::new());
        if !default.is_empty() && field.check(&default).is_some() {
            return Err(format!("{at}: `default` is not a valid value of the field"));
        }
        fields.push(field);
    }
    Ok(fields)
}

/// One entry of TicketCreate's `DynamicField` list, `{"Name": …, "Value": …}`. Built as a
/// `Value` in place: `serde_json::to_value` would link serde_json's `Value` serializer for it alone.
fn entry(name: &str, value: serde_json::Value) -> serde_json::Value {
    let mut entry = serde_json::Map::new();
    entry.insert("Name".into(), name.into());
    entry.insert("Value".into(), value);
    entry.into()
}

/// `DynamicField` for TicketCreate: only configured fields, in Znuny's value formats.
pub fn to_wire(fields: &[CustomField], values: &FieldValues) -> Option<serde_json::Value> {
    let out: Vec<serde_json::Value> = fields
        .iter()
        .filter_map(|f| {
            let v = values.get(&f.name)?;
            let value = match (f.kind, v) {
                (FieldKind::Boolean, v) => {
                    serde_json::Value::from(if v.flag() { "1" } else { "0" })
                }
                (FieldKind::MultiSelect, FieldValue::Many(list)) => {
                    serde_json::Value::from(list.clone())
                }
                (FieldKind::Date, FieldValue::One(d)) => format!("{d} 00:00:00").into(),
                (FieldKind::DateTime, FieldValue::One(dt)) => {
                    let dt = dt.replace('T', " ");
                    // `datetime-local` leaves out the seconds.
                    if dt.len() == 16 {
                        format!("{dt}:00")
                    } else {
                        dt
                    }
                    .into()
                }
                (_, FieldValue::One(s)) => s.clone().into(),
                _ => return None,
            };
            Some(entry(&f.name, value))
        })
        .collect();
    (!out.is_empty()).then(|| out.into())
}

#[derive(Deserialize, Default)]
struct Answer {
    #[serde(rename = "Ticket", default)]
    tickets: Vec<Row>,
}

#[derive(Deserialize)]
struct Row {
    #[serde(rename = "DynamicField", default)]
    dynamic_fields: Vec<DynamicFieldIn>,
}

#[derive(Deserialize)]
struct DynamicFieldIn {
    #[serde(rename = "Name", default)]
    name: String,
    #[serde(rename = "Value", default)]
    value: serde_json::Value,
}

/// The configured fields with a value, in config order, from a single-ticket TicketGet answer
/// with `DynamicFields=1`. Every other dynamic field is dropped, as with any field a customer
/// may not see; an answer of another shape has none (the ticket still shows).
pub fn from_answer(fields: &[CustomField], body: &[u8]) -> Vec<(CustomField, FieldValue)> {
    let answer: Answer = crate::de::or_default(body);
    let Some(row) = answer.tickets.first() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|f| {
            let raw = &row.dynamic_fields.iter().find(|d| d.name == f.name)?.value;
            let text = |v: &serde_json::Value| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let value = match (f.kind, raw) {
                (_, serde_json::Value::Array(items)) => {
                    FieldValue::Many(items.iter().filter_map(text).collect())
                }
                (FieldKind::Boolean, v) => FieldValue::Flag(text(v)? == "1"),
                // Znuny keeps dates as `YYYY-MM-DD 00:00:00`, date-times to the second.
                (FieldKind::Date, v) => FieldValue::One(text(v)?.chars().take(10).collect()),
                (FieldKind::DateTime, v) => FieldValue::One(text(v)?.chars().take(16).collect()),
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

    fn config() -> serde_json::Value {
        json!({"dynamic_fields": [
            {"name": "Product", "label": {"en": "Product", "de": "Produkt"}, "type": "dropdown",
             "options": [{"value": "printer", "label": "Printer"}, "Scanner"], "required": true},
            {"name": "Contract", "label": "Contract number", "type": "text"},
            {"name": "OrderDate", "label": "Order date", "type": "date"},
            {"name": "Urgent", "label": "Urgent", "type": "checkbox", "default": false},
            {"name": "Areas", "label": "Areas", "type": "multiselect", "options": ["a", "b"]},
        ]})
    }

    #[test]
    fn reads_the_example_and_names_a_bad_entry() {
        let fields = read(&config()).unwrap();
        assert_eq!(fields.len(), 5);
        assert_eq!(fields[0].label.get("de"), "Produkt");
        assert_eq!(fields[0].options[1].value, "Scanner");
        assert!(fields[0].required);
        assert_eq!(read(&json!({})).unwrap(), Vec::new());
        for (bad, says) in [
            (json!({"dynamic_fields": {}}), "must be a list"),
            (
                json!({"dynamic_fields": [{"name": "X", "label": "X", "type": "radio"}]}),
                "[0]` (\"X\"): `type` must be one of",
            ),
            (
                json!({"dynamic_fields": [{"name": "X", "label": "X", "type": "dropdown"}]}),
                "needs `options`",
            ),
            (
                json!({"dynamic_fields": [{"name": "X-Y", "label": "X", "type": "text"}]}),
                "letters and digits",
            ),
            (
                json!({"dynamic_fields": [{"name": "X", "type": "text"}]}),
                "missing field `label`",
            ),
            (
                json!({"dynamic_fields": [{"name": "X", "label": "X", "type": "text", "colour": 1}]}),
                "unknown field `colour`",
            ),
            (
                json!({"dynamic_fields": [{"name": "X", "label": "X", "type": "dropdown", "options": ["a"], "default": "b"}]}),
                "`default` is not a valid value",
            ),
            (
                json!({"dynamic_fields": [{"name": "X", "label": "X", "type": "text"}, {"name": "X", "label": "Y", "type": "text"}]}),
                "[1]` (\"X\"): the field is listed twice",
            ),
        ] {
            let err = read(&bad).unwrap_err();
            assert!(err.contains(says), "{err}");
        }
    }

    #[test]
    fn values_go_out_in_znuny_formats() {
        let fields = read(&config()).unwrap();
        let values = FieldValues::from([
            ("Product".into(), FieldValue::One("printer".into())),
            ("OrderDate".into(), FieldValue::One("2026-12-01".into())),
            ("Urgent".into(), FieldValue::Flag(true)),
            ("Areas".into(), FieldValue::Many(vec!["a".into()])),
            ("NotConfigured".into(), FieldValue::One("x".into())),
        ]);
        assert_eq!(
            to_wire(&fields, &values).unwrap(),
            json!([
                {"Name": "Product", "Value": "printer"},
                {"Name": "OrderDate", "Value": "2026-12-01 00:00:00"},
                {"Name": "Urgent", "Value": "1"},
                {"Name": "Areas", "Value": ["a"]},
            ])
        );
        assert_eq!(to_wire(&fields, &FieldValues::new()), None);
    }

    #[test]
    fn only_configured_fields_with_a_value_are_read_back() {
        let fields = read(&config()).unwrap();
        let body = json!({"Ticket": [{"TicketID": "7", "DynamicField": [
            {"Name": "Secret", "Value": "agents only"},
            {"Name": "OrderDate", "Value": "2026-12-01 00:00:00"},
            {"Name": "Contract", "Value": null},
            {"Name": "Product", "Value": "printer"},
            {"Name": "Urgent", "Value": "0"},
            {"Name": "Areas", "Value": ["a", "b"]},
        ]}]})
        .to_string();
        let got = from_answer(&fields, body.as_bytes());
        let names: Vec<&str> = got.iter().map(|(f, _)| f.name.as_str()).collect();
        assert_eq!(names, ["Product", "OrderDate", "Urgent", "Areas"]);
        assert_eq!(got[1].1, FieldValue::One("2026-12-01".into()));
        assert_eq!(got[2].1, FieldValue::Flag(false));
        assert_eq!(from_answer(&fields, b"not json"), Vec::new());
    }
}
