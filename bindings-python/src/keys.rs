//! Interned Python strings for the keys a sampler reads, made once per sampler: a dict
//! lookup with an interned key skips hashing and most comparisons.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::prelude::*;
use pyo3::types::PyString;
use tracesieve::Requirements;

/// FNV-1a: keys are short, and this map is only read.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The interned keys of one sampler (immutable after construction).
pub struct Keys {
    map: HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Fnv>>,
}

impl Keys {
    /// The adapter's own keys, and every attribute key, custom path (whole and split on
    /// dots) and tag key the policy reads.
    pub fn new(py: Python<'_>, literals: &[&str], req: &Requirements) -> Keys {
        let mut map = HashMap::default();
        let mut add = |k: &str| {
            map.entry(k.into()).or_insert_with(|| PyString::intern(py, k).unbind());
        };
        literals.iter().for_each(|k| add(k));
        for k in req.attributes.iter().chain(&req.tags) {
            add(k);
        }
        for path in &req.custom {
            add(path);
            path.split('.').for_each(&mut add);
        }
        Keys { map }
    }

    /// `key` as a Python string: the interned one, or a new one for a key not seen at
    /// construction.
    pub fn get<'py>(&self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        match self.map.get(key) {
            Some(k) => k.bind(py).clone(),
            None => PyString::new(py, key),
        }
    }
}
