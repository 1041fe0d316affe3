//! `tracesieve` for Python: `traces_sampler` and `error_sampler` callables for
//! `sentry-sdk`, deciding with the Rust core from one JSON policy.
//!
//! This crate only converts: [`host`] lets the core's `sentry-sdk` adapters
//! ([`tracesieve::sdk::Python`], [`tracesieve::sdk::PythonEvent`]) read Python dicts and
//! objects lazily, [`convert`] turns policies in and decisions, explanations and stats out.

mod cli;
mod convert;
mod host;
mod keys;
#[cfg(feature = "conformance")]
mod vectors;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat};
use tracesieve::Sampler;
use tracesieve::sdk::{Python as PythonContext, PythonEvent};

use crate::host::Call;
use crate::keys::Keys;

/// A compiled policy with the interned keys it reads.
struct Compiled {
    sampler: Sampler,
    keys: Keys,
    rates: Rates,
}

impl Compiled {
    fn new(py: Python<'_>, text: &str) -> PyResult<Compiled> {
        let sampler = convert::compile(py, text)?;
        let keys = Keys::new(py, &sampler);
        Ok(Compiled { sampler, keys, rates: Rates::default() })
    }
}

/// The Python floats of the first rates a sampler returns (a policy has a few), kept, so
/// that returning one of them is a reference instead of a new float.
#[derive(Default)]
struct Rates([OnceLock<(u64, Py<PyFloat>)>; 8]);

impl Rates {
    fn get<'py>(&self, py: Python<'py>, rate: f64) -> Bound<'py, PyFloat> {
        let bits = rate.to_bits();
        for slot in &self.0 {
            let (b, float) = slot.get_or_init(|| (bits, PyFloat::new(py, rate).unbind()));
            if *b == bits {
                return float.bind(py).clone();
            }
        }
        PyFloat::new(py, rate)
    }
}

/// `traces_sampler` for `sentry_sdk.init`: `(sampling_context) -> float`.
///
/// Built from a policy (a path, a JSON string or a dict); immutable and safe to call from
/// many threads. It never raises and always returns a rate in [0, 1]: a context it cannot
/// read gives the parent's decision if readable, else `defaultRate`, counted as a fallback.
#[pyclass(frozen, module = "tracesieve._core")]
struct TracesSampler {
    inner: Compiled,
}

#[pymethods]
impl TracesSampler {
    #[new]
    fn new(py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(TracesSampler { inner: Compiled::new(py, &convert::policy_text(policy)?)? })
    }

    /// The sampler of the policy in `TRACESIEVE_POLICY` (a path or inline JSON).
    #[staticmethod]
    fn from_env(py: Python<'_>) -> PyResult<Self> {
        Ok(TracesSampler { inner: Compiled::new(py, &convert::policy_from_env(py)?)? })
    }

    /// The sample rate for one root: what `sentry-sdk` compares with the trace's
    /// `sample_rand`.
    #[pyo3(signature = (sampling_context, /))]
    fn __call__<'py>(&self, sampling_context: &Bound<'py, PyAny>) -> Bound<'py, PyFloat> {
        let sampler = &self.inner.sampler;
        let decide = || {
            let call = Call::new(&self.inner.keys);
            sampler.decide(&PythonContext::new(call.root(sampling_context))).rate
        };
        // The core does not panic; if it ever did, the host app still gets a rate.
        let rate = catch_unwind(AssertUnwindSafe(decide)).unwrap_or_else(|_| sampler.decide_fallback(None, None).rate);
        self.inner.rates.get(sampling_context.py(), rate)
    }

    /// The decision for one root and everything read to make it, without counting it.
    fn explain<'py>(&self, sampling_context: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let call = Call::new(&self.inner.keys);
        let explained = self.inner.sampler.explain(&PythonContext::new(call.root(sampling_context)));
        convert::explanation(sampling_context.py(), &explained)
    }

    /// Decision counters: `{"traces": {...}, "errors": {...}, "fallbacks": n}`.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        convert::stats(py, &self.inner.sampler.stats())
    }
}

/// `error_sampler` for `sentry_sdk.init`: `(event, hint) -> float`.
///
/// Matches `errors.rules` against the exception type (`hint["exc_info"][0]`, else the
/// event's last exception), level, logger, message and tags. When the event carries its
/// trace, every error of that trace shares one fate: it returns `1.0` or `0.0` from the
/// trace's randomness instead of a bare rate. Never raises.
#[pyclass(frozen, module = "tracesieve._core")]
struct ErrorSampler {
    inner: Compiled,
}

#[pymethods]
impl ErrorSampler {
    #[new]
    fn new(py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(ErrorSampler { inner: Compiled::new(py, &convert::policy_text(policy)?)? })
    }

    /// The sampler of the policy in `TRACESIEVE_POLICY` (a path or inline JSON).
    #[staticmethod]
    fn from_env(py: Python<'_>) -> PyResult<Self> {
        Ok(ErrorSampler { inner: Compiled::new(py, &convert::policy_from_env(py)?)? })
    }

    /// The rate for one error event (`1.0`/`0.0` when its trace's randomness is known).
    #[pyo3(signature = (event, hint = None))]
    fn __call__(&self, event: &Bound<'_, PyAny>, hint: Option<&Bound<'_, PyAny>>) -> f64 {
        let sampler = &self.inner.sampler;
        let decide = || {
            let call = Call::new(&self.inner.keys);
            sampler.decide_error(&PythonEvent::new(call.root(event), hint.map(|h| call.root(h)))).sdk_rate()
        };
        // A panic would be a core bug; the event is kept, as sentry-sdk keeps it when a sampler raises.
        catch_unwind(AssertUnwindSafe(decide)).unwrap_or(1.0)
    }

    /// The decision for one error event and everything read to make it, without counting it.
    #[pyo3(signature = (event, hint = None))]
    fn explain<'py>(
        &self,
        event: &Bound<'py, PyAny>,
        hint: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let call = Call::new(&self.inner.keys);
        let ctx = PythonEvent::new(call.root(event), hint.map(|h| call.root(h)));
        convert::explanation(event.py(), &self.inner.sampler.explain_error(&ctx))
    }

    /// Decision counters: `{"traces": {...}, "errors": {...}, "fallbacks": n}`.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        convert::stats(py, &self.inner.sampler.stats())
    }
}

/// The compiled core of the `tracesieve` package.
#[pymodule(gil_used = false)]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<TracesSampler>()?;
    m.add_class::<ErrorSampler>()?;
    #[cfg(feature = "conformance")]
    m.add_function(wrap_pyfunction!(vectors::_decide, m)?)?;
    m.add_function(wrap_pyfunction!(cli::run_cli, m)?)?;
    Ok(())
}
