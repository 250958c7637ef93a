use super::*;
use crate::backend::fuzz::Rng;

/// serde_json (a test-only dependency) is the reference: the same texts are accepted, with the
/// same meaning.
fn same_as_serde(v: &Value, s: &serde_json::Value) -> bool {
    match (v, s) {
        (Value::Null, serde_json::Value::Null) => true,
        (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
        (Value::Number(a), serde_json::Value::Number(b)) => match (b.as_u64(), b.as_i64()) {
            (Some(b), _) => a.as_u64() == Some(b),
            (None, Some(b)) => a.as_i64() == Some(b),
            _ => a.as_f64() == b.as_f64() || b.as_f64().is_none_or(|f| !f.is_finite()),
        },
        (Value::String(a), serde_json::Value::String(b)) => a == b,
        (Value::Array(a), serde_json::Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_as_serde(a, b))
        }
        (Value::Object(a), serde_json::Value::Object(b)) => b
            .iter()
            .all(|(k, b)| a.get(k).is_some_and(|a| same_as_serde(a, b))),
        _ => false,
    }
}

fn check(text: &[u8]) {
    let ours = parse(text);
    let theirs = serde_json::from_slice::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(v), Ok(s)) => assert!(same_as_serde(v, s), "{:?}: {v:?} vs {s:?}", bstr(text)),
        (Err(e), Err(s)) => {
            if s.is_eof() {
                assert_eq!(*e, ParseError::Eof, "{:?}", bstr(text));
            }
        }
        // Ours keeps a number's text whatever its size.
        (Ok(_), Err(s)) if s.to_string().starts_with("number out of range") => {}
        _ => panic!("{:?}: ours {ours:?}, serde_json {theirs:?}", bstr(text)),
    }
    // What we write, serde_json reads back as the same value.
    if let (Ok(v), Ok(_)) = (ours, theirs) {
        let written = v.to_string();
        let back: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert!(same_as_serde(&v, &back), "{written}");
        assert_eq!(parse(written.as_bytes()).unwrap(), v);
    }
}

fn bstr(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.len().min(200)]).into_owned()
}

#[test]
fn reads_what_serde_json_reads() {
    for text in [
        "null",
        " true ",
        "false",
        "0",
        "-0",
        "7",
        "7.0",
        "-12.5e-3",
        "1E400",
        "18446744073709551616",
        "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"",
        "[]",
        "[1, [2, [3]], {\"a\": {}}]",
        "{\"id\": 7, \"title\": \"Hallo \\u0041\", \"x\": [null, true]}",
        "{\"a\": 1, \"a\": 2}",
        "\"Grüße ✓\"",
    ] {
        check(text.as_bytes());
    }
    let again = parse(b"{\"a\": 1, \"a\": 2}").unwrap();
    assert_eq!(
        again["a"].as_u64(),
        Some(2),
        "the last of a repeated key counts"
    );
    assert!(again.as_object().unwrap().repeats("a"));
}

#[test]
fn refuses_what_serde_json_refuses() {
    for text in [
        "",
        " ",
        "nul",
        "tru",
        "[1,]",
        "{\"a\":1,}",
        "[1 2]",
        "{a: 1}",
        "{\"a\" 1}",
        "01",
        "1.",
        "-",
        "1e",
        ".5",
        "+1",
        "\"\\x\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"a\nb\"",
        "[1] x",
        "[",
        "{\"a\":",
        "\"abc",
        "NaN",
        "'a'",
        "\u{feff}1",
    ] {
        check(text.as_bytes());
        assert!(parse(text.as_bytes()).is_err(), "{text:?}");
    }
    assert_eq!(parse(b"[1, 2").unwrap_err(), ParseError::Eof);
    assert_eq!(parse(b"\"cut").unwrap_err(), ParseError::Eof);
    assert_eq!(parse(b"[1 x").unwrap_err(), ParseError::Syntax);
    assert_eq!(parse(b"\"\xff\"").unwrap_err(), ParseError::Syntax);
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(parse(deep.as_bytes()).unwrap_err(), ParseError::Syntax);
    let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(parse(fine.as_bytes()).is_ok());
}

#[test]
fn random_texts_agree_with_serde_json() {
    const ALPHABET: &[&str] = &[
        "{", "}", "[", "]", ",", ":", " ", "\"", "\"k\"", "\\", "\\u", "d83d", "00", "1", "-", ".",
        "e", "0", "9", "null", "true", "fals", "x", "é", "\n",
    ];
    let mut rng = Rng::new(0x5eed);
    for _ in 0..30_000 {
        let n = (rng.next_u64() % 12) as usize;
        let text: String = (0..n)
            .map(|_| ALPHABET[(rng.next_u64() % ALPHABET.len() as u64) as usize])
            .collect();
        check(text.as_bytes());
    }
}

#[test]
fn writes_escapes_and_numbers() {
    let v = json!({
        "text": "a\"b\\c\nd\u{1}é",
        "n": 7u64,
        "neg": -3i64,
        "f": 1.5f64,
        "nan": f64::NAN,
        "list": [1u32, "two", null, {"x": true}],
        "none": None::<String>,
    });
    assert_eq!(
        v.to_string(),
        r#"{"text":"a\"b\\c\nd\u0001é","n":7,"neg":-3,"f":1.5,"nan":null,"list":[1,"two",null,{"x":true}],"none":null}"#
    );
}

#[test]
fn maps_compare_without_order_and_index_like_serde_json() {
    let mut a = json!({"x": 1u32, "y": "z"});
    assert_eq!(a, json!({"y": "z", "x": 1u32}));
    assert_ne!(a, json!({"y": "z"}));
    assert!(a["missing"].is_null());
    a["y"] = json!("w");
    a["new"] = json!([1u32]);
    assert_eq!(a.to_string(), r#"{"x":1,"y":"w","new":[1]}"#);
}

#[test]
fn lenient_readings() {
    let v = parse(
        br#"{"a": 7, "b": "8", "c": 7.9, "d": -1, "e": null, "f": [], "g": " 9 ", "h": 1e3}"#,
    )
    .unwrap();
    let m = v.as_object().unwrap();
    assert_eq!(opt_u64(m, "a"), Some(7));
    assert_eq!(opt_u64(m, "b"), Some(8));
    assert_eq!(opt_u64(m, "c"), Some(7));
    assert_eq!(opt_u64(m, "d"), None);
    assert_eq!(opt_u64(m, "e"), None);
    assert_eq!(opt_u64(m, "g"), Some(9));
    assert_eq!(opt_u64(m, "h"), Some(1000));
    assert_eq!(text(m, "a"), "7");
    assert_eq!(text(m, "f"), "");
    assert_eq!(opt_text(m, "e"), None);
    assert_eq!(required_u64(m, "zz").unwrap_err(), "missing field `zz`");
    assert!(required_u64(m, "f").is_err());
}
