//! The specs, as far as the wire is concerned: each operation's parameters with their types,
//! styles, locations and limits, read from the YAML.

use super::*;

#[derive(Debug, Clone, Default)]
pub(super) struct Limits {
    pub(super) min_length: Option<usize>,
    pub(super) max_length: Option<usize>,
    pub(super) ascii: bool,
    pub(super) min: Option<i64>,
    pub(super) max: Option<i64>,
    pub(super) min_items: Option<usize>,
    pub(super) max_items: Option<usize>,
}

#[derive(Debug, Clone)]
pub(super) enum Ty {
    Str,
    Int,
    Long,
    Double,
    Bool,
    Shape(String),
    Array(Box<Ty>, Limits),
}

#[derive(Debug, Clone)]
pub(super) struct Field {
    pub(super) name: String,
    pub(super) ty: Ty,
    pub(super) style: Option<String>,
    pub(super) body: bool,
    pub(super) required: bool,
    pub(super) limits: Limits,
}

#[derive(Debug)]
pub(super) struct Operation {
    pub(super) module: String,
    pub(super) action: String,
    pub(super) params: Vec<Field>,
    pub(super) shapes: BTreeMap<String, Vec<Field>>,
}

pub(super) fn limits_of(v: Option<&serde_yaml::Value>) -> Limits {
    let Some(v) = v else {
        return Limits::default();
    };
    let n = |k: &str| v.get(k).and_then(serde_yaml::Value::as_i64);
    let u = |k: &str| n(k).and_then(|x| usize::try_from(x).ok());
    Limits {
        min_length: u("min_length"),
        max_length: u("max_length"),
        ascii: v
            .get("ascii")
            .and_then(serde_yaml::Value::as_bool)
            .unwrap_or(false),
        min: n("min"),
        max: n("max"),
        min_items: u("min_items"),
        max_items: u("max_items"),
    }
}

pub(super) fn ty_of(name: &str, shapes: &BTreeMap<String, serde_yaml::Value>) -> Ty {
    match name {
        "string" => Ty::Str,
        "integer" => Ty::Int,
        "long" => Ty::Long,
        "double" => Ty::Double,
        "boolean" => Ty::Bool,
        shape if shapes.contains_key(shape) => Ty::Shape(shape.to_owned()),
        other => panic!("unknown type `{other}` in a spec"),
    }
}

pub(super) fn field_of(
    v: &serde_yaml::Value,
    shapes: &BTreeMap<String, serde_yaml::Value>,
) -> Field {
    let s = |k: &str| {
        v.get(k)
            .and_then(serde_yaml::Value::as_str)
            .map(str::to_owned)
    };
    let ty_name = s("type").unwrap_or_default();
    let ty = if ty_name == "array" {
        let items = v.get("items");
        let (item_ty, item_limits) = match items {
            Some(serde_yaml::Value::String(name)) => (ty_of(name, shapes), Limits::default()),
            Some(map) => (
                ty_of(
                    map.get("type")
                        .and_then(serde_yaml::Value::as_str)
                        .unwrap_or_default(),
                    shapes,
                ),
                limits_of(map.get("limits")),
            ),
            None => panic!("an array without items"),
        };
        Ty::Array(Box::new(item_ty), item_limits)
    } else {
        ty_of(&ty_name, shapes)
    };
    Field {
        name: s("name").unwrap_or_default(),
        ty,
        style: s("style"),
        body: s("location").as_deref() == Some("body"),
        required: v
            .get("required")
            .and_then(serde_yaml::Value::as_bool)
            .unwrap_or(false),
        limits: limits_of(v.get("limits")),
    }
}

/// Every operation of every spec, with the shapes of its product.
pub(super) fn operations() -> Vec<Operation> {
    let specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for spec in &specs {
        let raw_shapes: BTreeMap<String, serde_yaml::Value> = spec
            .shape_names()
            .into_iter()
            .map(|name| (name.to_owned(), spec.shape(name).clone()))
            .collect();
        let shapes: BTreeMap<String, Vec<Field>> = raw_shapes
            .iter()
            .map(|(name, shape)| {
                let fields = shape
                    .get("fields")
                    .and_then(serde_yaml::Value::as_sequence)
                    .map(|fs| fs.iter().map(|f| field_of(f, &raw_shapes)).collect())
                    .unwrap_or_default();
                (name.clone(), fields)
            })
            .collect();
        for op in spec.operations() {
            out.push(Operation {
                module: op.module().to_owned(),
                action: op.action().to_owned(),
                params: op
                    .request()
                    .iter()
                    .map(|p| field_of(p, &raw_shapes))
                    .collect(),
                shapes: shapes.clone(),
            });
        }
    }
    out
}
