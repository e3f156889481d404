//! Open enums: documented values as variants, and any other value kept as it came.

use serde::Deserializer;

use super::lenient::Lenient;

/// Decodes an open enum's wire value: text, or a number read as text.
pub fn enum_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize_lenient(d)
}

/// Implements an open enum's behaviour for an enum with documented unit variants plus
/// `Unknown(String)`, so a value the service adds later never breaks a caller: `as_str`,
/// `VALUES`, `From<&str>`, `FromStr`, `Display`, serde in the wire form, and the wire encoding.
///
/// ```
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// pub enum Usage { Instance, None_, Unknown(String) }
/// acs_runtime::codegen::open_enum!(Usage { Instance = "instance", None_ = "none" });
///
/// assert_eq!(Usage::from("none"), Usage::None_);
/// assert_eq!(Usage::from("image").as_str(), "image");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $( $variant:ident = $wire:literal ),* $(,)? }) => {
        impl $name {
            /// Every documented value, as it goes on the wire.
            pub const VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as it goes on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::codegen::serde::Serialize for $name {
            #[inline]
            fn serialize<S: $crate::codegen::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::codegen::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: $crate::codegen::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                let value = $crate::codegen::lenient::enum_value(d)?.unwrap_or_default();
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl $crate::codegen::lenient::Lenient for $name {
            #[inline]
            fn deserialize_lenient<'de, D: $crate::codegen::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<::core::option::Option<Self>, D::Error> {
                ::core::result::Result::Ok($crate::codegen::lenient::enum_value(d)?.map(Self::from))
            }
        }

        impl $crate::wire::WireScalar for $name {
            #[inline]
            fn write_wire(&self, out: &mut ::std::string::String) {
                out.push_str(self.as_str());
            }
        }
    };
}
