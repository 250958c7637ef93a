//! The checks of `Operation/Ticket/Common.pm` and the `_Check*` helpers shared by
//! TicketCreate and TicketUpdate.

use super::*;
use crate::znuny::store::*;
use base64::Engine;

/// `\w` of Perl (Unicode word characters).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `Encode::resolve_alias` for the charsets that matter.
pub fn valid_charset(cs: &str) -> bool {
    let c = cs.trim().to_ascii_lowercase();
    if c.is_empty() {
        return false;
    }
    const KNOWN: [&str; 22] = [
        "utf8",
        "utf-8",
        "utf-8-strict",
        "ascii",
        "us-ascii",
        "latin1",
        "latin-1",
        "utf-16",
        "utf-16le",
        "utf-16be",
        "utf-32",
        "windows-1252",
        "cp1252",
        "windows-1250",
        "cp1250",
        "koi8-r",
        "gb2312",
        "big5",
        "shift_jis",
        "euc-jp",
        "iso-2022-jp",
        "macintosh",
    ];
    if KNOWN.contains(&c.as_str()) {
        return true;
    }
    for prefix in [
        "iso-8859-",
        "iso8859-",
        "iso_8859-",
        "iso8859_",
        "cp",
        "windows-",
    ] {
        if let Some(n) = c.strip_prefix(prefix) {
            return !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
        }
    }
    false
}

/// `ValidateMimeType`: `\A\w+/\w+\z`
pub fn valid_mime(m: &str) -> bool {
    match m.split_once('/') {
        Some((a, b)) => {
            !a.is_empty() && !b.is_empty() && a.chars().all(is_word) && b.chars().all(is_word)
        }
        None => false,
    }
}

/// The charset part of a content type the way `_CheckArticle` extracts it.
pub fn content_type_charset(ct: &str) -> String {
    let lower = ct.to_lowercase();
    if !lower.contains("charset=") {
        return String::new();
    }
    let mut cs = match lower
        .get(1..)
        .and_then(|r| r.find("charset="))
        .map(|i| i + 1)
    {
        Some(i) => {
            let rest = &lower[i + 8..];
            let rest = rest
                .strip_prefix('"')
                .or_else(|| rest.strip_prefix('\''))
                .unwrap_or(rest);
            let word_len: usize = rest
                .chars()
                .take_while(|c| is_word(*c))
                .map(char::len_utf8)
                .sum();
            if word_len == 0 {
                lower.clone()
            } else {
                rest.to_string()
            }
        }
        None => lower.clone(),
    };
    cs.retain(|c| c != '"' && c != '\'');
    if let Some(i) = cs.get(1..).and_then(|r| r.find(';')) {
        cs.truncate(i + 1);
    }
    cs
}

/// The MIME type part of a content type (`^(\w+/\w+)`).
pub fn content_type_mime(ct: &str) -> String {
    let a: String = ct.chars().take_while(|c| is_word(*c)).collect();
    let rest = &ct[a.len()..];
    let Some(rest) = rest.strip_prefix('/') else {
        return String::new();
    };
    let b: String = rest.chars().take_while(|c| is_word(*c)).collect();
    if a.is_empty() || b.is_empty() {
        return String::new();
    }
    format!("{a}/{b}")
}

/// `CheckEmail` (syntax only; `localhost` is accepted as a domain).
pub fn valid_email(addr: &str) -> bool {
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return false;
    };
    if local.is_empty()
        || local
            .chars()
            .any(|c| c.is_whitespace() || ",;<>".contains(c))
    {
        return false;
    }
    let d = domain.to_ascii_lowercase();
    if d == "localhost" {
        return true;
    }
    let labels: Vec<&str> = d.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .last()
            .map(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
            .unwrap_or(false)
}

/// `ValidateFrom`: the first address of the string must be valid (no address → valid).
pub fn valid_from(from: &str) -> bool {
    if from.is_empty() {
        return false;
    }
    let addr = if let (Some(a), Some(b)) = (from.find('<'), from.rfind('>')) {
        if a < b {
            from[a + 1..b].trim().to_string()
        } else {
            String::new()
        }
    } else {
        from.split([',', ' ', '\t'])
            .map(str::trim)
            .find(|t| !t.is_empty())
            .unwrap_or("")
            .trim_matches('"')
            .to_string()
    };
    if addr.is_empty() {
        return true;
    }
    valid_email(&addr)
}

