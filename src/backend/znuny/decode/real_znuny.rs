//! The decoders on answers taken live from a real Znuny 7.1.7 (issue 16), not only the recorded
//! fixtures: the requests are built the adapter's way (the shipped config.znuny.json's routes and
//! settings, `map`'s bodies, the SessionID in the header and in write bodies, `current` in
//! session paths) and every answer goes through the reader the adapter uses for it.
//!
//! Needs the seeded real Znuny of `cargo xtask real-znuny` (`REAL_ZNUNY_URL`); without it each
//! test says it skipped. Each test signs in on its own and works on its own tickets, so they may
//! run in any order and in parallel.

use super::*;
use crate::backend::znuny::map::{Param, Params};
use crate::backend::znuny::routes::{Operation, RouteTable};
use crate::domain::error::ErrorKind;
use crate::domain::{
    NewTicket, Reply, Scope, SenderKind, SortOrder, StateCategory, StatusFilter, TicketQuery,
    Upload,
};

#[path = "../../../../devserver/tests/znuny_common/real.rs"]
mod real;

use real::RealZnuny;

const PRINTER_LOG: &[u8] = b"Printer log: smoke detected at 09:14\n";
const INTERNAL_NOTE: &str = "INTERNAL-NOTE-MARKER";

/// The shipped Znuny configuration, as the portal reads it.
fn settings() -> Settings {
    let text = include_str!("../../../../public/config.znuny.json");
    let config = crate::config::Config::parse(text).expect("config.znuny.json");
    Settings::read(config.znuny.as_deref().expect("znuny section")).expect("znuny settings")
}

struct Client {
    server: RealZnuny,
    routes: RouteTable,
    settings: Settings,
    session: Option<String>,
}

/// Query strings as the adapter writes them for GET routes (digits and letters need no escaping).
fn query(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

impl Client {
    fn new(test: &str) -> Option<Client> {
        let Some(server) = RealZnuny::from_env() else {
            real::skipped(test);
            return None;
        };
        let settings = settings();
        let routes = RouteTable::from_setting(&settings.routes).expect("routes");
        Some(Client {
            server,
            routes,
            settings,
            session: None,
        })
    }

    /// One operation, sent like `Znuny::call`: (status, body).
    fn call(
        &self,
        op: Operation,
        path_params: &[(&str, &str)],
        query_params: &[(&str, &str)],
        mut body: Params,
    ) -> (u16, Vec<u8>) {
        let (method, mut path) = self.routes.path(op, path_params).expect("route");
        let mut headers = vec![("Accept", "application/json")];
        if let Some(id) = &self.session {
            headers.push(("X-OTRS-Header-SessionID", id.as_str()));
        }
        let payload = if method == "GET" {
            if !query_params.is_empty() {
                path = format!("{path}?{}", query(query_params));
            }
            None
        } else {
            if let Some(id) = &self.session {
                body.insert("SessionID", Param::Text(id.clone()));
            }
            headers.push(("Content-Type", "application/json"));
            Some(crate::browser::http::json(&body).into_bytes())
        };
        let answer = self
            .server
            .send(&method, &path, &headers, payload.as_deref());
        (answer.status, answer.body)
    }

    fn sign_in(&mut self, login: &str, password: &str) -> PortalResult<Identity> {
        let params = Params::new()
            .with("CustomerUserLogin", Param::Text(login.into()))
            .with("Password", Param::Text(password.into()));
        let (status, body) = self.call(Operation::SessionCreate, &[], &[], params);
        self.session = Some(session_created(status, &body)?);
        let (status, body) = self.call(
            Operation::SessionGet,
            &[("SessionID", "current")],
            &[],
            Params::new(),
        );
        session_identity(status, &body)
    }

    fn alice(test: &str) -> Option<(Client, Identity)> {
        let mut client = Client::new(test)?;
        let identity = client
            .sign_in("alice", "alice-demo")
            .expect("alice signs in on the real Znuny");
        Some((client, identity))
    }

    fn search(&self, query: &TicketQuery, identity: &Identity) -> PortalResult<Vec<String>> {
        let params = map::search_params(query, identity, &self.settings);
        let (status, body) = self.call(Operation::TicketSearch, &[], &[], params);
        search(status, &body)
    }

    fn get(&self, ids: &str, query_params: &[(&str, &str)]) -> PortalResult<TicketGetResponse> {
        let (status, body) = self.call(
            Operation::TicketGet,
            &[("TicketID", ids)],
            query_params,
            Params::new(),
        );
        ticket_get(status, &body)
    }

    /// The ticket page's reads (`Znuny::ticket`).
    fn ticket(&self, id: &str, me: &str) -> PortalResult<(Ticket, TicketGetResponse)> {
        let first = [
            ("AllArticles", "1"),
            ("Attachments", "1"),
            ("GetAttachmentContents", "0"),
            ("HTMLBodyAsAttachment", "1"),
        ];
        let mut got = self.get(id, &first)?;
        if has_html_body(&got.tickets) {
            let second = [
                ("AllArticles", "1"),
                ("Attachments", "1"),
                ("GetAttachmentContents", "1"),
                ("HTMLBodyAsAttachment", "1"),
            ];
            got = self.get(id, &second)?;
        }
        Ok((ticket(&got, me, &self.settings)?, got))
    }

    fn update(&self, id: &str, body: Params) -> PortalResult<()> {
        let (status, body) = self.call(Operation::TicketUpdate, &[("TicketID", id)], &[], body);
        updated(status, &body)
    }

    /// The id of the ticket titled `title` that this customer can see.
    fn find(&self, title: &str, identity: &Identity) -> String {
        let query = TicketQuery {
            status: StatusFilter::All,
            ..open_list()
        };
        let ids = self.search(&query, identity).expect("search");
        let got = self.get(&ids.join(","), &[]).expect("batch TicketGet");
        got.tickets
            .iter()
            .find(|row| row.title == title)
            .unwrap_or_else(|| {
                panic!(
                    "the real Znuny's seed has no ticket \"{title}\" for {}",
                    identity.login
                )
            })
            .id
            .clone()
    }
}

/// The list as it opens: open tickets of the company, last updated first.
fn open_list() -> TicketQuery {
    TicketQuery {
        status: StatusFilter::Open,
        text: String::new(),
        sort: SortOrder::LastUpdate,
        scope: Scope::Organization,
        page: 1,
        per_page: 25,
    }
}

fn kind<T: std::fmt::Debug>(result: PortalResult<T>) -> ErrorKind {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.kind,
    }
}

