//! Fully populated requests and the signing the client does to them, short of the transport.
//!
//! The client's own `signed_request` is private, so [`SigningSetup::sign`] does the same steps
//! through the runtime's public API: form body, `content-type` when there is a body, and
//! [`acs_runtime::sign::sign`] over the query and form parameters. A fixed date and nonce make
//! every signature repeatable, so the floor can hash exactly the bytes the signer hashed.

use acs_appstream_center as appstream_center;
use acs_ecs as ecs;
use acs_runtime::credentials::Credentials;
use acs_runtime::endpoint::EndpointError;
use acs_runtime::sign::{self, SignatureVersion, SignedRequest, SigningContext, SigningRequest};
use acs_runtime::validate::BuildError;
use acs_runtime::wire::{self, Params, WriteParams};
use acs_runtime::{Operation, Service};
use acs_swas_open as swas_open;

pub use crate::list_custom_images::{
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, ListCustomImagesInput, NONCE, REGION, SIGNING_UNIX_TIME,
    call_list_custom_images, credentials, list_custom_images, swas_client,
};
use time::OffsetDateTime;

use crate::floor::FloorInput;

/// The media type of a form body, as the client sends it.
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// What a caller holds before building a `DescribeImages` request.
#[derive(Debug, Clone)]
pub struct DescribeImagesInput {
    /// 100 image IDs (the documented maximum), sent comma-joined.
    pub image_ids: Vec<String>,
    /// 5 tags (the documented maximum) as `(key, value)`.
    pub tags: Vec<(String, String)>,
}

impl Default for DescribeImagesInput {
    fn default() -> Self {
        DescribeImagesInput {
            image_ids: (0..100)
                .map(|i| format!("m-bp1g7004ksh0oeuc{i:04}"))
                .collect(),
            tags: (0..5)
                .map(|i| (format!("TestKey{i}"), format!("TestValue{i}")))
                .collect(),
        }
    }
}

/// Builds and validates a `DescribeImages` request with every documented parameter set.
pub fn describe_images(
    input: &DescribeImagesInput,
) -> Result<ecs::DescribeImagesRequest, BuildError> {
    let mut builder = ecs::DescribeImagesRequest::builder()
        .region_id(REGION)
        .status(ecs::ImageStatus::Available)
        .snapshot_id("s-bp1f3ma7xw0nfbk8example")
        .image_name("ubuntu_22_04_x64_20G_alibase_20240508.vhd")
        .image_owner_alias(ecs::ImageOwnerAlias::Self_)
        .usage(ecs::ImageUsage::Instance)
        .page_number(1)
        .page_size(100);
    for id in &input.image_ids {
        builder = builder.image_id(id.as_str());
    }
    for (key, value) in &input.tags {
        builder = builder.tag(ecs::Tag::new().key(key.as_str()).value(value.as_str()));
    }
    builder.build()
}

/// What a caller holds before building a `ListImage` request: five items in every list.
#[derive(Debug, Clone)]
pub struct ListImageInput {
    /// Product types.
    pub product_types: Vec<String>,
    /// Business types.
    pub biz_types: Vec<i32>,
    /// Features.
    pub features: Vec<String>,
    /// Business region IDs.
    pub biz_region_ids: Vec<String>,
    /// Platform names.
    pub platform_names: Vec<String>,
    /// Tags as `(key, value)`.
    pub tags: Vec<(String, String)>,
}

impl Default for ListImageInput {
    fn default() -> Self {
        let texts = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect();
        ListImageInput {
            product_types: texts(&[
                "CloudApp",
                "CloudDesktop",
                "AndroidCloud",
                "CloudBrowser",
                "CloudGame",
            ]),
            biz_types: vec![1, 2, 3, 4, 5],
            features: texts(&["GPU", "IPv6", "SecureBoot", "Snapshot", "Fota"]),
            biz_region_ids: texts(&[
                "cn-hangzhou",
                "cn-shanghai",
                "cn-beijing",
                "cn-shenzhen",
                "ap-southeast-1",
            ]),
            platform_names: texts(&[
                "Windows Server 2019",
                "Windows Server 2022",
                "Ubuntu 22.04",
                "UOS 20",
                "Android 12",
            ]),
            tags: (0..5)
                .map(|i| (format!("TestKey{i}"), format!("TestValue{i}")))
                .collect(),
        }
    }
}

/// Builds and validates a `ListImage` request with every parameter set and every list filled.
pub fn list_image(
    input: &ListImageInput,
) -> Result<appstream_center::ListImageRequest, BuildError> {
    let mut builder = appstream_center::ListImageRequest::builder()
        .image_id("img-bp13mu0example")
        .image_name("DemoImage")
        .status("AVAILABLE")
        .image_type("User")
        .package_type("Ecs")
        .os_type("Windows")
        .biz_type(1)
        .product_type("CloudApp")
        .protocol_type("ASP")
        .page_size(100)
        .page_number(1)
        .language_type("zh-CN")
        .resource_instance_type("eds.enterprise_office.2c4g")
        .fota_version("2.0.3-example")
        .platform_name("Windows Server 2019")
        .distro("Windows");
    for item in &input.product_types {
        builder = builder.product_type_list(item.as_str());
    }
    for item in &input.biz_types {
        builder = builder.biz_type_list(*item);
    }
    for item in &input.features {
        builder = builder.feature_list(item.as_str());
    }
    for item in &input.biz_region_ids {
        builder = builder.biz_region_id_list(item.as_str());
    }
    for item in &input.platform_names {
        builder = builder.platform_name_list(item.as_str());
    }
    for (key, value) in &input.tags {
        builder = builder.tag_list(
            appstream_center::Tag::new()
                .key(key.as_str())
                .value(value.as_str()),
        );
    }
    builder.build()
}

