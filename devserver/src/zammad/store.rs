//! The fake Zammad's state (users, tickets, tokens, sessions, …) and the demo seed.

use crate::util::{Rng, MS_PER_DAY, MS_PER_HOUR};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// Which Zammad release the fake imitates (only where the contract says releases differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZVersion {
    /// 5.x and early 6.x: legacy search object, `label`/`{name}` tokens, no two-factor.
    V5,
    /// Later 6.x (6.4/6.5): flat search arrays, `name`/`{token}` tokens.
    V65,
    /// 7.x: like 6.5 plus the `{records,total_count}` wrapper for `with_total_count`.
    V7,
}

impl ZVersion {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().trim_end_matches(".x") {
            "5" | "5.0" | "5.4" => Some(Self::V5),
            "6" | "6.5" | "6.4" => Some(Self::V65),
            "7" | "7.0" => Some(Self::V7),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::V5 => "5",
            Self::V65 => "6.5",
            Self::V7 => "7",
        }
    }

    /// Two-factor authentication exists since 6.0.
    pub fn has_two_factor(self) -> bool {
        self != Self::V5
    }

    /// Newer columns (`checklist_id`, `last_close_at`, `store_file_id`, …).
    pub fn is_modern(self) -> bool {
        self != Self::V5
    }
}

pub const SESSION_COOKIE: &str = "_zammad_session_a138cfd0f37";
pub const ROLE_ADMIN: u64 = 1;
pub const ROLE_AGENT: u64 = 2;
pub const ROLE_CUSTOMER: u64 = 3;
pub const SENDER_AGENT: u64 = 1;
pub const SENDER_CUSTOMER: u64 = 2;
pub const SENDER_SYSTEM: u64 = 3;
pub const TYPE_EMAIL: u64 = 1;
pub const TYPE_PHONE: u64 = 5;
pub const TYPE_NOTE: u64 = 10;
pub const TYPE_WEB: u64 = 11;
pub const AGENT_ID: u64 = 2;
/// Groups a customer may create tickets in (`customer_ticket_create_group_ids`).
pub const CUSTOMER_CREATE_GROUP_IDS: [u64; 2] = [2, 3];
/// Failed password checks after which an account is locked (`password_max_login_failed`).
pub const PASSWORD_MAX_LOGIN_FAILED: u32 = 5;

pub struct StateDef {
    pub id: u64,
    pub name: &'static str,
    pub state_type_id: u64,
    pub next_state_id: Option<u64>,
    pub ignore_escalation: bool,
    pub default_create: bool,
    pub default_follow_up: bool,
}

pub const STATES: [StateDef; 6] = [
    StateDef {
        id: 1,
        name: "new",
        state_type_id: 1,
        next_state_id: None,
        ignore_escalation: false,
        default_create: true,
        default_follow_up: false,
    },
    StateDef {
        id: 2,
        name: "open",
        state_type_id: 2,
        next_state_id: None,
        ignore_escalation: false,
        default_create: false,
        default_follow_up: true,
    },
    StateDef {
        id: 3,
        name: "pending reminder",
        state_type_id: 3,
        next_state_id: None,
        ignore_escalation: true,
        default_create: false,
        default_follow_up: false,
    },
    StateDef {
        id: 4,
        name: "closed",
        state_type_id: 5,
        next_state_id: None,
        ignore_escalation: true,
        default_create: false,
        default_follow_up: false,
    },
    StateDef {
        id: 5,
        name: "merged",
        state_type_id: 6,
        next_state_id: None,
        ignore_escalation: true,
        default_create: false,
        default_follow_up: false,
    },
    StateDef {
        id: 6,
        name: "pending close",
        state_type_id: 4,
        next_state_id: Some(4),
        ignore_escalation: true,
        default_create: false,
        default_follow_up: false,
    },
];

pub const STATE_TYPES: [(u64, &str); 6] = [
    (1, "new"),
    (2, "open"),
    (3, "pending reminder"),
    (4, "pending action"),
    (5, "closed"),
    (6, "merged"),
];

/// (id, name, default_create, ui_icon/ui_color)
pub const PRIORITIES: [(u64, &str, bool, Option<&str>); 3] = [
    (1, "1 low", false, Some("low-priority")),
    (2, "2 normal", true, None),
    (3, "3 high", false, Some("important")),
];

pub const ARTICLE_TYPES: [(u64, &str); 12] = [
    (1, "email"),
    (2, "sms"),
    (3, "chat"),
    (4, "fax"),
    (5, "phone"),
    (6, "twitter status"),
    (7, "twitter direct-message"),
    (8, "facebook feed post"),
    (9, "facebook feed comment"),
    (10, "note"),
    (11, "web"),
    (12, "telegram personal-message"),
];

pub const SENDERS: [(u64, &str); 3] = [(1, "Agent"), (2, "Customer"), (3, "System")];

/// (id, name, label, description) of the permissions that appear in token listings.
pub const PERMISSIONS: [(u64, &str, &str, &str); 12] = [
    (51, "ticket", "Ticket", "Access to the ticket interface."),
    (
        37,
        "user_preferences.appearance",
        "Appearance",
        "Manage personal appearance settings.",
    ),
    (
        44,
        "user_preferences.device",
        "Devices",
        "Manage personal devices and sessions.",
    ),
    (
        53,
        "ticket.customer",
        "Customer Tickets",
        "Access tickets as customer.",
    ),
    (
        52,
        "ticket.agent",
        "Agent Tickets",
        "Access tickets as agent based on group access.",
    ),
    (
        38,
        "user_preferences",
        "Profile settings",
        "Access to user preferences.",
    ),
    (
        41,
        "user_preferences.access_token",
        "Token Access",
        "Manage personal API tokens.",
    ),
    (
        39,
        "user_preferences.avatar",
        "Avatar",
        "Change your avatar image.",
    ),
    (
        42,
        "user_preferences.language",
        "Language",
        "Change your language.",
    ),
    (
        45,
        "user_preferences.linked_accounts",
        "Linked Accounts",
        "Manage linked accounts.",
    ),
    (
        47,
        "user_preferences.password",
        "Password",
        "Change your password.",
    ),
    (
        49,
        "user_preferences.two_factor_authentication",
        "Two-factor Authentication",
        "Configure two-factor authentication methods.",
    ),
];

