//! Snapshots: the values a binding read along a [`ReadPlan`], decoded from the [wire
//! format](super::plan#wire-format) and read back as a [`HostObject`] by the same adapter
//! that recorded the plan.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, OnceCell};

use super::plan::{KeyCode, ReadPlan, index_key, same_key, slot_of};
use crate::host::HostObject;
use crate::value::Value;

/// Values read by a binding along a [`ReadPlan`], decoded from the wire format.
///
/// Decoding only records where each value is in the bytes; a value is made (a string
/// checked for UTF-8, a left-out string fetched) when a decision reads it.
pub struct Snapshot<'a> {
    plan: &'a ReadPlan,
    bytes: &'a [u8],
    slots: &'a [Slot],
    /// The scan results, one bit per scan in plan order (scans past the 64th read false).
    scans: u64,
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

/// Where one node's value is: its wire tag (0 also for a node not reached) and payload (for
/// a string, where it is in the strings part).
/// (All `u32`, without padding, so that an array of them is zeroed as one block.)
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    tag: u32,
    at: u32,
    len: u32,
}

/// Room for the values of [`Snapshot`]s, one slot per plan node. A binding keeps one and
/// lends it to each decode, so that decoding allocates nothing after the first.
#[derive(Debug, Default)]
pub struct Slots(Vec<Slot>);

/// A byte reader over the wire format's head, and where the next string starts.
struct Bytes<'a> {
    bytes: &'a [u8],
    at: usize,
    text_len: usize,
    next_string: usize,
}

impl Bytes<'_> {
    /// Skips `n` bytes; returns where they start.
    #[inline]
    fn skip(&mut self, n: usize) -> Option<u32> {
        let at = self.at;
        let end = at.checked_add(n).filter(|&e| e <= self.bytes.len())?;
        self.at = end;
        u32::try_from(at).ok()
    }
    #[inline]
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }
    /// Takes the next `n` bytes of the strings part; returns where they start in it.
    #[inline]
    fn string(&mut self, n: usize) -> Option<u32> {
        let at = self.next_string;
        self.next_string = at.checked_add(n).filter(|&e| e <= self.text_len)?;
        u32::try_from(at).ok()
    }
    #[inline]
    fn u32(&mut self) -> Option<u32> {
        let at = self.skip(4)? as usize;
        Some(u32::from_le_bytes(self.bytes.get(at..at + 4)?.try_into().ok()?))
    }
}

impl<'a> Snapshot<'a> {
    /// Decodes the values a binding read along `plan` into `slots`. Malformed bytes
    /// (truncated, an unknown tag; bad UTF-8 once read) make a snapshot whose read failed.
    pub fn decode(plan: &'a ReadPlan, bytes: &'a [u8], slots: &'a mut Slots) -> Snapshot<'a> {
        Self::decode_lazy(plan, bytes, None, slots)
    }

    /// As [`decode`](Self::decode), with `fetch(node)` giving the strings the binding did
    /// not write (tag 8), when a decision needs them (`None`: the read failed).
    pub fn decode_lazy(
        plan: &'a ReadPlan,
        bytes: &'a [u8],
        fetch: Option<&'a dyn Fn(usize) -> Option<String>>,
        slots: &'a mut Slots,
    ) -> Snapshot<'a> {
        slots.0.clear();
        slots.0.resize(plan.nodes.len(), Slot::default());
        let mut scans = 0;
        let text_len = bytes.len().saturating_sub(plan.head_len);
        let head = bytes.get(..plan.head_len).unwrap_or(bytes);
        let flags = read(plan, &mut Bytes { bytes: head, at: 0, text_len, next_string: 0 }, &mut slots.0, &mut scans);
        let failed = flags.is_none_or(|flags| flags & 1 == 1);
        let (text, failed) = (OnceCell::new(), Cell::new(failed));
        Snapshot { plan, bytes, slots: &slots.0, scans, text, failed, fetch, fetched: OnceCell::new() }
    }

