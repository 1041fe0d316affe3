//! [`HostObject`] over Ruby values: Hashes by Symbol key, then by String key (the Rack env
//! has String keys); other objects only through the reader methods the core names
//! ([`RUBY_READERS`]: `event.exception.values`, `exception.class.name`). Reads never raise:
//! an exception marks the read as failed, and the core then decides a counted fallback.
//!
//! Strings are copied out of Ruby as soon as they are read (the core gets owned text), so
//! nothing borrowed from a Ruby object outlives a call into Ruby.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use magnus::r_hash::ForEach;
use magnus::value::{Opaque, ReprValue};
use magnus::{Float, Integer, RArray, RHash, RString, Ruby, StaticSymbol, Symbol, TryConvert, Value, gc};
use tracesieve::sdk::{MAX_RUBY_STR, RUBY_READERS};
use tracesieve::{HostObject, Requirements, Value as V};

/// FNV-1a: keys are a few short literals.
#[derive(Default)]
struct Fnv(u64);

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

/// A key as a Symbol and as a frozen String, and whether it names a reader method.
struct Key {
    symbol: Opaque<StaticSymbol>,
    string: Opaque<RString>,
    reader: bool,
}

/// The keys one sampler reads, made once: the adapters' own, and every attribute key,
/// custom path (whole and split on dots) and tag key of the policy.
pub struct Keys {
    map: HashMap<Box<str>, Key, BuildHasherDefault<Fnv>>,
}

impl Keys {
    /// The keys of `literals` and of what the policy reads.
    pub fn new(ruby: &Ruby, literals: &[&str], req: &Requirements) -> Keys {
        let mut all: Vec<&str> = literals.iter().copied().chain(RUBY_READERS.iter().copied()).collect();
        all.extend(req.attributes.iter().chain(&req.tags).map(String::as_str));
        for path in &req.custom {
            all.push(path);
            all.extend(path.split('.'));
        }
        let mut map = HashMap::default();
        for key in all {
            map.entry(key.into()).or_insert_with(|| {
                let string = ruby.str_new(key);
                string.freeze();
                Key { symbol: ruby.sym_new(key).into(), string: string.into(), reader: RUBY_READERS.contains(&key) }
            });
        }
        Keys { map }
    }

    /// Keeps the frozen key Strings alive (and in place) while the sampler lives.
    pub fn mark(&self, marker: &gc::Marker) {
        for key in self.map.values() {
            marker.mark(key.string);
        }
    }
}

/// What one call reads through: the keys, and whether a read failed.
pub struct Call<'k> {
    ruby: &'k Ruby,
    keys: &'k Keys,
    failed: Cell<bool>,
}

impl<'k> Call<'k> {
    /// A new call reading with `keys`.
    pub fn new(ruby: &'k Ruby, keys: &'k Keys) -> Self {
        Call { ruby, keys, failed: Cell::new(false) }
    }

    /// `v` as the root of a context, event or hint of this call.
    pub fn root(&self, v: Value) -> Host<'_, 'k> {
        Host { v, call: self }
    }
}

/// One Ruby value reached in a call.
#[derive(Clone, Copy)]
pub struct Host<'c, 'k> {
    v: Value,
    call: &'c Call<'k>,
}

impl Host<'_, '_> {
    fn child(&self, v: Value) -> Option<Self> {
        (!v.is_nil()).then_some(Host { v, call: self.call })
    }

    fn fail<T>(&self) -> Option<T> {
        self.call.failed.set(true);
        None
    }

    /// A String's text, copied; `None` (and a failed read) when longer than the core reads.
    fn text(&self, s: RString) -> Option<String> {
        if s.len() > MAX_RUBY_STR {
            return self.fail();
        }
        // SAFETY: the bytes are copied before any other call into Ruby.
        #[allow(unsafe_code)]
        let bytes = unsafe { s.as_slice() };
        Some(match String::from_utf8_lossy(bytes) {
            Cow::Borrowed(t) => t.to_owned(),
            Cow::Owned(t) => t,
        })
    }