pub fn state(id: u64) -> Option<&'static StateDef> {
    STATES.iter().find(|s| s.id == id)
}

pub fn state_type_name(state_type_id: u64) -> &'static str {
    STATE_TYPES
        .iter()
        .find(|(id, _)| *id == state_type_id)
        .map(|(_, n)| *n)
        .unwrap_or("")
}

/// The state-type name of a state (`"closed"`, `"pending reminder"`, …).
pub fn state_type_of(state_id: u64) -> &'static str {
    state(state_id)
        .map(|s| state_type_name(s.state_type_id))
        .unwrap_or("")
}

pub fn priority_name(id: u64) -> Option<&'static str> {
    PRIORITIES.iter().find(|p| p.0 == id).map(|p| p.1)
}

pub fn article_type_name(id: u64) -> &'static str {
    ARTICLE_TYPES
        .iter()
        .find(|t| t.0 == id)
        .map(|t| t.1)
        .unwrap_or("note")
}

pub fn sender_name(id: u64) -> &'static str {
    SENDERS
        .iter()
        .find(|s| s.0 == id)
        .map(|s| s.1)
        .unwrap_or("Customer")
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: u64,
    pub login: String,
    pub firstname: String,
    pub lastname: String,
    pub email: String,
    pub organization_id: Option<u64>,
    /// Secondary organizations (`organization_ids`).
    pub organization_ids: Vec<u64>,
    pub role_ids: Vec<u64>,
    pub password: Option<String>,
    pub token_access: bool,
    /// Two-factor authentication (ignored on 5.x, which has none).
    pub two_factor: Option<TwoFactor>,
    pub note: String,
    pub phone: String,
    pub active: bool,
    pub vip: bool,
    pub login_failed: u32,
    pub last_login: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A user's two-factor set-up (Zammad 6.0+, lib/auth/two_factor*): the methods configured, the
/// default one, the authenticator app's current code, single-use recovery codes and one
/// registered security key.
#[derive(Clone, Debug, Default)]
pub struct TwoFactor {
    /// `authenticator_app` and/or `security_keys` (recovery codes are no method of their own).
    pub methods: Vec<String>,
    pub default: String,
    pub code: Option<String>,
    pub recovery_codes: Vec<String>,
    pub security_key: Option<SecurityKey>,
}

/// A registered WebAuthn credential: its id (base64url, as `navigator.credentials` reports it),
/// its public key when known (SubjectPublicKeyInfo DER of a P-256 key: then the ES256 signature
/// is verified) and the signature counter last seen.
#[derive(Clone, Debug)]
pub struct SecurityKey {
    pub credential_id: String,
    pub public_key: Option<Vec<u8>>,
    pub sign_count: u32,
}

pub const TWO_FACTOR_METHODS: [&str; 2] = ["authenticator_app", "security_keys"];

impl User {
    /// The two-factor set-up Zammad enforces for this user (none on 5.x).
    pub fn two_factor_on(&self, version: ZVersion) -> Option<&TwoFactor> {
        self.two_factor
            .as_ref()
            .filter(|t| version.has_two_factor() && !t.methods.is_empty())
    }

    pub fn fullname(&self) -> String {
        format!("{} {}", self.firstname, self.lastname)
            .trim()
            .to_string()
    }

    pub fn is_customer(&self) -> bool {
        self.role_ids.contains(&ROLE_CUSTOMER) && !self.role_ids.contains(&ROLE_AGENT)
    }

    /// The permission names this user holds through its roles.
    pub fn permissions(&self, version: ZVersion) -> Vec<&'static str> {
        let mut p = Vec::new();
        if self.role_ids.contains(&ROLE_AGENT) {
            p.extend(["ticket.agent", "user_preferences"]);
        }
        if self.role_ids.contains(&ROLE_CUSTOMER) {
            p.extend([
                "ticket.customer",
                "user_preferences.avatar",
                "user_preferences.language",
                "user_preferences.linked_accounts",
                "user_preferences.password",
            ]);
            if version.has_two_factor() {
                p.push("user_preferences.two_factor_authentication");
            }
            // Dark mode's permission, granted to the Customer role after 6.2 (whose Customer
            // role has six permissions, `fixtures/zammad-recorded/28-*`); 7.1 lists it
            // (`fixtures/zammad-recorded/15-*`) and the 2024 desktop view asks for it.
            if version.is_modern() {
                p.push("user_preferences.appearance");
            }
            if self.token_access {
                p.push("user_preferences.access_token");
            }
        }
        p
    }
}

