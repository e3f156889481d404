//! An error the service returned, read out of its response whatever form the body takes.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::http::HttpResponse;
use crate::redact::excerpt::{MESSAGE_CHARS, body_window, collapsed_excerpt, hidden_and_cut};
use crate::redact::hide_in_value;

/// The keys of an Alibaba error body, in both spellings services use; everything else in the
/// body is skipped rather than copied. A key repeated keeps its last value, as a JSON tree would.
#[derive(Default)]
struct ErrorFields {
    code: Option<serde_json::Value>,
    code_lower: Option<serde_json::Value>,
    message: Option<serde_json::Value>,
    message_lower: Option<serde_json::Value>,
    request_id: Option<serde_json::Value>,
    request_id_lower: Option<serde_json::Value>,
    host_id: Option<serde_json::Value>,
    host_id_lower: Option<serde_json::Value>,
    recommend: Option<serde_json::Value>,
    recommend_lower: Option<serde_json::Value>,
    access_denied_detail: Option<serde_json::Value>,
    access_denied_detail_lower: Option<serde_json::Value>,
}

impl<'de> serde::Deserialize<'de> for ErrorFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
            type Value = ErrorFields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ErrorFields, A::Error> {
                let mut fields = ErrorFields::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let slot = match key.as_ref() {
                        "Code" => &mut fields.code,
                        "code" => &mut fields.code_lower,
                        "Message" => &mut fields.message,
                        "message" => &mut fields.message_lower,
                        "RequestId" => &mut fields.request_id,
                        "requestId" => &mut fields.request_id_lower,
                        "HostId" => &mut fields.host_id,
                        "hostId" => &mut fields.host_id_lower,
                        "Recommend" => &mut fields.recommend,
                        "recommend" => &mut fields.recommend_lower,
                        "AccessDeniedDetail" => &mut fields.access_denied_detail,
                        "accessDeniedDetail" => &mut fields.access_denied_detail_lower,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                Ok(fields)
            }
        }

        d.deserialize_map(FieldsVisitor)
    }
}

/// The header Alibaba's gateway sets on throttled responses: how long to wait before the next
/// call, in milliseconds (an integer; the official SDKs read it the same way).
pub const RETRY_AFTER_HEADER: &str = "x-acs-retry-after";

/// An error the service returned: a non-2xx response, with whatever its body told.
///
/// Alibaba's error bodies are JSON with `RequestId`, `HostId`, `Code`, `Message`, `Recommend`
/// and sometimes `AccessDeniedDetail`. When the body is something else (an HTML page from a
/// proxy, XML, nothing) the error still carries the HTTP status and a short excerpt.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    status: u16,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
    access_denied_detail: Option<serde_json::Value>,
    retry_after: Option<Duration>,
    excerpt: Option<String>,
}

impl ServiceError {
    /// Reads an error out of a non-2xx response. Never fails: what cannot be read stays empty.
    pub fn from_response(response: &HttpResponse) -> Self {
        Self::from_response_hiding(response, &[])
    }

    /// Reads an error out of a non-2xx response, blanking the given secret values (the
    /// AccessKey secret and security token of the call) wherever the body quotes them, before
    /// anything is cut short: a proxy's page or a signature-mismatch message can echo them.
    pub fn from_response_hiding(response: &HttpResponse, secrets: &[&str]) -> Self {
        let mut error = ServiceError {
            status: response.status,
            code: None,
            message: None,
            request_id: None,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
            retry_after: response
                .header(RETRY_AFTER_HEADER)
                .and_then(parse_retry_after),
            excerpt: None,
        };
        match serde_json::from_slice::<ErrorFields>(&response.body) {
            Ok(fields) => error.read_json(fields),
            Err(_) => error.read_xml(&body_window(&response.body)),
        }
        if error.code.is_none() && error.message.is_none() {
            error.excerpt = Some(collapsed_excerpt(&response.body, secrets));
        }
        error.hide(secrets);
        error
    }

    /// Blanks secrets in everything the body gave: a field may quote the request.
    fn hide(&mut self, secrets: &[&str]) {
        let texts = [
            &mut self.code,
            &mut self.message,
            &mut self.request_id,
            &mut self.host_id,
            &mut self.recommend,
        ];
        for text in texts.into_iter().flatten() {
            *text = hidden_and_cut(text, secrets, MESSAGE_CHARS);
        }
        if let Some(detail) = &mut self.access_denied_detail {
            hide_in_value(detail, secrets);
        }
    }

