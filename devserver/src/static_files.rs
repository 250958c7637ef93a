//! The built portal: static files from `--dist` at `/` and under every `--mount`, with an
//! SPA fallback to `index.html` and a `<base href>` rewritten for the mount.

use crate::util::percent_decode;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};

pub struct StaticConfig {
    pub dist: PathBuf,
    /// Mount prefixes, each starting and ending with `/`, longest first; always has `/`.
    pub mounts: Vec<String>,
    /// The `--config` file as read at start (None when it could not be read).
    pub config_json: Option<Vec<u8>>,
}

/// Normalizes a mount prefix to `/x/y/`.
pub fn normalize_mount(m: &str) -> String {
    let trimmed = m.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

impl StaticConfig {
    pub fn new(dist: PathBuf, mounts: &[String], config_json: Option<Vec<u8>>) -> Self {
        let mut all: Vec<String> = mounts.iter().map(|m| normalize_mount(m)).collect();
        all.push("/".into());
        all.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        all.dedup();
        StaticConfig {
            dist,
            mounts: all,
            config_json,
        }
    }
}

pub fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Trunk names hashed assets `name-<16 hex>.ext` (the wasm as `name-<hash>_bg.wasm`).
pub fn has_content_hash(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    let Some((_, last)) = stem.rsplit_once('-') else {
        return false;
    };
    let hash = last.strip_suffix("_bg").unwrap_or(last);
    hash.len() >= 12 && hash.len() <= 64 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

fn cache_control(name: &str) -> &'static str {
    if name != "index.html" && name != "config.json" && has_content_hash(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Replaces `<base href="/" />` (or `<base href="/">`) with the mount's base.
pub fn rewrite_base(html: &str, mount: &str) -> String {
    if mount == "/" {
        return html.to_string();
    }
    let replacement = format!("<base href=\"{mount}\" />");
    html.replace("<base href=\"/\" />", &replacement)
        .replace("<base href=\"/\"/>", &replacement)
        .replace("<base href=\"/\">", &replacement)
}

fn text(status: StatusCode, msg: &str) -> Response {
    let mut r = (status, msg.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// Sent with the portal's document (deploy configs use the same policy). `img-src` allows
/// `https:` because a customer may choose "Show images" on a message with remote images; until
/// then the sanitizer keeps their addresses out of `src` (no request), and plain `http:` images
/// are upgraded to `https:` by the portal. Everything else stays same-origin.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data: blob: https:; connect-src 'self'; font-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

fn file_response(name: &str, data: Vec<u8>, head: bool) -> Response {
    let len = data.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(data)
    };
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(name)),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(name)),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    if name == "index.html" {
        // The production policy: no inline script, no eval; wasm compilation allowed. The
        // browser suite fails on any violation, so the build must keep to it.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    if head {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    r
}

/// Turns the part after the mount into a path inside `dist`, refusing anything that could
/// leave it (`..`, absolute parts, backslashes, NUL).
pub fn safe_relative(rest: &str) -> Option<PathBuf> {
    let decoded = String::from_utf8(percent_decode(rest)).ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut out = PathBuf::new();
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        let p = Path::new(seg);
        match p.components().next() {
            Some(Component::Normal(_)) if p.components().count() == 1 => out.push(seg),
            _ => return None,
        }
    }
    Some(out)
}

fn index_response(st: &StaticConfig, mount: &str, head: bool) -> Response {
    match std::fs::read(st.dist.join("index.html")) {
        Ok(bytes) => {
            let html = String::from_utf8_lossy(&bytes);
            file_response("index.html", rewrite_base(&html, mount).into_bytes(), head)
        }
        Err(_) => not_built(),
    }
}

fn not_built() -> Response {
    text(
        StatusCode::SERVICE_UNAVAILABLE,
        "portal not built: run cargo xtask demo\n",
    )
}

/// Fallback handler for everything outside `/api/` and `/__test/`.
pub async fn handler(State(app): State<AppState>, req: Request) -> Response {
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path().to_string();
    let st = &app.statics;

    // `/support` → `/support/` so that relative asset URLs resolve under the mount.
    for m in &st.mounts {
        if m != "/" && path == m.trim_end_matches('/') {
            let location = match req.uri().query() {
                Some(q) => format!("{m}?{q}"),
                None => m.clone(),
            };
            let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
    }
    let mount = st
        .mounts
        .iter()
        .find(|m| path.starts_with(m.as_str()))
        .cloned()
        .unwrap_or_else(|| "/".into());
    let rest = &path[mount.len().min(path.len())..];
    let first = rest.split('/').next().unwrap_or("");
    if first == "api" || first == "__test" || first == "znuny" || first == "otrs" {
        return text(StatusCode::NOT_FOUND, "not found\n");
    }
    if rest == "config.json" {
        let override_json = app.config_override();
        if let Some(v) = override_json {
            return file_response("config.json", v.to_string().into_bytes(), head);
        }
        if let Some(bytes) = &st.config_json {
            return file_response("config.json", bytes.clone(), head);
        }
    }
    if !st.dist.is_dir() {
        return not_built();
    }
    let Some(rel) = safe_relative(rest) else {
        return text(StatusCode::NOT_FOUND, "not found\n");
    };
    if rel.as_os_str().is_empty() {
        return index_response(st, &mount, head);
    }
    let candidate = st.dist.join(&rel);
    let inside = match (candidate.canonicalize(), st.dist.canonicalize()) {
        (Ok(c), Ok(d)) => c.starts_with(&d) && c.is_file(),
        _ => false,
    };
    if !inside {
        return index_response(st, &mount, head);
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name != "index.html" {
        let accepted = req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some((encoding, bytes)) = precompressed(&candidate, accepted) {
            let mut r = file_response(&name, bytes, head);
            let h = r.headers_mut();
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            return r;
        }
    }
    match std::fs::read(&candidate) {
        Ok(bytes) if name == "index.html" => {
            let html = String::from_utf8_lossy(&bytes);
            file_response("index.html", rewrite_base(&html, &mount).into_bytes(), head)
        }
        Ok(bytes) => {
            let mut r = file_response(&name, bytes, head);
            if has_content_hash(&name) {
                r.headers_mut()
                    .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            r
        }
        Err(_) => index_response(st, &mount, head),
    }
}

/// Whether an `Accept-Encoding` value accepts `coding` (a `q=0` refuses it).
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let refused = it.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                == Some(0.0)
        });
        (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
    })
}

/// The build's `.br` or `.gz` beside `file` (see xtask/precompress.mjs), brotli first, when the
/// client accepts it.
fn precompressed(file: &Path, accept_encoding: &str) -> Option<(&'static str, Vec<u8>)> {
    [("br", "br"), ("gzip", "gz")]
        .into_iter()
        .filter(|(coding, _)| accepts(accept_encoding, coding))
        .find_map(|(coding, ext)| {
            let mut path = file.as_os_str().to_owned();
            path.push(".");
            path.push(ext);
            std::fs::read(PathBuf::from(path)).ok().map(|b| (coding, b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes() {
        assert!(has_content_hash("portal-1a2b3c4d5e6f7a8b.js"));
        assert!(has_content_hash("portal-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(has_content_hash("style-0123456789abcdef.css"));
        assert!(!has_content_hash("favicon.ico"));
        assert!(!has_content_hash("config.json"));
        assert!(!has_content_hash("my-logo.svg"));
    }

    #[test]
    fn accept_encoding() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(accepts("gzip, br;q=0", "gzip"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "br"));
    }

    #[test]
    fn traversal() {
        assert!(safe_relative("../etc/passwd").is_none());
        assert!(safe_relative("%2e%2e/secret").is_none());
        assert!(safe_relative("a/..%2f..%2fx").is_none());
        assert!(safe_relative("a\\b").is_none());
        assert_eq!(safe_relative("a//b.js"), Some(PathBuf::from("a/b.js")));
    }

    #[test]
    fn base() {
        let html = "<head><base href=\"/\" /></head>";
        assert_eq!(
            rewrite_base(html, "/support/"),
            "<head><base href=\"/support/\" /></head>"
        );
        assert_eq!(
            rewrite_base("<base href=\"/\">", "/x/"),
            "<base href=\"/x/\" />"
        );
    }
}
