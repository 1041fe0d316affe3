//! `_core._decide`: the conformance runner's entry point (tests/python/test_vectors.py),
//! in a build with the `conformance` feature only (the test wheel; not the published one,
//! nor its public stub `_core.pyi`). It decides one vector case with the core adapter its
//! shape names, over Python objects, so the vectors of every shape run against the
//! installed wheel.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use tracesieve::sdk::{Canonical, Java, JavaEvent, Js, JsEvent, Python as PythonContext, PythonEvent, Ruby, RubyEvent};
use tracesieve::{Context, Decision, WithSampleRand};

use crate::host::Call;
use crate::keys::Keys;

type Outcome = (f64, &'static str, Option<String>, Option<bool>);

fn outcome(d: Decision<'_>) -> Outcome {
    (d.rate, d.reason.as_str(), d.rule_id.map(String::from), d.sampled)
}

/// Decides one case: `sdk` is `None` (canonical), `"js"`, `"python"`, `"ruby"` or `"java"`; `kind` is
/// `"trace"` or `"error"`. Returns `(rate, reason, rule_id, sampled)`; raises
/// `tracesieve.PolicyError` for a bad policy.
#[pyfunction]
#[pyo3(signature = (policy, context, sdk, kind, sample_rand))]
pub fn _decide<'py>(
    py: Python<'py>,
    policy: &str,
    context: &Bound<'py, PyAny>,
    sdk: Option<&str>,
    kind: &str,
    sample_rand: Option<f64>,
) -> PyResult<Outcome> {
    let sampler = crate::convert::compile(py, policy)?;
    let keys = Keys::new(py, &sampler);
    let call = Call::new(&keys);
    let run = |inner: &dyn Context| {
        let ctx = WithSampleRand::new(inner, sample_rand);
        outcome(if kind == "error" { sampler.decide_error(&ctx) } else { sampler.decide(&ctx) })
    };
    Ok(match sdk {
        None => run(&Canonical::new(call.root(context))),
        Some("js") if kind == "error" => run(&JsEvent::new(call.root(context))),
        Some("js") => run(&Js::new(call.root(context))),
        Some("python") if kind == "error" => run(&PythonEvent::from_pair(call.root(context))),
        Some("python") => run(&PythonContext::new(call.root(context))),
        Some("ruby") if kind == "error" => {
            let event = context.get_item("event")?;
            let hint = context.get_item("hint").ok().filter(|h| !h.is_none());
            run(&RubyEvent::new(call.root(&event), hint.as_ref().map(|h| call.root(h))))
        }
        Some("ruby") => run(&Ruby::new(call.root(context))),
        Some("java") if kind == "error" => run(&JavaEvent::new(call.root(context))),
        Some("java") => run(&Java::new(call.root(context))),
        Some(other) => return Err(PyValueError::new_err(format!("no adapter for sdk {other:?}"))),
    })
}
