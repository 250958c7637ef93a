//! Property ("fuzz") testing of the adapters' answer readers, shared by `zammad/decode/tests.rs`
//! and `znuny/decode/tests.rs`: a small deterministic PRNG, generators of hostile answers, a judge
//! that says what a reader may do with each, and the tally that `cargo xtask fuzz` prints.
//!
//! Answers are made from the recorded fixtures (`fixtures/…`) mutated as values (a key
//! dropped, a value's type changed, replaced by null / number / string / array / object, huge
//! numbers, odd strings, deep nesting) and as text (cut off, garbage bytes, invalid UTF-8), and
//! from fully random JSON and random bytes. Each goes to a reader under a random or the recorded
//! HTTP status. A reader must never panic, and must give either a valid domain value or a
//! `PortalError` of a kind that fits the status; it must refuse what is not JSON of the shape it
//! reads. `FUZZ_CASES` sets the random cases per reader (2,000 by default), `FUZZ_SEED` the seed.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use serde_json::{Map, Value};

use crate::domain::error::{ErrorKind, PortalResult};

/// SplitMix64: tiny, fast, and the same sequence on every machine for a given seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn bool(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }
}

/// Random cases per reader.
pub fn cases() -> usize {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(2_000)
}

pub fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0x5EED_2026)
}

/// One recorded exchange: its status and the response body exactly as the help desk sent it.
pub struct Fixture {
    pub name: String,
    pub status: u16,
    pub body: Vec<u8>,
    /// The body as JSON, when it is JSON (Znuny's 500s are HTML).
    pub value: Option<Value>,
}

