//! Lenient decoding of maps: JSON objects whose keys are free (tags by key, labels), as
//! `BTreeMap<String, T>` so that their order is the same on every run.
//!
//! Each value decodes as [`Lenient`] does; a value no reading of which fits is an error at its
//! key, which [`decode_response`](crate::decode::decode_response) records as an anomaly and
//! blanks, keeping every other entry. A null value is left out.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};

use super::lenient::Lenient;

/// `deserialize_with` for map fields: a JSON object, or null (an empty map).
pub fn map<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<BTreeMap<String, T>, D::Error> {
    d.deserialize_any(MapVisitor(PhantomData))
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for MapVisitor<T> {
    type Value = BTreeMap<String, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
        // In a recovering decode each key names the path of its value, so that a bad value is
        // an anomaly at `Quotas.gpu` and the other entries are kept.
        if super::anomaly::recovering() {
            return entries(super::anomaly::PathMap::new(access));
        }
        entries(access)
    }
}

fn entries<'de, A: MapAccess<'de>, T: Lenient>(
    mut access: A,
) -> Result<BTreeMap<String, T>, A::Error> {
    let mut out = BTreeMap::new();
    while let Some(key) = access.next_key::<String>()? {
        if super::anomaly::Recovery::is_marker(&key) {
            // A key that is not text names no entry the map could hold: the entry is left out,
            // and reported at that key as it was written.
            let value: serde_json::Value = access.next_value()?;
            super::anomaly::Recovery::record_here(
                "the key is not text (bytes that are not UTF-8, or a \\u escape of a surrogate without its other half); the entry is left out",
                value,
            );
            continue;
        }
        if let Some(value) = access.next_value_seed(ValueSeed::<T>(PhantomData))? {
            out.insert(key, value);
        }
    }
    Ok(out)
}

struct ValueSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for ValueSeed<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        // `opt` records a bad value as an anomaly in a recovering decode.
        super::lenient::opt(d)
    }
}
