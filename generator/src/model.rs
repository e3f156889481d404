//! Stage 2's output: a validated product, every name resolved and every Rust identifier chosen.
//!
//! The emitter reads only this model; it never sees YAML.

/// A validated product.
#[derive(Debug, Clone)]
pub struct Product {
    /// The spec file it came from.
    pub file: String,
    /// Product code.
    pub code: String,
    /// Human name.
    pub name: String,
    /// Rust module and cargo feature.
    pub module: String,
    /// API version.
    pub version: String,
    /// Longer description.
    pub description: Option<String>,
    /// Signature the product takes.
    pub signature: Signature,
    /// Endpoint rule.
    pub endpoint: Endpoint,
    /// Object types, sorted by name.
    pub shapes: Vec<Shape>,
    /// Open enums, sorted by name.
    pub enums: Vec<EnumDef>,
    /// Operations, in file order.
    pub operations: Vec<Operation>,
    /// Actions that get a runnable example.
    pub examples: Vec<String>,
    /// Values of the spec that the generated code drops.
    pub warnings: Vec<crate::warning::SpecWarning>,
}

/// Signature version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    /// ACS3-HMAC-SHA256.
    V3,
    /// RPC HMAC-SHA1.
    V2,
}

/// Endpoint rule.
#[derive(Debug, Clone, Default)]
pub struct Endpoint {
    /// Regional host pattern.
    pub regional: Option<String>,
    /// Central host.
    pub central: Option<String>,
    /// Regions served by the central host.
    pub central_regions: Vec<String>,
    /// Per-region hosts, sorted by region.
    pub regions: Vec<(String, String)>,
    /// Network variants, sorted by name.
    pub networks: Vec<(String, String)>,
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Rust type name.
    pub rust_name: String,
    /// Description.
    pub description: Option<String>,
    /// Fields.
    pub fields: Vec<Field>,
    /// Whether a request parameter uses it (it then gets wire encoding and validation).
    pub in_request: bool,
}

/// A scalar wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// Text.
    String,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    Long,
    /// Floating point.
    Double,
    /// Boolean.
    Boolean,
}

/// A field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// A scalar.
    Scalar(ScalarType),
    /// An open enum over string values (Rust name).
    Enum(String),
    /// An object type (Rust name).
    Shape(String),
    /// A list.
    List(Box<Type>),
    /// An object with free keys: text keys to values of the type.
    Map(Box<Type>),
    /// Any JSON value, kept whole (`acs_runtime::JsonValue`): a value whose shape the API does
    /// not fix. Sent as one compact JSON text.
    Json,
}

impl Type {
    /// The item type of a list, the value type of a map, or the type itself.
    pub fn item(&self) -> &Type {
        match self {
            Type::List(item) | Type::Map(item) => item,
            other => other,
        }
    }
}

/// The headers the runtime's client, its transport and the signatures set on a request
/// themselves, in lower case (`acs_runtime::client::RESERVED_HEADERS`, which a test holds this
/// list to). A header parameter of one of these names, in any case, would go out beside the
/// client's own: validation refuses it, and the import leaves it out with a note.
pub const RESERVED_HEADERS: &[&str] = &[
    "host",
    "user-agent",
    "content-type",
    "content-length",
    "authorization",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "x-acs-security-token",
    "x-acs-accesskey-id",
    "x-acs-signature-method",
    "x-acs-signature-version",
];

/// The reserved header `name` is, compared case-insensitively; `None` for any other name.
pub fn reserved_header(name: &str) -> Option<&'static str> {
    RESERVED_HEADERS
        .iter()
        .copied()
        .find(|reserved| reserved.eq_ignore_ascii_case(name))
}

/// Where a request parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// The form body.
    Body,
    /// An HTTP header.
    Header,
}

/// How a request parameter goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireStyle {
    /// `Name=value`.
    Plain,
    /// `Name.1=a&Name.2=b`.
    RepeatList,
    /// `Name.1.Field=v`, or `Name.Field=v` for a lone object.
    Flat,
    /// `Name=["a","b"]`.
    Json,
    /// `Name=a,b`.
    Comma,
}

/// Documented limits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Minimum length in characters.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: Option<u64>,
    /// ASCII only.
    pub ascii: bool,
    /// Minimum value.
    pub min: Option<i64>,
    /// Maximum value.
    pub max: Option<i64>,
    /// Minimum items.
    pub min_items: Option<u64>,
    /// Maximum items.
    pub max_items: Option<u64>,
}

