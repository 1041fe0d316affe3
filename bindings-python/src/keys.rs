//! Interned Python strings for the keys a sampler reads, made once per sampler: a dict
//! lookup with an interned key skips hashing and most comparisons on the Python side, and
//! finding the interned key costs a few nanoseconds here (a small open-addressing table
//! hashed by length and the first and last 8 bytes).
//!
//! The keys are those of the sampler's read plans, recorded from the core's own
//! `sentry-sdk` adapters ([`ReadPlan::record`] with [`Python`](tracesieve::sdk::Python) and
//! [`PythonEvent`](tracesieve::sdk::PythonEvent)): every key the adapters can read for this
//! policy, so the list cannot drift from them.

use pyo3::prelude::*;
use pyo3::types::PyString;
use tracesieve::Sampler;
use tracesieve::sdk::{Python as PythonContext, PythonEvent, ReadPlan};

/// A key and its interned Python string.
struct Entry {
    key: Box<str>,
    value: Py<PyString>,
}

type Slot = Option<Entry>;

/// The interned keys of one sampler (immutable after construction).
pub struct Keys {
    slots: Box<[Slot]>,
    mask: usize,
}

/// The first 8 bytes (zero-padded) and the last 8 bytes of `b`.
fn ends(b: &[u8]) -> (u64, u64) {
    match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(head), Some(tail)) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
        _ => {
            let short = b.iter().rev().fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
            (short, short)
        }
    }
}

fn hash(key: &str) -> u64 {
    let (head, tail) = ends(key.as_bytes());
    let h = head ^ tail.rotate_left(29) ^ (key.len() as u64).wrapping_mul(0xa076_1d64_78bd_642f);
    (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// `a == b` for short keys without a call to `memcmp`: 8 bytes at a time.
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |c: &[u8]| c.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
    let (ac, bc) = (a.chunks_exact(8), b.chunks_exact(8));
    let rest = ac.remainder().iter().zip(bc.remainder()).all(|(x, y)| x == y);
    rest && ac.zip(bc).all(|(x, y)| word(x) == word(y))
}

impl Keys {
    /// Every key the `sentry-sdk` adapters read for `sampler`'s policy: the keys of its
    /// read plans for sampling contexts and for `{event, hint}` error events.
    pub fn new(py: Python<'_>, sampler: &Sampler) -> Keys {
        let req = sampler.requirements();
        let plans = [ReadPlan::record(req, PythonContext::new), ReadPlan::record(req, PythonEvent::from_pair)];
        let all: Vec<&str> = plans.iter().flat_map(|p| p.nodes()).map(|n| n.key.as_str()).collect();
        let size = (all.len() * 4).next_power_of_two().max(16);
        let mut slots: Vec<Slot> = (0..size).map(|_| None).collect();
        let mask = size - 1;
        for key in all {
            let mut i = hash(key) as usize & mask;
            loop {
                match &slots[i] {
                    Some(e) if &*e.key == key => break,
                    Some(_) => i = (i + 1) & mask,
                    None => {
                        slots[i] = Some(Entry { key: key.into(), value: PyString::intern(py, key).unbind() });
                        break;
                    }
                }
            }
        }
        Keys { slots: slots.into(), mask }
    }

    /// Calls `f` with `key` as a Python string: the interned one, or a new one for a key
    /// not seen at construction.
    pub fn with<'py, R>(&self, py: Python<'py>, key: &str, f: impl FnOnce(&Bound<'py, PyString>) -> R) -> R {
        let mut i = hash(key) as usize & self.mask;
        while let Some(e) = &self.slots[i] {
            if same(e.key.as_bytes(), key.as_bytes()) {
                return f(e.value.bind(py));
            }
            i = (i + 1) & self.mask;
        }
        f(&PyString::new(py, key))
    }
}
