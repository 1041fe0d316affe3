//! Read plans: the property paths an SDK adapter reads for one policy, so that a binding
//! can read exactly those with its host language's own property access and hand the values
//! over in one call, instead of crossing the language boundary once per property.
//!
//! A plan is *recorded* by running an adapter (say [`Js`](super::Js)) over a probe that
//! answers "missing" to every read, for every field, attribute, custom path and tag a
//! [`Sampler`](crate::Sampler) requires. Because every source is missing, the adapter walks
//! its whole chain of sources, so the plan lists every path it could read: the adapter is
//! the one definition of the field sources, and the plan cannot drift from it.
//!
//! A binding then reads the plan's paths from the host object and encodes what it found
//! in the [wire format](#wire-format); [`Snapshot::decode`](super::Snapshot::decode) turns the bytes back into a
//! [`HostObject`], and the same adapter decides over it.
//!
//! # Wire format
//!
//! Two parts: a head of fixed size, [`ReadPlan::head_len`] bytes, then the strings' UTF-8,
//! all together (a decision checks them as UTF-8 at once, when it first reads a string).
//!
//! The head has everything at a fixed place, so that nothing needs decoding: byte 0 holds
//! flags (bit 0: a read failed, e.g. a getter threw); node `i` of the plan (preorder, the
//! root first) has the 9 bytes from `1 + 9 * i`, its tag then its payload; after every
//! node's bytes, each scan of each node has one byte (0 or 1), in plan order; then bytes of
//! any value up to a multiple of 16.
//!
//! | tag | value | payload |
//! |---|---|---|
//! | 0 | missing (absent, `null`, `undefined`) | none |
//! | 1 | string | `u32` little-endian: where its UTF-8 starts among the strings; `u32` little-endian: its byte length |
//! | 2 | number | `f64` little-endian |
//! | 3, 4 | `false`, `true` | none |
//! | 5 | an object (or function) | none: its [scans](PlanNode::scans) and children are written |
//! | 6 | anything else present (a symbol, a bigint, ...) | none |
//! | 7 | an array | as tag 5 |
//! | 8 | a string not written here: the decoder asks for it, if needed, through the fetch function given to [`Snapshot::decode_lazy`](super::Snapshot::decode_lazy) | none |
//!
//! Only the children and scans of a node of tag 5 or 7 are written: those of other nodes
//! keep whatever bytes were there, and are missing.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::compile::bytes::{ByteReader, ByteWriter};
use crate::compile::requirements::Requirements;
use crate::context::host::HostObject;
use crate::context::value::Value;
use crate::context::{Context, Field};
use crate::decide::genai::ATTRIBUTE_PREFIX;
use crate::policy::model::MAX_DEPTH;

/// The key of a plan node that stands for an item of an array, by index (negative from
/// the end): `[0]`, `[-1]`.
pub(super) fn index_key(i: isize) -> String {
    // Written by hand: formatting machinery would be most of what the browser module needs
    // of `core::fmt`.
    let mut digits = Vec::new();
    let mut n = i.unsigned_abs();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut key = String::from(if i < 0 { "[-" } else { "[" });
    key.extend(digits.iter().rev().map(|d| char::from(*d)));
    key.push(']');
    key
}

/// How deep a plan read from compiled bytes may be: more than the adapters' deepest path,
/// a custom path of [`MAX_DEPTH`] keys under an event's `extra` and the root.
const MAX_PLAN_DEPTH: usize = 2 * MAX_DEPTH;

/// One node of a [`ReadPlan`]: a property read from its parent node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanNode {
    /// The property key (empty for the root); `[i]` for the item at index `i` of an array
    /// (`[-1]`: the last).
    pub key: String,
    /// The index of the parent node (the root is its own parent, index 0).
    pub parent: usize,
    /// The index one past this node's subtree.
    pub end: usize,
    /// Key prefixes this node is scanned for: "has a key starting with it" (the AI
    /// predicate's `gen_ai.`).
    pub scans: Vec<String>,
    /// Whether the adapter reads this node even when every value is present: false for a
    /// fallback source (`url.full` when `url.path` is missing), whose string a binding can
    /// leave out of the bytes (wire tag 8) for the decoder to fetch only when needed.
    pub primary: bool,
}

/// The property paths an adapter reads for one policy, as a tree in preorder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadPlan {
    pub(super) nodes: Vec<PlanNode>,
    /// Per node, where its first scan's byte is in the wire format's head.
    pub(super) scan_at: Vec<u32>,
    /// Per node, what a child lookup compares ([`KeyCode`]), its parent and where its
    /// subtree ends.
    pub(super) lookup: Vec<Lookup>,
    /// The nodes by parent and key: an open-addressing table of node indices (0: empty),
    /// a power of two at least twice as long as the plan, probed from [`slot_of`].
    pub(super) table: Vec<u32>,
    /// The size of the wire format's head.
    pub(super) head_len: usize,
}

