//! The generator's tests: snapshots of what it writes for the seed specs, the rejection of every
//! kind of bad spec with the place to mend it, the spec format's rarer constructs, imports from
//! Alibaba's metadata and their drift from the written specs, and its robustness under specs
//! mutated, assembled at random or hostile by design.
//!
//! One test binary, a module per subject; `support` holds what they share.

mod bad_specs;
mod format_constructs;
mod format_errors;
mod hostile_specs_compile;
mod import;
mod metadata_drift;
mod random_specs;
mod secret_fields;
mod sent_methods;
mod snapshots;
mod spec_mutations;
mod support;
mod whole_catalogue;
