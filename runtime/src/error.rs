//! What can go wrong with a call, from a parameter that fails its checks to a service error,
//! with the evidence kept: code, message, request id, HTTP status and, when decoding fails,
//! the raw body.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::credentials::CredentialsError;
use crate::decode::DecodeError;
use crate::endpoint::EndpointError;
use crate::http::{HttpResponse, TransportError};
use crate::validate::BuildError;

/// How much of a body that is not a JSON error an error keeps, in characters.
const EXCERPT_CHARS: usize = 200;

/// How much of each text an error body gives (code, message, request id...) an error keeps, in
/// characters: a 200 MB message must not become a 200 MB `Display`.
pub(crate) const MESSAGE_CHARS: usize = 2048;

/// How far past the part kept a text is searched for secrets before it is cut, in bytes: enough
/// for an STS token encoded twice, so that no secret straddling the cut leaves half of itself
/// behind.
const SECRET_MARGIN: usize = 8 * 1024;

/// How much of a body is read for an XML error document or an excerpt, in bytes: neither needs
/// more, and a large body is never copied whole to be cleared.
const BODY_WINDOW: usize = 64 * 1024;

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

/// The first `max` characters of `text` with `secrets` blanked, cleared before the cut (and only
/// as far as [`SECRET_MARGIN`] past it); a text cut short ends with `…` and its full length.
pub(crate) fn hidden_and_cut(text: &str, secrets: &[&str], max: usize) -> String {
    let window_end = text.char_indices().nth(max).map(|(at, _)| at).map(|cut| {
        let mut end = cut.saturating_add(SECRET_MARGIN).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        end
    });
    let Some(window_end) = window_end else {
        return hide_secrets(text, secrets);
    };
    let hidden = hide_secrets(text.get(..window_end).unwrap_or(text), secrets);
    match hidden.char_indices().nth(max) {
        Some((cut, _)) => format!(
            "{}… ({} bytes in all)",
            hidden.get(..cut).unwrap_or_default(),
            text.len()
        ),
        None => hidden,
    }
}

/// The start of a body, at most [`BODY_WINDOW`] bytes, as text.
fn body_window(body: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(body.get(..BODY_WINDOW).unwrap_or(body))
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
            error.excerpt = Some(excerpt(&response.body, secrets));
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

/// The first [`EXCERPT_CHARS`] characters of a body, whitespace collapsed, secrets blanked.
fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    let text = body_window(body);
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let hidden = redact_values(&collapsed, secrets);
    let redacted = redact_secrets(&hidden);
    match redacted.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", redacted.get(..cut).unwrap_or_default()),
        None => redacted.into_owned(),
    }
}

/// The names a secret may be quoted under in a body: the V2 query parameter, the V3 header,
/// and the secret's own name as the CLI's profile file and some proxies print it. Lower case:
/// bodies are searched without regard to case.
const SECRET_KEYS: &[&str] = &["securitytoken", "x-acs-security-token", "accesskeysecret"];

/// What ends an unquoted value in a query, a header line, JSON or HTML, lower case.
const VALUE_ENDS: &[&str] = &[
    "&", "%26", "%2526", "\"", "'", ",", " ", "<", "\n", "\r", "\\", ";", "}",
];

/// `text` with the given secret values and anything quoted under a secret's name blanked.
pub(crate) fn hide_secrets(text: &str, secrets: &[&str]) -> String {
    redact_secrets(&redact_values(text, secrets)).into_owned()
}

/// [`hide_secrets`] on every string inside a JSON value.
pub(crate) fn hide_in_value(value: &mut serde_json::Value, secrets: &[&str]) {
    match value {
        serde_json::Value::String(text) => *text = hide_secrets(text, secrets),
        serde_json::Value::Array(items) => {
            items
                .iter_mut()
                .for_each(|item| hide_in_value(item, secrets));
        }
        serde_json::Value::Object(fields) => {
            fields
                .values_mut()
                .for_each(|item| hide_in_value(item, secrets));
        }
        _ => {}
    }
}

