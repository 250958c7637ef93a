//! Reads of DOM nodes built from help-desk HTML, out of DOM clobbering's reach.
//!
//! A `<form>` exposes its controls as properties named after them: inside
//! `<form><input name="nodeType"></form>`, `form.nodeType` is that input element, not a number,
//! and the same goes for `localName`, `attributes`, `firstChild`, `namespaceURI`, … web-sys'
//! bindings read a property by its name on the node and hand the wasm whatever comes back as the
//! type they assume: an element where a string was expected made the wasm trap and took the
//! whole portal down (issue 15, DOMPurify's test corpus on a real Znuny).
//!
//! So every read here calls the getter or method on the *prototype* (`Node.prototype`'s
//! `nodeType` getter, called on the node), which no markup can replace, through `js_sys` calls
//! that catch exceptions, and checks the type of what comes back before the wasm uses it:
//! anything unexpected reads as `None`, and callers drop the node. Every read of a help-desk
//! node's type, name, namespace, children, text or attributes goes through this module
//! (`sanitize`, `components::safe_html`).

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Node;

/// The prototypes' own getters and methods, looked up once.
struct Prototypes {
    node_type: Function,
    first_child: Function,
    next_sibling: Function,
    /// `CharacterData.prototype.data`: the text of a text node.
    data: Function,
    local_name: Function,
    namespace_uri: Function,
    get_attribute_names: Function,
    get_attribute: Function,
}

thread_local! {
    static PROTOTYPES: Option<Prototypes> = Prototypes::find();
}

impl Prototypes {
    fn find() -> Option<Self> {
        let node = prototype("Node")?;
        let character_data = prototype("CharacterData")?;
        let element = prototype("Element")?;
        Some(Prototypes {
            node_type: accessor(&node, "nodeType")?,
            first_child: accessor(&node, "firstChild")?,
            next_sibling: accessor(&node, "nextSibling")?,
            data: accessor(&character_data, "data")?,
            local_name: accessor(&element, "localName")?,
            namespace_uri: accessor(&element, "namespaceURI")?,
            get_attribute_names: method(&element, "getAttributeNames")?,
            get_attribute: method(&element, "getAttribute")?,
        })
    }
}

/// `globalThis[interface].prototype`.
fn prototype(interface: &str) -> Option<Object> {
    let constructor = Reflect::get(&js_sys::global(), &JsValue::from_str(interface)).ok()?;
    Reflect::get(&constructor, &JsValue::from_str("prototype"))
        .ok()?
        .dyn_into()
        .ok()
}

/// One own property of a prototype: its descriptor's `get` (accessor) or `value` (method).
fn descriptor_part(proto: &Object, name: &str, part: &str) -> Option<Function> {
    let descriptor = Reflect::get_own_property_descriptor(proto, &JsValue::from_str(name)).ok()?;
    if !descriptor.is_object() {
        return None;
    }
    Reflect::get(&descriptor, &JsValue::from_str(part))
        .ok()?
        .dyn_into()
        .ok()
}

fn accessor(proto: &Object, name: &str) -> Option<Function> {
    descriptor_part(proto, name, "get")
}

fn method(proto: &Object, name: &str) -> Option<Function> {
    descriptor_part(proto, name, "value")
}

/// Calls one of the prototypes' functions on `this`; `None` when it throws (e.g. "Illegal
/// invocation" on a value that is not what the prototype belongs to) or the lookup failed.
fn call(
    pick: fn(&Prototypes) -> &Function,
    this: &JsValue,
    arg: Option<&JsValue>,
) -> Option<JsValue> {
    PROTOTYPES.with(|p| {
        let f = pick(p.as_ref()?);
        match arg {
            None => f.call0(this).ok(),
            Some(a) => f.call1(this, a).ok(),
        }
    })
}

/// `node.nodeType`, when it is a whole number in range.
pub fn node_type(node: &JsValue) -> Option<u16> {
    whole_u16(call(|p| &p.node_type, node, None)?.as_f64()?)
}

/// A number read from the DOM as a `u16`, if it is one (not NaN, fractional or out of range).
fn whole_u16(n: f64) -> Option<u16> {
    (n.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&n)).then_some(n as u16)
}

fn as_node(value: JsValue) -> Option<Node> {
    value.dyn_into::<Node>().ok()
}

pub fn first_child(node: &JsValue) -> Option<Node> {
    as_node(call(|p| &p.first_child, node, None)?)
}

pub fn next_sibling(node: &JsValue) -> Option<Node> {
    as_node(call(|p| &p.next_sibling, node, None)?)
}

/// The text of a text (or other character data) node.
pub fn text(node: &JsValue) -> Option<String> {
    call(|p| &p.data, node, None)?.as_string()
}

/// An element's `localName` (as the parser wrote it: lower case for HTML elements).
pub fn local_name(element: &JsValue) -> Option<String> {
    call(|p| &p.local_name, element, None)?.as_string()
}

/// An element's namespace; `None` for none as for an unreadable one.
pub fn namespace(element: &JsValue) -> Option<String> {
    call(|p| &p.namespace_uri, element, None)?.as_string()
}

/// The names of an element's attributes (qualified names, as `getAttributeNames` gives them).
pub fn attribute_names(element: &JsValue) -> Option<Vec<String>> {
    let names = call(|p| &p.get_attribute_names, element, None)?;
    if !Array::is_array(&names) {
        return None;
    }
    Some(
        Array::from(&names)
            .iter()
            .filter_map(|n| n.as_string())
            .collect(),
    )
}

/// One attribute's value, `None` when it is absent.
pub fn attribute(element: &JsValue, name: &str) -> Option<String> {
    call(
        |p| &p.get_attribute,
        element,
        Some(&JsValue::from_str(name)),
    )?
    .as_string()
}

#[cfg(test)]
mod tests {
    use super::whole_u16;

    #[test]
    fn node_types_read_as_whole_numbers_only() {
        assert_eq!(whole_u16(1.0), Some(1));
        assert_eq!(whole_u16(3.0), Some(3));
        for no in [f64::NAN, 1.5, -1.0, 65_536.0, f64::INFINITY] {
            assert_eq!(whole_u16(no), None, "{no}");
        }
    }
}
