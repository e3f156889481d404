//! One runnable example per operation: credentials from the environment, results as a table.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::ident;
use crate::model::{Field, Operation, Product, Type};

/// The name of a product's blocking example (`examples/blocking.rs`), which no operation's method
/// can have.
pub const BLOCKING: &str = "blocking";

/// How many columns the printed table has at most.
const MAX_COLUMNS: usize = 4;

/// Which client an example calls through.
#[derive(Clone, Copy)]
enum Flavor {
    /// The async `Client`, on a tokio runtime of the example's own.
    Async,
    /// The `BlockingClient`, from a plain `main`.
    Blocking,
}

/// The example program for `op`.
pub fn example(p: &Product, op: &Operation) -> TokenStream {
    program(p, op, Flavor::Async)
}

/// The product's blocking example: `op`'s call through the `BlockingClient`.
pub fn blocking_example(p: &Product, op: &Operation) -> TokenStream {
    program(p, op, Flavor::Blocking)
}

fn program(p: &Product, op: &Operation, flavor: Flavor) -> TokenStream {
    let krate = ident(&super::crate_name(p));
    let method = ident(&op.method_name);
    let (how, features, name) = match flavor {
        Flavor::Async => ("", String::new(), op.method_name.as_str()),
        Flavor::Blocking => (
            ", without an async runtime, through the blocking client,",
            " --features blocking".to_owned(),
            BLOCKING,
        ),
    };
    let doc = format!(
        " Calls `{action}` of {name}{how} and prints the results as a table.\n\n Credentials come from the default chain (`ALIBABA_CLOUD_ACCESS_KEY_ID` /\n `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, an OIDC role, `~/.aliyun/config.json`, the ECS instance's\n RAM role, ...); the region from `ALIBABA_CLOUD_REGION_ID` (default `cn-hangzhou`).\n\n ```text\n cargo run -p {package}{features} --example {example}\n ```",
        action = op.action,
        name = p.name,
        package = super::package_name(p),
        example = name
    );
    let doc_lines = doc.lines().map(|l| quote!(#![doc = #l]));
    let allow = super::allow_deprecated(super::uses_deprecated(p, op));
    let region_param = op.request.iter().find(|f| f.wire_name == "RegionId");
    let set_region = region_param.map(|f| {
        let n = ident(&f.rust_name);
        quote!(.#n(region.clone()))
    });
    let table = items_field(p, op).map(|(items, columns)| {
        let items_id = ident(&items.rust_name);
        let headers: Vec<&str> = columns.iter().map(|c| c.wire_name.as_str()).collect();
        let cells = columns.iter().map(|c| {
            let n = ident(&c.rust_name);
            quote!(item.#n.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "-".to_owned()))
        });
        quote! {
            let headers: &[&str] = &[#(#headers),*];
            let rows: Vec<Vec<String>> = out.#items_id.iter().map(|item| vec![#(#cells),*]).collect();
            print_table(headers, &rows);
        }
    });
    // An operation with no list to show prints its output whole, and has no use for the table.
    let printer = table.is_some().then(print_table);
    let table = table.unwrap_or_else(|| quote!(println!("{:#?}", out);));
    let region_binding = if region_param.is_some() {
        quote!(let region = std::env::var("ALIBABA_CLOUD_REGION_ID").unwrap_or_else(|_| "cn-hangzhou".to_owned());)
    } else {
        quote!()
    };
    let program = match flavor {
        Flavor::Async => quote! {
            #[rustfmt::skip]
            use #krate::Client;

            #[rustfmt::skip]
            #allow
            #[tokio::main]
            async fn main() -> Result<(), Box<dyn std::error::Error>> {
                #region_binding
                let client = Client::from_env().await?;
                let out = client.#method()#set_region.send().await?;
                #table
                Ok(())
            }
        },
        Flavor::Blocking => quote! {
            #[rustfmt::skip]
            use #krate::BlockingClient;

            #[rustfmt::skip]
            #allow
            fn main() -> Result<(), Box<dyn std::error::Error>> {
                #region_binding
                let client = BlockingClient::from_env_blocking()?;
                let out = client.#method()#set_region.send()?;
                #table
                Ok(())
            }
        },
    };
    quote! {
        #(#doc_lines)*

        #program

        #printer
    }
}

/// The example's function that prints a table.
fn print_table() -> TokenStream {
    quote! {
        /// Prints rows under headers, each column as wide as its widest cell.
        #[rustfmt::skip]
        fn print_table(headers: &[&str], rows: &[Vec<String>]) {
            let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
            for row in rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cells: Vec<&str>| {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| format!("{c:<w$}"))
                    .collect();
                println!("{}", padded.join("  ").trim_end());
            };
            line(headers.to_vec());
            for row in rows {
                line(row.iter().map(String::as_str).collect());
            }
            println!("({} rows)", rows.len());
        }
    }
}

/// The list of objects to print, and up to [`MAX_COLUMNS`] scalar fields of its items that hold
/// no secret.
fn items_field<'a>(p: &'a Product, op: &'a Operation) -> Option<(&'a Field, Vec<&'a Field>)> {
    let items = match &op.paging {
        Some(paging) => op.response.iter().find(|f| f.rust_name == paging.items),
        None => op
            .response
            .iter()
            .find(|f| matches!(f.ty.item(), Type::Shape(_)) && matches!(f.ty, Type::List(_))),
    }?;
    let Type::Shape(shape_name) = items.ty.item() else {
        return None;
    };
    let shape = p.shapes.iter().find(|s| &s.rust_name == shape_name)?;
    let columns: Vec<&Field> = shape
        .fields
        .iter()
        // A secret would be printed whole: its `to_string()` is the value, not `Debug`'s blank.
        .filter(|f| matches!(f.ty, Type::Scalar(_) | Type::Enum(_)) && !f.secret)
        .take(MAX_COLUMNS)
        .collect();
    Some((items, columns))
}