/// The fixtures of `fixtures/<dir>/`, sorted by name.
pub fn fixtures(dir: &str) -> Vec<Fixture> {
    let dir = format!("{}/fixtures/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let status = v["status"].as_u64().unwrap_or(200) as u16;
        let (body, value) = match &v["response_body"] {
            Value::String(s) => (s.clone().into_bytes(), None),
            other => (other.to_string().into_bytes(), Some(other.clone())),
        };
        out.push(Fixture {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            status,
            body,
            value,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!out.is_empty(), "no fixtures in {dir}");
    out
}

/// A file that is not an exchange but is read the same way (config.json examples).
pub fn file_fixture(path: &str) -> Fixture {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    Fixture {
        name: path.to_string(),
        status: 200,
        value: serde_json::from_str(&text).ok(),
        body: text.into_bytes(),
    }
}

/// One answer to feed a reader.
#[derive(Clone)]
pub struct Case {
    pub status: u16,
    pub body: Vec<u8>,
    /// How it was made, for the failure report.
    pub how: String,
}

impl Case {
    pub fn ok(body: impl Into<Vec<u8>>, how: impl Into<String>) -> Self {
        Case {
            status: 200,
            body: body.into(),
            how: how.into(),
        }
    }

    pub fn success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON, if it is JSON at all.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

const STATUSES: &[u16] = &[
    0, 100, 199, 200, 201, 202, 204, 206, 299, 300, 301, 302, 304, 400, 401, 403, 404, 405, 409,
    413, 422, 429, 500, 502, 503, 504, 599, 600, 999, 65535,
];

/// Literals JSON allows but no reader's number type holds, or that are borderline.
const HUGE: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "1e400",
    "-1e400",
    "1e308",
    "1.7976931348623157e308",
    "4.9e-324",
    "1e-400",
    "123456789012345678901234567890123456789012345678901234567890",
    "0.000000000000000000000000000000000001",
    "-0",
    "-0.0",
    "1E2",
    "2.5",
    "9007199254740993",
];

/// Strings that have broken parsers and mappers before: empty, NUL, BOM, bidi overrides,
/// combining marks, astral characters, markup, paths, look-alike numbers and dates, and values
/// the readers give meaning to.
const ODD: &[&str] = &[
    "",
    " ",
    "\0",
    "a\0b",
    "\u{FEFF}",
    "\u{202E}fdp.exe",
    "🙂",
    "𝕏𝕐",
    "e\u{301}",
    "\r\n",
    "\\",
    "\"",
    "<script>alert(1)</script>",
    "<b>x</b>",
    "../../etc/passwd",
    "%00",
    "null",
    "true",
    "7",
    "-1",
    "1e400",
    "NaN",
    "0x10",
    " 42 ",
    "٣",
    "2025-02-30T25:61:61Z",
    "0000-00-00 00:00:00",
    "2026-11-24 04:46:40",
    "9999999999-99-99",
    "1-1-999999",
    "customer",
    "Customer",
    "closed",
    "merged",
    "pending reminder",
    "text/html",
    "TEXT/HTML; charset=utf-8",
    "file-2",
    "attachment",
    "new_ticket",
    "new_ticket_after_certain_time",
    "SessionCreate.AuthFail",
    "TicketGet.AccessDenied",
    "TicketSearch.SessionInvalid",
    "X.MissingParameter",
    "Authentication required",
    "Maintenance mode enabled!",
    "Error ID abc",
    "follow-up",
    "User authorization failed.",
    "Two-factor",
    "a@b",
    "\"Name\" <a@b>",
    "<",
    "SGVsbG8=",
    "SGVs=bG8",
    "====",
];

const SENTINEL_HUGE: &str = "\u{1}fuzz-huge\u{1}";
const SENTINEL_DEEP: &str = "\u{1}fuzz-deep\u{1}";
const SENTINEL_SURROGATE: &str = "\u{1}fuzz-surrogate\u{1}";

fn odd_string(rng: &mut Rng) -> String {
    match rng.below(20) {
        0 => {
            // Very long, sometimes multi-byte.
            let unit = *rng.pick(&["x", "é", "🙂", "\0", " ", "ab\n"]);
            unit.repeat(1_000 + rng.below(30_000))
        }
        1 | 2 => (0..1 + rng.below(12))
            .map(|_| random_char(rng))
            .collect::<String>(),
        3 => SENTINEL_SURROGATE.to_string(),
        _ => rng.pick(ODD).to_string(),
    }
}

fn random_char(rng: &mut Rng) -> char {
    loop {
        let cp = match rng.below(4) {
            0 => rng.below(0x80) as u32,
            1 => rng.below(0x800) as u32,
            2 => rng.below(0x1_0000) as u32,
            _ => rng.below(0x11_0000) as u32,
        };
        if let Some(c) = char::from_u32(cp) {
            return c;
        }
    }
}

fn random_number(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::from(u64::MAX),
        1 => Value::from(i64::MIN),
        2 => Value::from(f64::MAX),
        3 => Value::from(-0.0),
        4 => Value::from(rng.next_u64() as i64),
        5 => Value::from((rng.next_u64() % 1000) as f64 / 7.0),
        _ => Value::from(rng.below(100)),
    }
}

/// Any JSON value, keys mostly from `vocab` so that random objects reach the readers' fields.
pub fn random_value(rng: &mut Rng, depth: usize, vocab: &[&str]) -> Value {
    let kinds = if depth == 0 { 5 } else { 8 };
    match rng.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => random_number(rng),
        3 => Value::String(odd_string(rng)),
        4 => Value::String(
            vocab
                .get(rng.below(vocab.len() + 1))
                .copied()
                .unwrap_or("x")
                .to_string(),
        ),
        5 | 6 => {
            let mut m = Map::new();
            for _ in 0..rng.below(7) {
                let key = if rng.chance(80) && !vocab.is_empty() {
                    rng.pick(vocab).to_string()
                } else {
                    odd_string(rng)
                };
                m.insert(key, random_value(rng, depth - 1, vocab));
            }
            Value::Object(m)
        }
        _ => Value::Array(
            (0..rng.below(5))
                .map(|_| random_value(rng, depth - 1, vocab))
                .collect(),
        ),
    }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count_nodes).sum(),
        Value::Object(m) => m.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The `k`-th node in pre-order (`k` below `count_nodes(v)`).
fn node_mut(v: &mut Value, k: usize) -> &mut Value {
    fn walk(v: &mut Value, k: usize) -> Result<&mut Value, usize> {
        if k == 0 {
            return Ok(v);
        }
        let mut k = k - 1;
        match v {
            Value::Array(a) => {
                for c in a.iter_mut() {
                    match walk(c, k) {
                        Ok(n) => return Ok(n),
                        Err(rest) => k = rest,
                    }
                }
            }
            Value::Object(m) => {
                for c in m.values_mut() {
                    match walk(c, k) {
                        Ok(n) => return Ok(n),
                        Err(rest) => k = rest,
                    }
                }
            }
            _ => {}
        }
        Err(k)
    }
    walk(v, k).expect("k is below the node count")
}

