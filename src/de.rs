//! Reading JSON with serde, as the help desks write it (`de` as in `serde::de`): the
//! `deserialize_with` helpers both adapters' wire types use, the readers of a whole answer body,
//! and what the portal's own stored records share.
//!
//! The rules, the same for both adapters:
//! - Help desks send ids as numbers or strings depending on version and caller (Znuny even mixes
//!   them within one answer), and `null` where a value is expected. The lenient helpers
//!   ([`text`], [`opt_text`], [`opt_u64`], [`opt_bool`], [`Scalar`], [`Many`], [`Loose`]) never
//!   fail on a value's type: they fall back.
//! - A list ([`list`]) or a nested row ([`nested`]) of the wrong type fails the answer: a wrong
//!   shape must never look like "no tickets".
//! - A struct is read only from a JSON object ([`Obj`]): serde's derives would also take an array
//!   of the fields (`[7]` as a user with id 7).
//! - Keys a type does not name are skipped unread; a key it reads, given twice, fails.
//! - The body must be UTF-8 throughout (serde_json checks only the strings it keeps), and nesting
//!   is limited to serde_json's 128 levels, so a hostile answer cannot overflow the stack.
//!
//! Every failure becomes an `Unreadable` error with a short reason; nothing here panics.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::domain::error::{PortalError, PortalResult, Why};

/// An answer's body as `T`, which must be a JSON object.
pub fn object<T: DeserializeOwned>(body: &[u8]) -> PortalResult<T> {
    parse::<Obj<T>>(body, Why::Object).map(|o| o.0)
}

/// An answer's body as a JSON array of objects, each read as `T`.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Znuny answers are all objects
pub fn rows<T: DeserializeOwned>(body: &[u8]) -> PortalResult<Vec<T>> {
    let rows: Vec<Obj<T>> = parse(body, Why::Array)?;
    Ok(rows.into_iter().map(|o| o.0).collect())
}

/// An answer's body as `T`, whatever JSON it is (`T` decides).
pub fn any<T: DeserializeOwned>(body: &[u8]) -> PortalResult<T> {
    parse(body, Why::NotJson)
}

/// An answer's body as `T`, or `T::default()` for anything unreadable: for parts of an answer
/// the portal can do without (custom fields, form rules). Through [`parse`], so serde_json's
/// byte-slice reader is never linked beside it.
pub fn or_default<T: DeserializeOwned + Default>(body: &[u8]) -> T {
    any(body).unwrap_or_default()
}

/// JSON text → `T`. `shape` is what the reader expects at the top (`Why::Object` or
/// `Why::Array`): a body of another type says so; other mismatches quote serde's reason.
/// Never inlined: one copy of each type's reader, however many answers it reads.
#[inline(never)]
fn parse<T: DeserializeOwned>(body: &[u8], shape: Why) -> PortalResult<T> {
    let text = std::str::from_utf8(body).map_err(|_| PortalError::unreadable(Why::NotJson))?;
    serde_json::from_str(text).map_err(|e| PortalError::unreadable(why(&e, text, shape)))
}

fn why(e: &serde_json::Error, text: &str, shape: Why) -> Why {
    use serde_json::error::Category;
    let opening = match shape {
        Why::Object => Some('{'),
        Why::Array => Some('['),
        _ => None,
    };
    match e.classify() {
        Category::Eof => Why::CutOff,
        Category::Io | Category::Syntax => Why::NotJson,
        Category::Data => match opening {
            Some(c) if !text.trim_start().starts_with(c) => shape,
            // `Obj`'s words: an item of a list that is not an object.
            Some('[') if e.to_string().contains(OBJ_EXPECTED) => Why::List,
            // Shortened: the reason may quote a long value.
            _ => Why::Content(clip(&e.to_string(), 120)),
        },
    }
}

/// At most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// `T` read from a JSON object only.
#[derive(Debug)]
pub struct Obj<T>(pub T);

