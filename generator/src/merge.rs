//! Imported and hand-written specs together: an imported spec (`specs/imported/`, written by
//! `cargo xtask import`) is merged under the hand-written spec of the same module.
//!
//! The hand-written spec wins, field by field:
//! - its product section stays as written, and so does every operation it has: title, methods,
//!   errors, paging, samples, and every field it declares, with its written type, wire style,
//!   documentation and limits;
//! - such an operation gains the request parameters and response fields of its imported
//!   counterpart that it lacks, and a written shape that the written and the imported field hold
//!   the same way (both the shape, both a list of it, both a map of it) gains the fields its
//!   imported counterpart has more, recursively through the shapes both hold; an added field
//!   comes as imported, with the imported shapes it reaches;
//! - the imported spec adds the operations the written one lacks, with their shapes.
//!
//! Fields are the same when they make one Rust name (`Key` and `key`, or a `rust_name:`): the
//! written one stays and the imported one is dropped, since both could not be generated; where
//! the two disagree on wire name case, type or shape (a page's `string` where the SDK model has a
//! list), the written one stays and nothing pairs under it. The merge says nothing of these: the
//! written spec is the reviewed one, `generator/tests/codegen/metadata_drift.rs` holds its
//! requests to the metadata, and the lenient decoder absorbs what a response type gets wrong.
//!
//! An imported type whose name the hand-written spec already uses is renamed, with every
//! reference to it, so that neither changes the other's types. Every node that came from the
//! imported file (an operation, a shape, an added field) keeps its place there, so that an error
//! or a warning about it names the imported file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::load::{LoadedSpec, MergedPart};
use crate::location::NodePath;
use crate::naming;
use crate::spec::{FieldSpec, ItemsSpec, ShapeSpec, SpecFile};

/// Every type name a spec declares: its shapes and the enums of its fields.
fn type_names(spec: &SpecFile) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = spec.shapes.keys().cloned().collect();
    let mut add = |f: &FieldSpec| {
        if let Some(e) = &f.enum_name {
            names.insert(e.clone());
        } else if !f.values.is_empty() {
            if let Some(n) = &f.name {
                names.insert(naming::type_name(n));
            }
        }
        if let Some(ItemsSpec::Detailed(d)) = &f.items {
            if let Some(e) = &d.enum_name {
                names.insert(e.clone());
            } else if !d.values.is_empty() {
                if let Some(n) = &f.name {
                    names.insert(naming::type_name(n));
                }
            }
        }
    };
    for shape in spec.shapes.values() {
        shape.fields.iter().for_each(&mut add);
    }
    for op in &spec.operations {
        op.request.iter().for_each(&mut add);
        op.response.fields.iter().for_each(&mut add);
    }
    names
}

/// The type names a field refers to (a shape, possibly).
fn referenced(f: &FieldSpec) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = &f.ty {
        out.push(t.clone());
    }
    match &f.items {
        Some(ItemsSpec::Name(n)) => out.push(n.clone()),
        Some(ItemsSpec::Detailed(d)) => out.push(d.ty.clone()),
        None => {}
    }
    out
}

/// Renames the types a field refers to.
fn rename_in(f: &mut FieldSpec, renames: &BTreeMap<String, String>) {
    if let Some(ty) = &mut f.ty {
        if let Some(new) = renames.get(ty) {
            *ty = new.clone();
        }
    }
    if let Some(e) = &mut f.enum_name {
        if let Some(new) = renames.get(e) {
            *e = new.clone();
        }
    }
    match &mut f.items {
        Some(ItemsSpec::Name(n)) => {
            if let Some(new) = renames.get(n) {
                *n = new.clone();
            }
        }
        Some(ItemsSpec::Detailed(d)) => {
            if let Some(new) = renames.get(&d.ty) {
                d.ty = new.clone();
            }
            if let Some(e) = &mut d.enum_name {
                if let Some(new) = renames.get(e) {
                    *e = new.clone();
                }
            }
        }
        None => {}
    }
}

