//! Reusable pieces of the pages.

mod answers;
mod article;
mod attachments;
mod connection;
mod custom_fields;
mod error_alert;
mod file_picker;
mod may_create;
mod reauth;
mod route_focus;
mod safe_html;
mod session_clock;
mod state_badge;
mod time;
mod two_factor;

pub use answers::AnswerSuggestions;
pub use article::ArticleView;
pub use attachments::AttachmentList;
pub use connection::{OfflineNotice, SendWhenOnline};
pub use custom_fields::{focus_field, CustomFieldInputs};
pub use error_alert::ErrorAlert;
pub use file_picker::FilePicker;
pub use may_create::{create_rules, offered_groups, IfMayCreate, NoGroup};
pub use reauth::ReauthDialog;
pub use route_focus::RouteFocus;
pub use safe_html::SafeHtml;
pub use session_clock::SessionClock;
pub use state_badge::StateBadge;
pub use time::DateTime;
pub use two_factor::{answer as two_factor_answer, focus_target, TwoFactorStep};
