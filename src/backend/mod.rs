//! The one interface pages use to talk to a help desk. Exactly one adapter is compiled in, chosen
//! by cargo feature, as a type alias: no trait objects, no dead adapter in the wasm.

#[cfg(all(feature = "zammad", feature = "znuny"))]
compile_error!(
    "Both backends are enabled. Build for Zammad with the default features, or for Znuny with \
     `--no-default-features --features znuny`."
);
#[cfg(not(any(feature = "zammad", feature = "znuny")))]
compile_error!(
    "No backend is enabled. Build for Zammad with the default features, or for Znuny with \
     `--no-default-features --features znuny`."
);

use crate::config::Config;
use crate::domain::error::PortalResult;
use crate::domain::fields::{CustomField, FieldValues};
use crate::domain::{
    AccountOptions, AgentReply, AnswerHit, AnswerText, AttachmentRef, CreateRules, Credentials,
    Customer, LoginKind, NewTicket, Reply, SignInOutcome, SignUp, Ticket, TicketId, TicketPage,
    TicketQuery, Written,
};

/// Test support shared by both adapters' decoder tests.
#[cfg(test)]
pub(crate) mod tests {
    pub(crate) mod fuzz;
}
#[cfg(feature = "zammad")]
pub mod zammad;

#[cfg(feature = "zammad")]
pub type ActiveBackend = zammad::Zammad;

#[cfg(feature = "znuny")]
pub mod znuny;

#[cfg(all(feature = "znuny", not(feature = "zammad")))]
pub type ActiveBackend = znuny::Znuny;

/// A downloaded attachment.
pub struct FileData {
    pub bytes: Vec<u8>,
    pub mime_type: String,
}

