//! `Tracesieve::Native.vector_decide`: the conformance runner's entry point
//! (tests/ruby/test_vectors.rb), not part of the gem's API. It decides one vector case
//! with the core adapter its shape names, over Ruby Hashes, so that every vector runs
//! against the built extension.

use magnus::{Error, Ruby, Value, prelude::*};
use tracesieve::sdk::{
    Canonical, Java, JavaEvent, Js, JsEvent, Python, PythonEvent, RUBY_KEYS, Ruby as RubyContext, RubyEvent,
};
use tracesieve::{Context, Decision, WithSampleRand};

use crate::host::{Call, Keys};

type Outcome = (f64, &'static str, Option<String>, Option<bool>);

fn outcome(d: Decision<'_>) -> Outcome {
    (d.rate, d.reason.as_str(), d.rule_id.map(String::from), d.sampled)
}

/// Decides one case: `sdk` is `nil` (canonical), `"js"`, `"python"`, `"ruby"` or `"java"`; `kind` is
/// `"trace"` or `"error"` (an error context is `{"event" => ..., "hint" => ...}`). Returns
/// `[rate, reason, rule_id, sampled]`; raises `Tracesieve::PolicyError` for a bad policy.
pub fn vector_decide(
    ruby: &Ruby,
    policy: String,
    context: Value,
    sdk: Option<String>,
    kind: String,
    sample_rand: Option<f64>,
) -> Result<Outcome, Error> {
    let sampler = crate::convert::compile(ruby, policy)?;
    let keys = Keys::new(ruby, RUBY_KEYS, sampler.requirements());
    let call = Call::new(ruby, &keys);
    let root = call.root(context);
    let run = |inner: &dyn Context| {
        let ctx = WithSampleRand::new(inner, sample_rand);
        outcome(if kind == "error" { sampler.decide_error(&ctx) } else { sampler.decide(&ctx) })
    };
    let nil = call.root(ruby.qnil().as_value());
    let part = |key: &str| {
        use tracesieve::HostObject;
        root.get(key)
    };
    Ok(match (sdk.as_deref(), kind.as_str()) {
        (None, _) => run(&Canonical::new(root)),
        (Some("js"), "error") => run(&JsEvent::new(root)),
        (Some("js"), _) => run(&Js::new(root)),
        (Some("python"), "error") => run(&PythonEvent::new(part("event").unwrap_or(nil), part("hint"))),
        (Some("python"), _) => run(&Python::new(root)),
        (Some("ruby"), "error") => run(&RubyEvent::new(part("event").unwrap_or(nil), part("hint"))),
        (Some("ruby"), _) => run(&RubyContext::new(root)),
        (Some("java"), "error") => run(&JavaEvent::new(root)),
        (Some("java"), _) => run(&Java::new(root)),
        (Some(other), _) => {
            return Err(Error::new(ruby.exception_arg_error(), format!("no adapter for sdk {other:?}")));
        }
    })
}
