//! Tests generated from the specs: every sample response decodes and re-encodes without losing a
//! field, and every documented limit and required parameter is enforced by `build()`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::fields::ident;
use crate::model::{Field, Limits, Operation, Product, ScalarType, Shape, Type};

/// The top of `tests/samples.rs`.
pub fn samples_header() -> TokenStream {
    quote! {
        //! Every sample response in the specs decodes into its response type without an anomaly,
        //! and encodes back without losing or changing a field.
    }
}

/// The tests in `tests/samples.rs` of one operation's samples.
pub fn samples(p: &Product, op: &Operation) -> TokenStream {
    let tests = op.samples.iter().map(move |s| {
                let krate = ident(&super::crate_name(p));
                let response = format_ident!("{}Response", op.type_prefix);
                let name = format_ident!(
                    "{}_{}_{}",
                    p.module,
                    op.method_name,
                    crate::naming::field_name(&s.name).trim_start_matches("r#")
                );
                let body = &s.body;
                let doc = format!(
                    " Sample `{}` of `{}`{}.",
                    s.name,
                    op.action,
                    if s.repaired { " (the repaired copy: the page's is not valid JSON)" } else { "" }
                );
                quote! {
                    #[doc = #doc]
                    #[test]
                    #[rustfmt::skip]
                    fn #name() {
                        let body = #body;
                        let (response, anomalies) = acs_runtime::decode::decode_response::<#krate::#response>(body.as_bytes())
                            .expect("the sample decodes");
                        assert!(anomalies.is_empty(), "fields that did not fit: {anomalies:#?}");
                        let original: serde_json::Value = serde_json::from_str(body).expect("the sample is JSON");
                        let again = serde_json::to_value(&response).expect("the response encodes");
                        if let Err(difference) = acs_runtime::test_oracle::equivalent(&original, &again) {
                            panic!("re-encoding lost or changed a field: {difference}");
                        }
                    }
                }
    });
    quote!(#(#tests)*)
}

