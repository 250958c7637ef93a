//! The fake Znuny's state: agents, customer users and companies, queues, states, tickets,
//! articles, attachments, history and Generic Interface sessions, plus the two seeds (the demo
//! seed mirroring the Zammad demo, and the `recording` seed that matches the system the
//! fixtures in `fixtures/znuny-7.1.7/` were recorded on).

use crate::util::Rng;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Which shipped route table the web service uses (contract section 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routes {
    /// Table A: the Znuny 7.1 "Ready2Adopt" example (POST /Ticket/Search, SessionDelete).
    Znuny7,
    /// Table B: the older 6.x example (GET /Ticket search, TicketGetList, no logout).
    Znuny6,
}

impl Routes {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "7" | "a" | "znuny7" | "7.1" => Some(Self::Znuny7),
            "6" | "b" | "znuny6" | "6.x" | "6.5" => Some(Self::Znuny6),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Znuny7 => "7",
            Self::Znuny6 => "6",
        }
    }
}

/// What `SessionDelete` with only a SessionID does (contract 4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Logout {
    /// Znuny 7.1.7: the SessionID alone gives `SessionRemove.AuthFail`, the session stays.
    Quirk717,
    /// Znuny 7.2 / 6.5.16: the SessionID alone is enough.
    Fixed,
}

impl Logout {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "7.1.7" | "quirk" | "717" => Some(Self::Quirk717),
            "fixed" | "7.2" | "6.5.16" => Some(Self::Fixed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quirk717 => "7.1.7",
            Self::Fixed => "fixed",
        }
    }
}

/// Which data the store starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    /// The demo seed (mirrors the Zammad demo seed; see README).
    Demo,
    /// The system the 7.1.7 fixtures were recorded on (used by the fixture replay test).
    Recording,
}

/// Settings that survive a reset unless the reset overrides them.
#[derive(Clone, Debug)]
pub struct Settings {
    pub routes: Routes,
    /// `SessionMaxIdleTime`: the GI never refreshes `UserLastRequest`, so this is the lifetime.
    pub session_seconds: i64,
    pub logout: Logout,
    /// `SessionCheckRemoteIP` (+ `SessionDeleteIfNotRemoteID`).
    pub check_remote_ip: bool,
    /// The web service maps the FAQ add-on's public operations (`routes_with_faq`).
    pub faq: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            routes: Routes::Znuny7,
            session_seconds: 7200,
            logout: Logout::Quirk717,
            check_remote_ip: true,
            faq: true,
        }
    }
}

/// `SessionMaxTime`: hard limit counted from the session start.
pub const SESSION_MAX_TIME: i64 = 57_600;

/// The fake's clock. Handlers never read the system clock directly, so tests can move time.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// System time plus an offset (moved by `POST /__test/clock`).
    System { offset_ms: i64 },
    /// A fixed instant (tests).
    Manual(i64),
}

pub struct StateDef {
    pub id: u64,
    pub name: &'static str,
    pub type_name: &'static str,
    pub type_id: u64,
}

/// Stock Znuny states (IDs as in a fresh installation).
pub const STATES: [StateDef; 9] = [
    StateDef {
        id: 1,
        name: "new",
        type_name: "new",
        type_id: 1,
    },
    StateDef {
        id: 2,
        name: "closed successful",
        type_name: "closed",
        type_id: 3,
    },
    StateDef {
        id: 3,
        name: "closed unsuccessful",
        type_name: "closed",
        type_id: 3,
    },
    StateDef {
        id: 4,
        name: "open",
        type_name: "open",
        type_id: 2,
    },
    StateDef {
        id: 5,
        name: "removed",
        type_name: "removed",
        type_id: 6,
    },
    StateDef {
        id: 6,
        name: "pending reminder",
        type_name: "pending reminder",
        type_id: 4,
    },
    StateDef {
        id: 7,
        name: "pending auto close+",
        type_name: "pending auto",
        type_id: 5,
    },
    StateDef {
        id: 8,
        name: "pending auto close-",
        type_name: "pending auto",
        type_id: 5,
    },
    StateDef {
        id: 9,
        name: "merged",
        type_name: "merged",
        type_id: 7,
    },
];

pub const STATE_TYPES: [(u64, &str); 7] = [
    (1, "new"),
    (2, "open"),
    (3, "closed"),
    (4, "pending reminder"),
    (5, "pending auto"),
    (6, "removed"),
    (7, "merged"),
];

pub const PRIORITIES: [(u64, &str); 5] = [
    (1, "1 very low"),
    (2, "2 low"),
    (3, "3 normal"),
    (4, "4 high"),
    (5, "5 very high"),
];

