//! Imported and hand-written specs together: an imported spec (`specs/imported/`, written by
//! `cargo xtask import`) is merged under the hand-written spec of the same module. The
//! hand-written spec wins: its product section and every operation it has stay as written, and
//! the imported spec adds only the operations it lacks, with their shapes. An imported type
//! whose name the hand-written spec already uses is renamed, with every reference to it, so
//! that neither changes the other's types.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::load::{LoadedSpec, MergedPart};
use crate::naming;
use crate::spec::{FieldSpec, ItemsSpec, SpecFile};

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

/// Merges `imported` under `written` (same module).
pub fn merge(mut written: LoadedSpec, imported: LoadedSpec) -> LoadedSpec {
    let (mut spec, name, text) = imported.into_part();
    let written_types = type_names(&written.spec);
    let imported_types = type_names(&spec);
    let mut all: BTreeSet<String> = written_types.union(&imported_types).cloned().collect();
    let mut renames = BTreeMap::new();
    for t in imported_types.intersection(&written_types) {
        let new = (2..)
            .map(|n| format!("{t}{n}"))
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
    for shape in spec.shapes.values_mut() {
        for f in &mut shape.fields {
            name_enum(f);
            rename_in(f, &renames);
        }
    }
    let taken: BTreeSet<String> = written
        .spec
        .operations
        .iter()
        .map(|o| o.action.clone())
        .collect();
    let mut part = MergedPart {
        name,
        text,
        source_map: OnceLock::new(),
        operations: BTreeMap::new(),
        shapes: BTreeMap::new(),
    };
    for (i, mut op) in spec.operations.into_iter().enumerate() {
        if taken.contains(&op.action) {
            continue;
        }
        for f in op.request.iter_mut().chain(op.response.fields.iter_mut()) {
            name_enum(f);
            rename_in(f, &renames);
        }
        part.operations.insert(written.spec.operations.len(), i);
        written.spec.operations.push(op);
    }
    // Only the shapes the added operations reach come along: those of the operations the
    // written spec kept for itself would be dead code.
    let mut reached = BTreeSet::new();
    let mut todo: Vec<String> = written.spec.operations
        [written.spec.operations.len() - part.operations.len()..]
        .iter()
        .flat_map(|op| op.request.iter().chain(op.response.fields.iter()))
        .flat_map(referenced)
        .collect();
    while let Some(name) = todo.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(original) = renames
            .iter()
            .find(|(_, new)| **new == name)
            .map(|(old, _)| old.clone())
            .or(Some(name.clone()))
        {
            if let Some(shape) = spec.shapes.get(&original) {
                todo.extend(shape.fields.iter().flat_map(referenced));
            }
        }
    }
    for (shape_name, shape) in spec.shapes {
        let merged_name = renames
            .get(&shape_name)
            .cloned()
            .unwrap_or_else(|| shape_name.clone());
        if !reached.contains(&merged_name) {
            continue;
        }
        part.shapes.insert(merged_name.clone(), shape_name);
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
