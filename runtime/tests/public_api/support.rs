//! A hand-written product, operation, request, response and error type, shaped like the
//! generated ones, for the client, retry, error and paging tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use acs_runtime::credentials::Credentials;
use acs_runtime::endpoint::EndpointRule;
use acs_runtime::http::{HttpRequest, HttpResponse, InMemoryTransport};
use acs_runtime::paginate::{PagedRequest, PagedResponse};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::sign::SignatureVersion;
use acs_runtime::wire::{Location, Params, WriteParams};
use acs_runtime::{
    Config, ConfigBuilder, Operation, OperationError, OperationOutput, ResponseMeta, Service,
    ServiceError,
};

pub static SERVICE: Service = Service {
    product: "Ecs",
    version: "2014-05-26",
    endpoint: EndpointRule {
        regional: Some("ecs.{region_id}.aliyuncs.com"),
        central: None,
        central_regions: &[],
        regions: &[],
        networks: &[("vpc", "ecs-vpc.{region_id}.aliyuncs.com")],
    },
    signature: SignatureVersion::V3,
};

pub static LIST: Operation = Operation {
    action: "DescribeImages",
    method: "POST",
    idempotency_token: None,
    read_only: true,
    anonymous: false,
};

/// A write with no idempotency token (ECS `RebootInstance` has none): not safe to send twice.
pub static DELETE: Operation = Operation {
    action: "DeleteImage",
    method: "POST",
    idempotency_token: None,
    read_only: false,
    anonymous: false,
};

pub static CREATE: Operation = Operation {
    action: "CreateImage",
    method: "POST",
    idempotency_token: Some("ClientToken"),
    read_only: false,
    anonymous: false,
};

pub const ACCESS_KEY_ID: &str = "test-access-key-id";
pub const ACCESS_KEY_SECRET: &str = "test-access-key-secret-value";
pub const SECURITY_TOKEN: &str = "test-sts-token-value";

/// A request like a generated one: region, paging, a client token, a body parameter and a
/// secret.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub region_id: String,
    pub page_number: Option<i64>,
    pub page_size: Option<i64>,
    pub client_token: Option<String>,
    pub description: Option<String>,
    pub password: Option<String>,
}

impl ListRequest {
    pub fn new() -> Self {
        ListRequest {
            region_id: "cn-hangzhou".to_owned(),
            ..Self::default()
        }
    }
}

impl WriteParams for ListRequest {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", &self.region_id);
        params.plain_opt(Location::Query, "PageNumber", &self.page_number);
        params.plain_opt(Location::Query, "PageSize", &self.page_size);
        params.plain_opt(Location::Query, "ClientToken", &self.client_token);
        params.plain_opt(Location::Body, "Description", &self.description);
        params.secret_opt(Location::Query, "Password", &self.password);
    }
}

impl PagedRequest for ListRequest {
    fn page_number(&self) -> Option<i64> {
        self.page_number
    }
    fn set_page_number(&mut self, page: i64) {
        self.page_number = Some(page);
    }
    fn page_size(&self) -> Option<i64> {
        self.page_size
    }
}

impl acs_runtime::Request for ListRequest {
    fn operation() -> &'static Operation {
        &LIST
    }
    type Client = ();
    type Output = ListResponse;
    type Error = ListError;
    fn validate(&self) -> Result<(), acs_runtime::validate::BuildError> {
        Ok(())
    }
}

/// A response like a generated one.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListResponse {
    // Decoded as a generated response decodes it, though no test reads it.
    #[allow(dead_code)]
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
    #[serde(rename = "TotalCount")]
    pub total_count: Option<i64>,
    #[serde(rename = "PageSize")]
    pub page_size: Option<i64>,
    #[serde(rename = "Items", default)]
    pub items: Vec<String>,
    #[serde(skip)]
    pub meta: ResponseMeta,
}

