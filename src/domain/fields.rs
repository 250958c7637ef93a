//! The help desk's own ticket fields (Zammad object attributes, Znuny dynamic fields), backend-
//! neutral: what the new-ticket form shows and checks, what a new ticket carries, and what the
//! ticket page shows. The adapters make the definitions (Zammad learns them from the help desk,
//! Znuny from config.json) and turn values into their wire format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How a field is entered. Tree selects are `Select`/`MultiSelect` with nested options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Textarea,
    /// Zammad only (Znuny's dynamic field types have no number).
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    Integer,
    Boolean,
    Select,
    MultiSelect,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:MM` as the browser's `datetime-local` gives it (local time).
    DateTime,
}

/// One choice of a select: the value the help desk stores and the text shown. `depth` > 0 for
/// the children of a tree select (shown indented; `label` is the node's own name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldOption {
    pub value: String,
    pub label: String,
    pub depth: usize,
}

/// A field's label: one text, or one per language (`""` is the one for any language).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Label(pub Vec<(String, String)>);

impl Label {
    pub fn plain(text: &str) -> Self {
        Label(vec![(String::new(), text.to_string())])
    }

    /// The text for language `code`, else English, else any.
    pub fn get(&self, code: &str) -> &str {
        let find = |c: &str| self.0.iter().find(|(l, _)| l == c).map(|(_, t)| t.as_str());
        find(code)
            .or_else(|| find(""))
            .or_else(|| find("en"))
            .or_else(|| self.0.first().map(|(_, t)| t.as_str()))
            .unwrap_or("")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomField {
    /// The help desk's name of the field (Zammad attribute name, Znuny dynamic field name).
    pub name: String,
    pub label: Label,
    pub kind: FieldKind,
    /// Selects only; for the others empty.
    pub options: Vec<FieldOption>,
    pub required: bool,
    pub default: FieldValue,
    /// Shown on the form (Zammad Core Workflow may hide a field for some groups).
    pub visible: bool,
}

/// A field's value as the form holds it. Numbers and dates are text until sent (the form
/// checks them; the adapter converts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Flag(bool),
    Many(Vec<String>),
    One(String),
}

impl Default for FieldValue {
    fn default() -> Self {
        FieldValue::One(String::new())
    }
}

impl FieldValue {
    pub fn is_empty(&self) -> bool {
        match self {
            FieldValue::Flag(_) => false,
            FieldValue::Many(v) => v.is_empty(),
            FieldValue::One(s) => s.trim().is_empty(),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            FieldValue::One(s) => s,
            _ => "",
        }
    }

    pub fn list(&self) -> &[String] {
        match self {
            FieldValue::Many(v) => v,
            _ => &[],
        }
    }

    pub fn flag(&self) -> bool {
        matches!(self, FieldValue::Flag(true))
    }
}

/// Values by field name.
pub type FieldValues = BTreeMap<String, FieldValue>;

/// Why a value is refused before sending (worded in the customer's language by the form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    Missing,
    NotANumber,
    NotADate,
    NotADateTime,
    NotAnOption,
}

impl CustomField {
    /// The field's value in `values`, else its default, in the shape its kind needs.
    pub fn value_in(&self, values: &FieldValues) -> FieldValue {
        let v = values.get(&self.name).unwrap_or(&self.default);
        match (self.kind, v) {
            (FieldKind::Boolean, FieldValue::Flag(_)) => v.clone(),
            (FieldKind::Boolean, FieldValue::One(s)) => {
                FieldValue::Flag(matches!(s.as_str(), "1" | "true"))
            }
            (FieldKind::Boolean, _) => FieldValue::Flag(false),
            (FieldKind::MultiSelect, FieldValue::Many(_)) => v.clone(),
            (FieldKind::MultiSelect, FieldValue::One(s)) if !s.is_empty() => {
                FieldValue::Many(vec![s.clone()])
            }
            (FieldKind::MultiSelect, _) => FieldValue::Many(Vec::new()),
            (_, FieldValue::One(_)) => v.clone(),
            _ => FieldValue::default(),
        }
    }

    /// Checks a value before sending; hidden fields are not checked (and not sent).
    pub fn check(&self, value: &FieldValue) -> Option<FieldProblem> {
        if !self.visible {
            return None;
        }
        if value.is_empty() {
            return self.required.then_some(FieldProblem::Missing);
        }
        let is_option = |v: &str| self.options.iter().any(|o| o.value == v);
        match self.kind {
            FieldKind::Boolean => (self.required && !value.flag()).then_some(FieldProblem::Missing),
            FieldKind::Integer => {
                let t = value.text().trim();
                let digits = t.strip_prefix('-').unwrap_or(t);
                (digits.is_empty()
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                    || t.parse::<i64>().is_err())
                .then_some(FieldProblem::NotANumber)
            }
            FieldKind::Date => (!is_date(value.text().trim())).then_some(FieldProblem::NotADate),
            FieldKind::DateTime => {
                (!is_date_time(value.text().trim())).then_some(FieldProblem::NotADateTime)
            }
            FieldKind::Select => (!is_option(value.text())).then_some(FieldProblem::NotAnOption),
            FieldKind::MultiSelect => {
                (!value.list().iter().all(|v| is_option(v))).then_some(FieldProblem::NotAnOption)
            }
            FieldKind::Text | FieldKind::Textarea => None,
        }
    }

    /// A stored value as the ticket page shows it (option labels instead of values); `None` when
    /// there is nothing to show. Booleans are worded by the page.
    pub fn display(&self, value: &FieldValue) -> Option<String> {
        let label = |v: &str| {
            self.options
                .iter()
                .find(|o| o.value == v)
                .map(|o| o.label.clone())
                .unwrap_or_else(|| v.to_string())
        };
        match (self.kind, value) {
            (FieldKind::Boolean, _) => None,
            (_, FieldValue::Many(items)) if !items.is_empty() => Some(
                items
                    .iter()
                    .map(|v| label(v))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (_, FieldValue::One(s)) if !s.trim().is_empty() => Some(label(s.trim())),
            _ => None,
        }
    }
}

/// `YYYY-MM-DD`, a real day.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// `YYYY-MM-DDTHH:MM` (seconds allowed), as `datetime-local` gives it.
pub fn is_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once('T').or_else(|| s.split_once(' ')) else {
        return false;
    };
    let parts: Vec<&str> = time.split(':').collect();
    let num = |p: &str, max: u32| p.len() == 2 && p.parse::<u32>().is_ok_and(|n| n <= max);
    is_date(date)
        && (parts.len() == 2 || parts.len() == 3)
        && num(parts[0], 23)
        && num(parts[1], 59)
        && parts.get(2).is_none_or(|s| num(s, 59))
}

/// The values of the visible fields, as they go to the help desk (hidden ones are left out; an
/// empty optional one too).
pub fn to_send(fields: &[CustomField], values: &FieldValues) -> FieldValues {
    // `extend`, not `collect`: a map collected from an iterator sorts its entries first, and
    // each such sort is a copy of the sorting code (see README, "The size pass").
    let mut out = FieldValues::new();
    out.extend(
        fields
            .iter()
            .filter(|f| f.visible)
            .map(|f| (f.name.clone(), f.value_in(values)))
            .filter(|(_, v)| !v.is_empty())
            .map(|(n, v)| (n, trimmed(v))),
    );
    out
}

fn trimmed(v: FieldValue) -> FieldValue {
    match v {
        FieldValue::One(s) => FieldValue::One(s.trim().to_string()),
        other => other,
    }
}

/// The first problem of the visible fields, with the field's name.
pub fn problems(fields: &[CustomField], values: &FieldValues) -> Vec<(String, FieldProblem)> {
    fields
        .iter()
        .filter_map(|f| f.check(&f.value_in(values)).map(|p| (f.name.clone(), p)))
        .collect()
}

/// Field values kept with a draft (sessionStorage), as JSON.
pub fn draft_text(values: &FieldValues) -> String {
    if values.is_empty() {
        return String::new();
    }
    serde_json::to_string(values).unwrap_or_default()
}

/// What `draft_text` wrote; nothing when damaged.
pub fn read_draft(text: &str) -> FieldValues {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind, required: bool) -> CustomField {
        CustomField {
            name: "f".into(),
            label: Label::plain("F"),
            kind,
            options: vec![
                FieldOption {
                    value: "a".into(),
                    label: "Alpha".into(),
                    depth: 0,
                },
                FieldOption {
                    value: "a::b".into(),
                    label: "Beta".into(),
                    depth: 1,
                },
            ],
            required,
            default: FieldValue::default(),
            visible: true,
        }
    }

    fn one(s: &str) -> FieldValue {
        FieldValue::One(s.into())
    }

    #[test]
    fn required_numbers_dates_and_options_are_checked() {
        use FieldKind::*;
        use FieldProblem::*;
        assert_eq!(field(Text, true).check(&one("  ")), Some(Missing));
        assert_eq!(field(Text, false).check(&one("")), None);
        assert_eq!(field(Integer, false).check(&one("12a")), Some(NotANumber));
        assert_eq!(field(Integer, false).check(&one("-12")), None);
        assert_eq!(field(Integer, false).check(&one("-")), Some(NotANumber));
        assert_eq!(field(Date, false).check(&one("2026-02-30")), Some(NotADate));
        assert_eq!(field(Date, false).check(&one("2028-02-29")), None);
        assert_eq!(field(DateTime, false).check(&one("2026-12-07T09:30")), None);
        assert_eq!(
            field(DateTime, false).check(&one("2026-12-07T25:30")),
            Some(NotADateTime)
        );
        assert_eq!(field(Select, true).check(&one("a::b")), None);
        assert_eq!(field(Select, true).check(&one("z")), Some(NotAnOption));
        assert_eq!(
            field(MultiSelect, true).check(&FieldValue::Many(vec![])),
            Some(Missing)
        );
        assert_eq!(
            field(Boolean, true).check(&FieldValue::Flag(false)),
            Some(Missing)
        );
        let mut hidden = field(Text, true);
        hidden.visible = false;
        assert_eq!(
            hidden.check(&one("")),
            None,
            "hidden fields are not checked"
        );
    }

    #[test]
    fn only_visible_filled_fields_are_sent_and_defaults_apply() {
        let mut a = field(FieldKind::Select, false);
        a.name = "a".into();
        a.default = one("a");
        let mut b = field(FieldKind::Text, false);
        b.name = "b".into();
        b.visible = false;
        let mut c = field(FieldKind::Text, false);
        c.name = "c".into();
        let values = FieldValues::from([("b".into(), one("x")), ("c".into(), one(" y "))]);
        let sent = to_send(&[a, b, c], &values);
        assert_eq!(
            sent,
            FieldValues::from([("a".into(), one("a")), ("c".into(), one("y"))])
        );
    }

    #[test]
    fn labels_follow_the_language_and_values_show_option_labels() {
        let l = Label(vec![
            ("en".into(), "Product".into()),
            ("de".into(), "Produkt".into()),
        ]);
        assert_eq!(l.get("de"), "Produkt");
        assert_eq!(l.get("fr"), "Product");
        let f = field(FieldKind::MultiSelect, false);
        assert_eq!(
            f.display(&FieldValue::Many(vec!["a".into(), "a::b".into()]))
                .as_deref(),
            Some("Alpha, Beta")
        );
        assert_eq!(f.display(&FieldValue::Many(vec![])), None);
    }

    #[test]
    fn drafts_read_back_and_damage_is_nothing() {
        let values = FieldValues::from([
            ("a".into(), one("x")),
            ("b".into(), FieldValue::Many(vec!["1".into()])),
            ("c".into(), FieldValue::Flag(true)),
        ]);
        assert_eq!(read_draft(&draft_text(&values)), values);
        assert_eq!(read_draft("{"), FieldValues::new());
        assert_eq!(draft_text(&FieldValues::new()), "");
    }
}
