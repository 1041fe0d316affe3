//! The engine behind the npm package `tracesieve`, shared by its two backends (the
//! wasm-bindgen crate and the napi-rs crate), which only move bytes and strings across.
//!
//! A JavaScript shim reads a sampling context along the policy's [read plans](ReadPlan)
//! (recorded from the core's own SDK adapters, [`Js`] and [`JsEvent`]) with plain property
//! access, encodes what it found in the plan's wire format, and calls [`Engine::decide`]
//! once. Everything else (policy parsing and validation, field extraction, precedence,
//! counters) is the core's.

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

#[cfg(feature = "ruby")]
use tracesieve::HostObject;
use tracesieve::compiled::{ByteReader, ByteWriter};
#[cfg(feature = "conformance")]
use tracesieve::sdk::{Canonical, Python, PythonEvent};
#[cfg(feature = "java")]
use tracesieve::sdk::{Java, JavaEvent};
use tracesieve::sdk::{Js, JsEvent, Node, ReadPlan, RecordKeys, Snapshot, record_line};
#[cfg(feature = "ruby")]
use tracesieve::sdk::{Ruby, RubyEvent};
use tracesieve::{Context, Decision, Sampler};

mod out;
use out::{Out, counts_json, error_json, explanation_json, message_json, plan_json};

/// Gives the string of a plan node that the encoder left out of the wire bytes.
pub type Fetch<'f> = dyn Fn(usize) -> Option<String> + 'f;

/// The shape of the contexts an engine reads (the core adapter it uses).
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Shape {
    /// `@sentry/*` `samplingContext`, and `{event, hint}` of `beforeSend`: the package's.
    Js = 0,
    /// The canonical shape of the conformance vectors.
    #[cfg(feature = "conformance")]
    Canonical = 1,
    /// `sentry-sdk` (Python) contexts, for the conformance vectors.
    #[cfg(feature = "conformance")]
    Python = 2,
    /// `sentry-java` contexts (`SamplingContext`, `SentryEvent`): the portable module's.
    #[cfg(feature = "java")]
    Java = 3,
    /// `sentry-ruby` contexts, for the conformance vectors.
    #[cfg(feature = "ruby")]
    Ruby = 4,
}

/// A compiled policy and its two read plans (trace roots, error events).
pub struct Engine {
    sampler: Sampler,
    shape: Shape,
    trace: ReadPlan,
    error: ReadPlan,
    /// The keys to record besides the policy's, when the caller records roots.
    record: RecordKeys,
}

/// Runs `$body` with `$ctx` bound to the engine's trace-root adapter over `$root`.
macro_rules! with_trace_ctx {
    ($shape:expr, $root:expr, |$ctx:ident| $body:expr) => {
        match $shape {
            Shape::Js => {
                let $ctx = Js::new($root);
                $body
            }
            #[cfg(feature = "conformance")]
            Shape::Canonical => {
                let $ctx = Canonical::new($root);
                $body
            }
            #[cfg(feature = "conformance")]
            Shape::Python => {
                let $ctx = Python::new($root);
                $body
            }
            #[cfg(feature = "java")]
            Shape::Java => {
                let $ctx = Java::new($root);
                $body
            }
            #[cfg(feature = "ruby")]
            Shape::Ruby => {
                let $ctx = Ruby::new($root);
                $body
            }
        }
    };
}

/// As `with_trace_ctx`, for error events (`{event, hint}`).
macro_rules! with_error_ctx {
    ($shape:expr, $root:expr, |$ctx:ident| $body:expr) => {
        match $shape {
            Shape::Js => {
                let $ctx = JsEvent::new($root);
                $body
            }
            #[cfg(feature = "conformance")]
            Shape::Canonical => {
                let $ctx = Canonical::new($root);
                $body
            }
            #[cfg(feature = "conformance")]
            Shape::Python => {
                let $ctx = PythonEvent::from_pair($root);
                $body
            }
            #[cfg(feature = "ruby")]
            Shape::Ruby => {
                let root = $root;
                let $ctx = RubyEvent::new(root.get("event").unwrap_or(root), root.get("hint"));
                $body
            }
            #[cfg(feature = "java")]
            Shape::Java => {
                let $ctx = JavaEvent::new($root);
                $body
            }
        }
    };
}

impl Engine {
    /// Compiles a JSON policy.
    ///
    /// # Errors
    /// The policy error as JSON: `{"message": ..., "problems": [{"path", "message"}]}`,
    /// which the JavaScript shim throws as a `PolicyError`.
    pub fn new(policy: &str) -> Result<Engine, String> {
        Self::with_shape(policy, "js")
    }

