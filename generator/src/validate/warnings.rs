//! The warnings a spec earns: values the generated code drops without a word, and the `Review:`
//! notes an import leaves for a person to settle.

use crate::location::NodePath;
use crate::spec::{FieldSpec, ItemsSpec};

use super::Validator;

impl Validator<'_> {
    /// Warns of each `Review:` note (what an import could not decide), until a person resolves
    /// it and rewrites or removes the note.
    pub(super) fn review_notes(&mut self, notes: &[String], path: &NodePath, subject: &str) {
        for (i, note) in notes.iter().enumerate() {
            if let Some(text) = note.strip_prefix(crate::import::REVIEW_PREFIX) {
                self.warn(
                    &path.key("notes").index(i),
                    format!("{subject}: {}", text.trim()),
                    "decide, mend the spec (in the hand-written spec, which wins over the import), and drop the `Review:` note",
                );
            }
        }
    }

    /// Warns of what a field's spec writes that the generated code drops without a word: a null
    /// example or default, an empty description, a `format` on a string.
    pub(super) fn dropped_values(&mut self, f: &FieldSpec, path: &NodePath) {
        let name = f.name.as_deref().unwrap_or("?");
        self.review_notes(&f.notes, path, &format!("`{name}`"));
        if matches!(f.example, Some(None)) {
            self.warn(
                &path.key("example"),
                format!("`example: null` on `{name}` is dropped"),
                "give the page's example, quoted if it reads as something else (`example: \"null\"`), or remove the key",
            );
        }
        if matches!(f.default, Some(None)) {
            self.warn(
                &path.key("default"),
                format!("`default: null` on `{name}` is dropped"),
                "give the documented default, or remove the key",
            );
        }
        if let Some(ItemsSpec::Detailed(d)) = &f.items {
            if matches!(d.example, Some(None)) {
                self.warn(
                    &path.key("items").key("example"),
                    format!("`example: null` on the items of `{name}` is dropped"),
                    "give the page's example of an item, or remove the key",
                );
            }
            self.review_notes(
                &d.notes,
                &path.key("items"),
                &format!("the items of `{name}`"),
            );
            self.empty_description(d.description.as_deref(), &path.key("items"));
        }
        self.empty_description(f.description.as_deref(), path);
        if let (Some("string"), Some(format)) = (f.ty.as_deref(), f.format.as_deref()) {
            self.warn(
                &path.key("format"),
                format!("`format: {format}` on the string `{name}` changes nothing"),
                "the value stays a string; say what it holds in `description`, or remove `format`",
            );
        }
    }

    /// An empty `description:` is dropped: the item is documented by its name.
    pub(super) fn empty_description(&mut self, description: Option<&str>, path: &NodePath) {
        if description.is_some_and(|d| d.trim().is_empty()) {
            self.warn(
                &path.key("description"),
                "an empty `description` is dropped: rustdoc shows the name instead",
                "transcribe the page's description, or remove the key",
            );
        }
    }
}
