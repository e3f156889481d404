//! Lenient decoding of scalars and objects: a count as `"4"` or `4`, a boolean as `false` or
//! `"False"`, an object or null.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::anomaly::{PathMap, Recovery, shown};
use super::catch::caught;

/// A type that decodes leniently: `None` for null or an empty value, an error only when no
/// reading of the wire value fits.
pub trait Lenient: Sized {
    /// Decodes one value.
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

/// `deserialize_with` for `Option<T>` fields.
pub fn opt<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    if Recovery::active() {
        return caught(d, |d| T::deserialize_lenient(d), || None);
    }
    T::deserialize_lenient(d)
}

/// `deserialize_with` for required request fields: like [`opt`], but null is an error.
pub fn required<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::deserialize_lenient(d)?
        .ok_or_else(|| de::Error::custom("a value is required here, found null"))
}

/// Decodes an object type: a JSON object, or null. Anything else is an error rather than a
/// positional reading (derived `Deserialize` would read `[1, 2]` into the first two fields).
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        if Recovery::active() {
            let map = PathMap::new(map);
            return T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some);
        }
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
}

/// Implements [`Lenient`] for types whose own `Deserialize` is already lenient field by field
/// (generated object types).
#[macro_export]
macro_rules! lenient_via_serde {
    ($($t:ty),* $(,)?) => {
        $(
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

macro_rules! scalar_visitor {
    ($name:ident, $t:ty, $expecting:literal, { $($body:tt)* }) => {
        struct $name;

        impl<'de> Visitor<'de> for $name {
            type Value = Option<$t>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($expecting)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }

            $($body)*
        }
    };
}

scalar_visitor!(
    StringVisitor,
    String,
    "a string (or a number or boolean to read as text)",
    {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
    }
);

/// A shape that contains itself holds the inner value behind a `Box`; it decodes as the value.
impl<T: Lenient> Lenient for Box<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(T::deserialize_lenient(d)?.map(Box::new))
    }
}

/// A value of spec type `json` is kept whole, whatever its JSON type: it never fails to decode,
/// so it is never left empty with an anomaly. Null is no value, as for every other type.
impl Lenient for serde_json::Value {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => Ok(None),
            value => Ok(Some(value)),
        }
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(StringVisitor)
    }
}

macro_rules! integer {
    ($visitor:ident, $t:ty) => {
        scalar_visitor!($visitor, $t, "an integer (or a string holding one)", {
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                <$t>::try_from(v)
                    .map(Some)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                <$t>::try_from(v)
                    .map(Some)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                if v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64 {
                    Ok(Some(v as $t))
                } else {
                    Err(E::custom(format!("{v} is not a whole number in range")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let t = v.trim();
                if t.is_empty() {
                    // Recorded rather than read as "no value": a number the service failed to
                    // fill is worth knowing about.
                    return Err(E::invalid_value(de::Unexpected::Str(&shown(v)), &self));
                }
                t.parse::<$t>()
                    .map(Some)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(&shown(v)), &self))
            }
        });

        impl Lenient for $t {
            fn deserialize_lenient<'de, D: Deserializer<'de>>(
                d: D,
            ) -> Result<Option<Self>, D::Error> {
                d.deserialize_any($visitor)
            }
        }
    };
}

integer!(I32Visitor, i32);
integer!(I64Visitor, i64);

scalar_visitor!(F64Visitor, f64, "a number (or a string holding one)", {
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Err(E::invalid_value(de::Unexpected::Str(&shown(v)), &self));
        }
        match t.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(E::invalid_value(de::Unexpected::Str(&shown(v)), &self)),
        }
    }
});

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(F64Visitor)
    }
}

scalar_visitor!(
    BoolVisitor,
    bool,
    "a boolean (or \"true\"/\"false\" in any case, or 0/1)",
    {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            match v {
                0 => Ok(Some(false)),
                1 => Ok(Some(true)),
                _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
            }
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            match v {
                0 => Ok(Some(false)),
                1 => Ok(Some(true)),
                _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                Ok(None)
            } else if t.eq_ignore_ascii_case("true") || t == "1" {
                Ok(Some(true))
            } else if t.eq_ignore_ascii_case("false") || t == "0" {
                Ok(Some(false))
            } else {
                Err(E::invalid_value(de::Unexpected::Str(&shown(v)), &self))
            }
        }
    }
);

impl Lenient for bool {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}