impl OperationOutput for ListResponse {
    fn set_meta(&mut self, meta: ResponseMeta) {
        self.meta = meta;
    }
}

impl PagedResponse for ListResponse {
    type Item = String;
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
    fn page_size(&self) -> Option<i64> {
        self.page_size
    }
    fn items(&self) -> &[String] {
        &self.items
    }
    fn into_items(self) -> Vec<String> {
        self.items
    }
}

/// An operation error like a generated one: documented codes, then everything else.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// `InvalidRegionId.NotFound`: the region does not exist.
    #[error("the region does not exist: {0}")]
    InvalidRegionId(ServiceError),
    /// `InvalidParameter.%s`: a parameter is invalid.
    #[error("a parameter is invalid: {0}")]
    InvalidParameter(ServiceError),
    /// Any other code.
    #[error("{0}")]
    Unhandled(ServiceError),
}

impl OperationError for ListError {
    fn from_service(err: ServiceError) -> Self {
        match err.code() {
            "InvalidRegionId.NotFound" => ListError::InvalidRegionId(err),
            code if code.starts_with("InvalidParameter.") => ListError::InvalidParameter(err),
            _ => ListError::Unhandled(err),
        }
    }

    fn service_error(&self) -> &ServiceError {
        match self {
            ListError::InvalidRegionId(err)
            | ListError::InvalidParameter(err)
            | ListError::Unhandled(err) => err,
        }
    }
}

/// The instant every test request is signed at.
pub fn fixed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// Nonces `nonce-0`, `nonce-1`, ... in the order they are asked for.
pub fn counting_nonces() -> impl Fn() -> String + Send + Sync + 'static {
    let counter = Arc::new(AtomicU64::new(0));
    move || format!("nonce-{}", counter.fetch_add(1, Ordering::SeqCst))
}

/// A retry policy with short, seeded backoffs.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(10))
        .with_max_backoff(Duration::from_millis(100))
        .with_jitter_seed(42)
}

/// A config builder with fixed credentials, clock and nonces over `transport`.
pub fn builder(transport: &Arc<InMemoryTransport>) -> ConfigBuilder {
    Config::builder()
        .credentials(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .region("cn-hangzhou")
        .transport(transport.clone())
        .clock(fixed_time)
        .nonce_source(counting_nonces())
        .retry_policy(fast_retries())
}

/// A JSON success body with `items`, and `TotalCount` when given.
pub fn page_body(request_id: &str, total: Option<i64>, items: &[&str]) -> String {
    let mut body = serde_json::json!({ "RequestId": request_id, "Items": items });
    if let (Some(total), Some(fields)) = (total, body.as_object_mut()) {
        fields.insert("TotalCount".to_owned(), total.into());
    }
    body.to_string()
}

pub fn ok(body: impl Into<String>) -> Result<HttpResponse, acs_runtime::http::TransportError> {
    Ok(HttpResponse::new(200, body.into()).with_header("content-type", "application/json"))
}

pub fn error_body(code: &str, request_id: &str) -> String {
    serde_json::json!({
        "RequestId": request_id,
        "HostId": "ecs.cn-hangzhou.aliyuncs.com",
        "Code": code,
        "Message": format!("{code} happened"),
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}"),
    })
    .to_string()
}

/// The value of query parameter `name` of a request, still percent-encoded.
pub fn query_param(request: &HttpRequest, name: &str) -> Option<String> {
    request.query().split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

/// Makes every thread of this test binary see a subscriber before a test installs its own.
///
/// `tracing` decides once per call site, process-wide, whether anyone listens, and asks the
/// thread that reaches it first: a test with no subscriber of its own would answer "never" for
/// every thread, and a test that captures logs with `set_default` would then see nothing of that
/// site. A global registry with no layers listens to everything and writes nothing, so the
/// answer is never "never" and each event is routed to whatever the thread has installed.
pub fn listen_on_every_thread() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Set once, here; another global default (none in this binary) would serve as well.
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    });
}
