//! Written parameters read back as borrowed `(name, value)` pairs.

use std::fmt;

use super::params::Entry;

/// A list of parameters as `(name, value)` pairs, borrowed: from a [`Params`](super::Params), or from owned
/// pairs (`(&pairs[..]).into()`).
#[derive(Clone, Copy)]
pub struct Pairs<'a>(pub(super) PairsInner<'a>);

#[derive(Clone, Copy)]
pub(super) enum PairsInner<'a> {
    Written {
        text: &'a str,
        entries: &'a [Entry],
        /// `(name_end, end)` of the entries whose values are secrets.
        secret: &'a [(usize, usize)],
    },
    Owned(&'a [(String, String)]),
    Borrowed(&'a [(&'a str, &'a str)]),
}

impl<'a> Pairs<'a> {
    /// No parameters.
    pub const EMPTY: Pairs<'static> = Pairs(PairsInner::Borrowed(&[]));

    /// The pairs in order.
    pub fn iter(&self) -> PairsIter<'a> {
        PairsIter {
            inner: *self,
            next: 0,
            len: self.len(),
        }
    }

    /// How many pairs there are.
    pub fn len(&self) -> usize {
        match self.0 {
            PairsInner::Written { entries, .. } => entries.len(),
            PairsInner::Owned(pairs) => pairs.len(),
            PairsInner::Borrowed(pairs) => pairs.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pair at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<(&'a str, &'a str)> {
        match self.0 {
            PairsInner::Written { text, entries, .. } => entries.get(index).map(|entry| {
                (
                    text.get(entry.start..entry.name_end).unwrap_or_default(),
                    text.get(entry.name_end..entry.end).unwrap_or_default(),
                )
            }),
            PairsInner::Owned(pairs) => pairs
                .get(index)
                .map(|(name, value)| (name.as_str(), value.as_str())),
            PairsInner::Borrowed(pairs) => pairs.get(index).copied(),
        }
    }

    /// Owned copies of the pairs.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    }
}

impl Default for Pairs<'_> {
    fn default() -> Self {
        Pairs::EMPTY
    }
}

impl<'a> From<&'a [(String, String)]> for Pairs<'a> {
    fn from(pairs: &'a [(String, String)]) -> Self {
        Pairs(PairsInner::Owned(pairs))
    }
}

impl<'a> From<&'a Vec<(String, String)>> for Pairs<'a> {
    fn from(pairs: &'a Vec<(String, String)>) -> Self {
        Pairs(PairsInner::Owned(pairs))
    }
}

impl<'a, const N: usize> From<&'a [(String, String); N]> for Pairs<'a> {
    fn from(pairs: &'a [(String, String); N]) -> Self {
        Pairs(PairsInner::Owned(pairs))
    }
}

impl<'a> From<&'a [(&'a str, &'a str)]> for Pairs<'a> {
    fn from(pairs: &'a [(&'a str, &'a str)]) -> Self {
        Pairs(PairsInner::Borrowed(pairs))
    }
}

impl<'a, const N: usize> From<&'a [(&'a str, &'a str); N]> for Pairs<'a> {
    fn from(pairs: &'a [(&'a str, &'a str); N]) -> Self {
        Pairs(PairsInner::Borrowed(pairs))
    }
}

impl PartialEq for Pairs<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Pairs<'_> {}

impl PartialEq<[(String, String)]> for Pairs<'_> {
    fn eq(&self, other: &[(String, String)]) -> bool {
        *self == Pairs::from(other)
    }
}

impl<const N: usize> PartialEq<[(String, String); N]> for Pairs<'_> {
    fn eq(&self, other: &[(String, String); N]) -> bool {
        *self == Pairs::from(other)
    }
}

impl PartialEq<&[(String, String)]> for Pairs<'_> {
    fn eq(&self, other: &&[(String, String)]) -> bool {
        *self == Pairs::from(*other)
    }
}

impl PartialEq<Vec<(String, String)>> for Pairs<'_> {
    fn eq(&self, other: &Vec<(String, String)>) -> bool {
        *self == Pairs::from(other)
    }
}

// By hand: the value of a secret parameter (`Params::secret`) is shown as `<redacted>`.
impl fmt::Debug for Pairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = match self.0 {
            PairsInner::Written {
                entries, secret, ..
            } if !secret.is_empty() => Some((entries, secret)),
            _ => None,
        };
        let Some((entries, secret)) = secret else {
            return f.debug_list().entries(self.iter()).finish();
        };
        let shown = self.iter().zip(entries).map(|((name, value), entry)| {
            if secret.contains(&(entry.name_end, entry.end)) {
                (name, crate::redact::REDACTED)
            } else {
                (name, value)
            }
        });
        f.debug_list().entries(shown).finish()
    }
}

impl<'a> IntoIterator for Pairs<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = PairsIter<'a>;

    fn into_iter(self) -> PairsIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Pairs<'a> {
    type Item = (&'a str, &'a str);
    type IntoIter = PairsIter<'a>;

    fn into_iter(self) -> PairsIter<'a> {
        self.iter()
    }
}

/// The pairs of a [`Pairs`], in order.
#[derive(Debug, Clone)]
pub struct PairsIter<'a> {
    inner: Pairs<'a>,
    next: usize,
    len: usize,
}

impl<'a> Iterator for PairsIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.len {
            return None;
        }
        let pair = self.inner.get(self.next);
        self.next += 1;
        pair
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for PairsIter<'_> {}