/// Blanks the value after a secret's name (`SecurityToken=`, `x-acs-security-token: `,
/// `"AccessKeySecret": "..."`, or their encoded forms): a signature-mismatch message quotes the
/// server's string to sign, which with V2 holds the security token, and a debugging proxy's error
/// page may echo the request's headers.
pub(crate) fn redact_secrets(text: &str) -> Cow<'_, str> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` cut `text`.
    let lower = text.to_ascii_lowercase();
    let next_key = |from: usize| {
        SECRET_KEYS
            .iter()
            .filter_map(|key| {
                let at = lower.get(from..)?.find(key)? + from;
                Some(at + key.len())
            })
            .min()
    };
    let Some(mut after_key) = next_key(0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        let mut resume = after_key;
        if let Some((start, end)) = secret_value_span(&lower, after_key) {
            if end > start {
                out.push_str(text.get(copied..start).unwrap_or_default());
                out.push_str("<redacted>");
                copied = end;
                resume = end;
            }
        }
        match next_key(resume) {
            Some(next) => after_key = next,
            None => break,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// Where the value after a secret's name starts and ends in `lower` (the text, lower-cased):
/// past the name's closing quote, spaces, a separator (`=`, `:`, or either percent-encoded once or
/// twice), spaces and an opening quote; up to the matching quote, or to the first character that
/// ends a value. `None` when no separator follows: the name was only mentioned.
fn secret_value_span(lower: &str, after_key: usize) -> Option<(usize, usize)> {
    let rest = lower.get(after_key..)?;
    let rest = rest
        .strip_prefix("\\\"")
        .or_else(|| rest.strip_prefix(['"', '\'']))
        .unwrap_or(rest);
    let rest = rest.trim_start_matches(' ');
    let rest = ["%253d", "%253a", "%3d", "%3a", "=", ":"]
        .iter()
        .find_map(|separator| rest.strip_prefix(separator))?;
    let rest = rest.trim_start_matches(' ');
    let (rest, quote) = match rest.strip_prefix("\\\"") {
        Some(inner) => (inner, Some("\\\"")),
        None => match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (rest.get(1..)?, Some(if q == '"' { "\"" } else { "'" })),
            _ => (rest, None),
        },
    };
    let start = lower.len() - rest.len();
    let len = match quote {
        Some(quote) => rest.find(quote).unwrap_or(rest.len()),
        None => VALUE_ENDS
            .iter()
            .filter_map(|end| rest.find(end))
            .min()
            .unwrap_or(rest.len()),
    };
    Some((start, start + len))
}

/// `%2F` as `%2f`: the same escape, as some encoders write it.
fn lower_hex_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// Blanks every occurrence of the given secret values in `text`: as sent, percent-encoded once or
/// twice (a string to sign quotes the encoded query; upper- or lower-case hex), and escaped as a
/// JSON string (`\/`).
pub(crate) fn redact_values<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|secret| !secret.is_empty()) {
        let once = crate::wire::percent_encode(secret);
        let twice = crate::wire::percent_encode(&once);
        let json = secret
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('/', "\\/");
        forms.extend([
            lower_hex_escapes(&twice),
            twice,
            lower_hex_escapes(&once),
            once,
            json,
            (*secret).to_owned(),
        ]);
    }
    // Longest first, so that no form is left half-blanked by a shorter one inside it.
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms.dedup();
    if !forms.iter().any(|form| text.contains(form.as_str())) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_owned();
    for form in &forms {
        if out.contains(form.as_str()) {
            out = out.replace(form.as_str(), "<redacted>");
        }
    }
    Cow::Owned(out)
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

/// Implements `Display`, `Error` and [`OperationError`] for a generated operation error enum
/// whose variants each hold a [`ServiceError`], sorting codes in the order given (exact codes
/// first, then patterns with `%s`) and everything else into `Unhandled`.
///
/// ```
/// #[derive(Debug)]
/// pub enum ListError {
///     NotFound(acs_runtime::ServiceError),
///     InvalidParameter(acs_runtime::ServiceError),
///     Unhandled(acs_runtime::ServiceError),
/// }
/// acs_runtime::operation_error!(ListError {
///     NotFound = "NotFound",
///     InvalidParameter = "InvalidParameter.%s",
/// });
/// ```
#[macro_export]
macro_rules! operation_error {
    ($name:ident { $( $variant:ident = $code:literal ),* $(,)? }) => {
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt($crate::OperationError::service_error(self), f)
            }
        }

        impl ::std::error::Error for $name {}

        impl $crate::OperationError for $name {
            fn from_service(err: $crate::ServiceError) -> Self {
                $(
                    if $crate::error::code_matches($code, err.code()) {
                        return Self::$variant(err);
                    }
                )*
                Self::Unhandled(err)
            }

            fn service_error(&self) -> &$crate::ServiceError {
                match self {
                    $( Self::$variant(err) )|* | Self::Unhandled(err) => err,
                }
            }
        }
    };
}