pub const LOCKS: [(u64, &str); 3] = [(1, "unlock"), (2, "lock"), (3, "tmp_lock")];
pub const TYPES: [(u64, &str); 1] = [(1, "Unclassified")];
/// (id, name) of the article sender types.
pub const SENDER_TYPES: [(u64, &str); 3] = [(1, "agent"), (2, "system"), (3, "customer")];
/// (id, name) of the communication channels.
pub const CHANNELS: [(u64, &str); 4] = [(1, "Email"), (2, "Phone"), (3, "Internal"), (4, "Chat")];
pub const AUTO_RESPONSE_TYPES: [&str; 5] = [
    "auto reply",
    "auto reject",
    "auto follow up",
    "auto reply/new ticket",
    "auto remove",
];
/// (id, name) of the history types.
pub const HISTORY_TYPES: [(u64, &str); 46] = [
    (1, "NewTicket"),
    (2, "FollowUp"),
    (3, "SendAutoReject"),
    (4, "SendAutoReply"),
    (5, "SendAutoFollowUp"),
    (6, "Forward"),
    (7, "Bounce"),
    (8, "SendAnswer"),
    (9, "SendAgentNotification"),
    (10, "SendCustomerNotification"),
    (11, "EmailAgent"),
    (12, "EmailCustomer"),
    (13, "PhoneCallAgent"),
    (14, "PhoneCallCustomer"),
    (15, "AddNote"),
    (16, "Move"),
    (17, "Lock"),
    (18, "Unlock"),
    (19, "Remove"),
    (20, "TimeAccounting"),
    (21, "CustomerUpdate"),
    (22, "PriorityUpdate"),
    (23, "OwnerUpdate"),
    (24, "LoopProtection"),
    (25, "Misc"),
    (26, "SetPendingTime"),
    (27, "StateUpdate"),
    (28, "TicketDynamicFieldUpdate"),
    (29, "WebRequestCustomer"),
    (30, "TicketLinkAdd"),
    (31, "TicketLinkDelete"),
    (32, "SystemRequest"),
    (33, "Merged"),
    (34, "ResponsibleUpdate"),
    (35, "Subscribe"),
    (36, "Unsubscribe"),
    (37, "TypeUpdate"),
    (38, "ServiceUpdate"),
    (39, "SLAUpdate"),
    (40, "ArchiveFlagUpdate"),
    (41, "EscalationSolutionTimeStop"),
    (42, "EscalationResponseTimeStart"),
    (43, "EscalationUpdateTimeStart"),
    (44, "EscalationSolutionTimeStart"),
    (45, "EscalationResponseTimeNotifyBefore"),
    (46, "TitleUpdate"),
];

pub fn state(id: u64) -> Option<&'static StateDef> {
    STATES.iter().find(|s| s.id == id)
}

pub fn state_by_name(name: &str) -> Option<&'static StateDef> {
    STATES.iter().find(|s| s.name == name)
}

pub fn priority_name(id: u64) -> &'static str {
    PRIORITIES
        .iter()
        .find(|p| p.0 == id)
        .map(|p| p.1)
        .unwrap_or("")
}

pub fn lock_name(id: u64) -> &'static str {
    LOCKS.iter().find(|p| p.0 == id).map(|p| p.1).unwrap_or("")
}

pub fn type_name(id: u64) -> &'static str {
    TYPES.iter().find(|p| p.0 == id).map(|p| p.1).unwrap_or("")
}

pub fn sender_type_name(id: u64) -> &'static str {
    SENDER_TYPES
        .iter()
        .find(|p| p.0 == id)
        .map(|p| p.1)
        .unwrap_or("")
}

pub fn sender_type_id(name: &str) -> Option<u64> {
    SENDER_TYPES.iter().find(|p| p.1 == name).map(|p| p.0)
}

pub fn channel_name(id: u64) -> &'static str {
    CHANNELS
        .iter()
        .find(|p| p.0 == id)
        .map(|p| p.1)
        .unwrap_or("")
}

pub fn channel_id(name: &str) -> Option<u64> {
    CHANNELS.iter().find(|p| p.1 == name).map(|p| p.0)
}

pub fn history_type_id(name: &str) -> Option<u64> {
    HISTORY_TYPES.iter().find(|p| p.1 == name).map(|p| p.0)
}

#[derive(Clone, Debug)]
pub struct Agent {
    pub id: u64,
    pub login: String,
    pub first: String,
    pub last: String,
    pub email: String,
    /// None: cannot log in.
    pub password: Option<String>,
    pub valid: bool,
    pub admin: bool,
}

impl Agent {
    pub fn fullname(&self) -> String {
        format!("{} {}", self.first, self.last).trim().to_string()
    }
}

#[derive(Clone, Debug)]
pub struct Company {
    pub id: String,
    pub name: String,
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub url: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug)]
pub struct CustomerUser {
    pub login: String,
    pub first: String,
    pub last: String,
    pub email: String,
    pub customer_id: String,
    pub password: String,
    pub valid: bool,
    pub login_failed: u32,
    pub last_login: Option<i64>,
    pub pw_changed: i64,
    pub created: i64,
    pub changed: i64,
}

impl CustomerUser {
    pub fn fullname(&self) -> String {
        format!("{} {}", self.first, self.last).trim().to_string()
    }

    /// `"Full Name" <email>`
    pub fn mail_string(&self) -> String {
        format!("\"{}\" <{}>", self.fullname(), self.email)
    }
}

#[derive(Clone, Debug)]
pub struct Queue {
    pub id: u64,
    pub name: String,
    pub group_id: u64,
    pub valid: bool,
    /// Informational only: the GI ignores it (no reopen, no refusal).
    pub follow_up: &'static str,
}

