//! Stage 3, read: what the sampler reads. The [`Context`] trait, simple contexts for Rust
//! callers, the [`Value`] a field holds ([`value`]), and the [`HostObject`](host::HostObject)
//! trait through which the SDK adapters read host objects ([`host`]).

pub mod host;
pub(crate) mod value;

use value::Value;

/// `s` up to its first `?` or `#`: a URL path as the [`Path`](Field::Path) field holds it.
#[inline]
pub fn strip_query(s: &str) -> &str {
    // A byte scan: `str::find` with a set of chars decodes UTF-8 and costs several times more.
    s.bytes().position(|b| b == b'?' || b == b'#').map_or(s, |i| &s[..i])
}

/// A field of a trace root or an error event, as conditions name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `name`: the root span / transaction name at start.
    Name,
    /// `op`: the operation.
    Op,
    /// `origin`: the instrumentation origin.
    Origin,
    /// `method`: the HTTP method (the sampler upper-cases it).
    Method,
    /// `path`: the URL path (the sampler drops a query string or fragment).
    Path,
    /// `exception`: the qualified exception type name (error events).
    Exception,
    /// `level` (error events).
    Level,
    /// `logger` (error events).
    Logger,
    /// `message` (error events).
    Message,
}

impl Field {
    /// Every field, in declaration order.
    pub const ALL: [Field; 9] = [
        Field::Name,
        Field::Op,
        Field::Origin,
        Field::Method,
        Field::Path,
        Field::Exception,
        Field::Level,
        Field::Logger,
        Field::Message,
    ];

    /// The field's name in a policy.
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Op => "op",
            Field::Origin => "origin",
            Field::Method => "method",
            Field::Path => "path",
            Field::Exception => "exception",
            Field::Level => "level",
            Field::Logger => "logger",
            Field::Message => "message",
        }
    }
}

/// Read access to one sampling context: a trace root, or an error event.
///
/// The sampler asks only for what its policy uses (see
/// [`Sampler::requirements`](crate::Sampler::requirements)), at most once per field and
/// decision, so an implementation can read lazily straight from a foreign object. Every
/// method has a default that reports "missing", so implement only what you have.
///
/// Values borrow from the context when they can; an implementation that has to convert
/// (say, from a JavaScript string) returns an owned [`Value::Str`].
pub trait Context {
    /// A named field (`name`, `op`, `path`, ...), or `None` when missing.
    fn field(&self, field: Field) -> Option<Value<'_>> {
        let _ = field;
        None
    }

    /// A span attribute, by its full key (`gen_ai.request.model`).
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        let _ = key;
        None
    }

    /// Whether any attribute key starts with `prefix` (the AI predicate asks for `gen_ai.`).
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        let _ = prefix;
        false
    }

    /// A value of the custom sampling context, by dotted path (`wsgi_environ.PATH_INFO`).
    /// Implementations try the whole key first, then the key split on dots.
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        let _ = path;
        None
    }

    /// An event tag (error events).
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        let _ = key;
        None
    }

    /// The parent's decision, when the root continues a trace that has one.
    fn parent_sampled(&self) -> Option<bool> {
        None
    }

    /// The parent's sample rate (`sentry-sample_rate` of the incoming baggage). The sampler
    /// ignores a value that is not a finite number in [0, 1].
    fn parent_sample_rate(&self) -> Option<f64> {
        None
    }

    /// A decision forced by the caller at start (Python `start_transaction(sampled=...)`).
    fn forced(&self) -> Option<bool> {
        None
    }

    /// The trace's `sample_rand` in [0, 1], when the caller knows it: the decision then
    /// says whether the trace is sampled.
    fn sample_rand(&self) -> Option<f64> {
        None
    }

    /// Whether a read failed so badly that the decision cannot be trusted (a getter threw,
    /// the context was not an object): the sampler then falls back to the parent decision
    /// or the default rate, and counts a fallback. Asked after the decision was evaluated.
    fn read_failed(&self) -> bool {
        false
    }

    /// Whether the context held a value no SDK sends, which the decision ignored as
    /// Sentry's rules say (an error event's `sample_rand` outside [0, 1)): counted as a
    /// fallback, the decision unchanged. (The sampler checks the parent sample rate
    /// itself.) Asked after the decision was evaluated.
    fn ignored_invalid(&self) -> bool {
        false
    }
}

/// A trace root described directly in Rust: borrowed, allocation-free.
///
/// ```
/// use tracesieve::{Sampler, SpanContext, Value};
/// let sampler = Sampler::from_json(r#"{"defaultRate": 0.1}"#).unwrap();
/// let attrs = [("gen_ai.operation.name", Value::str("chat"))];
/// let ctx = SpanContext { name: Some("chat gpt-4o"), attributes: &attrs, ..SpanContext::default() };
/// assert_eq!(sampler.decide(&ctx).rate, 1.0);
/// ```
#[derive(Clone, Debug, Default)]
pub struct SpanContext<'a> {
    /// `name`.
    pub name: Option<&'a str>,
    /// `op`.
    pub op: Option<&'a str>,
    /// `origin`.
    pub origin: Option<&'a str>,
    /// `method`.
    pub method: Option<&'a str>,
    /// `path`.
    pub path: Option<&'a str>,
    /// Span attributes.
    pub attributes: &'a [(&'a str, Value<'a>)],
    /// The custom sampling context, by key (keys are matched whole).
    pub custom: &'a [(&'a str, Value<'a>)],
    /// The parent's decision.
    pub parent_sampled: Option<bool>,
    /// The parent's sample rate.
    pub parent_sample_rate: Option<f64>,
    /// A forced decision.
    pub forced: Option<bool>,
    /// The trace's `sample_rand`.
    pub sample_rand: Option<f64>,
}

