//! What the end-to-end tests of the generated SDK share: a gateway and a client configured for
//! it, the sample responses of the specs, and checks of what arrived on the wire.

use std::time::Duration;

use acs_ecs as ecs;
use acs_runtime::credentials::Credentials;
use acs_runtime::retry::RetryPolicy;
use acs_runtime::{Config, ConfigBuilder, SdkError, Sender, ServiceError};
use acs_test_gateway::{Fault, RecordedRequest, Response, SignatureKind, TestServer};
use serde_json::{Value, json};

/// The AccessKey the gateway accepts and the client signs with.
pub const ACCESS_KEY_ID: &str = "LTAI5tE2eTestKeyId";
/// Its secret: it must never appear in an error, a log line or a `Debug` output.
pub const ACCESS_KEY_SECRET: &str = "e2e-secret-Zq8vPk3nR7wX";
/// An STS token for the tests of temporary credentials; as secret as the secret.
pub const SECURITY_TOKEN: &str = "e2e-sts-token-CAIS9xY2kL0pQ";

/// The spec files, relative to `specs/`.
pub const ECS_SPEC: &str = "ecs-2014-05-26.yaml";
/// SWAS-OPEN ListCustomImages.
pub const SWAS_SPEC: &str = "swas-open-2020-06-01.yaml";
/// ENS DescribeSelfImages.
pub const ENS_SPEC: &str = "ens-2017-11-10.yaml";
/// appstream-center ListImage.
pub const APPSTREAM_SPEC: &str = "appstream-center-2021-09-01.yaml";

/// The V2 common parameters: sent beside the operation's own, and checked apart from them.
pub const V2_COMMON_PARAMS: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

