//! The AccessKey secret and the security token never reach anything the SDK prints.
//!
//! With credentials whose secret and token are distinctive strings, this collects every text the
//! SDK can produce: `Debug` of the config, credentials, providers and clients, of requests and
//! responses at every level (generated types, signed HTTP exchanges, signatures), `Display` and
//! `Debug` of every kind of error (build, missing and broken credentials, service errors
//! including bodies that echo the signed request, transport failures, timeouts, decode errors,
//! retries given up), and everything logged at TRACE level during real calls against the local
//! gateway, V3 and V2, with a retry. Neither secret nor token, raw or percent-encoded, may appear
//! in any of it; the AccessKey id may (and does, which shows the texts were really collected).

use std::io::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use acs_ens as ens;
use acs_runtime::credentials::{
    Credentials, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN,
};
use acs_runtime::credentials::{
    CredentialsChain, Environment, EnvironmentProvider, ProfileProvider, ProvideCredentials,
};
use acs_runtime::http::{HttpRequest, HttpTransport, HyperTransport, TransportFuture};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::sign::{self, SignatureVersion, SigningContext, SigningRequest};
use acs_runtime::{Config, SdkError};
use acs_swas_open as swas_open;
use acs_test_gateway::{Fault, Response, TestServer};
use acs_test_support::log_buffer::LogBuffer;
use serde_json::json;

const ACCESS_KEY_ID: &str = "LTAI-visible-key-id";
/// Distinctive, and full of characters that percent-encoding changes.
const SECRET: &str = "s3cr3t-QzX9/never+shown=";
const TOKEN: &str = "st5-t0k3n-Wv7/never+shown==";

/// Every form in which a secret could slip out: raw, percent-encoded once and twice (a V2
/// string to sign encodes the query again), and the distinctive cores alone.
fn forbidden() -> Vec<String> {
    let mut out = Vec::new();
    for secret in [SECRET, TOKEN] {
        let once = acs_runtime::wire::percent_encode(secret);
        let twice = acs_runtime::wire::percent_encode(&once);
        out.extend([secret.to_owned(), once, twice]);
    }
    out.extend(["s3cr3t-QzX9".to_owned(), "st5-t0k3n-Wv7".to_owned()]);
    out
}

/// Everything collected, by where it came from.
#[derive(Default)]
struct Collected(Vec<(String, String)>);

impl Collected {
    fn add(&mut self, label: impl Into<String>, text: impl Into<String>) {
        self.0.push((label.into(), text.into()));
    }

    fn debug(&mut self, label: &str, value: &impl std::fmt::Debug) {
        self.add(format!("Debug of {label}"), format!("{value:?}"));
        self.add(format!("pretty Debug of {label}"), format!("{value:#?}"));
    }

    fn error(&mut self, label: &str, error: &impl std::error::Error) {
        self.debug(label, error);
        // The whole chain, as `anyhow`-style reports print it.
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        self.add(format!("Display chain of {label}"), chain);
    }
}

/// A transport that hands every request to another and keeps what `Debug` shows of both sides.
#[derive(Debug)]
struct Recording {
    inner: Arc<dyn HttpTransport>,
    shown: Arc<Mutex<Vec<String>>>,
    raw_requests: Arc<Mutex<Vec<HttpRequest>>>,
}

impl HttpTransport for Recording {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let shown = Arc::clone(&self.shown);
        let raw = Arc::clone(&self.raw_requests);
        Box::pin(async move {
            shown
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(format!("{request:?} / {request:#?}"));
            raw.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(request.clone());
            let result = self.inner.send(request).await;
            let text = match &result {
                Ok(response) => format!("{response:?}"),
                Err(error) => format!("{error} / {error:?}"),
            };
            shown
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(text);
            result
        })
    }
}

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, SECRET).with_security_token(TOKEN)
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

fn config(endpoint: &str, version: SignatureVersion, transport: Arc<dyn HttpTransport>) -> Config {
    Config::builder()
        .credentials(credentials())
        .region("cn-hangzhou")
        .endpoint(endpoint)
        .signature_version(version)
        .retry_policy(quick_retries())
        .transport(transport)
        .build()
        .unwrap_or_else(|e| panic!("config: {e}"))
}

