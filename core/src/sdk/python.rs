//! `sentry-sdk` (2.x, 3.0) sampling contexts (`traces_sampler`) and error events
//! (`error_sampler`).

use alloc::borrow::Cow;
use alloc::string::String;
use core::cell::{Cell, OnceCell};
use core::marker::PhantomData;

use super::{custom, derive, dsc_sample_rand, map_child, rate, scalar, string};
use crate::context::{Context, Field};
use crate::extract::{method_of_name, split_name};
use crate::host::{HostObject, lookup};
use crate::value::Value;

/// Python request objects that carry `method` and `path`, in the order they are tried
/// (after `wsgi_environ`).
const PYTHON_REQUESTS: [&str; 4] = ["asgi_scope", "aiohttp_request", "tornado_request", "sanic_request"];

/// The longest string (in UTF-8 bytes) the Python adapters read. A longer name, path or
/// attribute is treated as a malformed context: the sampler falls back to the parent
/// decision or the default rate, and counts a fallback.
pub const MAX_PYTHON_STR: usize = 64 * 1024;

/// Every key the Python adapters read by name ([`Python`] and [`PythonEvent`]), besides
/// the attribute keys, custom paths and tags of a policy: a binding can intern them once.
pub const PYTHON_KEYS: &[&str] = &[
    "transaction_context",
    "data",
    "name",
    "op",
    "origin",
    "sampled",
    "parent_sampled",
    "parent_sample_rate",
    "wsgi_environ",
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "asgi_scope",
    "aiohttp_request",
    "tornado_request",
    "sanic_request",
    "method",
    "path",
    "http.request.method",
    "url.path",
    "sentry.op",
    "sentry.origin",
    crate::genai::VERCEL_OPERATION_ID,
    crate::genai::VERCEL_SENTRY_OPERATION_ID,
    "exc_info",
    "__qualname__",
    "__name__",
    "__module__",
    "exception",
    "values",
    "type",
    "module",
    "value",
    "level",
    "logger",
    "logentry",
    "formatted",
    "message",
    "tags",
    "extra",
    "contexts",
    "trace",
    "dynamic_sampling_context",
    "sample_rand",
    "trace_id",
];

/// `v`, unless it is a string longer than [`MAX_PYTHON_STR`]: then `None`, and the context
/// is marked malformed.
fn checked<'a>(malformed: &Cell<bool>, v: Option<Value<'a>>) -> Option<Value<'a>> {
    match v {
        Some(Value::Str(s)) if s.len() > MAX_PYTHON_STR => {
            malformed.set(true);
            None
        }
        v => v,
    }
}

/// Module names that `sentry-sdk` leaves out of an exception's type (`ValueError`, not
/// `builtins.ValueError`).
const BUILTIN_MODULES: [&str; 3] = ["builtins", "__builtin__", "__builtins__"];

