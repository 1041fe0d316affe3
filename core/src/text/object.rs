//! [`OrderedMap`], the members of a JSON object in the order the document lists them, so
//! that a reader walking a parsed policy meets its keys (and reports their problems) top to
//! bottom. Generic over the value so that it stays below the JSON reader that uses it.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// The members of an object in insertion (document) order; [`json::Map`](crate::json::Map)
/// is this map of JSON values. Inserting a key that is
/// already there replaces its value in place, so a repeated key keeps its first position
/// and its last value ([`parse_strict`](crate::json::parse_strict) reports repeated keys).
///
/// Small objects (most of a policy's) are searched in order; from 16 members
/// on, lookups go through a sorted index, so a large object (a policy may be up to 1 MiB)
/// is read in O(n log n), not O(n²). Two maps are equal when they have the same members,
/// whatever their order (as JSON objects are).
///
/// ```
/// use tracesieve::json::{Map, Value};
///
/// let mut m = Map::new();
/// m.insert("b".into(), Value::from(1.0));
/// m.insert("a".into(), Value::from(2.0));
/// assert_eq!(m.insert("b".into(), Value::from(3.0)), Some(Value::from(1.0)));
/// assert_eq!(m.keys().collect::<Vec<_>>(), ["b", "a"]);
/// assert_eq!(m.get("b"), Some(&Value::from(3.0)));
/// ```
#[derive(Clone, Debug)]
pub struct OrderedMap<V> {
    members: Vec<(String, V)>,
    /// The position in `members` of each key, once there are [`INDEXED_FROM`] members
    /// (empty before).
    index: BTreeMap<String, usize>,
}

/// The number of members from which an [`OrderedMap`] keeps an index of its keys.
const INDEXED_FROM: usize = 16;

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap { members: Vec::new(), index: BTreeMap::new() }
    }
}

impl<V> OrderedMap<V> {
    /// An empty object.
    pub fn new() -> Self {
        OrderedMap::default()
    }

    /// Sets `key` to `value`: at the end if the key is new, in place otherwise; returns
    /// the value it replaces.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        if let Some(at) = self.position(&key) {
            return Some(core::mem::replace(&mut self.members[at].1, value));
        }
        let at = self.members.len();
        if at + 1 == INDEXED_FROM {
            // One insert at a time: collecting into a `BTreeMap` sorts, and the standard
            // library's sort would bring kilobytes of code into the wasm module.
            for (i, (k, _)) in self.members.iter().enumerate() {
                self.index.insert(k.clone(), i);
            }
        }
        if at + 1 >= INDEXED_FROM {
            self.index.insert(key.clone(), at);
        }
        self.members.push((key, value));
        None
    }

    /// The value of `key`, if the object has it.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).map(|at| &self.members[at].1)
    }

    /// The place of `key` among the members (0 for the first), if the object has it.
    pub fn position(&self, key: &str) -> Option<usize> {
        if self.members.len() < INDEXED_FROM {
            self.members.iter().position(|(k, _)| k == key)
        } else {
            self.index.get(key).copied()
        }
    }

    /// Whether the object has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The keys, in document order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.members.iter().map(|(k, _)| k)
    }

    /// The members, in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.members.iter().map(|(k, v)| (k, v))
    }
}

impl<V: PartialEq> PartialEq for OrderedMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<V> FromIterator<(String, V)> for OrderedMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(items: I) -> Self {
        let mut map = OrderedMap::new();
        for (k, v) in items {
            map.insert(k, v);
        }
        map
    }
}

impl<V> IntoIterator for OrderedMap<V> {
    type Item = (String, V);
    type IntoIter = alloc::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.members.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_document_order_and_the_last_value() {
        let m: OrderedMap<u8> =
            [("z", 1), ("a", 2), ("m", 3), ("a", 4)].into_iter().map(|(k, n)| (String::from(k), n)).collect();
        assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(m.get("a"), Some(&4));
        assert!(m.contains_key("m") && !m.contains_key("b"));
        assert_eq!((m.position("z"), m.position("m"), m.position("b")), (Some(0), Some(2), None));
        assert_eq!(m.get("b"), None);
        let values: Vec<_> = m.clone().into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, [1, 4, 3]);
        let reversed: OrderedMap<u8> = m.clone().into_iter().rev().collect();
        assert_eq!(reversed, m, "equal whatever the order");
        assert_ne!(reversed, OrderedMap::new());
    }

    #[test]
    fn large_objects_are_indexed_alike() {
        let n = 3 * INDEXED_FROM;
        let mut m = OrderedMap::new();
        for i in 0..n {
            assert_eq!(m.insert(alloc::format!("k{}", n - i), i), None);
            assert_eq!(m.insert(alloc::format!("k{}", n - i), i), Some(i), "in place");
        }
        assert_eq!(m.len(), n);
        for i in 0..n {
            let key = alloc::format!("k{}", n - i);
            assert_eq!((m.position(&key), m.get(&key)), (Some(i), Some(&i)), "{key}");
        }
        assert!(!m.contains_key("k0") && m.position("k0").is_none());
    }
}
