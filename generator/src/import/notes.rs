//! The notes an import writes for a person to resolve. Each begins `Review:`, which the
//! generator reports as a warning until someone rewrites or removes it; the count by kind is the
//! import's summary.

use std::collections::BTreeMap;
use std::fmt;

/// The prefix of a note that asks a person to decide something.
pub const REVIEW_PREFIX: &str = "Review:";

/// What a person must decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReviewKind {
    /// A string whose name or description says it holds a JSON array or a comma list.
    ListInString,
    /// An object with no declared properties: `json` in a response or a JSON parameter, a map of
    /// strings in a flat request.
    FreeObject,
    /// Two wire names of one object that make one Rust name.
    NameClash,
    /// Paging parameters without a list in the response to page through.
    PagingWithoutItems,
    /// An endpoint rule that the metadata does not give.
    Endpoint,
    /// A parameter the metadata lists twice, differently.
    DuplicateParameter,
    /// A header parameter named like a header the client or the signature sets, left out.
    ReservedHeader,
    /// A schema that contains itself through `$ref`, cut where it comes round again and kept
    /// whole there as `json`.
    Recursive,
    /// An HTTP method an RPC call does not take (`PUT`, `DELETE`), left out.
    HttpMethod,
    /// A type the spec format cannot type (a list of lists, a map of lists, `any`), kept whole as
    /// `json`.
    Uncarried,
    /// A limit the spec cannot hold or that contradicts itself, left out.
    Limit,
    /// A name the metadata gives that cannot be used as it is (an action, a field, a header).
    BadName,
    /// A `$ref` to a schema the metadata does not have, carried as a map of strings.
    MissingSchema,
    /// Control or bidirectional formatting characters in a text, removed.
    ControlCharacters,
}

impl fmt::Display for ReviewKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReviewKind::ListInString => "string that may hold a list",
            ReviewKind::FreeObject => "object without properties",
            ReviewKind::NameClash => "wire names making one Rust name",
            ReviewKind::PagingWithoutItems => "paging without a list in the response",
            ReviewKind::Endpoint => "endpoint rule not in the metadata",
            ReviewKind::DuplicateParameter => "parameter listed twice, differently",
            ReviewKind::ReservedHeader => {
                "header parameter named like a header the client sets, left out"
            }
            ReviewKind::Recursive => "schema containing itself, kept whole as JSON where it recurs",
            ReviewKind::HttpMethod => "HTTP method an RPC call does not take, left out",
            ReviewKind::Uncarried => "type the spec cannot type, kept whole as JSON",
            ReviewKind::Limit => "limit that cannot hold, left out",
            ReviewKind::BadName => "name that cannot be used as the metadata gives it",
            ReviewKind::MissingSchema => "`$ref` to a schema the metadata lacks, carried as a map",
            ReviewKind::ControlCharacters => "control characters in a text, removed",
        })
    }
}

/// The review notes written so far, counted by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Notes {
    /// How many notes of each kind.
    pub by_kind: BTreeMap<ReviewKind, usize>,
    /// The fixed start of each kind's text, to count the notes the spec finally holds (a shared
    /// shape's notes are written once however many operations reach it).
    starts: BTreeMap<ReviewKind, std::collections::BTreeSet<String>>,
}

impl Notes {
    /// A review note of `kind`, counted.
    pub fn review(&mut self, kind: ReviewKind, text: &str) -> String {
        *self.by_kind.entry(kind).or_default() += 1;
        let start: String = text.chars().take(16).collect();
        self.starts.entry(kind).or_default().insert(start);
        format!("{REVIEW_PREFIX} {text}")
    }

    /// Counts the notes of each kind as `spec` (the written text) holds them.
    pub(crate) fn recount(&mut self, spec: &str) {
        for (kind, starts) in &self.starts {
            let n: usize = starts
                .iter()
                .map(|start| spec.matches(&format!("{REVIEW_PREFIX} {start}")).count())
                .sum();
            if n == 0 {
                self.by_kind.remove(kind);
            } else {
                self.by_kind.insert(*kind, n);
            }
        }
    }
}
