//! The `znuny` section of config.json. The Generic Interface cannot list queues, states or
//! priorities, and ignores the customer front end's settings, so the portal's config carries them
//! (../shared/docs/znuny-api.md, section 9).

use std::collections::HashMap;

use serde::Deserialize;

use super::routes::RoutesSetting;
use crate::domain::FollowUp;

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
    /// Only for sites with `Ticket::Type` on.
    #[serde(rename = "type")]
    pub ticket_type: Option<String>,
    /// Queue name → "possible" | "reject" | "new ticket" (Znuny's follow-up options).
    pub follow_up: HashMap<String, String>,
    /// Most ticket ids one search asks for (Znuny has no offset; the portal pages through them).
    pub search_limit: u32,
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
        }
    }
}

impl Settings {
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
