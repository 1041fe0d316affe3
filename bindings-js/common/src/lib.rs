//! The engine behind the npm package `tracesieve`, shared by its two backends (the
//! wasm-bindgen crate and the napi-rs crate), which only move bytes and strings across.
//!
//! A JavaScript shim reads a sampling context along the policy's [read plans](ReadPlan)
//! (recorded from the core's own SDK adapters, [`Js`] and [`JsEvent`]) with plain property
//! access, encodes what it found in the plan's wire format, and calls [`Engine::decide`]
//! once. Everything else (policy parsing and validation, field extraction, precedence,
//! counters) is the core's.

use core::cell::RefCell;

use serde_json::{Map, Value as Json, json};
use tracesieve::HostObject;
use tracesieve::sdk::{Canonical, Js, JsEvent, Node, Python, PythonEvent, ReadPlan, Slots, Snapshot};
use tracesieve::{Context, Counts, Explanation, PolicyError, Sampler, Value};

/// Gives the string of a plan node that the encoder left out of the wire bytes.
pub type Fetch<'f> = dyn Fn(usize) -> Option<String> + 'f;

/// The shape of the contexts an engine reads (the core adapter it uses).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `@sentry/*` `samplingContext`, and `{event, hint}` of `beforeSend`: the package's.
    Js,
    /// The canonical shape of the conformance vectors.
    Canonical,
    /// `sentry-sdk` (Python) contexts, for the conformance vectors.
    Python,
}

/// A compiled policy and its two read plans (trace roots, error events).
pub struct Engine {
    sampler: Sampler,
    shape: Shape,
    trace: ReadPlan,
    error: ReadPlan,
    /// The slots each decode reuses (a call that finds them taken uses its own).
    slots: RefCell<Slots>,
}

