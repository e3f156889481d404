//! Parameter names and scalar values as they are written.

use std::fmt::Write as _;

/// The name of a parameter as a writer receives it: whole (`"RegionId"`), or a shape's prefix
/// and one of its fields (`("Tag.1", "Key")`), joined only when a value is written.
pub trait ParamKey {
    /// Appends the parameter's full name to `out`.
    fn write_name(self, out: &mut String);
}

impl ParamKey for &str {
    fn write_name(self, out: &mut String) {
        out.push_str(self);
    }
}

impl ParamKey for &String {
    fn write_name(self, out: &mut String) {
        out.push_str(self);
    }
}

impl ParamKey for String {
    fn write_name(self, out: &mut String) {
        out.push_str(&self);
    }
}

impl ParamKey for (&str, &str) {
    fn write_name(self, out: &mut String) {
        let (prefix, field) = self;
        out.push_str(prefix);
        out.push('.');
        out.push_str(field);
    }
}

/// A value that goes on the wire as one string.
///
/// Implemented for strings, integers, `f64` (plain decimal, never an exponent), `bool`
/// (`true`/`false`, the Go and Java SDKs' form) and, by the generator, for enums.
pub trait WireScalar {
    /// Appends the value's wire text to `out`.
    fn write_wire(&self, out: &mut String);
}

impl WireScalar for str {
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl WireScalar for String {
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: WireScalar + ?Sized> WireScalar for &T {
    fn write_wire(&self, out: &mut String) {
        (**self).write_wire(out);
    }
}

impl WireScalar for bool {
    fn write_wire(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! integer_wire_scalar {
    ($($ty:ty),*) => {$(
        impl WireScalar for $ty {
            fn write_wire(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )*};
}

integer_wire_scalar!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl WireScalar for f64 {
    /// Rust's `Display` for floats is the shortest text that reads back to the same value and
    /// never uses an exponent (`1e21` is `1000000000000000000000`, `2.0` is `2`), the plain decimal
    /// the services parse.
    fn write_wire(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl WireScalar for f32 {
    fn write_wire(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}