/// The error type of one operation, generated per operation: a variant per documented code
/// and one for everything else, each keeping the [`ServiceError`].
pub trait OperationError: std::error::Error + Send + Sync + 'static {
    /// Sorts a service error into the operation's variants by its code.
    fn from_service(err: ServiceError) -> Self;
    /// The service error behind the variant.
    fn service_error(&self) -> &ServiceError;
}

/// Everything a call can fail with. `E` is the operation's error type, for errors the service
/// returned.
#[non_exhaustive]
pub enum SdkError<E> {
    /// A parameter failed its checks; nothing was sent.
    Build(BuildError),
    /// No credentials could be had; nothing was sent.
    Credentials(CredentialsError),
    /// No host could be chosen for the region; nothing was sent.
    Endpoint(EndpointError),
    /// The request got no complete HTTP response (connect, timeout, dropped connection, body).
    Transport(TransportError),
    /// The service answered with an error.
    Service(E),
    /// The service answered 2xx, but the body is not the JSON the operation returns.
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// The body as it arrived.
        body: Bytes,
        /// Why it could not be decoded.
        source: DecodeError,
    },
    /// Every attempt the retry policy allows failed; the last failure is kept.
    RetriesExhausted {
        /// How many requests were sent.
        attempts: u32,
        /// The failure of the last attempt.
        last: Box<SdkError<E>>,
    },
    /// A walk through a listing's pages stopped before its end (see [`crate::paginate`]).
    Paging(crate::paginate::PagingError),
    /// A blocking client was called from inside an async runtime, where blocking the thread
    /// would stall (or deadlock) the runtime's other tasks; nothing was sent. Use the async
    /// client there, or call from `tokio::task::spawn_blocking`.
    BlockingInAsyncContext,
    /// The call took longer than its operation timeout
    /// ([`TimeoutConfig::with_operation_timeout`](crate::TimeoutConfig::with_operation_timeout)),
    /// and was stopped in whatever attempt or backoff sleep it was in.
    OperationTimeout {
        /// The limit that ran out.
        limit: Duration,
        /// How many requests were sent (the last perhaps without its answer).
        attempts: u32,
    },
    /// The retry policy's time budget ran out before a retry could be sent; the last failure
    /// is kept.
    TimeBudgetSpent {
        /// How many requests were sent.
        attempts: u32,
        /// Time since the call began.
        elapsed: Duration,
        /// The failure of the last attempt.
        last: Box<SdkError<E>>,
    },
}

/// The raw body of a [`SdkError::Decode`] is shown by its length only: it may be a proxy's page
/// echoing the request, secrets and all (the body itself stays in the error, for the caller).
impl<E: fmt::Debug> fmt::Debug for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Build(err) => f.debug_tuple("Build").field(err).finish(),
            SdkError::Credentials(err) => f.debug_tuple("Credentials").field(err).finish(),
            SdkError::Endpoint(err) => f.debug_tuple("Endpoint").field(err).finish(),
            SdkError::Transport(err) => f.debug_tuple("Transport").field(err).finish(),
            SdkError::Service(err) => f.debug_tuple("Service").field(err).finish(),
            SdkError::Decode {
                status,
                body,
                source,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("body", &format_args!("<{} bytes>", body.len()))
                .field("source", source)
                .finish(),
            SdkError::RetriesExhausted { attempts, last } => f
                .debug_struct("RetriesExhausted")
                .field("attempts", attempts)
                .field("last", last)
                .finish(),
            SdkError::Paging(err) => f.debug_tuple("Paging").field(err).finish(),
            SdkError::BlockingInAsyncContext => f.write_str("BlockingInAsyncContext"),
            SdkError::OperationTimeout { limit, attempts } => f
                .debug_struct("OperationTimeout")
                .field("limit", limit)
                .field("attempts", attempts)
                .finish(),
            SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last,
            } => f
                .debug_struct("TimeBudgetSpent")
                .field("attempts", attempts)
                .field("elapsed", elapsed)
                .field("last", last)
                .finish(),
        }
    }
}

