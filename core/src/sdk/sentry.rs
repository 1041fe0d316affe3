//! Direct use with the `sentry` crate (feature `sentry`).
//!
//! ```no_run
//! let sampler = tracesieve::Sampler::from_json(&std::fs::read_to_string("sampling.json")?)?;
//! let _guard = sentry::init(
//!     sentry::ClientOptions::new().traces_sampler(tracesieve::sentry::traces_sampler(sampler)),
//! );
//! // For each incoming request, continue its trace with its sample_rand:
//! let headers = [("sentry-trace", "771a43a4192642f0b136d5159a501700-b2d8f6b2e2a5a3c1"),
//!                ("baggage", "sentry-sample_rand=0.123456")];
//! let ctx = tracesieve::sentry::continue_from_headers("GET /api/chat", "http.server", headers);
//! let transaction = sentry::start_transaction(ctx);
//! transaction.finish();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The Rust SDK has no `sample_rand`: it draws a fresh random number per transaction, so by
//! itself it cannot keep the same traces as its JavaScript and Python peers. When the
//! trace's `sample_rand` is known (the custom key [`SAMPLE_RAND_KEY`], which
//! [`continue_from_headers`] fills from the incoming `baggage`), the sampler returns `1.0`
//! or `0.0` from `sample_rand < rate` instead of the rate, and every language agrees.
//! The Rust SDK then records that `1.0` or `0.0` as the transaction's sample rate.

use std::string::String;
use std::sync::Arc;
use std::vec::Vec;

use sentry_core::TransactionContext;
use serde_json::{Map, Value as Json};

use crate::context::host::{HostObject, lookup};
use crate::context::value::Value;
use crate::context::{Context, Field};
use crate::decide::sampler::Sampler;
use crate::sdk::extract::{method_of_name, split_name};
use crate::sdk::propagation::IncomingTrace;

/// The custom-context key holding the trace's `sample_rand`.
pub const SAMPLE_RAND_KEY: &str = "sentry.sample_rand";
/// The custom-context key holding the parent's sample rate.
pub const SAMPLE_RATE_KEY: &str = "sentry.sample_rate";

/// A `sentry::TransactionContext` as a [`Context`]: `name()`, `operation()`, `sampled()`
/// (read as the parent decision: the Rust SDK cannot tell it from a forced one) and
/// `custom()` (read as both attributes and the custom context; `url.path` and
/// `http.request.method` in it give `path` and `method`).
pub struct SentryContext<'a> {
    ctx: &'a TransactionContext,
}

impl<'a> SentryContext<'a> {
    /// Wraps a transaction context.
    pub fn new(ctx: &'a TransactionContext) -> Self {
        SentryContext { ctx }
    }

    fn custom_map(&self) -> Option<&'a Map<String, Json>> {
        self.ctx.custom()
    }

    fn entry(&self, key: &str) -> Option<&'a Json> {
        self.custom_map()?.get(key).filter(|v| !v.is_null())
    }

    fn string(&self, key: &str) -> Option<Value<'a>> {
        self.entry(key)?.as_str().map(Value::str)
    }
}

impl Context for SentryContext<'_> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        let name = self.ctx.name();
        match field {
            Field::Name => Some(Value::str(name)),
            Field::Op => Some(Value::str(self.ctx.operation())),
            Field::Method => self.string("http.request.method").or_else(|| method_of_name(name).map(Value::str)),
            Field::Path => self.string("url.path").or_else(|| split_name(name).map(|(_, p)| Value::str(p))),
            _ => None,
        }
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.entry(key)?.value()
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.custom_map().is_some_and(|m| m.keys().any(|k| k.starts_with(prefix)))
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        match self.entry(path) {
            Some(v) => v.value(),
            None => {
                let (first, rest) = path.split_once('.')?;
                lookup(&self.entry(first)?, rest)?.value()
            }
        }
    }
    fn parent_sampled(&self) -> Option<bool> {
        self.ctx.sampled()
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        self.entry(SAMPLE_RATE_KEY)?.as_f64()
    }
    fn sample_rand(&self) -> Option<f64> {
        self.entry(SAMPLE_RAND_KEY)?.as_f64()
    }
}

/// The closure for `sentry::ClientOptions::traces_sampler`: decides with `sampler`, and
/// returns `1.0`/`0.0` when the trace's `sample_rand` is known (see the module docs).
pub fn traces_sampler(sampler: impl Into<Arc<Sampler>>) -> impl Fn(&TransactionContext) -> f32 + Send + Sync + 'static {
    let sampler = sampler.into();
    move |ctx: &TransactionContext| sampler.decide(&SentryContext::new(ctx)).sdk_rate() as f32
}