#[derive(Clone, Debug)]
pub struct Organization {
    pub id: u64,
    pub name: String,
    pub shared: bool,
    pub created_at: i64,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub follow_up_possible: String,
    pub reopen_time_in_days: Option<i64>,
    pub active: bool,
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Ticket {
    pub id: u64,
    pub number: String,
    pub title: String,
    pub group_id: u64,
    pub priority_id: u64,
    pub state_id: u64,
    pub organization_id: Option<u64>,
    pub owner_id: u64,
    pub customer_id: u64,
    pub first_response_at: Option<i64>,
    pub close_at: Option<i64>,
    pub last_close_at: Option<i64>,
    pub last_contact_at: Option<i64>,
    pub last_contact_agent_at: Option<i64>,
    pub last_contact_customer_at: Option<i64>,
    pub create_article_type_id: Option<u64>,
    pub create_article_sender_id: Option<u64>,
    pub pending_time: Option<i64>,
    /// When the ticket escalates (ms); the escalation columns are `null` without it.
    pub escalation_at: Option<i64>,
    pub time_unit: Option<String>,
    pub preferences: Value,
    pub time_accounting_ids: Vec<u64>,
    pub created_by_id: u64,
    pub updated_by_id: u64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Custom attribute values by name (`super::attributes`).
    pub custom: serde_json::Map<String, Value>,
}

#[derive(Clone, Debug)]
pub struct Article {
    pub id: u64,
    pub ticket_id: u64,
    pub type_id: u64,
    pub sender_id: u64,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cc: Option<String>,
    pub subject: Option<String>,
    pub reply_to: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub content_type: String,
    pub body: String,
    pub internal: bool,
    pub preferences: Value,
    pub time_unit: Option<String>,
    pub created_by_id: u64,
    pub updated_by_id: u64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: u64,
    pub store_file_id: u64,
    pub article_id: u64,
    pub filename: String,
    pub data: Vec<u8>,
    /// `Mime-Type`, `Charset`, and for inline images `Content-ID` / `Content-Disposition`.
    pub preferences: Value,
    /// Inline images (from `data:` URIs) are not listed in `attachments`.
    pub inline: bool,
}

impl Attachment {
    pub fn mime_type(&self) -> String {
        self.preferences
            .get("Mime-Type")
            .and_then(Value::as_str)
            .unwrap_or("application/octet-stream")
            .to_string()
    }
}

#[derive(Clone, Debug)]
pub struct Token {
    pub id: u64,
    pub user_id: u64,
    pub value: String,
    pub label: String,
    pub permissions: Vec<String>,
    /// Days since the epoch; the token stops working at the start of that day (UTC).
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: u64,
}

/// The admin settings (Admin → Settings in Zammad) the fake honours; all on their stock values
/// after a reset, changed with `PATCH /__test/settings`.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `api_token_access`: tokens authenticate and may be created.
    pub api_token_access: bool,
    /// `api_password_access`: HTTP Basic authenticates.
    pub api_password_access: bool,
    /// `customer_ticket_create`: read only by Zammad's own UI (and handed to clients in
    /// `config`), never checked by the REST API.
    pub customer_ticket_create: bool,
    /// `customer_ticket_create_group_ids`: the groups Core Workflow lets a customer pick
    /// (empty: every active group).
    pub customer_ticket_create_group_ids: Vec<u64>,
    /// An Elasticsearch is configured (`es_url`): the normal production set-up, and what text
    /// search does depends on it (see `tickets::search`).
    pub elasticsearch: bool,
    /// `user_lost_password`: "Forgot password?" (`POST /users/password_reset`).
    pub user_lost_password: bool,
    /// `user_create_account`: sign-up (`POST /users` with `signup`).
    pub user_create_account: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            api_token_access: true,
            api_password_access: true,
            customer_ticket_create: true,
            customer_ticket_create_group_ids: CUSTOMER_CREATE_GROUP_IDS.to_vec(),
            elasticsearch: true,
            user_lost_password: true,
            user_create_account: true,
        }
    }
}

