//! `Debug` of a type with secret fields (`secret: true`: a password, a key secret, a token):
//! written out, so that the secret shows as `<redacted>` (or `None` when absent) and never
//! reaches a log; a type without one derives `Debug`, which costs nothing to write.
//!
//! Every type that holds a secret field's value is written so: a response, a shape (in a
//! request or a response), a request, and the parameters a builder holds (the builder and the
//! fluent builder derive theirs, which shows those parameters through this one).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::fields::ident;
use crate::model::Field;

/// How a type holds its fields, which decides what its `Debug` shows for a secret one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holding {
    /// Every field optional: a response, a shape, the parameters a builder holds.
    Optional,
    /// A request: a required parameter as its value, the others optional.
    Request,
}

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
    written(
        name,
        fields,
        Holding::Optional,
        Some(quote! { .field("meta", &self.meta) }),
    )
}

/// The written `Debug` of a shape, or nothing when it derives one.
pub(super) fn for_shape(name: &Ident, fields: &[Field]) -> TokenStream {
    written(name, fields, Holding::Optional, None)
}

/// The written `Debug` of a request, or nothing when it derives one.
pub(super) fn for_request(name: &Ident, fields: &[Field]) -> TokenStream {
    written(name, fields, Holding::Request, None)
}

/// The written `Debug` of the parameters a builder holds (required ones still optional), or
/// nothing when they derive one.
pub(super) fn for_builder_fields(name: &Ident, fields: &[Field]) -> TokenStream {
    written(name, fields, Holding::Optional, None)
}

fn written(
    name: &Ident,
    fields: &[Field],
    holding: Holding,
    meta: Option<TokenStream>,
) -> TokenStream {
    if !redacts(fields) {
        return quote!();
    }
    let shown = name.to_string();
    let entries = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        // Named as a derived `Debug` names them: by the Rust field.
        let shown = crate::naming::bare(&f.rust_name);
        // Secret fields are strings (validation refuses others): a required request parameter
        // holds one, every other field an `Option` of one.
        match (f.secret, holding == Holding::Request && f.required) {
            (true, true) => quote! { .field(#shown, &"<redacted>") },
            (true, false) => quote! { .field(#shown, &self.#n.as_ref().map(|_| "<redacted>")) },
            (false, _) => quote! { .field(#shown, &self.#n) },
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