/// `n` copies of `unit` as a string expression.
fn text(unit: &str, n: usize) -> TokenStream {
    match n {
        0 => quote!(""),
        1 => quote!(#unit),
        _ => {
            let n = Literal::usize_unsuffixed(n);
            quote!(#unit.repeat(#n))
        }
    }
}

/// An integer setter argument. A setter takes `impl Into<i64>`, which does not fix the type of
/// an unsuffixed literal: it would be an `i32`, too small for a 64-bit limit.
fn integer(s: ScalarType, v: i64) -> TokenStream {
    let v = if s == ScalarType::Long {
        Literal::i64_suffixed(v)
    } else {
        Literal::i64_unsuffixed(v)
    };
    quote!(#v)
}

/// The lowest and highest values of an integer type.
fn width(s: ScalarType) -> (i64, i64) {
    if s == ScalarType::Long {
        (i64::MIN, i64::MAX)
    } else {
        (i64::from(i32::MIN), i64::from(i32::MAX))
    }
}

/// A value of `ty` that passes `limits`, as a setter argument.
fn valid_value(p: &Product, ty: &Type, limits: &Limits) -> TokenStream {
    match ty {
        Type::Scalar(ScalarType::String) => match limits.min_length.unwrap_or(1).max(1) {
            1 => quote!("a".to_owned()),
            n => text("a", n as usize),
        },
        Type::Scalar(s @ (ScalarType::Integer | ScalarType::Long)) => {
            let (lowest, highest) = width(*s);
            let v = limits
                .min
                .unwrap_or(1)
                .min(limits.max.unwrap_or(i64::MAX))
                .clamp(lowest, highest);
            integer(*s, v)
        }
        Type::Scalar(ScalarType::Double) => {
            // The whole number as written, never through `f64`: rustc reads the literal.
            let v = limits.min.unwrap_or(1).min(limits.max.unwrap_or(i64::MAX));
            let v: TokenStream = format!("{v}.0").parse().unwrap_or_else(|_| quote!(1.0));
            quote!(#v)
        }
        Type::Scalar(ScalarType::Boolean) => quote!(true),
        Type::Enum(e) => {
            let e_id = ident(e);
            let wire = p
                .enums
                .iter()
                .find(|x| &x.rust_name == e)
                .and_then(|x| x.values.first())
                .map(|v| v.wire.clone())
                .unwrap_or_default();
            quote!(#e_id::from(#wire))
        }
        Type::Shape(s) => {
            let s_id = ident(s);
            quote!(#s_id::default())
        }
        Type::List(item) => {
            let v = valid_value(p, item, &Limits::default());
            quote!(vec![#v])
        }
        Type::Map(value) => {
            let v = valid_value(p, value, &Limits::default());
            quote!(std::collections::BTreeMap::from([("a".to_owned(), #v.into())]))
        }
        Type::Json => quote!(acs_runtime::JsonValue::from("a")),
    }
}

/// One way to break a scalar limit: the value, and a phrase the error must contain.
fn scalar_violations(ty: &Type, l: &Limits) -> Vec<(&'static str, TokenStream, String)> {
    let mut out = Vec::new();
    match ty {
        Type::Scalar(ScalarType::String) => {
            if let Some(max) = l.max_length {
                out.push((
                    "max_length",
                    text("a", (max + 1) as usize),
                    format!("the maximum is {max}"),
                ));
            }
            if let Some(min) = l.min_length.filter(|m| *m >= 1) {
                out.push((
                    "min_length",
                    text("a", (min - 1) as usize),
                    format!("the minimum is {min}"),
                ));
            }
            if l.ascii {
                out.push((
                    "ascii",
                    text("é", l.min_length.unwrap_or(1).max(1) as usize),
                    "ASCII".to_owned(),
                ));
            }
        }
        Type::Scalar(s @ (ScalarType::Integer | ScalarType::Long)) => {
            // A bound at (or beyond) the edge of the field's type cannot be broken by a value of
            // that type: there is no test for it (`i32::MAX + 1` would not compile).
            let (lowest, highest) = width(*s);
            if let Some(max) = l.max.filter(|m| *m < highest && *m >= lowest) {
                let v = integer(*s, max + 1);
                out.push(("max", v, format!("the maximum is {max}")));
            }
            if let Some(min) = l.min.filter(|m| *m > lowest && *m <= highest) {
                let v = integer(*s, min - 1);
                out.push(("min", v, format!("the minimum is {min}")));
            }
        }
        _ => {}
    }
    out
}

/// `tests/limits.rs`.
/// The top of `tests/limits.rs`.
pub fn limits_header() -> TokenStream {
    quote! {
        //! Every required parameter and documented limit in the specs is enforced by `build()`,
        //! with an error naming the parameter as it goes on the wire and the limit it broke.
    }
}

/// The tests in `tests/limits.rs` of one operation's required parameters and limits, in a module
/// of their own (`ecs_describe_images`).
pub fn limits(p: &Product, op: &Operation) -> TokenStream {
    let mut tests = Vec::new();
    let krate = ident(&super::crate_name(p));
    let request = format_ident!("{}Request", op.type_prefix);
    let base = required_setters(p, op, None);
    let group = format_ident!("{}_{}", p.module, op.method_name);
    let mut push = |suffix: String, body: TokenStream| {
        let name = format_ident!("{}", suffix);
        tests.push(quote! {
            #[test]
            fn #name() {
                #body
            }
        });
    };
    push(
        "builds_with_its_required_parameters".to_owned(),
        quote! {
            let request = #request::builder() #base .build();
            assert!(request.is_ok(), "{request:?}");
        },
    );
    for f in &op.request {
        let set = ident(&f.rust_name);
        let bare = f.rust_name.trim_start_matches("r#");
        let wire = &f.wire_name;
        if f.required {
            let others = required_setters(p, op, Some(&f.rust_name));
            push(
                format!("{bare}_is_required"),
                quote! {
                    let err = #request::builder() #others .build().expect_err("a required parameter is missing");
                    assert_eq!(err.parameter, #wire);
                    assert!(err.problem.contains("required"), "{err}");
                },
            );
        }
        let others = required_setters(p, op, Some(&f.rust_name));
        match &f.ty {
            Type::List(item) => {
                let set_list = format_ident!("set_{}", bare);
                let v = valid_value(p, item, &f.item_limits);
                if let Some(max) = f.limits.max_items {
                    let n = Literal::u64_unsuffixed(max);
                    let over = Literal::u64_unsuffixed(max + 1);
                    let text = format!("at most {max} are allowed");
                    let at_limit = list_argument(f, quote!(vec![#v; #n]));
                    let too_many = list_argument(f, quote!(vec![#v; #over]));
                    push(
                        format!("{bare}_max_items"),
                        quote! {
                            let at_limit = #request::builder() #others .#set_list(#at_limit).build();
                            assert!(at_limit.is_ok(), "{at_limit:?}");
                            let err = #request::builder() #others .#set_list(#too_many).build().expect_err("too many items");
                            assert_eq!(err.parameter, #wire);
                            assert!(err.problem.contains(#text), "{err}");
                        },
                    );
                }
                for (kind, bad, text) in scalar_violations(item, &f.item_limits) {
                    let item_wire = format!("{wire}.1");
                    push(
                        format!("{bare}_item_{kind}"),
                        quote! {
                            let err = #request::builder() #others .#set(#bad).build().expect_err("an item breaks its limit");
                            assert_eq!(err.parameter, #item_wire);
                            assert!(err.problem.contains(#text), "{err}");
                        },
                    );
                }
                if let Type::Shape(s) = &**item {
                    if let Some(shape) = p.shapes.iter().find(|x| &x.rust_name == s) {
                        shape_field_tests(p, shape, f, &request, &others, &mut push);
                    }
                }
            }
            ty => {
                for (kind, bad, text) in scalar_violations(ty, &f.limits) {
                    push(
                        format!("{bare}_{kind}"),
                        quote! {
                            let err = #request::builder() #others .#set(#bad).build().expect_err("the value breaks its limit");
                            assert_eq!(err.parameter, #wire);
                            assert!(err.problem.contains(#text), "{err}");
                        },
                    );
                }
            }
        }
    }
    let allow = super::allow_deprecated(super::uses_deprecated(p, op));
    quote! {
        #[rustfmt::skip]
        #allow
        mod #group {
            use #krate::*;
            #(#tests)*
        }
    }
}

/// Tests of the limits of a shape's fields inside a list parameter (`Tag.1.Key`).
fn shape_field_tests(
    p: &Product,
    shape: &Shape,
    list: &Field,
    request: &proc_macro2::Ident,
    others: &TokenStream,
    push: &mut impl FnMut(String, TokenStream),
) {
    let list_set = ident(&list.rust_name);
    let shape_id = ident(&shape.rust_name);
    for sf in &shape.fields {
        let setter = ident(&sf.rust_name);
        let _ = p;
        for (kind, bad, text) in scalar_violations(&sf.ty, &sf.limits) {
            let wire = format!("{}.1.{}", list.wire_name, sf.wire_name);
            push(
                format!(
                    "{}_{}_{}",
                    list.rust_name.trim_start_matches("r#"),
                    sf.rust_name.trim_start_matches("r#"),
                    kind
                ),
                quote! {
                    let err = #request::builder() #others .#list_set(#shape_id::new().#setter(#bad)).build().expect_err("a field of an item breaks its limit");
                    assert_eq!(err.parameter, #wire);
                    assert!(err.problem.contains(#text), "{err}");
                },
            );
        }
    }
}

/// The argument of a list's `set_` setter: the list, or `Some(list)` for a list that can be sent
/// empty (its setter can also clear it).
fn list_argument(f: &Field, list: TokenStream) -> TokenStream {
    if super::fields::empty_is_sent(f, super::fields::FieldOf::Request) {
        quote!(Some(#list))
    } else {
        list
    }
}

/// Setters for every required parameter but `except`, with valid values.
fn required_setters(p: &Product, op: &Operation, except: Option<&str>) -> TokenStream {
    let setters = op
        .request
        .iter()
        .filter(|f| f.required && Some(f.rust_name.as_str()) != except)
        .map(|f| {
            let set = ident(&f.rust_name);
            match &f.ty {
                Type::List(item) => {
                    let set_list = format_ident!("set_{}", f.rust_name.trim_start_matches("r#"));
                    let v = valid_value(p, item, &f.item_limits);
                    let list = list_argument(f, quote!(vec![#v]));
                    quote!(.#set_list(#list))
                }
                Type::Map(_) => {
                    let set_map = format_ident!("set_{}", f.rust_name.trim_start_matches("r#"));
                    let v = valid_value(p, &f.ty, &f.limits);
                    quote!(.#set_map(#v))
                }
                ty => {
                    let v = valid_value(p, ty, &f.limits);
                    quote!(.#set(#v))
                }
            }
        });
    quote!(#(#setters)*)
}
