//! How a request parameter goes on the wire: where (query, body or a header) and in which style.

use crate::location::NodePath;
use crate::model::{Location, Type, WireStyle};
use crate::spec::FieldSpec;

use super::Validator;
use super::names::Role;

impl Validator<'_> {
    /// A request parameter goes in the query unless `location:` says otherwise; no other field
    /// has a place of its own to declare.
    pub(super) fn location(
        &mut self,
        f: &FieldSpec,
        wire_name: &str,
        ty: &Type,
        role: Role,
        path: &NodePath,
    ) -> Location {
        match (role, f.location.as_deref()) {
            (_, None) | (Role::Request, Some("query")) => Location::Query,
            (Role::Request, Some("body")) => Location::Body,
            (Role::Request, Some("header")) => self.header_location(wire_name, ty, path),
            (Role::Request, Some(other)) => {
                self.error(
                    &path.key("location"),
                    format!("unknown location `{other}`"),
                    "use `query`, `body` or `header`",
                );
                Location::Query
            }
            (_, Some(_)) => {
                self.error(
                    &path.key("location"),
                    "`location` is for request parameters only",
                    "remove it",
                );
                Location::Query
            }
        }
    }

    /// `location: header`: one scalar value, under a name HTTP accepts as a header name.
    fn header_location(&mut self, wire_name: &str, ty: &Type, path: &NodePath) -> Location {
        if !matches!(ty, Type::Scalar(_) | Type::Enum(_)) {
            self.error(
                &path.key("location"),
                format!("`{wire_name}` is not a scalar and cannot be a header"),
                "send lists and objects in the query or the body",
            );
        }
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if !wire_name.chars().all(token) {
            self.error(
                &path.key("name"),
                format!("`{wire_name}` is not a valid HTTP header name"),
                "a header name holds ASCII letters, digits and `-` (`x-acs-resource-group-id`)",
            );
        }
        if let Some(reserved) = crate::model::reserved_header(wire_name) {
            self.error(
                &path.key("name"),
                format!(
                    "`{wire_name}` is a header the client or the signature sets itself (`{reserved}`): the request would carry it twice"
                ),
                format!(
                    "remove the parameter: the SDK sends `{reserved}` on every call; if the service reads the value under another header, give that name"
                ),
            );
        }
        Location::Header
    }

    pub(super) fn style(
        &mut self,
        f: &FieldSpec,
        ty: &Type,
        role: Role,
        path: &NodePath,
    ) -> WireStyle {
        let default = match ty {
            // Any JSON value has one form on the wire: its JSON text.
            _ if matches!(ty.item(), Type::Json) => WireStyle::Json,
            Type::List(item) if matches!(**item, Type::Shape(_)) => WireStyle::Flat,
            Type::List(_) => WireStyle::RepeatList,
            Type::Shape(_) | Type::Map(_) => WireStyle::Flat,
            _ => WireStyle::Plain,
        };
        let Some(style) = f.style.as_deref() else {
            return default;
        };
        if role == Role::Response {
            self.error(
                &path.key("style"),
                "`style` is for request parameters only",
                "remove it",
            );
            return default;
        }
        let parsed = match style {
            "plain" => WireStyle::Plain,
            "repeat_list" => WireStyle::RepeatList,
            "flat" => WireStyle::Flat,
            "json" => WireStyle::Json,
            "comma" => WireStyle::Comma,
            other => {
                self.error(
                    &path.key("style"),
                    format!("unknown wire style `{other}`"),
                    "use plain, repeat_list, flat, json or comma",
                );
                return default;
            }
        };
        let item_is_shape = matches!(ty.item(), Type::Shape(_));
        let holds_json = matches!(ty.item(), Type::Json);
        let fits = match (parsed, ty) {
            (WireStyle::Json, _) if holds_json => true,
            _ if holds_json => false,
            (WireStyle::Plain, Type::Scalar(_) | Type::Enum(_)) => true,
            (WireStyle::RepeatList | WireStyle::Comma, Type::List(_)) => !item_is_shape,
            (WireStyle::Flat, Type::Shape(_)) => true,
            (WireStyle::Flat, Type::List(_)) => item_is_shape,
            (WireStyle::Json, Type::List(_) | Type::Shape(_) | Type::Map(_)) => true,
            (WireStyle::Flat, Type::Map(_)) => true,
            _ => false,
        };
        if !fits {
            let what = match ty {
                _ if holds_json => "which holds any JSON value",
                Type::Map(_) => "a map",
                Type::List(_) if item_is_shape => "a list of objects",
                Type::List(_) => "a list of scalars",
                Type::Shape(_) => "an object that is not a list",
                _ => "a scalar",
            };
            let help = match ty {
                _ if holds_json => "use `json` (the value as one JSON text), or leave `style` out",
                Type::Map(_) => "use `flat` (`Name.key=value`) or `json` (one JSON object)",
                Type::List(_) if item_is_shape => "use `flat` (`Tag.1.Key=...`) or `json`",
                Type::List(_) => "use `repeat_list`, `comma` or `json`",
                Type::Shape(_) => "use `flat` (`Name.Field=...`) or `json` (one JSON object)",
                _ => "use `plain`, or make the field a list",
            };
            self.error(
                &path.key("style"),
                format!(
                    "style `{style}` does not fit `{}`, {what}",
                    f.name.as_deref().unwrap_or("?")
                ),
                help,
            );
            return default;
        }
        parsed
    }
}
