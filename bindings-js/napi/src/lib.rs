//! The napi-rs backend of the npm package `tracesieve`: moves bytes and strings between
//! Node and [`Engine`]; nothing else.
//!
//! The JavaScript shim encodes a context into a `Uint8Array` it owns and calls
//! [`Sampler::decide`] once with it, and with the array of the strings it left out of the
//! bytes (wire tag 8), of which a decision reads the few it needs.

use napi::bindgen_prelude::{Array, Uint8Array};
use napi_derive::napi;
use tracesieve_js_common::Engine;

/// A compiled policy.
#[napi]
pub struct Sampler {
    engine: Engine,
}

#[napi]
impl Sampler {
    /// Compiles a JSON policy for contexts of `shape` (`js`, or `canonical` / `python` for
    /// the conformance vectors); throws an `Error` whose message is the policy error as
    /// JSON.
    #[napi(constructor)]
    pub fn new(policy: String, shape: String) -> napi::Result<Self> {
        let engine = Engine::with_shape(&policy, &shape).map_err(napi::Error::from_reason)?;
        Ok(Sampler { engine })
    }

    /// The read plans as JSON.
    #[napi]
    pub fn plans(&self) -> String {
        self.engine.plans()
    }

    /// Decides a trace root from the first `len` bytes of `wire`: the rate.
    #[napi]
    pub fn decide(&self, wire: &[u8], len: u32, strings: Array) -> f64 {
        self.engine.decide(prefix(wire, len), Some(&|node| fetch(&strings, node)))
    }

    /// Decides an error event from the first `len` bytes of `wire`.
    #[napi]
    pub fn decide_error(&self, wire: &[u8], len: u32, strings: Array) -> f64 {
        self.engine.decide_error(prefix(wire, len), Some(&|node| fetch(&strings, node)))
    }

    /// Explains a trace root or an error event, as JSON.
    #[napi]
    pub fn explain(&self, wire: Uint8Array, len: u32, error: bool, strings: Array) -> String {
        self.engine.explain(prefix(&wire, len), error, Some(&|node| fetch(&strings, node)))
    }

    /// The counters as JSON.
    #[napi]
    pub fn stats(&self) -> String {
        self.engine.stats()
    }
}

/// A left-out string, from the shim's array (`None`: not a string, unreadable).
fn fetch(strings: &Array, node: usize) -> Option<String> {
    strings.get::<String>(u32::try_from(node).ok()?).ok().flatten()
}

fn prefix(wire: &[u8], len: u32) -> &[u8] {
    wire.get(..len as usize).unwrap_or_default()
}

/// The package version.
#[napi]
pub fn version() -> String {
    tracesieve_js_common::version().into()
}