/// `ValidateCustomer`: a known (valid) customer user, or a valid e-mail address.
pub fn valid_customer(store: &Store, cu: &str) -> bool {
    if cu.is_empty() {
        return false;
    }
    match store.customer(cu) {
        Some(c) => c.valid,
        None => valid_from(cu),
    }
}

/// Resolves `Queue`/`QueueID` (name first unless an ID is given; exact names).
pub fn queue_of(store: &Store, t: &Map<String, Value>) -> Option<u64> {
    let q = if truthy(t.get("Queue")) && !truthy(t.get("QueueID")) {
        scalar(t.get("Queue")).and_then(|n| store.queue_by_name(&n))
    } else if truthy(t.get("QueueID")) {
        scalar(t.get("QueueID"))
            .and_then(|i| i.trim().parse::<u64>().ok())
            .and_then(|i| store.queue(i))
    } else {
        None
    };
    q.filter(|q| q.valid).map(|q| q.id)
}

fn lookup(
    t: &Map<String, Value>,
    name_key: &str,
    id_key: &str,
    list: &[(u64, &str)],
) -> Option<u64> {
    if truthy(t.get(name_key)) && !truthy(t.get(id_key)) {
        let n = scalar(t.get(name_key))?;
        list.iter().find(|x| x.1 == n).map(|x| x.0)
    } else if truthy(t.get(id_key)) {
        let id = scalar(t.get(id_key))?.trim().parse::<u64>().ok()?;
        list.iter().find(|x| x.0 == id).map(|x| x.0)
    } else {
        None
    }
}

pub fn state_of(t: &Map<String, Value>) -> Option<u64> {
    let list: Vec<(u64, &str)> = STATES.iter().map(|s| (s.id, s.name)).collect();
    lookup(t, "State", "StateID", &list)
}

pub fn priority_of(t: &Map<String, Value>) -> Option<u64> {
    lookup(t, "Priority", "PriorityID", &PRIORITIES)
}

pub fn lock_of(t: &Map<String, Value>) -> Option<u64> {
    lookup(t, "Lock", "LockID", &LOCKS)
}

pub fn type_of(t: &Map<String, Value>) -> Option<u64> {
    lookup(t, "Type", "TypeID", &TYPES)
}

/// `_ValidateUser` for Owner/Responsible (login or ID of a valid agent).
pub fn user_of(store: &Store, t: &Map<String, Value>, name_key: &str, id_key: &str) -> Option<u64> {
    let a = if truthy(t.get(name_key)) && !truthy(t.get(id_key)) {
        scalar(t.get(name_key)).and_then(|n| store.agent_by_login(&n))
    } else if truthy(t.get(id_key)) {
        scalar(t.get(id_key))
            .and_then(|i| i.trim().parse::<u64>().ok())
            .and_then(|i| store.agent(i))
    } else {
        None
    };
    a.filter(|a| a.valid).map(|a| a.id)
}

/// `ValidatePendingTime` + the resulting time: `{Year,Month,Day,Hour,Minute}` or `{Diff}`
/// (minutes from now).
pub fn pending_time(v: Option<&Value>, now: i64) -> Option<i64> {
    let Some(Value::Object(m)) = v else {
        return None;
    };
    if m.is_empty() {
        return None;
    }
    if let Some(diff) = m.get("Diff") {
        if m.len() != 1 {
            return None;
        }
        let d = scalar(Some(diff))?;
        if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(now + d.parse::<i64>().ok()? * 60);
    }
    let get = |k: &str| -> Option<i64> {
        match m.get(k) {
            None => Some(0),
            Some(v) => {
                let s = scalar(Some(v))?;
                if s.is_empty() {
                    return None;
                }
                let n: i64 = s.trim().parse().ok()?;
                (n >= 0).then_some(n)
            }
        }
    };
    let (y, mo, d, h, mi) = (
        get("Year")?,
        get("Month")?,
        get("Day")?,
        get("Hour")?,
        get("Minute")?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || y < 1970 {
        return None;
    }
    let days = crate::util::days_from_civil(y, mo as u32, d as u32);
    // Reject dates like 31 February (DateTime would refuse them).
    if crate::util::civil_from_days(days) != (y, mo as u32, d as u32) {
        return None;
    }
    Some(days * 86_400 + h * 3600 + mi * 60)
}

/// `ValidateTimeUnit`: `\A\d+([.,]\d+)?\z`
pub fn valid_time_unit(s: &str) -> bool {
    let (a, b) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    !a.is_empty()
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.map(|b| !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit()))
            .unwrap_or(true)
}

