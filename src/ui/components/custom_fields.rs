//! The help desk's own ticket fields on the new-ticket form (`crate::domain::fields`): each with a
//! visible label, "required" in words, its problem below it (tied by `aria-describedby`), native
//! controls only (keyboard as the browser does it). Multi-selects are a group of checkboxes.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::fields::{CustomField, FieldKind, FieldProblem, FieldValue, FieldValues};
use crate::i18n::{t, tr, Texts};

/// The element id of a field's control (the first checkbox of a multi-select).
pub fn control_id(field: &CustomField) -> String {
    match field.kind {
        FieldKind::MultiSelect => format!("field-{}-0", field.name),
        _ => format!("field-{}", field.name),
    }
}

/// Focuses a field's control once rendered.
pub fn focus_field(field: &CustomField) {
    let id = control_id(field);
    request_animation_frame(move || {
        if let Some(el) =
            crate::browser::dom::by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

pub fn problem_text(p: FieldProblem, t: &Texts) -> &'static str {
    match p {
        FieldProblem::Missing => t.field_missing,
        FieldProblem::NotANumber => t.field_not_a_number,
        FieldProblem::NotADate => t.field_not_a_date,
        FieldProblem::NotADateTime => t.field_not_a_date_time,
        FieldProblem::NotAnOption => t.field_not_an_option,
    }
}

/// The visible fields of `fields`, bound to `values`; `problems` holds what the last check found
/// (a field's problem goes once the customer changes it).
#[component]
pub fn CustomFieldInputs(
    fields: Signal<Vec<CustomField>>,
    values: RwSignal<FieldValues>,
    problems: RwSignal<BTreeMap<String, FieldProblem>>,
) -> impl IntoView {
    move || {
        fields
            .get()
            .into_iter()
            .filter(|f| f.visible)
            .map(|f| field_view(f, values, problems))
            .collect_view()
    }
}

fn field_view(
    field: CustomField,
    values: RwSignal<FieldValues>,
    problems: RwSignal<BTreeMap<String, FieldProblem>>,
) -> AnyView {
    let name = field.name.clone();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let current = values.with_untracked(|v| field.value_in(v));
    let set = {
        let name = name.clone();
        move |v: FieldValue| {
            values.update(|all| {
                all.insert(name.clone(), v);
            });
            problems.update(|p| {
                p.remove(&name);
            });
        }
    };
    let problem = {
        let name = name.clone();
        move || problems.with(|p| p.get(&name).copied())
    };
    let invalid = {
        let problem = problem.clone();
        move || problem().is_some().to_string()
    };
    let error = {
        let problem = problem.clone();
        view! { <p id=error_id.clone() class="field-error">{move || problem().map(|p| problem_text(p, t()))}</p> }
    };
    let label_text = {
        let label = field.label.clone();
        move || label.get(t().code).to_string()
    };
    let required = field.required;
    let mark = move || {
        required
            .then(|| view! { " " <span class="required">"(" {tr(|t| t.field_required)} ")"</span> })
    };
    let text_input = |input_type: &'static str, inputmode: Option<&'static str>| {
        let set = set.clone();
        view! {
            <input id=id.clone() type=input_type inputmode=inputmode prop:value=current.text().to_string()
                aria-required=required.to_string() aria-invalid=invalid.clone() aria-describedby=error_id.clone()
                on:input=move |ev| set(FieldValue::One(event_target_value(&ev))) />
        }
    };
    match field.kind {
        FieldKind::Text => view! {
            <div class="field"><label for=id.clone()>{label_text}{mark}</label>{text_input("text", None)}{error}</div>
        }
        .into_any(),
        FieldKind::Integer => view! {
            <div class="field"><label for=id.clone()>{label_text}{mark}</label>{text_input("text", Some("numeric"))}{error}</div>
        }
        .into_any(),
        FieldKind::Date => view! {
            <div class="field"><label for=id.clone()>{label_text}{mark}</label>{text_input("date", None)}{error}</div>
        }
        .into_any(),
        FieldKind::DateTime => view! {
            <div class="field"><label for=id.clone()>{label_text}{mark}</label>{text_input("datetime-local", None)}{error}</div>
        }
        .into_any(),
        FieldKind::Textarea => view! {
            <div class="field">
                <label for=id.clone()>{label_text}{mark}</label>
                <textarea id=id.clone() rows="4" prop:value=current.text().to_string()
                    aria-required=required.to_string() aria-invalid=invalid aria-describedby=error_id.clone()
                    on:input=move |ev| set(FieldValue::One(event_target_value(&ev)))></textarea>
                {error}
            </div>
        }
        .into_any(),
        FieldKind::Boolean => view! {
            <div class="field checkbox">
                <input id=id.clone() type="checkbox" prop:checked=current.flag()
                    aria-required=required.to_string() aria-invalid=invalid aria-describedby=error_id.clone()
                    on:change=move |ev| set(FieldValue::Flag(event_target_checked(&ev))) />
                <label for=id.clone()>{label_text}{mark}</label>
                {error}
            </div>
        }
        .into_any(),
        FieldKind::Select => {
            let chosen = current.text().to_string();
            let options = field
                .options
                .iter()
                .map(|o| {
                    let indent = "\u{a0}\u{a0}".repeat(o.depth);
                    view! { <option value=o.value.clone() selected=o.value == chosen>{format!("{indent}{}", o.label)}</option> }
                })
                .collect_view();
            view! {
                <div class="field">
                    <label for=id.clone()>{label_text}{mark}</label>
                    <select id=id.clone() aria-required=required.to_string() aria-invalid=invalid aria-describedby=error_id.clone()
                        on:change=move |ev| set(FieldValue::One(event_target_value(&ev)))>
                        <option value="" selected=chosen.is_empty()>{tr(|t| t.field_choose)}</option>
                        {options}
                    </select>
                    {error}
                </div>
            }
            .into_any()
        }
        FieldKind::MultiSelect => {
            let boxes = field
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let box_id = format!("{id}-{i}");
                    let value = o.value.clone();
                    let checked = current.list().contains(&value);
                    let name = name.clone();
                    let on_change = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        let mut list = values.with_untracked(|v| {
                            v.get(&name).map(|x| x.list().to_vec()).unwrap_or_default()
                        });
                        list.retain(|x| x != &value);
                        if on {
                            list.push(value.clone());
                        }
                        values.update(|all| {
                            all.insert(name.clone(), FieldValue::Many(list));
                        });
                        problems.update(|p| {
                            p.remove(&name);
                        });
                    };
                    // `calc`, not a float times 1.25: printing a float links ~13 KB of code.
                    view! {
                        <div class="option" style=format!("margin-inline-start: calc({} * 1.25rem)", o.depth)>
                            <input id=box_id.clone() type="checkbox" prop:checked=checked on:change=on_change />
                            <label for=box_id>{o.label.clone()}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="field field-group" aria-describedby=error_id.clone()>
                    <legend>{label_text}{mark}</legend>
                    {boxes}
                    {error}
                </fieldset>
            }
            .into_any()
        }
    }
}
