//! The napi-rs backend of the npm package `tracesieve`: moves bytes and strings between
//! Node and [`Engine`]; nothing else.
//!
//! The JavaScript shim encodes a context into a `Uint8Array` it owns, which the sampler
//! holds a reference to ([`Sampler::bind`], called again only when the shim grows the
//! buffer), and calls [`Sampler::decide`] with the length of the encoded bytes. When the
//! encoder left strings out of the bytes (wire tag 8) it passes the array of them too: a
//! decision reads the few it needs.

use std::cell::{Cell, Ref, RefCell};

use napi::bindgen_prelude::{Array, Uint8Array};
use napi_derive::napi;
use tracesieve_js_common::{Engine, Fetch};

/// A compiled policy, and the shim's buffer, where it encodes each context.
#[napi]
pub struct Sampler {
    engine: Engine,
    wire: RefCell<Option<Uint8Array>>,
    last_rate: Cell<f64>,
}

#[napi]
impl Sampler {
    /// Compiles a JSON policy for contexts of `shape` (`js`, or `canonical` / `python` for
    /// the conformance vectors); throws an `Error` whose message is the policy error as
    /// JSON.
    #[napi(constructor)]
    pub fn new(policy: String, shape: String, record: Option<String>) -> napi::Result<Self> {
        Self::with(Engine::with_record(&policy, &shape, record.as_deref()))
    }

    /// Loads a compiled policy (the bytes of [`compiled`](Self::compiled)); throws as
    /// [`new`](Self::new).
    #[napi(factory)]
    pub fn load(bytes: Uint8Array) -> napi::Result<Self> {
        Self::with(Engine::load(&bytes))
    }

    fn with(engine: Result<Engine, String>) -> napi::Result<Self> {
        let engine = engine.map_err(napi::Error::from_reason)?;
        Ok(Sampler { engine, wire: RefCell::new(None), last_rate: Cell::new(f64::NAN) })
    }

    /// The policy as compiled-policy bytes, for [`load`](Self::load).
    #[napi]
    pub fn compiled(&self) -> Uint8Array {
        self.engine.compiled().into()
    }

    /// The read plans as JSON.
    #[napi]
    pub fn plans(&self) -> String {
        self.engine.plans()
    }

    /// Makes `wire` the buffer the next calls read (the shim calls it when it grows it).
    #[napi]
    pub fn bind(&self, wire: Uint8Array) {
        *self.wire.borrow_mut() = Some(wire);
    }

    /// Decides a trace root from the first `len` bytes of the bound buffer: the rate.
    /// `strings` has the strings the encoder left out, by plan node, if it left any out.
    #[napi]
    pub fn decide(&self, len: u32, strings: Option<Array>) -> f64 {
        with_fetch(strings.as_ref(), |fetch| self.engine.decide(&self.bytes(len), fetch))
    }

    /// Decides a trace root as [`decide`](Self::decide) does, and returns it as a traffic
    /// line (JSON text); the rate is then [`last_rate`](Self::last_rate).
    #[napi]
    pub fn decide_record(
        &self,
        len: u32,
        strings: Option<Array>,
        sample_rand: Option<f64>,
        timestamp: Option<f64>,
    ) -> String {
        let (rate, line) = with_fetch(strings.as_ref(), |fetch| {
            self.engine.decide_record(&self.bytes(len), fetch, sample_rand, timestamp)
        });
        self.last_rate.set(rate);
        line
    }

    /// The rate of the last [`decide_record`](Self::decide_record).
    #[napi]
    pub fn last_rate(&self) -> f64 {
        self.last_rate.get()
    }

    /// Decides an error event, as [`decide`](Self::decide) a trace root.
    #[napi]
    pub fn decide_error(&self, len: u32, strings: Option<Array>) -> f64 {
        with_fetch(strings.as_ref(), |fetch| self.engine.decide_error(&self.bytes(len), fetch))
    }

    /// Explains a trace root or an error event, as JSON.
    #[napi]
    pub fn explain(&self, len: u32, error: bool, strings: Option<Array>) -> String {
        with_fetch(strings.as_ref(), |fetch| self.engine.explain(&self.bytes(len), error, fetch))
    }

    /// The counters as JSON.
    #[napi]
    pub fn stats(&self) -> String {
        self.engine.stats()
    }

    /// The first `len` bytes of the bound buffer (none if it is shorter, or not bound).
    fn bytes(&self, len: u32) -> Ref<'_, [u8]> {
        Ref::map(self.wire.borrow(), |w| w.as_deref().and_then(|w| w.get(..len as usize)).unwrap_or_default())
    }
}

/// Calls `f` with the fetch of left-out strings from the shim's array, when it passed one
/// (a fetch gives `None` for an item that is not a string, or unreadable).
fn with_fetch<R>(strings: Option<&Array<'_>>, f: impl FnOnce(Option<&Fetch<'_>>) -> R) -> R {
    let fetch = |node: usize| strings?.get::<String>(u32::try_from(node).ok()?).ok().flatten();
    f(strings.map(|_| &fetch as &Fetch<'_>))
}

/// The package version.
#[napi]
pub fn version() -> String {
    tracesieve_js_common::version().into()
}
