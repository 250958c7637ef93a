//! JSON shapes of the fake Znuny's records as TicketGet returns them (fixtures 08, 09, 41),
//! with the observed types: IDs and counters numbers, `TicketNumber`, `SenderTypeID`,
//! `FileID` and `FilesizeRaw` strings, unset `SLAID`/`ServiceID` empty strings.

use super::store::*;
use base64::Engine;
use serde_json::{Map, Value};

/// A number as Perl would print it: integers without a fraction.
pub fn perl_number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        Value::from(f)
    }
}

/// The ticket hash of `TicketGet` (without articles).
pub fn ticket(store: &Store, t: &Ticket) -> Map<String, Value> {
    let now = store.now();
    let st = state(t.state_id);
    let queue = store.queue(t.queue_id);
    let pending = st
        .map(|s| s.type_name.starts_with("pending"))
        .unwrap_or(false);
    let mut m = Map::new();
    let opt = |v: &Option<String>| v.clone().map(Value::String).unwrap_or(Value::Null);
    m.insert("Age".into(), Value::from(now - t.created));
    m.insert(
        "ArchiveFlag".into(),
        Value::from(if t.archived { "y" } else { "n" }),
    );
    m.insert("ChangeBy".into(), Value::from(t.change_by));
    m.insert("Changed".into(), Value::from(timestamp(t.changed)));
    m.insert("CreateBy".into(), Value::from(t.create_by));
    m.insert("Created".into(), Value::from(timestamp(t.created)));
    m.insert("CustomerID".into(), opt(&t.customer_id));
    m.insert("CustomerUserID".into(), opt(&t.customer_user));
    for k in [
        "EscalationResponseTime",
        "EscalationSolutionTime",
        "EscalationTime",
        "EscalationUpdateTime",
    ] {
        m.insert(k.into(), Value::from(t.escalation));
    }
    m.insert(
        "GroupID".into(),
        Value::from(queue.map(|q| q.group_id).unwrap_or(1)),
    );
    m.insert("Lock".into(), Value::from(lock_name(t.lock_id)));
    m.insert("LockID".into(), Value::from(t.lock_id));
    m.insert("Owner".into(), Value::from(store.agent_login(t.owner_id)));
    m.insert("OwnerID".into(), Value::from(t.owner_id));
    m.insert("Priority".into(), Value::from(priority_name(t.priority_id)));
    m.insert("PriorityID".into(), Value::from(t.priority_id));
    m.insert("Queue".into(), Value::from(store.queue_name(t.queue_id)));
    m.insert("QueueID".into(), Value::from(t.queue_id));
    m.insert(
        "RealTillTimeNotUsed".into(),
        Value::from(if pending { t.until_time } else { 0 }),
    );
    m.insert(
        "Responsible".into(),
        Value::from(store.agent_login(t.responsible_id)),
    );
    m.insert("ResponsibleID".into(), Value::from(t.responsible_id));
    m.insert(
        "SLAID".into(),
        t.sla_id.map(Value::from).unwrap_or_else(|| Value::from("")),
    );
    m.insert(
        "ServiceID".into(),
        t.service_id
            .map(Value::from)
            .unwrap_or_else(|| Value::from("")),
    );
    m.insert(
        "State".into(),
        Value::from(st.map(|s| s.name).unwrap_or("")),
    );
    m.insert("StateID".into(), Value::from(t.state_id));
    m.insert(
        "StateType".into(),
        Value::from(st.map(|s| s.type_name).unwrap_or("")),
    );
    m.insert("TicketID".into(), Value::from(t.id));
    m.insert("TicketNumber".into(), Value::from(t.number.clone()));
    m.insert(
        "TimeUnit".into(),
        perl_number(store.ticket_time_units(t.id)),
    );
    m.insert("Title".into(), Value::from(t.title.clone()));
    m.insert("Type".into(), Value::from(type_name(t.type_id)));
    m.insert("TypeID".into(), Value::from(t.type_id));
    m.insert("UnlockTimeout".into(), Value::from(t.unlock_timeout));
    m.insert(
        "UntilTime".into(),
        Value::from(if pending && t.until_time > 0 {
            t.until_time - now
        } else {
            0
        }),
    );
    m
}

