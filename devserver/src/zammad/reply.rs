//! A transport-neutral response, converted to an axum response at the edge.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

pub const JSON_TYPE: &str = "application/json; charset=utf-8";

#[derive(Debug, Clone)]
pub enum ReplyBody {
    Json(Value),
    Raw { content_type: String, data: Vec<u8> },
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ReplyBody,
}

impl Reply {
    pub fn json(status: u16, v: Value) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: ReplyBody::Json(v),
        }
    }

    pub fn ok(v: Value) -> Self {
        Self::json(200, v)
    }

    pub fn raw(status: u16, content_type: &str, data: Vec<u8>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: ReplyBody::Raw {
                content_type: content_type.to_string(),
                data,
            },
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn json_body(&self) -> Option<&Value> {
        match &self.body {
            ReplyBody::Json(v) => Some(v),
            ReplyBody::Raw { .. } => None,
        }
    }

    pub fn into_http(self, head: bool) -> Response {
        let (content_type, data) = match self.body {
            ReplyBody::Json(v) => (JSON_TYPE.to_string(), v.to_string().into_bytes()),
            ReplyBody::Raw { content_type, data } => (content_type, data),
        };
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = if head {
            Body::empty()
        } else {
            Body::from(data)
        };
        let mut resp = (status, body).into_response();
        let h = resp.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&content_type) {
            h.insert(axum::http::header::CONTENT_TYPE, v);
        }
        for (k, v) in self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(&v),
            ) {
                h.append(name, value);
            }
        }
        resp
    }
}