/// A field's Rust names: the one its wire name gives, and the one the spec gives, if any. Two
/// fields with a name in common are the same field (`Key` and `key` included), or would clash.
fn rust_names(f: &FieldSpec) -> Vec<String> {
    f.name
        .as_deref()
        .map(naming::field_name)
        .into_iter()
        .chain(f.rust_name.clone())
        .collect()
}

/// What a field holds, as its spec names it: its type, and its items' type for a list or a map
/// (a list of strings is not a string).
fn type_of(f: &FieldSpec) -> (Option<String>, Option<String>) {
    let items = match &f.items {
        Some(ItemsSpec::Name(n)) => Some(n.clone()),
        Some(ItemsSpec::Detailed(d)) => Some(d.ty.clone()),
        None => None,
    };
    (f.ty.clone(), items)
}

/// The shape a field holds, and how (`object`, or the `array` or `map` of it), among `shapes`.
fn shape_held<'f>(f: &'f FieldSpec, shapes: &BTreeSet<String>) -> Option<(&'f str, &'f str)> {
    let ty = f.ty.as_deref()?;
    if shapes.contains(ty) {
        return Some(("object", ty));
    }
    let items = match &f.items {
        Some(ItemsSpec::Name(n)) => n.as_str(),
        Some(ItemsSpec::Detailed(d)) => d.ty.as_str(),
        None => return None,
    };
    ((ty == "array" || ty == "map") && shapes.contains(items)).then_some((ty, items))
}

/// Fills written fields with the imported fields they lack, and pairs the written shapes with
/// their imported counterparts to fill them in turn.
struct FieldFill<'a> {
    /// The written spec's shapes, before the merge.
    written_shapes: BTreeSet<String>,
    /// The imported shapes under their merged names, each with its name in the imported file.
    imported_shapes: &'a BTreeMap<String, (String, ShapeSpec)>,
    /// Written shape -> imported shape (merged name), to fill.
    pairs: Vec<(String, String)>,
    /// The types the added fields refer to.
    referenced: Vec<String>,
    /// Where each added field sits in the merged spec, and where in the imported file.
    located: Vec<(NodePath, NodePath)>,
}

impl FieldFill<'_> {
    fn fill(
        &mut self,
        written: &mut Vec<FieldSpec>,
        written_at: &NodePath,
        imported: &[FieldSpec],
        imported_at: &NodePath,
    ) {
        let imported_shapes: BTreeSet<String> = self.imported_shapes.keys().cloned().collect();
        for (k, field) in imported.iter().enumerate() {
            let names = rust_names(field);
            if names.is_empty() {
                continue;
            }
            match written
                .iter()
                .find(|w| rust_names(w).iter().any(|n| names.contains(n)))
            {
                Some(ours) => {
                    // The written field wins as it is; where both hold a shape the same way,
                    // the written shape gains what the imported one has more.
                    if let (Some((how, mine)), Some((how_theirs, theirs))) = (
                        shape_held(ours, &self.written_shapes),
                        shape_held(field, &imported_shapes),
                    ) {
                        if how == how_theirs {
                            self.pairs.push((mine.to_owned(), theirs.to_owned()));
                        }
                    }
                }
                None => {
                    self.located
                        .push((written_at.index(written.len()), imported_at.index(k)));
                    self.referenced.extend(referenced(field));
                    written.push(field.clone());
                }
            }
        }
    }
}

