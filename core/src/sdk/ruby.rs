//! `sentry-ruby` (5.x, 6.x) sampling contexts (`traces_sampler`) and error events
//! (`before_send`).
//!
//! A binding reads Ruby Hashes by symbol key, then by string key (the Rack env has string
//! keys); in JSON vectors, symbol keys are written as plain keys.

use alloc::borrow::Cow;
use alloc::string::String;
use core::cell::{Cell, OnceCell};
use core::marker::PhantomData;

use super::fields::{custom, derive, dsc_sample_rand, map_child, rate, scalar};
use super::python::sample_rand_of_trace_id;
use crate::context::host::{HostObject, lookup};
use crate::context::value::Value;
use crate::context::{Context, Field};
use crate::decide::decision::Decision;
use crate::sdk::extract::{method_of_name, split_name, strip_query};

/// The longest string (in UTF-8 bytes) the Ruby adapters read. A longer name, path or
/// attribute is treated as a malformed context: the sampler falls back to the parent
/// decision or the default rate, and counts a fallback.
pub const MAX_RUBY_STR: usize = 64 * 1024;

/// The keys of the sampling context that are not custom sampling context.
const OWN_KEYS: [&str; 4] = ["transaction_context", "parent_sampled", "parent_sample_rate", "sample_rand"];

/// Every key the Ruby adapters read by name ([`Ruby`] and [`RubyEvent`]), besides the
/// attribute keys, custom paths and tags of a policy: a binding can intern them once.
pub const RUBY_KEYS: &[&str] = &[
    "transaction_context",
    "data",
    "name",
    "op",
    "origin",
    "sampled",
    "parent_sampled",
    "parent_sample_rate",
    "sample_rand",
    "env",
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "http.request.method",
    "url.path",
    crate::decide::genai::VERCEL_OPERATION_ID,
    "exception",
    "class",
    "values",
    "type",
    "value",
    "level",
    "logger",
    "message",
    "tags",
    "extra",
    "contexts",
    "trace",
    "dynamic_sampling_context",
    "trace_id",
];

/// The keys that a binding may read from a Ruby object that is not a Hash by calling the
/// reader method of that name (`event.exception.values`, `exception.class.name`): what
/// `sentry-ruby`'s `Sentry::ErrorEvent`, its interfaces and exceptions answer. No other
/// method is ever called, so a policy cannot make a binding call arbitrary methods.
pub const RUBY_READERS: &[&str] = &[
    "exception", "class", "name", "values", "type", "value", "level", "logger", "message", "tags", "extra", "contexts",
];

/// `v`, unless it is a string longer than [`MAX_RUBY_STR`]: then `None`, and the context
/// is marked malformed.
fn checked<'a>(malformed: &Cell<bool>, v: Option<Value<'a>>) -> Option<Value<'a>> {
    match v {
        Some(Value::Str(s)) if s.len() > MAX_RUBY_STR => {
            malformed.set(true);
            None
        }
        v => v,
    }
}