/// The `sampling_context` of `sentry-sdk` 2.x and 3.0 (`traces_sampler`):
/// `transaction_context` (`name`, `op`, `origin`, `sampled`, `data`; under span streaming
/// the origin is only in `data["sentry.origin"]`, and `op` may be too), `parent_sampled`,
/// `parent_sample_rate`, request objects (`wsgi_environ`, `asgi_scope`, ...), and custom
/// keys. Attributes are `transaction_context["data"]`, or, in 3.0 alpha's shape (which has
/// no `data`), the top-level keys.
///
/// The context is malformed ([`Context::read_failed`]) when it is not a mapping, when
/// `transaction_context` is present but not a mapping, when `name`, `op` or `origin` is
/// present but not a string, when a string read is longer than [`MAX_PYTHON_STR`], or when
/// the host reports a failed read ([`HostObject::failed`]).
pub struct Python<'a, H> {
    root: H,
    tc: OnceCell<Option<H>>,
    data: OnceCell<Option<H>>,
    environ: OnceCell<Option<H>>,
    malformed: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a>> Python<'a, H> {
    /// Reads the context `root` lazily.
    pub fn new(root: H) -> Self {
        Python {
            root,
            tc: OnceCell::new(),
            data: OnceCell::new(),
            environ: OnceCell::new(),
            malformed: Cell::new(false),
            life: PhantomData,
        }
    }

    /// `transaction_context`, read once.
    fn tc(&self) -> Option<&H> {
        self.tc.get_or_init(|| map_child(&self.root, "transaction_context", &self.malformed)).as_ref()
    }

    /// `transaction_context["data"]`, read once.
    fn data(&self) -> Option<&H> {
        self.data.get_or_init(|| self.tc()?.get("data").filter(HostObject::is_map)).as_ref()
    }

    /// A value, unless it is a string too long to read.
    fn checked(&self, v: Option<Value<'a>>) -> Option<Value<'a>> {
        checked(&self.malformed, v)
    }

    /// A string field of `transaction_context`: anything else present is malformed.
    fn tx_str(&self, key: &str) -> Option<Value<'a>> {
        match self.checked(scalar(self.tc()?, key))? {
            v @ Value::Str(_) => Some(v),
            _ => {
                self.malformed.set(true);
                None
            }
        }
    }

    /// An attribute: from `transaction_context["data"]`, or, in the 3.0 alpha shape (no
    /// `data`), from the top-level keys. In the 2.x shapes a top-level key is custom
    /// context, not an attribute.
    fn attr(&self, key: &str) -> Option<Value<'a>> {
        let v = match self.data() {
            Some(data) => scalar(data, key),
            None => scalar(&self.root, key),
        };
        self.checked(v)
    }

    /// A string attribute: where span streaming (`trace_lifecycle: "stream"`) puts the
    /// origin (`sentry.origin`), which its sampling context has nowhere else.
    fn data_str(&self, key: &str) -> Option<Value<'a>> {
        self.attr(key).filter(|v| matches!(v, Value::Str(_)))
    }

    fn request_str(&self, request: &str, key: &str) -> Option<Value<'a>> {
        self.checked(string(self.root.get(request), key))
    }

    fn method(&self) -> Option<Value<'a>> {
        self.environ_str("REQUEST_METHOD")
            .or_else(|| PYTHON_REQUESTS.iter().find_map(|r| self.request_str(r, "method")))
            .or_else(|| self.attr("http.request.method").filter(|v| v.as_str().is_some()))
            .or_else(|| derive(self.tx_str("name")?, method_of_name))
    }

    fn path(&self) -> Option<Value<'a>> {
        self.wsgi_path()
            .or_else(|| PYTHON_REQUESTS.iter().find_map(|r| self.request_str(r, "path")))
            .or_else(|| self.attr("url.path").filter(|v| v.as_str().is_some()))
            .or_else(|| derive(self.tx_str("name")?, |n| split_name(n).map(|(_, p)| p)))
    }

    /// A string of `wsgi_environ` (read once).
    fn environ_str(&self, key: &str) -> Option<Value<'a>> {
        let environ = self.environ.get_or_init(|| self.root.get("wsgi_environ")).as_ref()?;
        self.checked(scalar(environ, key).filter(|v| matches!(v, Value::Str(_))))
    }

    /// `SCRIPT_NAME` + `PATH_INFO`, as WSGI reconstructs a request path.
    fn wsgi_path(&self) -> Option<Value<'a>> {
        let script = self.environ_str("SCRIPT_NAME");
        let info = self.environ_str("PATH_INFO");
        match (script, info) {
            (Some(Value::Str(s)), Some(Value::Str(i))) if !s.is_empty() => Some(Value::Str(Cow::Owned(concat(&s, &i)))),
            (Some(s), None) => Some(s),
            (_, info) => info,
        }
    }
}

fn concat(a: &str, b: &str) -> String {
    let mut joined = String::with_capacity(a.len() + b.len());
    joined.push_str(a);
    joined.push_str(b);
    joined
}

impl<'a, H: HostObject<'a>> Context for Python<'a, H> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        match field {
            Field::Name => self.tx_str("name"),
            Field::Op => self.tx_str("op").or_else(|| self.data_str("sentry.op")),
            Field::Origin => self.tx_str("origin").or_else(|| self.data_str("sentry.origin")),
            Field::Method => self.method(),
            Field::Path => self.path(),
            _ => None,
        }
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.attr(key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        match self.data() {
            Some(data) => data.has_key_with_prefix(prefix),
            None => self.root.has_key_with_prefix(prefix),
        }
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        self.checked(custom(&self.root, path, &["transaction_context", "parent_sampled", "parent_sample_rate"]))
    }
    fn parent_sampled(&self) -> Option<bool> {
        scalar(&self.root, "parent_sampled")?.as_bool()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        rate(&self.root, "parent_sample_rate")
    }
    fn forced(&self) -> Option<bool> {
        scalar(self.tc()?, "sampled")?.as_bool()
    }
    fn read_failed(&self) -> bool {
        self.malformed.get() || !self.root.is_map() || self.root.failed()
    }
}

/// An error event of `sentry-sdk` 2.x and 3.0, as `error_sampler(event, hint)` gets it.
///
/// - `exception`: the type in `hint["exc_info"][0]` (`__module__` + `.` + `__qualname__`),
///   else the last of `event["exception"]["values"]` (`module` + `.` + `type`); builtin
///   types are unqualified, as `sentry-sdk` writes them (`ValueError`).
/// - `level`, `logger`: `event["level"]`, `event["logger"]`.
/// - `message`: `event["logentry"]["formatted"]`, `["logentry"]["message"]`,
///   `event["message"]`, else the exception's value.
/// - `tags`: `event["tags"]`; `custom`: `event["extra"]`, then the event itself.
/// - `sample_rand`: the trace's, so that every error of one trace shares one fate:
///   `event["contexts"]["trace"]["dynamic_sampling_context"]["sample_rand"]`, else derived
///   from `contexts.trace.trace_id` ([`sample_rand_of_trace_id`]).
pub struct PythonEvent<'a, H> {
    event: H,
    hint: Option<H>,
    malformed: Cell<bool>,
    ignored: Cell<bool>,
    life: PhantomData<Value<'a>>,
}

