//! `tracesieve` for Ruby: the native engine behind `Tracesieve::TracesSampler` (a
//! `config.traces_sampler` for `sentry-ruby`) and `Tracesieve::BeforeSend`
//! (`config.before_send`), deciding with the Rust core from one JSON policy.
//!
//! This crate only converts: [`host`] lets the core's `sentry-ruby` adapters
//! ([`tracesieve::sdk::Ruby`], [`tracesieve::sdk::RubyEvent`]) read Ruby Hashes and objects
//! lazily, [`convert`] turns policies in and explanations and stats out. The Ruby classes
//! users see are in `lib/tracesieve.rb`.

mod convert;
mod host;
mod vectors;

use std::panic::{AssertUnwindSafe, catch_unwind};

use magnus::{DataTypeFunctions, Error, RHash, RModule, Ruby, TypedData, Value, function, gc, method, prelude::*};
use tracesieve::sdk::{RUBY_KEYS, RecordKeys, Ruby as RubyContext, RubyEvent, record_line};
use tracesieve::{Context, Sampler};

use crate::host::{Call, Keys};

/// A compiled policy and the keys it reads: `Tracesieve::Native::Engine`. Immutable; its
/// counters are atomics, exact under any number of threads.
#[derive(TypedData)]
#[magnus(class = "Tracesieve::Native::Engine", free_immediately, size, mark)]
struct Engine {
    sampler: Sampler,
    keys: Keys,
    /// The keys a recorded root carries besides what the policy reads (empty unless the
    /// sampler records).
    record: RecordKeys,
}

impl DataTypeFunctions for Engine {
    fn mark(&self, marker: &gc::Marker) {
        self.keys.mark(marker);
    }
}

impl Engine {
    /// Compiles the policy text; raises `Tracesieve::PolicyError`. `attributes` and
    /// `custom` are the keys a recorded root carries besides what the policy reads.
    fn new(ruby: &Ruby, text: String, attributes: Vec<String>, custom: Vec<String>) -> Result<Engine, Error> {
        let sampler = convert::compile(ruby, text)?;
        let record = RecordKeys { attributes, custom };
        let keys = Keys::new(ruby, RUBY_KEYS, &record.requirements(sampler.requirements()));
        Ok(Engine { sampler, keys, record })
    }

    /// The rate for one root, as `sentry-ruby` should get it; never raises.
    fn decide(ruby: &Ruby, rb_self: &Engine, ctx: Value) -> f64 {
        let sampler = &rb_self.sampler;
        let decide = || {
            let call = Call::new(ruby, &rb_self.keys);
            let ctx = RubyContext::new(call.root(ctx));
            let decision = sampler.decide(&ctx);
            ctx.sdk_rate(&decision)
        };
        // The core does not panic; if it ever did, the host app still gets a rate.
        catch_unwind(AssertUnwindSafe(decide)).unwrap_or_else(|_| sampler.decide_fallback(None, None).rate)
    }

    /// As [`decide`](Self::decide), and the root as a traffic line for `tracesieve
    /// simulate` ([`record_line`]: the canonical fields, the keys the policy reads and the
    /// recorded keys, nothing else): `[rate, line]`. Never raises.
    fn decide_record(ruby: &Ruby, rb_self: &Engine, ctx: Value, timestamp: Option<f64>) -> (f64, Option<String>) {
        let sampler = &rb_self.sampler;
        let decide = || {
            let call = Call::new(ruby, &rb_self.keys);
            let ctx = RubyContext::new(call.root(ctx));
            let d = sampler.decide(&ctx);
            let line = record_line(&ctx, sampler.requirements(), &rb_self.record, &d, ctx.sample_rand(), timestamp);
            (ctx.sdk_rate(&d), Some(line))
        };
        catch_unwind(AssertUnwindSafe(decide)).unwrap_or_else(|_| (sampler.decide_fallback(None, None).rate, None))
    }

    /// The decision for one root and what was read to make it, not counted.
    fn explain(ruby: &Ruby, rb_self: &Engine, ctx: Value) -> Result<RHash, Error> {
        let call = Call::new(ruby, &rb_self.keys);
        convert::explanation(ruby, &rb_self.sampler.explain(&RubyContext::new(call.root(ctx))))
    }

    /// Whether to keep one error event: the trace's fate when the event carries its trace,
    /// else `Random.rand < rate`. Never raises; keeps the event if anything goes wrong.
    fn keep_error(ruby: &Ruby, rb_self: &Engine, event: Value, hint: Value) -> bool {
        let decide = || {
            let call = Call::new(ruby, &rb_self.keys);
            let hint = (!hint.is_nil()).then(|| call.root(hint));
            let d = rb_self.sampler.decide_error(&RubyEvent::new(call.root(event), hint));
            (d.rate, d.sampled)
        };
        match catch_unwind(AssertUnwindSafe(decide)) {
            Ok((_, Some(sampled))) => sampled,
            Ok((rate, None)) if rate >= 1.0 => true,
            Ok((rate, None)) if rate <= 0.0 => false,
            Ok((rate, None)) => random(ruby).is_none_or(|r| r < rate),
            Err(_) => true,
        }
    }

    /// The decision for one error event and what was read, not counted.
    fn explain_error(ruby: &Ruby, rb_self: &Engine, event: Value, hint: Value) -> Result<RHash, Error> {
        let call = Call::new(ruby, &rb_self.keys);
        let hint = (!hint.is_nil()).then(|| call.root(hint));
        convert::explanation(ruby, &rb_self.sampler.explain_error(&RubyEvent::new(call.root(event), hint)))
    }

    /// The decision counters.
    fn stats(ruby: &Ruby, rb_self: &Engine) -> Result<RHash, Error> {
        convert::stats(ruby, &rb_self.sampler.stats())
    }
}

/// `Random.rand` (so that `srand` makes tests repeatable); `None` if it raised.
fn random(ruby: &Ruby) -> Option<f64> {
    let random: Value = ruby.class_object().const_get("Random").ok()?;
    random.funcall("rand", ()).ok()
}

/// The extension's entry point, `Init_tracesieve_ext` (the macro's function has no doc
/// comment of its own, hence the module).
#[allow(missing_docs)]
mod entry {
    use super::*;

    /// Defines `Tracesieve::Native` (`lib/tracesieve.rb` requires it after defining
    /// `Tracesieve::PolicyError` and `Tracesieve::Problem`).
    #[magnus::init(name = "tracesieve_ext")]
    fn init(ruby: &Ruby) -> Result<(), Error> {
        let module = ruby.define_module("Tracesieve")?;
        let native: RModule = module.define_module("Native")?;
        native.const_set("VERSION", tracesieve::VERSION)?;
        let engine = native.define_class("Engine", ruby.class_object())?;
        engine.define_singleton_method("new", function!(Engine::new, 3))?;
        engine.define_method("decide", method!(Engine::decide, 1))?;
        engine.define_method("decide_record", method!(Engine::decide_record, 2))?;
        engine.define_method("explain", method!(Engine::explain, 1))?;
        engine.define_method("keep_error", method!(Engine::keep_error, 2))?;
        engine.define_method("explain_error", method!(Engine::explain_error, 2))?;
        engine.define_method("stats", method!(Engine::stats, 0))?;
        native.define_singleton_method("vector_decide", function!(vectors::vector_decide, 5))?;
        Ok(())
    }
}
