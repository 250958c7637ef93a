//! Runtime settings from `config.json`, served beside `index.html`, so one build deploys anywhere.
//!
//! Read with serde in two steps: each member as whatever JSON it is (`Scalar`, `Loose`, or its
//! JSON text, `RawValue`), then checked, so that a wrong one is named, with what it must be, for
//! the admin; `brand` is read leniently (a wrong value is dropped with a warning).

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::de::{Loose, Obj, Scalar};

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub brand: Brand,
    /// Same-origin path of the help desk's API (Zammad: `/api/v1`; Znuny: the proxied web service).
    pub api_base: String,
    pub request_timeout_ms: u32,
    pub ticket_form: TicketForm,
    /// Largest file a customer may attach, in bytes.
    pub max_attachment_bytes: u64,
    pub page_size: u32,
    /// How often an open ticket asks the help desk whether something new arrived (ms, while the
    /// tab is visible; see `crate::ui::live`). 0 turns live updates off; otherwise at least 1000.
    pub poll_interval_ms: u32,
    /// Backend-specific settings, as the JSON text in the file; each adapter reads its own
    /// section (`None` when there is none).
    pub zammad: Option<String>,
    pub znuny: Option<String>,
    /// `"history"` (addresses like `/tickets/101`: the server must answer every path with
    /// index.html) or `"hash"` (`#/tickets/101`: no such fallback needed). Unset: history on the
    /// portal's own page, hash when embedded in another page.
    pub routing: Option<crate::ui::routing::Mode>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            brand: Brand::default(),
            api_base: "/api/v1".into(),
            request_timeout_ms: 20_000,
            ticket_form: TicketForm::default(),
            max_attachment_bytes: 10 * 1024 * 1024,
            page_size: 25,
            poll_interval_ms: 20_000,
            zammad: None,
            znuny: None,
            routing: None,
        }
    }
}

/// `brand` in config.json. Read leniently: a value of the wrong type or form is dropped with a
/// warning (`warnings`, logged to the console at start) instead of failing the whole config.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Brand {
    /// Empty: the portal's own name in the customer's language ("Help Center").
    pub name: String,
    /// Logo shown in the header (alt text: `name`), relative to the portal.
    pub logo: Option<String>,
    /// Buttons and links; text colours are derived from it (see `crate::ui::brand`).
    pub primary_color: Option<crate::ui::brand::Rgb>,
    /// Replaces the portal's icon, relative to the portal.
    pub favicon: Option<String>,
    pub warnings: Vec<String>,
}

/// A member of config.json: a string, number or boolean, or `Other` (a list or an object);
/// `None` when missing or `null`.
type Member = Option<Scalar>;

#[derive(Deserialize)]
struct RawBrand {
    #[serde(default)]
    name: Member,
    #[serde(default)]
    logo: Member,
    #[serde(default)]
    primary_color: Member,
    #[serde(default)]
    favicon: Member,
}