/// A node's key as [`Node::get`](super::Node) compares it, and the end of its subtree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Lookup {
    pub(super) code: KeyCode,
    pub(super) parent: usize,
    pub(super) end: usize,
}

/// Where the lookup of the child with key code `code` of node `parent` starts in a table of
/// `mask + 1` slots.
#[inline]
pub(super) fn slot_of(parent: usize, code: &KeyCode, mask: usize) -> usize {
    let mixed = code.head ^ code.tail.rotate_left(29) ^ (code.len as u64).rotate_left(58) ^ parent as u64;
    (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
}

/// A key as two numbers and its length, made with at most four loads: keys of one length
/// are equal exactly when their codes are, up to 16 bytes (longer keys also compare the
/// bytes in between, [`same_key`]). A lookup compares these numbers per sibling instead of
/// calling `memcmp`, which costs more than the comparison itself (in wasm above all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct KeyCode {
    len: usize,
    /// Up to 8 bytes: every byte (loads that overlap cover it); longer: the first 8.
    head: u64,
    /// Over 8 bytes: the last 8; else 0.
    tail: u64,
}

impl KeyCode {
    #[inline]
    pub(super) fn of(key: &[u8]) -> KeyCode {
        let u32_at = |i: usize| key.get(i..i + 4).and_then(|b| b.try_into().ok()).map_or(0, u32::from_le_bytes);
        let byte_at = |i: usize| u64::from(key[i]);
        let (head, tail) = match (key.first_chunk::<8>(), key.last_chunk::<8>()) {
            (Some(head), Some(tail)) if key.len() > 8 => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
            (Some(word), _) => (u64::from_le_bytes(*word), 0),
            // 4 to 7 bytes: the first 4 and the last 4, which overlap.
            _ if key.len() >= 4 => (u64::from(u32_at(0)) | u64::from(u32_at(key.len() - 4)) << 32, 0),
            _ if key.is_empty() => (0, 0),
            // 1 to 3 bytes: the first, the middle and the last.
            _ => (byte_at(0) | byte_at(key.len() / 2) << 8 | byte_at(key.len() - 1) << 16, 0),
        };
        KeyCode { len: key.len(), head, tail }
    }
}

/// Whether `key`, whose code is `code`, is the node key `node_key` with code `node`.
#[inline]
pub(super) fn same_key(node: &KeyCode, node_key: &[u8], code: &KeyCode, key: &[u8]) -> bool {
    if node != code {
        return false;
    }
    // Past 16 bytes, the bytes between the head and the tail (a loop, not a `memcmp` call).
    key.len() <= 16 || node_key[8..key.len() - 8].iter().zip(&key[8..key.len() - 8]).all(|(a, b)| a == b)
}

fn push_preorder(nodes: &mut Vec<PlanNode>, rec: &Recording, id: usize, parent: usize) {
    let index = nodes.len();
    let scans = rec.scans[id].clone();
    nodes.push(PlanNode { key: rec.keys[id].1.clone(), parent, end: 0, scans, primary: rec.primary[id] });
    for child in (1..rec.keys.len()).filter(|&c| rec.keys[c].0 == id) {
        push_preorder(nodes, rec, child, index);
    }
    nodes[index].end = nodes.len();
}

/// What the probe learns while an adapter reads through it.
struct Recording {
    keys: Vec<(usize, String)>,
    scans: Vec<Vec<String>>,
    /// Per key, whether it was read in the pass where every value is present.
    primary: Vec<bool>,
    /// Which values read as present in the current pass.
    present: Present,
}

/// What the probe's nodes read as in one recording pass: their values missing or a
/// string, and whether they are maps (all are, unless said).
#[derive(Clone, Copy)]
enum Present {
    /// Every value missing.
    None,
    /// Every value present.
    All,
    /// Only this node's value present.
    Only(usize),
    /// Every value present but this node's.
    AllBut(usize),
    /// Every value missing, and this node not a map.
    NotMap(usize),
}

impl Recording {
    fn child(&mut self, parent: usize, key: &str) -> usize {
        let all = matches!(self.present, Present::All);
        if let Some(i) = self.keys.iter().position(|(p, k)| *p == parent && k == key) {
            self.primary[i] |= all;
            return i;
        }
        self.keys.push((parent, key.into()));
        self.scans.push(Vec::new());
        self.primary.push(all);
        self.keys.len() - 1
    }
}

/// The [`HostObject`] a plan is recorded through. Its values read as missing or as a
/// string, and its nodes as maps or not, differently in each pass (all missing, all
/// present, each one alone present, each one alone missing, each one alone not a map), so
/// that reads that only happen after some value was found, or was not, are recorded too.
#[derive(Clone)]
pub struct Probe {
    rec: Rc<RefCell<Recording>>,
    node: usize,
}

