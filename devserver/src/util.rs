//! Small helpers without dependencies: time formatting, a PRNG, percent decoding and a
//! Rails-style parameter parser.

use serde_json::{Map, Value};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

/// Prints one line to stdout, ignoring errors (a closed pipe must not panic a handler).
pub fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

pub const MS_PER_DAY: i64 = 86_400_000;
pub const MS_PER_HOUR: i64 = 3_600_000;
pub const MS_PER_MIN: i64 = 60_000;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Days since 1970-01-01 for a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date (year, month, day) for days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `2025-06-02T09:15:27.412Z`
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let h = rem / MS_PER_HOUR;
    let min = (rem % MS_PER_HOUR) / MS_PER_MIN;
    let s = (rem % MS_PER_MIN) / 1000;
    let milli = rem % 1000;
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

pub fn iso_opt(ms: Option<i64>) -> Value {
    ms.map(|v| Value::String(iso(v))).unwrap_or(Value::Null)
}

/// `2025-06-02`
pub fn date_string(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses the date part of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM...` into days since the epoch.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let date = s.get(..10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    if s.len() > 10 && !s[10..].starts_with(['T', ' ', 't']) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Milliseconds since the epoch of a UTC time as `iso` writes it (and JavaScript's
/// `toISOString`): `YYYY-MM-DDTHH:MM:SS[.fff]Z`; `None` for anything else.
pub fn parse_iso(s: &str) -> Option<i64> {
    let s = s.trim();
    let days = parse_date(s)?;
    let rest = s.get(11..)?.strip_suffix(['Z', 'z'])?;
    let (hms, frac) = rest.split_once('.').unwrap_or((rest, "0"));
    let mut parts = hms.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let sec: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some()
        || h > 23
        || m > 59
        || sec > 60
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let millis: i64 = format!("{:0<3}", frac.get(..frac.len().min(3))?)
        .parse()
        .ok()?;
    Some(days * MS_PER_DAY + h * MS_PER_HOUR + m * MS_PER_MIN + sec * 1000 + millis)
}

/// HTTP date for `Expires` cookie attributes: `Thu, 01 Jan 1970 00:00:00 GMT`.
pub fn http_date(ms: i64) -> String {
    const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY) / 1000;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        WD[days.rem_euclid(7) as usize],
        d,
        MON[(m - 1) as usize],
        y,
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// splitmix64, seeded from the std hasher's random keys and the clock. Good enough for a fake
/// server's tokens and cookies; not a cryptographic generator.
pub struct Rng(u64);

impl Rng {
    pub fn new() -> Self {
        let mut h = RandomState::new().build_hasher();
        h.write_i64(now_ms());
        h.write_u32(std::process::id());
        Rng(h.finish())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn string(&mut self, len: usize, alphabet: &[u8]) -> String {
        (0..len)
            .map(|_| alphabet[(self.next_u64() % alphabet.len() as u64) as usize] as char)
            .collect()
    }

    /// URL-safe characters `A-Za-z0-9-_`.
    pub fn url_safe(&mut self, len: usize) -> String {
        self.string(len, URL_SAFE)
    }

    pub fn alnum(&mut self, len: usize) -> String {
        self.string(len, &URL_SAFE[..62])
    }

    pub fn hex(&mut self, len: usize) -> String {
        self.string(len, b"0123456789abcdef")
    }
}

impl Default for Rng {
    fn default() -> Self {
        Self::new()
    }
}

const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Percent-decoding of a path segment (`+` stays `+`). Returns raw bytes.
pub fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Form decoding: `+` is a space, then percent-decoding; invalid UTF-8 is replaced.
pub fn form_decode(s: &str) -> String {
    let replaced = s.replace('+', " ");
    String::from_utf8_lossy(&percent_decode(&replaced)).into_owned()
}

/// Percent-encodes every byte outside `keep` (used for `filename*=UTF-8''…`).
pub fn percent_encode(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Parses a query string or form body the way Rails does: `a[b][c]=1` becomes nested
/// objects, `a[]=1&a[]=2` an array. All leaf values are strings.
pub fn parse_rails_params(q: &str) -> Map<String, Value> {
    let mut root = Value::Object(Map::new());
    for pair in q.split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = form_decode(k);
        if key.is_empty() {
            continue;
        }
        let keys = split_rails_key(&key);
        insert_nested(&mut root, &keys, Value::String(form_decode(v)));
    }
    match root {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn split_rails_key(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_string()];
    };
    if open == 0 || !key.ends_with(']') {
        return vec![key.to_string()];
    }
    let mut keys = vec![key[..open].to_string()];
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        match stripped.find(']') {
            Some(close) => {
                keys.push(stripped[..close].to_string());
                rest = &stripped[close + 1..];
            }
            None => return vec![key.to_string()],
        }
    }
    if !rest.is_empty() {
        return vec![key.to_string()];
    }
    keys
}

fn insert_nested(target: &mut Value, keys: &[String], v: Value) {
    let Some((k, rest)) = keys.split_first() else {
        *target = v;
        return;
    };
    if k.is_empty() {
        if !target.is_array() {
            *target = Value::Array(Vec::new());
        }
        if let Value::Array(arr) = target {
            if rest.is_empty() {
                arr.push(v);
            } else {
                arr.push(Value::Null);
                if let Some(last) = arr.last_mut() {
                    insert_nested(last, rest, v);
                }
            }
        }
    } else {
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        if let Value::Object(obj) = target {
            if rest.is_empty() {
                obj.insert(k.clone(), v);
            } else {
                let entry = obj.entry(k.clone()).or_insert(Value::Null);
                insert_nested(entry, rest, v);
            }
        }
    }
}

/// Zammad's boolean flags accept `true`, `"true"` and `1`.
pub fn flag(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true" || s == "1",
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// An integer from a JSON number or a numeric string.
pub fn as_i64(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-negative id from a JSON number or a numeric string.
pub fn as_id(v: Option<&Value>) -> Option<u64> {
    as_i64(v).and_then(|i| u64::try_from(i).ok())
}

/// A string for scalars (numbers are formatted), `None` for null, arrays and objects.
pub fn as_scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Ruby's `blank?` for the values we care about.
pub fn is_blank(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Bool(b)) => !b,
        Some(Value::Number(_)) => false,
    }
}

/// Short non-cryptographic hex digest (used for `message_id_md5`, which only needs to look
/// like 32 hex characters).
pub fn hex_digest(s: &str) -> String {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    for &c in s.as_bytes() {
        a = (a ^ c as u64).wrapping_mul(0x0000_0100_0000_01B3);
        b = (b ^ c as u64)
            .wrapping_mul(0x0000_0100_0000_01B3)
            .rotate_left(7);
    }
    format!("{a:016x}{b:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_format() {
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(1_748_855_727_412), "2025-06-02T09:15:27.412Z");
        assert_eq!(days_from_civil(2025, 6, 2), 1_748_855_727_412 / MS_PER_DAY);
        assert_eq!(parse_date("2025-06-03"), Some(days_from_civil(2025, 6, 3)));
        assert_eq!(
            parse_date("2025-06-03T10:00:00Z"),
            Some(days_from_civil(2025, 6, 3))
        );
        assert_eq!(parse_date("soon"), None);
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn rails_params() {
        let p = parse_rails_params(
            "query=a+b%21&condition[ticket.state_id][operator]=is&condition[ticket.state_id][value][]=1&condition[ticket.state_id][value][]=2&expand=true",
        );
        assert_eq!(p["query"], "a b!");
        assert_eq!(p["condition"]["ticket.state_id"]["operator"], "is");
        assert_eq!(
            p["condition"]["ticket.state_id"]["value"],
            serde_json::json!(["1", "2"])
        );
        assert!(flag(p.get("expand")));
    }

    #[test]
    fn percent() {
        assert_eq!(percent_decode("a%20b%2"), b"a b%2");
        assert_eq!(percent_decode("%"), b"%");
        assert_eq!(form_decode("%C3%BC+x"), "ü x");
    }
}
