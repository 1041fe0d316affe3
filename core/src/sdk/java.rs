//! `sentry-java` (8.x) sampling contexts (`TracesSamplerCallback`) and error events
//! (`BeforeSendCallback`).
//!
//! A Java host exposes its objects by their getters' property names: `getName()` is
//! `name`, `getRequestURI()` is `requestURI`, `getURI()` is `URI`; a `Map` (and
//! `CustomSamplingContext`) by its keys; a `List` by index; an enum by its lower-case name.

use alloc::borrow::Cow;
use alloc::string::String;
use core::cell::{Cell, OnceCell};
use core::marker::PhantomData;

use super::fields::{derive, dsc_sample_rand, map_child, rate, scalar, string};
use super::python::sample_rand_of_trace_id;
use crate::context::host::{HostObject, lookup};
use crate::context::value::Value;
use crate::context::{Context, Field};
use crate::sdk::extract::{method_of_name, path_of, split_name};

/// The longest string (in UTF-8 bytes) the Java adapters read. A longer name, path or
/// attribute is treated as a malformed context: the sampler falls back to the parent
/// decision or the default rate, and counts a fallback.
pub const MAX_JAVA_STR: usize = 64 * 1024;

/// `v`, unless it is a string longer than [`MAX_JAVA_STR`]: then `None`, and the context
/// is marked malformed.
fn checked<'a>(malformed: &Cell<bool>, v: Option<Value<'a>>) -> Option<Value<'a>> {
    match v {
        Some(Value::Str(s)) if s.len() > MAX_JAVA_STR => {
            malformed.set(true);
            None
        }
        v => v,
    }
}

/// The `SamplingContext` of `sentry-java` 8.x (`TracesSamplerCallback`), by getter:
///
/// - `transactionContext`: `name`, `operation`, `origin`, `parentSampled`,
///   `parentSamplingDecision` (`sampled`, `sampleRate`, `sampleRand`);
/// - `customSamplingContext`: the custom keys; the servlet filters put the
///   `HttpServletRequest` under `request` (`method`, `requestURI`), WebFlux its
///   `ServerHttpRequest` (`method`, `URI.path`);
/// - `sampleRand`;
/// - `attributes`: `getAttribute(key)` (the OpenTelemetry path, where the name is a
///   placeholder and the HTTP conventions are attributes).
///
/// The context is malformed ([`Context::read_failed`]) when it is not an object, when
/// `transactionContext` is present but not an object, when `name`, `operation` or `origin`
/// is present but not a string, when a string read is longer than [`MAX_JAVA_STR`], or
/// when the host reports a failed read (a getter threw).
pub struct Java<'a, H> {
    root: H,
    tc: OnceCell<Option<H>>,
    malformed: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a> + Clone> Java<'a, H> {
    /// Reads the context `root` lazily.
    pub fn new(root: H) -> Self {
        Java { root, tc: OnceCell::new(), malformed: Cell::new(false), life: PhantomData }
    }

    /// `transactionContext`, read once.
    fn tc(&self) -> Option<&H> {
        self.tc.get_or_init(|| map_child(&self.root, "transactionContext", &self.malformed)).as_ref()
    }

    fn decision(&self) -> Option<H> {
        self.tc()?.get("parentSamplingDecision")
    }

    fn checked(&self, v: Option<Value<'a>>) -> Option<Value<'a>> {
        checked(&self.malformed, v)
    }

    /// A string of `transactionContext`: anything else present is malformed.
    fn tx_str(&self, key: &str) -> Option<Value<'a>> {
        match self.checked(scalar(self.tc()?, key))? {
            v @ Value::Str(_) => Some(v),
            _ => {
                self.malformed.set(true);
                None
            }
        }
    }

    fn attr(&self, key: &str) -> Option<Value<'a>> {
        self.checked(string(self.root.get("attributes"), key))
    }

    fn request(&self) -> Option<H> {
        self.root.get("customSamplingContext")?.get("request")
    }

    fn method(&self) -> Option<Value<'a>> {
        self.checked(string(self.request(), "method"))
            .or_else(|| self.attr("http.request.method"))
            .or_else(|| self.attr("http.method"))
            .or_else(|| derive(self.tx_str("name")?, method_of_name))
    }

    fn path(&self) -> Option<Value<'a>> {
        let url_path = |v: Value<'a>| derive(v, |s| Some(path_of(s)));
        let request = self.request();
        self.checked(string(request.clone(), "requestURI"))
            .and_then(url_path)
            .or_else(|| self.checked(string(request?.get("URI"), "path")))
            .or_else(|| self.attr("url.path"))
            .or_else(|| url_path(self.attr("http.target")?))
            .or_else(|| url_path(self.attr("url.full")?))
            .or_else(|| derive(self.tx_str("name")?, |n| split_name(n).map(|(_, p)| p)))
    }
}