impl HostObject<'static> for Probe {
    fn get(&self, key: &str) -> Option<Self> {
        let node = self.rec.borrow_mut().child(self.node, key);
        Some(Probe { rec: Rc::clone(&self.rec), node })
    }
    fn value(&self) -> Option<Value<'static>> {
        let present = match self.rec.borrow().present {
            Present::None | Present::NotMap(_) => false,
            Present::All => true,
            Present::Only(n) => n == self.node,
            Present::AllBut(n) => n != self.node,
        };
        present.then_some(Value::str("?"))
    }
    fn has_key_with_prefix(&self, prefix: &str) -> bool {
        let mut rec = self.rec.borrow_mut();
        let scans = &mut rec.scans[self.node];
        if !scans.iter().any(|s| s == prefix) {
            scans.push(prefix.into());
        }
        false
    }
    fn index(&self, i: isize) -> Option<Self> {
        self.get(&index_key(i))
    }
    fn is_map(&self) -> bool {
        !matches!(self.rec.borrow().present, Present::NotMap(n) if n == self.node)
    }
}

impl ReadPlan {
    /// Records what `adapter` reads for a sampler with these requirements: every required
    /// field, attribute, custom path and tag, the AI predicate's attribute scan, the parent
    /// decision and rate (when required) and `sample_rand`.
    ///
    /// ```
    /// use tracesieve::{Sampler, sdk::{Js, ReadPlan}};
    /// let sampler = Sampler::from_json(r#"{"defaultRate": 0.1, "genAi": false,
    ///     "rules": [{"when": {"op": "db*"}, "rate": 0}]}"#).unwrap();
    /// let plan = ReadPlan::record(sampler.requirements(), Js::new);
    /// assert_eq!(plan.paths(), vec![vec!["attributes"], vec!["attributes", "sentry.op"],
    ///     vec!["parentSampled"], vec!["parentSampleRate"]]);
    /// ```
    pub fn record<A: Context>(req: &Requirements, adapter: impl Fn(Probe) -> A) -> ReadPlan {
        let rec = Recording {
            keys: alloc::vec![(0, String::new())],
            scans: alloc::vec![Vec::new()],
            primary: alloc::vec![true],
            present: Present::None,
        };
        let rec = Rc::new(RefCell::new(rec));
        let pass = |present: Present| {
            rec.borrow_mut().present = present;
            Self::read_all(req, &adapter(Probe { rec: Rc::clone(&rec), node: 0 }));
        };
        pass(Present::None);
        pass(Present::All);
        let mut explored = 0;
        // Until no pass finds a new read (bounded: adapters read a few dozen paths).
        for _ in 0..16 {
            let known = rec.borrow().keys.len();
            if explored == known {
                break;
            }
            for n in explored..known {
                pass(Present::Only(n));
                pass(Present::AllBut(n));
                pass(Present::NotMap(n));
            }
            explored = known;
        }
        let mut nodes = Vec::new();
        push_preorder(&mut nodes, &rec.borrow(), 0, 0);
        Self::index(nodes)
    }

    /// The plan of these nodes, in preorder: where their bytes are, and their lookup table.
    fn index(nodes: Vec<PlanNode>) -> ReadPlan {
        let mut plan = ReadPlan { nodes, scan_at: Vec::new(), lookup: Vec::new(), table: Vec::new(), head_len: 0 };
        // The scans' bytes follow every node's 9 bytes.
        let mut at = 1 + 9 * plan.nodes.len();
        for node in &plan.nodes {
            plan.scan_at.push(at as u32);
            at += node.scans.len();
            let key = node.key.as_bytes();
            plan.lookup.push(Lookup { code: KeyCode::of(key), parent: node.parent, end: node.end });
        }
        plan.head_len = at.next_multiple_of(16);
        let mask = (2 * plan.nodes.len()).next_power_of_two() - 1;
        plan.table = alloc::vec![0; mask + 1];
        for (n, lookup) in plan.lookup.iter().enumerate().skip(1) {
            let mut slot = slot_of(lookup.parent, &lookup.code, mask);
            while plan.table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            plan.table[slot] = n as u32;
        }
        plan
    }

    /// Asks `ctx` for everything a sampler with these requirements may read.
    fn read_all<A: Context>(req: &Requirements, ctx: &A) {
        for f in Field::ALL.iter().filter(|f| req.fields.contains(f)) {
            let _ = ctx.field(*f);
        }
        req.attributes.iter().for_each(|k| drop(ctx.attribute(k)));
        req.custom.iter().for_each(|k| drop(ctx.custom(k)));
        req.tags.iter().for_each(|k| drop(ctx.tag(k)));
        if req.attribute_prefixes {
            let _ = ctx.has_attribute_prefix(ATTRIBUTE_PREFIX);
        }
        if req.parent {
            let _ = (ctx.parent_sampled(), ctx.parent_sample_rate());
        }
        let _ = (ctx.forced(), ctx.sample_rand(), ctx.read_failed());
    }