/// Merges `imported` under `written` (same module).
pub fn merge(mut written: LoadedSpec, imported: LoadedSpec) -> LoadedSpec {
    let (spec, name, text) = imported.into_part();
    let written_types = type_names(&written.spec);
    let imported_types = type_names(&spec);
    let mut all: BTreeSet<String> = written_types.union(&imported_types).cloned().collect();
    let mut renames = BTreeMap::new();
    for t in imported_types.intersection(&written_types) {
        // Named after the first imported operation that holds it (`DescribeInstancesImage`), or
        // the first imported shape, never by a number while a name is free.
        let holders = spec
            .operations
            .iter()
            .filter(|op| {
                op.request
                    .iter()
                    .chain(op.response.fields.iter())
                    .any(|f| referenced(f).contains(t))
            })
            .map(|op| naming::type_name(&op.action))
            .chain(
                spec.shapes
                    .iter()
                    .filter(|(_, s)| s.fields.iter().any(|f| referenced(f).contains(t)))
                    .map(|(name, _)| name.clone()),
            );
        let new = holders
            .map(|holder| format!("{holder}{t}"))
            .chain((2..).take(1000).map(|n| format!("{t}{n}")))
            .find(|c| !all.contains(c))
            .unwrap_or_else(|| format!("{t}Imported"));
        all.insert(new.clone());
        renames.insert(t.clone(), new);
    }
    // Enums left to their default name (the field's) are named explicitly before renaming.
    let name_enum = |f: &mut FieldSpec| {
        if f.enum_name.is_none() && !f.values.is_empty() {
            f.enum_name = f.name.as_deref().map(naming::type_name);
        }
    };
    let SpecFile {
        shapes, operations, ..
    } = spec;
    let mut imported_shapes = BTreeMap::new();
    for (original, mut shape) in shapes {
        for f in &mut shape.fields {
            name_enum(f);
            rename_in(f, &renames);
        }
        let merged = renames
            .get(&original)
            .cloned()
            .unwrap_or_else(|| original.clone());
        imported_shapes.insert(merged, (original, shape));
    }
    let mut operations = operations;
    for op in &mut operations {
        for f in op.request.iter_mut().chain(op.response.fields.iter_mut()) {
            name_enum(f);
            rename_in(f, &renames);
        }
    }
    let taken: BTreeMap<String, usize> = written
        .spec
        .operations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.action.clone(), i))
        .collect();
    let mut part = MergedPart {
        name,
        text,
        source_map: OnceLock::new(),
        operations: BTreeMap::new(),
        shapes: BTreeMap::new(),
        fields: Vec::new(),
    };
    let mut fill = FieldFill {
        written_shapes: written.spec.shapes.keys().cloned().collect(),
        imported_shapes: &imported_shapes,
        pairs: Vec::new(),
        referenced: Vec::new(),
        located: Vec::new(),
    };
    let ops_at = NodePath::root().key("operations");
    for (i, op) in operations.into_iter().enumerate() {
        if let Some(&w) = taken.get(&op.action) {
            // A written operation wins field by field: it keeps what it has and gains the
            // request parameters and response fields it lacks.
            let ours = &mut written.spec.operations[w];
            let (mine, theirs) = (ops_at.index(w), ops_at.index(i));
            fill.fill(
                &mut ours.request,
                &mine.key("request"),
                &op.request,
                &theirs.key("request"),
            );
            fill.fill(
                &mut ours.response.fields,
                &mine.key("response").key("fields"),
                &op.response.fields,
                &theirs.key("response").key("fields"),
            );
            continue;
        }
        fill.referenced.extend(
            op.request
                .iter()
                .chain(op.response.fields.iter())
                .flat_map(referenced),
        );
        part.operations.insert(written.spec.operations.len(), i);
        written.spec.operations.push(op);
    }
    // The written shapes gain the fields of their imported counterparts, recursively through
    // the shapes both hold.
    let mut filled = BTreeSet::new();
    while let Some(pair) = fill.pairs.pop() {
        if !filled.insert(pair.clone()) {
            continue;
        }
        let (mine, theirs) = pair;
        let (Some(ours), Some((original, shape))) = (
            written.spec.shapes.get_mut(&mine),
            fill.imported_shapes.get(&theirs),
        ) else {
            continue;
        };
        let shapes_at = NodePath::root().key("shapes");
        fill.fill(
            &mut ours.fields,
            &shapes_at.key(&mine).key("fields"),
            &shape.fields,
            &shapes_at.key(original).key("fields"),
        );
    }
    let mut referenced_all = std::mem::take(&mut fill.referenced);
    let located = std::mem::take(&mut fill.located);
    // An imported shape filled into the written shape of its own name is that shape: every
    // reference to it goes to the written one, which now has all its fields.
    // So is one whose every field the written shape of its name has, of the same type.
    let mut same: BTreeMap<String, String> = filled
        .iter()
        .filter(|(mine, theirs)| renames.get(mine) == Some(theirs))
        .map(|(mine, theirs)| (theirs.clone(), mine.clone()))
        .collect();
    loop {
        let more: Vec<(String, String)> = renames
            .iter()
            .filter(|(_, theirs)| !same.contains_key(*theirs))
            .filter(|(mine, theirs)| {
                let (Some(ours), Some((_, shape))) =
                    (written.spec.shapes.get(*mine), imported_shapes.get(*theirs))
                else {
                    return false;
                };
                let as_merged = |t: Option<String>| t.map(|t| same.get(&t).cloned().unwrap_or(t));
                shape.fields.iter().all(|f| {
                    let (ty, items) = type_of(f);
                    ours.fields.iter().any(|w| {
                        rust_names(w) == rust_names(f)
                            && type_of(w) == (as_merged(ty.clone()), as_merged(items.clone()))
                    })
                })
            })
            .map(|(mine, theirs)| (theirs.clone(), mine.clone()))
            .collect();
        if more.is_empty() {
            break;
        }
        same.extend(more);
    }
    if !same.is_empty() {
        for op in &mut written.spec.operations {
            for f in op.request.iter_mut().chain(op.response.fields.iter_mut()) {
                rename_in(f, &same);
            }
        }
        for shape in written.spec.shapes.values_mut() {
            shape.fields.iter_mut().for_each(|f| rename_in(f, &same));
        }
        for (_, shape) in imported_shapes.values_mut() {
            shape.fields.iter_mut().for_each(|f| rename_in(f, &same));
        }
        referenced_all.iter_mut().for_each(|r| {
            if let Some(new) = same.get(r) {
                *r = new.clone();
            }
        });
        for theirs in same.keys() {
            imported_shapes.remove(theirs);
        }
    }
    // Only the shapes the added operations and fields reach come along: the others would be
    // dead code.
    let mut reached = BTreeSet::new();
    let mut todo = referenced_all;
    while let Some(name) = todo.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some((_, shape)) = imported_shapes.get(&name) {
            todo.extend(shape.fields.iter().flat_map(referenced));
        }
    }
    part.fields = located;
    for (merged_name, (original, shape)) in imported_shapes {
        if !reached.contains(&merged_name) {
            continue;
        }
        part.shapes.insert(merged_name.clone(), original);
        written.spec.shapes.insert(merged_name, shape);
    }
    written.merged.push(part);
    written
}

/// Loads every source and merges each imported spec under the written spec of its module (an
/// imported spec with no written one stands alone). The specs come back in source order.
pub fn load_merged(sources: &[crate::SpecSource]) -> (Vec<LoadedSpec>, Vec<crate::SpecError>) {
    let mut errors = Vec::new();
    let mut written = Vec::new();
    let mut imported = Vec::new();
    for source in sources {
        match crate::load::load(source) {
            Ok(l) if l.is_imported() => imported.push(l),
            Ok(l) => written.push(l),
            Err(e) => errors.push(e),
        }
    }
    for l in imported {
        match written
            .iter()
            .position(|w: &LoadedSpec| w.spec.product.module == l.spec.product.module)
        {
            Some(i) => {
                let w = written.remove(i);
                written.insert(i, merge(w, l));
            }
            None => written.push(l),
        }
    }
    (written, errors)
}