/// One structural change at a random place in `v`.
pub fn mutate_value(rng: &mut Rng, v: &mut Value, vocab: &[&str]) -> &'static str {
    let k = rng.below(count_nodes(v));
    let node = node_mut(v, k);
    match node {
        Value::Object(m) if !m.is_empty() && rng.chance(45) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            match rng.below(4) {
                0 | 1 => {
                    m.remove(&key);
                    "drop a key"
                }
                2 => {
                    let retyped = retype(rng, m[&key].clone(), vocab);
                    m.insert(key, retyped);
                    "retype a field"
                }
                _ => {
                    m.insert(key, Value::Null);
                    "null a field"
                }
            }
        }
        Value::Object(m) if rng.chance(30) => {
            let key = if rng.chance(70) && !vocab.is_empty() {
                rng.pick(vocab).to_string()
            } else {
                odd_string(rng)
            };
            m.insert(key, random_value(rng, 3, vocab));
            "add a field"
        }
        Value::Array(a) if !a.is_empty() && rng.chance(40) => {
            let i = rng.below(a.len());
            match rng.below(4) {
                0 => {
                    a.remove(i);
                    "drop an element"
                }
                1 => {
                    let dup = a[i].clone();
                    a.push(dup);
                    "duplicate an element"
                }
                2 => {
                    a.push(random_value(rng, 3, vocab));
                    "add an element"
                }
                _ => {
                    a.clear();
                    "empty an array"
                }
            }
        }
        _ => {
            let old = std::mem::take(node);
            *node = retype(rng, old, vocab);
            "replace a value"
        }
    }
}

/// The same value in another type, or another value altogether.
fn retype(rng: &mut Rng, old: Value, vocab: &[&str]) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => random_number(rng),
        2 => Value::String(odd_string(rng)),
        3 => Value::Array(vec![old]),
        4 => Value::Object(Map::new()),
        5 => Value::Array(Vec::new()),
        6 => Value::String(SENTINEL_HUGE.into()),
        7 => Value::String(SENTINEL_DEEP.into()),
        8 => Value::Bool(rng.bool()),
        9 => random_value(rng, 3, vocab),
        // A string that holds a number becomes the number, a number its text, and so on.
        _ => match old {
            Value::String(s) => match s.trim().parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => Value::from(s.len()),
            },
            Value::Number(n) => Value::String(n.to_string()),
            Value::Bool(b) => Value::from(u8::from(b)),
            Value::Null => Value::String(String::new()),
            other => Value::String(other.to_string()),
        },
    }
}

/// `[[[…` or `{"a":{"a":…`, closed or not.
fn deep(rng: &mut Rng) -> String {
    let depth = match rng.below(4) {
        0 => 120 + rng.below(20), // around serde_json's limit of 128
        1 => 1_000,
        2 => 50_000,
        _ => 1 + rng.below(300),
    };
    let closed = rng.chance(70);
    let (open, close) = if rng.bool() {
        ("[", "]")
    } else {
        ("{\"id\":", "}")
    };
    let mut s = open.repeat(depth);
    s.push_str(if rng.bool() { "1" } else { "null" });
    if closed {
        s.push_str(&close.repeat(depth));
    }
    s
}

fn render(rng: &mut Rng, v: &Value) -> Vec<u8> {
    let text = if rng.chance(10) {
        serde_json::to_string_pretty(v).unwrap()
    } else {
        v.to_string()
    };
    let mut text = text;
    for (sentinel, what) in [
        (SENTINEL_HUGE, 0),
        (SENTINEL_DEEP, 1),
        (SENTINEL_SURROGATE, 2),
    ] {
        let quoted = serde_json::to_string(sentinel).unwrap();
        while let Some(i) = text.find(&quoted) {
            let with = match what {
                0 => rng.pick(HUGE).to_string(),
                1 => deep(rng),
                _ => "\"\\ud800x\"".to_string(),
            };
            text.replace_range(i..i + quoted.len(), &with);
        }
    }
    text.into_bytes()
}

