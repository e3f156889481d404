//! A request's parameters before they are checked: what a builder holds, and what a request
//! loaded from JSON is read into.
//!
//! Loading a request is strict (a request in JSON is one a caller wrote, so a value of the wrong
//! type is an error, not something to recover from): each parameter is read with its own type's
//! `Deserialize`, unknown keys are skipped, and a required parameter that is missing is the same
//! [`BuildError`] the builder gives. Generated code names, per wire key, the field it fills
//! ([`RequestFields::decode_field`]); the map walk is here, once.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::codegen::object::Key;
use crate::validate::BuildError;

/// The parameters of one operation's request as a builder holds them (required ones still
/// optional). Implemented by generated code.
pub trait RequestFields: Default {
    /// The request these parameters make.
    type Request;

    /// The request type's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of `key` from `map` into its field, or skips it when no parameter has
    /// that wire name.
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// The request, once every required parameter is set. Limits are not checked here; the
    /// request's `validate` does that.
    fn assemble(self) -> Result<Self::Request, BuildError>;
}

/// `Deserialize` for a request: a JSON object read key by key into `F`, then assembled.
pub fn deserialize<'de, D: Deserializer<'de>, F: RequestFields>(
    d: D,
) -> Result<F::Request, D::Error> {
    let fields = d.deserialize_map(FieldsVisitor::<F>(PhantomData))?;
    fields.assemble().map_err(de::Error::custom)
}

/// Reads one parameter's value with its own type's `Deserialize`.
pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

struct FieldsVisitor<F>(PhantomData<F>);

impl<'de, F: RequestFields> Visitor<'de> for FieldsVisitor<F> {
    type Value = F;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", F::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F, A::Error> {
        let mut fields = F::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            fields.decode_field(&key.0, &mut map)?;
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Request {
        region_id: String,
        page_size: Option<i32>,
        ids: Vec<String>,
    }

    #[derive(Default)]
    struct Draft {
        region_id: Option<String>,
        page_size: Option<i32>,
        ids: Vec<String>,
    }

    impl RequestFields for Draft {
        type Request = Request;
        const NAME: &'static str = "Request";

        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "RegionId" => read(map, &mut self.region_id),
                "PageSize" => read(map, &mut self.page_size),
                "Ids" => read(map, &mut self.ids),
                _ => crate::codegen::object::skip(map),
            }
        }

        fn assemble(self) -> Result<Request, BuildError> {
            Ok(Request {
                region_id: self
                    .region_id
                    .ok_or_else(|| BuildError::missing("RegionId"))?,
                page_size: self.page_size,
                ids: self.ids,
            })
        }
    }

    fn load(json: &str) -> Result<Request, String> {
        let mut d = serde_json::Deserializer::from_str(json);
        deserialize::<_, Draft>(&mut d).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_known_keys_and_skips_the_rest() {
        assert_eq!(
            load(r#"{"RegionId":"cn-hangzhou","Other":[1,{"x":2}],"PageSize":10,"Ids":["a"]}"#),
            Ok(Request {
                region_id: "cn-hangzhou".into(),
                page_size: Some(10),
                ids: vec!["a".into()],
            })
        );
    }

    #[test]
    fn a_missing_required_parameter_is_named() {
        let err = load(r#"{"PageSize":10}"#).err().unwrap_or_default();
        assert!(err.contains("RegionId"), "{err}");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_at_its_position() {
        let err = load(r#"{"RegionId":"cn-hangzhou","PageSize":"10"}"#)
            .err()
            .unwrap_or_default();
        assert!(err.contains("invalid type: string \"10\""), "{err}");
    }

    #[test]
    fn anything_but_an_object_is_refused() {
        let err = load(r#"["cn-hangzhou"]"#).err().unwrap_or_default();
        assert!(err.contains("an object (Request)"), "{err}");
    }
}