    /// Compiles a JSON policy for contexts of `shape`: `"js"`, or, in a build with the
    /// `conformance` feature, `"canonical"` or `"python"` (the conformance vectors run
    /// through the package's wire and engine this way), or, with the `java` feature,
    /// `"java"` (the portable module's).
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_shape(policy: &str, shape: &str) -> Result<Engine, String> {
        Self::with_record(policy, shape, None)
    }

    /// As [`with_shape`](Self::with_shape), for a caller that records roots
    /// ([`decide_record`](Self::decide_record)) when `record` is given: the record keys as
    /// JSON, `{"attributes": [...], "custom": [...]}`. The trace plan then also reads every
    /// canonical field, the parent and those keys.
    ///
    /// # Errors
    /// As [`new`](Self::new), and for record keys that are not such an object.
    pub fn with_record(policy: &str, shape: &str, record: Option<&str>) -> Result<Engine, String> {
        let sampler = Sampler::from_json(policy).map_err(|e| error_json(&e))?;
        let keys = match record {
            Some(text) => RecordKeys::from_json(text).map_err(|m| message_json(&m))?,
            None => RecordKeys::default(),
        };
        let recorded;
        let req = if record.is_some() {
            recorded = keys.requirements(sampler.requirements());
            &recorded
        } else {
            sampler.requirements()
        };
        let (shape, trace, error) = match shape {
            "js" => (Shape::Js, ReadPlan::record(req, Js::new), ReadPlan::record(req, JsEvent::new)),
            #[cfg(feature = "conformance")]
            "canonical" => {
                (Shape::Canonical, ReadPlan::record(req, Canonical::new), ReadPlan::record(req, Canonical::new))
            }
            #[cfg(feature = "conformance")]
            "python" => {
                (Shape::Python, ReadPlan::record(req, Python::new), ReadPlan::record(req, PythonEvent::from_pair))
            }
            #[cfg(feature = "ruby")]
            "ruby" => (
                Shape::Ruby,
                ReadPlan::record(req, Ruby::new),
                ReadPlan::record(req, |p| RubyEvent::new(p.get("event").unwrap_or_else(|| p.clone()), p.get("hint"))),
            ),
            #[cfg(feature = "java")]
            "java" => (Shape::Java, ReadPlan::record(req, Java::new), ReadPlan::record(req, JavaEvent::new)),
            other => {
                let message = format!("no context shape \"{other}\" in this build (the conformance feature adds them)");
                return Err(message_json(&message));
            }
        };
        Ok(Engine { sampler, shape, trace, error, record: keys })
    }

    /// This engine as compiled-policy bytes: the sampler, the context shape and the read
    /// plans, for [`load`](Self::load) in the same version of tracesieve (a build without
    /// the policy compiler: the browser module).
    pub fn compiled(&self) -> Vec<u8> {
        let mut w = ByteWriter::new();
        self.sampler.encode(&mut w);
        w.u8(self.shape as u8);
        self.trace.encode(&mut w);
        self.error.encode(&mut w);
        w.finish()
    }

    /// Loads an engine from [`compiled`](Self::compiled) bytes.
    ///
    /// # Errors
    /// As [`new`](Self::new): the error as JSON, for bytes that are not a compiled policy
    /// of this version (or of a context shape this build does not have).
    pub fn load(bytes: &[u8]) -> Result<Engine, String> {
        let mut r = ByteReader::open(bytes).map_err(|e| error_json(&e))?;
        let engine = Self::read(&mut r);
        r.finish(engine.is_some()).map_err(|e| error_json(&e))?;
        engine.ok_or_else(String::new)
    }

    fn read(r: &mut ByteReader<'_>) -> Option<Engine> {
        let sampler = Sampler::decode(r)?;
        let shape = match r.u8()? {
            0 => Shape::Js,
            #[cfg(feature = "conformance")]
            1 => Shape::Canonical,
            #[cfg(feature = "conformance")]
            2 => Shape::Python,
            #[cfg(feature = "java")]
            3 => Shape::Java,
            #[cfg(feature = "ruby")]
            4 => Shape::Ruby,
            _ => return None,
        };
        Some(Engine {
            sampler,
            shape,
            trace: ReadPlan::decode(r)?,
            error: ReadPlan::decode(r)?,
            record: RecordKeys::default(),
        })
    }

    /// The read plans and the fallback rate as JSON, `{"trace": plan, "error": plan,
    /// "defaultRate": rate}`, each plan a list of nodes in preorder `[key, parent, end,
    /// [scan prefixes], primary]` (the root first; see [`PlanNode`](tracesieve::sdk::PlanNode)).
    /// `defaultRate` is the rate for a context the shim cannot even encode.
    pub fn plans(&self) -> String {
        Out::object_text(|m| {
            plan_json(m.key("trace"), &self.trace);
            plan_json(m.key("error"), &self.error);
            m.num("defaultRate", self.sampler.default_rate());
        })
    }