/// A change to the text: cut off, garbage bytes, invalid UTF-8, a deleted or doubled span.
pub fn mutate_text(rng: &mut Rng, body: &mut Vec<u8>) -> &'static str {
    let len = body.len();
    let at = rng.below(len + 1);
    match rng.below(9) {
        0 | 1 => {
            body.truncate(at);
            "cut off"
        }
        2 => {
            let garbage: Vec<u8> = (0..1 + rng.below(8))
                .map(|_| rng.next_u64() as u8)
                .collect();
            body.splice(at..at, garbage);
            "garbage bytes"
        }
        3 if len > 0 => {
            let i = rng.below(len);
            body[i] = *rng.pick(&[0u8, 0xFF, 0xC3, b'"', b'{', b']', b',', b'\\', b'9']);
            "one byte changed"
        }
        4 if len > 0 => {
            let end = (at + 1 + rng.below(40)).min(len);
            body.drain(at.min(end)..end);
            "span deleted"
        }
        5 if len > 0 => {
            let end = (at + 1 + rng.below(80)).min(len);
            let span: Vec<u8> = body[at.min(end)..end].to_vec();
            body.splice(end..end, span);
            "span doubled"
        }
        6 => {
            body.splice(0..0, [0xEF, 0xBB, 0xBF]);
            "byte order mark"
        }
        7 => {
            let tail: &[u8] = rng.pick::<&[u8]>(&[b" x", b"}", b"]", b",", b"\0", b"{}"]);
            body.extend_from_slice(tail);
            "trailing garbage"
        }
        _ => {
            body.splice(at..at, [0xED, 0xA0, 0x80]); // an encoded surrogate: invalid UTF-8
            "invalid UTF-8"
        }
    }
}

fn token_soup(rng: &mut Rng, vocab: &[&str]) -> Vec<u8> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "null",
        "true",
        "false",
        "0",
        "-",
        "1e",
        "7",
        "\\u",
        "\\",
        " ",
        "\n",
        "\"Error\"",
        "\"x\"",
        "1.",
        "\"\\ud800\"",
    ];
    let mut s = String::new();
    for _ in 0..1 + rng.below(40) {
        if rng.chance(25) && !vocab.is_empty() {
            s.push('"');
            s.push_str(rng.pick::<&str>(vocab));
            s.push('"');
        } else {
            s.push_str(rng.pick::<&str>(TOKENS));
        }
    }
    s.into_bytes()
}

/// Makes hostile answers for one reader: mostly from its own recorded answers (`primary`, by
/// file-name prefix), sometimes from any other fixture of the adapter.
pub struct Gen<'a> {
    pub fixtures: &'a [Fixture],
    pub primary: Vec<usize>,
    pub vocab: &'a [&'a str],
    /// The status means nothing to this reader (config.json): always 200.
    pub fixed_status: bool,
}

impl<'a> Gen<'a> {
    pub fn new(fixtures: &'a [Fixture], primary: &[&str], vocab: &'a [&'a str]) -> Self {
        let primary: Vec<usize> = fixtures
            .iter()
            .enumerate()
            .filter(|(_, f)| primary.iter().any(|p| f.name.starts_with(p)))
            .map(|(i, _)| i)
            .collect();
        assert!(
            !primary.is_empty() || fixtures.is_empty(),
            "no primary fixtures"
        );
        Gen {
            fixtures,
            primary,
            vocab,
            fixed_status: false,
        }
    }

    fn fixture(&self, rng: &mut Rng) -> &'a Fixture {
        if rng.chance(75) && !self.primary.is_empty() {
            &self.fixtures[*rng.pick(&self.primary)]
        } else {
            rng.pick(self.fixtures)
        }
    }

    fn json_fixture(&self, rng: &mut Rng) -> (&'a Fixture, Value) {
        for _ in 0..20 {
            let f = self.fixture(rng);
            if let Some(v) = &f.value {
                return (f, v.clone());
            }
        }
        let f = &self.fixtures[self.primary[0]];
        (f, f.value.clone().unwrap_or(Value::Null))
    }

