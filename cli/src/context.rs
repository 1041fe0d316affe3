//! Contexts from JSON: the shapes the core's SDK adapters read (`--sdk`).

use serde_json::Value as Json;
use tracesieve::sdk::{Canonical, Js, Python};
use tracesieve::{Context, Explanation, Field, Sampler, Value, WithSampleRand};

/// A context shape: how a JSON context is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sdk {
    /// The policy's own field names (`docs/policy.md`), or a traffic line
    /// (`parent: {sampled, sampleRate}` besides `parentSampled` / `parentSampleRate`).
    Canonical,
    /// The `samplingContext` of `@sentry/core` (`tracesSampler`).
    Js,
    /// The `sampling_context` of `sentry-sdk` (`traces_sampler`).
    Python,
    /// A `sentry::TransactionContext` as `{name, op, sampled, custom}`.
    Rust,
}

/// The names `--sdk` and traffic lines' `sdk` accept, in [`Sdk`] order.
pub const SDK_NAMES: [&str; 4] = ["canonical", "js", "python", "rust"];

impl Sdk {
    /// The shape called `name`.
    pub fn from_name(name: &str) -> Option<Sdk> {
        let all = [Sdk::Canonical, Sdk::Js, Sdk::Python, Sdk::Rust];
        SDK_NAMES.iter().position(|n| *n == name).map(|i| all[i])
    }
}

/// Explains the decision for `context` read as `sdk`, with the trace's `sample_rand`.
pub fn explain<'s>(sampler: &'s Sampler, sdk: Sdk, context: &Json, rand: Option<f64>) -> Explanation<'s> {
    match sdk {
        Sdk::Canonical => sampler.explain(&WithSampleRand::new(Line::new(context), rand)),
        Sdk::Js => sampler.explain(&WithSampleRand::new(Js::new(context), rand)),
        Sdk::Python => sampler.explain(&WithSampleRand::new(Python::new(context), rand)),
        Sdk::Rust => {
            let tx = transaction_context(context);
            sampler.explain(&WithSampleRand::new(tracesieve::sentry::SentryContext::new(&tx), rand))
        }
    }
}

/// Decides `context` read as `sdk` (the fast path of `simulate`: no explanation).
pub fn decide<'s>(sampler: &'s Sampler, sdk: Sdk, context: &Json, rand: Option<f64>) -> tracesieve::Decision<'s> {
    match sdk {
        Sdk::Canonical => sampler.decide(&WithSampleRand::new(Line::new(context), rand)),
        Sdk::Js => sampler.decide(&WithSampleRand::new(Js::new(context), rand)),
        Sdk::Python => sampler.decide(&WithSampleRand::new(Python::new(context), rand)),
        Sdk::Rust => {
            let tx = transaction_context(context);
            sampler.decide(&WithSampleRand::new(tracesieve::sentry::SentryContext::new(&tx), rand))
        }
    }
}

/// A real `sentry::TransactionContext` from `{name, op, sampled, custom}` (as the
/// conformance vectors write the Rust shape).
fn transaction_context(ctx: &Json) -> sentry_core::TransactionContext {
    let name = ctx.get("name").and_then(Json::as_str).unwrap_or("");
    let op = ctx.get("op").and_then(Json::as_str).unwrap_or("");
    let mut tx = sentry_core::TransactionContext::new(name, op);
    tx.set_sampled(ctx.get("sampled").and_then(Json::as_bool));
    for (k, v) in ctx.get("custom").and_then(Json::as_object).into_iter().flatten() {
        tx.custom_insert(k.clone(), v.clone());
    }
    tx
}

/// The canonical shape, also reading a traffic line's `parent: {sampled, sampleRate}`.
struct Line<'a> {
    canonical: Canonical<'a, &'a Json>,
    parent: Option<&'a Json>,
}

impl<'a> Line<'a> {
    fn new(root: &'a Json) -> Self {
        Line { canonical: Canonical::new(root), parent: root.get("parent").filter(|p| p.is_object()) }
    }
}

impl Context for Line<'_> {
    fn field(&self, field: Field) -> Option<Value<'_>> {
        self.canonical.field(field)
    }
    fn attribute(&self, key: &str) -> Option<Value<'_>> {
        self.canonical.attribute(key)
    }
    fn has_attribute_prefix(&self, prefix: &str) -> bool {
        self.canonical.has_attribute_prefix(prefix)
    }
    fn custom(&self, path: &str) -> Option<Value<'_>> {
        self.canonical.custom(path)
    }
    fn tag(&self, key: &str) -> Option<Value<'_>> {
        self.canonical.tag(key)
    }
    fn parent_sampled(&self) -> Option<bool> {
        match self.parent {
            Some(p) => p.get("sampled").and_then(Json::as_bool),
            None => self.canonical.parent_sampled(),
        }
    }
    fn parent_sample_rate(&self) -> Option<f64> {
        match self.parent {
            Some(p) => p.get("sampleRate").filter(|r| !r.is_null()).map(|r| r.as_f64().unwrap_or(f64::NAN)),
            None => self.canonical.parent_sample_rate(),
        }
    }
    fn forced(&self) -> Option<bool> {
        self.canonical.forced()
    }
    fn sample_rand(&self) -> Option<f64> {
        self.canonical.sample_rand()
    }
    fn read_failed(&self) -> bool {
        self.canonical.read_failed()
    }
    fn ignored_invalid(&self) -> bool {
        self.canonical.ignored_invalid()
    }
}
