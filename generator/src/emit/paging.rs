//! An operation's paginator, when its spec declares paging: by page number (`PageNumber` and
//! `PageSize`, with the total count) or by token (`NextToken`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::fields::{ident, type_tokens};
use super::operation::TypeNames;
use crate::model::{Field, Operation, ScalarType, Type};

/// `PagedRequest`, `PagedResponse` and `into_paginator`, for an operation that pages by number.
pub(super) fn by_page_number(op: &Operation, names: &TypeNames) -> TokenStream {
    let Some(p) = op.paging.as_ref() else {
        return TokenStream::new();
    };
    let TypeNames {
        request,
        response,
        builder,
        ..
    } = names;
    let (allow_request, allow_response) = names.allow_deprecated(op);
    let number = ident(&p.page_number);
    let size = ident(&p.page_size);
    let items = ident(&p.items);
    let item_ty = type_tokens(&p.item_type);
    let number_ty = op
        .request
        .iter()
        .find(|f| f.rust_name == p.page_number)
        .map(|f| f.ty.clone());
    let size_ty = op
        .request
        .iter()
        .find(|f| f.rust_name == p.page_size)
        .map(|f| f.ty.clone());
    let get = |t: Option<Type>, n: &Ident| match t {
        Some(Type::Scalar(ScalarType::Integer)) => quote!(self.#n.map(i64::from)),
        _ => quote!(self.#n),
    };
    let set = match number_ty.clone() {
        Some(Type::Scalar(ScalarType::Integer)) => {
            quote!(self.#number = Some(i32::try_from(page).unwrap_or(i32::MAX));)
        }
        _ => quote!(self.#number = Some(page);),
    };
    let get_number = get(number_ty, &number);
    let get_size = get(size_ty, &size);
    // A count in the response, as an `i64`, whatever type the page gives it.
    let count = |f: &Field| {
        let id = ident(&f.rust_name);
        match f.ty {
            Type::Scalar(ScalarType::String) => {
                quote!(self.#id.as_deref().and_then(|s| s.trim().parse().ok()))
            }
            Type::Scalar(ScalarType::Integer) => quote!(self.#id.map(i64::from)),
            _ => quote!(self.#id),
        }
    };
    let total = p
        .total_count
        .as_ref()
        .and_then(|t| op.response.iter().find(|f| &f.rust_name == t))
        .map_or_else(|| quote!(None), count);
    // The page size the service applied, when the response echoes the request's parameter:
    // a service that caps the size (ENS at 50) sends shorter pages than asked for, which
    // are not the last.
    let size_wire = op
        .request
        .iter()
        .find(|f| f.rust_name == p.page_size)
        .map(|f| &f.wire_name);
    let applied_size = op
        .response
        .iter()
        .find(|f| {
            Some(&f.wire_name) == size_wire
                && matches!(
                    f.ty,
                    Type::Scalar(ScalarType::String | ScalarType::Integer | ScalarType::Long)
                )
        })
        .map(|f| {
            let value = count(f);
            quote! {
                #[inline]
                fn page_size(&self) -> Option<i64> {
                    #value
                }
            }
        });
    quote! {
        #allow_request
        impl acs_runtime::paginate::PagedRequest for #request {
            #[inline]
            fn page_number(&self) -> Option<i64> {
                #get_number
            }
            #[inline]
            fn set_page_number(&mut self, page: i64) {
                #set
            }
            #[inline]
            fn page_size(&self) -> Option<i64> {
                #get_size
            }
        }

        #allow_response
        impl acs_runtime::paginate::PagedResponse for #response {
            type Item = #item_ty;
            #[inline]
            fn total_count(&self) -> Option<i64> {
                #total
            }
            #applied_size
            #[inline]
            fn items(&self) -> &[Self::Item] {
                &self.#items
            }
            #[inline]
            fn into_items(self) -> Vec<Self::Item> {
                self.#items
            }
        }

        impl<C: acs_runtime::Sender> #builder<C> {
            /// Pages through every result, starting at this request's page number: pages
            /// (`.pages()`) or items (`.items()`), a `Stream` from the async client, an
            /// `Iterator` from the blocking one.
            pub fn into_paginator(self) -> C::Paginator<#request> {
                let (client, builder) = self.into_parts();
                client.paginator(builder.build())
            }
        }
    }
}

/// `TokenPagedRequest`, `TokenPagedResponse` and `into_paginator`, for an operation that pages
/// by token.
pub(super) fn by_token(op: &Operation, names: &TypeNames) -> TokenStream {
    let Some(p) = op.token_paging.as_ref() else {
        return TokenStream::new();
    };
    let TypeNames {
        request,
        response,
        builder,
        ..
    } = names;
    let (allow_request, allow_response) = names.allow_deprecated(op);
    let request_token = ident(&p.request_token);
    let response_token = ident(&p.response_token);
    let items = ident(&p.items);
    let item_ty = type_tokens(&p.item_type);
    let size_doc = p
        .max_results
        .as_ref()
        .and_then(|m| op.request.iter().find(|f| &f.rust_name == m))
        .map(|f| format!(" `{}` sets how many items a page holds.", f.wire_name))
        .unwrap_or_default();
    let doc = format!(
        " Pages through every result by `NextToken`, from this request's token (the first page\n \
         when unset): pages (`.pages()`) or items (`.items()`), a `Stream` from the async client,\n \
         an `Iterator` from the blocking one.{size_doc}\n\n \
         The stream ends with an error, never silently, if the service answers a token it\n \
         already gave or the page cap (`max_pages`) is reached with pages left."
    );
    let doc = doc.lines().map(|l| quote!(#[doc = #l]));
    quote! {
        #allow_request
        impl acs_runtime::token_paging::TokenPagedRequest for #request {
            #[inline]
            fn next_token(&self) -> Option<&str> {
                self.#request_token.as_deref()
            }
            #[inline]
            fn set_next_token(&mut self, token: String) {
                self.#request_token = Some(token);
            }
        }

        #allow_response
        impl acs_runtime::token_paging::TokenPagedResponse for #response {
            type Item = #item_ty;
            #[inline]
            fn next_token(&self) -> Option<&str> {
                self.#response_token.as_deref()
            }
            #[inline]
            fn items(&self) -> &[Self::Item] {
                &self.#items
            }
            #[inline]
            fn into_items(self) -> Vec<Self::Item> {
                self.#items
            }
        }

        impl<C: acs_runtime::Sender> #builder<C> {
            #(#doc)*
            pub fn into_paginator(self) -> C::TokenPaginator<#request> {
                let (client, builder) = self.into_parts();
                client.token_paginator(builder.build())
            }
        }
    }
}