    fn read_json(&mut self, fields: ErrorFields) {
        let field = |upper: Option<serde_json::Value>, lower: Option<serde_json::Value>| {
            upper
                .filter(|value| !value.is_null())
                .or(lower)
                .as_ref()
                .and_then(scalar_text)
        };
        self.code = field(fields.code, fields.code_lower);
        self.message = field(fields.message, fields.message_lower);
        self.request_id = field(fields.request_id, fields.request_id_lower);
        self.host_id = field(fields.host_id, fields.host_id_lower);
        self.recommend = field(fields.recommend, fields.recommend_lower);
        self.access_denied_detail = fields
            .access_denied_detail
            .filter(|value| !value.is_null())
            .or(fields.access_denied_detail_lower)
            .filter(|value| !value.is_null());
    }

    /// Some gateways answer in XML (`<Error><Code>..</Code>..</Error>`); take what it names.
    fn read_xml(&mut self, text: &str) {
        let element = |name: &str| {
            let open = format!("<{name}>");
            let close = format!("</{name}>");
            let start = text.find(&open)? + open.len();
            let len = text.get(start..)?.find(&close)?;
            let value = text.get(start..start + len)?.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        self.code = element("Code");
        self.message = element("Message");
        self.request_id = element("RequestId");
        self.host_id = element("HostId");
        self.recommend = element("Recommend");
    }

    /// The error code (`Throttling.User`, `InvalidRegionId.NotFound`); empty when the body
    /// named none.
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or_default()
    }

    /// The service's message, with any security token in it blanked out.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `RequestId`, to quote to Alibaba's support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `HostId`: the host that answered.
    pub fn host_id(&self) -> Option<&str> {
        self.host_id.as_deref()
    }

    /// The `Recommend` link: Alibaba's diagnosis page for this request.
    pub fn recommend(&self) -> Option<&str> {
        self.recommend.as_deref()
    }

    /// The `AccessDeniedDetail` object of a RAM denial, as it arrived.
    pub fn access_denied_detail(&self) -> Option<&serde_json::Value> {
        self.access_denied_detail.as_ref()
    }

    /// HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// How long the service asked the caller to wait (`x-acs-retry-after`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The start of the body, when it was not an error document (an HTML page from a proxy,
    /// say): at most 200 characters, whitespace collapsed.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }

    /// Whether the same call may succeed if sent again: throttling (a `Throttling*` code, HTTP
    /// 429, or a wait asked for with `x-acs-retry-after`), `ServiceUnavailable`, and every 5xx.
    /// A client error (any other 4xx) never is.
    pub fn is_retryable(&self) -> bool {
        self.is_throttling()
            || self.code() == "ServiceUnavailable"
            || (500..600).contains(&self.status)
    }

    /// Whether the service refused the call because of its rate.
    pub fn is_throttling(&self) -> bool {
        self.code().starts_with("Throttling") || self.status == 429 || self.retry_after.is_some()
    }

    /// Whether the answer says the request was turned away before any work was done, so that
    /// sending it again cannot do the work twice: throttling alone ([`is_throttling`]: a
    /// `Throttling*` code, whose messages say "Request was denied due to ... flow control",
    /// HTTP 429, or a wait asked for with `x-acs-retry-after`, which Alibaba's gateway sends
    /// with its flow control).
    ///
    /// `InternalError`, `ServiceUnavailable` and any other 5xx do not say so: the service may
    /// have failed after doing the work (or part of it), and a 5xx with no code comes from a
    /// proxy that may have passed the request on. The client sends an operation that is not
    /// [safe to repeat](crate::Operation::is_safe_to_repeat) again only after such a refusal.
    ///
    /// [`is_throttling`]: Self::is_throttling
    pub fn is_refused_unprocessed(&self) -> bool {
        self.is_throttling()
    }

