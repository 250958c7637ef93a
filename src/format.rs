//! Human-readable sizes, dates and names. Dates use the browser's `Intl` (no date crate in the
//! bundle); the pure parts are tested on the host.

/// "512 bytes", "1.5 KB", "3.2 MB". Integer arithmetic: formatting an `f64` would pull about
/// 15 KB of float-printing code into the wasm.
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    let tenths = |unit: u64| {
        let t = (u128::from(bytes) * 10 + u128::from(unit) / 2) / u128::from(unit);
        format!("{}.{}", t / 10, t % 10)
    };
    if bytes == 1 {
        "1 byte".into()
    } else if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < KB * KB {
        format!("{} KB", tenths(KB))
    } else {
        format!("{} MB", tenths(KB * KB))
    }
}

/// The display-name part of a From header: `Emma Agent via Support <support@x>` → `Emma Agent via Support`,
/// `"Alice" <a@x>` → `Alice`. A bare address keeps only its local part.
pub fn display_name(from: &str) -> String {
    let from = from.trim();
    let name = match from.find('<') {
        Some(i) => from[..i].trim(),
        None => from,
    };
    let name = name.trim_matches('"').trim();
    if name.is_empty() {
        return String::new();
    }
    if let Some((local, _)) = name.split_once('@') {
        if !name.contains(' ') {
            return local.to_string();
        }
    }
    name.to_string()
}

/// A file name safe to offer as a download: no path separators, control or bidi-override
/// characters, not empty, at most 150 characters.
pub fn safe_filename(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    let mut out: String = trimmed.chars().take(150).collect();
    if out.is_empty() {
        out = "attachment".into();
    }
    out
}

#[cfg(target_arch = "wasm32")]
pub fn date_time(iso: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.to_string();
    }
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&opts, &"timeStyle".into(), &"short".into());
    // An empty locale list means the browser's own locale.
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &opts)
        .format()
        .call1(&wasm_bindgen::JsValue::NULL, &d)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| iso.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn date_time(iso: &str) -> String {
    iso.to_string()
}

/// "3 hours ago", "yesterday", via `Intl.RelativeTimeFormat`.
#[cfg(target_arch = "wasm32")]
pub fn relative(iso: &str) -> String {
    let then = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso)).get_time();
    if then.is_nan() {
        return String::new();
    }
    let (value, unit) = relative_parts((then - js_sys::Date::now()) / 1000.0);
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"numeric".into(), &"auto".into());
    let fmt = js_sys::Intl::RelativeTimeFormat::new(&js_sys::Array::new(), &opts);
    fmt.format(value, unit).as_string().unwrap_or_default()
}

/// On the host (tests) there is no `Intl`: a plain English rendering of the same parts.
#[cfg(not(target_arch = "wasm32"))]
pub fn relative(iso: &str) -> String {
    let (value, unit) = relative_parts(0.0);
    format!("{iso} ({value} {unit}s)")
}

/// Picks the largest sensible unit for a signed number of seconds (negative = past).
pub fn relative_parts(seconds: f64) -> (f64, &'static str) {
    let abs = seconds.abs();
    let (div, unit) = if abs < 60.0 {
        (1.0, "second")
    } else if abs < 3600.0 {
        (60.0, "minute")
    } else if abs < 86_400.0 {
        (3600.0, "hour")
    } else if abs < 86_400.0 * 30.0 {
        (86_400.0, "day")
    } else if abs < 86_400.0 * 365.0 {
        (86_400.0 * 30.0, "month")
    } else {
        (86_400.0 * 365.0, "year")
    };
    ((seconds / div).round(), unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(file_size(0), "0 bytes");
        assert_eq!(file_size(1), "1 byte");
        assert_eq!(file_size(37), "37 bytes");
        assert_eq!(file_size(1536), "1.5 KB");
        assert_eq!(file_size(3 * 1024 * 1024), "3.0 MB");
        assert_eq!(file_size(1023 * 1024 + 1000), "1024.0 KB");
        assert_eq!(file_size(10 * 1024 * 1024 - 1), "10.0 MB");
        assert_eq!(file_size(2_621_440), "2.5 MB");
        assert_eq!(file_size(u64::MAX), "17592186044416.0 MB");
    }

    #[test]
    fn names_from_addresses() {
        assert_eq!(
            display_name("Emma Agent via Support <support@helpdesk.example>"),
            "Emma Agent via Support"
        );
        assert_eq!(
            display_name("\"Alice Customer\" <alice@acme.example>"),
            "Alice Customer"
        );
        assert_eq!(display_name("jane.doe@acme.example"), "jane.doe");
        assert_eq!(display_name("Jane Doe"), "Jane Doe");
        assert_eq!(display_name(""), "");
    }

    #[test]
    fn hostile_file_names() {
        assert_eq!(safe_filename("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_filename("invoice\u{202E}fdp.exe"), "invoice_fdp.exe");
        assert_eq!(safe_filename("a\u{0}b\nc"), "a_b_c");
        assert_eq!(safe_filename("   "), "attachment");
        assert_eq!(safe_filename(&"x".repeat(400)).len(), 150);
    }

    #[test]
    fn relative_units() {
        assert_eq!(relative_parts(-30.0), (-30.0, "second"));
        assert_eq!(relative_parts(-7200.0), (-2.0, "hour"));
        assert_eq!(relative_parts(-86_400.0 * 3.0), (-3.0, "day"));
    }
}