/// The `sampling_context` Hash of `sentry-ruby` 5.x and 6.x (`config.traces_sampler`):
///
/// - `:transaction_context` (`:name`, `:op`, `:origin`, `:sampled`, `:data`,
///   `:parent_sampled`, and in later versions `:parent_sample_rate`, `:sample_rand`);
/// - the top-level `:parent_sampled` (and `:parent_sample_rate`, 6.x);
/// - custom sampling context keys, merged at the top level
///   (`Sentry.start_transaction(custom_sampling_context: ...)`);
/// - `:env`, the Rack env (`Sentry::Rack::CaptureExceptions`, Rails): `REQUEST_METHOD`,
///   `SCRIPT_NAME` + `PATH_INFO` give the method and path.
///
/// The method falls back to the attribute `http.request.method`, then the verb of a name
/// like `GET /x`; the path to the attribute `url.path`, then the path of such a name, then
/// the name itself when it is a path (the Rack integration names roots by `PATH_INFO`).
///
/// `sample_rand`: the top-level `:sample_rand` (how a caller gives `sentry-ruby` 5.x, which
/// has none, the trace's randomness through the custom sampling context), else
/// `:transaction_context[:sample_rand]`. See [`Ruby::sdk_rate`].
///
/// The context is malformed ([`Context::read_failed`]) when it is not a Hash, when
/// `:transaction_context` is present but not a Hash, when `:name`, `:op` or `:origin` is
/// present but not a string, when a string read is longer than [`MAX_RUBY_STR`], or when
/// the host reports a failed read ([`HostObject::failed`]).
pub struct Ruby<'a, H> {
    root: H,
    tc: OnceCell<Option<H>>,
    data: OnceCell<Option<H>>,
    env: OnceCell<Option<H>>,
    malformed: Cell<bool>,
    ignored: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a>> Ruby<'a, H> {
    /// Reads the context `root` lazily.
    pub fn new(root: H) -> Self {
        Ruby {
            root,
            tc: OnceCell::new(),
            data: OnceCell::new(),
            env: OnceCell::new(),
            malformed: Cell::new(false),
            ignored: Cell::new(false),
            life: PhantomData,
        }
    }

    /// The rate to return to `sentry-ruby` for `decision`: `1.0` or `0.0` when the trace's
    /// `sample_rand` came through the custom sampling context (`sentry-ruby` 5.x draws its
    /// own random number, so only a decided rate keeps one trace's fate across services),
    /// else the decision's rate (an SDK that passes `sample_rand` compares it itself).
    pub fn sdk_rate(&self, decision: &Decision<'_>) -> f64 {
        if self.root.get("sample_rand").is_some() { decision.sdk_rate() } else { decision.rate }
    }

    /// `:transaction_context`, read once.
    fn tc(&self) -> Option<&H> {
        self.tc.get_or_init(|| map_child(&self.root, "transaction_context", &self.malformed)).as_ref()
    }

    /// `:transaction_context[:data]`, read once.
    fn data(&self) -> Option<&H> {
        self.data.get_or_init(|| self.tc()?.get("data").filter(HostObject::is_map)).as_ref()
    }

    fn checked(&self, v: Option<Value<'a>>) -> Option<Value<'a>> {
        checked(&self.malformed, v)
    }

    /// A string field of `:transaction_context`: anything else present is malformed.
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
        self.checked(scalar(self.data()?, key))
    }

    fn attr_str(&self, key: &str) -> Option<Value<'a>> {
        self.attr(key).filter(|v| v.as_str().is_some())
    }

    /// A string of the Rack env (read once).
    fn env_str(&self, key: &str) -> Option<Value<'a>> {
        let env = self.env.get_or_init(|| self.root.get("env")).as_ref()?;
        self.checked(scalar(env, key).filter(|v| matches!(v, Value::Str(_))))
    }

    /// `SCRIPT_NAME` + `PATH_INFO`, as Rack reconstructs a request path.
    fn env_path(&self) -> Option<Value<'a>> {
        match (self.env_str("SCRIPT_NAME"), self.env_str("PATH_INFO")) {
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

    fn method(&self) -> Option<Value<'a>> {
        self.env_str("REQUEST_METHOD")
            .or_else(|| self.attr_str("http.request.method"))
            .or_else(|| derive(self.tx_str("name")?, method_of_name))
    }

    fn path(&self) -> Option<Value<'a>> {
        self.env_path().or_else(|| self.attr_str("url.path")).or_else(|| {
            derive(self.tx_str("name")?, |n| match split_name(n) {
                Some((_, p)) => Some(p),
                None => n.starts_with('/').then(|| strip_query(n)),
            })
        })
    }

    fn top_or_tc(&self, key: &str) -> Option<Value<'a>> {
        scalar(&self.root, key).or_else(|| scalar(self.tc()?, key))
    }
}

