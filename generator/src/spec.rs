//! The spec file as written: serde structures mirroring `specs/README.md`, nothing resolved yet.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One spec file: a product, its shared shapes and its operations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// The product and API version.
    pub product: ProductSpec,
    /// Named object types shared by the operations.
    #[serde(default)]
    pub shapes: BTreeMap<String, ShapeSpec>,
    /// The operations, in the order the file lists them.
    #[serde(default)]
    pub operations: Vec<OperationSpec>,
}

/// The `product:` section.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSpec {
    /// Product code (`Ecs`, `SWAS-OPEN`).
    pub code: String,
    /// Human name.
    pub name: String,
    /// Rust module and cargo feature.
    pub module: String,
    /// API version.
    pub version: String,
    /// API style; only `rpc`.
    pub style: String,
    /// `v3` or `v2`.
    #[serde(default)]
    pub signature: Option<String>,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Endpoint rule.
    pub endpoint: EndpointSpec,
    /// The operations (actions) that get a runnable example; the first operation when empty.
    #[serde(default)]
    pub examples: Vec<String>,
    /// What the product's sources say that the spec cannot carry (an endpoint rule the import
    /// had to guess); a `Review:` note is reported as a warning.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The `endpoint:` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSpec {
    /// Host pattern with `{region_id}`.
    #[serde(default)]
    pub regional: Option<String>,
    /// Central host.
    #[serde(default)]
    pub central: Option<String>,
    /// Regions served by the central host.
    #[serde(default)]
    pub central_regions: Vec<String>,
    /// Per-region host overrides.
    #[serde(default)]
    pub regions: BTreeMap<String, String>,
    /// Network variants (`vpc`, `internal`) and their host patterns.
    #[serde(default)]
    pub networks: BTreeMap<String, String>,
    /// What the sources say of the endpoint that its keys cannot carry; a `Review:` note is what
    /// an import could not decide (a rule the metadata does not give).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A named object type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeSpec {
    /// What the object is.
    #[serde(default)]
    pub description: Option<String>,
    /// Its fields.
    pub fields: Vec<FieldSpec>,
}

/// One operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSpec {
    /// The `Action`.
    pub action: String,
    /// One-line summary; without one, the docs open with what the facts say.
    #[serde(default)]
    pub title: Option<String>,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Accepted HTTP methods; the first is sent.
    pub methods: Vec<String>,
    /// RAM authorization.
    #[serde(default)]
    pub ram: Option<RamSpec>,
    /// Reference pages.
    #[serde(default)]
    pub sources: Vec<String>,
    /// What the page says that the spec cannot carry.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Request parameters.
    #[serde(default)]
    pub request: Vec<FieldSpec>,
    /// The response body.
    pub response: ResponseSpec,
    /// Documented error codes.
    #[serde(default)]
    pub errors: Vec<ErrorSpec>,
    /// Page-number paging.
    #[serde(default)]
    pub paging: Option<PagingSpec>,
    /// The operation only reads: the client may repeat it after a failure that may have reached
    /// the service.
    #[serde(default)]
    pub read_only: bool,
    /// `true`, or the reason the operation is deprecated.
    #[serde(default)]
    pub deprecated: Option<DeprecatedSpec>,
    /// The operation is called without a signature (the metadata's `Anonymous` security).
    #[serde(default)]
    pub anonymous: bool,
    /// Sample responses.
    #[serde(default)]
    pub samples: Vec<SampleSpec>,
}

/// The RAM authorization table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RamSpec {
    /// RAM action (`ecs:DescribeImages`).
    pub action: String,
    /// Access level.
    #[serde(default)]
    pub access_level: Option<String>,
    /// Resource types.
    #[serde(default)]
    pub resource_types: Vec<String>,
    /// Condition keys.
    #[serde(default)]
    pub condition_keys: Vec<String>,
    /// Dependent actions.
    #[serde(default)]
    pub dependent_actions: Vec<String>,
}

/// The `response:` section.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// What the body is.
    #[serde(default)]
    pub description: Option<String>,
    /// Top-level fields.
    pub fields: Vec<FieldSpec>,
}

/// One documented error code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    /// HTTP status.
    pub status: u16,
    /// Error code, possibly with `%s`.
    pub code: String,
    /// Error message.
    #[serde(default)]
    pub message: Option<String>,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
    /// Rust variant name.
    #[serde(default)]
    pub name: Option<String>,
}

