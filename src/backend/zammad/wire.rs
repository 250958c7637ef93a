//! Zammad's JSON, reduced to the keys the portal keeps. Everything not named here (owner, notes,
//! time accounting, escalation data, delivery details, …) is skipped unread. Every key is
//! optional or defaulted where Zammad versions differ; ids accept numbers or strings (the
//! helpers of `crate::de`).

use serde::Deserialize;

use crate::de::{self, Entries, Loose, Many, Obj, Scalar};

#[derive(Debug, Deserialize)]
pub struct UserRow {
    #[serde(deserialize_with = "de::whole")]
    pub id: u64,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub login: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub firstname: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub lastname: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub organization_id: Option<u64>,
    /// Secondary organizations (Zammad 6 and later).
    #[serde(default)]
    pub organization_ids: Many,
}

#[derive(Debug, Deserialize)]
pub struct TicketRow {
    #[serde(deserialize_with = "de::whole")]
    pub id: u64,
    #[serde(default, deserialize_with = "de::text")]
    pub number: String,
    #[serde(default, deserialize_with = "de::text")]
    pub title: String,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub state_id: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub group_id: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub group: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub customer_id: Option<u64>,
    #[serde(default, deserialize_with = "de::text")]
    pub created_at: String,
    #[serde(default, deserialize_with = "de::text")]
    pub updated_at: String,
    /// The first close (Zammad 5 and later).
    #[serde(default, deserialize_with = "de::opt_text")]
    pub close_at: Option<String>,
    /// The latest close (6.x and later): the reopen window is measured from it.
    #[serde(default, deserialize_with = "de::opt_text")]
    pub last_close_at: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ArticleRow {
    #[serde(deserialize_with = "de::whole")]
    pub id: u64,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub sender: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub sender_id: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "de::text")]
    pub body: String,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub content_type: Option<String>,
    /// Zammad never sends internal articles to customers; if one arrives anyway it is dropped.
    #[serde(default)]
    pub internal: Scalar,
    #[serde(default, deserialize_with = "de::text")]
    pub created_at: String,
    #[serde(default, deserialize_with = "de::list")]
    pub attachments: Vec<AttachmentRow>,
}

#[derive(Debug, Deserialize)]
pub struct AttachmentRow {
    #[serde(deserialize_with = "de::whole")]
    pub id: u64,
    #[serde(default, deserialize_with = "de::text")]
    pub filename: String,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub size: Option<u64>,
    #[serde(default, deserialize_with = "de::nested")]
    pub preferences: Option<Preferences>,
}

