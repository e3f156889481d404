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

    /// The name for a type of `kind` whose structure reads `signature`: `preferred` if it is free
    /// or already holds the same, else `{prefix}{preferred}`, else that with a number.
    pub fn claim(&mut self, kind: Kind, preferred: &str, prefix: &str, signature: &str) -> String {
        let preferred = naming::type_name(preferred);
        let preferred = if Self::usable(&preferred) {
            preferred
        } else {
            format!("{preferred}Value")
        };
        let prefixed = format!("{}{preferred}", naming::type_name(prefix));
        let mut candidates = vec![preferred, prefixed.clone()];
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

    /// Declares a shape (fields already mapped) and returns its name.
    pub fn shape(
        &mut self,
        preferred: &str,
        prefix: &str,
        description: Option<&str>,
        fields: Vec<Value>,
    ) -> String {
        let fields = Value::Sequence(fields);
        let signature = serde_yaml::to_string(&fields).unwrap_or_default();
        let name = self.claim(Kind::Shape, preferred, prefix, &signature);
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
