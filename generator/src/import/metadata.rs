//! Reads a metadata file: JSON, with `info`, `apis`, `endpoints` and `components.schemas`; and
//! a response facts file.

use std::collections::BTreeMap;

use serde_json::Value;

use super::ImportSource;
use super::error::{At, ImportError};

/// The top level of a metadata file.
pub(crate) struct Document<'a> {
    /// `info.product`.
    pub product: String,
    /// `info.version`.
    pub version: String,
    /// `info.title`, in the portal's full form.
    pub title: Option<String>,
    /// The operations by name (sorted, so the output never depends on the file's order).
    pub apis: BTreeMap<String, &'a Value>,
    /// `endpoints`.
    pub endpoints: Option<&'a Value>,
    /// `components.schemas` (an empty list in the short form means none).
    pub components: Option<&'a serde_json::Map<String, Value>>,
}

/// The parsed JSON of a file; the caller keeps it while the views borrow it.
pub(crate) fn json(source: &ImportSource) -> Result<Value, ImportError> {
    serde_json::from_str(&source.text).map_err(|e| ImportError {
        file: source.name.clone(),
        operation: None,
        path: format!("line {}, column {}", e.line(), e.column()),
        message: format!("not JSON: {e}"),
        help: "the import reads the portal's api-docs JSON (the PHP array converted to JSON, or the api-docs.json download)".to_owned(),
    })
}

/// Parses a metadata file.
pub(crate) fn parse<'a>(
    source: &ImportSource,
    value: &'a Value,
) -> Result<Document<'a>, ImportError> {
    let root = At::root(&source.name);
    let Some(top) = value.as_object() else {
        return Err(root.error(
            "the file is not a JSON object",
            "the metadata is an object with `info`, `apis` and `endpoints`",
        ));
    };
    let info = top.get("info");
    let text_of = |key: &str| {
        info.and_then(|i| i.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let Some(product) = text_of("product").filter(|p| !p.is_empty()) else {
        return Err(root
            .key("info")
            .key("product")
            .error("no product code", "give `info.product`, e.g. \"Ecs\""));
    };
    let version = text_of("version")
        .or_else(|| {
            top.get("version")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .filter(|v| !v.is_empty());
    let Some(version) = version else {
        return Err(root
            .key("info")
            .key("version")
            .error("no API version", "give `info.version`, e.g. \"2014-05-26\""));
    };
    if let Some(style) = text_of("style") {
        if !style.eq_ignore_ascii_case("rpc") {
            return Err(root.key("info").key("style").error(
                format!("API style `{style}`: only RPC APIs are supported"),
                "import an RPC product (`info.style: RPC`)",
            ));
        }
    }
    // Five catalogue files list no operation (`"apis": []`): a product without one would be a
    // client with nothing to call, so the import says so rather than writing it.
    let empty = match top.get("apis") {
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    };
    if empty {
        return Err(root.key("apis").error(
            format!("the metadata of {product} {version} lists no operations: there is nothing to import"),
            "Alibaba publishes this product-version without operations; import another version of the product",
        ));
    }
    let Some(apis) = top.get("apis").and_then(Value::as_object) else {
        return Err(root.key("apis").error(
            "no `apis` object",
            "the operations sit under `apis`, keyed by action",
        ));
    };
    let components = match top.get("components").and_then(|c| c.get("schemas")) {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(Value::Array(a)) if a.is_empty() => None,
        Some(_) => {
            return Err(root.key("components").key("schemas").error(
                "`components.schemas` is not an object",
                "key the shared schemas by name",
            ));
        }
    };
    Ok(Document {
        product,
        version,
        title: text_of("title"),
        apis: apis.iter().map(|(k, v)| (k.clone(), v)).collect(),
        endpoints: top.get("endpoints"),
        components,
    })
}

/// Parses a response facts file: `{"operations": {"<Action>": <schema>}}`.
pub(crate) fn parse_facts<'a>(
    source: &ImportSource,
    value: &'a Value,
) -> Result<&'a serde_json::Map<String, Value>, ImportError> {
    let root = At::root(&source.name);
    value
        .get("operations")
        .and_then(Value::as_object)
        .ok_or_else(|| root.key("operations").error("no `operations` object", "the facts sit under `operations`, keyed by action (scripts/response_facts.py writes them)"))
}