/// An attachment's type, as Zammad keeps it in its `preferences`.
#[derive(Debug, Deserialize)]
pub struct Preferences {
    #[serde(rename = "Mime-Type", default, deserialize_with = "de::opt_text")]
    pub mime_type: Option<String>,
    #[serde(rename = "Content-Type", default, deserialize_with = "de::opt_text")]
    pub content_type: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct StateRow {
    #[serde(deserialize_with = "de::whole")]
    pub id: u64,
    #[serde(default, deserialize_with = "de::text")]
    pub name: String,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub state_type: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub state_type_id: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub default_follow_up: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct GroupRow {
    #[serde(deserialize_with = "de::whole")]
    pub id: u64,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub follow_up_possible: Option<String>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub reopen_time_in_days: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default, deserialize_with = "de::opt_text")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub error_human: Option<String>,
    /// Any value but `null` is a challenge; one that is not an object lists no methods.
    #[serde(default)]
    pub two_factor_required: Loose<Challenge>,
}

impl ErrorBody {
    /// An error answer's body. Anything but a JSON object of these keys (a proxy's HTML page,
    /// `[…]`) reads as an empty body.
    pub fn read(body: &[u8]) -> Self {
        de::object(body).unwrap_or_default()
    }
}

/// The `two_factor_required` object of a signin 422 (sessions_controller.rb#create).
#[derive(Debug, Default, Deserialize)]
pub struct Challenge {
    /// `None` when not listed (before Zammad 6: the authenticator app).
    #[serde(default)]
    pub available_two_factor_authentication_methods: Option<Many>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub default_two_factor_authentication_method: Option<String>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    pub recovery_codes_available: Option<bool>,
}

/// `{"token": …}` since the end of 2023, `{"name": …}` before.
#[derive(Debug, Deserialize)]
pub struct TokenCreated {
    #[serde(default, deserialize_with = "de::opt_text")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TokenList {
    #[serde(default, deserialize_with = "de::list")]
    pub tokens: Vec<TokenEntry>,
}

#[derive(Debug, Deserialize)]
pub struct TokenEntry {
    #[serde(deserialize_with = "de::whole")]
    pub id: u64,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    pub label: Option<String>,
}

/// signin (201) and signshow (200) bodies: only the session's user matters.
#[derive(Debug, Deserialize)]
pub struct SessionBody {
    #[serde(default, deserialize_with = "de::nested")]
    pub session: Option<UserRow>,
}

/// One answer of `POST /tickets/search`, in every shape Zammad has had: a bare array (6.4+
/// and any `expand=true`), `{records, total_count}` (7.x with `with_total_count`), and
/// `{tickets: [ids], assets: {Ticket: {id: row}}}` (5.x / early 6.x without expand).
#[derive(Debug)]
pub enum SearchResponse {
    Rows(Vec<TicketRow>),
    Object(SearchObject),
    /// Neither an array nor an object.
    Other,
}

#[derive(Debug, Deserialize)]
pub struct SearchObject {
    /// Present means this shape: `null` or anything but an array of rows fails.
    #[serde(default, deserialize_with = "records")]
    pub records: Option<Vec<TicketRow>>,
    #[serde(default, deserialize_with = "de::opt_u64")]
    pub total_count: Option<u64>,
    /// The legacy shape's ticket ids, in order.
    #[serde(default)]
    pub tickets: Option<Vec<Scalar>>,
    #[serde(default, deserialize_with = "de::nested")]
    pub assets: Option<LegacyAssets>,
}

fn records<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<TicketRow>>, D::Error> {
    let rows: Option<Vec<Obj<TicketRow>>> = present(d)?;
    Ok(rows.map(|rows| rows.into_iter().map(|o| o.0).collect()))
}

#[derive(Debug, Deserialize)]
pub struct LegacyAssets {
    /// The rows, by ticket id.
    #[serde(rename = "Ticket", default)]
    pub ticket: Option<Entries<Obj<TicketRow>>>,
}

impl<'de> Deserialize<'de> for SearchResponse {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{value::MapAccessDeserializer, MapAccess, SeqAccess, Visitor};
        struct SearchVisitor;
        impl<'de> Visitor<'de> for SearchVisitor {
            type Value = SearchResponse;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a search answer")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut rows = Vec::new();
                while let Some(Obj(row)) = seq.next_element()? {
                    rows.push(row);
                }
                Ok(SearchResponse::Rows(rows))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                SearchObject::deserialize(MapAccessDeserializer::new(map))
                    .map(SearchResponse::Object)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(SearchResponse::Other)
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(SearchResponse::Other)
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(SearchResponse::Other)
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(SearchResponse::Other)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(SearchResponse::Other)
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(SearchResponse::Other)
            }
        }
        d.deserialize_any(SearchVisitor)
    }
}

/// Group ids as Zammad writes them in settings and Core Workflow answers: numbers or numeric
/// strings, alone or in a list; `""` (Zammad's "no value") and anything else are left out.
fn group_ids(ids: Many) -> Vec<String> {
    ids.0
        .iter()
        .filter_map(Scalar::whole)
        .map(|id| id.to_string())
        .collect()
}

