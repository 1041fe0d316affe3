//! `@sentry/core` (v10, v11) sampling contexts.

use core::marker::PhantomData;

use super::{adapter, custom, derive, scalar, string};
use crate::context::{Context, Field};
use crate::extract::{method_of_name, path_of, split_name};
use crate::host::HostObject;
use crate::value::Value;

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