/// `MIME::Base64::decode_base64`: lenient, ignores characters outside the alphabet.
pub fn decode_base64(s: &str) -> Vec<u8> {
    let mut clean: String = s
        .chars()
        .take_while(|c| *c != '=')
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
        .collect();
    if clean.len() % 4 == 1 {
        clean.pop();
    }
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(clean.as_bytes())
        .unwrap_or_default()
}

/// `_CheckAttachment` of TicketCreate/TicketUpdate (`op` is the error prefix).
pub fn check_attachment(op: &str, a: &mut Map<String, Value>) -> Result<(), OpResult> {
    for needed in ["Content", "ContentType", "Filename"] {
        if !is_string_with_data(a.get(needed)) {
            return Err(OpResult::err(
                &format!("{op}.MissingParameter"),
                format!("{op}: Attachment->{needed}  parameter is missing!"),
            ));
        }
    }
    let ct = scalar(a.get("ContentType"))
        .unwrap_or_default()
        .replace(['\r', '\n'], " ")
        .to_lowercase();
    a.insert("ContentType".into(), Value::String(ct.clone()));
    let cs = content_type_charset(&ct);
    if !cs.is_empty() && !valid_charset(&cs) {
        return Err(OpResult::err(
            &format!("{op}.InvalidParameter"),
            format!("{op}: Attachment->ContentType is invalid!"),
        ));
    }
    if !valid_mime(&content_type_mime(&ct)) {
        return Err(OpResult::err(
            &format!("{op}.InvalidParameter"),
            format!("{op}: Attachment->ContentType is invalid!"),
        ));
    }
    Ok(())
}

/// An attachment hash (already checked) as a file to store.
pub fn new_file(a: &Map<String, Value>) -> NewFile {
    NewFile {
        filename: scalar(a.get("Filename")).unwrap_or_default(),
        content_type: scalar(a.get("ContentType")).unwrap_or_default(),
        disposition: scalar(a.get("Disposition")).filter(|s| !s.is_empty()),
        content_id: scalar(a.get("ContentID")).filter(|s| !s.is_empty()),
        data: decode_base64(&scalar(a.get("Content")).unwrap_or_default()),
    }
}