impl<'a, H: HostObject<'a>> PythonEvent<'a, H> {
    /// Reads the event and its hint (`None` when there is none) lazily.
    pub fn new(event: H, hint: Option<H>) -> Self {
        PythonEvent { event, hint, malformed: Cell::new(false), ignored: Cell::new(false), life: PhantomData }
    }

    fn checked(&self, v: Option<Value<'a>>) -> Option<Value<'a>> {
        checked(&self.malformed, v)
    }

    fn str_at(&self, obj: Option<H>, key: &str) -> Option<Value<'a>> {
        self.checked(string(obj, key))
    }

    fn str_of(&self, v: Option<H>) -> Option<Value<'a>> {
        self.checked(v?.value().filter(|v| matches!(v, Value::Str(_))))
    }

    fn last_exception(&self) -> Option<H> {
        self.event.get("exception")?.get("values")?.index(-1)
    }

    fn exception(&self) -> Option<Value<'a>> {
        let cls = self.hint.as_ref().and_then(|h| h.get("exc_info")?.index(0));
        let from_hint = cls.and_then(|c| {
            let name = self.str_of(c.get("__qualname__")).or_else(|| self.str_of(c.get("__name__")))?;
            Some((name, self.str_of(c.get("__module__"))))
        });
        let (name, module) = match from_hint {
            Some(found) => found,
            None => {
                let last = self.last_exception()?;
                (self.str_of(last.get("type"))?, self.str_of(last.get("module")))
            }
        };
        match (module.as_ref().and_then(Value::as_str), name.as_str()) {
            (Some(m), Some(n)) if !m.is_empty() && !BUILTIN_MODULES.contains(&m) => {
                let mut q = String::with_capacity(m.len() + 1 + n.len());
                q.push_str(m);
                q.push('.');
                q.push_str(n);
                Some(Value::Str(Cow::Owned(q)))
            }
            _ => Some(name),
        }
    }

    fn message(&self) -> Option<Value<'a>> {
        self.str_at(self.event.get("logentry"), "formatted")
            .or_else(|| self.str_at(self.event.get("logentry"), "message"))
            .or_else(|| self.str_of(self.event.get("message")))
            .or_else(|| self.str_at(self.last_exception(), "value"))
    }
}

impl<'a, H: HostObject<'a>> Context for PythonEvent<'a, H> {
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
        self.checked(scalar(&self.event.get("tags")?, key))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        let extra = self.event.get("extra").and_then(|x| lookup(&x, path)).and_then(|v| v.value());
        self.checked(extra.or_else(|| lookup(&self.event, path)?.value()))
    }
    fn sample_rand(&self) -> Option<f64> {
        let trace = self.event.get("contexts")?.get("trace")?;
        dsc_sample_rand(trace.get("dynamic_sampling_context").and_then(|d| d.get("sample_rand")), &self.ignored)
            .or_else(|| {
                let id = trace.get("trace_id")?.value()?;
                sample_rand_of_trace_id(id.as_str()?)
            })
    }
    fn ignored_invalid(&self) -> bool {
        self.ignored.get()
    }
    fn read_failed(&self) -> bool {
        self.malformed.get() || !self.event.is_map() || self.event.failed() || self.hint.as_ref().is_some_and(H::failed)
    }
}

/// A uniform number in [0, 1) derived from a trace id (32 hex digits, as every SDK writes
/// them): its last 13 hex digits over 16^13. The digits a UUID4 reserves for its version
/// and variant are not among them. `None` for anything that is not 32 hex digits.
///
/// ```
/// use tracesieve::sdk::sample_rand_of_trace_id;
/// let rand = sample_rand_of_trace_id("771a43a4192642f0b136d5159a501700").unwrap();
/// assert_eq!(rand, 0x6d5159a501700_u64 as f64 / (1_u64 << 52) as f64);
/// assert_eq!(sample_rand_of_trace_id("not a trace id"), None);
/// ```
pub fn sample_rand_of_trace_id(trace_id: &str) -> Option<f64> {
    if trace_id.len() != 32 || !trace_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bits = u64::from_str_radix(&trace_id[19..], 16).ok()?;
    Some(bits as f64 / (1u64 << 52) as f64)
}
