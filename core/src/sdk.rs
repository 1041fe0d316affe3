//! Sampling contexts as each Sentry SDK passes them, read through [`HostObject`].
//!
//! One adapter per shape, each a [`Context`]: the per-SDK field sources of
//! `docs/policy.md` live here once, for every binding and for the conformance runner.

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use core::marker::PhantomData;

use crate::context::{Context, Field};
use crate::extract::{method_of_name, path_of, split_name};
use crate::host::{HostObject, lookup};
use crate::value::Value;

/// Applies `f` to a string value, keeping it borrowed when it was.
fn derive<'a>(v: Value<'a>, f: impl Fn(&str) -> Option<&str>) -> Option<Value<'a>> {
    match v {
        Value::Str(Cow::Borrowed(s)) => f(s).map(Value::str),
        Value::Str(Cow::Owned(s)) => f(&s).map(|x| Value::Str(Cow::Owned(x.to_string()))),
        _ => None,
    }
}

/// A custom-context lookup on `root`, unless the path starts with one of the SDK's own
/// keys (those are fields, not custom context).
fn custom<'a, H: HostObject<'a>>(root: &H, path: &str, own: &[&str]) -> Option<Value<'a>> {
    let first = path.split('.').next().unwrap_or(path);
    if own.contains(&first) {
        return None;
    }
    lookup(root, path)?.value()
}

/// The value at `key` if it is a string.
fn string<'a, H: HostObject<'a>>(obj: Option<H>, key: &str) -> Option<Value<'a>> {
    obj?.get(key)?.value().filter(|v| matches!(v, Value::Str(_)))
}

fn scalar<'a, H: HostObject<'a>>(obj: &H, key: &str) -> Option<Value<'a>> {
    obj.get(key)?.value()
}

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

adapter! {
    /// The canonical shape: the fields of `docs/policy.md` by their policy names
    /// (`name`, `op`, `origin`, `method`, `path`, `parentSampled`, `parentSampleRate`,
    /// `sampled` (forced), `attributes`, `custom`; for error events `exception`, `level`,
    /// `logger`, `message`, `tags`), plus `sampleRand`.
    Canonical
}

impl<'a, H: HostObject<'a>> Context for Canonical<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        scalar(&self.root, field.as_str())
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        scalar(&self.root.get("attributes")?, key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.root.get("attributes").is_some_and(|a| a.has_key_with_prefix(prefix))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        lookup(&self.root.get("custom")?, path)?.value()
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        scalar(&self.root.get("tags")?, key)
    }
    fn parent_sampled(&self) -> Option<bool> {
        scalar(&self.root, "parentSampled")?.as_bool()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        scalar(&self.root, "parentSampleRate")?.as_f64()
    }
    fn forced(&self) -> Option<bool> {
        scalar(&self.root, "sampled")?.as_bool()
    }
    fn sample_rand(&self) -> Option<f64> {
        scalar(&self.root, "sampleRand")?.as_f64()
    }
}

adapter! {
    /// The `samplingContext` of `@sentry/core` v10 and v11 (`tracesSampler`): `name`,
    /// `attributes` (with `sentry.op`, `sentry.origin`, HTTP semantic conventions),
    /// `parentSampled`, `parentSampleRate`, `normalizedRequest` and custom keys.
    Js
}

impl<'a, H: HostObject<'a>> Js<'a, H> {
    fn attr(&self, key: &str) -> Option<Value<'a>> {
        string(self.root.get("attributes"), key)
    }

    fn name(&self) -> Option<Value<'a>> {
        scalar(&self.root, "name")
    }

    fn method(&self) -> Option<Value<'a>> {
        self.attr("http.request.method")
            .or_else(|| self.attr("http.method"))
            .or_else(|| string(self.root.get("normalizedRequest"), "method"))
            .or_else(|| derive(self.name()?, method_of_name))
    }

    fn path(&self) -> Option<Value<'a>> {
        let url_path = |v: Value<'a>| derive(v, |s| Some(path_of(s)));
        self.attr("url.path")
            .or_else(|| url_path(self.attr("http.target")?))
            .or_else(|| url_path(self.attr("url.full")?))
            .or_else(|| url_path(self.attr("http.url")?))
            .or_else(|| url_path(string(self.root.get("normalizedRequest"), "url")?))
            .or_else(|| derive(self.name()?, |n| split_name(n).map(|(_, p)| p)))
            .or_else(|| {
                let op = self.attr("sentry.op")?;
                matches!(op.as_str(), Some("pageload" | "navigation")).then(|| self.name()).flatten()
            })
    }
}

