//! [`Requirements`]: what a compiled sampler reads from contexts, collected from its
//! conditions at compile time.

use alloc::string::String;
use alloc::vec::Vec;

use crate::compile::hash::fnv1a;
use crate::context::Field;

/// What a sampler reads from contexts: bindings use it to look up only these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirements {
    /// The named fields read by trace or error conditions.
    pub fields: Vec<Field>,
    /// The attribute keys read.
    pub attributes: Vec<String>,
    /// The custom-context paths read.
    pub custom: Vec<String>,
    /// The tag keys read.
    pub tags: Vec<String>,
    /// Whether [`Context::has_attribute_prefix`](crate::Context::has_attribute_prefix) is asked (the AI predicate).
    pub attribute_prefixes: bool,
    /// Whether the parent decision or rate is read.
    pub parent: bool,
}

impl Requirements {
    pub(crate) fn add_field(&mut self, f: Field) {
        if !self.fields.contains(&f) {
            self.fields.push(f);
        }
    }

    /// Keeps the first of each repeated attribute key, custom path and tag key, in order,
    /// in linear time (policies may have many thousands of keys): through a table of the
    /// keys seen, by hash.
    pub(crate) fn dedupe(&mut self) {
        for list in [&mut self.attributes, &mut self.custom, &mut self.tags] {
            let mask = (2 * list.len()).next_power_of_two() - 1;
            let mut seen = alloc::vec![usize::MAX; mask + 1];
            let mut keep = Vec::with_capacity(list.len());
            for (i, key) in list.iter().enumerate() {
                let mut slot = fnv1a(key.as_bytes()) as usize & mask;
                keep.push(loop {
                    match seen[slot] {
                        usize::MAX => {
                            seen[slot] = i;
                            break true;
                        }
                        j if list[j] == *key => break false,
                        _ => slot = (slot + 1) & mask,
                    }
                });
            }
            let mut keep = keep.into_iter();
            list.retain(|_| keep.next().unwrap_or(true));
        }
    }
}
