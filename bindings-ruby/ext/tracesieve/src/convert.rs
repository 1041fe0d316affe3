//! Conversions between Ruby and the core: policies compiled (without the GVL),
//! `Tracesieve::PolicyError` raised, explanations and stats out as Hashes.

use std::ffi::c_void;

use magnus::value::ReprValue;
use magnus::{Error, Exception, IntoValue, RClass, RHash, RModule, Ruby, Value, prelude::*};
use tracesieve::{Counts, Explanation, PolicyError, Sampler, Stats, Value as V};

/// Compiles a policy, raising `Tracesieve::PolicyError` with the core's message and every
/// problem. Parsing and compiling run without the GVL: other Ruby threads go on meanwhile.
pub fn compile(ruby: &Ruby, text: String) -> Result<Sampler, Error> {
    without_gvl(move || Sampler::from_json(&text)).map_err(|e| policy_error(ruby, &e))
}

/// Runs `f` with the GVL released. `f` must not touch Ruby.
fn without_gvl<F: FnOnce() -> R, R>(f: F) -> R {
    struct Job<F, R> {
        f: Option<F>,
        out: Option<R>,
    }
    #[allow(unsafe_code)]
    unsafe extern "C" fn run<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
        // SAFETY: `data` is the `Job` below, alive for the whole call.
        #[allow(unsafe_code)]
        let job = unsafe { &mut *data.cast::<Job<F, R>>() };
        if let Some(f) = job.f.take() {
            // A panic must not unwind into Ruby's C frames: it is caught, and `out` stays empty.
            job.out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
        }
        std::ptr::null_mut()
    }
    let mut job = Job { f: Some(f), out: None };
    // SAFETY: `run` only touches `job` (no Ruby API), and returns before `job` is dropped;
    // no unblocking function is needed for a bounded computation.
    #[allow(unsafe_code)]
    unsafe {
        rb_sys::rb_thread_call_without_gvl(
            Some(run::<F, R>),
            (&raw mut job).cast::<c_void>(),
            None,
            std::ptr::null_mut(),
        );
    }
    match job.out {
        Some(out) => out,
        None => panic!("tracesieve: the policy compiler panicked"),
    }
}

fn tracesieve(ruby: &Ruby) -> Result<RModule, Error> {
    ruby.class_object().const_get("Tracesieve")
}

/// `Tracesieve::PolicyError.new(message, problems)`, each problem a
/// `Tracesieve::Problem` (`path`, `message`).
pub fn policy_error(ruby: &Ruby, e: &PolicyError) -> Error {
    let made = (|| -> Result<Error, Error> {
        let module = tracesieve(ruby)?;
        let problem: RClass = module.const_get("Problem")?;
        let error: RClass = module.const_get("PolicyError")?;
        let problems = ruby.ary_new();
        for p in e.problems() {
            problems.push(problem.new_instance((p.path.as_str(), p.message.as_str()))?)?;
        }
        let instance: Value = error.new_instance((e.to_string(), problems))?;
        Ok(Exception::from_value(instance)
            .map_or_else(|| Error::new(ruby.exception_arg_error(), e.to_string()), Error::from))
    })();
    made.unwrap_or_else(|err| err)
}

fn value(ruby: &Ruby, v: &V<'_>) -> Value {
    match v {
        V::Str(s) => ruby.str_new(s).as_value(),
        V::Num(n) => ruby.float_from_f64(*n).as_value(),
        V::Bool(b) => b.into_value_with(ruby),
        V::Other => ruby.str_new("<object>").as_value(),
    }
}

fn pairs<K: AsRef<str>>(ruby: &Ruby, list: &[(K, V<'_>)]) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    for (k, v) in list {
        h.aset(k.as_ref(), value(ruby, v))?;
    }
    Ok(h)
}

/// `explain`'s Hash (Symbol keys): the decision, then what was read to make it.
pub fn explanation(ruby: &Ruby, e: &Explanation<'_>) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |k: &str| ruby.to_symbol(k);
    h.aset(sym("rate"), e.decision.rate)?;
    h.aset(sym("reason"), e.decision.reason.as_str())?;
    h.aset(sym("rule_id"), e.decision.rule_id)?;
    h.aset(sym("sampled"), e.decision.sampled)?;
    let fields: Vec<(&str, V<'_>)> = e.fields.iter().map(|(f, v)| (f.as_str(), v.clone())).collect();
    h.aset(sym("fields"), pairs(ruby, &fields)?)?;
    h.aset(sym("attributes"), pairs(ruby, &e.attributes)?)?;
    h.aset(sym("custom"), pairs(ruby, &e.custom)?)?;
    h.aset(sym("tags"), pairs(ruby, &e.tags)?)?;
    h.aset(sym("parent_sampled"), e.parent_sampled)?;
    h.aset(sym("parent_sample_rate"), e.parent_sample_rate)?;
    h.aset(sym("forced"), e.forced)?;
    h.aset(sym("gen_ai"), e.gen_ai)?;
    Ok(h)
}

fn counts(ruby: &Ruby, c: &Counts) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    h.aset(ruby.to_symbol("total"), c.total)?;
    let by_reason = ruby.hash_new();
    for (r, n) in &c.by_reason {
        by_reason.aset(r.as_str(), *n)?;
    }
    h.aset(ruby.to_symbol("by_reason"), by_reason)?;
    let by_rule = ruby.hash_new();
    for (id, n) in &c.by_rule {
        by_rule.aset(id.as_str(), *n)?;
    }
    h.aset(ruby.to_symbol("by_rule"), by_rule)?;
    Ok(h)
}

/// `stats`'s Hash: `{traces: {total:, by_reason: {...}, by_rule: {...}}, errors: {...}, fallbacks: n}`.
pub fn stats(ruby: &Ruby, s: &Stats) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    h.aset(ruby.to_symbol("traces"), counts(ruby, &s.traces)?)?;
    h.aset(ruby.to_symbol("errors"), counts(ruby, &s.errors)?)?;
    h.aset(ruby.to_symbol("fallbacks"), s.fallbacks)?;
    Ok(h)
}