impl<'a, H: HostObject<'a>> Context for Ruby<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Name => self.tx_str("name"),
            Field::Op => self.tx_str("op"),
            Field::Origin => self.tx_str("origin"),
            Field::Method => self.method(),
            Field::Path => self.path(),
            _ => None,
        }
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.attr(key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.data().is_some_and(|d| d.has_key_with_prefix(prefix))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        self.checked(custom(&self.root, path, &OWN_KEYS))
    }
    fn parent_sampled(&self) -> Option<bool> {
        self.top_or_tc("parent_sampled")?.as_bool()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        rate(&self.root, "parent_sample_rate").or_else(|| rate(self.tc()?, "parent_sample_rate"))
    }
    fn forced(&self) -> Option<bool> {
        scalar(self.tc()?, "sampled")?.as_bool()
    }
    fn sample_rand(&self) -> Option<f64> {
        // By value, not by key: a plan's probe answers every `get`, and the fallback to
        // `transaction_context` must be recorded in the JS wire plan too.
        let at = |obj: &H| obj.get("sample_rand").filter(|v| v.value().is_some());
        let found = at(&self.root).or_else(|| at(self.tc()?));
        dsc_sample_rand(found, &self.ignored)
    }
    fn ignored_invalid(&self) -> bool {
        self.ignored.get()
    }
    fn read_failed(&self) -> bool {
        self.malformed.get() || !self.root.is_map() || self.root.failed()
    }
}

/// An error event of `sentry-ruby` as `config.before_send` gets it: `(event, hint)`, the
/// event a `Sentry::ErrorEvent` (read through its reader methods, [`RUBY_READERS`]) or a
/// Hash (the async form, string keys; or symbol keys).
///
/// - `exception`: the class name of `hint[:exception]` (`exception.class.name`, qualified:
///   `MyApp::PaymentError`), else the `type` of the last of `event.exception.values`
///   (`sentry-ruby` writes the qualified class name there). Policies match the qualified or
///   the short name.
/// - `level`, `logger`: `event.level` (a Symbol or a String), `event.logger`.
/// - `message`: `event.message`, else the last exception's `value`.
/// - `tags`: `event.tags`; `custom`: `event.extra`, then the event (if a Hash).
/// - `sample_rand`: the trace's, so that every error of one trace shares one fate:
///   `event.contexts[:trace][:dynamic_sampling_context][:sample_rand]`, else derived from
///   `event.contexts[:trace][:trace_id]` ([`sample_rand_of_trace_id`]).
///
/// The event is malformed when it is missing or a scalar, when a string read is longer
/// than [`MAX_RUBY_STR`], or when the host reports a failed read.
pub struct RubyEvent<'a, H> {
    event: H,
    hint: Option<H>,
    malformed: Cell<bool>,
    ignored: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a>> RubyEvent<'a, H> {
    /// Reads the event and its hint (`None` when there is none) lazily.
    pub fn new(event: H, hint: Option<H>) -> Self {
        RubyEvent { event, hint, malformed: Cell::new(false), ignored: Cell::new(false), life: PhantomData }
    }

    fn str_of(&self, v: Option<H>) -> Option<Value<'a>> {
        checked(&self.malformed, v?.value().filter(|v| matches!(v, Value::Str(_))))
    }

    fn last_exception(&self) -> Option<H> {
        self.event.get("exception")?.get("values")?.index(-1)
    }

    fn exception(&self) -> Option<Value<'a>> {
        let thrown = self.hint.as_ref().and_then(|h| h.get("exception"));
        thrown
            .and_then(|e| self.str_of(e.get("class")?.get("name")))
            .or_else(|| self.str_of(self.last_exception()?.get("type")))
    }

    fn message(&self) -> Option<Value<'a>> {
        self.str_of(self.event.get("message")).or_else(|| self.str_of(self.last_exception()?.get("value")))
    }
}

impl<'a, H: HostObject<'a>> Context for RubyEvent<'a, H> {
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
        let extra = self.event.get("extra").and_then(|x| lookup(&x, path)).and_then(|v| v.value());
        checked(&self.malformed, extra.or_else(|| lookup(&self.event, path)?.value()))
    }
    fn sample_rand(&self) -> Option<f64> {
        let trace = self.event.get("contexts")?.get("trace")?;
        dsc_sample_rand(trace.get("dynamic_sampling_context").and_then(|d| d.get("sample_rand")), &self.ignored)
            .or_else(|| sample_rand_of_trace_id(trace.get("trace_id")?.value()?.as_str()?))
    }
    fn ignored_invalid(&self) -> bool {
        self.ignored.get()
    }
    fn read_failed(&self) -> bool {
        let scalar_event = !matches!(self.event.value(), Some(Value::Other));
        self.malformed.get() || scalar_event || self.event.failed() || self.hint.as_ref().is_some_and(H::failed)
    }
}
