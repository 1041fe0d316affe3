//! [`HostObject`] over Python objects: dict items for dicts, attributes for request
//! objects, values converted to the core's [`Value`]. Reads never raise: an exception
//! (other than a missing attribute) marks the read as failed.
//!
//! Every object reached during one call is kept alive in that call's arena, so strings are
//! lent to the core without a copy (a version-specific build reads CPython's UTF-8 buffer
//! directly; an abi3 build has to encode once).

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use tracesieve::sdk::MAX_PYTHON_STR;
use tracesieve::{HostObject, Value};
use typed_arena::Arena;

use crate::convert::text_of;
use crate::keys::Keys;

/// How many objects a call keeps without allocating (a sampling context read for a
/// typical policy reaches fewer).
const INLINE: usize = 8;

/// The objects one call reached, kept alive until it ends: the first [`INLINE`] in place,
/// the rest in an arena made when needed.
struct Objects<'py> {
    inline: [OnceCell<Bound<'py, PyAny>>; INLINE],
    used: Cell<usize>,
    more: OnceCell<Arena<Bound<'py, PyAny>>>,
}

impl<'py> Objects<'py> {
    fn keep(&self, obj: Bound<'py, PyAny>) -> &Bound<'py, PyAny> {
        let i = self.used.get();
        match self.inline.get(i) {
            Some(cell) => {
                self.used.set(i + 1);
                cell.get_or_init(|| obj)
            }
            None => self.more.get_or_init(|| Arena::with_capacity(INLINE)).alloc(obj),
        }
    }
}

/// What one call reads through: the objects it reached, whether a read failed, the keys.
pub struct Call<'k, 'py> {
    objects: Objects<'py>,
    failed: Cell<bool>,
    keys: &'k Keys,
}

impl<'k, 'py> Call<'k, 'py> {
    /// A new call reading with `keys`.
    pub fn new(keys: &'k Keys) -> Self {
        let objects = Objects { inline: Default::default(), used: Cell::new(0), more: OnceCell::new() };
        Call { objects, failed: Cell::new(false), keys }
    }

    /// `obj` as the root of a context or event of this call.
    pub fn root<'a>(&'a self, obj: &'a Bound<'py, PyAny>) -> Host<'a, 'k, 'py> {
        Host { obj, call: self }
    }
}

/// One Python value reached in a call.
#[derive(Clone, Copy)]
pub struct Host<'a, 'k, 'py> {
    obj: &'a Bound<'py, PyAny>,
    call: &'a Call<'k, 'py>,
}

impl<'a, 'py> Host<'a, '_, 'py> {
    fn child(&self, obj: Bound<'py, PyAny>) -> Option<Self> {
        (!obj.is_none()).then(|| Host { obj: self.call.objects.keep(obj), call: self.call })
    }

    fn fail<T>(&self) -> Option<T> {
        self.call.failed.set(true);
        None
    }

    /// A string's text, or `None` (and a failed read) when it is longer than the core
    /// reads. Lone surrogates read as U+FFFD ([`text_of`]), as in JavaScript, so that one
    /// context decides the same in both languages.
    fn text(&self, s: &'a Bound<'py, PyString>) -> Option<Cow<'a, str>> {
        match s.len() {
            Ok(n) if n <= MAX_PYTHON_STR => Some(text_of(s)),
            _ => self.fail(),
        }
    }
}

impl<'a> HostObject<'a> for Host<'a, '_, '_> {
    fn get(&self, key: &str) -> Option<Self> {
        let py = self.obj.py();
        if let Ok(dict) = self.obj.cast::<PyDict>() {
            return match self.call.keys.with(py, key, |k| dict.get_item(k)) {
                Ok(v) => self.child(v?),
                Err(_) => self.fail(),
            };
        }
        let obj = self.obj;
        if obj.is_instance_of::<PyString>()
            || obj.is_instance_of::<PyInt>()
            || obj.is_instance_of::<PyFloat>()
            || obj.is_instance_of::<PyList>()
            || obj.is_instance_of::<PyTuple>()
            || obj.is_none()
        {
            return None;
        }
        match self.call.keys.with(py, key, |k| obj.getattr(k)) {
            Ok(v) => self.child(v),
            Err(e) if e.is_instance_of::<PyAttributeError>(py) => None,
            Err(_) => self.fail(),
        }
    }

    fn value(&self) -> Option<Value<'a>> {
        let obj: &'a Bound<'_, PyAny> = self.obj;
        if let Ok(s) = obj.cast::<PyString>() {
            return Some(Value::Str(self.text(s)?));
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return Some(Value::Bool(b.is_true()));
        }
        if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>() {
            return match obj.extract::<f64>() {
                Ok(n) => Some(Value::Num(n)),
                // An int too large for a float is a number no policy can compare.
                Err(_) => Some(Value::Other),
            };
        }
        if obj.is_none() { None } else { Some(Value::Other) }
    }

    fn has_key_with_prefix(&self, prefix: &str) -> bool {
        let Ok(dict) = self.obj.cast::<PyDict>() else { return false };
        // A snapshot of the keys: iterating the dict itself would panic if another thread
        // resized it meanwhile.
        dict.keys().iter().any(|k| k.cast::<PyString>().is_ok_and(|s| text_of(s).starts_with(prefix)))
    }

    fn index(&self, index: isize) -> Option<Self> {
        let at =
            |len: usize| if index < 0 { len.checked_sub(index.unsigned_abs()) } else { Some(index.unsigned_abs()) };
        let item = if let Ok(t) = self.obj.cast::<PyTuple>() {
            t.get_item(at(t.len())?)
        } else if let Ok(l) = self.obj.cast::<PyList>() {
            l.get_item(at(l.len())?)
        } else {
            return None;
        };
        match item {
            Ok(v) => self.child(v),
            Err(_) => self.fail(),
        }
    }

    fn is_map(&self) -> bool {
        self.obj.is_instance_of::<PyDict>()
    }

    fn failed(&self) -> bool {
        self.call.failed.get()
    }
}
