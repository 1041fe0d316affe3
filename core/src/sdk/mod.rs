//! Sampling contexts as each Sentry SDK passes them, read through [`HostObject`].
//!
//! One adapter per shape, each a [`Context`](crate::Context): the per-SDK field sources of
//! `docs/policy.md` live here once, for every binding and for the conformance runner.

mod canonical;
mod java;
mod js;
mod plan;
mod python;
mod snapshot;

pub use canonical::Canonical;
pub use java::{Java, JavaEvent, MAX_JAVA_STR};
pub use js::{Js, JsEvent, MAX_JS_STR};
pub use plan::{PlanNode, Probe, ReadPlan};
pub use python::{MAX_PYTHON_STR, PYTHON_KEYS, Python, PythonEvent, sample_rand_of_trace_id};
pub use snapshot::{Node, Snapshot};

use alloc::borrow::Cow;
use alloc::string::ToString;

use crate::host::{HostObject, lookup};
use crate::value::Value;

/// Applies `f` to a string value, keeping it borrowed when it was.
#[inline]
pub(crate) fn derive<'a>(v: Value<'a>, f: impl Fn(&str) -> Option<&str>) -> Option<Value<'a>> {
    match v {
        Value::Str(Cow::Borrowed(s)) => f(s).map(Value::str),
        Value::Str(Cow::Owned(s)) => f(&s).map(|x| Value::Str(Cow::Owned(x.to_string()))),
        _ => None,
    }
}

/// A custom-context lookup on `root`, unless the path starts with one of the SDK's own
/// keys (those are fields, not custom context).
pub(crate) fn custom<'a, H: HostObject<'a>>(root: &H, path: &str, own: &[&str]) -> Option<Value<'a>> {
    let first = path.split('.').next().unwrap_or(path);
    if own.contains(&first) {
        return None;
    }
    lookup(root, path)?.value()
}

/// The child `key` of `root` when it is a mapping; present but not a mapping marks the
/// context malformed (the adapters then report [`Context::read_failed`](crate::Context::read_failed)).
#[inline]
pub(crate) fn map_child<'a, H: HostObject<'a>>(root: &H, key: &str, malformed: &core::cell::Cell<bool>) -> Option<H> {
    let child = root.get(key)?;
    if child.is_map() {
        Some(child)
    } else {
        malformed.set(true);
        None
    }
}

/// The value at `key` if it is a string.
#[inline]
pub(crate) fn string<'a, H: HostObject<'a>>(obj: Option<H>, key: &str) -> Option<Value<'a>> {
    obj?.get(key)?.value().filter(|v| matches!(v, Value::Str(_)))
}

#[inline]
pub(crate) fn scalar<'a, H: HostObject<'a>>(obj: &H, key: &str) -> Option<Value<'a>> {
    obj.get(key)?.value()
}

/// A parent sample rate at `key`: a number, or NaN for a present value that is not one (so
/// that the sampler ignores it, and counts it, as it does a number outside [0, 1]).
#[inline]
pub(crate) fn rate<'a, H: HostObject<'a>>(obj: &H, key: &str) -> Option<f64> {
    scalar(obj, key).map(|v| v.as_f64().unwrap_or(f64::NAN))
}

/// A `sample_rand` from a dynamic sampling context (a number or numeric text), if it is in
/// [0, 1); a present value that is not marks `ignored` (an invalid value, ignored).
pub(crate) fn dsc_sample_rand<'a, H: HostObject<'a>>(
    value: Option<H>,
    ignored: &core::cell::Cell<bool>,
) -> Option<f64> {
    let value = value?.value()?;
    let rand = match value {
        Value::Num(n) => Some(n),
        Value::Str(s) => crate::num::parse_f64(s.trim()),
        _ => None,
    }
    .filter(|r| (0.0..1.0).contains(r));
    if rand.is_none() {
        ignored.set(true);
    }
    rand
}

/// Declares an adapter: a struct that reads a context `root` lazily through [`HostObject`].
macro_rules! adapter {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<'a, H> {
            root: H,
            life: PhantomData<Value<'a>>,
        }

        impl<'a, H: HostObject<'a>> $name<'a, H> {
            /// Reads the context `root` lazily.
            pub fn new(root: H) -> Self {
                $name { root, life: PhantomData }
            }
        }
    };
}

pub(crate) use adapter;
