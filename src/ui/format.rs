//! Human-readable sizes, dates and names. Dates use the browser's `Intl` in the customer's
//! locale (no date crate in the bundle); sizes use the language's words and decimal separator.
//! The pure parts are tested on the host.

use crate::i18n::Texts;

/// "512 bytes", "1.5 KB", "3.2 MB" ("1,5 KB" in German). Integer arithmetic: formatting an
/// `f64` would pull about 15 KB of float-printing code into the wasm.
pub fn file_size(bytes: u64, t: &Texts) -> String {
    const KB: u64 = 1024;
    let tenths = |unit: u64, name: &str| {
        // Tenths, rounded half up, without overflow (u128 would add its own printing code).
        let n = bytes / unit * 10 + (bytes % unit * 10 + unit / 2) / unit;
        format!("{}{}{} {name}", n / 10, t.decimal_separator, n % 10)
    };
    if bytes < KB {
        t.bytes(bytes)
    } else if bytes < KB * KB {
        tenths(KB, t.kilobytes)
    } else {
        tenths(KB * KB, t.megabytes)
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

/// Date and time in `locale` (a BCP 47 tag), e.g. "Nov 24, 2026, 9:30 AM" / "24.11.2026, 09:30".
#[cfg(target_arch = "wasm32")]
pub fn date_time(iso: &str, locale: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.to_string();
    }
    let format = cached(&DATE_TIME, locale, |locales| {
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&opts, &"timeStyle".into(), &"short".into());
        js_sys::Intl::DateTimeFormat::new(locales, &opts).format()
    });
    format
        .call1(&wasm_bindgen::JsValue::NULL, &d)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| iso.to_string())
}

/// Builds the date formatters of `locale` ahead of the first date shown. The first
/// `Intl.RelativeTimeFormat` of a page costs some 20 ms (the browser loads the locale's data:
/// measured in a profile of the sign-in), which the first list would otherwise wait for;
/// called when the browser is idle (the sign-in form shown, or the list's reads out).
#[cfg(target_arch = "wasm32")]
pub fn warm(locale: &str) {
    let _ = date_time("1970-01-01T00:00:00Z", locale);
    let _ = relative("1970-01-01T00:00:00Z", locale);
}

#[cfg(not(target_arch = "wasm32"))]
pub fn warm(_locale: &str) {}

/// The formatter last built for a locale. Building an `Intl` formatter is slow (the browser
/// resolves the locale and loads its data each time), and a list or a thread formats a date per
/// row: one formatter per locale serves them all.
#[cfg(target_arch = "wasm32")]
type Cache<T> = std::thread::LocalKey<std::cell::RefCell<Option<(String, T)>>>;

#[cfg(target_arch = "wasm32")]
thread_local! {
    static DATE_TIME: std::cell::RefCell<Option<(String, js_sys::Function)>> =
        const { std::cell::RefCell::new(None) };
    static RELATIVE: std::cell::RefCell<Option<(String, js_sys::Intl::RelativeTimeFormat)>> =
        const { std::cell::RefCell::new(None) };
}

#[cfg(target_arch = "wasm32")]
fn cached<T: Clone>(
    cache: &'static Cache<T>,
    locale: &str,
    build: impl FnOnce(&js_sys::Array) -> T,
) -> T {
    cache.with(|slot| {
        let mut slot = slot.borrow_mut();
        match &*slot {
            Some((tag, made)) if tag == locale => made.clone(),
            _ => {
                let made = build(&locales(locale));
                *slot = Some((locale.to_string(), made.clone()));
                made
            }
        }
    })
}

/// `Intl`'s locale list: the one tag (an unknown tag falls back to the browser's own locale).
#[cfg(target_arch = "wasm32")]
fn locales(locale: &str) -> js_sys::Array {
    js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(locale))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn date_time(iso: &str, _locale: &str) -> String {
    iso.to_string()
}

/// "3 hours ago", "yesterday" ("vor 3 Stunden", "gestern"), via `Intl.RelativeTimeFormat`.
#[cfg(target_arch = "wasm32")]
pub fn relative(iso: &str, locale: &str) -> String {
    let then = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso)).get_time();
    if then.is_nan() {
        return String::new();
    }
    let (value, unit) = relative_parts((then - js_sys::Date::now()) / 1000.0);
    let fmt = cached(&RELATIVE, locale, |locales| {
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"numeric".into(), &"auto".into());
        js_sys::Intl::RelativeTimeFormat::new(locales, &opts)
    });
    fmt.format(value, unit).as_string().unwrap_or_default()
}

/// On the host (tests) there is no `Intl`: a plain English rendering of the same parts.
#[cfg(not(target_arch = "wasm32"))]
pub fn relative(iso: &str, _locale: &str) -> String {
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

    use crate::i18n::{english, texts_of};

    #[test]
    fn sizes() {
        let size = |n| file_size(n, english());
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(1), "1 byte");
        assert_eq!(size(37), "37 bytes");
        assert_eq!(size(1536), "1.5 KB");
        assert_eq!(size(3 * 1024 * 1024), "3.0 MB");
        assert_eq!(size(1023 * 1024 + 1000), "1024.0 KB");
        assert_eq!(size(10 * 1024 * 1024 - 1), "10.0 MB");
        assert_eq!(size(2_621_440), "2.5 MB");
        assert_eq!(size(u64::MAX), "17592186044416.0 MB");
    }

    #[test]
    fn sizes_in_german() {
        let size = |n| file_size(n, texts_of("de"));
        assert_eq!(size(1), "1 Byte");
        assert_eq!(size(37), "37 Bytes");
        assert_eq!(size(1536), "1,5 KB");
        assert_eq!(size(2_621_440), "2,5 MB");
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
