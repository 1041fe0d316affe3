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
use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat};
use tracesieve::Sampler;
use tracesieve::sdk::{Python as PythonContext, PythonEvent, RecordKeys, record_line};

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
    recorder: Option<Recorder>,
}

/// What a sampler that records roots keeps: the user's callables and keys, and a count of
/// the roots seen (every 1/share-th is recorded: no random number, no bias by sample_rand).
struct Recorder {
    record: Py<PyAny>,
    sample_rand: Option<Py<PyAny>>,
    keys: RecordKeys,
    share: f64,
    seen: AtomicU64,
}

impl Recorder {
    fn due(&self) -> bool {
        let n = self.seen.fetch_add(1, Ordering::Relaxed) as f64;
        ((n + 1.0) * self.share).floor() > (n * self.share).floor()
    }
}

fn strings(v: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Vec<String>> {
    match v {
        None => Ok(Vec::new()),
        Some(v) if v.is_none() => Ok(Vec::new()),
        Some(v) => v.extract().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!("record_keys[\"{name}\"] must be a list of strings"))
        }),
    }
}

#[pymethods]
impl TracesSampler {
    #[new]
    #[pyo3(signature = (policy, *, record = None, record_keys = None, record_rate = None, sample_rand = None))]
    fn new(
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        record: Option<Bound<'_, PyAny>>,
        record_keys: Option<&Bound<'_, PyAny>>,
        record_rate: Option<f64>,
        sample_rand: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let inner = Compiled::new(py, &convert::policy_text(policy)?)?;
        let recorder = match record.filter(|r| !r.is_none()) {
            None => None,
            Some(record) => {
                let keys = match record_keys.filter(|k| !k.is_none()) {
                    None => RecordKeys::default(),
                    Some(k) => RecordKeys {
                        attributes: strings(k.get_item("attributes").ok().as_ref(), "attributes")?,
                        custom: strings(k.get_item("custom").ok().as_ref(), "custom")?,
                    },
                };
                let rate = match record_rate {
                    Some(r) => r,
                    None => record.getattr("record_rate").ok().and_then(|r| r.extract::<f64>().ok()).unwrap_or(1.0),
                };
                if !(0.0..=1.0).contains(&rate) {
                    return Err(pyo3::exceptions::PyValueError::new_err("record_rate must be in [0, 1]"));
                }
                Some(Recorder {
                    record: record.unbind(),
                    sample_rand: sample_rand.filter(|s| !s.is_none()).map(Bound::unbind),
                    keys,
                    share: rate,
                    seen: AtomicU64::new(0),
                })
            }
        };
        Ok(TracesSampler { inner, recorder })
    }

    /// The sampler of the policy in `TRACESIEVE_POLICY` (a path or inline JSON).
    #[staticmethod]
    fn from_env(py: Python<'_>) -> PyResult<Self> {
        Ok(TracesSampler { inner: Compiled::new(py, &convert::policy_from_env(py)?)?, recorder: None })
    }

    /// The sample rate for one root: what `sentry-sdk` compares with the trace's
    /// `sample_rand`.
    #[pyo3(signature = (sampling_context, /))]
    fn __call__<'py>(&self, sampling_context: &Bound<'py, PyAny>) -> Bound<'py, PyFloat> {
        if let Some(rec) = &self.recorder {
            if rec.due() {
                return self.call_recording(rec, sampling_context);
            }
        }
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

impl TracesSampler {
    /// Decides one root and hands it to the recorder as a traffic line.
    fn call_recording<'py>(&self, rec: &Recorder, sampling_context: &Bound<'py, PyAny>) -> Bound<'py, PyFloat> {
        let py = sampling_context.py();
        let sampler = &self.inner.sampler;
        let rand =
            rec.sample_rand.as_ref().and_then(|f| f.call1(py, (sampling_context,)).ok()?.extract::<f64>(py).ok());
        let timestamp =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs_f64());
        let decide = || {
            let call = Call::new(&self.inner.keys);
            let ctx = PythonContext::new(call.root(sampling_context));
            let d = sampler.decide(&ctx);
            (d.rate, record_line(&ctx, sampler.requirements(), &rec.keys, &d, rand, timestamp))
        };
        match catch_unwind(AssertUnwindSafe(decide)) {
            Ok((rate, line)) => {
                // A failing recorder never changes a decision.
                if let Err(e) = rec.record.call1(py, (line,)) {
                    e.write_unraisable(py, None);
                }
                self.inner.rates.get(py, rate)
            }
            Err(_) => self.inner.rates.get(py, sampler.decide_fallback(None, None).rate),
        }
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
