//! Test support: every generated operation as data, for tests and benchmarks that must cover
//! each operation without naming it.
//!
//! Each generated product crate lists its operations in `acs_<module>::catalog::OPERATIONS`
//! (behind its `catalog` feature, off by default), one [`Entry`] per operation, and the generated
//! `acs-catalog` crate joins every product's in `acs_catalog::OPERATIONS`. An
//! entry reaches the operation's generated types only through functions that are generic here,
//! so a test can load any operation's request from JSON, check and write it, or decode any
//! operation's response, knowing nothing but the action.
//!
//! This is not part of the SDK's API: call the typed clients instead.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::decode::{Anomaly, DecodeError, decode_response};
use crate::redact::excerpt::cut_for_error;
use crate::service::{Operation, Service};
use crate::validate::BuildError;
use crate::wire::{Params, WriteParams};

/// One operation of one product, with its generated request and response types behind plain
/// functions. It is plain data (references and function pointers), so that a list can join the
/// lists of several product crates.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The product's module (`ecs`), whose crate is `acs-ecs`.
    pub module: &'static str,
    /// The spec file the operation comes from (`specs/ecs-2014-05-26.yaml`).
    pub spec: &'static str,
    /// The `Action` (`DescribeImages`).
    pub action: &'static str,
    /// The product the operation belongs to.
    pub service: &'static Service,
    /// The operation itself.
    pub operation: &'static Operation,
    /// Decodes a body into the operation's response type, leniently, as the client does, and
    /// gives back the anomalies; the typed response is dropped.
    pub decode: fn(&[u8]) -> Result<Vec<Anomaly>, DecodeError>,
    /// Decodes a body into the operation's response type and gives back that response encoded
    /// again as JSON, with the anomalies.
    pub decode_to_json: fn(&[u8]) -> Result<DecodedJson, CatalogError>,
    /// Loads the operation's request from JSON under its wire names (the request type's serde
    /// form). Nothing is checked: call [`CatalogRequest::validate`] for that.
    pub load_request: fn(&serde_json::Value) -> Result<Box<dyn CatalogRequest>, CatalogError>,
    /// Loads the operation's request from JSON, as [`Entry::load_request`] does, and gives back
    /// that request encoded again as JSON: its serde form both ways.
    pub request_to_json: fn(&serde_json::Value) -> Result<serde_json::Value, CatalogError>,
}

impl Entry {
    /// `module::Action`, for messages.
    pub fn name(&self) -> String {
        format!("{}::{}", self.module, self.action)
    }
}

/// A generated request, whatever its operation: what `build()` checks and what goes on the wire.
pub trait CatalogRequest: WriteParams + fmt::Debug + Send + Sync {
    /// The checks `build()` runs: required parameters, then the documented limits.
    fn validate(&self) -> Result<(), BuildError>;

    /// The parameters the request writes, in declared order.
    fn params(&self) -> Params {
        let mut params = Params::new();
        self.write_params(&mut params);
        params
    }
}

/// A response decoded into its generated type and encoded again as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJson {
    /// The typed response as JSON: what the type kept of the body.
    pub response: serde_json::Value,
    /// The fields that did not fit their declared types.
    pub anomalies: Vec<Anomaly>,
}

/// Why a catalog function could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The response body is not JSON, or not a JSON value a response can be.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The decoded response could not be encoded as JSON again.
    #[error("the decoded response does not encode as JSON: {}", cut_for_error(&.0.to_string()))]
    Encode(serde_json::Error),
    /// The JSON given is not the request type's serde form. Its message (which quotes a value
    /// of the wrong type whole) is shown cut to 2,048 characters.
    #[error("the request does not load from JSON: {}", cut_for_error(&.0.to_string()))]
    Load(serde_json::Error),
    /// The loaded request could not be encoded as JSON again.
    #[error("the request does not encode as JSON: {0}")]
    EncodeRequest(serde_json::Error),
}

/// [`Entry::decode`] for the response type `T`.
pub fn decode<T: DeserializeOwned + Default>(body: &[u8]) -> Result<Vec<Anomaly>, DecodeError> {
    decode_response::<T>(body).map(|(_, anomalies)| anomalies)
}

/// [`Entry::decode_to_json`] for the response type `T`.
pub fn decode_to_json<T: DeserializeOwned + Default + Serialize>(
    body: &[u8],
) -> Result<DecodedJson, CatalogError> {
    let (response, anomalies) = decode_response::<T>(body)?;
    let response = serde_json::to_value(&response).map_err(CatalogError::Encode)?;
    Ok(DecodedJson {
        response,
        anomalies,
    })
}