#[derive(Clone, Debug)]
pub struct Ticket {
    pub id: u64,
    pub number: String,
    pub title: String,
    pub queue_id: u64,
    pub state_id: u64,
    pub priority_id: u64,
    pub type_id: u64,
    pub lock_id: u64,
    pub owner_id: u64,
    pub responsible_id: u64,
    /// `CustomerUserID` (login, or an e-mail for unknown customers); None for ticket 1.
    pub customer_user: Option<String>,
    /// `CustomerID` (company).
    pub customer_id: Option<String>,
    pub service_id: Option<u64>,
    pub sla_id: Option<u64>,
    /// Pending time (epoch seconds), 0 when unset.
    pub until_time: i64,
    /// Escalation time (epoch seconds; 0: none, as without SLAs or queue escalation).
    pub escalation: i64,
    pub unlock_timeout: i64,
    pub archived: bool,
    pub created: i64,
    pub changed: i64,
    pub create_by: u64,
    pub change_by: u64,
    /// First time the ticket reached a closed state.
    pub closed: Option<i64>,
    /// Every `Ticket` object received for this ticket (create and updates), as sent.
    pub received: Vec<Value>,
    /// Dynamic field values by name, as Znuny stores them (`DynamicFieldValue`).
    pub dynamic_fields: BTreeMap<String, Value>,
}

/// The drivers of the dynamic fields the fake knows (`Kernel/System/DynamicField/Driver/*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DfDriver {
    Text,
    TextArea,
    Dropdown,
    Multiselect,
    Checkbox,
    Date,
    DateTime,
}

/// A ticket dynamic field (`DynamicFieldGet`): name, driver, possible values (value → shown).
#[derive(Clone, Debug)]
pub struct DynamicFieldDef {
    pub name: String,
    pub driver: DfDriver,
    pub possible_values: Vec<(String, String)>,
}

impl DynamicFieldDef {
    /// `ValueValidate` of the field's driver (the Generic Interface's
    /// `ValidateDynamicFieldValue`): selects take only possible values, checkboxes 0 or 1,
    /// dates `YYYY-MM-DD 00:00:00` or `YYYY-MM-DD` (the Date driver adds the midnight itself),
    /// date-times `YYYY-MM-DD HH:MM:SS`, both a real calendar day (Znuny compares the value with
    /// its DateTime object's rendering); an empty value is fine. Checked on a real 7.1.7.
    pub fn value_valid(&self, v: &Value) -> bool {
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let possible = |s: &str| s.is_empty() || self.possible_values.iter().any(|(k, _)| k == s);
        match (self.driver, v) {
            (DfDriver::Multiselect, Value::Array(items)) => items
                .iter()
                .all(|i| scalar(i).is_some_and(|s| possible(&s))),
            (_, Value::Array(_)) => false,
            (driver, v) => {
                let Some(s) = scalar(v) else { return false };
                match driver {
                    DfDriver::Text | DfDriver::TextArea => true,
                    DfDriver::Dropdown | DfDriver::Multiselect => possible(&s),
                    DfDriver::Checkbox => s.is_empty() || s == "0" || s == "1",
                    DfDriver::Date => {
                        s.is_empty() || date_time(self.stored(v).as_str().unwrap_or(""), true)
                    }
                    DfDriver::DateTime => s.is_empty() || date_time(&s, false),
                }
            }
        }
    }