    fn hint(&self) -> Option<&'static str> {
        let code = self.code();
        if self.is_throttling() {
            Some(
                "the call rate is over the limit: call less often, or give the retry policy more time",
            )
        } else if code.starts_with("InvalidAccessKeyId")
            || code.starts_with("SignatureDoesNotMatch")
            || code.starts_with("IncompleteSignature")
            || code.starts_with("InvalidSecurityToken")
        {
            Some(
                "check the AccessKey id and secret (and the security token, if any) the client uses",
            )
        } else if code.starts_with("Forbidden") || code == "NoPermission" {
            Some("the credentials lack a RAM permission for this action: check the RAM policy")
        } else if code.starts_with("InvalidTimeStamp") || code.starts_with("SignatureNonceUsed") {
            Some("check the system clock: requests are valid for 15 minutes")
        } else if self.code.is_none() && self.message.is_none() {
            Some(
                "the body is not an Alibaba Cloud error: a proxy or gateway may have answered; check the endpoint and any proxy",
            )
        } else if (500..600).contains(&self.status) || code == "ServiceUnavailable" {
            Some("the service failed on its side: retry later")
        } else {
            None
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}")?,
            (Some(code), None) => write!(f, "{code}")?,
            (None, Some(message)) => write!(f, "{message}")?,
            (None, None) => write!(f, "no error code")?,
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(request_id) = &self.request_id {
            write!(f, ", request id {request_id}")?;
        }
        if let Some(wait) = self.retry_after {
            write!(f, ", retry after {} ms", wait.as_millis())?;
        }
        write!(f, ")")?;
        if let Some(excerpt) = &self.excerpt {
            if excerpt.is_empty() {
                write!(f, "; the body was empty")?;
            } else {
                write!(f, "; body: \"{excerpt}\"")?;
            }
        }
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        if let Some(recommend) = &self.recommend {
            write!(f, "; diagnosis: {recommend}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// A code may arrive as a string or a number; anything else is not a code.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        serde_json::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// `x-acs-retry-after`: a positive integer of milliseconds; anything else is ignored.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let millis: u64 = value.trim().parse().ok()?;
    (millis > 0).then(|| Duration::from_millis(millis))
}

/// Whether a service error `code` matches a documented `pattern`, in which each `%s` stands for
/// any text (`InvalidParameter.%s` matches `InvalidParameter.PageSize`); a pattern without
/// `%s` matches only itself. Generated error types sort codes with it.
pub fn code_matches(pattern: &str, code: &str) -> bool {
    let mut parts = pattern.split("%s");
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = code.strip_prefix(first) else {
        return false;
    };
    let mut middle: Vec<&str> = parts.collect();
    let Some(last) = middle.pop() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    use crate::redact::excerpt::EXCERPT_CHARS;

    fn error(status: u16, body: &str) -> ServiceError {
        ServiceError::from_response(&HttpResponse::new(status, body.to_owned()))
    }

    #[test]
    fn reads_alibaba_json_error() {
        let err = error(
            403,
            r#"{"RequestId":"R1","HostId":"ecs.aliyuncs.com","Code":"Forbidden.RAM","Message":"User not authorized","Recommend":"https://api.aliyun.com/troubleshoot?q=Forbidden.RAM","AccessDeniedDetail":{"AuthAction":"ecs:DescribeImages"}}"#,
        );
        assert_eq!(err.code(), "Forbidden.RAM");
        assert_eq!(err.message(), Some("User not authorized"));
        assert_eq!(err.request_id(), Some("R1"));
        assert_eq!(err.host_id(), Some("ecs.aliyuncs.com"));
        assert_eq!(
            err.access_denied_detail().and_then(|d| d.get("AuthAction")),
            Some(&serde_json::json!("ecs:DescribeImages"))
        );
        assert!(!err.is_retryable());
        assert!(err.body_excerpt().is_none());
        let shown = err.to_string();
        assert!(shown.contains("RAM policy"), "{shown}");
        assert!(shown.contains("troubleshoot"), "{shown}");
    }

    #[test]
    fn documented_code_patterns() {
        assert!(code_matches("Throttling", "Throttling"));
        assert!(!code_matches("Throttling", "Throttling.User"));
        assert!(code_matches(
            "InvalidParameter.%s",
            "InvalidParameter.PageSize"
        ));
        assert!(!code_matches("InvalidParameter.%s", "InvalidParameter"));
        assert!(!code_matches(
            "InvalidParameter.%s",
            "MissingParameter.PageSize"
        ));
        assert!(code_matches(
            "Invalid%s.NotFound",
            "InvalidRegionId.NotFound"
        ));
        assert!(!code_matches(
            "Invalid%s.NotFound",
            "InvalidRegionId.Malformed"
        ));
        assert!(code_matches("%s.%s", "A.B"));
        assert!(!code_matches("%s.%s", "AB"));
        // The suffix must not overlap the prefix.
        assert!(!code_matches("ab%sba", "aba"));
    }

    #[test]
    fn numeric_code_becomes_text() {
        let err = error(400, r#"{"code":400,"message":"bad","requestId":"R"}"#);
        assert_eq!(err.code(), "400");
        assert_eq!(err.request_id(), Some("R"));
    }

    #[test]
    fn retryability() {
        assert!(error(400, r#"{"Code":"Throttling.User"}"#).is_retryable());
        assert!(error(429, "").is_retryable());
        assert!(error(503, r#"{"Code":"ServiceUnavailable"}"#).is_retryable());
        assert!(error(500, r#"{"Code":"InternalError"}"#).is_retryable());
        assert!(!error(400, r#"{"Code":"InvalidParameter"}"#).is_retryable());
        assert!(!error(404, r#"{"Code":"InvalidRegionId.NotFound"}"#).is_retryable());
        let throttled = ServiceError::from_response(
            &HttpResponse::new(400, "{}").with_header("X-Acs-Retry-After", "1500"),
        );
        assert_eq!(throttled.retry_after(), Some(Duration::from_millis(1500)));
        assert!(throttled.is_retryable());
    }

    #[test]
    fn only_throttling_says_the_request_was_not_processed() {
        assert!(error(400, r#"{"Code":"Throttling"}"#).is_refused_unprocessed());
        assert!(error(400, r#"{"Code":"Throttling.User"}"#).is_refused_unprocessed());
        assert!(error(400, r#"{"Code":"Throttling.Api"}"#).is_refused_unprocessed());
        assert!(error(429, "").is_refused_unprocessed());
        let asked_to_wait = ServiceError::from_response(
            &HttpResponse::new(503, r#"{"Code":"ServiceUnavailable"}"#)
                .with_header(RETRY_AFTER_HEADER, "100"),
        );
        assert!(asked_to_wait.is_refused_unprocessed());
        assert!(!error(500, r#"{"Code":"InternalError"}"#).is_refused_unprocessed());
        assert!(!error(503, r#"{"Code":"ServiceUnavailable"}"#).is_refused_unprocessed());
        assert!(!error(502, "<html>502 Bad Gateway</html>").is_refused_unprocessed());
        assert!(!error(400, r#"{"Code":"InvalidParameter"}"#).is_refused_unprocessed());
    }

    #[test]
    fn bad_retry_after_is_ignored() {
        for value in ["", "0", "-5", "soon", "1.5"] {
            let err = ServiceError::from_response(
                &HttpResponse::new(400, "{}").with_header(RETRY_AFTER_HEADER, value),
            );
            assert_eq!(err.retry_after(), None, "{value:?}");
        }
    }

    #[test]
    fn html_body_gives_status_and_short_excerpt() {
        let page = format!(
            "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
            "é".repeat(500)
        );
        let err = error(502, &page);
        assert_eq!(err.code(), "");
        assert_eq!(err.status(), 502);
        let excerpt = err.body_excerpt().unwrap_or_default();
        assert!(
            excerpt.starts_with("<html> <head><title>502 Bad Gateway"),
            "{excerpt}"
        );
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert!(err.is_retryable());
        assert!(err.to_string().contains("proxy"));
    }

    #[test]
    fn empty_and_binary_bodies_do_not_panic() {
        let err = error(400, "");
        assert_eq!(err.body_excerpt(), Some(""));
        assert!(err.to_string().contains("empty"), "{err}");
        let binary = ServiceError::from_response(&HttpResponse::new(
            500,
            Bytes::from_static(&[0xff, 0xfe, 0x00, 0xc3]),
        ));
        assert_eq!(binary.status(), 500);
        let json_array = error(400, "[1,2]");
        assert!(json_array.body_excerpt().is_some());
    }

    #[test]
    fn xml_error_is_read() {
        let err = error(
            400,
            "<?xml version='1.0'?><Error><RequestId>R9</RequestId><Code>MissingParameter</Code><Message>RegionId is mandatory</Message></Error>",
        );
        assert_eq!(err.code(), "MissingParameter");
        assert_eq!(err.request_id(), Some("R9"));
        assert_eq!(err.message(), Some("RegionId is mandatory"));
    }
}
