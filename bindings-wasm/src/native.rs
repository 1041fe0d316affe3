//! The same engine as a native library (`libtracesieve_abi.so`, `.dylib`, `.dll`) with a C
//! ABI of real pointers: the Java package's FFM backend (Java 22+, `bindings-java`, bundled
//! in its jar per platform). The host owns its memory: it passes the wire bytes by pointer
//! and length, nothing is copied; texts (JSON) are written into a buffer of the host's
//! (`out`, `cap` bytes), and the call returns their whole length, so that a host whose
//! buffer was too small calls again with a larger one. An engine is shared by every thread
//! of the host (the counters are atomic): no pool. A panic (a bug) is caught at the
//! boundary and returned as an error value. Not part of `tracesieve.wasm`.

use alloc::boxed::Box;
use alloc::string::String;
use core::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use tracesieve_js_common::Engine;

use crate::{SHAPES, known, message_error, plans_json, rule_ids};

// Engines are shared by the host's threads.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Engine>();
};

std::thread_local! {
    /// The calling thread's last error of [`tsn_compile`].
    static ERROR: RefCell<String> = const { RefCell::new(String::new()) };
    /// The calling thread's last line of [`tsn_decide_record`] that did not fit its buffer.
    static LINE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Copies `text` into the host's buffer (as much as fits): its whole length.
///
/// # Safety
/// `out` points to `cap` writable bytes (or `cap` is 0).
unsafe fn give(text: &[u8], out: *mut u8, cap: usize) -> usize {
    if cap > 0 && !out.is_null() {
        // SAFETY: the caller's contract; the regions do not overlap (ours is a fresh String).
        unsafe { core::ptr::copy_nonoverlapping(text.as_ptr(), out, text.len().min(cap)) };
    }
    text.len()
}

/// # Safety
/// `ptr` points to `len` readable bytes (or `len` is 0).
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || ptr.is_null() {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// Compiles the UTF-8 JSON policy at `ptr` (`len` bytes) for contexts of shape `shape`
/// (as `ts_compile`: 0 `js`, 1 `canonical`, 2 `python`, 3 `java`): an engine, or null
/// with the error for [`tsn_error`].
///
/// # Safety
/// `ptr` points to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_compile(ptr: *const u8, len: usize, shape: u32) -> *mut Engine {
    // SAFETY: the caller's contract.
    unsafe { compile(ptr, len, shape, None) }
}

/// As [`tsn_compile`], for a host that records roots ([`tsn_decide_record`]), with the
/// record keys (as `ts_compile_record`: UTF-8 JSON `{"attributes": [...], "custom":
/// [...]}`) at `kptr` (`klen` bytes).
///
/// # Safety
/// `ptr` points to `len` readable bytes, `kptr` to `klen`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_compile_record(
    ptr: *const u8,
    len: usize,
    shape: u32,
    kptr: *const u8,
    klen: usize,
) -> *mut Engine {
    // SAFETY: the caller's contract.
    unsafe { compile(ptr, len, shape, Some(bytes(kptr, klen))) }
}

/// # Safety
/// `ptr` points to `len` readable bytes.
unsafe fn compile(ptr: *const u8, len: usize, shape: u32, keys: Option<&[u8]>) -> *mut Engine {
    // SAFETY: the caller's contract.
    let bytes = unsafe { bytes(ptr, len) };
    let compiled = catch_unwind(|| {
        let text = core::str::from_utf8(bytes).map_err(|_| message_error("the policy is not UTF-8"))?;
        let shape = SHAPES
            .get(shape as usize)
            .ok_or_else(|| message_error("unknown context shape (0 js, 1 canonical, 2 python, 3 java, 4 ruby)"))?;
        let keys = match keys {
            Some(k) => Some(core::str::from_utf8(k).map_err(|_| message_error("the record keys are not UTF-8"))?),
            None => None,
        };
        Engine::with_record(text, shape, keys)
    })
    .unwrap_or_else(|_| Err(message_error("tracesieve: the policy compiler panicked (a bug)")));
    match compiled {
        Ok(e) => Box::into_raw(Box::new(e)),
        Err(e) => {
            ERROR.with(|x| *x.borrow_mut() = e);
            core::ptr::null_mut()
        }
    }
}

/// The calling thread's last error of [`tsn_compile`] as JSON (as `ts_error`), into `out`:
/// its length.
///
/// # Safety
/// `out` points to `cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_error(out: *mut u8, cap: usize) -> usize {
    // SAFETY: the caller's contract.
    ERROR.with(|x| unsafe { give(x.borrow().as_bytes(), out, cap) })
}

