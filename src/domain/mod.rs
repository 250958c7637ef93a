//! Backend-neutral domain types. Pages and components only ever see these; the adapters map the
//! help desks' wire formats to them and keep only what a customer may see.

pub mod error;
pub mod fields;

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
    /// The help desk's own fields a customer may see, with their values (only those with one).
    pub fields: Vec<(
        crate::domain::fields::CustomField,
        crate::domain::fields::FieldValue,
    )>,
}

/// What a reply, close or reopen changed, as far as the help desk's answer to the write says
/// (`None`: the answer does not tell). The ticket page shows it at once
/// (`crate::state::writes::shown_after`) and reads the ticket in the background.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub state: Option<TicketState>,
    pub updated_at: Option<String>,
    pub follow_up: Option<FollowUp>,
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

impl Article {
    /// Written by the signed-in customer (named `my_name`), as far as the help desk tells:
    /// a customer article without a name counts as theirs.
    pub fn is_by(&self, my_name: &str) -> bool {
        self.sender == SenderKind::Customer
            && (self.from_name.is_empty() || self.from_name == my_name)
    }
}

/// Whether article id `a` came after `b`. Both help desks number articles upwards (Zammad ids,
/// Znuny ArticleIDs); ids that are not numbers are compared as text, longer ones later.
pub fn article_id_after(a: &str, b: &str) -> bool {
    match (a.trim().parse::<u64>(), b.trim().parse::<u64>()) {
        (Ok(a), Ok(b)) => a > b,
        _ => (a.len(), a) > (b.len(), b),
    }
}

/// The newest message an agent wrote on a ticket that the customer may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentReply {
    pub ticket: TicketId,
    pub article_id: String,
    pub created_at: String,
}

impl AgentReply {
    /// The newest agent article of `articles` (a ticket's, as the customer may see them).
    pub fn newest(ticket: &TicketId, articles: &[Article]) -> Option<AgentReply> {
        articles
            .iter()
            .filter(|a| a.sender == SenderKind::Agent)
            .reduce(|newest, a| {
                if article_id_after(&a.id, &newest.id) {
                    a
                } else {
                    newest
                }
            })
            .map(|a| AgentReply {
                ticket: ticket.clone(),
                article_id: a.id.clone(),
                created_at: a.created_at.clone(),
            })
    }
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
    /// The help desk's own fields, checked by the form (`crate::domain::fields::to_send`).
    pub fields: crate::domain::fields::FieldValues,
}

/// What the help desk itself lets the customer do on the "New ticket" form (config.json can
/// narrow it, never widen it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateRules {
    /// The help desk lets customers open tickets (Zammad: `customer_ticket_create`).
    pub allowed: bool,
    /// The groups the help desk offers, as `(id, name)`; `None` when it does not say.
    pub groups: Option<Vec<(String, String)>>,
}

impl CreateRules {
    /// Nothing known beyond config.json: creating is allowed, config.json's groups apply.
    pub fn unrestricted() -> Self {
        CreateRules {
            allowed: true,
            groups: None,
        }
    }
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
    /// The second factor, once the help desk asked for one.
    pub two_factor: Option<TwoFactorAnswer>,
}

/// The ways a help desk can check the second factor (Zammad: authenticator app, security keys
/// and, for a customer who saved them, single-use recovery codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwoFactorMethod {
    AuthenticatorApp,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    SecurityKey,
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    RecoveryCode,
}

/// What the help desk offers for the second factor of this sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwoFactorChallenge {
    /// In the help desk's order; never empty.
    pub methods: Vec<TwoFactorMethod>,
    /// One of `methods`.
    pub default: TwoFactorMethod,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TwoFactorAnswer {
    /// A typed code: the authenticator app's or a recovery code.
    Code(TwoFactorMethod, String),
    /// Ask the browser for the security key (WebAuthn) while signing in.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    SecurityKey,
}

/// What the help desk accepts in the sign-in form's first field (it labels the field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginKind {
    /// Zammad, and Znuny sites whose customers sign in with their e-mail address.
    EmailOrUsername,
    /// A stock Znuny: the login name only (the e-mail address fails as a wrong password).
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    Username,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInOutcome {
    SignedIn(Customer),
    /// The password was right; the help desk wants a two-factor code too. (Znuny cannot tell
    /// this apart from a wrong password, so only the Zammad adapter reports it.)
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    TwoFactorRequired(TwoFactorChallenge),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, sender: SenderKind, from_name: &str) -> Article {
        Article {
            id: id.into(),
            sender,
            from_name: from_name.into(),
            subject: None,
            body: Body::Plain(String::new()),
            created_at: format!("t{id}"),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn article_ids_count_upwards_as_numbers() {
        assert!(article_id_after("10", "9"));
        assert!(!article_id_after("9", "10"));
        assert!(!article_id_after("9", "9"));
        assert!(article_id_after("b10", "a9"), "longer text ids are later");
    }

    #[test]
    fn the_newest_agent_article_is_the_reply() {
        let id = TicketId("1".into());
        let articles = [
            article("12", SenderKind::Agent, "Emma"),
            article("9", SenderKind::Agent, "Emma"),
            article("15", SenderKind::Customer, "Alice"),
            article("16", SenderKind::System, ""),
        ];
        let reply = AgentReply::newest(&id, &articles).unwrap();
        assert_eq!(
            (reply.article_id.as_str(), reply.created_at.as_str()),
            ("12", "t12")
        );
        assert_eq!(AgentReply::newest(&id, &articles[2..]), None);
    }

    #[test]
    fn own_articles_are_customer_articles_by_that_name_or_none() {
        assert!(article("1", SenderKind::Customer, "Alice").is_by("Alice"));
        assert!(article("1", SenderKind::Customer, "").is_by("Alice"));
        assert!(!article("1", SenderKind::Customer, "Carol").is_by("Alice"));
        assert!(!article("1", SenderKind::Agent, "Alice").is_by("Alice"));
    }
}

/// How the sign-in page offers one thing the customer can do about their account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AccountWay {
    /// The help desk does not offer it (or the portal cannot tell that it does).
    #[default]
    Off,
    /// A form in the portal that calls the help desk's API.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    InPortal,
    /// The help desk's own page, at this address (from config.json).
    #[cfg_attr(not(feature = "znuny"), allow(dead_code))]
    Link(String),
}

/// What the sign-in page offers besides signing in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountOptions {
    /// "Forgot password?"
    pub lost_password: AccountWay,
    /// "Create an account"
    pub sign_up: AccountWay,
}

/// A new account as the customer typed it (Zammad's signup form: these four and no more).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignUp {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
}

/// A knowledge-base answer (Zammad) or FAQ item (Znuny) found for what the customer types on the
/// new-ticket form. Only answers a customer may see ever become one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerHit {
    /// The adapter's own reference, handed back to `Backend::answer`.
    pub id: String,
    pub title: String,
    /// A short plain-text excerpt, where the help desk gives one.
    pub snippet: String,
}

/// One answer opened in place: its title and its body (untrusted help-desk HTML, shown only
/// through `SafeHtml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerText {
    pub title: String,
    pub html: String,
}
