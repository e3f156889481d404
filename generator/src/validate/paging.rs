//! Paging: the request parameters and response fields a paginator turns, by page numbers or by
//! tokens.

use crate::location::NodePath;
use crate::model::{Field, Paging, ScalarType, TokenPaging, Type};

use super::Validator;

impl Validator<'_> {
    pub(super) fn paging(
        &mut self,
        p: &crate::spec::PagingSpec,
        request: &[Field],
        response: &[Field],
        path: &NodePath,
    ) -> Option<Paging> {
        let is_int = |t: &Type| matches!(t, Type::Scalar(ScalarType::Integer | ScalarType::Long));
        let mut ok = true;
        let mut find =
            |this: &mut Self, fields: &[Field], name: &str, key: &str, want: &str| match fields
                .iter()
                .find(|f| f.wire_name == name)
            {
                Some(f) => Some(f.clone()),
                None => {
                    this.error(
                        &path.key(key),
                        format!("paging field `{name}` is not a {want}"),
                        format!("name a {want} declared in this operation"),
                    );
                    ok = false;
                    None
                }
            };
        if p.max_results.is_some() {
            self.error(
                &path.key("max_results"),
                "`max_results` without `next_token`",
                "token paging names `next_token` (and `max_results`); page numbers name `page_number` and `page_size`",
            );
            return None;
        }
        let (Some(page_number), Some(page_size)) = (&p.page_number, &p.page_size) else {
            self.error(
                path,
                "paging names neither `page_number` and `page_size` nor `next_token`",
                "give `page_number: PageNumber` and `page_size: PageSize`, or `next_token: NextToken` for token paging",
            );
            return None;
        };
        let number = find(
            self,
            request,
            page_number,
            "page_number",
            "request parameter",
        );
        let size = find(self, request, page_size, "page_size", "request parameter");
        let items = find(self, response, &p.items, "items", "response field");
        let total = match &p.total_count {
            Some(t) => find(self, response, t, "total_count", "response field"),
            None => None,
        };
        for (f, key) in [(&number, "page_number"), (&size, "page_size")] {
            if let Some(f) = f {
                if !is_int(&f.ty) {
                    self.error(
                        &path.key(key),
                        format!("`{}` is not an integer", f.wire_name),
                        "page parameters must be `integer` or `long`",
                    );
                    ok = false;
                }
            }
        }
        if let Some(f) = &items {
            if !matches!(f.ty, Type::List(_)) {
                self.error(
                    &path.key("items"),
                    format!("`{}` is not a list", f.wire_name),
                    "name the response field that holds the page's items",
                );
                ok = false;
            }
        }
        if let Some(f) = &total {
            if !matches!(
                f.ty,
                Type::Scalar(ScalarType::Integer | ScalarType::Long | ScalarType::String)
            ) {
                self.error(
                    &path.key("total_count"),
                    format!("`{}` is not a count", f.wire_name),
                    "name an integer (or numeric string) response field",
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let (number, size, items) = (number?, size?, items?);
        Some(Paging {
            page_number: number.rust_name,
            page_size: size.rust_name,
            total_count: total.map(|t| t.rust_name),
            item_type: items.ty.item().clone(),
            items: items.rust_name,
        })
    }

    /// `paging: {next_token: NextToken, max_results: MaxResults, items: Images}`: the token is an
    /// optional string parameter of the request and a string field of the response.
    pub(super) fn token_paging(
        &mut self,
        p: &crate::spec::PagingSpec,
        request: &[Field],
        response: &[Field],
        path: &NodePath,
    ) -> Option<TokenPaging> {
        let token = p.next_token.as_deref()?;
        let mut ok = true;
        for key in ["page_number", "page_size", "total_count"] {
            let given = match key {
                "page_number" => p.page_number.is_some(),
                "page_size" => p.page_size.is_some(),
                _ => p.total_count.is_some(),
            };
            if given {
                self.error(
                    &path.key(key),
                    format!("`{key}` beside `next_token`"),
                    "an operation pages by tokens or by page numbers: keep one of the two",
                );
                ok = false;
            }
        }
        let is_text = |f: &Field| f.ty == Type::Scalar(ScalarType::String);
        let request_token = request.iter().find(|f| f.wire_name == token);
        match request_token {
            Some(f) if is_text(f) && !f.required => {}
            Some(f) => {
                self.error(
                    &path.key("next_token"),
                    format!("`{}` is not an optional string parameter", f.wire_name),
                    "the token is `type: string` and not `required`: the first page is asked for without one",
                );
                ok = false;
            }
            None => {
                self.error(
                    &path.key("next_token"),
                    format!("paging token `{token}` is not a request parameter"),
                    "declare it in `request:` as `type: string`",
                );
                ok = false;
            }
        }
        let response_token = response.iter().find(|f| f.wire_name == token);
        match response_token {
            Some(f) if is_text(f) => {}
            Some(f) => {
                self.error(
                    &path.key("next_token"),
                    format!("response field `{}` is not a string", f.wire_name),
                    "declare the response's token as `type: string`",
                );
                ok = false;
            }
            None => {
                self.error(
                    &path.key("next_token"),
                    format!("paging token `{token}` is not a response field"),
                    "declare it in `response: fields:` as `type: string`",
                );
                ok = false;
            }
        }
        let max_results = match &p.max_results {
            None => None,
            Some(name) => match request.iter().find(|f| f.wire_name == *name) {
                Some(f) if matches!(f.ty, Type::Scalar(ScalarType::Integer | ScalarType::Long)) => {
                    Some(f.rust_name.clone())
                }
                Some(f) => {
                    self.error(
                        &path.key("max_results"),
                        format!("`{}` is not an integer", f.wire_name),
                        "the page size is `integer` or `long`",
                    );
                    ok = false;
                    None
                }
                None => {
                    self.error(
                        &path.key("max_results"),
                        format!("paging field `{name}` is not a request parameter"),
                        "name a request parameter declared in this operation",
                    );
                    ok = false;
                    None
                }
            },
        };
        let items = match response.iter().find(|f| f.wire_name == p.items) {
            Some(f) if matches!(f.ty, Type::List(_)) => Some(f),
            Some(f) => {
                self.error(
                    &path.key("items"),
                    format!("`{}` is not a list", f.wire_name),
                    "name the response field that holds the page's items",
                );
                None
            }
            None => {
                self.error(
                    &path.key("items"),
                    format!("paging field `{}` is not a response field", p.items),
                    "name a response field declared in this operation",
                );
                None
            }
        };
        let (request_token, response_token, items) = (request_token?, response_token?, items?);
        if !ok {
            return None;
        }
        Some(TokenPaging {
            request_token: request_token.rust_name.clone(),
            response_token: response_token.rust_name.clone(),
            max_results,
            items: items.rust_name.clone(),
            item_type: items.ty.item().clone(),
        })
    }
}
