//! The names a request parameter may write on the wire, as a pattern, and whether two
//! parameters may write the same one: `DataDisk.2.Size` declared beside a list `DataDisk` whose
//! items have a `Size` would be sent twice, and the service then reads neither as signed.
//!
//! Validation builds the patterns from the model, the import from the YAML it writes; the
//! comparison is one function for both.

/// What a parameter writes under its own name `N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// `N` itself: a scalar, or a list or object in one JSON or comma-joined value.
    Exact,
    /// `N.1`, `N.2`, ..., each followed by what an item writes.
    Listed(Box<Written>),
    /// `N.Field` for each field, followed by what the field writes.
    Object(Vec<(String, Written)>),
    /// `N.key` for any key, followed by what a value writes.
    Keyed(Box<Written>),
    /// Anything under `N.` (an object inside itself, whose depth has no end).
    Anything,
}

/// A name written by both `a` (under the name `name_a`) and `b` (under `name_b`), if there
/// can be one: the first found, with a list's number as `1` and a map's key as `key`.
pub fn shared_name(name_a: &str, a: &Written, name_b: &str, b: &Written) -> Option<String> {
    let (la, lb): (Vec<&str>, Vec<&str>) =
        (name_a.split('.').collect(), name_b.split('.').collect());
    meet(&la, a, &lb, b).map(|segments| segments.join("."))
}

/// A list item's number as the wire writes it: 1, 2, ..., no sign, no leading zero.
fn is_item_number(segment: &str) -> bool {
    !segment.is_empty() && !segment.starts_with('0') && segment.bytes().all(|b| b.is_ascii_digit())
}

/// A name both sides write: each side is the literal segments still to write, then its
/// pattern.
fn meet(la: &[&str], a: &Written, lb: &[&str], b: &Written) -> Option<Vec<String>> {
    match (la.split_first(), lb.split_first()) {
        (Some((x, ra)), Some((y, rb))) => {
            if x != y {
                return None;
            }
            prefixed(x, meet(ra, a, rb, b))
        }
        (None, Some(_)) => consume(a, lb, b),
        (Some(_), None) => consume(b, la, a),
        (None, None) => meet_patterns(a, b),
    }
}

/// `pattern` writes the next segment, which the other side spells literally (`literal`, then
/// `other`).
fn consume(pattern: &Written, literal: &[&str], other: &Written) -> Option<Vec<String>> {
    let (first, rest) = literal.split_first()?;
    match pattern {
        Written::Exact => None,
        Written::Anything => Some(literal.iter().map(|s| (*s).to_owned()).collect()),
        Written::Listed(item) if is_item_number(first) => {
            prefixed(first, meet(&[], item, rest, other))
        }
        Written::Listed(_) => None,
        Written::Keyed(value) => prefixed(first, meet(&[], value, rest, other)),
        Written::Object(fields) => fields.iter().find_map(|(name, written)| {
            let segments: Vec<&str> = name.split('.').collect();
            meet(&segments, written, literal, other)
        }),
    }
}

/// Both sides are at the same name and write what their patterns say from there.
fn meet_patterns(a: &Written, b: &Written) -> Option<Vec<String>> {
    match (a, b) {
        (Written::Exact, Written::Exact) => Some(Vec::new()),
        (Written::Exact, _) | (_, Written::Exact) => None,
        (Written::Anything, _) | (_, Written::Anything) => Some(Vec::new()),
        (Written::Object(fields), other) | (other, Written::Object(fields)) => {
            fields.iter().find_map(|(name, written)| {
                let segments: Vec<&str> = name.split('.').collect();
                meet(&segments, written, &[], other)
            })
        }
        (Written::Listed(x) | Written::Keyed(x), Written::Listed(y)) => {
            prefixed("1", meet_patterns(x, y))
        }
        (Written::Listed(x), Written::Keyed(y)) => prefixed("1", meet_patterns(x, y)),
        (Written::Keyed(x), Written::Keyed(y)) => prefixed("key", meet_patterns(x, y)),
    }
}

fn prefixed(segment: &str, rest: Option<Vec<String>>) -> Option<Vec<String>> {
    rest.map(|mut rest| {
        rest.insert(0, segment.to_owned());
        rest
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk() -> Written {
        Written::Listed(Box::new(Written::Object(vec![
            ("Size".to_owned(), Written::Exact),
            ("Category".to_owned(), Written::Exact),
        ])))
    }

    #[test]
    fn a_flat_name_a_list_writes_is_shared() {
        assert_eq!(
            shared_name("DataDisk", &disk(), "DataDisk.2.Size", &Written::Exact).as_deref(),
            Some("DataDisk.2.Size")
        );
        assert_eq!(
            shared_name("DataDisk.2.Size", &Written::Exact, "DataDisk", &disk()).as_deref(),
            Some("DataDisk.2.Size")
        );
        // A field the items lack, an index the wire never writes, another list.
        for other in [
            "DataDisk.2.Iops",
            "DataDisk.02.Size",
            "DataDisk.0.Size",
            "DataDisks.1.Size",
        ] {
            assert_eq!(
                shared_name("DataDisk", &disk(), other, &Written::Exact),
                None,
                "{other}"
            );
        }
        // Scalars of different names never meet; of one name they do.
        assert_eq!(
            shared_name("A", &Written::Exact, "B", &Written::Exact),
            None
        );
        assert_eq!(
            shared_name("A", &Written::Exact, "A", &Written::Exact).as_deref(),
            Some("A")
        );
    }

    #[test]
    fn objects_maps_and_nesting() {
        let system_disk = Written::Object(vec![("Size".to_owned(), Written::Exact)]);
        assert_eq!(
            shared_name(
                "SystemDisk",
                &system_disk,
                "SystemDisk.Size",
                &Written::Exact
            )
            .as_deref(),
            Some("SystemDisk.Size")
        );
        assert_eq!(
            shared_name(
                "SystemDisk",
                &system_disk,
                "SystemDiskSize",
                &Written::Exact
            ),
            None
        );
        let labels = Written::Keyed(Box::new(Written::Exact));
        assert_eq!(
            shared_name("Labels", &labels, "Labels.env", &Written::Exact).as_deref(),
            Some("Labels.env")
        );
        // `A.1.B.2.C`: a list in a listed object.
        let nested = Written::Listed(Box::new(Written::Object(vec![(
            "B".to_owned(),
            Written::Listed(Box::new(Written::Object(vec![(
                "C".to_owned(),
                Written::Exact,
            )]))),
        )])));
        assert_eq!(
            shared_name("A", &nested, "A.1.B.2.C", &Written::Exact).as_deref(),
            Some("A.1.B.2.C")
        );
        assert_eq!(shared_name("A", &nested, "A.1.B", &Written::Exact), None);
        // Two lists of one name, or a list and a flat object under its first item.
        assert_eq!(shared_name("A", &nested, "A", &disk()), None);
        let first_item = Written::Object(vec![("B".to_owned(), Written::Anything)]);
        assert_eq!(
            shared_name("A", &nested, "A.1", &first_item).as_deref(),
            Some("A.1.B")
        );
    }
}
