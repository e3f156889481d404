//! What the code `cargo xtask codegen` writes calls, and nothing else should: how a response's
//! fields decode ([`object`]), how a request loads from JSON and serialises
//! ([`request_fields`], [`serialize`]), the checks `build()` runs ([`checks`]), and the macros
//! that give generated types their open enums, operation errors and decoding ([`lenient`]).
//!
//! Not part of the SDK's API: it changes with the generator, in any release. Generated code is
//! thin because this is here once; what an SDK user calls is documented at the crate root.

pub mod checks;
pub mod object;
pub mod request_fields;
pub mod serialize;

pub use crate::{object_serde, open_enum, operation_error};

/// The lenient reading of each declared type, which [`object`]'s fields and the macros name
/// (what it accepts: [`crate::decode`]).
pub mod lenient {
    pub use crate::decode::lenient::{Lenient, object, opt, required};
    pub use crate::decode::list::{WrapperKey, list, opt_list, wrapped, wrapped_list};
    pub use crate::decode::map::map;
    pub use crate::decode::open_enum::enum_value;
}

/// For the macros, which expand in crates that need not depend on serde themselves.
pub use serde;
