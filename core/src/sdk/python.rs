//! `sentry-sdk` (2.x, 3.0) sampling contexts.

use alloc::borrow::Cow;
use alloc::string::String;
use core::marker::PhantomData;

use super::{adapter, custom, derive, scalar, string};
use crate::context::{Context, Field};
use crate::extract::{method_of_name, split_name};
use crate::host::HostObject;
use crate::value::Value;

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
