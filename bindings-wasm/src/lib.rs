//! `tracesieve.wasm`: the portable WebAssembly module of tracesieve, with a plain ABI
//! (`docs/wasm-abi.md`) that any wasm runtime can load: Chicory (the Java package),
//! wazero, Wasmtime, wasmi. No wasm-bindgen, no imports, no WASI.
//!
//! Every export takes and returns numbers only. Memory the host writes into is the
//! module's own (an allocation from [`ts_alloc`], a handle's buffer from [`ts_buffer`]), so
//! a bad pointer, length or handle from the host is an error value, never a trap. Texts
//! the module hands back (JSON, bytes) are in one output buffer, returned packed as
//! `ptr << 32 | len` and valid until the next call that returns one.
//!
//! The engine is the npm package's ([`Engine`]): the same read plans, the same wire format
//! (`core/src/sdk/plan.rs`), the same JSON; the policy logic is the core's.

// A narrowly scoped exception to the workspace's `unsafe_code = "deny"`: an FFI module
// needs `#[no_mangle]` exports and one global state (below, `Global`). Nothing else here
// is unsafe: every buffer the host touches is looked up in the state by address.
#![allow(unsafe_code)]
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::UnsafeCell;

use tracesieve::Decision;
use tracesieve::json::write_str;
use tracesieve_js_common::Engine;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;

/// The context shapes of [`ts_compile`], by code.
const SHAPES: [&str; 5] = ["js", "canonical", "python", "java", "ruby"];

/// The size of a handle's decision record ([`ts_result`]).
pub const RESULT_LEN: usize = 16;

/// A compiled policy, its wire buffer and its last decision.
struct Handle {
    engine: Engine,
    /// The rule ids of trace rules and of error rules, in policy order.
    ids: [Vec<String>; 2],
    /// Where the host writes an encoded context ([`ts_buffer`]).
    scratch: Vec<u8>,
    /// The last decision: see [`ts_result`].
    result: [u8; RESULT_LEN],
}

/// Everything the module holds between calls.
struct State {
    handles: Vec<Option<Box<Handle>>>,
    /// The host's allocations ([`ts_alloc`]), by address.
    allocs: BTreeMap<u32, Vec<u8>>,
    /// The output buffer of the last call that returned packed output.
    out: Vec<u8>,
    /// The last error, as JSON ([`ts_error`]).
    error: String,
}

/// The module's state.
struct Global(UnsafeCell<State>);

// SAFETY: the module is built for wasm32-unknown-unknown without threads, and it imports
// nothing, so an export runs to completion before the next one starts: the state is never
// borrowed twice at once. (A native build of this crate is for tests and linting only.)
unsafe impl Sync for Global {}

static STATE: Global = Global(UnsafeCell::new(State {
    handles: Vec::new(),
    allocs: BTreeMap::new(),
    out: Vec::new(),
    error: String::new(),
}));

/// The module's state, for the duration of one export.
#[allow(clippy::mut_from_ref)]
fn state() -> &'static mut State {
    // SAFETY: see `Global`: one export at a time, and no export keeps this borrow.
    unsafe { &mut *STATE.0.get() }
}

/// An address in linear memory as the ABI passes it.
fn addr<T>(p: *const T) -> u32 {
    p as usize as u32
}

/// Puts `bytes` in the output buffer: `ptr << 32 | len`.
fn output(bytes: Vec<u8>) -> u64 {
    let st = state();
    st.out = bytes;
    (u64::from(addr(st.out.as_ptr())) << 32) | st.out.len() as u64
}

fn handle(h: u32) -> Option<&'static mut Handle> {
    let i = usize::try_from(h).ok()?.checked_sub(1)?;
    state().handles.get_mut(i)?.as_deref_mut()
}

/// Bytes the host wrote into its allocation at `ptr` (`len` at most its size).
fn input(ptr: u32, len: u32) -> Option<&'static [u8]> {
    state().allocs.get(&ptr)?.get(..len as usize)
}

fn fail(error: String) -> u32 {
    state().error = error;
    0
}

