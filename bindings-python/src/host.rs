//! [`HostObject`] over Python objects: dict items for dicts, attributes for request
//! objects, values converted to the core's [`Value`]. Reads never raise: an exception
//! (other than a missing attribute) marks the read as failed.

use std::borrow::Cow;
use std::cell::Cell;

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use tracesieve::sdk::MAX_PYTHON_STR;
use tracesieve::{HostObject, Value};

use crate::keys::Keys;

/// One Python value reached from a sampling context or an event.
#[derive(Clone)]
pub struct Host<'a, 'py> {
    obj: Bound<'py, PyAny>,
    failed: &'a Cell<bool>,
    keys: &'a Keys,
}

impl<'a, 'py> Host<'a, 'py> {
    /// A root value; `failed` collects failed reads of everything reached from it.
    pub fn new(obj: Bound<'py, PyAny>, failed: &'a Cell<bool>, keys: &'a Keys) -> Self {
        Host { obj, failed, keys }
    }

    fn child(&self, obj: Bound<'py, PyAny>) -> Option<Self> {
        (!obj.is_none()).then(|| Host { obj, failed: self.failed, keys: self.keys })
    }

    fn fail<T>(&self) -> Option<T> {
        self.failed.set(true);
        None
    }

    /// A string's text, or `None` (and a failed read) when it is longer than the core
    /// reads or cannot be encoded.
    fn text<'s>(&self, s: &'s Bound<'py, PyString>) -> Option<Cow<'s, str>> {
        match s.len() {
            Ok(n) if n <= MAX_PYTHON_STR => s.to_cow().ok().or_else(|| self.fail()),
            _ => self.fail(),
        }
    }
}

impl<'py> HostObject<'static> for Host<'_, 'py> {
    fn get(&self, key: &str) -> Option<Self> {
        let py = self.obj.py();
        if let Ok(dict) = self.obj.cast::<PyDict>() {
            return match dict.get_item(self.keys.get(py, key)) {
                Ok(v) => self.child(v?),
                Err(_) => self.fail(),
            };
        }
        if self.obj.is_instance_of::<PyString>()
            || self.obj.is_instance_of::<PyInt>()
            || self.obj.is_instance_of::<PyFloat>()
            || self.obj.is_instance_of::<PyList>()
            || self.obj.is_instance_of::<PyTuple>()
            || self.obj.is_none()
        {
            return None;
        }
        match self.obj.getattr(self.keys.get(py, key)) {
            Ok(v) => self.child(v),
            Err(e) if e.is_instance_of::<PyAttributeError>(py) => None,
            Err(_) => self.fail(),
        }
    }

    fn value(&self) -> Option<Value<'static>> {
        let obj = &self.obj;
        if let Ok(s) = obj.cast::<PyString>() {
            return Some(Value::Str(Cow::Owned(self.text(s)?.into_owned())));
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
        dict.keys()
            .iter()
            .any(|k| k.cast::<PyString>().ok().and_then(|s| s.to_cow().ok()).is_some_and(|s| s.starts_with(prefix)))
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
        self.failed.get()
    }
}
