//! Serialising generated types (requests, responses, shapes) under their wire names.
//!
//! A generated `Serialize` impl is one line per field naming the field's wire name and how it is
//! left out when it holds nothing ([`Fields::opt`], [`Fields::list`], ...); the struct framing and
//! the skipping rules are here, once. `#[derive(Serialize)]` would expand the same rules into
//! every type, and the generated crate's compile time is the cost that grows with every
//! operation.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use crate::codegen::lenient::WrapperKey;

/// The fields of one generated struct, as they are being serialised.
#[derive(Debug)]
pub struct Fields<M>(M);

impl<M: SerializeStruct> Fields<M> {
    /// Starts serialising the struct `name`, which has at most `len` fields.
    pub fn begin<S>(serializer: S, name: &'static str, len: usize) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeStruct = M, Ok = M::Ok, Error = M::Error>,
    {
        serializer.serialize_struct(name, len).map(Fields)
    }

    /// A field that is always there (a required request parameter).
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_field(key, value)
    }

    /// A field left out when it is `None`.
    pub fn opt<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.0.serialize_field(key, value),
            None => self.0.skip_field(key),
        }
    }

    /// A list left out when it is empty.
    pub fn list<T: Serialize>(&mut self, key: &'static str, items: &[T]) -> Result<(), M::Error> {
        if items.is_empty() {
            return self.0.skip_field(key);
        }
        self.0.serialize_field(key, items)
    }

    /// A list the service wraps in a one-key object (`{"Image": [...]}` under `Images`), written
    /// back in that form; left out when it is empty.
    pub fn wrapped<K: WrapperKey, T: Serialize>(
        &mut self,
        key: &'static str,
        items: &[T],
    ) -> Result<(), M::Error> {
        if items.is_empty() {
            return self.0.skip_field(key);
        }
        self.0
            .serialize_field(key, &Wrapped::<K, T>(items, std::marker::PhantomData))
    }

    /// A map left out when it is empty.
    pub fn map<T: Serialize>(
        &mut self,
        key: &'static str,
        entries: &BTreeMap<String, T>,
    ) -> Result<(), M::Error> {
        if entries.is_empty() {
            return self.0.skip_field(key);
        }
        self.0.serialize_field(key, entries)
    }

    /// Ends the struct.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

struct Wrapped<'a, K, T>(&'a [T], std::marker::PhantomData<K>);

impl<K: WrapperKey, T: Serialize> Serialize for Wrapped<'_, K, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(K::KEY, self.0)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Images;
    impl WrapperKey for Images {
        const KEY: &'static str = "Image";
    }

    struct Sample {
        id: String,
        name: Option<String>,
        tags: Vec<String>,
        images: Vec<u32>,
        labels: BTreeMap<String, String>,
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut out = Fields::begin(s, "Sample", 5)?;
            out.field("Id", &self.id)?;
            out.opt("Name", &self.name)?;
            out.list("Tags", &self.tags)?;
            out.wrapped::<Images, _>("Images", &self.images)?;
            out.map("Labels", &self.labels)?;
            out.end()
        }
    }

    #[test]
    fn empty_fields_are_left_out_and_the_rest_keep_their_order() {
        let empty = Sample {
            id: "i-1".into(),
            name: None,
            tags: vec![],
            images: vec![],
            labels: BTreeMap::new(),
        };
        assert_eq!(
            serde_json::to_string(&empty).ok().as_deref(),
            Some(r#"{"Id":"i-1"}"#)
        );
        let full = Sample {
            id: "i-1".into(),
            name: Some("web".into()),
            tags: vec!["a".into()],
            images: vec![7],
            labels: BTreeMap::from([("k".into(), "v".into())]),
        };
        assert_eq!(
            serde_json::to_string(&full).ok().as_deref(),
            Some(
                r#"{"Id":"i-1","Name":"web","Tags":["a"],"Images":{"Image":[7]},"Labels":{"k":"v"}}"#
            )
        );
    }
}