/// What [`traces_sampler_recording`] does with the roots it decides: `record` gets one
/// traffic line per recorded root (see [`record_line`](crate::sdk::record_line)), every
/// 1/`rate`-th root (a count, not a random number), with the policy's keys and `keys`.
pub struct Recorder {
    record: std::boxed::Box<dyn Fn(&str) + Send + Sync>,
    keys: crate::sdk::RecordKeys,
    rate: f64,
    seen: std::sync::atomic::AtomicU64,
}

impl Recorder {
    /// Records every root with `record`.
    pub fn new(record: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Recorder {
            record: std::boxed::Box::new(record),
            keys: crate::sdk::RecordKeys::default(),
            rate: 1.0,
            seen: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Appends each line (and a newline) to the file at `path` until it holds `max_bytes`
    /// (its size when opened included): past that, nothing more is written.
    ///
    /// # Errors
    /// When the file cannot be opened for appending.
    pub fn to_file(path: impl AsRef<std::path::Path>, max_bytes: u64) -> std::io::Result<Self> {
        use std::io::Write;
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        let size = file.metadata()?.len();
        let state = std::sync::Mutex::new((file, size));
        Ok(Self::new(move |line: &str| {
            let Ok(mut guard) = state.lock() else { return };
            let (file, size) = &mut *guard;
            let n = line.len() as u64 + 1;
            if *size + n > max_bytes {
                return;
            }
            let mut text = String::with_capacity(line.len() + 1);
            text.push_str(line);
            text.push('\n');
            if file.write_all(text.as_bytes()).is_ok() {
                *size += n;
            }
        }))
    }

    /// Records this share of roots, in [0, 1] (clamped; default 1).
    #[must_use]
    pub fn rate(mut self, rate: f64) -> Self {
        self.rate = if rate.is_nan() { 1.0 } else { rate.clamp(0.0, 1.0) };
        self
    }

    /// Also records these attribute keys and custom paths.
    #[must_use]
    pub fn keys(mut self, attributes: &[&str], custom: &[&str]) -> Self {
        self.keys.attributes = attributes.iter().map(|k| String::from(*k)).collect();
        self.keys.custom = custom.iter().map(|k| String::from(*k)).collect();
        self
    }

    fn due(&self) -> bool {
        let n = self.seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed) as f64;
        ((n + 1.0) * self.rate).floor() > (n * self.rate).floor()
    }
}

/// As [`traces_sampler`], and records the roots it decides with `recorder`, for
/// `tracesieve simulate` and `diff`:
///
/// ```no_run
/// use tracesieve::sentry::{Recorder, traces_sampler_recording};
/// let sampler = tracesieve::Sampler::from_json(r#"{"defaultRate": 0.2}"#)?;
/// let recorder = Recorder::to_file("roots.jsonl", 64 << 20)?.rate(0.1);
/// let _guard = sentry::init(sentry::ClientOptions::new().traces_sampler(traces_sampler_recording(sampler, recorder)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn traces_sampler_recording(
    sampler: impl Into<Arc<Sampler>>,
    recorder: Recorder,
) -> impl Fn(&TransactionContext) -> f32 + Send + Sync + 'static {
    let sampler = sampler.into();
    move |ctx: &TransactionContext| {
        let ctx = SentryContext::new(ctx);
        let decision = sampler.decide(&ctx);
        if recorder.due() {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs_f64());
            let line = crate::sdk::record_line(&ctx, sampler.requirements(), &recorder.keys, &decision, None, now);
            (recorder.record)(&line);
        }
        decision.sdk_rate() as f32
    }
}

/// `TransactionContext::continue_from_headers`, plus the `sample_rand` and sample rate of
/// the incoming `baggage` in the custom context, where [`traces_sampler`] reads them.
pub fn continue_from_headers<'h, I>(name: &str, op: &str, headers: I) -> TransactionContext
where
    I: IntoIterator<Item = (&'h str, &'h str)>,
{
    let headers: Vec<(&str, &str)> = headers.into_iter().collect();
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v);
    let incoming = IncomingTrace::from_headers(header("sentry-trace"), header("baggage"));
    let mut ctx = TransactionContext::continue_from_headers(name, op, headers.iter().copied());
    if let Some(rand) = incoming.sample_rand {
        ctx.custom_insert(SAMPLE_RAND_KEY.into(), rand.into());
    }
    if let Some(rate) = incoming.parent_sample_rate {
        ctx.custom_insert(SAMPLE_RATE_KEY.into(), rate.into());
    }
    ctx
}
