//! `@sentry/core` (v10, v11) sampling contexts (`tracesSampler`) and error events
//! (`beforeSend`).

use core::cell::{Cell, OnceCell};
use core::marker::PhantomData;

use super::python::sample_rand_of_trace_id;
use super::{custom, derive, dsc_sample_rand, map_child, rate, scalar, string};
use crate::context::{Context, Field};
use crate::extract::{method_of_name, path_of, split_name};
use crate::host::{HostObject, lookup};
use crate::value::Value;

/// The longest string (in UTF-8 bytes) the JavaScript adapters read. A longer name, path
/// or attribute is treated as a malformed context: the sampler falls back to the parent
/// decision or the default rate, and counts a fallback.
pub const MAX_JS_STR: usize = 64 * 1024;

/// The keys of `samplingContext` that are not custom context.
const OWN_KEYS: [&str; 5] = ["name", "attributes", "parentSampled", "parentSampleRate", "inheritOrSampleWith"];

/// The `samplingContext` of `@sentry/core` v10 and v11 (`tracesSampler`): `name`,
/// `attributes` (with `sentry.op`, `sentry.origin`, HTTP semantic conventions),
/// `parentSampled`, `parentSampleRate`, `normalizedRequest` and custom keys; a custom path
/// that is not at the top level is read from the attributes.
///
/// The context is malformed ([`Context::read_failed`]) when it is not an object, when
/// `attributes` is present but not an object, when `name`, `sentry.op` or `sentry.origin`
/// is present but not a string, when a string read is longer than [`MAX_JS_STR`], or when
/// the host reports a failed read ([`HostObject::failed`]).
pub struct Js<'a, H> {
    root: H,
    attributes: OnceCell<Option<H>>,
    malformed: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a> + Clone> Js<'a, H> {
    /// Reads the context `root` lazily.
    pub fn new(root: H) -> Self {
        Js { root, attributes: OnceCell::new(), malformed: Cell::new(false), life: PhantomData }
    }

    /// A value, unless it is a string too long to read.
    #[inline]
    fn checked(&self, v: Option<Value<'a>>) -> Option<Value<'a>> {
        checked(&self.malformed, v)
    }

    /// `attributes`, read once.
    #[inline]
    fn attributes(&self) -> Option<H> {
        self.attributes.get_or_init(|| map_child(&self.root, "attributes", &self.malformed)).clone()
    }

    #[inline]
    fn attr(&self, key: &str) -> Option<Value<'a>> {
        self.checked(string(self.attributes(), key))
    }

    /// A string that must be a string when present (`name`, `sentry.op`, `sentry.origin`).
    #[inline]
    fn strict(&self, v: Option<Value<'a>>) -> Option<Value<'a>> {
        match self.checked(v)? {
            v @ Value::Str(_) => Some(v),
            _ => {
                self.malformed.set(true);
                None
            }
        }
    }

    #[inline]
    fn name(&self) -> Option<Value<'a>> {
        self.strict(scalar(&self.root, "name"))
    }

    #[inline]
    fn op(&self) -> Option<Value<'a>> {
        self.strict(scalar(&self.attributes()?, "sentry.op"))
    }

    fn method(&self) -> Option<Value<'a>> {
        self.attr("http.request.method")
            .or_else(|| self.attr("http.method"))
            .or_else(|| self.checked(string(self.root.get("normalizedRequest"), "method")))
            .or_else(|| derive(self.name()?, method_of_name))
    }

    fn path(&self) -> Option<Value<'a>> {
        let url_path = |v: Value<'a>| derive(v, |s| Some(path_of(s)));
        self.attr("url.path")
            .or_else(|| url_path(self.attr("http.target")?))
            .or_else(|| url_path(self.attr("url.full")?))
            .or_else(|| url_path(self.attr("http.url")?))
            .or_else(|| url_path(self.checked(string(self.root.get("normalizedRequest"), "url"))?))
            .or_else(|| derive(self.name()?, |n| split_name(n).map(|(_, p)| p)))
            .or_else(|| {
                let op = self.op()?;
                matches!(op.as_str(), Some("pageload" | "navigation")).then(|| self.name()).flatten()
            })
    }
}

#[inline]
fn checked<'a>(malformed: &Cell<bool>, v: Option<Value<'a>>) -> Option<Value<'a>> {
    match v {
        Some(Value::Str(s)) if s.len() > MAX_JS_STR => {
            malformed.set(true);
            None
        }
        v => v,
    }
}

