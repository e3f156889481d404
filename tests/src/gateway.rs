//! The gateway's judgement of each request: parse, check, pick an answer. Knows nothing of
//! sockets, so the server module only moves bytes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use time::PrimitiveDateTime;
use time::macros::format_description;

use crate::clock::Clock;
use crate::credential::Credential;
use crate::fault::{Fault, QueuedFault};
use crate::recorded::{RecordedRequest, Rejection, SignatureKind, Verdict};
use crate::response::{Response, WireResponse};
use crate::signature::v2::{self, V2Error};
use crate::signature::v3::{self, Authorization, V3Error};

/// A closure that answers an action.
pub(crate) type Handler = Arc<dyn Fn(&RecordedRequest) -> Response + Send + Sync>;

/// A request as it came off the wire.
pub(crate) struct Arrival {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) raw_query: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

/// What the connection should do.
pub(crate) enum Reply {
    /// Send `response`, after `delay`; with `truncate`, only half its body, then close.
    Send {
        response: WireResponse,
        delay: Option<Duration>,
        truncate: bool,
    },
    /// Close the connection without answering.
    Drop,
}

/// Fixed configuration plus the state tests change and read while the server runs.
pub(crate) struct Gateway {
    credentials: Vec<Credential>,
    /// Actions the real service takes without a signature (STS `AssumeRoleWithOIDC`, which the
    /// OIDC token authenticates).
    unsigned_actions: HashSet<String>,
    clock: Clock,
    max_clock_skew: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    handlers: HashMap<String, Handler>,
    faults: VecDeque<QueuedFault>,
    requests: Vec<RecordedRequest>,
    nonces: HashSet<String>,
}

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

