//! How the recovering decode catches a value that does not fit, in one pass through the body.
//!
//! Each place a bad value can be caught ([`caught`]) decodes its value through a [`Catching`]
//! deserializer, which hands the value to the decoding visitor and watches what it does. When the
//! visitor refuses the value, the value is still at hand: a scalar it was given, or an object or
//! array it has not begun to read, which is then read whole into a `serde_json::Value` (only the
//! bad value is ever copied). The value is recorded as an anomaly at the current path and the
//! field left empty, and the decode goes on from the next byte of the body. Nothing is parsed
//! twice and no tree of the body is built.
//!
//! A visitor that reads part of a value before finding that it does not fit leaves what it read
//! with [`Recovery::set_read_whole`] (the lists do: a wrapper object is known to be one only once
//! all of it is read); an error from the body itself (not JSON, too deep) is never caught.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::anomaly::Recovery;

/// In a recovering decode: decodes a value with `decode`, and when the value does not fit,
/// records it as an anomaly and returns `empty()`.
pub(super) fn caught<'de, D, V>(
    d: D,
    decode: impl FnOnce(Catching<D>) -> Result<V, D::Error>,
    empty: impl FnOnce() -> V,
) -> Result<V, D::Error>
where
    D: Deserializer<'de>,
{
    match decode(Catching(d)) {
        Ok(decoded) => Ok(decoded),
        Err(err) => {
            if Recovery::take_caught() {
                Ok(empty())
            } else {
                Err(err)
            }
        }
    }
}

/// A deserializer whose visitor's refusal of the value is recorded (see the module).
pub(super) struct Catching<D>(D);

macro_rules! forward {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(CatchingVisitor(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Catching<D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_unit_struct(name, CatchingVisitor(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_newtype_struct(name, CatchingVisitor(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, CatchingVisitor(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_tuple_struct(name, len, CatchingVisitor(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_struct(name, fields, CatchingVisitor(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_enum(name, variants, CatchingVisitor(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor that records the value its inner visitor refuses.
struct CatchingVisitor<V>(V);

/// A scalar the visitor refused is recorded as it is.
fn scalar<T, E: de::Error>(decoded: Result<T, E>, raw: impl FnOnce() -> Value) -> Result<T, E> {
    decoded.inspect_err(|err| Recovery::catch(&err.to_string(), raw()))
}

/// The marker of a string that is not text is recorded as that string, before any visitor
/// could read the marker as text.
fn marker<T, E: de::Error>(text: &str) -> Option<Result<T, E>> {
    Recovery::catch_marker(text).map(|reason| Err(E::custom(reason)))
}

macro_rules! visit_number {
    ($($method:ident: $t:ty),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, v: $t) -> Result<V::Value, E> {
                scalar(self.0.$method(v), || Value::from(v))
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for CatchingVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        scalar(self.0.visit_bool(v), || Value::Bool(v))
    }

    visit_number!(
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_f32: f32,
        visit_f64: f64,
    );

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        scalar(self.0.visit_i128(v), || Value::String(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        scalar(self.0.visit_u128(v), || Value::String(v.to_string()))
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        scalar(self.0.visit_char(v), || Value::String(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        if let Some(refused) = marker(v) {
            return refused;
        }
        scalar(self.0.visit_str(v), || Value::String(v.to_owned()))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        if let Some(refused) = marker(v) {
            return refused;
        }
        scalar(self.0.visit_borrowed_str(v), || Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        if let Some(refused) = marker(&v) {
            return refused;
        }
        // Lent rather than given, so that the text is still here if the visitor refuses it.
        scalar(self.0.visit_str(&v), || Value::String(v.clone()))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        scalar(self.0.visit_bytes(v), || bytes(v))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        scalar(self.0.visit_borrowed_bytes(v), || bytes(v))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        scalar(self.0.visit_bytes(&v), || bytes(&v))
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        scalar(self.0.visit_none(), || Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        scalar(self.0.visit_unit(), || Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Catching(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Catching(d))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(data)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let mut tracked = Tracked::new(seq);
        let err = match self.0.visit_seq(&mut tracked) {
            Ok(decoded) => return Ok(decoded),
            Err(err) => err,
        };
        let raw = match tracked.progress {
            Progress::Broken => {
                let _ = Recovery::take_read_whole();
                return Err(err);
            }
            Progress::Untouched => {
                Value::deserialize(de::value::SeqAccessDeserializer::new(tracked.access))?
            }
            Progress::Reading => {
                while tracked.access.next_element::<IgnoredAny>()?.is_some() {}
                Recovery::take_read_whole().unwrap_or(Value::Null)
            }
            Progress::Ended => Recovery::take_read_whole().unwrap_or(Value::Null),
        };
        Recovery::catch(&err.to_string(), raw);
        Err(err)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let mut tracked = Tracked::new(map);
        let err = match self.0.visit_map(&mut tracked) {
            Ok(decoded) => return Ok(decoded),
            Err(err) => err,
        };
        let raw = match tracked.progress {
            Progress::Broken => {
                let _ = Recovery::take_read_whole();
                return Err(err);
            }
            Progress::Untouched => {
                Value::deserialize(de::value::MapAccessDeserializer::new(tracked.access))?
            }
            Progress::Reading => {
                if tracked.value_pending {
                    tracked.access.next_value::<IgnoredAny>()?;
                }
                while tracked
                    .access
                    .next_entry::<IgnoredAny, IgnoredAny>()?
                    .is_some()
                {}
                Recovery::take_read_whole().unwrap_or(Value::Null)
            }
            Progress::Ended => Recovery::take_read_whole().unwrap_or(Value::Null),
        };
        Recovery::catch(&err.to_string(), raw);
        Err(err)
    }
}

fn bytes(v: &[u8]) -> Value {
    Value::Array(v.iter().map(|b| Value::from(*b)).collect())
}

/// How far a visitor has read an object or array it was given.
#[derive(Clone, Copy)]
enum Progress {
    /// Nothing read: the whole value is still in the body.
    Untouched,
    /// Read in part.
    Reading,
    /// Read to its end.
    Ended,
    /// The body failed under it: not JSON, or too deep; nothing more can be read.
    Broken,
}

/// An object's or array's access, noting how far it was read.
struct Tracked<A> {
    access: A,
    progress: Progress,
    /// Whether an object's key was read and its value not.
    value_pending: bool,
}

impl<A> Tracked<A> {
    fn new(access: A) -> Self {
        Tracked {
            access,
            progress: Progress::Untouched,
            value_pending: false,
        }
    }

    fn note<T, E>(&mut self, read: &Result<Option<T>, E>) {
        self.progress = match read {
            Err(_) => Progress::Broken,
            Ok(None) => Progress::Ended,
            Ok(Some(_)) => Progress::Reading,
        };
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Tracked<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = self.access.next_key_seed(seed);
        self.note(&key);
        self.value_pending = matches!(key, Ok(Some(_)));
        key
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let value = self.access.next_value_seed(seed);
        self.value_pending = false;
        self.progress = match value {
            Ok(_) => Progress::Reading,
            Err(_) => Progress::Broken,
        };
        value
    }

    fn size_hint(&self) -> Option<usize> {
        self.access.size_hint()
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Tracked<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let element = self.access.next_element_seed(seed);
        self.note(&element);
        element
    }

    fn size_hint(&self) -> Option<usize> {
        self.access.size_hint()
    }
}