impl Brand {
    fn read(value: Loose<RawBrand>) -> Self {
        let mut brand = Brand::default();
        let raw = match value {
            Loose::Object(raw) => raw,
            Loose::Null => return brand,
            Loose::Other => {
                brand
                    .warnings
                    .push("config.json: `brand` is not an object; ignored".into());
                return brand;
            }
        };
        let mut text = |key: &str, value: Member| -> Option<String> {
            match value? {
                Scalar::Text(s) => Some(s),
                other => {
                    brand.warnings.push(format!(
                        "config.json: `brand.{key}` must be a string, not {}; ignored",
                        other.shown()
                    ));
                    None
                }
            }
        };
        let name = text("name", raw.name);
        let logo = text("logo", raw.logo);
        let color = text("primary_color", raw.primary_color);
        let favicon = text("favicon", raw.favicon);
        if let Some(name) = name.map(|n| n.trim().to_string()) {
            if name.is_empty() {
                brand
                    .warnings
                    .push("config.json: `brand.name` is empty; ignored".into());
            } else {
                brand.name = name;
            }
        }
        if let Some(c) = color {
            brand.primary_color = crate::ui::brand::Rgb::parse(&c);
            if brand.primary_color.is_none() {
                brand.warnings.push(format!(
                    "config.json: `brand.primary_color` {c:?} is not a colour like #1f5fbf or #15b; ignored"
                ));
            }
        }
        for (key, value, slot) in [
            ("logo", logo, &mut brand.logo),
            ("favicon", favicon, &mut brand.favicon),
        ] {
            if let Some(v) = value {
                match crate::ui::brand::asset_url(&v) {
                    Ok(url) => *slot = Some(url),
                    Err(why) => brand.warnings.push(format!(
                        "config.json: `brand.{key}` {v:?} is ignored: {why}"
                    )),
                }
            }
        }
        brand
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TicketForm {
    /// Groups (Zammad) or queues (Znuny) a customer may choose for a new ticket.
    pub groups: Vec<Choice>,
    pub default_group: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// A member's value read by `read`; `null` or missing is `None` (the default applies). The
/// error names the key and what it must be, for the admin.
fn setting<T>(
    value: Member,
    key: &str,
    must_be: &str,
    read: impl Fn(&Scalar) -> Option<T>,
) -> Result<Option<T>, String> {
    match value {
        None => Ok(None),
        Some(v) => read(&v)
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be {must_be}, not {}", v.shown())),
    }
}

/// A whole number that fits `T` (`7`, not `7.0`, `"7"` or `-1`).
fn number<T: TryFrom<u64>>(v: &Scalar) -> Option<T> {
    match v {
        Scalar::Whole(n) => T::try_from(*n).ok(),
        _ => None,
    }
}

fn string(v: &Scalar) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// config.json's members, as written; `ticket_form` and the adapters' sections as their JSON
/// text, read on their own.
#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    brand: Loose<RawBrand>,
    #[serde(default)]
    api_base: Member,
    #[serde(default)]
    request_timeout_ms: Member,
    #[serde(default)]
    max_attachment_bytes: Member,
    #[serde(default)]
    page_size: Member,
    #[serde(default)]
    poll_interval_ms: Member,
    #[serde(default)]
    ticket_form: Option<Box<RawValue>>,
    #[serde(default)]
    zammad: Option<Box<RawValue>>,
    #[serde(default)]
    znuny: Option<Box<RawValue>>,
    #[serde(default)]
    routing: Member,
}

#[derive(Deserialize)]
struct RawTicketForm {
    #[serde(default)]
    groups: Option<Box<RawValue>>,
    #[serde(default)]
    default_group: Member,
}

#[derive(Deserialize)]
struct RawChoice {
    #[serde(default)]
    id: Member,
    #[serde(default)]
    label: Member,
}

impl TicketForm {
    fn read(value: &RawValue) -> Result<Self, String> {
        let raw = serde_json::from_str::<Obj<RawTicketForm>>(value.get())
            .map_err(|_| format!("`ticket_form` must be an object, not {}", value.get()))?
            .0;
        let groups = match &raw.groups {
            None => Vec::new(),
            Some(list) => serde_json::from_str::<Vec<Box<RawValue>>>(list.get())
                .map_err(|_| format!("`ticket_form.groups` must be a list, not {}", list.get()))?
                .iter()
                .map(|g| Choice::read(g))
                .collect::<Result<_, _>>()?,
        };
        Ok(TicketForm {
            groups,
            default_group: setting(raw.default_group, "default_group", "a string", string)?,
        })
    }
}

impl Choice {
    fn read(value: &RawValue) -> Result<Self, String> {
        let raw = serde_json::from_str::<Obj<RawChoice>>(value.get())
            .map_err(|_| {
                format!(
                    "a group of `ticket_form.groups` must be an object, not {}",
                    value.get()
                )
            })?
            .0;
        let text = |key: &str, value: Member| {
            setting(value, key, "a string", string)?
                .ok_or_else(|| format!("missing field `{key}` in a group of `ticket_form.groups`"))
        };
        Ok(Choice {
            id: text("id", raw.id)?,
            label: text("label", raw.label)?,
        })
    }
}

impl Config {
    pub fn parse(text: &str) -> Result<Self, String> {
        use serde_json::error::Category;
        let raw = match serde_json::from_str::<Obj<RawConfig>>(text) {
            Ok(raw) => raw.0,
            Err(e) => {
                return Err(match e.classify() {
                    Category::Eof => "the JSON text is cut off".to_string(),
                    Category::Syntax | Category::Io => "this is not valid JSON".to_string(),
                    Category::Data if !text.trim_start().starts_with('{') => {
                        "expected a JSON object ({ … })".to_string()
                    }
                    // A key given twice.
                    Category::Data => e.to_string(),
                });
            }
        };
        let defaults = Config::default();
        let whole = "a whole number";
        // Fields are checked in this order; the first error is the one reported.
        let mut config = Config {
            brand: Brand::read(raw.brand),
            api_base: setting(raw.api_base, "api_base", "a string", string)?
                .unwrap_or(defaults.api_base),
            request_timeout_ms: setting(
                raw.request_timeout_ms,
                "request_timeout_ms",
                whole,
                number,
            )?
            .unwrap_or(defaults.request_timeout_ms),
            max_attachment_bytes: setting(
                raw.max_attachment_bytes,
                "max_attachment_bytes",
                whole,
                number,
            )?
            .unwrap_or(defaults.max_attachment_bytes),
            page_size: setting(raw.page_size, "page_size", whole, number)?
                .unwrap_or(defaults.page_size),
            poll_interval_ms: setting(raw.poll_interval_ms, "poll_interval_ms", whole, number)?
                .unwrap_or(defaults.poll_interval_ms),
            ticket_form: match raw.ticket_form.as_deref() {
                None => defaults.ticket_form,
                Some(form) => TicketForm::read(form)?,
            },
            zammad: raw.zammad.map(|v| v.get().to_string()),
            znuny: raw.znuny.map(|v| v.get().to_string()),
            routing: match setting(raw.routing, "routing", "\"history\" or \"hash\"", string)? {
                Some(mode) => Some(crate::ui::routing::Mode::parse(&mode)?),
                None => None,
            },
        };
        // The adapter's own settings that must be right before anything else (Znuny's
        // `dynamic_fields`); the message names the bad entry.
        <crate::backend::ActiveBackend as crate::backend::Backend>::check_config(&config)?;
        config.api_base = config.api_base.trim_end_matches('/').to_string();
        config.page_size = config.page_size.clamp(5, 100);
        config.request_timeout_ms = config.request_timeout_ms.max(1_000);
        if config.poll_interval_ms != 0 {
            config.poll_interval_ms = config.poll_interval_ms.max(1_000);
        }
        Ok(config)
    }

    /// The group a new ticket goes to when the customer did not pick one.
    pub fn default_group(&self) -> Option<String> {
        self.ticket_form
            .default_group
            .clone()
            .or_else(|| self.ticket_form.groups.first().map(|g| g.id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_keys() {
        let c = Config::parse(r#"{"brand":{"name":"Acme"}}"#).unwrap();
        assert_eq!(c.brand.name, "Acme");
        assert_eq!(c.api_base, "/api/v1");
        assert_eq!(c.page_size, 25);
        assert_eq!(c.poll_interval_ms, 20_000);
        assert_eq!(c.default_group(), None);
    }

    #[test]
    fn poll_interval_is_off_or_at_least_a_second() {
        let ms = |text: &str| Config::parse(text).unwrap().poll_interval_ms;
        assert_eq!(ms(r#"{"poll_interval_ms":0}"#), 0);
        assert_eq!(ms(r#"{"poll_interval_ms":5}"#), 1_000);
        assert_eq!(ms(r#"{"poll_interval_ms":45000}"#), 45_000);
    }

    #[test]
    fn trims_base_and_picks_default_group() {
        let c = Config::parse(
            r#"{"api_base":"/support/api/v1/","ticket_form":{"groups":[{"id":"2","label":"Support"}]}}"#,
        )
        .unwrap();
        assert_eq!(c.api_base, "/support/api/v1");
        assert_eq!(c.default_group().as_deref(), Some("2"));
    }

    #[test]
    fn reads_brand_and_ignores_bad_values_with_a_warning() {
        let c = Config::parse(
            r##"{"brand":{"name":"Acme","logo":"brand/logo.svg","primary_color":"#B00020","favicon":"/icons/acme.png"}}"##,
        )
        .unwrap();
        assert_eq!(c.brand.name, "Acme");
        assert_eq!(c.brand.logo.as_deref(), Some("brand/logo.svg"));
        assert_eq!(c.brand.favicon.as_deref(), Some("/icons/acme.png"));
        assert_eq!(
            c.brand.primary_color,
            Some(crate::ui::brand::Rgb(0xb0, 0x00, 0x20))
        );
        assert!(c.brand.warnings.is_empty());

        let c = Config::parse(
            r#"{"page_size":10,"brand":{"name":7,"logo":"javascript:alert(1)","primary_color":"red; background:url(x)","favicon":["x"]}}"#,
        )
        .unwrap();
        assert_eq!(c.page_size, 10, "the rest of the config is still read");
        assert_eq!(c.brand.name, "", "the portal's own name");
        assert_eq!(c.brand.logo, None);
        assert_eq!(c.brand.primary_color, None);
        assert_eq!(c.brand.favicon, None);
        assert_eq!(c.brand.warnings.len(), 4, "{:?}", c.brand.warnings);

        let c = Config::parse(r#"{"brand":"Acme"}"#).unwrap();
        assert_eq!(c.brand.name, "");
        assert_eq!(c.brand.warnings.len(), 1);
        let c = Config::parse(r#"{"brand":null}"#).unwrap();
        assert_eq!(c.brand, Brand::default());
    }

    #[test]
    fn reads_the_routing_mode_and_refuses_an_unknown_one() {
        use crate::ui::routing::Mode;
        assert_eq!(Config::parse("{}").unwrap().routing, None);
        let c = Config::parse(r#"{"routing":"hash"}"#).unwrap();
        assert_eq!(c.routing, Some(Mode::Hash));
        let c = Config::parse(r#"{"routing":"history"}"#).unwrap();
        assert_eq!(c.routing, Some(Mode::History));
        let err = Config::parse(r#"{"routing":"hashbang"}"#).unwrap_err();
        assert!(
            err.contains(r#"`routing` must be "history" or "hash", not "hashbang""#),
            "{err}"
        );
        assert!(Config::parse(r#"{"routing":1}"#).is_err());
    }

    #[test]
    fn rejects_broken_json() {
        assert!(Config::parse("{").is_err());
    }
}
