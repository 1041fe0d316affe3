//! The wasm-bindgen backend of the npm package `tracesieve`: moves bytes and strings
//! between JavaScript and [`Engine`]; nothing else.
//!
//! The JavaScript shim writes an encoded context into this sampler's scratch buffer (in
//! wasm memory, at [`Sampler::scratch`]) and calls [`Sampler::decide`] with its length:
//! one call with numbers only. Strings are left out of the bytes (wire tag 8); the few a
//! decision needs are fetched from the shim's [`Strings`] on demand.

// In wasm the module links no `std`: no panic machinery, no formatting behind it. A panic
// (a bug) traps, which the shim turns into the safe rate.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

use tracesieve_js_common::{Engine, Fetch};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The shim's strings of the context being decided, by plan node.
    pub type Strings;

    /// Writes the UTF-8 of node `node`'s string at `ptr` (at most `cap` bytes) and returns
    /// its length (more than `cap`: call again with room for it); `u32::MAX` if unreadable.
    #[wasm_bindgen(method, structural)]
    fn fetch(this: &Strings, node: u32, ptr: usize, cap: usize) -> u32;
}

/// A compiled policy with its scratch buffers.
#[wasm_bindgen]
pub struct Sampler {
    engine: Engine,
    scratch: Vec<u8>,
    strings: Strings,
    arena: RefCell<Vec<u8>>,
    last_rate: Cell<f64>,
}

#[wasm_bindgen]
impl Sampler {
    /// Compiles a JSON policy for contexts of `shape` (`js`, or `canonical` / `python` for
    /// the conformance vectors); throws an `Error` whose message is the policy error as
    /// JSON.
    #[cfg(feature = "compiler")]
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str, shape: &str, strings: Strings, record: Option<String>) -> Result<Sampler, JsError> {
        Self::with(Engine::with_record(policy, shape, record.as_deref()), strings)
    }

    /// Loads a compiled policy (the bytes of [`compiled`](Self::compiled)); throws as
    /// [`new`](Self::new).
    pub fn load(bytes: &[u8], strings: Strings) -> Result<Sampler, JsError> {
        Self::with(Engine::load(bytes), strings)
    }

    fn with(engine: Result<Engine, String>, strings: Strings) -> Result<Sampler, JsError> {
        let engine = engine.map_err(|e| JsError::new(&e))?;
        Ok(Sampler {
            engine,
            scratch: Vec::new(),
            strings,
            arena: RefCell::new(vec![0; 256]),
            last_rate: Cell::new(f64::NAN),
        })
    }

    /// The policy as compiled-policy bytes, for [`load`](Self::load).
    #[cfg(feature = "compiler")]
    pub fn compiled(&self) -> Vec<u8> {
        self.engine.compiled()
    }

    /// The read plans as JSON.
    pub fn plans(&self) -> String {
        self.engine.plans()
    }

    /// Makes the scratch buffer `len` bytes long and returns its address in wasm memory.
    pub fn scratch(&mut self, len: usize) -> usize {
        self.scratch.resize(len, 0);
        self.scratch.as_ptr() as usize
    }

    /// Decides a trace root from the first `len` bytes of the scratch buffer: the rate.
    pub fn decide(&self, len: usize) -> f64 {
        self.engine.decide(self.wire(len), Some(&|node| self.fetch(node)))
    }

    /// Decides a trace root as [`decide`](Self::decide) does, and returns it as a traffic
    /// line (JSON text); the rate is then [`last_rate`](Self::last_rate).
    #[wasm_bindgen(js_name = decideRecord)]
    pub fn decide_record(&self, len: usize, sample_rand: Option<f64>, timestamp: Option<f64>) -> String {
        let (rate, line) =
            self.engine.decide_record(self.wire(len), Some(&|node| self.fetch(node)), sample_rand, timestamp);
        self.last_rate.set(rate);
        line
    }

    /// The rate of the last [`decide_record`](Self::decide_record).
    #[wasm_bindgen(js_name = lastRate)]
    pub fn last_rate(&self) -> f64 {
        self.last_rate.get()
    }

    /// Decides an error event from the first `len` bytes of the scratch buffer.
    #[wasm_bindgen(js_name = decideError)]
    pub fn decide_error(&self, len: usize) -> f64 {
        self.engine.decide_error(self.wire(len), Some(&|node| self.fetch(node)))
    }

    /// Explains a trace root or an error event, as JSON.
    pub fn explain(&self, len: usize, error: bool) -> String {
        let fetch: &Fetch<'_> = &|node| self.fetch(node);
        self.engine.explain(self.wire(len), error, Some(fetch))
    }

    /// The counters as JSON.
    pub fn stats(&self) -> String {
        self.engine.stats()
    }

    fn wire(&self, len: usize) -> &[u8] {
        self.scratch.get(..len).unwrap_or_default()
    }

    /// A left-out string, from the shim.
    fn fetch(&self, node: usize) -> Option<String> {
        let mut arena = self.arena.borrow_mut();
        for _ in 0..2 {
            let len = self.strings.fetch(node as u32, arena.as_mut_ptr() as usize, arena.len());
            if len == u32::MAX {
                return None;
            }
            let len = len as usize;
            if len <= arena.len() {
                return String::from_utf8(arena[..len].to_vec()).ok();
            }
            arena.resize(len, 0);
        }
        None
    }
}

/// The module's linear memory, where the scratch buffers live.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Whether this module has the policy compiler (`new Sampler(policy)`); the browser
/// module only loads compiled policies.
#[wasm_bindgen(js_name = hasCompiler)]
pub fn has_compiler() -> bool {
    cfg!(feature = "compiler")
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    tracesieve_js_common::version().into()
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