#[test]
fn real_znuny_sign_in_keeps_the_identity_only() {
    let Some(mut client) = Client::new("real_znuny_sign_in_keeps_the_identity_only") else {
        return;
    };
    let identity = client.sign_in("alice", "alice-demo").expect("sign-in");
    assert_eq!(identity.login, "alice");
    assert_eq!(identity.customer_id, "acme");
    assert_eq!(identity.email, "alice@example.com");
    assert_eq!(identity.display_name(), "Alice Anders");
    assert!(identity.customer().has_organization);
    // The live SessionGet leaks the password hash and the backend's configuration; none of it
    // stays.
    let kept = crate::browser::http::json(&identity);
    for secret in [
        "UserPassword",
        "Config",
        "UserRemoteAddr",
        "COMPANY-NOTE-MARKER",
    ] {
        assert!(!kept.contains(secret), "{secret} kept: {kept}");
    }
    let session = client.session.clone().expect("session");
    assert_eq!(session.len(), 32, "SessionID {session}");

    let mut other = Client::new("real_znuny_sign_in_keeps_the_identity_only").expect("client");
    assert_eq!(
        kind(other.sign_in("alice", "wrong")),
        ErrorKind::Credentials
    );
    // A stock Znuny takes the login name only.
    assert_eq!(
        kind(other.sign_in("alice@example.com", "alice-demo")),
        ErrorKind::Credentials
    );

    // Signing out with the session alone: Znuny 7.1.7 refuses (SessionRemove.AuthFail) and the
    // session stays valid, which the adapter treats as signed out locally.
    let (status, body) = client.call(
        Operation::SessionDelete,
        &[("SessionID", "current")],
        &[],
        Params::new(),
    );
    assert_eq!(kind(checked(status, &body)), ErrorKind::SignedOut);
    let still = client.search(&open_list(), &identity);
    assert!(still.is_ok(), "the 7.1.7 session survives a refused logout");

    client.session = Some("NoSuchSessionNoSuchSession123456".into());
    assert_eq!(
        kind(client.search(&open_list(), &identity)),
        ErrorKind::SignedOut
    );
}