impl<'a, H: HostObject<'a> + Clone> Context for Js<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Name => self.name(),
            Field::Op => self.op(),
            Field::Origin => self.strict(scalar(&self.attributes()?, "sentry.origin")),
            Field::Method => self.method(),
            Field::Path => self.path(),
            _ => None,
        }
    }
    #[inline]
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.checked(scalar(&self.attributes()?, key))
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.attributes().is_some_and(|a| a.has_key_with_prefix(prefix))
    }
    /// JavaScript has no custom sampling context: the data a user gives a root it starts
    /// (`Sentry.startSpan({ attributes })`) is in its attributes. So a path whose first key
    /// is not a top-level key of the sampling context is read from the attributes, by its
    /// whole dotted key (`user.tier`): one policy's `custom` then means the same in every SDK.
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        let first = path.split('.').next().unwrap_or(path);
        let top_level = |key: &str| self.root.get(key).is_some_and(|v| v.value().is_some());
        if top_level(first) || top_level(path) {
            self.checked(custom(&self.root, path, &OWN_KEYS))
        } else {
            self.checked(scalar(&self.attributes()?, path))
        }
    }
    #[inline]
    fn parent_sampled(&self) -> Option<bool> {
        scalar(&self.root, "parentSampled")?.as_bool()
    }
    #[inline]
    fn parent_sample_rate(&self) -> Option<f64> {
        rate(&self.root, "parentSampleRate")
    }
    #[inline]
    fn read_failed(&self) -> bool {
        self.malformed.get() || !self.root.is_map() || self.root.failed()
    }
}

/// An error event of `@sentry/core` v10 and v11 as `beforeSend(event, hint)` gets it,
/// given as one object `{ event, hint }`.
///
/// - `exception`: the thrown value `hint.originalException`: its `name`, unless that is
///   the generic `"Error"` and its class (`constructor.name`) says more
///   (`class MyIgnoredException extends Error {}`); else the `type` of the last of
///   `event.exception.values`.
/// - `level`, `logger`: `event.level`, `event.logger`.
/// - `message`: `event.message`, else the last exception's `value`, else
///   `hint.originalException.message`.
/// - `tags`: `event.tags`; `custom`: `event.extra`, then the event itself.
/// - `sample_rand`: the trace's, so that every error of one trace shares one fate:
///   `event.sdkProcessingMetadata.dynamicSamplingContext.sample_rand`, else derived from
///   `event.contexts.trace.trace_id` ([`sample_rand_of_trace_id`]).
pub struct JsEvent<'a, H> {
    root: H,
    malformed: Cell<bool>,
    ignored: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a>> JsEvent<'a, H> {
    /// Reads `{ event, hint }` lazily.
    pub fn new(root: H) -> Self {
        JsEvent { root, malformed: Cell::new(false), ignored: Cell::new(false), life: PhantomData }
    }

    fn event(&self) -> Option<H> {
        self.root.get("event")
    }

    fn str_of(&self, v: Option<H>) -> Option<Value<'a>> {
        checked(&self.malformed, v?.value().filter(|v| matches!(v, Value::Str(_))))
    }

    fn last_exception(&self) -> Option<H> {
        self.event()?.get("exception")?.get("values")?.index(-1)
    }

    fn exception(&self) -> Option<Value<'a>> {
        let thrown = self.root.get("hint").and_then(|h| h.get("originalException"));
        let name = thrown.as_ref().and_then(|t| self.str_of(t.get("name")));
        let class = thrown.as_ref().and_then(|t| self.str_of(t.get("constructor")?.get("name")));
        let generic = |v: &Value<'a>| matches!(v.as_str(), Some("Error" | "Object" | ""));
        match (name, class) {
            (Some(n), _) if !generic(&n) => Some(n),
            (_, Some(c)) if !generic(&c) => Some(c),
            (n, _) => self.str_of(self.last_exception()?.get("type")).or(n),
        }
    }

    fn message(&self) -> Option<Value<'a>> {
        self.str_of(self.event()?.get("message"))
            .or_else(|| self.str_of(self.last_exception()?.get("value")))
            .or_else(|| self.str_of(self.root.get("hint")?.get("originalException")?.get("message")))
    }
}

impl<'a, H: HostObject<'a>> Context for JsEvent<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Exception => self.exception(),
            Field::Level => self.str_of(self.event()?.get("level")),
            Field::Logger => self.str_of(self.event()?.get("logger")),
            Field::Message => self.message(),
            _ => None,
        }
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        checked(&self.malformed, scalar(&self.event()?.get("tags")?, key))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        let event = self.event()?;
        let extra = event.get("extra").and_then(|x| lookup(&x, path)).and_then(|v| v.value());
        checked(&self.malformed, extra.or_else(|| lookup(&event, path)?.value()))
    }
    fn sample_rand(&self) -> Option<f64> {
        let event = self.event()?;
        let dsc = event.get("sdkProcessingMetadata").and_then(|m| m.get("dynamicSamplingContext"));
        dsc_sample_rand(dsc.and_then(|d| d.get("sample_rand")), &self.ignored).or_else(|| {
            let id = event.get("contexts")?.get("trace")?.get("trace_id")?.value()?;
            sample_rand_of_trace_id(id.as_str()?)
        })
    }
    fn ignored_invalid(&self) -> bool {
        self.ignored.get()
    }
    fn read_failed(&self) -> bool {
        let event_ok = self.event().is_some_and(|e| e.is_map());
        self.malformed.get() || !event_ok || self.root.failed()
    }
}
