//! Rust names the generated code would define twice: a field's beside the members of the type
//! that holds it, and one product's types, methods, statics, tests and wrapper markers beside
//! each other.

use std::collections::{BTreeMap, BTreeSet};

use crate::location::NodePath;
use crate::model::{Operation, Shape, Type};
use crate::naming::{self, generated};
use crate::spec::{FieldSpec, SpecFile};

use super::Validator;
use super::limits::limit_kinds;

/// What a field is used for: decides which keys it may carry.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Request,
    Response,
    ShapeField,
}

impl Role {
    /// Members the generated type holding such a field has besides the field and its setters.
    pub(super) fn generated_members(self) -> &'static [&'static str] {
        match self {
            Role::Request => generated::BUILDER_MEMBERS,
            Role::Response => generated::RESPONSE_MEMBERS,
            Role::ShapeField => generated::SHAPE_MEMBERS,
        }
    }

    /// The generated type those members belong to, for messages.
    pub(super) fn holder(self) -> &'static str {
        match self {
            Role::Request => "the request builder",
            Role::Response => "the response",
            Role::ShapeField => "a shape",
        }
    }
}

/// A derived Rust name that the generated code already uses gets a trailing underscore, as a
/// keyword does (`Client` -> `client_`); the wire name is kept apart, so nothing on the wire
/// changes.
pub(super) fn clear_of(name: String, taken: &[&str]) -> String {
    if taken.contains(&naming::bare(&name)) {
        format!("{}_", naming::bare(&name))
    } else {
        name
    }
}