/// Runs `$body` with `$ctx` bound to the engine's trace-root adapter over `$root`.
macro_rules! with_trace_ctx {
    ($shape:expr, $root:expr, |$ctx:ident| $body:expr) => {
        match $shape {
            Shape::Js => {
                let $ctx = Js::new($root);
                $body
            }
            Shape::Canonical => {
                let $ctx = Canonical::new($root);
                $body
            }
            Shape::Python => {
                let $ctx = Python::new($root);
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
            Shape::Canonical => {
                let $ctx = Canonical::new($root);
                $body
            }
            Shape::Python => {
                let root = $root;
                let $ctx = PythonEvent::new(root.get("event").unwrap_or(root), root.get("hint"));
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

    /// Compiles a JSON policy for contexts of another shape: `"canonical"` or `"python"`
    /// (the conformance vectors run through the package this way), else `"js"`.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_shape(policy: &str, shape: &str) -> Result<Engine, String> {
        let sampler = Sampler::from_json(policy).map_err(|e| error_json(&e))?;
        let req = sampler.requirements();
        let (shape, trace, error) = match shape {
            "canonical" => {
                (Shape::Canonical, ReadPlan::record(req, Canonical::new), ReadPlan::record(req, Canonical::new))
            }
            "python" => (
                Shape::Python,
                ReadPlan::record(req, Python::new),
                ReadPlan::record(req, |p| PythonEvent::new(p.get("event").unwrap_or_else(|| p.clone()), p.get("hint"))),
            ),
            _ => (Shape::Js, ReadPlan::record(req, Js::new), ReadPlan::record(req, JsEvent::new)),
        };
        Ok(Engine { sampler, shape, trace, error, slots: RefCell::default() })
    }

    /// The read plans as JSON, `{"trace": plan, "error": plan}`, each plan a list of nodes
    /// in preorder `[key, parent, end, [scan prefixes], primary]` (the root first; see
    /// [`PlanNode`](tracesieve::sdk::PlanNode)).
    pub fn plans(&self) -> String {
        json!({ "trace": plan_json(&self.trace), "error": plan_json(&self.error) }).to_string()
    }

    /// Decides a trace root from its encoded context, and counts the decision: the rate.
    /// `fetch(node)` gives the strings the encoder left out (wire tag 8), if any.
    pub fn decide(&self, wire: &[u8], fetch: Option<&Fetch<'_>>) -> f64 {
        self.with_slots(|slots| {
            let snap = Snapshot::decode_lazy(&self.trace, wire, fetch, slots);
            with_trace_ctx!(self.shape, snap.root(), |ctx| self.sampler.decide(&ctx).rate)
        })
    }

    /// Decides an error event from its encoded `{event, hint}`, and counts the decision:
    /// `1` or `0` when the event carried its trace's `sample_rand` (one fate per trace),
    /// else the rate, for the caller to compare with a random number.
    pub fn decide_error(&self, wire: &[u8], fetch: Option<&Fetch<'_>>) -> f64 {
        self.with_slots(|slots| {
            let snap = Snapshot::decode_lazy(&self.error, wire, fetch, slots);
            with_error_ctx!(self.shape, snap.root(), |ctx| self.sampler.decide_error(&ctx).sdk_rate())
        })
    }

    /// Explains a trace root (`error` false) or an error event, without counting it:
    /// `{"rate", "reason", "ruleId", "sampled", "fallback", "context": {...}}` as JSON.
    pub fn explain(&self, wire: &[u8], error: bool, fetch: Option<&Fetch<'_>>) -> String {
        let (plan, sampler) = (if error { &self.error } else { &self.trace }, &self.sampler);
        self.with_slots(|slots| {
            let snap = Snapshot::decode_lazy(plan, wire, fetch, slots);
            let root: Node<'_, '_> = snap.root();
            let (x, failed) = if error {
                with_error_ctx!(self.shape, root, |ctx| (sampler.explain_error(&ctx), ctx.read_failed()))
            } else {
                with_trace_ctx!(self.shape, root, |ctx| (sampler.explain(&ctx), ctx.read_failed()))
            };
            explanation_json(&x, failed).to_string()
        })
    }

    /// Runs `f` with the engine's slots, or fresh ones if a call in progress holds them.
    fn with_slots<R>(&self, f: impl FnOnce(&mut Slots) -> R) -> R {
        match self.slots.try_borrow_mut() {
            Ok(mut slots) => f(&mut slots),
            Err(_) => f(&mut Slots::default()),
        }
    }

    /// The counters as JSON: `{"traces": counts, "errors": counts, "fallbacks": n}`, each
    /// counts `{"total", "byReason": {reason: n}, "byRule": {id: n}}`.
    pub fn stats(&self) -> String {
        let s = self.sampler.stats();
        json!({ "traces": counts_json(&s.traces), "errors": counts_json(&s.errors), "fallbacks": s.fallbacks })
            .to_string()
    }
}

/// The version of the core, which is the version of the npm package.
pub fn version() -> &'static str {
    tracesieve::VERSION
}

fn error_json(e: &PolicyError) -> String {
    let problems: Vec<Json> = e.problems().iter().map(|p| json!({ "path": p.path, "message": p.message })).collect();
    json!({ "message": e.to_string(), "problems": problems }).to_string()
}

fn plan_json(plan: &ReadPlan) -> Json {
    Json::Array(plan.nodes().iter().map(|n| json!([n.key, n.parent, n.end, n.scans, n.primary])).collect())
}

fn value_json(v: &Value<'_>) -> Json {
    match v {
        Value::Str(s) => json!(s),
        Value::Num(n) => json!(n),
        Value::Bool(b) => json!(b),
        Value::Other => json!({}),
    }
}

fn pairs_json(pairs: &[(String, Value<'static>)]) -> Json {
    Json::Object(pairs.iter().map(|(k, v)| (k.clone(), value_json(v))).collect())
}

fn explanation_json(x: &Explanation<'_>, fallback: bool) -> Json {
    let mut ctx = Map::new();
    for (f, v) in &x.fields {
        ctx.insert(f.as_str().into(), value_json(v));
    }
    let mut put = |k: &str, v: Json| {
        if !v.is_null() && v != json!({}) {
            ctx.insert(k.into(), v);
        }
    };
    put("attributes", pairs_json(&x.attributes));
    put("custom", pairs_json(&x.custom));
    put("tags", pairs_json(&x.tags));
    put("parentSampled", json!(x.parent_sampled));
    put("parentSampleRate", json!(x.parent_sample_rate));
    put("genAi", json!(x.gen_ai));
    let d = &x.decision;
    json!({
        "rate": d.rate, "reason": d.reason.as_str(), "ruleId": d.rule_id, "sampled": d.sampled,
        "fallback": fallback, "context": ctx,
    })
}

fn counts_json(c: &Counts) -> Json {
    let reasons: Map<String, Json> = c.by_reason.iter().map(|(r, n)| (r.as_str().into(), json!(n))).collect();
    let rules: Map<String, Json> = c.by_rule.iter().map(|(id, n)| (id.clone(), json!(n))).collect();
    json!({ "total": c.total, "byReason": reasons, "byRule": rules })
}
