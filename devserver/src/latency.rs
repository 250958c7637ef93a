//! How long a real help desk takes to answer, per operation (`--latency real`); `none` (the
//! default, for tests) answers at once. The fakes compute an answer in microseconds, so without
//! this a chain of calls costs nothing and the benchmark never sees it; a real server spends
//! time on every call: Znuny 7.1.7 on a 2-core VM (docs/znuny-api.md, section 12) and Zammad,
//! whose password check is deliberately slow. Each delay varies by ±15 %.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::Rng;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// Answers at once (tests).
    #[default]
    None,
    /// Answers about as fast as the real servers (the benchmark, the demo).
    Real,
}

impl Profile {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" | "0" | "off" => Some(Self::None),
            "real" => Some(Self::Real),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Real => "real",
        }
    }
}

/// What an answer held, where its size changes the cost.
#[derive(Clone, Copy, Debug, Default)]
pub struct Size {
    /// Tickets read (TicketGet's id list, rows of a Zammad search or list).
    pub tickets: usize,
    /// Articles read.
    pub articles: usize,
}

pub struct Latency {
    profile: Profile,
    rng: Mutex<Rng>,
}

impl Latency {
    pub fn new(profile: Profile) -> Self {
        Self {
            profile,
            rng: Mutex::new(Rng::new()),
        }
    }

    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The delay of one fake Znuny operation (`None`: no route matched, a transport error).
    pub fn znuny(&self, operation: Option<&str>, size: Size) -> Duration {
        self.jittered(znuny_ms(operation, size))
    }

    /// The delay of one fake Zammad request.
    pub fn zammad(&self, method: &str, path: &str, size: Size) -> Duration {
        self.jittered(zammad_ms(method, path, size))
    }

    fn jittered(&self, ms: f64) -> Duration {
        if self.profile == Profile::None {
            return Duration::ZERO;
        }
        let r = {
            let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
            (rng.next_u64() % 10_001) as f64 / 10_000.0
        };
        Duration::from_secs_f64(ms * (0.85 + 0.3 * r) / 1000.0)
    }
}

/// Milliseconds since the dev server started, on a monotonic clock: when a request arrived and
/// when its answer left (`received_ms`, `answered_ms` in `/__test/requests`), so the benchmark
/// can tell which request waited for which answer.
pub fn clock_ms() -> f64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = *START.get_or_init(Instant::now);
    (Instant::now() - start).as_secs_f64() * 1000.0
}

/// Notes in a request-log entry when the request arrived (`arrived`, [`clock_ms`] taken before
/// it waited for the store's lock), how long its answer is held back and when it leaves.
/// `logged`: whether this request's entry is the log's last one.
pub fn stamp(log: &mut [Value], logged: bool, arrived: f64, delay: Duration) {
    let Some(Value::Object(entry)) = log.last_mut().filter(|_| logged) else {
        return;
    };
    let delay_ms = delay.as_secs_f64() * 1000.0;
    entry.insert("received_ms".into(), json!(round(arrived)));
    entry.insert("delay_ms".into(), json!(round(delay_ms)));
    entry.insert("answered_ms".into(), json!(round(clock_ms() + delay_ms)));
}

/// To a tenth of a millisecond (the log is read by people too).
pub fn round(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// Milliseconds, after docs/znuny-api.md section 12 (SessionCreate 200-250, SessionGet 35-50,
/// TicketSearch 45-55, TicketGet of 4 tickets without articles 40-115).
pub fn znuny_ms(operation: Option<&str>, size: Size) -> f64 {
    let extra_tickets = size.tickets.saturating_sub(1) as f64;
    match operation {
        Some("SessionCreate") => 220.0,
        Some("SessionGet") | Some("SessionDelete") => 40.0,
        Some("TicketSearch") => 50.0,
        Some("TicketGet") => 45.0 + 8.0 * extra_tickets + 1.5 * size.articles as f64,
        Some("TicketCreate") => 180.0,
        Some("TicketUpdate") => 120.0,
        Some("TicketHistoryGet") => 60.0,
        _ => 30.0,
    }
}

/// Milliseconds for Zammad: the password check (token mint, sign-in) about 250, reads 60-120
/// growing with what they return, writes more.
pub fn zammad_ms(method: &str, path: &str, size: Size) -> f64 {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let rows = size.tickets as f64;
    let articles = size.articles as f64;
    match (method, first) {
        ("POST", "user_access_token") | ("POST", "signin") => 250.0,
        ("GET", "signshow") | ("DELETE", "signout") => 40.0,
        ("GET", "tickets") if path.starts_with("/tickets/search") => 90.0 + 0.5 * rows,
        ("POST", "tickets") if path.starts_with("/tickets/search") => 90.0 + 0.5 * rows,
        ("GET", "tickets") => 60.0 + 0.5 * rows,
        ("GET", "ticket_articles") => 70.0 + articles,
        ("POST", "tickets") => 180.0,
        ("POST", "ticket_articles") => 140.0,
        ("PUT", "tickets") => 150.0,
        ("GET", "ticket_attachment") => 50.0,
        ("POST", "core_workflows") => 90.0,
        _ => 60.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_answers_at_once_and_real_follows_the_profile() {
        let size = Size::default();
        assert_eq!(
            Latency::new(Profile::None).znuny(Some("SessionCreate"), size),
            Duration::ZERO
        );
        let real = Latency::new(Profile::Real);
        for _ in 0..50 {
            let d = real.znuny(Some("SessionCreate"), size).as_secs_f64() * 1000.0;
            assert!((187.0..=253.0).contains(&d), "{d}");
        }
        let many = Size {
            tickets: 25,
            articles: 0,
        };
        assert!(znuny_ms(Some("TicketGet"), many) > znuny_ms(Some("TicketGet"), size));
        assert_eq!(zammad_ms("POST", "/api/v1/user_access_token", size), 250.0);
        assert_eq!(zammad_ms("POST", "/api/v1/tickets/search", size), 90.0);
        assert_eq!(zammad_ms("POST", "/api/v1/tickets", size), 180.0);
        assert_eq!(Profile::parse("real"), Some(Profile::Real));
        assert_eq!(Profile::parse("fast"), None);
    }
}