    pub fn case(&self, rng: &mut Rng) -> Case {
        let (status, body, how): (u16, Vec<u8>, String) = match rng.below(100) {
            0..=34 => {
                let (f, mut v) = self.json_fixture(rng);
                let mut hows = Vec::new();
                for _ in 0..1 + rng.below(4) {
                    hows.push(mutate_value(rng, &mut v, self.vocab));
                }
                let mut body = render(rng, &v);
                if rng.chance(20) {
                    hows.push(mutate_text(rng, &mut body));
                }
                (f.status, body, format!("{}: {}", f.name, hows.join(", ")))
            }
            35..=49 => {
                let f = self.fixture(rng);
                let mut body = f.body.clone();
                let how = mutate_text(rng, &mut body);
                (f.status, body, format!("{}: {how}", f.name))
            }
            50..=64 => {
                let v = match rng.below(4) {
                    0 => random_value(rng, 5, self.vocab),
                    1 => Value::Array(
                        (0..rng.below(4))
                            .map(|_| random_value(rng, 4, self.vocab))
                            .collect(),
                    ),
                    _ => {
                        let mut m = Map::new();
                        for _ in 0..rng.below(8) {
                            m.insert(
                                rng.pick(self.vocab).to_string(),
                                random_value(rng, 4, self.vocab),
                            );
                        }
                        Value::Object(m)
                    }
                };
                (200, render(rng, &v), "random JSON".into())
            }
            65..=72 => {
                let (f, v) = self.json_fixture(rng);
                let wrong = match rng.below(9) {
                    0 => Value::Null,
                    1 => Value::Bool(rng.bool()),
                    2 => random_number(rng),
                    3 => Value::String(odd_string(rng)),
                    4 => Value::String(v.to_string()),
                    5 => Value::Array(vec![v]),
                    6 => Value::Array(vec![Value::from(7)]),
                    7 => Value::Array(Vec::new()),
                    _ => Value::Object(Map::new()),
                };
                (
                    f.status,
                    render(rng, &wrong),
                    format!("{}: wrong top-level type", f.name),
                )
            }
            73..=80 => {
                if rng.bool() {
                    let bytes = (0..rng.below(512)).map(|_| rng.next_u64() as u8).collect();
                    (200, bytes, "random bytes".into())
                } else {
                    (200, token_soup(rng, self.vocab), "token soup".into())
                }
            }
            81..=86 => {
                let (f, mut v) = self.json_fixture(rng);
                let k = rng.below(count_nodes(&v));
                *node_mut(&mut v, k) = Value::String(SENTINEL_DEEP.into());
                (
                    f.status,
                    render(rng, &v),
                    format!("{}: deep nesting", f.name),
                )
            }
            _ => {
                let f = self.fixture(rng);
                (f.status, f.body.clone(), format!("{}: as recorded", f.name))
            }
        };
        let status = if self.fixed_status {
            200
        } else if rng.chance(35) {
            *rng.pick(STATUSES)
        } else {
            status
        };
        Case { status, body, how }
    }
}

/// What a reader makes of a well-formed answer.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))] // Znuny answers are all objects
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    Object,
    Array,
    ObjectOrArray,
    /// Only the status matters; the body of a success is not read.
    Unread,
}

/// The rules a reader's results are judged by.
pub struct Expect {
    pub shape: Shape,
    /// The kinds an error may have when the status is 2xx.
    pub kinds_2xx: &'static [ErrorKind],
    /// The kinds an error may have for any other status.
    pub kinds_other: fn(u16) -> &'static [ErrorKind],
    /// Statuses outside 2xx whose answer may be accepted (Zammad's two-factor challenge).
    pub accepting: &'static [u16],
    /// A 2xx JSON object with this key set (not null) carries an error (Znuny's `Error`).
    pub error_key: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    Rejected(ErrorKind),
}

/// The type of a JSON text, from its first character.
fn top_level(body: &[u8]) -> &'static str {
    match body
        .iter()
        .find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(_) => "a number",
        None => "nothing",
    }
}

/// Whether a reader did something allowed with `case`; `Err` says what it did wrong.
pub fn judge<T>(case: &Case, expect: &Expect, result: &PortalResult<T>) -> Result<Verdict, String> {
    match result {
        Err(e) => {
            // Worded in every language, or a language would show an empty alert.
            if crate::i18n::every_language()
                .iter()
                .any(|t| e.message.text(t).trim().is_empty())
            {
                return Err(format!("{:?} error without a message", e.kind));
            }
            let allowed = if case.success() {
                expect.kinds_2xx
            } else {
                (expect.kinds_other)(case.status)
            };
            if !allowed.contains(&e.kind) {
                return Err(format!(
                    "a {:?} error for HTTP {} (allowed: {allowed:?}): {}",
                    e.kind, case.status, e
                ));
            }
            Ok(Verdict::Rejected(e.kind))
        }
        Ok(_) => {
            if !case.success() && !expect.accepting.contains(&case.status) {
                return Err(format!("accepted an HTTP {} answer", case.status));
            }
            if case.success() {
                if let (Some(key), Some(Value::Object(m))) = (expect.error_key, case.json()) {
                    if m.get(key).is_some_and(|e| !e.is_null()) {
                        return Err(format!("accepted an answer with an `{key}`"));
                    }
                }
                if expect.shape != Shape::Unread {
                    // JSON by the grammar, in UTF-8: deeper than serde_json builds values
                    // (128) and lone surrogate escapes are still JSON, which a reader may skip.
                    if std::str::from_utf8(&case.body).is_err()
                        || serde_json::from_slice::<serde::de::IgnoredAny>(&case.body).is_err()
                    {
                        return Err("accepted a body that is not JSON".into());
                    }
                    let top = top_level(&case.body);
                    let fits = match expect.shape {
                        Shape::Object => top == "an object",
                        Shape::Array => top == "an array",
                        Shape::ObjectOrArray => top == "an object" || top == "an array",
                        Shape::Unread => true,
                    };
                    if !fits {
                        return Err(format!(
                            "accepted {top} where {:?} was expected",
                            expect.shape
                        ));
                    }
                }
            }
            Ok(Verdict::Accepted)
        }
    }
}

