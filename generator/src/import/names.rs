//! The names the import gives the types it declares (shapes and enums): one namespace per
//! product, the same structure under the same name shared, a different structure under a name
//! already taken moved to a name with the operation's prefix. Operations are read in name
//! order, so the names never depend on anything but the metadata.

use std::collections::BTreeMap;

use serde_yaml::Value;

use crate::naming::{self, generated};

/// What a declared type is, so that a shape and an enum never share a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An object type under `shapes:`.
    Shape,
    /// The valid values of a string (`enum:`).
    Enum,
}

/// Every type name the product's spec declares, with what it holds.
#[derive(Debug, Default)]
pub(crate) struct TypeNames {
    taken: BTreeMap<String, (Kind, String)>,
    /// The shapes, by name, as they are written under `shapes:`.
    pub shapes: BTreeMap<String, Value>,
    /// Wrapper keys by the marker type they become, with their spelling: two spellings of one
    /// marker (`Zone`, `zone`) cannot both be wrappers.
    wrappers: BTreeMap<String, String>,
    /// Where each shape's name came from: the name it asked for, the operation that asked, and
    /// whether it was read from a response.
    pub(super) origins: BTreeMap<String, Origin>,
}

/// The name a shape asked for, and what asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Origin {
    /// The name it would have had alone (`Tag`).
    pub base: String,
    /// The operation that declared it first (`DescribeInstances`).
    pub action: String,
    /// Read from a response (rather than a request).
    pub response: bool,
}

impl TypeNames {
    /// Whether `name` may name a type of the generated module at all.
    fn usable(name: &str) -> bool {
        naming::is_valid_ident(name)
            && !name.starts_with("r#")
            && !generated::PRODUCT_TYPES.contains(&name)
            && !generated::OPERATION_TYPE_SUFFIXES
                .iter()
                .any(|suffix| name.ends_with(suffix))
            && !name.ends_with("Builder")
    }

    /// The type name `preferred` asks for: itself, or with `Value` after it where it may not
    /// name a type.
    pub(super) fn base_name(preferred: &str) -> String {
        let preferred = naming::type_name(preferred);
        if Self::usable(&preferred) {
            preferred
        } else {
            format!("{preferred}Value")
        }
    }

    /// Whether `name` may name a shape once the shapes are shared out anew: a type name no enum
    /// holds.
    pub(super) fn may_name_shape(&self, name: &str) -> bool {
        Self::usable(name) && !matches!(self.taken.get(name), Some((Kind::Enum, _)))
    }

    /// Whether `name` may be given to a shape now.
    pub(super) fn is_free(&self, name: &str) -> bool {
        Self::usable(name) && !self.taken.contains_key(name)
    }

    /// The name for a type of `kind` whose structure reads `signature`: `preferred` if it is free
    /// or already holds the same, else `{prefix}{preferred}`, else `{prefix}{role}{preferred}`
    /// (`role` is `Request` or `Response`, or empty), else that with a number.
    pub fn claim(
        &mut self,
        kind: Kind,
        preferred: &str,
        prefix: &str,
        role: &str,
        signature: &str,
    ) -> String {
        let preferred = Self::base_name(preferred);
        let prefixed = format!("{}{preferred}", naming::type_name(prefix));
        let with_role = format!("{}{role}{preferred}", naming::type_name(prefix));
        let mut candidates = vec![preferred, prefixed.clone(), with_role];
        candidates.extend((2..).take(1000).map(|n| format!("{prefixed}{n}")));
        for name in candidates {
            match self.taken.get(&name) {
                Some((k, sig)) if *k == kind && sig == signature => return name,
                Some(_) => continue,
                None if Self::usable(&name) => {
                    self.taken
                        .insert(name.clone(), (kind, signature.to_owned()));
                    return name;
                }
                None => continue,
            }
        }
        // A thousand structures under one name cannot come from real metadata; the count keeps
        // the name unique all the same.
        let name = format!("{prefixed}{}", self.taken.len());
        self.taken
            .insert(name.clone(), (kind, signature.to_owned()));
        name
    }

    /// Whether `key` may be a wrapper key: no other spelling of it is one.
    pub fn wrapper(&mut self, key: &str) -> bool {
        let marker = generated::wrapper_type(key);
        self.wrappers
            .entry(marker)
            .or_insert_with(|| key.to_owned())
            == key
    }

    /// Declares a shape (fields already mapped) read from a request or, with `response`, a
    /// response, and returns its name.
    pub fn shape(
        &mut self,
        preferred: &str,
        prefix: &str,
        response: bool,
        description: Option<&str>,
        fields: Vec<Value>,
    ) -> String {
        let fields = Value::Sequence(fields);
        let signature = serde_yaml::to_string(&fields).unwrap_or_default();
        let role = if response { "Response" } else { "Request" };
        let name = self.claim(Kind::Shape, preferred, prefix, role, &signature);
        self.origins.entry(name.clone()).or_insert_with(|| Origin {
            base: Self::base_name(preferred),
            action: prefix.to_owned(),
            response,
        });
        self.shapes.entry(name.clone()).or_insert_with(|| {
            let mut shape = serde_yaml::Mapping::new();
            if let Some(d) = description {
                shape.insert("description".into(), d.into());
            }
            shape.insert("fields".into(), fields);
            Value::Mapping(shape)
        });
        name
    }
}
