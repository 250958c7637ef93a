//! The `znuny` section of config.json. The Generic Interface cannot list queues, states or
//! priorities, and ignores the customer front end's settings, so the portal's config carries them
//! (docs/znuny-api.md, section 9).

use std::collections::HashMap;

use serde::Deserialize;

use super::routes::RoutesSetting;
use crate::de::Obj;
use crate::domain::FollowUp;

/// A missing key keeps its default; a key of the wrong type (`null` included, except for `type`)
/// or given twice makes the whole section invalid, and then the adapter uses the defaults
/// (`Znuny::new`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub routes: RoutesSetting,
    /// Znuny ends a Generic Interface session this long after login, however active it is.
    pub session_hours: f64,
    pub new_state: String,
    pub reopen_state: String,
    pub close_state: String,
    pub open_state_types: Vec<String>,
    pub closed_state_types: Vec<String>,
    pub priority: String,
    /// Only for sites with `Ticket::Type` on (`type` in config.json).
    #[serde(rename = "type")]
    pub ticket_type: Option<String>,
    /// Queue name → "possible" | "reject" | "new ticket" (Znuny's follow-up options).
    pub follow_up: HashMap<String, String>,
    /// Most ticket ids one search asks for (Znuny has no offset; the portal pages through them).
    pub search_limit: u32,
    /// Customers sign in with their e-mail address too (a site whose customer backend uses it
    /// as the login); a stock Znuny takes the login name only.
    pub login_with_email: bool,
    /// The help desk's own "forgot password" page (the Generic Interface has no such
    /// operation): the sign-in page links to it; none when unset.
    pub forgot_password_url: Option<String>,
    /// The help desk's own sign-up page, linked as "Create an account"; none when unset.
    pub sign_up_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            routes: RoutesSetting::default(),
            session_hours: 2.0,
            new_state: "new".into(),
            reopen_state: "open".into(),
            close_state: "closed successful".into(),
            open_state_types: vec![
                "new".into(),
                "open".into(),
                "pending reminder".into(),
                "pending auto".into(),
            ],
            closed_state_types: vec!["closed".into()],
            priority: "3 normal".into(),
            ticket_type: None,
            follow_up: HashMap::new(),
            search_limit: 10_000,
            login_with_email: false,
            forgot_password_url: None,
            sign_up_url: None,
        }
    }
}

impl Settings {
    /// The `znuny` section's JSON text.
    pub fn read(text: &str) -> Result<Settings, String> {
        serde_json::from_str::<Obj<Settings>>(text)
            .map(|s| s.0)
            .map_err(|e| format!("`znuny`: {e}"))
    }

    /// A configured page address the sign-in page may link to: http(s) or a path on this site;
    /// anything else (`javascript:`, blank) is no link.
    pub fn page_link(url: Option<&str>) -> Option<String> {
        let url = url?.trim();
        let lower = url.to_ascii_lowercase();
        let ok = lower.starts_with("https://")
            || lower.starts_with("http://")
            || (url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\"));
        ok.then(|| url.to_string())
    }

    /// Znuny's default follow-up option for a queue is "possible".
    pub fn follow_up(&self, queue: Option<&str>) -> FollowUp {
        let policy = queue
            .and_then(|q| self.follow_up.get(q))
            .map(|p| p.to_ascii_lowercase());
        match policy.as_deref() {
            None | Some("possible") | Some("yes") => FollowUp::Allowed,
            Some("reject") | Some("new ticket") | Some("new_ticket") => FollowUp::Refused,
            Some(_) => FollowUp::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Settings, String> {
        Settings::read(text)
    }

    #[test]
    fn account_pages_are_links_only_when_safe() {
        let s = read(r#"{"forgot_password_url":"https://desk.example/otrs/customer.pl#Password","sign_up_url":"/otrs/customer.pl#Signup"}"#)
            .unwrap_or_default();
        assert_eq!(
            Settings::page_link(s.forgot_password_url.as_deref()).as_deref(),
            Some("https://desk.example/otrs/customer.pl#Password")
        );
        assert_eq!(
            Settings::page_link(s.sign_up_url.as_deref()).as_deref(),
            Some("/otrs/customer.pl#Signup")
        );
        for bad in [
            "javascript:alert(1)",
            " ",
            "//evil.example",
            "/\\evil.example",
            "data:text/html,x",
        ] {
            assert_eq!(Settings::page_link(Some(bad)), None, "{bad}");
        }
        assert_eq!(Settings::page_link(None), None);
        assert!(read(r#"{"sign_up_url":5}"#).is_err());
    }

    #[test]
    fn the_example_config_and_defaults() {
        let text = std::fs::read_to_string(format!(
            "{}/public/config.znuny.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let config = crate::config::Config::parse(&text).unwrap();
        let s = Settings::read(config.znuny.as_deref().unwrap()).unwrap();
        assert_eq!(s.session_hours, 2.0);
        assert_eq!(s.follow_up(Some("Sales")), FollowUp::Refused);
        assert_eq!(s.follow_up(Some("Support")), FollowUp::Allowed);
        // The stock 7.1 web service: the FAQ add-on's operations are not mapped (a Znuny without
        // the add-on would answer each search with an error).
        let routes = super::super::routes::RouteTable::from_setting(&s.routes).unwrap();
        assert_eq!(
            routes.get(super::super::routes::Operation::TicketSearch),
            super::super::routes::znuny7().get(super::super::routes::Operation::TicketSearch)
        );
        assert!(routes
            .get(super::super::routes::Operation::PublicFAQGet)
            .is_none());

        let s =
            read(r#"{"type":"Incident","search_limit":50,"routes":{"preset":"znuny6"}}"#).unwrap();
        assert_eq!(s.ticket_type.as_deref(), Some("Incident"));
        assert_eq!(s.search_limit, 50);
        assert_eq!(s.new_state, "new", "a missing key keeps its default");
        assert!(matches!(s.routes, RoutesSetting::Custom(_)));
        assert_eq!(read(r#"{"type":null}"#).unwrap().ticket_type, None);
        assert!(!s.login_with_email, "a stock Znuny takes login names only");
        assert!(
            read(r#"{"login_with_email":true}"#)
                .unwrap()
                .login_with_email
        );
    }

    #[test]
    fn a_key_of_the_wrong_type_voids_the_section() {
        for text in [
            "null",
            "[]",
            r#"{"routes":5}"#,
            r#"{"routes":null}"#,
            r#"{"session_hours":"2"}"#,
            r#"{"new_state":null}"#,
            r#"{"open_state_types":["new",1]}"#,
            r#"{"type":3}"#,
            r#"{"follow_up":{"Sales":true}}"#,
            r#"{"search_limit":-1}"#,
            r#"{"search_limit":1.5}"#,
            r#"{"search_limit":4294967296}"#,
            r#"{"login_with_email":"yes"}"#,
        ] {
            assert!(read(text).is_err(), "{text}");
        }
    }
}