impl Settings {
    /// Applies `{name: value, …}`; an unknown name or a value of the wrong type is refused
    /// with the reason, and nothing is changed then.
    pub fn patch(&mut self, body: &Value) -> Result<(), String> {
        let Some(map) = body.as_object() else {
            return Err("settings must be a JSON object".into());
        };
        let mut next = self.clone();
        for (name, value) in map {
            let flag = || {
                value
                    .as_bool()
                    .ok_or_else(|| format!("{name} must be true or false"))
            };
            match name.as_str() {
                "api_token_access" => next.api_token_access = flag()?,
                "api_password_access" => next.api_password_access = flag()?,
                "customer_ticket_create" => next.customer_ticket_create = flag()?,
                "elasticsearch" => next.elasticsearch = flag()?,
                "user_lost_password" => next.user_lost_password = flag()?,
                "user_create_account" => next.user_create_account = flag()?,
                "customer_ticket_create_group_ids" => {
                    next.customer_ticket_create_group_ids = value
                        .as_array()
                        .and_then(|ids| {
                            ids.iter()
                                .map(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
                                .collect()
                        })
                        .ok_or_else(|| format!("{name} must be a list of group ids"))?
                }
                other => return Err(format!("unknown setting {other:?}")),
            }
        }
        *self = next;
        Ok(())
    }

    pub fn to_json(&self) -> Value {
        json!({
            "api_token_access": self.api_token_access,
            "api_password_access": self.api_password_access,
            "customer_ticket_create": self.customer_ticket_create,
            "customer_ticket_create_group_ids": self.customer_ticket_create_group_ids,
            "elasticsearch": self.elasticsearch,
            "user_lost_password": self.user_lost_password,
            "user_create_account": self.user_create_account,
        })
    }
}

/// Everything the fake Zammad knows. Lives behind one `Mutex`.
pub struct Store {
    pub version: ZVersion,
    pub settings: Settings,
    pub seeded_at: i64,
    pub users: Vec<User>,
    pub organizations: Vec<Organization>,
    pub groups: Vec<Group>,
    pub tickets: BTreeMap<u64, Ticket>,
    pub articles: BTreeMap<u64, Article>,
    pub attachments: BTreeMap<u64, Attachment>,
    pub tokens: Vec<Token>,
    pub sessions: HashMap<String, Session>,
    /// CSRF token → the session it belongs to (`None`: the cookie-less pre-session).
    csrf_tokens: HashMap<String, Option<String>>,
    csrf_order: VecDeque<String>,
    /// WebAuthn challenges handed out by `two_factor_initiate_authentication` (user id, challenge).
    pub webauthn_challenges: Vec<(u64, String)>,
    /// `two_factor_initiate_authentication` calls per user name (Rack::Attack's throttle).
    pub initiate_calls: Vec<(String, i64)>,
    pub next_ticket_id: u64,
    pub next_article_id: u64,
    pub next_attachment_id: u64,
    pub next_store_file_id: u64,
    pub next_token_id: u64,
    pub request_log: Vec<Value>,
    /// The mails Zammad would have sent (password reset, sign-up), oldest first
    /// (`GET /__test/mails`).
    pub mails: Vec<Value>,
    /// Accounts made by a sign-up whose address is not verified yet: they cannot sign in.
    pub unverified: Vec<u64>,
    /// The login the request being logged acted as (`acted_as` in the request log).
    pub last_acted_as: Option<String>,
    pub config_override: Option<Value>,
    pub rng: Rng,
    /// `elasticsearch` after a reset (the `--zammad-elasticsearch` start option).
    pub elasticsearch_default: bool,
}

const CSRF_KEEP: usize = 20_000;

impl Store {
    pub fn new(version: ZVersion, now: i64) -> Self {
        let mut s = Store {
            version,
            settings: Settings::default(),
            seeded_at: now,
            users: Vec::new(),
            organizations: Vec::new(),
            groups: Vec::new(),
            tickets: BTreeMap::new(),
            articles: BTreeMap::new(),
            attachments: BTreeMap::new(),
            tokens: Vec::new(),
            sessions: HashMap::new(),
            csrf_tokens: HashMap::new(),
            csrf_order: VecDeque::new(),
            webauthn_challenges: Vec::new(),
            initiate_calls: Vec::new(),
            next_ticket_id: 109,
            next_article_id: 1100,
            next_attachment_id: 600,
            next_store_file_id: 9100,
            next_token_id: 1,
            request_log: Vec::new(),
            mails: Vec::new(),
            unverified: Vec::new(),
            last_acted_as: None,
            config_override: None,
            rng: Rng::new(),
            elasticsearch_default: true,
        };
        seed(&mut s, now);
        s
    }

    /// Re-seeds everything (keeps the random generator and the start option for Elasticsearch).
    pub fn reset(&mut self, version: ZVersion, now: i64) {
        let rng = std::mem::take(&mut self.rng);
        let elasticsearch = self.elasticsearch_default;
        *self = Store::new(version, now);
        self.rng = rng;
        self.set_elasticsearch_default(elasticsearch);
    }

    /// Whether an Elasticsearch is configured, now and after every reset.
    pub fn set_elasticsearch_default(&mut self, on: bool) {
        self.elasticsearch_default = on;
        self.settings.elasticsearch = on;
    }

