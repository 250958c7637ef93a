//! Demo data shaped like a real help desk's, beside the short demo tickets: a customer with a
//! long double-barrelled name in a company with a long legal name, and tickets with 80-character
//! German titles, one long unbroken word among them (real Znuny ticket numbers have 16 digits
//! anyway). The phone layout is tried with it (`end2end/mobile.test.mjs`). Both fakes seed it,
//! each in its own wire shapes, for the customer `maximiliane`, whose company shares nothing
//! with the other demo customers, so their lists stay as they are.

pub const LOGIN: &str = "maximiliane";
pub const PASSWORD: &str = "maximiliane-demo";
pub const FIRST_NAME: &str = "Maximiliane-Josephine";
pub const LAST_NAME: &str = "von Wolkenstein-Trostburg";
pub const EMAIL: &str = "maximiliane.von-wolkenstein-trostburg@wolkenstein-praezision.example";
pub const COMPANY: &str = "Wolkenstein Präzisionsmaschinenbau GmbH & Co. KG";
/// Znuny's CustomerID of the company.
pub const COMPANY_ID: &str = "wolkenstein";
/// Ids far above what tests create (new tickets count up from 109).
pub const FIRST_TICKET_ID: u64 = 9001;

pub struct ShapedTicket {
    pub id: u64,
    pub title: &'static str,
    pub body: &'static str,
    /// Last change, hours before the seed.
    pub hours_ago: i64,
    pub closed: bool,
}

pub const TICKETS: [ShapedTicket; 3] = [
    ShapedTicket {
        id: FIRST_TICKET_ID,
        title: "Druckerwarteschlangenverwaltungsdienst startet nach dem Windows-Update nicht neu",
        body: "Seit dem Update vom Dienstag startet der Druckerwarteschlangenverwaltungsdienst \
               auf allen Rechnern der Konstruktionsabteilung nicht mehr. Ein Neustart hilft nicht.",
        hours_ago: 1,
        closed: false,
    },
    ShapedTicket {
        id: FIRST_TICKET_ID + 1,
        title: "Zugangsdatenübermittlung zum Lieferantenportal schlägt seit der Umstellung fehl",
        body: "Beim Anmelden im Lieferantenportal erscheint die Meldung \
               „Zugangsdatenübermittlungsfehler (Code 0x80070005)“.",
        hours_ago: 26,
        closed: false,
    },
    ShapedTicket {
        id: FIRST_TICKET_ID + 2,
        title: "Rechnungskorrekturanforderung für Auftrag 2026-11-042 (Hochleistungsfräszentrum)",
        body: "Bitte korrigieren Sie die Lieferanschrift auf der Rechnung zu Auftrag 2026-11-042.",
        hours_ago: 24 * 9,
        closed: true,
    },
];

#[cfg(test)]
mod tests {
    #[test]
    fn titles_are_as_long_as_real_ones() {
        for t in super::TICKETS {
            assert!((78..=80).contains(&t.title.chars().count()), "{}", t.title);
        }
        assert!(super::TICKETS[0]
            .title
            .split(' ')
            .any(|w| w.chars().count() >= 35));
    }
}
