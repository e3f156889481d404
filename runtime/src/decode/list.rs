//! Lenient decoding of lists: a JSON array, or an array wrapped in an object
//! (`{"Image": [...]}`) under the key the spec declares or under any one key; and writing a
//! wrapped list back as it came.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::anomaly::{KeyAnomalies, PathStep, Recovery, Step, shown};
use super::catch::caught;
use super::lenient::Lenient;

/// `deserialize_with` for list fields: a JSON array, an array wrapped in a one-key object
/// (`{"Image": [...]}`), or null; null items are skipped.
pub fn list<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Vec<T>, D::Error> {
    if Recovery::active() {
        return caught(
            d,
            |d| d.deserialize_any(ListVisitor::<T>::new(None)),
            Vec::new,
        );
    }
    d.deserialize_any(ListVisitor::<T>::new(None))
}

/// `deserialize_with` for lists the spec declares wrapped (`{"Image": [...]}`): the list under
/// the declared key (other keys beside it are ignored, as the official SDKs do), or a plain list;
/// a value under the declared key that is no list is an anomaly at that key, not at the whole
/// wrapper.
pub fn wrapped_list<'de, K: WrapperKey, D: Deserializer<'de>, T: Lenient>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    if Recovery::active() {
        return caught(
            d,
            |d| d.deserialize_any(ListVisitor::<T>::new(Some(K::KEY))),
            Vec::new,
        );
    }
    d.deserialize_any(ListVisitor::<T>::new(Some(K::KEY)))
}

/// `deserialize_with` for request lists that are `Option<Vec<T>>`: null or missing is `None`,
/// anything [`list`] reads (an empty array too) is `Some`.
pub fn opt_list<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    d.deserialize_option(OptListVisitor(PhantomData))
}

struct OptListVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptListVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, an object wrapping a list, or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if Recovery::active() {
            return caught(
                d,
                |d| d.deserialize_any(ListVisitor::<T>::new(None)).map(Some),
                || None,
            );
        }
        list(d).map(Some)
    }
}

struct ListVisitor<T> {
    /// The key the spec wraps the list under, when it declares one.
    wrapper: Option<&'static str>,
    items: PhantomData<T>,
}

impl<T> ListVisitor<T> {
    fn new(wrapper: Option<&'static str>) -> Self {
        ListVisitor {
            wrapper,
            items: PhantomData,
        }
    }
}

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or an object wrapping a list")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        let step = Recovery::active().then(|| PathStep::push(Step::Index(0)));
        let mut index = 0;
        loop {
            if let Some(step) = &step {
                step.set(Step::Index(index));
            }
            let Some(item) = seq.next_element_seed(LenientSeed::<T>(PhantomData))? else {
                break;
            };
            if let Some(item) = item {
                out.push(item);
            }
            index += 1;
        }
        Ok(out)
    }

    /// A wrapper object (`{"Image": [...]}`) holds one list under one key.
    ///
    /// When the spec declares the key, only the list under it is read and any other key beside it
    /// is ignored, as the official SDKs do: a stray `"Other": "x"` neither empties the list nor
    /// adds items to it. Under the declared key the value may also be one object where a list of
    /// one was meant (JSON converted from XML loses the array of a single element): it is read as
    /// that one item. An object without the declared key is not the wrapper at all (a lone item
    /// where the list belongs, say), and is refused whole, so that the anomaly names the list and
    /// keeps the object.
    ///
    /// When the spec declares no key, the lists under all keys are joined in key order (a key
    /// repeated replaces its earlier list), and an object with anything but lists under its keys
    /// is refused whole.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        match self.wrapper {
            Some(declared) => declared_wrapper(declared, map),
            None if Recovery::active() => {
                // Whether the object is a wrapper is known only once all of it is read, and a
                // refused one is kept whole in its anomaly: an object where the spec declares a
                // plain list is read into a tree first (this object only, and only on the
                // recovering pass), its lists decoded from there.
                let whole =
                    serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match (&whole).deserialize_map(JoinedLists::<T>(PhantomData)) {
                    Ok(items) => Ok(items),
                    Err(err) => {
                        Recovery::set_read_whole(whole);
                        Err(de::Error::custom(err))
                    }
                }
            }
            None => joined_lists(map),
        }
    }
}

/// The list under a wrapper's declared key; see [`ListVisitor::visit_map`].
fn declared_wrapper<'de, A: MapAccess<'de>, T: Lenient>(
    declared: &'static str,
    mut map: A,
) -> Result<Vec<T>, A::Error> {
    let step = Recovery::active().then(|| PathStep::push(Step::Key(String::new())));
    let mut anomalies = KeyAnomalies::default();
    let mut found: Option<Vec<T>> = None;
    let mut declared_seen = false;
    let mut other: Option<String> = None;
    // On the recovering pass, what is under the other keys until the declared one comes: if it
    // never does, the object is refused whole and its anomaly keeps it.
    let mut others: Option<serde_json::Map<String, serde_json::Value>> = None;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        if key != declared {
            if step.is_some() && !declared_seen {
                let value: serde_json::Value = map.next_value()?;
                others
                    .get_or_insert_with(serde_json::Map::new)
                    .insert(key.as_ref().to_owned(), value);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
            other.get_or_insert_with(|| key.into_owned());
            continue;
        }
        declared_seen = true;
        others = None;
        if let Some(step) = &step {
            step.set_key(&key);
        }
        // A key repeated replaces its earlier list, a bad one included (the recovering pass
        // reads that as `None`).
        found = if step.is_some() {
            anomalies.read(&key, || map.next_value_seed(DeclaredSeed::<T>(PhantomData)))?
        } else {
            map.next_value_seed(DeclaredSeed::<T>(PhantomData))?
        };
    }
    match (found, other) {
        (Some(items), _) => Ok(items),
        // A bad value under the declared key is an anomaly there (the recovering pass caught
        // it), not one more at the wrapper.
        (None, _) if declared_seen => Ok(Vec::new()),
        (None, None) => Ok(Vec::new()),
        (None, Some(key)) => {
            if let Some(others) = others {
                drop(step);
                Recovery::set_read_whole(serde_json::Value::Object(others));
            }
            Err(de::Error::custom(format!(
                "expected a list, or an object wrapping one under `{declared}`; found an object with `{}` instead",
                shown(&Recovery::as_written(&key))
            )))
        }
    }
}

