//! Lenient deserializers shared by both adapters: help desks send IDs as numbers or strings
//! depending on version and caller (Znuny even mixes them within one answer), and missing keys
//! or `null` where a value is expected. None of these fail on a wrong type; they fall back.

use serde::{Deserialize, Deserializer};

/// Accepts `7`, `"7"` and `7.0`.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Znuny ids are kept as text
pub fn flex_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    opt_flex_u64(d)?.ok_or_else(|| serde::de::Error::custom("missing number"))
}

pub fn opt_flex_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Accepts a string or a number and keeps it as text (ticket numbers are strings in Zammad).
pub fn flex_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}