/// What `Obj` says it expected, in the error for anything else.
const OBJ_EXPECTED: &str = "expected a JSON object";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(&OBJ_EXPECTED["expected ".len()..])
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(ObjVisitor(PhantomData)).map(Obj)
    }
}

/// A JSON value as the lenient helpers see it: a string, a number or a boolean; anything else
/// (`null`, an array, an object) is `Other`, skipped unread.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Scalar {
    Text(String),
    /// A whole number, 0 or more.
    Whole(u64),
    /// A negative whole number.
    Negative(i64),
    Float(f64),
    Bool(bool),
    #[default]
    Other,
}

impl Scalar {
    /// A string, or a number as its text.
    pub fn text(self) -> Option<String> {
        match self {
            Scalar::Text(s) => Some(s),
            Scalar::Whole(n) => Some(n.to_string()),
            Scalar::Negative(n) => Some(n.to_string()),
            Scalar::Float(f) => Some(float_text(f)),
            Scalar::Bool(_) | Scalar::Other => None,
        }
    }

    /// `7`, `"7"` (blanks around it allowed) and `7.5` (the fraction cut off).
    pub fn whole(&self) -> Option<u64> {
        match self {
            Scalar::Whole(n) => Some(*n),
            Scalar::Float(f) if *f >= 0.0 => Some(*f as u64),
            Scalar::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    #[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Zammad's flags
    pub fn bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value as config.json's messages show it: a string quoted, a number or boolean as
    /// written, anything else by its kind.
    pub fn shown(&self) -> String {
        match self {
            Scalar::Text(s) => format!("{s:?}"),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Other => "a list or an object".into(),
            number => number.clone().text().unwrap_or_default(),
        }
    }

    /// The string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// A number's text. In the wasm through the browser's `Number` (the shortest text that reads
/// back the same): Rust's float printing would add its code and tables to the wasm for ids sent
/// as `7.5`. On the host (tests), Rust's own.
#[cfg(target_arch = "wasm32")]
fn float_text(f: f64) -> String {
    js_sys::Number::from(f)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

#[cfg(not(target_arch = "wasm32"))]
fn float_text(f: f64) -> String {
    f.to_string()
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(u64::try_from(v).map_or(Scalar::Negative(v), Scalar::Whole))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Whole(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Scalar::Other)
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// Scalars alone or in an array (help desks turn a single value into a scalar in some places
/// and keep an array in others); `null` is none. What is not a scalar is `Scalar::Other`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Many(pub Vec<Scalar>);

impl<'de> Deserialize<'de> for Many {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ManyVisitor;
        impl<'de> Visitor<'de> for ManyVisitor {
            type Value = Many;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Many, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Many(items))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Many, E> {
                Ok(Many(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Many, E> {
                Ok(Many(Vec::new()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Many, D::Error> {
                Many::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Many, E> {
                ScalarVisitor.visit_bool(v).map(one)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Many, E> {
                ScalarVisitor.visit_i64(v).map(one)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Many, E> {
                ScalarVisitor.visit_u64(v).map(one)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Many, E> {
                ScalarVisitor.visit_f64(v).map(one)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Many, E> {
                ScalarVisitor.visit_str(v).map(one)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Many, A::Error> {
                ScalarVisitor.visit_map(map).map(one)
            }
        }
        fn one(s: Scalar) -> Many {
            Many(vec![s])
        }
        d.deserialize_any(ManyVisitor)
    }
}

/// A member read when it is an object and ignored (skipped unread) when it is anything else.
#[derive(Debug, Default)]
pub enum Loose<T> {
    /// `null`, or (with `#[serde(default)]`) not there.
    #[default]
    Null,
    Object(T),
    /// Any other JSON value.
    Other,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LooseVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for LooseVisitor<T> {
            type Value = Loose<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Loose<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Loose::Object)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Loose<T>, E> {
                Ok(Loose::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Loose<T>, E> {
                Ok(Loose::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose<T>, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Loose<T>, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| Loose::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Loose<T>, E> {
                Ok(Loose::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Loose<T>, E> {
                Ok(Loose::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Loose<T>, E> {
                Ok(Loose::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Loose<T>, E> {
                Ok(Loose::Other)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Loose<T>, E> {
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(LooseVisitor(PhantomData))
    }
}

/// The members of a JSON object in the order written, for objects keyed by ids.
#[derive(Clone, Debug, PartialEq)]
pub struct Entries<T>(pub Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

impl<T: Serialize> Serialize for Entries<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A string, or a number as its text; empty for anything else (and, with `#[serde(default)]`,
/// when missing).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Scalar::deserialize(d)?.text().unwrap_or_default())
}

/// A string, or a number as its text; `None` for anything else.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Scalar::deserialize(d)?.text())
}

/// A whole number, also as a string (see [`Scalar::whole`]); `None` for anything else.
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Scalar::deserialize(d)?.whole())
}

/// A boolean; `None` for anything else.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Zammad's flags
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Scalar::deserialize(d)?.bool())
}

/// A member that must be there (no `#[serde(default)]`) as a whole number, also as a string.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Znuny ids are kept as text
pub fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Scalar::deserialize(d)?
        .whole()
        .ok_or_else(|| de::Error::custom("expected a whole number"))
}

/// A list of objects: `null` (and, with `#[serde(default)]`, a missing key) is empty; anything
/// that is not an array of objects fails.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let items = Option::<Vec<Obj<T>>>::deserialize(d)?;
    Ok(items.unwrap_or_default().into_iter().map(|o| o.0).collect())
}

/// A nested object: `null` (and, with `#[serde(default)]`, a missing key) is `None`; anything
/// but an object fails.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Zammad's session user
pub fn nested<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Obj<T>>::deserialize(d)?.map(|o| o.0))
}

/// A time in ms since the epoch, written as a whole number: the browser's clock gives whole
/// milliseconds, and a fraction would need Rust's float printing in the wasm. Read as any number
/// (earlier builds wrote `1764000000123.0`).
pub fn whole_ms<S: Serializer>(ms: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(*ms as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::ErrorKind;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Row {
        #[serde(deserialize_with = "whole")]
        id: u64,
        #[serde(default, deserialize_with = "text")]
        name: String,
        #[serde(default, deserialize_with = "list")]
        items: Vec<Row>,
    }

    #[test]
    fn a_huge_wrong_answer_gives_a_short_message() {
        let huge = format!("{{\"id\":1,\"items\":\"{}\"}}", "x".repeat(3_000_000));
        let e = object::<Row>(huge.as_bytes()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unreadable);
        assert!(e.to_string().len() < 400, "{} bytes", e.to_string().len());
        let e = object::<Row>(br#"{"id": 1"#).unwrap_err();
        assert!(e.to_string().contains("cut off"), "{e}");
        let e = object::<Row>(b"<html>").unwrap_err();
        assert!(e.to_string().contains("not valid JSON"), "{e}");
    }

    #[test]
    fn structs_only_from_objects_and_lists_only_from_arrays() {
        let why = |r: PortalResult<Row>| match r.map_err(|e| e.message) {
            Err(crate::domain::error::Msg::Unreadable(why)) => Some(why),
            _ => None,
        };
        assert_eq!(why(object(b"[7]")), Some(Why::Object));
        assert_eq!(why(object(b" \"x\"")), Some(Why::Object));
        assert!(matches!(
            why(object(br#"{"id":1,"items":[[2]]}"#)),
            Some(Why::Content(_))
        ));
        assert!(matches!(
            why(object(br#"{"id":1,"items":{"id":2}}"#)),
            Some(Why::Content(_))
        ));
        // A missing or null list is empty; a missing id is not a row.
        let r: Row = object(br#"{"id":"7","items":null,"other":[{"x":1}]}"#).unwrap();
        assert_eq!((r.id, r.items.len(), r.name.as_str()), (7, 0, ""));
        assert!(matches!(
            why(object(br#"{"name":"x"}"#)),
            Some(Why::Content(_))
        ));
        assert!(
            matches!(why(object(br#"{"id":1,"id":2}"#)), Some(Why::Content(_))),
            "a key read twice"
        );
        let rows = |body: &[u8]| rows::<Row>(body).map_err(|e| e.message);
        assert_eq!(rows(b"[]").map(|r| r.len()), Ok(0));
        assert_eq!(
            rows(br#"[{"id":1},[2]]"#),
            Err(crate::domain::error::Msg::Unreadable(Why::List))
        );
        assert_eq!(
            rows(br#"{"id":1}"#),
            Err(crate::domain::error::Msg::Unreadable(Why::Array))
        );
        assert_eq!(
            rows(b"[{\"id\":1,\"name\":\"\xff\"}]"),
            Err(crate::domain::error::Msg::Unreadable(Why::NotJson))
        );
        // Invalid UTF-8 is refused even where nothing reads it.
        assert_eq!(
            rows(b"[{\"id\":1,\"other\":\"\xed\xa0\x80\"}]"),
            Err(crate::domain::error::Msg::Unreadable(Why::NotJson))
        );
    }

    #[test]
    fn lenient_readings() {
        let scalars: Vec<Scalar> =
            serde_json::from_str(r#"["7", 7, 7.5, -1, true, null, [1], {"a": [2]}, " 8 "]"#)
                .unwrap();
        let whole: Vec<Option<u64>> = scalars.iter().map(Scalar::whole).collect();
        assert_eq!(
            whole,
            [
                Some(7),
                Some(7),
                Some(7),
                None,
                None,
                None,
                None,
                None,
                Some(8)
            ]
        );
        let text: Vec<Option<String>> = scalars.into_iter().map(Scalar::text).collect();
        assert_eq!(
            text[..4],
            [
                Some("7".into()),
                Some("7".into()),
                Some("7.5".into()),
                Some("-1".into())
            ]
        );
        assert_eq!(text[4..8], [None, None, None, None]);
        let many = |s: &str| serde_json::from_str::<Many>(s).unwrap().0;
        assert_eq!(many("7"), [Scalar::Whole(7)]);
        assert_eq!(
            many("[\"2\",3]"),
            [Scalar::Text("2".into()), Scalar::Whole(3)]
        );
        assert_eq!(many("null"), []);
        assert_eq!(many("{\"a\":1}"), [Scalar::Other]);
        let loose = |s: &str| match serde_json::from_str::<Loose<Row>>(s).unwrap() {
            Loose::Object(row) => Some(row),
            _ => None,
        };
        assert_eq!(loose(r#"{"id":3}"#).map(|r| r.id), Some(3));
        assert!(loose("[1,2]").is_none() && loose("\"x\"").is_none() && loose("null").is_none());
        let entries: Entries<u64> = serde_json::from_str(r#"{"b":1,"a":2}"#).unwrap();
        assert_eq!(entries.0, [("b".to_string(), 1), ("a".to_string(), 2)]);
        assert_eq!(serde_json::to_string(&entries).unwrap(), r#"{"b":1,"a":2}"#);
    }

    #[test]
    fn nesting_past_the_limit_is_refused_or_skipped_never_a_crash() {
        // Read: refused at serde_json's limit of 128 levels.
        let n = 100_000;
        let rows = "{\"id\":1,\"items\":[".repeat(n) + &"]}".repeat(n);
        assert_eq!(
            object::<Row>(rows.as_bytes()).unwrap_err().kind,
            ErrorKind::Unreadable
        );
        // Not read: skipped without recursion.
        let skipped = format!("{{\"id\":1,\"x\":{}{}}}", "[".repeat(n), "]".repeat(n));
        assert_eq!(object::<Row>(skipped.as_bytes()).map(|r| r.id), Ok(1));
    }
}