#[test]
fn real_znuny_list_shows_own_and_company_tickets() {
    let Some((client, identity)) = Client::alice("real_znuny_list_shows_own_and_company_tickets")
    else {
        return;
    };
    let ids = client.search(&open_list(), &identity).expect("search");
    assert!(ids.len() >= 4, "open tickets of acme: {ids:?}");
    let got = client.get(&ids.join(","), &[]).expect("batch TicketGet");
    let rows: Vec<_> = got
        .tickets
        .iter()
        .map(|r| map::summary(r, &identity.login))
        .collect();
    let titles: Vec<&str> = rows.iter().map(|t| t.title.as_str()).collect();
    for title in [
        "Printer on fire",
        "VPN access for new colleague",
        "Replacement keyboard",
    ] {
        assert!(titles.contains(&title), "{title} missing from {titles:?}");
    }
    assert!(
        !titles.contains(&"Globex server outage"),
        "bob's ticket listed"
    );
    assert!(
        !titles.contains(&"Invoice copy needed"),
        "a closed ticket in the open list"
    );
    let vpn = rows
        .iter()
        .find(|t| t.title.starts_with("VPN"))
        .expect("VPN");
    assert!(!vpn.mine, "carol's ticket is a company ticket, not alice's");
    assert_eq!(vpn.state.category, StateCategory::New);
    let keyboard = rows
        .iter()
        .find(|t| t.title.starts_with("Replacement"))
        .expect("keyboard");
    assert!(keyboard.mine);
    assert_eq!(keyboard.state.category, StateCategory::Pending);
    assert!(rows
        .iter()
        .all(|t| t.number.len() == 16 && t.updated_at.ends_with('Z')));

    let mine = TicketQuery {
        scope: Scope::Mine,
        status: StatusFilter::Closed,
        ..open_list()
    };
    let closed = client.search(&mine, &identity).expect("closed search");
    let got = client.get(&closed.join(","), &[]).expect("TicketGet");
    let titles: Vec<&str> = got.tickets.iter().map(|r| r.title.as_str()).collect();
    assert!(titles.contains(&"Invoice copy needed"), "{titles:?}");
    assert!(
        !titles.contains(&"Laptop battery swollen"),
        "carol's ticket under Mine"
    );

    let none = TicketQuery {
        text: "no-such-words-anywhere".into(),
        ..open_list()
    };
    assert_eq!(
        client.search(&none, &identity).expect("empty search"),
        Vec::<String>::new()
    );
}

#[test]
fn real_znuny_ticket_page_hides_the_internal_note() {
    let Some((client, identity)) = Client::alice("real_znuny_ticket_page_hides_the_internal_note")
    else {
        return;
    };
    let id = client.find("Printer on fire", &identity);
    let (ticket, got) = client.ticket(&id, &identity.login).expect("ticket page");
    assert_eq!(ticket.summary.title, "Printer on fire");
    assert_eq!(ticket.summary.state.category, StateCategory::Open);
    assert!(ticket.summary.mine);
    let senders: Vec<SenderKind> = ticket.articles.iter().map(|a| a.sender).collect();
    assert_eq!(senders, [SenderKind::Customer, SenderKind::Agent]);
    let text = format!("{:?}", ticket.articles);
    assert!(
        !text.contains(INTERNAL_NOTE),
        "the internal note reached the page"
    );
    assert!(
        !text.contains("emma@helpdesk.example"),
        "an address reached the page"
    );
    match &ticket.articles[1].body {
        crate::domain::Body::Html(html) => assert!(html.contains("fire brigade"), "{html}"),
        other => panic!("the agent's HTML answer came as {other:?}"),
    }
    let files: Vec<&str> = ticket
        .articles
        .iter()
        .flat_map(|a| &a.attachments)
        .map(|f| f.filename.as_str())
        .collect();
    assert_eq!(files, ["printer-log.txt", "checklist.pdf"]);

    // The download: the ticket read again with contents, the file picked by its id.
    let log = &ticket.articles[0].attachments[0];
    let with_contents = client
        .get(
            &id,
            &[
                ("AllArticles", "1"),
                ("Attachments", "1"),
                ("GetAttachmentContents", "1"),
            ],
        )
        .expect("TicketGet with contents");
    let data = file(&with_contents, &log.source).expect("download");
    assert_eq!(data.bytes, PRINTER_LOG);

    // "New reply" checks: the newest agent article the customer may see.
    let agent = client
        .get(
            &id,
            &[
                ("AllArticles", "1"),
                ("ArticleSenderType", "agent"),
                ("ArticleOrder", "DESC"),
                ("ArticleLimit", "1"),
            ],
        )
        .expect("agent articles");
    let replies = agent_replies(&agent.tickets);
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].article_id, ticket.articles[1].id);
    assert!(changed_at(&got).expect("changed").ends_with('Z'));

    // Another company's ticket: not found, like one that does not exist.
    let mut bob = Client::new("real_znuny_ticket_page_hides_the_internal_note").expect("client");
    let bob_identity = bob.sign_in("bob", "bob-demo").expect("bob signs in");
    let outage = bob.find("Globex server outage", &bob_identity);
    assert_eq!(kind(client.ticket(&outage, "alice")), ErrorKind::NotFound);
    assert_eq!(kind(client.ticket("987654", "alice")), ErrorKind::NotFound);
    assert_eq!(
        kind(client.get(&format!("{id},{outage}"), &[])),
        ErrorKind::NotFound
    );
}