    /// Whether the binding reported a failed read, or the bytes were malformed.
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    /// The root node (the context itself), for an adapter: `Js::new(snapshot.root())`.
    pub fn root(&self) -> Node<'_, 'a> {
        Node { snap: self, id: 0 }
    }

    /// The strings part of the bytes, if it is UTF-8.
    #[inline]
    fn text(&self) -> Option<&'a str> {
        *self.text.get_or_init(|| core::str::from_utf8(self.bytes.get(self.plan.head_len..).unwrap_or_default()).ok())
    }

    /// The value of node `i`, made from the bytes (or fetched) now.
    #[inline]
    fn value(&self, i: usize) -> Option<Value<'_>> {
        let slot = self.slots[i];
        let (at, end) = (slot.at as usize, (slot.at + slot.len) as usize);
        let value = match slot.tag {
            0 => return None,
            1 => self.text().and_then(|text| text.get(at..end)).map(Value::str),
            2 => self.bytes.get(at..end).and_then(|b| b.try_into().ok()).map(|b| Value::Num(f64::from_le_bytes(b))),
            3 => Some(Value::Bool(false)),
            4 => Some(Value::Bool(true)),
            8 => {
                let cells = self.fetched.get_or_init(|| alloc::vec![OnceCell::new(); self.plan.nodes.len()]);
                cells[i].get_or_init(|| self.fetch.and_then(|f| f(i))).as_deref().map(Value::str)
            }
            _ => Some(Value::Other),
        };
        if value.is_none() {
            self.failed.set(true);
        }
        value
    }
}

/// Reads the wire bytes into one slot per node (and the scan bits); the flags byte, or
/// `None` for malformed bytes.
fn read(plan: &ReadPlan, r: &mut Bytes<'_>, slots: &mut [Slot], scans: &mut u64) -> Option<u8> {
    let flags = r.byte()?;
    let mut i = 0;
    while i < plan.nodes.len() {
        let node = &plan.nodes[i];
        let tag = r.byte()?;
        let slot = match tag {
            0 | 3 | 4 | 6 | 8 => Slot { tag: tag.into(), at: 0, len: 0 },
            1 => {
                let len = r.u32()?;
                Slot { tag: 1, at: r.string(len as usize)?, len }
            }
            2 => Slot { tag: 2, at: r.skip(8)?, len: 8 },
            5 | 7 => {
                let first = plan.scan_at[i] as usize;
                for s in 0..node.scans.len() {
                    if r.byte()? == 1 && first + s < 64 {
                        *scans |= 1 << (first + s);
                    }
                }
                slots[i] = Slot { tag: tag.into(), at: 0, len: 0 };
                i += 1;
                continue;
            }
            _ => return None,
        };
        slots[i] = slot;
        i = node.end;
    }
    Some(flags)
}

/// A node of a [`Snapshot`], read as a [`HostObject`].
#[derive(Clone, Copy, Debug)]
pub struct Node<'s, 'a> {
    snap: &'s Snapshot<'a>,
    id: usize,
}

impl<'s, 'a> Node<'s, 'a> {
    #[inline]
    fn child(&self, key: &str) -> Option<Self> {
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
                return (self.snap.slots[c].tag != 0).then_some(Node { snap: self.snap, id: c });
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
        let at = self.snap.plan.scan_at[self.id] as usize;
        let scans = &self.snap.plan.nodes[self.id].scans;
        scans.iter().position(|s| s == prefix).is_some_and(|i| at + i < 64 && self.snap.scans & (1 << (at + i)) != 0)
    }
    fn index(&self, i: isize) -> Option<Self> {
        self.child(&index_key(i))
    }
    fn is_map(&self) -> bool {
        self.snap.slots[self.id].tag == 5
    }
    fn failed(&self) -> bool {
        self.snap.failed.get()
    }
}
