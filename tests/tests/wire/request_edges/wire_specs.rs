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
    /// `type: map`: free keys, values of the item type.
    Map(Box<Ty>),
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

/// The type of a scalar or shape named `name` with the metadata's width `format` beside it, as
/// `specs/README.md` ("Types") gives them: `integer` is 32-bit unless `format: int64`, `number`
/// is `double`.
pub(super) fn ty_of(
    name: &str,
    format: Option<&str>,
    shapes: &BTreeMap<String, serde_yaml::Value>,
) -> Ty {
    match (name, format) {
        ("string", _) => Ty::Str,
        ("integer", Some("int64")) | ("long", _) => Ty::Long,
        ("integer", _) => Ty::Int,
        ("number" | "double", _) => Ty::Double,
        ("boolean", _) => Ty::Bool,
        (shape, _) if shapes.contains_key(shape) => Ty::Shape(shape.to_owned()),
        (other, _) => panic!("unknown type `{other}` in a spec"),
    }
}

/// The type of a field (`v` holds `type`, `format` and, for a list or a map, `items`: a type
/// name or a mapping with its own `type`, `format` and `limits`), and the limits of its items.
pub(super) fn type_of_field(
    v: &serde_yaml::Value,
    shapes: &BTreeMap<String, serde_yaml::Value>,
) -> Ty {
    let text = |v: &serde_yaml::Value, k: &str| {
        v.get(k)
            .and_then(serde_yaml::Value::as_str)
            .map(str::to_owned)
    };
    let ty_name = text(v, "type").unwrap_or_default();
    if ty_name != "array" && ty_name != "map" {
        return ty_of(&ty_name, text(v, "format").as_deref(), shapes);
    }
    let (item_ty, item_limits) = match v.get("items") {
        Some(serde_yaml::Value::String(name)) => (ty_of(name, None, shapes), Limits::default()),
        Some(map) => (
            ty_of(
                &text(map, "type").unwrap_or_default(),
                text(map, "format").as_deref(),
                shapes,
            ),
            limits_of(map.get("limits")),
        ),
        None => panic!("a `{ty_name}` without items"),
    };
    if ty_name == "map" {
        Ty::Map(Box::new(item_ty))
    } else {
        Ty::Array(Box::new(item_ty), item_limits)
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
    Field {
        name: s("name").unwrap_or_default(),
        ty: type_of_field(v, shapes),
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

/// Every type the spec format allows (`specs/README.md`, "Types" and "Maps") is read with the
/// width the generated code gives it: a parameter of any of them is tried at its edges instead
/// of stopping the whole suite.
#[test]
fn the_spec_reader_reads_every_type_the_spec_format_allows() {
    let shapes: BTreeMap<String, serde_yaml::Value> =
        BTreeMap::from([("Tag".to_owned(), serde_yaml::Value::Null)]);
    let fields: serde_yaml::Value = serde_yaml::from_str(
        r#"
- {name: S, type: string}
- {name: I, type: integer}
- {name: I32, type: integer, format: int32}
- {name: I64, type: integer, format: int64}
- {name: L, type: long, format: int64}
- {name: N, type: number}
- {name: F, type: number, format: float}
- {name: D, type: double}
- {name: B, type: boolean}
- {name: T, type: Tag}
- {name: Ids, type: array, items: string}
- {name: Sizes, type: array, items: {type: integer, format: int64, limits: {max: 9}}}
- {name: Tags, type: array, items: Tag}
- {name: Labels, type: map, items: string}
- {name: Weights, type: map, items: {type: number}}
- {name: ByKey, type: map, items: Tag}
"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let read: Vec<String> = fields
        .as_sequence()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let field = field_of(f, &shapes);
            format!("{} {:?}", field.name, field.ty)
        })
        .collect();
    let expected = [
        "S Str",
        "I Int",
        "I32 Int",
        "I64 Long",
        "L Long",
        "N Double",
        "F Double",
        "D Double",
        "B Bool",
        "T Shape(\"Tag\")",
        "Ids Array(Str,",
        "Sizes Array(Long, Limits { min_length: None, max_length: None, ascii: false, min: None, max: Some(9)",
        "Tags Array(Shape(\"Tag\"),",
        "Labels Map(Str)",
        "Weights Map(Double)",
        "ByKey Map(Shape(\"Tag\"))",
    ];
    for (got, want) in read.iter().zip(expected) {
        assert!(got.starts_with(want), "read `{got}`, expected `{want}`");
    }
    assert_eq!(read.len(), expected.len(), "{read:#?}");
}