impl SdkError<ServiceError> {
    /// The same failure with the service's error sorted into an operation's error type: the
    /// exchange is the same for every operation, and only this last step knows which one it was.
    pub(crate) fn into_operation_error<E: OperationError>(self) -> SdkError<E> {
        match self {
            SdkError::Build(err) => SdkError::Build(err),
            SdkError::Credentials(err) => SdkError::Credentials(err),
            SdkError::Endpoint(err) => SdkError::Endpoint(err),
            SdkError::Transport(err) => SdkError::Transport(err),
            SdkError::Service(err) => SdkError::Service(E::from_service(err)),
            SdkError::Decode {
                status,
                body,
                source,
            } => SdkError::Decode {
                status,
                body,
                source,
            },
            SdkError::RetriesExhausted { attempts, last } => SdkError::RetriesExhausted {
                attempts,
                last: Box::new(last.into_operation_error()),
            },
            SdkError::Paging(err) => SdkError::Paging(err),
            SdkError::BlockingInAsyncContext => SdkError::BlockingInAsyncContext,
            SdkError::OperationTimeout { limit, attempts } => {
                SdkError::OperationTimeout { limit, attempts }
            }
            SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last,
            } => SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last: Box::new(last.into_operation_error()),
            },
        }
    }
}

impl<E: OperationError> SdkError<E> {
    /// The operation's error when the service answered with one, looking through
    /// [`SdkError::RetriesExhausted`] and [`SdkError::TimeBudgetSpent`].
    pub fn as_service_error(&self) -> Option<&E> {
        match self.last_error() {
            SdkError::Service(err) => Some(err),
            _ => None,
        }
    }

    /// The operation's error when the service answered with one, looking through retries.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(err) => Some(err),
            SdkError::RetriesExhausted { last, .. } | SdkError::TimeBudgetSpent { last, .. } => {
                last.into_service_error()
            }
            _ => None,
        }
    }

    /// The service's `RequestId`, when the service answered with an error.
    pub fn request_id(&self) -> Option<&str> {
        self.as_service_error()
            .and_then(|err| err.service_error().request_id())
    }

    /// The error of the last attempt: `self`, unless retries were given up.
    pub fn last_error(&self) -> &SdkError<E> {
        match self {
            SdkError::RetriesExhausted { last, .. } | SdkError::TimeBudgetSpent { last, .. } => {
                last.last_error()
            }
            other => other,
        }
    }

    /// Whether sending the same call again may succeed (throttling, 5xx, transport failures).
    pub fn is_retryable(&self) -> bool {
        match self {
            SdkError::Transport(err) => err.is_retryable(),
            SdkError::Service(err) => err.service_error().is_retryable(),
            _ => false,
        }
    }
}

impl<E: OperationError> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Build(err) => write!(f, "the request was not sent: {err}"),
            SdkError::Credentials(err) => {
                write!(f, "the request was not sent: no credentials: {err}")
            }
            SdkError::Endpoint(err) => {
                write!(f, "the request was not sent: no endpoint: {err}")
            }
            SdkError::Transport(err) => write!(f, "{err}"),
            SdkError::Service(err) => write!(f, "the service returned an error: {err}"),
            SdkError::Decode {
                status,
                body,
                source,
            } => write!(
                f,
                "the response (HTTP {status}, {} bytes) could not be decoded: {source}; the raw body is kept in the error",
                body.len()
            ),
            SdkError::RetriesExhausted { attempts, last } => {
                write!(
                    f,
                    "gave up after {attempts} attempts; the last failed: {last}"
                )
            }
            SdkError::Paging(err) => write!(f, "the listing was not read to its end: {err}"),
            SdkError::BlockingInAsyncContext => write!(
                f,
                "the request was not sent: a blocking client was called from inside an async runtime; use the async client there, or call it from `tokio::task::spawn_blocking`"
            ),
            SdkError::OperationTimeout { limit, attempts } => write!(
                f,
                "the call took longer than its operation timeout of {} ms ({attempts} attempts sent); raise it with `TimeoutConfig::with_operation_timeout` if the service is expected to be this slow",
                limit.as_millis()
            ),
            SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last,
            } => write!(
                f,
                "gave up after {attempts} attempts in {} ms, the retry policy's time budget; the last failed: {last}",
                elapsed.as_millis()
            ),
        }
    }
}