/// Runs the production reader on a case and judges the result.
pub type Check<'a> = Box<dyn Fn(&Case, &mut Rng) -> Result<Verdict, String> + 'a>;

/// A reader under test: its name, the fixtures its answers come from, and the check that runs
/// the production reader on a case and judges the result (plus any reader-specific property).
pub struct Reader<'a> {
    pub name: &'static str,
    pub gen: Gen<'a>,
    pub check: Check<'a>,
}

/// Boxes a reader's check (and gives the closure its signature).
pub fn check<'a>(f: impl Fn(&Case, &mut Rng) -> Result<Verdict, String> + 'a) -> Check<'a> {
    Box::new(f)
}

/// What reading config.json may end in: the config, or a setup problem.
const CONFIG_RULES: Expect = Expect {
    shape: Shape::Object,
    kinds_2xx: &[ErrorKind::Setup],
    kinds_other: |_| &[ErrorKind::Setup],
    accepting: &[],
    error_key: None,
};

/// config.json as `app::load_config` reads it (text, then `Config::parse`, errors shown as a
/// setup problem); an accepted config must be within bounds and is handed to `adapter`, which
/// reads its own section as the adapter's constructor does.
pub fn config_check(
    case: &Case,
    adapter: impl Fn(&crate::config::Config) -> Result<(), String>,
) -> Result<Verdict, String> {
    let text = String::from_utf8_lossy(&case.body).into_owned();
    let result = crate::config::Config::parse(&text).map_err(|e| {
        crate::domain::error::PortalError::new(
            ErrorKind::Setup,
            crate::domain::error::Msg::ConfigInvalid(e),
        )
    });
    if let Ok(config) = &result {
        if !(5..=100).contains(&config.page_size)
            || config.request_timeout_ms < 1_000
            || (1..1_000).contains(&config.poll_interval_ms)
            || config.api_base.ends_with('/')
        {
            return Err(format!("config out of bounds: {config:?}"));
        }
        adapter(config)?;
    }
    let as_read = Case {
        body: text.into_bytes(),
        ..case.clone()
    };
    judge(&as_read, &CONFIG_RULES, &result)
}

/// The figures of one reader.
#[derive(Default)]
pub struct Tally {
    pub reader: &'static str,
    pub cases: u64,
    pub panics: u64,
    pub violations: u64,
    pub accepted: u64,
    pub errors: BTreeMap<String, u64>,
    pub failures: Vec<String>,
    pub millis: u128,
}

fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(400)]).into_owned();
    let mut s: String = text.escape_debug().collect();
    if body.len() > 400 {
        s.push_str(&format!("… ({} bytes)", body.len()));
    }
    s
}

impl Tally {
    pub fn new(reader: &'static str) -> Self {
        Tally {
            reader,
            ..Tally::default()
        }
    }