impl Limits {
    /// Whether any limit is set.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// A documented value, kept for docs on fields that are not enums.
#[derive(Debug, Clone)]
pub struct DocValue {
    /// Wire value.
    pub value: String,
    /// Meaning.
    pub description: Option<String>,
}

/// A field of a request, response or shape.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire_name: String,
    /// Rust field name (may be raw, `r#type`).
    pub rust_name: String,
    /// Type.
    pub ty: Type,
    /// Required (request parameters).
    pub required: bool,
    /// Description, items' description appended.
    pub description: Option<String>,
    /// Example.
    pub example: Option<String>,
    /// Documented default.
    pub default: Option<String>,
    /// Location (request parameters).
    pub location: Location,
    /// Wire style (request parameters and request shapes).
    pub style: WireStyle,
    /// Wrapper key of a wrapped response list.
    pub wrapper: Option<String>,
    /// A client token the SDK fills.
    pub idempotency_token: bool,
    /// Limits of the field (lists: of the list).
    pub limits: Limits,
    /// Limits of each item of a list.
    pub item_limits: Limits,
    /// Documented values (also for enums, for docs).
    pub values: Vec<DocValue>,
    /// Notes.
    pub notes: Vec<String>,
    /// Whether the value sits behind a `Box`: the field's shape contains, directly or through
    /// other shapes' fields that are not lists, the shape this field belongs to.
    pub boxed: bool,
    /// Set when the field is deprecated.
    pub deprecated: Option<Deprecation>,
    /// A secret: the `Debug` of the type holding it shows `<redacted>` for it.
    pub secret: bool,
    /// The value is a shape, or a list or map of shapes, with a secret field inside it at any
    /// depth: sent as one JSON parameter, that whole parameter is a secret; decoded, a value of
    /// it that does not fit is recorded as an anomaly without the value.
    pub holds_secret: bool,
}

/// A deprecated field or operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    /// Why, and what to use instead, when the spec says.
    pub reason: Option<String>,
}

/// An open enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Rust type name.
    pub rust_name: String,
    /// Description (of the first field that declared it).
    pub description: Option<String>,
    /// Values.
    pub values: Vec<EnumValue>,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// Wire value.
    pub wire: String,
    /// Rust variant name.
    pub variant: String,
    /// Meaning.
    pub description: Option<String>,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `Action`.
    pub action: String,
    /// Rust method and module name (`describe_images`).
    pub method_name: String,
    /// Rust type prefix (`DescribeImages`).
    pub type_prefix: String,
    /// Summary, when the spec gives one.
    pub title: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Methods; the first is sent.
    pub methods: Vec<String>,
    /// RAM authorization.
    pub ram: Option<Ram>,
    /// Source pages.
    pub sources: Vec<String>,
    /// Notes.
    pub notes: Vec<String>,
    /// Request parameters.
    pub request: Vec<Field>,
    /// Response description.
    pub response_description: Option<String>,
    /// Response fields.
    pub response: Vec<Field>,
    /// Error variants.
    pub errors: Vec<ErrorVariant>,
    /// Paging.
    pub paging: Option<Paging>,
    /// The operation only reads (safe to repeat).
    pub read_only: bool,
    /// Called without a signature or credentials.
    pub anonymous: bool,
    /// Token paging.
    pub token_paging: Option<TokenPaging>,
    /// Set when the operation is deprecated.
    pub deprecated: Option<Deprecation>,
    /// Samples.
    pub samples: Vec<Sample>,
}

/// RAM authorization.
#[derive(Debug, Clone)]
pub struct Ram {
    /// Action.
    pub action: String,
    /// Access level.
    pub access_level: Option<String>,
    /// Resource types.
    pub resource_types: Vec<String>,
    /// Condition keys.
    pub condition_keys: Vec<String>,
    /// Dependent actions.
    pub dependent_actions: Vec<String>,
}

/// A variant of an operation's error type: one or more documented entries with one code.
#[derive(Debug, Clone)]
pub struct ErrorVariant {
    /// Rust variant name.
    pub variant: String,
    /// The code (`%s` marks a wildcard).
    pub code: String,
    /// The documented entries.
    pub entries: Vec<ErrorEntry>,
}

/// One documented error entry.
#[derive(Debug, Clone)]
pub struct ErrorEntry {
    /// HTTP status.
    pub status: u16,
    /// Message.
    pub message: Option<String>,
    /// Meaning.
    pub description: Option<String>,
}

/// Page-number paging.
#[derive(Debug, Clone)]
pub struct Paging {
    /// Rust name of the request's page number field.
    pub page_number: String,
    /// Rust name of the request's page size field.
    pub page_size: String,
    /// Rust name of the response's total count field.
    pub total_count: Option<String>,
    /// Rust name of the response's items field.
    pub items: String,
    /// Item type of the items field.
    pub item_type: Type,
}

/// Token paging: `NextToken` in the request and the response.
#[derive(Debug, Clone)]
pub struct TokenPaging {
    /// Rust name of the request's token field.
    pub request_token: String,
    /// Rust name of the response's token field.
    pub response_token: String,
    /// Rust name of the request's page size field (`MaxResults`), if the spec names one.
    pub max_results: Option<String>,
    /// Rust name of the response's items field.
    pub items: String,
    /// Item type of the items field.
    pub item_type: Type,
}

/// A sample response.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Name.
    pub name: String,
    /// HTTP status.
    pub status: u16,
    /// The body tests use (the repaired copy when the published one is broken).
    pub body: String,
    /// Whether `body` is a repaired copy.
    pub repaired: bool,
}