impl<E: OperationError> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Build(err) => Some(err),
            SdkError::Credentials(err) => Some(err),
            SdkError::Endpoint(err) => Some(err),
            SdkError::Transport(err) => Some(err),
            SdkError::Service(err) => Some(err),
            SdkError::Decode { source, .. } => Some(source),
            SdkError::Paging(err) => Some(err),
            SdkError::BlockingInAsyncContext => None,
            SdkError::OperationTimeout { .. } => None,
            SdkError::RetriesExhausted { last, .. } | SdkError::TimeBudgetSpent { last, .. } => {
                Some(last.as_ref())
            }
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(err: BuildError) -> Self {
        SdkError::Build(err)
    }
}

impl<E> From<TransportError> for SdkError<E> {
    fn from(err: TransportError) -> Self {
        SdkError::Transport(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn security_token_in_a_message_is_not_shown() {
        let err = error(
            400,
            r#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DAK%26SecurityToken%3Dsts-secret-value%26Timestamp%3D1"}"#,
        );
        let shown = err.to_string();
        assert!(!shown.contains("sts-secret-value"), "{shown}");
        assert!(shown.contains("Timestamp"), "{shown}");
        assert_eq!(
            redact_secrets("a SecurityToken=abc&b=1"),
            "a SecurityToken=<redacted>&b=1"
        );
        assert_eq!(redact_secrets("SecurityTokens"), "SecurityTokens");
    }

    #[test]
    fn secrets_are_blanked_under_every_name_and_encoding() {
        assert_eq!(
            redact_secrets("X-Acs-Security-Token: tok/1+2<br>host: h"),
            "X-Acs-Security-Token: <redacted><br>host: h"
        );
        assert_eq!(
            redact_secrets(r#"{"AccessKeySecret":"s3cr3t","Mode":"AK"}"#),
            r#"{"AccessKeySecret":"<redacted>","Mode":"AK"}"#
        );
        assert_eq!(
            redact_secrets("a%26SecurityToken%3Dabc%26b"),
            "a%26SecurityToken%3D<redacted>%26b"
        );
        assert_eq!(
            redact_values("k=tok%2F1%2B2 and tok/1+2", &["tok/1+2"]),
            "k=<redacted> and <redacted>"
        );
        // Quoted values, single quotes, spaced separators, JSON-escaped quotes.
        for (text, shown) in [
            (
                r#"SecurityToken="tok-1" next"#,
                r#"SecurityToken="<redacted>" next"#,
            ),
            (
                "{'x-acs-security-token': 'tok-2', 'host': 'h'}",
                "{'x-acs-security-token': '<redacted>', 'host': 'h'}",
            ),
            (
                r#"{"AccessKeySecret" : "tok 3", "Mode": "AK"}"#,
                r#"{"AccessKeySecret" : "<redacted>", "Mode": "AK"}"#,
            ),
            (
                r#""body": "{\"SecurityToken\":\"tok-4\"}""#,
                r#""body": "{\"SecurityToken\":\"<redacted>\"}""#,
            ),
            (
                "SECURITYTOKEN%3dtok-5%26x=1",
                "SECURITYTOKEN%3d<redacted>%26x=1",
            ),
            ("a SecurityToken is required", "a SecurityToken is required"),
        ] {
            assert_eq!(redact_secrets(text), shown, "{text}");
        }
        // Encoded forms of a known value: lower-case hex, twice encoded, JSON-escaped.
        assert_eq!(
            redact_values(
                r#"q=tok%2f1%2b2 w=tok%252F1%252B2 j="tok\/1+2""#,
                &["tok/1+2"]
            ),
            r#"q=<redacted> w=<redacted> j="<redacted>""#
        );
        // Every field of an error is cleared, not only the message.
        let body = r#"{"Code":"tok/9","RequestId":"R tok/9","HostId":"h","Recommend":"see tok/9","AccessDeniedDetail":{"PolicyType":"tok/9"}}"#;
        let err = ServiceError::from_response_hiding(&HttpResponse::new(403, body), &["tok/9"]);
        let shown = format!("{err:?} {err}");
        assert!(!shown.contains("tok/9"), "{shown}");
        // A secret that the excerpt would cut in half is blanked before the cut.
        let body = format!("{}tok/1+2-and-more", "x".repeat(EXCERPT_CHARS - 3));
        let err = ServiceError::from_response_hiding(
            &HttpResponse::new(502, body),
            &["tok/1+2-and-more"],
        );
        assert!(
            !err.body_excerpt().unwrap_or_default().contains("tok"),
            "{err}"
        );
    }
}