impl<'a, H: HostObject<'a>> Context for Js<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Name => self.name(),
            Field::Op => self.attr("sentry.op"),
            Field::Origin => self.attr("sentry.origin"),
            Field::Method => self.method(),
            Field::Path => self.path(),
            _ => None,
        }
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        scalar(&self.root.get("attributes")?, key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.root.get("attributes").is_some_and(|a| a.has_key_with_prefix(prefix))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        custom(&self.root, path, &["name", "attributes", "parentSampled", "parentSampleRate", "inheritOrSampleWith"])
    }
    fn parent_sampled(&self) -> Option<bool> {
        scalar(&self.root, "parentSampled")?.as_bool()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        scalar(&self.root, "parentSampleRate")?.as_f64()
    }
}

/// Python request objects that carry `method` and `path`, in the order they are tried
/// (after `wsgi_environ`).
const PYTHON_REQUESTS: [&str; 4] = ["asgi_scope", "aiohttp_request", "tornado_request", "sanic_request"];

adapter! {
    /// The `sampling_context` of `sentry-sdk` 2.x and 3.0 (`traces_sampler`):
    /// `transaction_context` (`name`, `op`, `origin`, `sampled`, `data`), `parent_sampled`,
    /// `parent_sample_rate`, request objects (`wsgi_environ`, `asgi_scope`, ...), and custom
    /// keys; 3.0 alpha's top-level attributes too.
    Python
}

impl<'a, H: HostObject<'a>> Python<'a, H> {
    fn tx(&self, key: &str) -> Option<Value<'a>> {
        scalar(&self.root.get("transaction_context")?, key)
    }

    fn attr(&self, key: &str) -> Option<Value<'a>> {
        self.root
            .get("transaction_context")
            .and_then(|tc| tc.get("data"))
            .and_then(|data| scalar(&data, key))
            .or_else(|| scalar(&self.root, key))
    }

    fn method(&self) -> Option<Value<'a>> {
        string(self.root.get("wsgi_environ"), "REQUEST_METHOD")
            .or_else(|| PYTHON_REQUESTS.iter().find_map(|r| string(self.root.get(r), "method")))
            .or_else(|| self.attr("http.request.method").filter(|v| v.as_str().is_some()))
            .or_else(|| derive(self.tx("name")?, method_of_name))
    }

    fn path(&self) -> Option<Value<'a>> {
        self.wsgi_path()
            .or_else(|| PYTHON_REQUESTS.iter().find_map(|r| string(self.root.get(r), "path")))
            .or_else(|| self.attr("url.path").filter(|v| v.as_str().is_some()))
            .or_else(|| derive(self.tx("name")?, |n| split_name(n).map(|(_, p)| p)))
    }

    /// `SCRIPT_NAME` + `PATH_INFO`, as WSGI reconstructs a request path.
    fn wsgi_path(&self) -> Option<Value<'a>> {
        let script = string(self.root.get("wsgi_environ"), "SCRIPT_NAME");
        let info = string(self.root.get("wsgi_environ"), "PATH_INFO");
        match (script, info) {
            (Some(Value::Str(s)), Some(Value::Str(i))) if !s.is_empty() => {
                let mut joined = String::with_capacity(s.len() + i.len());
                joined.push_str(&s);
                joined.push_str(&i);
                Some(Value::Str(Cow::Owned(joined)))
            }
            (Some(s), None) => Some(s),
            (_, info) => info,
        }
    }
}

impl<'a, H: HostObject<'a>> Context for Python<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Name => self.tx("name"),
            Field::Op => self.tx("op"),
            Field::Origin => self.tx("origin"),
            Field::Method => self.method(),
            Field::Path => self.path(),
            _ => None,
        }
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.attr(key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        let data = self.root.get("transaction_context").and_then(|tc| tc.get("data"));
        data.is_some_and(|d| d.has_key_with_prefix(prefix)) || self.root.has_key_with_prefix(prefix)
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        custom(&self.root, path, &["transaction_context", "parent_sampled", "parent_sample_rate"])
    }
    fn parent_sampled(&self) -> Option<bool> {
        scalar(&self.root, "parent_sampled")?.as_bool()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        scalar(&self.root, "parent_sample_rate")?.as_f64()
    }
    fn forced(&self) -> Option<bool> {
        self.tx("sampled")?.as_bool()
    }
}
