//! The generated crate's `catalog` module: every operation of every product as an
//! `acs_runtime::catalog::Entry`, so that tests and benchmarks walk the operations the specs
//! declare instead of keeping their own lists.
//!
//! It sits behind the crate's `catalog` feature (off by default, enabled for the workspace's
//! test crates) and is hidden from the docs: users never compile it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::fields::ident;
use crate::model::{Operation, Product};

/// The generated crate's feature that compiles the catalog.
pub const FEATURE: &str = "catalog";

/// The `mod` item of `src/lib.rs` that declares the catalog.
pub fn module_item() -> TokenStream {
    quote! {
        #[cfg(feature = #FEATURE)]
        #[doc(hidden)]
        // Generated text stays as the generator formats it, as for the product modules.
        #[rustfmt::skip]
        pub mod catalog;
    }
}

/// The manifest line that declares the catalog's feature.
pub fn cargo_feature() -> String {
    format!("{FEATURE} = []\n")
}

/// `src/catalog.rs`.
pub fn catalog(products: &[Product]) -> TokenStream {
    let entries = products
        .iter()
        .flat_map(|p| p.operations.iter().map(move |op| entry(p, op)));
    let impls = products
        .iter()
        .flat_map(|p| p.operations.iter().map(move |op| request_impl(p, op)));
    quote! {
        //! Test support: every operation of the enabled products, for tests that must cover each
        //! one without naming it. Not part of the SDK's API.

        /// Every operation of every enabled product, in the order of the products' modules and
        /// then of their specs.
        pub static OPERATIONS: &[acs_runtime::catalog::Entry] = &[#(#entries)*];

        #(#impls)*
    }
}

fn entry(p: &Product, op: &Operation) -> TokenStream {
    let feature = &p.module;
    let module_name = &p.module;
    let module = ident(&p.module);
    let spec = &p.file;
    let action = &op.action;
    let request = format_ident!("{}Request", op.type_prefix);
    let response = format_ident!("{}Response", op.type_prefix);
    let op_static = super::operation::static_ident(op);
    quote! {
        #[cfg(feature = #feature)]
        acs_runtime::catalog::Entry {
            module: #module_name,
            spec: #spec,
            action: #action,
            service: &crate::#module::SERVICE,
            operation: &crate::#module::#op_static,
            decode: acs_runtime::catalog::decode::<crate::#module::#response>,
            decode_to_json: acs_runtime::catalog::decode_to_json::<crate::#module::#response>,
            load_request: acs_runtime::catalog::load_request::<crate::#module::#request>,
            request_to_json: acs_runtime::catalog::request_to_json::<crate::#module::#request>,
        },
    }
}

fn request_impl(p: &Product, op: &Operation) -> TokenStream {
    let feature = &p.module;
    let module = ident(&p.module);
    let request = format_ident!("{}Request", op.type_prefix);
    quote! {
        #[cfg(feature = #feature)]
        impl acs_runtime::catalog::CatalogRequest for crate::#module::#request {
            fn validate(&self) -> Result<(), acs_runtime::validate::BuildError> {
                crate::#module::#request::validate(self)
            }
        }
    }
}