    /// Writes the plan's nodes into compiled-policy bytes.
    pub fn encode(&self, w: &mut ByteWriter) {
        w.usize(self.nodes.len());
        for n in &self.nodes {
            w.str(&n.key);
            w.usize(n.parent);
            w.usize(n.end);
            w.usize(n.scans.len());
            n.scans.iter().for_each(|s| w.str(s));
            w.bool(n.primary);
        }
    }

    /// Reads a plan written by [`encode`](Self::encode); `None` if the bytes are not one
    /// (the nodes must form a tree in preorder, the root first).
    pub fn decode(r: &mut ByteReader<'_>) -> Option<ReadPlan> {
        let len = r.usize()?;
        let mut nodes: Vec<PlanNode> = Vec::new();
        // The nodes whose subtree is open at node `i`, innermost last.
        let mut open: Vec<usize> = Vec::new();
        for i in 0..len {
            let key = r.str()?.into();
            let (parent, end) = (r.usize()?, r.usize()?);
            let scans = (0..r.usize()?).map(|_| r.str().map(String::from)).collect::<Option<_>>()?;
            let primary = r.bool()?;
            while open.last().is_some_and(|&o| nodes[o].end <= i) {
                open.pop();
            }
            // Deeper than any adapter reads (a custom path has at most `MAX_DEPTH` keys):
            // refused, before a binding walks it recursively.
            if open.len() > MAX_PLAN_DEPTH {
                return None;
            }
            // The root is its own parent and holds every node; any other node's parent is
            // the innermost open node, whose subtree holds the node's.
            let fits = match open.last() {
                None => i == 0 && parent == 0 && end == len,
                Some(&o) => parent == o && end > i && end <= nodes[o].end,
            };
            if !fits {
                return None;
            }
            open.push(i);
            nodes.push(PlanNode { key, parent, end, scans, primary });
        }
        (len > 0).then(|| Self::index(nodes))
    }

    /// The size of the head of the wire format that [`Snapshot::decode`](super::Snapshot::decode)
    /// reads, where the strings start: one byte, and 9 per node and 1 per scan, rounded up to
    /// a multiple of 16.
    pub fn head_len(&self) -> usize {
        self.head_len
    }

    /// The nodes, in preorder: the root (the context itself) first.
    pub fn nodes(&self) -> &[PlanNode] {
        &self.nodes
    }

    /// Every node's path from the root (the root's is empty and left out).
    pub fn paths(&self) -> Vec<Vec<&str>> {
        (1..self.nodes.len())
            .map(|mut i| {
                let mut path = Vec::new();
                while i != 0 {
                    path.push(self.nodes[i].key.as_str());
                    i = self.nodes[i].parent;
                }
                path.reverse();
                path
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sampler;
    use crate::sdk::Js;

    #[test]
    fn key_codes_tell_every_key_apart() {
        let keys = [
            "", "a", "b", "ab", "ba", "aab", "aba", "baa", "abc", "name", "namf", "nbme", "nama", "named", "namef",
            "nameX", "aaaaaaa", "aaaaaab", "baaaaaa", "aaabaaa", "aaaaaaaa", "aaaaaaab", "aaaaaaaaX", "aaaaaaaaY",
            "baaaaaaaX", "abcdefgh12345678", "abcdefgh12345679", "abcdefgi12345678", "abcdefgh1234zzzz5678",
            "abcdefgh1234yyyy5678", "abcdefgh1234zzzz5679", "gen_ai.operation.name", "gen_ai.operation.nama",
        ];
        for a in keys {
            let code = KeyCode::of(a.as_bytes());
            for b in keys {
                let found = same_key(&code, a.as_bytes(), &KeyCode::of(b.as_bytes()), b.as_bytes());
                assert_eq!(found, a == b, "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn fallback_sources_are_not_primary() {
        let sampler = Sampler::from_json(
            r#"{"defaultRate": 0.1, "genAi": false,
            "rules": [{"when": {"path": "/health*"}, "rate": 0}]}"#,
        )
        .unwrap();
        let plan = ReadPlan::record(sampler.requirements(), Js::new);
        let primary = |key: &str| plan.nodes().iter().find(|n| n.key == key).map(|n| n.primary);
        assert_eq!(primary("url.path"), Some(true));
        assert_eq!(primary("url.full"), Some(false));
        assert_eq!(primary("normalizedRequest"), Some(false));
        assert_eq!(primary("parentSampled"), Some(true));
    }
}