    /// Whether this is a value whose methods are never called (a String, Symbol, number,
    /// Array, true, false or nil).
    fn is_plain(&self) -> bool {
        let ruby = self.call.ruby;
        RString::from_value(self.v).is_some()
            || Symbol::from_value(self.v).is_some()
            || Integer::from_value(self.v).is_some()
            || Float::from_value(self.v).is_some()
            || RArray::from_value(self.v).is_some()
            || self.v.is_kind_of(ruby.class_true_class())
            || self.v.is_kind_of(ruby.class_false_class())
    }

    /// Calls the reader `key` if this object has it.
    fn read(&self, key: &Key) -> Option<Self> {
        match self.v.respond_to(self.call.ruby.get_inner(key.symbol), false) {
            Ok(false) => None,
            Ok(true) => match self.v.funcall::<_, _, Value>(self.call.ruby.get_inner(key.symbol), ()) {
                Ok(v) => self.child(v),
                Err(_) => self.fail(),
            },
            Err(_) => self.fail(),
        }
    }
}

impl HostObject<'static> for Host<'_, '_> {
    fn get(&self, key: &str) -> Option<Self> {
        let ruby = self.call.ruby;
        let known = self.call.keys.map.get(key);
        if let Some(hash) = RHash::from_value(self.v) {
            let by_symbol = match known {
                Some(k) => hash.get(ruby.get_inner(k.symbol)),
                None => hash.get(ruby.to_symbol(key)),
            };
            let by_string = || match known {
                Some(k) => hash.get(ruby.get_inner(k.string)),
                None => hash.get(ruby.str_new(key)),
            };
            return by_symbol.filter(|v| !v.is_nil()).or_else(by_string).and_then(|v| self.child(v));
        }
        if self.v.is_nil() || self.is_plain() {
            return None;
        }
        known.filter(|k| k.reader).and_then(|k| self.read(k))
    }

    fn value(&self) -> Option<V<'static>> {
        let ruby = self.call.ruby;
        let v = self.v;
        if v.is_nil() {
            return None;
        }
        if let Some(s) = RString::from_value(v) {
            return Some(V::Str(Cow::Owned(self.text(s)?)));
        }
        if let Some(sym) = Symbol::from_value(v) {
            return match sym.name() {
                Ok(name) if name.len() <= MAX_RUBY_STR => Some(V::Str(Cow::Owned(name.into_owned()))),
                _ => self.fail(),
            };
        }
        if v.is_kind_of(ruby.class_true_class()) {
            return Some(V::Bool(true));
        }
        if v.is_kind_of(ruby.class_false_class()) {
            return Some(V::Bool(false));
        }
        if let Some(f) = Float::from_value(v) {
            return Some(V::Num(f.to_f64()));
        }
        if Integer::from_value(v).is_some() {
            return Some(f64::try_convert(v).map_or(V::Other, V::Num));
        }
        Some(V::Other)
    }

    fn has_key_with_prefix(&self, prefix: &str) -> bool {
        let Some(hash) = RHash::from_value(self.v) else { return false };
        let mut found = false;
        let scanned = hash.foreach(|k: Value, _: Value| {
            let name = if let Some(s) = RString::from_value(k) {
                self.text(s)
            } else {
                Symbol::from_value(k).and_then(|s| s.name().ok()).map(Cow::into_owned)
            };
            found = name.is_some_and(|n| n.starts_with(prefix));
            Ok(if found { ForEach::Stop } else { ForEach::Continue })
        });
        if scanned.is_err() {
            self.call.failed.set(true);
        }
        found
    }

    fn index(&self, index: isize) -> Option<Self> {
        let array = RArray::from_value(self.v)?;
        match array.entry::<Value>(index) {
            Ok(v) => self.child(v),
            Err(_) => self.fail(),
        }
    }

    fn is_map(&self) -> bool {
        RHash::from_value(self.v).is_some()
    }

    fn failed(&self) -> bool {
        self.call.failed.get()
    }
}