impl Validator<'_> {
    /// Shapes, enums and the types generated per operation share one namespace.
    pub(super) fn check_type_names(&mut self, shapes: &[Shape], operations: &[Operation]) {
        let root = NodePath::root();
        let mut taken: BTreeMap<String, String> = generated::PRODUCT_TYPES
            .iter()
            .map(|name| {
                (
                    (*name).to_owned(),
                    format!("`{name}`, which generated code uses"),
                )
            })
            .collect();
        // An action declared twice is reported as such, once.
        let mut seen = BTreeSet::new();
        for (i, op) in operations.iter().enumerate() {
            if !seen.insert(op.action.as_str()) {
                continue;
            }
            for name in generated::operation_types(&op.type_prefix) {
                let owner = format!("a type generated for operation {}", op.action);
                if let Some(other) = taken.insert(name.clone(), owner) {
                    self.error(
                        &root.key("operations").index(i).key("action"),
                        format!(
                            "operation `{}` would generate the type `{name}`, which is already {other}",
                            op.action
                        ),
                        "the two actions cannot share one spec; split the spec",
                    );
                }
            }
        }
        for shape in shapes {
            if let Some(owner) = taken.get(&shape.rust_name) {
                self.error(
                    &root.key("shapes").key(&shape.rust_name),
                    format!("shape `{}` has the name of {owner}", shape.rust_name),
                    "rename the shape",
                );
            }
            taken.insert(
                shape.rust_name.clone(),
                format!("shape {}", shape.rust_name),
            );
        }
        let enums: Vec<(String, NodePath)> = self
            .enums
            .iter()
            .map(|(k, (_, p))| (k.clone(), p.clone()))
            .collect();
        for (name, path) in enums {
            if let Some(owner) = taken.get(&name) {
                self.error(
                    &path,
                    format!("enum `{name}` has the name of {owner}"),
                    "set `enum:` on this field to another name",
                );
            }
        }
    }

    /// Operations' methods, modules, statics and sample tests are named after their actions:
    /// two actions must not meet in one name.
    pub(super) fn check_operation_names(&mut self, spec: &SpecFile, operations: &[Operation]) {
        let root = NodePath::root();
        let mut methods: BTreeMap<&str, &str> = BTreeMap::new();
        let mut statics: BTreeMap<String, String> = BTreeMap::from([(
            generated::SERVICE_STATIC.to_owned(),
            "the product's service".to_owned(),
        )]);
        let mut tests: BTreeMap<String, String> = BTreeMap::new();
        for (i, op) in operations.iter().enumerate() {
            let path = root.key("operations").index(i);
            match methods.insert(naming::bare(&op.method_name), &op.action) {
                // An action declared twice is reported as such, once.
                Some(other) if other == op.action => continue,
                Some(other) => {
                    self.error(
                        &path.key("action"),
                        format!(
                            "actions `{other}` and `{}` both become the method `{}`",
                            op.action, op.method_name
                        ),
                        "the two actions cannot share one spec; split the spec",
                    );
                    continue;
                }
                None => {}
            }
            let static_name = generated::operation_static(&op.method_name);
            if let Some(other) = statics.insert(
                static_name.clone(),
                format!("that of operation {}", op.action),
            ) {
                self.error(
                    &path.key("action"),
                    format!(
                        "operation `{}` would define the static `{static_name}`, which is already {other}",
                        op.action
                    ),
                    "an operation's static is its method in upper case: the two cannot share one module; split the spec",
                );
            }
            let Some(op_spec) = spec.operations.get(i) else {
                continue;
            };
            for (j, sample) in op_spec.samples.iter().enumerate() {
                let test = format!(
                    "{}_{}",
                    naming::bare(&op.method_name),
                    naming::bare(&naming::field_name(&sample.name))
                );
                let owner = format!("sample `{}` of {}", sample.name, op.action);
                if let Some(other) = tests.insert(test.clone(), owner) {
                    self.error(
                        &path.key("samples").index(j).key("name"),
                        format!(
                            "sample `{}` would be tested by `{test}`, as {other} is",
                            sample.name
                        ),
                        "give the sample another name",
                    );
                }
            }
        }
    }

    /// Each required parameter and each limit of an operation gets a test of its own in
    /// `tests/limits.rs`, named after the parameter and the limit: two must not meet in a name.
    pub(super) fn check_limit_test_names(
        &mut self,
        path: &NodePath,
        op: &Operation,
        declared: &[FieldSpec],
        shapes: &[Shape],
    ) {
        let mut tests: BTreeMap<String, String> = BTreeMap::from([(
            generated::BUILDS_TEST.to_owned(),
            "the test of the required parameters together".to_owned(),
        )]);
        for f in &op.request {
            let mut names = Vec::new();
            if f.required {
                names.push(generated::required_test(&f.rust_name));
            }
            match &f.ty {
                Type::List(item) => {
                    if f.limits.max_items.is_some() {
                        names.push(generated::limit_test(&f.rust_name, "max_items"));
                    }
                    for kind in limit_kinds(item, &f.item_limits) {
                        names.push(generated::item_limit_test(&f.rust_name, kind));
                    }
                    if let Type::Shape(s) = &**item {
                        for sf in shapes
                            .iter()
                            .filter(|x| &x.rust_name == s)
                            .flat_map(|x| &x.fields)
                        {
                            for kind in limit_kinds(&sf.ty, &sf.limits) {
                                names.push(generated::item_field_limit_test(
                                    &f.rust_name,
                                    &sf.rust_name,
                                    kind,
                                ));
                            }
                        }
                    }
                }
                ty => {
                    for kind in limit_kinds(ty, &f.limits) {
                        names.push(generated::limit_test(&f.rust_name, kind));
                    }
                }
            }
            for name in names {
                let owner = format!("parameter `{}`", f.wire_name);
                match tests.get(&name) {
                    Some(other) if *other != owner => {
                        let message = format!(
                            "a test of parameter `{}` would be named `{name}`, as {other} is",
                            f.wire_name
                        );
                        let at = declared
                            .iter()
                            .position(|d| d.name.as_deref() == Some(f.wire_name.as_str()));
                        let fpath = match at {
                            Some(j) => path.key("request").index(j).key("name"),
                            None => path.key("request"),
                        };
                        self.error(
                            &fpath,
                            message,
                            "set `rust_name:` on one of the two parameters",
                        );
                    }
                    _ => {
                        tests.insert(name, owner);
                    }
                }
            }
        }
    }

    /// Each wrapper key gets a marker type in the product's `wrappers` module.
    pub(super) fn check_wrapper_keys(&mut self, spec: &SpecFile) {
        let root = NodePath::root();
        let operation_fields = spec.operations.iter().enumerate().flat_map(|(i, op)| {
            let path = root
                .key("operations")
                .index(i)
                .key("response")
                .key("fields");
            op.response
                .fields
                .iter()
                .enumerate()
                .map(move |(j, f)| (path.index(j), f))
        });
        let shape_fields = spec.shapes.iter().flat_map(|(name, shape)| {
            let path = root.key("shapes").key(name).key("fields");
            shape
                .fields
                .iter()
                .enumerate()
                .map(move |(j, f)| (path.index(j), f))
        });
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        let mut clashes = Vec::new();
        for (path, f) in operation_fields.chain(shape_fields) {
            let Some(key) = &f.wrapper else { continue };
            let marker = generated::wrapper_type(key);
            match types.get(&marker) {
                Some(other) if other != key => {
                    clashes.push((path.key("wrapper"), key.clone(), other.clone(), marker));
                }
                Some(_) => {}
                None => {
                    types.insert(marker, key.clone());
                }
            }
        }
        for (path, key, other, marker) in clashes {
            self.error(
                &path,
                format!("wrapper keys `{other}` and `{key}` both become the marker type `{marker}`"),
                "write each key exactly as the samples have it; keys that differ only in case or punctuation cannot share one spec",
            );
        }
    }
}
