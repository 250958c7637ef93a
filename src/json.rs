//! A small JSON reader and writer for what the portal exchanges: help-desk answers, request
//! bodies, config.json and what it keeps in the browser's storage.
//!
//! Why not serde: its derived visitors and serde_json's deserializers were a third of the wasm's
//! weight outside the views (about 25 KB brotli of the 200 KB first-load budget, issue 6). Here
//! one parser builds a [`Value`] tree, and each type reads the few keys it keeps with plain
//! lookups (the `read` functions beside the types), leniently as help desks need (IDs as numbers
//! or strings, `null` for missing).
//!
//! The parser follows RFC 8259 strictly (what serde_json refused, it refuses): no trailing
//! commas or characters, no lone surrogates, no raw control characters in strings, at most
//! [`MAX_DEPTH`] levels of nesting (a hostile answer cannot overflow the stack). Numbers keep
//! their text, so an ID of any size survives and is read as the type that needs it.

use std::fmt::{self, Write};

mod parse;

pub use parse::{parse, ParseError};

/// Nesting deeper than this is refused, as serde_json did.
pub const MAX_DEPTH: usize = 128;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number as its text (valid JSON number syntax).
#[derive(Clone, Debug, PartialEq)]
pub struct Number(String);

impl Number {
    /// A whole number that fits (`7`, not `7.0`, `-1` or `1e3`).
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    #[cfg(test)]
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    pub fn as_f64(&self) -> Option<f64> {
        float::parse(&self.0).filter(|f| f.is_finite())
    }
}

/// Float text both ways. In the wasm through the browser's `Number` (both exact: the nearest
/// double, the shortest text that reads back the same): Rust's float parsing and printing
/// would add about 9 KB of code, plus their data tables, to the wasm. On the host (tests), Rust's own.
mod float {
    #[cfg(target_arch = "wasm32")]
    pub fn parse(text: &str) -> Option<f64> {
        // Called on valid JSON number text only, which parseFloat reads whole.
        Some(js_sys::Number::parse_float(text)).filter(|f| !f.is_nan())
    }

    #[cfg(target_arch = "wasm32")]
    pub fn text(f: f64) -> String {
        js_sys::Number::from(f)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default()
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(text: &str) -> Option<f64> {
        text.parse().ok()
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn text(f: f64) -> String {
        f.to_string()
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An object's members in their order. Parsed objects keep a repeated key as sent; lookups see
/// the last one, as in JavaScript.
#[derive(Clone, Debug, Default)]
pub struct Map(Vec<(String, Value)>);

impl Map {
    pub fn new() -> Self {
        Map(Vec::new())
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.0.iter().rposition(|(k, _)| k == key)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|i| &self.0[i].1)
    }

    #[cfg_attr(not(feature = "zammad"), allow(dead_code))] // only the Zammad adapter edits parsed values
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position(key).map(|i| &mut self.0[i].1)
    }

    /// Sets `key`, replacing its value if it has one.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        let key = key.into();
        let value = value.into();
        match self.position(&key) {
            Some(i) => self.0[i].1 = value,
            None => self.0.push((key, value)),
        }
    }

    #[cfg_attr(not(feature = "zammad"), allow(dead_code))] // only the Zammad adapter edits parsed values
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).map(|i| self.0.remove(i).1)
    }

    /// The key occurs more than once (only in parsed objects).
    pub fn repeats(&self, key: &str) -> bool {
        self.0.iter().filter(|(k, _)| k == key).count() > 1
    }

    #[cfg(test)]
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[cfg(test)]
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// Equal when the same keys have equal values (as looked up), in any order.
impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.iter().all(|(k, _)| self.get(k) == other.get(k))
            && other.iter().all(|(k, _)| self.get(k).is_some())
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

static NULL: Value = Value::Null;

impl Value {
    /// The member `key` of an object; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// The member `key` of an object, to change it; `None` for anything else.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))] // only the Zammad adapter edits parsed values
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(key),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Moves the value out, leaving `null`.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))] // only the Zammad adapter edits parsed values
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }

    /// The kind of value, for messages ("expected an object, got an array").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    // Lenient readings: help desks send IDs as numbers or strings depending on version and caller
    // (Znuny even mixes them within one answer), and `null` where a value is expected. None of
    // these fail on a wrong type; they fall back.

    /// `7`, `"7"` and `7.0` (a fraction is cut off); `None` for anything else.
    pub fn flex_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A string, or a number as its text; `None` for anything else.
    pub fn opt_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.0.clone()),
            _ => None,
        }
    }

    /// A string, or a number as its text; empty for anything else.
    pub fn flex_string(&self) -> String {
        self.opt_string().unwrap_or_default()
    }
}