impl<'a, H: HostObject<'a> + Clone> Context for Java<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Name => self.tx_str("name"),
            Field::Op => self.tx_str("operation"),
            Field::Origin => self.tx_str("origin"),
            Field::Method => self.method(),
            Field::Path => self.path(),
            _ => None,
        }
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.checked(scalar(&self.root.get("attributes")?, key))
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.root.get("attributes").is_some_and(|a| a.has_key_with_prefix(prefix))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        self.checked(lookup(&self.root.get("customSamplingContext")?, path)?.value())
    }
    fn parent_sampled(&self) -> Option<bool> {
        scalar(self.tc()?, "parentSampled").or_else(|| scalar(&self.decision()?, "sampled")).and_then(|v| v.as_bool())
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        rate(&self.decision()?, "sampleRate")
    }
    fn sample_rand(&self) -> Option<f64> {
        let valid = |v: Value<'_>| v.as_f64().filter(|r| (0.0..1.0).contains(r));
        scalar(&self.root, "sampleRand")
            .and_then(valid)
            .or_else(|| scalar(&self.decision()?, "sampleRand").and_then(valid))
    }
    fn read_failed(&self) -> bool {
        self.malformed.get() || !self.root.is_map() || self.root.failed()
    }
}

/// A `SentryEvent` of `sentry-java` 8.x as `BeforeSendCallback.execute(event, hint)` gets
/// it, by getter:
///
/// - `exception`: the class of `throwable` (`throwable.class.name`, the binary name:
///   `com.example.Outer$Inner`), else the last of `exceptions` (`module` + `.` + `type`);
/// - `level` (lower case), `logger`;
/// - `message`: `message.formatted`, `message.message`, else the last exception's `value`,
///   else `throwable.message`;
/// - `tags`: `tags`; `custom`: `extras`;
/// - `sample_rand`: `contexts.trace.samplingDecision.sampleRand`, else derived from
///   `contexts.trace.traceId` ([`sample_rand_of_trace_id`]), so that every error of one
///   trace shares one fate.
pub struct JavaEvent<'a, H> {
    event: H,
    malformed: Cell<bool>,
    ignored: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a>> JavaEvent<'a, H> {
    /// Reads the event lazily.
    pub fn new(event: H) -> Self {
        JavaEvent { event, malformed: Cell::new(false), ignored: Cell::new(false), life: PhantomData }
    }

    fn str_of(&self, v: Option<H>) -> Option<Value<'a>> {
        checked(&self.malformed, v?.value().filter(|v| matches!(v, Value::Str(_))))
    }

    fn last_exception(&self) -> Option<H> {
        self.event.get("exceptions")?.index(-1)
    }

    fn exception(&self) -> Option<Value<'a>> {
        let thrown = self.event.get("throwable").and_then(|t| t.get("class")).and_then(|c| c.get("name"));
        if let Some(name) = self.str_of(thrown) {
            return Some(name);
        }
        let last = self.last_exception()?;
        let ty = self.str_of(last.get("type"))?;
        match (self.str_of(last.get("module")), ty.as_str()) {
            (Some(Value::Str(m)), Some(t)) if !m.is_empty() => {
                let mut q = String::with_capacity(m.len() + 1 + t.len());
                q.push_str(&m);
                q.push('.');
                q.push_str(t);
                Some(Value::Str(Cow::Owned(q)))
            }
            _ => Some(ty),
        }
    }

    fn message(&self) -> Option<Value<'a>> {
        let message = self.event.get("message");
        self.str_of(message.as_ref().and_then(|m| m.get("formatted")))
            .or_else(|| self.str_of(message.and_then(|m| m.get("message"))))
            .or_else(|| self.str_of(self.last_exception()?.get("value")))
            .or_else(|| self.str_of(self.event.get("throwable")?.get("message")))
    }
}

impl<'a, H: HostObject<'a>> Context for JavaEvent<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Exception => self.exception(),
            Field::Level => self.str_of(self.event.get("level")),
            Field::Logger => self.str_of(self.event.get("logger")),
            Field::Message => self.message(),
            _ => None,
        }
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        checked(&self.malformed, scalar(&self.event.get("tags")?, key))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        checked(&self.malformed, lookup(&self.event.get("extras")?, path)?.value())
    }
    fn sample_rand(&self) -> Option<f64> {
        let trace = self.event.get("contexts")?.get("trace")?;
        dsc_sample_rand(trace.get("samplingDecision").and_then(|d| d.get("sampleRand")), &self.ignored).or_else(|| {
            let id = trace.get("traceId")?.value()?;
            sample_rand_of_trace_id(id.as_str()?)
        })
    }
    fn ignored_invalid(&self) -> bool {
        self.ignored.get()
    }
    fn read_failed(&self) -> bool {
        self.malformed.get() || !self.event.is_map() || self.event.failed()
    }
}
