//! Bad input: every reader of a Zammad answer, and config.json as this build reads it, fed
//! recorded answers mutated, random JSON and random bytes (see `backend::tests::fuzz`). None may panic;
//! each gives a valid domain value or a `PortalError` of a kind that fits the status.

use serde_json::Value;

use super::*;
use crate::backend::tests::fuzz::{self, Case, Expect, Gen, Reader, Rng, Shape, Verdict};
use crate::backend::zammad::Zammad;
use crate::backend::Backend;
use crate::config::Config;
use crate::domain::error::ErrorKind::{self, *};
use crate::domain::{Scope, SortOrder, StateCategory, StatusFilter};

/// Keys Zammad's answers and the portal's wire types use, so random objects reach the readers.
const VOCAB: &[&str] = &[
    "id",
    "login",
    "firstname",
    "lastname",
    "email",
    "organization_id",
    "organization_ids",
    "number",
    "title",
    "state_id",
    "state",
    "group_id",
    "group",
    "customer_id",
    "created_at",
    "updated_at",
    "close_at",
    "sender",
    "sender_id",
    "from",
    "subject",
    "body",
    "content_type",
    "internal",
    "attachments",
    "filename",
    "size",
    "preferences",
    "Mime-Type",
    "Content-Type",
    "name",
    "state_type",
    "state_type_id",
    "active",
    "default_follow_up",
    "follow_up_possible",
    "reopen_time_in_days",
    "error",
    "error_human",
    "two_factor_required",
    "token",
    "tokens",
    "label",
    "session",
    "records",
    "total_count",
    "tickets",
    "assets",
    "Ticket",
    "1",
    "41",
    "last_close_at",
    "config",
    "customer_ticket_create",
    "customer_ticket_create_group_ids",
    "form_meta",
    "core_workflow",
    "restrict_values",
    "Group",
];

const CONFIG_VOCAB: &[&str] = &[
    "brand",
    "name",
    "api_base",
    "request_timeout_ms",
    "poll_interval_ms",
    "ticket_form",
    "groups",
    "default_group",
    "id",
    "label",
    "max_attachment_bytes",
    "page_size",
    "zammad",
    "znuny",
    "auth",
    "token",
    "session",
    "token_days",
    "remember_days",
    "routes",
];

fn status_kinds(status: u16) -> &'static [ErrorKind] {
    match status {
        401 => &[SignedOut, Credentials],
        403 => &[SignedOut, Server, NotFound],
        404 => &[NotFound],
        422 => &[Validation, Refused],
        _ => &[Server],
    }
}

fn token_kinds(status: u16) -> &'static [ErrorKind] {
    match status {
        401 => &[Setup, Credentials],
        403 => &[Setup, SignedOut, Server, NotFound],
        s => status_kinds(s),
    }
}

fn signin_kinds(status: u16) -> &'static [ErrorKind] {
    match status {
        401 => &[Credentials],
        s => status_kinds(s),
    }
}

