//! Shapes, the objects fields share: their names and fields, which of them requests reach,
//! which of their fields must be boxed, and which fields hold a secret inside a shape.

use std::collections::{BTreeMap, BTreeSet};

use crate::location::NodePath;
use crate::model::{Operation, Shape, Type};
use crate::naming;
use crate::spec::SpecFile;

use super::Validator;
use super::names::Role;

impl Validator<'_> {
    pub(super) fn check_shape_names(&mut self, spec: &SpecFile) {
        let root = NodePath::root();
        for name in spec.shapes.keys() {
            if !naming::has_identifier_material(name) || !naming::is_valid_ident(name) {
                self.error(
                    &root.key("shapes").key(name),
                    format!("shape name `{name}` is not a Rust identifier"),
                    "name the shape in UpperCamelCase ASCII (`ImageTag`)",
                );
            } else if naming::type_name(name) != *name {
                self.error(
                    &root.key("shapes").key(name),
                    format!("shape name `{name}` is not UpperCamelCase"),
                    format!("rename it `{}`", naming::type_name(name)),
                );
            }
        }
    }

    /// Runs after the operations: which shapes requests reach is known only once every request
    /// parameter is resolved.
    pub(super) fn shapes(&mut self, spec: &SpecFile) -> Vec<Shape> {
        let root = NodePath::root();
        let mut shapes = Vec::new();
        for (name, shape) in &spec.shapes {
            let spath = root.key("shapes").key(name);
            self.empty_description(shape.description.as_deref(), &spath);
            let fields = self.fields(spec, &shape.fields, &spath.key("fields"), Role::ShapeField);
            shapes.push(Shape {
                rust_name: name.clone(),
                description: shape.description.clone(),
                fields,
                in_request: false,
            });
        }
        // Which shapes are reachable from request parameters, transitively.
        let mut pending: Vec<String> = self.request_shapes.iter().cloned().collect();
        let mut reached = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !reached.insert(name.clone()) {
                continue;
            }
            if let Some(shape) = shapes.iter().find(|s| s.rust_name == name) {
                for f in &shape.fields {
                    if let Type::Shape(inner) = f.ty.item() {
                        pending.push(inner.clone());
                    }
                }
            }
        }
        for shape in &mut shapes {
            shape.in_request = reached.contains(&shape.rust_name);
        }
        box_recursive_fields(&mut shapes);
        shapes
    }
}

/// Boxes every field whose shape leads back to the shape that holds it through fields that are
/// shapes (a list holds its items on the heap already): a type that contains itself has no size.
fn box_recursive_fields(shapes: &mut [Shape]) {
    let edges: BTreeMap<String, Vec<String>> = shapes
        .iter()
        .map(|s| {
            let targets = s
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Type::Shape(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            (s.rust_name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut pending = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(at) = pending.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                pending.extend(edges.get(at).into_iter().flatten().map(String::as_str));
            }
        }
        false
    };
    for shape in shapes.iter_mut() {
        for f in &mut shape.fields {
            if let Type::Shape(target) = &f.ty {
                f.boxed = reaches(target, &shape.rust_name);
            }
        }
    }
}

/// Marks `holds_secret` on every field, of an operation's request or response or of a shape,
/// whose shape (or whose items' or values' shape) has a secret field inside it at any depth.
pub(super) fn mark_secret_holders(shapes: &mut [Shape], operations: &mut [Operation]) {
    let fields_of: BTreeMap<String, Vec<(bool, Option<String>)>> = shapes
        .iter()
        .map(|s| {
            let fields = s
                .fields
                .iter()
                .map(|f| (f.secret, shape_of(&f.ty).map(str::to_owned)))
                .collect();
            (s.rust_name.clone(), fields)
        })
        .collect();
    let holds = |from: &str| {
        let mut pending = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(at) = pending.pop() {
            if !seen.insert(at) {
                continue;
            }
            for (secret, inner) in fields_of.get(at).into_iter().flatten() {
                if *secret {
                    return true;
                }
                pending.extend(inner.as_deref());
            }
        }
        false
    };
    let fields = shapes.iter_mut().flat_map(|s| s.fields.iter_mut()).chain(
        operations
            .iter_mut()
            .flat_map(|op| op.request.iter_mut().chain(op.response.iter_mut())),
    );
    for f in fields {
        f.holds_secret = shape_of(&f.ty).is_some_and(&holds);
    }
}

/// The shape a value of `ty` is, or holds as its items or values.
fn shape_of(ty: &Type) -> Option<&str> {
    match ty {
        Type::Shape(name) => Some(name),
        Type::List(item) | Type::Map(item) => shape_of(item),
        Type::Scalar(_) | Type::Enum(_) | Type::Json => None,
    }
}
