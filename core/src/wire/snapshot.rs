//! Snapshots: the values a binding read along a [`ReadPlan`], in the [wire
//! format](super::plan#wire-format), read back as a [`HostObject`] by the same adapter that
//! recorded the plan.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, OnceCell};

use super::plan::{KeyCode, ReadPlan, index_key, same_key, slot_of};
use crate::context::host::HostObject;
use crate::context::value::Value;

/// Values read by a binding along a [`ReadPlan`], in the wire format.
///
/// Nothing is decoded up front: every node's tag and payload are at a fixed place in the
/// bytes, and a value is made (the strings checked for UTF-8, a left-out string fetched)
/// when a decision reads it.
pub struct Snapshot<'a> {
    plan: &'a ReadPlan,
    bytes: &'a [u8],
    /// The strings part of the bytes, checked as UTF-8 when a decision first reads a string.
    text: OnceCell<Option<&'a str>>,
    failed: Cell<bool>,
    fetch: Option<&'a dyn Fn(usize) -> Option<String>>,
    fetched: OnceCell<Vec<OnceCell<Option<String>>>>,
}

impl core::fmt::Debug for Snapshot<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Snapshot").field("bytes", &self.bytes).field("failed", &self.failed).finish()
    }
}

impl<'a> Snapshot<'a> {
    /// The values a binding wrote along `plan`. Malformed bytes (a head cut short; an unknown
    /// tag, a string out of bounds or bad UTF-8, once read) make a snapshot whose read failed.
    pub fn decode(plan: &'a ReadPlan, bytes: &'a [u8]) -> Snapshot<'a> {
        Self::decode_lazy(plan, bytes, None)
    }

    /// As [`decode`](Self::decode), with `fetch(node)` giving the strings the binding did
    /// not write (tag 8), when a decision needs them (`None`: the read failed).
    pub fn decode_lazy(
        plan: &'a ReadPlan,
        bytes: &'a [u8],
        fetch: Option<&'a dyn Fn(usize) -> Option<String>>,
    ) -> Snapshot<'a> {
        let failed = bytes.len() < plan.head_len || bytes[0] & 1 == 1;
        Snapshot { plan, bytes, text: OnceCell::new(), failed: Cell::new(failed), fetch, fetched: OnceCell::new() }
    }

    /// Whether the binding reported a failed read, or the bytes were malformed.
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    /// The root node (the context itself), for an adapter: `Js::new(snapshot.root())`.
    pub fn root(&self) -> Node<'_, 'a> {
        Node { snap: self, id: 0 }
    }

    /// Node `i`'s tag (0, missing, for a head cut short).
    #[inline]
    fn tag(&self, i: usize) -> u8 {
        if self.bytes.len() < self.plan.head_len { 0 } else { self.bytes[1 + 9 * i] }
    }

    /// The `u32` at byte `at` of the head.
    #[inline]
    fn u32_at(&self, at: usize) -> usize {
        self.bytes[at..].first_chunk::<4>().map_or(0, |b| u32::from_le_bytes(*b) as usize)
    }

    /// The strings part of the bytes, if it is UTF-8.
    #[inline]
    fn text(&self) -> Option<&'a str> {
        *self.text.get_or_init(|| core::str::from_utf8(self.bytes.get(self.plan.head_len..).unwrap_or_default()).ok())
    }

    /// The value of node `i`, made from the bytes (or fetched) now.
    #[inline]
    fn value(&self, i: usize) -> Option<Value<'_>> {
        let at = 1 + 9 * i;
        let value = match self.tag(i) {
            0 => return None,
            1 => {
                let (start, len) = (self.u32_at(at + 1), self.u32_at(at + 5));
                self.text().and_then(|text| text.get(start..start.checked_add(len)?)).map(Value::str)
            }
            2 => self.bytes[at + 1..].first_chunk::<8>().map(|b| Value::Num(f64::from_le_bytes(*b))),
            3 => Some(Value::Bool(false)),
            4 => Some(Value::Bool(true)),
            5..=7 => Some(Value::Other),
            8 => {
                let cells = self.fetched.get_or_init(|| alloc::vec![OnceCell::new(); self.plan.nodes.len()]);
                cells[i].get_or_init(|| self.fetch.and_then(|f| f(i))).as_deref().map(Value::str)
            }
            _ => None,
        };
        if value.is_none() {
            self.failed.set(true);
        }
        value
    }
}

/// A node of a [`Snapshot`], read as a [`HostObject`].
#[derive(Clone, Copy, Debug)]
pub struct Node<'s, 'a> {
    snap: &'s Snapshot<'a>,
    id: usize,
}

impl<'s, 'a> Node<'s, 'a> {
    /// Whether this node is an object or an array, whose children and scans were written.
    #[inline]
    fn has_children(&self) -> bool {
        matches!(self.snap.tag(self.id), 5 | 7)
    }

    #[inline]
    fn child(&self, key: &str) -> Option<Self> {
        if !self.has_children() {
            return None;
        }
        let plan = self.snap.plan;
        let key = key.as_bytes();
        let code = KeyCode::of(key);
        let mask = plan.table.len() - 1;
        let mut slot = slot_of(self.id, &code, mask);
        loop {
            let c = plan.table[slot] as usize;
            if c == 0 {
                return None;
            }
            let n = &plan.lookup[c];
            if n.parent == self.id && same_key(&n.code, plan.nodes[c].key.as_bytes(), &code, key) {
                return (self.snap.tag(c) != 0).then_some(Node { snap: self.snap, id: c });
            }
            slot = (slot + 1) & mask;
        }
    }
}

impl<'s, 'a: 's> HostObject<'s> for Node<'s, 'a> {
    #[inline]
    fn get(&self, key: &str) -> Option<Self> {
        self.child(key)
    }
    #[inline]
    fn value(&self) -> Option<Value<'s>> {
        self.snap.value(self.id)
    }
    fn has_key_with_prefix(&self, prefix: &str) -> bool {
        let plan = self.snap.plan;
        let at = plan.scan_at[self.id] as usize;
        let scan = plan.nodes[self.id].scans.iter().position(|s| s == prefix);
        self.has_children() && scan.is_some_and(|k| self.snap.bytes[at + k] == 1)
    }
    fn index(&self, i: isize) -> Option<Self> {
        self.child(&index_key(i))
    }
    fn is_map(&self) -> bool {
        self.snap.tag(self.id) == 5
    }
    fn failed(&self) -> bool {
        self.snap.failed.get()
    }
}