#[allow(async_fn_in_trait)] // single-threaded wasm: the futures never need to be Send
pub trait Backend: Clone + 'static {
    /// What the help desk calls the customer's shared account: "organization" or "company".
    const ORGANIZATION: &'static str;

    fn new(config: &Config) -> Self;

    /// What the sign-in form asks for.
    fn login_kind(&self) -> LoginKind {
        LoginKind::EmailOrUsername
    }

    /// When the help desk will end the current session regardless of activity (ms since epoch),
    /// if it does so at a known time.
    fn session_ends_at(&self) -> Option<f64> {
        None
    }

    /// Picks up a session stored earlier in this browser (reload, "stay signed in").
    async fn restore(&self) -> PortalResult<Option<Customer>>;
    async fn sign_in(&self, credentials: &Credentials) -> PortalResult<SignInOutcome>;
    /// Signs in and reads the list page `list` beside the sign-in's last calls where the help
    /// desk allows (Znuny: TicketSearch and TicketGet beside SessionGet; Zammad's token mode:
    /// states and search beside `users/me`), so the list's reads start from the sign-in's
    /// answer instead of after the page change. The page is `None` where it was not read
    /// (this default, a second factor asked for, a query that needs the identity first).
    async fn sign_in_listing(
        &self,
        credentials: &Credentials,
        list: &TicketQuery,
    ) -> PortalResult<(SignInOutcome, Option<PortalResult<TicketPage>>)> {
        let _ = list;
        Ok((self.sign_in(credentials).await?, None))
    }
    /// Ends the session on the help desk where it can, and always forgets it locally.
    async fn sign_out(&self);

    async fn list_tickets(&self, query: &TicketQuery) -> PortalResult<TicketPage>;
    async fn ticket(&self, id: &TicketId) -> PortalResult<Ticket>;
    /// When the ticket last changed (its `updated_at`), with the cheapest request the help desk
    /// has and without its articles: live updates read the whole ticket only when this moved.
    async fn ticket_changed_at(&self, id: &TicketId) -> PortalResult<String>;
    /// For each of `ids`, the newest article an agent wrote that the customer may see (tickets
    /// without one are left out, and so are tickets the help desk no longer shows). Asked only
    /// for tickets that changed since the list last looked ("New reply", `crate::state::seen`).
    async fn latest_agent_replies(&self, ids: &[TicketId]) -> PortalResult<Vec<AgentReply>>;
    async fn create_ticket(&self, ticket: &NewTicket) -> PortalResult<TicketId>;
    /// The help desk's own ticket fields a customer fills in on the new-ticket form (none when
    /// the help desk has none for customers).
    async fn ticket_fields(&self) -> PortalResult<Vec<CustomField>> {
        Ok(Vec::new())
    }
    /// What the help desk's rules make of `fields` for the form as filled in so far (Zammad's
    /// Core Workflow: visible, required, allowed options); unchanged where it has none.
    async fn field_rules(
        &self,
        _group: &str,
        _values: &FieldValues,
        fields: Vec<CustomField>,
    ) -> PortalResult<Vec<CustomField>> {
        Ok(fields)
    }
    /// Checks the adapter's own part of config.json at start; the error names the bad entry.
    fn check_config(_config: &Config) -> Result<(), String> {
        Ok(())
    }
    /// Whether the help desk lets the customer open tickets, and in which groups, as it says
    /// itself; a help desk that cannot say leaves it to config.json.
    async fn create_rules(&self) -> PortalResult<CreateRules> {
        Ok(CreateRules::unrestricted())
    }
    /// Adds the customer's reply; on a closed ticket this asks the help desk to reopen it.
    /// Reply, close and reopen answer with what the write changed, as far as the help desk's
    /// answer says: the page shows that without reading the ticket first.
    async fn reply(&self, ticket: &Ticket, reply: &Reply) -> PortalResult<Written>;
    async fn close(&self, ticket: &Ticket) -> PortalResult<Written>;
    async fn reopen(&self, ticket: &Ticket) -> PortalResult<Written>;
    async fn download(&self, attachment: &AttachmentRef) -> PortalResult<FileData>;
    /// The same-origin path below which the help desk's HTML refers to its own inline images,
    /// which `inline_image` loads with the customer's credentials; `None` when the adapter
    /// resolves them itself (Znuny: `cid:` references become `data:` URLs while mapping).
    fn own_image_prefix(&self) -> Option<String> {
        None
    }
    /// An inline image of an article, by the same-origin path the help desk put in its HTML.
    async fn inline_image(&self, path: &str) -> PortalResult<FileData>;

    /// What the sign-in page offers besides signing in ("Forgot password?", "Create an
    /// account"), as the help desk or config.json says. Never fails: unknown means not offered.
    async fn account_options(&self) -> AccountOptions {
        AccountOptions::default()
    }
    /// Asks the help desk to mail a password-reset link to the account with this login or
    /// e-mail address. Succeeds the same whether such an account exists or not.
    async fn request_password_reset(&self, _login: &str) -> PortalResult<()> {
        Err(crate::domain::error::PortalError::new(
            crate::domain::error::ErrorKind::Refused,
            crate::domain::error::Msg::FeatureOff,
        ))
    }
    /// Signs up a new customer (the help desk mails the next step). Succeeds the same whether the
    /// address is known or not.
    async fn sign_up(&self, _account: &SignUp) -> PortalResult<()> {
        Err(crate::domain::error::PortalError::new(
            crate::domain::error::ErrorKind::Refused,
            crate::domain::error::Msg::FeatureOff,
        ))
    }
    /// Whether the help desk has answers to offer while a new ticket is written (Zammad's
    /// Knowledge Base; Znuny's FAQ where config.json maps its public operations).
    fn has_answers(&self) -> bool {
        false
    }
    /// Up to five answers a customer may see that match `text` (already trimmed, 3 characters
    /// or more).
    async fn search_answers(&self, _text: &str) -> PortalResult<Vec<AnswerHit>> {
        Ok(Vec::new())
    }
    /// One answer found by `search_answers`, by its `id`.
    async fn answer(&self, _id: &str) -> PortalResult<AnswerText> {
        Err(crate::domain::error::PortalError::new(
            crate::domain::error::ErrorKind::Refused,
            crate::domain::error::Msg::FeatureOff,
        ))
    }
    /// The signed-in customer may change their password in the portal.
    fn can_change_password(&self) -> bool {
        false
    }
    async fn change_password(&self, _old: &str, _new: &str) -> PortalResult<()> {
        Err(crate::domain::error::PortalError::new(
            crate::domain::error::ErrorKind::Refused,
            crate::domain::error::Msg::FeatureOff,
        ))
    }
}
