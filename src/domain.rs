//! Backend-neutral domain types. Pages and components only ever see these; the adapters map the
//! help desks' wire formats to them and keep only what a customer may see.

use std::fmt;

/// A ticket id as the help desk knows it (Zammad: a number, Znuny: a numeric string).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketId(pub String);

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub email: String,
    /// The customer belongs to an organization (Zammad) or company (Znuny) whose tickets may be shared.
    pub has_organization: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateCategory {
    New,
    Open,
    Pending,
    Closed,
}

impl StateCategory {
    /// The category's English name (the badge shows it from the catalogue).
    pub fn label(self) -> &'static str {
        match self {
            StateCategory::New => "New",
            StateCategory::Open => "Open",
            StateCategory::Pending => "Pending",
            StateCategory::Closed => "Closed",
        }
    }

    pub fn css_class(self) -> &'static str {
        match self {
            StateCategory::New => "state state-new",
            StateCategory::Open => "state state-open",
            StateCategory::Pending => "state state-pending",
            StateCategory::Closed => "state state-closed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketState {
    /// The help desk's own state name ("pending reminder", "closed successful").
    pub name: String,
    pub category: StateCategory,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketSummary {
    pub id: TicketId,
    pub number: String,
    pub title: String,
    pub state: TicketState,
    pub created_at: String,
    pub updated_at: String,
    /// The signed-in customer is the ticket's customer (otherwise an organization colleague's).
    pub mine: bool,
}

/// Whether the help desk accepts a reply to (and so a reopening of) this ticket once closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUp {
    Allowed,
    /// The help desk asks for a new ticket instead.
    Refused,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub summary: TicketSummary,
    pub group: Option<String>,
    pub follow_up: FollowUp,
    pub articles: Vec<Article>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SenderKind {
    Customer,
    Agent,
    System,
}

impl SenderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SenderKind::Customer => "customer",
            SenderKind::Agent => "agent",
            SenderKind::System => "system",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Plain(String),
    /// Untrusted HTML from the help desk: only ever shown through the sanitizer.
    Html(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub sender: SenderKind,
    /// Display name only, never an address.
    pub from_name: String,
    pub subject: Option<String>,
    pub body: Body,
    pub created_at: String,
    pub attachments: Vec<Attachment>,
}

/// Everything the adapter needs to fetch one attachment again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentRef {
    pub ticket_id: String,
    pub article_id: String,
    pub attachment_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub size: Option<u64>,
    pub mime_type: String,
    pub source: AttachmentRef,
}

/// A file the customer chose, read into memory, ready to upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    pub filename: String,
    pub mime_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTicket {
    pub subject: String,
    /// One of the configured group/queue ids; `None` uses the configured default.
    pub group: Option<String>,
    pub body: String,
    pub attachments: Vec<Upload>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub body: String,
    pub attachments: Vec<Upload>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    Open,
    Closed,
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    LastUpdate,
    Created,
    Number,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    /// Everything the customer may see, including organization colleagues' tickets.
    #[default]
    Organization,
    Mine,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketQuery {
    pub status: StatusFilter,
    pub text: String,
    pub sort: SortOrder,
    pub scope: Scope,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketPage {
    pub tickets: Vec<TicketSummary>,
    pub has_more: bool,
    /// Total number of matches when the help desk tells it.
    pub total: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub login: String,
    pub password: String,
    pub stay_signed_in: bool,
    pub two_factor_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInOutcome {
    SignedIn(Customer),
    /// The password was right; the help desk wants a two-factor code too. (Znuny cannot tell
    /// this apart from a wrong password, so only the Zammad adapter reports it.)
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TwoFactorRequired,
}