/// A request's parameters as the client writes them.
pub fn params_of(request: &impl WriteParams) -> Params {
    let mut params = Params::new();
    request.write_params(&mut params);
    params
}

/// What goes on the wire for one request, short of the transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedExchange {
    /// The form body (empty when every parameter is in the query).
    pub body: String,
    /// The signed query and the headers the signature adds.
    pub signed: SignedRequest,
}

/// Everything fixed about the benchmark calls: credentials, host, date and nonce.
#[derive(Debug, Clone)]
pub struct SigningSetup {
    /// The credentials.
    pub credentials: Credentials,
    /// The `Host` header: the product's endpoint for [`REGION`].
    pub host: String,
    /// The signing time.
    pub date: OffsetDateTime,
}

/// The headers the client adds to a request with a form body; they are signed in V3.
fn content_headers(body: &str) -> &'static [(&'static str, &'static str)] {
    if body.is_empty() {
        &[]
    } else {
        &[("content-type", FORM_CONTENT_TYPE)]
    }
}

impl SigningSetup {
    /// The setup for a product in [`REGION`].
    pub fn new(service: &Service) -> Result<Self, EndpointError> {
        let host = service.endpoint.resolve(Some(REGION), None)?.authority();
        let date = OffsetDateTime::from_unix_timestamp(SIGNING_UNIX_TIME)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        Ok(SigningSetup {
            credentials: credentials(),
            host,
            date,
        })
    }

    fn request<'a>(
        &'a self,
        op: &'a Operation,
        params: &'a Params,
        body: &'a str,
    ) -> SigningRequest<'a> {
        SigningRequest {
            method: op.method,
            host: &self.host,
            path: "/",
            query: params.query_pairs(),
            form: params.body_pairs(),
            headers: content_headers(body),
            body: body.as_bytes(),
        }
    }

    fn context<'a>(&'a self, service: &'a Service, op: &'a Operation) -> SigningContext<'a> {
        SigningContext {
            credentials: &self.credentials,
            date: self.date,
            nonce: NONCE,
            action: op.action,
            version: service.version,
        }
    }

    /// Encodes the form body and signs, as the client does for one attempt.
    pub fn sign(
        &self,
        version: SignatureVersion,
        service: &Service,
        op: &Operation,
        params: &Params,
    ) -> SignedExchange {
        let body = wire::form_body(params.body_pairs());
        let signed = sign::sign(
            version,
            &self.request(op, params, &body),
            &self.context(service, op),
        );
        SignedExchange { body, signed }
    }

    /// The V3 canonical request and string to sign of these parameters: the exact bytes the V3
    /// signer hashes and MACs.
    pub fn v3_texts(&self, service: &Service, op: &Operation, params: &Params) -> (String, String) {
        let body = wire::form_body(params.body_pairs());
        let request = self.request(op, params, &body);
        let context = self.context(service, op);
        (
            sign::v3::canonical_request(&request, &context),
            sign::v3::string_to_sign(&request, &context),
        )
    }

    /// What the V3 floor hashes and MACs for these parameters: [`Self::v3_texts`] and the secret
    /// the signer keys its MAC with, so the floor works on exactly the signer's bytes.
    pub fn v3_floor_input(&self, service: &Service, op: &Operation, params: &Params) -> FloorInput {
        let (canonical, string_to_sign) = self.v3_texts(service, op, params);
        FloorInput {
            canonical_request: canonical.into_bytes(),
            string_to_sign: string_to_sign.into_bytes(),
            secret: ACCESS_KEY_SECRET.as_bytes().to_vec(),
        }
    }

    /// Signs written `ListCustomImages` parameters with `version`, as the client signs one
    /// attempt, and counts the signed query's parameters: a number a measuring loop can consume,
    /// so that the signing is not optimised away.
    pub fn sign_list_custom_images(&self, version: SignatureVersion, params: &Params) -> usize {
        self.sign(
            version,
            &swas_open::SERVICE,
            &swas_open::LIST_CUSTOM_IMAGES,
            params,
        )
        .signed
        .query
        .len()
    }

    /// Builds, validates, writes and signs `ListCustomImages` from `input`, all a caller's
    /// request costs short of the transport: [`Self::sign_list_custom_images`]'s count, or 0
    /// when the request does not build.
    pub fn build_and_sign_list_custom_images(
        &self,
        version: SignatureVersion,
        input: &ListCustomImagesInput,
    ) -> usize {
        list_custom_images(input).map_or(0, |request| {
            self.sign_list_custom_images(version, &params_of(&request))
        })
    }

    /// The V2 string to sign of these parameters: the exact bytes the V2 signer MACs.
    pub fn v2_string_to_sign(&self, service: &Service, op: &Operation, params: &Params) -> String {
        let body = wire::form_body(params.body_pairs());
        sign::v2::string_to_sign(&self.request(op, params, &body), &self.context(service, op))
    }
}