/// The article hash of `ArticleGet` plus `TimeUnit` (as TicketGet adds it).
pub fn article(a: &Article) -> Map<String, Value> {
    let mut m = Map::new();
    let s = |v: &str| Value::from(v.to_string());
    m.insert("ArticleID".into(), Value::from(a.id));
    m.insert("ArticleNumber".into(), Value::from(a.number));
    m.insert("Bcc".into(), s(&a.bcc));
    m.insert("Body".into(), s(&a.body));
    m.insert("Cc".into(), s(&a.cc));
    m.insert("ChangeBy".into(), Value::from(a.create_by));
    m.insert("ChangeTime".into(), s(&timestamp(a.created)));
    m.insert("Charset".into(), s(&a.charset));
    m.insert("CommunicationChannel".into(), s(channel_name(a.channel_id)));
    m.insert("CommunicationChannelID".into(), Value::from(a.channel_id));
    m.insert("ContentCharset".into(), s(&a.charset));
    m.insert("ContentType".into(), s(&a.content_type));
    m.insert("CreateBy".into(), Value::from(a.create_by));
    m.insert("CreateTime".into(), s(&timestamp(a.created)));
    m.insert("From".into(), s(&a.from));
    m.insert("InReplyTo".into(), s(&a.in_reply_to));
    m.insert("IncomingTime".into(), Value::from(a.created));
    m.insert(
        "IsVisibleForCustomer".into(),
        Value::from(u8::from(a.visible)),
    );
    m.insert("MessageID".into(), s(&a.message_id));
    m.insert("MimeType".into(), s(&a.mime_type));
    m.insert("References".into(), s(&a.references));
    m.insert("ReplyTo".into(), s(&a.reply_to));
    m.insert("SenderType".into(), s(sender_type_name(a.sender_type_id)));
    m.insert(
        "SenderTypeID".into(),
        Value::from(a.sender_type_id.to_string()),
    );
    m.insert("Subject".into(), s(&a.subject));
    m.insert("TicketID".into(), Value::from(a.ticket_id));
    m.insert("TimeUnit".into(), perl_number(a.time_unit));
    m.insert("To".into(), s(&a.to));
    m
}

/// One attachment entry of TicketGet (`Content` base64 without line breaks, or `""`).
pub fn attachment_entry(
    file_id: u64,
    filename: &str,
    content_type: &str,
    disposition: &str,
    content_id: &str,
    data: &[u8],
    with_content: bool,
) -> Value {
    let mut m = Map::new();
    m.insert(
        "Content".into(),
        Value::from(if with_content {
            base64::engine::general_purpose::STANDARD.encode(data)
        } else {
            String::new()
        }),
    );
    m.insert("ContentAlternative".into(), Value::from(""));
    m.insert("ContentID".into(), Value::from(content_id));
    m.insert("ContentType".into(), Value::from(content_type));
    m.insert("Disposition".into(), Value::from(disposition));
    m.insert("FileID".into(), Value::from(file_id.to_string()));
    m.insert("Filename".into(), Value::from(filename));
    m.insert("FilesizeRaw".into(), Value::from(data.len().to_string()));
    Value::Object(m)
}

/// The attachment list of an article as `ArticleAttachmentIndex` + `ArticleAttachment` give
/// it: the HTML body part (`file-2`, FileID 1) only with `html_body_as_attachment`.
pub fn attachments(
    store: &Store,
    a: &Article,
    html_body_as_attachment: bool,
    with_content: bool,
) -> Vec<Value> {
    let mut out: Vec<(String, Value)> = Vec::new();
    if let (Some(html), true) = (&a.html_body, html_body_as_attachment) {
        out.push((
            "1".into(),
            attachment_entry(
                1,
                "file-2",
                &format!("text/html; charset=\"{}\"", a.charset),
                "inline",
                "",
                html.as_bytes(),
                with_content,
            ),
        ));
    }
    for f in store.attachments_of(a.id) {
        out.push((
            f.file_id.to_string(),
            attachment_entry(
                f.file_id,
                &f.filename,
                &f.content_type,
                &f.disposition,
                &f.content_id,
                &f.data,
                with_content,
            ),
        ));
    }
    // `sort keys %AtmIndex`: FileIDs are sorted as strings.
    out.sort_by(|x, y| x.0.cmp(&y.0));
    out.into_iter().map(|(_, v)| v).collect()
}
