//! Znuny has no fixed REST API: each site maps Generic Interface operations to routes. The portal
//! ships the two example web services' tables as presets; config.json picks one and may override
//! single operations (see docs/znuny-api.md, section 2).

use std::collections::HashMap;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::de::{Entries, Scalar};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    SessionCreate,
    SessionGet,
    SessionDelete,
    TicketCreate,
    TicketGet,
    TicketSearch,
    TicketUpdate,
    /// The FAQ add-on's public operations (answers on the new-ticket form): in no preset, on
    /// where config.json maps both.
    PublicFAQSearch,
    PublicFAQGet,
}

impl Operation {
    /// The operation named exactly so in config.json.
    fn named(name: &str) -> Option<Operation> {
        use Operation::*;
        Some(match name {
            "SessionCreate" => SessionCreate,
            "SessionGet" => SessionGet,
            "SessionDelete" => SessionDelete,
            "TicketCreate" => TicketCreate,
            "TicketGet" => TicketGet,
            "TicketSearch" => TicketSearch,
            "TicketUpdate" => TicketUpdate,
            "PublicFAQSearch" => PublicFAQSearch,
            "PublicFAQGet" => PublicFAQGet,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub method: String,
    /// Path below the web service, with `:SessionID` / `:TicketID` placeholders.
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTable(HashMap<Operation, Route>);

fn table(entries: &[(Operation, &str, &str)]) -> RouteTable {
    RouteTable(
        entries
            .iter()
            .map(|(op, method, path)| {
                (
                    *op,
                    Route {
                        method: (*method).to_string(),
                        path: (*path).to_string(),
                    },
                )
            })
            .collect(),
    )
}

/// Znuny 7.1's "Ready2Adopt" GenericTicketConnectorREST.
pub fn znuny7() -> RouteTable {
    use Operation::*;
    table(&[
        (SessionCreate, "POST", "/Session"),
        (SessionGet, "GET", "/Session/:SessionID"),
        (SessionDelete, "DELETE", "/Session/:SessionID"),
        (TicketCreate, "POST", "/Ticket"),
        (TicketGet, "GET", "/Ticket/:TicketID"),
        (TicketSearch, "POST", "/Ticket/Search"),
        (TicketUpdate, "PATCH", "/Ticket/:TicketID"),
    ])
}

/// The older 6.x / OTRS 6 example: search is a GET on /Ticket and there is no logout route.
pub fn znuny6() -> RouteTable {
    use Operation::*;
    table(&[
        (SessionCreate, "POST", "/Session"),
        (SessionGet, "GET", "/Session/:SessionID"),
        (TicketCreate, "POST", "/Ticket"),
        (TicketGet, "GET", "/Ticket/:TicketID"),
        (TicketSearch, "GET", "/Ticket"),
        (TicketUpdate, "PATCH", "/Ticket/:TicketID"),
    ])
}

/// `"routes"` in config.json: a preset name, or `{"preset": …, "<Operation>": ["METHOD", "/path"] | null}`.
#[derive(Clone, Debug)]
pub enum RoutesSetting {
    Preset(String),
    /// The members in the order written; what they hold is checked by
    /// `RouteTable::from_setting`.
    Custom(Entries<RouteEntry>),
}

/// A member of a custom route table, as written.
#[derive(Clone, Debug)]
pub enum RouteEntry {
    Null,
    Text(String),
    List(Vec<Scalar>),
    Other,
}

impl<'de> Deserialize<'de> for RouteEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = RouteEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<RouteEntry, E> {
                Ok(RouteEntry::Null)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RouteEntry, E> {
                Ok(RouteEntry::Text(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RouteEntry, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(RouteEntry::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RouteEntry, A::Error> {
                IgnoredAny.visit_map(map).map(|_| RouteEntry::Other)
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<RouteEntry, E> {
                Ok(RouteEntry::Other)
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<RouteEntry, E> {
                Ok(RouteEntry::Other)
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<RouteEntry, E> {
                Ok(RouteEntry::Other)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<RouteEntry, E> {
                Ok(RouteEntry::Other)
            }
        }
        d.deserialize_any(EntryVisitor)
    }
}

/// A string or an object; anything else (`null` included) is refused.
impl<'de> Deserialize<'de> for RoutesSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RoutesVisitor;
        impl<'de> Visitor<'de> for RoutesVisitor {
            type Value = RoutesSetting;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a preset name or an object")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RoutesSetting, E> {
                Ok(RoutesSetting::Preset(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RoutesSetting, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(RoutesSetting::Custom(Entries(entries)))
            }
        }
        d.deserialize_any(RoutesVisitor)
    }
}

impl Default for RoutesSetting {
    fn default() -> Self {
        RoutesSetting::Preset("znuny7".into())
    }
}

fn preset(name: &str) -> Result<RouteTable, String> {
    match name {
        "znuny7" | "7" | "znuny7.1" => Ok(znuny7()),
        "znuny6" | "6" | "otrs6" => Ok(znuny6()),
        other => Err(format!(
            "unknown route preset \"{other}\" (use \"znuny7\" or \"znuny6\")"
        )),
    }
}

impl RouteTable {
    pub fn from_setting(setting: &RoutesSetting) -> Result<Self, String> {
        match setting {
            RoutesSetting::Preset(name) => preset(name),
            RoutesSetting::Custom(entries) => {
                // A repeated key counts once, with its last value.
                let get = |key: &str| {
                    entries
                        .0
                        .iter()
                        .rev()
                        .find(|(k, _)| k == key)
                        .map(|(_, v)| v)
                };
                let base = match get("preset") {
                    Some(RouteEntry::Text(name)) => preset(name)?,
                    _ => znuny7(),
                };
                let mut routes = base.0;
                for (key, _) in &entries.0 {
                    if key == "preset" {
                        continue;
                    }
                    let op = Operation::named(key)
                        .ok_or_else(|| format!("unknown operation \"{key}\" in routes"))?;
                    match get(key).unwrap_or(&RouteEntry::Null) {
                        RouteEntry::Null => {
                            routes.remove(&op);
                        }
                        RouteEntry::List(pair) if pair.len() == 2 => {
                            let method = pair[0].as_str().unwrap_or_default().to_ascii_uppercase();
                            let path = pair[1].as_str().unwrap_or_default().to_string();
                            if method.is_empty() || !path.starts_with('/') {
                                return Err(format!(
                                    "route for {key} must be [\"METHOD\", \"/path\"]"
                                ));
                            }
                            routes.insert(op, Route { method, path });
                        }
                        _ => {
                            return Err(format!(
                                "route for {key} must be [\"METHOD\", \"/path\"] or null"
                            ))
                        }
                    }
                }
                for required in [
                    Operation::SessionCreate,
                    Operation::SessionGet,
                    Operation::TicketCreate,
                    Operation::TicketGet,
                    Operation::TicketSearch,
                    Operation::TicketUpdate,
                ] {
                    if !routes.contains_key(&required) {
                        return Err(format!("the routes lack {required:?}"));
                    }
                }
                Ok(RouteTable(routes))
            }
        }
    }

    pub fn get(&self, op: Operation) -> Option<&Route> {
        self.0.get(&op)
    }

    /// The path with its placeholders filled (values are URL-encoded by the caller's rules:
    /// ticket ids are digits and commas, session ids alphanumeric).
    pub fn path(&self, op: Operation, params: &[(&str, &str)]) -> Option<(String, String)> {
        let route = self.get(op)?;
        let mut path = route.path.clone();
        for (name, value) in params {
            path = path.replace(&format!(":{name}"), value);
        }
        Some((route.method.clone(), path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets() {
        let a = RouteTable::from_setting(&RoutesSetting::default()).unwrap();
        assert_eq!(a.get(Operation::TicketSearch).unwrap().method, "POST");
        assert_eq!(
            a.path(Operation::TicketGet, &[("TicketID", "2,3")]),
            Some(("GET".into(), "/Ticket/2,3".into()))
        );
        let b = RouteTable::from_setting(&RoutesSetting::Preset("znuny6".into())).unwrap();
        assert_eq!(b.get(Operation::TicketSearch).unwrap().path, "/Ticket");
        assert!(b.get(Operation::SessionDelete).is_none());
        assert!(RouteTable::from_setting(&RoutesSetting::Preset("nope".into())).is_err());
    }

    fn custom(text: &str) -> RoutesSetting {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn overrides() {
        let setting = custom(
            r#"{"preset":"znuny6","TicketUpdate":["post","/TicketUpdate/:TicketID"],"SessionDelete":null}"#,
        );
        let t = RouteTable::from_setting(&setting).unwrap();
        assert_eq!(
            t.path(Operation::TicketUpdate, &[("TicketID", "7")]),
            Some(("POST".into(), "/TicketUpdate/7".into()))
        );
        let faq = custom(
            r#"{"preset":"znuny7","PublicFAQSearch":["POST","/FAQ/Search"],"PublicFAQGet":["GET","/FAQ/:ItemID"]}"#,
        );
        let t = RouteTable::from_setting(&faq).unwrap();
        assert_eq!(
            t.path(Operation::PublicFAQGet, &[("ItemID", "1,2")]),
            Some(("GET".into(), "/FAQ/1,2".into()))
        );
        assert!(RouteTable::from_setting(&RoutesSetting::default())
            .unwrap()
            .get(Operation::PublicFAQSearch)
            .is_none());
        let bad = custom(r#"{"TicketGet":null}"#);
        assert!(RouteTable::from_setting(&bad).is_err());
        let bad = custom(r#"{"Nope":["GET","/x"]}"#);
        assert!(RouteTable::from_setting(&bad).is_err());
    }
}
