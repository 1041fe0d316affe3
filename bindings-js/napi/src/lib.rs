//! The napi-rs backend of the npm package `tracesieve`: moves bytes and strings between
//! Node and [`Engine`]; nothing else.
//!
//! The JavaScript shim encodes a context into a `Uint8Array` it owns, which the sampler
//! holds a reference to ([`Sampler::bind`]), writes which sampler and how many bytes (the
//! sampler's [handle](Sampler::handle) times 2^32 plus the length) into its call slot
//! ([`bind_calls`]), and calls [`decide`], which takes no arguments. When it left strings
//! out of the bytes (wire tag 8) it calls [`decide_deferred`] with the array of them instead:
//! a decision reads the few it needs.
//!
//! The per-decision calls are plain functions without arguments: napi-rs wraps a `&self`
//! method call in borrow tracking and class identity checks, and reads each argument with
//! N-API calls of its own (measured: 130-165 ns a call with one `f64` argument, 55-70 ns
//! with none; the difference is about what the decision itself costs). So the hot calls
//! find the sampler by handle in a per-thread table, from the call slot. A [`Sampler`] owns
//! its table entry and clears it when collected.

use std::cell::RefCell;
use std::rc::Rc;

use napi::bindgen_prelude::{Array, Float64Array, Uint8Array};
use napi_derive::napi;
use tracesieve_js_common::{Engine, Fetch};

/// What a sampler holds: the engine and the shim's buffer, where it encodes each context.
struct Entry {
    engine: Engine,
    wire: RefCell<Option<Uint8Array>>,
}

thread_local! {
    /// The live samplers of this thread (the main thread or a worker), by handle.
    static SAMPLERS: RefCell<Vec<Option<Rc<Entry>>>> = const { RefCell::new(Vec::new()) };
    /// The call slots of this thread, one per load of the addon here (its exports object)
    /// that the shim decided through ([`bind_calls`]), kept for the thread's lifetime.
    static CALLS: RefCell<Vec<Float64Array>> = const { RefCell::new(Vec::new()) };
}

/// Adds `calls` to this thread's call slots. The shim binds one per load of the addon (two
/// copies of the package, or a module cache reset, may load it twice in one thread), writes
/// `handle × 2^32 + len` into `calls[0]` before each decision and NaN after it: when a
/// decision runs, exactly one slot holds a call.
#[napi]
pub fn bind_calls(calls: Float64Array) {
    CALLS.with(|c| c.borrow_mut().push(calls));
}

/// The sampler of `handle`, if it is alive on this thread.
fn entry(handle: u32) -> Option<Rc<Entry>> {
    SAMPLERS.with(|s| s.try_borrow().ok()?.get(handle as usize).cloned().flatten())
}

/// A compiled policy.
#[napi]
pub struct Sampler {
    handle: u32,
    entry: Rc<Entry>,
}

#[napi]
impl Sampler {
    /// Compiles a JSON policy for contexts of `shape` (`js`, or `canonical` / `python` for
    /// the conformance vectors); throws an `Error` whose message is the policy error as
    /// JSON.
    #[napi(constructor)]
    pub fn new(policy: String, shape: String) -> napi::Result<Self> {
        Self::register(Engine::with_shape(&policy, &shape))
    }

    /// Loads a compiled policy (the bytes of [`compiled`](Self::compiled)); throws as
    /// [`new`](Self::new).
    #[napi(factory)]
    pub fn load(bytes: Uint8Array) -> napi::Result<Self> {
        Self::register(Engine::load(&bytes))
    }

    /// The policy as compiled-policy bytes, for [`load`](Self::load).
    #[napi]
    pub fn compiled(&self) -> Uint8Array {
        self.entry.engine.compiled().into()
    }

    /// A sampler of `engine`, in this thread's table.
    fn register(engine: Result<Engine, String>) -> napi::Result<Self> {
        let engine = engine.map_err(napi::Error::from_reason)?;
        let entry = Rc::new(Entry { engine, wire: RefCell::new(None) });
        let handle = SAMPLERS.with(|s| {
            let mut s = s.borrow_mut();
            let free = s.iter().position(Option::is_none).unwrap_or(s.len());
            if free == s.len() {
                s.push(None);
            }
            s[free] = Some(Rc::clone(&entry));
            free
        });
        let handle = u32::try_from(handle).map_err(|_| napi::Error::from_reason("too many samplers"))?;
        Ok(Sampler { handle, entry })
    }