impl Gateway {
    pub(crate) fn new(
        credentials: Vec<Credential>,
        unsigned_actions: HashSet<String>,
        clock: Clock,
        max_clock_skew: Duration,
    ) -> Self {
        Self {
            credentials,
            unsigned_actions,
            clock,
            max_clock_skew,
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test closure that panicked must not take every later request down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_handler(&self, action: String, handler: Handler) {
        self.state().handlers.insert(action, handler);
    }

    pub(crate) fn push_fault(&self, action: Option<String>, fault: Fault) {
        self.state().faults.push_back(QueuedFault { action, fault });
    }

    pub(crate) fn pending_faults(&self) -> usize {
        self.state().faults.len()
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    pub(crate) fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Records a request the server could not even read (body too large), with `rejection`.
    pub(crate) fn reject_unread(&self, arrival: Arrival, rejection: Rejection) -> Reply {
        let mut record = self.record(arrival);
        let response = Response::error(rejection.status, &rejection.code, &rejection.message);
        record.verdict = Verdict::Rejected(rejection);
        let wire = response.into_wire(&record.request_id, &host_id(&record));
        self.state().requests.push(record);
        Reply::Send {
            response: wire,
            delay: None,
            truncate: false,
        }
    }

    /// Judges one request, records it, and says how to answer.
    pub(crate) fn handle(&self, arrival: Arrival) -> Reply {
        let mut record = self.record(arrival);
        let host = host_id(&record);
        if let Err(rejection) = self.check(&record) {
            let response = Response::error(rejection.status, &rejection.code, &rejection.message);
            record.verdict = Verdict::Rejected(rejection);
            let wire = response.into_wire(&record.request_id, &host);
            self.state().requests.push(record);
            return Reply::Send {
                response: wire,
                delay: None,
                truncate: false,
            };
        }

        let (fault, handler) = {
            let mut state = self.state();
            let position = state.faults.iter().position(|queued| {
                queued.action.is_none() || queued.action.as_deref() == record.action.as_deref()
            });
            let fault = position
                .and_then(|index| state.faults.remove(index))
                .map(|queued| queued.fault);
            let handler = record
                .action
                .as_ref()
                .and_then(|action| state.handlers.get(action).cloned());
            (fault, handler)
        };
        record.fault = fault.clone();

        if matches!(fault, Some(Fault::DroppedConnection)) {
            self.state().requests.push(record);
            return Reply::Drop;
        }
        let response = match fault.as_ref().and_then(Fault::replacement) {
            Some(replacement) => replacement,
            None => match handler {
                // Called without the lock, so a handler may itself read the server's state.
                Some(handler) => handler(&record),
                None => Response::error(
                    404,
                    "InvalidAction.NotFound",
                    format!(
                        "Specified api is not found, please check your url and method. (No response is registered for action {:?}.)",
                        record.action.as_deref().unwrap_or_default()
                    ),
                ),
            },
        };
        let wire = response.into_wire(&record.request_id, &host);
        let delay = match fault {
            Some(Fault::Slow { delay }) => Some(delay),
            _ => None,
        };
        let truncate = matches!(fault, Some(Fault::TruncatedBody));
        self.state().requests.push(record);
        Reply::Send {
            response: wire,
            delay,
            truncate,
        }
    }

    /// Parses what arrived into a record, judged verified until a check says otherwise.
    fn record(&self, arrival: Arrival) -> RecordedRequest {
        let query = decode_pairs(arrival.raw_query.as_bytes());
        let is_form = arrival
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .and_then(|(_, value)| value.split(';').next())
            .is_some_and(|media| media.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE));
        let form = if is_form {
            decode_pairs(&arrival.body)
        } else {
            Vec::new()
        };
        let mut record = RecordedRequest {
            request_id: new_request_id(),
            method: arrival.method,
            path: arrival.path,
            raw_query: arrival.raw_query,
            query,
            form,
            headers: arrival.headers,
            body: arrival.body,
            action: None,
            version: None,
            signature: SignatureKind::Unsigned,
            verdict: Verdict::Verified,
            fault: None,
        };
        record.signature = signature_kind(&record);
        let (action, version) = match record.signature {
            SignatureKind::V3 { .. } => (
                record.header("x-acs-action").map(str::to_owned),
                record.header("x-acs-version").map(str::to_owned),
            ),
            _ => (
                record.param("Action").map(str::to_owned),
                record.param("Version").map(str::to_owned),
            ),
        };
        record.action = action.filter(|action| !action.is_empty());
        record.version = version;
        record
    }

    /// Every gateway check, in the order the gateway makes them.
    fn check(&self, record: &RecordedRequest) -> Result<(), Rejection> {
        if record.method != "GET" && record.method != "POST" {
            return Err(Rejection::new(
                405,
                "UnsupportedHTTPMethod",
                format!(
                    "HTTP method {} is not supported; RPC APIs take GET or POST.",
                    record.method
                ),
            ));
        }
        if record.path != "/" {
            return Err(Rejection::new(
                404,
                "InvalidApi.NotFound",
                format!(
                    "Specified api is not found, please check your url and method. RPC APIs live at `/`, not {:?}.",
                    record.path
                ),
            ));
        }
        if record.action.is_none() {
            return Err(missing_parameter("Action"));
        }
        match record.signature {
            SignatureKind::V3 { .. } => self.check_v3(record),
            SignatureKind::V2 { .. } => self.check_v2(record),
            SignatureKind::Unsigned
                if record
                    .action
                    .as_ref()
                    .is_some_and(|action| self.unsigned_actions.contains(action)) =>
            {
                self.check_unsigned(record)
            }
            SignatureKind::Unsigned => Err(Rejection::new(
                400,
                "IncompleteSignature",
                "The request carries neither an ACS3-HMAC-SHA256 Authorization header nor a Signature parameter.",
            )),
        }
    }

    fn check_v3(&self, record: &RecordedRequest) -> Result<(), Rejection> {
        let parts = record.parts();
        let authorization = Authorization::from_request(&parts).map_err(v3_rejection)?;
        let credential = self.credential(&authorization.access_key_id)?;
        for required in v3::REQUIRED_SIGNED_HEADERS {
            if !authorization
                .signed_headers
                .iter()
                .any(|name| name == required)
            {
                return Err(v3_rejection(V3Error::RequiredHeaderNotSigned {
                    name: required,
                }));
            }
        }
        let date = parts.header("x-acs-date").ok_or_else(|| {
            v3_rejection(V3Error::SignedHeaderAbsent {
                name: "x-acs-date".to_owned(),
            })
        })?;
        self.check_time("x-acs-date", &date)?;
        let token = parts.header("x-acs-security-token");
        check_token(credential, token.as_deref(), "x-acs-security-token")?;
        if token.is_some()
            && !authorization
                .signed_headers
                .iter()
                .any(|name| name == "x-acs-security-token")
        {
            return Err(Rejection::new(
                400,
                "IncompleteSignature",
                "header `x-acs-security-token` must be listed in SignedHeaders",
            ));
        }
        v3::verify_signature(&parts, &authorization, credential.secret()).map_err(v3_rejection)?;
        let nonce = parts.header("x-acs-signature-nonce").unwrap_or_default();
        self.use_nonce(&nonce)
    }

    /// An unsigned call the gateway takes (STS `AssumeRoleWithOIDC`): what the official SDKs
    /// send on their anonymous RPC path, `Action`, `Version`, `Timestamp` (fresh) and
    /// `SignatureNonce` (never seen before) as parameters; the V3 headers alone do not make one.
    fn check_unsigned(&self, record: &RecordedRequest) -> Result<(), Rejection> {
        if record.param("Action").is_none() {
            return Err(missing_parameter("Action"));
        }
        if record.param("Version").is_none() {
            return Err(missing_parameter("Version"));
        }
        let timestamp = record
            .param("Timestamp")
            .ok_or_else(|| missing_parameter("Timestamp"))?;
        self.check_time("Timestamp", timestamp)?;
        let nonce = record
            .param("SignatureNonce")
            .ok_or_else(|| missing_parameter("SignatureNonce"))?;
        self.use_nonce(nonce)
    }

    fn check_v2(&self, record: &RecordedRequest) -> Result<(), Rejection> {
        let access_key_id = record
            .param("AccessKeyId")
            .ok_or_else(|| missing_parameter("AccessKeyId"))?;
        let credential = self.credential(access_key_id)?;
        match record.param("SignatureMethod") {
            Some(v2::SIGNATURE_METHOD) => {}
            Some(other) => {
                return Err(Rejection::new(
                    400,
                    "InvalidSignatureMethod",
                    format!(
                        "SignatureMethod {other:?} is not supported; use {}.",
                        v2::SIGNATURE_METHOD
                    ),
                ));
            }
            None => return Err(missing_parameter("SignatureMethod")),
        }
        match record.param("SignatureVersion") {
            Some(v2::SIGNATURE_VERSION) => {}
            Some(other) => {
                return Err(Rejection::new(
                    400,
                    "InvalidSignatureVersion",
                    format!(
                        "SignatureVersion {other:?} is not supported; use {}.",
                        v2::SIGNATURE_VERSION
                    ),
                ));
            }
            None => return Err(missing_parameter("SignatureVersion")),
        }
        let timestamp = record
            .param("Timestamp")
            .ok_or_else(|| missing_parameter("Timestamp"))?;
        self.check_time("Timestamp", timestamp)?;
        let nonce = record
            .param("SignatureNonce")
            .ok_or_else(|| missing_parameter("SignatureNonce"))?;
        check_token(credential, record.param("SecurityToken"), "SecurityToken")?;
        v2::verify(&record.method, &record.params(), credential.secret()).map_err(|error| {
            match error {
                V2Error::MissingSignature => missing_parameter("Signature"),
                other => Rejection::new(
                    400,
                    "SignatureDoesNotMatch",
                    format!("Specified signature is not matched with our calculation: {other}"),
                ),
            }
        })?;
        self.use_nonce(nonce)
    }

    fn credential(&self, access_key_id: &str) -> Result<&Credential, Rejection> {
        self.credentials
            .iter()
            .find(|credential| credential.access_key_id() == access_key_id)
            .ok_or_else(|| {
                Rejection::new(
                    404,
                    "InvalidAccessKeyId.NotFound",
                    format!("Specified access key is not found: {access_key_id:?}."),
                )
            })
    }

    fn check_time(&self, field: &str, value: &str) -> Result<(), Rejection> {
        let sent = parse_utc(value).ok_or_else(|| {
            Rejection::new(
                400,
                "InvalidTimeStamp.Format",
                format!(
                    "Specified time stamp or date value is not well formatted: {field} is {value:?}, expected YYYY-MM-DDThh:mm:ssZ in UTC."
                ),
            )
        })?;
        let now = self.clock.now();
        let skew = now
            .duration_since(sent)
            .or_else(|_| sent.duration_since(now))
            .unwrap_or_default();
        if skew > self.max_clock_skew {
            return Err(Rejection::new(
                400,
                "InvalidTimeStamp.Expired",
                format!(
                    "Specified time stamp or date value is expired: {field} {value} is {}s from the server's clock; at most {}s is allowed.",
                    skew.as_secs(),
                    self.max_clock_skew.as_secs()
                ),
            ));
        }
        Ok(())
    }

    fn use_nonce(&self, nonce: &str) -> Result<(), Rejection> {
        if nonce.is_empty() {
            return Err(missing_parameter("SignatureNonce"));
        }
        if self.state().nonces.insert(nonce.to_owned()) {
            Ok(())
        } else {
            Err(Rejection::new(
                400,
                "SignatureNonceUsed",
                format!("Specified signature nonce was used already: {nonce:?}."),
            ))
        }
    }
}

fn check_token(credential: &Credential, sent: Option<&str>, field: &str) -> Result<(), Rejection> {
    match (credential.security_token(), sent) {
        (None, None) => Ok(()),
        (Some(expected), Some(sent)) if expected == sent => Ok(()),
        (Some(_), None) => Err(Rejection::new(
            400,
            "MissingSecurityToken",
            format!("{field} is mandatory: this AccessKey is an STS credential."),
        )),
        (Some(_), Some(_)) => Err(Rejection::new(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            format!("Specified {field} does not belong to this AccessKey."),
        )),
        (None, Some(_)) => Err(Rejection::new(
            400,
            "InvalidSecurityToken.Malformed",
            format!("Specified {field} is not expected: this AccessKey is not an STS credential."),
        )),
    }
}

fn v3_rejection(error: V3Error) -> Rejection {
    match error {
        V3Error::ContentSha256Mismatch { .. } | V3Error::SignatureMismatch { .. } => {
            Rejection::new(
                400,
                "SignatureDoesNotMatch",
                format!("Specified signature is not matched with our calculation: {error}"),
            )
        }
        other => Rejection::new(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards: {other}"),
        ),
    }
}

fn missing_parameter(name: &str) -> Rejection {
    Rejection::new(
        400,
        "MissingParameter",
        format!(
            "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
        ),
    )
}

fn signature_kind(record: &RecordedRequest) -> SignatureKind {
    if let Some(header) = record.header("authorization") {
        let parsed = Authorization::parse(header).ok();
        return SignatureKind::V3 {
            access_key_id: parsed.as_ref().map(|auth| auth.access_key_id.clone()),
            signed_headers: parsed.map(|auth| auth.signed_headers).unwrap_or_default(),
        };
    }
    if record.param("Signature").is_some() || record.param("AccessKeyId").is_some() {
        return SignatureKind::V2 {
            access_key_id: record.param("AccessKeyId").map(str::to_owned),
        };
    }
    SignatureKind::Unsigned
}

fn decode_pairs(input: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(input)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// Parses `YYYY-MM-DDThh:mm:ssZ`, the only form either signature allows.
pub(crate) fn parse_utc(value: &str) -> Option<SystemTime> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    PrimitiveDateTime::parse(value, format)
        .ok()
        .map(|at| SystemTime::from(at.assume_utc()))
}

fn host_id(record: &RecordedRequest) -> String {
    record.header("host").unwrap_or("127.0.0.1").to_owned()
}

/// A fresh request id in the upper-case UUID form Alibaba uses.
fn new_request_id() -> String {
    let bits = fastrand::u128(..);
    let hex = format!("{bits:032X}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_utc_takes_only_the_signature_format() {
        assert!(parse_utc("2023-10-26T10:22:32Z").is_some());
        assert!(parse_utc("2023-10-26T10:22:32+00:00").is_none());
        assert!(parse_utc("2023-10-26 10:22:32Z").is_none());
    }

    #[test]
    fn request_ids_are_uuid_shaped_and_distinct() {
        let first = new_request_id();
        assert_eq!(first.len(), 36);
        assert_eq!(first.matches('-').count(), 4);
        assert_ne!(first, new_request_id());
    }
}