fn find<'a>(pairs: &'a [(&'a str, Value<'a>)], key: &str) -> Option<Value<'a>> {
    pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
}

impl Context for SpanContext<'_> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        let s = match field {
            Field::Name => self.name,
            Field::Op => self.op,
            Field::Origin => self.origin,
            Field::Method => self.method,
            Field::Path => self.path,
            _ => None,
        };
        s.map(Value::str)
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        find(self.attributes, key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.attributes.iter().any(|(k, _)| k.starts_with(prefix))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        find(self.custom, path)
    }
    fn parent_sampled(&self) -> Option<bool> {
        self.parent_sampled
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        self.parent_sample_rate
    }
    fn forced(&self) -> Option<bool> {
        self.forced
    }
    fn sample_rand(&self) -> Option<f64> {
        self.sample_rand
    }
}

/// An error event described directly in Rust, for
/// [`Sampler::decide_error`](crate::Sampler::decide_error).
///
/// ```
/// use tracesieve::{ErrorContext, Sampler};
/// let sampler = Sampler::from_json(r#"{"defaultRate": 1, "errors": {"rules": [
///     {"when": {"exception": "MyIgnoredException"}, "rate": 0}]}}"#).unwrap();
/// let event = ErrorContext { exception: Some("app.errors.MyIgnoredException"), ..Default::default() };
/// assert_eq!(sampler.decide_error(&event).rate, 0.0);
/// ```
#[derive(Clone, Debug, Default)]
pub struct ErrorContext<'a> {
    /// The exception type, qualified (`app.errors.MyException`) or short.
    pub exception: Option<&'a str>,
    /// The level.
    pub level: Option<&'a str>,
    /// The logger.
    pub logger: Option<&'a str>,
    /// The message.
    pub message: Option<&'a str>,
    /// Tags.
    pub tags: &'a [(&'a str, Value<'a>)],
    /// Extra data, by key.
    pub custom: &'a [(&'a str, Value<'a>)],
    /// The trace's `sample_rand`, so that all errors of one trace share one fate.
    pub sample_rand: Option<f64>,
}

impl Context for ErrorContext<'_> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        let s = match field {
            Field::Exception => self.exception,
            Field::Level => self.level,
            Field::Logger => self.logger,
            Field::Message => self.message,
            _ => None,
        };
        s.map(Value::str)
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        find(self.tags, key)
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        find(self.custom, path)
    }
    fn sample_rand(&self) -> Option<f64> {
        self.sample_rand
    }
}

/// A reference to a context is a context.
impl<C: Context + ?Sized> Context for &C {
    fn field(&self, f: Field) -> Option<Value<'_>> {
        (**self).field(f)
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        (**self).attribute(key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        (**self).has_attribute_prefix(prefix)
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        (**self).custom(path)
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        (**self).tag(key)
    }
    fn parent_sampled(&self) -> Option<bool> {
        (**self).parent_sampled()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        (**self).parent_sample_rate()
    }
    fn forced(&self) -> Option<bool> {
        (**self).forced()
    }
    fn sample_rand(&self) -> Option<f64> {
        (**self).sample_rand()
    }
    fn read_failed(&self) -> bool {
        (**self).read_failed()
    }
    fn ignored_invalid(&self) -> bool {
        (**self).ignored_invalid()
    }
}

/// A context with the trace's `sample_rand` attached: the SDKs do not pass it to their
/// samplers, but a caller that knows it (from `baggage`) gets `Decision::sampled`.
///
/// ```
/// use tracesieve::{Sampler, SpanContext, WithSampleRand};
/// let sampler = Sampler::from_json(r#"{"defaultRate": 0.25}"#).unwrap();
/// let root = SpanContext { path: Some("/orders"), ..Default::default() };
/// assert_eq!(sampler.decide(&WithSampleRand::new(&root, Some(0.2))).sampled, Some(true));
/// ```
#[derive(Clone, Debug)]
pub struct WithSampleRand<C> {
    inner: C,
    sample_rand: Option<f64>,
}

impl<C: Context> WithSampleRand<C> {
    /// `inner`, whose `sample_rand` becomes `sample_rand` when that is `Some`.
    pub fn new(inner: C, sample_rand: Option<f64>) -> Self {
        WithSampleRand { inner, sample_rand }
    }
}

impl<C: Context> Context for WithSampleRand<C> {
    fn field(&self, f: Field) -> Option<Value<'_>> {
        self.inner.field(f)
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.inner.attribute(key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.inner.has_attribute_prefix(prefix)
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        self.inner.custom(path)
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        self.inner.tag(key)
    }
    fn parent_sampled(&self) -> Option<bool> {
        self.inner.parent_sampled()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        self.inner.parent_sample_rate()
    }
    fn forced(&self) -> Option<bool> {
        self.inner.forced()
    }
    fn sample_rand(&self) -> Option<f64> {
        self.sample_rand.or_else(|| self.inner.sample_rand())
    }
    fn read_failed(&self) -> bool {
        self.inner.read_failed()
    }
    fn ignored_invalid(&self) -> bool {
        self.inner.ignored_invalid()
    }
}