const fn rules(shape: Shape) -> Expect {
    Expect {
        shape,
        kinds_2xx: &[Unreadable],
        kinds_other: status_kinds,
        accepting: &[],
        error_key: None,
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn random_query(rng: &mut Rng) -> TicketQuery {
    TicketQuery {
        status: *rng.pick(&[StatusFilter::Open, StatusFilter::Closed, StatusFilter::All]),
        text: String::new(),
        sort: *rng.pick(&[SortOrder::LastUpdate, SortOrder::Created, SortOrder::Number]),
        scope: *rng.pick(&[Scope::Organization, Scope::Mine]),
        page: *rng.pick(&[0, 1, 2, 7, u32::MAX]),
        per_page: *rng.pick(&[0, 1, 25, 100, 101, u32::MAX]),
    }
}

fn random_close_at(rng: &mut Rng) -> Option<&'static str> {
    *rng.pick(&[
        None,
        Some("2025-06-05T08:00:00Z"),
        Some(""),
        Some("9999999999-99-99"),
        Some("1-1-999999"),
        Some("+99999-1-1T"),
        Some("2025-06-10T1é"),
        Some("é€2025-06-10"),
        Some("-2025-06-10"),
    ])
}

/// Ids of article rows in `body` that say `"internal": true` and of every other row.
fn internal_ids(body: &Value) -> (Vec<String>, Vec<String>) {
    let mut internal = Vec::new();
    let mut public = Vec::new();
    for row in body.as_array().into_iter().flatten() {
        let id = match &row["id"] {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => continue,
        };
        if row["internal"] == Value::Bool(true) {
            internal.push(id);
        } else {
            public.push(id);
        }
    }
    (internal, public)
}

fn readers<'a>(fixtures: &'a [fuzz::Fixture], configs: &'a [fuzz::Fixture]) -> Vec<Reader<'a>> {
    let table = {
        let f = fixtures.iter().find(|f| f.name.starts_with("34-")).unwrap();
        states(200, &f.body, true).unwrap()
    };
    let gen = |primary: &[&str]| Gen::new(fixtures, primary, VOCAB);
    let mut config_gen = Gen::new(configs, &["public/"], CONFIG_VOCAB);
    config_gen.fixed_status = true;
    const NOW: &str = "2025-06-10T10:00:00.000Z";
    vec![
        Reader {
            name: "checked (writes, deletes, downloads)",
            gen: gen(&[
                "04-", "10-", "11-", "12-", "20-", "21-", "30-", "31-", "32-", "33-",
            ]),
            check: fuzz::check(|c, rng| {
                judge_with(
                    c,
                    &rules(Shape::Unread),
                    &checked(c.status, &c.body, rng.bool()),
                )
            }),
        },
        Reader {
            name: "me",
            gen: gen(&["13-"]),
            check: fuzz::check(|c, rng| {
                let r = me(c.status, &c.body, rng.bool());
                if let Ok(customer) = &r {
                    if !digits(&customer.id) {
                        return Err(format!("customer id {:?}", customer.id));
                    }
                }
                judge_with(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "states",
            gen: gen(&["34-"]),
            check: fuzz::check(|c, rng| {
                let r = states(c.status, &c.body, rng.bool());
                if let Ok(table) = &r {
                    let all = [
                        StateCategory::New,
                        StateCategory::Open,
                        StateCategory::Pending,
                        StateCategory::Closed,
                    ];
                    if !table.ids_in(&all).iter().all(|id| digits(id)) {
                        return Err("a state id that is not a number".into());
                    }
                    let _ = table.state(Some(rng.next_u64() % 10), Some("pending x"));
                }
                judge_with(c, &rules(Shape::Array), &r)
            }),
        },
        Reader {
            name: "groups",
            gen: gen(&["36-"]),
            check: fuzz::check(|c, rng| {
                let r = groups(c.status, &c.body, rng.bool());
                if let Ok(groups) = &r {
                    for g in groups {
                        let (last, first) = (random_close_at(rng), random_close_at(rng));
                        let now = map::iso_ms(NOW).unwrap_or_default();
                        let _ = map::follow_up(Some(g), last, first, now, map::iso_ms);
                    }
                }
                judge_with(c, &rules(Shape::Array), &r)
            }),
        },
        Reader {
            name: "token_id (sign-out)",
            gen: gen(&["03-", "39-"]),
            check: fuzz::check(|c, rng| {
                let label = *rng.pick(&["customer-portal 2025-06-02T09:15Z", "", "x"]);
                judge_with(
                    c,
                    &rules(Shape::Object),
                    &token_id(c.status, &c.body, rng.bool(), label),
                )
            }),
        },
        Reader {
            name: "search",
            gen: gen(&["14-", "15-", "16-", "17-", "18-"]),
            check: fuzz::check(move |c, rng| {
                let q = random_query(rng);
                let r = search(c.status, &c.body, rng.bool(), &q, &table, "7");
                if let Ok(page) = &r {
                    if let Some(t) = page.tickets.iter().find(|t| !digits(&t.id.0)) {
                        return Err(format!("ticket id {:?}", t.id));
                    }
                }
                judge_with(c, &rules(Shape::ObjectOrArray), &r)
            }),
        },
        Reader {
            name: "ticket_row",
            gen: gen(&["19-", "22-", "23-"]),
            check: fuzz::check(|c, rng| {
                let r = ticket_row(c.status, &c.body, rng.bool());
                if let Ok(row) = &r {
                    let table = StateTable::default();
                    let _ = map::summary(row, &table, Some("7"));
                    let group = GroupRow {
                        id: 1,
                        follow_up_possible: Some("new_ticket_after_certain_time".into()),
                        reopen_time_in_days: Some(rng.next_u64()),
                    };
                    let now = map::iso_ms(NOW).unwrap_or_default();
                    let (last, first) = (row.last_close_at.as_deref(), row.close_at.as_deref());
                    let _ = map::follow_up(Some(&group), last, first, now, map::iso_ms);
                }
                judge_with(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "articles",
            gen: gen(&["27-"]),
            check: fuzz::check(|c, rng| {
                let r = articles(c.status, &c.body, rng.bool(), "41");
                if let (Ok(list), Some(body)) = (&r, c.json()) {
                    let (internal, public) = internal_ids(&body);
                    if let Some(a) = list
                        .iter()
                        .find(|a| internal.contains(&a.id) && !public.contains(&a.id))
                    {
                        return Err(format!("internal article {} shown", a.id));
                    }
                }
                judge_with(c, &rules(Shape::Array), &r)
            }),
        },
        Reader {
            name: "created (new ticket)",
            gen: gen(&["22-", "23-", "24-", "25-", "26-"]),
            check: fuzz::check(|c, rng| {
                let r = created(c.status, &c.body, rng.bool());
                if let Ok(id) = &r {
                    if !digits(&id.0) {
                        return Err(format!("ticket id {id:?}"));
                    }
                }
                judge_with(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "token_created (sign-in)",
            gen: gen(&["01-", "02-", "38-"]),
            check: fuzz::check(|c, _| {
                let r = token_created(c.status, &c.body);
                if let Ok(token) = &r {
                    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
                        return Err(format!("token {token:?}"));
                    }
                }
                let expect = Expect {
                    kinds_other: token_kinds,
                    ..rules(Shape::Object)
                };
                judge_with(c, &expect, &r)
            }),
        },
        Reader {
            name: "signin (session)",
            gen: gen(&["06-", "07-", "08-", "09-"]),
            check: fuzz::check(|c, rng| {
                let code = TwoFactorAnswer::Code(TwoFactorMethod::AuthenticatorApp, "1".into());
                let r = signin(c.status, &c.body, rng.bool().then_some(&code));
                match &r {
                    Ok(SignInOutcome::TwoFactorRequired(_)) if c.status != 422 => {
                        return Err("two-factor challenge outside a 422".into())
                    }
                    Ok(SignInOutcome::SignedIn(_)) if !c.success() => {
                        return Err("signed in on an error status".into())
                    }
                    _ => {}
                }
                let expect = Expect {
                    kinds_other: signin_kinds,
                    accepting: &[422],
                    ..rules(Shape::Object)
                };
                judge_with(c, &expect, &r)
            }),
        },
        Reader {
            name: "signshow (restore)",
            gen: gen(&["05-", "06-"]),
            check: fuzz::check(|c, _| {
                let expect = Expect {
                    kinds_other: signin_kinds,
                    ..rules(Shape::Object)
                };
                judge_with(c, &expect, &signshow(c.status, &c.body))
            }),
        },
        Reader {
            name: "client_config (new-ticket rules)",
            gen: gen(&["05-", "06-"]),
            check: fuzz::check(|c, rng| {
                let r = client_config(c.status, &c.body, rng.bool());
                if let Ok(config) = &r {
                    let _ = map::create_rules(Some(config), None);
                }
                judge_with(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "ticket_create_form (new-ticket rules)",
            gen: gen(&["05-", "36-"]),
            check: fuzz::check(|c, rng| {
                let r = ticket_create_form(c.status, &c.body, rng.bool());
                if let Ok(form) = &r {
                    if let Some(id) = form.group_ids.iter().flatten().find(|id| !digits(id)) {
                        return Err(format!("group id {id:?}"));
                    }
                    let _ = map::create_rules(None, Some(form));
                }
                judge_with(c, &rules(Shape::Object), &r)
            }),
        },
        Reader {
            name: "config.json",
            gen: config_gen,
            check: fuzz::check(|c, _| config_check(c)),
        },
    ]
}

fn judge_with<T>(case: &Case, expect: &Expect, r: &PortalResult<T>) -> Result<Verdict, String> {
    fuzz::judge(case, expect, r)
}

/// config.json as the app reads it, and the adapter's own section as `Zammad::new` reads it.
fn config_check(case: &Case) -> Result<Verdict, String> {
    fuzz::config_check(case, |config| {
        let _ = Zammad::new(config);
        Ok(())
    })
}

fn config_fixtures() -> Vec<fuzz::Fixture> {
    vec![
        fuzz::file_fixture("public/config.json"),
        fuzz::file_fixture("public/config.znuny.json"),
    ]
}

#[test]
fn fuzz_zammad_readers() {
    let fixtures = fuzz::fixtures("zammad");
    let configs = config_fixtures();
    let readers = readers(&fixtures, &configs);
    let mut extra: Vec<(&'static str, Vec<Case>)> = vec![
        ("me", fuzz::cut_offs(&fixtures, "13-")),
        ("search", fuzz::cut_offs(&fixtures, "17-")),
        ("ticket_row", fuzz::cut_offs(&fixtures, "19-")),
        ("articles", fuzz::cut_offs(&fixtures, "27-")),
        ("token_created (sign-in)", fuzz::cut_offs(&fixtures, "01-")),
        ("signin (session)", fuzz::cut_offs(&fixtures, "06-")),
        (
            "config.json",
            fuzz::cut_offs(&configs, "public/config.json"),
        ),
    ];
    for (name, shape) in [
        ("me", Shape::Object),
        ("states", Shape::Array),
        ("groups", Shape::Array),
        ("token_id (sign-out)", Shape::Object),
        ("search", Shape::ObjectOrArray),
        ("ticket_row", Shape::Object),
        ("articles", Shape::Array),
        ("created (new ticket)", Shape::Object),
        ("token_created (sign-in)", Shape::Object),
        ("signin (session)", Shape::Object),
        ("signshow (restore)", Shape::Object),
        ("client_config (new-ticket rules)", Shape::Object),
        ("ticket_create_form (new-ticket rules)", Shape::Object),
        ("config.json", Shape::Object),
    ] {
        extra.push((name, fuzz::refusable(shape)));
        extra.push((name, fuzz::edges()));
    }
    fuzz::run("zammad", &readers, &extra);
}

/// Answers that look almost right and must still be refused, with the kind the page acts on.
#[test]
fn broken_answers_are_refused_with_the_right_kind() {
    let kind = |r: PortalResult<()>| r.err().map(|e| e.kind);
    let unit = |r: PortalResult<Customer>| r.map(|_| ());
    // serde reads a struct from an array: `[7]` is not a user with id 7.
    assert_eq!(kind(unit(me(200, b"[7]", true))), Some(Unreadable));
    assert_eq!(kind(unit(me(200, b"{}", true))), Some(Unreadable));
    assert_eq!(
        kind(unit(me(200, b"{\"id\":null}", true))),
        Some(Unreadable)
    );
    assert_eq!(kind(unit(me(200, b"{\"id\":", true))), Some(Unreadable));
    assert_eq!(kind(unit(me(401, b"{\"id\":7}", true))), Some(SignedOut));
    assert_eq!(kind(unit(me(503, b"{\"id\":7}", true))), Some(Server));
    assert_eq!(
        created(200, b"[41]", true).map_err(|e| e.kind),
        Err(Unreadable)
    );
    assert_eq!(
        created(201, br#"{"id":"41"}"#, true),
        Ok(TicketId("41".into()))
    );
    assert_eq!(
        articles(200, br#"[{"id":1},[2]]"#, true, "41").map_err(|e| e.kind),
        Err(Unreadable)
    );
    assert_eq!(
        states(200, b"{}", true).map(|_| ()).map_err(|e| e.kind),
        Err(Unreadable)
    );
    // A token must be usable in a header: no spaces or control characters (a label is not one).
    for body in [
        &br#"{"token":null,"name":"customer-portal 2025-06-02T09:15Z"}"#[..],
        br#"{"token":"abc\ndef"}"#,
        br#"{"token":""}"#,
        br#"["Zk3rT9vQ"]"#,
    ] {
        assert_eq!(
            token_created(200, body).map_err(|e| e.kind),
            Err(Unreadable)
        );
    }
    assert_eq!(
        token_created(200, br#"{"name":"Zk3r-T9_vQ"}"#).as_deref(),
        Ok("Zk3r-T9_vQ")
    );
    // A 422 is a two-factor challenge only when its object says so.
    // (One without the list of methods is read as the authenticator app, as before 6.0.)
    assert_eq!(
        signin(422, br#"{"two_factor_required":{"default":"x"}}"#, None),
        Ok(SignInOutcome::TwoFactorRequired(TwoFactorChallenge {
            methods: vec![TwoFactorMethod::AuthenticatorApp],
            default: TwoFactorMethod::AuthenticatorApp,
        }))
    );
    assert_eq!(
        signin(422, br#"[null,null,{"default":"x"}]"#, None).map_err(|e| e.kind),
        Err(Validation)
    );
    assert_eq!(
        signin(200, br#"{"session":null}"#, None).map_err(|e| e.kind),
        Err(Unreadable)
    );
    assert_eq!(signshow(200, br#"{"session":null}"#), Ok(None));
    // A blank text is no message: the next text, or the general one, is shown.
    let blank = map::error_from(422, br#"{"error":{},"error_human":" "}"#, true);
    assert_eq!(blank.kind, Validation);
    assert!(blank.to_string().contains("did not accept"), "{blank}");
    let fallback = map::error_from(
        422,
        br#"{"error":"Title is missing","error_human":""}"#,
        true,
    );
    assert_eq!(fallback.to_string(), "Title is missing");
    // An error page in place of JSON still gives the status's meaning.
    assert_eq!(
        map::error_from(403, br#"["Authentication required"]"#, true).kind,
        NotFound
    );
    assert_eq!(
        map::error_from(403, br#"{"error":"Authentication required"}"#, true).kind,
        SignedOut
    );
    // config.json must be an object, not just any JSON the struct can be read from.
    for text in ["[]", "[{\"name\":\"x\"}]", "null", "\"\"", "{", ""] {
        assert!(Config::parse(text).is_err(), "{text}");
    }
}

/// config.json's `zammad` section and the sign-in kept in storage: what reads, what falls back,
/// and the stored format earlier builds wrote (and read back).
#[test]
fn settings_and_stored_sign_in_read_as_before() {
    use crate::backend::zammad::{AuthMode, Settings, Stored};
    use AuthMode::{Session, Token};

    const DEFAULTS: (AuthMode, u32, u32) = (Token, 2, 30);
    for (text, expected) in [
        ("null", DEFAULTS),
        ("{}", DEFAULTS),
        ("[]", DEFAULTS),
        ("[\"session\"]", DEFAULTS),
        ("\"session\"", DEFAULTS),
        (r#"{"auth":"session"}"#, (Session, 2, 30)),
        (r#"{"auth":"Session"}"#, DEFAULTS),
        (r#"{"auth":null}"#, DEFAULTS),
        (
            r#"{"auth":"token","token_days":7,"remember_days":90}"#,
            (Token, 7, 90),
        ),
        (r#"{"auth":"session","token_days":7.0}"#, DEFAULTS),
        (r#"{"auth":"session","token_days":-1}"#, DEFAULTS),
        (r#"{"auth":"session","token_days":"7"}"#, DEFAULTS),
        (r#"{"auth":"session","token_days":4294967296}"#, DEFAULTS),
        (
            r#"{"auth":"session","remember_days":4294967295}"#,
            (Session, 2, 4_294_967_295),
        ),
        (r#"{"auth":"session","remember_days":null}"#, DEFAULTS),
        (r#"{"auth":"session","remember_days":1e2}"#, DEFAULTS),
        (r#"{"auth":"session","auth":"token"}"#, DEFAULTS),
        (
            r#"{"auth":"session","other":1,"other":2}"#,
            (Session, 2, 30),
        ),
    ] {
        let s = Settings::read(Some(text));
        assert_eq!((s.auth, s.token_days, s.remember_days), expected, "{text}");
    }
    let s = Settings::read(None);
    assert_eq!((s.auth, s.token_days, s.remember_days), DEFAULTS);

    let some = |s: &str| Some(s.to_string());
    for (text, expected) in [
        (
            r#"{"mode":"token","token":"Zk3rT9vQ","label":"customer-portal x"}"#,
            Some((
                some("token"),
                some("Zk3rT9vQ"),
                some("customer-portal x"),
                None,
            )),
        ),
        (
            r#"{"mode":"session","token":null,"label":null}"#,
            Some((some("session"), None, None, None)),
        ),
        (
            r#"{"mode":"session","token":null,"label":null,"user":"10"}"#,
            Some((some("session"), None, None, some("10"))),
        ),
        (r#"{"mode":"session","user":10}"#, None),
        (
            r#"{"mode":"session"}"#,
            Some((some("session"), None, None, None)),
        ),
        (r#"{"token":"Zk3rT9vQ"}"#, None),
        (r#"{"mode":1}"#, None),
        (r#"{"mode":"token","token":5}"#, None),
        (r#"{"mode":"token","token":"a","token":"b"}"#, None),
        (
            r#"{"mode":"token","extra":[1]}"#,
            Some((some("token"), None, None, None)),
        ),
        (r#"["token","Zk3rT9vQ"]"#, None),
        ("{}", None),
        ("null", None),
        ("\"token\"", None),
        ("{", None),
    ] {
        let read = Stored::read(text).map(|s| (Some(s.mode), s.token, s.label, s.user));
        assert_eq!(read, expected, "{text}");
    }

    for (token, label, user, text) in [
        (
            Some("Zk3rT9vQ"),
            Some("customer-portal \"x\""),
            None,
            r#"{"mode":"token","token":"Zk3rT9vQ","label":"customer-portal \"x\"","user":null}"#,
        ),
        (
            None,
            None,
            Some("10"),
            r#"{"mode":"token","token":null,"label":null,"user":"10"}"#,
        ),
    ] {
        let stored = Stored {
            mode: "token".into(),
            token: token.map(String::from),
            label: label.map(String::from),
            user: user.map(String::from),
        };
        assert_eq!(crate::browser::http::json(&stored), text);
    }
}

/// The two-factor challenge as Zammad 6.x/7.x words it (sessions_controller.rb#create).
#[test]
fn two_factor_challenge_offers_every_method_zammad_lists() {
    use TwoFactorMethod::*;
    let read = |body: &str| match signin(422, body.as_bytes(), None) {
        Ok(SignInOutcome::TwoFactorRequired(c)) => Ok(c),
        other => Err(format!("{other:?}")),
    };
    let full = read(
        r#"{"two_factor_required":{"default_two_factor_authentication_method":"security_keys",
        "available_two_factor_authentication_methods":["authenticator_app","security_keys"],
        "recovery_codes_available":true}}"#,
    );
    assert_eq!(
        full,
        Ok(TwoFactorChallenge {
            methods: vec![AuthenticatorApp, SecurityKey, RecoveryCode],
            default: SecurityKey,
        })
    );
    // Unknown methods are left out; a default that is not offered falls back to the first.
    let partial = read(
        r#"{"two_factor_required":{"default_two_factor_authentication_method":"sms",
        "available_two_factor_authentication_methods":["sms","security_keys"],
        "recovery_codes_available":false}}"#,
    );
    assert_eq!(
        partial,
        Ok(TwoFactorChallenge {
            methods: vec![SecurityKey],
            default: SecurityKey,
        })
    );
    let none = signin(
        422,
        br#"{"two_factor_required":{"available_two_factor_authentication_methods":["sms"],"recovery_codes_available":false}}"#,
        None,
    )
    .unwrap_err();
    assert_eq!((none.kind, none.message), (Refused, Msg::TwoFactorNoMethod));
}

/// A refused second factor: a wrong code or key keeps the attempt; the generic login failure
/// after a challenge means the account got locked meanwhile.
#[test]
fn refused_second_factors_say_what_went_wrong() {
    let code = TwoFactorAnswer::Code(TwoFactorMethod::RecoveryCode, "x".into());
    let wrong =
        br#"{"error":"Login failed. Please double-check your two-factor authentication method."}"#;
    let locked = br#"{"error":"Login failed. Have you double-checked your credentials and completed the email verification step?"}"#;
    let msg = |body: &[u8], answer| signin(401, body, Some(answer)).unwrap_err().message;
    assert_eq!(msg(wrong, &code), Msg::TwoFactorWrong);
    assert_eq!(
        msg(wrong, &TwoFactorAnswer::SecurityKey),
        Msg::SecurityKeyRefused
    );
    assert_eq!(msg(locked, &code), Msg::AccountLocked);
    assert_eq!(
        signin(401, locked, None).unwrap_err().message,
        Msg::SignInFailed
    );
    assert!(!signin_ends_attempt(401, true));
    assert!(signin_ends_attempt(401, false));
}

/// Token minting refused by a setting: each reason names what the admin must change, and is
/// one the session sign-in gets around.
#[test]
fn token_setting_refusals_name_the_setting() {
    let cases: [(u16, &[u8], MintRefusal, Msg); 4] = [
        (
            401,
            br#"{"error":"Two-factor authentication is not supported with HTTP BasicAuth.","error_human":"Two-factor authentication is not supported with HTTP BasicAuth."}"#,
            MintRefusal::TwoFactor,
            Msg::TwoFactorFallbackOff,
        ),
        (
            422,
            br#"{"error":"API token access disabled!","error_human":"API token access disabled!"}"#,
            MintRefusal::TokenAccessOff,
            Msg::TokenAccessDisabled,
        ),
        (
            403,
            br#"{"error":"API password access disabled!","error_human":"API password access disabled!"}"#,
            MintRefusal::PasswordAccessOff,
            Msg::PasswordAccessDisabled,
        ),
        (
            403,
            br#"{"error":"User authorization failed.","error_human":"User authorization failed."}"#,
            MintRefusal::NoTokenPermission,
            Msg::TokenAccess,
        ),
    ];
    let en = crate::i18n::english();
    for (status, body, refusal, msg) in cases {
        assert_eq!(mint_refusal(status, body), Some(refusal), "{status}");
        let e = token_created(status, body).unwrap_err();
        assert_eq!((e.kind, e.message.clone()), (Setup, msg), "{status}");
        let text = e.message.text(en);
        assert!(
            text.contains("Settings →") || text.contains("session_fallback"),
            "{text}"
        );
    }
    assert!(Msg::TokenAccessDisabled
        .text(en)
        .contains("System → API → Token Access"));
    assert!(Msg::PasswordAccessDisabled
        .text(en)
        .contains("System → API → Password Access"));
    assert!(Msg::TokenAccess
        .text(en)
        .contains("Roles → Customer → Token Access"));
    // A wrong password is no setting.
    let wrong = br#"{"error":"Invalid BasicAuth credentials"}"#;
    assert_eq!(mint_refusal(401, wrong), None);
    assert_eq!(
        token_created(401, wrong).unwrap_err().message,
        Msg::SignInFailed
    );
}

#[test]
fn webauthn_options_carry_their_challenge() {
    let (options, challenge) = webauthn_options(
        200,
        br#"{"challenge":"q2Xx","timeout":120000,"allowCredentials":[{"type":"public-key","id":"a2V5"}],"userVerification":"discouraged"}"#,
    )
    .unwrap();
    assert_eq!(challenge, "q2Xx");
    assert!(
        format!("{options:?}").contains("timeout: Some(120000)"),
        "{options:?}"
    );
    for body in [&br#"{"challenge":""}"#[..], b"{}", b"[]", b"<html>"] {
        assert_eq!(webauthn_options(200, body).unwrap_err().kind, Unreadable);
    }
    let locked = webauthn_options(
        422,
        br#"{"error":"The username or password is incorrect.","error_human":"The username or password is incorrect."}"#,
    );
    assert_eq!(locked.unwrap_err().message, Msg::AccountLocked);
    assert_eq!(
        webauthn_options(429, b"Retry later\n").unwrap_err().message,
        Msg::TooManyAttempts
    );
}

/// config.json `zammad.session_fallback`: on unless switched off with `false`; any other value
/// makes the section unreadable (all defaults), like the other keys.
#[test]
fn session_fallback_is_read_from_config() {
    use crate::backend::zammad::{AuthMode, Settings};
    let read = |text: &str| Settings::read(Some(text));
    assert!(read("{}").session_fallback);
    assert!(!read(r#"{"session_fallback":false}"#).session_fallback);
    let odd = read(r#"{"auth":"session","session_fallback":"no"}"#);
    assert!(odd.session_fallback);
    assert_eq!(
        odd.auth,
        AuthMode::Token,
        "the whole section falls back to defaults"
    );
    assert!(read(r#"{"session_fallback":false,"session_fallback":true}"#).session_fallback);
}