/// The read plans and rule ids of `engine` as JSON (as `ts_plans`), into `out`: its
/// length (0 for a null engine).
///
/// # Safety
/// `engine` is null or from [`tsn_compile`] and not released; `out` points to `cap`
/// writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_plans(engine: *const Engine, out: *mut u8, cap: usize) -> usize {
    // SAFETY: the caller's contract.
    let Some(e) = (unsafe { engine.as_ref() }) else { return 0 };
    let text = catch_unwind(AssertUnwindSafe(|| plans_json(e, &rule_ids(e)))).unwrap_or_default();
    // SAFETY: the caller's contract.
    unsafe { give(text.as_bytes(), out, cap) }
}

/// Decides and counts the trace root (`error` 0) or error event (`error` 1) encoded at
/// `ptr` (`len` bytes, the plan's wire format): the rate, or -1 for a null engine (or a
/// panic, a bug).
///
/// # Safety
/// `engine` is null or from [`tsn_compile`] and not released; `ptr` points to `len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_decide(engine: *const Engine, ptr: *const u8, len: usize, error: u32) -> f64 {
    // SAFETY: the caller's contract.
    let (Some(e), wire) = (unsafe { engine.as_ref() }, unsafe { bytes(ptr, len) }) else {
        return -1.0;
    };
    catch_unwind(AssertUnwindSafe(|| {
        if error == 0 { e.decision(wire, None).rate } else { e.decision_error(wire, None).rate }
    }))
    .unwrap_or(-1.0)
}

/// Decides and counts the trace root encoded at `ptr` (as `ts_decide_record`): the rate
/// into `*rate` (-1 for a null engine or a panic), the traffic line into `out`; returns the
/// line's whole length (0 for a null engine or a panic). A line longer than `cap` is kept
/// for the calling thread: [`tsn_line`] gives it (deciding again would count twice).
/// `sample_rand` and `timestamp` are NaN when unknown.
///
/// # Safety
/// As [`tsn_decide`]; `rate` points to a writable `f64`, `out` to `cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn tsn_decide_record(
    engine: *const Engine,
    ptr: *const u8,
    len: usize,
    sample_rand: f64,
    timestamp: f64,
    rate: *mut f64,
    out: *mut u8,
    cap: usize,
) -> usize {
    // SAFETY: the caller's contract.
    let (e, wire) = (unsafe { engine.as_ref() }, unsafe { bytes(ptr, len) });
    let decided = e.and_then(|e| {
        catch_unwind(AssertUnwindSafe(|| e.decide_record(wire, None, known(sample_rand), known(timestamp)))).ok()
    });
    let (r, line) = decided.unwrap_or((-1.0, String::new()));
    if !rate.is_null() {
        // SAFETY: the caller's contract.
        unsafe { rate.write(r) };
    }
    // SAFETY: the caller's contract.
    let n = unsafe { give(line.as_bytes(), out, cap) };
    if n > cap {
        LINE.with(|x| *x.borrow_mut() = line);
    }
    n
}

/// The calling thread's last line of [`tsn_decide_record`] that was longer than its
/// buffer, into `out`: its length.
///
/// # Safety
/// `out` points to `cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_line(out: *mut u8, cap: usize) -> usize {
    // SAFETY: the caller's contract.
    LINE.with(|x| unsafe { give(x.borrow().as_bytes(), out, cap) })
}

/// Explains without counting (as `ts_explain`) the context encoded at `ptr`, into `out`:
/// the JSON's length (0 for a null engine or a panic).
///
/// # Safety
/// As [`tsn_decide`]; `out` points to `cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_explain(
    engine: *const Engine,
    ptr: *const u8,
    len: usize,
    error: u32,
    out: *mut u8,
    cap: usize,
) -> usize {
    // SAFETY: the caller's contract.
    let (Some(e), wire) = (unsafe { engine.as_ref() }, unsafe { bytes(ptr, len) }) else {
        return 0;
    };
    let text = catch_unwind(AssertUnwindSafe(|| e.explain(wire, error != 0, None))).unwrap_or_default();
    // SAFETY: the caller's contract.
    unsafe { give(text.as_bytes(), out, cap) }
}

/// The counters of `engine` as JSON (as `ts_stats`), into `out`: its length (0 for a null
/// engine).
///
/// # Safety
/// As [`tsn_plans`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_stats(engine: *const Engine, out: *mut u8, cap: usize) -> usize {
    // SAFETY: the caller's contract.
    let Some(e) = (unsafe { engine.as_ref() }) else { return 0 };
    let text = catch_unwind(AssertUnwindSafe(|| e.stats())).unwrap_or_default();
    // SAFETY: the caller's contract.
    unsafe { give(text.as_bytes(), out, cap) }
}

/// Releases an engine of [`tsn_compile`].
///
/// # Safety
/// `engine` is null or from [`tsn_compile`], not released, and no call is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsn_release(engine: *mut Engine) {
    if !engine.is_null() {
        // SAFETY: the caller's contract.
        drop(unsafe { Box::from_raw(engine) });
    }
}
