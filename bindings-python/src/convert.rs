//! Conversions between Python and the core: the policy argument in, `PolicyError`,
//! decisions, explanations and stats out.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::borrow::Cow;

use pyo3::intern;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use tracesieve::{Counts, Explanation, PolicyError, Sampler, Stats, Value};

/// The environment variable [`policy_from_env`] reads.
pub const POLICY_ENV: &str = "TRACESIEVE_POLICY";

/// The text of a Python string. One with lone surrogates (which have no UTF-8 form) reads
/// with each lone surrogate as U+FFFD, exactly as JavaScript's `TextEncoder` reads the same
/// UTF-16: so one string reads the same in both languages.
pub fn text_of<'a>(s: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    s.to_cow().unwrap_or_else(|_| {
        let units = s.call_method1(intern!(s.py(), "encode"), ("utf-16-le", "surrogatepass"));
        match units.as_ref().map(|b| b.cast::<PyBytes>().map(|b| b.as_bytes())) {
            Ok(Ok(bytes)) => {
                let units = bytes.chunks_exact(2).map(|u| u16::from_le_bytes([u[0], u[1]]));
                Cow::Owned(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
            }
            _ => s.to_string_lossy(),
        }
    })
}

/// How deep a policy given as a dict may nest: the JSON parser's own limit. A deeper (or
/// cyclic) dict is refused before `json.dumps`, which would raise `RecursionError` or, with
/// a raised recursion limit, overflow the C stack.
const MAX_DEPTH: usize = 128;

/// The policy text of a `policy` argument: a dict (or any JSON-serialisable mapping), a
/// JSON string (its first non-blank character is `{`), or a path (`str` or `os.PathLike`).
/// Lone surrogates in a string read as U+FFFD ([`text_of`]).
pub fn policy_text(policy: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = policy.py();
    if let Ok(s) = policy.cast::<PyString>() {
        let s = text_of(s);
        if s.trim_start().starts_with('{') {
            return Ok(s.into_owned());
        }
        return read_path(&s);
    }
    if policy.is_instance_of::<PyDict>() {
        let unwritable =
            |why: String| policy_error(py, &PolicyError::document(format!("cannot be written as JSON ({why})")));
        if !nests_within(policy, MAX_DEPTH) {
            return Err(unwritable(format!("nested deeper than {MAX_DEPTH}, or cyclic")));
        }
        let dumped = py.import("json")?.call_method1("dumps", (policy,));
        return dumped.and_then(|text| text.extract()).map_err(|e| unwritable(e.to_string()));
    }
    if let Ok(path) = py.import("os")?.call_method1("fspath", (policy,)) {
        return read_path(&path.extract::<String>()?);
    }
    Err(PyTypeError::new_err(format!(
        "policy must be a path, a JSON string or a dict, not {}",
        policy.get_type().name()?
    )))
}

/// Whether the dicts, lists and tuples under `root` nest at most `max` deep (depth first,
/// without recursion: a cycle reaches the limit after `max` steps).
fn nests_within(root: &Bound<'_, PyAny>, max: usize) -> bool {
    let mut stack = vec![(root.clone(), 1)];
    while let Some((obj, depth)) = stack.pop() {
        let children: Vec<Bound<'_, PyAny>> = if let Ok(d) = obj.cast::<PyDict>() {
            d.values().iter().collect()
        } else if let Ok(l) = obj.cast::<PyList>() {
            l.iter().collect()
        } else if let Ok(t) = obj.cast::<PyTuple>() {
            t.iter().collect()
        } else {
            continue;
        };
        if !children.is_empty() && depth >= max {
            return false;
        }
        stack.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    true
}

fn read_path(path: &str) -> PyResult<String> {
    std::fs::read_to_string(path)
        .map_err(|e| PyValueError::new_err(format!("cannot read the tracesieve policy file {path:?}: {e}")))
}

/// The policy named by `TRACESIEVE_POLICY` (a path or inline JSON).
pub fn policy_from_env(py: Python<'_>) -> PyResult<String> {
    match std::env::var(POLICY_ENV) {
        Ok(v) if !v.trim().is_empty() => policy_text(PyString::new(py, &v).as_any()),
        _ => Err(PyValueError::new_err(format!("{POLICY_ENV} is not set: set it to a policy file or inline JSON"))),
    }
}

/// Compiles a policy, raising `tracesieve.PolicyError` with the core's message and its
/// problems.
pub fn compile(py: Python<'_>, text: &str) -> PyResult<Sampler> {
    Sampler::from_json(text).map_err(|e| policy_error(py, &e))
}

fn policy_error(py: Python<'_>, e: &PolicyError) -> PyErr {
    static CLASSES: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    let made = CLASSES
        .get_or_try_init(py, || -> PyResult<_> {
            let m = py.import("tracesieve._errors")?;
            Ok((m.getattr("PolicyError")?.unbind(), m.getattr("Problem")?.unbind()))
        })
        .and_then(|(error, problem)| {
            let problems: Vec<Bound<'_, PyAny>> = e
                .problems()
                .iter()
                .map(|p| problem.bind(py).call1((p.path.as_str(), p.message.as_str())))
                .collect::<PyResult<_>>()?;
            error.bind(py).call1((e.to_string(), PyList::new(py, problems)?))
        });
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

fn value<'py>(py: Python<'py>, v: &Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Num(n) => n.into_pyobject(py)?.into_any(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Other => PyString::new(py, "<object>").into_any(),
    })
}

fn pairs<'py, K: AsRef<str>>(py: Python<'py>, list: &[(K, Value<'_>)]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in list {
        d.set_item(k.as_ref(), value(py, v)?)?;
    }
    Ok(d)
}

/// `explain()`'s dict: the decision, then what was read to make it.
pub fn explanation<'py>(py: Python<'py>, e: &Explanation<'_>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("rate", e.decision.rate)?;
    d.set_item("reason", e.decision.reason.as_str())?;
    d.set_item("rule_id", e.decision.rule_id)?;
    d.set_item("sampled", e.decision.sampled)?;
    let fields: Vec<(&str, Value<'_>)> = e.fields.iter().map(|(f, v)| (f.as_str(), v.clone())).collect();
    d.set_item("fields", pairs(py, &fields)?)?;
    d.set_item("attributes", pairs(py, &e.attributes)?)?;
    d.set_item("custom", pairs(py, &e.custom)?)?;
    d.set_item("tags", pairs(py, &e.tags)?)?;
    d.set_item("parent_sampled", e.parent_sampled)?;
    d.set_item("parent_sample_rate", e.parent_sample_rate)?;
    d.set_item("forced", e.forced)?;
    d.set_item("gen_ai", e.gen_ai)?;
    Ok(d)
}

fn counts<'py>(py: Python<'py>, c: &Counts) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("total", c.total)?;
    let by_reason = PyDict::new(py);
    for (r, n) in &c.by_reason {
        by_reason.set_item(r.as_str(), n)?;
    }
    d.set_item("by_reason", by_reason)?;
    let by_rule = PyDict::new(py);
    for (id, n) in &c.by_rule {
        by_rule.set_item(id, n)?;
    }
    d.set_item("by_rule", by_rule)?;
    Ok(d)
}

/// `stats()`'s dict.
pub fn stats<'py>(py: Python<'py>, s: &Stats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("traces", counts(py, &s.traces)?)?;
    d.set_item("errors", counts(py, &s.errors)?)?;
    d.set_item("fallbacks", s.fallbacks)?;
    Ok(d)
}