/// Registers an engine: its handle, or 0 with the error kept for [`ts_error`].
fn register(engine: Result<Engine, String>) -> u32 {
    let engine = match engine {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let ids = rule_ids(&engine);
    let boxed = Box::new(Handle { engine, ids, scratch: Vec::new(), result: [0; RESULT_LEN] });
    let handles = &mut state().handles;
    let slot = match handles.iter().position(Option::is_none) {
        Some(i) => {
            handles[i] = Some(boxed);
            i
        }
        None => {
            handles.push(Some(boxed));
            handles.len() - 1
        }
    };
    slot as u32 + 1
}

/// `{"message": ..., "problems": []}` for an error about no place in a policy.
fn message_error(message: &str) -> String {
    let mut text = String::from("{\"message\":");
    write_str(&mut text, message);
    text.push_str(",\"problems\":[]}");
    text
}

/// The module version (the version of every tracesieve package), packed.
#[unsafe(no_mangle)]
pub extern "C" fn ts_version() -> u64 {
    output(tracesieve::VERSION.as_bytes().to_vec())
}

/// Allocates `len` bytes (zeroed) for the host to write into: their address, or 0 when
/// `len` is 0 or more than 256 MiB.
#[unsafe(no_mangle)]
pub extern "C" fn ts_alloc(len: u32) -> u32 {
    if len == 0 || len > 256 << 20 {
        return 0;
    }
    let buf = vec![0u8; len as usize];
    let ptr = addr(buf.as_ptr());
    state().allocs.insert(ptr, buf);
    ptr
}

/// Frees an allocation of [`ts_alloc`]: 1, or 0 when `ptr` is not one.
#[unsafe(no_mangle)]
pub extern "C" fn ts_free(ptr: u32) -> u32 {
    u32::from(state().allocs.remove(&ptr).is_some())
}

/// Compiles the JSON policy in the allocation at `ptr` (its first `len` bytes, UTF-8) for
/// contexts of shape `shape` (0 `js`, 1 `canonical`, 2 `python`, 3 `java`, 4 `ruby`): a handle (at
/// least 1), or 0 with the error in [`ts_error`].
#[unsafe(no_mangle)]
pub extern "C" fn ts_compile(ptr: u32, len: u32, shape: u32) -> u32 {
    let Some(bytes) = input(ptr, len) else {
        return fail(message_error("the policy is not in an allocation of ts_alloc"));
    };
    let Ok(text) = core::str::from_utf8(bytes) else {
        return fail(message_error("the policy is not UTF-8"));
    };
    let Some(shape) = SHAPES.get(shape as usize) else {
        return fail(message_error("unknown context shape (0 js, 1 canonical, 2 python, 3 java, 4 ruby)"));
    };
    register(Engine::with_shape(text, shape))
}

/// As [`ts_compile`], for a host that records roots ([`ts_decide_record`]): the record keys
/// are the UTF-8 JSON `{"attributes": [...], "custom": [...]}` (both optional) in the first
/// `klen` bytes of the allocation at `kptr`. The trace plan then also reads every canonical
/// field, the parent and those keys. 0 on error (the policy's, or keys that are not such an
/// object), see [`ts_error`].
#[unsafe(no_mangle)]
pub extern "C" fn ts_compile_record(ptr: u32, len: u32, shape: u32, kptr: u32, klen: u32) -> u32 {
    let Some(bytes) = input(ptr, len) else {
        return fail(message_error("the policy is not in an allocation of ts_alloc"));
    };
    let Some(keys) = input(kptr, klen) else {
        return fail(message_error("the record keys are not in an allocation of ts_alloc"));
    };
    let (Ok(text), Ok(keys)) = (core::str::from_utf8(bytes), core::str::from_utf8(keys)) else {
        return fail(message_error("the policy or the record keys are not UTF-8"));
    };
    let Some(shape) = SHAPES.get(shape as usize) else {
        return fail(message_error("unknown context shape (0 js, 1 canonical, 2 python, 3 java, 4 ruby)"));
    };
    register(Engine::with_record(text, shape, Some(keys)))
}

/// Loads a compiled policy (the bytes of [`ts_compiled`]) from the allocation at `ptr`:
/// a handle, or 0 with the error in [`ts_error`].
#[unsafe(no_mangle)]
pub extern "C" fn ts_load(ptr: u32, len: u32) -> u32 {
    match input(ptr, len) {
        Some(bytes) => register(Engine::load(bytes)),
        None => fail(message_error("the compiled policy is not in an allocation of ts_alloc")),
    }
}

/// The last error of [`ts_compile`] or [`ts_load`], packed: JSON `{"message": text,
/// "problems": [{"path", "message"}]}`.
#[unsafe(no_mangle)]
pub extern "C" fn ts_error() -> u64 {
    output(state().error.as_bytes().to_vec())
}

/// The compiled-policy bytes of handle `h`, packed (0 for an unknown handle).
#[unsafe(no_mangle)]
pub extern "C" fn ts_compiled(h: u32) -> u64 {
    handle(h).map_or(0, |x| output(x.engine.compiled()))
}

/// The rule ids of trace rules and of error rules, in policy order.
fn rule_ids(engine: &Engine) -> [Vec<String>; 2] {
    let stats = engine.sampler().stats();
    [&stats.traces, &stats.errors].map(|c| c.by_rule.iter().map(|(id, _)| id.clone()).collect())
}

/// The read plans with the rule ids, as [`ts_plans`] returns them (and the native
/// library's `tsn_plans`).
fn plans_json(engine: &Engine, ids: &[Vec<String>; 2]) -> String {
    let mut text = engine.plans();
    text.pop(); // the closing brace: the rule ids follow
    text.push_str(",\"rules\":{");
    for (i, (kind, ids)) in ["trace", "error"].iter().zip(ids).enumerate() {
        if i > 0 {
            text.push(',');
        }
        write_str(&mut text, kind);
        text.push_str(":[");
        for (j, id) in ids.iter().enumerate() {
            if j > 0 {
                text.push(',');
            }
            write_str(&mut text, id);
        }
        text.push(']');
    }
    text.push_str("}}");
    text
}

/// The read plans of handle `h` as JSON, packed (0 for an unknown handle):
/// `{"trace": plan, "error": plan, "defaultRate": rate, "rules": {"trace": [ids],
/// "error": [ids]}}`, each plan a list of nodes `[key, parent, end, [scans], primary]` in
/// preorder (the root first).
#[unsafe(no_mangle)]
pub extern "C" fn ts_plans(h: u32) -> u64 {
    let Some(x) = handle(h) else { return 0 };
    output(plans_json(&x.engine, &x.ids).into_bytes())
}

/// Makes handle `h`'s wire buffer at least `len` bytes long: its address (0 for an unknown
/// handle). The address stays valid until a call with a larger `len` or [`ts_release`].
#[unsafe(no_mangle)]
pub extern "C" fn ts_buffer(h: u32, len: u32) -> u32 {
    let Some(x) = handle(h) else { return 0 };
    if x.scratch.len() < len as usize {
        x.scratch.resize(len as usize, 0);
    }
    addr(x.scratch.as_ptr())
}

/// The address of handle `h`'s decision record (0 for an unknown handle), 16 bytes
/// written by every decision: the rate (`f64`), the rule's index among the plan's rule ids
/// (`i32`, -1 for none), the reason (`u8`: 0 forced, 1 genAi, 2 rule, 3 parent, 4 default),
/// `sampled` (`u8`: 0 no, 1 yes, 2 unknown), the kind (`u8`: 0 trace, 1 error), and a 0.
#[unsafe(no_mangle)]
pub extern "C" fn ts_result(h: u32) -> u32 {
    handle(h).map_or(0, |x| addr(x.result.as_ptr()))
}

/// Writes `d` into the handle's record and returns its rate.
fn record(result: &mut [u8; RESULT_LEN], ids: &[String], d: &Decision<'_>, kind: u8) -> f64 {
    let rule = d.rule_id.and_then(|id| ids.iter().position(|x| x == id)).map_or(-1, |i| i as i32);
    result[..8].copy_from_slice(&d.rate.to_le_bytes());
    result[8..12].copy_from_slice(&rule.to_le_bytes());
    result[12] = d.reason as u8;
    result[13] = d.sampled.map_or(2, u8::from);
    result[14] = kind;
    result[15] = 0;
    d.rate
}

/// The wire bytes of a decision: the first `len` bytes of the buffer (all of it if `len`
/// is larger).
fn wire(scratch: &[u8], len: u32) -> &[u8] {
    &scratch[..scratch.len().min(len as usize)]
}

/// Decides the trace root encoded in the first `len` bytes of handle `h`'s buffer (the
/// trace plan's wire format), and counts the decision: the rate, a finite number in
/// [0, 1]; the whole decision is in the record ([`ts_result`]). -1 for an unknown handle.
#[unsafe(no_mangle)]
pub extern "C" fn ts_decide(h: u32, len: u32) -> f64 {
    let Some(x) = handle(h) else { return -1.0 };
    let d = x.engine.decision(wire(&x.scratch, len), None);
    record(&mut x.result, &x.ids[0], &d, 0)
}

/// Decides the error event encoded in the first `len` bytes of handle `h`'s buffer (the
/// error plan's wire format), and counts the decision: the rate (see [`ts_decide`]).
#[unsafe(no_mangle)]
pub extern "C" fn ts_decide_error(h: u32, len: u32) -> f64 {
    let Some(x) = handle(h) else { return -1.0 };
    let d = x.engine.decision_error(wire(&x.scratch, len), None);
    record(&mut x.result, &x.ids[1], &d, 1)
}

/// A finite number, or none (the host passes NaN for "unknown").
fn known(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Decides the trace root encoded in the first `len` bytes of handle `h`'s buffer, counts
/// it, writes the decision record ([`ts_result`]: the rate is at its offset 0) and returns
/// the root as a traffic line (UTF-8 JSON, one object, no newline), packed: the line
/// `tracesieve simulate` reads (`tracesieve::sdk::record_line`). `sample_rand` is written
/// when the context carries none, `timestamp` (seconds since 1970) when given: NaN for
/// neither. 0 for an unknown handle. A handle of [`ts_compile`] (no record keys) writes
/// only what its plan reads; compile with [`ts_compile_record`] to record.
#[unsafe(no_mangle)]
pub extern "C" fn ts_decide_record(h: u32, len: u32, sample_rand: f64, timestamp: f64) -> u64 {
    let Some(x) = handle(h) else { return 0 };
    let (d, line) = x.engine.decision_record(wire(&x.scratch, len), None, known(sample_rand), known(timestamp));
    record(&mut x.result, &x.ids[0], &d, 0);
    output(line.into_bytes())
}

/// Explains, without counting, the trace root (`error` 0) or error event (`error` 1)
/// encoded in handle `h`'s buffer: JSON `{"rate", "reason", "ruleId", "sampled",
/// "fallback", "context": {...}}`, packed (0 for an unknown handle).
#[unsafe(no_mangle)]
pub extern "C" fn ts_explain(h: u32, len: u32, error: u32) -> u64 {
    let Some(x) = handle(h) else { return 0 };
    output(x.engine.explain(wire(&x.scratch, len), error != 0, None).into_bytes())
}

/// The counters of handle `h` as JSON, packed (0 for an unknown handle): `{"traces":
/// counts, "errors": counts, "fallbacks": n}`, counts `{"total", "byReason", "byRule"}`.
#[unsafe(no_mangle)]
pub extern "C" fn ts_stats(h: u32) -> u64 {
    handle(h).map_or(0, |x| output(x.engine.stats().into_bytes()))
}

/// Releases handle `h` and its buffers: 1, or 0 for an unknown handle.
#[unsafe(no_mangle)]
pub extern "C" fn ts_release(h: u32) -> u32 {
    let Some(i) = usize::try_from(h).ok().and_then(|h| h.checked_sub(1)) else { return 0 };
    state().handles.get_mut(i).and_then(Option::take).map_or(0, |_| 1)
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

// A panic would be a bug: it aborts (an `unreachable` trap), which hosts turn into their
// safe rate. The module has no panic machinery and no formatting behind it.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