    /// Timestamp for records created by the system seed (states, groups, …).
    pub fn system_time(&self) -> i64 {
        self.seeded_at - 400 * MS_PER_DAY - (self.seeded_at % 1000) + 1000
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_mut(&mut self, id: u64) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    /// Login or e-mail, case-insensitive.
    pub fn user_by_login(&self, name: &str) -> Option<&User> {
        let n = name.trim().to_lowercase();
        self.users.iter().find(|u| {
            u.login.to_lowercase() == n || (!u.email.is_empty() && u.email.to_lowercase() == n)
        })
    }

    pub fn user_login(&self, id: u64) -> String {
        self.user(id).map(|u| u.login.clone()).unwrap_or_default()
    }

    pub fn organization(&self, id: u64) -> Option<&Organization> {
        self.organizations.iter().find(|o| o.id == id)
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The ticket is in the user's list and search (app/policies/ticket_policy/base_scope.rb):
    /// their own, and those of every shared organization they belong to, primary or secondary.
    pub fn can_list(&self, user: &User, ticket: &Ticket) -> bool {
        if user.role_ids.contains(&ROLE_AGENT) || ticket.customer_id == user.id {
            return true;
        }
        ticket.organization_id.is_some_and(|t| {
            (user.organization_id == Some(t) || user.organization_ids.contains(&t))
                && self.organization(t).is_some_and(|o| o.shared)
        })
    }

    /// The user may open (read, reply to, close) the ticket (app/policies/ticket_policy.rb):
    /// an organization's ticket only with a primary organization, though the organization may
    /// be a secondary one. A customer without a primary organization sees those tickets listed
    /// and gets 403 on opening them.
    pub fn can_see(&self, user: &User, ticket: &Ticket) -> bool {
        if user.role_ids.contains(&ROLE_AGENT) || ticket.customer_id == user.id {
            return true;
        }
        user.organization_id.is_some() && self.can_list(user, ticket)
    }

    /// What Zammad 5's Elasticsearch path lets a customer find: their own tickets and those of
    /// their primary organization, if shared (app/models/ticket/search.rb, 5.5).
    pub fn can_find_v5(&self, user: &User, ticket: &Ticket) -> bool {
        if user.role_ids.contains(&ROLE_AGENT) || ticket.customer_id == user.id {
            return true;
        }
        match (ticket.organization_id, user.organization_id) {
            (Some(t), Some(u)) if t == u => self.organization(t).is_some_and(|o| o.shared),
            _ => false,
        }
    }

    pub fn article_ids(&self, ticket_id: u64) -> Vec<u64> {
        self.articles
            .values()
            .filter(|a| a.ticket_id == ticket_id)
            .map(|a| a.id)
            .collect()
    }

    pub fn attachments_of(&self, article_id: u64) -> impl Iterator<Item = &Attachment> {
        self.attachments
            .values()
            .filter(move |a| a.article_id == article_id)
    }

    /// A fresh CSRF token that belongs to session `owner` (`None`: no session yet).
    pub fn issue_csrf(&mut self, owner: Option<String>) -> String {
        let t = self.rng.alnum(86);
        self.csrf_tokens.insert(t.clone(), owner);
        self.csrf_order.push_back(t.clone());
        while self.csrf_order.len() > CSRF_KEEP {
            if let Some(old) = self.csrf_order.pop_front() {
                self.csrf_tokens.remove(&old);
            }
        }
        t
    }

    /// Whether `token` was issued to session `owner` (Rails keeps the token in the session).
    pub fn csrf_valid(&self, token: &str, owner: Option<&str>) -> bool {
        self.csrf_tokens
            .get(token)
            .is_some_and(|o| o.as_deref() == owner)
    }

    pub fn new_ticket_id(&mut self) -> u64 {
        // Seeded tickets further up (201…) are skipped.
        while self.tickets.contains_key(&self.next_ticket_id) {
            self.next_ticket_id += 1;
        }
        let id = self.next_ticket_id;
        self.next_ticket_id += 1;
        id
    }

    pub fn new_article_id(&mut self) -> u64 {
        let id = self.next_article_id;
        self.next_article_id += 1;
        id
    }

    pub fn add_attachment(
        &mut self,
        article_id: u64,
        filename: &str,
        data: Vec<u8>,
        preferences: Value,
        inline: bool,
    ) -> u64 {
        let id = self.next_attachment_id;
        self.next_attachment_id += 1;
        let store_file_id = self.next_store_file_id;
        self.next_store_file_id += 1;
        self.attachments.insert(
            id,
            Attachment {
                id,
                store_file_id,
                article_id,
                filename: filename.to_string(),
                data,
                preferences,
                inline,
            },
        );
        id
    }

    /// Applies what an agent's public article does to the ticket: `new` → `open`, contact
    /// timestamps, first response.
    pub fn after_agent_article(&mut self, ticket_id: u64, internal: bool, now: i64) {
        if let Some(t) = self.tickets.get_mut(&ticket_id) {
            t.updated_at = now;
            t.updated_by_id = AGENT_ID;
            if !internal {
                if t.state_id == 1 {
                    t.state_id = 2;
                }
                t.last_contact_at = Some(now);
                t.last_contact_agent_at = Some(now);
                if t.first_response_at.is_none() {
                    t.first_response_at = Some(now);
                }
            }
        }
    }
}

/// A minimal valid one-page PDF ("Fire safety checklist"), with a correct xref table.
pub fn checklist_pdf() -> Vec<u8> {
    let content = "BT /F1 18 Tf 72 720 Td (Fire safety checklist) Tj 0 -28 Td /F1 12 Tf (1. Leave the room  2. Close the door) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{}\nendstream", content.len(), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{}\nendobj\n", i + 1, o));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for off in offsets {
        out.push_str(&format!("{off:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n",
        objects.len() + 1,
        xref
    ));
    out.into_bytes()
}

pub const NOTE_MARKER: &str = "USER-NOTE-MARKER agent remark";
pub const GROUP_NOTE_MARKER: &str = "GROUP-NOTE-MARKER";

pub const AGENT_EMAIL_BODY_101: &str = "<p>Hi Alice,</p><p>the <b>fire brigade</b> is on its way. Please:</p><ul><li>leave the room</li><li>close the door</li></ul><p>See our <a href=\"https://example.com/safety\">safety guide</a>.</p><img src=\"x\" onerror=\"window.__xss=1\"><script>window.__xss=1</script><p><a href=\"javascript:window.__xss=1\">click</a></p>";

struct SeedTicket {
    id: u64,
    title: &'static str,
    customer: u64,
    group: u64,
    state: u64,
    created_ago: i64,
    updated_ago: i64,
}

fn seed(s: &mut Store, now: i64) {
    let sys = s.system_time();
    // Seed attachments are 501, 502; uploads start at 600.
    s.next_attachment_id = 501;
    s.organizations = vec![
        Organization {
            id: 1,
            name: "Acme Corp".into(),
            shared: true,
            created_at: sys,
        },
        Organization {
            id: 2,
            name: "Globex Inc".into(),
            shared: true,
            created_at: sys,
        },
    ];
    let user = |id: u64,
                login: &str,
                first: &str,
                last: &str,
                email: &str,
                org: Option<u64>,
                roles: Vec<u64>,
                pw: Option<&str>| User {
        id,
        login: login.into(),
        firstname: first.into(),
        lastname: last.into(),
        email: email.into(),
        organization_id: org,
        organization_ids: Vec::new(),
        role_ids: roles,
        password: pw.map(String::from),
        token_access: true,
        two_factor: None,
        note: NOTE_MARKER.into(),
        phone: String::new(),
        active: true,
        vip: false,
        login_failed: 0,
        last_login: None,
        created_at: sys + id as i64 * 1017,
        updated_at: sys + id as i64 * 1017,
    };
    s.users = vec![
        user(1, "-", "", "", "", None, vec![], None),
        user(
            2,
            "emma@helpdesk.example",
            "Emma",
            "Agent",
            "emma@helpdesk.example",
            None,
            vec![ROLE_AGENT],
            None,
        ),
        user(
            10,
            "alice",
            "Alice",
            "Anders",
            "alice@example.com",
            Some(1),
            vec![ROLE_CUSTOMER],
            Some("alice-demo"),
        ),
        user(
            11,
            "carol",
            "Carol",
            "Chen",
            "carol@example.com",
            Some(1),
            vec![ROLE_CUSTOMER],
            Some("carol-demo"),
        ),
        user(
            12,
            "bob",
            "Bob",
            "Brown",
            "bob@example.com",
            Some(2),
            vec![ROLE_CUSTOMER],
            Some("bob-demo"),
        ),
    ];
    if let Some(u) = s.user_mut(10) {
        u.phone = "+1 555 0100".into();
        u.vip = true;
    }
    for (id, ago) in [
        (10u64, 2 * MS_PER_DAY + 4_321),
        (11, 5 * MS_PER_DAY + 1_234),
        (12, 9 * MS_PER_DAY + 777),
    ] {
        if let Some(u) = s.user_mut(id) {
            u.last_login = Some(now - ago);
        }
    }
    s.groups = vec![
        Group {
            id: 1,
            name: "Users".into(),
            follow_up_possible: "yes".into(),
            reopen_time_in_days: None,
            active: true,
            note: GROUP_NOTE_MARKER.into(),
        },
        Group {
            id: 2,
            name: "Support".into(),
            follow_up_possible: "yes".into(),
            reopen_time_in_days: None,
            active: true,
            note: GROUP_NOTE_MARKER.into(),
        },
        Group {
            id: 3,
            name: "Sales".into(),
            follow_up_possible: "new_ticket".into(),
            reopen_time_in_days: None,
            active: true,
            note: GROUP_NOTE_MARKER.into(),
        },
    ];

    let d = MS_PER_DAY;
    let h = MS_PER_HOUR;
    let seeds = [
        SeedTicket {
            id: 101,
            title: "Printer on fire",
            customer: 10,
            group: 2,
            state: 2,
            created_ago: 2 * d,
            updated_ago: h,
        },
        SeedTicket {
            id: 102,
            title: "VPN access for new colleague",
            customer: 11,
            group: 2,
            state: 1,
            created_ago: d + 2 * h,
            updated_ago: d,
        },
        SeedTicket {
            id: 103,
            title: "Invoice copy needed",
            customer: 10,
            group: 3,
            state: 4,
            created_ago: 14 * d,
            updated_ago: 10 * d,
        },
        SeedTicket {
            id: 104,
            title: "Password reset mail did not arrive",
            customer: 10,
            group: 2,
            state: 4,
            created_ago: 6 * d,
            updated_ago: 3 * d,
        },
        SeedTicket {
            id: 105,
            title: "Replacement keyboard",
            customer: 10,
            group: 2,
            state: 3,
            created_ago: 4 * d,
            updated_ago: 3 * h,
        },
        SeedTicket {
            id: 106,
            title: "New monitor request",
            customer: 10,
            group: 3,
            state: 1,
            created_ago: 5 * h,
            updated_ago: 5 * h,
        },
        SeedTicket {
            id: 107,
            title: "Globex server outage",
            customer: 12,
            group: 2,
            state: 2,
            created_ago: 6 * h,
            updated_ago: 2 * h,
        },
        SeedTicket {
            id: 108,
            title: "Laptop battery swollen",
            customer: 11,
            group: 2,
            state: 4,
            created_ago: 25 * d,
            updated_ago: 20 * d,
        },
    ];
    for st in &seeds {
        // Odd milliseconds so that timestamps look real and differ.
        let created = now - st.created_ago + (st.id as i64 * 37) % 1000;
        let updated = now - st.updated_ago + (st.id as i64 * 53) % 1000;
        let org = s.user(st.customer).and_then(|u| u.organization_id);
        let closed = state_type_of(st.state) == "closed";
        s.tickets.insert(
            st.id,
            Ticket {
                id: st.id,
                number: format!("31{}", st.id),
                title: st.title.into(),
                group_id: st.group,
                priority_id: 2,
                state_id: st.state,
                organization_id: org,
                owner_id: AGENT_ID,
                customer_id: st.customer,
                first_response_at: None,
                close_at: closed.then_some(updated),
                last_close_at: closed.then_some(updated),
                last_contact_at: Some(created),
                last_contact_agent_at: None,
                last_contact_customer_at: Some(created),
                create_article_type_id: Some(TYPE_WEB),
                create_article_sender_id: Some(SENDER_CUSTOMER),
                pending_time: (st.state == 3).then_some(now + 2 * d),
                escalation_at: None,
                time_unit: None,
                preferences: json!({}),
                time_accounting_ids: Vec::new(),
                created_by_id: st.customer,
                updated_by_id: st.customer,
                created_at: created,
                updated_at: updated,
                custom: Default::default(),
            },
        );
    }

    // Articles.
    let mut next_article = 1001u64;
    let customer_article = |s: &mut Store, next: &mut u64, ticket_id: u64, body: &str| -> u64 {
        let (customer_id, title, created) = match s.tickets.get(&ticket_id) {
            Some(t) => (t.customer_id, t.title.clone(), t.created_at),
            None => return 0,
        };
        let from = s
            .user(customer_id)
            .map(|u| format!("{} <{}>", u.fullname(), u.email))
            .unwrap_or_default();
        let id = *next;
        *next += 1;
        s.articles.insert(
            id,
            Article {
                id,
                ticket_id,
                type_id: TYPE_WEB,
                sender_id: SENDER_CUSTOMER,
                from: Some(from),
                to: None,
                cc: None,
                subject: Some(title),
                reply_to: None,
                message_id: None,
                in_reply_to: None,
                content_type: "text/plain".into(),
                body: body.into(),
                internal: false,
                preferences: json!({}),
                time_unit: None,
                created_by_id: customer_id,
                updated_by_id: customer_id,
                created_at: created + 48,
                updated_at: created + 48,
            },
        );
        id
    };
    let agent_email = |s: &mut Store, next: &mut u64, ticket_id: u64, body: &str, at: i64| -> u64 {
        let (customer_id, title) = match s.tickets.get(&ticket_id) {
            Some(t) => (t.customer_id, t.title.clone()),
            None => return 0,
        };
        let to = s
            .user(customer_id)
            .map(|u| format!("{} <{}>", u.fullname(), u.email))
            .unwrap_or_default();
        let id = *next;
        *next += 1;
        let message_id = format!("<{}.{}.{}@helpdesk.example>", at / 1000, ticket_id, id);
        s.articles.insert(
            id,
            Article {
                id,
                ticket_id,
                type_id: TYPE_EMAIL,
                sender_id: SENDER_AGENT,
                from: Some("Emma Agent via Support <support@helpdesk.example>".into()),
                to: Some(to),
                cc: None,
                subject: Some(format!("RE: {title}")),
                reply_to: None,
                message_id: Some(message_id),
                in_reply_to: None,
                content_type: "text/html".into(),
                body: body.into(),
                internal: false,
                preferences: json!({
                    "delivery_retry": 1,
                    "delivery_status_message": null,
                    "delivery_status": "success",
                    "delivery_status_date": crate::util::iso(at + 1500),
                }),
                time_unit: None,
                created_by_id: AGENT_ID,
                updated_by_id: AGENT_ID,
                created_at: at,
                updated_at: at,
            },
        );
        if let Some(t) = s.tickets.get_mut(&ticket_id) {
            t.last_contact_at = Some(at);
            t.last_contact_agent_at = Some(at);
            if t.first_response_at.is_none() {
                t.first_response_at = Some(at);
            }
            t.updated_by_id = AGENT_ID;
        }
        id
    };

    // 101: customer web article with attachment, internal note, agent e-mail with PDF.
    let a1001 = customer_article(
        s,
        &mut next_article,
        101,
        "The printer in room 42 is on fire.\nPlease send help!",
    );
    s.add_attachment(
        a1001,
        "printer-log.txt",
        b"Printer log: smoke detected at 09:14\n".to_vec(),
        json!({"Mime-Type": "text/plain", "Charset": "UTF-8"}),
        false,
    );
    let t101_created = s.tickets.get(&101).map(|t| t.created_at).unwrap_or(now);
    let note_at = t101_created + 2 * h + 311;
    s.articles.insert(
        1002,
        Article {
            id: 1002,
            ticket_id: 101,
            type_id: TYPE_NOTE,
            sender_id: SENDER_AGENT,
            from: Some("Emma Agent".into()),
            to: None,
            cc: None,
            subject: None,
            reply_to: None,
            message_id: None,
            in_reply_to: None,
            content_type: "text/html".into(),
            body: "<p>INTERNAL-NOTE-MARKER check the warranty first.</p>".into(),
            internal: true,
            preferences: json!({}),
            time_unit: None,
            created_by_id: AGENT_ID,
            updated_by_id: AGENT_ID,
            created_at: note_at,
            updated_at: note_at,
        },
    );
    next_article = 1003;
    let t101_updated = s.tickets.get(&101).map(|t| t.updated_at).unwrap_or(now);
    let a1003 = agent_email(
        s,
        &mut next_article,
        101,
        AGENT_EMAIL_BODY_101,
        t101_updated - 40,
    );
    if let Some(a) = s.articles.get_mut(&a1003) {
        a.time_unit = Some("15.0".into());
    }
    s.add_attachment(
        a1003,
        "checklist.pdf",
        checklist_pdf(),
        json!({"Mime-Type": "application/pdf"}),
        false,
    );
    if let Some(t) = s.tickets.get_mut(&101) {
        t.time_unit = Some("15.0".into());
        t.time_accounting_ids = vec![1];
        let first = t.first_response_at;
        t.preferences = json!({
            "escalation_calculation": {
                "first_response_at": crate::util::iso_opt(first),
                "last_update_at": crate::util::iso(t.updated_at),
                "sla_id": null,
                "sla_updated_at": null,
                "calendar_id": 1,
                "calendar_updated_at": crate::util::iso(sys),
                "escalation_disabled": false
            }
        });
    }

    customer_article(
        s,
        &mut next_article,
        102,
        "Please create a VPN account for our new colleague Dave, who starts on Monday.",
    );

    customer_article(
        s,
        &mut next_article,
        103,
        "Could you send me a copy of invoice 2024-0815? I need it for our accounting.",
    );
    let t103 = s.tickets.get(&103).map(|t| t.updated_at).unwrap_or(now);
    agent_email(
        s,
        &mut next_article,
        103,
        "<p>Hi Alice,</p><p>we have sent the invoice copy to your e-mail address.</p><p>Emma</p>",
        t103 - 2 * d,
    );

    customer_article(
        s,
        &mut next_article,
        104,
        "I requested a password reset but the mail never arrived.",
    );
    let t104 = s.tickets.get(&104).map(|t| t.updated_at).unwrap_or(now);
    agent_email(
        s,
        &mut next_article,
        104,
        "<p>Hi Alice,</p><p>please check your spam folder, we sent the mail again.</p>",
        t104 - d,
    );

    customer_article(
        s,
        &mut next_article,
        105,
        "Some keys of my keyboard stopped working. Can I get a replacement?",
    );
    let t105 = s.tickets.get(&105).map(|t| t.updated_at).unwrap_or(now);
    agent_email(
        s,
        &mut next_article,
        105,
        "<p>We ordered it. It should arrive within a week.</p>",
        t105 - 20,
    );

    customer_article(
        s,
        &mut next_article,
        106,
        "I would like to request a second monitor (27 inch) for my desk.",
    );
    customer_article(
        s,
        &mut next_article,
        107,
        "Our main server has been down since 6 am. Nobody can work.",
    );
    customer_article(
        s,
        &mut next_article,
        108,
        "The battery of my laptop is swollen and the case does not close any more.",
    );

    s.next_attachment_id = 600;
    s.next_article_id = 1100;

    // Closed tickets were last touched by the agent.
    for id in [103u64, 104, 108] {
        if let Some(t) = s.tickets.get_mut(&id) {
            t.updated_by_id = AGENT_ID;
        }
    }
    super::real_shapes::seed(s, now);
    seed_secondary_organizations(s, now);
    // Custom attribute values (super::attributes): what the customer may see, and one only
    // agents may (`internal_rating`), which the portal must never show.
    if let Some(t) = s.tickets.get_mut(&101) {
        t.custom.insert("product".into(), Value::from("scanner"));
        t.custom
            .insert("order_date".into(), Value::from("2026-11-02"));
        t.custom
            .insert("category".into(), Value::from("Hardware::Printer"));
        t.custom
            .insert("internal_rating".into(), Value::from("Difficult customer"));
    }
}

/// Customers with secondary organizations, apart from Alice, Carol and Bob (whose lists the
/// other tests know by heart): Dana (primary Initech, secondary Umbrella Corp) opens the
/// tickets of both; Erin (no primary organization, secondary Umbrella Corp) sees Umbrella's
/// tickets listed and gets 403 on opening them (zammad-api.md, 9.10); Gwen is Umbrella's.
fn seed_secondary_organizations(s: &mut Store, now: i64) {
    let sys = s.system_time();
    for (id, name) in [(3u64, "Initech"), (4, "Umbrella Corp")] {
        s.organizations.push(Organization {
            id,
            name: name.into(),
            shared: true,
            created_at: sys,
        });
    }
    let base = s.users.iter().find(|u| u.id == 10).cloned();
    let Some(base) = base else { return };
    for (id, login, first, last, org, secondary) in [
        (20u64, "dana", "Dana", "Dunn", Some(3u64), vec![4u64]),
        (21, "erin", "Erin", "Evans", None, vec![4]),
        (22, "gwen", "Gwen", "Gray", Some(4), vec![]),
    ] {
        s.users.push(User {
            id,
            login: login.into(),
            firstname: first.into(),
            lastname: last.into(),
            email: format!("{login}@example.com"),
            organization_id: org,
            organization_ids: secondary,
            password: Some(format!("{login}-demo")),
            phone: String::new(),
            vip: false,
            last_login: None,
            created_at: sys + id as i64 * 1017,
            updated_at: sys + id as i64 * 1017,
            ..base.clone()
        });
    }
    let d = MS_PER_DAY;
    let h = MS_PER_HOUR;
    for (id, title, customer, org, state, created_ago, updated_ago, body) in [
        (
            201u64,
            "Badge printer jams at the Initech front desk",
            20u64,
            3u64,
            2u64,
            3 * d,
            4 * h,
            "The badge printer at the front desk jams on every second card.",
        ),
        (
            202,
            "Umbrella VPN certificate expired",
            22,
            4,
            2,
            2 * d,
            6 * h,
            "Our VPN certificate expired this morning; nobody at Umbrella can connect.",
        ),
        (
            203,
            "Umbrella invoice address",
            22,
            4,
            4,
            9 * d,
            5 * d,
            "Please send our invoices to the new Umbrella address.",
        ),
    ] {
        let created = now - created_ago + (id as i64 * 37) % 1000;
        let updated = now - updated_ago + (id as i64 * 53) % 1000;
        let closed = state_type_of(state) == "closed";
        s.tickets.insert(
            id,
            Ticket {
                id,
                number: format!("31{id}"),
                title: title.into(),
                group_id: 2,
                priority_id: 2,
                state_id: state,
                organization_id: Some(org),
                owner_id: AGENT_ID,
                customer_id: customer,
                first_response_at: None,
                close_at: closed.then_some(updated),
                last_close_at: closed.then_some(updated),
                last_contact_at: Some(created),
                last_contact_agent_at: None,
                last_contact_customer_at: Some(created),
                create_article_type_id: Some(TYPE_WEB),
                create_article_sender_id: Some(SENDER_CUSTOMER),
                pending_time: None,
                escalation_at: None,
                time_unit: None,
                preferences: json!({}),
                time_accounting_ids: Vec::new(),
                created_by_id: customer,
                updated_by_id: customer,
                created_at: created,
                updated_at: updated,
                custom: Default::default(),
            },
        );
        let (name, email) = s
            .user(customer)
            .map(|u| (u.fullname(), u.email.clone()))
            .unwrap_or_default();
        let article_id = 2000 + id;
        s.articles.insert(
            article_id,
            Article {
                id: article_id,
                ticket_id: id,
                type_id: TYPE_WEB,
                sender_id: SENDER_CUSTOMER,
                from: Some(format!("{name} <{email}>")),
                to: None,
                cc: None,
                subject: Some(title.into()),
                reply_to: None,
                message_id: None,
                in_reply_to: None,
                content_type: "text/plain".into(),
                body: body.into(),
                internal: false,
                preferences: json!({}),
                time_unit: None,
                created_by_id: customer,
                updated_by_id: customer,
                created_at: created + 48,
                updated_at: created + 48,
            },
        );
    }
}
