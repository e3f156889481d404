//! The `ListCustomImages` request of the signing and whole-call benchmarks: the caller's data,
//! the builder calls that set every documented parameter, and a client that signs with fixed
//! credentials.

use acs_runtime::credentials::Credentials;
use acs_runtime::validate::BuildError;
use acs_swas_open as swas_open;

/// The region every benchmark request goes to.
pub const REGION: &str = "cn-hangzhou";
/// An AccessKey ID of the documented shape; nothing is ever sent.
pub const ACCESS_KEY_ID: &str = "LTAI5tBenchKeyId9Xz3QpR7";
/// A made-up AccessKey secret of the documented length (30 characters); nothing is ever sent.
pub const ACCESS_KEY_SECRET: &str = "BenchSecretOnlyForHashing0123";
/// The fixed signature nonce (32 hex digits, as [`acs_runtime::sign::fresh_nonce`] makes them).
pub const NONCE: &str = "5f1c0e8a9b7d4c3e2a1f0e9d8c7b6a55";
/// The fixed signing time, 2024-05-01T08:00:00Z, as Unix seconds.
pub const SIGNING_UNIX_TIME: i64 = 1_714_550_400;

/// The credentials every benchmark signs with.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
}

/// What a caller holds before building a `ListCustomImages` request: borrowed text, so that the
/// benchmark pays for copying it into the request as a real caller does.
#[derive(Debug, Clone)]
pub struct ListCustomImagesInput {
    /// 100 image IDs (the documented maximum).
    pub image_ids: Vec<String>,
    /// 10 image names.
    pub image_names: Vec<String>,
    /// 20 tags (the documented maximum) as `(key, value)`.
    pub tags: Vec<(String, String)>,
}

impl Default for ListCustomImagesInput {
    fn default() -> Self {
        ListCustomImagesInput {
            image_ids: (0..100)
                .map(|i| format!("fe9c66133a9d4688872869726b52{i:04x}"))
                .collect(),
            image_names: (0..10).map(|i| format!("custom-image-{i:02}")).collect(),
            tags: (0..20)
                .map(|i| (format!("TestKey{i:02}"), format!("TestValue {i:02}/env")))
                .collect(),
        }
    }
}

/// Sets every documented `ListCustomImages` parameter on a builder: the request builder and the
/// client's fluent builder have the same setters, and the benchmarks use both.
macro_rules! fill_list_custom_images {
    ($builder:expr, $input:expr) => {{
        let input: &ListCustomImagesInput = $input;
        let mut builder = $builder
            .region_id(REGION)
            .client_token("123e4567-e89b-12d3-a456-426655440000")
            .page_size(100)
            .page_number(1)
            .system_snapshot_id("s-bp14m09pq8example0g6")
            .data_snapshot_id("s-acscascaexample")
            .resource_group_id("rg-aek2bti7cf7yj2i")
            .share(false)
            .instance_id("ace0706b2ac4454d984295a94213abcd");
        for id in &input.image_ids {
            builder = builder.image_ids(id.as_str());
        }
        for name in &input.image_names {
            builder = builder.image_names(name.as_str());
        }
        for (key, value) in &input.tags {
            builder = builder.tag(
                swas_open::Tag::new()
                    .key(key.as_str())
                    .value(value.as_str()),
            );
        }
        builder
    }};
}

/// Builds and validates a `ListCustomImages` request with every documented parameter set.
pub fn list_custom_images(
    input: &ListCustomImagesInput,
) -> Result<swas_open::ListCustomImagesRequest, BuildError> {
    fill_list_custom_images!(swas_open::ListCustomImagesRequest::builder(), input).build()
}

/// A `SWAS-OPEN` client that signs with [`credentials`] for [`REGION`] and sends through
/// `transport`.
pub fn swas_client(
    transport: std::sync::Arc<dyn acs_runtime::http::HttpTransport>,
) -> Result<swas_open::Client, acs_runtime::client::ConfigError> {
    let config = acs_runtime::Config::builder()
        .credentials(credentials())
        .region(REGION)
        .transport(transport)
        .build()?;
    Ok(swas_open::Client::new(config))
}

/// One whole `ListCustomImages` call as a user makes it: the fluent builder with every
/// documented parameter, then `send()` (build and validate, write, sign, send, decode).
pub async fn call_list_custom_images(
    client: &swas_open::Client,
    input: &ListCustomImagesInput,
) -> Result<
    swas_open::ListCustomImagesResponse,
    acs_runtime::SdkError<swas_open::ListCustomImagesError>,
> {
    fill_list_custom_images!(client.list_custom_images(), input)
        .send()
        .await
}
