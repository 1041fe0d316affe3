//! The napi-rs backend of the npm package `tracesieve`: moves bytes and strings between
//! Node and [`Engine`]; nothing else.
//!
//! The JavaScript shim encodes a context into a `Uint8Array` it owns, which the sampler
//! holds a reference to ([`Sampler::bind`]), and calls [`Sampler::decide`] once with the
//! length, and with the array of the strings it left out of the bytes (wire tag 8) when it
//! left any out: a decision reads the few it needs.

use napi::bindgen_prelude::{Array, Uint8Array};
use napi_derive::napi;
use tracesieve_js_common::Engine;

/// A compiled policy.
#[napi]
pub struct Sampler {
    engine: Engine,
    /// The shim's buffer, where it encodes each context.
    wire: Option<Uint8Array>,
}

#[napi]
impl Sampler {
    /// Compiles a JSON policy for contexts of `shape` (`js`, or `canonical` / `python` for
    /// the conformance vectors); throws an `Error` whose message is the policy error as
    /// JSON.
    #[napi(constructor)]
    pub fn new(policy: String, shape: String) -> napi::Result<Self> {
        let engine = Engine::with_shape(&policy, &shape).map_err(napi::Error::from_reason)?;
        Ok(Sampler { engine, wire: None })
    }

    /// The read plans as JSON.
    #[napi]
    pub fn plans(&self) -> String {
        self.engine.plans()
    }

    /// Makes `wire` the buffer the next calls read (the shim calls it when it grows it).
    #[napi]
    pub fn bind(&mut self, wire: Uint8Array) {
        self.wire = Some(wire);
    }

    /// Decides a trace root from the first `len` bytes of the bound buffer: the rate.
    #[napi]
    pub fn decide(&self, len: u32, strings: Option<Array>) -> f64 {
        self.engine.decide(self.bytes(len), Some(&|node| fetch(strings.as_ref(), node)))
    }

    /// Decides an error event from the first `len` bytes of the bound buffer.
    #[napi]
    pub fn decide_error(&self, len: u32, strings: Option<Array>) -> f64 {
        self.engine.decide_error(self.bytes(len), Some(&|node| fetch(strings.as_ref(), node)))
    }

    /// Explains a trace root or an error event, as JSON.
    #[napi]
    pub fn explain(&self, len: u32, error: bool, strings: Option<Array>) -> String {
        self.engine.explain(self.bytes(len), error, Some(&|node| fetch(strings.as_ref(), node)))
    }

    /// The counters as JSON.
    #[napi]
    pub fn stats(&self) -> String {
        self.engine.stats()
    }
}

impl Sampler {
    /// The first `len` bytes of the bound buffer (none if it is shorter, or not bound).
    fn bytes(&self, len: u32) -> &[u8] {
        self.wire.as_deref().and_then(|w| w.get(..len as usize)).unwrap_or_default()
    }
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