    /// The value as Znuny stores it: the Date driver completes a bare day with ` 00:00:00`.
    pub fn stored(&self, v: &Value) -> Value {
        match (self.driver, v) {
            (DfDriver::Date, Value::String(s)) if s.len() == 10 => format!("{s} 00:00:00").into(),
            _ => v.clone(),
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` naming a real moment (`midnight`: at 00:00:00).
fn date_time(s: &str, midnight: bool) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return false;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(99);
    let (year, month, day) = (n(0..4), n(5..7), n(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    (1..=days).contains(&day)
        && n(11..13) < 24
        && n(14..16) < 60
        && n(17..19) < 60
        && (!midnight || s.ends_with(" 00:00:00"))
}

#[derive(Clone, Debug)]
pub struct Article {
    pub id: u64,
    pub ticket_id: u64,
    pub number: u64,
    pub sender_type_id: u64,
    pub channel_id: u64,
    pub visible: bool,
    pub from: String,
    pub to: String,
    pub cc: String,
    pub bcc: String,
    pub reply_to: String,
    pub subject: String,
    /// The stored plain-text body (HTML articles: Znuny's text rendering).
    pub body: String,
    /// The original HTML of HTML articles (the `file-2` attachment).
    pub html_body: Option<String>,
    pub content_type: String,
    pub mime_type: String,
    pub charset: String,
    pub message_id: String,
    pub in_reply_to: String,
    pub references: String,
    pub time_unit: f64,
    pub created: i64,
    pub create_by: u64,
    /// Sent as an e-mail (`ArticleSend`).
    pub sent: bool,
    /// The `Article` object as received (all keys, attachments without content).
    pub received: Option<Value>,
}

#[derive(Clone, Debug)]
pub struct Attachment {
    /// Global id (test API).
    pub id: u64,
    pub article_id: u64,
    /// Per-article FileID (1-based, counts the HTML body part too).
    pub file_id: u64,
    pub filename: String,
    pub content_type: String,
    pub disposition: String,
    pub content_id: String,
    pub content_alternative: String,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct HistoryEntry {
    pub ticket_id: u64,
    pub article_id: u64,
    pub history_type: &'static str,
    pub name: String,
    pub create_by: u64,
    pub created: i64,
    pub queue_id: u64,
    pub owner_id: u64,
    pub priority_id: u64,
    pub state_id: u64,
    pub type_id: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    Agent(u64),
    Customer(String),
}

#[derive(Clone, Debug)]
pub struct Session {
    pub id: String,
    pub who: Principal,
    /// Epoch seconds of SessionCreate (`UserSessionStart` = `UserLastRequest`).
    pub start: i64,
    pub remote_addr: String,
    pub user_agent: String,
    /// The session data snapshot taken at creation (as SessionGet returns it).
    pub data: BTreeMap<String, Value>,
}

/// How new ticket numbers are made.
#[derive(Clone, Debug)]
pub enum NumberScheme {
    /// `<prefix><id:05>` (the demo seed: `"20261124100" + 5-digit id`).
    Prefix(String),
    /// Znuny's DateChecksum generator with SystemID 10 (the recording).
    DateChecksum { counter: u64 },
}

pub struct Store {
    pub seed: Seed,
    pub settings: Settings,
    /// The settings from the command line (a reset without overrides goes back to these).
    pub defaults: Settings,
    pub clock: Clock,
    pub seeded_at: i64,
    pub agents: Vec<Agent>,
    pub companies: Vec<Company>,
    pub customers: Vec<CustomerUser>,
    pub queues: Vec<Queue>,
    /// Valid ticket dynamic fields (a stock Znuny has none).
    pub dynamic_fields: Vec<DynamicFieldDef>,
    pub tickets: BTreeMap<u64, Ticket>,
    pub articles: BTreeMap<u64, Article>,
    pub attachments: BTreeMap<u64, Attachment>,
    pub history: Vec<HistoryEntry>,
    pub sessions: HashMap<String, Session>,
    pub next_ticket_id: u64,
    pub next_article_id: u64,
    pub next_attachment_id: u64,
    pub numbers: NumberScheme,
    pub system_address: (String, String),
    pub request_log: Vec<Value>,
    pub config_override: Option<Value>,
    pub rng: Rng,
}

impl Store {
    pub fn new(seed: Seed, settings: Settings, clock: Clock) -> Self {
        let mut s = Store {
            seed,
            defaults: settings.clone(),
            settings,
            clock,
            seeded_at: 0,
            agents: Vec::new(),
            companies: Vec::new(),
            customers: Vec::new(),
            queues: Vec::new(),
            dynamic_fields: Vec::new(),
            tickets: BTreeMap::new(),
            articles: BTreeMap::new(),
            attachments: BTreeMap::new(),
            history: Vec::new(),
            sessions: HashMap::new(),
            next_ticket_id: 109,
            next_article_id: 1100,
            next_attachment_id: 600,
            numbers: NumberScheme::Prefix("20261124100".into()),
            system_address: (String::new(), String::new()),
            request_log: Vec::new(),
            config_override: None,
            rng: Rng::new(),
        };
        s.seeded_at = s.now();
        match seed {
            Seed::Demo => super::seed::demo(&mut s),
            Seed::Recording => super::seed::recording(&mut s),
        }
        s
    }

    /// Re-creates everything (keeps the random generator and the defaults; a system clock
    /// loses any offset from `POST /__test/clock`, a manual clock stays where it is).
    pub fn reset(&mut self, settings: Settings) {
        let rng = std::mem::take(&mut self.rng);
        let defaults = self.defaults.clone();
        let clock = match self.clock {
            Clock::System { .. } => Clock::System { offset_ms: 0 },
            manual => manual,
        };
        *self = Store::new(self.seed, settings, clock);
        self.defaults = defaults;
        self.rng = rng;
    }

    /// Milliseconds since the epoch according to the fake's clock.
    pub fn now_ms(&self) -> i64 {
        match self.clock {
            Clock::System { offset_ms } => crate::util::now_ms() + offset_ms,
            Clock::Manual(ms) => ms,
        }
    }

    /// Seconds since the epoch according to the fake's clock.
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock forward (or back).
    pub fn advance(&mut self, seconds: i64) {
        match &mut self.clock {
            Clock::System { offset_ms } => *offset_ms += seconds * 1000,
            Clock::Manual(ms) => *ms += seconds * 1000,
        }
    }

    pub fn agent(&self, id: u64) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }

    pub fn agent_by_login(&self, login: &str) -> Option<&Agent> {
        let l = login.to_lowercase();
        self.agents.iter().find(|a| a.login.to_lowercase() == l)
    }

    pub fn agent_login(&self, id: u64) -> String {
        self.agent(id).map(|a| a.login.clone()).unwrap_or_default()
    }

    /// `CustomerUserDataGet(User => …)`: the login, case-insensitive.
    pub fn customer(&self, login: &str) -> Option<&CustomerUser> {
        let l = login.trim().to_lowercase();
        self.customers.iter().find(|c| c.login.to_lowercase() == l)
    }

    pub fn customer_mut(&mut self, login: &str) -> Option<&mut CustomerUser> {
        let l = login.trim().to_lowercase();
        self.customers
            .iter_mut()
            .find(|c| c.login.to_lowercase() == l)
    }

    /// `CustomerSearch(PostMasterSearch => …)`: by e-mail address, case-insensitive.
    pub fn customer_by_email(&self, email: &str) -> Option<&CustomerUser> {
        let e = email.trim().to_lowercase();
        let e = e
            .rsplit_once('<')
            .map(|(_, r)| r.trim_end_matches('>').to_string())
            .unwrap_or(e);
        self.customers.iter().find(|c| c.email.to_lowercase() == e)
    }

    pub fn company(&self, id: &str) -> Option<&Company> {
        self.companies.iter().find(|c| c.id == id)
    }

    pub fn queue(&self, id: u64) -> Option<&Queue> {
        self.queues.iter().find(|q| q.id == id)
    }

    /// Queue names are compared exactly (PostgreSQL).
    pub fn queue_by_name(&self, name: &str) -> Option<&Queue> {
        self.queues.iter().find(|q| q.name == name)
    }

    pub fn queue_name(&self, id: u64) -> String {
        self.queue(id).map(|q| q.name.clone()).unwrap_or_default()
    }

    pub fn articles_of(&self, ticket_id: u64) -> impl Iterator<Item = &Article> {
        self.articles
            .values()
            .filter(move |a| a.ticket_id == ticket_id)
    }

    pub fn attachments_of(&self, article_id: u64) -> impl Iterator<Item = &Attachment> {
        self.attachments
            .values()
            .filter(move |a| a.article_id == article_id)
    }

    /// `TicketCustomerPermission(Type => 'ro')`: own tickets and tickets of the own company.
    pub fn customer_can_see(&self, login: &str, t: &Ticket) -> bool {
        let Some(c) = self.customer(login) else {
            return false;
        };
        if let Some(cu) = &t.customer_user {
            if cu.to_lowercase() == c.login.to_lowercase() {
                return true;
            }
        }
        match &t.customer_id {
            Some(cid) if !cid.is_empty() => cid.to_lowercase() == c.customer_id.to_lowercase(),
            _ => false,
        }
    }

    pub fn can_see(&self, who: &Principal, t: &Ticket) -> bool {
        match who {
            Principal::Agent(id) => self.agent(*id).map(|a| a.valid).unwrap_or(false),
            Principal::Customer(login) => self.customer_can_see(login, t),
        }
    }

    /// Looks a ticket ID up the way the kernel would: digits only.
    pub fn ticket_by_id_str(&self, id: &str) -> Option<&Ticket> {
        let id = id.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        id.parse::<u64>().ok().and_then(|i| self.tickets.get(&i))
    }

    pub fn new_ticket_number(&mut self, ticket_id: u64) -> String {
        let now = self.now();
        match &mut self.numbers {
            NumberScheme::Prefix(p) => format!("{p}{ticket_id:05}"),
            NumberScheme::DateChecksum { counter } => {
                *counter += 1;
                date_checksum_number(now, *counter)
            }
        }
    }

    pub fn new_session_id(&mut self) -> String {
        loop {
            let id = self.rng.alnum(32);
            if !self.sessions.contains_key(&id) {
                return id;
            }
        }
    }

    /// `CheckSessionID`: idle time (counted from creation, the GI never refreshes it), the
    /// absolute maximum and, if enabled, the remote address. Invalid sessions are removed.
    pub fn check_session(&mut self, id: &str, remote_addr: &str) -> Option<Session> {
        let now = self.now();
        let s = self.sessions.get(id)?.clone();
        let idle_expired = s.start + self.settings.session_seconds < now;
        let max_expired = s.start + SESSION_MAX_TIME < now;
        let wrong_ip = self.settings.check_remote_ip && s.remote_addr != remote_addr;
        if idle_expired || max_expired || wrong_ip {
            self.sessions.remove(id);
            return None;
        }
        Some(s)
    }

    /// Appends a history line with the ticket's current values.
    pub fn add_history(
        &mut self,
        ticket_id: u64,
        article_id: u64,
        history_type: &'static str,
        name: String,
        by: u64,
    ) {
        let now = self.now();
        let Some(t) = self.tickets.get(&ticket_id) else {
            return;
        };
        let entry = HistoryEntry {
            ticket_id,
            article_id,
            history_type,
            name,
            create_by: by,
            created: now,
            queue_id: t.queue_id,
            owner_id: t.owner_id,
            priority_id: t.priority_id,
            state_id: t.state_id,
            type_id: t.type_id,
        };
        self.history.push(entry);
    }

    /// Marks the ticket as changed now by `by`.
    pub fn touch(&mut self, ticket_id: u64, by: u64) {
        let now = self.now();
        if let Some(t) = self.tickets.get_mut(&ticket_id) {
            t.changed = now;
            t.change_by = by;
        }
    }

    /// Sets the state (like `TicketStateSet`): history, close time, pending time reset.
    pub fn set_state(&mut self, ticket_id: u64, state_id: u64, by: u64) {
        let now = self.now();
        let Some(t) = self.tickets.get(&ticket_id) else {
            return;
        };
        if t.state_id == state_id {
            return;
        }
        let old = state(t.state_id).map(|s| s.name).unwrap_or("");
        let new = state(state_id).map(|s| s.name).unwrap_or("");
        let new_type = state(state_id).map(|s| s.type_name).unwrap_or("");
        if let Some(t) = self.tickets.get_mut(&ticket_id) {
            t.state_id = state_id;
            if new_type == "closed" && t.closed.is_none() {
                t.closed = Some(now);
            }
        }
        self.touch(ticket_id, by);
        self.add_history(ticket_id, 0, "StateUpdate", format!("%%{old}%%{new}%%"), by);
        if !new_type.starts_with("pending") {
            if let Some(t) = self.tickets.get_mut(&ticket_id) {
                t.until_time = 0;
            }
            self.add_history(
                ticket_id,
                0,
                "SetPendingTime",
                "%%00-00-00 00:00".into(),
                by,
            );
        }
    }

    /// Sets the lock (like `TicketLockSet`); no-op when unchanged.
    pub fn set_lock(&mut self, ticket_id: u64, lock_id: u64, by: u64) {
        let Some(t) = self.tickets.get_mut(&ticket_id) else {
            return;
        };
        if t.lock_id == lock_id {
            return;
        }
        t.lock_id = lock_id;
        let kind = if lock_id == 1 { "Unlock" } else { "Lock" };
        let name = format!("%%{}", lock_name(lock_id));
        self.touch(ticket_id, by);
        self.add_history(ticket_id, 0, kind, name, by);
    }

    /// Creates an article (like `ArticleCreate` of the MIME based backends) and returns its id.
    /// HTML bodies are stored as Znuny does: the text rendering as `Body`, the HTML as the
    /// `file-2` part (FileID 1), `ContentType` switched to text/plain.
    pub fn create_article(&mut self, mut a: Article, files: Vec<NewFile>, by: u64) -> u64 {
        let id = self.next_article_id;
        self.next_article_id += 1;
        a.id = id;
        a.number = self.articles_of(a.ticket_id).count() as u64 + 1;
        if a.mime_type.eq_ignore_ascii_case("text/html") {
            a.html_body = Some(a.body.clone());
            a.body = super::html::to_ascii(&a.body);
            a.mime_type = "text/plain".into();
            a.content_type = replace_first_ci(&a.content_type, "html", "plain");
        }
        let ticket_id = a.ticket_id;
        let sender_is_system = a.sender_type_id == 2;
        let created = a.created;
        let html = a.html_body.clone();
        self.articles.insert(id, a);
        // The HTML body part is FileID 1 (rendered from `html_body`, not a stored file).
        let mut file_id = u64::from(html.is_some());
        for f in files {
            file_id += 1;
            self.add_file(id, file_id, f);
        }
        // The unlock timeout is reset when the previous (non-system) article was an agent's.
        if !sender_is_system {
            let last = self
                .articles_of(ticket_id)
                .filter(|x| x.id != id && x.sender_type_id != 2)
                .last()
                .map(|x| x.sender_type_id);
            if last == Some(1) {
                if let Some(t) = self.tickets.get_mut(&ticket_id) {
                    t.unlock_timeout = created;
                }
            }
        }
        if let Some(t) = self.tickets.get_mut(&ticket_id) {
            t.changed = created.max(t.changed);
            t.change_by = by;
        }
        id
    }

    fn add_file(&mut self, article_id: u64, file_id: u64, f: NewFile) -> u64 {
        let id = self.next_attachment_id;
        self.next_attachment_id += 1;
        // ArticleWriteAttachment: trim, strip leading dots, make the name unique.
        let mut name = f
            .filename
            .trim()
            .replace(['\r', '\n'], "")
            .trim_start_matches('.')
            .to_string();
        let used: Vec<String> = self
            .attachments_of(article_id)
            .map(|a| a.filename.clone())
            .collect();
        let mut i = 1;
        while used.contains(&name) && i <= 50 {
            name = match name.rsplit_once('.') {
                Some((stem, ext)) => match stem.rsplit_once('-') {
                    Some((base, n)) if n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()) => {
                        format!("{base}-{}.{ext}", n.parse::<u32>().unwrap_or(0) + 1)
                    }
                    _ => format!("{stem}-{i}.{ext}"),
                },
                None => format!("{name}-{i}"),
            };
            i += 1;
        }
        self.attachments.insert(
            id,
            Attachment {
                id,
                article_id,
                file_id,
                filename: name,
                content_type: f.content_type,
                disposition: f.disposition.unwrap_or_else(|| "attachment".into()),
                content_id: f.content_id.unwrap_or_default(),
                content_alternative: String::new(),
                data: f.data,
            },
        );
        id
    }

    /// Adds a file to an existing article (like `ArticleWriteAttachment`).
    pub fn write_attachment(&mut self, article_id: u64, f: NewFile) -> u64 {
        let html_part = self
            .articles
            .get(&article_id)
            .map(|a| u64::from(a.html_body.is_some()))
            .unwrap_or(0);
        let next = self
            .attachments_of(article_id)
            .map(|a| a.file_id)
            .max()
            .unwrap_or(0)
            .max(html_part)
            + 1;
        self.add_file(article_id, next, f)
    }

    /// Sum of the article time units of a ticket (`TicketAccountedTimeGet`).
    pub fn ticket_time_units(&self, ticket_id: u64) -> f64 {
        self.articles_of(ticket_id).map(|a| a.time_unit).sum()
    }
}

/// A file to store with an article.
#[derive(Clone, Debug)]
pub struct NewFile {
    pub filename: String,
    pub content_type: String,
    pub disposition: Option<String>,
    pub content_id: Option<String>,
    pub data: Vec<u8>,
}

fn replace_first_ci(s: &str, from: &str, to: &str) -> String {
    match s.to_ascii_lowercase().find(from) {
        Some(i) => format!("{}{}{}", &s[..i], to, &s[i + from.len()..]),
        None => s.to_string(),
    }
}

/// Znuny's DateChecksum ticket number: date, SystemID 10, 5-digit counter, check digit.
pub fn date_checksum_number(now: i64, counter: u64) -> String {
    let (y, m, d) = crate::util::civil_from_days(now.div_euclid(86_400));
    let base = format!("{y:04}{m:02}{d:02}10{counter:05}");
    let mut sum = 0u32;
    let mut mult = 1;
    for c in base.bytes() {
        sum += mult * u32::from(c - b'0');
        mult += 1;
        if mult == 3 {
            mult = 1;
        }
    }
    let mut check = 10 - (sum % 10);
    if check == 10 {
        check = 1;
    }
    format!("{base}{check}")
}

/// `YYYY-MM-DD HH:MM:SS` (UTC, Znuny's default `OTRSTimeZone`).
pub fn timestamp(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::util::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Parses `YYYY-MM-DD HH:MM:SS` (also with `T`, or only the date) into epoch seconds.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let days = crate::util::parse_date(s)?;
    let time = s.get(11..).unwrap_or("");
    let mut secs = 0;
    if !time.is_empty() {
        let mut parts = time.trim_end_matches('Z').split(':');
        let h: i64 = parts.next()?.trim().parse().ok()?;
        let m: i64 = parts.next().unwrap_or("0").trim().parse().ok()?;
        let sec: i64 = parts
            .next()
            .unwrap_or("0")
            .trim()
            .split('.')
            .next()?
            .parse()
            .ok()?;
        if !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..61).contains(&sec) {
            return None;
        }
        secs = h * 3600 + m * 60 + sec;
    }
    Some(days * 86_400 + secs)
}

/// The customer backend configuration maps leaked by SessionGet (fixture 03, verbatim).
pub const CUSTOMER_CONFIG: &str = r#"{"CacheTTL":86400,"CustomerCompanySupport":1,"CustomerID":"customer_id","CustomerKey":"login","CustomerUserEmailUniqCheck":1,"CustomerUserListFields":["first_name","last_name","email"],"CustomerUserNameFields":["title","first_name","last_name"],"CustomerUserPostMasterSearchFields":["email"],"CustomerUserSearchFields":["login","first_name","last_name","customer_id"],"CustomerUserSearchListLimit":250,"CustomerUserSearchPrefix":"*","CustomerUserSearchSuffix":"*","CustomerValid":"valid_id","Map":[["UserTitle","Title or salutation","title",1,0,"var","",0,null,null],["UserFirstname","Firstname","first_name",1,1,"var","",0,null,null],["UserLastname","Lastname","last_name",1,1,"var","",0,null,null],["UserLogin","Username","login",1,1,"var","",0,null,null],["UserPassword","Password","pw",0,0,"var","",0,null,null],["UserEmail","Email","email",1,1,"var","",0,null,null],["UserCustomerID","CustomerID","customer_id",0,1,"var","",0,null,null],["UserPhone","Phone","phone",1,0,"var","",0,null,null],["UserFax","Fax","fax",1,0,"var","",0,null,null],["UserMobile","Mobile","mobile",1,0,"var","",0,null,null],["UserStreet","Street","street",1,0,"var","",0,null,null],["UserZip","Zip","zip",1,0,"var","",0,null,null],["UserCity","City","city",1,0,"var","",0,null,null],["UserCountry","Country","country",1,0,"var","",0,null,null],["UserComment","Comment","comments",1,0,"var","",0,null,null],["ValidID","Valid","valid_id",0,1,"int","",0,null,null]],"Module":"Kernel::System::CustomerUser::DB","Name":"Database Backend","Params":{"SearchCaseSensitive":0,"Table":"customer_user"},"Selections":{}}"#;

/// See [`CUSTOMER_CONFIG`].
pub const COMPANY_CONFIG: &str = r#"{"CacheTTL":86400,"CustomerCompanyKey":"customer_id","CustomerCompanyListFields":["customer_id","name"],"CustomerCompanySearchFields":["customer_id","name"],"CustomerCompanySearchListLimit":250,"CustomerCompanySearchPrefix":"*","CustomerCompanySearchSuffix":"*","CustomerCompanyValid":"valid_id","Map":[["CustomerID","CustomerID","customer_id",0,1,"var","",0],["CustomerCompanyName","Customer","name",1,1,"var","",0],["CustomerCompanyStreet","Street","street",1,0,"var","",0],["CustomerCompanyZIP","Zip","zip",1,0,"var","",0],["CustomerCompanyCity","City","city",1,0,"var","",0],["CustomerCompanyCountry","Country","country",1,0,"var","",0],["CustomerCompanyURL","URL","url",1,0,"var","[% Data.CustomerCompanyURL | html %]",0],["CustomerCompanyComment","Comment","comments",1,0,"var","",0],["ValidID","Valid","valid_id",0,1,"int","",0]],"Module":"Kernel::System::CustomerCompany::DB","Name":"Database Backend","Params":{"SearchCaseSensitive":0,"Table":"customer_company"}}"#;

/// Lowercase hex SHA-256 (Znuny's default `CryptType` for customer passwords).
pub fn sha256_hex(s: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn opt_value(v: &Option<String>) -> Value {
    v.as_ref()
        .map(|s| Value::String(s.clone()))
        .unwrap_or(Value::Null)
}

/// The session data Znuny stores for a GI session (what SessionGet returns, minus `UserPw`
/// and `UserChallengeToken`). Values are strings, `null`, or nested structures.
pub fn session_data(
    store: &Store,
    who: &Principal,
    start: i64,
    remote_addr: &str,
    user_agent: &str,
) -> BTreeMap<String, Value> {
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    let s = |v: &str| Value::String(v.to_string());
    match who {
        Principal::Customer(login) => {
            let Some(c) = store.customer(login) else {
                return m;
            };
            m.insert("ChangeBy".into(), s("1"));
            m.insert("ChangeTime".into(), s(&timestamp(c.changed)));
            m.insert(
                "Config".into(),
                serde_json::from_str(CUSTOMER_CONFIG).unwrap_or(Value::Null),
            );
            m.insert("CreateBy".into(), s("1"));
            m.insert("CreateTime".into(), s(&timestamp(c.created)));
            if let Some(co) = store.company(&c.customer_id) {
                m.insert(
                    "CompanyConfig".into(),
                    serde_json::from_str(COMPANY_CONFIG).unwrap_or(Value::Null),
                );
                m.insert("CustomerCompanyCity".into(), opt_value(&co.city));
                m.insert("CustomerCompanyComment".into(), opt_value(&co.comment));
                m.insert("CustomerCompanyCountry".into(), opt_value(&co.country));
                m.insert("CustomerCompanyName".into(), s(&co.name));
                m.insert("CustomerCompanyStreet".into(), opt_value(&co.street));
                m.insert("CustomerCompanyURL".into(), opt_value(&co.url));
                m.insert("CustomerCompanyValidID".into(), s("1"));
                m.insert("CustomerCompanyZIP".into(), opt_value(&co.zip));
                m.insert("CustomerID".into(), s(&co.id));
            }
            m.insert("SessionSource".into(), s("GenericInterface"));
            m.insert("Source".into(), s("CustomerUser"));
            m.insert("UserAuthBackend".into(), s(""));
            for k in [
                "UserCity",
                "UserComment",
                "UserCountry",
                "UserFax",
                "UserMobile",
                "UserPhone",
                "UserStreet",
                "UserTitle",
                "UserZip",
            ] {
                m.insert(k.into(), s(""));
            }
            m.insert("UserCustomerID".into(), s(&c.customer_id));
            m.insert("UserEmail".into(), s(&c.email));
            m.insert("UserFirstname".into(), s(&c.first));
            m.insert("UserFullname".into(), s(&c.fullname()));
            m.insert("UserID".into(), s(&c.login));
            let last_login = c.last_login.unwrap_or(start);
            m.insert("UserLastLogin".into(), s(&last_login.to_string()));
            m.insert("UserLastLoginTimestamp".into(), s(&timestamp(last_login)));
            m.insert("UserLastPwChangeTime".into(), s(&c.pw_changed.to_string()));
            m.insert("UserLastRequest".into(), s(&start.to_string()));
            m.insert("UserLastViewsLimit".into(), s("5"));
            m.insert("UserLastname".into(), s(&c.last));
            m.insert("UserLogin".into(), s(&c.login));
            m.insert("UserLoginFailed".into(), s(&c.login_failed.to_string()));
            m.insert("UserMailString".into(), s(&c.mail_string()));
            m.insert("UserPassword".into(), s(&sha256_hex(&c.password)));
            m.insert("UserRefreshTime".into(), s("0"));
            m.insert("UserRemoteAddr".into(), s(remote_addr));
            m.insert("UserRemoteUserAgent".into(), s(user_agent));
            m.insert("UserSessionStart".into(), s(&start.to_string()));
            m.insert("UserShowTickets".into(), s("25"));
            m.insert("UserType".into(), s("Customer"));
            m.insert("ValidID".into(), s("1"));
        }
        Principal::Agent(id) => {
            let Some(a) = store.agent(*id) else {
                return m;
            };
            m.insert("ChangeBy".into(), s("1"));
            m.insert("ChangeTime".into(), s(&timestamp(store.seeded_at)));
            m.insert("CreateBy".into(), s("1"));
            m.insert("CreateTime".into(), s(&timestamp(store.seeded_at)));
            m.insert("OutOfOffice".into(), s("0"));
            m.insert("SessionSource".into(), s("GenericInterface"));
            m.insert("UserEmail".into(), s(&a.email));
            m.insert("UserFirstname".into(), s(&a.first));
            m.insert("UserFullname".into(), s(&a.fullname()));
            m.insert("UserID".into(), s(&a.id.to_string()));
            let mut groups = Map::new();
            groups.insert("users".into(), Value::from("rw"));
            if a.admin {
                groups.insert("admin".into(), Value::from("rw"));
            }
            m.insert("UserIsGroup".into(), Value::Object(groups));
            m.insert("UserLanguage".into(), s("en"));
            m.insert("UserLastLogin".into(), s(&start.to_string()));
            m.insert("UserLastLoginTimestamp".into(), s(&timestamp(start)));
            m.insert("UserLastRequest".into(), s(&start.to_string()));
            m.insert("UserLastname".into(), s(&a.last));
            m.insert("UserLogin".into(), s(&a.login));
            m.insert("UserRefreshTime".into(), s("0"));
            m.insert("UserRemoteAddr".into(), s(remote_addr));
            m.insert("UserRemoteUserAgent".into(), s(user_agent));
            m.insert("UserSessionStart".into(), s(&start.to_string()));
            m.insert("UserTimeZone".into(), s("UTC"));
            m.insert("UserTitle".into(), s(""));
            m.insert("UserType".into(), s("User"));
            m.insert("ValidID".into(), s("1"));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_like_the_recording() {
        let now = 1_795_495_600;
        assert_eq!(date_checksum_number(now, 1), "2026112410000019");
        assert_eq!(date_checksum_number(now, 2), "2026112410000028");
        assert_eq!(date_checksum_number(now, 3), "2026112410000037");
        assert_eq!(date_checksum_number(now, 5), "2026112410000055");
        assert_eq!(timestamp(now), "2026-11-24 04:46:40");
        assert_eq!(parse_timestamp("2026-11-24 04:46:40"), Some(now));
    }

    #[test]
    fn password_hash_like_the_recording() {
        assert_eq!(
            sha256_hex("AlicePass123!"),
            "74d96c4ca3f87541fd889d8a9ae788999ca7a652d9a77f5175d4fddac56b80bb"
        );
    }
}