#[test]
fn real_znuny_writes_built_by_the_adapter() {
    let Some((client, identity)) = Client::alice("real_znuny_writes_built_by_the_adapter") else {
        return;
    };
    let upload = Upload {
        filename: "numbers.csv".into(),
        mime_type: "text/csv".into(),
        bytes: b"a,b\n1,2\n".to_vec(),
    };
    let new = NewTicket {
        fields: Default::default(),
        subject: "Live decoder check".into(),
        group: Some("Support".into()),
        body: "Created by the portal's host tests.".into(),
        attachments: vec![upload.clone()],
    };
    let body = map::create_body(&new, "Support", &identity, &client.settings);
    let (status, answer) = client.call(Operation::TicketCreate, &[], &[], body);
    let id = created(status, &answer).expect("TicketCreate").0;

    let (ticket, _) = client.ticket(&id, &identity.login).expect("the new ticket");
    assert_eq!(ticket.summary.title, "Live decoder check");
    assert!(ticket.summary.mine);
    assert_eq!(ticket.articles.len(), 1);
    assert_eq!(ticket.articles[0].sender, SenderKind::Customer);
    assert_eq!(ticket.articles[0].attachments[0].filename, "numbers.csv");

    let reply = Reply {
        body: "A reply through the adapter's body.".into(),
        attachments: Vec::new(),
    };
    let body = map::reply_body(&ticket, &reply, &identity, &client.settings).expect("reply body");
    client.update(&id, body).expect("reply");
    client
        .update(&id, map::state_body(&client.settings.close_state))
        .expect("close");
    let (closed, _) = client.ticket(&id, &identity.login).expect("closed ticket");
    assert_eq!(closed.summary.state.category, StateCategory::Closed);
    assert_eq!(closed.articles.len(), 2);
    assert_eq!(
        closed.follow_up,
        crate::domain::FollowUp::Allowed,
        "Support allows follow-ups"
    );
    // A reply to the closed Support ticket reopens it (the adapter adds the state).
    let body = map::reply_body(&closed, &reply, &identity, &client.settings).expect("reply body");
    client.update(&id, body).expect("reply to a closed ticket");
    let (reopened, _) = client.ticket(&id, &identity.login).expect("reopened");
    assert_eq!(reopened.summary.state.category, StateCategory::Open);

    // Sales refuses follow-ups: the adapter refuses before sending anything.
    let invoice = client.find("Invoice copy needed", &identity);
    let (sales, _) = client
        .ticket(&invoice, &identity.login)
        .expect("Sales ticket");
    assert_eq!(sales.follow_up, crate::domain::FollowUp::Refused);
    assert_eq!(
        map::reply_body(&sales, &reply, &identity, &client.settings)
            .err()
            .map(|e| e.kind),
        Some(ErrorKind::Refused)
    );

    // Errors as the adapter reads them.
    let mut bob = Client::new("real_znuny_writes_built_by_the_adapter").expect("client");
    let bob_identity = bob.sign_in("bob", "bob-demo").expect("bob signs in");
    let outage = bob.find("Globex server outage", &bob_identity);
    assert_eq!(
        kind(client.update(&outage, map::state_body("closed successful"))),
        ErrorKind::NotFound
    );
    let (status, answer) = client.call(
        Operation::TicketCreate,
        &[],
        &[],
        map::create_body(&new, "NoSuchQueue", &identity, &client.settings),
    );
    assert_eq!(kind(created(status, &answer)), ErrorKind::Validation);
    let answer = client.server.send("GET", "/Nope", &[], None);
    assert_eq!(
        kind(ticket_get(answer.status, &answer.body)),
        ErrorKind::Server
    );
}