    /// The handle that names this sampler in a call slot ([`bind_calls`]).
    #[napi(getter)]
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// The read plans as JSON.
    #[napi]
    pub fn plans(&self) -> String {
        self.entry.engine.plans()
    }

    /// Makes `wire` the buffer the next calls read (the shim calls it when it grows it).
    #[napi]
    pub fn bind(&self, wire: Uint8Array) {
        *self.entry.wire.borrow_mut() = Some(wire);
    }

    /// Explains a trace root or an error event, as JSON.
    #[napi]
    pub fn explain(&self, len: u32, error: bool, strings: Option<Array>) -> String {
        let e = &self.entry;
        let fetch = |node| strings.as_ref().and_then(|strings| fetch(strings, node));
        e.engine.explain(&e.bytes(len), error, Some(&fetch))
    }

    /// The counters as JSON.
    #[napi]
    pub fn stats(&self) -> String {
        self.entry.engine.stats()
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        // `try_with`: at thread exit the table may be gone before the last samplers are.
        let _ = SAMPLERS.try_with(|s| {
            if let Some(slot) = s.try_borrow_mut().ok().as_mut().and_then(|s| s.get_mut(self.handle as usize)) {
                *slot = None;
            }
        });
    }
}

impl Entry {
    /// The first `len` bytes of the bound buffer (none if it is shorter, or not bound).
    fn bytes(&self, len: u32) -> std::cell::Ref<'_, [u8]> {
        std::cell::Ref::map(self.wire.borrow(), |w| {
            w.as_deref().and_then(|w| w.get(..len as usize)).unwrap_or_default()
        })
    }
}

/// The sampler and the length of the call in this thread's call slots (`handle × 2^32 +
/// len`): the one slot that is not NaN. None when no slot, or more than one, holds a call.
/// The slots are read before anything that could run JavaScript (a fetch of a left-out
/// string), so no other decision can have written them in between.
fn current_call() -> Option<(Rc<Entry>, u32)> {
    let call = CALLS.with(|c| {
        let slots = c.try_borrow().ok()?;
        let mut calls = slots.iter().filter_map(|s| s.first().copied()).filter(|v| !v.is_nan());
        let call = calls.next()?;
        calls.next().is_none().then_some(call)
    })?;
    let call = (0.0..9_007_199_254_740_992.0).contains(&call).then_some(call as u64)?;
    Some((entry((call >> 32) as u32)?, call as u32))
}

/// Runs `decide` (a trace root or an error event) over the bytes of the current call, with
/// the left-out `strings` if the shim gave them: NaN when no slot holds a call, more than
/// one does, or the call names no live sampler of this thread.
fn decide_call(strings: Option<&Array>, decide: fn(&Engine, &[u8], Option<&Fetch<'_>>) -> f64) -> f64 {
    let Some((entry, len)) = current_call() else { return f64::NAN };
    let fetch = |node| strings.and_then(|strings| fetch(strings, node));
    decide(&entry.engine, &entry.bytes(len), strings.map(|_| &fetch as &Fetch<'_>))
}

/// Decides a trace root from the first `len` bytes of the buffer bound to sampler
/// `handle`, for the call slot's `handle × 2^32 + len`: the rate (NaN when no slot holds a
/// call, more than one does, or the call names no live sampler of this thread: the shim
/// then uses its fallback rate).
#[napi]
pub fn decide() -> f64 {
    decide_call(None, Engine::decide)
}

/// As [`decide`], for bytes that left strings out: `strings` has them by plan node.
#[napi]
pub fn decide_deferred(strings: Array) -> f64 {
    decide_call(Some(&strings), Engine::decide)
}

/// Decides an error event, as [`decide`] a trace root.
#[napi]
pub fn decide_error() -> f64 {
    decide_call(None, Engine::decide_error)
}

/// As [`decide_error`], for bytes that left strings out.
#[napi]
pub fn decide_error_deferred(strings: Array) -> f64 {
    decide_call(Some(&strings), Engine::decide_error)
}

/// A left-out string, from the shim's array (`None`: not a string, or unreadable).
fn fetch(strings: &Array, node: usize) -> Option<String> {
    strings.get::<String>(u32::try_from(node).ok()?).ok().flatten()
}

/// The package version.
#[napi]
pub fn version() -> String {
    tracesieve_js_common::version().into()
}