    /// Runs one case, catching a panic.
    pub fn feed(
        &mut self,
        case: &Case,
        rng: &mut Rng,
        check: &dyn Fn(&Case, &mut Rng) -> Result<Verdict, String>,
    ) {
        self.cases += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| check(case, rng)));
        let problem = match outcome {
            Ok(Ok(Verdict::Accepted)) => {
                self.accepted += 1;
                None
            }
            Ok(Ok(Verdict::Rejected(kind))) => {
                *self.errors.entry(format!("{kind:?}")).or_default() += 1;
                None
            }
            Ok(Err(why)) => {
                self.violations += 1;
                Some(why)
            }
            Err(payload) => {
                self.panics += 1;
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Some(format!("PANIC: {msg}"))
            }
        };
        if let Some(why) = problem {
            if self.failures.len() < 5 {
                self.failures.push(format!(
                    "{} case {} [{}], HTTP {}, seed {}: {why}\n    body: {}",
                    self.reader,
                    self.cases,
                    case.how,
                    case.status,
                    seed(),
                    preview(&case.body)
                ));
            }
        }
    }

    pub fn line(&self, adapter: &str) -> String {
        let errors: Vec<String> = self
            .errors
            .iter()
            .map(|(k, n)| format!("{k}:{n}"))
            .collect();
        // Tab-separated: reader names have spaces. `cargo xtask fuzz` reads these lines.
        format!(
            "FUZZ\tadapter={adapter}\treader={}\tcases={}\tpanics={}\tviolations={}\taccepted={}\terrors={}\tms={}",
            self.reader,
            self.cases,
            self.panics,
            self.violations,
            self.accepted,
            if errors.is_empty() { "-".into() } else { errors.join(",") },
            self.millis
        )
    }
}