/// A directory of its own under the system's temporary directory, removed when dropped.
struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    fn new(name: &str) -> Self {
        let unique = format!(
            "acs-secrets-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        );
        let dir = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(dir.join(".aliyun")).unwrap_or_else(|e| panic!("{e}"));
        ScratchDir(dir)
    }

    fn profile(&self, contents: &str) -> std::path::PathBuf {
        let path = self.0.join(".aliyun").join("config.json");
        let mut file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        file.write_all(contents.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // Best effort: a leftover file in the temporary directory harms nothing.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Credentials that cannot be had, or are broken, in every way the providers report.
async fn credential_failures(c: &mut Collected) {
    let with_secret_only =
        Environment::from_vars([(ENV_ACCESS_KEY_SECRET, SECRET), (ENV_SECURITY_TOKEN, TOKEN)]);
    let with_token_only = Environment::from_vars([(ENV_SECURITY_TOKEN, TOKEN)]);
    let with_id_only = Environment::from_vars([(ENV_ACCESS_KEY_ID, ACCESS_KEY_ID)]);
    for (label, env) in [
        ("secret and token without id", with_secret_only),
        ("token alone", with_token_only),
        ("id alone", with_id_only),
    ] {
        let provider = EnvironmentProvider::new(env.clone());
        c.debug(&format!("environment provider ({label})"), &provider);
        c.debug(&format!("environment ({label})"), &env);
        if let Err(e) = provider.load() {
            c.error(&format!("environment credentials error ({label})"), &e);
        }
        match Config::from_environment(env.with_home_dir("/nonexistent-home")).await {
            Ok(config) => c.debug(&format!("config from environment ({label})"), &config),
            Err(e) => c.error(&format!("config from environment error ({label})"), &e),
        }
    }
    let full = Environment::from_vars([
        (ENV_ACCESS_KEY_ID, ACCESS_KEY_ID),
        (ENV_ACCESS_KEY_SECRET, SECRET),
        (ENV_SECURITY_TOKEN, TOKEN),
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
    ]);
    let chain = CredentialsChain::default_chain(Some(credentials()), full.clone());
    c.debug("default credentials chain", &chain);
    match chain.provide_credentials().await {
        Ok(found) => c.debug("credentials from the chain", &found),
        Err(e) => c.error("credentials chain error", &e),
    }
    match Config::from_environment(full).await {
        Ok(config) => c.debug("config from a full environment", &config),
        Err(e) => c.error("config from a full environment", &e),
    }
    match CredentialsChain::new().provide_credentials().await {
        Ok(found) => c.debug("credentials from an empty chain", &found),
        Err(e) => c.error("empty chain error", &e),
    }

    // CLI profile files that hold the secret and the token but cannot be used as they are.
    let dir = ScratchDir::new("profiles");
    let profiles = [
        (
            "profile not JSON",
            format!(
                "{{\"profiles\": [{{\"access_key_secret\": \"{SECRET}\", \"sts_token\": \"{TOKEN}\" oops"
            ),
        ),
        (
            "profile with a secret of the wrong type",
            format!(
                "{{\"current\": \"p\", \"profiles\": [{{\"name\": \"p\", \"mode\": \"AK\", \"access_key_id\": [\"{SECRET}\"], \"access_key_secret\": {{\"v\": \"{SECRET}\"}}}}]}}"
            ),
        ),
        (
            "profile with an unsupported mode",
            format!(
                "{{\"current\": \"p\", \"profiles\": [{{\"name\": \"p\", \"mode\": \"CloudSSO\", \"access_key_id\": \"{ACCESS_KEY_ID}\", \"access_key_secret\": \"{SECRET}\", \"sts_token\": \"{TOKEN}\"}}]}}"
            ),
        ),
        (
            "profile without its token",
            format!(
                "{{\"current\": \"p\", \"profiles\": [{{\"name\": \"p\", \"mode\": \"StsToken\", \"access_key_id\": \"{ACCESS_KEY_ID}\", \"access_key_secret\": \"{SECRET}\"}}]}}"
            ),
        ),
        (
            "profile that is complete",
            format!(
                "{{\"current\": \"p\", \"profiles\": [{{\"name\": \"p\", \"mode\": \"StsToken\", \"access_key_id\": \"{ACCESS_KEY_ID}\", \"access_key_secret\": \"{SECRET}\", \"sts_token\": \"{TOKEN}\"}}]}}"
            ),
        ),
        (
            "profile named as current is missing",
            format!(
                "{{\"current\": \"other\", \"profiles\": [{{\"name\": \"p\", \"mode\": \"AK\", \"access_key_id\": \"{ACCESS_KEY_ID}\", \"access_key_secret\": \"{SECRET}\"}}]}}"
            ),
        ),
    ];
    for (label, contents) in profiles {
        let path = dir.profile(&contents);
        // The metadata service stays out of reach of every chain built here.
        let no_metadata = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
        let provider =
            ProfileProvider::new(Environment::from_vars([("HOME", "/nowhere"), no_metadata]))
                .with_path(&path);
        c.debug(&format!("profile provider ({label})"), &provider);
        match provider.provide_credentials().await {
            Ok(found) => c.debug(&format!("credentials ({label})"), &found),
            Err(e) => c.error(&format!("profile error ({label})"), &e),
        }
        let env = Environment::from_vars([("HOME", "/nowhere"), no_metadata]).with_home_dir(&dir.0);
        match acs_runtime::credentials::default_region(&env).await {
            Ok(region) => c.add(format!("default region ({label})"), format!("{region:?}")),
            Err(e) => c.error(&format!("default region error ({label})"), &e),
        }
        match Config::from_environment(env).await {
            Ok(config) => c.debug(&format!("config ({label})"), &config),
            Err(e) => c.error(&format!("config error ({label})"), &e),
        }
    }
}

#[tokio::test]
async fn neither_the_secret_nor_the_token_appears_in_anything_the_sdk_prints() {
    crate::support::listen_on_every_thread();
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let mut c = Collected::default();

    // Credentials, signatures and config, without any call.
    let creds = credentials();
    c.debug("credentials", &creds);
    c.add("Display of credentials", creds.to_string());
    c.debug(
        "credentials as a provider",
        &(Arc::new(creds.clone()) as Arc<dyn ProvideCredentials>),
    );
    let query = vec![("RegionId".to_owned(), "cn-hangzhou".to_owned())];
    let request = SigningRequest {
        method: "POST",
        host: "ecs.cn-hangzhou.aliyuncs.com",
        path: "/",
        query: (&query).into(),
        form: Default::default(),
        headers: &[],
        body: b"",
    };
    let context = SigningContext {
        credentials: &creds,
        date: time::OffsetDateTime::UNIX_EPOCH,
        nonce: "nonce-1",
        action: "DescribeImages",
        version: "2014-05-26",
    };
    c.debug("signing context", &context);
    c.debug("signing request", &request);
    for version in [SignatureVersion::V3, SignatureVersion::V2] {
        c.debug(
            &format!("{version:?} signed request"),
            &sign::sign(version, &request, &context),
        );
    }
    c.debug("V3 signature", &sign::v3::sign(&request, &context));
    c.debug("V2 signature", &sign::v2::sign(&request, &context));

    let server = TestServer::builder()
        .credential(ACCESS_KEY_ID, SECRET)
        .with_token(TOKEN)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    server.respond(
        "DescribeSelfImages",
        200,
        json!({"Images": {"Image": [{"ImageId": "m-1", "ImageSize": {"odd": true}}]}, "TotalCount": 1}),
    );
    // The real gateway quotes its string to sign on a signature mismatch; with V2 that holds the
    // token. A proxy's error page may quote the request line and headers.
    server.respond_with("ListCustomImages", |request| {
        if request
            .param("InstanceId")
            .is_some_and(|id| id.starts_with("proxy"))
        {
            // What a debugging proxy's page shows first: the credential-bearing header and
            // query pair, within the excerpt an error keeps.
            let mut lines: Vec<String> = request
                .headers
                .iter()
                .filter(|(name, _)| name.contains("token"))
                .map(|(name, value)| format!("{name}: {value}"))
                .collect();
            lines.extend(
                request
                    .raw_query
                    .split('&')
                    .filter(|pair| pair.starts_with("SecurityToken"))
                    .map(str::to_owned),
            );
            // `InstanceId=proxy-200`: a captive portal answers 200 with the same page, which
            // is then a decode error rather than a service error.
            let status = if request.param("InstanceId") == Some("proxy-200") { 200 } else { 502 };
            Response::raw(
                status,
                "text/html",
                format!(
                    "<html><body>502 Bad Gateway<br>{}<br>POST /?{}</body></html>",
                    lines.join("<br>"),
                    request.raw_query
                ),
            )
        } else {
            Response::error(
                400,
                "SignatureDoesNotMatch",
                format!(
                    "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&{}",
                    acs_runtime::wire::percent_encode(&request.raw_query)
                ),
            )
        }
    });

    let shown = Arc::new(Mutex::new(Vec::new()));
    let raw_requests = Arc::new(Mutex::new(Vec::new()));
    // A read limit that a quick answer meets on a busy machine, and the timeout case's held
    // answer never does.
    let real = HyperTransport::new(crate::support::PATIENT, Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("{e}"));
    let transport: Arc<dyn HttpTransport> = Arc::new(Recording {
        inner: Arc::new(real),
        shown: Arc::clone(&shown),
        raw_requests: Arc::clone(&raw_requests),
    });

    for version in [SignatureVersion::V3, SignatureVersion::V2] {
        let v = format!("{version:?}");
        let cfg = config(&server.endpoint(), version, Arc::clone(&transport));
        c.debug(&format!("{v} config"), &cfg);
        let ens_client = ens::Client::new(cfg.clone());
        c.debug(&format!("{v} ENS client"), &ens_client);
        c.debug(&format!("{v} client's config"), ens_client.config());

        // A full call with a retry: throttled once, then answered (with one malformed field).
        server.inject(Fault::throttling());
        let builder = ens_client.describe_self_images().image_name("img");
        c.debug(&format!("{v} fluent builder"), &builder);
        let response = builder
            .send()
            .await
            .unwrap_or_else(|e| panic!("{v}: the call failed: {e}"));
        c.debug(&format!("{v} response"), &response);
        c.debug(&format!("{v} response meta"), response.meta());
        c.add(
            format!("{v} response as JSON"),
            serde_json::to_string(&response).unwrap_or_default(),
        );
        let request = ens::DescribeSelfImagesRequest::builder()
            .image_name("img")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        c.debug(&format!("{v} request"), &request);

        // Errors of every kind.
        let swas = swas_open::Client::new(cfg.clone());
        let mismatch = swas
            .list_custom_images()
            .region_id("cn-hangzhou")
            .send()
            .await
            .err()
            .unwrap_or_else(|| panic!("{v}: the signature mismatch answer was taken for success"));
        c.error(
            &format!("{v} service error quoting the string to sign"),
            &mismatch,
        );
        let proxy = swas
            .list_custom_images()
            .region_id("cn-hangzhou")
            .instance_id("proxy")
            .send()
            .await
            .err()
            .unwrap_or_else(|| panic!("{v}: the proxy page was taken for success"));
        c.error(&format!("{v} proxy page quoting the request"), &proxy);
        let portal = swas
            .list_custom_images()
            .region_id("cn-hangzhou")
            .instance_id("proxy-200")
            .send()
            .await
            .err()
            .unwrap_or_else(|| panic!("{v}: the portal page was taken for a response"));
        assert!(
            matches!(portal, acs_runtime::SdkError::Decode { .. }),
            "{v}: {portal:?}"
        );
        c.error(&format!("{v} 200 portal page quoting the request"), &portal);
        let build = swas
            .list_custom_images()
            .region_id("cn-hangzhou")
            .set_tag(vec![swas_open::Tag::new().key("k").value("v"); 101])
            .send()
            .await
            .err()
            .unwrap_or_else(|| panic!("{v}: 101 tags were accepted"));
        c.error(&format!("{v} build error"), &build);

        for (label, fault) in [
            ("non-JSON body", Fault::NonJson),
            ("dropped connection", Fault::DroppedConnection),
            ("truncated body", Fault::TruncatedBody),
            ("timeout", Fault::slow(Duration::from_secs(3600))),
            ("HTML error page", Fault::HtmlErrorPage),
        ] {
            // Enough of the fault for every attempt of the retry policy.
            for _ in 0..3 {
                server.inject(fault.clone());
            }
            match ens_client.describe_self_images().send().await {
                Ok(response) => c.debug(&format!("{v} response after {label}"), &response),
                Err(e) => c.error(&format!("{v} {label}"), &e),
            }
            // Take the faults the call left over, so that the next case starts clean.
            for _ in 0..3 {
                if server.pending_faults() == 0 {
                    break;
                }
                let _ = ens_client.describe_self_images().send().await;
            }
            assert_eq!(server.pending_faults(), 0, "{v} {label}: faults left over");
        }

        let refused = ens::Client::new(config(
            "http://127.0.0.1:1",
            version,
            Arc::clone(&transport),
        ));
        let err = refused
            .describe_self_images()
            .send()
            .await
            .err()
            .unwrap_or_else(|| panic!("{v}: a closed port answered"));
        c.error(&format!("{v} connection refused"), &err);

        let no_credentials = Config::builder()
            .credentials_provider(Arc::new(CredentialsChain::new()))
            .endpoint(server.endpoint())
            .transport(Arc::clone(&transport))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let err = ens::Client::new(no_credentials)
            .describe_self_images()
            .send()
            .await
            .err()
            .unwrap_or_else(|| panic!("{v}: a call without credentials succeeded"));
        c.error(&format!("{v} credentials missing"), &err);
        assert!(matches!(err, SdkError::Credentials(_)), "{err}");
    }

    credential_failures(&mut c).await;

    // The gateway saw the token (so it really was in use), and verified the calls.
    let seen = server.requests();
    assert!(seen.iter().any(|r| r.verified()));
    assert!(
        seen.iter()
            .any(|r| r.header("x-acs-security-token") == Some(TOKEN)),
        "no V3 request carried the token"
    );
    assert!(
        seen.iter().any(|r| r.param("SecurityToken") == Some(TOKEN)),
        "no V2 request carried the token"
    );
    assert!(
        raw_requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|r| r.url.contains("SecurityToken=")),
        "the V2 URLs were not recorded"
    );
    server.shutdown().await;

    for (i, text) in shown
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .enumerate()
    {
        c.add(format!("Debug of HTTP exchange {i}"), text.clone());
    }
    let log = logs.text();
    assert!(log.contains("acs_call"), "no call was logged:\n{log}");
    assert!(log.contains("retrying"), "the retry was not logged");
    c.add("TRACE log", log);

    let forbidden = forbidden();
    let mut leaks = Vec::new();
    let mut bytes = 0;
    for (label, text) in &c.0 {
        bytes += text.len();
        for secret in &forbidden {
            if let Some(at) = text.find(secret.as_str()) {
                let start = text[..at]
                    .char_indices()
                    .rev()
                    .nth(80)
                    .map_or(0, |(i, _)| i);
                let end = (at + secret.len() + 40).min(text.len());
                let end = (end..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(text.len());
                leaks.push(format!(
                    "{label}: contains {secret:?}: …{}…",
                    &text[start..end]
                ));
            }
        }
    }
    let id_seen =
        c.0.iter()
            .filter(|(_, t)| t.contains(ACCESS_KEY_ID))
            .count();
    println!(
        "secrets: {} texts collected ({bytes} bytes, TRACE log included), {} forbidden forms searched, AccessKey id visible in {id_seen}, leaks {}",
        c.0.len(),
        forbidden.len(),
        leaks.len()
    );
    assert!(
        id_seen > 0,
        "the AccessKey id appears nowhere: the texts were not collected"
    );
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

/// A body that quotes the V3 token header (`x-acs-security-token: ...`), as a debugging proxy's
/// error page does, must not carry the token into the error's excerpt. Only the V2 form
/// (`SecurityToken=...`) is blanked today.
#[test]
fn an_error_body_quoting_the_v3_token_header_does_not_show_the_token() {
    let body = format!(
        "<html><body>502 Bad Gateway<br>x-acs-security-token: {TOKEN}<br>host: ecs.aliyuncs.com</body></html>"
    );
    let error =
        acs_runtime::ServiceError::from_response(&acs_runtime::http::HttpResponse::new(502, body));
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(TOKEN), "the token is shown: {shown}");
    }
}