    /// Decides a trace root from its encoded context, and counts the decision: the rate.
    /// `fetch(node)` gives the strings the encoder left out (wire tag 8), if any.
    pub fn decide(&self, wire: &[u8], fetch: Option<&Fetch<'_>>) -> f64 {
        let snap = Snapshot::decode_lazy(&self.trace, wire, fetch);
        with_trace_ctx!(self.shape, snap.root(), |ctx| self.sampler.decide(&ctx).rate)
    }

    /// As [`decide`](Self::decide), with the whole decision (reason, rule, `sampled`).
    pub fn decision(&self, wire: &[u8], fetch: Option<&Fetch<'_>>) -> Decision<'_> {
        let snap = Snapshot::decode_lazy(&self.trace, wire, fetch);
        with_trace_ctx!(self.shape, snap.root(), |ctx| self.sampler.decide(&ctx))
    }

    /// As [`decide_error`](Self::decide_error), with the whole decision.
    pub fn decision_error(&self, wire: &[u8], fetch: Option<&Fetch<'_>>) -> Decision<'_> {
        let snap = Snapshot::decode_lazy(&self.error, wire, fetch);
        with_error_ctx!(self.shape, snap.root(), |ctx| self.sampler.decide_error(&ctx))
    }

    /// The sampler this engine decides with.
    pub fn sampler(&self) -> &Sampler {
        &self.sampler
    }

    /// As [`decide`](Self::decide), and the root as a traffic line (`tracesieve simulate`
    /// reads it; see [`record_line`]), with `sample_rand` and `timestamp` when given.
    pub fn decide_record(
        &self,
        wire: &[u8],
        fetch: Option<&Fetch<'_>>,
        sample_rand: Option<f64>,
        timestamp: Option<f64>,
    ) -> (f64, String) {
        let (d, line) = self.decision_record(wire, fetch, sample_rand, timestamp);
        (d.rate, line)
    }

    /// As [`decide_record`](Self::decide_record), with the whole decision (reason, rule,
    /// `sampled`): the portable module writes it into its decision record.
    pub fn decision_record(
        &self,
        wire: &[u8],
        fetch: Option<&Fetch<'_>>,
        sample_rand: Option<f64>,
        timestamp: Option<f64>,
    ) -> (Decision<'_>, String) {
        let snap = Snapshot::decode_lazy(&self.trace, wire, fetch);
        let req = self.sampler.requirements();
        with_trace_ctx!(self.shape, snap.root(), |ctx| {
            let d = self.sampler.decide(&ctx);
            // One copy of record_line for every shape (the portable module's size).
            let line = record_line(&ctx as &dyn Context, req, &self.record, &d, sample_rand, timestamp);
            (d, line)
        })
    }

    /// Decides an error event from its encoded `{event, hint}`, and counts the decision:
    /// `1` or `0` when the event carried its trace's `sample_rand` (one fate per trace),
    /// else the rate, for the caller to compare with a random number.
    pub fn decide_error(&self, wire: &[u8], fetch: Option<&Fetch<'_>>) -> f64 {
        let snap = Snapshot::decode_lazy(&self.error, wire, fetch);
        with_error_ctx!(self.shape, snap.root(), |ctx| self.sampler.decide_error(&ctx).sdk_rate())
    }

    /// Explains a trace root (`error` false) or an error event, without counting it:
    /// `{"rate", "reason", "ruleId", "sampled", "fallback", "context": {...}}` as JSON.
    pub fn explain(&self, wire: &[u8], error: bool, fetch: Option<&Fetch<'_>>) -> String {
        let (plan, sampler) = (if error { &self.error } else { &self.trace }, &self.sampler);
        let snap = Snapshot::decode_lazy(plan, wire, fetch);
        let root: Node<'_, '_> = snap.root();
        let (x, failed) = if error {
            with_error_ctx!(self.shape, root, |ctx| (sampler.explain_error(&ctx), ctx.read_failed()))
        } else {
            with_trace_ctx!(self.shape, root, |ctx| (sampler.explain(&ctx), ctx.read_failed()))
        };
        explanation_json(&x, failed)
    }

    /// The counters as JSON: `{"traces": counts, "errors": counts, "fallbacks": n}`, each
    /// counts `{"total", "byReason": {reason: n}, "byRule": {id: n}}`.
    pub fn stats(&self) -> String {
        let s = self.sampler.stats();
        Out::object_text(|m| {
            counts_json(m.key("traces"), &s.traces);
            counts_json(m.key("errors"), &s.errors);
            m.num("fallbacks", s.fallbacks as f64);
        })
    }
}

/// The version of the core, which is the version of the npm package.
pub fn version() -> &'static str {
    tracesieve::VERSION
}