/// Runs `cases()` random answers through each reader, plus `extra` fixed cases (every cut-off
/// of a few fixtures, the shapes that must be refused), prints one `FUZZ …` line per reader for
/// `cargo xtask fuzz`, and fails on any panic or rule broken.
pub fn run(adapter: &str, readers: &[Reader<'_>], extra: &[(&'static str, Vec<Case>)]) {
    let n = cases();
    let mut rng = Rng::new(seed());
    let mut tallies = Vec::new();
    for reader in readers {
        let started = Instant::now();
        let mut tally = Tally::new(reader.name);
        for _ in 0..n {
            let case = reader.gen.case(&mut rng);
            tally.feed(&case, &mut rng, reader.check.as_ref());
        }
        for (_, cases) in extra.iter().filter(|(name, _)| *name == reader.name) {
            for case in cases {
                tally.feed(case, &mut rng, reader.check.as_ref());
            }
        }
        tally.millis = started.elapsed().as_millis();
        println!("{}", tally.line(adapter));
        tallies.push(tally);
    }
    for (name, _) in extra {
        assert!(
            readers.iter().any(|r| r.name == *name),
            "extra cases for unknown reader {name}"
        );
    }
    let failures: Vec<&String> = tallies.iter().flat_map(|t| &t.failures).collect();
    let bad: u64 = tallies.iter().map(|t| t.panics + t.violations).sum();
    assert!(
        bad == 0,
        "{adapter}: {bad} case(s) panicked or broke a rule; first ones:\n{}",
        failures
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every strict prefix of a fixture's body under status 200: none is JSON, so each must be
/// refused.
pub fn cut_offs(fixtures: &[Fixture], name: &str) -> Vec<Case> {
    let f = fixtures
        .iter()
        .find(|f| f.name.starts_with(name))
        .unwrap_or_else(|| panic!("no fixture {name}"));
    (0..f.body.len())
        .map(|i| Case::ok(&f.body[..i], format!("{}: cut off at byte {i}", f.name)))
        .collect()
}

/// Answers that are not JSON of the reader's shape: each must be refused with a 2xx status.
pub fn refusable(shape: Shape) -> Vec<Case> {
    let mut bodies: Vec<&[u8]> = vec![
        b"",
        b" ",
        b"<html><body>502 Bad Gateway</body></html>",
        b"\xff\xfe{}",
        b"{",
        b"[",
        b"{\"id\":",
        b"{\"id\":1,}",
        b"[1,]",
        b"nul",
        b"{\"id\":1}{}",
        b"{\"id\":\"\x80\"}",
    ];
    match shape {
        Shape::Object => bodies.extend([
            &b"[]"[..],
            b"[7]",
            b"[{}]",
            b"null",
            b"7",
            b"\"x\"",
            b"true",
        ]),
        Shape::Array => bodies.extend([&b"{}"[..], b"null", b"7", b"\"x\"", b"true"]),
        Shape::ObjectOrArray => bodies.extend([&b"null"[..], b"7", b"\"x\"", b"true"]),
        Shape::Unread => bodies.clear(),
    }
    bodies
        .into_iter()
        .map(|b| Case::ok(b, "must be refused"))
        .collect()
}

/// JSON at the edges of what serde_json builds: nesting past its limit of 128, lone surrogate
/// escapes, numbers out of every range. A reader may refuse or skip them; it must not panic.
pub fn edges() -> Vec<Case> {
    let mut bodies: Vec<Vec<u8>> = [
        &b"\"\\ud800\""[..],
        b"{\"id\":\"\\ud800\"}",
        b"{\"\\udfff\":1}",
        b"{\"id\":1e400}",
        b"[{\"id\":-1e400}]",
        b"{\"id\":123456789012345678901234567890}",
    ]
    .iter()
    .map(|b| b.to_vec())
    .collect();
    for depth in [127, 128, 129, 200, 100_000] {
        bodies.push(("[".repeat(depth) + &"]".repeat(depth)).into_bytes());
        bodies.push(("{\"id\":".repeat(depth) + "1" + &"}".repeat(depth)).into_bytes());
        bodies.push(format!("{{\"x\":{}}}", "[".repeat(depth) + &"]".repeat(depth)).into_bytes());
        bodies
            .push(format!("[{{\"id\":{}}}]", "[".repeat(depth) + &"]".repeat(depth)).into_bytes());
    }
    bodies
        .into_iter()
        .map(|b| Case::ok(b, "edge of JSON"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::error::PortalError;

    const ANY_2XX: &[ErrorKind] = &[ErrorKind::Unreadable];

    fn object_rules() -> Expect {
        Expect {
            shape: Shape::Object,
            kinds_2xx: ANY_2XX,
            kinds_other: |_| &[ErrorKind::Server],
            accepting: &[],
            error_key: Some("Error"),
        }
    }

    /// The harness itself must catch what it is there to catch.
    #[test]
    fn the_judge_catches_panics_and_false_accepts() {
        let rules = object_rules();
        let mut rng = Rng::new(1);
        let mut t = Tally::new("self-test");
        let panicking = |c: &Case, _: &mut Rng| -> Result<Verdict, String> {
            if c.body.is_empty() {
                panic!("boom");
            }
            Ok(Verdict::Accepted)
        };
        t.feed(&Case::ok(Vec::new(), "empty"), &mut rng, &panicking);
        assert_eq!(t.panics, 1);

        let accepts_all = |c: &Case, _: &mut Rng| judge(c, &rules, &Ok::<(), PortalError>(()));
        let mut t = Tally::new("self-test");
        for case in refusable(Shape::Object) {
            t.feed(&case, &mut rng, &accepts_all);
        }
        let not_found = Case {
            status: 404,
            ..Case::ok(b"{}".to_vec(), "404")
        };
        t.feed(&not_found, &mut rng, &accepts_all);
        t.feed(
            &Case::ok(br#"{"Error":"x"}"#.to_vec(), "error key"),
            &mut rng,
            &accepts_all,
        );
        assert_eq!(t.violations, t.cases, "{:?}", t.failures);

        let wrong_kind = |c: &Case, _: &mut Rng| {
            judge(
                c,
                &rules,
                &Err::<(), _>(PortalError::new(
                    ErrorKind::Timeout,
                    crate::domain::error::Msg::Timeout,
                )),
            )
        };
        let mut t = Tally::new("self-test");
        t.feed(&Case::ok(b"{}".to_vec(), "ok"), &mut rng, &wrong_kind);
        assert_eq!(t.violations, 1);

        // And lets through what is fine.
        let refuses = |c: &Case, _: &mut Rng| {
            judge(
                c,
                &rules,
                &Err::<(), _>(PortalError::unreadable(crate::domain::error::Why::NotJson)),
            )
        };
        let mut t = Tally::new("self-test");
        for case in refusable(Shape::Object) {
            t.feed(&case, &mut rng, &refuses);
        }
        assert_eq!(t.violations, 0);
        assert_eq!(t.errors["Unreadable"], t.cases);
    }

    #[test]
    fn generators_are_deterministic_and_varied() {
        let fixtures = fixtures(if cfg!(feature = "zammad") {
            "zammad"
        } else {
            "znuny-7.1.7"
        });
        let gen = Gen::new(&fixtures, &["0", "1", "2"], &["id", "Error"]);
        let make = || {
            let mut rng = Rng::new(42);
            (0..300).map(|_| gen.case(&mut rng)).collect::<Vec<_>>()
        };
        let (a, b) = (make(), make());
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.body == y.body && x.status == y.status));
        let json = a.iter().filter(|c| c.json().is_some()).count();
        let not_json = a.len() - json;
        assert!(json > 50 && not_json > 50, "{json} JSON, {not_json} not");
        assert!(a.iter().any(|c| !c.success()));
    }
}