/// A gateway accepting [`ACCESS_KEY_ID`], on 127.0.0.1 and an OS-picked port.
pub async fn gateway() -> TestServer {
    TestServer::builder()
        .credential(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .start()
        .await
        .expect("the gateway starts on 127.0.0.1")
}

/// A gateway serving from a runtime on a thread of its own: for the blocking client's tests on
/// plain threads, which have no runtime to serve it. It stops when dropped.
pub struct GatewayThread {
    server: Option<TestServer>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::ops::Deref for GatewayThread {
    type Target = TestServer;

    fn deref(&self) -> &TestServer {
        self.server
            .as_ref()
            .expect("the gateway runs until dropped")
    }
}

impl Drop for GatewayThread {
    fn drop(&mut self) {
        // The server's own shutdown runs on its runtime, which the stop signal ends.
        drop(self.server.take());
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// [`gateway`], serving from a thread of its own (see [`GatewayThread`]).
pub fn gateway_thread() -> GatewayThread {
    let (started, server) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the gateway's runtime starts");
        runtime.block_on(async move {
            let _ = started.send(gateway().await);
            let _ = stopped.await;
        });
    });
    let server = server
        .recv()
        .expect("the gateway thread starts the gateway");
    GatewayThread {
        server: Some(server),
        stop: Some(stop),
        thread: Some(thread),
    }
}

/// A gateway accepting [`ACCESS_KEY_ID`] only with [`SECURITY_TOKEN`].
pub async fn sts_gateway() -> TestServer {
    TestServer::builder()
        .credential(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .with_token(SECURITY_TOKEN)
        .start()
        .await
        .expect("the gateway starts on 127.0.0.1")
}

/// The page number each page of a DescribeImages walk says it is.
pub fn page_numbers(pages: &[acs_ecs::DescribeImagesResponse]) -> Vec<Option<i32>> {
    pages.iter().map(|page| page.page_number).collect()
}

/// Answers every DescribeImages with ECS's documented
/// `InvalidImageOwnerAlias.ValueNotSupported` error (HTTP 400).
pub fn answer_with_a_documented_error(server: &TestServer) {
    server.respond_with("DescribeImages", |_| {
        Response::error(
            400,
            "InvalidImageOwnerAlias.ValueNotSupported",
            "The specified ImageOwnerAlias value is not supported.",
        )
    });
}

/// The service error behind `err`, which must be the documented error
/// [`answer_with_a_documented_error`] answers with, sorted into its own variant and with its
/// HTTP status.
pub fn documented_error_of(err: &SdkError<ecs::DescribeImagesError>) -> &ServiceError {
    let SdkError::Service(ecs::DescribeImagesError::InvalidImageOwnerAliasValueNotSupported(
        service,
    )) = err
    else {
        panic!("expected InvalidImageOwnerAliasValueNotSupported, got {err:?}");
    };
    assert_eq!(service.status(), 400);
    service
}

/// The two requests of a call whose first attempt met `fault` and whose retry succeeded, each
/// checked with [`assert_v3_verified`]: only the first met a fault.
pub fn retried_once_past(server: &TestServer, fault: Fault) -> Vec<RecordedRequest> {
    let requests = all_v3_verified(server);
    assert_eq!(requests.len(), 2, "one attempt met {fault:?}, one retry");
    assert_eq!(requests[0].fault, Some(fault));
    assert_eq!(requests[1].fault, None);
    requests
}

/// A DescribeImages walk over cn-hangzhou, two images a page, from page 1: a `Stream` from the
/// async client, an `Iterator` from the blocking one.
pub fn two_images_a_page<C: Sender>(
    client: &ecs::Client<C>,
) -> C::Paginator<ecs::DescribeImagesRequest> {
    client
        .describe_images()
        .region_id("cn-hangzhou")
        .page_size(2)
        .into_paginator()
}

/// Up to `attempts` attempts with backoffs of a few milliseconds, so the suite stays fast.
pub fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::from_millis(2))
        .with_max_backoff(Duration::from_millis(10))
}

/// Connect, read and attempt limits that no machine reaches on loopback, however busy: a test
/// about a limit sets that limit itself, and no other test's verdict depends on how fast the
/// gateway is scheduled.
pub const PATIENT: Duration = Duration::from_secs(600);

/// A configuration pointing at `server`, signing with the test AccessKey, three quick attempts,
/// and [`PATIENT`] limits.
pub fn config_for(server: &TestServer) -> ConfigBuilder {
    Config::builder()
        .credentials(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .region("cn-hangzhou")
        .endpoint(server.endpoint())
        .connect_timeout(PATIENT)
        .read_timeout(PATIENT)
        .timeouts(acs_runtime::TimeoutConfig::default().with_attempt_timeout(Some(PATIENT)))
        .retry_policy(quick_retries(3))
}

/// [`config_for`], built.
pub fn config(server: &TestServer) -> Config {
    config_for(server)
        .build()
        .expect("a configuration with an endpoint override builds")
}

/// The spec `file` (under `specs/`), parsed.
pub fn spec(file: &str) -> serde_yaml::Value {
    acs_test_gateway::specs::workspace_spec(file)
        .unwrap_or_else(|err| panic!("{err}"))
        .yaml
}

/// The operation `action` of the spec `file`.
pub fn operation(file: &str, action: &str) -> serde_yaml::Value {
    let spec = spec(file);
    spec["operations"]
        .as_sequence()
        .and_then(|ops| {
            ops.iter()
                .find(|op| op["action"].as_str() == Some(action))
                .cloned()
        })
        .unwrap_or_else(|| panic!("{file} has no operation {action}"))
}

/// The sample response `name` of `action` (the first when `None`), as the tests send it: the
/// page's body, or its repaired copy when the page's is not valid JSON.
pub fn sample_text(file: &str, action: &str, name: Option<&str>) -> String {
    let op = operation(file, action);
    let samples = op["samples"]
        .as_sequence()
        .unwrap_or_else(|| panic!("{file} {action} has no samples"));
    let sample = match name {
        Some(name) => samples
            .iter()
            .find(|sample| sample["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("{file} {action} has no sample {name}")),
        None => samples
            .first()
            .unwrap_or_else(|| panic!("{file} {action} has an empty sample list")),
    };
    let key = if sample["valid_json"].as_bool() == Some(false) {
        "repaired"
    } else {
        "body"
    };
    sample[key]
        .as_str()
        .unwrap_or_else(|| panic!("{file} {action} sample has no `{key}`"))
        .to_owned()
}

/// [`sample_text`], parsed.
pub fn sample_json(file: &str, action: &str, name: Option<&str>) -> Value {
    let text = sample_text(file, action, name);
    serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("the sample of {file} {action} is not JSON: {err}"))
}

/// An answer with exactly these bytes, as Alibaba's gateway labels JSON.
pub fn raw_json(body: impl Into<String>) -> Response {
    Response::raw(200, "application/json;charset=utf-8", body.into())
}

/// Where the spec sends the request parameter `name` of `action`: `query` or `body`.
pub fn spec_location(file: &str, action: &str, name: &str) -> String {
    let op = operation(file, action);
    let param = op["request"]
        .as_sequence()
        .and_then(|params| params.iter().find(|p| p["name"].as_str() == Some(name)))
        .unwrap_or_else(|| panic!("{file} {action} has no request parameter {name}"));
    param["location"].as_str().unwrap_or("query").to_owned()
}

fn sorted(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort();
    pairs
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// Checks that the gateway received exactly `expected` (wire names, decoded values) as the
/// operation's parameters, each in the query or the form body as the spec's `location:` says
/// for its top-level parameter (`Tag` for `Tag.1.Key`). V2 common parameters are left out.
pub fn assert_wire_params(
    request: &RecordedRequest,
    file: &str,
    action: &str,
    expected: &[(&str, &str)],
) {
    let mut expected_query = Vec::new();
    let mut expected_form = Vec::new();
    for (name, value) in owned(expected) {
        let top = name.split('.').next().unwrap_or(&name).to_owned();
        match spec_location(file, action, &top).as_str() {
            "body" => expected_form.push((name, value)),
            _ => expected_query.push((name, value)),
        }
    }
    let query = request
        .query
        .iter()
        .filter(|(name, _)| !V2_COMMON_PARAMS.contains(&name.as_str()))
        .cloned();
    assert_eq!(
        sorted(query),
        sorted(expected_query),
        "query parameters of {action} (raw query: {})",
        request.raw_query
    );
    assert_eq!(
        sorted(request.form.iter().cloned()),
        sorted(expected_form),
        "form body parameters of {action} (raw body: {:?})",
        String::from_utf8_lossy(&request.body)
    );
}

/// Checks that the request carried a V3 signature by the test AccessKey that the gateway
/// accepted, with every `x-acs-*` header and `host` signed.
pub fn assert_v3_verified(request: &RecordedRequest) {
    assert!(
        request.verified(),
        "the gateway rejected the request: {:?}",
        request.verdict
    );
    let SignatureKind::V3 {
        access_key_id,
        signed_headers,
    } = &request.signature
    else {
        panic!("expected a V3 signature, got {:?}", request.signature);
    };
    assert_eq!(access_key_id.as_deref(), Some(ACCESS_KEY_ID));
    for (name, _) in &request.headers {
        if name.starts_with("x-acs-") || name == "host" {
            assert!(
                signed_headers.contains(name),
                "header {name} is sent but not signed ({signed_headers:?})"
            );
        }
    }
}

/// Every request the gateway saw, each checked with [`assert_v3_verified`].
pub fn all_v3_verified(server: &TestServer) -> Vec<RecordedRequest> {
    let requests = server.requests();
    for request in &requests {
        assert_v3_verified(request);
    }
    requests
}

/// The items of an ECS-shaped page answer (`{"Images": {"Image": [...]}}`) built from the
/// sample's first image, renamed `m-<n>` for each `n` in `ids`.
pub fn ecs_images(ids: impl IntoIterator<Item = usize>) -> Vec<Value> {
    let sample = sample_json(ECS_SPEC, "DescribeImages", None);
    let template = sample["Images"]["Image"][0].clone();
    ids.into_iter()
        .map(|n| {
            let mut image = template.clone();
            image["ImageId"] = Value::from(format!("m-{n}"));
            image
        })
        .collect()
}

/// Fails if `text` shows the secret or the STS token.
pub fn assert_no_secrets(what: &str, text: &str) {
    assert!(
        !text.contains(ACCESS_KEY_SECRET),
        "{what} shows the AccessKey secret: {text}"
    );
    assert!(
        !text.contains(SECURITY_TOKEN),
        "{what} shows the security token: {text}"
    );
}

/// The page number a request asked for (1 when it named none).
pub fn page_of(request: &RecordedRequest) -> usize {
    request
        .param("PageNumber")
        .and_then(|page| page.parse().ok())
        .unwrap_or(1)
        // A page 0 would be a paginator bug; answer it as page 1 rather than panic in the server.
        .max(1)
}

/// The pages the gateway was asked for, in order, each request's V3 signature verified.
pub fn pages_asked(server: &TestServer) -> Vec<usize> {
    all_v3_verified(server).iter().map(page_of).collect()
}

/// An ECS listing of `total` images, `page_size` a page; `with_total` says whether the answer
/// carries `TotalCount`.
pub fn serve_ecs_listing(server: &TestServer, total: usize, with_total: bool) {
    server.respond_with("DescribeImages", move |request| {
        let page = page_of(request);
        let size = request
            .param("PageSize")
            .and_then(|size| size.parse().ok())
            .unwrap_or(10);
        let first = (page - 1) * size + 1;
        let last = (page * size).min(total);
        let mut body = json!({
            "RegionId": "cn-hangzhou",
            "PageNumber": page,
            "PageSize": size,
            "Images": {"Image": ecs_images(first..=last)},
        });
        if with_total {
            body["TotalCount"] = json!(total);
        }
        Response::ok(body)
    });
}

/// Serves the ECS sample for every DescribeImages.
pub fn serve_ecs_sample(server: &TestServer) {
    let body = sample_text(ECS_SPEC, "DescribeImages", None);
    server.respond_with("DescribeImages", move |_| raw_json(body.clone()));
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
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    });
}