/// The `paging:` section: page numbers (`page_number` and `page_size`) or tokens (`next_token`,
/// with `max_results`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingSpec {
    /// Request parameter with the page number.
    #[serde(default)]
    pub page_number: Option<String>,
    /// Request parameter with the page size.
    #[serde(default)]
    pub page_size: Option<String>,
    /// Request parameter and response field with the next page's token.
    #[serde(default)]
    pub next_token: Option<String>,
    /// Request parameter with the most items a token page holds.
    #[serde(default)]
    pub max_results: Option<String>,
    /// Response field with the total count.
    #[serde(default)]
    pub total_count: Option<String>,
    /// Response field with the items.
    pub items: String,
}

/// A sample response.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSpec {
    /// Name of the sample.
    pub name: String,
    /// HTTP status.
    #[serde(default)]
    pub status: Option<u16>,
    /// The body as published.
    pub body: String,
    /// `false` when the published body is not valid JSON.
    #[serde(default)]
    pub valid_json: Option<bool>,
    /// A repaired copy of a broken body.
    #[serde(default)]
    pub repaired: Option<String>,
    /// What was repaired, or anything else worth knowing.
    #[serde(default)]
    pub note: Option<String>,
}

/// A request parameter, response field or shape field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Wire name.
    pub name: Option<String>,
    /// Rust field name override.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Type name.
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// Item type of an array.
    #[serde(default)]
    pub items: Option<ItemsSpec>,
    /// Whether the parameter is required.
    #[serde(default)]
    pub required: bool,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Example as on the page; `Some(None)` for an `example: null`, which says nothing.
    #[serde(default, deserialize_with = "present")]
    pub example: Option<Option<Scalar>>,
    /// Documented default; `Some(None)` for a `default: null`.
    #[serde(default, deserialize_with = "present")]
    pub default: Option<Option<Scalar>>,
    /// `query` or `body`.
    #[serde(default)]
    pub location: Option<String>,
    /// Wire style.
    #[serde(default)]
    pub style: Option<String>,
    /// Wrapper key of a wrapped list.
    #[serde(default)]
    pub wrapper: Option<String>,
    /// The parameter is a client token.
    #[serde(default)]
    pub idempotency_token: bool,
    /// Limits.
    #[serde(default)]
    pub limits: Option<LimitsSpec>,
    /// Valid values.
    #[serde(default)]
    pub values: Vec<ValueSpec>,
    /// Enum name.
    #[serde(default, rename = "enum")]
    pub enum_name: Option<String>,
    /// What the page says that the spec cannot carry.
    #[serde(default)]
    pub notes: Vec<String>,
    /// `true`, or the reason the field is deprecated.
    #[serde(default)]
    pub deprecated: Option<DeprecatedSpec>,
    /// The metadata's `format` beside `type` (`int64`, `int32`, `double`, `float`).
    #[serde(default)]
    pub format: Option<String>,
    /// The value is a secret (a password, a key secret, a token): `Debug` shows it redacted.
    #[serde(default)]
    pub secret: bool,
}

/// `deprecated: true` or `deprecated: "reason"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DeprecatedSpec {
    /// `deprecated: true` (or `false`, which says nothing).
    Flag(bool),
    /// `deprecated: "use X instead"`.
    Reason(String),
}

/// The item type of an array: a type name or a described type.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ItemsSpec {
    /// `items: string`
    Name(String),
    /// `items: {type: string, values: [...]}`
    Detailed(Box<ItemSpec>),
}

/// A described item type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    /// Type name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Example; `Some(None)` for an `example: null`.
    #[serde(default, deserialize_with = "present")]
    pub example: Option<Option<Scalar>>,
    /// Valid values.
    #[serde(default)]
    pub values: Vec<ValueSpec>,
    /// Enum name.
    #[serde(default, rename = "enum")]
    pub enum_name: Option<String>,
    /// Limits of each item.
    #[serde(default)]
    pub limits: Option<LimitsSpec>,
    /// Notes.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The metadata's `format` beside `type`.
    #[serde(default)]
    pub format: Option<String>,
}

/// Documented limits.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// Minimum length in characters.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// ASCII only.
    #[serde(default)]
    pub ascii: bool,
    /// Minimum value: a whole number, 64 bits at most (never read through `f64`, which would
    /// change a bound above 2^53).
    #[serde(default)]
    pub min: Option<i64>,
    /// Maximum value, as `min`.
    #[serde(default)]
    pub max: Option<i64>,
    /// Minimum number of items.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Maximum number of items.
    #[serde(default)]
    pub max_items: Option<u64>,
}

/// A documented valid value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueSpec {
    /// The value on the wire.
    pub value: Scalar,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
    /// Rust variant name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A key that is present: `Some(None)` when its value is null, so that a null the spec writes is
/// told from a key it leaves out (`None`, by `default`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A YAML scalar written where the spec wants text (`example: 10` and `example: "10"` alike).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
}

impl Scalar {
    /// The scalar as text, as it reads on the page.
    pub fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}
