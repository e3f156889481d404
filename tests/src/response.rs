//! What the server answers an action with.

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use serde_json::{Map, Value, json};

/// The `Content-Type` Alibaba's gateway sends with JSON.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// An answer to one request: a status, extra headers and a body.
///
/// A JSON object body gets a `RequestId` when it has none, and every answer carries
/// `x-acs-request-id`, as Alibaba's gateway does.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
}

#[derive(Debug, Clone, PartialEq)]
enum Body {
    Json(Value),
    Error { code: String, message: String },
    Raw { content_type: String, bytes: Bytes },
}

impl Response {
    /// A JSON answer with `status`.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Json(body),
        }
    }

    /// A 200 JSON answer.
    pub fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    /// An error in Alibaba's shape: `{"RequestId","HostId","Code","Message","Recommend"}`,
    /// with `RequestId` and `HostId` filled in when it is sent.
    pub fn error(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Error {
                code: code.into(),
                message: message.into(),
            },
        }
    }

    /// Any other body, sent byte for byte with `content_type`.
    pub fn raw(status: u16, content_type: impl Into<String>, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Raw {
                content_type: content_type.into(),
                bytes: body.into(),
            },
        }
    }

    /// Adds a header. A name or value HTTP does not allow turns the whole answer into a 500
    /// `InvalidTestResponse` naming it, so the mistake shows in the test rather than vanishing.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Turns the answer into bytes on the wire for request `request_id` at `host_id`.
    pub(crate) fn into_wire(self, request_id: &str, host_id: &str) -> WireResponse {
        let (content_type, body) = match self.body {
            Body::Json(value) => (
                JSON_CONTENT_TYPE.to_owned(),
                Bytes::from(with_request_id(value, request_id).to_string()),
            ),
            Body::Error { code, message } => (
                JSON_CONTENT_TYPE.to_owned(),
                Bytes::from(error_body(request_id, host_id, &code, &message).to_string()),
            ),
            Body::Raw {
                content_type,
                bytes,
            } => (content_type, bytes),
        };
        let mut headers = vec![
            (
                http::header::CONTENT_TYPE,
                HeaderValue::from_str(&content_type),
            ),
            (
                HeaderName::from_static("x-acs-request-id"),
                HeaderValue::from_str(request_id),
            ),
        ];
        for (name, value) in &self.headers {
            let Ok(parsed) = HeaderName::from_bytes(name.as_bytes()) else {
                return invalid_response(request_id, host_id, &format!("header name {name:?}"));
            };
            headers.push((parsed, HeaderValue::from_str(value)));
        }
        let mut valid = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            match value {
                Ok(value) => valid.push((name, value)),
                Err(_) => {
                    return invalid_response(
                        request_id,
                        host_id,
                        &format!("value of header {:?}", name.as_str()),
                    );
                }
            }
        }
        WireResponse {
            status: self.status,
            headers: valid,
            body,
        }
    }
}

/// An answer ready to send: validated headers and the body bytes.
#[derive(Debug, Clone)]
pub(crate) struct WireResponse {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Bytes,
}

fn with_request_id(value: Value, request_id: &str) -> Value {
    match value {
        Value::Object(mut object) => {
            if !object.contains_key("RequestId") {
                object.insert("RequestId".to_owned(), Value::from(request_id));
            }
            Value::Object(object)
        }
        other => other,
    }
}

/// Alibaba's error body.
pub(crate) fn error_body(request_id: &str, host_id: &str, code: &str, message: &str) -> Value {
    let mut object = Map::new();
    object.insert("RequestId".to_owned(), json!(request_id));
    object.insert("HostId".to_owned(), json!(host_id));
    object.insert("Code".to_owned(), json!(code));
    object.insert("Message".to_owned(), json!(message));
    object.insert(
        "Recommend".to_owned(),
        json!(format!("https://api.aliyun.com/troubleshoot?q={code}")),
    );
    Value::Object(object)
}

fn invalid_response(request_id: &str, host_id: &str, what: &str) -> WireResponse {
    let body = error_body(
        request_id,
        host_id,
        "InvalidTestResponse",
        &format!("the response registered with the test server has an invalid {what}"),
    );
    WireResponse {
        status: 500,
        headers: vec![(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(JSON_CONTENT_TYPE),
        )],
        body: Bytes::from(body.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_json(wire: &WireResponse) -> Value {
        serde_json::from_slice(&wire.body).unwrap_or(Value::Null)
    }

    #[test]
    fn json_object_gains_request_id_but_keeps_its_own() {
        let wire = Response::ok(json!({"TotalCount": 1})).into_wire("RID", "host");
        assert_eq!(
            body_json(&wire),
            json!({"TotalCount": 1, "RequestId": "RID"})
        );
        let wire = Response::ok(json!({"RequestId": "mine"})).into_wire("RID", "host");
        assert_eq!(body_json(&wire), json!({"RequestId": "mine"}));
    }

    #[test]
    fn error_has_alibaba_shape() {
        let wire = Response::error(403, "Forbidden.RAM", "no").into_wire("RID", "h:1");
        let body = body_json(&wire);
        assert_eq!(wire.status, 403);
        assert_eq!(body["RequestId"], "RID");
        assert_eq!(body["HostId"], "h:1");
        assert_eq!(body["Code"], "Forbidden.RAM");
        assert_eq!(body["Message"], "no");
        assert!(body["Recommend"].as_str().is_some());
    }

    #[test]
    fn invalid_header_becomes_a_visible_500() {
        let wire = Response::ok(json!({}))
            .header("bad header", "x")
            .into_wire("RID", "h");
        assert_eq!(wire.status, 500);
        assert_eq!(body_json(&wire)["Code"], "InvalidTestResponse");
        let wire = Response::ok(json!({}))
            .header("x-ok", "line\nbreak")
            .into_wire("RID", "h");
        assert_eq!(wire.status, 500);
    }
}
