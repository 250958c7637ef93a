//! The one place that talks HTTP: fetch with a timeout, aborting when the caller goes away
//! (navigation drops the future), and turning transport failures into `PortalError`s.
//! Adapters interpret status codes and bodies; pages never call this directly.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

use crate::domain::error::{PortalError, PortalResult};

pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// `credentials: "omit"`: no cookies go out (and none are stored from the answer).
    pub omit_cookies: bool,
}

impl HttpRequest {
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            omit_cookies: false,
        }
    }

    /// Sends no cookies: a request that carries its own credentials must not be taken for
    /// whoever holds a cookie session on the same origin.
    #[cfg_attr(not(feature = "zammad"), allow(dead_code))]
    pub fn without_cookies(mut self) -> Self {
        self.omit_cookies = true;
        self
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A JSON body, as [`json`] writes it.
    pub fn json_body(mut self, text: String) -> Self {
        self.body = Some(text);
        self.header("Content-Type", "application/json")
    }
}

// Zammad reads headers (CSRF-TOKEN) and the download type; Znuny answers carry nothing of use.
#[cfg_attr(not(feature = "zammad"), allow(dead_code))]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: String,
    headers: gloo_net::http::Headers,
    pub body: Vec<u8>,
}

#[cfg_attr(not(feature = "zammad"), allow(dead_code))]
impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A request body as JSON text. The bodies are structs and maps with string keys, which
/// serde_json always writes: an error is impossible, and would send an empty body.
pub fn json(body: &impl serde::Serialize) -> String {
    serde_json::to_string(body).unwrap_or_default()
}

/// Aborts the fetch when dropped before completion (navigation away, component unmounted) and
/// owns the timeout timer.
struct AbortGuard {
    controller: AbortController,
    timer: Option<i32>,
    _on_timeout: Closure<dyn FnMut()>,
    finished: bool,
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if let (Some(id), Some(w)) = (self.timer, web_sys::window()) {
            w.clear_timeout_with_handle(id);
        }
        if !self.finished {
            self.controller.abort();
        }
    }
}

pub async fn send(req: HttpRequest, timeout_ms: u32) -> PortalResult<HttpResponse> {
    let controller = AbortController::new().map_err(|_| PortalError::network())?;
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = web_sys::window().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            i32::try_from(timeout_ms).unwrap_or(i32::MAX),
        )
        .ok()
    });
    let mut guard = AbortGuard {
        controller,
        timer,
        _on_timeout: on_timeout,
        finished: false,
    };
    let signal = guard.controller.signal();

    let mut builder = RequestBuilder::new(&req.url)
        .method(req.method)
        .abort_signal(Some(&signal));
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    if req.omit_cookies {
        builder = builder.credentials(web_sys::RequestCredentials::Omit);
    }
    let request = match req.body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|_| PortalError::network())?;

    let fail = |timed_out: &Rc<Cell<bool>>| {
        if timed_out.get() {
            PortalError::timeout()
        } else {
            PortalError::network()
        }
    };
    let response = request.send().await.map_err(|_| fail(&timed_out))?;
    let status = response.status();
    let headers = response.headers();
    let content_type = headers
        .get("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = response.binary().await.map_err(|_| fail(&timed_out))?;
    guard.finished = true;
    Ok(HttpResponse {
        status,
        content_type,
        headers,
        body,
    })
}
