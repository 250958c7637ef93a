//! A small HTTP/1.1 client (std only) for the tests that talk to a real Znuny. `REAL_ZNUNY_URL`
//! names its web service, `http://HOST:PORT/znuny/nph-genericinterface.pl/Webservice/<Name>`
//! (`cargo xtask real-znuny test` sets it). Shared by the devserver's fake-versus-real test and
//! the portal's live decoder tests, which include this file by path.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub const URL_ENV: &str = "REAL_ZNUNY_URL";

/// What a test without a configured real Znuny prints (and then passes: there is nothing to
/// compare with). Written to stderr directly, past the test harness's capture, so that the line
/// shows in every run; `cargo xtask` counts the tests that really ran.
pub fn skipped(test: &str) {
    let line = format!(
        "{test}: skipped: no real Znuny ({URL_ENV} is not set; `cargo xtask real-znuny test` sets it)\n"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

pub struct RealZnuny {
    /// `HOST:PORT`
    authority: String,
    /// `/znuny/nph-genericinterface.pl/Webservice/<Name>`
    base_path: String,
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl RealZnuny {
    /// The configured server, or None when `REAL_ZNUNY_URL` is unset or empty. A URL that is set
    /// but unusable fails the test: configured means it must run.
    pub fn from_env() -> Option<RealZnuny> {
        let url = std::env::var(URL_ENV)
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        let rest = url
            .trim()
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("{URL_ENV} must be an http:// URL, not {url}"));
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        Some(RealZnuny {
            authority: authority.to_string(),
            base_path: format!("/{}", path.trim_end_matches('/')),
        })
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// One request below the web service (`route` starts with `/`); panics when the server
    /// cannot be reached or answers garbage.
    pub fn send(
        &self,
        method: &str,
        route: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Answer {
        let what = format!("{method} {}{route}", self.base_path);
        let mut stream = TcpStream::connect(&self.authority)
            .unwrap_or_else(|e| panic!("{what}: cannot connect to {}: {e}", self.authority));
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .expect("read timeout");
        let mut head = format!(
            "{method} {}{route} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.base_path, self.authority
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(body) = body {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body.unwrap_or_default());
        stream
            .write_all(&request)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        parse(&raw).unwrap_or_else(|| {
            panic!(
                "{what}: not an HTTP answer: {}",
                String::from_utf8_lossy(&raw[..raw.len().min(300)])
            )
        })
    }
}

fn parse(raw: &[u8]) -> Option<Answer> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body)?;
    }
    Some(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