/// The lists under every key of a wrapper whose key the spec does not declare, joined; see
/// [`ListVisitor::visit_map`].
fn joined_lists<'de, A: MapAccess<'de>, T: Lenient>(mut map: A) -> Result<Vec<T>, A::Error> {
    // On the recovering pass the object is a tree already (see `visit_map`): its keys are
    // unique.
    let step = Recovery::active().then(|| PathStep::push(Step::Key(String::new())));
    // The one key a wrapper has is kept aside, so that the usual case allocates nothing beyond
    // its items.
    let mut first: Option<(std::borrow::Cow<'de, str>, Vec<T>)> = None;
    let mut more: Vec<(std::borrow::Cow<'de, str>, Vec<T>)> = Vec::new();
    let mut not_a_wrapper: Option<String> = None;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        if let Some(step) = &step {
            step.set_key(&key);
        }
        let Some(items) = map.next_value_seed(WrappedSeed::<T>::new(false))? else {
            not_a_wrapper.get_or_insert_with(|| key.into_owned());
            continue;
        };
        match &mut first {
            None => first = Some((key, items)),
            Some((seen, earlier)) if *seen == key => *earlier = items,
            Some(_) => match more.iter_mut().find(|(seen, _)| *seen == key) {
                Some((_, earlier)) => *earlier = items,
                None => more.push((key, items)),
            },
        }
    }
    if let Some(key) = not_a_wrapper {
        return Err(de::Error::custom(format!(
            "expected a list, or an object wrapping one; found an object whose `{}` is not a list",
            shown(&Recovery::as_written(&key))
        )));
    }
    let Some(first) = first else {
        return Ok(Vec::new());
    };
    if more.is_empty() {
        return Ok(first.1);
    }
    more.push(first);
    more.sort_by(|(a, _), (b, _)| a.cmp(b));
    Ok(more.into_iter().flat_map(|(_, items)| items).collect())
}

/// [`joined_lists`] as a visitor, for an object already read into a tree.
struct JoinedLists<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for JoinedLists<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object wrapping a list")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        joined_lists(map)
    }
}

/// The value under a wrapper's declared key; in a recovering decode, a bad one is an anomaly at
/// that key and the list is left empty.
struct DeclaredSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for DeclaredSeed<T> {
    type Value = Option<Vec<T>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if Recovery::active() {
            return caught(d, |d| WrappedSeed::<T>::new(true).deserialize(d), || None);
        }
        WrappedSeed::<T>::new(true).deserialize(d)
    }
}

/// The value under a wrapper's key: a list, or null (no items). Under the key the spec declares
/// (`strict`), also one object (one item, its array lost in a conversion from XML), and a text,
/// number or boolean is an error there: the object is the wrapper, its value is bad. Under any
/// other key, an object or a scalar is `None`: the object holding it wraps no list.
struct WrappedSeed<T> {
    strict: bool,
    items: PhantomData<T>,
}

impl<T> WrappedSeed<T> {
    fn new(strict: bool) -> Self {
        WrappedSeed {
            strict,
            items: PhantomData,
        }
    }

    fn scalar<E: de::Error>(&self, found: de::Unexpected<'_>) -> Result<Option<Vec<T>>, E> {
        if self.strict {
            Err(E::invalid_type(found, &"a list, or one object"))
        } else {
            Ok(None)
        }
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for WrappedSeed<T> {
    type Value = Option<Vec<T>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Lenient> Visitor<'de> for WrappedSeed<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or one object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Vec::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Vec::new()))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ListVisitor::<T>::new(None).visit_seq(seq).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if !self.strict {
            // Under a key the spec does not declare, an object is no list at all; reading it as
            // an item would invent one.
            while map
                .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                .is_some()
            {}
            return Ok(None);
        }
        let item = T::deserialize_lenient(de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(item.into_iter().collect()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.scalar(de::Unexpected::Str(&shown(v)))
    }
}

/// A map key, borrowed from the body when it holds no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v))
    }
}

struct LenientSeed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for LenientSeed<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        if Recovery::active() {
            return caught(d, |d| T::deserialize_lenient(d), || None);
        }
        T::deserialize_lenient(d)
    }
}

/// The key of a wrapper object, for re-encoding a wrapped list as it came.
pub trait WrapperKey {
    /// The key (`Image` in `{"Images": {"Image": [...]}}`).
    const KEY: &'static str;
}

/// `serialize_with` for wrapped lists: writes `{KEY: [...]}`.
#[allow(clippy::ptr_arg)] // serde hands over `&Vec<T>` for a `Vec<T>` field
pub fn wrapped<K: WrapperKey, T: Serialize, S: Serializer>(
    items: &Vec<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(K::KEY, items)?;
    map.end()
}
