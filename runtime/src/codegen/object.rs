//! Decoding of generated object types (responses and shapes) field by field.
//!
//! A generated type names, for each wire key, the field it fills and how ([`Object::decode_field`]:
//! one `match` arm per field); everything else (the map walk, skipping unknown keys, the lenient
//! readings of each value) is here, once. This is what `#[derive(Deserialize)]` with a
//! `deserialize_with` per field would expand to in every type, at a fraction of the code: the
//! generated crate's compile time is the cost that grows with every operation.
//!
//! A key that appears twice is read twice, and the last value wins. Unknown keys are skipped.
//! A value that no leniency can read is an error at that key, which
//! [`decode_response`](crate::decode::decode_response) records as an anomaly.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::codegen::lenient::{self, Lenient, WrapperKey};

/// A generated object type that decodes field by field. Implemented by generated code; see
/// [`object_serde!`](crate::codegen::object_serde).
pub trait Object: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of `key` from `map` into its field, or skips it when no field has that
    /// wire name.
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// `Deserialize` for an [`Object`]: a JSON object, read key by key into `T::default()`.
pub fn deserialize<'de, D: Deserializer<'de>, T: Object>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            out.decode_field(&key.0, &mut map)?;
        }
        Ok(out)
    }
}

/// A map key, borrowed from the input where it can be.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// Reads an optional field leniently ([`Lenient`]): null or an empty value is `None`.
pub fn opt<'de, A: MapAccess<'de>, T: Lenient>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(Seed::<T, Opt>(PhantomData))?;
    Ok(())
}

/// Reads a list field: an array, an array wrapped in a one-key object, or null.
pub fn list<'de, A: MapAccess<'de>, T: Lenient>(
    map: &mut A,
    slot: &mut Vec<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(Seed::<T, List>(PhantomData))?;
    Ok(())
}

/// Reads a list the spec declares wrapped under `K::KEY` (`{"Image": [...]}`).
pub fn wrapped_list<'de, K: WrapperKey, A: MapAccess<'de>, T: Lenient>(
    map: &mut A,
    slot: &mut Vec<T>,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(Seed::<T, Wrapped<K>>(PhantomData))?;
    Ok(())
}

/// Reads a map field (an object with free keys), each value leniently.
pub fn map<'de, A: MapAccess<'de>, T: Lenient>(
    map: &mut A,
    slot: &mut BTreeMap<String, T>,
) -> Result<(), A::Error> {
    *slot = map.next_value_seed(Seed::<T, Map>(PhantomData))?;
    Ok(())
}

/// Reads a field that holds a secret (a secret string, or an object with one inside) by `read`
/// (one of [`opt`], [`list`], [`wrapped_list`], [`map`]): a value that does not fit is recorded as
/// an anomaly with its path only, never its value.
pub fn secret<'de, A: MapAccess<'de>>(
    map: &mut A,
    read: impl FnOnce(&mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let _hidden = crate::decode::anomaly::HiddenValues::enter();
    read(map)
}

/// Skips the value of a key no field has.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>()?;
    Ok(())
}

/// How a field's value is read.
trait Reading<T> {
    type Value;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error>;
}

struct Opt;
struct List;
struct Map;
struct Wrapped<K>(PhantomData<K>);

impl<T: Lenient> Reading<T> for Opt {
    type Value = Option<T>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        lenient::opt(d)
    }
}

impl<T: Lenient> Reading<T> for List {
    type Value = Vec<T>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        lenient::list(d)
    }
}

impl<T: Lenient, K: WrapperKey> Reading<T> for Wrapped<K> {
    type Value = Vec<T>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        lenient::wrapped_list::<K, D, T>(d)
    }
}

impl<T: Lenient> Reading<T> for Map {
    type Value = BTreeMap<String, T>;
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, T>, D::Error> {
        lenient::map(d)
    }
}

struct Seed<T, R>(PhantomData<(T, R)>);

impl<'de, T, R: Reading<T>> DeserializeSeed<'de> for Seed<T, R> {
    type Value = R::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<R::Value, D::Error> {
        R::read(d)
    }
}

/// Implements `serde::Deserialize` (through [`deserialize`]) and [`Lenient`] for generated
/// [`Object`] types.
#[doc(hidden)]
#[macro_export]
macro_rules! object_serde {
    ($($t:ty),* $(,)?) => {
        $(
            impl<'de> $crate::codegen::serde::Deserialize<'de> for $t {
                fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(
                    d: D,
                ) -> ::core::result::Result<Self, D::Error> {
                    $crate::codegen::object::deserialize(d)
                }
            }

            impl $crate::codegen::lenient::Lenient for $t {
                fn deserialize_lenient<'de, D: $crate::codegen::serde::Deserializer<'de>>(
                    d: D,
                ) -> ::core::result::Result<::core::option::Option<Self>, D::Error> {
                    $crate::codegen::lenient::object(d)
                }
            }
        )*
    };
}