/// The settings signshow hands Zammad's own client (`config`), read for the rules of the "New
/// ticket" form. Zammad includes `customer_ticket_create` and its groups only for a signed-in
/// caller (a cookie session or a token: sessions_controller.rb `config_frontend`).
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(from = "SignshowBody")]
pub struct ClientConfig {
    /// signshow knew the caller (`session` present).
    pub signed_in: bool,
    /// `customer_ticket_create`.
    pub customer_ticket_create: Option<bool>,
    /// `customer_ticket_create_group_ids`; `None` when unset or empty (every group).
    pub create_group_ids: Option<Vec<String>>,
}

/// Its parts must have Zammad's shape; an answer that does not is unreadable, and the portal
/// leaves the choice to config.json as when there is no answer.
#[derive(Deserialize)]
struct SignshowBody {
    #[serde(default, deserialize_with = "de::nested")]
    session: Option<serde::de::IgnoredAny>,
    #[serde(default, deserialize_with = "de::nested")]
    config: Option<ClientSettings>,
}

#[derive(Deserialize)]
struct ClientSettings {
    #[serde(default, deserialize_with = "de::opt_bool")]
    customer_ticket_create: Option<bool>,
    #[serde(default)]
    customer_ticket_create_group_ids: Many,
}

impl From<SignshowBody> for ClientConfig {
    fn from(body: SignshowBody) -> Self {
        let signed_in = body.session.is_some();
        let settings = body.config;
        let (create, ids) = match settings {
            Some(s) => (
                s.customer_ticket_create,
                group_ids(s.customer_ticket_create_group_ids),
            ),
            None => (None, Vec::new()),
        };
        ClientConfig {
            signed_in,
            customer_ticket_create: create,
            create_group_ids: Some(ids).filter(|ids| !ids.is_empty()),
        }
    }
}

/// `GET /ticket_create`: what Core Workflow lets the caller pick on the create screen
/// (`form_meta.core_workflow.restrict_values.group_id`) and the names of those groups
/// (`assets.Group`).
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(from = "TicketCreateBody")]
pub struct TicketCreateForm {
    /// `None`: the answer does not restrict groups.
    pub group_ids: Option<Vec<String>>,
    /// `(id, name)` of the groups the answer carries as assets.
    pub group_names: Vec<(String, String)>,
}

/// Its parts must have Zammad's shape (see `SignshowBody`).
#[derive(Deserialize)]
struct TicketCreateBody {
    #[serde(default, deserialize_with = "de::nested")]
    form_meta: Option<FormMeta>,
    #[serde(default, deserialize_with = "de::nested")]
    assets: Option<GroupAssets>,
}

#[derive(Deserialize)]
struct FormMeta {
    #[serde(default, deserialize_with = "de::nested")]
    core_workflow: Option<CoreWorkflow>,
}

#[derive(Deserialize)]
struct CoreWorkflow {
    #[serde(default, deserialize_with = "de::nested")]
    restrict_values: Option<RestrictValues>,
}

#[derive(Deserialize)]
struct RestrictValues {
    /// Present, even as `null`: restricted (to no group at all, if none is left).
    #[serde(default, deserialize_with = "present")]
    group_id: Option<Many>,
}

fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct GroupAssets {
    #[serde(rename = "Group", default)]
    group: Option<Entries<Obj<GroupName>>>,
}

#[derive(Deserialize)]
struct GroupName {
    #[serde(default)]
    name: Scalar,
}

impl From<TicketCreateBody> for TicketCreateForm {
    fn from(body: TicketCreateBody) -> Self {
        let group_ids = body
            .form_meta
            .and_then(|f| f.core_workflow)
            .and_then(|c| c.restrict_values)
            .and_then(|r| r.group_id)
            .map(group_ids);
        let group_names = body
            .assets
            .and_then(|a| a.group)
            .map(|groups| {
                groups
                    .0
                    .into_iter()
                    .filter_map(|(id, g)| match g.0.name {
                        Scalar::Text(name) => Some((id, name)),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        TicketCreateForm {
            group_ids,
            group_names,
        }
    }
}