/// [`Entry::load_request`] for the request type `T`.
pub fn load_request<T: DeserializeOwned + CatalogRequest + 'static>(
    request: &serde_json::Value,
) -> Result<Box<dyn CatalogRequest>, CatalogError> {
    let request = T::deserialize(request).map_err(CatalogError::Load)?;
    Ok(Box::new(request))
}

/// [`Entry::request_to_json`] for the request type `T`.
pub fn request_to_json<T: DeserializeOwned + Serialize>(
    request: &serde_json::Value,
) -> Result<serde_json::Value, CatalogError> {
    let request = T::deserialize(request).map_err(CatalogError::Load)?;
    serde_json::to_value(&request).map_err(CatalogError::EncodeRequest)
}

/// The entry of `module::action` in `catalog`, or an error that says what to do about a missing
/// one: the catalog is generated, so an operation missing from it is a spec not yet generated or
/// a product whose feature is off.
pub fn find<'a>(catalog: &'a [Entry], module: &str, action: &str) -> Result<&'a Entry, String> {
    catalog
        .iter()
        .find(|entry| entry.module == module && entry.action == action)
        .ok_or_else(|| {
            format!(
                "the generated catalog has no operation {module}::{action}: run `cargo xtask codegen` \
                 after changing specs/"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Location;

    #[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
    struct Reply {
        #[serde(
            rename = "Count",
            default,
            deserialize_with = "crate::codegen::lenient::opt"
        )]
        count: Option<i64>,
    }

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Ask {
        #[serde(rename = "Name")]
        name: String,
    }

    impl WriteParams for Ask {
        fn write_params(&self, params: &mut Params) {
            params.plain(Location::Query, "Name", &self.name);
        }
    }

    impl CatalogRequest for Ask {
        fn validate(&self) -> Result<(), BuildError> {
            crate::codegen::checks::length("Name", &self.name, Some(1), None)
        }
    }

    #[test]
    fn decode_to_json_keeps_what_fits_and_reports_the_rest() {
        let decoded = decode_to_json::<Reply>(br#"{"Count": 3}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded.response, serde_json::json!({"Count": 3}));
        assert!(decoded.anomalies.is_empty());
        let anomalies =
            decode::<Reply>(br#"{"Count": {"x": 1}}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(anomalies.len(), 1);
        assert_eq!(anomalies[0].path, "Count");
        assert!(matches!(
            decode_to_json::<Reply>(b"<html>"),
            Err(CatalogError::Decode(_))
        ));
    }

    #[test]
    fn a_loaded_request_validates_and_writes_its_parameters() {
        let ask = load_request::<Ask>(&serde_json::json!({"Name": "a&b"}))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ask.validate(), Ok(()));
        assert_eq!(
            ask.params().query_pairs(),
            [("Name".to_owned(), "a&b".to_owned())]
        );
        let empty =
            load_request::<Ask>(&serde_json::json!({"Name": ""})).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            empty.validate().map_err(|e| e.parameter),
            Err("Name".to_owned())
        );
        assert!(matches!(
            load_request::<Ask>(&serde_json::json!({"Name": 1.5})),
            Err(CatalogError::Load(_))
        ));
    }

    #[test]
    fn a_request_that_does_not_load_is_quoted_cut_short() {
        #[derive(Debug, serde::Deserialize)]
        struct Counted {
            #[serde(rename = "Size")]
            _size: i64,
        }
        impl WriteParams for Counted {
            fn write_params(&self, _: &mut Params) {}
        }
        impl CatalogRequest for Counted {
            fn validate(&self) -> Result<(), BuildError> {
                Ok(())
            }
        }
        let huge = "9x".repeat(30_000);
        let err = match load_request::<Counted>(&serde_json::json!({ "Size": huge })) {
            Err(err) => err,
            Ok(loaded) => panic!("loaded {loaded:?}"),
        };
        let shown = err.to_string();
        assert!(shown.len() < 2_048 + 200, "{} bytes shown", shown.len());
        assert!(shown.contains("invalid type: string"), "{:.200}", shown);
        assert!(shown.contains("bytes in all"), "{:.200}", shown);
    }

    #[test]
    fn a_request_goes_to_json_and_back() {
        let json = serde_json::json!({"Name": "a&b"});
        assert_eq!(request_to_json::<Ask>(&json).ok(), Some(json));
        assert!(matches!(
            request_to_json::<Ask>(&serde_json::json!({})),
            Err(CatalogError::Load(_))
        ));
    }

    #[test]
    fn a_missing_entry_says_how_to_get_it() {
        let message = find(&[], "vpc", "DescribeVpcs").err().unwrap_or_default();
        assert!(message.contains("vpc::DescribeVpcs"), "{message}");
        assert!(message.contains("cargo xtask codegen"), "{message}");
    }
}