/// `_CheckArticle` of TicketCreate/TicketUpdate. `op` is `TicketCreate` or `TicketUpdate`.
pub fn check_article(store: &Store, op: &str, a: &mut Map<String, Value>) -> Result<(), OpResult> {
    let missing =
        |what: &str| OpResult::err(&format!("{op}.MissingParameter"), format!("{op}: {what}"));
    let invalid =
        |what: &str| OpResult::err(&format!("{op}.InvalidParameter"), format!("{op}: {what}"));
    for needed in ["Subject", "Body", "AutoResponseType"] {
        if !truthy(a.get(needed)) {
            return Err(missing(&format!("Article->{needed} parameter is missing!")));
        }
    }
    let art = scalar(a.get("AutoResponseType")).unwrap_or_default();
    if !AUTO_RESPONSE_TYPES.contains(&art.as_str()) {
        return Err(invalid("Article->AutoResponseType parameter is invalid!"));
    }
    let channel = if truthy(a.get("CommunicationChannelID")) {
        scalar(a.get("CommunicationChannelID"))
            .and_then(|i| i.trim().parse::<u64>().ok())
            .map(channel_name)
            .filter(|n| !n.is_empty())
    } else {
        scalar(a.get("CommunicationChannel")).and_then(|n| channel_id(&n).map(channel_name))
    };
    let channel_ok = channel
        .map(|n| {
            let l = n.to_ascii_lowercase();
            l.starts_with("email") || l.contains("internal") || l.ends_with("phone")
        })
        .unwrap_or(false);
    if !channel_ok {
        return Err(invalid(
            "Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!",
        ));
    }
    if !truthy(a.get("SenderTypeID")) && !truthy(a.get("SenderType")) {
        return Err(OpResult::Fault(format!(
            "{op}: Article->SenderTypeID or Article->SenderType parameter is required and Sysconfig SenderTypeID setting could not be read!"
        )));
    }
    let sender_ok = if truthy(a.get("SenderType")) && !truthy(a.get("SenderTypeID")) {
        scalar(a.get("SenderType"))
            .and_then(|n| sender_type_id(&n))
            .is_some()
    } else {
        scalar(a.get("SenderTypeID"))
            .and_then(|i| i.trim().parse::<u64>().ok())
            .map(|i| !sender_type_name(i).is_empty())
            .unwrap_or(false)
    };
    if !sender_ok {
        return Err(invalid(
            "Article->SenderTypeID or Ticket->SenderType parameter is invalid!",
        ));
    }
    if truthy(a.get("From")) && !valid_from(&scalar(a.get("From")).unwrap_or_default()) {
        return Err(invalid("Article->From parameter is invalid!"));
    }
    if truthy(a.get("ArticleSend")) {
        let to = scalar(a.get("To")).unwrap_or_default();
        let ok = !to.trim().is_empty() && to.split(',').all(|x| valid_from(x.trim()));
        if !ok {
            // TicketUpdate reuses TicketCreate's code and text here (sic).
            return Err(OpResult::err(
                "TicketCreate.InvalidParameter",
                "TicketCreate: Article->To parameter must be a valid email address when Article->ArticleSend is set!",
            ));
        }
    }
    let (ct, mt, cs) = (
        truthy(a.get("ContentType")),
        truthy(a.get("MimeType")),
        truthy(a.get("Charset")),
    );
    if !ct && !mt && !cs {
        return Err(missing(
            "Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!",
        ));
    }
    if mt && !cs {
        return Err(missing("Article->Charset is required!"));
    }
    if cs && !mt {
        return Err(missing("Article->MimeType is required!"));
    }
    if mt {
        let m = scalar(a.get("MimeType")).unwrap_or_default().to_lowercase();
        a.insert("MimeType".into(), Value::String(m.clone()));
        if !valid_mime(&m) {
            return Err(invalid("Article->MimeType is invalid!"));
        }
    }
    if cs {
        let c = scalar(a.get("Charset")).unwrap_or_default().to_lowercase();
        a.insert("Charset".into(), Value::String(c.clone()));
        if !valid_charset(&c) {
            return Err(invalid("Article->Charset is invalid!"));
        }
    }
    if ct {
        let c = scalar(a.get("ContentType"))
            .unwrap_or_default()
            .replace(['\r', '\n'], " ")
            .to_lowercase();
        a.insert("ContentType".into(), Value::String(c.clone()));
        if !valid_charset(&content_type_charset(&c)) || !valid_mime(&content_type_mime(&c)) {
            return Err(invalid("Article->ContentType is invalid!"));
        }
    }
    let ht = scalar(a.get("HistoryType")).unwrap_or_default();
    if history_type_id(&ht).is_none() {
        return Err(invalid("Article->HistoryType parameter is invalid!"));
    }
    if truthy(a.get("TimeUnit")) && !valid_time_unit(&scalar(a.get("TimeUnit")).unwrap_or_default())
    {
        return Err(invalid("Article->TimeUnit parameter is invalid!"));
    }
    if truthy(a.get("NoAgentNotify")) && scalar(a.get("NoAgentNotify")).as_deref() != Some("1") {
        return Err(invalid("Article->NoAgent parameter is invalid!"));
    }
    for attr in [
        "ForceNotificationToUserID",
        "ExcludeNotificationToUserID",
        "ExcludeMuteNotificationToUserID",
    ] {
        let Some(v) = a.get(attr).cloned() else {
            continue;
        };
        if v.is_null() {
            continue;
        }
        if is_hash_with_data(Some(&v)) {
            return Err(invalid(&format!("Article->{attr} parameter is invalid!")));
        }
        let list = match v {
            Value::Array(l) if !l.is_empty() => l,
            other => vec![other],
        };
        for id in &list {
            let s = scalar(Some(id)).unwrap_or_default();
            let ok = s
                .trim()
                .parse::<u64>()
                .ok()
                .and_then(|i| store.agent(i))
                .map(|a| a.valid)
                .unwrap_or(false);
            if !ok {
                return Err(invalid(&format!(
                    "Article->{attr} UserID={s} parameter is invalid!"
                )));
            }
        }
        a.insert(attr.into(), Value::Array(list));
    }
    Ok(())
}

