//! JSON output like Znuny's (`Kernel::System::JSON->Encode(SortKeys => 1)`): compact, keys
//! sorted, UTF-8 unescaped. Independent of serde_json's `preserve_order` feature.

use serde_json::Value;

pub fn encode(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write(&m[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorted_keys() {
        assert_eq!(
            encode(&json!({"b": 1, "a": {"d": [1, "ü"], "c": null}})),
            r#"{"a":{"c":null,"d":[1,"ü"]},"b":1}"#
        );
    }
}