/// `value["key"]`: the member, or `null` when there is none (as in serde_json).
impl std::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value["key"] = …` on an object; anything else becomes an empty object first (only bodies
/// built in this crate are indexed this way).
impl std::ops::IndexMut<&str> for Value {
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if !matches!(self, Value::Object(_)) {
            *self = Value::Object(Map::new());
        }
        let Value::Object(map) = self else {
            unreachable!()
        };
        let i = match map.position(key) {
            Some(i) => i,
            None => {
                map.0.push((key.to_string(), Value::Null));
                map.0.len() - 1
            }
        };
        &mut map.0[i].1
    }
}

/// What a member of an object must be, read from a parsed [`Value`].
pub trait FromJson: Sized {
    /// `Err` says what was wrong, for the "unreadable answer" message.
    fn from_json(value: &Value) -> Result<Self, String>;
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        match value {
            Value::Array(items) => items.iter().map(T::from_json).collect(),
            other => Err(format!("expected an array, got {}", other.kind())),
        }
    }
}

/// The member `key` holding a list of `T`: empty when missing or `null`; anything else that is
/// not an array of `T` is an error that names the key.
pub fn list<T: FromJson>(map: &Map, key: &str) -> Result<Vec<T>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(v) => Vec::<T>::from_json(v).map_err(|e| format!("`{key}`: {e}")),
    }
}

/// An object, or the message that it is not one.
pub fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map, String> {
    value
        .as_object()
        .ok_or_else(|| format!("expected {what} as an object, got {}", value.kind()))
}

/// A member that must be there, read leniently as a whole number.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Znuny ids are kept as text
pub fn required_u64(map: &Map, key: &str) -> Result<u64, String> {
    match map.get(key) {
        None => Err(format!("missing field `{key}`")),
        Some(v) => v
            .flex_u64()
            .ok_or_else(|| format!("field `{key}`: expected a whole number, got {}", v.kind())),
    }
}

/// The member `key` read leniently as text, empty when missing.
pub fn text(map: &Map, key: &str) -> String {
    map.get(key).map(Value::flex_string).unwrap_or_default()
}

/// The member `key` read leniently as text, if it is a string or a number.
pub fn opt_text(map: &Map, key: &str) -> Option<String> {
    map.get(key).and_then(Value::opt_string)
}

/// The member `key` read leniently as a whole number.
pub fn opt_u64(map: &Map, key: &str) -> Option<u64> {
    map.get(key).and_then(Value::flex_u64)
}

/// The member `key` if it is a boolean.
pub fn opt_bool(map: &Map, key: &str) -> Option<bool> {
    map.get(key).and_then(Value::as_bool)
}

// Building values: `Value::from(x)` and the `json!` macro.

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Object(m)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value> + Clone> From<&[T]> for Value {
    fn from(items: &[T]) -> Self {
        Value::Array(items.iter().cloned().map(Into::into).collect())
    }
}
impl<T: Into<Value> + Clone> From<&Vec<T>> for Value {
    fn from(items: &Vec<T>) -> Self {
        items.as_slice().into()
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(Number(n.to_string()))
            }
        }
    )*};
}
from_integer!(u8, u16, u32, u64, usize, i32, i64);

/// Not a number (NaN, infinity) is written as `null`, as JSON has no such numbers.
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        if f.is_finite() {
            Value::Number(Number(float::text(f)))
        } else {
            Value::Null
        }
    }
}

/// JSON literals in code: `json!({"state": name, "article": {"body": text}, "ids": [1, 2]})`.
/// Keys are string literals; a value is `null`, a nested `{…}` or `[…]`, or any expression with
/// an `Into<Value>` (a longer one in parentheses where it has a comma outside brackets).
macro_rules! json {
    (null) => { $crate::json::Value::Null };
    ([ $($item:tt)* ]) => {{
        #[allow(clippy::vec_init_then_push)]
        let items = {
            #[allow(unused_mut)]
            let mut items: Vec<$crate::json::Value> = Vec::new();
            $crate::json::json!(@array items $($item)*);
            items
        };
        $crate::json::Value::Array(items)
    }};
    ({ $($member:tt)* }) => {{
        #[allow(unused_mut)]
        let mut map = $crate::json::Map::new();
        $crate::json::json!(@object map $($member)*);
        $crate::json::Value::Object(map)
    }};
    ($other:expr) => { $crate::json::Value::from($other) };

    // `Vec::push(…)`, not `.push(…)`: clippy's vec_init_then_push would ask for `vec![…]`.
    (@array $items:ident) => {};
    (@array $items:ident null $(, $($rest:tt)*)?) => {
        Vec::push(&mut $items, $crate::json::Value::Null);
        $crate::json::json!(@array $items $($($rest)*)?);
    };
    (@array $items:ident [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        Vec::push(&mut $items, $crate::json::json!([ $($inner)* ]));
        $crate::json::json!(@array $items $($($rest)*)?);
    };
    (@array $items:ident { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        Vec::push(&mut $items, $crate::json::json!({ $($inner)* }));
        $crate::json::json!(@array $items $($($rest)*)?);
    };
    (@array $items:ident $value:expr $(, $($rest:tt)*)?) => {
        Vec::push(&mut $items, $crate::json::Value::from($value));
        $crate::json::json!(@array $items $($($rest)*)?);
    };

    (@object $map:ident) => {};
    (@object $map:ident $key:literal : null $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json::Value::Null);
        $crate::json::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json::json!([ $($inner)* ]));
        $crate::json::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json::json!({ $($inner)* }));
        $crate::json::json!(@object $map $($($rest)*)?);
    };
    (@object $map:ident $key:literal : $value:expr $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json::Value::from($value));
        $crate::json::json!(@object $map $($($rest)*)?);
    };
}
pub(crate) use json;

/// Compact JSON text, as sent in request bodies and kept in storage.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Number(n) => f.write_str(&n.0),
            Value::String(s) => write_string(f, s),
            Value::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    item.fmt(f)?;
                }
                f.write_char(']')
            }
            Value::Object(map) => {
                f.write_char('{')?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_string(f, k)?;
                    f.write_char(':')?;
                    v.fmt(f)?;
                }
                f.write_char('}')
            }
        }
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped, nothing else.
fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        f.write_str(&s[start..i])?;
        if escape.is_empty() {
            write!(f, "\\u{:04x}", c as u32)?;
        } else {
            f.write_str(escape)?;
        }
        start = i + c.len_utf8();
    }
    f.write_str(&s[start..])?;
    f.write_char('"')
}

#[cfg(test)]
mod tests;