/// Splits `Attachment` (hash or list) into hashes; `None` entries are not hashes.
pub fn attachment_list(v: Option<&Value>) -> Vec<Option<Map<String, Value>>> {
    match v {
        Some(Value::Object(m)) => vec![Some(m.clone())],
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| match x {
                Value::Object(m) if !m.is_empty() => Some(m.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Owner, Responsible and PendingTime, checked alike for TicketCreate and TicketUpdate (as in
/// `Operation/Ticket/Common.pm`). A customer may set all of them; only invalid values fail.
pub struct AgentFields {
    pub owner_id: Option<u64>,
    pub responsible_id: Option<u64>,
    pub pending: Option<i64>,
}

/// `Err` carries the InvalidParameter message naming the field.
pub fn agent_fields(
    store: &Store,
    ticket: &Map<String, Value>,
    now: i64,
) -> Result<AgentFields, &'static str> {
    let owner_id = if truthy(ticket.get("OwnerID")) || truthy(ticket.get("Owner")) {
        Some(
            user_of(store, ticket, "Owner", "OwnerID")
                .ok_or("Ticket->OwnerID or Ticket->Owner parameter is invalid!")?,
        )
    } else {
        None
    };
    let responsible_id = if truthy(ticket.get("ResponsibleID")) || truthy(ticket.get("Responsible"))
    {
        Some(
            user_of(store, ticket, "Responsible", "ResponsibleID")
                .ok_or("Ticket->ResponsibleID or Ticket->Responsible parameter is invalid!")?,
        )
    } else {
        None
    };
    let pending = if truthy(ticket.get("PendingTime")) {
        Some(
            pending_time(ticket.get("PendingTime"), now)
                .ok_or("Ticket->PendingTime parameter is invalid!")?,
        )
    } else {
        None
    };
    Ok(AgentFields {
        owner_id,
        responsible_id,
        pending,
    })
}

/// What TicketCreate and TicketUpdate fill in differently before checking an article.
pub struct ArticleDefaults {
    pub auto_response: &'static str,
    pub history_type: &'static str,
    pub history_comment: &'static str,
}

/// The defaults both operations give an article (as in `Operation/Ticket/Common.pm`): the caller's
/// user type, channel Internal, visible for the customer, sender by caller, trimmed values.
pub fn apply_article_defaults(a: &mut Map<String, Value>, user_type: &str, d: ArticleDefaults) {
    a.insert("UserType".into(), Value::from(user_type));
    trim_values(a);
    if !truthy(a.get("AutoResponseType")) {
        a.insert("AutoResponseType".into(), Value::from(d.auto_response));
    }
    if !truthy(a.get("CommunicationChannelID")) && !truthy(a.get("CommunicationChannel")) {
        a.insert("CommunicationChannel".into(), Value::from("Internal"));
    }
    if a.get("IsVisibleForCustomer").is_none_or(Value::is_null) {
        a.insert("IsVisibleForCustomer".into(), Value::from(1));
    }
    if !truthy(a.get("SenderTypeID")) && !truthy(a.get("SenderType")) {
        let sender = if user_type == "User" {
            "agent"
        } else {
            "customer"
        };
        a.insert("SenderType".into(), Value::from(sender));
    }
    if !truthy(a.get("HistoryType")) {
        a.insert("HistoryType".into(), Value::from(d.history_type));
    }
    if !truthy(a.get("HistoryComment")) {
        a.insert("HistoryComment".into(), Value::from(d.history_comment));
    }
}

/// The top-level `Attachment` (object or array) of TicketCreate and TicketUpdate, checked.
pub fn top_level_attachments(op: &str, v: Option<&Value>) -> Result<Vec<NewFile>, OpResult> {
    let mut files = Vec::new();
    if v.is_some_and(|v| !v.is_null()) {
        for item in attachment_list(v) {
            let Some(mut m) = item else {
                return Err(OpResult::Fault(format!(
                    "{op}: Ticket->Attachment parameter is invalid!"
                )));
            };
            trim_values(&mut m);
            check_attachment(op, &mut m)?;
            files.push(new_file(&m));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type_charset("text/plain; charset=utf-8"), "utf-8");
        assert_eq!(
            content_type_charset("text/plain; charset=\"UTF8\"; x=1"),
            "utf8"
        );
        assert_eq!(content_type_charset("text/plain"), "");
        assert_eq!(content_type_mime("text/plain; charset=utf-8"), "text/plain");
        assert!(valid_charset("utf8") && valid_charset("ISO-8859-1") && !valid_charset("klingon"));
        assert!(valid_from("\"Alice Customer\" <alice@acme.example>"));
        assert!(!valid_from("Alice Anders"));
        assert!(valid_from("root@localhost"));
        assert_eq!(decode_base64("bG9nIGxpbmUK"), b"log line\n");
        assert_eq!(decode_base64("bG9n\nIGxp bmUK=="), b"log line\n");
        assert!(valid_time_unit("15") && valid_time_unit("1,5") && !valid_time_unit("-1"));
    }
}
