//! The napi-rs backend of the npm package `tracesieve`: moves bytes and strings between
//! Node and [`Engine`]; nothing else.
//!
//! The JavaScript shim encodes a context into a `Uint8Array` it owns, which the sampler
//! holds a reference to ([`Sampler::bind`]), and calls [`decide`] once with the sampler's
//! [handle](Sampler::handle) and the length, and with the array of the strings it left out
//! of the bytes (wire tag 8) when it left any out: a decision reads the few it needs.
//!
//! The per-decision calls are plain functions of numbers: napi-rs wraps a `&self` method
//! call in borrow tracking and class identity checks that cost about a fifth of the call
//! (measured with `perf`), so the hot calls find the sampler by handle in a per-thread
//! table instead. A [`Sampler`] owns its table entry and clears it when collected.

use std::cell::RefCell;
use std::rc::Rc;

use napi::bindgen_prelude::{Array, Uint8Array};
use napi_derive::napi;
use tracesieve_js_common::Engine;

/// What a sampler holds: the engine and the shim's buffer, where it encodes each context.
struct Entry {
    engine: Engine,
    wire: RefCell<Option<Uint8Array>>,
}

thread_local! {
    /// The live samplers of this thread (the main thread or a worker), by handle.
    static SAMPLERS: RefCell<Vec<Option<Rc<Entry>>>> = const { RefCell::new(Vec::new()) };
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
        let engine = Engine::with_shape(&policy, &shape).map_err(napi::Error::from_reason)?;
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

    /// The handle [`decide`] and [`decide_error`] take.
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
        e.engine.explain(&e.bytes(len), error, Some(&|node| fetch(strings.as_ref(), node)))
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

/// Decides a trace root from the first `len` bytes of the buffer bound to sampler `handle`:
/// the rate (NaN for a handle that is not a live sampler of this thread).
#[napi]
pub fn decide(handle: u32, len: u32, strings: Option<Array>) -> f64 {
    entry(handle).map_or(f64::NAN, |e| e.engine.decide(&e.bytes(len), Some(&|node| fetch(strings.as_ref(), node))))
}

/// Decides an error event from the first `len` bytes of the buffer bound to sampler
/// `handle` (NaN for a handle that is not a live sampler of this thread).
#[napi]
pub fn decide_error(handle: u32, len: u32, strings: Option<Array>) -> f64 {
    entry(handle)
        .map_or(f64::NAN, |e| e.engine.decide_error(&e.bytes(len), Some(&|node| fetch(strings.as_ref(), node))))
}

/// A left-out string, from the shim's array (`None`: not a string, unreadable, or no
/// array given).
fn fetch(strings: Option<&Array>, node: usize) -> Option<String> {
    strings?.get::<String>(u32::try_from(node).ok()?).ok().flatten()
}

/// The package version.
#[napi]
pub fn version() -> String {
    tracesieve_js_common::version().into()
}
