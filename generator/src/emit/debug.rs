//! `Debug` of a type with secret fields (`secret: true`: a key secret, a security token): written
//! out, so that the secret shows as `<redacted>` (or `None` when absent) and never reaches a
//! log; a type without one derives `Debug`, which costs nothing to write.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::fields::ident;
use crate::model::Field;

/// Whether the type holding `fields` writes its own `Debug`.
pub(super) fn redacts(fields: &[Field]) -> bool {
    fields.iter().any(|f| f.secret)
}

/// `Debug, ` for the derive list, unless the type writes its own.
pub(super) fn derive(fields: &[Field]) -> TokenStream {
    if redacts(fields) {
        quote!()
    } else {
        quote!(Debug,)
    }
}

/// The written `Debug` of a response, or nothing when it derives one; it ends with the
/// response's `meta`, whose own `Debug` shows the body by its length.
pub(super) fn for_response(name: &Ident, fields: &[Field]) -> TokenStream {
    written(name, fields, Some(quote! { .field("meta", &self.meta) }))
}

/// The written `Debug` of a shape, or nothing when it derives one.
pub(super) fn for_shape(name: &Ident, fields: &[Field]) -> TokenStream {
    written(name, fields, None)
}

fn written(name: &Ident, fields: &[Field], meta: Option<TokenStream>) -> TokenStream {
    if !redacts(fields) {
        return quote!();
    }
    let shown = name.to_string();
    let entries = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        // Named as a derived `Debug` names them: by the Rust field.
        let shown = crate::naming::bare(&f.rust_name);
        if f.secret {
            // Secret fields are optional strings (validation refuses others).
            quote! { .field(#shown, &self.#n.as_ref().map(|_| "<redacted>")) }
        } else {
            quote! { .field(#shown, &self.#n) }
        }
    });
    quote! {
        #[allow(deprecated)]
        impl ::core::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#shown)
                    #(#entries)*
                    #meta
                    .finish()
            }
        }
    }
}
